//! The portal's reply envelopes: `{"result": …, "total", "next", "time"}` on success,
//! `{"error": "CODE", "error_description": "…"}` on failure, turned into typed values.

use crate::json::Value;
use std::fmt;
use crate::i18n::Texts;
use crate::text::Fill;

/// A successful call's payload.
#[derive(Clone, Debug, PartialEq)]
pub struct Success {
    pub result: Value,
    pub total: Option<u64>,
    pub next: Option<u64>,
}

/// The portal's own error: its code and its description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub code: String,
    pub description: String,
}

/// What kind of trouble a failed call is, which decides what the widget does about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The token expired or is invalid: refresh through the frame and retry once.
    Auth,
    /// The app lacks a scope or the user lacks rights: retrying will not help.
    Forbidden,
    /// Rate or time limit: back off and retry.
    Limit,
    /// No answer: the network, or a gateway in front of the portal (502, 503, 504): a retry may
    /// help.
    Unavailable,
    /// The portal answered, with a server error (500): it failed; a retry may help.
    Failed,
    /// The request itself was wrong (unknown method, bad parameters).
    Rejected,
}

/// Why a REST call failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RestError {
    /// No HTTP reply at all: offline, blocked or aborted.
    Network(String),
    /// No reply within the request's deadline (in seconds).
    Timeout { seconds: u32 },
    /// The portal answered with its error envelope.
    Api { status: u16, error: ApiError },
    /// The reply was not a REST envelope (an HTML error page, truncated JSON…).
    Malformed { status: u16 },
    /// The access token expired and the portal did not renew it (`refreshAuth` failed or was
    /// never answered).
    Renewal,
    /// The reply began (its status arrived) but its body was still coming at the deadline.
    Late,
}

impl RestError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            RestError::Network(_) | RestError::Timeout { .. } | RestError::Late => ErrorKind::Unavailable,
            // An HTML page from a gateway (502–504) means nobody answered behind it; anything
            // else unreadable is the portal failing.
            RestError::Malformed { status: 502..=504 } => ErrorKind::Unavailable,
            RestError::Malformed { .. } => ErrorKind::Failed,
            RestError::Renewal => ErrorKind::Auth,
            RestError::Api { status, error } => classify(*status, &error.code),
        }
    }
}

/// Classifies by code first (the portal's codes are stable) and by HTTP status second.
pub fn classify(status: u16, code: &str) -> ErrorKind {
    match code {
        "expired_token" | "invalid_token" | "NO_AUTH_FOUND" | "WRONG_AUTH_TYPE" => ErrorKind::Auth,
        "insufficient_scope" | "ACCESS_DENIED" | "INVALID_CREDENTIALS" | "user_access_error"
        | "PAYMENT_REQUIRED" => ErrorKind::Forbidden,
        "QUERY_LIMIT_EXCEEDED" | "OPERATION_TIME_LIMIT" | "OVERLOAD_LIMIT" => ErrorKind::Limit,
        "INTERNAL_SERVER_ERROR" | "ERROR_UNEXPECTED_ANSWER" => ErrorKind::Failed,
        _ => match status {
            401 => ErrorKind::Auth,
            403 => ErrorKind::Forbidden,
            429 => ErrorKind::Limit,
            502..=504 => ErrorKind::Unavailable,
            500..=599 => ErrorKind::Failed,
            _ => ErrorKind::Rejected,
        },
    }
}

impl RestError {
    /// The technical cause in the agent's language (the portal's own code and text as it sent
    /// them).
    pub fn describe(&self, t: &Texts) -> String {
        match self {
            RestError::Network(why) => t.tech_network.fill("{why}", why),
            RestError::Timeout { seconds } => t.tech_timeout.fill("{seconds}", &crate::text::decimal(u64::from(*seconds))),
            RestError::Api { status, error } if error.description.is_empty() => {
                t.tech_api.fill("{code}", &error.code).fill("{status}", &crate::text::decimal(u64::from(*status)))
            }
            RestError::Api { status, error } => t
                .tech_api_described
                .fill("{code}", &error.code)
                .fill("{description}", &error.description)
                .fill("{status}", &crate::text::decimal(u64::from(*status))),
            RestError::Malformed { status } => t.tech_malformed.fill("{status}", &crate::text::decimal(u64::from(*status))),
            RestError::Renewal => t.tech_renewal.to_string(),
            RestError::Late => t.tech_late.to_string(),
        }
    }
}

