//! What a REST call comes to (an answer or the portal's failure) and what it may do (the
//! scenario's faults, the app's scopes, the user's rights): shared by the methods, `batch` and
//! the endpoint.

use serde_json::{json, Value};

/// A successful call.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub result: Value,
    pub total: Option<u64>,
    pub next: Option<u64>,
    /// Seconds the portal worked on it (a batch: all its commands).
    pub processing: f64,
}

impl Answer {
    pub fn of(result: Value) -> Answer {
        Answer { result, total: None, next: None, processing: 0.0 }
    }
}

/// A failed call: HTTP status, error code (may be empty, as on the portal) and description.
#[derive(Clone, Debug, PartialEq)]
pub struct Fail {
    pub status: u16,
    pub code: String,
    pub description: String,
    /// An uncaught PHP error (a `TypeError` on PHP 8): no JSON envelope, no per-command error
    /// inside a batch; the whole request ends with the portal's generic error page.
    pub fatal: bool,
}

/// What the portal prints for an uncaught error with debugging off (main's
/// `lib/diag/exceptionhandleroutput.php`, `renderExceptionMessage`), with HTTP 500.
pub const FATAL_PAGE: &str =
    "A error occurred during execution of this script. You can turn on extended error reporting in .settings.php file.";

impl Fail {
    pub fn new(status: u16, code: &str, description: &str) -> Fail {
        Fail { status, code: code.into(), description: description.into(), fatal: false }
    }

    /// PHP 8 throws a `TypeError` where the portal's code hands an array to a function that takes
    /// a string; `CRestServer::process()` catches exceptions, not errors, so the request dies.
    pub fn php_type_error(what: &str) -> Fail {
        Fail { status: 500, code: String::new(), description: format!("TypeError: {what}"), fatal: true }
    }

    pub fn body(&self) -> Value {
        json!({ "error": self.code, "error_description": self.description })
    }
}

pub type Outcome = Result<Answer, Fail>;

/// A failure a scenario forces on the portal.
#[derive(Clone, Copy, Debug)]
pub enum Fault {
    /// The method (`"*"`: every method) answers this error, alone or inside a batch.
    Error { method: &'static str, status: u16, code: &'static str, description: &'static str },
    /// The method ends in an uncaught PHP error: HTTP 500 with the portal's page for the whole
    /// request, a batch that carries it included (what a `TypeError` in one command does).
    Fatal { method: &'static str },
    /// Every REST request is answered by an HTML error page with this status, as when a proxy
    /// in front of the portal fails.
    Html { status: u16 },
    /// Every REST request hangs this many seconds before an HTML 504.
    Hang { secs: u64 },
    /// The first REST request of an opening gets its status and headers at once and its body
    /// this many seconds later (a portal or network under load); later ones are normal.
    SlowBodyOnce { secs: u64 },
}

/// What a call may do: the scenario's faults, the app's scopes and the user's rights.
#[derive(Clone, Copy, Debug, Default)]
pub struct Policy<'a> {
    pub faults: &'a [Fault],
    /// `None`: the scopes the app asks for (`rest::APP_SCOPES`).
    pub scopes: Option<&'a [&'a str]>,
    /// The user is a portal administrator (placement methods need one).
    pub admin: bool,
    /// How long the portal takes over each method.
    pub server_time: crate::server_time::ServerTime,
}

