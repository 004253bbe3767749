//! The query plan for a card: `batch`es whose later commands feed on earlier ones.
//!
//! A card searched by number is two requests sent at once: the [`Part::Identity`] batch finds
//! and names the caller (the search, the records, their company and responsible person, the
//! stage names), the [`Part::Context`] batch brings the rest (deals, activities, comments, a
//! company's people). The portal runs a batch's commands one after the other, so the name no
//! longer waits for the deals. A record already known (bound to the call, picked, created) is
//! one batch with both parts ([`Part::Whole`]).
//!
//! Searching by number, the plan cannot know beforehand whether the caller is a contact, a
//! company or a lead, nor how many records match; so it asks for all three kinds at once, each
//! list filtered by the ids the search found (`$result[match][CONTACT]`, an array the portal
//! substitutes whole). Per-record lookups (a contact's company, the responsible person) are done
//! for the first [`SUMMARISED`] records of each kind. The reader checks every answer against the
//! ids it belongs to, because the portal resolves a reference that does not exist to whatever
//! the path reached.

use crate::json;
use crate::json::{Map, Value};

use super::entity::{EntityKind, EntityRef};
use super::phone;
use crate::launch::CallCardOptions;
use crate::rest::batch::{one, Batch, List};

/// Records per kind whose company and responsible person are looked up in the same batch.
pub const SUMMARISED: usize = 3;

/// How many of each list the card shows: what is due, then what happened last; the comments
/// (whose authors the plan looks up).
pub const SHOWN_OPEN_ACTIVITIES: usize = 5;
pub const SHOWN_DONE_ACTIVITIES: usize = 3;
pub const SHOWN_COMMENTS: usize = 3;

/// The kinds a caller can be.
pub const CLIENT_KINDS: [EntityKind; 3] = [EntityKind::Contact, EntityKind::Company, EntityKind::Lead];

/// Which commands of a card a batch carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Who is calling: enough to name them and show the card's head.
    Identity,
    /// What goes with them: deals, activities, comments, people.
    Context,
    /// Both, in one request.
    Whole,
}

impl Part {
    fn identity(self) -> bool {
        self != Part::Context
    }

    fn context(self) -> bool {
        self != Part::Identity
    }
}

/// Batch keys, shared by the plan and the reader of its reply.
pub mod keys {
    use super::EntityKind;

    pub const MATCH: &str = "match";
    pub const STAGES: &str = "stages";
    pub const BOUND_DEAL: &str = "bound_deal";
    /// What is due on the call's deal: a follow-up scheduled for the deal is owned by it.
    pub const BOUND_DEAL_ACTIVITIES: &str = "bound_deal_activities";
    /// The agent (`user.current`): the responsible person of what they schedule.
    pub const AGENT: &str = "agent";
    /// A company's people (contacts), most recently active first.
    pub const COMPANY_CONTACTS: &str = "company_contacts";

    /// The list of records of a kind: `contacts`, `companies`, `leads`.
    pub fn records(kind: EntityKind) -> &'static str {
        match kind {
            EntityKind::Contact => "contacts",
            EntityKind::Company => "companies",
            EntityKind::Lead => "leads",
            EntityKind::Deal => "deals",
        }
    }

    /// The companies of the first few contacts, by id.
    pub const CONTACT_COMPANIES: &str = "contact_companies";

    pub fn responsible(kind: EntityKind, index: usize) -> String {
        ["responsible_", records(kind), "_", &crate::text::decimal(index as u64)].concat()
    }

    pub fn open_deals(kind: EntityKind) -> String {
        ["open_deals_", records(kind)].concat()
    }

    pub fn closed_deals(kind: EntityKind) -> String {
        ["closed_deals_", records(kind)].concat()
    }

    /// Open activities, soonest deadline first.
    pub fn open_activities(kind: EntityKind) -> String {
        ["open_activities_", records(kind)].concat()
    }

    /// Completed activities, the last finished first.
    pub fn done_activities(kind: EntityKind) -> String {
        ["done_activities_", records(kind)].concat()
    }

    /// The author of the first record's `index`-th comment.
    pub fn comment_author(kind: EntityKind, index: usize) -> String {
        ["comment_author_", records(kind), "_", &crate::text::decimal(index as u64)].concat()
    }

    pub fn comments(kind: EntityKind) -> String {
        ["comments_", records(kind)].concat()
    }
}

