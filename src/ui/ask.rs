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

/// One of a view's requests, answered with an `Out`: a typed face on [`Untyped`].
pub struct Ask<Out> {
    untyped: Untyped,
    out: PhantomData<fn() -> Out>,
}

impl<Out> Clone for Ask<Out> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Out> Copy for Ask<Out> {}

impl<Out: 'static> Ask<Out> {
    pub fn new() -> Self {
        Ask { untyped: Untyped::new(), out: PhantomData }
    }

    /// Starts `request`, unless one is under way: a request runs once however often the agent
    /// asks for it.
    pub fn run<Fut>(&self, request: impl Fn() -> Fut + 'static)
    where
        Fut: Future<Output = Result<Out, Problem>> + 'static,
    {
        self.untyped.start(Rc::new(move || {
            let answer = request();
            Box::pin(async move { answer.await.map(|out| Rc::new(out) as Rc<dyn Any>) })
        }));
    }

    /// Whether a request is under way (tracked).
    pub fn pending(&self) -> Memo<bool> {
        self.untyped.pending
    }

    /// The last request's outcome (tracked): `None` before the first one and after
    /// [`Ask::forget`]. The answer is shared, not copied: each reader reads it where it is.
    pub fn outcome(&self) -> Option<Result<Rc<Out>, Problem>> {
        match self.untyped.answer()? {
            Ok(out) => out.downcast::<Out>().ok().map(Ok),
            Err(problem) => Some(Err(problem)),
        }
    }

    /// Why the last request failed, once nothing runs (tracked).
    pub fn failure(&self) -> Option<Problem> {
        self.untyped.failure()
    }

    /// Lets the last outcome go (a new search leaves an earlier link's failure behind).
    pub fn forget(&self) {
        self.untyped.action.clear();
    }
}

/// What every `Ask` is, whatever its output: the action and its pending state. Whatever does
/// not need the output's type is here, compiled once.
#[derive(Clone, Copy)]
struct Untyped {
    action: Action<Request, Answer>,
    /// Made once: each call of `Action::pending` makes a new memo.
    pending: Memo<bool>,
    /// Made once too: each call of `Action::value` stores a new signal with the view.
    value: MappedSignal<Option<Answer>>,
}

impl Untyped {
    fn new() -> Untyped {
        let action = Action::new_local(|request: &Request| request());
        Untyped { action, pending: action.pending(), value: action.value() }
    }

    fn start(&self, request: Request) {
        if !self.pending.get_untracked() {
            self.action.dispatch_local(request);
        }
    }

    fn answer(&self) -> Option<Answer> {
        self.value.get()
    }

    fn failure(&self) -> Option<Problem> {
        if self.pending.get() {
            return None;
        }
        self.answer()?.err()
    }
}
