//! Writing on the timeline: the comment box under the card. What the agent types is kept as a
//! draft at every keystroke; a save runs once however often it is clicked; a failed save keeps
//! the text and says why; while anything is unsaved the card asks the portal to stay open.

use leptos::prelude::*;

use super::ask::Ask;
use super::status::ActionError;
use super::{at, flag, or_nothing, text_of, texts, value, Addition, Backend, Write};
use crate::effect;
use crate::crm::card::CommentLine;
use crate::crm::entity::{EntityKind, EntityRef};
use crate::drafts::{self, Draft, Drafts};

#[component]
pub fn Composer(
    entity: EntityRef,
    call_id: Option<String>,
    /// The call's deal, which the agent may comment on instead: `(id, title)`.
    deal: Option<(u64, String)>,
    /// The comments saved here, newest first: a saved one goes to the top. The list itself
    /// rather than a callback, which would be one more stored type in the module.
    saved: RwSignal<Vec<CommentLine>>,
) -> impl IntoView {
    let t = texts();
    let backend = Backend::context();
    let draft = Draft::Comment(entity);
    let kept_at = StoredValue::new(Drafts::for_call(call_id.as_deref()).key(draft));
    // What the box holds. A key stores it without telling anyone: the box already shows it, and
    // setting the box's property again from a tracked copy would copy the text at every key,
    // in a card whose memory is only given back when its tab closes (`crate::heap`). Only
    // emptying it after a save is told, so that the box empties too. What the view follows
    // is whether there is anything to save.
    let text = RwSignal::new(kept_at.with_value(|key| drafts::read(key)));
    let blank = RwSignal::new(text.with_untracked(|t| crate::text::is_blank(t)));
    // Whether the comment goes on the call's deal rather than the client: a flag rather than
    // the record, since each signal type brings its own code.
    let on_deal = RwSignal::new(false);
    let deal_ref = deal.as_ref().map(|(id, _)| EntityRef { kind: EntityKind::Deal, id: *id });
    let hold = move |needed: bool| {
        if let Some(b) = backend {
            b.with_value(|b| b.hold.set(draft, needed));
        }
    };
    hold(!blank.get_untracked());

    // The save is a Leptos action: its own pending state and outcome (the new comment's id).
    // The text it sends is kept beside it, for the comment shown once it is saved: a second
    // output type of an action would bring its own code.
    let saving = Ask::<u64>::new();
    let sent = StoredValue::new(String::new());
    let pending = saving.pending();
    // What the last save came to: a saved comment goes to the top and the box empties; a failure
    // keeps the text and says why (until the next try).
    effect::watch(move || {
        if let Some(Ok(id)) = saving.outcome() {
            let date = crate::crm::follow_up::iso_utc((crate::browser::now_ms() / 1000.0) as i64);
            saved.update(|list| list.insert(0, CommentLine { id: *id, text: sent.get_value(), date, author: None }));
            text.set(String::new());
            blank.set(true);
            drafts::write(kept_at.get_value(), "");
            hold(false);
        }
    });
    let failure = move || saving.failure();
    let save = move || {
        let target = deal_ref.filter(|_| on_deal.get_untracked()).unwrap_or(entity);
        let body = text.with_untracked(|t| crate::text::trim(t).to_string());
        if !body.is_empty() {
            saving.run(move || {
                // Run only when no save is under way: the text kept is this save's.
                sent.set_value(body.clone());
                Backend::request(backend, t, |b| (b.write)(Write::Add(target, Addition::Comment(body.clone()))))
            });
        }
    };

    view! {
        <form class="composer" data-testid="composer" on:submit=move |ev| { ev.prevent_default(); save(); }>
            {or_nothing(deal.map(|(_, title)| {
                view! {
                    <label class="muted">{t.comment_on}" "
                        <select data-testid="comment-target" on:input=move |ev| {
                            on_deal.set(event_target_value(&ev) == "deal");
                        }>
                            <option {at("value", "client")} {at("selected", "")}>{super::card::kind_label(t, entity.kind)}</option>
                            <option {at("value", "deal")}>{[t.deal, ": ", &title].concat()}</option>
                        </select>
                    </label>
                }
            }))}
            <textarea data-testid="comment-text" {at("rows", "2")} {at("placeholder", t.comment_placeholder)} {at("aria-label", t.comment_label)}
                use:value=text_of(move || text.get())
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    drafts::write(kept_at.get_value(), &value);
                    let now_blank = crate::text::is_blank(&value);
                    if now_blank != blank.get_untracked() {
                        hold(!now_blank);
                        blank.set(now_blank);
                    }
                    text.update_untracked(move |t| *t = value);
                }
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                        ev.prevent_default();
                        save();
                    }
                }
            ></textarea>
            <div class="composer-actions">
                <button {at("type", "submit")} data-testid="comment-save"
                    {at("disabled", move || flag(pending.get() || blank.get()))}>
                    {move || (if pending.get() { t.comment_saving } else { t.comment_save }).into_any()}
                </button>
            </div>
            {move || or_nothing(failure().map(|p| view! { <ActionError testid="comment-error" headline=t.comment_failed problem=p/> }))}
        </form>
    }
}

