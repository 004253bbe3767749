//! The call card's page (`index.html`): start-up and the agent's requests. Gathers the launch
//! data, connects the frame and REST, and drives the screen. An opening of the app's own page
//! that reaches it goes on to `app.html` ([`crate::page::open_app_page`]).
//!
//! Inside the portal both launch sources exist. The card is requested from the inlined data at
//! once while `getInitData` is in flight; the answer is shown only after the two sources agree.

use leptos::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use leptos::task::spawn_local;
use crate::effect;
use crate::json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser;
use crate::card_load::{Asked, CardReads, CardSession};
use crate::card_writes;
use crate::crm::card::{Candidate, Caller, Candidates};
use crate::crm::entity::EntityRef;
use crate::crm::plan::Lookup;
use crate::frame::client::FrameClient;
use crate::frame::{Command, Event};
use crate::i18n::{tables, Lang};
use crate::launch::{CallCardOptions, CallState, Launch, LaunchError, LaunchFields, Placement};
use crate::page::{self, init_data, Inputs};
use crate::problem::Problem;
use crate::rest::client::RestClient;
use crate::screen::Screen;
use crate::appearance;
use crate::ui::{self, AgentRequest, Handlers, Live};

/// Mounts the widget into the page.
pub fn start() {
    leptos::mount::mount_to_body(|| {
        let (inputs, live) = page::start(|lang| lang.texts().page_title);
        let lang = live.lang;
        // What the launch shows instead of the card: loading, or why there is no card.
        let launched = RwSignal::new(Some(Screen::Loading));
        let reads = CardReads::new(lang);
        let shown = CurrentScreen { launched, reads };
        follow_the_card(reads, launched, live);
        let frame = inputs.frame.clone();
        let kept = StoredValue::new_local(inputs);
        let boot = move || {
            reads.clear();
            launched.set(Some(Screen::Loading));
            let inputs = kept.get_value();
            let start = move |session: CardSession| {
                session.rest.on_retrying(move |waiting| live.retrying.set(waiting));
                let lookup = Lookup::for_call(&session.options);
                let first = reads.ask(session, lookup, Asked::Card { split: true }, Candidates::default(), true);
                STATUS_FOR.store(first, Ordering::Relaxed);
            };
            spawn_local(async move {
                match load(inputs, lang, start).await {
                    Ok(()) => launched.set(None),
                    Err(screen) => {
                        reads.clear();
                        launched.set(Some(*screen));
                    }
                }
            });
        };
        boot();

        // The next client (a call list) or a record the portal bound to the call: a new card.
        // The previous client's draft stays in its own slot.
        let switch_client = move |data: Value| {
            let Some(mut session) = reads.with_want(|w| w.map(|w| w.session.clone())) else { return };
            let fields = LaunchFields { placement_options: Some(data), ..LaunchFields::default() };
            let Ok(changed) = CallCardOptions::parse(fields.placement_options.as_ref()) else { return };
            if changed.phone_number.is_some() {
                session.options.phone_number = changed.phone_number;
            }
            session.options.entity = changed.entity;
            live.notice.set(String::new());
            let lookup = Lookup::for_call(&session.options);
            reads.ask(session, lookup, Asked::Card { split: true }, Candidates::default(), false);
        };
        if let Some(frame) = &frame {
            let _ = frame.subscribe(Event::CallStateChanged, move |state| {
                if let Some(state) = CallState::parse(Some(&state)) {
                    live.state.set(Some(state));
                }
            });
            let _ = frame.subscribe(Event::EntityChanged, switch_client);
            // Drafts are kept at every keystroke, so a closing card loses nothing; nothing to do.
            let _ = frame.subscribe(Event::BeforeClose, |_| {});
        }
        renew_when_visible(reads);
        let handlers = Handlers(Callback::new(move |request: AgentRequest| match request {
            AgentRequest::Retry => boot(),
            AgentRequest::Pick(entity) => {
                let others = untrack(|| {
                    shown.with(|s| match s {
                        Screen::Card { caller: Caller::Several(list), .. } => list.clone(),
                        Screen::Card { others, .. } => others.clone(),
                        _ => Candidates::default(),
                    })
                });
                reads.with_want(|w| w.map(|w| remember_pick(&w.session.options, Some(entity))));
                live.focus_heading.set(true);
                reads.show_record(entity, others);
            }
            // The matches are known: back to them without asking again.
            AgentRequest::Back => {
                let Some(others) = untrack(|| shown.with(|s| match s {
                    Screen::Card { others, .. } => Some(others.clone()),
                    _ => None,
                })) else {
                    return;
                };
                let Some((session, lookup)) = reads.with_want(|w| w.map(|w| (w.session.clone(), w.lookup.clone()))) else { return };
                remember_pick(&session.options, None);
                live.focus_heading.set(true);
                reads.ask(session, lookup, Asked::Choice(others), Candidates::default(), false);
            }
            AgentRequest::Reload(entity) => {
                let others = untrack(|| shown.with(|s| match s {
                    Screen::Card { others, .. } => others.clone(),
                    _ => Candidates::default(),
                }));
                reads.show_record(entity, others);
            }
        }));
        card_writes::backend(reads, live, frame, handlers).provide();
        view! { <ui::Root screen=move || shown.with(Screen::card_copy) data_state=move || shown.data_state() loading_next=move || shown.loading_next() handlers=handlers/> }
    });
}

