//! Launch data: what the portal tells the widget about this opening of the tab.
//!
//! It arrives from two sources. The thin handler inlines the POSTed form and the handler URL's
//! query into the page (fast, synchronous); inside a portal frame, `getInitData` answers the same
//! facts over the frame protocol (and is the only source when the portal opens the app by GET).
//! Both are untrusted: every field is parsed into a type here, and whatever cannot be used becomes
//! a [`LaunchError`] that the UI explains. Nothing in this module touches the browser.

use crate::json::{Map, Value};
use std::fmt;

use crate::crm::entity::{EntityKind, EntityRef};
use crate::portal::{flag, id, seconds, text, AccessToken, Portal};
use crate::theme::Theme;
use crate::i18n::Texts;
use crate::text::Fill;

/// Where in the portal the widget was opened.
#[derive(Clone, Debug, PartialEq)]
pub enum Placement {
    CallCard(CallCardOptions),
    /// `DEFAULT`: the app's own page, opened from the app menu or as the installation step.
    AppPage,
    /// Any other placement code (`CRM_CONTACT_DETAIL_TAB`…): not served.
    Other(String),
}

/// Which way the call goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallDirection {
    Incoming,
    Outgoing,
    Callback,
}

/// The call card's options (`PLACEMENT_OPTIONS`). Every field is optional: a hidden number has no
/// `PHONE_NUMBER`, an unbound call no entity. A value the widget cannot read is treated as absent
/// rather than failing the whole card: the agent is on a live call.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CallCardOptions {
    pub call_id: Option<String>,
    /// The caller's number as the portal gave it (normally digits only).
    pub phone_number: Option<String>,
    pub line_number: Option<String>,
    pub line_name: Option<String>,
    pub entity: Option<EntityRef>,
    pub activity_id: Option<u64>,
    pub bindings: Vec<EntityRef>,
    pub direction: Option<CallDirection>,
    pub state: Option<CallState>,
    pub call_list_mode: bool,
}

/// Where the call stands (`CALL_STATE`, and the `CallCard::CallStateChanged` event).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallState {
    Connecting,
    Connected,
    /// The call ended (or has not begun).
    Idle,
}

impl CallState {
    /// The portal's spelling; anything else is no state the widget can name.
    pub fn parse(value: Option<&Value>) -> Option<CallState> {
        match text(value)?.as_str() {
            "connecting" => Some(CallState::Connecting),
            "connected" => Some(CallState::Connected),
            "idle" => Some(CallState::Idle),
            _ => None,
        }
    }
}

/// Everything the widget needs to start, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Launch {
    pub portal: Portal,
    /// Interface language code as the portal gave it (`en`, `ru`, `de`…), lowercase.
    pub lang: String,
    pub member_id: String,
    pub access_token: AccessToken,
    /// Seconds the access token is valid for, counted from the launch.
    pub expires_in: Option<u32>,
    pub placement: Placement,
    /// Opened as the app's installation step (`INSTALL`, told by `getInitData` only).
    pub install: bool,
    /// The user is a portal administrator (`IS_ADMIN`, from `getInitData`); `None`: not told.
    pub is_admin: Option<bool>,
    /// The agent's light or dark choice (`USER_OPTIONS`, from `getInitData`); `None`: not told.
    pub theme: Option<Theme>,
}

/// Why the widget cannot start. Each variant names the problem so the error screen can say it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LaunchError {
    /// Neither inlined launch data nor a portal frame: the page was opened outside Bitrix24.
    NoLaunchData,
    /// The inlined launch data is not the JSON object the handler writes.
    UnreadableSeed(Unreadable),
    /// A required field is missing.
    MissingField(&'static str),
    /// A field is present but cannot be used.
    InvalidField { field: &'static str, reason: Unusable },
    /// The two sources disagree about who opened the widget.
    Mismatch { field: &'static str },
    /// The portal did not answer `getInitData` and there is no other source.
    FrameSilent,
}

/// Why the inlined launch data cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreadable {
    NotJson(String),
    NotObject,
    /// A section (`query`, `form`) is not an object.
    SectionNotObject(String),
}

/// Why a launch field cannot be used (the untrusted value quoted, clipped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unusable {
    NotObject,
    NotZeroOrOne(String),
    NotHost(String),
    NotPort(String),
    NotIdentifier,
    NotToken,
    NotSeconds,
    NotJson(String),
    NotJsonObject,
    NotObjectOrJson,
}

