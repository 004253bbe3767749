//! Leptos views. They render [`Screen`]s and nothing else: no fetching, no parsing. CRM text is
//! always inserted as text nodes, never as HTML.

mod actions;
mod card;
mod sections;
mod status;

pub use actions::Actions;
pub use card::{CallSummary, CallerView};
pub use status::{ErrorPanel, Loading, NotSupported};

use leptos::prelude::*;

use crate::crm::entity::EntityRef;
use crate::i18n::Lang;
use crate::screen::Screen;

/// What the agent can ask of the card; the app decides what it costs.
#[derive(Clone, Copy)]
pub struct Handlers {
    /// Load the whole screen again.
    pub retry: Callback<()>,
    /// Show this one of several matches.
    pub pick: Callback<EntityRef>,
    /// Back to the list of matches.
    pub back: Callback<()>,
    /// Load this record's card again (after a section failed).
    pub reload: Callback<EntityRef>,
}

/// The widget's root. `data-state` tells tests and the benchmark when the card is ready.
#[component]
pub fn Root(screen: RwSignal<Screen>, handlers: Handlers) -> impl IntoView {
    provide_context(handlers);
    view! {
        <main class="callcard" lang=move || lang().code() data-testid="callcard" data-state=move || screen.with(|s| s.data_state())>
            {move || match screen.get() {
                Screen::Loading => view! { <Loading/> }.into_any(),
                Screen::Card { call, caller, others } => view! {
                    <CallSummary call=call.clone()/>
                    <CallerView caller=caller call=call has_others=!others.is_empty()/>
                }.into_any(),
                Screen::NotSupported { placement } => view! { <NotSupported placement=placement/> }.into_any(),
                Screen::Failed(problem) => view! { <ErrorPanel problem=problem retry=handlers.retry/> }.into_any(),
            }}
        </main>
    }
}

/// The interface language the app provides (English where none is, as in component tests).
/// Read untracked: the language is settled before the first screen other than loading.
pub(crate) fn lang() -> Lang {
    use_context::<RwSignal<Lang>>().map(|l| l.get_untracked()).unwrap_or(Lang::En)
}

pub(crate) fn texts() -> &'static crate::i18n::Texts {
    lang().texts()
}