/// The screen: what the launch shows, or the card the reads make. Read where it is, tracked:
/// what only looks at it copies nothing.
#[derive(Clone, Copy)]
struct CurrentScreen {
    launched: RwSignal<Option<Screen>>,
    reads: CardReads,
}

impl CurrentScreen {
    /// The next card is loading while the one on screen stays, so nothing blanks or jumps.
    fn loading_next(self) -> bool {
        self.reads.waiting() && self.with(|s| matches!(s, Screen::Card { .. }))
    }

    /// The root's `data-state`: loading too while the next card loads, and while the first
    /// card's context part (deals, activities, comments) is on its way: the card is not settled
    /// though the caller is on screen.
    fn data_state(self) -> &'static str {
        let context_pending = self.reads.card.with(|c| c.as_ref().is_some_and(|c| !c.complete));
        if self.loading_next() || context_pending {
            "loading"
        } else {
            self.with(Screen::data_state)
        }
    }

    fn with<R>(self, f: impl FnOnce(&Screen) -> R) -> R {
        self.launched.with(|launched| match launched {
            Some(screen) => f(screen),
            None => self.reads.card.with(|card| match card {
                Some(card) => f(&card.screen),
                None => f(&Screen::Loading),
            }),
        })
    }
}

/// The number of the launch's want (wants are numbered from 1), whose card, once complete, asks
/// `getStatus`; 0 once asked, or when the card moved on before. A plain number, not reactive
/// state: the effect that reads it runs at every change of the card anyway (a signal of its type
/// would bring that type's code into the module).
static STATUS_FOR: AtomicU64 = AtomicU64::new(0);

/// What follows a card's arrival (one effect, as each step reads the same card):
/// - the benchmark's marks: the caller on screen (`callcard-name`), the whole card
///   (`callcard-ready`), each once per page, when the launch let the card show;
/// - a tab reloaded during a call goes straight to the record the agent picked among several,
///   with the matches to go back to;
/// - once the launch's card ([`STATUS_FOR`]) is complete, `getStatus` fills what the launch
///   fields lacked; forgotten when the card moved on before.
fn follow_the_card(reads: CardReads, launched: RwSignal<Option<Screen>>, live: Live) {
    effect::watch(move || {
        let Some((seq, complete, several)) = reads.card.with(|c| {
            c.as_ref().map(|c| match &c.screen {
                Screen::Card { caller: Caller::Several(list), .. } => (c.seq(), c.complete, Some(list.clone())),
                _ => (c.seq(), c.complete, None),
            })
        }) else {
            return;
        };
        if launched.with(Option::is_none) {
            browser::mark("callcard-name");
            if complete {
                browser::mark("callcard-ready");
            }
        }
        let current = reads.with_want(|w| w.map(|w| w.seq()));
        if let Some(candidates) = several.filter(|_| current == Some(seq)) {
            let recalled = reads.with_want(|w| w.filter(|w| w.recall).and_then(|w| recall_pick(&w.session.options, &candidates)));
            if let Some(entity) = recalled {
                reads.show_record(entity, candidates);
                return;
            }
        }
        let first = STATUS_FOR.load(Ordering::Relaxed);
        if first != 0 {
            if current != Some(first) {
                STATUS_FOR.store(0, Ordering::Relaxed);
            } else if complete && seq == first {
                STATUS_FOR.store(0, Ordering::Relaxed);
                spawn_local(fill_from_status(reads, first, live));
            }
        }
    });
}