/// How the card finds its client.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    /// The call names its CRM record (or the agent picked or created one): fetch that one. The
    /// caller's number spellings stay, so the card still marks the number that called.
    Bound { entity: EntityRef, deal: Option<u64>, variants: Vec<String> },
    /// Search the caller's number in all the spellings the portal might have stored.
    ByPhone { variants: Vec<String>, deal: Option<u64> },
    /// No number and no record: nothing to ask the portal.
    Nothing,
}

impl Lookup {
    pub fn for_call(options: &CallCardOptions) -> Lookup {
        let deal = options
            .entity
            .filter(|e| e.kind == EntityKind::Deal)
            .or_else(|| options.bindings.iter().copied().find(|b| b.kind == EntityKind::Deal))
            .map(|d| d.id);
        let variants = options.phone_number.as_deref().map(phone::search_variants).unwrap_or_default();
        if let Some(entity) = options.entity.filter(|e| e.kind != EntityKind::Deal) {
            return Lookup::Bound { entity, deal, variants };
        }
        if variants.is_empty() {
            Lookup::Nothing
        } else {
            Lookup::ByPhone { variants, deal }
        }
    }

    /// A lookup for one record the agent picked, keeping the call's deal.
    pub fn picked(&self, entity: EntityRef) -> Lookup {
        Lookup::Bound { entity, deal: self.deal(), variants: self.variants().to_vec() }
    }

    pub fn deal(&self) -> Option<u64> {
        match self {
            Lookup::Bound { deal, .. } | Lookup::ByPhone { deal, .. } => *deal,
            Lookup::Nothing => None,
        }
    }

    /// The spellings of the caller's number (empty when the call has none).
    pub fn variants(&self) -> &[String] {
        match self {
            Lookup::ByPhone { variants, .. } | Lookup::Bound { variants, .. } => variants,
            Lookup::Nothing => &[],
        }
    }

    /// The kinds this lookup asks for.
    pub fn kinds(&self) -> Vec<EntityKind> {
        match self {
            Lookup::Bound { entity, .. } => vec![entity.kind],
            Lookup::ByPhone { .. } => CLIENT_KINDS.to_vec(),
            Lookup::Nothing => Vec::new(),
        }
    }

    /// The ids of a kind as a filter value: the literal id, or the search's list by reference.
    fn ids(&self, kind: EntityKind) -> Value {
        match self {
            Lookup::Bound { entity, .. } => Value::from(entity.id),
            _ => Batch::reference(keys::MATCH, &[kind.symbol()]),
        }
    }

    /// Whether the card is two requests: a search by number, whose caller is not known yet.
    pub fn splits(&self) -> bool {
        matches!(self, Lookup::ByPhone { .. })
    }

    /// The whole card in one batch; `None` when there is nothing to ask.
    pub fn batch(&self) -> Option<Batch> {
        self.batch_of(Part::Whole)
    }

    /// One part of the card; `None` when there is nothing to ask. Each part stands alone: a
    /// search by number is repeated in the context batch, whose lists refer to it.
    pub fn batch_of(&self, part: Part) -> Option<Batch> {
        let mut b = Batch::default();
        match self {
            Lookup::Nothing => return None,
            Lookup::ByPhone { variants, .. } => {
                b.push(keys::MATCH, "crm.duplicate.findbycomm", json!({ "type": "PHONE", "values": variants }));
            }
            Lookup::Bound { .. } => {}
        }
        for kind in self.kinds() {
            if part.identity() {
                self.push_identity(&mut b, kind);
            }
            if part.context() {
                self.push_context(&mut b, kind);
            }
        }
        if part.identity() {
            // Every status of every directory: deal stages of every pipeline (`DEAL_STAGE`,
            // `DEAL_STAGE_<category>`) and lead statuses in one command (a lead's status is in
            // the card's head). The list takes no array filter (`CCrmStatus::GetList` compares
            // ENTITY_ID with one escaped string: an array is a PHP 8 TypeError that fails the
            // whole batch) and is never paged.
            b.push(keys::STAGES, "crm.status.list", one("order", one("SORT", "ASC".into())));
        }
        if let Some(deal) = self.deal().filter(|_| part.context()) {
            b.push(keys::BOUND_DEAL, "crm.deal.get", one("id", deal.into()));
            // A deal's activities are listed by their owner (`CCrmActivity::GetList` compares
            // `OWNER_ID` with the owner column, not with the bindings): what the agent scheduled
            // for this deal, bound to the client through its communication, is only here.
            let filter = vec![("OWNER_TYPE_ID", owner_type_id(EntityKind::Deal).into()), ("OWNER_ID", deal.into()), ("COMPLETED", "N".into())];
            b.push(
                keys::BOUND_DEAL_ACTIVITIES,
                "crm.activity.list",
                List { filter, select: &ACTIVITY_FIELDS, order: Some(("DEADLINE", "ASC")), uncounted: true }.params(),
            );
        }
        if part.context() {
            // `crm.activity.add` needs a responsible person and has no default for it (docs:
            // "The field RESPONSIBLE_ID is not defined or invalid"): the agent, asked here so
            // that a follow-up costs no request more.
            b.push(keys::AGENT, "user.current", Value::Object(Map::new()));
        }
        Some(b)
    }