impl Unusable {
    fn describe(&self, t: &Texts) -> String {
        match self {
            Unusable::NotObject => t.reason_not_object.to_string(),
            Unusable::NotZeroOrOne(v) => t.reason_not_zero_or_one.fill("{value}", v),
            Unusable::NotHost(v) => t.reason_not_host.fill("{value}", v),
            Unusable::NotPort(v) => t.reason_not_port.fill("{value}", v),
            Unusable::NotIdentifier => t.reason_not_identifier.to_string(),
            Unusable::NotToken => t.reason_not_token.to_string(),
            Unusable::NotSeconds => t.reason_not_seconds.to_string(),
            Unusable::NotJson(why) => t.reason_not_json.fill("{why}", why),
            Unusable::NotJsonObject => t.reason_not_json_object.to_string(),
            Unusable::NotObjectOrJson => t.reason_not_object_or_json.to_string(),
        }
    }
}

impl LaunchError {
    /// The technical cause in the agent's language (field names and quoted values as they are).
    pub fn describe(&self, t: &Texts) -> String {
        match self {
            LaunchError::NoLaunchData => t.tech_outside.to_string(),
            LaunchError::UnreadableSeed(Unreadable::NotJson(why)) => t.tech_seed_not_json.fill("{why}", why),
            LaunchError::UnreadableSeed(Unreadable::NotObject) => t.tech_seed_not_object.to_string(),
            LaunchError::UnreadableSeed(Unreadable::SectionNotObject(name)) => t.tech_seed_section.fill("{name}", name),
            LaunchError::MissingField(field) => t.tech_missing_field.fill("{field}", field),
            LaunchError::InvalidField { field, reason } => {
                t.tech_invalid_field.fill("{field}", field).fill("{reason}", &reason.describe(t))
            }
            LaunchError::Mismatch { field } => t.tech_mismatch.fill("{field}", field),
            LaunchError::FrameSilent => t.tech_frame_silent.to_string(),
        }
    }
}

impl fmt::Display for LaunchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(&crate::i18n::EN))
    }
}

/// The raw fields of one source, before validation. Keys follow the POSTed names.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LaunchFields {
    pub domain: Option<Value>,
    pub protocol: Option<Value>,
    pub lang: Option<Value>,
    pub app_sid: Option<Value>,
    pub auth_id: Option<Value>,
    pub auth_expires: Option<Value>,
    pub member_id: Option<Value>,
    pub placement: Option<Value>,
    /// A JSON string when POSTed, an object from `getInitData`.
    pub placement_options: Option<Value>,
    /// `INSTALL` and `IS_ADMIN`: only `getInitData` has them.
    pub install: Option<Value>,
    pub is_admin: Option<Value>,
    /// `USER_OPTIONS`: only `getInitData` has them.
    pub user_options: Option<Value>,
}

impl LaunchFields {
    /// Reads the JSON the thin handler inlined: `{"query": {…}, "form": {…}}`.
    pub fn from_inlined(json: &str) -> Result<Self, LaunchError> {
        let value: Value = crate::json::parse(json)
            .map_err(|e| LaunchError::UnreadableSeed(Unreadable::NotJson(e.describe())))?;
        let root = value
            .as_object()
            .ok_or(LaunchError::UnreadableSeed(Unreadable::NotObject))?;
        let empty = Map::new();
        let section = |name: &str| -> Result<&Map, LaunchError> {
            match root.get(name) {
                None => Ok(&empty),
                Some(Value::Object(m)) => Ok(m),
                Some(_) => Err(LaunchError::UnreadableSeed(Unreadable::SectionNotObject(name.to_string()))),
            }
        };
        let query = section("query")?;
        let form = section("form")?;
        // The query carries DOMAIN/PROTOCOL/LANG/APP_SID; the body the rest. A field in the body
        // wins over the same name in the query, as PHP's $_REQUEST order does on the portal side.
        let get = |key: &str| form.get(key).or_else(|| query.get(key)).cloned();
        Ok(LaunchFields {
            domain: get("DOMAIN"),
            protocol: get("PROTOCOL"),
            lang: get("LANG"),
            app_sid: get("APP_SID"),
            auth_id: get("AUTH_ID"),
            auth_expires: get("AUTH_EXPIRES"),
            member_id: get("member_id").or_else(|| get("MEMBER_ID")),
            placement: get("PLACEMENT"),
            placement_options: get("PLACEMENT_OPTIONS"),
            install: None,
            is_admin: None,
            user_options: None,
        })
    }

