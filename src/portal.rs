//! The portal as the widget knows it, shared by the launch data and the REST client: its
//! address, the access token, and how a portal value (a form field, a JSON reply, a frame
//! message; strings, numbers and booleans alike) is read as text, an id, a flag or a lifetime.

use crate::json::Value;
use std::fmt;

/// The portal's access token. Its `Debug` never shows the value, so that no log line, panic
/// message or error screen can leak it; [`AccessToken::expose`] is only for building requests.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Accepts the token alphabet the portal uses (hex and a few URL-safe marks), 1–512 chars.
    pub fn parse(raw: &str) -> Option<AccessToken> {
        let ok = !raw.is_empty()
            && raw.len() <= 512
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        ok.then(|| AccessToken(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(…)")
    }
}

/// The portal the widget talks to: `protocol://domain`, with the domain validated as a host name
/// with an optional port, so that it can be put into URLs and `postMessage` target origins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Portal {
    pub domain: String,
    pub https: bool,
}

impl Portal {
    /// The origin the portal's messages come from and ours must be addressed to.
    pub fn origin(&self) -> String {
        [if self.https { "https://" } else { "http://" }, &self.domain].concat()
    }

    /// The URL of a REST method, e.g. `https://portal.example/rest/batch.json`.
    pub fn rest_url(&self, method: &str) -> String {
        [&self.origin(), "/rest/", method, ".json"].concat()
    }
}

/// A launch value as text: strings trimmed, numbers and booleans spelled out; the values that
/// mean "nothing" on the portal (`""`, `"undefined"`, `"null"`, null) become `None`.
pub fn text(value: Option<&Value>) -> Option<String> {
    let s = match value? {
        Value::String(s) => crate::text::trim(s).to_string(),
        Value::Number(n) => n.to_text(),
        Value::Bool(b) => (if *b { "true" } else { "false" }).to_string(),
        _ => return None,
    };
    match s.as_str() {
        "" | "undefined" | "null" => None,
        _ => Some(s),
    }
}

/// A person's name from those of a record's name fields (`NAME`, `SECOND_NAME`, `LAST_NAME`…) it
/// has, in order, joined by spaces; empty when it has none. One function for every record the
/// card names: each inlined copy of the joining was its own code in the module.
pub fn full_name(record: &Value, fields: &[&str]) -> String {
    let mut name = String::new();
    for field in fields {
        let Some(part) = text(record.get(*field)) else { continue };
        if !name.is_empty() {
            name.push(' ');
        }
        name.push_str(&part);
    }
    name
}

/// A contact's or lead's name fields, in the order the name is written.
pub const PERSON_NAME: [&str; 3] = ["NAME", "SECOND_NAME", "LAST_NAME"];
/// A portal user's.
pub const USER_NAME: [&str; 2] = ["NAME", "LAST_NAME"];

/// A lifetime in whole seconds: `3600`, `"3600"` and a JSON float `3600.0` alike (a frame's
/// JavaScript numbers have no integer type); negative, fractional or absurd values are none.
/// Read as decimal text, never as a float (a float parser would cost the module ~12 KB).
pub fn seconds(text: &str) -> Option<u32> {
    let (whole, fraction) = crate::text::split_once_ascii(text, b'.').unwrap_or((text, ""));
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b == b'0') {
        return None;
    }
    u32::try_from(crate::json::integer(whole)?).ok()
}

/// A positive integer id; `"0"` and anything non-numeric mean "none".
pub fn id(value: Option<&Value>) -> Option<u64> {
    crate::json::unsigned(&text(value)?).filter(|n| *n > 0)
}

/// `"true"`, `"Y"`, `"1"`, `true`, `1` are true; everything else is false.
pub fn flag(value: Option<&Value>) -> bool {
    matches!(text(value).as_deref(), Some("true" | "Y" | "y" | "1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_never_printed() {
        let t = AccessToken::parse("abc123def").unwrap();
        assert!(!format!("{t:?}").contains("abc123def"));
        assert_eq!(t.expose(), "abc123def");
        assert!(AccessToken::parse("a b").is_none());
        assert!(AccessToken::parse("").is_none());
        assert!(AccessToken::parse("</script>").is_none());
    }

    #[test]
    fn a_full_name_joins_the_name_fields_it_has() {
        let record = crate::json::parse(r#"{"NAME": " Anna ", "SECOND_NAME": "", "LAST_NAME": "Petrova", "TITLE": "Acme"}"#).unwrap();
        assert_eq!(full_name(&record, &PERSON_NAME), "Anna Petrova");
        assert_eq!(full_name(&record, &["TITLE"]), "Acme");
        let nameless = crate::json::parse(r#"{"NAME": null, "LAST_NAME": "undefined"}"#).unwrap();
        assert_eq!(full_name(&nameless, &USER_NAME), "");
    }
}
