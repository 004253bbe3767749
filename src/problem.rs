//! Every problem, worded for the agent: what happened, what they can do about it, and the
//! technical cause for an administrator (shown folded away). A 500 is "the portal failed", not
//! "out of reach"; a missing scope is named from the method. Pure, so that the native tests check
//! what an agent is told for each failure.

use crate::crm::card::CardError;
use crate::i18n::Texts;
use crate::launch::LaunchError;
use crate::rest::envelope::{classify, ApiError, ErrorKind, RestError};
use crate::text::Fill;

/// What kind of problem an agent meets; its name (`data-problem`) is stable for tests and support.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemCode {
    /// The launch data is missing or wrong (opened outside Bitrix24, a field that cannot be used).
    Launch,
    /// The portal did not accept the app's access.
    Auth,
    /// The user may not do this.
    Forbidden,
    /// The app lacks a scope.
    Scope,
    /// Only an administrator may do this.
    AdminOnly,
    /// A method's time budget is spent for a while (ten minutes).
    TimeLimit,
    /// Too many requests at once.
    Limit,
    /// No answer: the network or a gateway.
    Unavailable,
    /// The portal answered that it failed.
    Server,
    /// The portal refused the request itself (or a value the agent typed).
    Rejected,
    /// The portal's answer could not be read.
    Unreadable,
}

impl ProblemCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemCode::Launch => "launch",
            ProblemCode::Auth => "auth",
            ProblemCode::Scope => "scope",
            ProblemCode::AdminOnly => "admin-only",
            ProblemCode::Forbidden => "forbidden",
            ProblemCode::TimeLimit => "time-limit",
            ProblemCode::Limit => "limit",
            ProblemCode::Unavailable => "unavailable",
            ProblemCode::Server => "server",
            ProblemCode::Rejected => "rejected",
            ProblemCode::Unreadable => "unreadable",
        }
    }
}

/// A problem explained to the agent: what happened, what they can do about it, and the
/// technical cause for an administrator (shown folded away).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// What kind of problem, by a stable name for tests and support.
    pub code: ProblemCode,
    pub title: String,
    /// What the agent can do, in plain words.
    pub advice: String,
    /// The cause as the portal or the browser reported it.
    pub technical: String,
    pub retry: bool,
}

/// The scope a REST method needs: what an administrator must grant when the portal answers
/// `insufficient_scope`.
pub fn scope_of(method: &str) -> Option<&'static str> {
    match crate::text::split_once_ascii(method, b'.').map_or(method, |(first, _)| first) {
        "crm" => Some("crm"),
        "telephony" => Some("telephony"),
        "placement" => Some("placement"),
        "user" => Some("user_brief"),
        _ => None,
    }
}

impl Problem {
    pub fn launch(t: &Texts, error: &LaunchError) -> Problem {
        Problem {
            code: ProblemCode::Launch,
            title: t.problem_launch.into(),
            advice: t.problem_launch_advice.into(),
            technical: error.describe(t),
            retry: false,
        }
    }

    /// A failed call whose method is not known here.
    pub fn rest(t: &Texts, error: &RestError) -> Problem {
        Problem::of_kind(t, error.kind(), error_code(error), None, error.describe(t))
    }

    /// A failed call of `method`: a missing scope is named.
    pub fn rest_for(t: &Texts, error: &RestError, method: &str) -> Problem {
        Problem::of_kind(t, error.kind(), error_code(error), Some(method), error.describe(t))
    }

    /// A portal error inside a batch (a whole card's or one section's).
    pub fn api(t: &Texts, error: &ApiError) -> Problem {
        Problem::api_for(t, error, None)
    }

    /// A portal error of one command of a batch, whose method is known when given.
    pub fn api_for(t: &Texts, error: &ApiError, method: Option<&str>) -> Problem {
        let what = if error.description.is_empty() {
            error.code.clone()
        } else if error.code.is_empty() {
            error.description.clone()
        } else {
            [error.code.as_str(), ": ", &error.description].concat()
        };
        Problem::of_kind(t, classify(200, &error.code), &error.code, method, what)
    }

