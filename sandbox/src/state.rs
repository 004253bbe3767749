//! The portal's state: the CRM, the app's installation, the openings of the widget (sessions)
//! with their tokens, limits and queued events, and the logs of what was served.

use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::crm::Crm;
use crate::limits::{LeakyBucket, TimeBudget};
use crate::outcome::{Fail, Policy};
use crate::params::Param;
use crate::random::random_hex;
use crate::rest;
use crate::scenarios::{self, Options, Scenario};
use crate::server_time::ServerTime;

/// One opening of the widget: what the portal page issued it and what is queued for it.
#[derive(Clone, Debug)]
pub(crate) struct Session {
    pub(crate) app_sid: String,
    pub(crate) scenario: Scenario,
    /// How fast this opening's REST replies come (`?latency=MS`, `?server_time=`).
    pub(crate) pace: Pace,
    /// The refresh token `refreshAuth` must present.
    pub(crate) refresh_id: String,
    /// Call events waiting for the portal page to fire them (`/__sandbox/event`).
    pub(crate) events: Vec<Value>,
    /// Methods that fail the next N times they are called directly (`/__sandbox/fail`), and
    /// whether as an uncaught PHP error (the HTML page) rather than the JSON envelope.
    pub(crate) transient: Vec<(String, u32, bool)>,
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
pub(crate) struct Token {
    pub(crate) app_sid: String,
    pub(crate) expires_at: Instant,
}

/// A REST request as the sandbox served it (token left out).
#[derive(Clone, Debug, serde::Serialize)]
pub(crate) struct LoggedRequest {
    pub(crate) session: Option<String>,
    pub(crate) method: String,
    pub(crate) params: Value,
    /// Milliseconds since the sandbox started.
    pub(crate) at_ms: u64,
    pub(crate) status: u16,
    /// The portal's own time for it (`time.duration`), in milliseconds.
    pub(crate) server_ms: f64,
}

/// A frame command the portal page received from the widget.
#[derive(Clone, Debug, serde::Serialize, Deserialize)]
pub(crate) struct FrameRecord {
    pub(crate) session: String,
    pub(crate) command: String,
    #[serde(default)]
    pub(crate) params: Value,
    /// The order the portal page received it in: each record is a request of its own, and
    /// two of them may reach the sandbox the other way round.
    #[serde(default)]
    pub(crate) seq: u64,
    #[serde(default)]
    pub(crate) at_ms: u64,
}

pub(crate) struct Sandbox {
    pub(crate) crm: Mutex<Crm>,
    pub(crate) tokens: Mutex<HashMap<String, Token>>,
    pub(crate) sessions: Mutex<HashMap<String, Session>>,
    pub(crate) requests: Mutex<Vec<LoggedRequest>>,
    pub(crate) frames: Mutex<Vec<FrameRecord>>,
    /// The portal's bucket (`""`) and the buckets of scenarios with their own limit.
    pub(crate) buckets: Mutex<HashMap<String, LeakyBucket>>,
    pub(crate) budgets: Mutex<HashMap<String, TimeBudget>>,
    pub(crate) started: Instant,
    pub(crate) token_lifetime: Duration,
    pub(crate) config: Config,
    pub(crate) portal_domain: String,
    pub(crate) widget_origin: String,
    pub(crate) static_origin: String,
    pub(crate) member_id: String,
    /// The app's installation is finished (`setInstallFinish` on its install page).
    pub(crate) installed: std::sync::atomic::AtomicBool,
    /// The call cards of calls the app registered, by CALL_ID.
    pub(crate) registered: Mutex<Vec<RegisteredCall>>,
    /// The agent's options for the app (`setUserOption`), kept across openings as the portal
    /// keeps them per user (`CUserOptions`, applayout.js `setUserOption`).
    pub(crate) user_options: Mutex<serde_json::Map<String, Value>>,
    /// Openings whose first reply already came late (`Fault::SlowBodyOnce`).
    pub(crate) slowed: Mutex<std::collections::HashSet<String>>,
}

/// A call the app registered: its CALL_ID and the call card's launch options.
pub(crate) type RegisteredCall = (String, Vec<(String, String)>);

/// The call card's tab of the app: where the portal opens it and what it is called.
pub(crate) struct Tab {
    pub handler: String,
    pub title: String,
}

/// The tab's title as the app binds it (`placement.bind` `TITLE`, `LANG_ALL`).
const APP_TITLE: &str = "Caller card";
const APP_TITLES: &[(&str, &str)] = &[("ru", "Карточка клиента"), ("de", "Anruferkarte")];

/// A poisoned lock only means another request panicked; the data is still usable.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Sandbox {
    /// A portal with no opening yet; `portal_domain` is `host:port`, the origins are `http://…`.
    pub(crate) fn new(config: Config, crm: Crm, portal_domain: String, widget_origin: String, static_origin: String) -> Sandbox {
        Sandbox {
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
            portal_domain,
            widget_origin,
            static_origin,
            member_id: format!("sandbox{}", &random_hex(24)),
            installed: std::sync::atomic::AtomicBool::new(false),
            registered: Mutex::new(Vec::new()),
            user_options: Mutex::new(serde_json::Map::new()),
            slowed: Mutex::new(std::collections::HashSet::new()),
            config,
        }
    }

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
    pub(crate) fn preinstall(&self) -> Result<(), String> {
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

    /// The call card of a call the app registered, as a scenario whose options the sandbox
    /// keeps ([`Sandbox::options`]); made once per call.
    pub(crate) fn registered_call(&self, call_id: &str) -> Option<Scenario> {
        if let Some(index) = lock(&self.registered).iter().position(|(id, _)| id == call_id) {
            return Some(scenarios::registered(index));
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
        let options: Vec<(String, String)> = [
            ("CALL_ID", call_id.to_string()),
            ("PHONE_NUMBER", text("PHONE_NUMBER")),
            ("LINE_NUMBER", text("LINE_NUMBER")),
            ("CRM_ENTITY_TYPE", text("CRM_ENTITY_TYPE")),
            ("CRM_ENTITY_ID", text("CRM_ENTITY_ID").chars().filter(char::is_ascii_digit).collect()),
            ("CALL_DIRECTION", direction.to_string()),
            ("CALL_STATE", "connecting".to_string()),
            ("CALL_LIST_MODE", "false".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        drop(crm);
        let mut registered = lock(&self.registered);
        registered.push((call_id.to_string(), options));
        Some(scenarios::registered(registered.len() - 1))
    }

    /// A scenario's launch options as pairs of text; none for raw options.
    pub(crate) fn options(&self, scenario: &Scenario) -> Vec<(String, String)> {
        match scenario.options {
            Options::Fields(fields) => fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            Options::Registered(index) => lock(&self.registered).get(index).map(|(_, o)| o.clone()).unwrap_or_default(),
            Options::Raw(_) => Vec::new(),
        }
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

    pub(crate) fn elapsed_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// Issues the tokens for one opening of the widget: `(app_sid, auth_id, refresh_id)`.
    pub(crate) fn open_session(&self, scenario: Scenario, pace: Pace) -> (String, String, String) {
        let app_sid = random_hex(32);
        let refresh_id = random_hex(64);
        let auth_id = self.issue_token(&app_sid, &scenario);
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

    pub(crate) fn issue_token(&self, app_sid: &str, scenario: &Scenario) -> String {
        let auth_id = random_hex(64);
        let lifetime = scenario.token_lifetime.map(Duration::from_secs).unwrap_or(self.token_lifetime);
        lock(&self.tokens).insert(auth_id.clone(), Token { app_sid: app_sid.into(), expires_at: Instant::now() + lifetime });
        auth_id
    }

    /// Seconds an access token of this scenario lives, as `AUTH_EXPIRES` says.
    pub(crate) fn token_lifetime_secs(&self, scenario: &Scenario) -> u64 {
        scenario.token_lifetime.unwrap_or(self.token_lifetime.as_secs())
    }

    /// Every access token of an opening expires now (`/__sandbox/expire`).
    pub(crate) fn expire_tokens(&self, app_sid: &str) {
        let now = Instant::now();
        for token in lock(&self.tokens).values_mut().filter(|t| t.app_sid == app_sid) {
            token.expires_at = now;
        }
    }

    /// `refreshAuth`: a new access token and refresh token for the session, if `refresh_id` is
    /// its current one. Earlier access tokens keep working until they expire.
    pub(crate) fn refresh(&self, app_sid: &str, refresh_id: &str) -> Option<Value> {
        let mut sessions = lock(&self.sessions);
        let session = sessions.get_mut(app_sid).filter(|s| s.refresh_id == refresh_id)?;
        session.refresh_id = random_hex(64);
        let scenario = session.scenario;
        let refresh = session.refresh_id.clone();
        drop(sessions);
        let auth = self.issue_token(app_sid, &scenario);
        Some(json!({ "AUTH_ID": auth, "AUTH_EXPIRES": self.token_lifetime_secs(&scenario).to_string(), "REFRESH_ID": refresh }))
    }

    /// A failure a test arranged for this session's next call of `method`.
    pub(crate) fn transient_failure(&self, app_sid: &str, method: &str) -> Result<(), Fail> {
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
    pub(crate) fn admit(&self, app_sid: &str, method: &str) -> Result<(), Fail> {
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
    pub(crate) fn authorise(&self, params: &Param) -> (Option<Session>, Result<(), Fail>) {
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

impl Sandbox {
    /// `USER_OPTIONS` as getInitData gives it: an object, or PHP's empty array when there are none.
    pub(crate) fn user_options(&self) -> Value {
        let options = lock(&self.user_options);
        if options.is_empty() { json!([]) } else { Value::Object(options.clone()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::parse_query;

    fn portal() -> Sandbox {
        let config = Config::new("dist", concat!(env!("CARGO_MANIFEST_DIR"), "/data"));
        let crm = Crm::load(&config.data).unwrap();
        Sandbox::new(config, crm, "127.0.0.1:1".into(), "http://127.0.0.1:2".into(), "http://127.0.0.1:3".into())
    }

    fn opening(sb: &Sandbox, scenario: &str) -> (String, String, String) {
        let pace = Pace { latency: Duration::ZERO, server: ServerTime::Instant };
        sb.open_session(*scenarios::find(scenario).unwrap(), pace)
    }

    fn with_token(token: &str) -> Param {
        parse_query(&format!("auth={token}"))
    }

    fn refused(sb: &Sandbox, params: &Param) -> Option<(u16, String)> {
        sb.authorise(params).1.err().map(|f| (f.status, f.code))
    }

    #[test]
    fn a_token_works_for_its_opening_until_it_expires() {
        let sb = portal();
        let (sid, auth, _) = opening(&sb, "known-contact");
        let (session, allowed) = sb.authorise(&with_token(&auth));
        assert!(allowed.is_ok());
        assert_eq!(session.map(|s| s.app_sid), Some(sid.clone()));
        assert_eq!(refused(&sb, &parse_query("")), Some((401, "NO_AUTH_FOUND".into())));
        assert_eq!(refused(&sb, &with_token("nonsense")), Some((401, "invalid_token".into())));
        // Expired: refused, but still filed under its opening (the request log shows it).
        sb.expire_tokens(&sid);
        let (session, allowed) = sb.authorise(&with_token(&auth));
        assert_eq!(allowed.err().map(|f| f.code), Some("expired_token".into()));
        assert_eq!(session.map(|s| s.app_sid), Some(sid));
    }

    #[test]
    fn a_renewal_rotates_the_refresh_token_and_old_access_keeps_working_until_it_expires() {
        let sb = portal();
        let (sid, old_auth, refresh) = opening(&sb, "known-contact");
        let renewed = sb.refresh(&sid, &refresh).unwrap();
        let new_auth = renewed["AUTH_ID"].as_str().unwrap().to_string();
        assert_ne!(new_auth, old_auth);
        assert_eq!(renewed["AUTH_EXPIRES"], "3600");
        assert!(sb.refresh(&sid, &refresh).is_none(), "a refresh token is good once");
        assert!(sb.refresh(&sid, renewed["REFRESH_ID"].as_str().unwrap()).is_some());
        assert!(sb.refresh("another-opening", &refresh).is_none());
        assert!(sb.authorise(&with_token(&old_auth)).1.is_ok());
        assert!(sb.authorise(&with_token(&new_auth)).1.is_ok());
    }

    #[test]
    fn a_scenario_sets_its_tokens_lifetime_and_the_expiry_is_real() {
        let sb = portal();
        let scenario = scenarios::find("expired-token").unwrap();
        assert_eq!(sb.token_lifetime_secs(scenario), 3);
        let (sid, auth, _) = opening(&sb, "expired-token");
        assert!(sb.authorise(&with_token(&auth)).1.is_ok());
        // Three seconds on, without any hook.
        let token = lock(&sb.tokens).get(&auth).cloned().unwrap();
        assert!(token.expires_at <= Instant::now() + Duration::from_secs(3));
        assert_eq!(token.app_sid, sid);
    }

    #[test]
    fn a_registered_call_is_a_scenario_with_its_own_options_made_once() {
        let sb = portal();
        let params = parse_query("USER_ID=1&PHONE_NUMBER=%2B4930123&TYPE=2&SHOW=1");
        let answer = rest::call(&mut lock(&sb.crm), "telephony.externalCall.register", &params, Policy::default()).unwrap();
        let call_id = answer.result["CALL_ID"].as_str().unwrap().to_string();
        let scenario = sb.registered_call(&call_id).unwrap();
        let options = sb.options(&scenario);
        assert!(options.contains(&("CALL_ID".to_string(), call_id.clone())), "{options:?}");
        assert!(options.contains(&("CALL_DIRECTION".to_string(), "incoming".to_string())), "{options:?}");
        assert!(matches!(sb.registered_call(&call_id).unwrap().options, Options::Registered(0)), "made once");
        assert!(sb.registered_call("externalCall.unknown").is_none());
    }

    #[test]
    fn openings_have_their_own_limits() {
        let sb = portal();
        // `rate-limited`: its own bucket, full from the start.
        let (limited, _, _) = opening(&sb, "rate-limited");
        assert_eq!(sb.admit(&limited, "batch").err().map(|f| f.status), Some(503));
        let (normal, _, _) = opening(&sb, "known-contact");
        assert!(sb.admit(&normal, "batch").is_ok(), "the portal's bucket is another");
        // A failure a test arranges hits the next call of that method only.
        lock(&sb.sessions).get_mut(&normal).unwrap().transient.push(("crm.contact.get".into(), 1, false));
        assert_eq!(sb.transient_failure(&normal, "crm.contact.get").err().map(|f| f.status), Some(500));
        assert!(sb.transient_failure(&normal, "crm.contact.get").is_ok());
    }
}
