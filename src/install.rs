//! The app's installation as plain data: what `placement.bind` registers, what the portal says
//! about the app (`scope`, `user.admin`, `placement.get`, in one batch), and what the app's own
//! page shows and may do. The browser side (`app_page`) only sends these requests and stores the
//! answers in an [`AppPage`].

use crate::json;
use crate::json::{Map, Value};

use crate::rest::batch::{Batch, BatchReply, Outcome};
use crate::rest::envelope::ApiError;
use crate::i18n::Lang;
use crate::problem::Problem;

/// The placement the widget lives in.
pub const PLACEMENT: &str = "CALL_CARD";

/// The scopes the widget needs: the card's data (`crm`), the tab (`placement`, `telephony`) and
/// the responsible manager (`user_brief`, which `user` includes).
pub const NEEDED_SCOPES: &[&str] = &["crm", "telephony", "placement", "user_brief"];

/// `placement.bind` parameters that put the tab into call cards, opened at `handler`; its title
/// in every interface language (`LANG_ALL`, by the portal's language codes), English as the
/// default.
pub fn bind_params(handler: &str) -> Value {
    let titles: Map =
        Lang::ALL.iter().map(|lang| (lang.code().to_string(), json!({ "TITLE": lang.app_page().title }))).collect();
    json!({ "PLACEMENT": PLACEMENT, "HANDLER": handler, "TITLE": Lang::En.app_page().title, "LANG_ALL": titles })
}

/// `placement.unbind` parameters that remove every call card tab of this app, whichever address
/// it opens (a deployment that moved leaves its old binding behind).
pub fn unbind_params() -> Value {
    json!({ "PLACEMENT": PLACEMENT })
}

/// The handler URL of this deployment: the page's address without query and fragment (the
/// portal adds its own query when it opens the tab). The app's own page is `app.html` (a
/// Bitrix24-hosted archive is installed through `install.html`, a copy of it) beside the call
/// card's `index.html`, which the tab must open. `None` for anything but http(s).
pub fn handler_url(page_address: &str) -> Option<String> {
    let end = page_address.find(['?', '#']).unwrap_or(page_address.len());
    let url = &page_address[..end];
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return None;
    }
    Some(match url.strip_suffix("/install.html").or_else(|| url.strip_suffix("/app.html")) {
        Some(dir) => format!("{dir}/index.html"),
        None => url.to_string(),
    })
}

/// Whether two handler URLs open the same page: scheme and host compare case-insensitively,
/// the query is ignored, and `…/index.html` is the same page as `…/`.
pub fn same_handler(a: &str, b: &str) -> bool {
    fn key(url: &str) -> String {
        let url = url.split(['?', '#']).next().unwrap_or_default();
        let (scheme_host, path) = match url.find("://").and_then(|i| url[i + 3..].find('/').map(|j| i + 3 + j)) {
            Some(at) => (&url[..at], &url[at..]),
            None => (url, "/"),
        };
        let path = path.strip_suffix("index.html").unwrap_or(path);
        format!("{}{}", scheme_host.to_ascii_lowercase(), path)
    }
    key(a) == key(b)
}

/// One registered call card tab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub handler: String,
    pub title: String,
}

/// What the portal said about the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Installation {
    pub is_admin: bool,
    /// The user's id (`user.current`), for a test call shown to them.
    pub user_id: Option<u64>,
    /// The call card tabs; the portal's error when it would not tell (only administrators may).
    pub bindings: Result<Vec<Binding>, ApiError>,
    /// The app's scopes; the portal's error when it would not tell.
    pub scopes: Result<Vec<String>, ApiError>,
}

/// Where the tab stands for this deployment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TabState {
    /// The portal would not tell.
    Unknown(ApiError),
    Unbound,
    /// Bound to this deployment (perhaps also elsewhere: `others`).
    Here { others: Vec<String> },
    /// Bound only to other addresses.
    Elsewhere(Vec<String>),
}

impl Installation {
    pub fn tab(&self, ours: &str) -> TabState {
        let bindings = match &self.bindings {
            Err(e) => return TabState::Unknown(e.clone()),
            Ok(b) => b,
        };
        let others: Vec<String> =
            bindings.iter().filter(|b| !same_handler(&b.handler, ours)).map(|b| b.handler.clone()).collect();
        if bindings.is_empty() {
            TabState::Unbound
        } else if others.len() < bindings.len() {
            TabState::Here { others }
        } else {
            TabState::Elsewhere(others)
        }
    }

