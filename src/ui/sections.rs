//! The card's sections, each loaded on its own: a failed one says why and offers a retry while
//! the rest of the card stands.

use leptos::prelude::*;

use super::actions::Actions;
use super::composer::Composer;
use super::{Erase, at, initials, lang, or_nothing, shown_name, texts, AgentRequest, Backend};
use crate::browser::local_date_time;
use std::sync::Arc;

use crate::crm::card::{unix_time, ActivityKind, ActivityLine, CallLine, ClientCard, CommentLine, Deals, People, Person, Section};
use crate::crm::entity::{EntityKind, EntityRef};
use crate::i18n::{format_date, format_money, Texts};
use crate::rest::envelope::RestError;
use crate::problem::Problem;
use crate::text::Fill;

/// A section's frame: title, and either its content or what went wrong with a retry. The
/// content is drawn first, so that the frame's own view is compiled once for every section
/// rather than once for each section's content type. Each section reads the client's card
/// where it is, shared by the card's view, rather than a copy of its part.
fn section_frame<T>(
    name: &'static str,
    title: &'static str,
    section: &Section<T>,
    entity: EntityRef,
    aside: Option<String>,
    render: impl FnOnce(&T) -> AnyView,
) -> AnyView {
    let drawn = match section {
        Section::Ready(value) => Section::Ready(render(value)),
        Section::Loading => Section::Loading,
        Section::Failed(error) => Section::Failed(error.clone()),
    };
    frame(name, title, drawn, entity, aside)
}

fn frame(name: &'static str, title: &'static str, section: Section<AnyView>, entity: EntityRef, aside: Option<String>) -> AnyView {
    let t = texts();
    let handlers = Backend::handlers();
    let loading = matches!(section, Section::Loading);
    view! {
        <section {at("aria-busy", if loading { "true" } else { "false" })} class="section" data-testid=name>
            <h2>{title}{or_nothing(aside.map(|a| view! { <span class="section-aside" data-testid=[name, "-summary"].concat()>{a}</span> }))}</h2>
            {match section {
                Section::Ready(content) => content,
                // The card's second request is on its way: lines where the content will be, so
                // that nothing below moves much when it comes.
                Section::Loading => view! {
                    <div class="section-loading" data-testid="section-loading">
                        <span class="placeholder-line"></span>
                        <span class="placeholder-line"></span>
                        <span class="placeholder-line short"></span>
                    </div>
                }.erase(),
                Section::Failed(error) => {
                    // The responsible person comes from the users, every other section from the CRM.
                    let method = if name == "responsible" { "user.get" } else { "crm" };
                    let problem = match &error {
                        RestError::Api { error, .. } => Problem::api_for(t, error, Some(method)),
                        // The whole request that carried the section failed.
                        other => Problem::rest_for(t, other, method),
                    };
                    view! {
                        <div class="section-error" data-testid="section-error" data-section=name data-problem=problem.code.as_str() {at("role", "alert")}>
                            <p data-testid="section-error-title"><strong>{t.section_failed}</strong>" — "{problem.title}</p>
                            <p class="muted">{problem.advice}</p>
                            <super::status::Technical text=problem.technical/>
                            <button {at("type", "button")} data-testid="section-retry"
                                on:click=move |_| if let Some(h) = handlers { h.ask(AgentRequest::Reload(entity)) }>{t.retry}</button>
                        </div>
                    }.erase()
                }
            }}
        </section>
    }
    .erase()
}

#[component]
pub fn ResponsibleSection(card: Arc<ClientCard>) -> impl IntoView {
    let t = texts();
    let visible = !matches!(card.responsible, Section::Ready(None));
    or_nothing(visible.then(|| {
        section_frame("responsible", t.responsible, &card.responsible, card.entity, None, |person: &Option<Person>| {
            or_nothing(person.as_ref().map(|p| {
                let path = ["/company/personal/user/", &crate::text::decimal(p.id), "/"].concat();
                view! {
                    <div class="person">
                        {match p.photo.clone() {
                            Some(src) => view! { <img class="avatar avatar-small" {at("src", src)} {at("alt", "")} {at("referrerpolicy", "no-referrer")}/> }.erase(),
                            None => view! { <div class="avatar avatar-small" {at("aria-hidden", "true")}>{initials(&p.name)}</div> }.erase(),
                        }}
                        <div class="person-name">
                            <a data-testid="responsible-name" {at("href", Actions::href(&path))} {at("target", "_blank")} {at("rel", "noopener noreferrer")}
                                on:click=Actions::open_path(path.clone())>{p.name.clone()}</a>
                            {or_nothing(p.position.clone().map(|pos| view! { <p class="muted" data-testid="responsible-position">{pos}</p> }))}
                        </div>
                    </div>
                }
            }))
        })
    }))
}

