//! Every frame command and placement event the widget uses, in one place, as the official SDK
//! lists its `MessageCommands`: each with its name on the wire and whether (and how long) the
//! portal is waited on for an answer. The portal's side: rest `install/js/rest/applayout.js`
//! (the sandbox's `assets/portal.js` follows it, `sandbox/FIDELITY.md`).

/// A command to the portal window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// The launch fields (`DOMAIN`, `AUTH_ID`, `PLACEMENT`, `INSTALL`, `USER_OPTIONS`…).
    GetInitData,
    /// A new access token.
    RefreshAuth,
    /// The call card's state and bindings (`CALL_STATE`, `CRM_ENTITY_TYPE`…).
    GetStatus,
    /// Open a portal page in its slider; answered when the slider closes, or at once to refuse.
    OpenPath,
    /// Dial a number with the portal's telephony.
    ImPhoneTo,
    /// Fit the iframe to the content.
    ResizeWindow,
    /// Keep a per-user option of the app (the theme).
    SetUserOption,
    /// Keep the call card open after the call ends / let it close again.
    DisableAutoClose,
    EnableAutoClose,
    /// The installation step runs the installation itself / has finished it.
    SetInstall,
    SetInstallFinish,
    /// Subscribe to a placement [`Event`]: every event comes back on the same callback.
    PlacementBindEvent,
}

impl Command {
    /// Its name in the message.
    pub fn name(self) -> &'static str {
        match self {
            Command::GetInitData => "getInitData",
            Command::RefreshAuth => "refreshAuth",
            Command::GetStatus => "getStatus",
            Command::OpenPath => "openPath",
            Command::ImPhoneTo => "imPhoneTo",
            Command::ResizeWindow => "resizeWindow",
            Command::SetUserOption => "setUserOption",
            Command::DisableAutoClose => "disableAutoClose",
            Command::EnableAutoClose => "enableAutoClose",
            Command::SetInstall => "setInstall",
            Command::SetInstallFinish => "setInstallFinish",
            Command::PlacementBindEvent => "placementBindEvent",
        }
    }

    /// How long its answer is waited for, in milliseconds; `None`: the widget needs none (the
    /// portal may answer, nobody listens).
    pub fn answer_within_ms(self) -> Option<i32> {
        match self {
            // Answered at once when answered at all; a silent portal leaves posted data usable.
            Command::GetInitData => Some(5_000),
            // The official SDK waits as long.
            Command::RefreshAuth => Some(10_000),
            Command::GetStatus => Some(3_000),
            // Answered when the slider closes (`applayout.js`, `openPath`: `{result: 'close'}`
            // from its onClose), or at once to refuse: the wait only bounds how long the
            // pending callback is kept, a day.
            Command::OpenPath => Some(24 * 60 * 60 * 1000),
            Command::ImPhoneTo
            | Command::ResizeWindow
            | Command::SetUserOption
            | Command::DisableAutoClose
            | Command::EnableAutoClose
            | Command::SetInstall
            | Command::SetInstallFinish => None,
            // Its answers are the events, for the page's life.
            Command::PlacementBindEvent => None,
        }
    }
}

/// A call card placement event (`placementBindEvent`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// The call's state: `connecting`, `connected`, `idle`.
    CallStateChanged,
    /// The next client of a call list, or a record the portal bound to the call.
    EntityChanged,
    /// The card is about to close.
    BeforeClose,
}

impl Event {
    pub fn name(self) -> &'static str {
        match self {
            Event::CallStateChanged => "CallCard::CallStateChanged",
            Event::EntityChanged => "CallCard::EntityChanged",
            Event::BeforeClose => "CallCard::BeforeClose",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_waits() {
        assert_eq!(Command::GetInitData.name(), "getInitData");
        assert_eq!(Command::PlacementBindEvent.name(), "placementBindEvent");
        assert_eq!(Event::EntityChanged.name(), "CallCard::EntityChanged");
        // What the widget awaits has a deadline; what it only tells has none.
        for c in [Command::GetInitData, Command::RefreshAuth, Command::GetStatus, Command::OpenPath] {
            assert!(c.answer_within_ms().is_some_and(|ms| ms > 0), "{c:?}");
        }
        assert_eq!(Command::ResizeWindow.answer_within_ms(), None);
    }
}
