//! Loading, error and not-supported screens.

use leptos::prelude::*;

use super::text;
use crate::screen::Problem;

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <div class="status status-loading" data-testid="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {text::LOADING}
        </div>
    }
}

#[component]
pub fn ErrorPanel(problem: Problem, retry: Callback<()>) -> impl IntoView {
    let can_retry = problem.retry;
    view! {
        <div class="status status-error" data-testid="error" data-problem=problem.code role="alert">
            <h1 data-testid="error-title">{problem.title}</h1>
            <p data-testid="error-detail">{problem.detail}</p>
            <Show when=move || can_retry>
                <button type="button" data-testid="retry" on:click=move |_| retry.run(())>{text::RETRY}</button>
            </Show>
        </div>
    }
}

#[component]
pub fn NotSupported(placement: String) -> impl IntoView {
    view! {
        <div class="status" data-testid="not-supported">
            <h1>{text::NOT_SUPPORTED_TITLE}</h1>
            <p>
                "This widget works in the call card (CALL_CARD). It was opened in "
                <code>{placement}</code>
                ", which it does not serve."
            </p>
        </div>
    }
}
