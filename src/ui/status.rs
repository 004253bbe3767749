//! Loading, error and not-supported screens.

use leptos::prelude::*;

use super::{at, or_nothing, texts};
use crate::problem::Problem;

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <div class="status status-loading" data-testid="loading" {at("role", "status")} {at("aria-live", "polite")}>
            <span class="spinner" {at("aria-hidden", "true")}></span>
            {texts().loading}
        </div>
    }
}

/// `retry`: what the page's retry does (a function rather than a callback: the call card's
/// module then holds no callback type of its own for it).
#[component]
pub fn ErrorPanel(problem: Problem, retry: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let can_retry = problem.retry;
    view! {
        <div class="status status-error" data-testid="error" data-problem=problem.code.as_str() {at("role", "alert")}>
            <h1 data-testid="error-title">{problem.title}</h1>
            <p data-testid="error-detail">{problem.advice}</p>
            <Technical text=problem.technical/>
            {or_nothing(can_retry.then(|| view! {
                <button {at("type", "button")} data-testid="retry" on:click=move |_| retry()>{texts().retry}</button>
            }))}
        </div>
    }
}

#[component]
pub fn NotSupported(placement: String) -> impl IntoView {
    // The placement's code sits where the sentence says, in the language's word order.
    let body = texts().not_supported_body;
    let (before, after) = crate::text::split_once(body, "{placement}").unwrap_or((body, ""));
    view! {
        <div class="status" data-testid="not-supported">
            <h1 data-testid="not-supported-title">{texts().not_supported_title}</h1>
            <p data-testid="not-supported-detail">{before}<code>{placement}</code>{after}</p>
        </div>
    }
}

/// An action that failed (a save, a creation): what did not happen, what the portal said.
/// What the agent typed stays where it is; the action's own button retries.
#[component]
pub fn ActionError(testid: &'static str, headline: &'static str, problem: Problem) -> impl IntoView {
    view! {
        <div class="section-error" data-testid=testid data-problem=problem.code.as_str() {at("role", "alert")}>
            <p data-testid="error-headline"><strong>{headline}</strong></p>
            <p class="muted">{problem.title}{or_nothing((!problem.advice.is_empty()).then(|| [" — ", problem.advice.as_str()].concat()))}</p>
            <Technical text=problem.technical/>
        </div>
    }
}

/// The technical cause of a problem, folded away: for an administrator or support, not in the
/// agent's way.
#[component]
pub fn Technical(text: String) -> impl IntoView {
    or_nothing((!text.is_empty()).then(|| view! {
        <details class="technical" data-testid="error-technical">
            <summary>{texts().technical_details}</summary>
            <p data-testid="error-technical-text">{text}</p>
        </details>
    }))
}
