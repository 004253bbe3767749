//! What the agent typed and has not saved yet, kept per call and record so that a reload of the
//! tab, a close of the card or a switch to the next client loses nothing.
//!
//! Session storage when the browser allows it in a third-party frame; reading or writing it can
//! throw there (storage partitioning, privacy settings), and then the drafts live in memory for
//! the page's life.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::crm::entity::EntityRef;

thread_local! {
    static MEMORY: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
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

    fn key(&self, what: &str, entity: EntityRef) -> String {
        format!("callcard.draft.{}.{what}.{}:{}", self.call_id, entity.kind.symbol(), entity.id)
    }

    /// A draft of the call itself, not of one record (the form that creates the caller).
    pub fn get_for_call(&self, what: &str) -> String {
        read(&format!("callcard.draft.{}.{what}", self.call_id))
    }

    pub fn set_for_call(&self, what: &str, text: &str) {
        write(format!("callcard.draft.{}.{what}", self.call_id), text);
    }

    pub fn get(&self, what: &str, entity: EntityRef) -> String {
        read(&self.key(what, entity))
    }

    /// Keeps `text`; an empty text removes the draft.
    pub fn set(&self, what: &str, entity: EntityRef, text: &str) {
        write(self.key(what, entity), text);
    }
}

fn read(key: &str) -> String {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .or_else(|| MEMORY.with(|m| m.borrow().get(key).cloned()))
        .unwrap_or_default()
}

/// Keeps `text` under `key`; an empty text removes it.
fn write(key: String, text: &str) {
    let stored = storage().is_some_and(|s| {
        if text.is_empty() { s.remove_item(&key).is_ok() } else { s.set_item(&key, text).is_ok() }
    });
    MEMORY.with(|m| {
        let mut m = m.borrow_mut();
        if stored || text.is_empty() {
            m.remove(&key);
        } else {
            m.insert(key, text.to_string());
        }
    });
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}
