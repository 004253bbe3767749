//! Message strings of the frame protocol.
//!
//! Child → parent: `COMMAND:PARAMS_JSON:CALLBACK_ID:APP_SID` (PARAMS_JSON may be empty).
//! Parent → child: `CALLBACK_ID:RESULT_JSON` (RESULT_JSON may be empty).

use crate::json::Value;

/// Length of a callback id, as the portal's own library makes them.
pub const CALLBACK_ID_LEN: usize = 32;

/// Formats a command. `params` of `null` leaves the JSON field empty (`getInitData::cb:sid`),
/// which the portal accepts; `callback` is empty when no reply is wanted.
pub fn command(name: &str, params: &Value, callback: &str, app_sid: &str) -> String {
    let json = if params.is_null() { String::new() } else { params.to_json() };
    [name, ":", &json, ":", callback, ":", app_sid].concat()
}

/// Splits a message from the portal into callback id and payload text, at the first colon.
/// `None` when it cannot be a reply to us (no colon, or not a callback id of our shape): such
/// messages are ignored, not errors.
pub fn split_reply(data: &str) -> Option<(&str, &str)> {
    let (callback, payload) = crate::text::split_once_ascii(data, b':')?;
    let ours = callback.len() == CALLBACK_ID_LEN
        && callback.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase());
    ours.then_some((callback, payload))
}

/// The JSON of a reply; an empty payload is `Null`.
pub fn parse_payload(json: &str) -> Result<Value, String> {
    if crate::text::is_blank(json) {
        Ok(Value::Null)
    } else {
        crate::json::parse(json).map_err(|e| e.describe())
    }
}

/// Builds a callback id from any source of randomness yielding numbers in `[0, 1)`.
pub fn callback_id(mut random: impl FnMut() -> f64) -> String {
    const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..CALLBACK_ID_LEN)
        .map(|_| {
            let i = ((random() * 36.0) as usize).min(35);
            char::from(ALPHABET[i])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn commands_are_formatted_as_the_portal_reads_them() {
        assert_eq!(command("getInitData", &Value::Null, "cb", "sid"), "getInitData::cb:sid");
        assert_eq!(
            command("resizeWindow", &json!({"height": 480}), "", "sid"),
            r#"resizeWindow:{"height":480}::sid"#
        );
    }

    #[test]
    fn replies_split_at_the_first_colon() {
        let cb = "a".repeat(32);
        let data = format!(r#"{cb}:{{"DOMAIN":"x:1"}}"#);
        let (callback, payload) = split_reply(&data).unwrap();
        assert_eq!(callback, cb);
        assert_eq!(parse_payload(payload), Ok(json!({"DOMAIN": "x:1"})));
        assert_eq!(parse_payload(""), Ok(Value::Null));
        assert!(parse_payload("{nope").is_err());
        assert_eq!(split_reply("no colon"), None);
        assert_eq!(split_reply("short:{}"), None);
        assert_eq!(split_reply(&format!("{}:{{}}", "A".repeat(32))), None);
    }

    #[test]
    fn callback_ids_have_the_portal_shape() {
        let mut x = 0.0;
        let id = callback_id(|| {
            x = (x + 0.37) % 1.0;
            x
        });
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()));
        assert_eq!(callback_id(|| 0.999_999_9).len(), 32);
    }
}
