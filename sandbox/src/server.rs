//! The sandbox's HTTP side: sessions and tokens, routes, recording.

use axum::body::Bytes;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::crm::Crm;
use crate::params::{parse_json, parse_query, Param};
use crate::limits::{LeakyBucket, TimeBudget};
use crate::rest::{self, Fail, Fault, Policy};
use crate::server_time::{self, ServerTime};
use crate::scenarios::{self, Scenario};
use crate::{portal, time};

/// Where to listen and what to serve.
#[derive(Clone, Debug)]
pub struct Config {
    /// The portal's address; port 0 picks a free one.
    pub portal: SocketAddr,
    /// The widget handler's address; port 0 picks a free one.
    pub widget: SocketAddr,
    /// The address of a plain static host (GET only, no handler), where the app lives as a
    /// Bitrix24-hosted static archive would; port 0 picks a free one.
    pub static_host: SocketAddr,
    /// The built widget (`dist/`).
    pub dist: PathBuf,
    /// What the static host serves: the unpacked static archive (default: `dist`).
    pub static_dist: PathBuf,
    /// The app starts installed, its call card tab bound to the app's handler. `false`: a
    /// fresh portal, where the app must be installed (scenario `install`) before the tab shows.
    pub installed: bool,
    /// The app's handler URL, which its page and call card tab open (default: the widget
    /// handler the sandbox runs, `http://WIDGET/`); another server, e.g. nginx, may serve it.
    pub app_handler: Option<String>,
    /// The CRM data set.
    pub data: PathBuf,
    /// How long an issued access token lives.
    pub token_lifetime: Duration,
    /// The portal's request limit: a burst of this many…
    pub rate_burst: u32,
    /// …then this many a second (503 `QUERY_LIMIT_EXCEEDED` beyond).
    pub rate_drain: f64,
    /// Execution time each method may use in ten minutes (429 `OPERATION_TIME_LIMIT` beyond).
    pub time_budget: Duration,
    /// Whether REST replies take the portal's own time (a page's `&server_time=` overrides it).
    pub server_time: ServerTime,
}

impl Config {
    pub fn new(dist: impl Into<PathBuf>, data: impl Into<PathBuf>) -> Config {
        let dist = dist.into();
        Config {
            portal: ([127, 0, 0, 1], 8080).into(),
            widget: ([127, 0, 0, 1], 8081).into(),
            static_host: ([127, 0, 0, 1], 8082).into(),
            static_dist: dist.clone(),
            dist,
            installed: true,
            app_handler: None,
            data: data.into(),
            token_lifetime: Duration::from_secs(3600),
            rate_burst: 50,
            rate_drain: 2.0,
            time_budget: Duration::from_secs(480),
            server_time: ServerTime::Instant,
        }
    }
}

/// A started sandbox. Its servers run until the process ends.
#[derive(Clone, Debug)]
pub struct Running {
    /// e.g. `http://127.0.0.1:8080`
    pub portal_url: String,
    /// e.g. `http://127.0.0.1:8081`
    pub widget_url: String,
    /// e.g. `http://127.0.0.1:8082`
    pub static_url: String,
}

/// One opening of the widget: what the portal page issued it and what is queued for it.
#[derive(Clone, Debug)]
struct Session {
    app_sid: String,
    scenario: &'static Scenario,
    /// How fast this opening's REST replies come (`?latency=MS`, `?server_time=`).
    pace: Pace,
    /// The refresh token `refreshAuth` must present.
    refresh_id: String,
    /// Call events waiting for the portal page to fire them (`/__sandbox/event`).
    events: Vec<Value>,
    /// Methods that fail the next N times they are called directly (`/__sandbox/fail`), and
    /// whether as an uncaught PHP error (the HTML page) rather than the JSON envelope.
    transient: Vec<(String, u32, bool)>,
}

/// How fast one opening's REST replies come.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pace {
    /// The network: added to every reply.
    pub latency: Duration,
    /// The portal's own time.
    pub server: ServerTime,
}

/// An issued access token.
#[derive(Clone, Debug)]
struct Token {
    app_sid: String,
    expires_at: Instant,
}

