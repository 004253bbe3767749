//! Named call situations the portal page can open the widget in (`?scenario=NAME`).

use crate::outcome::Fault;

/// How a scenario's `PLACEMENT_OPTIONS` are sent.
#[derive(Clone, Copy, Debug)]
pub enum Options {
    /// String values, POSTed as a JSON string and given to `getInitData` as an object.
    Fields(&'static [(&'static str, &'static str)]),
    /// The same, made at run time: the call card of the n-th call the app registered (the
    /// sandbox keeps them, `Sandbox::options`).
    Registered(usize),
    /// Exactly this text, in both places (for broken data).
    Raw(&'static str),
}

#[derive(Clone, Copy, Debug)]
pub struct Scenario {
    pub name: &'static str,
    /// One line for the portal page.
    pub summary: &'static str,
    pub placement: &'static str,
    pub lang: &'static str,
    pub options: Options,
    /// REST methods that fail in this scenario, alone or inside a batch.
    pub faults: &'static [Fault],
    /// Seconds an access token lives in this scenario (default: the sandbox's setting).
    pub token_lifetime: Option<u64>,
    /// The portal never answers `refreshAuth` (it shows an alert instead).
    pub refresh_never_answers: bool,
    /// The next client of a call list, for the portal's "next client" control.
    pub next_client: (&'static str, &'static str, &'static str),
    /// The app's scopes (`None`: all it asks for).
    pub scopes: Option<&'static [&'static str]>,
    /// A request limit of its own: `(burst, drain per second, starts full)`.
    pub rate_limit: Option<(u32, f64, bool)>,
    /// Each method's execution-time budget in ten minutes, in milliseconds.
    pub time_budget_ms: Option<u64>,
    /// Milliseconds added to every REST reply (the page's `&latency=` overrides it).
    pub latency_ms: u64,
    /// The portal's own time for this scenario (the page's `&server_time=` overrides it; `None`:
    /// the sandbox's setting).
    pub server_time: Option<crate::server_time::ServerTime>,
    /// The portal opens the app by GET with no form, as it opens apps hosted by Bitrix24 itself
    /// (an uploaded static archive): all launch data then comes from `getInitData`.
    pub opened_by_get: bool,
    /// The user who opened it is a portal administrator (`IS_ADMIN`).
    pub admin: bool,
    /// The portal opens the app as its installation step (`INSTALL`).
    pub install: bool,
    /// The card is shown in the portal's mobile app, which has no slider: `openPath` answers
    /// `METHOD_NOT_SUPPORTED_ON_DEVICE` (rest's `applayout.js`).
    pub mobile: bool,
    /// The portal bound the call to this record after the tab opened: `getStatus` names it
    /// though the posted options did not (`CRM_ENTITY_TYPE`, `CRM_ENTITY_ID`).
    pub status_bound: Option<(&'static str, &'static str)>,
    /// Milliseconds before the portal answers `getStatus`. A test knob, not a portal figure: the
    /// call card's page answers from its own state, but a busy page answers late.
    pub status_delay_ms: u64,
}

impl Scenario {
    /// A field of the options, for the portal page's own call panel.
    pub fn field(&self, key: &str) -> Option<&'static str> {
        match self.options {
            Options::Fields(fields) => fields.iter().find(|(k, _)| *k == key).map(|(_, v)| *v),
            Options::Registered(_) | Options::Raw(_) => None,
        }
    }
}

const fn call(name: &'static str, summary: &'static str, options: &'static [(&'static str, &'static str)]) -> Scenario {
    Scenario {
        name,
        summary,
        placement: "CALL_CARD",
        lang: "en",
        options: Options::Fields(options),
        faults: &[],
        token_lifetime: None,
        refresh_never_answers: false,
        next_client: ("12125550147", "CONTACT", "6"),
        scopes: None,
        rate_limit: None,
        time_budget_ms: None,
        latency_ms: 0,
        server_time: None,
        opened_by_get: false,
        admin: true,
        install: false,
        mobile: false,
        status_bound: None,
        status_delay_ms: 0,
    }
}

/// The call card of a call the app registered (`telephony.externalCall.register` with `SHOW`).
/// The call card of the `index`-th call the app registered.
pub const fn registered(index: usize) -> Scenario {
    Scenario {
        options: Options::Registered(index),
        ..call("registered-call", "A call the app registered and asked the portal to show.", &[])
    }
}

/// The app's own page (`PLACEMENT=DEFAULT`), as the portal opens it from the app menu.
const fn app_page(name: &'static str, summary: &'static str) -> Scenario {
    Scenario { placement: "DEFAULT", ..call(name, summary, &[]) }
}

pub const DEFAULT: &str = "known-contact";

pub const ALL: &[Scenario] = &[
    call(
        "known-contact",
        "Incoming call from a contact whose number is stored nationally (030 …) while telephony sends it internationally.",
        &[("CALL_ID", "externalCall.7a1c0f"), ("PHONE_NUMBER", "49301234567"), ("LINE_NUMBER", "4930555000"),
          ("LINE_NAME", "Sales Berlin"), ("CRM_ENTITY_TYPE", ""), ("CRM_ENTITY_ID", "0"), ("CALL_DIRECTION", "incoming"),
          ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false"), ("CRM_BINDINGS", "[]")],
    ),
    call(
        "known-company",
        "Incoming call from a company's switchboard number that no contact has.",
        &[("CALL_ID", "externalCall.51b2"), ("PHONE_NUMBER", "49405556677"), ("LINE_NUMBER", "4930555000"),
          ("LINE_NAME", "Sales Berlin"), ("CRM_ENTITY_TYPE", "0"), ("CRM_ENTITY_ID", "0"), ("CALL_DIRECTION", "incoming"),
          ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
    ),
    Scenario {
        lang: "ru",
        ..call(
        "known-lead",
        "Incoming call from a lead stored as 8 (495) …, dialled as +7 495 ….",
        &[("CALL_ID", "externalCall.90ee"), ("PHONE_NUMBER", "74951234567"), ("LINE_NUMBER", "74955550000"),
          ("LINE_NAME", "Москва, продажи"), ("CRM_ENTITY_TYPE", "undefined"), ("CRM_ENTITY_ID", "undefined"),
          ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
    )
    },
    call(
        "several-matches",
        "A switchboard number shared by a company and two of its contacts: the agent picks.",
        &[("CALL_ID", "externalCall.5eb1"), ("PHONE_NUMBER", "78125550100"), ("LINE_NUMBER", "78125550000"),
          ("LINE_NAME", "Санкт-Петербург"), ("CRM_ENTITY_TYPE", ""), ("CRM_ENTITY_ID", "0"), ("CALL_DIRECTION", "incoming"),
          ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
    ),
    Scenario {
        status_bound: Some(("COMPANY", "3")),
        status_delay_ms: 1500,
        ..call(
            "bound-while-opening",
            "The shared switchboard number again; the portal binds the call to the company while the tab opens, and says so in getStatus 1.5 s later.",
            &[("CALL_ID", "externalCall.5eb2"), ("PHONE_NUMBER", "78125550100"), ("LINE_NUMBER", "78125550000"),
              ("LINE_NAME", "Санкт-Петербург"), ("CRM_ENTITY_TYPE", ""), ("CRM_ENTITY_ID", "0"), ("CALL_DIRECTION", "incoming"),
              ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
        )
    },
    Scenario {
        faults: &[Fault::Error { method: "crm.activity.list", status: 500, code: "INTERNAL_SERVER_ERROR", description: "Internal server error" }],
        ..call(
            "failing-section",
            "A known contact, but the portal fails to list activities: the rest of the card must stand.",
            &[("CALL_ID", "externalCall.fa11"), ("PHONE_NUMBER", "49301234567"), ("LINE_NUMBER", "4930555000"),
              ("LINE_NAME", "Sales Berlin"), ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
        )
    },
    Scenario {
        faults: &[Fault::Fatal { method: "crm.deal.list" }],
        ..call(
            "context-fails",
            "A known contact, but listing deals ends in a PHP error: the card's second request (deals, activities, comments) fails as a whole; the caller stays named.",
            &[("CALL_ID", "externalCall.c0f1"), ("PHONE_NUMBER", "49301234567"), ("LINE_NAME", "Sales Berlin"),
              ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
        )
    },
    Scenario {
        refresh_never_answers: true,
        ..call(
            "refresh-never-answers",
            "A known contact, but the portal cannot refresh the app's access: refreshAuth is never answered.",
            &[("CALL_ID", "externalCall.0a0a"), ("PHONE_NUMBER", "49301234567"), ("LINE_NAME", "Sales Berlin"),
              ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
        )
    },
    Scenario {
        options: Options::Fields(&[("CALL_ID", "externalCall.ca11"), ("PHONE_NUMBER", "49301234567"), ("LINE_NUMBER", "4930555000"),
            ("LINE_NAME", "Spring campaign"), ("CRM_ENTITY_TYPE", "CONTACT"), ("CRM_ENTITY_ID", "1"),
            ("CALL_DIRECTION", "outgoing"), ("CALL_STATE", "connecting"), ("CALL_LIST_MODE", "true")]),
        next_client: ("49405556679", "CONTACT", "25"),
        ..call("call-list", "A call-list campaign: outgoing calls one client after another (\"Next client\" moves on).", &[])
    },
    Scenario {
        token_lifetime: Some(3),
        ..call(
            "expired-token",
            "A known contact whose access token expires 3 seconds after the card opens.",
            &[("CALL_ID", "externalCall.e0e0"), ("PHONE_NUMBER", "49301234567"), ("LINE_NAME", "Sales Berlin"),
              ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
        )
    },
    Scenario {
        rate_limit: Some((50, 2.0, true)),
        ..call(
            "rate-limited",
            "The portal's request bucket is full (a busy call centre): requests get 503 until it drains at 2/s.",
            &[("CALL_ID", "externalCall.5a5a"), ("PHONE_NUMBER", "49301234567"), ("LINE_NAME", "Sales Berlin"),
              ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
        )
    },
    Scenario {
        latency_ms: 1500,
        ..call(
            "slow-portal",
            "Every REST reply takes 1.5 seconds.",
            &[("CALL_ID", "externalCall.5105"), ("PHONE_NUMBER", "49301234567"), ("LINE_NAME", "Sales Berlin"),
              ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
        )
    },
    Scenario {
        faults: &[Fault::Html { status: 502 }],
        ..call(
            "portal-down",
            "The portal is down: every REST request gets an HTML 502 page from the proxy in front of it.",
            &[("CALL_ID", "externalCall.d0d0"), ("PHONE_NUMBER", "49301234567"), ("LINE_NAME", "Sales Berlin"),
              ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
        )
    },
    Scenario {
        faults: &[Fault::Hang { secs: 40 }],
        ..call(
            "portal-hangs",
            "Every REST request hangs (40 s, then a 504): the widget must give up and say so, not load forever.",
            &[("CALL_ID", "externalCall.4a46"), ("PHONE_NUMBER", "49301234567"), ("LINE_NAME", "Sales Berlin"),
              ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
        )
    },
    call(
        "hostile-data",
        "A record full of markup, </script>, right-to-left text and a 10 KB name, on a hostile line name.",
        &[("CALL_ID", "externalCall.<script>"), ("PHONE_NUMBER", "15550100999"),
          ("LINE_NAME", "</script><img src=x onerror=alert(1)>\u{202e}enil"), ("CALL_DIRECTION", "incoming"),
          ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
    ),
    Scenario {
        scopes: Some(&["placement", "telephony", "user_brief"]),
        ..call(
            "insufficient-scope",
            "The app was installed without the crm scope: every CRM method answers insufficient_scope.",
            &[("CALL_ID", "externalCall.5c0e"), ("PHONE_NUMBER", "49301234567"), ("LINE_NAME", "Sales Berlin"),
              ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
        )
    },
    Scenario {
        server_time: Some(crate::server_time::ServerTime::Docs),
        time_budget_ms: Some(10),
        ..call(
            "time-limited",
            "Each method may run 10 ms per ten minutes and takes the portal's own time (more than that): the next call of a method gets 429.",
            &[("CALL_ID", "externalCall.7171"), ("PHONE_NUMBER", "49301234567"), ("LINE_NAME", "Sales Berlin"),
              ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
        )
    },
    call(
        "unknown-number",
        "Incoming call from a number that is in no record.",
        &[("CALL_ID", "externalCall.0c3d"), ("PHONE_NUMBER", "12025550123"), ("LINE_NUMBER", "12125550000"),
          ("LINE_NAME", "US support"), ("CRM_ENTITY_TYPE", ""), ("CRM_ENTITY_ID", "0"), ("CALL_DIRECTION", "incoming"),
          ("CALL_STATE", "connecting"), ("CALL_LIST_MODE", "false")],
    ),
    call(
        "hidden-number",
        "Incoming call with the caller's number withheld: no PHONE_NUMBER at all.",
        &[("CALL_ID", "externalCall.4411"), ("LINE_NUMBER", "4930555000"), ("LINE_NAME", "Sales Berlin"),
          ("CRM_ENTITY_TYPE", ""), ("CRM_ENTITY_ID", "0"), ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connecting"),
          ("CALL_LIST_MODE", "false")],
    ),
    call(
        "bound-entity",
        "The call names its contact (CRM_ENTITY_TYPE/ID) and a deal binding; no search is needed.",
        &[("CALL_ID", "externalCall.b0d1"), ("PHONE_NUMBER", "78125550123"), ("LINE_NUMBER", "78125550000"),
          ("LINE_NAME", "Санкт-Петербург"), ("CRM_ENTITY_TYPE", "CONTACT"), ("CRM_ENTITY_ID", "4"),
          ("CRM_ACTIVITY_ID", "311"), ("CRM_BINDINGS", r#"[{"ENTITY_TYPE":"CONTACT","ENTITY_ID":"4"},{"ENTITY_TYPE":"DEAL","ENTITY_ID":"5"}]"#),
          ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
    ),
    Scenario {
        mobile: true,
        ..call(
            "mobile-app",
            "The agent takes the call in the portal's mobile app: records cannot open in a slider there, so they open as links.",
            &[("CALL_ID", "externalCall.m0b1"), ("PHONE_NUMBER", "49301234567"), ("LINE_NUMBER", "4930555000"),
              ("LINE_NAME", "Sales Berlin"), ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
        )
    },
    Scenario {
        faults: &[Fault::SlowBodyOnce { secs: 17 }],
        ..call(
            "slow-reply",
            "The portal starts its first reply at once but sends the card's data 17 s later: the widget times out, says nothing, and asks once more.",
            &[("CALL_ID", "externalCall.510w"), ("PHONE_NUMBER", "49301234567"), ("LINE_NUMBER", "4930555000"),
              ("LINE_NAME", "Sales Berlin"), ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
        )
    },
    call(
        "extension-number",
        "The switchboard of a Munich office calls; the contact's office number is stored with her extension (#214).",
        &[("CALL_ID", "externalCall.e214"), ("PHONE_NUMBER", "498945678900"), ("LINE_NUMBER", "4930555000"),
          ("LINE_NAME", "Sales Berlin"), ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
    ),
    call(
        "outgoing",
        "The agent calls a contact (the published page spells the direction \"outcoming\").",
        &[("CALL_ID", "externalCall.e77f"), ("PHONE_NUMBER", "12125550147"), ("LINE_NUMBER", "12125550000"),
          ("LINE_NAME", "US sales"), ("CRM_ENTITY_TYPE", ""), ("CRM_ENTITY_ID", "0"), ("CALL_DIRECTION", "outcoming"),
          ("CALL_STATE", "connecting"), ("CALL_LIST_MODE", "false")],
    ),
    Scenario {
        options: Options::Raw(r#"{"CALL_ID":"externalCall.dead","PHONE_NUMBER":"4930"#),
        ..call("malformed-options", "PLACEMENT_OPTIONS arrive cut off mid-JSON: the widget must say so, not go blank.", &[])
    },
    Scenario {
        opened_by_get: true,
        lang: "de",
        ..call(
            "static-app",
            "The portal opens the app by GET, as a Bitrix24-hosted static app: no posted fields, only getInitData.",
            &[("CALL_ID", "externalCall.57a7"), ("PHONE_NUMBER", "49301234567"), ("LINE_NUMBER", "4930555000"),
              ("LINE_NAME", "Sales Berlin"), ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
        )
    },
    Scenario {
        install: true,
        ..app_page("install", "The portal installs the app: its page opens with INSTALL, binds the call card tab and finishes the installation.")
    },
    Scenario {
        install: true,
        scopes: Some(&["crm", "placement", "user_brief"]),
        ..app_page("install-missing-scope", "The installation step of an app whose settings lack the telephony scope.")
    },
    Scenario {
        install: true,
        admin: false,
        ..app_page("install-not-admin", "The installation step opened by a user who is not an administrator.")
    },
    Scenario {
        install: true,
        opened_by_get: true,
        ..app_page("static-install", "The portal installs the app uploaded as a static archive: it opens install.html by GET, with INSTALL.")
    },
    app_page("app-home", "The app's own page opened from the app menu by an administrator: the installation's status and controls."),
    Scenario {
        opened_by_get: true,
        ..app_page("static-app-page", "The app's own page of the static archive, opened from the app menu: the portal opens index.html by GET.")
    },
    Scenario {
        scopes: Some(&["crm", "placement", "user_brief"]),
        ..app_page("app-home-no-telephony", "The app's own page of an app whose settings lost the telephony scope: a test call is refused.")
    },
    Scenario {
        admin: false,
        ..app_page("app-home-user", "The app's own page opened by a user who is not an administrator.")
    },
    Scenario {
        placement: "CRM_DEAL_DETAIL_TAB",
        ..call("other-placement", "The app is opened in a placement it does not serve (a deal's tab), not in a call card.", &[("ID", "5")])
    },
];

pub fn find(name: &str) -> Option<&'static Scenario> {
    ALL.iter().find(|s| s.name == name)
}
