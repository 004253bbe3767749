//! A new deal for the client on the card (`crm.deal.add`, docs
//! `api-reference/crm/deals/crm-deal-add.md`): the client bound (a contact through
//! `CONTACT_IDS`, with their company; a company through `COMPANY_ID`), the title the agent
//! confirmed. The responsible person is left to the portal, whose default is the user calling
//! the method: the agent. Stage and pipeline are the portal's defaults too (the first stage of
//! the default pipeline). Leads have no deals: none is offered for them.

use crate::json;
use crate::json::{Map, Value};

use super::entity::{EntityKind, EntityRef};

/// The `fields` of `crm.deal.add`, or `None` for a client that takes no deal (a lead).
pub fn fields(client: EntityRef, company: Option<u64>, title: &str) -> Option<Value> {
    let mut fields = Map::new();
    let title = crate::text::trim(title);
    // An empty title is the portal's to name ("Deal #id").
    if !title.is_empty() {
        fields.insert("TITLE".into(), json!(title));
    }
    match client.kind {
        EntityKind::Contact => {
            fields.insert("CONTACT_IDS".into(), json!([client.id]));
            if let Some(company) = company {
                fields.insert("COMPANY_ID".into(), json!(company));
            }
        }
        EntityKind::Company => {
            fields.insert("COMPANY_ID".into(), json!(client.id));
        }
        EntityKind::Lead | EntityKind::Deal => return None,
    }
    Some(Value::Object(fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_is_bound_and_the_rest_left_to_the_portal() {
        let anna = EntityRef { kind: EntityKind::Contact, id: 1 };
        assert_eq!(fields(anna, Some(3), "  Anna Schmidt "), Some(json!({ "TITLE": "Anna Schmidt", "CONTACT_IDS": [1], "COMPANY_ID": 3 })));
        assert_eq!(fields(anna, None, ""), Some(json!({ "CONTACT_IDS": [1] })));
        let company = EntityRef { kind: EntityKind::Company, id: 3 };
        assert_eq!(fields(company, Some(9), "Müller"), Some(json!({ "TITLE": "Müller", "COMPANY_ID": 3 })));
        assert_eq!(fields(EntityRef { kind: EntityKind::Lead, id: 4 }, None, "x"), None);
    }
}
