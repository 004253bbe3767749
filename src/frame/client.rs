//! The browser side of the frame protocol: sends commands to the portal window and routes its
//! replies back to the awaiting request.
//!
//! Every request has its own timeout: the portal answers nothing for unknown or denied commands
//! and nothing at all when the origin or APP_SID is wrong. Messages are accepted only as strings,
//! only from the portal's origin, and only for a callback we are waiting on; pending callbacks are
//! removed on reply or timeout, so the map cannot grow without bound.

use js_sys::{Function, Math, Promise};
use crate::json::Value;
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Window};

use super::message;
use super::{Command, Event};
use crate::launch::FrameName;

/// Why a frame request failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrameError {
    /// No reply in time: the command is unknown or denied here, or the portal is busy.
    Timeout { command: Command },
    /// The reply was not JSON.
    Unreadable { command: Command },
    /// The message could not be posted (no parent window).
    Unavailable,
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Timeout { command } => write!(f, "the portal did not answer {}", command.name()),
            FrameError::Unreadable { command } => write!(f, "the portal's answer to {} could not be read", command.name()),
            FrameError::Unavailable => f.write_str("the portal window is not reachable"),
        }
    }
}

/// What runs each time the portal sends an event.
type EventHandler = Rc<dyn Fn(Value)>;

struct Shared {
    parent: Window,
    origin: String,
    app_sid: String,
    /// Resolvers of the requests awaiting a reply, by callback id (a few at a time: a list,
    /// which costs the module far less than a hash map).
    pending: RefCell<Vec<(String, Function)>>,
    /// Event subscriptions: the portal answers every event on the same callback id, so these
    /// stay for the page's life (a handful, one per event).
    subscriptions: RefCell<Vec<(String, EventHandler)>>,
}

/// A connection to the portal window. Dropping the last clone stops listening.
#[derive(Clone)]
pub struct FrameClient {
    shared: Rc<Shared>,
    _listener: Rc<Listener>,
}

/// Removes the `message` listener when the client goes away.
struct Listener {
    window: Window,
    callback: Closure<dyn FnMut(MessageEvent)>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .window
            .remove_event_listener_with_callback("message", self.callback.as_ref().unchecked_ref());
    }
}

impl FrameClient {
    /// Connects when this page runs in a frame of the portal the frame name names; `None` when
    /// the page is not framed.
    pub fn connect(frame: &FrameName) -> Option<FrameClient> {
        let window = web_sys::window()?;
        let parent = window.parent().ok().flatten()?;
        // A top-level window is its own parent: there is no portal around us.
        if js_sys::Object::is(&parent, &window) {
            return None;
        }
        let shared = Rc::new(Shared {
            parent,
            origin: frame.portal.origin(),
            app_sid: frame.app_sid.clone(),
            pending: RefCell::new(Vec::new()),
            subscriptions: RefCell::new(Vec::new()),
        });
        let weak = Rc::downgrade(&shared);
        let callback = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(shared) = weak.upgrade() {
                shared.receive(&event);
            }
        });
        window
            .add_event_listener_with_callback("message", callback.as_ref().unchecked_ref())
            .ok()?;
        Some(FrameClient { shared, _listener: Rc::new(Listener { window, callback }) })
    }

    /// Sends a command and waits for its reply, as long as the command's deadline (one without
    /// a deadline is only sent: [`FrameClient::send`]).
    pub async fn call(&self, command: Command, params: &Value) -> Result<Value, FrameError> {
        let timeout_ms = command.answer_within_ms().unwrap_or(0);
        let callback = message::callback_id(Math::random);
        let shared = &self.shared;
        let mut resolver = None;
        let promise = Promise::new(&mut |resolve, _reject| resolver = Some(resolve));
        let resolve = resolver.ok_or(FrameError::Unavailable)?;
        shared.pending.borrow_mut().push((callback.clone(), resolve));

        // The timeout resolves with `undefined`, a reply with its JSON text.
        let weak = Rc::downgrade(shared);
        let cb = callback.clone();
        let on_timeout = Closure::once_into_js(move || {
            if let Some(shared) = weak.upgrade() {
                if let Some(resolve) = take(&shared.pending, &cb) {
                    let _ = resolve.call1(&JsValue::NULL, &JsValue::UNDEFINED);
                }
            }
        });
        let timer_set = web_sys::window()
            .and_then(|w| {
                w.set_timeout_with_callback_and_timeout_and_arguments_0(on_timeout.unchecked_ref(), timeout_ms)
                    .ok()
            })
            .is_some();
        if !timer_set || !shared.post(command, params, &callback) {
            take(&shared.pending, &callback);
            return Err(FrameError::Unavailable);
        }

        let answer = JsFuture::from(promise).await.unwrap_or(JsValue::UNDEFINED);
        let Some(text) = answer.as_string() else {
            return Err(FrameError::Timeout { command });
        };
        message::parse_payload(&text).map_err(|_| FrameError::Unreadable { command })
    }

    /// Subscribes to a placement event (`CallCard::CallStateChanged`…); `handler` gets each
    /// event's data. Events whose data is not JSON are dropped.
    pub fn subscribe(&self, event: Event, handler: impl Fn(Value) + 'static) -> Result<(), FrameError> {
        let callback = message::callback_id(Math::random);
        self.shared.subscriptions.borrow_mut().push((callback.clone(), Rc::new(handler)));
        if self.shared.post(Command::PlacementBindEvent, &crate::json!({ "event": event.name() }), &callback) {
            Ok(())
        } else {
            take(&self.shared.subscriptions, &callback);
            Err(FrameError::Unavailable)
        }
    }

    /// Sends a command that needs no reply.
    pub fn send(&self, command: Command, params: &Value) -> Result<(), FrameError> {
        if self.shared.post(command, params, "") {
            Ok(())
        } else {
            Err(FrameError::Unavailable)
        }
    }
}

impl Shared {
    fn post(&self, command: Command, params: &Value, callback: &str) -> bool {
        let text = message::command(command.name(), params, callback, &self.app_sid);
        self.parent.post_message(&JsValue::from_str(&text), &self.origin).is_ok()
    }

    fn receive(&self, event: &MessageEvent) {
        if event.origin() != self.origin {
            return;
        }
        let Some(data) = event.data().as_string() else { return };
        let Some((callback, payload)) = message::split_reply(&data) else { return };
        // Only callbacks we are waiting on: anything else is not for us.
        let resolve = take(&self.pending, callback);
        if let Some(resolve) = resolve {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(payload));
            return;
        }
        let handler = self.subscriptions.borrow().iter().find(|(id, _)| id == callback).map(|(_, h)| Rc::clone(h));
        if let (Some(handler), Ok(value)) = (handler, message::parse_payload(payload)) {
            handler(value);
        }
    }
}

/// Takes the entry of callback id `id` out of `entries`.
fn take<V>(entries: &RefCell<Vec<(String, V)>>, id: &str) -> Option<V> {
    let mut entries = entries.borrow_mut();
    let at = entries.iter().position(|(key, _)| key == id)?;
    Some(entries.swap_remove(at).1)
}
