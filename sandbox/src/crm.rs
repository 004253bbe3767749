//! The sandbox's in-memory CRM, loaded from a directory of JSON files (see `data/README.md`).
//! Records are kept in the shape the portal's `crm.*.get` methods answer: UPPER_CASE fields,
//! ids as strings, phones and e-mails as multifield lists.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The record collections, by the file they load from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Contact,
    Company,
    Lead,
    Deal,
    User,
    Status,
    Activity,
    Comment,
    /// The app's placement bindings (`placement.bind`); optional in a data directory.
    Placement,
    /// Calls registered by the app (`telephony.externalCall.register`); optional too.
    Call,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Contact, Kind::Company, Kind::Lead, Kind::Deal, Kind::User, Kind::Status, Kind::Activity, Kind::Comment,
        Kind::Placement, Kind::Call,
    ];

    fn file(self) -> &'static str {
        match self {
            Kind::Contact => "contacts.json",
            Kind::Company => "companies.json",
            Kind::Lead => "leads.json",
            Kind::Deal => "deals.json",
            Kind::User => "users.json",
            Kind::Status => "statuses.json",
            Kind::Activity => "activities.json",
            Kind::Comment => "comments.json",
            Kind::Placement => "placements.json",
            Kind::Call => "calls.json",
        }
    }

    /// The key `crm.duplicate.findbycomm` reports this kind under.
    pub fn symbol(self) -> &'static str {
        match self {
            Kind::Contact => "CONTACT",
            Kind::Company => "COMPANY",
            Kind::Lead => "LEAD",
            Kind::Deal => "DEAL",
            Kind::User => "USER",
            Kind::Status => "STATUS",
            Kind::Activity => "ACTIVITY",
            Kind::Comment => "COMMENT",
            Kind::Placement => "PLACEMENT",
            Kind::Call => "CALL",
        }
    }
}

/// All records, each collection ordered by id.
#[derive(Clone, Debug, Default)]
pub struct Crm {
    records: BTreeMap<Kind, Vec<Value>>,
}

impl Crm {
    /// Loads every collection file of `dir`; a missing file is an empty collection, an unreadable
    /// one an error that names it.
    pub fn load(dir: &Path) -> Result<Crm, String> {
        let mut crm = Crm::default();
        for kind in Kind::ALL {
            let path = dir.join(kind.file());
            let list = match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let value: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
                    let Value::Array(list) = value else {
                        return Err(format!("{}: expected a JSON array of records", path.display()));
                    };
                    for (i, record) in list.iter().enumerate() {
                        if kind != Kind::Placement && id_of(record).is_none() {
                            return Err(format!("{}: record {} has no numeric \"ID\"", path.display(), i + 1));
                        }
                    }
                    list
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                Err(e) => return Err(format!("{}: {e}", path.display())),
            };
            crm.records.insert(kind, list);
        }
        Ok(crm)
    }

    pub fn all(&self, kind: Kind) -> &[Value] {
        self.records.get(&kind).map(Vec::as_slice).unwrap_or_default()
    }

    pub fn get(&self, kind: Kind, id: i64) -> Option<&Value> {
        self.all(kind).iter().find(|r| id_of(r) == Some(id))
    }

    /// Stores a new record under the next id (as a string, like the portal's) and returns it.
    pub fn insert(&mut self, kind: Kind, mut record: serde_json::Map<String, Value>) -> i64 {
        let id = self.next_id(kind, 1);
        record.insert("ID".into(), Value::String(id.to_string()));
        self.records.entry(kind).or_default().push(Value::Object(record));
        id
    }

    /// The record of `kind` with `id`, to change in place.
    pub fn get_mut(&mut self, kind: Kind, id: i64) -> Option<&mut Value> {
        self.records.get_mut(&kind)?.iter_mut().find(|r| id_of(r) == Some(id))
    }

    /// Removes the records `matches` picks; how many went.
    pub fn remove(&mut self, kind: Kind, matches: impl Fn(&Value) -> bool) -> usize {
        let list = self.records.entry(kind).or_default();
        let before = list.len();
        list.retain(|r| !matches(r));
        before - list.len()
    }

    /// Ids of records of `kind` with a phone (or e-mail) equal to one of `values`, as the portal
    /// compares them: normalised phone digits, case-insensitive e-mail addresses.
    pub fn find_by_comm(&self, kind: Kind, field: &str, values: &[String]) -> Vec<i64> {
        let wanted: Vec<String> = values.iter().map(|v| normalise(field, v)).filter(|v| !v.is_empty()).collect();
        self.all(kind)
            .iter()
            .filter(|record| {
                record.get(field).and_then(Value::as_array).is_some_and(|items| {
                    items.iter().any(|item| {
                        item.get("VALUE")
                            .and_then(Value::as_str)
                            .is_some_and(|v| wanted.contains(&normalise(field, v)))
                    })
                })
            })
            .filter_map(id_of)
            .collect()
    }
}

pub fn id_of(record: &Value) -> Option<i64> {
    match record.get("ID")? {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
}

fn normalise(field: &str, value: &str) -> String {
    if field == "EMAIL" {
        value.trim().to_lowercase()
    } else {
        normalise_phone(value)
    }
}

/// The portal's phone comparison form: the duplicate index's match code (see `crate::phone`).
pub fn normalise_phone(value: &str) -> String {
    crate::phone::match_code(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures() -> Crm {
        Crm::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data")).unwrap()
    }

    #[test]
    fn the_shipped_data_set_loads() {
        let crm = fixtures();
        assert!(crm.all(Kind::Contact).len() >= 24);
        assert!(crm.all(Kind::Company).len() >= 12);
        assert!(crm.all(Kind::Lead).len() >= 10);
        assert!(crm.all(Kind::Deal).len() >= 20);
        assert_eq!(crm.get(Kind::Contact, 1).unwrap()["LAST_NAME"], "Schmidt");
    }

    #[test]
    fn phones_match_as_the_portal_matches_them() {
        let crm = fixtures();
        // Stored as "030 1234567": the international spelling alone does not find it…
        assert!(crm.find_by_comm(Kind::Contact, "PHONE", &["49301234567".into()]).is_empty());
        // …the national one does.
        assert_eq!(crm.find_by_comm(Kind::Contact, "PHONE", &["301234567".into()]), vec![1]);
        // "8 (812) …" and "+7 812 …" are the same to the portal.
        let shared = crm.find_by_comm(Kind::Contact, "PHONE", &["78125550100".into()]);
        assert!(shared.len() >= 2, "{shared:?}");
        assert_eq!(normalise_phone("011 44 20 7946 0000"), "442079460000");
    }
}