/// A company's people: the most recently active few, each opening their record, and "all N"
/// opening the company when there are more.
#[component]
pub fn PeopleSection(card: Arc<ClientCard>) -> impl IntoView {
    let t = texts();
    let entity = card.entity;
    let Some(section) = &card.people else { return ().into_any() };
    section_frame("people", t.people, section, entity, None, move |people: &People| {
        if people.shown.is_empty() {
            return view! { <p class="muted">{t.no_people}</p> }.erase();
        }
        let more = (people.total > people.shown.len()).then(|| {
            let path = entity.detail_path();
            view! {
                <a class="link" data-testid="company-contacts-all" {at("href", Actions::href(&path))} {at("target", "_blank")} {at("rel", "noopener noreferrer")}
                    on:click=Actions::open_path(path.clone())>{t.all_people.fill("{n}", &crate::text::decimal(people.total as u64))}</a>
            }
        });
        view! {
            <ul class="people" data-testid="company-contacts">
                {people.shown.iter().map(|p| {
                    let path = EntityRef { kind: EntityKind::Contact, id: p.id }.detail_path();
                    let name = shown_name(t, &p.name);
                    view! {
                        <li data-testid="company-contact">
                            <a {at("href", Actions::href(&path))} {at("target", "_blank")} {at("rel", "noopener noreferrer")}
                                on:click=Actions::open_path(path.clone())>{name}</a>
                            {or_nothing(p.post.clone().map(|post| view! { <span class="muted">{post}</span> }))}
                            {or_nothing(p.phone.clone().map(|number| view! {
                                <a class="channel-value" {at("href", ["tel:", number.as_str()].concat())} on:click=Actions::phone_to(number.clone())>{number.clone()}</a>
                            }))}
                        </li>
                    }
                }).map(Erase::erase).collect_view()}
            </ul>
            {or_nothing(more)}
        }.erase()
    })
}

#[component]
pub fn DealSection(card: Arc<ClientCard>) -> impl IntoView {
    let (t, lang) = (texts(), lang());
    let Some(section) = &card.deals else { return ().into_any() };
    // Counted words take the form of their count: "1 успешная · 5 проваленных".
    let aside = match section {
        Section::Ready(d) if d.won + d.lost > 0 => {
            Some([t.won.of(lang, d.won), " · ".to_string(), t.lost.of(lang, d.lost)].concat())
        }
        _ => None,
    };
    section_frame("deals", t.open_deals, section, card.entity, aside, move |deals: &Deals| {
            if deals.open.is_empty() {
                return view! { <p class="muted">{t.no_open_deals}</p> }.erase();
            }
            view! {
                <ul class="deals">
                    {deals.open.iter().map(|d| {
                        let path = EntityRef { kind: EntityKind::Deal, id: d.id }.detail_path();
                        let amount = d.amount.as_deref().and_then(|a| format_money(lang, a, &d.currency));
                        let style = d.stage.chip_style();
                        view! {
                            <li data-testid="deal" data-bound=super::flag_text(d.bound)>
                                <a class="deal-title" {at("href", Actions::href(&path))} {at("target", "_blank")} {at("rel", "noopener noreferrer")}
                                    on:click=Actions::open_path(path.clone())>{d.title.clone()}</a>
                                {or_nothing(d.bound.then(|| view! { <span class="chip chip-accent">{t.bound_deal}</span> }))}
                                <span class="chip chip-stage" data-testid="deal-stage" {at("style", style)}>{d.stage.name.clone()}</span>
                                {or_nothing(amount.map(|a| view! { <span class="deal-amount" data-testid="deal-amount">{a}</span> }))}
                            </li>
                        }
                    }).map(Erase::erase).collect_view()}
                </ul>
            }.erase()
    })
}

fn activity_label(t: &Texts, a: &ActivityLine) -> &'static str {
    match (a.kind, a.incoming) {
        (ActivityKind::Call, Some(false)) => t.act_call_out,
        (ActivityKind::Call, _) => t.act_call_in,
        (ActivityKind::Email, _) => t.act_email,
        (ActivityKind::Meeting, _) => t.act_meeting,
        (ActivityKind::Task, _) => t.act_task,
        (ActivityKind::Other, _) => t.act_other,
    }
}

