//! Leptos views. They render [`Screen`]s and nothing else: no fetching, no parsing. CRM text is
//! always inserted as text nodes, never as HTML.

mod actions;
mod app_page;
mod ask;
mod card;
mod composer;
mod create;
mod link;
mod next_step;
mod sections;
mod status;

pub use actions::Actions;
pub use card::{CallSummary, CallerView};
pub use status::{ErrorPanel, Loading, NotSupported};

use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use leptos::tachys::html::attribute::custom::{custom_attribute, CustomAttr};
use leptos::tachys::html::attribute::AttributeValue;
use std::rc::Rc;

use crate::effect;
use crate::crm::entity::{EntityKind, EntityRef};
use crate::crm::new_client::NewClient;
use crate::i18n::Lang;
use crate::live::AutoCloseHold;
use crate::problem::Problem;
use crate::screen::Screen;

/// One request the views make of the portal: its input, then (later) its outcome.
pub type Request<In, Out> = Rc<dyn Fn(In) -> LocalBoxFuture<'static, Result<Out, Problem>>>;

/// What the views ask of the portal beyond the card itself; the app implements it.
#[derive(Clone)]
pub struct Backend {
    /// Searches existing records by the agent's words or another number.
    pub search: Request<String, Vec<crate::crm::link::Hit>>,
    /// Writes what the agent asked for and shows the card it changed; the id of what it made
    /// (the client's, for a client chosen). One request for every write: each request's answer
    /// is code of its own in the module.
    pub write: Request<Write, u64>,
    /// Keeps the portal's card open while something is unsaved.
    pub hold: AutoCloseHold,
    /// What the agent asks of the card itself (a pick, back, a reload). Here rather than a
    /// context of its own: each context type brings its own lookup code.
    pub handlers: Handlers,
}

/// A write the agent asks for.
pub enum Write {
    /// The caller made a client of the CRM, new or existing; its card shows.
    Client(ClientChoice),
    /// Something added to a record (the client, or the deal a comment is on).
    Add(EntityRef, Addition),
}

/// Who the caller is, as the agent says.
pub enum ClientChoice {
    /// A new contact or lead, as typed.
    New(EntityKind, NewClient),
    /// A record that exists: the call is linked to it, the calling number added to its phones
    /// when the agent said so.
    Existing { entity: EntityRef, add_number: bool },
}

/// What the agent adds to a record: a comment, or a next step for a client.
pub enum Addition {
    /// A timeline comment, shown where it was typed.
    Comment(String),
    /// A new deal (of the contact's company too, when it has one), opened in the portal's slider.
    Deal { company: Option<u64>, title: String },
    /// A follow-up call: an activity's `crm.activity.add` fields.
    FollowUp(crate::json::Value),
}

impl Backend {
    pub fn provide(self) {
        provide_context(StoredValue::new_local(self));
    }

    pub(crate) fn context() -> Option<StoredValue<Backend, LocalStorage>> {
        use_context::<StoredValue<Backend, LocalStorage>>()
    }

    /// The app's answer to the agent's requests of the card; `None` for a view mounted
    /// without the app.
    pub(crate) fn handlers() -> Option<Handlers> {
        Backend::context().map(|b| b.with_value(|b| b.handlers))
    }

    /// Starts one of the views' requests, `ask` picking it from the app's backend (read at the
    /// view's creation: an action runs outside it). A view mounted without the app has no portal
    /// to ask: the request fails as a launch without data, in the agent's words `t`.
    pub(crate) fn request<Out: 'static>(
        backend: Option<StoredValue<Backend, LocalStorage>>,
        t: &'static crate::i18n::Texts,
        ask: impl FnOnce(&Backend) -> LocalBoxFuture<'static, Result<Out, Problem>>,
    ) -> LocalBoxFuture<'static, Result<Out, Problem>> {
        match backend {
            Some(backend) => backend.with_value(ask),
            None => Box::pin(async move { Err(Problem::launch(t, &crate::launch::LaunchError::NoLaunchData)) }),
        }
    }
}

