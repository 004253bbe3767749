//! Request parameters as the portal's PHP sees them: an ordered map (a PHP array) of strings and
//! nested maps, decoded from a query string or form body (`parse_str`, bracket syntax) or from a
//! JSON body. Order matters: `batch` runs its commands in the order they arrive.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;

/// A PHP value as a request can carry it.
#[derive(Clone, Debug, PartialEq)]
pub enum Param {
    Str(String),
    Map(Vec<(String, Param)>),
}

impl Default for Param {
    fn default() -> Self {
        Param::Map(Vec::new())
    }
}

impl Param {
    /// A key of a map, case-sensitively.
    pub fn get(&self, key: &str) -> Option<&Param> {
        match self {
            Param::Map(items) => items.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            Param::Str(_) => None,
        }
    }

    /// A key of a map, ignoring case (most methods upper-case their parameters first).
    pub fn get_ci(&self, key: &str) -> Option<&Param> {
        match self {
            Param::Map(items) => items.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v),
            Param::Str(_) => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Param::Str(s) => Some(s),
            Param::Map(_) => None,
        }
    }

    /// The values of a map (or a lone string as a one-element list).
    pub fn values(&self) -> Vec<&Param> {
        match self {
            Param::Map(items) => items.iter().map(|(_, v)| v).collect(),
            s @ Param::Str(_) => vec![s],
        }
    }

    /// PHP's `intval`: leading digits of a string; 1 for a non-empty array, 0 for an empty one.
    pub fn intval(&self) -> i64 {
        match self {
            Param::Map(items) => i64::from(!items.is_empty()),
            Param::Str(s) => {
                let t = s.trim_start();
                let (sign, digits) = match t.strip_prefix('-') {
                    Some(rest) => (-1, rest),
                    None => (1, t.strip_prefix('+').unwrap_or(t)),
                };
                let n: String = digits.chars().take_while(char::is_ascii_digit).collect();
                n.parse::<i64>().map(|n| sign * n).unwrap_or(0)
            }
        }
    }

    /// Sets `self[path…] = value`, creating maps on the way; an empty path segment appends.
    fn insert(&mut self, path: &[String], value: Param) {
        let Param::Map(items) = self else {
            *self = Param::Map(Vec::new());
            return self.insert(path, value);
        };
        let Some((first, rest)) = path.split_first() else { return };
        let key = if first.is_empty() {
            let next = items.iter().filter_map(|(k, _)| k.parse::<i64>().ok()).max().map_or(0, |m| m + 1);
            next.to_string()
        } else {
            first.clone()
        };
        if rest.is_empty() {
            match items.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => items.push((key, value)),
            }
            return;
        }
        let child = match items.iter().position(|(k, _)| *k == key) {
            Some(i) => &mut items[i].1,
            None => {
                items.push((key, Param::Map(Vec::new())));
                let last = items.len() - 1;
                &mut items[last].1
            }
        };
        if !matches!(child, Param::Map(_)) {
            *child = Param::Map(Vec::new());
        }
        child.insert(rest, value);
    }

    /// Merges another map's keys into this one (later keys win), as `$_REQUEST` does.
    pub fn merge(&mut self, other: Param) {
        if let Param::Map(items) = other {
            for (k, v) in items {
                self.insert(&[k], v);
            }
        }
    }

    /// As JSON, for the request log: maps whose keys are 0..n become arrays.
    pub fn to_json(&self) -> Value {
        match self {
            Param::Str(s) => Value::String(s.clone()),
            Param::Map(items) => {
                let is_list = items.iter().enumerate().all(|(i, (k, _))| *k == i.to_string());
                if is_list && !items.is_empty() {
                    Value::Array(items.iter().map(|(_, v)| v.to_json()).collect())
                } else {
                    Value::Object(items.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
                }
            }
        }
    }

    /// A JSON value as PHP would hold it after `json_decode(…, true)`.
    pub fn from_json(value: &Value) -> Param {
        match value {
            Value::Null => Param::Str(String::new()),
            Value::Bool(b) => Param::Str(if *b { "1".into() } else { String::new() }),
            Value::Number(n) => Param::Str(n.to_string()),
            Value::String(s) => Param::Str(s.clone()),
            Value::Array(a) => Param::Map(a.iter().enumerate().map(|(i, v)| (i.to_string(), Param::from_json(v))).collect()),
            Value::Object(o) => Param::Map(o.iter().map(|(k, v)| (k.clone(), Param::from_json(v))).collect()),
        }
    }
}

