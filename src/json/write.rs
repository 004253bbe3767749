//! Writing a [`Value`] as compact JSON text: `value.to_string()`.

use std::fmt::{self, Display, Formatter, Write};

use super::{Number, Value};

impl Display for Value {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Value::Number(n) => n.fmt(f),
            Value::String(s) => string(f, s),
            Value::Array(items) => {
                f.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    item.fmt(f)?;
                }
                f.write_char(']')
            }
            Value::Object(map) => {
                f.write_char('{')?;
                for (i, (key, item)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    string(f, key)?;
                    f.write_char(':')?;
                    item.fmt(f)?;
                }
                f.write_char('}')
            }
        }
    }
}

impl Display for Number {
    /// A float that JSON cannot hold (NaN, infinite) is `null`, as `serde_json` writes it.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match *self {
            Number::Int(n) => n.fmt(f),
            Number::Float(x) if x.is_finite() => f.write_str(&crate::host::float_text(x)),
            Number::Float(_) => f.write_str("null"),
        }
    }
}

/// A quoted string: `"`, `\` and control characters escaped, the rest as it is.
fn string(f: &mut Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            '\u{8}' => f.write_str("\\b")?,
            '\u{c}' => f.write_str("\\f")?,
            c if c < ' ' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let b = c as usize;
                f.write_str("\\u00")?;
                f.write_char(char::from(HEX[b >> 4]))?;
                f.write_char(char::from(HEX[b & 15]))?;
            }
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}
