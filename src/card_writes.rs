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
                let (record, addition) = match write {
                    Write::Add(record, addition) => (record, addition),
                    Write::Client(choice) => {
                        let entity = match choice {
                            ClientChoice::New(kind, form) => {
                                let method = format!("crm.{}.add", kind.method_name());
                                let id = add(&s, t, &method, form.fields(kind)).await?;
                                live.notice.set((if kind == EntityKind::Lead { t.lead_created } else { t.contact_created }).to_string());
                                EntityRef { kind, id }
                            }
                            ClientChoice::Existing { entity, add_number } => {
                                if let Some(number) = s.options.phone_number.clone().filter(|_| add_number) {
                                    let (method, params) = link::add_phone(entity, &number);
                                    ask(&s, t, &method, &params).await?;
                                    live.notice.set(t.number_added.to_string());
                                }
                                entity
                            }
                        };
                        // The client's card, its heading taking the keyboard focus.
                        live.focus_heading.set(true);
                        reads.show_record(entity, Default::default());
                        return Ok(entity.id);
                    }
                };
                let deal = matches!(addition, Addition::Deal { .. });
                let (method, fields, done) = match addition {
                    // A comment is shown where it was typed: no notice, no card again.
                    Addition::Comment(text) => {
                        let fields = json!({ "ENTITY_ID": record.id, "ENTITY_TYPE": record.kind.method_name(), "COMMENT": text });
                        return Ok(ask(&s, t, "crm.timeline.comment.add", &one("fields", fields)).await?.unwrap_or(0));
                    }
                    Addition::Deal { company, title } => {
                        let fields = new_deal::fields(record, company, &title).ok_or_else(|| Problem::card(t, &CardError::Shape(Shape::NoDealForKind)))?;
                        ("crm.deal.add", fields, t.deal_created)
                    }
                    Addition::FollowUp(fields) => ("crm.activity.add", fields, t.follow_up_done),
                };
                let id = add(&s, t, method, fields).await?;
                live.notice.set(done.to_string());
                // The card shows it (among the open deals, or among what is due); a deal also
                // opens in the portal's slider.
                show_again(reads, record);
                if let Some(open) = open.as_ref().filter(|_| deal) {
                    open(EntityRef { kind: EntityKind::Deal, id }.detail_path());
                }
                Ok(id)
            })
        }),
        hold: AutoCloseHold::new(frame),
        handlers,
    }
}

/// One write: `method` with `params`, its result read as the id of what it made (a comment, a
/// record, an activity), or the failure in the agent's words `t`. One function rather than one
/// per write, so that its code is in the module once.
async fn ask(session: &CardSession, t: &'static Texts, method: &str, params: &json::Value) -> Result<Option<u64>, Problem> {
    let answer = session.rest.call(method, params).await.map_err(|e| Problem::rest_for(t, &e, method))?;
    Ok(crate::portal::id(Some(&answer.result)))
}

/// A record made by `method` (`crm.<kind>.add`, `crm.deal.add`, `crm.activity.add`) with
/// `fields`: its id; a success without one is a reply of the wrong shape.
async fn add(session: &CardSession, t: &'static Texts, method: &str, fields: json::Value) -> Result<u64, Problem> {
    let id = ask(session, t, method, &one("fields", fields)).await?;
    id.ok_or_else(|| Problem::card(t, &CardError::Shape(Shape::NoNewId)))
}

/// The client's card loaded again after a write, with the other matches the agent can go back to.
fn show_again(reads: CardReads, client: EntityRef) {
    let others = reads.with_want(|w| w.map(|w| w.others.clone())).unwrap_or_default();
    reads.show_record(client, others);
}
