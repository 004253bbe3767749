//! Loading a card from the portal and reading it into a caller.
//!
//! A record already known is one batch. A search by number is two batches sent together
//! (`crm::plan::Part`): whichever comes first, the caller is shown as soon as the identity part
//! is in, with the context sections as placeholders; the whole card follows with the context
//! part. A failed context request leaves the caller standing and fails only its sections.

use futures::future::{select, Either, FutureExt, LocalBoxFuture};
use web_sys::AbortSignal;

use crate::crm::card::{self, Caller, Context};
use crate::crm::plan::{Lookup, Part};
use crate::i18n::Texts;
use crate::rest::batch::BatchReply;
use crate::rest::client::RestClient;
use crate::rest::envelope::RestError;
use crate::problem::Problem;

/// Why a card could not be read, explained in the agent's language once it is known.
pub type Failure = Box<dyn Fn(&Texts) -> Problem>;

/// A caller read from the portal, or why not.
pub type Read = Result<Caller, Failure>;

/// A card as it loads.
pub struct CardLoad {
    /// What to show as soon as the caller is known.
    pub first: Read,
    /// The whole card, when its context part is still on its way after `first`.
    pub rest: Option<LocalBoxFuture<'static, Read>>,
}

/// Loads the card `lookup` asks for; `abort` cancels its requests when the card moves on.
pub async fn load(rest: &RestClient, lookup: &Lookup, abort: Option<AbortSignal>) -> CardLoad {
    crate::browser::mark("callcard-asked");
    let parts = lookup.batch_of(Part::Identity).zip(lookup.batch_of(Part::Context)).filter(|_| lookup.splits());
    let Some((identity, context)) = parts else {
        return CardLoad { first: whole(rest, lookup, abort.as_ref()).await, rest: None };
    };
    let send = |batch: crate::rest::batch::Batch| {
        let (rest, abort) = (rest.clone(), abort.clone());
        async move { rest.batch(&batch, abort.as_ref()).await }.boxed_local()
    };
    match select(send(identity), send(context)).await {
        Either::Left((Err(e), _)) => CardLoad { first: Err(rest_failure(e)), rest: None },
        Either::Left((Ok(identity), context)) => {
            let first = read(lookup, &identity, Context::Pending);
            // Only a card or a choice has sections to complete.
            let more = matches!(first, Ok(Caller::Known(_) | Caller::Several(_)));
            let lookup = lookup.clone();
            let rest = more.then(|| async move { complete(&lookup, identity, context.await) }.boxed_local());
            CardLoad { first, rest }
        }
        Either::Right((context, identity)) => match identity.await {
            Ok(identity) => CardLoad { first: complete(lookup, identity, context), rest: None },
            Err(e) => CardLoad { first: Err(rest_failure(e)), rest: None },
        },
    }
}

/// The whole card in one batch.
pub async fn whole(rest: &RestClient, lookup: &Lookup, abort: Option<&AbortSignal>) -> Read {
    let Some(batch) = lookup.batch() else { return Ok(Caller::NoNumber) };
    let reply = rest.batch(&batch, abort).await.map_err(rest_failure)?;
    read(lookup, &reply, Context::Here)
}

/// Both parts read together; a failed context request fails its sections only.
fn complete(lookup: &Lookup, identity: BatchReply, context: Result<BatchReply, RestError>) -> Read {
    match context {
        Ok(context) => read(lookup, &identity.merge(context), Context::Here),
        Err(e) => read(lookup, &identity, Context::Failed(&e)),
    }
}

fn read(lookup: &Lookup, reply: &BatchReply, context: Context) -> Read {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    card::read_parts(lookup, reply, context, now).map_err(|e| Box::new(move |t: &Texts| Problem::card(t, &e)) as Failure)
}

fn rest_failure(e: RestError) -> Failure {
    Box::new(move |t: &Texts| Problem::rest(t, &e))
}
