//! A view's request to the portal (save a comment, create a client, search…) as a Leptos
//! [`Action`]: its pending state, its last outcome, one run at a time.
//!
//! Leptos compiles its action code once per input and output type, about 2 KB of the module for
//! each. So every view's action has the same two types underneath: the request the view starts,
//! and its answer held as `dyn Any`. [`Ask<Out>`] gives each view back its own output type.

use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::rc::Rc;

use crate::problem::Problem;

/// A request as the view starts it.
type Request = Rc<dyn Fn() -> LocalBoxFuture<'static, Answer>>;
/// Its answer: the view's output type, or why it failed.
type Answer = Result<Rc<dyn Any>, Problem>;

/// One of a view's requests, answered with an `Out`.
pub struct Ask<Out> {
    action: Action<Request, Answer>,
    /// Made once: each call of `Action::pending` makes a new memo.
    pending: Memo<bool>,
    out: PhantomData<fn() -> Out>,
}

impl<Out> Clone for Ask<Out> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Out> Copy for Ask<Out> {}

impl<Out: Clone + 'static> Ask<Out> {
    pub fn new() -> Self {
        let action = Action::new_local(|request: &Request| request());
        Ask { action, pending: action.pending(), out: PhantomData }
    }

    /// Starts `request`, unless one is under way: a request runs once however often the agent
    /// asks for it.
    pub fn run<Fut>(&self, request: impl Fn() -> Fut + 'static)
    where
        Fut: Future<Output = Result<Out, Problem>> + 'static,
    {
        if self.pending.get_untracked() {
            return;
        }
        let request: Request = Rc::new(move || {
            let answer = request();
            Box::pin(async move { answer.await.map(|out| Rc::new(out) as Rc<dyn Any>) })
        });
        self.action.dispatch_local(request);
    }

    /// Whether a request is under way (tracked).
    pub fn pending(&self) -> Memo<bool> {
        self.pending
    }

    /// The last request's outcome (tracked): `None` before the first one and after
    /// [`Ask::forget`].
    pub fn outcome(&self) -> Option<Result<Out, Problem>> {
        self.action.value().with(|answer| match answer.as_ref()? {
            Ok(out) => out.downcast_ref::<Out>().cloned().map(Ok),
            Err(problem) => Some(Err(problem.clone())),
        })
    }

    /// Why the last request failed, once nothing runs (tracked).
    pub fn failure(&self) -> Option<Problem> {
        if self.pending.get() {
            return None;
        }
        self.outcome().and_then(Result::err)
    }

    /// Lets the last outcome go (a new search leaves an earlier link's failure behind).
    pub fn forget(&self) {
        self.action.clear();
    }
}
