//! Linking a call from an unknown or hidden number to a record that already exists, instead of
//! creating a duplicate: the search (by name or title, or by another number), and the phone the
//! record then gets (added, never replacing its others).

use crate::json;
use crate::json::Value;

use super::entity::{EntityKind, EntityRef};
use super::phone;
use super::plan::CLIENT_KINDS;
use crate::host::lowercase;
use crate::portal::{full_name, id, text, PERSON_NAME};
use crate::rest::batch::{Batch, BatchReply, Outcome};

/// A record the search found, as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub entity: EntityRef,
    pub name: String,
    /// A position, a lead's company: what tells two namesakes apart.
    pub detail: Option<String>,
}

/// At most this many hits are shown.
pub const SHOWN_HITS: usize = 10;

/// What one search command asks: the key, the kind it lists, and its `filter`.
fn name_searches(query: &str) -> [(&'static str, EntityKind, Value); 5] {
    // `%FIELD` is a substring match, case-insensitive (CSQLWhere's `S` operation).
    [
        ("contacts_by_last_name", EntityKind::Contact, json!({ "%LAST_NAME": query })),
        ("contacts_by_name", EntityKind::Contact, json!({ "%NAME": query })),
        ("companies_by_title", EntityKind::Company, json!({ "%TITLE": query })),
        ("leads_by_title", EntityKind::Lead, json!({ "%TITLE": query })),
        ("leads_by_last_name", EntityKind::Lead, json!({ "%LAST_NAME": query })),
    ]
}

const BY_NUMBER: &str = "by_number";

fn by_number_key(kind: EntityKind) -> String {
    ["by_number_", kind.method_name()].concat()
}

fn select(kind: EntityKind) -> &'static [&'static str] {
    match kind {
        EntityKind::Company => &["ID", "TITLE"],
        EntityKind::Lead => &["ID", "TITLE", "NAME", "SECOND_NAME", "LAST_NAME", "COMPANY_TITLE"],
        _ => &["ID", "NAME", "SECOND_NAME", "LAST_NAME", "POST"],
    }
}

/// The one batch that searches for `query`: names and titles, and, when it holds five digits or
/// more, the number in every likely spelling. `None` for a query too short to search.
pub fn search_batch(query: &str) -> Option<Batch> {
    let query = crate::text::trim(query);
    if query.chars().count() < 2 {
        return None;
    }
    let mut b = Batch::default();
    let digits = phone::digits(query);
    if digits.len() >= 5 {
        b.push(BY_NUMBER, "crm.duplicate.findbycomm", json!({ "type": "PHONE", "values": phone::search_variants(query) }));
        for &kind in &CLIENT_KINDS {
            b.push(
                &by_number_key(kind),
                &["crm.", kind.method_name(), ".list"].concat(),
                list_params(kind, json!({ "ID": Batch::reference(BY_NUMBER, &[kind.symbol()]) })),
            );
        }
    }
    // A query written like a phone number (digits and its punctuation) is not a name.
    let number_only = query.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '(' | ')' | '.' | ' ' | '/'));
    if !number_only {
        for (key, kind, filter) in name_searches(query) {
            b.push(key, &["crm.", kind.method_name(), ".list"].concat(), list_params(kind, filter));
        }
    }
    Some(b)
}

/// A search's list command: `filter`, the fields a hit shows, one page uncounted (`start=-1`).
fn list_params(kind: EntityKind, filter: Value) -> Value {
    json!({ "filter": filter, "select": select(kind), "start": -1 })
}

/// The hits of a search reply: found by number first, then by name; each record once; commands
/// that failed or answered something else are left out (a search shows what it can).
pub fn read_hits(query: &str, reply: &BatchReply) -> Vec<Hit> {
    let query = lowercase(crate::text::trim(query));
    let number_ids = |kind: EntityKind| -> Vec<u64> {
        match reply.outcome(BY_NUMBER) {
            Outcome::Ok(found) => kind.found_ids(found),
            _ => Vec::new(),
        }
    };
    let mut hits: Vec<Hit> = Vec::new();
    let mut add = |kind: EntityKind, row: &Value| {
        let Some(record_id) = id(row.get("ID")) else { return };
        let entity = EntityRef { kind, id: record_id };
        if hits.iter().any(|h| h.entity == entity) {
            return;
        }
        hits.push(Hit { entity, name: name_of(kind, row), detail: detail_of(kind, row) });
    };
    let rows = |key: &str| match reply.outcome(key) {
        Outcome::Ok(Value::Array(list)) => list.as_slice(),
        _ => &[],
    };
    for &kind in &CLIENT_KINDS {
        let wanted = number_ids(kind);
        // The list was filtered by a reference: keep only the ids the number search found.
        for row in rows(&by_number_key(kind)) {
            if id(row.get("ID")).is_some_and(|i| wanted.contains(&i)) {
                add(kind, row);
            }
        }
    }
    for (key, kind, filter) in name_searches(&query) {
        let field = filter.as_object().and_then(|f| f.keys().next()).map(|k| crate::text::trim_start_ascii(k, b'%').to_string()).unwrap_or_default();
        // Only rows whose field holds the query: the portal ignores what it does not know.
        for row in rows(key) {
            if text(row.get(&field)).is_some_and(|v| crate::text::contains(&lowercase(&v), &query)) {
                add(kind, row);
            }
        }
    }
    hits.truncate(SHOWN_HITS);
    hits
}

