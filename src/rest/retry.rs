//! What to do when a call fails, after the official SDK's policy (`core/http/limiters/
//! manager.ts` in `@bitrix24/b24jssdk`): refresh the token once on an auth failure; back off and
//! retry a bounded number of times when the portal is over its request rate; retry a read whose
//! reply was lost on the way (no connection, a gateway page, an HTML error page) a few times;
//! give up at once on everything else, the method time limit included.
//!
//! The time limit (`OPERATION_TIME_LIMIT`, HTTP 429) is a budget of execution time per method
//! in a ten-minute window: the SDK waits at least 10 s for it, which no agent on a call waits
//! for. The card gives up at once and says it will work again within ten minutes.

use super::envelope::{ErrorKind, RestError};

/// Retries for the request rate (503 `QUERY_LIMIT_EXCEEDED`) before the error reaches the agent.
pub const MAX_LIMIT_RETRIES: u32 = 4;
/// Retries of a read whose reply was lost.
pub const MAX_READ_RETRIES: u32 = 2;
/// The first back-off; each retry doubles it.
pub const BASE_DELAY_MS: u32 = 600;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Renew the access token through the portal, then send again (once per request).
    Refresh,
    /// Wait this long, then send again.
    Retry { delay_ms: u32 },
    GiveUp,
}

/// Whether a method only reads (sending it twice changes nothing), by its last word.
pub fn is_read(method: &str) -> bool {
    let last = crate::text::rsplit_once_ascii(method, b'.').map_or(method, |(_, last)| last).to_ascii_lowercase();
    matches!(last.as_str(), "get" | "list" | "fields" | "current" | "admin" | "scope" | "findbycomm" | "search")
}

/// `attempt` counts the retries already made; `refreshed` whether this request already renewed
/// its token; `read` whether it may be sent again safely; `jitter` is a number in `[0, 1)` that
/// spreads the agents of a call centre so that they do not retry in step.
pub fn decide(error: &RestError, attempt: u32, refreshed: bool, read: bool, jitter: f64) -> Decision {
    let backoff = || {
        let base = BASE_DELAY_MS.saturating_mul(1 << attempt.min(8)) as f64;
        // ±25 % around the doubling schedule.
        let spread = 0.75 + 0.5 * jitter.clamp(0.0, 1.0);
        Decision::Retry { delay_ms: (base * spread) as u32 }
    };
    let time_limit = matches!(error, RestError::Api { error, .. } if error.code == "OPERATION_TIME_LIMIT")
        || matches!(error, RestError::Api { status: 429, .. });
    match error.kind() {
        ErrorKind::Auth if !refreshed && *error != RestError::Renewal => Decision::Refresh,
        ErrorKind::Limit if time_limit => Decision::GiveUp,
        ErrorKind::Limit if attempt < MAX_LIMIT_RETRIES => backoff(),
        // A reply that started but came too slowly (a busy portal or machine): once more.
        ErrorKind::Unavailable if *error == RestError::Late => {
            if attempt == 0 { Decision::Retry { delay_ms: BASE_DELAY_MS } } else { Decision::GiveUp }
        }
        // The agent already waited the whole deadline: no second one.
        _ if matches!(error, RestError::Timeout { .. }) => Decision::GiveUp,
        // A read whose reply was lost: no connection, a gateway's page, the portal's HTML error
        // page. The portal's own error answers (`INTERNAL_SERVER_ERROR` and the like) are final,
        // as the SDK treats them.
        ErrorKind::Unavailable | ErrorKind::Failed
            if read && attempt < MAX_READ_RETRIES && !matches!(error, RestError::Api { .. }) => backoff(),
        _ => Decision::GiveUp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rest::envelope::ApiError;

    fn api(status: u16, code: &str) -> RestError {
        RestError::Api { status, error: ApiError { code: code.into(), description: String::new() } }
    }

    #[test]
    fn auth_failures_refresh_once() {
        assert_eq!(decide(&api(401, "expired_token"), 0, false, true, 0.5), Decision::Refresh);
        assert_eq!(decide(&api(401, "invalid_token"), 0, true, true, 0.5), Decision::GiveUp);
    }

    #[test]
    fn the_request_rate_backs_off_with_jitter_and_stops() {
        let limited = api(503, "QUERY_LIMIT_EXCEEDED");
        assert_eq!(decide(&limited, 0, false, false, 0.5), Decision::Retry { delay_ms: 600 });
        assert_eq!(decide(&limited, 2, false, true, 0.5), Decision::Retry { delay_ms: 2400 });
        let Decision::Retry { delay_ms: low } = decide(&limited, 1, false, true, 0.0) else { panic!() };
        let Decision::Retry { delay_ms: high } = decide(&limited, 1, false, true, 0.999) else { panic!() };
        assert!(low == 900 && high > 1490 && high < 1500, "{low} {high}");
        assert_eq!(decide(&limited, MAX_LIMIT_RETRIES, false, true, 0.5), Decision::GiveUp);
    }

    #[test]
    fn the_method_time_limit_is_not_waited_for() {
        // Its window is ten minutes: a few seconds of retries only spend more of it.
        assert_eq!(decide(&api(429, "OPERATION_TIME_LIMIT"), 0, false, true, 0.5), Decision::GiveUp);
        assert_eq!(decide(&api(429, ""), 0, false, true, 0.5), Decision::GiveUp);
    }

    #[test]
    fn a_read_whose_reply_was_lost_is_sent_again_a_write_never() {
        for lost in [RestError::Network("Failed to fetch".into()), RestError::Malformed { status: 502 }, RestError::Malformed { status: 500 }] {
            assert_eq!(decide(&lost, 0, false, true, 0.5), Decision::Retry { delay_ms: 600 }, "{lost:?}");
            assert_eq!(decide(&lost, 1, false, true, 0.5), Decision::Retry { delay_ms: 1200 }, "{lost:?}");
            assert_eq!(decide(&lost, MAX_READ_RETRIES, false, true, 0.5), Decision::GiveUp, "{lost:?}");
            assert_eq!(decide(&lost, 0, false, false, 0.5), Decision::GiveUp, "a write is never sent twice: {lost:?}");
        }
        assert_eq!(decide(&RestError::Timeout { seconds: 15 }, 0, false, true, 0.5), Decision::GiveUp);
    }

    #[test]
    fn the_portals_own_refusals_reach_the_agent() {
        assert_eq!(decide(&api(403, "insufficient_scope"), 0, false, true, 0.5), Decision::GiveUp);
        assert_eq!(decide(&api(500, "INTERNAL_SERVER_ERROR"), 0, false, true, 0.5), Decision::GiveUp);
        assert_eq!(decide(&api(400, "ERROR_CORE"), 0, false, true, 0.5), Decision::GiveUp);
    }

    #[test]
    fn a_reply_that_came_too_slowly_is_asked_once_more() {
        assert_eq!(decide(&RestError::Late, 0, false, true, 0.5), Decision::Retry { delay_ms: BASE_DELAY_MS });
        assert_eq!(decide(&RestError::Late, 1, false, true, 0.5), Decision::GiveUp);
    }

    #[test]
    fn reads_are_known_by_their_last_word() {
        for read in ["crm.contact.get", "crm.deal.list", "user.current", "user.admin", "scope", "crm.duplicate.findbycomm", "placement.get"] {
            assert!(is_read(read), "{read}");
        }
        for write in ["crm.contact.add", "crm.lead.update", "placement.bind", "placement.unbind", "telephony.externalCall.register", "crm.timeline.comment.add", "batch"] {
            assert!(!is_read(write), "{write}");
        }
    }
}
