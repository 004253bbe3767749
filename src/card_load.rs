//! The card's reads. What the card shows is one signal, a [`Want`]; two local resources keyed
//! on it send its requests, and the card on screen is derived from what has arrived for the
//! current want.
//!
//! A record already known is one batch. A search by number is two batches sent together
//! (`crm::plan::Part`): the caller is shown as soon as the identity part is in, with the context
//! sections as placeholders; the whole card follows with the context part. A failed context
//! request leaves the caller standing and fails only its sections.
//!
//! Replacing the want drops the old one, and dropping a want aborts its requests
//! ([`Cancel`]): nothing waits for a card the agent moved away from. Leptos runs a resource's
//! fetches one after the other, so the aborted fetch still ends with a value; each value carries
//! its want's number, and only the current want's values make a card.

use leptos::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use web_sys::{AbortController, AbortSignal};

use crate::crm::card::{self, Caller, Candidates, Context};
use crate::crm::entity::EntityRef;
use crate::crm::plan::{Lookup, Part};
use crate::frame::client::FrameClient;
use crate::i18n::Lang;
use crate::launch::CallCardOptions;
use crate::problem::Problem;
use crate::rest::batch::{Batch, BatchReply};
use crate::rest::client::RestClient;
use crate::rest::envelope::RestError;
use crate::screen::Screen;

/// A launched call card: what every request of it needs.
#[derive(Clone)]
pub struct CardSession {
    pub rest: RestClient,
    pub options: CallCardOptions,
    /// The portal's window, inside a frame.
    pub frame: Option<FrameClient>,
}

/// What the card is asked to show.
#[derive(Clone)]
pub enum Asked {
    /// The caller the want's lookup finds; `split`: the identity and the context as two
    /// requests sent together, when the lookup is a search by number.
    Card { split: bool },
    /// Matches already known (back from a pick): no request.
    Choice(Candidates),
}

/// What the card shows: the session, what is asked, and the matches to go back to.
pub struct Want {
    /// Numbers the wants of this page, in order: a value is current when its number is.
    seq: u64,
    pub session: CardSession,
    /// How the card finds its client: the call's search, or the record picked.
    pub lookup: Lookup,
    pub asked: Asked,
    /// The other matches, when this is one picked of several.
    pub others: Candidates,
    /// Go straight to the pick remembered for this call, if the search finds several.
    pub recall: bool,
    cancel: Cancel,
}

impl Want {
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The lookup to ask the portal, if this card asks it anything.
    fn asks(&self) -> Option<&Lookup> {
        matches!(self.asked, Asked::Card { .. }).then_some(&self.lookup)
    }

    fn split(&self) -> bool {
        matches!(self.asked, Asked::Card { split: true }) && self.lookup.splits()
    }

    /// The first request: the identity part, or the whole card.
    fn first_batch(&self) -> Option<Batch> {
        let lookup = self.asks()?;
        if self.split() {
            lookup.batch_of(Part::Identity)
        } else {
            lookup.batch()
        }
    }

    /// The second request, sent with the first: the context part of a search by number.
    fn context_batch(&self) -> Option<Batch> {
        self.asks().filter(|_| self.split()).and_then(|l| l.batch_of(Part::Context))
    }
}

/// Aborts a want's requests when the want is dropped (replaced, or the card retried).
struct Cancel(Option<AbortController>);

impl Cancel {
    fn signal(&self) -> Option<AbortSignal> {
        self.0.as_ref().map(AbortController::signal)
    }
}

impl Drop for Cancel {
    fn drop(&mut self) {
        if let Some(controller) = &self.0 {
            controller.abort();
        }
    }
}

/// The card as it is on screen.
pub struct Shown {
    /// The want it was made for.
    seq: u64,
    /// Whether both its parts are in.
    pub complete: bool,
    pub screen: Screen,
}

impl Shown {
    /// The number of the want it was made for.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    fn key(&self) -> (u64, bool) {
        (self.seq, self.complete)
    }
}

/// The last want's number: never reused on the page, so that no earlier answer can pass for a
/// later one. A plain counter, not reactive state: nothing follows it (and a stored value would
/// bring its type's code into the module).
static ASKED: AtomicU64 = AtomicU64::new(0);

/// A request's answer for the want numbered `seq`; `None`: nothing was asked.
#[derive(Clone)]
pub struct Arrived {
    seq: u64,
    reply: Option<Result<BatchReply, RestError>>,
}

/// The card's reads: the want and its two requests.
#[derive(Clone, Copy)]
pub struct CardReads {
    want: RwSignal<Option<Want>, LocalStorage>,
    /// The card from what has arrived for the current want; while the want's first request is
    /// on its way, the card it replaces (`None`: nothing to show yet, or nothing wanted).
    pub card: Memo<Option<Shown>>,
}

