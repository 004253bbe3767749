//! The agent's next step in one click: a new deal for the client on the card, its title
//! prefilled from the client's name, or a follow-up call. Saved once (the button waits while the portal works), kept
//! as typed when the portal refuses, and on the card at once when it is made.

use leptos::prelude::*;

use super::ask::Ask;
use super::status::ActionError;
use super::{Erase, at, flag, or_nothing, text_of, texts, value, Addition, Backend, Write};
use crate::browser;
use crate::crm::entity::{EntityKind, EntityRef};
use crate::crm::follow_up::{self, FollowUp};

#[component]
pub fn NewDeal(client: EntityRef, company: Option<u64>, name: String) -> impl IntoView {
    let t = texts();
    let backend = Backend::context();
    let asked = RwSignal::new(false);
    let title = RwSignal::new(name);
    let creating = Ask::<u64>::new();
    let pending = creating.pending();
    let failure = move || creating.failure();
    let submit = move || {
        let typed = title.get_untracked();
        creating.run(move || Backend::request(backend, t, |b| (b.write)(Write::Add(client, Addition::Deal { company, title: typed.clone() }))));
    };
    let offered = matches!(client.kind, EntityKind::Contact | EntityKind::Company);
    or_nothing(offered.then(|| view! {
        <div class="next-steps" data-testid="next-steps">
            {move || if asked.get() {
                view! {
                    <form class="new-deal create-form" data-testid="new-deal-form" {at("novalidate", "")} on:submit=move |ev| { ev.prevent_default(); submit(); }>
                        {text_field(t.new_deal_title, "new-deal-title", title)}
                        {form_buttons("new-deal-create", t.new_deal_create, pending, asked)}
                        {move || or_nothing(failure().map(|p| view! { <ActionError testid="new-deal-error" headline=t.deal_not_created problem=p/> }))}
                    </form>
                }.erase()
            } else {
                offer("new-deal", t.new_deal, asked)
            }}
        </div>
    }))
}

/// A follow-up call: when (the next working day at 10:00 by default) and about what; owned by
/// the call's deal when it has one on the card (the client its communication), else by the
/// client; the agent responsible. Offered when the card knows a number to call and the agent.
#[component]
pub fn FollowUpCall(client: EntityRef, deal: Option<u64>, number: Option<String>, agent: Option<u64>) -> impl IntoView {
    let t = texts();
    let backend = Backend::context();
    let asked = RwSignal::new(false);
    let when = RwSignal::new(browser::next_working_morning());
    let subject = RwSignal::new(t.follow_up_default_subject.to_string());
    let missing_time = RwSignal::new(false);
    let (number, agent) = (number.filter(|n| !crate::text::is_blank(n)), agent);
    let offered = number.is_some() && agent.is_some();
    let number = StoredValue::new(number.unwrap_or_default());
    let scheduling = Ask::<u64>::new();
    let pending = scheduling.pending();
    let failure = move || scheduling.failure();
    let submit = move || {
        let at = browser::local_input_secs(&when.get_untracked());
        missing_time.set(at.is_none());
        // A blank subject is the default one: a call back is what was asked for.
        let about = subject.with_untracked(|s| if crate::text::is_blank(s) { t.follow_up_default_subject.to_string() } else { s.clone() });
        let fields = at.and_then(|at| follow_up::fields(&FollowUp { client, deal, number: &number.get_value(), agent: agent.unwrap_or(0), at, subject: &about }));
        if let Some(fields) = fields {
            scheduling.run(move || Backend::request(backend, t, |b| (b.write)(Write::Add(client, Addition::FollowUp(fields.clone())))));
        }
    };
    or_nothing(offered.then(|| view! {
        <div class="next-steps">
            {move || if asked.get() {
                view! {
                    <form class="new-deal create-form" data-testid="follow-up-form" {at("novalidate", "")} on:submit=move |ev| { ev.prevent_default(); submit(); }>
                        <label class="field">
                            {t.follow_up_time}
                            <input {at("type", "datetime-local")} data-testid="follow-up-time" use:value=text_of(move || when.get())
                                on:input=move |ev| when.set(event_target_value(&ev))/>
                        </label>
                        {move || or_nothing(missing_time.get().then(|| view! {
                            <p class="field-error" data-testid="follow-up-time-error">{t.follow_up_time_missing}</p>
                        }))}
                        {text_field(t.follow_up_subject, "follow-up-subject", subject)}
                        {form_buttons("follow-up-create", t.follow_up_create, pending, asked)}
                        {move || or_nothing(failure().map(|p| view! { <ActionError testid="follow-up-error" headline=t.follow_up_failed problem=p/> }))}
                    </form>
                }.erase()
            } else {
                offer("follow-up", t.follow_up, asked)
            }}
        </div>
    }))
}

/// The step offered as a link-like button; it opens its form.
fn offer(testid: &'static str, label: &'static str, asked: RwSignal<bool>) -> AnyView {
    view! { <button {at("type", "button")} class="link-button" data-testid=testid on:click=move |_| asked.set(true)>{["+ ", label].concat()}</button> }.erase()
}

/// A one-line text the agent types, kept in `typed`.
fn text_field(label: &'static str, testid: &'static str, typed: RwSignal<String>) -> AnyView {
    view! {
        <label class="field">
            {label}
            <input {at("autocomplete", "off")} {at("type", "text")} data-testid=testid use:value=text_of(move || typed.get())
                on:input=move |ev| typed.set(event_target_value(&ev))/>
        </label>
    }
    .erase()
}

/// The form's create button, waiting while the portal works, and its cancel, which closes it.
fn form_buttons(testid: &'static str, create: &'static str, pending: Memo<bool>, asked: RwSignal<bool>) -> AnyView {
    let t = texts();
    view! {
        <div class="form-actions">
            <button {at("type", "submit")} {at("disabled", move || flag(pending.get()))} data-testid=testid>
                {move || (if pending.get() { t.new_deal_creating } else { create }).into_any()}
            </button>
            <button {at("type", "button")} class="link-button" on:click=move |_| asked.set(false)>{t.cancel}</button>
        </div>
    }
    .erase()
}
