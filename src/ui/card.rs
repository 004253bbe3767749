//! The call and who is calling: the client's card, the chooser of several matches, the unknown
//! and hidden caller panels.

use leptos::prelude::*;

use super::actions::Actions;
use super::create::CreateCaller;
use super::link::LinkExisting;
use super::next_step::{FollowUpCall, NewDeal};
use super::sections::{call_length, ActivitySection, CallSection, CommentSection, DealSection, PeopleSection, ResponsibleSection};
use super::{Erase, at, focus, initials, lang, or_nothing, shown_name, texts, AgentRequest, Backend, Live};
use crate::crm::about::{self, Reason};
use crate::crm::card::{Caller, Candidates, Channel, ClientCard};
use crate::crm::entity::EntityRef;
use crate::crm::entity::EntityKind;
use crate::crm::phone;
use crate::crm::zone::{self, Zone};
use crate::browser;
use std::sync::Arc;
use std::time::Duration;
use crate::i18n::{self, Texts};
use crate::launch::{CallCardOptions, CallDirection, CallState};
use crate::text::Fill;

fn direction(t: &Texts, d: Option<CallDirection>) -> &'static str {
    match d {
        Some(CallDirection::Incoming) => t.incoming,
        Some(CallDirection::Outgoing) => t.outgoing,
        Some(CallDirection::Callback) => t.callback,
        None => t.call,
    }
}

pub(crate) fn kind_label(t: &Texts, kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Contact => t.contact,
        EntityKind::Company => t.company,
        EntityKind::Lead => t.lead,
        EntityKind::Deal => t.deal,
    }
}

/// A channel type as the portal labels it (`MOBILE`), for people.
fn channel_label(t: &Texts, kind: &str) -> &'static str {
    match kind {
        "WORK" => t.channel_work,
        "MOBILE" => t.channel_mobile,
        "HOME" => t.channel_home,
        "FAX" => t.channel_fax,
        _ => t.channel_other,
    }
}

/// Direction, the caller's number, the line and call-list mode, above the client.
#[component]
pub fn CallSummary(call: CallCardOptions) -> impl IntoView {
    let t = texts();
    // The line is read beside the caller: a line of the caller's country shows as international.
    let caller_digits = call.phone_number.as_deref().map(phone::digits).unwrap_or_default();
    let caller_code = phone::split_calling_code(&caller_digits).map(|(code, _)| code.to_string());
    let line_number = call.line_number.as_deref().map(|n| phone::display_near(n, caller_code.as_deref()));
    let line = match (call.line_name, line_number) {
        (Some(name), Some(number)) => Some([name.as_str(), " · ", &number].concat()),
        (name, number) => name.or(number),
    };
    let number = call.phone_number.as_deref().map(phone::display);
    let live = use_context::<Live>();
    let initial_state = call.state;
    let state = move || {
        live.and_then(|l| l.state.get()).or(initial_state).map(|now| match now {
            CallState::Connecting => t.state_connecting,
            CallState::Connected => t.state_connected,
            CallState::Idle => t.state_idle,
        })
    };
    view! {
        <header class="call" data-testid="call">
            <span class="call-direction" data-testid="call-direction">{direction(t, call.direction)}</span>
            <span class="call-state" data-testid="call-state" {at("role", "status")} {at("aria-live", "polite")}>{move || or_nothing(state())}</span>
            {or_nothing(number.map(|n| view! { <span class="call-number" data-testid="call-number">{n}</span> }))}
            {or_nothing(call.phone_number.as_deref().and_then(zone::of_number).map(|zone| view! { <LocalTime zone=zone/> }))}
            {or_nothing(line.map(|line| view! { <span class="call-line" data-testid="call-line">{line}</span> }))}
            {or_nothing(call.call_list_mode.then(|| view! { <span class="chip" data-testid="call-list-mode">{t.call_list}</span> }))}
        </header>
    }
}

