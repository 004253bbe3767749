//! How long the portal itself takes: a fixed cost per HTTP request and a processing time per
//! method, charged one command after the other in a batch (rest `classes/general/rest_util.php`
//! runs a batch's commands in order, in one PHP process).
//!
//! The figures come from the `time` blocks of the example replies in the official docs
//! (`bitrix24/b24restdocs`, `api-reference/…`; `duration` is the whole request, `processing` the
//! method's own work):
//!
//! - the request's own cost, 35 ms: `duration − processing` of the light reads' examples
//!   (`crm.duplicate.findbycomm` 34 ms, `crm.status.list` 37, `user.get` 35, `scope` 39,
//!   `user.current` 23). Heavier examples show up to ~600 ms; 35 ms is the kind side of them.
//! - processing per method: the method's own example (see [`processing_ms`]); where it reports
//!   none, a like method's figure, marked "inferred"; any other method 45 ms, the median of the
//!   docs' 971 examples that report a processing time.
//!
//! The demo and `make bench` run with it ([`ServerTime::Docs`]); tests that need speed run
//! without ([`ServerTime::Instant`], or `&server_time=instant` on a portal page).

use serde_json::{json, Value};

/// Whether replies take the portal's time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ServerTime {
    /// Answer at once (the `time` block still tells a tiny processing time).
    #[default]
    Instant,
    /// The portal's own time, as the docs' examples show it.
    Docs,
}

/// The request's own cost (start-up, authorisation, the reply) in milliseconds.
pub const REQUEST_MS: f64 = 35.0;

/// For any method without a figure: the median processing time of the docs' examples.
const OTHER_MS: f64 = 45.0;

impl ServerTime {
    /// `docs` or `instant` (a portal page's `&server_time=`).
    pub fn parse(text: &str) -> Option<ServerTime> {
        match text {
            "docs" | "on" => Some(ServerTime::Docs),
            "instant" | "off" => Some(ServerTime::Instant),
            _ => None,
        }
    }

    /// The request's own cost, in seconds.
    pub fn request_secs(self) -> f64 {
        match self {
            ServerTime::Instant => 0.0,
            ServerTime::Docs => REQUEST_MS / 1000.0,
        }
    }

    /// How long `method` works, in seconds.
    pub fn processing_secs(self, method: &str) -> f64 {
        match self {
            ServerTime::Instant => 0.0,
            ServerTime::Docs => processing_ms(method) / 1000.0,
        }
    }
}

/// A method's processing time in its docs example, in milliseconds.
pub fn processing_ms(method: &str) -> f64 {
    match method.to_ascii_lowercase().as_str() {
        // crm/duplicates/crm-duplicate-find-by-comm.md
        "crm.duplicate.findbycomm" => 18.2,
        // crm/contacts/crm-contact-list.md; the companies' example reports 0 (inferred: as contacts)
        "crm.contact.list" | "crm.company.list" => 196.7,
        // crm/leads/crm-lead-list.md
        "crm.lead.list" => 55.7,
        // crm/deals/crm-deal-list.md
        "crm.deal.list" => 248.4,
        // crm/timeline/activities/activity-base/crm-activity-list.md: the median of its three
        // examples (876, 3.5, 6.2 ms)
        "crm.activity.list" => 6.2,
        // crm/timeline/comments/crm-timeline-comment-list.md gives only a duration (88 ms):
        // inferred, that less the request's own cost
        "crm.timeline.comment.list" | "crm.timeline.comment.add" => 53.0,
        // user/user-get.md, user/user-current.md
        "user.get" => 18.8,
        "user.current" => 1.3,
        // crm/status/crm-status-list.md
        "crm.status.list" => 5.1,
        // crm/contacts/crm-contact-get.md; companies and leads report none usable (inferred)
        "crm.contact.get" | "crm.company.get" | "crm.lead.get" => 141.6,
        // crm/deals/crm-deal-get.md
        "crm.deal.get" => 214.3,
        // crm/contacts/crm-contact-add.md, crm-contact-update.md, crm/leads/crm-lead-add.md,
        // crm/deals/crm-deal-add.md (companies: inferred, as contacts)
        "crm.contact.add" | "crm.company.add" => 1141.7,
        "crm.contact.update" | "crm.company.update" | "crm.lead.update" => 2119.3,
        "crm.lead.add" => 3307.7,
        "crm.deal.add" => 682.3,
        // crm/timeline/activities/activity-base/crm-activity-add.md, widgets/placement-bind.md
        "crm.activity.add" | "placement.bind" | "placement.unbind" => 32.3,
        // common/system/scope.md
        "scope" => 0.02,
        _ => OTHER_MS,
    }
}

/// The `time` block of a reply, as the portal writes it: `start` and `finish` in Unix seconds,
/// `duration` the whole request, `processing` the method's own work, `operating` what the
/// method has used of its budget, which renews at `operating_reset_at`.
pub fn block(start: f64, duration: f64, processing: f64, operating: f64, reset_at: i64) -> Value {
    let finish = start + duration;
    json!({
        "start": start,
        "finish": finish,
        "duration": duration,
        "processing": processing,
        "date_start": crate::time::iso8601(start as i64),
        "date_finish": crate::time::iso8601(finish as i64),
        "operating_reset_at": reset_at,
        "operating": operating,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_costs_its_commands_in_order() {
        let model = ServerTime::Docs;
        let card = ["crm.duplicate.findbycomm", "crm.contact.list", "user.get", "crm.status.list"];
        let total: f64 = card.iter().map(|m| model.processing_secs(m)).sum();
        assert!((total - (0.0182 + 0.1967 + 0.0188 + 0.0051)).abs() < 1e-9);
        assert_eq!(ServerTime::Instant.processing_secs("crm.deal.list"), 0.0);
        assert_eq!(processing_ms("CRM.Deal.List"), 248.4);
        assert_eq!(processing_ms("something.else"), 45.0);
        assert_eq!(ServerTime::parse("docs"), Some(ServerTime::Docs));
        assert_eq!(ServerTime::parse("x"), None);
    }

    #[test]
    fn the_block_adds_up() {
        let b = block(1000.0, 0.25, 0.2, 1.5, 1600);
        assert_eq!(b["finish"], 1000.25);
        assert_eq!(b["operating_reset_at"], 1600);
        assert_eq!(b["date_start"], "1970-01-01T00:16:40+00:00");
    }
}
