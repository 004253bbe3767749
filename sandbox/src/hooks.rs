//! The portal page and its own actions (install finished, uninstall, the agent's options, the
//! calls the app asked to show), and the tests' hooks (`/__sandbox/…`: logs, events, expiry,
//! arranged failures).

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use crate::portal;
use crate::scenarios::{self, Scenario};
use crate::server_time::ServerTime;
use crate::state::{lock, FrameRecord, LoggedRequest, Pace, Sandbox};

/// The portal page, its actions and the tests' hooks (the REST endpoint is `endpoint`'s).
pub(crate) fn routes() -> Router<Arc<Sandbox>> {
    Router::new()
        .route("/", get(portal_page))
        .route("/portal.js", get(portal_js))
        .route("/portal/install-finished", post(install_finished))
        .route("/portal/uninstall", post(uninstall))
        .route("/portal/shown-calls", get(shown_calls))
        .route("/portal/user-option", post(save_user_option))
        .route("/bitrix/components/bitrix/{component}/show_file.php", get(crate::files::show_file))
        .route("/__sandbox/requests", get(requests_log))
        .route("/__sandbox/frame", get(frame_log).post(record_frame))
        .route("/__sandbox/scenarios", get(scenario_list))
        .route("/__sandbox/refresh", post(refresh_auth))
        .route("/__sandbox/expire", post(expire_tokens))
        .route("/__sandbox/event", post(queue_event))
        .route("/__sandbox/events", get(take_events))
        .route("/__sandbox/fail", post(arrange_failure))
}

#[derive(Deserialize)]
struct PageQuery {
    scenario: Option<String>,
    /// The portal's interface language for this opening, overriding the scenario's.
    lang: Option<String>,
    /// Milliseconds added to every REST reply of this opening (at most a minute).
    latency: Option<u64>,
    /// `docs`: REST replies take the portal's own time; `instant`: they do not (default: the
    /// sandbox's setting).
    server_time: Option<String>,
    /// The call card of a call the app registered (its CALL_ID), instead of a scenario.
    call: Option<String>,
}

async fn portal_page(State(sb): State<Arc<Sandbox>>, Query(q): Query<PageQuery>) -> Response {
    let name = q.scenario.as_deref().unwrap_or(scenarios::DEFAULT);
    let found = match &q.call {
        Some(call_id) => sb.registered_call(call_id),
        None => scenarios::find(name).copied(),
    };
    match found {
        Some(scenario) => {
            let lang = q.lang.filter(|l| l.len() <= 5 && l.bytes().all(|b| b.is_ascii_alphabetic())).unwrap_or_else(|| scenario.lang.to_string());
            let latency = Duration::from_millis(q.latency.unwrap_or(scenario.latency_ms).min(60_000));
            let server = q.server_time.as_deref().and_then(ServerTime::parse).or(scenario.server_time).unwrap_or(sb.config.server_time);
            Html(portal::page(&sb, &scenario, &lang, Pace { latency, server })).into_response()
        }
        None => (StatusCode::NOT_FOUND, Html(portal::unknown_scenario(name))).into_response(),
    }
}

/// The install page's `setInstallFinish`: the installation is finished and the app's tabs show.
/// Only an opening made as the installation step can finish it.
async fn install_finished(State(sb): State<Arc<Sandbox>>, Query(q): Query<SessionQuery>) -> StatusCode {
    let installing = lock(&sb.sessions).get(&q.session).is_some_and(|s| s.scenario.install);
    if !installing {
        return StatusCode::CONFLICT;
    }
    sb.installed.store(true, Ordering::SeqCst);
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct UserOption {
    name: String,
    value: Value,
}

/// `setUserOption` saves the option for the user: every later opening's `USER_OPTIONS` has it.
async fn save_user_option(State(sb): State<Arc<Sandbox>>, Json(option): Json<UserOption>) -> StatusCode {
    lock(&sb.user_options).insert(option.name, option.value);
    StatusCode::NO_CONTENT
}


/// The calls the app asked the portal to show (`SHOW`), for the portal page to offer their cards.
async fn shown_calls(State(sb): State<Arc<Sandbox>>) -> Json<Value> {
    Json(Value::Array(sb.shown_calls()))
}

/// The portal's "uninstall": the app's bindings go and the installation is undone.
async fn uninstall(State(sb): State<Arc<Sandbox>>) -> Response {
    lock(&sb.crm).remove(crate::crm::Kind::Placement, |_| true);
    sb.installed.store(false, Ordering::SeqCst);
    (StatusCode::SEE_OTHER, [(header::LOCATION, "/?scenario=install")]).into_response()
}

async fn portal_js() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], portal::SCRIPT).into_response()
}