/// Reads the launch and starts its card (`start`) as soon as it can: inside the portal with
/// posted data, while `getInitData` is still in flight. `Ok` once the card may show, which is
/// once the page speaks the launch's language; a launch that fails says so in the language the
/// portal posted. Either language's texts may still have to come (a page without them inlined).
async fn load(inputs: Inputs, lang: RwSignal<Lang>, start: impl Fn(CardSession)) -> Result<(), Box<Screen>> {
    let posted = page::posted_lang(&inputs);
    // One wait for the texts and one failure path, so that each is compiled once.
    let (launched, speaks) = match launch(inputs, lang, start).await {
        Ok((shown, speaks)) => (Ok(shown), speaks),
        Err(e) => (Err(e), Some(posted)),
    };
    if let Some(speaks) = speaks {
        tables::speak(lang, speaks).await;
    }
    match launched {
        Ok(shown) => shown,
        Err(e) => Err(Box::new(Screen::Failed(Problem::launch(lang.get_untracked().texts(), &e)))),
    }
}

/// The launch read from its sources, and its card started: whether the card may show, and the
/// language the page is to speak (`None`: asked for already, while the portal confirmed).
async fn launch(inputs: Inputs, lang: RwSignal<Lang>, start: impl Fn(CardSession)) -> Result<(Result<(), Box<Screen>>, Option<Lang>), LaunchError> {
    let seed = inputs.seed.transpose()?;
    let in_frame = inputs.frame.as_ref().zip(inputs.frame_name.as_ref());
    match (seed, in_frame) {
        (None, None) => Err(LaunchError::NoLaunchData),
        // Outside a frame (a direct POST): the inlined data alone.
        (Some(seed), None) => {
            let launch = Launch::resolve(&seed, None, None)?;
            Ok((session(&launch, None).map(start), Some(Lang::from_code(&launch.lang))))
        }
        // Opened by GET inside the portal: the frame is the only source.
        (None, Some((frame, name))) => {
            let launch = Launch::resolve(&init_data(frame).await?, Some(name), None)?;
            appearance::show_told(launch.theme);
            // The card's requests leave first; the card shows once the language's texts are
            // here too (a small file, which usually comes first).
            Ok((session(&launch, Some(frame.clone())).map(start), Some(Lang::from_code(&launch.lang))))
        }
        // Both: start the card at once, and show it only if the portal confirms the launch.
        (Some(seed), Some((frame, name))) => {
            let launch = Launch::resolve(&seed, Some(name), None)?;
            let speaks = Lang::from_code(&launch.lang);
            if launch.placement == Placement::AppPage {
                // Its own page reads the launch from the frame itself.
                page::open_app_page();
                return Ok((Err(Box::new(Screen::Loading)), None));
            }
            // The card's requests leave at once; the card shows once the portal confirmed.
            let shown = session(&launch, Some(frame.clone())).map(start);
            // Inlined with the launch by the handler, the texts are here already; else they are
            // fetched while the portal confirms.
            let (_, init) = futures::future::join(tables::speak(lang, speaks), init_data(frame)).await;
            // A silent portal leaves the posted data unconfirmed but valid: its token worked for
            // the card. Frame features (resizing) just stay unavailable.
            if let Ok(init) = init {
                let confirmed = Launch::resolve(&seed, Some(name), Some(&init))?;
                appearance::show_told(confirmed.theme);
            }
            Ok((shown, None))
        }
    }
}