    /// Reads the reply to the frame protocol's `getInitData`.
    pub fn from_init_data(value: &Value) -> Result<Self, LaunchError> {
        let obj = value.as_object().ok_or(LaunchError::InvalidField {
            field: "getInitData reply",
            reason: Unusable::NotObject,
        })?;
        let get = |key: &str| obj.get(key).cloned();
        Ok(LaunchFields {
            domain: get("DOMAIN"),
            protocol: get("PROTOCOL"),
            lang: get("LANG"),
            app_sid: None,
            auth_id: get("AUTH_ID"),
            auth_expires: get("AUTH_EXPIRES"),
            member_id: get("MEMBER_ID"),
            placement: get("PLACEMENT"),
            placement_options: get("PLACEMENT_OPTIONS"),
            install: get("INSTALL"),
            is_admin: get("IS_ADMIN"),
            user_options: get("USER_OPTIONS"),
        })
    }
}

/// The iframe's `window.name`, `HOST[:port]|PROTOCOL|APP_SID`, which the portal sets when it
/// renders the frame. It names the only origin the frame protocol may talk to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameName {
    pub portal: Portal,
    pub app_sid: String,
}

impl FrameName {
    /// `None` when the name is not a portal frame name (e.g. the page was opened directly).
    pub fn parse(name: &str) -> Option<FrameName> {
        let mut parts = crate::text::split_ascii(name, b'|');
        let (host, protocol, sid) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || !is_app_sid(sid) {
            return None;
        }
        let https = match protocol {
            "1" => true,
            "0" => false,
            _ => return None,
        };
        let domain = normalize_domain(host, https).ok()?;
        Some(FrameName {
            portal: Portal { domain, https },
            app_sid: sid.to_string(),
        })
    }
}

fn is_app_sid(sid: &str) -> bool {
    !sid.is_empty() && sid.len() <= 64 && sid.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Validates `host[:port]` and drops the default port for the protocol, as the portal does in
/// the frame name. Rejects anything that could smuggle a path, credentials or a scheme.
pub fn normalize_domain(raw: &str, https: bool) -> Result<String, Unusable> {
    let raw = crate::text::trim(raw).to_ascii_lowercase();
    let (host, port) = match crate::text::rsplit_once_ascii(&raw, b':') {
        Some((h, p)) => (h, Some(p)),
        None => (raw.as_str(), None),
    };
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && crate::text::split_ascii(host, b'.')
            .all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            });
    if !host_ok {
        return Err(Unusable::NotHost(clip(&raw)));
    }
    match port {
        None => Ok(host.to_string()),
        Some(p) => {
            let n = crate::json::integer(p)
                .and_then(|n| u16::try_from(n).ok())
                .filter(|n| *n > 0)
                .ok_or_else(|| Unusable::NotPort(clip(p)))?;
            if (https && n == 443) || (!https && n == 80) {
                Ok(host.to_string())
            } else {
                Ok([host, ":", &crate::text::decimal(u64::from(n))].concat())
            }
        }
    }
}

/// Shortens untrusted text before it is quoted in an error message.
fn clip(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let end = s.char_indices().nth(MAX).map_or(s.len(), |(at, _)| at);
        let mut out = s.get(..end).unwrap_or_default().to_string();
        out.push('…');
        out
    }
}