/// A REST request as the sandbox served it (token left out).
#[derive(Clone, Debug, serde::Serialize)]
struct LoggedRequest {
    session: Option<String>,
    method: String,
    params: Value,
    /// Milliseconds since the sandbox started.
    at_ms: u64,
    status: u16,
    /// The portal's own time for it (`time.duration`), in milliseconds.
    server_ms: f64,
}

/// A frame command the portal page received from the widget.
#[derive(Clone, Debug, serde::Serialize, Deserialize)]
struct FrameRecord {
    session: String,
    command: String,
    #[serde(default)]
    params: Value,
    #[serde(default)]
    at_ms: u64,
}

pub(crate) struct Sandbox {
    crm: Mutex<Crm>,
    tokens: Mutex<HashMap<String, Token>>,
    sessions: Mutex<HashMap<String, Session>>,
    requests: Mutex<Vec<LoggedRequest>>,
    frames: Mutex<Vec<FrameRecord>>,
    /// The portal's bucket (`""`) and the buckets of scenarios with their own limit.
    buckets: Mutex<HashMap<String, LeakyBucket>>,
    budgets: Mutex<HashMap<String, TimeBudget>>,
    started: Instant,
    token_lifetime: Duration,
    config: Config,
    pub(crate) portal_domain: String,
    pub(crate) widget_origin: String,
    pub(crate) static_origin: String,
    pub(crate) member_id: String,
    /// The app's installation is finished (`setInstallFinish` on its install page).
    installed: std::sync::atomic::AtomicBool,
    /// The call cards of calls the app registered, by CALL_ID.
    registered: Mutex<HashMap<String, &'static Scenario>>,
    /// The agent's options for the app (`setUserOption`), kept across openings as the portal
    /// keeps them per user (`CUserOptions`, applayout.js `setUserOption`).
    user_options: Mutex<serde_json::Map<String, Value>>,
    /// Openings whose first reply already came late (`Fault::SlowBodyOnce`).
    slowed: Mutex<std::collections::HashSet<String>>,
}

/// The call card's tab of the app: where the portal opens it and what it is called.
pub(crate) struct Tab {
    pub handler: String,
    pub title: String,
}

/// The tab's title as the app binds it (`placement.bind` `TITLE`, `LANG_ALL`).
const APP_TITLE: &str = "Caller card";
const APP_TITLES: &[(&str, &str)] = &[("ru", "Карточка клиента"), ("de", "Anruferkarte")];

/// A poisoned lock only means another request panicked; the data is still usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Random lowercase hex, from the standard library's randomly keyed hasher.
pub(crate) fn random_hex(len: usize) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut out = String::with_capacity(len + 16);
    while out.len() < len {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out.truncate(len);
    out
}

impl Sandbox {
    /// The app's handler URL as its settings name it (the install page and the app menu open it).
    pub(crate) fn app_handler(&self) -> String {
        self.config.app_handler.clone().unwrap_or_else(|| format!("{}/", self.widget_origin))
    }

