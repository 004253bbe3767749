//! The `batch` method: up to 50 commands in one request, later ones able to use earlier results
//! through `$result[key][FIELD]` references. This is how a whole card costs one round trip.

use crate::json::{Map, Value};

use super::envelope::{api_error, count, ApiError};
use super::form;

/// The portal's limit on commands in one batch.
pub const MAX_COMMANDS: usize = 50;

/// A list method's parameters (`crm.*.list`): a filter, the fields, one sort field, and
/// whether to skip counting (`start=-1`). One builder for every list of a card, instead of a
/// `json!` of its own each, keeps the module small.
pub struct List<'a> {
    pub filter: Vec<(&'a str, Value)>,
    pub select: &'a [&'a str],
    pub order: Option<(&'a str, &'a str)>,
    pub uncounted: bool,
}

impl List<'_> {
    pub fn params(self) -> Value {
        let mut params = Map::new();
        params.insert("filter".into(), Value::Object(self.filter.into_iter().map(|(k, v)| (k.to_string(), v)).collect()));
        params.insert("select".into(), Value::Array(self.select.iter().map(|f| Value::from(*f)).collect()));
        if let Some((field, direction)) = self.order {
            params.insert("order".into(), one(field, Value::from(direction)));
        }
        if self.uncounted {
            params.insert("start".into(), Value::from(-1));
        }
        Value::Object(params)
    }
}

/// An object of one key: `{"ID": …}`.
pub fn one(key: &str, value: Value) -> Value {
    Value::Object(Map::from_iter([(key.to_string(), value)]))
}

/// One command of a batch.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    pub key: String,
    pub method: String,
    pub params: Value,
}

/// A batch request under construction.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Batch {
    /// Stop at the first failing command. Off for cards: sections fail independently.
    pub halt: bool,
    pub commands: Vec<Command>,
}

impl Batch {
    pub fn push(&mut self, key: &str, method: &str, params: Value) -> &mut Self {
        self.commands.push(Command { key: key.into(), method: method.into(), params });
        self
    }

    /// A reference to a field of an earlier command's result, e.g. `reference("contact",
    /// &["COMPANY_ID"])` → `$result[contact][COMPANY_ID]`.
    pub fn reference(key: &str, path: &[&str]) -> Value {
        let mut s = ["$result[", key, "]"].concat();
        for p in path {
            s.push('[');
            s.push_str(p);
            s.push(']');
        }
        Value::String(s)
    }

    /// A reference that always arrives as text, for a parameter the portal reads as one value (an
    /// id): the blank after it makes the reference part of a longer string, and the portal
    /// (rest's `rest_util.php`, `processBatchElement`) then substitutes only a string or number,
    /// leaving an unresolved reference as written. So a missing row gives a non-numeric text
    /// (`intval` 0: nothing found) instead of the array the path stopped at, which some methods
    /// cannot take (a PHP `TypeError`, HTTP 500 for the whole batch).
    pub fn scalar_reference(key: &str, path: &[&str]) -> Value {
        match Batch::reference(key, path) {
            Value::String(s) => Value::String(s + " "),
            other => other,
        }
    }

    /// The form body of the `batch` call. Each command is `method?query`, its query form-encoded
    /// inside the (again encoded) `cmd[key]` value, as the portal expects. Commands keep their
    /// order: the portal runs them in body order, and a reference only sees earlier results.
    pub fn form_body(&self) -> String {
        let mut body = String::from(if self.halt { "halt=1" } else { "halt=0" });
        for c in &self.commands {
            let command = [c.method.as_str(), "?", &form::encode(&c.params)].concat();
            body.push_str("&cmd%5B");
            body.push_str(&form::escape(&c.key));
            body.push_str("%5D=");
            body.push_str(&form::escape(&command));
        }
        body
    }
}

/// What a batch answered, command by command.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BatchReply {
    pub results: Map,
    /// By command key, in the reply's order, each key once. A card has a few dozen commands at
    /// most: a list is smaller code than a map and as quick.
    pub errors: Vec<(String, ApiError)>,
    pub totals: Vec<(String, u64)>,
}