/// PHP's `parse_str`: `a=1&b[]=2&c[x][y]=3`, percent- and plus-decoded.
pub fn parse_query(query: &str) -> Param {
    let mut root = Param::Map(Vec::new());
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(raw_key);
        let value = decode(raw_value);
        let (base, mut rest) = match key.find('[') {
            Some(i) => (key[..i].to_string(), &key[i..]),
            None => (key.clone(), ""),
        };
        if base.is_empty() {
            continue;
        }
        let mut path = vec![base];
        while let Some(stripped) = rest.strip_prefix('[') {
            let Some(end) = stripped.find(']') else { break };
            path.push(stripped[..end].to_string());
            rest = &stripped[end + 1..];
        }
        root.insert(&path, Param::Str(value));
    }
    root
}

fn decode(s: &str) -> String {
    let plus_free = s.replace('+', " ");
    percent_encoding::percent_decode_str(&plus_free).decode_utf8_lossy().into_owned()
}

/// Decodes a JSON body keeping the order of object keys (serde_json's own map sorts them).
pub fn parse_json(body: &str) -> Result<Param, serde_json::Error> {
    serde_json::from_str::<Param>(body)
}

impl<'de> Deserialize<'de> for Param {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Param, D::Error> {
        struct ParamVisitor;
        impl<'de> Visitor<'de> for ParamVisitor {
            type Value = Param;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, b: bool) -> Result<Param, E> {
                Ok(Param::Str(if b { "1".into() } else { String::new() }))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Param, E> {
                Ok(Param::Str(n.to_string()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Param, E> {
                Ok(Param::Str(n.to_string()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Param, E> {
                Ok(Param::Str(n.to_string()))
            }
            fn visit_str<E>(self, s: &str) -> Result<Param, E> {
                Ok(Param::Str(s.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Param, E> {
                Ok(Param::Str(String::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Param, A::Error> {
                let mut items = Vec::new();
                while let Some(v) = seq.next_element::<Param>()? {
                    items.push((items.len().to_string(), v));
                }
                Ok(Param::Map(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Param, A::Error> {
                let mut items: Vec<(String, Param)> = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Param>()? {
                    match items.iter_mut().find(|(key, _)| *key == k) {
                        Some(slot) => slot.1 = v,
                        None => items.push((k, v)),
                    }
                }
                Ok(Param::Map(items))
            }
        }
        deserializer.deserialize_any(ParamVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn brackets_nest_and_append_in_order() {
        let p = parse_query("b=2&a%5Bx%5D=1&v[]=p&v[]=q&s=a+b%20c&cmd[z]=1&cmd[a]=2");
        assert_eq!(
            p.to_json(),
            json!({"b": "2", "a": {"x": "1"}, "v": ["p", "q"], "s": "a b c", "cmd": {"z": "1", "a": "2"}})
        );
        let Param::Map(cmd) = p.get("cmd").unwrap() else { panic!() };
        assert_eq!(cmd[0].0, "z", "order of arrival is kept");
    }

    #[test]
    fn json_bodies_keep_key_order() {
        let p = parse_json(r#"{"cmd": {"zz": "a", "aa": "b"}, "halt": 0, "flag": true}"#).unwrap();
        let Param::Map(cmd) = p.get("cmd").unwrap() else { panic!() };
        assert_eq!(cmd[0].0, "zz");
        assert_eq!(p.get("halt").unwrap().as_str(), Some("0"));
        assert_eq!(p.get("flag").unwrap().as_str(), Some("1"));
    }

    #[test]
    fn intval_is_phps() {
        assert_eq!(Param::Str("12abc".into()).intval(), 12);
        assert_eq!(Param::Str("abc".into()).intval(), 0);
        assert_eq!(Param::Map(vec![("0".into(), Param::Str("5".into()))]).intval(), 1);
        assert_eq!(Param::Map(vec![]).intval(), 0);
    }
}