    /// The app's tab in call cards: there once the installation finished and while `CALL_CARD`
    /// is bound (the first binding, as the portal shows one tab per handler), titled in `lang`.
    pub(crate) fn call_card_tab(&self, lang: &str) -> Result<Tab, &'static str> {
        if !self.installed.load(Ordering::SeqCst) {
            return Err("the app's installation is not finished");
        }
        let crm = lock(&self.crm);
        let bound = crm.all(crate::crm::Kind::Placement);
        let binding = bound
            .iter()
            .find(|p| p.get("placement").and_then(Value::as_str) == Some("CALL_CARD"))
            .ok_or("the app has no CALL_CARD binding")?;
        let text = |v: Option<&Value>| v.and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
        let title = text(binding.pointer(&format!("/langAll/{lang}/TITLE")))
            .or_else(|| text(binding.get("title")))
            .unwrap_or_else(|| "Application".into());
        let handler = text(binding.get("handler")).ok_or("the binding has no handler")?;
        Ok(Tab { handler, title })
    }

    /// Installs the app as a finished installation leaves it: `CALL_CARD` bound to the widget.
    fn preinstall(&self) -> Result<(), String> {
        let titles: serde_json::Map<String, Value> =
            APP_TITLES.iter().map(|(lang, title)| (lang.to_string(), json!({ "TITLE": title }))).collect();
        let params = Param::from_json(&json!({
            "PLACEMENT": "CALL_CARD", "HANDLER": self.app_handler(), "TITLE": APP_TITLE, "LANG_ALL": titles,
        }));
        let admin = Policy { admin: true, ..Policy::default() };
        rest::call(&mut lock(&self.crm), "placement.bind", &params, admin).map_err(|f| f.description)?;
        self.installed.store(true, Ordering::SeqCst);
        Ok(())
    }

    /// The call card of a call the app registered, as a scenario. Made once per call and kept
    /// for the sandbox's life (sessions refer to their scenario), so its texts are leaked once.
    fn registered_call(&self, call_id: &str) -> Option<&'static Scenario> {
        if let Some(scenario) = lock(&self.registered).get(call_id) {
            return Some(scenario);
        }
        let crm = lock(&self.crm);
        let call = crm.all(crate::crm::Kind::Call).iter().find(|c| c.get("CALL_ID").and_then(Value::as_str) == Some(call_id))?;
        let text = |key: &str| match call.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let direction = match call.get("TYPE").and_then(Value::as_i64) {
            Some(1) => "outgoing",
            Some(4) => "callback",
            _ => "incoming",
        };
        let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        let options: Vec<(&'static str, &'static str)> = vec![
            ("CALL_ID", leak(call_id.to_string())),
            ("PHONE_NUMBER", leak(text("PHONE_NUMBER"))),
            ("LINE_NUMBER", leak(text("LINE_NUMBER"))),
            ("CRM_ENTITY_TYPE", leak(text("CRM_ENTITY_TYPE"))),
            ("CRM_ENTITY_ID", leak(text("CRM_ENTITY_ID").chars().filter(char::is_ascii_digit).collect())),
            ("CALL_DIRECTION", direction),
            ("CALL_STATE", "connecting"),
            ("CALL_LIST_MODE", "false"),
        ];
        drop(crm);
        let scenario: &'static Scenario = Box::leak(Box::new(scenarios::registered(leak(call_id.to_string()), Box::leak(options.into_boxed_slice()))));
        lock(&self.registered).insert(call_id.to_string(), scenario);
        Some(scenario)
    }

    /// `{CALL_ID, PHONE_NUMBER}` of every call the app asked to show.
    pub(crate) fn shown_calls(&self) -> Vec<Value> {
        lock(&self.crm)
            .all(crate::crm::Kind::Call)
            .iter()
            .filter(|c| c.get("SHOW").and_then(Value::as_bool).unwrap_or(false))
            .map(|c| json!({ "CALL_ID": c["CALL_ID"], "PHONE_NUMBER": c["PHONE_NUMBER"] }))
            .collect()
    }

    fn elapsed_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// Issues the tokens for one opening of the widget: `(app_sid, auth_id, refresh_id)`.
    pub(crate) fn open_session(&self, scenario: &'static Scenario, pace: Pace) -> (String, String, String) {
        let app_sid = random_hex(32);
        let refresh_id = random_hex(64);
        let auth_id = self.issue_token(&app_sid, scenario);
        if let Some((burst, drain, full)) = scenario.rate_limit {
            lock(&self.buckets).insert(app_sid.clone(), LeakyBucket::new(burst, drain, full, Instant::now()));
        }
        let budget = scenario.time_budget_ms.map(Duration::from_millis).unwrap_or(self.config.time_budget);
        lock(&self.budgets).insert(app_sid.clone(), TimeBudget::new(budget, Duration::from_secs(600)));
        lock(&self.sessions).insert(
            app_sid.clone(),
            Session {
                app_sid: app_sid.clone(),
                scenario,
                pace,
                refresh_id: refresh_id.clone(),
                events: Vec::new(),
                transient: Vec::new(),
            },
        );
        (app_sid, auth_id, refresh_id)
    }

    fn issue_token(&self, app_sid: &str, scenario: &Scenario) -> String {
        let auth_id = random_hex(64);
        let lifetime = scenario.token_lifetime.map(Duration::from_secs).unwrap_or(self.token_lifetime);
        lock(&self.tokens).insert(auth_id.clone(), Token { app_sid: app_sid.into(), expires_at: Instant::now() + lifetime });
        auth_id
    }

    /// Seconds an access token of this scenario lives, as `AUTH_EXPIRES` says.
    pub(crate) fn token_lifetime_secs(&self, scenario: &Scenario) -> u64 {
        scenario.token_lifetime.unwrap_or(self.token_lifetime.as_secs())
    }

    /// `refreshAuth`: a new access token and refresh token for the session, if `refresh_id` is
    /// its current one. Earlier access tokens keep working until they expire.
    fn refresh(&self, app_sid: &str, refresh_id: &str) -> Option<Value> {
        let mut sessions = lock(&self.sessions);
        let session = sessions.get_mut(app_sid).filter(|s| s.refresh_id == refresh_id)?;
        session.refresh_id = random_hex(64);
        let scenario = session.scenario;
        let refresh = session.refresh_id.clone();
        drop(sessions);
        let auth = self.issue_token(app_sid, scenario);
        Some(json!({ "AUTH_ID": auth, "AUTH_EXPIRES": self.token_lifetime_secs(scenario).to_string(), "REFRESH_ID": refresh }))
    }

    /// A failure a test arranged for this session's next call of `method`.
    fn transient_failure(&self, app_sid: &str, method: &str) -> Result<(), Fail> {
        let mut sessions = lock(&self.sessions);
        let Some(session) = sessions.get_mut(app_sid) else { return Ok(()) };
        match session.transient.iter_mut().find(|(m, left, _)| m.eq_ignore_ascii_case(method) && *left > 0) {
            Some((_, left, page)) => {
                *left -= 1;
                Err(if *page {
                    Fail::php_type_error("a failure arranged by a test")
                } else {
                    Fail::new(500, "INTERNAL_SERVER_ERROR", "Internal server error")
                })
            }
            None => Ok(()),
        }
    }

    /// The limits: the session's own bucket if its scenario has one, else the portal's; then the
    /// method's time budget.
    fn admit(&self, app_sid: &str, method: &str) -> Result<(), Fail> {
        let now = Instant::now();
        let mut buckets = lock(&self.buckets);
        let key = if buckets.contains_key(app_sid) { app_sid } else { "" };
        if !buckets.get_mut(key).is_none_or(|b| b.admit(now)) {
            return Err(Fail::new(503, "QUERY_LIMIT_EXCEEDED", "Too many requests"));
        }
        drop(buckets);
        let within = lock(&self.budgets).get_mut(app_sid).is_none_or(|b| b.allows(&method.to_ascii_lowercase(), now));
        if !within {
            return Err(Fail::new(429, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit."));
        }
        Ok(())
    }

    /// Checks `auth` as the portal does: the session the token belongs to (if it is one of
    /// ours, expired or not, so that the request log can file it) and whether it may call.
    fn authorise(&self, params: &Param) -> (Option<Session>, Result<(), Fail>) {
        let Some(token) = params.get("auth").and_then(Param::as_str).filter(|t| !t.is_empty()) else {
            return (None, Err(Fail::new(401, "NO_AUTH_FOUND", "Wrong authorization data")));
        };
        let Some(issued) = lock(&self.tokens).get(token).cloned() else {
            return (None, Err(Fail::new(401, "invalid_token", "Unable to get application by token")));
        };
        let session = lock(&self.sessions).get(&issued.app_sid).cloned();
        if issued.expires_at <= Instant::now() {
            return (session, Err(Fail::new(401, "expired_token", "The access token provided has expired.")));
        }
        (session, Ok(()))
    }
}

async fn listen(addr: SocketAddr, what: &str) -> Result<tokio::net::TcpListener, String> {
    tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr} for {what}: {e}"))
}