    /// A kind's records, their responsible people and (contacts) their companies.
    fn push_identity(&self, b: &mut Batch, kind: EntityKind) {
        let records = keys::records(kind);
        b.push(
            records,
            &["crm.", kind.method_name(), ".list"].concat(),
            List { filter: vec![("ID", self.ids(kind))], select: record_fields(kind), order: None, uncounted: false }.params(),
        );
        for i in 0..SUMMARISED {
            b.push(
                &keys::responsible(kind, i),
                "user.get",
                // A scalar always: an unresolved reference would hand user.get an array.
                one("ID", Batch::scalar_reference(records, &[&crate::text::decimal(i as u64), "ASSIGNED_BY_ID"])),
            );
        }
        if kind == EntityKind::Contact {
            // One list for the first few contacts' companies: an array filter is "any of", each
            // element `intval`-ed (main's CSQLWhere), and the portal substitutes references
            // inside arrays (rest_util.php, processBatchStructure). Each as text: a missing row
            // reads as 0 (no company), not as the array the path stopped at.
            let companies: Vec<Value> =
                (0..SUMMARISED).map(|i| Batch::scalar_reference(records, &[&crate::text::decimal(i as u64), "COMPANY_ID"])).collect();
            b.push(
                keys::CONTACT_COMPANIES,
                "crm.company.list",
                List { filter: vec![("ID", companies.into())], select: &["ID", "TITLE"], order: None, uncounted: false }.params(),
            );
        }
    }

    /// A kind's deals, activities, comments and (companies) people.
    fn push_context(&self, b: &mut Batch, kind: EntityKind) {
        let ids = self.ids(kind);
        if kind == EntityKind::Company {
            b.push(
                keys::COMPANY_CONTACTS,
                "crm.contact.list",
                List {
                    filter: vec![("COMPANY_ID", ids.clone())],
                    select: &["ID", "NAME", "SECOND_NAME", "LAST_NAME", "POST", "COMPANY_ID", "PHONE", "LAST_ACTIVITY_TIME"],
                    order: Some(("LAST_ACTIVITY_TIME", "DESC")),
                    uncounted: false,
                }
                .params(),
            );
        }
        if let Some(owner_field) = deal_owner_field(kind) {
            // `MOVED_TIME`: when the deal came to its stage (crm.deal.fields, read-only datetime),
            // for "waiting at this stage" (`crm::about`).
            let select = ["ID", "TITLE", "STAGE_ID", "STAGE_SEMANTIC_ID", "CATEGORY_ID", "OPPORTUNITY", "CURRENCY_ID", "CONTACT_ID", "COMPANY_ID", "MOVED_TIME"];
            b.push(
                &keys::open_deals(kind),
                "crm.deal.list",
                List { filter: vec![(owner_field, ids.clone()), ("STAGE_SEMANTIC_ID", "P".into())], select: &select, order: Some(("DATE_CREATE", "DESC")), uncounted: false }
                    .params(),
            );
            b.push(
                &keys::closed_deals(kind),
                "crm.deal.list",
                List {
                    filter: vec![(owner_field, ids.clone()), ("STAGE_SEMANTIC_ID", Value::from(vec!["S", "F"]))],
                    select: &["ID", "STAGE_SEMANTIC_ID", "CONTACT_ID", "COMPANY_ID"],
                    order: None,
                    uncounted: false,
                }
                .params(),
            );
        }
        // What is due (open, by deadline) and what happened last (completed, newest first): two
        // lists, so that neither crowds the other out of its one page. Uncounted (`start=-1`).
        let select = ACTIVITY_FIELDS;
        for (key, completed, order) in [
            (keys::open_activities(kind), "N", ("DEADLINE", "ASC")),
            (keys::done_activities(kind), "Y", ("END_TIME", "DESC")),
        ] {
            let filter = vec![("OWNER_TYPE_ID", owner_type_id(kind).into()), ("OWNER_ID", ids.clone()), ("COMPLETED", completed.into())];
            b.push(&key, "crm.activity.list", List { filter, select: &select, order: Some(order), uncounted: true }.params());
        }
        // Comments are read for a card of one record: the search's first id of the kind (as
        // text, see `user.get`).
        let first_id = match self {
            Lookup::Bound { entity, .. } => Value::from(entity.id),
            _ => Batch::scalar_reference(keys::MATCH, &[kind.symbol(), "0"]),
        };
        b.push(
            &keys::comments(kind),
            "crm.timeline.comment.list",
            List {
                filter: vec![("ENTITY_TYPE", kind.method_name().into()), ("ENTITY_ID", first_id)],
                select: &["ID", "ENTITY_ID", "ENTITY_TYPE", "CREATED", "COMMENT", "AUTHOR_ID"],
                order: Some(("CREATED", "DESC")),
                uncounted: false,
            }
            .params(),
        );
        // Who wrote the comments the card shows: one id each, as text (see `user.get` above).
        let comments = keys::comments(kind);
        for i in 0..SHOWN_COMMENTS {
            b.push(
                &keys::comment_author(kind, i),
                "user.get",
                one("ID", Batch::scalar_reference(&comments, &[&crate::text::decimal(i as u64), "AUTHOR_ID"])),
            );
        }
    }
}

