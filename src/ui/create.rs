//! Creating the caller when the number is unknown: a short form, checked as the agent types
//! once they tried to save, never submitted twice, and kept whole when the portal refuses.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::status::ActionError;
use super::{texts, Backend};
use crate::crm::entity::EntityKind;
use crate::crm::new_client::{FieldProblem, NewClient};
use crate::i18n::Texts;
use crate::screen::Problem;

fn explain(t: &Texts, p: FieldProblem) -> &'static str {
    match p {
        FieldProblem::NameMissing => t.name_missing,
        FieldProblem::EmailInvalid => t.email_invalid,
        FieldProblem::PhoneInvalid => t.phone_invalid,
    }
}

#[component]
pub fn CreateCaller(number: String) -> impl IntoView {
    let t = texts();
    let backend = Backend::context();
    let kind = RwSignal::new(None::<EntityKind>);
    let form = RwSignal::new(NewClient { phone: number, ..NewClient::default() });
    let tried = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<Problem>);
    let problems = move || if tried.get() { form.with(NewClient::problems) } else { Vec::new() };
    let problem_of = move |p: FieldProblem| move || problems().contains(&p).then(|| view! {
        <span class="field-error" data-testid="field-error">{explain(t, p)}</span>
    });

    let submit = move || {
        tried.set(true);
        let (Some(k), Some(b)) = (kind.get_untracked(), backend) else { return };
        if pending.get_untracked() || !form.with_untracked(NewClient::problems).is_empty() {
            return;
        }
        pending.set(true);
        failure.set(None);
        let creating = b.with_value(|b| (b.create)(k, form.get_untracked()));
        spawn_local(async move {
            if let Err(problem) = creating.await {
                failure.set(Some(problem));
            }
            pending.set(false);
        });
    };

    let field = move |label: &'static str, testid: &'static str, get: fn(&NewClient) -> String, set: fn(&mut NewClient, String)| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input data-testid=testid prop:value=move || form.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| set(f, v)); } />
            </label>
        }
    };

    view! {
        <div class="create" data-testid="create-caller">
            <div class="create-choice">
                <button type="button" data-testid="new-contact" class:active=move || kind.get() == Some(EntityKind::Contact)
                    on:click=move |_| kind.set(Some(EntityKind::Contact))>{t.new_contact}</button>
                <button type="button" data-testid="new-lead" class:active=move || kind.get() == Some(EntityKind::Lead)
                    on:click=move |_| kind.set(Some(EntityKind::Lead))>{t.new_lead}</button>
            </div>
            <Show when=move || kind.get().is_some()>
                <form class="create-form" data-testid="create-form" novalidate=true
                    on:submit=move |ev| { ev.prevent_default(); submit(); }>
                    {field(t.first_name, "first-name", |f| f.first_name.clone(), |f, v| f.first_name = v)}
                    {field(t.last_name, "last-name", |f| f.last_name.clone(), |f, v| f.last_name = v)}
                    {problem_of(FieldProblem::NameMissing)}
                    <Show when=move || kind.get() == Some(EntityKind::Lead)>
                        {field(t.company_name, "company", |f| f.company.clone(), |f, v| f.company = v)}
                    </Show>
                    {field(t.email, "email", |f| f.email.clone(), |f, v| f.email = v)}
                    {problem_of(FieldProblem::EmailInvalid)}
                    {field(t.phone, "phone", |f| f.phone.clone(), |f, v| f.phone = v)}
                    {problem_of(FieldProblem::PhoneInvalid)}
                    <div class="composer-actions">
                        <button type="button" class="link-button" on:click=move |_| kind.set(None)>{t.cancel}</button>
                        <button type="submit" data-testid="create-submit" disabled=move || pending.get()>
                            {move || if pending.get() { t.creating } else { t.create }}
                        </button>
                    </div>
                    {move || failure.get().map(|p| view! { <ActionError testid="create-error" headline=t.create_failed problem=p/> })}
                </form>
            </Show>
        </div>
    }
}
