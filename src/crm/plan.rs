//! The query plan for a card: one `batch` whose later commands feed on earlier ones, so that the
//! whole card costs one round trip.

use serde_json::json;

use super::entity::{EntityKind, EntityRef};
use super::phone;
use crate::launch::CallCardOptions;
use crate::rest::batch::Batch;

/// Batch keys, shared by the plan and the reader of its reply.
pub mod keys {
    pub const MATCH: &str = "match";
    pub const CONTACT: &str = "contact";
    pub const COMPANY: &str = "company";
    pub const LEAD: &str = "lead";
    /// The company of the contact shown.
    pub const CONTACT_COMPANY: &str = "contact_company";
}

/// How the card finds its client.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    /// The call names its CRM record: fetch that one.
    Bound(EntityRef),
    /// Search the caller's number in all the spellings the portal might have stored.
    ByPhone { variants: Vec<String> },
    /// No number and no record: nothing to ask the portal.
    Nothing,
}

impl Lookup {
    pub fn for_call(options: &CallCardOptions) -> Lookup {
        if let Some(entity) = options.entity.filter(|e| e.kind != EntityKind::Deal) {
            return Lookup::Bound(entity);
        }
        let variants = options.phone_number.as_deref().map(phone::search_variants).unwrap_or_default();
        if variants.is_empty() {
            Lookup::Nothing
        } else {
            Lookup::ByPhone { variants }
        }
    }

    /// The batch for this lookup; `None` when there is nothing to ask.
    pub fn batch(&self) -> Option<Batch> {
        let mut b = Batch::default();
        match self {
            Lookup::Nothing => return None,
            Lookup::Bound(entity) => {
                let key = key_of(entity.kind);
                b.push(key, &format!("crm.{}.get", entity.kind.method_name()), json!({ "id": entity.id }));
                if entity.kind == EntityKind::Contact {
                    push_contact_company(&mut b);
                }
            }
            Lookup::ByPhone { variants } => {
                b.push(keys::MATCH, "crm.duplicate.findbycomm", json!({ "type": "PHONE", "values": variants }));
                // Each get takes the first id of its type. When the type is absent the portal
                // substitutes whatever the reference reached, so the reader checks every answer
                // against the match list before trusting it.
                for kind in [EntityKind::Contact, EntityKind::Company, EntityKind::Lead] {
                    b.push(
                        key_of(kind),
                        &format!("crm.{}.get", kind.method_name()),
                        json!({ "id": Batch::reference(keys::MATCH, &[kind.symbol(), "0"]) }),
                    );
                }
                push_contact_company(&mut b);
            }
        }
        Some(b)
    }
}

fn push_contact_company(b: &mut Batch) {
    b.push(
        keys::CONTACT_COMPANY,
        "crm.company.get",
        json!({ "id": Batch::reference(keys::CONTACT, &["COMPANY_ID"]) }),
    );
}

/// The batch key that holds an entity of this kind.
pub fn key_of(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Contact => keys::CONTACT,
        EntityKind::Company => keys::COMPANY,
        EntityKind::Lead | EntityKind::Deal => keys::LEAD,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(phone: Option<&str>, entity: Option<EntityRef>) -> CallCardOptions {
        CallCardOptions { phone_number: phone.map(String::from), entity, ..Default::default() }
    }

    #[test]
    fn phone_lookup_is_one_batch_chained_by_references() {
        let lookup = Lookup::for_call(&options(Some("74951234567"), None));
        let b = lookup.batch().unwrap();
        let keys: Vec<_> = b.commands.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["match", "contact", "company", "lead", "contact_company"]);
        assert_eq!(b.commands[1].params["id"], "$result[match][CONTACT][0]");
        assert_eq!(b.commands[4].params["id"], "$result[contact][COMPANY_ID]");
        assert!(b.commands[0].params["values"].as_array().unwrap().len() > 1);
    }

    #[test]
    fn a_bound_record_wins_over_the_number() {
        let e = EntityRef { kind: EntityKind::Lead, id: 9 };
        let lookup = Lookup::for_call(&options(Some("74951234567"), Some(e)));
        assert_eq!(lookup, Lookup::Bound(e));
        let b = lookup.batch().unwrap();
        assert_eq!(b.commands.len(), 1);
        assert_eq!(b.commands[0].method, "crm.lead.get");
    }

    #[test]
    fn nothing_to_ask_without_number_or_record() {
        assert_eq!(Lookup::for_call(&options(None, None)), Lookup::Nothing);
        assert!(Lookup::Nothing.batch().is_none());
    }
}
