//! Start-up: gathers the launch data, connects the frame and REST, and drives the screen.
//!
//! Inside the portal both launch sources exist. The card is requested from the inlined data at
//! once while `getInitData` is in flight; the answer is shown only after the two sources agree.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::crm::card::{self, Caller};
use crate::crm::plan::Lookup;
use crate::frame::client::{FrameClient, FrameError};
use crate::launch::{CallCardOptions, FrameName, Launch, LaunchError, LaunchFields, Placement};
use crate::rest::client::RestClient;
use crate::screen::{Problem, Screen};
use crate::ui;

/// How long the portal gets to answer `getInitData`; it answers at once when it answers at all.
const INIT_TIMEOUT_MS: i32 = 5_000;

/// Mounts the widget into the page.
pub fn start() {
    leptos::mount::mount_to_body(|| {
        let screen = RwSignal::new(Screen::Loading);
        let frame = boot(screen);
        let retry = Callback::new(move |_| {
            screen.set(Screen::Loading);
            boot(screen);
        });
        if let Some(frame) = frame {
            fit_frame_to_content(frame);
        }
        view! { <ui::Root screen=screen retry=retry/> }
    });
}

/// Starts loading; returns the frame connection when the page runs inside a portal.
fn boot(screen: RwSignal<Screen>) -> Option<FrameClient> {
    let frame_name = web_sys::window()
        .and_then(|w| w.name().ok())
        .and_then(|name| FrameName::parse(&name));
    let frame = frame_name.as_ref().and_then(FrameClient::connect);
    let inlined = read_inlined();
    let task_frame = frame.clone();
    spawn_local(async move {
        screen.set(load(inlined, frame_name, task_frame).await);
    });
    frame
}

/// The JSON the handler inlined, if the page was POSTed to.
fn read_inlined() -> Option<String> {
    web_sys::window()?
        .document()?
        .get_element_by_id("b24-launch")?
        .text_content()
}

async fn load(inlined: Option<String>, frame_name: Option<FrameName>, frame: Option<FrameClient>) -> Screen {
    let seed = match inlined.as_deref().map(LaunchFields::from_inlined).transpose() {
        Ok(seed) => seed,
        Err(e) => return Screen::Failed(Problem::launch(&e)),
    };
    let in_frame = frame.as_ref().zip(frame_name.as_ref());
    match (seed, in_frame) {
        (None, None) => Screen::Failed(Problem::launch(&LaunchError::NoLaunchData)),
        // Outside a frame (a direct POST, the handler's tests): the inlined data alone.
        (Some(seed), None) => match Launch::resolve(&seed, None, None) {
            Ok(launch) => show(&launch).await,
            Err(e) => Screen::Failed(Problem::launch(&e)),
        },
        // Opened by GET inside the portal: the frame is the only source.
        (None, Some((frame, name))) => match init_data(frame).await {
            Ok(init) => match Launch::resolve(&init, Some(name), None) {
                Ok(launch) => show(&launch).await,
                Err(e) => Screen::Failed(Problem::launch(&e)),
            },
            Err(e) => Screen::Failed(Problem::launch(&e)),
        },
        // Both: start the card at once, and show it only if the portal confirms the launch.
        (Some(seed), Some((frame, name))) => {
            let launch = match Launch::resolve(&seed, Some(name), None) {
                Ok(launch) => launch,
                Err(e) => return Screen::Failed(Problem::launch(&e)),
            };
            let (init, screen) = futures::join!(init_data(frame), show(&launch));
            match init {
                Ok(init) => match Launch::resolve(&seed, Some(name), Some(&init)) {
                    Ok(_) => screen,
                    Err(e) => Screen::Failed(Problem::launch(&e)),
                },
                // A silent portal leaves the posted data unconfirmed but valid: its token
                // worked for the card. Frame features (resizing) just stay unavailable.
                Err(_) => screen,
            }
        }
    }
}

async fn init_data(frame: &FrameClient) -> Result<LaunchFields, LaunchError> {
    match frame.call("getInitData", &Value::Null, INIT_TIMEOUT_MS).await {
        Ok(value) => LaunchFields::from_init_data(&value),
        Err(FrameError::Timeout { .. }) | Err(FrameError::Unavailable) => Err(LaunchError::FrameSilent),
        Err(FrameError::Unreadable { .. }) => Err(LaunchError::InvalidField {
            field: "getInitData reply",
            reason: "it is not JSON".into(),
        }),
    }
}

async fn show(launch: &Launch) -> Screen {
    match &launch.placement {
        Placement::Other(code) => Screen::NotSupported { placement: code.clone() },
        Placement::CallCard(options) => call_card(launch, options).await,
    }
}

/// One batch for the whole card.
async fn call_card(launch: &Launch, options: &CallCardOptions) -> Screen {
    let lookup = Lookup::for_call(options);
    let Some(batch) = lookup.batch() else {
        return Screen::Card { call: options.clone(), caller: Caller::NoNumber };
    };
    let rest = RestClient::new(launch.portal.clone(), launch.access_token.clone());
    match rest.batch(&batch).await {
        Ok(reply) => match card::read(&lookup, &reply) {
            Ok(caller) => Screen::Card { call: options.clone(), caller },
            Err(e) => Screen::Failed(Problem::card(&e)),
        },
        Err(e) => Screen::Failed(Problem::rest(&e)),
    }
}

/// Keeps the portal's iframe as tall as the content: the tab grows with the card.
fn fit_frame_to_content(frame: FrameClient) {
    let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) else { return };
    let last_height = Rc::new(std::cell::Cell::new(0));
    let measured = body.clone();
    let on_resize = Closure::<dyn FnMut()>::new(move || {
        let height = measured.scroll_height();
        if height > 0 && height != last_height.get() {
            last_height.set(height);
            let _ = frame.send("resizeWindow", &json!({ "width": "100%", "height": height }));
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        observer.observe(&body);
        // Observer and callback live as long as the page.
        std::mem::forget(observer);
        on_resize.forget();
    }
}
