//! What both pages do at start: the call card (`index.html`, [`crate::app`]) and the app's own
//! page (`app.html`, [`crate::app_page`]), each its own module so that the call card carries
//! nothing of the app page. Read the launch sources, speak the portal's language, keep the
//! portal's iframe fitted to the content.

use leptos::prelude::*;
use crate::effect;
use crate::json;
use crate::json::Value;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::frame::client::{FrameClient, FrameError};
use crate::frame::Command;
use crate::i18n::Lang;
use crate::launch::{FrameName, Launch, LaunchError, LaunchFields};
use crate::ui::{Actions, Live};

/// The app's own page, beside `index.html`.
const APP_PAGE: &str = "app.html";

/// What the page was opened with; read once, kept for a full retry.
#[derive(Clone)]
pub struct Inputs {
    /// The launch fields the handler inlined, parsed once (`None`: nothing was inlined).
    pub seed: Option<Result<LaunchFields, LaunchError>>,
    pub frame_name: Option<FrameName>,
    pub frame: Option<FrameClient>,
}

/// Reads the page's launch sources and provides what every page gives its views: the portal
/// actions, the language and the live notices (`Live`, returned too); and keeps the iframe as
/// tall as the content. `title` is the page's title in a language. Call inside the mount. The
/// theme is each page's own: the app page's chooser follows a signal
/// (`appearance::provide`), the call card shows what the portal says (`appearance::show_told`).
pub fn start(title: fn(Lang) -> &'static str) -> (Inputs, Live) {
    let inputs = read_inputs();
    // The language is known from the posted query before anything loads, its texts usually
    // inlined with it (`i18n::tables`); GET launches learn it from getInitData. The signal holds
    // the language whose texts the page has: English until then.
    let lang = RwSignal::new(Lang::En);
    crate::i18n::tables::speak_now(lang, posted_lang(&inputs));
    // The document speaks the portal's language (screen readers, hyphenation, fonts), its title
    // too (a screen reader may read it for the portal's frame): the posted query tells it at
    // once, getInitData later for a page opened by GET.
    // Arabic reads right to left: the whole page turns (`dir`), the layout follows through the
    // style's logical properties.
    effect::watch(move || {
        let language = lang.get();
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("lang", language.locale());
            let _ = root.set_attribute("dir", if language.rtl() { "rtl" } else { "ltr" });
        }
        document.set_title(title(language));
    });
    let origin = inputs
        .frame_name
        .as_ref()
        .map(|f| f.portal.origin())
        .or_else(|| seed_origin(inputs.seed.as_ref()))
        .unwrap_or_default();
    if let Some(frame) = inputs.frame.clone() {
        fit_frame_to_content(frame);
    }
    let live = Live {
        lang,
        state: RwSignal::new(None),
        retrying: RwSignal::new(false),
        notice: RwSignal::new(String::new()),
        focus_heading: RwSignal::new(false),
        actions: StoredValue::new_local(Rc::new(Actions { frame: inputs.frame.clone(), origin })),
    };
    provide_context(live);
    (inputs, live)
}

fn read_inputs() -> Inputs {
    let frame_name = web_sys::window().and_then(|w| w.name().ok()).and_then(|name| FrameName::parse(&name));
    let frame = frame_name.as_ref().and_then(FrameClient::connect);
    let inlined = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("b24-launch"))
        .and_then(|e| e.text_content());
    let seed = inlined.as_deref().map(LaunchFields::from_inlined);
    Inputs { seed, frame_name, frame }
}

/// The language the posted query names (English when nothing was posted).
pub fn posted_lang(inputs: &Inputs) -> Lang {
    inputs
        .seed
        .as_ref()
        .and_then(|seed| seed.as_ref().ok())
        .and_then(|f| crate::portal::text(f.lang.as_ref()))
        .map(|code| Lang::from_code(&code))
        .unwrap_or(Lang::En)
}

/// The portal origin the posted data names, for plain links outside a frame.
fn seed_origin(seed: Option<&Result<LaunchFields, LaunchError>>) -> Option<String> {
    let fields = seed?.as_ref().ok()?;
    Launch::resolve(fields, None, None).ok().map(|l| l.portal.origin())
}

/// The portal's own launch fields, through the frame.
pub async fn init_data(frame: &FrameClient) -> Result<LaunchFields, LaunchError> {
    match frame.call(Command::GetInitData, &Value::Null).await {
        Ok(value) => LaunchFields::from_init_data(&value),
        Err(FrameError::Timeout { .. }) | Err(FrameError::Unavailable) => Err(LaunchError::FrameSilent),
        Err(FrameError::Unreadable { .. }) => Err(LaunchError::InvalidField {
            field: "getInitData reply",
            reason: crate::launch::Unusable::NotObject,
        }),
    }
}

/// Opens the app's own page in this frame instead (a `PLACEMENT=DEFAULT` opening that reached
/// the call card's page, as a static host or nginx serve every opening): the query and the
/// frame's name go along, the rest comes from `getInitData` there.
pub fn open_app_page() {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return };
    let query = location.search().unwrap_or_default();
    let _ = location.replace(&[APP_PAGE, query.as_str()].concat());
}

/// Keeps the portal's iframe as tall as the content: the tab grows with the card.
fn fit_frame_to_content(frame: FrameClient) {
    let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) else { return };
    let last_height = Rc::new(std::cell::Cell::new(0));
    let measured = body.clone();
    let on_resize = Closure::<dyn FnMut()>::new(move || {
        let height = measured.scroll_height();
        if height > 0 && height != last_height.get() {
            last_height.set(height);
            let _ = frame.send(Command::ResizeWindow, &json!({ "width": "100%", "height": height }));
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        observer.observe(&body);
        // Observer and callback live as long as the page.
        std::mem::forget(observer);
        on_resize.forget();
    }
}