/// The fields a card needs of each kind; multifields must be named to be listed.
/// What the card reads of an activity.
const ACTIVITY_FIELDS: [&str; 11] = ["ID", "OWNER_ID", "OWNER_TYPE_ID", "TYPE_ID", "DIRECTION", "SUBJECT", "CREATED", "START_TIME", "END_TIME", "DEADLINE", "COMPLETED"];

fn record_fields(kind: EntityKind) -> &'static [&'static str] {
    match kind {
        EntityKind::Contact => &["ID", "NAME", "SECOND_NAME", "LAST_NAME", "POST", "COMPANY_ID", "ASSIGNED_BY_ID", "PHONE", "EMAIL", "PHOTO"],
        EntityKind::Company => &["ID", "TITLE", "ASSIGNED_BY_ID", "PHONE", "EMAIL", "LOGO"],
        EntityKind::Lead => &["ID", "TITLE", "NAME", "SECOND_NAME", "LAST_NAME", "POST", "COMPANY_TITLE", "STATUS_ID", "ASSIGNED_BY_ID", "PHONE", "EMAIL"],
        EntityKind::Deal => &["ID", "TITLE"],
    }
}

/// The deal field that links deals to a client of this kind; leads have no deals.
pub fn deal_owner_field(kind: EntityKind) -> Option<&'static str> {
    match kind {
        EntityKind::Contact => Some("CONTACT_ID"),
        EntityKind::Company => Some("COMPANY_ID"),
        _ => None,
    }
}