    fn of_kind(t: &Texts, kind: ErrorKind, portal_code: &str, method: Option<&str>, technical: String) -> Problem {
        let (code, title, advice, retry) = match kind {
            ErrorKind::Auth => (ProblemCode::Auth, t.problem_auth, t.problem_auth_advice.to_string(), true),
            ErrorKind::Forbidden if portal_code == "insufficient_scope" => (
                ProblemCode::Scope,
                t.problem_scope,
                match method.and_then(scope_of) {
                    Some(scope) => t.problem_scope_advice.fill("{scope}", scope),
                    None => t.problem_forbidden_advice.to_string(),
                },
                false,
            ),
            // The portal's placement methods are for administrators only.
            ErrorKind::Forbidden if method.is_some_and(|m| m.starts_with("placement.")) => {
                (ProblemCode::AdminOnly, t.problem_admin_only, t.problem_admin_only_advice.to_string(), false)
            }
            ErrorKind::Forbidden => (ProblemCode::Forbidden, t.problem_forbidden, t.problem_forbidden_advice.to_string(), false),
            // The method time budget: ten minutes' window, not seconds (rest/retry.rs).
            ErrorKind::Limit if portal_code == "OPERATION_TIME_LIMIT" => {
                (ProblemCode::TimeLimit, t.problem_time_limit, t.problem_time_limit_advice.to_string(), true)
            }
            ErrorKind::Limit => (ProblemCode::Limit, t.problem_limit, t.problem_limit_advice.to_string(), true),
            ErrorKind::Unavailable => (ProblemCode::Unavailable, t.problem_unavailable, t.problem_unavailable_advice.to_string(), true),
            ErrorKind::Failed => (ProblemCode::Server, t.problem_failed, t.problem_failed_advice.to_string(), true),
            ErrorKind::Rejected => (ProblemCode::Rejected, t.problem_rejected, t.problem_rejected_advice.to_string(), true),
        };
        Problem { code, title: title.into(), advice, technical, retry }
    }

    pub fn card(t: &Texts, error: &CardError) -> Problem {
        match error {
            // Every command of a card is a CRM method, but for the users (responsible people,
            // comment authors): the scope a refusal names follows from that.
            CardError::Command { key, error } => {
                let users = key.starts_with("responsible_") || key.starts_with("comment_author_");
                Problem::api_for(t, error, Some(if users { "user.get" } else { "crm" }))
            }
            CardError::Shape(why) => Problem {
                code: ProblemCode::Unreadable,
                title: t.problem_unreadable.into(),
                advice: t.problem_failed_advice.into(),
                technical: why.describe(t),
                retry: true,
            },
        }
    }
}

/// The portal's error code of a failed call, if it sent one.
fn error_code(error: &RestError) -> &str {
    match error {
        RestError::Api { error, .. } => &error.code,
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{DE, EN};

    #[test]
    fn every_failure_says_what_happened_and_whether_to_retry() {
        let p = Problem::launch(&EN, &LaunchError::MissingField("DOMAIN"));
        assert_eq!(p.code, ProblemCode::Launch);
        assert!(p.technical.contains("DOMAIN") && !p.advice.contains("DOMAIN"), "plain words first, the field folded away");
        assert!(!p.retry);

        let limited = RestError::Api {
            status: 503,
            error: ApiError { code: "QUERY_LIMIT_EXCEEDED".into(), description: "Too many requests".into() },
        };
        let p = Problem::rest(&EN, &limited);
        assert_eq!((p.code, p.retry), (ProblemCode::Limit, true));
        assert!(p.technical.contains("Too many requests"));

        assert_eq!(Problem::rest(&EN, &RestError::Network("Failed to fetch".into())).code, ProblemCode::Unavailable);
        assert_eq!(Problem::rest(&EN, &RestError::Malformed { status: 502 }).code, ProblemCode::Unavailable);
        assert_eq!(Problem::rest(&EN, &RestError::Late).code, ProblemCode::Unavailable);

        // A 500 is the portal failing, not the portal out of reach.
        let internal = ApiError { code: "INTERNAL_SERVER_ERROR".into(), description: "Internal error".into() };
        let p = Problem::api(&DE, &internal);
        assert_eq!((p.code, p.retry), (ProblemCode::Server, true));
        assert_ne!(p.title, DE.problem_unavailable);
        assert!(p.technical.contains("INTERNAL_SERVER_ERROR: Internal error"));
        assert_eq!(Problem::rest(&EN, &RestError::Malformed { status: 500 }).code, ProblemCode::Server);
    }

    #[test]
    fn a_missing_scope_is_named_and_admin_only_refusals_said_plainly() {
        let scope = ApiError { code: "insufficient_scope".into(), description: String::new() };
        let denied = RestError::Api { status: 403, error: scope.clone() };
        let telephony = Problem::rest_for(&EN, &denied, "telephony.externalCall.register");
        assert_eq!(telephony.code, ProblemCode::Scope);
        assert!(telephony.advice.contains("telephony") && !telephony.advice.contains("crm"), "{}", telephony.advice);
        assert!(Problem::api_for(&EN, &scope, Some("crm.contact.list")).advice.contains("crm"));
        let card = CardError::Command { key: "match".into(), error: scope };
        assert_eq!(Problem::card(&EN, &card).code, ProblemCode::Scope);

        let admin = RestError::Api {
            status: 403,
            error: ApiError { code: "ACCESS_DENIED".into(), description: "Access denied! Admin permissions required".into() },
        };
        let p = Problem::rest_for(&EN, &admin, "placement.get");
        assert_eq!(p.code, ProblemCode::AdminOnly);
        assert!(!p.title.contains("ACCESS_DENIED") && !p.advice.contains("ACCESS_DENIED"));
        assert!(p.technical.contains("ACCESS_DENIED"));
    }
}