fn name_of(kind: EntityKind, row: &Value) -> String {
    let person = full_name(row, &PERSON_NAME);
    match kind {
        EntityKind::Company => text(row.get("TITLE")).unwrap_or_default(),
        EntityKind::Lead if person.is_empty() => text(row.get("TITLE")).unwrap_or_default(),
        _ => person,
    }
}

fn detail_of(kind: EntityKind, row: &Value) -> Option<String> {
    match kind {
        EntityKind::Contact => text(row.get("POST")),
        EntityKind::Lead => text(row.get("COMPANY_TITLE")).or_else(|| text(row.get("TITLE"))),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

/// The call that adds `number` to a record's phones: an item without `ID` is a new value, the
/// others stay (crm's `restservice.php`, `internalizeFields`: a new multifield item gets key `nN`).
pub fn add_phone(entity: EntityRef, number: &str) -> (String, Value) {
    (
        ["crm.", entity.kind.method_name(), ".update"].concat(),
        json!({ "id": entity.id, "fields": { "PHONE": [{ "VALUE": phone::display(number), "VALUE_TYPE": "WORK" }] } }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(v: Value) -> BatchReply {
        BatchReply::parse(&v).unwrap()
    }

    #[test]
    fn a_name_is_searched_in_names_and_titles_and_a_number_in_its_spellings() {
        let b = search_batch("  Schmidt ").unwrap();
        let keys: Vec<_> = b.commands.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["contacts_by_last_name", "contacts_by_name", "companies_by_title", "leads_by_title", "leads_by_last_name"]);
        assert_eq!(b.commands[0].params["filter"]["%LAST_NAME"], "Schmidt");
        let n = search_batch("+49 30 1234567").unwrap();
        assert_eq!(n.commands[0].method, "crm.duplicate.findbycomm");
        assert!(n.commands.iter().all(|c| !c.key.contains("by_name")), "a number is not a name");
        assert_eq!(n.commands[1].params["filter"]["ID"], "$result[by_number][CONTACT]");
        assert!(search_batch("x").is_none() && search_batch("   ").is_none());
        assert!(search_batch("Müller 2").unwrap().commands.iter().any(|c| c.key == "companies_by_title"));
    }

    #[test]
    fn hits_come_once_numbers_first_and_only_what_matches() {
        let r = reply(json!({"result": {
            "by_number": {"CONTACT": [5]},
            "by_number_contact": [{"ID": "5", "NAME": "Ekaterina", "LAST_NAME": "Smirnova", "POST": "CFO"}, {"ID": "1", "NAME": "Substituted"}],
            "contacts_by_last_name": [{"ID": "5", "NAME": "Ekaterina", "LAST_NAME": "Smirnova"}, {"ID": "7", "NAME": "Ivan", "LAST_NAME": "Smirnov"}],
            "contacts_by_name": [{"ID": "9", "NAME": "Nobody", "LAST_NAME": "Else"}],
            "companies_by_title": [{"ID": "2", "TITLE": "Smirnov & Sons"}],
            "leads_by_title": {"error": "x"}
        }}));
        let hits = read_hits("smirnov", &r);
        let found: Vec<_> = hits.iter().map(|h| (h.entity.kind, h.entity.id, h.name.as_str())).collect();
        assert_eq!(found, [
            (EntityKind::Contact, 5, "Ekaterina Smirnova"),
            (EntityKind::Contact, 7, "Ivan Smirnov"),
            (EntityKind::Company, 2, "Smirnov & Sons"),
        ]);
        assert_eq!(hits[0].detail.as_deref(), Some("CFO"));
    }

    #[test]
    fn the_number_is_added_never_replacing_the_others() {
        let (method, params) = add_phone(EntityRef { kind: EntityKind::Lead, id: 7 }, "12025550123");
        assert_eq!(method, "crm.lead.update");
        assert_eq!(params, json!({"id": 7, "fields": {"PHONE": [{"VALUE": "+1 202 555 0123", "VALUE_TYPE": "WORK"}]}}));
        assert!(params["fields"]["PHONE"][0].get("ID").is_none());
    }
}
