//! The browser side of REST: form-encoded POSTs straight to the portal, kept working through
//! token expiry (renewed through the frame, one renewal at a time however many requests wait)
//! and the portal's limits (bounded back-off with jitter).
//!
//! Form encoding keeps the request "simple" for CORS (no preflight; the portal allows only the
//! `origin`, `content-type` and `accept` headers). The token travels in the body, never in the URL
//! or a header, so it does not end up in access logs.

use crate::json::Value;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use super::batch::{Batch, BatchReply};
use super::envelope::{self, RestError, Success};
use super::form;
use super::retry::{self, Decision};
use crate::portal::AccessToken;
use crate::browser;
use crate::frame::client::FrameClient;
use crate::frame::Command;
use crate::portal::Portal;

/// Renew this long before the portal said the token expires.
const REFRESH_AHEAD_MS: f64 = 60_000.0;
/// A request the portal has not answered in this long is given up: the agent gets an error
/// and a retry instead of a card that loads forever.
const REQUEST_TIMEOUT_S: u32 = 15;
const REQUEST_TIMEOUT_MS: u32 = REQUEST_TIMEOUT_S * 1000;

struct Inner {
    portal: Portal,
    token: RefCell<AccessToken>,
    /// When the token expires, as the portal said (ms since the epoch); infinite if unknown.
    expires_at_ms: Cell<f64>,
    /// Renews the token; absent outside a portal frame.
    frame: Option<FrameClient>,
    /// The renewal in flight, which every waiting request awaits: the browser's promise of
    /// whether it renewed (one settles every waiter, with no code of the module's own for that).
    renewal: RefCell<Option<js_sys::Promise>>,
    /// Told `true` while requests wait to retry, `false` when they are done.
    on_retrying: RefCell<Option<Listener>>,
    /// How many requests are waiting to retry: the notice stays while any is.
    waiting: Cell<u32>,
}

/// Where the client tells whether requests are waiting to retry.
type Listener = Rc<dyn Fn(bool)>;

/// One request's place among those waiting to retry, given up however the request ends
/// (answered, failed, aborted, or its task dropped), so the notice never outlives them.
struct Waiting(Rc<Inner>);

impl Waiting {
    fn begin(inner: &Rc<Inner>) -> Waiting {
        inner.waiting.set(inner.waiting.get() + 1);
        notify(inner);
        Waiting(Rc::clone(inner))
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.waiting.set(self.0.waiting.get().saturating_sub(1));
        notify(&self.0);
    }
}

fn notify(inner: &Inner) {
    let f = inner.on_retrying.borrow().clone();
    if let Some(f) = f {
        f(inner.waiting.get() > 0);
    }
}

/// A REST client for one portal and one token.
#[derive(Clone)]
pub struct RestClient {
    inner: Rc<Inner>,
}

impl RestClient {
    pub fn new(portal: Portal, token: AccessToken, expires_in: Option<u32>, frame: Option<FrameClient>) -> RestClient {
        let expires_at = expires_in.map_or(f64::INFINITY, |s| browser::now_ms() + f64::from(s) * 1000.0);
        RestClient {
            inner: Rc::new(Inner {
                portal,
                token: RefCell::new(token),
                expires_at_ms: Cell::new(expires_at),
                frame,
                renewal: RefCell::new(None),
                on_retrying: RefCell::new(None),
                waiting: Cell::new(0),
            }),
        }
    }

    /// Where to say that requests are waiting to retry.
    pub fn on_retrying(&self, f: impl Fn(bool) + 'static) {
        *self.inner.on_retrying.borrow_mut() = Some(Rc::new(f));
    }

    /// Calls one method.
    pub async fn call(&self, method: &str, params: &Value) -> Result<Success, RestError> {
        self.post(method, form::encode(params), retry::is_read(method), None).await
    }

    /// Runs a batch: one request, whatever the number of commands. `abort` drops it when the
    /// answer no longer matters (the card moved on to another client).
    pub async fn batch(&self, batch: &Batch, abort: Option<&AbortSignal>) -> Result<BatchReply, RestError> {
        let read = batch.commands.iter().all(|c| retry::is_read(&c.method));
        let reply = self.post("batch", batch.form_body(), read, abort).await?;
        BatchReply::parse(&reply.result).map_err(|_| RestError::Malformed { status: 200 })
    }

    /// Renews the token now if it expires within a minute (e.g. when the tab becomes visible
    /// again after a long pause).
    pub async fn renew_if_due(&self) {
        if self.renewal_due() {
            let _ = JsFuture::from(self.renewal()).await;
        }
    }

    fn renewal_due(&self) -> bool {
        self.inner.frame.is_some() && browser::now_ms() > self.inner.expires_at_ms.get() - REFRESH_AHEAD_MS
    }

    /// One renewal through the frame, shared by everyone who asks while it runs: a promise of
    /// whether it renewed.
    fn renewal(&self) -> js_sys::Promise {
        let running = self.inner.renewal.borrow().clone();
        running.unwrap_or_else(|| {
            let mut settle = None;
            let promise = js_sys::Promise::new(&mut |resolve, _| settle = Some(resolve));
            *self.inner.renewal.borrow_mut() = Some(promise.clone());
            let inner = Rc::clone(&self.inner);
            wasm_bindgen_futures::spawn_local(async move {
                let renewed = renew_token(&inner).await;
                inner.renewal.borrow_mut().take();
                if let Some(settle) = settle {
                    let _ = settle.call1(&wasm_bindgen::JsValue::NULL, &renewed.into());
                }
            });
            promise
        })
    }