/// What changes during the call without a new card, and the page's language.
#[derive(Clone, Copy)]
pub struct Live {
    /// The page's language: the one whose texts the page has (English until they are here).
    /// Here rather than a context of its own: each context type brings its own lookup code.
    pub lang: RwSignal<Lang>,
    /// `connecting`, `connected`, `idle`, as the portal reports it.
    pub state: RwSignal<Option<crate::launch::CallState>>,
    /// Requests are waiting to retry (the portal is over its limits).
    pub retrying: RwSignal<bool>,
    /// A short confirmation (a record was created); empty: none. A text rather than an
    /// `Option`: each signal type brings its own code, and the views already hold texts.
    pub notice: RwSignal<String>,
    /// The next screen's heading takes the keyboard focus (after a pick, "other matches", a
    /// creation), so that a keyboard or screen reader user lands on what changed.
    pub focus_heading: RwSignal<bool>,
    /// How the views act in the portal (open a record, call a number). Here rather than a
    /// context of its own: each context type brings its own lookup code.
    pub actions: StoredValue<Rc<Actions>, LocalStorage>,
}

/// Puts the keyboard focus on an element once it is on the page, when `wanted`: a Leptos
/// directive (`use:focus=wanted`), run as the element is made. One directive for the headings
/// and the fields rather than a `NodeRef` each: each node reference type brings its own code
/// into the module.
pub(crate) fn focus(element: leptos::tachys::renderer::types::Element, wanted: bool) {
    if wanted {
        // Made, not yet on the page: focused after the render that made it.
        queue_microtask(move || {
            let _ = wasm_bindgen::JsCast::unchecked_ref::<web_sys::HtmlElement>(&element).focus();
        });
    }
}

/// What a field shows, read again whenever a signal it reads changes.
pub(crate) type FieldText = Rc<dyn Fn() -> String>;

/// A field's text for [`value`]: `use:value=text_of(move || typed.get())`.
pub(crate) fn text_of(text: impl Fn() -> String + 'static) -> FieldText {
    Rc::new(text)
}

/// A field (`<input>`, `<textarea>`) shows `text` and follows it: a Leptos directive
/// (`use:value=text_of(…)`) that sets the field's `value` property as `prop:value` would, but
/// only when the field does not hold the text already, so that the agent's own typing, which the
/// text follows, leaves the caret where it is. One directive for every field: `prop:`'s property
/// and render effect types brought their own code into the module.
pub(crate) fn value(field: leptos::tachys::renderer::types::Element, text: FieldText) {
    let key = wasm_bindgen::JsValue::from_str("value");
    effect::watch(move || {
        let text = text();
        let shown = js_sys::Reflect::get(&field, &key).ok().and_then(|v| v.as_string());
        if shown.as_deref() != Some(text.as_str()) {
            let _ = js_sys::Reflect::set(&field, &key, &wasm_bindgen::JsValue::from_str(&text));
        }
    });
}

/// Whether the next screen's heading takes the keyboard focus, as the change that showed it
/// asked (a pick, "other matches", a creation); asked once, so only the first heading made
/// after the change takes it.
pub(crate) fn heading_focus_asked() -> bool {
    let Some(live) = use_context::<Live>() else { return false };
    let asked = live.focus_heading.get_untracked();
    if asked {
        live.focus_heading.set(false);
    }
    asked
}

/// What the agent can ask of the card.
#[derive(Clone, Copy)]
pub enum AgentRequest {
    /// Load the whole screen again.
    Retry,
    /// Show this one of several matches.
    Pick(EntityRef),
    /// Back to the list of matches.
    Back,
    /// Load this record's card again (after a section failed).
    Reload(EntityRef),
}

/// The app's answer to what the agent asks of the card; the app decides what it costs. One
/// callback for every request: each callback type brings its own code into the module.
#[derive(Clone, Copy)]
pub struct Handlers(pub Callback<AgentRequest>);

impl Handlers {
    pub fn ask(self, request: AgentRequest) {
        self.0.run(request);
    }
}

/// What an administrator can ask of the app's own page.
#[derive(Clone, Copy)]
pub struct PageHandlers {
    /// Read the page again from the start.
    pub retry: Callback<()>,
    /// Do something (bind the tab, check again…).
    pub act: Callback<crate::install::Action>,
    /// Show a test call from this number.
    pub test_call: Callback<String>,
    /// The agent chose light, dark or automatic.
    pub choose_theme: Callback<crate::theme::Theme>,
}

