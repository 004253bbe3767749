//! What the agent typed and has not saved yet, kept per call and record so that a reload of the
//! tab, a close of the card or a switch to the next client loses nothing.
//!
//! Session storage when the browser allows it in a third-party frame; reading or writing it can
//! throw there (storage partitioning, privacy settings), and then the drafts live in memory for
//! the page's life.

use std::cell::RefCell;

use crate::crm::entity::EntityRef;

thread_local! {
    /// Drafts by key where session storage refuses them (a few: a list).
    static MEMORY: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

/// What an unsaved draft is: also the card's reason to stay open while it is there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Draft {
    /// A comment on one record.
    Comment(EntityRef),
    /// The started new contact or lead: of the call, not of a record.
    NewClient,
}

/// The drafts of one call.
#[derive(Clone, Debug)]
pub struct Drafts {
    call_id: String,
}

impl Drafts {
    pub fn for_call(call_id: Option<&str>) -> Drafts {
        Drafts { call_id: call_id.unwrap_or("no-call-id").to_string() }
    }

    /// Where `draft` is kept: what [`read`] and [`write`] take. A view that keeps one draft
    /// holds its key, a text, rather than the drafts: each stored type brings its own code.
    pub fn key(&self, draft: Draft) -> String {
        match draft {
            Draft::Comment(entity) => ["callcard.draft.", &self.call_id, ".comment.", &entity.key()].concat(),
            Draft::NewClient => ["callcard.draft.", &self.call_id, ".new-client"].concat(),
        }
    }
}

/// The draft kept under `key` (empty: none).
pub fn read(key: &str) -> String {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .or_else(|| MEMORY.with(|m| m.borrow().iter().find(|(k, _)| k == key).map(|(_, text)| text.clone())))
        .unwrap_or_default()
}

/// Keeps `text` under `key`; an empty text removes it.
pub fn write(key: String, text: &str) {
    let stored = storage().is_some_and(|s| {
        if text.is_empty() { s.remove_item(&key).is_ok() } else { s.set_item(&key, text).is_ok() }
    });
    MEMORY.with(|m| {
        let mut m = m.borrow_mut();
        m.retain(|(k, _)| *k != key);
        if !stored && !text.is_empty() {
            m.push((key, text.to_string()));
        }
    });
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}
