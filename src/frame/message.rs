//! Message strings of the frame protocol.
//!
//! Child → parent: `COMMAND:PARAMS_JSON:CALLBACK_ID:APP_SID` (PARAMS_JSON may be empty).
//! Parent → child: `CALLBACK_ID:RESULT_JSON` (RESULT_JSON may be empty).

use serde_json::Value;

/// Length of a callback id, as the portal's own library makes them.
pub const CALLBACK_ID_LEN: usize = 32;

/// Formats a command. `params` of `null` leaves the JSON field empty (`getInitData::cb:sid`),
/// which the portal accepts; `callback` is empty when no reply is wanted.
pub fn command(name: &str, params: &Value, callback: &str, app_sid: &str) -> String {
    let json = if params.is_null() { String::new() } else { params.to_string() };
    format!("{name}:{json}:{callback}:{app_sid}")
}

/// A message from the portal, split at the first colon.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    pub callback: String,
    /// `Null` for an empty payload; `Err` when the payload is not JSON.
    pub payload: Result<Value, String>,
}

/// Parses a message from the portal. `None` when it is not one (no colon, or a callback id that
/// cannot be one of ours): such messages are ignored, not errors.
pub fn parse_reply(data: &str) -> Option<Reply> {
    let (callback, json) = data.split_once(':')?;
    if callback.len() != CALLBACK_ID_LEN || !callback.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()) {
        return None;
    }
    let payload = if json.trim().is_empty() {
        Ok(Value::Null)
    } else {
        serde_json::from_str(json).map_err(|e| e.to_string())
    };
    Some(Reply { callback: callback.to_string(), payload })
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
    use serde_json::json;

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
        let r = parse_reply(&format!(r#"{cb}:{{"DOMAIN":"x:1"}}"#)).unwrap();
        assert_eq!(r.callback, cb);
        assert_eq!(r.payload, Ok(json!({"DOMAIN": "x:1"})));
        assert_eq!(parse_reply(&format!("{cb}:")).unwrap().payload, Ok(Value::Null));
        assert!(parse_reply(&format!("{cb}:{{nope")).unwrap().payload.is_err());
        assert_eq!(parse_reply("no colon"), None);
        assert_eq!(parse_reply("short:{}"), None);
        assert_eq!(parse_reply(&format!("{}:{{}}", "A".repeat(32))), None);
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
