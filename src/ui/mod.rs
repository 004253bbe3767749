//! Leptos views. They render [`Screen`]s and nothing else: no fetching, no parsing. CRM text is
//! always inserted as text nodes, never as HTML.

mod card;
mod status;
pub mod text;

pub use card::{CallSummary, CallerView};
pub use status::{ErrorPanel, Loading, NotSupported};

use leptos::prelude::*;

use crate::screen::Screen;

/// The widget's root. `data-state` tells tests and the benchmark when the card is ready.
#[component]
pub fn Root(screen: RwSignal<Screen>, retry: Callback<()>) -> impl IntoView {
    view! {
        <main class="callcard" data-testid="callcard" data-state=move || screen.with(|s| s.data_state())>
            {move || match screen.get() {
                Screen::Loading => view! { <Loading/> }.into_any(),
                Screen::Card { call, caller } => view! {
                    <CallSummary call=call/>
                    <CallerView caller=caller/>
                }.into_any(),
                Screen::NotSupported { placement } => view! { <NotSupported placement=placement/> }.into_any(),
                Screen::Failed(problem) => view! { <ErrorPanel problem=problem retry=retry/> }.into_any(),
            }}
        </main>
    }
}
