//! Named call situations the portal page can open the widget in (`?scenario=NAME`).

use crate::rest::Fault;

/// How a scenario's `PLACEMENT_OPTIONS` are sent.
#[derive(Clone, Copy, Debug)]
pub enum Options {
    /// String values, POSTed as a JSON string and given to `getInitData` as an object.
    Fields(&'static [(&'static str, &'static str)]),
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
}

impl Scenario {
    /// A field of the options, for the portal page's own call panel.
    pub fn field(&self, key: &str) -> Option<&'static str> {
        match self.options {
            Options::Fields(fields) => fields.iter().find(|(k, _)| *k == key).map(|(_, v)| *v),
            Options::Raw(_) => None,
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
    }
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
        faults: &[("crm.activity.list", 500, "INTERNAL_SERVER_ERROR", "Internal server error")],
        ..call(
            "failing-section",
            "A known contact, but the portal fails to list activities: the rest of the card must stand.",
            &[("CALL_ID", "externalCall.fa11"), ("PHONE_NUMBER", "49301234567"), ("LINE_NUMBER", "4930555000"),
              ("LINE_NAME", "Sales Berlin"), ("CALL_DIRECTION", "incoming"), ("CALL_STATE", "connected"), ("CALL_LIST_MODE", "false")],
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
        placement: "DEFAULT",
        ..call("other-placement", "The app is opened as its own page (PLACEMENT=DEFAULT), not in a call card.", &[("any", "1")])
    },
];

pub fn find(name: &str) -> Option<&'static Scenario> {
    ALL.iter().find(|s| s.name == name)
}