/// The CRM's numeric type id, as activities name their owner.
pub fn owner_type_id(kind: EntityKind) -> u64 {
    match kind {
        EntityKind::Lead => 1,
        EntityKind::Deal => 2,
        EntityKind::Contact => 3,
        EntityKind::Company => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(phone: Option<&str>, entity: Option<EntityRef>) -> CallCardOptions {
        CallCardOptions { phone_number: phone.map(String::from), entity, ..Default::default() }
    }

    #[test]
    fn a_phone_lookup_is_one_batch_chained_by_references() {
        let b = Lookup::for_call(&options(Some("74951234567"), None)).batch().unwrap();
        assert_eq!(b.commands[0].key, "match");
        assert!(b.commands[0].params["values"].as_array().unwrap().len() > 1);
        let contacts = b.commands.iter().find(|c| c.key == "contacts").unwrap();
        assert_eq!(contacts.params["filter"]["ID"], "$result[match][CONTACT]");
        // The first contacts' companies in one list, each id as text ("any of").
        let companies = b.commands.iter().find(|c| c.key == "contact_companies").unwrap();
        assert_eq!(companies.method, "crm.company.list");
        assert_eq!(companies.params["filter"]["ID"][1], "$result[contacts][1][COMPANY_ID] ");
        assert_eq!(companies.params["filter"]["ID"].as_array().unwrap().len(), SUMMARISED);
        // Parameters read as one value get their reference as text.
        let responsible = b.commands.iter().find(|c| c.key == "responsible_contacts_2").unwrap();
        assert_eq!(responsible.params["ID"], "$result[contacts][2][ASSIGNED_BY_ID] ");
        // Statuses are asked without an array filter.
        let stages = b.commands.iter().find(|c| c.key == "stages").unwrap();
        assert!(stages.params.get("filter").is_none(), "{}", stages.params);
        // Every reference points at an earlier command.
        for (i, c) in b.commands.iter().enumerate() {
            let text = c.params.to_string();
            for earlier in text.split("$result[").skip(1) {
                let key = earlier.split(']').next().unwrap();
                assert!(b.commands[..i].iter().any(|e| e.key == key), "{} refers to later {key}", c.key);
            }
        }
        assert!(b.commands.len() <= crate::rest::batch::MAX_COMMANDS);
        assert!(!b.commands.iter().any(|c| c.key == "bound_deal"));
    }

    #[test]
    fn a_search_by_number_is_two_batches_each_standing_alone() {
        let mut o = options(Some("74951234567"), None);
        o.bindings = vec![EntityRef { kind: EntityKind::Deal, id: 5 }];
        let lookup = Lookup::for_call(&o);
        assert!(lookup.splits());
        let identity = lookup.batch_of(Part::Identity).unwrap();
        let context = lookup.batch_of(Part::Context).unwrap();
        let whole = lookup.batch().unwrap();
        let keys = |b: &Batch| b.commands.iter().map(|c| c.key.clone()).collect::<Vec<_>>();
        // Who is calling: the search, the records, their people and companies, the stage names.
        assert_eq!(
            keys(&identity),
            [
                "match", "contacts", "responsible_contacts_0", "responsible_contacts_1", "responsible_contacts_2",
                "contact_companies", "companies", "responsible_companies_0", "responsible_companies_1",
                "responsible_companies_2", "leads", "responsible_leads_0", "responsible_leads_1", "responsible_leads_2", "stages",
            ]
        );
        // The rest repeats the search, which its lists refer to, and nothing of the identity.
        assert_eq!(keys(&context)[0], "match");
        assert!(keys(&context).iter().skip(1).all(|k| !keys(&identity).contains(k)), "{:?}", keys(&context));
        assert!(keys(&context).contains(&"bound_deal".to_string()));
        let comments = context.commands.iter().find(|c| c.key == "comments_contacts").unwrap();
        assert_eq!(comments.params["filter"]["ENTITY_ID"], "$result[match][CONTACT][0] ");
        // Together they are the whole card, which a known record asks in one batch.
        assert_eq!(identity.commands.len() + context.commands.len() - 1, whole.commands.len());
        for b in [&identity, &context] {
            for (i, c) in b.commands.iter().enumerate() {
                for earlier in c.params.to_string().split("$result[").skip(1) {
                    let key = earlier.split(']').next().unwrap();
                    assert!(b.commands[..i].iter().any(|e| e.key == key), "{} refers to {key}, not in its batch", c.key);
                }
            }
        }
        let bound = lookup.picked(EntityRef { kind: EntityKind::Contact, id: 3 });
        assert!(!bound.splits());
    }

    #[test]
    fn a_bound_record_wins_over_the_number_and_keeps_the_deal() {
        let e = EntityRef { kind: EntityKind::Lead, id: 9 };
        let mut o = options(Some("74951234567"), Some(e));
        o.bindings = vec![EntityRef { kind: EntityKind::Deal, id: 5 }];
        let lookup = Lookup::for_call(&o);
        assert_eq!(lookup, Lookup::Bound { entity: e, deal: Some(5), variants: phone::search_variants("74951234567") });
        let b = lookup.batch().unwrap();
        assert!(!b.commands.iter().any(|c| c.key == "match" || c.key == "contacts"));
        let leads = b.commands.iter().find(|c| c.key == "leads").unwrap();
        assert_eq!(leads.params["filter"]["ID"], 9);
        assert!(!b.commands.iter().any(|c| c.method == "crm.deal.list"), "leads have no deals");
        let keys: Vec<&str> = b.commands.iter().rev().take(3).map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["agent", "bound_deal_activities", "bound_deal"]);
        // What is due on the deal, by its owner: a follow-up scheduled for the deal is there.
        let due = &b.commands.iter().find(|c| c.key == "bound_deal_activities").unwrap().params;
        assert_eq!((&due["filter"]["OWNER_TYPE_ID"], &due["filter"]["OWNER_ID"], &due["filter"]["COMPLETED"]), (&json!(2), &json!(5), &json!("N")));
    }

    #[test]
    fn nothing_to_ask_without_number_or_record() {
        assert_eq!(Lookup::for_call(&options(None, None)), Lookup::Nothing);
        assert!(Lookup::Nothing.batch().is_none());
    }
}
