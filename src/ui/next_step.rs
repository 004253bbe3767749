//! The agent's next step in one click: a new deal for the client on the card, its title
//! prefilled from the client's name. Saved once (the button waits while the portal works), kept
//! as typed when the portal refuses, and on the card at once when it is made.

use leptos::prelude::*;

use super::status::ActionError;
use super::{texts, Backend};
use crate::crm::entity::{EntityKind, EntityRef};
use crate::launch::LaunchError;
use crate::problem::Problem;

#[component]
pub fn NewDeal(client: EntityRef, company: Option<u64>, name: String) -> impl IntoView {
    let t = texts();
    let backend = Backend::context();
    let asked = RwSignal::new(false);
    let title = RwSignal::new(name);
    let creating = Action::new_local(move |typed: &String| {
        let request = backend.map(|b| b.with_value(|b| (b.add_deal)((client, company, typed.clone()))));
        async move {
            match request {
                Some(request) => request.await,
                None => Err(Problem::launch(t, &LaunchError::NoLaunchData)),
            }
        }
    });
    let pending = creating.pending();
    let failure = move || match creating.value().get() {
        Some(Err(problem)) if !pending.get() => Some(problem),
        _ => None,
    };
    let submit = move || {
        if !pending.get_untracked() {
            creating.dispatch(title.get_untracked());
        }
    };
    let offered = matches!(client.kind, EntityKind::Contact | EntityKind::Company);
    offered.then(|| view! {
        <div class="next-steps" data-testid="next-steps">
            <Show when=move || asked.get() fallback=move || view! {
                <button type="button" class="link-button" data-testid="new-deal" on:click=move |_| asked.set(true)>{format!("+ {}", t.new_deal)}</button>
            }>
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
            </Show>
        </div>
    })
}