/// The value of `key` in a list of keyed values.
fn find<'a, T>(list: &'a [(String, T)], key: &str) -> Option<&'a T> {
    list.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Adds `key`'s value unless the list has the key already (the first one stays).
fn add_new<T>(list: &mut Vec<(String, T)>, key: String, value: T) {
    if find(list, &key).is_none() {
        list.push((key, value));
    }
}

/// One command's outcome.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome<'a> {
    Ok(&'a Value),
    Failed(&'a ApiError),
    /// Neither result nor error: not run (an earlier command halted the batch).
    Missing,
}

impl BatchReply {
    /// Parses the `result` of a `batch` reply. Empty sections come as `[]`, not `{}`.
    pub fn parse(result: &Value) -> Result<BatchReply, String> {
        let obj = result.as_object().ok_or("the batch result is not an object")?;
        let section = |name: &str| -> Result<Option<&Map>, String> {
            match obj.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Array(a)) if a.is_empty() => Ok(None),
                Some(Value::Object(m)) => Ok(Some(m)),
                // Numeric command keys make PHP serialise a section as a list.
                Some(Value::Array(_)) => Err(["`", name, "` is a list; command keys must not be numbers"].concat()),
                Some(_) => Err(["`", name, "` is not an object"].concat()),
            }
        };
        let mut reply = BatchReply::default();
        if let Some(m) = section("result")? {
            reply.results = m.clone();
        }
        if let Some(m) = section("result_error")? {
            for (k, v) in m {
                let error = api_error(v).unwrap_or(ApiError {
                    code: "UNKNOWN".into(),
                    description: String::new(),
                });
                add_new(&mut reply.errors, k.clone(), error);
            }
        }
        if let Some(m) = section("result_total")? {
            for (k, v) in m {
                if let Some(n) = count(v) {
                    add_new(&mut reply.totals, k.clone(), n);
                }
            }
        }
        Ok(reply)
    }

    /// How many rows a list command found in all (`result_total`).
    pub fn total(&self, key: &str) -> Option<u64> {
        find(&self.totals, key).copied()
    }

    pub fn outcome(&self, key: &str) -> Outcome<'_> {
        if let Some(e) = find(&self.errors, key) {
            Outcome::Failed(e)
        } else if let Some(v) = self.results.get(key) {
            Outcome::Ok(v)
        } else {
            Outcome::Missing
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn commands_are_encoded_with_references_intact() {
        let mut b = Batch::default();
        b.push("match", "crm.duplicate.findbycomm", json!({"type": "PHONE", "values": ["491701234567"]}))
            .push("contact", "crm.contact.get", json!({"id": Batch::reference("match", &["CONTACT", "0"])}));
        let body = b.form_body();
        // Order is kept ("match" sorts after "contact" but must run first), and the outer
        // encoding escapes the inner one again.
        assert_eq!(
            body,
            "halt=0\
             &cmd%5Bmatch%5D=crm.duplicate.findbycomm%3Ftype%3DPHONE%26values%255B0%255D%3D491701234567\
             &cmd%5Bcontact%5D=crm.contact.get%3Fid%3D%2524result%255Bmatch%255D%255BCONTACT%255D%255B0%255D"
        );
    }

    #[test]
    fn reply_sections_may_be_empty_lists() {
        let r = BatchReply::parse(&json!({
            "result": {"match": {"CONTACT": [5]}},
            "result_error": {"lead": {"error": "", "error_description": "Not found"}},
            "result_total": [], "result_next": [], "result_time": []
        }))
        .unwrap();
        assert_eq!(r.outcome("match"), Outcome::Ok(&json!({"CONTACT": [5]})));
        assert!(matches!(r.outcome("lead"), Outcome::Failed(e) if e.description == "Not found"));
        assert_eq!(r.outcome("company"), Outcome::Missing);

        let all_failed = BatchReply::parse(&json!({"result": [], "result_error": {"a": {"error": "insufficient_scope"}}})).unwrap();
        assert!(all_failed.results.is_empty());
        assert!(BatchReply::parse(&json!("x")).is_err());
        assert!(BatchReply::parse(&json!({"result": [1, 2]})).is_err());
    }
}