    /// Needed scopes the app lacks (`user` stands in for `user_brief`); empty when unknown.
    pub fn missing_scopes(&self) -> Vec<&'static str> {
        let Ok(granted) = &self.scopes else { return Vec::new() };
        let has = |s: &str| granted.iter().any(|g| g == s);
        NEEDED_SCOPES
            .iter()
            .copied()
            .filter(|needed| !(has(needed) || (*needed == "user_brief" && has("user"))))
            .collect()
    }

    /// What the installation step does next.
    pub fn install_step(&self, ours: &str) -> InstallStep {
        if !self.is_admin {
            return InstallStep::Blocked(Blocker::NotAdmin);
        }
        let missing = self.missing_scopes();
        if !missing.is_empty() {
            return InstallStep::Blocked(Blocker::MissingScopes(missing));
        }
        match self.tab(ours) {
            TabState::Here { .. } => InstallStep::Finish,
            TabState::Elsewhere(others) => InstallStep::Blocked(Blocker::BoundElsewhere(others)),
            // Not told: binding says whether it works, and why not.
            TabState::Unbound | TabState::Unknown(_) => InstallStep::Bind,
        }
    }
}

/// The next move of the installation step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InstallStep {
    /// Bind the tab, then finish.
    Bind,
    /// The tab is bound here already (a reinstall): finish.
    Finish,
    /// Stop and explain; the user decides.
    Blocked(Blocker),
}

/// Why the installation cannot go on by itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocker {
    NotAdmin,
    MissingScopes(Vec<&'static str>),
    BoundElsewhere(Vec<String>),
}

/// The batch that reads the installation: one round trip.
pub fn status_batch() -> Batch {
    let mut batch = Batch::default();
    batch
        .push("scope", "scope", json!({}))
        .push("admin", "user.admin", json!({}))
        .push("me", "user.current", json!({}))
        .push("tabs", "placement.get", json!({}));
    batch
}

/// `telephony.externalCall.register` parameters that show `user_id` an incoming call from
/// `number` in a call card, without creating anything in the CRM or the chat: how to see the tab
/// without a telephony provider. The number must have 5 to 15 digits; other characters
/// (`+`, spaces, brackets) are left out.
pub fn test_call_params(user_id: u64, number: &str) -> Option<Value> {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let well_formed = number.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    (well_formed && (5..=15).contains(&digits.len())).then(|| {
        json!({ "USER_ID": user_id, "PHONE_NUMBER": digits, "TYPE": 2, "SHOW": 1, "CRM_CREATE": 0, "ADD_TO_CHAT": 0 })
    })
}

/// The batch that moves the tab to this deployment: every old binding goes, then ours is made;
/// it stops at the first failure so a failed unbind leaves everything as it was.
pub fn rebind_batch(handler: &str) -> Batch {
    let mut batch = Batch { halt: true, ..Batch::default() };
    batch.push("unbind", "placement.unbind", unbind_params()).push("bind", "placement.bind", bind_params(handler));
    batch
}

/// Reads [`status_batch`]'s reply. `told_admin` is `IS_ADMIN` from the frame when there is one;
/// otherwise the portal's `user.admin` decides.
pub fn read_status(reply: &BatchReply, told_admin: Option<bool>) -> Installation {
    let unreadable = |what: &str| ApiError { code: String::new(), description: format!("the portal's answer to {what} could not be read") };
    let missing = |what: &str| ApiError { code: String::new(), description: format!("the portal did not answer {what}") };
    let scopes = match reply.outcome("scope") {
        Outcome::Ok(Value::Array(list)) => Ok(list.iter().filter_map(Value::as_str).map(str::to_string).collect()),
        Outcome::Ok(_) => Err(unreadable("scope")),
        Outcome::Failed(e) => Err(e.clone()),
        Outcome::Missing => Err(missing("scope")),
    };
    let rest_admin = match reply.outcome("admin") {
        Outcome::Ok(v) => crate::portal::flag(Some(v)),
        _ => false,
    };
    let bindings = match reply.outcome("tabs") {
        Outcome::Ok(Value::Array(list)) => Ok(list.iter().filter_map(binding).collect()),
        // An empty PHP array may come as `{}` too.
        Outcome::Ok(Value::Object(o)) if o.is_empty() => Ok(Vec::new()),
        Outcome::Ok(_) => Err(unreadable("placement.get")),
        Outcome::Failed(e) => Err(e.clone()),
        Outcome::Missing => Err(missing("placement.get")),
    };
    let user_id = match reply.outcome("me") {
        Outcome::Ok(me) => crate::portal::id(me.get("ID")),
        _ => None,
    };
    Installation { is_admin: told_admin.unwrap_or(rest_admin), user_id, bindings, scopes }
}

/// A `placement.get` entry, if it is a call card tab with a handler.
fn binding(entry: &Value) -> Option<Binding> {
    let text = |k: &str| entry.get(k).and_then(Value::as_str).map(str::trim).unwrap_or_default().to_string();
    (text("placement").eq_ignore_ascii_case(PLACEMENT) && !text("handler").is_empty())
        .then(|| Binding { handler: text("handler"), title: text("title") })
}