impl Launch {
    /// Validates the primary source and cross-checks it against the frame, when there is one.
    ///
    /// `primary` is the inlined data when the handler provided it, else `getInitData`'s reply.
    /// `frame` is the parsed `window.name`; `init` the `getInitData` fields when both sources exist.
    pub fn resolve(
        primary: &LaunchFields,
        frame: Option<&FrameName>,
        init: Option<&LaunchFields>,
    ) -> Result<Launch, LaunchError> {
        let https = match text(primary.protocol.as_ref()).as_deref() {
            Some("1") => true,
            Some("0") => false,
            // No PROTOCOL: trust the frame name, else assume https as every cloud portal is.
            None => frame.map(|f| f.portal.https).unwrap_or(true),
            Some(other) => {
                return Err(LaunchError::InvalidField {
                    field: "PROTOCOL",
                    reason: Unusable::NotZeroOrOne(clip(other)),
                })
            }
        };
        let raw_domain =
            text(primary.domain.as_ref()).ok_or(LaunchError::MissingField("DOMAIN"))?;
        let domain = normalize_domain(&raw_domain, https)
            .map_err(|reason| LaunchError::InvalidField { field: "DOMAIN", reason })?;
        let portal = Portal { domain, https };

        if let Some(frame) = frame {
            if frame.portal != portal {
                return Err(LaunchError::Mismatch { field: "the portal's address" });
            }
            if let Some(sid) = text(primary.app_sid.as_ref()) {
                if sid != frame.app_sid {
                    return Err(LaunchError::Mismatch { field: "APP_SID" });
                }
            }
        }

        let member_id =
            text(primary.member_id.as_ref()).ok_or(LaunchError::MissingField("member_id"))?;
        if !member_id.bytes().all(|b| b.is_ascii_alphanumeric()) || member_id.len() > 64 {
            return Err(LaunchError::InvalidField {
                field: "member_id",
                reason: Unusable::NotIdentifier,
            });
        }

        if let Some(init) = init {
            let init_domain = text(init.domain.as_ref())
                .and_then(|d| normalize_domain(&d, https).ok());
            if init_domain.as_deref() != Some(portal.domain.as_str()) {
                return Err(LaunchError::Mismatch { field: "DOMAIN" });
            }
            if text(init.member_id.as_ref()).as_deref() != Some(member_id.as_str()) {
                return Err(LaunchError::Mismatch { field: "member_id" });
            }
        }

        let token = text(primary.auth_id.as_ref()).ok_or(LaunchError::MissingField("AUTH_ID"))?;
        let access_token = AccessToken::parse(&token).ok_or(LaunchError::InvalidField {
            field: "AUTH_ID",
            reason: Unusable::NotToken,
        })?;
        let expires_in = match text(primary.auth_expires.as_ref()) {
            None => None,
            Some(s) => Some(seconds(&s).ok_or(LaunchError::InvalidField {
                field: "AUTH_EXPIRES",
                reason: Unusable::NotSeconds,
            })?),
        };

        let lang = text(primary.lang.as_ref())
            .map(|l| l.to_ascii_lowercase())
            .filter(|l| l.len() <= 8 && l.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-'))
            .unwrap_or_else(|| "en".to_string());

        let placement_code =
            text(primary.placement.as_ref()).ok_or(LaunchError::MissingField("PLACEMENT"))?;
        let placement = match placement_code.as_str() {
            "CALL_CARD" => Placement::CallCard(CallCardOptions::parse(primary.placement_options.as_ref())?),
            "DEFAULT" => Placement::AppPage,
            _ => Placement::Other(clip(&placement_code)),
        };
        // Only getInitData tells these: the confirming source when there are two.
        let told = init.unwrap_or(primary);

        Ok(Launch {
            portal,
            lang,
            member_id,
            access_token,
            expires_in,
            placement,
            install: flag(told.install.as_ref()),
            is_admin: told.is_admin.as_ref().map(|v| flag(Some(v))),
            theme: Theme::from_user_options(told.user_options.as_ref()),
        })
    }
}

impl CallCardOptions {
    /// Parses `PLACEMENT_OPTIONS`: a JSON string as POSTed or an object as `getInitData` and
    /// `getStatus` give it (there with typed values).
    pub fn parse(raw: Option<&Value>) -> Result<CallCardOptions, LaunchError> {
        let parsed;
        let obj = match raw {
            None => return Ok(CallCardOptions::default()),
            Some(Value::Object(obj)) => obj,
            Some(Value::String(s)) if crate::text::is_blank(s) => {
                return Ok(CallCardOptions::default())
            }
            Some(Value::String(s)) => {
                parsed = crate::json::parse(s).map_err(|e| {
                    LaunchError::InvalidField {
                        field: "PLACEMENT_OPTIONS",
                        reason: Unusable::NotJson(e.describe()),
                    }
                })?;
                parsed.as_object().ok_or(LaunchError::InvalidField {
                    field: "PLACEMENT_OPTIONS",
                    reason: Unusable::NotJsonObject,
                })?
            }
            Some(_) => {
                return Err(LaunchError::InvalidField {
                    field: "PLACEMENT_OPTIONS",
                    reason: Unusable::NotObjectOrJson,
                })
            }
        };
        Ok(Self::from_object(obj))
    }

