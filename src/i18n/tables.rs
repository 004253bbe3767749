//! Where the browser gets a language's card texts. The call card's module carries English only;
//! any other language is a small file of its own beside the module (`Lang::texts_file`, named
//! after every table's content), loaded once per page: inlined into the page by the handler when the portal
//! POSTed the launch (no request at all), else fetched as soon as the language is known. The
//! app's own page has every table compiled in (`use_builtin`).

use std::cell::RefCell;

use leptos::prelude::*;

use super::{Lang, Texts};

/// The element the handler inlines a table into; `data-file` names the table it holds.
const INLINED_ID: &str = "callcard-texts";

thread_local! {
    /// The tables this page has, besides English.
    static LOADED: RefCell<Vec<(Lang, &'static Texts)>> = const { RefCell::new(Vec::new()) };
}

/// The language's table, when this page has it.
pub fn loaded(lang: Lang) -> Option<&'static Texts> {
    LOADED.with(|tables| tables.borrow().iter().find(|(l, _)| *l == lang).map(|(_, t)| *t))
}

fn keep(lang: Lang, texts: &'static Texts) {
    LOADED.with(|tables| tables.borrow_mut().push((lang, texts)));
}

/// English's texts, read from the table compiled into the module (`EN_TABLE`, written like the
/// other languages' files) the first time they are asked for, then kept like any loaded table.
/// The module holds the table's text rather than `card::EN`, whose address and length for every
/// text compress far worse (README, "Bundle budget").
pub fn english() -> &'static Texts {
    loaded(Lang::En).unwrap_or_else(|| {
        let texts = Texts::from_table(super::EN_TABLE).unwrap_or(&super::BLANK);
        keep(Lang::En, texts);
        texts
    })
}

/// Every language's table from the module itself (the app's own page, which is not the call
/// card and may carry them).
pub fn use_builtin() {
    for lang in Lang::ALL {
        keep(lang, lang.builtin_texts());
    }
}

/// The language's table without waiting: English, one loaded before, or the one the handler
/// inlined into this page for it.
fn ready(lang: Lang) -> bool {
    if lang == Lang::En || loaded(lang).is_some() {
        return true;
    }
    let inlined = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(INLINED_ID))
        .filter(|e| e.get_attribute("data-file").as_deref() == Some(lang.texts_file().as_str()))
        .and_then(|e| e.text_content());
    match inlined.as_deref().and_then(Texts::from_table) {
        Some(texts) => {
            keep(lang, texts);
            true
        }
        None => false,
    }
}

/// Speaks `wanted` at once when its table is at hand (`true`); the caller then needs no wait.
pub fn speak_now(lang: RwSignal<Lang>, wanted: Lang) -> bool {
    let at_hand = ready(wanted);
    if at_hand && lang.get_untracked() != wanted {
        lang.set(wanted);
    }
    at_hand
}

/// How long the card waits for its language's table (a few KB) before it shows in English.
const FETCH_WITHIN_MS: u32 = 5_000;

/// Speaks `wanted` once its table is here: at once when it is at hand, else after fetching it.
/// A table that cannot be fetched, or not within [`FETCH_WITHIN_MS`], leaves the page in
/// English, which every agent's portal also offers, rather than without words or waiting.
pub async fn speak(lang: RwSignal<Lang>, wanted: Lang) {
    if speak_now(lang, wanted) {
        return;
    }
    if let Some(texts) = fetch(wanted).await {
        if loaded(wanted).is_none() {
            keep(wanted, texts);
        }
        lang.set(wanted);
    }
}

async fn fetch(lang: Lang) -> Option<&'static Texts> {
    let url = [assets_base(), lang.texts_file()].concat();
    // The browser gives up on the request, its body too, when the time is up.
    let within = web_sys::AbortSignal::timeout_with_u32(FETCH_WITHIN_MS);
    let response = crate::browser::request(&url, None, &within)?.send().await.ok()?;
    if !response.ok() {
        return None;
    }
    Texts::from_table(&response.text().await.ok()?)
}

/// Where the module's files are: the folder of the module the page preloads (Trunk's
/// `modulepreload` link, absolute once the browser resolved it; a CDN build's files are not on the
/// page's origin), else beside the page.
fn assets_base() -> String {
    let href = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("link[rel=modulepreload]").ok().flatten())
        .and_then(|link| js_sys::Reflect::get(&link, &"href".into()).ok())
        .and_then(|href| href.as_string());
    match href.as_deref().and_then(|h| h.bytes().rposition(|b| b == b'/').and_then(|at| h.get(..=at))) {
        Some(folder) => folder.to_string(),
        None => "./".to_string(),
    }
}
