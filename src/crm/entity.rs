//! CRM entity kinds and references, as the portal names and numbers them.

/// The entity types a call can be about. The portal speaks of them by symbol (`CONTACT`) in the
/// call card and by number (3) in the newer API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Lead,
    Deal,
    Contact,
    Company,
}

impl EntityKind {
    /// Parses the call card's symbolic type; `""`, `"0"` and unknown symbols mean "unbound".
    pub fn from_symbol(symbol: Option<&str>) -> Option<EntityKind> {
        match symbol?.to_ascii_uppercase().as_str() {
            "LEAD" | "1" => Some(EntityKind::Lead),
            "DEAL" | "2" => Some(EntityKind::Deal),
            "CONTACT" | "3" => Some(EntityKind::Contact),
            "COMPANY" | "4" => Some(EntityKind::Company),
            _ => None,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            EntityKind::Lead => "LEAD",
            EntityKind::Deal => "DEAL",
            EntityKind::Contact => "CONTACT",
            EntityKind::Company => "COMPANY",
        }
    }

    /// The ids of this kind in an answer of `crm.duplicate.findbycomm` (`{"CONTACT": [ids]…}`);
    /// none when it names none.
    pub fn found_ids(self, found: &crate::json::Value) -> Vec<u64> {
        let mut ids = Vec::new();
        let Some(listed) = found.get(self.symbol()).and_then(crate::json::Value::as_array) else { return ids };
        for value in listed {
            ids.extend(crate::portal::id(Some(value)));
        }
        ids
    }

    /// The `crm.<name>.*` method family.
    pub fn method_name(self) -> &'static str {
        match self {
            EntityKind::Lead => "lead",
            EntityKind::Deal => "deal",
            EntityKind::Contact => "contact",
            EntityKind::Company => "company",
        }
    }
}

/// One CRM record: its kind and id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityRef {
    pub kind: EntityKind,
    pub id: u64,
}

impl EntityRef {
    /// The record as the widget writes it down (`CONTACT:12`): in the page's `data-entity` and
    /// in the browser's storage (a call's pick, a comment's draft).
    pub fn key(self) -> String {
        [self.kind.symbol(), ":", &crate::text::decimal(self.id)].concat()
    }

    /// A record written down by [`EntityRef::key`]; `None` for anything else.
    pub fn from_key(key: &str) -> Option<EntityRef> {
        let (kind, id) = crate::text::split_once_ascii(key, b':')?;
        Some(EntityRef { kind: EntityKind::from_symbol(Some(kind))?, id: crate::json::unsigned(id)? })
    }

    /// The record's page in the portal, as `openPath` accepts it.
    pub fn detail_path(self) -> String {
        ["/crm/", self.kind.method_name(), "/details/", &crate::text::decimal(self.id), "/"].concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_round_trip_and_unbound_is_none() {
        for kind in [EntityKind::Lead, EntityKind::Deal, EntityKind::Contact, EntityKind::Company] {
            assert_eq!(EntityKind::from_symbol(Some(kind.symbol())), Some(kind));
        }
        assert_eq!(EntityKind::from_symbol(Some("contact")), Some(EntityKind::Contact));
        assert_eq!(EntityKind::from_symbol(Some("0")), None);
        assert_eq!(EntityKind::from_symbol(Some("")), None);
        assert_eq!(EntityKind::from_symbol(None), None);
        let r = EntityRef { kind: EntityKind::Company, id: 12 };
        assert_eq!(r.detail_path(), "/crm/company/details/12/");
        assert_eq!(r.key(), "COMPANY:12");
        assert_eq!(EntityRef::from_key(&r.key()), Some(r));
        assert_eq!(EntityRef::from_key("COMPANY"), None);
        assert_eq!(EntityRef::from_key("SHIP:12"), None);
    }
}