    fn from_object(obj: &Map) -> CallCardOptions {
        let get = |k: &str| obj.get(k);
        let entity = EntityKind::from_symbol(text(get("CRM_ENTITY_TYPE")).as_deref())
            .zip(id(get("CRM_ENTITY_ID")))
            .map(|(kind, id)| EntityRef { kind, id });
        let direction = match text(get("CALL_DIRECTION"))
            .map(|d| d.to_ascii_lowercase())
            .as_deref()
        {
            Some("incoming") | Some("1") => Some(CallDirection::Incoming),
            // The published page also spells it "outcoming".
            Some("outgoing") | Some("outcoming") | Some("2") => Some(CallDirection::Outgoing),
            Some("callback") | Some("4") => Some(CallDirection::Callback),
            _ => None,
        };
        CallCardOptions {
            call_id: text(get("CALL_ID")).map(|s| clip(&s)),
            phone_number: text(get("PHONE_NUMBER")).filter(|n| n.bytes().any(|b| b.is_ascii_digit())),
            line_number: text(get("LINE_NUMBER")),
            line_name: text(get("LINE_NAME")),
            entity,
            activity_id: id(get("CRM_ACTIVITY_ID")),
            bindings: parse_bindings(get("CRM_BINDINGS")),
            direction,
            state: CallState::parse(get("CALL_STATE")),
            call_list_mode: flag(get("CALL_LIST_MODE")),
        }
    }
}

/// `CRM_BINDINGS`: `[{ENTITY_TYPE, ENTITY_ID}]`, itself possibly a JSON string. Unreadable
/// entries are skipped.
fn parse_bindings(raw: Option<&Value>) -> Vec<EntityRef> {
    let parsed;
    let list = match raw {
        Some(Value::Array(list)) => list,
        Some(Value::String(s)) => match crate::json::parse(s) {
            Ok(Value::Array(list)) => {
                parsed = list;
                &parsed
            }
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    let mut bindings = Vec::new();
    for item in list {
        let Some(obj) = item.as_object() else { continue };
        if let (Some(kind), Some(id)) = (EntityKind::from_symbol(text(obj.get("ENTITY_TYPE")).as_deref()), id(obj.get("ENTITY_ID"))) {
            bindings.push(EntityRef { kind, id });
        }
    }
    bindings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn seed(options: &str) -> String {
        json!({
            "query": {"DOMAIN": "portal.example:443", "PROTOCOL": "1", "LANG": "DE", "APP_SID": "abc123"},
            "form": {
                "AUTH_ID": "tok3n", "AUTH_EXPIRES": "3600", "REFRESH_ID": "r",
                "member_id": "m1", "PLACEMENT": "CALL_CARD", "PLACEMENT_OPTIONS": options
            }
        })
        .to_string()
    }

    #[test]
    fn inlined_seed_becomes_a_launch() {
        let fields = LaunchFields::from_inlined(&seed(
            r#"{"CALL_ID":"c1","PHONE_NUMBER":"74951234567","CRM_ENTITY_TYPE":"CONTACT","CRM_ENTITY_ID":"17","CALL_DIRECTION":"outcoming","CALL_LIST_MODE":"false","LINE_NAME":"undefined"}"#,
        ))
        .unwrap();
        let launch = Launch::resolve(&fields, None, None).unwrap();
        assert_eq!(launch.portal.origin(), "https://portal.example");
        assert_eq!(launch.lang, "de");
        assert_eq!(launch.expires_in, Some(3600));
        let Placement::CallCard(o) = launch.placement else { panic!("not a call card") };
        assert_eq!(o.phone_number.as_deref(), Some("74951234567"));
        assert_eq!(o.entity, Some(EntityRef { kind: EntityKind::Contact, id: 17 }));
        assert_eq!(o.direction, Some(CallDirection::Outgoing));
        assert_eq!(o.line_name, None);
        assert!(!o.call_list_mode);
    }

    #[test]
    fn unbound_and_unknown_values_are_absent() {
        let fields = LaunchFields::from_inlined(&seed(
            r#"{"CRM_ENTITY_TYPE":"0","CRM_ENTITY_ID":"0","PHONE_NUMBER":"","CRM_BINDINGS":"[{\"ENTITY_TYPE\":\"DEAL\",\"ENTITY_ID\":\"5\"},{\"ENTITY_TYPE\":\"X\",\"ENTITY_ID\":\"1\"}]"}"#,
        ))
        .unwrap();
        let Placement::CallCard(o) = Launch::resolve(&fields, None, None).unwrap().placement else {
            panic!()
        };
        assert_eq!(o.entity, None);
        assert_eq!(o.phone_number, None);
        assert_eq!(o.bindings, vec![EntityRef { kind: EntityKind::Deal, id: 5 }]);
    }

    #[test]
    fn malformed_options_name_the_field() {
        let fields = LaunchFields::from_inlined(&seed(r#"{"PHONE_NUMBER": "7"#)).unwrap();
        match Launch::resolve(&fields, None, None) {
            Err(LaunchError::InvalidField { field: "PLACEMENT_OPTIONS", .. }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_and_hostile_fields_are_errors_not_panics() {
        assert!(matches!(
            LaunchFields::from_inlined("<html>"),
            Err(LaunchError::UnreadableSeed(_))
        ));
        assert!(matches!(
            LaunchFields::from_inlined("[1]"),
            Err(LaunchError::UnreadableSeed(_))
        ));
        let no_domain = LaunchFields::from_inlined(r#"{"form":{"AUTH_ID":"x"}}"#).unwrap();
        assert_eq!(
            Launch::resolve(&no_domain, None, None),
            Err(LaunchError::MissingField("DOMAIN"))
        );
        for bad in ["evil.com/x", "user@host", "a..b", "h:99999", "javascript:alert(1)"] {
            let f = LaunchFields {
                domain: Some(json!(bad)),
                ..LaunchFields::default()
            };
            assert!(
                matches!(
                    Launch::resolve(&f, None, None),
                    Err(LaunchError::InvalidField { field: "DOMAIN", .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn frame_name_is_parsed_and_checked() {
        let frame = FrameName::parse("portal.example|1|abc123").unwrap();
        assert_eq!(frame.portal.origin(), "https://portal.example");
        assert_eq!(
            FrameName::parse("127.0.0.1:8080|0|s1").unwrap().portal.origin(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(FrameName::parse(""), None);
        assert_eq!(FrameName::parse("x|2|s"), None);
        assert_eq!(FrameName::parse("x|1|a b"), None);

        let fields = LaunchFields::from_inlined(&seed("{}")).unwrap();
        assert!(Launch::resolve(&fields, Some(&frame), None).is_ok());
        let other = FrameName::parse("other.example|1|abc123").unwrap();
        assert_eq!(
            Launch::resolve(&fields, Some(&other), None),
            Err(LaunchError::Mismatch { field: "the portal's address" })
        );
        let wrong_sid = FrameName::parse("portal.example|1|zzz").unwrap();
        assert_eq!(
            Launch::resolve(&fields, Some(&wrong_sid), None),
            Err(LaunchError::Mismatch { field: "APP_SID" })
        );
    }

    #[test]
    fn init_data_is_cross_checked_and_works_alone() {
        let init = json!({
            "DOMAIN": "portal.example", "PROTOCOL": 1, "LANG": "en", "AUTH_ID": "t",
            "AUTH_EXPIRES": "3600", "MEMBER_ID": "m1", "PLACEMENT": "CALL_CARD",
            "PLACEMENT_OPTIONS": {"PHONE_NUMBER": "4930123", "CRM_ENTITY_ID": 0, "CALL_LIST_MODE": true}
        });
        let init = LaunchFields::from_init_data(&init).unwrap();
        let inlined = LaunchFields::from_inlined(&seed("{}")).unwrap();
        assert!(Launch::resolve(&inlined, None, Some(&init)).is_ok());

        let alone = Launch::resolve(&init, None, None).unwrap();
        let Placement::CallCard(o) = alone.placement else { panic!() };
        assert!(o.call_list_mode);
        assert_eq!(o.phone_number.as_deref(), Some("4930123"));

        let mut other_member = init.clone();
        other_member.member_id = Some(json!("m2"));
        assert_eq!(
            Launch::resolve(&inlined, None, Some(&other_member)),
            Err(LaunchError::Mismatch { field: "member_id" })
        );
    }

    #[test]
    fn a_lifetime_is_read_however_the_number_is_written() {
        let mut init = LaunchFields::from_init_data(&json!({
            "DOMAIN": "portal.example", "MEMBER_ID": "m1", "AUTH_ID": "t", "PLACEMENT": "CALL_CARD"
        }))
        .unwrap();
        for (given, read) in [(json!(3600), Some(3600)), (json!("3600"), Some(3600)), (json!(3600.0), Some(3600)), (json!("3600.0"), Some(3600)), (json!(null), None)] {
            init.auth_expires = Some(given.clone());
            assert_eq!(Launch::resolve(&init, None, None).map(|l| l.expires_in), Ok(read), "{given}");
        }
        for wrong in [json!(-1), json!(1.5), json!("soon"), json!(1e300), json!("NaN"), json!("inf")] {
            init.auth_expires = Some(wrong.clone());
            assert!(
                matches!(Launch::resolve(&init, None, None), Err(LaunchError::InvalidField { field: "AUTH_EXPIRES", .. })),
                "{wrong}"
            );
        }
    }

    #[test]
    fn other_placements_are_reported_not_rejected() {
        let mut fields = LaunchFields::from_inlined(&seed("{}")).unwrap();
        fields.placement = Some(json!("CRM_DEAL_DETAIL_TAB"));
        assert_eq!(
            Launch::resolve(&fields, None, None).unwrap().placement,
            Placement::Other("CRM_DEAL_DETAIL_TAB".into())
        );
    }

    #[test]
    fn the_app_page_learns_install_and_admin_from_init_data_only() {
        let mut posted = LaunchFields::from_inlined(&seed("{}")).unwrap();
        posted.placement = Some(json!("DEFAULT"));
        let alone = Launch::resolve(&posted, None, None).unwrap();
        assert_eq!((alone.placement, alone.install, alone.is_admin), (Placement::AppPage, false, None));

        let init = LaunchFields::from_init_data(&json!({
            "DOMAIN": "portal.example", "MEMBER_ID": "m1", "AUTH_ID": "t", "PLACEMENT": "DEFAULT",
            "INSTALL": true, "IS_ADMIN": false
        }))
        .unwrap();
        let confirmed = Launch::resolve(&posted, None, Some(&init)).unwrap();
        assert_eq!((confirmed.install, confirmed.is_admin), (true, Some(false)));
        assert_eq!(confirmed.theme, None);
        let mut chosen = init.clone();
        chosen.user_options = Some(json!({"theme": "dark"}));
        assert_eq!(Launch::resolve(&posted, None, Some(&chosen)).unwrap().theme, Some(crate::theme::Theme::Dark));
        let by_get = Launch::resolve(&init, None, None).unwrap();
        assert_eq!((by_get.install, by_get.is_admin), (true, Some(false)));
    }
}
