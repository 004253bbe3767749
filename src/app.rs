//! The call card's page (`index.html`): start-up and the agent's requests. Gathers the launch
//! data, connects the frame and REST, and drives the screen. An opening of the app's own page
//! that reaches it goes on to `app.html` ([`crate::page::open_app_page`]).
//!
//! Inside the portal both launch sources exist. The card is requested from the inlined data at
//! once while `getInitData` is in flight; the answer is shown only after the two sources agree.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use futures::future::{FutureExt, LocalBoxFuture};

use crate::{appearance, browser};
use crate::card_load::{self, Read};
use crate::crm::card::{self, Candidate, Caller};
use crate::crm::entity::{EntityKind, EntityRef};
use crate::crm::link;
use crate::crm::plan::Lookup;
use crate::frame::client::FrameClient;
use crate::frame::{Command, Event};
use crate::i18n::Lang;
use crate::launch::{CallCardOptions, CallState, Launch, LaunchError, LaunchFields, Placement};
use crate::rest::client::RestClient;
use crate::problem::Problem;
use crate::screen::Screen;
use crate::crm::new_client::NewClient;
use crate::live::AutoCloseHold;
use crate::page::{self, init_data, Inputs};
use crate::theme::Theme;
use crate::ui::{self, Backend, Handlers, Live};

