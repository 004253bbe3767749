//! Creating the caller when the number is unknown: a short form, checked as the agent types
//! once they tried to save, never submitted twice, and kept whole when the portal refuses.

use leptos::prelude::*;

use super::ask::Ask;
use super::status::ActionError;
use super::{at, flag, focus, or_nothing, text_of, texts, truth, value, Backend, ClientChoice, Write};
use crate::effect;
use crate::crm::entity::EntityKind;
use crate::crm::new_client::{self, FieldProblem, NewClient};
use crate::drafts::{self, Draft, Drafts};
use crate::live::AutoCloseHold;
use crate::i18n::Texts;

fn explain(t: &Texts, p: FieldProblem) -> &'static str {
    match p {
        FieldProblem::NameMissing => t.name_missing,
        FieldProblem::EmailInvalid => t.email_invalid,
        FieldProblem::PhoneInvalid => t.phone_invalid,
    }
}

/// Keeps the form's draft (`None`: nothing worth keeping, so none) and holds the card open
/// while there is one.
fn keep(kept_at: String, hold: Option<&AutoCloseHold>, draft: Option<&str>) {
    drafts::write(kept_at, draft.unwrap_or_default());
    if let Some(hold) = hold {
        hold.set(Draft::NewClient, draft.is_some());
    }
}

/// The form as it stands: the kind of record chosen (none while the form is folded) and what was
/// typed. One signal for both: each signal type brings its own code into the module, and the
/// views that follow only the kind read it through memos.
#[derive(Clone)]
struct Form {
    kind: Option<EntityKind>,
    typed: NewClient,
}