impl CardReads {
    pub fn new(lang: RwSignal<Lang>) -> CardReads {
        let want = RwSignal::new_local(None::<Want>);
        let fetch = move |which: fn(&Want) -> Option<Batch>| {
            LocalResource::new(move || {
                let job = want.with(|w| w.as_ref().map(|w| (w.seq, w.session.rest.clone(), which(w), w.cancel.signal())));
                async move {
                    let Some((seq, rest, batch, signal)) = job else { return Arrived { seq: 0, reply: None } };
                    let Some(batch) = batch else { return Arrived { seq, reply: None } };
                    crate::browser::mark("callcard-asked");
                    Arrived { seq, reply: Some(rest.batch(&batch, signal.as_ref()).await) }
                }
            })
        };
        let first = fetch(Want::first_batch);
        let context = fetch(Want::context_batch);
        let card = Memo::new_with_compare(
            move |previous: Option<&Option<Shown>>| {
                want.with(|w| {
                    let w = w.as_ref()?;
                    let arrived = first.with(|first| {
                        let first = first.as_ref().filter(|a| a.seq == w.seq)?;
                        context.with(|context| caller(w, first, context.as_ref().filter(|a| a.seq == w.seq)))
                    });
                    let Some((read, complete)) = arrived else {
                        // The card on screen stays while the next one loads.
                        let previous = previous.and_then(Option::as_ref).filter(|p| matches!(p.screen, Screen::Card { .. }))?;
                        return Some(Shown { seq: previous.seq, complete: previous.complete, screen: previous.screen.card_copy() });
                    };
                    let screen = match read {
                        Ok(caller) => Screen::Card { call: w.session.options.clone(), caller, others: w.others.clone() },
                        Err(problem) => Screen::Failed(problem(lang.get().texts())),
                    };
                    Some(Shown { seq: w.seq, complete, screen })
                })
            },
            // A card is new when its want or its completeness is: comparing whole cards would
            // cost more code than it saves, and the card kept while the next loads is no change.
            |old, new| old.map(|o| o.as_ref().map(Shown::key)) != new.map(|n| n.as_ref().map(Shown::key)),
        );
        CardReads { want, card }
    }

    /// Shows `asked` next: its requests leave now, the previous want's are aborted.
    pub fn ask(&self, session: CardSession, lookup: Lookup, asked: Asked, others: Candidates, recall: bool) -> u64 {
        let seq = ASKED.fetch_add(1, Ordering::Relaxed) + 1;
        let cancel = Cancel(AbortController::new().ok());
        self.want.set(Some(Want { seq, session, lookup, asked, others, recall, cancel }));
        seq
    }

    /// The card of one record of this call (picked, created, linked, reloaded): one batch.
    pub fn show_record(&self, entity: EntityRef, others: Candidates) {
        let next = self.with_want(|w| w.map(|w| (w.session.clone(), w.lookup.picked(entity))));
        if let Some((session, lookup)) = next {
            self.ask(session, lookup, Asked::Card { split: false }, others, false);
        }
    }

    /// Nothing wanted: the card's requests are aborted (a retry starts again from the launch).
    pub fn clear(&self) {
        self.want.set(None);
    }

    /// Reads the current want without tracking it.
    pub fn with_want<R>(&self, f: impl FnOnce(Option<&Want>) -> R) -> R {
        self.want.with_untracked(|w| f(w.as_ref()))
    }

    /// Whether the current want's first request is still on its way (tracked).
    pub fn waiting(&self) -> bool {
        let current = self.want.with(|w| w.as_ref().map(|w| w.seq));
        current.is_some() && self.card.with(|c| c.as_ref().map(|s| s.seq) != current)
    }
}

/// Why a card could not be read, explained in the agent's language once it is known.
type Failure = Box<dyn Fn(&crate::i18n::Texts) -> Problem>;

/// The caller from what has arrived for `want`, and whether the card is complete; `None`
/// while the first request is awaited (also when the context part came first).
fn caller(want: &Want, first: &Arrived, context: Option<&Arrived>) -> Option<(Result<Caller, Failure>, bool)> {
    if let Asked::Choice(list) = &want.asked {
        return Some((Ok(Caller::Several(list.clone())), true));
    }
    let lookup = &want.lookup;
    let identity = match &first.reply {
        None => return Some((Ok(Caller::NoNumber), true)),
        Some(Err(e)) => return Some((Err(rest_failure(e.clone())), true)),
        Some(Ok(reply)) => reply,
    };
    if !want.split() {
        return Some((read(lookup, identity, Context::Here), true));
    }
    Some(match context.and_then(|c| c.reply.as_ref()) {
        None => {
            let first = read(lookup, identity, Context::Pending);
            // Only a card or a choice has sections to complete.
            let more = matches!(first, Ok(Caller::Known(_) | Caller::Several(_)));
            (first, !more)
        }
        Some(Ok(context)) => (read(lookup, identity, Context::Apart(context)), true),
        Some(Err(e)) => (read(lookup, identity, Context::Failed(e)), true),
    })
}

fn read(lookup: &Lookup, reply: &BatchReply, context: Context) -> Result<Caller, Failure> {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    card::read_parts(lookup, reply, context, now).map_err(|e| Box::new(move |t: &crate::i18n::Texts| Problem::card(t, &e)) as Failure)
}

fn rest_failure(e: RestError) -> Failure {
    Box::new(move |t: &crate::i18n::Texts| Problem::rest(t, &e))
}