#[derive(Deserialize)]
struct LogQuery {
    session: Option<String>,
}

async fn requests_log(State(sb): State<Arc<Sandbox>>, Query(q): Query<LogQuery>) -> Json<Value> {
    let log = lock(&sb.requests);
    let items: Vec<&LoggedRequest> =
        log.iter().filter(|r| q.session.is_none() || r.session == q.session).collect();
    Json(json!(items))
}

async fn frame_log(State(sb): State<Arc<Sandbox>>, Query(q): Query<LogQuery>) -> Json<Value> {
    let log = lock(&sb.frames);
    let mut items: Vec<&FrameRecord> =
        log.iter().filter(|r| q.session.as_ref().is_none_or(|s| *s == r.session)).collect();
    if q.session.is_some() {
        items.sort_by_key(|r| r.seq); // one page's order; pages are independent
    }
    Json(json!(items))
}

async fn record_frame(State(sb): State<Arc<Sandbox>>, Json(mut record): Json<FrameRecord>) -> StatusCode {
    record.at_ms = sb.elapsed_ms();
    lock(&sb.frames).push(record);
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct SessionQuery {
    session: String,
}

#[derive(Deserialize)]
struct RefreshBody {
    refresh_id: String,
}

/// The portal page's `refreshAuth`: new tokens for its session.
async fn refresh_auth(
    State(sb): State<Arc<Sandbox>>,
    Query(q): Query<SessionQuery>,
    Json(body): Json<RefreshBody>,
) -> Response {
    match sb.refresh(&q.session, &body.refresh_id) {
        Some(auth) => Json(auth).into_response(),
        None => StatusCode::FORBIDDEN.into_response(),
    }
}

/// For tests: every access token of the session expires now.
async fn expire_tokens(State(sb): State<Arc<Sandbox>>, Query(q): Query<SessionQuery>) -> StatusCode {
    sb.expire_tokens(&q.session);
    StatusCode::NO_CONTENT
}

/// For tests: a call event (`{"event": "CallCard::CallStateChanged", "data": "idle"}`) for the
/// session's portal page to fire, as its own controls do.
async fn queue_event(State(sb): State<Arc<Sandbox>>, Query(q): Query<SessionQuery>, Json(event): Json<Value>) -> StatusCode {
    match lock(&sb.sessions).get_mut(&q.session) {
        Some(s) => {
            s.events.push(event);
            StatusCode::NO_CONTENT
        }
        None => StatusCode::NOT_FOUND,
    }
}

#[derive(Deserialize)]
struct FailQuery {
    session: String,
    method: String,
    #[serde(default = "one")]
    times: u32,
    /// Fail as an uncaught PHP error does (HTTP 500 with the portal's HTML page), which a
    /// passing fault such as a lost database connection also produces.
    #[serde(default)]
    page: bool,
}

fn one() -> u32 {
    1
}

/// For tests: the session's next `times` direct calls of `method` answer 500 (`page`: the
/// HTML error page instead of the JSON envelope).
async fn arrange_failure(State(sb): State<Arc<Sandbox>>, Query(q): Query<FailQuery>) -> StatusCode {
    match lock(&sb.sessions).get_mut(&q.session) {
        Some(s) => {
            s.transient.push((q.method, q.times, q.page));
            StatusCode::NO_CONTENT
        }
        None => StatusCode::NOT_FOUND,
    }
}

async fn take_events(State(sb): State<Arc<Sandbox>>, Query(q): Query<SessionQuery>) -> Json<Value> {
    let events = lock(&sb.sessions).get_mut(&q.session).map(|s| std::mem::take(&mut s.events)).unwrap_or_default();
    Json(Value::Array(events))
}

async fn scenario_list() -> Json<Value> {
    Json(json!(scenarios::ALL
        .iter()
        .map(|s: &Scenario| json!({ "name": s.name, "summary": s.summary, "placement": s.placement }))
        .collect::<Vec<_>>()))
}
