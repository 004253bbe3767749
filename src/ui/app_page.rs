//! The app's own page: is the call card tab bound, and to this deployment; the app's scopes;
//! the administrator's controls; the installation step's progress. The page stays mounted
//! while its state changes: each part follows the state, and what the administrator typed (the
//! test call's number) and where the keyboard focus is survive every update.

use leptos::prelude::*;

use super::status::{ActionError, Technical};
use super::{at, lang, texts};
use crate::install::{Action, ActionOutcome, AppPage, Blocker, Installation, Reading, TabState, NEEDED_SCOPES};
use crate::problem::Problem;
use crate::theme::Theme;

#[component]
pub fn AppPageView(page: Signal<AppPage>, act: Callback<Action>, test_call: Callback<String>) -> impl IntoView {
    let a = lang().app_page();
    let heading = move || if page.with(|p| p.install) { a.install_title } else { a.title };
    // While an action runs, the buttons stay where they were, marked unavailable (not removed,
    // not `disabled`: either would drop the keyboard focus to the page). The memo re-renders
    // them only when the set of actions changes, so after an action that leaves it as it was
    // (a check) the focused button is still the same element.
    let busy = Memo::new(move |_| page.with(|p| p.busy.is_some()));
    let offered = Memo::new(move |previous: Option<&Vec<Action>>| {
        match (busy.get(), previous) {
            (true, Some(previous)) => previous.clone(),
            _ => page.with(AppPage::offered),
        }
    });
    let buttons = move || {
        offered
            .get()
            .into_iter()
            .map(|action| {
                let (label, testid, primary) = face(action);
                view! {
                    <button {at("type", "button")} {at("aria-disabled", move || busy.get().then_some("true"))}
                        class:secondary=!primary data-testid=testid
                        on:click=move |_| if !busy.get_untracked() { act.run(action) }>{label}</button>
                }
            })
            .collect_view()
    };
    // The outcome and the reading hold nothing the administrator typed or focuses: they are
    // simply drawn again with the page.
    let outcome = move || page.with(|p| (p.outcome.clone(), p.install));
    let reading = move || page.with(|p| (p.reading.clone(), p.handler.clone()));
    let can_test_call = Memo::new(move |_| page.with(|p| p.can_test_call().is_some()));
    // Kept here, not in the form: the form goes while the page checks the tab again.
    let test_number = RwSignal::new(String::new());
    view! {
        <section class="app-page" data-testid="app-page">
            <h1>{heading}</h1>
            <p class="muted">{a.intro}</p>
            {move || { let (o, install) = outcome(); o.map(|o| view! { <OutcomeView outcome=o install=install/> }) }}
            {move || match reading() {
                (Reading::Pending, _) => view! { <p class="status-loading" {at("role", "status")}>{a.checking}</p> }.into_any(),
                (Reading::Failed(problem), _) => view! {
                    <ActionError testid="app-reading-error" headline=a.tab_unknown problem=problem/>
                }.into_any(),
                (Reading::Known(installation), handler) => view! { <InstallationView installation=installation handler=handler/> }.into_any(),
            }}
            {move || busy.get().then(|| view! { <p class="status-loading" data-testid="app-working" {at("role", "status")}>{a.working}</p> })}
            <div class="app-actions">{buttons}</div>
            <Show when=move || can_test_call.get()>
                <TestCallForm test_call=test_call number=test_number/>
            </Show>
            <ThemeChoice/>
        </section>
    }
}

/// An action's button: its words, its test id, and whether it is the page's main one.
fn face(action: Action) -> (&'static str, &'static str, bool) {
    let a = lang().app_page();
    match action {
        Action::Install => (a.install, "app-install", true),
        Action::Bind => (a.bind, "app-bind", true),
        Action::Rebind => (a.rebind, "app-rebind", true),
        Action::Unbind => (a.unbind, "app-unbind", false),
        Action::Check => (a.check, "app-check", false),
        Action::TestCall => (a.test_call, "app-test-call", true),
    }
}

/// Light, dark or as the system: applied at once, and kept with the portal's user options.
#[component]
fn ThemeChoice() -> impl IntoView {
    let a = lang().app_page();
    let chosen = use_context::<RwSignal<Theme>>();
    let choose = use_context::<super::PageHandlers>().map(|h| h.choose_theme);
    let options = Theme::ALL.map(|theme| {
        let label = match theme {
            Theme::Light => a.theme_light,
            Theme::Dark => a.theme_dark,
            Theme::Auto => a.theme_auto,
        };
        view! {
            <label>
                <input {at("type", "radio")} {at("name", "theme")} {at("value", theme.code())} data-testid=format!("theme-{}", theme.code())
                    prop:checked=move || chosen.map(|c| c.get()) == Some(theme)
                    on:change=move |_| { if let Some(choose) = choose { choose.run(theme) } }/>
                {label}
            </label>
        }
    });
    view! {
        <fieldset class="theme-choice" data-testid="theme-choice">
            <legend><h2>{a.theme_heading}</h2></legend>
            <p class="muted">{a.theme_hint}</p>
            {options.into_iter().collect_view()}
        </fieldset>
    }
}

