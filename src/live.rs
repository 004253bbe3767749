//! The live call: keeping the card open while the agent has something unsaved, and the
//! portal's call events.

use crate::json::Value;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::frame::client::FrameClient;
use crate::drafts::Draft;
use crate::frame::Command;

/// How often the hold is renewed: `disableAutoClose` holds the card about 65 s.
const RENEW_MS: i32 = 50_000;

/// Asks the portal to keep the card open while any reason to (an unsaved draft, a save in
/// flight) is set, and gives it back when none is left.
#[derive(Clone)]
pub struct AutoCloseHold {
    frame: Option<FrameClient>,
    state: Rc<RefCell<HoldState>>,
}

#[derive(Default)]
struct HoldState {
    /// Each reason once; a handful at most, so a list.
    reasons: Vec<Draft>,
    timer: Option<i32>,
    renew: Option<Closure<dyn FnMut()>>,
}

impl AutoCloseHold {
    pub fn new(frame: Option<FrameClient>) -> AutoCloseHold {
        AutoCloseHold { frame, state: Rc::new(RefCell::new(HoldState::default())) }
    }

    /// Sets or clears one reason to hold the card open: an unsaved draft (kept until saved).
    pub fn set(&self, reason: Draft, needed: bool) {
        let Some(frame) = &self.frame else { return };
        let mut state = self.state.borrow_mut();
        let was_held = !state.reasons.is_empty();
        if needed {
            if !state.reasons.contains(&reason) {
                state.reasons.push(reason);
            }
        } else {
            state.reasons.retain(|r| *r != reason);
        }
        let held = !state.reasons.is_empty();
        let Some(window) = web_sys::window() else { return };
        if held && !was_held {
            let _ = frame.send(Command::DisableAutoClose, &Value::Null);
            let again = frame.clone();
            let renew = Closure::<dyn FnMut()>::new(move || {
                let _ = again.send(Command::DisableAutoClose, &Value::Null);
            });
            state.timer = window
                .set_interval_with_callback_and_timeout_and_arguments_0(renew.as_ref().unchecked_ref(), RENEW_MS)
                .ok();
            state.renew = Some(renew);
        } else if !held && was_held {
            if let Some(timer) = state.timer.take() {
                window.clear_interval_with_handle(timer);
            }
            state.renew = None;
            let _ = frame.send(Command::EnableAutoClose, &Value::Null);
        }
    }
}
