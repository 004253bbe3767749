//! Creating the caller when the number is unknown: the agent's form, checked field by field,
//! and the `fields` of `crm.contact.add` / `crm.lead.add`.

use crate::json;
use crate::json::{Map, Value};

use super::entity::EntityKind;
use crate::text::{is_blank, trim};

/// What the agent typed. Every field is kept as typed, so that a failure loses nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewClient {
    pub first_name: String,
    pub last_name: String,
    /// Leads only: the company as free text.
    pub company: String,
    pub email: String,
    pub phone: String,
}

/// A field that needs the agent's attention, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldProblem {
    NameMissing,
    EmailInvalid,
    PhoneInvalid,
}

impl NewClient {
    /// The problems of the form, in the order the fields appear; empty when it can be saved.
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        if is_blank(&self.first_name) && is_blank(&self.last_name) {
            out.push(FieldProblem::NameMissing);
        }
        let email = trim(&self.email);
        if !email.is_empty() {
            let valid = crate::text::split_once_ascii(email, b'@').is_some_and(|(user, domain)| {
                !user.is_empty() && domain.bytes().any(|b| b == b'.') && !domain.starts_with('.') && !domain.ends_with('.')
            }) && !email.contains(char::is_whitespace);
            if !valid {
                out.push(FieldProblem::EmailInvalid);
            }
        }
        let digits = self.phone.chars().filter(char::is_ascii_digit).count();
        if digits < 3 || self.phone.chars().any(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'))) {
            out.push(FieldProblem::PhoneInvalid);
        }
        out
    }

    /// The `fields` for `crm.contact.add` or `crm.lead.add`.
    pub fn fields(&self, kind: EntityKind) -> Value {
        let mut fields = Map::new();
        fields.insert("NAME".into(), json!(trim(&self.first_name)));
        fields.insert("LAST_NAME".into(), json!(trim(&self.last_name)));
        fields.insert("SOURCE_ID".into(), json!("CALL"));
        fields.insert("PHONE".into(), json!([{ "VALUE": trim(&self.phone), "VALUE_TYPE": "WORK" }]));
        if !is_blank(&self.email) {
            fields.insert("EMAIL".into(), json!([{ "VALUE": trim(&self.email), "VALUE_TYPE": "WORK" }]));
        }
        if kind == EntityKind::Lead {
            let name = trim(&[trim(&self.first_name), " ", trim(&self.last_name)].concat()).to_string();
            fields.insert("TITLE".into(), json!(if is_blank(&self.company) { name } else { [name.as_str(), ", ", trim(&self.company)].concat() }));
            if !is_blank(&self.company) {
                fields.insert("COMPANY_TITLE".into(), json!(trim(&self.company)));
            }
        }
        Value::Object(fields)
    }
}

/// A form the agent started, as kept between openings of the card: which record it makes and
/// what was typed. `None` for a form that holds nothing of the agent's own (only the prefilled
/// number), which is not worth keeping.
pub fn draft(kind: EntityKind, form: &NewClient, prefilled: &NewClient) -> Option<String> {
    (form != prefilled).then(|| {
        json!({
            "kind": kind.symbol(), "first": &form.first_name, "last": &form.last_name,
            "company": &form.company, "email": &form.email, "phone": &form.phone,
        })
        .to_string()
    })
}

/// A kept form read back; anything unreadable is no draft (never a failure: it is the agent's
/// own storage, but a page of another version may have written it).
pub fn from_draft(text: &str) -> Option<(EntityKind, NewClient)> {
    let value: Value = crate::json::parse(text).ok()?;
    let kind = EntityKind::from_symbol(value.get("kind").and_then(Value::as_str))
        .filter(|k| matches!(k, EntityKind::Contact | EntityKind::Lead))?;
    let field = |name: &str| value.get(name).and_then(Value::as_str).unwrap_or_default().to_string();
    Some((
        kind,
        NewClient { first_name: field("first"), last_name: field("last"), company: field("company"), email: field("email"), phone: field("phone") },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_started_form_is_kept_and_read_back_whole() {
        let prefilled = NewClient { phone: "+1 202 555 0123".into(), ..NewClient::default() };
        assert_eq!(draft(EntityKind::Lead, &prefilled, &prefilled), None, "nothing typed, nothing kept");
        let typed = NewClient { first_name: "Olga".into(), company: "Nord \"AG\"".into(), ..prefilled.clone() };
        let kept = draft(EntityKind::Lead, &typed, &prefilled).unwrap();
        assert_eq!(from_draft(&kept), Some((EntityKind::Lead, typed)));
        for broken in ["", "{", "null", r#"{"kind":"DEAL"}"#, r#"{"kind":7}"#, r#"[1]"#] {
            assert_eq!(from_draft(broken), None, "{broken}");
        }
        assert_eq!(from_draft(r#"{"kind":"CONTACT","first":1}"#), Some((EntityKind::Contact, NewClient::default())));
    }

    fn form() -> NewClient {
        NewClient { first_name: "Jane".into(), phone: "+1 202 555 0123".into(), ..Default::default() }
    }

    #[test]
    fn a_name_and_a_number_are_enough() {
        assert!(form().problems().is_empty());
        let f = form().fields(EntityKind::Contact);
        assert_eq!(f["PHONE"][0]["VALUE"], "+1 202 555 0123");
        assert!(f.get("EMAIL").is_none() && f.get("TITLE").is_none());
    }

    #[test]
    fn each_field_is_checked() {
        let empty = NewClient { phone: "x".into(), email: "nope@".into(), ..Default::default() };
        assert_eq!(empty.problems(), vec![FieldProblem::NameMissing, FieldProblem::EmailInvalid, FieldProblem::PhoneInvalid]);
        let ok_email = NewClient { email: "jane@example.com".into(), ..form() };
        assert!(ok_email.problems().is_empty());
    }

    #[test]
    fn a_lead_gets_a_title_and_its_company() {
        let lead = NewClient { last_name: "Doe".into(), company: "Acme".into(), ..form() }.fields(EntityKind::Lead);
        assert_eq!(lead["TITLE"], "Jane Doe, Acme");
        assert_eq!(lead["COMPANY_TITLE"], "Acme");
    }
}