/// A test call: the number, and the button that asks the portal to show its call card.
#[component]
fn TestCallForm(test_call: Callback<String>, number: RwSignal<String>) -> impl IntoView {
    let a = lang().app_page();
    let (label, testid, _) = face(Action::TestCall);
    view! {
        <h2>{a.test_heading}</h2>
        <p class="muted">{a.test_hint}</p>
        <form class="app-test" on:submit=move |e: leptos::ev::SubmitEvent| {
            e.prevent_default();
            test_call.run(number.get_untracked());
        }>
            <label>{a.test_number}" "
                <input {at("type", "tel")} data-testid="test-number" {at("placeholder", "+49 30 1234567")} {at("autocomplete", "off")}
                    prop:value=move || number.get() on:input=move |e| number.set(event_target_value(&e))/>
            </label>
            <button {at("type", "submit")} data-testid=testid>{label}</button>
        </form>
    }
}

#[component]
fn InstallationView(installation: Installation, handler: String) -> impl IntoView {
    let a = lang().app_page();
    let tab = installation.tab(&handler);
    let (state, line) = match &tab {
        TabState::Here { .. } => ("here", a.bound_here),
        TabState::Elsewhere(_) => ("elsewhere", a.bound_elsewhere),
        TabState::Unbound => ("unbound", a.unbound),
        TabState::Unknown(_) => ("unknown", a.tab_unknown),
    };
    // Bound here, the other addresses are "also bound"; bound elsewhere, they are the binding.
    let (others, also) = match &tab {
        TabState::Here { others } => (others.clone(), true),
        TabState::Elsewhere(others) => (others.clone(), false),
        _ => (Vec::new(), false),
    };
    // Why the portal would not tell: in plain words, its own answer folded away.
    let unknown_detail = match &tab {
        TabState::Unknown(e) => Some(Problem::api_for(texts(), e, Some("placement.get"))),
        _ => None,
    };
    let scopes = match &installation.scopes {
        Ok(_) => {
            let missing = installation.missing_scopes();
            let rows = NEEDED_SCOPES
                .iter()
                .map(|scope| {
                    let granted = !missing.contains(scope);
                    view! {
                        <li data-scope=*scope data-granted=granted.to_string() class:missing=!granted>
                            <code>{*scope}</code>" — "{if granted { a.scope_granted } else { a.scope_missing }}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <ul class="scopes" data-testid="scopes">{rows}</ul>
                {(!missing.is_empty()).then(|| view! { <p class="muted">{a.scopes_missing_hint}</p> })}
            }
            .into_any()
        }
        Err(_) => view! { <p class="muted" data-testid="scopes">{a.scopes_unknown}</p> }.into_any(),
    };
    view! {
        <h2>{a.tab_heading}</h2>
        <p data-testid="tab-state" data-tab=state>{line}</p>
        {unknown_detail.map(|p| view! {
            <p class="muted" data-testid="tab-unknown-why">{p.advice}</p>
            <Technical text=p.technical/>
        })}
        <ul class="handlers">
            {others.into_iter().map(|h| view! { <li>{if also { a.also_bound } else { "" }}" "<code data-testid="other-handler">{h}</code></li> }).collect_view()}
        </ul>
        <p class="muted">{a.this_deployment}": "<code data-testid="this-handler">{handler}</code></p>
        {(!installation.is_admin).then(|| view! { <p data-testid="admin-only">{a.admin_only}</p> })}
        <h2>{a.scopes_heading}</h2>
        {scopes}
    }
}

#[component]
fn OutcomeView(outcome: ActionOutcome, install: bool) -> impl IntoView {
    let a = lang().app_page();
    match outcome {
        ActionOutcome::Done(action) => {
            let (what, done) = match action {
                Action::Install => ("installed", a.installed),
                Action::Bind | Action::Rebind => ("bound", a.bound_done),
                Action::Unbind => ("unbound", a.unbound_done),
                Action::Check | Action::TestCall => return ().into_any(),
            };
            view! {
                <div {at("role", "status")} class="banner banner-ok" data-testid="app-outcome" data-outcome=what>
                    {done}" "{a.reload_hint}
                </div>
            }
            .into_any()
        }
        ActionOutcome::TestCallShown { call_id } => view! {
            <div {at("role", "status")} class="banner banner-ok" data-testid="app-outcome" data-outcome="test-call" data-call-id=call_id>
                {a.test_call_shown}
            </div>
        }
        .into_any(),
        ActionOutcome::Failed(action, problem) => {
            let headline = match action {
                Action::TestCall => a.test_call_failed,
                _ if install => a.install_failed,
                _ => a.action_failed,
            };
            view! { <ActionError testid="app-outcome" headline=headline problem=problem/> }.into_any()
        }
        ActionOutcome::Blocked(why) => {
            let (what, text) = match &why {
                Blocker::NotAdmin => ("not-admin", a.blocked_not_admin.to_string()),
                Blocker::MissingScopes(missing) => ("scopes", format!("{} {}. {}", a.blocked_scopes, missing.join(", "), a.scopes_missing_hint)),
                Blocker::BoundElsewhere(_) => ("elsewhere", a.blocked_elsewhere.to_string()),
            };
            view! {
                <div {at("role", "alert")} class="section-error" data-testid="app-outcome" data-outcome=what>
                    <p><strong>{a.install_failed}</strong></p>
                    <p>{text}</p>
                </div>
            }
            .into_any()
        }
    }
}