/// What a launch shows first, the card it started, and (a card searched by number) the whole
/// card still on its way.
type Opened = (Screen, Option<CardSession>, Option<LocalBoxFuture<'static, Screen>>);

/// A launched call card: what later requests (a pick, a reload) need.
#[derive(Clone)]
struct CardSession {
    rest: RestClient,
    options: CallCardOptions,
    lookup: Lookup,
    /// The portal's window, inside a frame.
    frame: Option<FrameClient>,
}

/// Mounts the widget into the page.
pub fn start() {
    leptos::mount::mount_to_body(|| {
        let (inputs, basics) = page::start();
        let page::Basics { lang, theme, live } = basics;
        let screen = RwSignal::new(Screen::Loading);
        let session = StoredValue::new_local(None::<CardSession>);
        let frame = inputs.frame.clone();
        let kept = StoredValue::new_local(inputs);
        // Each load of a card gets a generation: an answer for an older one is dropped, and its
        // request aborted, when the card has moved on (the next client of a call list).
        let generation = StoredValue::new(0u64);
        let aborter = StoredValue::new_local(None::<web_sys::AbortController>);
        let begin = move || {
            generation.update_value(|g| *g += 1);
            // Whatever was loading is dropped: only the newest load says it is under way.
            live.loading_next.set(false);
            live.context_pending.set(false);
            if let Some(old) = aborter.get_value() {
                old.abort();
            }
            let controller = web_sys::AbortController::new().ok();
            aborter.set_value(controller.clone());
            (generation.get_value(), controller)
        };
        let boot = move || {
            screen.set(Screen::Loading);
            let inputs = kept.get_value();
            let (gen, _) = begin();
            spawn_local(async move {
                let (next, launched, rest) = load(inputs, lang, theme).await;
                if generation.get_value() != gen {
                    return;
                }
                if let Some(s) = launched {
                    s.rest.on_retrying(move |waiting| live.retrying.set(waiting));
                    session.set_value(Some(s));
                }
                screen.set(next);
                let still_current = move || generation.get_value() == gen;
                // In turn: what the status brings replaces the card, which the context part
                // must not overwrite after.
                complete(rest, screen, live, still_current).await;
                fill_from_status(session, screen, live, still_current).await;
            });
        };
        boot();

        // The card on screen stays while the next one loads, so nothing blanks or jumps.
        let show = move |entity: EntityRef, others: Vec<Candidate>| {
            let Some(s) = session.get_value() else { return };
            let (gen, controller) = begin();
            live.loading_next.set(true);
            spawn_local(async move {
                let next = record(&s, entity, others, lang, controller.map(|c| c.signal()).as_ref()).await;
                if generation.get_value() == gen {
                    screen.set(next);
                    live.loading_next.set(false);
                }
            });
        };

        // The next client (a call list) or a record the portal bound to the call: a new card.
        // The previous client's draft stays in its own slot.
        let switch_client = move |data: Value| {
            let Some(mut s) = session.get_value() else { return };
            let fields = LaunchFields { placement_options: Some(data), ..LaunchFields::default() };
            let Ok(changed) = CallCardOptions::parse(fields.placement_options.as_ref()) else { return };
            if changed.phone_number.is_some() {
                s.options.phone_number = changed.phone_number;
            }
            s.options.entity = changed.entity;
            s.lookup = Lookup::for_call(&s.options);
            session.set_value(Some(s.clone()));
            live.notice.set(None);
            screen.set(Screen::Loading);
            let (gen, controller) = begin();
            spawn_local(async move {
                let loaded = card_load::load(&s.rest, &s.lookup, controller.map(|c| c.signal())).await;
                let (first, rest) = screens(loaded, s.options.clone(), lang);
                let still_current = move || generation.get_value() == gen;
                if still_current() {
                    screen.set(first);
                    complete(rest, screen, live, still_current).await;
                }
            });
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
        renew_when_visible(session);

        Backend {
            add_comment: std::rc::Rc::new(move |(target, text): (EntityRef, String)| {
                let s = session.get_value();
                Box::pin(async move {
                    let t = lang.get_untracked().texts();
                    let Some(s) = s else { return Err(Problem::launch(t, &LaunchError::NoLaunchData)) };
                    let fields = json!({ "fields": { "ENTITY_ID": target.id, "ENTITY_TYPE": target.kind.method_name(), "COMMENT": text } });
                    let saved = s.rest.call("crm.timeline.comment.add", &fields).await.map_err(|e| Problem::rest_for(t, &e, "crm.timeline.comment.add"))?;
                    Ok(crate::portal::id(Some(&saved.result)).unwrap_or(0))
                })
            }),
            create: std::rc::Rc::new(move |(kind, form): (EntityKind, NewClient)| {
                let s = session.get_value();
                Box::pin(async move {
                    let t = lang.get_untracked().texts();
                    let Some(s) = s else { return Err(Problem::launch(t, &LaunchError::NoLaunchData)) };
                    let method = format!("crm.{}.add", kind.method_name());
                    let added = s.rest.call(&method, &json!({ "fields": form.fields(kind) })).await.map_err(|e| Problem::rest_for(t, &e, &method))?;
                    let id = crate::portal::id(Some(&added.result)).ok_or_else(|| Problem::card(t, &card::CardError::Shape("no id for the new record".into())))?;
                    live.notice.set(Some(if kind == EntityKind::Lead { t.lead_created } else { t.contact_created }));
                    live.focus_heading.set(true);
                    show(EntityRef { kind, id }, Vec::new());
                    Ok(())
                })
            }),
            search: std::rc::Rc::new(move |query: String| {
                let s = session.get_value();
                Box::pin(async move {
                    let t = lang.get_untracked().texts();
                    let Some(s) = s else { return Err(Problem::launch(t, &LaunchError::NoLaunchData)) };
                    let Some(batch) = link::search_batch(&query) else { return Ok(Vec::new()) };
                    let reply = s.rest.batch(&batch, None).await.map_err(|e| Problem::rest_for(t, &e, "crm"))?;
                    Ok(link::read_hits(&query, &reply))
                })
            }),
            link: std::rc::Rc::new(move |(entity, add_number): (EntityRef, bool)| {
                let s = session.get_value();
                Box::pin(async move {
                    let t = lang.get_untracked().texts();
                    let Some(s) = s else { return Err(Problem::launch(t, &LaunchError::NoLaunchData)) };
                    let number = s.options.phone_number.clone().filter(|_| add_number);
                    if let Some(number) = number {
                        let (method, params) = link::add_phone(entity, &number);
                        s.rest.call(&method, &params).await.map_err(|e| Problem::rest_for(t, &e, &method))?;
                        live.notice.set(Some(t.number_added));
                    }
                    live.focus_heading.set(true);
                    show(entity, Vec::new());
                    Ok(())
                })
            }),
            hold: AutoCloseHold::new(frame.clone()),
        }
        .provide();
        let handlers = Handlers {
            retry: Callback::new(move |_| boot()),
            pick: Callback::new(move |entity: EntityRef| {
                let others = match screen.get_untracked() {
                    Screen::Card { caller: Caller::Several(list), .. } => list,
                    Screen::Card { others, .. } => others,
                    _ => Vec::new(),
                };
                if let Some(s) = session.get_value() {
                    remember_pick(&s.options, Some(entity));
                }
                live.focus_heading.set(true);
                show(entity, others);
            }),
            back: Callback::new(move |_| {
                if let Screen::Card { call, others, .. } = screen.get_untracked() {
                    remember_pick(&call, None);
                    live.focus_heading.set(true);
                    screen.set(Screen::Card { call, caller: Caller::Several(others), others: Vec::new() });
                }
            }),
            reload: Callback::new(move |entity: EntityRef| {
                let others = match screen.get_untracked() {
                    Screen::Card { others, .. } => others,
                    _ => Vec::new(),
                };
                show(entity, others);
            }),
        };
        view! { <ui::Root screen=screen handlers=handlers/> }
    });
}

async fn load(inputs: Inputs, lang: RwSignal<Lang>, theme: RwSignal<Theme>) -> Opened {
    let t = lang.get_untracked().texts();
    let seed = match inputs.seed.transpose() {
        Ok(seed) => seed,
        Err(e) => return (Screen::Failed(Problem::launch(t, &e)), None, None),
    };
    let failed = |e: LaunchError| (Screen::Failed(Problem::launch(t, &e)), None, None);
    let in_frame = inputs.frame.as_ref().zip(inputs.frame_name.as_ref());
    match (seed, in_frame) {
        (None, None) => failed(LaunchError::NoLaunchData),
        // Outside a frame (a direct POST): the inlined data alone.
        (Some(seed), None) => match Launch::resolve(&seed, None, None) {
            Ok(launch) => show(&launch, lang, None).await,
            Err(e) => failed(e),
        },
        // Opened by GET inside the portal: the frame is the only source.
        (None, Some((frame, name))) => match init_data(frame).await {
            Ok(init) => match Launch::resolve(&init, Some(name), None) {
                Ok(launch) => {
                    lang.set(Lang::from_code(&launch.lang));
                    appearance::adopt(theme, launch.theme);
                    show(&launch, lang, Some(frame.clone())).await
                }
                Err(e) => failed(e),
            },
            Err(e) => failed(e),
        },
        // Both: start the card at once, and show it only if the portal confirms the launch.
        (Some(seed), Some((frame, name))) => {
            let launch = match Launch::resolve(&seed, Some(name), None) {
                Ok(launch) => launch,
                Err(e) => return failed(e),
            };
            if launch.placement == Placement::AppPage {
                // Its own page reads the launch from the frame itself.
                page::open_app_page();
                return (Screen::Loading, None, None);
            }
            let (init, shown) = futures::join!(init_data(frame), show(&launch, lang, Some(frame.clone())));
            match init {
                Ok(init) => match Launch::resolve(&seed, Some(name), Some(&init)) {
                    Ok(confirmed) => {
                        appearance::adopt(theme, confirmed.theme);
                        shown
                    }
                    Err(e) => failed(e),
                },
                // A silent portal leaves the posted data unconfirmed but valid: its token
                // worked for the card. Frame features (resizing) just stay unavailable.
                Err(_) => shown,
            }
        }
    }
}

async fn show(launch: &Launch, lang: RwSignal<Lang>, frame: Option<FrameClient>) -> Opened {
    let options = match &launch.placement {
        Placement::Other(code) => return (Screen::NotSupported { placement: code.clone() }, None, None),
        Placement::AppPage => {
            page::open_app_page();
            return (Screen::Loading, None, None);
        }
        Placement::CallCard(options) => options.clone(),
    };
    let session = CardSession {
        rest: RestClient::new(launch.portal.clone(), launch.access_token.clone(), launch.expires_in, frame.clone()),
        lookup: Lookup::for_call(&options),
        options,
        frame,
    };
    let loaded = card_load::load(&session.rest, &session.lookup, None).await;
    let remembered = match &loaded.first {
        Ok(Caller::Several(candidates)) => recall_pick(&session.options, candidates),
        _ => None,
    };
    if let Some(entity) = remembered {
        // The agent already picked during this call (before a reload): straight to it, and the
        // ranked list (for "back to the matches") from the context part meanwhile.
        let candidates = match loaded.first {
            Ok(Caller::Several(list)) => list,
            _ => Vec::new(),
        };
        let ranked = async {
            match loaded.rest {
                Some(rest) => match rest.await {
                    Ok(Caller::Several(list)) => list,
                    _ => candidates,
                },
                None => candidates,
            }
        };
        let (ranked, picked) = futures::join!(ranked, record(&session, entity, Vec::new(), lang, None));
        let screen = match picked {
            Screen::Card { call, caller, .. } => Screen::Card { call, caller, others: ranked },
            other => other,
        };
        return (screen, Some(session), None);
    }
    let (first, rest) = screens(loaded, session.options.clone(), lang);
    (first, Some(session), rest)
}

/// A card's first screen and, when its context part is on its way, the whole card's.
fn screens(loaded: card_load::CardLoad, call: CallCardOptions, lang: RwSignal<Lang>) -> (Screen, Option<LocalBoxFuture<'static, Screen>>) {
    let screen = move |read: Read, call: CallCardOptions| match read {
        Ok(caller) => Screen::Card { call, caller, others: Vec::new() },
        Err(problem) => Screen::Failed(problem(lang.get_untracked().texts())),
    };
    let rest = loaded.rest.map(|rest| {
        let call = call.clone();
        async move { screen(rest.await, call) }.boxed_local()
    });
    (screen(loaded.first, call), rest)
}

/// Shows the first screen's caller at once (`callcard-name`), then the whole card when its
/// context part comes, unless the card has moved on (`callcard-ready` either way).
async fn complete(rest: Option<LocalBoxFuture<'static, Screen>>, screen: RwSignal<Screen>, live: Live, still_current: impl Fn() -> bool) {
    browser::mark("callcard-name");
    if let Some(rest) = rest {
        live.context_pending.set(true);
        let full = rest.await;
        if !still_current() {
            return;
        }
        live.context_pending.set(false);
        screen.set(full);
    }
    browser::mark("callcard-ready");
}

/// `getStatus` fills what the launch fields lacked (a number, a bound record) and tells the
/// call's state; a card missing either is loaded again with them.
/// `still_current` says whether the card is still the one this load began: a pick, a retry or
/// the next client since then wins over what the status brings.
async fn fill_from_status(
    session: StoredValue<Option<CardSession>, LocalStorage>,
    screen: RwSignal<Screen>,
    live: Live,
    still_current: impl Fn() -> bool,
) {
    let Some(s) = session.get_value() else { return };
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
    if !learned || !still_current() {
        return;
    }
    let s = CardSession { lookup: Lookup::for_call(&options), options, ..s };
    session.set_value(Some(s.clone()));
    if let Ok(caller) = card_load::whole(&s.rest, &s.lookup, None).await {
        if still_current() {
            screen.set(Screen::Card { call: s.options.clone(), caller, others: Vec::new() });
        }
    }
}

/// A tab left in the background may come back after its token expired: renew it first.
fn renew_when_visible(session: StoredValue<Option<CardSession>, LocalStorage>) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let watched = document.clone();
    let on_change = Closure::<dyn FnMut()>::new(move || {
        if watched.visibility_state() == web_sys::VisibilityState::Visible {
            if let Some(s) = session.get_value() {
                spawn_local(async move { s.rest.renew_if_due().await });
            }
        }
    });
    let _ = document.add_event_listener_with_callback("visibilitychange", on_change.as_ref().unchecked_ref());
    // Listens for the page's life.
    on_change.forget();
}

/// The card of one record (picked among several, created, or reloaded): one more batch.
/// The language is handed in: this runs in a task, where no context reaches.
async fn record(
    session: &CardSession,
    entity: EntityRef,
    others: Vec<Candidate>,
    lang: RwSignal<Lang>,
    abort: Option<&web_sys::AbortSignal>,
) -> Screen {
    match card_load::whole(&session.rest, &session.lookup.picked(entity), abort).await {
        Ok(caller) => Screen::Card { call: session.options.clone(), caller, others },
        Err(problem) => Screen::Failed(problem(lang.get_untracked().texts())),
    }
}

/// The agent's pick among several matches, kept for this call across reloads of the tab.
/// Session storage can throw in a third-party frame; then the pick lasts as long as the page.
fn pick_key(options: &CallCardOptions) -> Option<String> {
    options.call_id.as_ref().map(|id| format!("callcard.pick.{id}"))
}

fn remember_pick(options: &CallCardOptions, entity: Option<EntityRef>) {
    let (Some(key), Some(storage)) = (pick_key(options), session_storage()) else { return };
    let _ = match entity {
        Some(e) => storage.set_item(&key, &format!("{}:{}", e.kind.symbol(), e.id)),
        None => storage.remove_item(&key),
    };
}

fn recall_pick(options: &CallCardOptions, candidates: &[Candidate]) -> Option<EntityRef> {
    let saved = session_storage()?.get_item(&pick_key(options)?).ok()??;
    let (kind, id) = saved.split_once(':')?;
    let entity = EntityRef { kind: EntityKind::from_symbol(Some(kind))?, id: id.parse().ok()? };
    candidates.iter().any(|c| c.entity == entity).then_some(entity)
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}
