//! What to do when a call fails: refresh the token once on an auth failure, back off and retry a
//! bounded number of times when the portal is over its limits, give up otherwise.

use super::envelope::{ErrorKind, RestError};

/// Retries for 503/429 before the error reaches the agent.
pub const MAX_LIMIT_RETRIES: u32 = 4;
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

/// `attempt` counts the limit retries already made; `refreshed` whether this request already
/// renewed its token; `jitter` is a number in `[0, 1)` that spreads the agents of a call centre
/// so that they do not retry in step.
pub fn decide(error: &RestError, attempt: u32, refreshed: bool, jitter: f64) -> Decision {
    match error.kind() {
        ErrorKind::Auth if !refreshed && *error != RestError::Renewal => Decision::Refresh,
        ErrorKind::Limit if attempt < MAX_LIMIT_RETRIES => {
            let base = BASE_DELAY_MS.saturating_mul(1 << attempt.min(8)) as f64;
            // ±25 % around the doubling schedule.
            let spread = 0.75 + 0.5 * jitter.clamp(0.0, 1.0);
            Decision::Retry { delay_ms: (base * spread) as u32 }
        }
        // A reply that started but came too slowly (a busy portal or machine): once more.
        ErrorKind::Unavailable if *error == RestError::Late && attempt == 0 => Decision::Retry { delay_ms: BASE_DELAY_MS },
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
        assert_eq!(decide(&api(401, "expired_token"), 0, false, 0.5), Decision::Refresh);
        assert_eq!(decide(&api(401, "invalid_token"), 0, true, 0.5), Decision::GiveUp);
    }

    #[test]
    fn limits_back_off_with_jitter_and_stop() {
        let limited = api(503, "QUERY_LIMIT_EXCEEDED");
        assert_eq!(decide(&limited, 0, false, 0.5), Decision::Retry { delay_ms: 600 });
        assert_eq!(decide(&limited, 2, false, 0.5), Decision::Retry { delay_ms: 2400 });
        let Decision::Retry { delay_ms: low } = decide(&limited, 1, false, 0.0) else { panic!() };
        let Decision::Retry { delay_ms: high } = decide(&limited, 1, false, 0.999) else { panic!() };
        assert!(low == 900 && high > 1490 && high < 1500, "{low} {high}");
        assert_eq!(decide(&api(429, "OPERATION_TIME_LIMIT"), 1, false, 0.5), Decision::Retry { delay_ms: 1200 });
        assert_eq!(decide(&limited, MAX_LIMIT_RETRIES, false, 0.5), Decision::GiveUp);
    }

    #[test]
    fn other_failures_reach_the_agent() {
        assert_eq!(decide(&api(403, "insufficient_scope"), 0, false, 0.5), Decision::GiveUp);
        assert_eq!(decide(&RestError::Malformed { status: 502 }, 0, false, 0.5), Decision::GiveUp);
        assert_eq!(decide(&api(500, "INTERNAL_SERVER_ERROR"), 0, false, 0.5), Decision::GiveUp);
        assert_eq!(decide(&RestError::Network("no answer within 15 seconds".into()), 0, false, 0.5), Decision::GiveUp);
    }

    #[test]
    fn a_reply_that_came_too_slowly_is_asked_once_more() {
        assert_eq!(decide(&RestError::Late, 0, false, 0.5), Decision::Retry { delay_ms: BASE_DELAY_MS });
        assert_eq!(decide(&RestError::Late, 1, false, 0.5), Decision::GiveUp);
    }
}
