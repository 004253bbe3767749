//! What the tab shows, as plain data: the state machine of the widget's one screen and the
//! wording of every problem. The Leptos views only render this; keeping it pure lets the native
//! tests check what an agent is told for each failure.

use crate::crm::card::{Candidate, CardError, Caller};
use crate::i18n::Texts;
use crate::install::{AppPage, Reading};
use crate::launch::{CallCardOptions, LaunchError};
use crate::rest::envelope::{classify, ApiError, ErrorKind, RestError};

/// The widget's screen.
#[derive(Clone, Debug, PartialEq)]
pub enum Screen {
    Loading,
    /// The call and who is calling. `others` holds the other matches when the agent picked one
    /// of several, so that they can go back.
    Card { call: CallCardOptions, caller: Caller, others: Vec<Candidate> },
    /// The app's own page: its installation and the controls for it.
    AppPage(AppPage),
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
            Screen::AppPage(page) if page.busy.is_some() || page.reading == Reading::Pending => "loading",
            Screen::AppPage(_) => "ready",
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
    pub fn launch(t: &Texts, error: &LaunchError) -> Problem {
        Problem {
            code: "launch",
            title: t.problem_launch.into(),
            detail: format!("{error} {}", t.problem_launch_advice),
            retry: false,
        }
    }

    pub fn rest(t: &Texts, error: &RestError) -> Problem {
        Problem::of_kind(t, error.kind(), &error.to_string())
    }

    /// A portal error inside a batch (a whole card's or one section's).
    pub fn api(t: &Texts, error: &ApiError) -> Problem {
        let what = if error.description.is_empty() {
            error.code.clone()
        } else if error.code.is_empty() {
            error.description.clone()
        } else {
            format!("{}: {}", error.code, error.description)
        };
        Problem::of_kind(t, classify(200, &error.code), &what)
    }

    fn of_kind(t: &Texts, kind: ErrorKind, what: &str) -> Problem {
        let (code, title, advice, retry) = match kind {
            ErrorKind::Auth => ("auth", t.problem_auth, t.problem_auth_advice, true),
            ErrorKind::Forbidden => ("forbidden", t.problem_forbidden, t.problem_forbidden_advice, false),
            ErrorKind::Limit => ("limit", t.problem_limit, t.problem_limit_advice, true),
            ErrorKind::Unavailable => ("unavailable", t.problem_unavailable, t.problem_unavailable_advice, true),
            ErrorKind::Rejected => ("rejected", t.problem_rejected, t.problem_rejected_advice, true),
        };
        Problem { code, title: title.into(), detail: format!("{advice} {}: {what}.", t.details), retry }
    }

    pub fn card(t: &Texts, error: &CardError) -> Problem {
        match error {
            CardError::Command { error, .. } => Problem::api(t, error),
            CardError::Shape(why) => Problem {
                code: "unreadable",
                title: t.problem_unreadable.into(),
                detail: format!("{}: {why}.", t.details),
                retry: true,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{DE, EN};

    #[test]
    fn every_failure_says_what_happened_and_whether_to_retry() {
        let p = Problem::launch(&EN, &LaunchError::MissingField("DOMAIN"));
        assert_eq!(p.code, "launch");
        assert!(p.detail.contains("DOMAIN"));
        assert!(!p.retry);

        let limited = RestError::Api {
            status: 503,
            error: ApiError { code: "QUERY_LIMIT_EXCEEDED".into(), description: "Too many requests".into() },
        };
        let p = Problem::rest(&EN, &limited);
        assert_eq!((p.code, p.retry), ("limit", true));
        assert!(p.detail.contains("Too many requests"));

        assert_eq!(Problem::rest(&EN, &RestError::Network("Failed to fetch".into())).code, "unavailable");

        let scope = CardError::Command {
            key: "match".into(),
            error: ApiError { code: "insufficient_scope".into(), description: String::new() },
        };
        assert_eq!(Problem::card(&EN, &scope).code, "forbidden");
        let internal = ApiError { code: "INTERNAL_SERVER_ERROR".into(), description: "Internal error".into() };
        let p = Problem::api(&DE, &internal);
        assert_eq!(p.title, "Das Portal ist nicht erreichbar");
        assert!(p.detail.contains("INTERNAL_SERVER_ERROR: Internal error"));
    }

    #[test]
    fn data_state_follows_the_screen() {
        assert_eq!(Screen::Loading.data_state(), "loading");
        assert_eq!(Screen::NotSupported { placement: "DEFAULT".into() }.data_state(), "ready");
        let p = Problem::launch(&EN, &LaunchError::NoLaunchData);
        assert_eq!(Screen::Failed(p).data_state(), "error");
    }
}
