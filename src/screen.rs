//! What the tab shows, as plain data: the state machine of the widget's one screen and the
//! wording of every problem. The Leptos views only render this; keeping it pure lets the native
//! tests check what an agent is told for each failure.

use crate::crm::card::{CardError, Caller};
use crate::launch::{CallCardOptions, LaunchError};
use crate::rest::envelope::{ErrorKind, RestError};

/// The widget's screen.
#[derive(Clone, Debug, PartialEq)]
pub enum Screen {
    Loading,
    /// The caller's card.
    Card { call: CallCardOptions, caller: Caller },
    /// Opened in a placement this widget does not serve.
    NotSupported { placement: String },
    Failed(Problem),
}

impl Screen {
    /// The value of the root's `data-state`, which tests and the benchmark wait on.
    pub fn data_state(&self) -> &'static str {
        match self {
            Screen::Loading => "loading",
            Screen::Card { .. } | Screen::NotSupported { .. } => "ready",
            Screen::Failed(_) => "error",
        }
    }
}

/// A problem explained to the agent: what happened, what it means, whether trying again helps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// A stable name for tests and support: `launch`, `auth`, `forbidden`, `limit`, `unavailable`…
    pub code: &'static str,
    pub title: String,
    pub detail: String,
    pub retry: bool,
}

impl Problem {
    pub fn launch(error: &LaunchError) -> Problem {
        Problem {
            code: "launch",
            title: "The widget cannot start".into(),
            detail: format!("{error} Close the tab and open it again from the call card; if it keeps happening, tell your Bitrix24 administrator."),
            retry: false,
        }
    }

    pub fn rest(error: &RestError) -> Problem {
        let (code, title, advice, retry) = match error.kind() {
            ErrorKind::Auth => ("auth", "The portal did not accept the widget's access", "Reopen the call card to sign in again.", true),
            ErrorKind::Forbidden => ("forbidden", "The widget is not allowed to read the CRM", "An administrator has to grant the app the crm scope, or you the right to see this client.", false),
            ErrorKind::Limit => ("limit", "The portal is busy", "Too many requests at once; try again in a few seconds.", true),
            ErrorKind::Unavailable => ("unavailable", "The portal cannot be reached", "Check the connection and try again.", true),
            ErrorKind::Rejected => ("rejected", "The portal refused the request", "Try again; if it keeps happening, tell your Bitrix24 administrator.", true),
        };
        Problem { code, title: title.into(), detail: format!("{advice} Details: {error}."), retry }
    }

    pub fn card(error: &CardError) -> Problem {
        match error {
            CardError::Command { error, .. } => Problem::rest(&RestError::Api { status: 200, error: error.clone() }),
            CardError::Shape(why) => Problem {
                code: "unreadable",
                title: "The portal's answer could not be read".into(),
                detail: format!("The client's record came back in an unexpected shape ({why})."),
                retry: true,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rest::envelope::ApiError;

    #[test]
    fn every_failure_says_what_happened_and_whether_to_retry() {
        let p = Problem::launch(&LaunchError::MissingField("DOMAIN"));
        assert_eq!(p.code, "launch");
        assert!(p.detail.contains("DOMAIN"));
        assert!(!p.retry);

        let limited = RestError::Api {
            status: 503,
            error: ApiError { code: "QUERY_LIMIT_EXCEEDED".into(), description: "Too many requests".into() },
        };
        let p = Problem::rest(&limited);
        assert_eq!((p.code, p.retry), ("limit", true));
        assert!(p.detail.contains("Too many requests"));

        let p = Problem::rest(&RestError::Network("Failed to fetch".into()));
        assert_eq!(p.code, "unavailable");

        let scope = CardError::Command {
            key: "match",
            error: ApiError { code: "insufficient_scope".into(), description: String::new() },
        };
        assert_eq!(Problem::card(&scope).code, "forbidden");
    }

    #[test]
    fn data_state_follows_the_screen() {
        assert_eq!(Screen::Loading.data_state(), "loading");
        assert_eq!(Screen::NotSupported { placement: "DEFAULT".into() }.data_state(), "ready");
        let p = Problem::launch(&LaunchError::NoLaunchData);
        assert_eq!(Screen::Failed(p).data_state(), "error");
    }
}
