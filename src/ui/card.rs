//! The caller's card: the call itself and who is calling.

use leptos::prelude::*;

use super::text;
use crate::crm::card::{Caller, Channel, ClientCard};
use crate::crm::phone;
use crate::launch::CallCardOptions;

/// Direction, the caller's number and the line, above the client.
#[component]
pub fn CallSummary(call: CallCardOptions) -> impl IntoView {
    let line = match (call.line_name, call.line_number) {
        (Some(name), Some(number)) => Some(format!("{name} · {number}")),
        (name, number) => name.or(number),
    };
    let number = call.phone_number.as_deref().map(phone::display);
    view! {
        <header class="call" data-testid="call">
            <span class="call-direction" data-testid="call-direction">{text::direction(call.direction)}</span>
            {number.map(|n| view! { <span class="call-number" data-testid="call-number">{n}</span> })}
            {line.map(|line| view! { <span class="call-line" data-testid="call-line">{line}</span> })}
        </header>
    }
}

#[component]
pub fn CallerView(caller: Caller) -> impl IntoView {
    match caller {
        Caller::Known(card) => view! { <ClientView card=card/> }.into_any(),
        Caller::Unknown => view! {
            <section class="client client-unknown" data-testid="unknown-caller">
                <h1>{text::UNKNOWN_CALLER}</h1>
                <p>{text::UNKNOWN_CALLER_HINT}</p>
            </section>
        }
        .into_any(),
        Caller::NoNumber => view! {
            <section class="client client-unknown" data-testid="hidden-number">
                <h1>{text::HIDDEN_NUMBER}</h1>
                <p>{text::HIDDEN_NUMBER_HINT}</p>
            </section>
        }
        .into_any(),
    }
}

/// Up to two initials for the avatar.
fn initials(name: &str) -> String {
    name.split_whitespace().filter_map(|w| w.chars().next()).take(2).flat_map(char::to_uppercase).collect()
}

#[component]
fn ClientView(card: ClientCard) -> impl IntoView {
    let name = if card.name.is_empty() { text::UNNAMED.to_string() } else { card.name.clone() };
    let kind = text::entity_kind(card.entity.kind);
    view! {
        <section class="client" data-testid="client" data-entity=format!("{}:{}", card.entity.kind.symbol(), card.entity.id)>
            <div class="client-head">
                <div class="avatar" aria-hidden="true">{initials(&card.name)}</div>
                <div class="client-title">
                    <span class="client-kind" data-testid="client-kind">{kind}</span>
                    <h1 class="client-name" data-testid="client-name">{name}</h1>
                    {card.post.map(|post| view! { <p class="client-post" data-testid="client-post">{post}</p> })}
                    {card.company.filter(|c| !c.title.is_empty()).map(|company| view! {
                        <p class="client-company" data-testid="client-company">{company.title}</p>
                    })}
                </div>
            </div>
            <Channels items=card.phones testid="client-phones" numbers=true/>
            <Channels items=card.emails testid="client-emails" numbers=false/>
        </section>
    }
}

#[component]
fn Channels(items: Vec<Channel>, testid: &'static str, numbers: bool) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            <ul class="channels" data-testid=testid>
                {items
                    .into_iter()
                    .map(|c| {
                        let value = if numbers { phone::display(&c.value) } else { c.value.clone() };
                        view! {
                            <li class:matched=c.matched data-matched=c.matched.to_string()>
                                <span class="channel-value">{value}</span>
                                <span class="channel-kind">{text::channel_kind(&c.kind).to_string()}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}
