//! The theme on the page. The agent's choice lives with the portal's user options (it follows
//! them to every call card); this browser also caches it, so that the next page paints in it at
//! once: `index.html`'s inline script sets `data-theme` from the cache before anything loads, and
//! getInitData's `USER_OPTIONS` then confirms or corrects it.

use leptos::prelude::*;
use crate::effect;
use crate::json;

use crate::frame::client::FrameClient;
use crate::theme::{self, Theme};

/// The cache's key in local storage; `index.html` reads the same key.
const CACHE_KEY: &str = "callcard-theme";

/// Provides the theme signal, starting from what the page painted with, and keeps the root's
/// `data-theme` and the cache in step with it.
pub fn provide() -> RwSignal<Theme> {
    let chosen = RwSignal::new(painted().unwrap_or_default());
    provide_context(chosen);
    effect::watch(move || show(chosen.get()));
    chosen
}

/// The portal's word on the choice (from getInitData), when it has one, on a page without a
/// chooser (the call card): shown at once. No signal: each signal type brings its own code.
pub fn show_told(told: Option<Theme>) {
    if let Some(theme) = told {
        show(theme);
    }
}

/// The portal's word on the choice (from getInitData), when it has one.
pub fn adopt(chosen: RwSignal<Theme>, told: Option<Theme>) {
    if let Some(theme) = told {
        chosen.set(theme);
    }
}

/// Saves the agent's choice with the portal (no reply is needed: the portal answers with the
/// parameters, and the page already shows the choice).
pub fn save(frame: Option<&FrameClient>, theme: Theme) {
    if let Some(frame) = frame {
        let _ = frame.send(crate::frame::Command::SetUserOption, &json!({ "name": theme::OPTION, "value": theme.code() }));
    }
}

fn painted() -> Option<Theme> {
    let root = web_sys::window()?.document()?.document_element()?;
    Some(root.get_attribute("data-theme").as_deref().and_then(Theme::from_code).unwrap_or_default())
}

fn show(theme: Theme) {
    let Some(window) = web_sys::window() else { return };
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = match theme.attribute() {
            Some(value) => root.set_attribute("data-theme", value),
            None => root.remove_attribute("data-theme"),
        };
    }
    // A third-party frame may be refused storage: the portal's option still holds the choice.
    if let Ok(Some(storage)) = window.local_storage() {
        let _ = match theme {
            Theme::Auto => storage.remove_item(CACHE_KEY),
            chosen => storage.set_item(CACHE_KEY, chosen.code()),
        };
    }
}
