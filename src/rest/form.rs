//! `application/x-www-form-urlencoded` in PHP's bracket syntax (`filter[ID]=5&select[0]=NAME`),
//! the body the portal decodes without a CORS preflight.

use crate::json::Value;

/// Encodes a JSON object as a form body. Nested objects and arrays become bracketed keys; `null`
/// is left out and booleans are `1`/`0`, as PHP's `http_build_query` writes them.
pub fn encode(params: &Value) -> String {
    let mut out = String::new();
    if let Value::Object(map) = params {
        for (key, value) in map {
            push_pairs(&mut out, &escape(key), value);
        }
    }
    out
}

fn push_pairs(out: &mut String, key: &str, value: &Value) {
    let scalar = match value {
        Value::Null => return,
        Value::Bool(b) => (if *b { "1" } else { "0" }).to_string(),
        Value::Number(n) => n.to_text(),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                push_pairs(out, &[key, "%5B", &crate::text::decimal(i as u64), "%5D"].concat(), item);
            }
            return;
        }
        Value::Object(map) => {
            for (k, item) in map {
                push_pairs(out, &[key, "%5B", &escape(k), "%5D"].concat(), item);
            }
            return;
        }
    };
    if !out.is_empty() {
        out.push('&');
    }
    out.push_str(key);
    out.push('=');
    out.push_str(&escape(&scalar));
}

/// Percent-encodes everything but the unreserved characters of RFC 3986.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(HEX[(b >> 4) as usize]));
            out.push(char::from(HEX[(b & 15) as usize]));
        }
    }
    out
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn nested_params_use_php_brackets() {
        let body = encode(&json!({
            "filter": {"CONTACT_ID": 5, "STAGE_SEMANTIC_ID": "P"},
            "select": ["ID", "TITLE"],
            "halt": false,
            "skip": null
        }));
        assert_eq!(
            body,
            "filter%5BCONTACT_ID%5D=5&filter%5BSTAGE_SEMANTIC_ID%5D=P&halt=0&select%5B0%5D=ID&select%5B1%5D=TITLE"
        );
    }

    #[test]
    fn values_are_escaped() {
        assert_eq!(encode(&json!({"q": "a b&c=d/é"})), "q=a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(encode(&json!("not an object")), "");
    }
}