/// The `<main>` both pages draw into, with the notices above the screen. `data-state` tells
/// tests and the benchmark when the page settled; `loading_next`: the next card is loading while
/// the current one stays on screen (a pick, a reload, a creation), shown as a line above it.
/// Both are functions the page passes rather than derived signals in `Live`: each signal type
/// brings its own code, and only this view reads them.
fn frame_main(
    data_state: impl Fn() -> &'static str + Send + Sync + 'static,
    loading_next: impl Fn() -> bool + Copy + Send + Sync + 'static,
    content: impl IntoView + 'static,
) -> impl IntoView {
    let live = use_context::<Live>();
    let t = texts();
    // Tracked: a page opened by GET learns its language from getInitData, after this renders.
    let language = live.map(|l| l.lang);
    view! {
        <main class="callcard" {at("lang", move || Some(language.map(|l| l.get()).unwrap_or(Lang::En).locale()))} {at("dir", move || Some(if language.is_some_and(|l| l.get().rtl()) { "rtl" } else { "ltr" }))} data-testid="callcard"
            {at("data-state", move || Some(data_state()))}
            {at("aria-busy", move || loading_next().then_some("true"))}>
            {or_nothing(live.map(|live| view! {
                {move || or_nothing(loading_next().then(|| view! { <div class="banner" data-testid="loading-next" {at("role", "status")}>{t.loading_record}</div> }))}
                {move || or_nothing(live.retrying.get().then(|| view! { <div class="banner" data-testid="retrying" {at("role", "status")}>{t.retrying}</div> }))}
                {move || or_nothing(live.notice.with(|n| (!n.is_empty()).then(|| n.clone())).map(|n| view! { <div class="banner banner-ok" data-testid="notice" {at("role", "status")}>{n}</div> }))}
            }))}
            {content}
        </main>
    }
}

/// The call card's root: every change of screen mounts its view anew. `data_state` and
/// `loading_next` as [`frame_main`] shows them; `handlers` answers the error screen's retry.
#[component]
pub fn Root(
    screen: impl Fn() -> Screen + Send + Sync + 'static,
    data_state: impl Fn() -> &'static str + Send + Sync + 'static,
    loading_next: impl Fn() -> bool + Copy + Send + Sync + 'static,
    handlers: Handlers,
) -> impl IntoView {
    frame_main(data_state, loading_next, move || match screen() {
        Screen::Loading => view! { <Loading/> }.erase(),
        Screen::Card { call, caller, others } => view! {
            <CallSummary call=call.clone()/>
            <CallerView caller=caller call=call has_others=!others.is_empty()/>
        }.erase(),
        // The app page is its own module (`app.html`).
        Screen::AppPage(_) => ().into_any(),
        Screen::NotSupported { placement } => view! { <NotSupported placement=placement/> }.erase(),
        Screen::Failed(problem) => view! { <ErrorPanel problem=problem retry=move || handlers.ask(AgentRequest::Retry)/> }.erase(),
    })
}

/// The app page's root. The page stays mounted through its own updates and follows them itself,
/// so what the administrator typed and where the focus is survive.
#[component]
pub fn AppRoot(screen: RwSignal<Screen>, handlers: PageHandlers) -> impl IntoView {
    provide_context(handlers);
    let on_app_page = Memo::new(move |_| screen.with(|s| matches!(s, Screen::AppPage(_))));
    let app_page = Signal::derive(move || {
        screen.with(|s| match s {
            Screen::AppPage(page) => page.clone(),
            _ => crate::install::AppPage::new(String::new(), false),
        })
    });
    frame_main(move || screen.with(Screen::data_state), || false, move || {
        if on_app_page.get() {
            view! { <app_page::AppPageView page=app_page act=handlers.act test_call=handlers.test_call/> }.erase()
        } else {
            match screen.get() {
                Screen::Failed(problem) => view! { <ErrorPanel problem=problem retry=move || handlers.retry.run(())/> }.erase(),
                Screen::NotSupported { placement } => view! { <NotSupported placement=placement/> }.erase(),
                _ => view! { <Loading/> }.erase(),
            }
        }
    })
}