/// Something the app page can be asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read the installation again.
    Check,
    Bind,
    /// Move the tab from another address to this deployment.
    Rebind,
    Unbind,
    /// The installation step: bind if needed, then tell the portal the installation finished.
    Install,
    /// Show the user a test call card (the number comes with the request).
    TestCall,
}

/// What the app page shows: the last reading of the installation and the last action's outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct AppPage {
    /// This deployment's handler URL.
    pub handler: String,
    /// Opened as the installation step.
    pub install: bool,
    pub reading: Reading,
    /// The action under way.
    pub busy: Option<Action>,
    pub outcome: Option<ActionOutcome>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Reading {
    Pending,
    Known(Installation),
    Failed(Problem),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ActionOutcome {
    /// Done; the portal page must be reloaded for the tab to appear or go.
    Done(Action),
    /// The portal shows the user a call card for this call.
    TestCallShown { call_id: String },
    Failed(Action, Problem),
    /// The installation step stopped to ask.
    Blocked(Blocker),
}

impl AppPage {
    pub fn new(handler: String, install: bool) -> AppPage {
        AppPage { handler, install, reading: Reading::Pending, busy: None, outcome: None }
    }

    /// A test call can be shown: the tab is bound here and the user is known.
    pub fn can_test_call(&self) -> Option<u64> {
        let installation = self.installation()?;
        match installation.tab(&self.handler) {
            TabState::Here { .. } if self.busy.is_none() => installation.user_id,
            _ => None,
        }
    }

    pub fn installation(&self) -> Option<&Installation> {
        match &self.reading {
            Reading::Known(i) => Some(i),
            _ => None,
        }
    }

    /// The actions the page offers now: none while one runs; changing the tab only to
    /// administrators, and only where it changes something.
    pub fn offered(&self) -> Vec<Action> {
        if self.busy.is_some() {
            return Vec::new();
        }
        let Some(installation) = self.installation() else { return vec![Action::Check] };
        let mut actions = Vec::new();
        if installation.is_admin {
            if self.install && !matches!(self.outcome, Some(ActionOutcome::Done(Action::Install))) {
                actions.push(Action::Install);
            }
            match installation.tab(&self.handler) {
                TabState::Unbound => actions.push(Action::Bind),
                TabState::Elsewhere(_) => actions.extend([Action::Rebind, Action::Unbind]),
                TabState::Here { others } if !others.is_empty() => actions.extend([Action::Rebind, Action::Unbind]),
                TabState::Here { .. } => actions.push(Action::Unbind),
                TabState::Unknown(_) => {}
            }
        }
        actions.push(Action::Check);
        actions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(v: Value) -> BatchReply {
        BatchReply::parse(&v).unwrap()
    }

    const OURS: &str = "https://widget.example/";

    #[test]
    fn bind_registers_the_tab_with_titles_in_every_language() {
        let p = bind_params(OURS);
        assert_eq!(p["PLACEMENT"], "CALL_CARD");
        assert_eq!(p["HANDLER"], OURS);
        assert_eq!(p["TITLE"], "Caller card");
        assert_eq!(p["LANG_ALL"]["de"]["TITLE"], "Anruferkarte");
        assert_eq!(p["LANG_ALL"]["ru"]["TITLE"], "Карточка клиента");
        let body = rebind_batch(OURS).form_body();
        assert!(body.starts_with("halt=1&cmd%5Bunbind%5D=placement.unbind"), "{body}");
        assert!(body.find("unbind").unwrap() < body.find("%5Bbind%5D").unwrap());
    }

    #[test]
    fn the_handler_is_the_page_without_its_query() {
        assert_eq!(handler_url("https://w.example/?DOMAIN=p&APP_SID=1").as_deref(), Some("https://w.example/"));
        assert_eq!(handler_url("http://h:8082/index.html#x").as_deref(), Some("http://h:8082/index.html"));
        assert_eq!(handler_url("about:blank"), None);
        assert_eq!(handler_url("https://cdn.example/app/install.html?x").as_deref(), Some("https://cdn.example/app/index.html"));
        assert_eq!(handler_url("https://cdn.example/app/app.html?DOMAIN=p").as_deref(), Some("https://cdn.example/app/index.html"));
        assert!(same_handler("https://W.example/index.html?x=1", "https://w.example/"));
        assert!(!same_handler("https://w.example/", "https://w.example/other/"));
        assert!(!same_handler("https://a.example/", "https://b.example/"));
    }

    #[test]
    fn the_status_reads_tabs_scopes_and_rights() {
        let r = reply(json!({
            "result": {
                "scope": ["crm", "placement", "telephony", "user"],
                "admin": true,
                "tabs": [
                    {"placement": "CALL_CARD", "handler": "https://widget.example/?x=1", "title": "Caller card"},
                    {"placement": "CRM_DEAL_DETAIL_TAB", "handler": "https://other.example/", "title": "x"}
                ]
            }
        }));
        let i = read_status(&r, None);
        assert!(i.is_admin);
        assert!(i.missing_scopes().is_empty(), "user stands in for user_brief");
        assert_eq!(i.tab(OURS), TabState::Here { others: vec![] });
        assert_eq!(i.install_step(OURS), InstallStep::Finish);
        assert_eq!(i.tab("https://new.example/"), TabState::Elsewhere(vec!["https://widget.example/?x=1".into()]));
        // The frame's IS_ADMIN wins over user.admin.
        assert!(!read_status(&r, Some(false)).is_admin);
    }

    #[test]
    fn the_install_step_binds_or_stops_to_explain() {
        let denied = ApiError { code: "ACCESS_DENIED".into(), description: "Access denied! Admin permissions required".into() };
        let r = reply(json!({
            "result": {"scope": ["crm", "placement", "telephony", "user_brief"], "admin": false},
            "result_error": {"tabs": {"error": "ACCESS_DENIED", "error_description": "Access denied! Admin permissions required"}}
        }));
        let user = read_status(&r, None);
        assert_eq!(user.tab(OURS), TabState::Unknown(denied));
        assert_eq!(user.install_step(OURS), InstallStep::Blocked(Blocker::NotAdmin));

        let fresh = reply(json!({"result": {"scope": ["crm", "placement", "telephony", "user_brief"], "admin": true, "tabs": []}}));
        assert_eq!(read_status(&fresh, None).install_step(OURS), InstallStep::Bind);

        let no_crm = reply(json!({"result": {"scope": ["placement", "telephony"], "admin": true, "tabs": []}}));
        assert_eq!(read_status(&no_crm, None).install_step(OURS), InstallStep::Blocked(Blocker::MissingScopes(vec!["crm", "user_brief"])));

        let elsewhere = reply(json!({"result": {"scope": NEEDED_SCOPES, "admin": true, "tabs": [{"placement": "CALL_CARD", "handler": "https://old.example/"}]}}));
        assert_eq!(
            read_status(&elsewhere, None).install_step(OURS),
            InstallStep::Blocked(Blocker::BoundElsewhere(vec!["https://old.example/".into()]))
        );
    }

    #[test]
    fn a_test_call_is_an_incoming_call_that_creates_nothing() {
        let p = test_call_params(7, "+49 (30) 123-4567").unwrap();
        assert_eq!(p, json!({"USER_ID": 7, "PHONE_NUMBER": "49301234567", "TYPE": 2, "SHOW": 1, "CRM_CREATE": 0, "ADD_TO_CHAT": 0}));
        for bad in ["", "1234", "+1 555 CALL NOW", "1234567890123456", "49;301234567"] {
            assert_eq!(test_call_params(7, bad), None, "{bad}");
        }
        let r = reply(json!({"result": {"me": {"ID": "7", "NAME": "A"}, "tabs": []}}));
        assert_eq!(read_status(&r, None).user_id, Some(7));
    }

    #[test]
    fn unreadable_answers_are_unknown_not_guesses() {
        let r = reply(json!({"result": {"scope": "crm", "tabs": 5}}));
        let i = read_status(&r, Some(true));
        assert!(i.scopes.is_err() && i.bindings.is_err());
        assert!(i.missing_scopes().is_empty());
        assert!(matches!(i.tab(OURS), TabState::Unknown(_)));
        assert!(matches!(read_status(&reply(json!({"result": []})), None).bindings, Err(e) if e.description.contains("did not answer")));
    }

    #[test]
    fn only_administrators_are_offered_changes() {
        let known = |is_admin, tabs: Vec<Binding>| Reading::Known(Installation { is_admin, user_id: Some(1), bindings: Ok(tabs), scopes: Ok(vec![]) });
        let mut page = AppPage::new(OURS.into(), false);
        assert_eq!(page.offered(), vec![Action::Check]);
        page.reading = known(true, vec![]);
        assert_eq!(page.offered(), vec![Action::Bind, Action::Check]);
        assert_eq!(page.can_test_call(), None, "no tab here: nothing to show");
        page.reading = known(true, vec![Binding { handler: OURS.into(), title: String::new() }]);
        assert_eq!(page.offered(), vec![Action::Unbind, Action::Check]);
        assert_eq!(page.can_test_call(), Some(1));
        page.reading = known(true, vec![Binding { handler: "https://old.example/".into(), title: String::new() }]);
        assert_eq!(page.offered(), vec![Action::Rebind, Action::Unbind, Action::Check]);
        page.reading = known(false, vec![Binding { handler: OURS.into(), title: String::new() }]);
        assert_eq!(page.offered(), vec![Action::Check]);
        page.busy = Some(Action::Check);
        assert!(page.offered().is_empty());
    }
}