impl fmt::Display for RestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(&crate::i18n::EN))
    }
}

/// Reads an error object `{"error": …, "error_description": …}` if `value` is one.
pub fn api_error(value: &Value) -> Option<ApiError> {
    let obj = value.as_object()?;
    let code = obj.get("error")?;
    let code = match code {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_text(),
        _ => return None,
    };
    let description = obj
        .get("error_description")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    Some(ApiError { code, description })
}

/// Parses one HTTP reply of the REST API.
pub fn parse(status: u16, body: &str) -> Result<Success, RestError> {
    let value: Value =
        crate::json::parse(body).map_err(|_| RestError::Malformed { status })?;
    if let Some(error) = api_error(&value) {
        return Err(RestError::Api { status, error });
    }
    let obj = value.as_object().ok_or(RestError::Malformed { status })?;
    if !(200..300).contains(&status) {
        // A failure status without the error envelope: say what we know.
        return Err(RestError::Api {
            status,
            error: ApiError { code: ["HTTP_", &crate::text::decimal(u64::from(status))].concat(), description: String::new() },
        });
    }
    let result = obj.get("result").cloned().ok_or(RestError::Malformed { status })?;
    let number = |k: &str| obj.get(k).and_then(count);
    Ok(Success { result, total: number("total"), next: number("next") })
}

/// A count as the portal writes one (`total`, `next`, a batch's `result_total`): a number, or
/// its decimal text.
pub fn count(value: &Value) -> Option<u64> {
    value.as_u64().or_else(|| crate::json::unsigned(value.as_str()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_with_paging() {
        let ok = parse(200, r#"{"result":[{"ID":"1"}],"total":51,"next":50,"time":{"start":1}}"#)
            .unwrap();
        assert_eq!(ok.total, Some(51));
        assert_eq!(ok.next, Some(50));
        assert_eq!(ok.result[0]["ID"], "1");
    }

    #[test]
    fn errors_are_typed_by_code_and_status() {
        let e = parse(401, r#"{"error":"expired_token","error_description":"The access token provided has expired."}"#)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth);
        assert!(e.to_string().contains("expired_token"));
        let e = parse(503, r#"{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}"#)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Limit);
        let e = parse(403, r#"{"error":"insufficient_scope","error_description":""}"#).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Forbidden);
        // `error` may be empty: the status decides.
        // A 500 is the portal failing; 502–504 nobody behind the gateway answering.
        let e = parse(500, r#"{"error":"","error_description":"boom"}"#).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Failed);
        assert_eq!(parse(503, r#"{"error":"","error_description":"down"}"#).unwrap_err().kind(), ErrorKind::Unavailable);
        assert_eq!(RestError::Malformed { status: 502 }.kind(), ErrorKind::Unavailable);
        assert_eq!(RestError::Malformed { status: 200 }.kind(), ErrorKind::Failed);
    }

    #[test]
    fn non_envelopes_are_malformed() {
        assert_eq!(parse(502, "<html>Bad gateway</html>"), Err(RestError::Malformed { status: 502 }));
        assert_eq!(parse(200, r#"{"time":{}}"#), Err(RestError::Malformed { status: 200 }));
        assert_eq!(parse(200, "[1,2]"), Err(RestError::Malformed { status: 200 }));
        assert_eq!(parse(200, r#"{"result":"#), Err(RestError::Malformed { status: 200 }));
        assert!(matches!(parse(404, r#"{"result":1}"#), Err(RestError::Api { status: 404, .. })));
    }
}