/// The card's session for a launch, or the screen that says why there is none.
fn session(launch: &Launch, frame: Option<FrameClient>) -> Result<CardSession, Box<Screen>> {
    let options = match &launch.placement {
        Placement::Other(code) => return Err(Box::new(Screen::NotSupported { placement: code.clone() })),
        Placement::AppPage => {
            page::open_app_page();
            return Err(Box::new(Screen::Loading));
        }
        Placement::CallCard(options) => options.clone(),
    };
    Ok(CardSession {
        rest: RestClient::new(launch.portal.clone(), launch.access_token.clone(), launch.expires_in, frame.clone()),
        options,
        frame,
    })
}

/// `getStatus` fills what the launch fields lacked (a number, a bound record) and tells the
/// call's state; a card missing either is asked again with them, unless the agent moved on
/// since the card `first` (a pick, a retry, the next client wins over what the status brings).
async fn fill_from_status(reads: CardReads, first: u64, live: Live) {
    let Some(s) = reads.with_want(|w| w.map(|w| w.session.clone())) else { return };
    let Some(frame) = s.frame.clone() else { return };
    let Ok(status) = frame.call(Command::GetStatus, &Value::Null).await else { return };
    if let Some(state) = CallState::parse(status.get("CALL_STATE")) {
        if live.state.get_untracked().is_none() {
            live.state.set(Some(state));
        }
    }
    let Ok(typed) = CallCardOptions::parse(Some(&status)) else { return };
    let mut options = s.options.clone();
    let mut learned = false;
    if options.phone_number.is_none() && typed.phone_number.is_some() {
        options.phone_number = typed.phone_number;
        learned = true;
    }
    if options.entity.is_none() && typed.entity.is_some() {
        options.entity = typed.entity;
        learned = true;
    }
    let still_first = reads.with_want(|w| w.is_some_and(|w| w.seq() == first));
    if learned && still_first {
        let lookup = Lookup::for_call(&options);
        reads.ask(CardSession { options, ..s }, lookup, Asked::Card { split: false }, Candidates::default(), false);
    }
}

/// A tab left in the background may come back after its token expired: renew it first.
fn renew_when_visible(reads: CardReads) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let watched = document.clone();
    let on_change = Closure::<dyn FnMut()>::new(move || {
        if watched.visibility_state() == web_sys::VisibilityState::Visible {
            if let Some(rest) = reads.with_want(|w| w.map(|w| w.session.rest.clone())) {
                spawn_local(async move { rest.renew_if_due().await });
            }
        }
    });
    let _ = document.add_event_listener_with_callback("visibilitychange", on_change.as_ref().unchecked_ref());
    // Listens for the page's life.
    on_change.forget();
}

/// The agent's pick among several matches, kept for this call across reloads of the tab.
/// Session storage can throw in a third-party frame; then the pick lasts as long as the page.
fn pick_key(options: &CallCardOptions) -> Option<String> {
    options.call_id.as_ref().map(|id| ["callcard.pick.", id].concat())
}

fn remember_pick(options: &CallCardOptions, entity: Option<EntityRef>) {
    let (Some(key), Some(storage)) = (pick_key(options), session_storage()) else { return };
    let _ = match entity {
        Some(e) => storage.set_item(&key, &e.key()),
        None => storage.remove_item(&key),
    };
}

fn recall_pick(options: &CallCardOptions, candidates: &[Candidate]) -> Option<EntityRef> {
    let saved = session_storage()?.get_item(&pick_key(options)?).ok()??;
    let entity = EntityRef::from_key(&saved)?;
    candidates.iter().any(|c| c.entity == entity).then_some(entity)
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}