    /// POSTs a form body with the token appended, renewing and retrying as the policy says.
    /// `read`: the request changes nothing, so sending it again after a lost reply is safe.
    async fn post(&self, method: &str, body: String, read: bool, abort: Option<&AbortSignal>) -> Result<Success, RestError> {
        let mut attempt = 0;
        let mut renewed = false;
        let mut waiting: Option<Waiting> = None;
        // What to wait for before the next send: a renewal (`true`: one the send needs, so that
        // its failure ends the request) or the back-off's timer. A token about to expire is
        // renewed first, its failure left for the send to meet. One wait in the code, so that
        // the waiting is compiled once.
        let mut before = self.renewal_due().then(|| (self.renewal(), false));
        loop {
            if let Some((pause, needed)) = before.take() {
                let settled = JsFuture::from(pause).await.ok().and_then(|v| v.as_bool());
                if needed && settled != Some(true) {
                    return Err(RestError::Renewal);
                }
            }
            let token = self.inner.token.borrow().clone();
            let outcome = self.send(method, &body, &token, abort).await;
            let error = match outcome {
                Ok(success) => return Ok(success),
                Err(e) => e,
            };
            if abort.is_some_and(AbortSignal::aborted) {
                return Err(error);
            }
            before = Some(match retry::decide(&error, attempt, renewed, read, browser::random()) {
                Decision::Refresh => {
                    renewed = true;
                    (self.renewal(), true)
                }
                Decision::Retry { delay_ms } => {
                    attempt += 1;
                    waiting.get_or_insert_with(|| Waiting::begin(&self.inner));
                    (browser::timer(delay_ms), false)
                }
                Decision::GiveUp => return Err(error),
            });
        }
    }

    async fn send(&self, method: &str, body: &str, token: &AccessToken, abort: Option<&AbortSignal>) -> Result<Success, RestError> {
        let mut full = body.to_string();
        if !full.is_empty() {
            full.push('&');
        }
        full.push_str("auth=");
        full.push_str(&form::escape(token.expose()));
        // One signal, so that a timeout or the caller's abort both stop the request.
        let timeout = Deadline::start(REQUEST_TIMEOUT_MS, abort);
        // The browser refuses only a URL it cannot parse; the portal's address was checked.
        let request = browser::request(&self.inner.portal.rest_url(method), Some(full), timeout.signal())
            .ok_or_else(|| RestError::Network(String::new()))?;
        let response = request.send().await.map_err(|e| {
            if timeout.expired() {
                RestError::Timeout { seconds: REQUEST_TIMEOUT_S }
            } else {
                RestError::Network(why(e))
            }
        })?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|_| if timeout.expired() { RestError::Late } else { RestError::Malformed { status } })?;
        envelope::parse(status, &text)
    }
}

/// Asks the portal's frame for a new token and keeps it; whether it came.
async fn renew_token(inner: &Inner) -> bool {
    let Some(frame) = &inner.frame else { return false };
    let Ok(reply) = frame.call(Command::RefreshAuth, &Value::Null).await else { return false };
    let Some(token) = reply.get("AUTH_ID").and_then(Value::as_str).and_then(AccessToken::parse) else { return false };
    *inner.token.borrow_mut() = token;
    let seconds = reply.get("AUTH_EXPIRES").and_then(|v| v.as_f64().or_else(|| v.as_str().and_then(crate::portal::seconds).map(f64::from)));
    inner.expires_at_ms.set(seconds.map_or(f64::INFINITY, |s| browser::now_ms() + s * 1000.0));
    true
}

/// Why a request could not be sent, as the browser said it (`TypeError: Failed to fetch`). Not
/// the error's `Display`, which would link serde_json's messages for its JSON variant, one this
/// client never meets (about 1 KB of the module).
fn why(error: gloo_net::Error) -> String {
    match error {
        gloo_net::Error::JsError(js) => [js.name.as_str(), ": ", &js.message].concat(),
        gloo_net::Error::GlooError(text) => text,
        _ => String::new(),
    }
}

/// Aborts a request after a time, or when the caller's signal aborts: the browser's own
/// `AbortSignal.timeout` and `AbortSignal.any` (every browser since Chrome 116, Firefox 124 and
/// Safari 17.4), which need no timer, listener or callback of the module's own.
struct Deadline {
    /// Aborts when the time is up.
    timeout: AbortSignal,
    /// The request's signal: the timeout's, or aborted by whichever of it and the caller's comes
    /// first.
    signal: AbortSignal,
}

impl Deadline {
    fn start(ms: u32, outer: Option<&AbortSignal>) -> Deadline {
        let timeout = AbortSignal::timeout_with_u32(ms);
        let signal = match outer {
            Some(outer) => AbortSignal::any(&js_sys::Array::of2(outer, &timeout)),
            None => timeout.clone(),
        };
        Deadline { timeout, signal }
    }

    fn signal(&self) -> &AbortSignal {
        &self.signal
    }

    /// Whether the time ran out (rather than the caller aborting).
    fn expired(&self) -> bool {
        self.timeout.aborted()
    }
}