/// The interface language the app provides (English where none is, as in component tests).
/// Read untracked: the language is settled before the first screen other than loading.
pub(crate) fn lang() -> Lang {
    use_context::<Live>().map(|l| l.lang.get_untracked()).unwrap_or(Lang::En)
}

/// A record's name as the card shows it: "(no name)" in the agent's words when it has none.
pub(crate) fn shown_name(t: &crate::i18n::Texts, name: &str) -> String {
    if name.is_empty() { t.unnamed } else { name }.to_string()
}

/// Up to two initials for an avatar, in capitals: the first letters of the first two words. One
/// pass over the name rather than `split_whitespace`, whose searcher is code of its own.
pub(crate) fn initials(name: &str) -> String {
    let (mut first, mut taken, mut word_starts) = (String::new(), 0, true);
    for c in name.chars() {
        let space = c.is_whitespace();
        if word_starts && !space && taken < 2 {
            first.push(c);
            taken += 1;
        }
        word_starts = space;
    }
    crate::host::uppercase(&first)
}

pub(crate) fn texts() -> &'static crate::i18n::Texts {
    lang().texts()
}

/// An attribute by its name (`<a {at("target", "_blank")}>`), as `view!` writes `data-*` ones.
/// `view!` gives every other attribute name a type of its own, and the module then holds its
/// erased build, rebuild and clone code once per name; written by name, they share one copy
/// per value type (README, "Bundle budget"). The element gets the same attribute either way.
///
/// A reactive value is written as an `Option<&'static str>` (the attribute is absent when it is
/// `None`; see [`flag`] and [`truth`]): every reactive attribute then shares one render effect
/// type, where a `bool`, a `String` and a `&str` would each bring their own copy of its code.
pub(crate) fn at<V: AttributeValue>(name: &'static str, value: V) -> CustomAttr<&'static str, V> {
    custom_attribute(name, value)
}

/// A part of a view that may draw nothing: `view`, or nothing, as Leptos' erased `AnyView`.
/// Erased, an `Option` of a view would be a type of its own, with its own build, rebuild and
/// mount code. Every reactive part of the views returns an `AnyView` too (this, or
/// [`Erase::erase`]), so that they share one render effect type: each other output type (`&str`,
/// `String`, an `Option`, a fragment, a list) brings its own copy of the effect's code into the
/// module (README, "Bundle budget"). A list's items are erased too
/// (`.map(Erase::erase).collect_view()`): every list is then one type, a list of erased views,
/// where a list of each item type brought its own build, rebuild and mount code.
pub(crate) fn or_nothing<V: Erase>(view: Option<V>) -> AnyView {
    view.map_or_else(|| ().into_any(), Erase::erase)
}

/// A view as Leptos' erased `AnyView`, without the `View` that `view!` wraps its result in: an
/// erased `View` of an element is a type of its own, with its own build, rebuild and mount code,
/// beside the erased element.
pub(crate) trait Erase {
    fn erase(self) -> AnyView;
}

impl<T: IntoAny> Erase for View<T> {
    fn erase(self) -> AnyView {
        self.into_inner().into_any()
    }
}

impl Erase for AnyView {
    fn erase(self) -> AnyView {
        self
    }
}

impl Erase for &'static str {
    fn erase(self) -> AnyView {
        self.into_any()
    }
}

impl Erase for String {
    fn erase(self) -> AnyView {
        self.into_any()
    }
}

/// A boolean attribute's value (`disabled`): present, empty, when `on`.
pub(crate) fn flag(on: bool) -> Option<&'static str> {
    on.then_some("")
}

/// A flag as a `data-*` attribute's value for tests (`data-missed="true"`): a text of the
/// module rather than `bool`'s `Display`, which goes through the formatting machinery.
pub(crate) fn flag_text(on: bool) -> &'static str {
    if on { "true" } else { "false" }
}

/// An ARIA state's value (`aria-pressed`, `aria-expanded`): `"true"` or `"false"`.
pub(crate) fn truth(on: bool) -> Option<&'static str> {
    Some(flag_text(on))
}