/// The caller's time now, where their number says it for certain (`crm::zone`); updated every
/// twenty seconds, so it stays right through a long call.
#[component]
fn LocalTime(zone: Zone) -> impl IntoView {
    let Zone::One(name) = zone else { return ().into_any() };
    let t = texts();
    let locale = lang().intl_locale();
    let Some(first) = browser::time_now_in(name, locale) else { return ().into_any() };
    let now = RwSignal::new(first);
    if let Ok(ticking) = set_interval_with_handle(move || now.set(browser::time_now_in(name, locale).unwrap_or_default()), Duration::from_secs(20)) {
        on_cleanup(move || ticking.clear());
    }
    view! {
        <span class="call-local-time" data-testid="local-time" data-zone=name>{move || t.their_time.fill("{time}", &now.get()).into_any()}</span>
    }
    .erase()
}

#[component]
pub fn CallerView(caller: Caller, call: CallCardOptions, #[prop(optional)] has_others: bool) -> impl IntoView {
    let t = texts();
    match caller {
        Caller::Known(card) => view! { <ClientView card=card has_others=has_others call_id=call.call_id.clone() calling=call.phone_number.clone()/> }.erase(),
        Caller::Several(candidates) => view! { <Chooser candidates=candidates/> }.erase(),
        Caller::Unknown => view! { <UnknownCaller number=call.phone_number.unwrap_or_default() call_id=call.call_id.clone()/> }.erase(),
        Caller::NoNumber => view! {
            <section class="client client-unknown" data-testid="hidden-number">
                <h1 data-testid="hidden-number-title">{t.hidden_number}</h1>
                <p data-testid="hidden-number-hint">{t.hidden_number_hint}</p>
                <LinkExisting number=None/>
            </section>
        }
        .erase(),
    }
}

#[component]
fn UnknownCaller(number: String, call_id: Option<String>) -> impl IntoView {
    let t = texts();
    let country = phone::international_parts(&number).and_then(|(code, national)| {
        i18n::country(lang(), &code, &national).map(|name| t.calling_from.fill("{country}", &name).fill("{code}", &code))
    });
    view! {
        <section class="client client-unknown" data-testid="unknown-caller">
            <h1 data-testid="unknown-caller-title">{t.unknown_caller}</h1>
            <p class="unknown-number" data-testid="unknown-number">{phone::display(&number)}</p>
            {or_nothing(country.map(|c| view! { <p data-testid="caller-country">{c}</p> }))}
            <p class="muted">{t.unknown_caller_hint}</p>
            <LinkExisting number=Some(number.clone())/>
            <CreateCaller number=number.clone() call_id=call_id/>
        </section>
    }
}

