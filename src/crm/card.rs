//! Reading a card's `batch` reply into what the agent sees.
//!
//! Replies are untrusted and shaped the portal's way: ids as strings, `[]` for "nothing", keys
//! missing. An answer is only believed when it is the record that was asked for.

use serde_json::Value;

use super::entity::{EntityKind, EntityRef};
use super::phone;
use super::plan::{key_of, keys, Lookup};
use crate::launch;
use crate::rest::batch::{BatchReply, Outcome};
use crate::rest::envelope::ApiError;

/// A phone number or e-mail address of the client, with its type as the portal labels it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channel {
    pub value: String,
    /// `WORK`, `MOBILE`, `HOME`…; empty when the portal gave none.
    pub kind: String,
    /// This is the number the call came from.
    pub matched: bool,
}

/// The company a contact works for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompanyLink {
    pub entity: Option<EntityRef>,
    pub title: String,
}

/// The client as the card shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientCard {
    pub entity: EntityRef,
    pub name: String,
    pub post: Option<String>,
    pub company: Option<CompanyLink>,
    pub phones: Vec<Channel>,
    pub emails: Vec<Channel>,
}

/// Who is calling, as far as the CRM knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    Known(ClientCard),
    /// The number is in no record.
    Unknown,
    /// The call has neither a number nor a record.
    NoNumber,
}

/// Why the card could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CardError {
    /// The portal refused a command the card depends on.
    Command { key: &'static str, error: ApiError },
    /// The reply did not have the shape of the portal's answer.
    Shape(String),
}

/// Reads the reply to `lookup.batch()`.
pub fn read(lookup: &Lookup, reply: &BatchReply) -> Result<Caller, CardError> {
    match lookup {
        Lookup::Nothing => Ok(Caller::NoNumber),
        Lookup::Bound(entity) => {
            let key = key_of(entity.kind);
            match reply.outcome(key) {
                Outcome::Ok(record) => {
                    let card = client_card(*entity, record, reply, &[])
                        .ok_or_else(|| CardError::Shape(format!("`{key}` is not the record asked for")))?;
                    Ok(Caller::Known(card))
                }
                Outcome::Failed(error) => Err(CardError::Command { key, error: error.clone() }),
                Outcome::Missing => Err(CardError::Shape(format!("no answer for `{key}`"))),
            }
        }
        Lookup::ByPhone { variants } => {
            let found = match reply.outcome(keys::MATCH) {
                Outcome::Ok(v) => v,
                Outcome::Failed(error) => {
                    return Err(CardError::Command { key: keys::MATCH, error: error.clone() })
                }
                Outcome::Missing => return Err(CardError::Shape("no answer for the number search".into())),
            };
            // Contacts first: a person is who answers the phone; then companies, then leads.
            for kind in [EntityKind::Contact, EntityKind::Company, EntityKind::Lead] {
                let ids = matched_ids(found, kind);
                let Some(&first) = ids.first() else { continue };
                let entity = EntityRef { kind, id: first };
                if let Outcome::Ok(record) = reply.outcome(key_of(kind)) {
                    if let Some(card) = client_card(entity, record, reply, variants) {
                        return Ok(Caller::Known(card));
                    }
                }
            }
            Ok(Caller::Unknown)
        }
    }
}

/// The ids of one kind in a `crm.duplicate.findbycomm` answer (`{CONTACT: [..]}` or `[]`).
fn matched_ids(found: &Value, kind: EntityKind) -> Vec<u64> {
    found
        .get(kind.symbol())
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(|v| launch::id(Some(v))).collect())
        .unwrap_or_default()
}

fn field(record: &Value, name: &str) -> Option<String> {
    launch::text(record.get(name))
}

