//! The agent's next step in one click: a new deal for the client on the card, its title
//! prefilled from the client's name, or a follow-up call. Saved once (the button waits while the portal works), kept
//! as typed when the portal refuses, and on the card at once when it is made.

use leptos::prelude::*;

use super::ask::Ask;
use super::status::ActionError;
use super::{texts, Backend};
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
        creating.run(move || Backend::request(backend, t, |b| (b.add_deal)((client, company, typed.clone()))));
    };
    let offered = matches!(client.kind, EntityKind::Contact | EntityKind::Company);
    offered.then(|| view! {
        <div class="next-steps" data-testid="next-steps">
            {move || if asked.get() {
                view! {
                    <form class="new-deal create-form" data-testid="new-deal-form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                        <label class="field">
                            <span>{t.new_deal_title}</span>
                            <input type="text" data-testid="new-deal-title" autocomplete="off" prop:value=move || title.get()
                                on:input=move |ev| title.set(event_target_value(&ev))/>
                        </label>
                        <div class="form-actions">
                            <button type="submit" data-testid="new-deal-create" disabled=move || pending.get()>
                                {move || if pending.get() { t.new_deal_creating } else { t.new_deal_create }}
                            </button>
                            <button type="button" class="link-button" on:click=move |_| asked.set(false)>{t.cancel}</button>
                        </div>
                        {move || failure().map(|p| view! { <ActionError testid="new-deal-error" headline=t.deal_not_created problem=p/> })}
                    </form>
                }.into_any()
            } else {
                view! { <button type="button" class="link-button" data-testid="new-deal" on:click=move |_| asked.set(true)>{format!("+ {}", t.new_deal)}</button> }.into_any()
            }}
        </div>
    })
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
    let (number, agent) = (number.filter(|n| !n.trim().is_empty()), agent);
    let offered = number.is_some() && agent.is_some();
    let number = StoredValue::new(number.unwrap_or_default());
    let scheduling = Ask::<u64>::new();
    let pending = scheduling.pending();
    let failure = move || scheduling.failure();
    let submit = move || {
        let at = browser::local_input_secs(&when.get_untracked());
        missing_time.set(at.is_none());
        // A blank subject is the default one: a call back is what was asked for.
        let about = subject.with_untracked(|s| if s.trim().is_empty() { t.follow_up_default_subject.to_string() } else { s.clone() });
        let fields = at.and_then(|at| follow_up::fields(&FollowUp { client, deal, number: &number.get_value(), agent: agent.unwrap_or(0), at, subject: &about }));
        if let Some(fields) = fields {
            scheduling.run(move || Backend::request(backend, t, |b| (b.add_activity)((client, fields.clone()))));
        }
    };
    offered.then(|| view! {
        <div class="next-steps">
            {move || if asked.get() {
                view! {
                    <form class="new-deal create-form" data-testid="follow-up-form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                        <label class="field">
                            <span>{t.follow_up_time}</span>
                            <input type="datetime-local" data-testid="follow-up-time" prop:value=move || when.get()
                                on:input=move |ev| when.set(event_target_value(&ev))/>
                        </label>
                        {move || missing_time.get().then(|| view! {
                            <p class="field-error" data-testid="follow-up-time-error">{t.follow_up_time_missing}</p>
                        })}
                        <label class="field">
                            <span>{t.follow_up_subject}</span>
                            <input type="text" data-testid="follow-up-subject" autocomplete="off" prop:value=move || subject.get()
                                on:input=move |ev| subject.set(event_target_value(&ev))/>
                        </label>
                        <div class="form-actions">
                            <button type="submit" data-testid="follow-up-create" disabled=move || pending.get()>
                                {move || if pending.get() { t.new_deal_creating } else { t.follow_up_create }}
                            </button>
                            <button type="button" class="link-button" on:click=move |_| asked.set(false)>{t.cancel}</button>
                        </div>
                        {move || failure().map(|p| view! { <ActionError testid="follow-up-error" headline=t.follow_up_failed problem=p/> })}
                    </form>
                }.into_any()
            } else {
                view! { <button type="button" class="link-button" data-testid="follow-up" on:click=move |_| asked.set(true)>{format!("+ {}", t.follow_up)}</button> }.into_any()
            }}
        </div>
    })
}
