//! Loading, error and not-supported screens.

use leptos::prelude::*;

use super::texts;
use crate::screen::Problem;

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <div class="status status-loading" data-testid="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {texts().loading}
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
                <button type="button" data-testid="retry" on:click=move |_| retry.run(())>{texts().retry}</button>
            </Show>
        </div>
    }
}

#[component]
pub fn NotSupported(placement: String) -> impl IntoView {
    view! {
        <div class="status" data-testid="not-supported">
            <h1>{texts().not_supported_title}</h1>
            <p>{texts().not_supported_body}" "<code>{placement}</code></p>
        </div>
    }
}

/// An action that failed (a save, a creation): what did not happen, what the portal said.
/// What the agent typed stays where it is; the action's own button retries.
#[component]
pub fn ActionError(testid: &'static str, headline: &'static str, problem: Problem) -> impl IntoView {
    view! {
        <div class="section-error" data-testid=testid data-problem=problem.code role="alert">
            <p><strong>{headline}</strong></p>
            <p class="muted">{problem.title}{(!problem.detail.is_empty()).then(|| format!(" — {}", problem.detail))}</p>
        </div>
    }
}