fn client_card(entity: EntityRef, record: &Value, reply: &BatchReply, variants: &[String]) -> Option<ClientCard> {
    if launch::id(record.get("ID")) != Some(entity.id) {
        return None;
    }
    let person = [field(record, "NAME"), field(record, "SECOND_NAME"), field(record, "LAST_NAME")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let name = match entity.kind {
        EntityKind::Contact => person,
        EntityKind::Company => field(record, "TITLE").unwrap_or_default(),
        EntityKind::Lead | EntityKind::Deal => {
            if person.is_empty() { field(record, "TITLE").unwrap_or_default() } else { person }
        }
    };
    let company = match entity.kind {
        EntityKind::Contact => contact_company(record, reply),
        EntityKind::Lead => field(record, "COMPANY_TITLE").map(|title| CompanyLink { entity: None, title }),
        _ => None,
    };
    Some(ClientCard {
        entity,
        name,
        post: field(record, "POST"),
        company,
        phones: channels(record.get("PHONE"), variants),
        emails: channels(record.get("EMAIL"), &[]),
    })
}

fn contact_company(contact: &Value, reply: &BatchReply) -> Option<CompanyLink> {
    let id = launch::id(contact.get("COMPANY_ID"))?;
    let entity = EntityRef { kind: EntityKind::Company, id };
    let title = match reply.outcome(keys::CONTACT_COMPANY) {
        Outcome::Ok(company) if launch::id(company.get("ID")) == Some(id) => field(company, "TITLE"),
        _ => None,
    };
    // Without its title the link still leads to the company.
    Some(CompanyLink { entity: Some(entity), title: title.unwrap_or_default() })
}

/// A multifield (`PHONE`, `EMAIL`): `[{VALUE, VALUE_TYPE}]`; unreadable entries are skipped.
fn channels(raw: Option<&Value>, variants: &[String]) -> Vec<Channel> {
    let Some(items) = raw.and_then(Value::as_array) else { return Vec::new() };
    items
        .iter()
        .filter_map(|item| {
            let value = launch::text(item.get("VALUE"))?;
            let kind = launch::text(item.get("VALUE_TYPE")).unwrap_or_default();
            let matched = !variants.is_empty() && phone::matches_any(&value, variants);
            Some(Channel { value, kind, matched })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::launch::CallCardOptions;
    use serde_json::json;

    fn by_phone(number: &str) -> Lookup {
        Lookup::for_call(&CallCardOptions { phone_number: Some(number.into()), ..Default::default() })
    }

    fn reply(v: Value) -> BatchReply {
        BatchReply::parse(&v).unwrap()
    }

    #[test]
    fn a_known_contact_with_company() {
        let r = reply(json!({
            "result": {
                "match": {"CONTACT": [12], "LEAD": ["40"]},
                "contact": {"ID": "12", "NAME": "Anna", "LAST_NAME": "Schmidt", "POST": "Buyer", "COMPANY_ID": "3",
                    "PHONE": [{"ID": "1", "VALUE": "030 1234567", "VALUE_TYPE": "WORK"},
                              {"ID": "2", "VALUE": "+49 170 000000", "VALUE_TYPE": "MOBILE"}],
                    "EMAIL": [{"VALUE": "anna@example.de", "VALUE_TYPE": "WORK"}]},
                "contact_company": {"ID": "3", "TITLE": "Müller GmbH"},
                "lead": {"ID": "40", "TITLE": "old lead"}
            },
            "result_error": {"company": {"error": "", "error_description": "ID is not defined or invalid."}}
        }));
        let Caller::Known(card) = read(&by_phone("49301234567"), &r).unwrap() else { panic!() };
        assert_eq!(card.name, "Anna Schmidt");
        assert_eq!(card.entity, EntityRef { kind: EntityKind::Contact, id: 12 });
        assert_eq!(card.company.as_ref().unwrap().title, "Müller GmbH");
        assert!(card.phones[0].matched);
        assert!(!card.phones[1].matched);
        assert_eq!(card.emails[0].kind, "WORK");
    }

    #[test]
    fn a_record_that_was_not_asked_for_is_not_believed() {
        // No CONTACT matched: the portal resolved the reference to the whole match object and
        // read it as id 1. That contact must not be shown as the caller.
        let r = reply(json!({
            "result": {
                "match": {"COMPANY": ["7"]},
                "contact": {"ID": "1", "NAME": "Somebody Else"},
                "company": {"ID": "7", "TITLE": "Acme"}
            }
        }));
        let Caller::Known(card) = read(&by_phone("74951234567"), &r).unwrap() else { panic!() };
        assert_eq!(card.entity, EntityRef { kind: EntityKind::Company, id: 7 });
        assert_eq!(card.name, "Acme");
    }

    #[test]
    fn no_match_is_an_unknown_caller() {
        let r = reply(json!({
            "result": {"match": []},
            "result_error": {"contact": {"error": "", "error_description": "ID is not defined or invalid."}}
        }));
        assert_eq!(read(&by_phone("74951234567"), &r), Ok(Caller::Unknown));
    }

    #[test]
    fn a_failed_search_is_an_error_that_names_the_command() {
        let r = reply(json!({"result": [], "result_error": {"match": {"error": "insufficient_scope", "error_description": ""}}}));
        assert!(matches!(
            read(&by_phone("74951234567"), &r),
            Err(CardError::Command { key: "match", .. })
        ));
    }

    #[test]
    fn hostile_shapes_do_not_panic() {
        for v in [
            json!({"result": {"match": {"CONTACT": "12"}}}),
            json!({"result": {"match": {"CONTACT": [null, {}, -1, "x"]}}}),
            json!({"result": {"match": {"CONTACT": [5]}, "contact": {"ID": "5", "PHONE": "x", "EMAIL": [1, {"VALUE": {}}]}}}),
            json!({"result": {"match": 5}}),
        ] {
            let _ = read(&by_phone("74951234567"), &reply(v));
        }
        let bound = Lookup::Bound(EntityRef { kind: EntityKind::Lead, id: 3 });
        let r = reply(json!({"result": {"lead": {"ID": "3", "TITLE": "Website enquiry", "COMPANY_TITLE": "Acme"}}}));
        let Caller::Known(card) = read(&bound, &r).unwrap() else { panic!() };
        assert_eq!(card.name, "Website enquiry");
        assert_eq!(card.company.unwrap().title, "Acme");
    }
}