#[component]
fn Chooser(candidates: Candidates) -> impl IntoView {
    let t = texts();
    let handlers = Backend::handlers();
    let take_focus = super::heading_focus_asked();
    view! {
        <section class="chooser" data-testid="chooser">
            <h1 {at("tabindex", "-1")} use:focus=take_focus data-testid="chooser-heading">{t.several_matches}</h1>
            <p class="muted">{t.several_matches_hint}</p>
            <ul class="candidates">
                {candidates.iter().map(|c| {
                    let entity = c.entity;
                    let pick = move |_| if let Some(h) = handlers { h.ask(AgentRequest::Pick(entity)) };
                    let mut details: Vec<String> = Vec::new();
                    details.extend(c.company.clone());
                    details.extend(c.responsible.as_deref().map(|r| [t.responsible, ": ", r].concat()));
                    view! {
                        <li class="candidate-row">
                            <button {at("type", "button")} class="candidate" data-testid="candidate"
                                data-entity=entity.key() on:click=pick>
                                <span class="client-kind">{kind_label(t, entity.kind)}</span>
                                <span class="candidate-name">{shown_name(t, &c.name)}</span>
                                {or_nothing((!details.is_empty()).then(|| view! { <span class="muted">{crate::text::join(&details, " · ")}</span> }))}
                                {or_nothing((!c.matched_numbers.is_empty()).then(|| view! {
                                    <span class="muted">{[&crate::text::join(&c.matched_numbers, ", "), " (", t.number_matched, ")"].concat()}</span>
                                }))}
                                {or_nothing(c.open_deals.filter(|n| *n > 0).map(|n| view! {
                                    <span class="muted">{[t.open_deals, ": ", &crate::text::decimal(n as u64)].concat()}</span>
                                }))}
                            </button>
                        </li>
                    }
                }).map(Erase::erase).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn ClientView(card: Arc<ClientCard>, has_others: bool, call_id: Option<String>, calling: Option<String>) -> impl IntoView {
    let t = texts();
    let handlers = Backend::handlers();
    let entity = card.entity;
    let name = shown_name(t, &card.name);
    let full_name = name.clone();
    let bound_deal = match &card.deals {
        Some(crate::crm::card::Section::Ready(d)) => d.open.iter().find(|l| l.bound).map(|l| (l.id, l.title.clone())),
        _ => None,
    };
    let path = entity.detail_path();
    let take_focus = super::heading_focus_asked();
    let about = about::probably_about(&card, (browser::now_ms() / 1000.0) as i64);
    // A new deal is the client's (and a contact's company's), titled after them.
    let company_id = card.company.as_ref().and_then(|c| c.entity).map(|e| e.id);
    let deal_title = card.name.clone();
    // A call back goes to the number that called, else the client's first phone.
    let call_back = calling.or_else(|| card.phones.first().map(|p| p.value.clone()));
    // Offered once the card's context is in: the whole card is drawn again when it comes, which
    // would drop a form the agent had started.
    let complete = !matches!(card.activities, crate::crm::card::Section::Loading);
    view! {
        <section class="client" data-testid="client" data-entity=entity.key()>
            {or_nothing(has_others.then(|| view! {
                <button {at("type", "button")} class="link-button" data-testid="back-to-matches"
                    on:click=move |_| if let Some(h) = handlers { h.ask(AgentRequest::Back) }>{t.back_to_matches}</button>
            }))}
            <div class="client-head">
                <ClientPhoto photo=card.photo.clone() name=card.name.clone()/>
                <div class="client-title">
                    <span class="client-kind" data-testid="client-kind">{kind_label(t, entity.kind)}</span>
                    {or_nothing(card.status.as_ref().map(|s| {
                        let style = s.chip_style();
                        view! { <span class="chip chip-stage" data-testid="client-status" {at("style", style)}>{s.name.clone()}</span> }
                    }))}
                    <h1 class="client-name" {at("tabindex", "-1")} use:focus=take_focus data-testid="client-heading">
                        <a data-testid="client-name" {at("href", Actions::href(&path))} {at("target", "_blank")} {at("rel", "noopener noreferrer")}
                            {at("title", full_name)} on:click=Actions::open_path(path.clone())>{name}</a>
                    </h1>
                    {or_nothing(card.post.clone().map(|post| view! { <p class="client-post" data-testid="client-post">{post}</p> }))}
                    {or_nothing(card.company.as_ref().filter(|c| !c.title.is_empty()).map(|company| match company.entity {
                        Some(e) => view! {
                            <p class="client-company">
                                <a data-testid="client-company" {at("href", Actions::href(&e.detail_path()))} {at("target", "_blank")} {at("rel", "noopener noreferrer")}
                                    on:click=Actions::open_path(e.detail_path())>{company.title.clone()}</a>
                            </p>
                        }.erase(),
                        None => view! { <p class="client-company" data-testid="client-company">{company.title.clone()}</p> }.erase(),
                    }))}
                </div>
            </div>
            <ProbablyAbout card=about entity=entity/>
            {or_nothing(complete.then(|| view! {
                <div class="next-steps-row">
                    <NewDeal client=entity company=company_id name=deal_title/>
                    <FollowUpCall client=entity deal=bound_deal.as_ref().map(|(id, _)| *id) number=call_back agent=card.agent/>
                </div>
            }))}
            <Channels card=card.clone() testid="client-phones" phones=true/>
            <Channels card=card.clone() testid="client-emails" phones=false/>
            <ResponsibleSection card=card.clone()/>
            {or_nothing(card.people.is_some().then(|| view! { <PeopleSection card=card.clone()/> }))}
            {or_nothing(card.deals.is_some().then(|| view! { <DealSection card=card.clone()/> }))}
            <ActivitySection card=card.clone()/>
            <CallSection card=card.clone()/>
            <CommentSection card=card.clone() call_id=call_id deal=bound_deal/>
        </section>
    }
}

/// The client's photo or logo where the portal has one, else their initials; also the initials
/// when the portal does not give the file (its `Access denied.` or `File not found` page is no
/// image). Decorative: the name is beside it.
#[component]
fn ClientPhoto(photo: Option<String>, name: String) -> impl IntoView {
    let failed = RwSignal::new(false);
    let letters = initials(&name);
    move || match photo.as_deref().filter(|_| !failed.get()) {
        Some(path) => view! {
            <img class="avatar avatar-photo" data-testid="client-photo" {at("src", Actions::href(path))} {at("alt", "")} {at("referrerpolicy", "no-referrer")}
                on:error=move |_| failed.set(true)/>
        }
        .erase(),
        None => view! { <div class="avatar" {at("aria-hidden", "true")} data-testid="client-initials">{letters.clone()}</div> }.erase(),
    }
}

/// Why they are probably calling (`crm::about`), each line a link to its record; nothing when
/// no rule applies.
#[component]
fn ProbablyAbout(card: Vec<Reason>, entity: EntityRef) -> impl IntoView {
    let t = texts();
    let lang = lang();
    let when = move |at: i64| browser::local_date_time(at, lang.intl_locale());
    or_nothing((!card.is_empty()).then(|| view! {
        <ul class="about" data-testid="probably-about" {at("aria-label", t.about_label)}>
            {card.into_iter().map(|reason| {
                let path = reason.record(entity).detail_path();
                let text = match &reason {
                    Reason::MissedCall { at } => t.about_missed.fill("{when}", &when(*at)),
                    Reason::Overdue { since, subject } => t.about_overdue.fill("{date}", &when(*since)).fill("{subject}", subject),
                    Reason::DealWaiting { title, stage, days, .. } => {
                        let days = t.about_days.of(lang, usize::try_from(*days).unwrap_or(usize::MAX));
                        t.about_waiting.fill("{title}", title).fill("{stage}", stage).fill("{days}", &days)
                    }
                    Reason::LastTalk { at, incoming, seconds } => {
                        let length = call_length(t, *seconds);
                        t.about_last_talk
                            .fill("{when}", &when(*at))
                            .fill("{direction}", if *incoming { t.act_call_in } else { t.act_call_out })
                            .fill("{length}", &length)
                    }
                };
                let kind = match reason {
                    Reason::MissedCall { .. } => "missed-call",
                    Reason::Overdue { .. } => "overdue",
                    Reason::DealWaiting { .. } => "deal-waiting",
                    Reason::LastTalk { .. } => "last-talk",
                };
                view! {
                    <li {at("class", if matches!(kind, "missed-call" | "overdue") { "urgent" } else { "" })} data-reason=kind>
                        <a {at("href", Actions::href(&path))} {at("target", "_blank")} {at("rel", "noopener noreferrer")} on:click=Actions::open_path(path.clone())>{text}</a>
                    </li>
                }
            }).map(Erase::erase).collect_view()}
        </ul>
    }))
}

#[component]
fn Channels(card: Arc<ClientCard>, testid: &'static str, phones: bool) -> impl IntoView {
    let t = texts();
    let items: &[Channel] = if phones { &card.phones } else { &card.emails };
    or_nothing((!items.is_empty()).then(|| {
        view! {
            <ul class="channels" data-testid=testid>
                {items
                    .iter()
                    .map(|c| {
                        let (shown, href) = if phones {
                            (phone::display(&c.value), ["tel:", &phone::digits(&c.value)].concat())
                        } else {
                            (c.value.clone(), ["mailto:", &c.value].concat())
                        };
                        let dial = phones.then(|| Actions::phone_to(c.value.clone()));
                        view! {
                            <li {at("class", if c.matched { "matched" } else { "" })} data-matched=super::flag_text(c.matched)>
                                <a class="channel-value" {at("href", href)} on:click=move |e| if let Some(d) = &dial { d(e) }>{shown}</a>
                                <span class="channel-kind">{channel_label(t, &c.kind)}</span>
                                {or_nothing(c.matched.then(|| view! { <span class="chip chip-accent">{t.number_matched}</span> }))}
                            </li>
                        }
                    })
                    .map(Erase::erase).collect_view()}
            </ul>
        }
    }))
}