/// Binds the three origins and starts serving.
pub async fn start(config: Config) -> Result<Running, String> {
    let crm = Crm::load(&config.data)?;
    let portal_listener = listen(config.portal, "the portal").await?;
    let widget_listener = listen(config.widget, "the widget").await?;
    let static_listener = listen(config.static_host, "the static host").await?;
    let portal_addr = portal_listener.local_addr().map_err(|e| e.to_string())?;
    let widget_addr = widget_listener.local_addr().map_err(|e| e.to_string())?;
    let static_addr = static_listener.local_addr().map_err(|e| e.to_string())?;
    // The real handler, allowing only this portal to frame the widget, as a deployment would.
    let handler_config = callcard_handler::Config {
        portals: vec![format!("http://{portal_addr}")],
        ..callcard_handler::Config::new(&config.dist)
    };
    let widget_router = callcard_handler::router(&handler_config).map_err(|e| e.to_string())?;

    let sandbox = Arc::new(Sandbox {
        crm: Mutex::new(crm),
        tokens: Mutex::new(HashMap::new()),
        sessions: Mutex::new(HashMap::new()),
        buckets: Mutex::new(HashMap::from([(
            String::new(),
            LeakyBucket::new(config.rate_burst, config.rate_drain, false, Instant::now()),
        )])),
        budgets: Mutex::new(HashMap::new()),
        requests: Mutex::new(Vec::new()),
        frames: Mutex::new(Vec::new()),
        started: Instant::now(),
        token_lifetime: config.token_lifetime,
        config: config.clone(),
        portal_domain: portal_addr.to_string(),
        widget_origin: format!("http://{widget_addr}"),
        static_origin: format!("http://{static_addr}"),
        member_id: format!("sandbox{}", &random_hex(24)),
        installed: std::sync::atomic::AtomicBool::new(false),
        registered: Mutex::new(HashMap::new()),
        user_options: Mutex::new(serde_json::Map::new()),
        slowed: Mutex::new(std::collections::HashSet::new()),
    });
    if config.installed {
        sandbox.preinstall()?;
    }
    // A plain static host: files by GET, 405 for a POST, as Bitrix24 serves an uploaded archive.
    // It allows any origin to read its files, as a CDN does, so that it can also stand in for
    // the CDN of a `make dist PUBLIC_URL=…` build (the page checks its assets' integrity, which
    // needs CORS).
    let static_router = Router::new()
        .fallback_service(tower_http::services::ServeDir::new(&config.static_dist))
        .layer(axum::middleware::map_response(|mut response: Response| async move {
            response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
            response
        }));
    let portal_router = Router::new()
        .route("/", get(portal_page))
        .route("/portal.js", get(portal_js))
        .route("/portal/install-finished", post(install_finished))
        .route("/portal/uninstall", post(uninstall))
        .route("/portal/shown-calls", get(shown_calls))
        .route("/portal/user-option", post(save_user_option))
        .route("/rest/{method}", any(rest_endpoint))
        .route("/__sandbox/requests", get(requests_log))
        .route("/__sandbox/frame", get(frame_log).post(record_frame))
        .route("/__sandbox/scenarios", get(scenario_list))
        .route("/__sandbox/refresh", post(refresh_auth))
        .route("/__sandbox/expire", post(expire_tokens))
        .route("/__sandbox/event", post(queue_event))
        .route("/__sandbox/events", get(take_events))
        .route("/__sandbox/fail", post(arrange_failure))
        .with_state(sandbox);

    for (listener, router) in [(portal_listener, portal_router), (widget_listener, widget_router), (static_listener, static_router)] {
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
    }
    Ok(Running {
        portal_url: format!("http://{portal_addr}"),
        widget_url: format!("http://{widget_addr}"),
        static_url: format!("http://{static_addr}"),
    })
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
        None => scenarios::find(name),
    };
    match found {
        Some(scenario) => {
            let lang = q.lang.filter(|l| l.len() <= 5 && l.bytes().all(|b| b.is_ascii_alphabetic())).unwrap_or_else(|| scenario.lang.to_string());
            let latency = Duration::from_millis(q.latency.unwrap_or(scenario.latency_ms).min(60_000));
            let server = q.server_time.as_deref().and_then(ServerTime::parse).or(scenario.server_time).unwrap_or(sb.config.server_time);
            Html(portal::page(&sb, scenario, &lang, Pace { latency, server })).into_response()
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

impl Sandbox {
    /// `USER_OPTIONS` as getInitData gives it: an object, or PHP's empty array when there are none.
    pub(crate) fn user_options(&self) -> Value {
        let options = lock(&self.user_options);
        if options.is_empty() { json!([]) } else { Value::Object(options.clone()) }
    }
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

/// `/rest/METHOD.json`: GET query, form or JSON body, as the portal accepts them.
async fn rest_endpoint(
    State(sb): State<Arc<Sandbox>>,
    method: Method,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if method == Method::OPTIONS {
        return with_cors(StatusCode::OK, Value::Null);
    }
    let name = name.strip_suffix(".json").unwrap_or(&name).to_string();
    let mut params = parse_query(query.as_deref().unwrap_or_default());
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let body_params = if body.is_empty() {
        Ok(Param::default())
    } else if is_json {
        parse_json(&String::from_utf8_lossy(&body)).map_err(|_| ())
    } else {
        Ok(parse_query(&String::from_utf8_lossy(&body)))
    };
    let Ok(body_params) = body_params else {
        let fail = Fail::new(400, "INVALID_REQUEST", "Invalid JSON body");
        return with_cors(StatusCode::BAD_REQUEST, fail.body());
    };
    params.merge(body_params);

    let (session, allowed) = sb.authorise(&params);
    if let Some(s) = &session {
        if !s.pace.latency.is_zero() {
            tokio::time::sleep(s.pace.latency).await;
        }
    }
    // The portal's own time runs from here: the network's share is spent.
    let started = Instant::now();
    let started_unix = time::now();
    let sid = session.as_ref().map(|s| s.app_sid.clone());
    let server = session.as_ref().map_or(ServerTime::Instant, |s| s.pace.server);
    let policy = session
        .as_ref()
        .map(|s| Policy { faults: s.scenario.faults, scopes: s.scenario.scopes, admin: s.scenario.admin, server_time: server })
        .unwrap_or_default();
    // A proxy in front of the portal fails before the portal sees anything.
    for fault in policy.faults {
        match *fault {
            Fault::Html { status } => return html_failure(&sb, &name, sid, status),
            Fault::Hang { secs } => {
                tokio::time::sleep(Duration::from_secs(secs)).await;
                return html_failure(&sb, &name, sid, 504);
            }
            Fault::Error { .. } | Fault::Fatal { .. } | Fault::SlowBodyOnce { .. } => {}
        }
    }
    let limited = allowed
        .and_then(|()| sb.admit(sid.as_deref().unwrap_or_default(), &name))
        .and_then(|()| sb.transient_failure(sid.as_deref().unwrap_or_default(), &name));
    // A request refused before its method runs (token, request rate, time budget) costs only
    // the request's own time.
    let refused = limited.is_err();
    let outcome = limited.and_then(|()| {
        let mut crm = lock(&sb.crm);
        if name.eq_ignore_ascii_case("batch") {
            rest::batch(&mut crm, &params, policy)
        } else {
            rest::call(&mut crm, &name, &params, policy)
        }
    });
    // The portal's time: its start-up, then the method (a batch: its commands one by one).
    let processing = match &outcome {
        _ if refused => 0.0,
        Ok(answer) if name.eq_ignore_ascii_case("batch") => answer.processing,
        _ => server.processing_secs(&name),
    };
    let duration = server.request_secs() + processing;
    let remaining = Duration::from_secs_f64(duration).saturating_sub(started.elapsed());
    if !remaining.is_zero() {
        tokio::time::sleep(remaining).await;
    }
    let mut operating = (0.0, 600.0);
    if let Some(sid) = &sid {
        if let Some(budget) = lock(&sb.budgets).get_mut(sid) {
            let method = name.to_ascii_lowercase();
            let spent = started.elapsed().max(Duration::from_secs_f64(processing));
            budget.charge(&method, spent, Instant::now());
            operating = budget.report(&method, Instant::now());
        }
    }
    let time_block = server_time::block(
        started_unix,
        started.elapsed().as_secs_f64().max(duration),
        processing.max(0.0001),
        operating.0,
        (time::now() + operating.1) as i64,
    );
    if let Err(fail) = &outcome {
        if fail.fatal {
            return fatal_failure(&sb, &name, sid, &params);
        }
    }
    let (status, body) = match outcome {
        Ok(answer) => {
            let mut body = json!({ "result": answer.result, "time": time_block });
            if let Some(total) = answer.total {
                body["total"] = json!(total);
            }
            if let Some(next) = answer.next {
                body["next"] = json!(next);
            }
            (200, body)
        }
        Err(fail) => (fail.status, fail.body()),
    };

    let mut logged = params.to_json();
    if let Some(obj) = logged.as_object_mut() {
        obj.remove("auth");
    }
    lock(&sb.requests).push(LoggedRequest {
        session: session.map(|s| s.app_sid),
        method: name,
        params: logged,
        at_ms: sb.elapsed_ms(),
        status,
        server_ms: duration * 1000.0,
    });
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let slow = policy.faults.iter().find_map(|f| match f {
        Fault::SlowBodyOnce { secs } => Some(*secs),
        _ => None,
    });
    if let (Some(secs), Some(sid)) = (slow, &sid) {
        if lock(&sb.slowed).insert(sid.clone()) {
            return late_body(status, body, Duration::from_secs(secs));
        }
    }
    with_cors(status, body)
}

/// A reply whose status and headers go out at once and whose body follows `delay` later.
fn late_body(status: StatusCode, body: Value, delay: Duration) -> Response {
    let text = body.to_string();
    let stream = futures_util::stream::once(async move {
        tokio::time::sleep(delay).await;
        Ok::<_, std::convert::Infallible>(Bytes::from(text))
    });
    let mut response = (status, axum::body::Body::from_stream(stream)).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

/// An HTML error page instead of the portal's JSON, logged like any request.
fn html_failure(sb: &Sandbox, name: &str, session: Option<String>, status: u16) -> Response {
    lock(&sb.requests).push(LoggedRequest { session, method: name.to_string(), params: Value::Null, at_ms: sb.elapsed_ms(), status, server_ms: 0.0 });
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let page = format!("<html><head><title>{code}</title></head><body><h1>{code}</h1><hr>nginx</body></html>");
    let mut response = (code, Html(page)).into_response();
    response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

/// An uncaught PHP error: HTTP 500 with the portal's generic text instead of a JSON envelope.
/// The web server still adds the REST endpoint's CORS header, so the browser lets the app see it.
fn fatal_failure(sb: &Sandbox, name: &str, session: Option<String>, params: &Param) -> Response {
    let mut logged = params.to_json();
    if let Some(obj) = logged.as_object_mut() {
        obj.remove("auth");
    }
    lock(&sb.requests).push(LoggedRequest { session, method: name.to_string(), params: logged, at_ms: sb.elapsed_ms(), status: 500, server_ms: 0.0 });
    let mut response = (StatusCode::INTERNAL_SERVER_ERROR, Html(rest::FATAL_PAGE)).into_response();
    response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

/// The portal's CORS: any origin, and only the simple headers.
fn with_cors(status: StatusCode, body: Value) -> Response {
    let mut response = if body.is_null() { status.into_response() } else { (status, Json(body)).into_response() };
    let h = response.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("origin, content-type, accept"));
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, OPTIONS"));
    response
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
    let items: Vec<&FrameRecord> =
        log.iter().filter(|r| q.session.as_ref().is_none_or(|s| *s == r.session)).collect();
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
    let now = Instant::now();
    for token in lock(&sb.tokens).values_mut().filter(|t| t.app_sid == q.session) {
        token.expires_at = now;
    }
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
