//! The interface's words, in one place.

use crate::launch::CallDirection;

pub fn direction(d: Option<CallDirection>) -> &'static str {
    match d {
        Some(CallDirection::Incoming) => "Incoming call",
        Some(CallDirection::Outgoing) => "Outgoing call",
        Some(CallDirection::Callback) => "Callback",
        None => "Call",
    }
}

pub fn entity_kind(kind: crate::crm::entity::EntityKind) -> &'static str {
    use crate::crm::entity::EntityKind::*;
    match kind {
        Contact => "Contact",
        Company => "Company",
        Lead => "Lead",
        Deal => "Deal",
    }
}

/// A channel type as the portal labels it (`MOBILE`), for people.
pub fn channel_kind(kind: &str) -> &str {
    match kind {
        "WORK" => "work",
        "MOBILE" => "mobile",
        "HOME" => "home",
        "FAX" => "fax",
        "PAGER" => "pager",
        "MAILING" => "mailing",
        "OTHER" | "" => "other",
        other => other,
    }
}

pub const LOADING: &str = "Looking up the caller…";
pub const UNKNOWN_CALLER: &str = "Unknown caller";
pub const UNKNOWN_CALLER_HINT: &str = "This number is in no contact, company or lead.";
pub const HIDDEN_NUMBER: &str = "Hidden number";
pub const HIDDEN_NUMBER_HINT: &str = "The caller's number was not transmitted.";
pub const NOT_SUPPORTED_TITLE: &str = "Not available here";
pub const RETRY: &str = "Try again";
pub const UNNAMED: &str = "(no name)";