#[component]
pub fn CreateCaller(number: String, call_id: Option<String>) -> impl IntoView {
    let t = texts();
    let backend = Backend::context();
    let kept_at = Drafts::for_call(call_id.as_deref()).key(Draft::NewClient);
    // The caller's number, written for reading (with its `+` when international).
    let prefilled = NewClient { phone: crate::crm::phone::display(&number), ..NewClient::default() };
    // A form the agent started before the tab reloaded or the card closed comes back as it was.
    let kept = new_client::from_draft(&drafts::read(&kept_at));
    let form = RwSignal::new(match kept {
        Some((kind, typed)) => Form { kind: Some(kind), typed },
        None => Form { kind: None, typed: prefilled.clone() },
    });
    let kind = move || form.with(|f| f.kind);
    let choose = move |kind: Option<EntityKind>| form.update(|f| f.kind = kind);
    let hold = move || backend.map(|b| b.with_value(|b| b.hold.clone()));
    // A plain value, not state of the form's: a save replaces the form before its answer is read.
    // The draft's key, a text: each stored type brings its own code.
    let kept_at = StoredValue::new(kept_at);
    // Kept at every change, and the card held open while the form holds anything typed.
    effect::watch(move || {
        let draft = form.with(|f| f.kind.and_then(|k| new_client::draft(k, &f.typed, &prefilled)));
        keep(kept_at.get_value(), hold().as_ref(), draft.as_deref());
    });
    let tried = RwSignal::new(false);
    // The creation is a Leptos action: its own pending state and outcome. The card of the new
    // record replaces this form soon after the answer: the draft is let go inside the action
    // itself, as soon as the record exists.
    let creating = Ask::<u64>::new();
    let pending = creating.pending();
    let failure = move || creating.failure();
    let problems = move || if tried.get() { form.with(|f| f.typed.problems()) } else { Vec::new() };
    // Each check's message has an id its fields point at (aria-describedby), so a screen reader
    // reads the problem with the field.
    let error_id = |p: FieldProblem| match p {
        FieldProblem::NameMissing => "create-error-name",
        FieldProblem::EmailInvalid => "create-error-email",
        FieldProblem::PhoneInvalid => "create-error-phone",
    };
    let problem_of = move |p: FieldProblem| move || or_nothing(problems().contains(&p).then(|| view! {
        <span class="field-error" data-testid="field-error" {at("id", error_id(p))}>{explain(t, p)}</span>
    }));
    // The form and its company field are drawn when these change, not at every keystroke or
    // change of kind (a contact's form stays as it is when the agent switches to a lead).
    let chosen = Memo::new(move |_| kind().is_some());

    let submit = move || {
        tried.set(true);
        let Form { kind: Some(k), typed } = form.get_untracked() else { return };
        if typed.problems().is_empty() {
            creating.run(move || {
                let request = Backend::request(backend, t, |b| (b.write)(Write::Client(ClientChoice::New(k, typed.clone()))));
                let (kept_at, hold) = (kept_at.get_value(), hold());
                async move {
                    let outcome = request.await;
                    if outcome.is_ok() {
                        keep(kept_at, hold.as_ref(), None);
                    }
                    outcome
                }
            });
        }
    };

    // `first`: the form's first field, which takes the cursor when the form opens.
    let field = move |label: &'static str, testid: &'static str, get: fn(&NewClient) -> String, set: fn(&mut NewClient, String), check: FieldProblem, first: bool| {
        let failing = move || problems().contains(&check);
        view! {
            <label class="field">
                {label}
                <input {at("aria-invalid", move || failing().then_some("true"))}
                    {at("aria-describedby", move || failing().then(|| error_id(check)))}
                    data-testid=testid use:focus=first use:value=text_of(move || form.with(|f| get(&f.typed)))
                    on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| set(&mut f.typed, v)); } />
            </label>
        }
    };

    let lead = Memo::new(move |_| kind() == Some(EntityKind::Lead));
    view! {
        <div class="create" data-testid="create-caller">
            <div class="create-choice">
                <button {at("type", "button")} data-testid="new-contact" {at("class", move || (kind() == Some(EntityKind::Contact)).then_some("active"))}
                    {at("aria-pressed", move || truth(kind() == Some(EntityKind::Contact)))}
                    on:click=move |_| choose(Some(EntityKind::Contact))>{t.new_contact}</button>
                <button {at("type", "button")} data-testid="new-lead" {at("class", move || (kind() == Some(EntityKind::Lead)).then_some("active"))}
                    {at("aria-pressed", move || truth(kind() == Some(EntityKind::Lead)))}
                    on:click=move |_| choose(Some(EntityKind::Lead))>{t.new_lead}</button>
            </div>
            {move || or_nothing(chosen.get().then(|| view! {
                <form class="create-form" data-testid="create-form" {at("novalidate", "")}
                    on:submit=move |ev| { ev.prevent_default(); submit(); }>
                    {field(t.first_name, "first-name", |f| f.first_name.clone(), |f, v| f.first_name = v, FieldProblem::NameMissing, true)}
                    {field(t.last_name, "last-name", |f| f.last_name.clone(), |f, v| f.last_name = v, FieldProblem::NameMissing, false)}
                    {problem_of(FieldProblem::NameMissing)}
                    {move || or_nothing(lead.get().then(|| field(t.company_name, "company", |f| f.company.clone(), |f, v| f.company = v, FieldProblem::NameMissing, false)))}
                    {field(t.email, "email", |f| f.email.clone(), |f, v| f.email = v, FieldProblem::EmailInvalid, false)}
                    {problem_of(FieldProblem::EmailInvalid)}
                    {field(t.phone, "phone", |f| f.phone.clone(), |f, v| f.phone = v, FieldProblem::PhoneInvalid, false)}
                    {problem_of(FieldProblem::PhoneInvalid)}
                    <div class="composer-actions">
                        <button {at("type", "button")} class="link-button" on:click=move |_| choose(None)>{t.cancel}</button>
                        <button {at("type", "submit")} data-testid="create-submit" {at("disabled", move || flag(pending.get()))}>
                            {move || (if pending.get() { t.creating } else { t.create }).into_any()}
                        </button>
                    </div>
                    {move || or_nothing(failure().map(|p| view! { <ActionError testid="create-error" headline=t.create_failed problem=p/> }))}
                </form>
            }))}
        </div>
    }
}