#[component]
pub fn ActivitySection(card: Arc<ClientCard>) -> impl IntoView {
    let t = texts();
    let lang = lang();
    section_frame("activities", t.activity, &card.activities, card.entity, None, move |list: &Vec<ActivityLine>| {
            if list.is_empty() {
                return view! { <p class="muted">{t.no_activity}</p> }.erase();
            }
            view! {
                <ul class="activities">
                    {list.iter().map(|a| {
                        // Open: when it is due; completed: when it ended (and a call, how long).
                        let when = match (a.open, a.due, a.ended) {
                            (true, Some(due), _) => Some(("activity-due", t.due.fill("{date}", &local_date_time(due, lang.intl_locale())))),
                            (false, _, Some(ended)) => Some(("activity-done", t.done.fill("{date}", &local_date_time(ended, lang.intl_locale())))),
                            _ => None,
                        };
                        let length = a.minutes.map(|m| t.minutes.fill("{n}", &crate::text::signed(m)));
                        view! {
                            <li data-testid="activity" {at("class", if a.overdue { "overdue" } else if !a.open { "done" } else { "" })}
                                data-overdue=super::flag_text(a.overdue) data-open=super::flag_text(a.open)>
                                <span class="activity-kind">{activity_label(t, a)}</span>
                                <span class="activity-subject">{a.subject.clone()}</span>
                                {or_nothing(when.map(|(testid, text)| view! { <span class="muted activity-when" data-testid=testid>{text}</span> }))}
                                {or_nothing(length.map(|l| view! { <span class="muted" data-testid="activity-length">{l}</span> }))}
                                {or_nothing(a.overdue.then(|| view! { <span class="chip chip-danger">{t.overdue}</span> }))}
                            </li>
                        }
                    }).map(Erase::erase).collect_view()}
                </ul>
            }.erase()
    })
}

/// A call's length as the agent reads it: seconds under a minute, else whole minutes rounded up.
pub(crate) fn call_length(t: &Texts, seconds: i64) -> String {
    if seconds < 60 {
        t.seconds.fill("{n}", &crate::text::signed(seconds))
    } else {
        t.minutes.fill("{n}", &crate::text::signed((seconds + 59) / 60))
    }
}

/// The last calls with the client, newest first: direction, when, how long, and whether
/// anyone answered (a missed call from them stands out).
#[component]
pub fn CallSection(card: Arc<ClientCard>) -> impl IntoView {
    let t = texts();
    let lang = lang();
    section_frame("call-history", t.call_history, &card.calls, card.entity, None, move |list: &Vec<CallLine>| {
        if list.is_empty() {
            return view! { <p class="muted">{t.no_calls}</p> }.erase();
        }
        view! {
            <ul class="calls">
                {list.iter().map(|c| {
                    let length = c.answered().then(|| call_length(t, c.seconds));
                    let unanswered = (!c.answered()).then(|| if c.missed() { t.call_missed } else { t.call_unanswered });
                    view! {
                        <li data-testid="past-call" data-missed=super::flag_text(c.missed()) data-answered=super::flag_text(c.answered()) {at("class", if c.missed() { "missed" } else { "" })}>
                            <span class="activity-kind">{if c.incoming { t.act_call_in } else { t.act_call_out }}</span>
                            <span class="muted" data-testid="call-when">{local_date_time(c.at, lang.intl_locale())}</span>
                            {or_nothing(length.map(|l| view! { <span class="muted" data-testid="call-length">{l}</span> }))}
                            {or_nothing(unanswered.map(|u| view! { <span class=if c.missed() { "chip chip-danger" } else { "chip" } data-testid="call-unanswered">{u}</span> }))}
                        </li>
                    }
                }).map(Erase::erase).collect_view()}
            </ul>
        }.erase()
    })
}

fn comment_item(lang: crate::i18n::Lang, c: &CommentLine) -> AnyView {
    let t = lang.texts();
    let when = unix_time(&c.date).map(|at| local_date_time(at, lang.intl_locale())).or_else(|| format_date(lang, &c.date));
    view! {
        <li data-testid="comment">
            <p class="comment-text" {at("title", c.text.clone())}>{c.text.clone()}</p>
            <span class="muted">
                {or_nothing(c.author.as_ref().map(|name| view! { <span data-testid="comment-author">{t.written_by.fill("{author}", name)}</span>" · " }))}
                <span data-testid="comment-time">{when.unwrap_or_default()}</span>
            </span>
        </li>
    }
    .erase()
}

/// The comment box, then the comments: the ones saved here first, then the timeline's.
#[component]
pub fn CommentSection(
    card: Arc<ClientCard>,
    call_id: Option<String>,
    deal: Option<(u64, String)>,
) -> impl IntoView {
    let t = texts();
    let lang = lang();
    let added = RwSignal::new(Vec::<CommentLine>::new());
    let entity = card.entity;
    section_frame("comments", t.comments, &card.comments, entity, None, move |list: &Vec<CommentLine>| {
        let empty = list.is_empty();
        view! {
            <Composer entity=entity call_id=call_id deal=deal saved=added/>
            {move || or_nothing((empty && added.with(Vec::is_empty)).then(|| view! { <p class="muted">{t.no_comments}</p> }))}
            <ul class="comments">
                {move || added.with(|added| added.iter().map(|c| comment_item(lang, c)).map(Erase::erase).collect_view()).into_any()}
                {list.iter().map(|c| comment_item(lang, c)).map(Erase::erase).collect_view()}
            </ul>
        }
        .erase()
    })
}
