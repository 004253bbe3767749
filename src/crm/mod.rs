//! The caller's CRM context, as pure Rust: which numbers to search, the one `batch` that fetches a
//! card, and the reading of its reply into a view model. No browser types, tested natively.

pub mod about;
pub mod calling_codes;
pub mod card;
pub mod entity;
pub mod follow_up;
pub mod link;
pub mod new_client;
pub mod new_deal;
pub mod phone;
pub mod plan;
pub mod sort;
pub mod zone;
