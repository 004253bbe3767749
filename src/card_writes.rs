//! The card's writes, as the views ask them ([`Backend`]): a comment, a new contact or lead,
//! the search for an existing record and the link to it, a new deal, a follow-up call; every
//! write is one request of the backend (`Backend::write`), the search the other. Each view runs
//! them as a Leptos action with its own pending and error state; a write that changes the
//! client shows its card.

use leptos::prelude::*;
use crate::json;
use std::rc::Rc;

use crate::card_load::{CardReads, CardSession};
use crate::crm::card::{CardError, Shape};
use crate::crm::entity::{EntityKind, EntityRef};
use crate::crm::link;
use crate::crm::new_deal;
use crate::frame::client::FrameClient;
use crate::i18n::Texts;
use crate::launch::LaunchError;
use crate::live::AutoCloseHold;
use crate::problem::Problem;
use crate::rest::batch::one;
use crate::ui::{Actions, Addition, Backend, ClientChoice, Handlers, Live, Write};

/// The writes of the card `reads` shows, in the agent's language; `handlers` answers the
/// agent's requests of the card itself.
pub fn backend(reads: CardReads, live: Live, frame: Option<FrameClient>, handlers: Handlers) -> Backend {
    // The session and the words, read when the write starts.
    let open = Actions::opener();
    let begin = move || -> (&'static Texts, Result<CardSession, Problem>) {
        let t = live.lang.get_untracked().texts();
        let session = reads.with_want(|w| w.map(|w| w.session.clone()));
        (t, session.ok_or_else(|| Problem::launch(t, &LaunchError::NoLaunchData)))
    };
    Backend {
        search: Rc::new(move |query: String| {
            let (t, session) = begin();
            Box::pin(async move {
                let s = session?;
                let Some(batch) = link::search_batch(&query) else { return Ok(Vec::new()) };
                let reply = s.rest.batch(&batch, None).await.map_err(|e| Problem::rest_for(t, &e, "crm"))?;
                Ok(link::read_hits(&query, &reply))
            })
        }),
        write: Rc::new(move |write: Write| {
            let (t, session) = begin();
            let open = open.clone();
            Box::pin(async move {
                let s = session?;
                // What to ask the portal (nothing, for a record linked as it is) and what follows
                // its answer: one request in the code, so that its waiting is compiled once.
                let (request, then) = match write {
                    Write::Client(ClientChoice::New(kind, form)) => {
                        let notice = if kind == EntityKind::Lead { t.lead_created } else { t.contact_created };
                        (Some((["crm.", kind.method_name(), ".add"].concat(), one("fields", form.fields(kind)))), Then::Client { kind, existing: None, notice })
                    }
                    Write::Client(ClientChoice::Existing { entity, add_number }) => {
                        let number = s.options.phone_number.as_deref().filter(|_| add_number);
                        (number.map(|n| link::add_phone(entity, n)), Then::Client { kind: entity.kind, existing: Some(entity.id), notice: t.number_added })
                    }
                    // A comment is shown where it was typed: no notice, no card again.
                    Write::Add(record, Addition::Comment(text)) => {
                        let fields = json!({ "ENTITY_ID": record.id, "ENTITY_TYPE": record.kind.method_name(), "COMMENT": text });
                        (Some(("crm.timeline.comment.add".to_string(), one("fields", fields))), Then::Comment)
                    }
                    Write::Add(record, Addition::Deal { company, title }) => {
                        let fields = new_deal::fields(record, company, &title).ok_or_else(|| Problem::card(t, &CardError::Shape(Shape::NoDealForKind)))?;
                        (Some(("crm.deal.add".to_string(), one("fields", fields))), Then::Added { record, notice: t.deal_created, open_deal: true })
                    }
                    Write::Add(record, Addition::FollowUp(fields)) => {
                        (Some(("crm.activity.add".to_string(), one("fields", fields))), Then::Added { record, notice: t.follow_up_done, open_deal: false })
                    }
                };
                let answered = match &request {
                    Some((method, params)) => {
                        let answer = s.rest.call(method, params).await.map_err(|e| Problem::rest_for(t, &e, method))?;
                        crate::portal::id(Some(&answer.result))
                    }
                    None => None,
                };
                // A record made must have an id; a success without one is a reply of the wrong shape.
                let made = || answered.ok_or_else(|| Problem::card(t, &CardError::Shape(Shape::NoNewId)));
                match then {
                    Then::Comment => Ok(answered.unwrap_or(0)),
                    Then::Client { kind, existing, notice } => {
                        let id = match existing {
                            Some(id) => id,
                            None => made()?,
                        };
                        if request.is_some() {
                            live.notice.set(notice.to_string());
                        }
                        // The client's card, its heading taking the keyboard focus.
                        live.focus_heading.set(true);
                        reads.show_record(EntityRef { kind, id }, Default::default());
                        Ok(id)
                    }
                    Then::Added { record, notice, open_deal } => {
                        let id = made()?;
                        live.notice.set(notice.to_string());
                        // The card shows it (among the open deals, or among what is due); a deal
                        // also opens in the portal's slider.
                        show_again(reads, record);
                        if let Some(open) = open.as_ref().filter(|_| open_deal) {
                            open(EntityRef { kind: EntityKind::Deal, id }.detail_path());
                        }
                        Ok(id)
                    }
                }
            })
        }),
        hold: AutoCloseHold::new(frame),
        handlers,
    }
}

/// What follows a write's answer.
enum Then {
    /// The client's card shows: a new one (its id the answer's) or an `existing` one, with the
    /// `notice` to give when the portal was asked something.
    Client { kind: EntityKind, existing: Option<u64>, notice: &'static str },
    /// A comment: its id, when the portal gave one.
    Comment,
    /// A deal or a follow-up added to `record`, said by `notice`; a deal opens in the portal's
    /// slider (`open_deal`).
    Added { record: EntityRef, notice: &'static str, open_deal: bool },
}

/// The client's card loaded again after a write, with the other matches the agent can go back to.
fn show_again(reads: CardReads, client: EntityRef) {
    let others = reads.with_want(|w| w.map(|w| w.others.clone())).unwrap_or_default();
    reads.show_record(client, others);
}
