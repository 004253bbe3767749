//! A follow-up call the agent schedules from the card (`crm.activity.add`, docs
//! `api-reference/crm/timeline/activities/activity-base/crm-activity-add.md`): an outgoing call
//! activity, open, owned by the client, with the number to call as its one communication (a call
//! takes exactly one) and the agent responsible (required: the method has no default for it).
//! The deadline of a call is its start time (the docs: "taken from START_TIME for calls").
//!
//! When the call has a deal, the deal owns the follow-up and the client is its communication:
//! the portal binds an activity to its owner and to each communication's record
//! (`CCrmActivityRestProxy::innerAdd`, crm `classes/general/restservice.php`; `BINDINGS` itself is
//! read-only), so it is bound to both, and the card lists it with what is due on the deal.

use crate::json;
use crate::json::Value;

use super::entity::{EntityKind, EntityRef};
use super::plan::owner_type_id;

/// How long a scheduled call is planned to take.
const PLANNED_SECS: i64 = 15 * 60;

/// What the agent scheduled.
pub struct FollowUp<'a> {
    pub client: EntityRef,
    /// The call's deal, which then owns the follow-up.
    pub deal: Option<u64>,
    /// The number to call back.
    pub number: &'a str,
    /// The agent's user id.
    pub agent: u64,
    /// When (unix seconds).
    pub at: i64,
    pub subject: &'a str,
}

/// The `fields` of `crm.activity.add`; `None` when the subject or the number is empty.
pub fn fields(f: &FollowUp) -> Option<Value> {
    let (subject, number) = (crate::text::trim(f.subject), crate::text::trim(f.number));
    if subject.is_empty() || number.is_empty() {
        return None;
    }
    let client_type = owner_type_id(f.client.kind);
    let (owner_type, owner) = match f.deal {
        Some(deal) => (owner_type_id(EntityKind::Deal), deal),
        None => (client_type, f.client.id),
    };
    Some(json!({
        "OWNER_TYPE_ID": owner_type,
        "OWNER_ID": owner,
        "TYPE_ID": 2,
        "DIRECTION": 2,
        "SUBJECT": subject,
        "START_TIME": iso_utc(f.at),
        "END_TIME": iso_utc(f.at + PLANNED_SECS),
        "COMPLETED": "N",
        "RESPONSIBLE_ID": f.agent,
        "COMMUNICATIONS": [{ "VALUE": number, "ENTITY_ID": f.client.id, "ENTITY_TYPE_ID": client_type }],
    }))
}

/// A moment as ISO 8601 in UTC (`2026-11-27T09:00:00+00:00`), which the portal reads in any
/// zone.
pub fn iso_utc(secs: i64) -> String {
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let mut iso = String::new();
    // A year before 1 BCE would be negative; the portal has no such dates.
    let parts = [(year, 4, "-"), (month, 2, "-"), (day, 2, "T"), (rest / 3600, 2, ":"), (rest % 3600 / 60, 2, ":"), (rest % 60, 2, "+00:00")];
    for (value, width, after) in parts {
        crate::text::push_decimal(&mut iso, value.unsigned_abs(), width);
        iso.push_str(after);
    }
    iso
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::card::unix_time;

    #[test]
    fn times_are_written_as_the_portal_reads_them() {
        for iso in ["1970-01-01T00:00:00+00:00", "2026-11-27T09:00:00+00:00", "2028-02-29T23:59:59+00:00", "2000-03-01T00:00:00+00:00"] {
            assert_eq!(iso_utc(unix_time(iso).unwrap()), iso);
        }
    }

    #[test]
    fn an_outgoing_open_call_owned_by_the_client_with_one_number() {
        let client = EntityRef { kind: EntityKind::Contact, id: 1 };
        let at = unix_time("2026-11-27T09:00:00+00:00").unwrap();
        let f = fields(&FollowUp { client, deal: None, number: "+49 30 1234567", agent: 2, at, subject: " Call back " }).unwrap();
        assert_eq!(f["OWNER_TYPE_ID"], 3);
        assert_eq!((f["TYPE_ID"].clone(), f["DIRECTION"].clone(), f["COMPLETED"].clone()), (json!(2), json!(2), json!("N")));
        assert_eq!(f["SUBJECT"], "Call back");
        assert_eq!((f["START_TIME"].as_str(), f["END_TIME"].as_str()), (Some("2026-11-27T09:00:00+00:00"), Some("2026-11-27T09:15:00+00:00")));
        assert_eq!(f["RESPONSIBLE_ID"], 2);
        assert_eq!(f["COMMUNICATIONS"], json!([{ "VALUE": "+49 30 1234567", "ENTITY_ID": 1, "ENTITY_TYPE_ID": 3 }]));
        assert!(fields(&FollowUp { client, deal: None, number: "+49", agent: 2, at, subject: "  " }).is_none());
        assert!(fields(&FollowUp { client, deal: None, number: " ", agent: 2, at, subject: "x" }).is_none());
    }

    #[test]
    fn with_the_calls_deal_the_deal_owns_it_and_the_client_is_its_communication() {
        let client = EntityRef { kind: EntityKind::Company, id: 4 };
        let at = unix_time("2026-11-27T09:00:00+00:00").unwrap();
        let f = fields(&FollowUp { client, deal: Some(5), number: "+7 812 555-01-00", agent: 2, at, subject: "Call back" }).unwrap();
        assert_eq!((f["OWNER_TYPE_ID"].clone(), f["OWNER_ID"].clone()), (json!(2), json!(5)));
        assert_eq!(f["COMMUNICATIONS"], json!([{ "VALUE": "+7 812 555-01-00", "ENTITY_ID": 4, "ENTITY_TYPE_ID": 4 }]));
    }
}
