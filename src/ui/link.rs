//! Linking the call to a record that already exists: the agent searches by name, company or
//! another number, picks the record, and is asked whether the calling number joins its phones
//! (never added silently); the record's card then shows.

use leptos::prelude::*;

use super::ask::Ask;
use super::status::ActionError;
use super::{Erase, at, card::kind_label, flag, focus, or_nothing, shown_name, text_of, texts, truth, value, Backend, ClientChoice, Write};
use crate::crm::entity::EntityRef;
use crate::crm::link::Hit;
use crate::crm::phone;
use crate::text::Fill;

#[component]
pub fn LinkExisting(number: Option<String>) -> impl IntoView {
    let t = texts();
    let backend = Backend::context();
    let open = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    // The chosen hit, by its record's key (`EntityRef::key`; empty: none): a text rather than
    // the hit or an `Option`, since each signal type brings its own code and the views already
    // keep texts.
    let chosen = RwSignal::new(String::new());
    // Empty without a number. A text rather than an `Option` of one: each stored type brings its
    // own code.
    let shown_number = StoredValue::new(number.as_deref().map(phone::display).unwrap_or_default());

    // The search and the link are Leptos actions, each with its own pending state and outcome.
    let searching_for = Ask::<Vec<Hit>>::new();
    let linking_to = Ask::<u64>::new();
    let (searching, linking) = (searching_for.pending(), linking_to.pending());
    let hits = move || searching_for.outcome().and_then(Result::ok);
    // The newer failure of the two, once nothing runs.
    let failure = move || {
        if searching.get() || linking.get() {
            return None;
        }
        linking_to.failure().or_else(|| searching_for.failure())
    };
    let search = move || {
        let words = query.get_untracked();
        if searching.get_untracked() || crate::text::trim(&words).chars().count() < 2 {
            return;
        }
        chosen.set(String::new());
        // A new search leaves an earlier link's failure behind.
        linking_to.forget();
        searching_for.run(move || Backend::request(backend, t, |b| (b.search)(words.clone())));
    };
    let link = move |entity: EntityRef, add_number: bool| {
        linking_to.run(move || Backend::request(backend, t, |b| (b.write)(Write::Client(ClientChoice::Existing { entity, add_number }))));
    };
    let has_number = shown_number.with_value(|n| !n.is_empty());

    view! {
        <div class="link-existing">
            <button {at("type", "button")} class="link-button" data-testid="link-existing" {at("aria-expanded", move || truth(open.get()))}
                on:click=move |_| open.update(|o| *o = !*o)>{t.link_existing}</button>
            {move || or_nothing(open.get().then(|| view! {
                <p class="muted">{t.link_hint}</p>
                <form class="link-search" {at("role", "search")} on:submit=move |ev| { ev.prevent_default(); search(); }>
                    <label class="field">
                        {t.link_search_label}
                        <input {at("autocomplete", "off")} {at("type", "search")} data-testid="link-search" use:focus=true
                            use:value=text_of(move || query.get()) on:input=move |ev| query.set(event_target_value(&ev))/>
                    </label>
                    <button {at("type", "submit")} data-testid="link-search-submit" {at("disabled", move || flag(searching.get()))}>
                        {move || (if searching.get() { t.link_searching } else { t.link_search }).into_any()}
                    </button>
                </form>
                {move || or_nothing(hits().map(|found| if found.is_empty() {
                    view! { <p class="muted" data-testid="link-none" {at("role", "status")}>{t.link_none}</p> }.erase()
                } else {
                    view! {
                        <ul class="link-hits candidates" data-testid="link-results">
                            {found.iter().map(|hit| {
                                let entity = hit.entity;
                                let name = shown_name(t, &hit.name);
                                view! {
                                    <li class="candidate-row">
                                        <button {at("type", "button")} class="candidate" data-testid="link-hit"
                                            data-entity=entity.key()
                                            on:click=move |_| if has_number { chosen.set(entity.key()) } else { link(entity, false) }>
                                            <span class="client-kind">{kind_label(t, entity.kind)}</span>
                                            <span class="candidate-name">{name}</span>
                                            {or_nothing(hit.detail.clone().map(|d| view! { <span class="muted">{d}</span> }))}
                                        </button>
                                    </li>
                                }
                            }).map(Erase::erase).collect_view()}
                        </ul>
                    }.erase()
                }))}
                {move || or_nothing(chosen.with(|key| {
                    let found = hits()?;
                    let hit = found.iter().find(|hit| hit.entity.key() == *key)?;
                    Some((hit.entity, shown_name(t, &hit.name)))
                }).map(|(entity, name)| {
                    let question = t.link_question.fill("{number}", &shown_number.get_value()).fill("{name}", &name);
                    view! {
                        <div class="link-confirm" data-testid="link-confirm" {at("role", "group")} {at("aria-label", question.clone())}>
                            <p data-testid="link-question">{question.clone()}</p>
                            <div class="composer-actions">
                                <button {at("type", "button")} class="link-button" data-testid="link-open-only" {at("disabled", move || flag(linking.get()))}
                                    on:click=move |_| link(entity, false)>{t.link_open_only}</button>
                                <button {at("type", "button")} data-testid="link-add-number" {at("disabled", move || flag(linking.get()))}
                                    on:click=move |_| link(entity, true)>{t.link_add}</button>
                            </div>
                        </div>
                    }
                }))}
                {move || or_nothing(failure().map(|p| view! { <ActionError testid="link-error" headline=t.link_failed problem=p/> }))}
            }))}
        </div>
    }
}
