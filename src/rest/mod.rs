//! Talking to the portal's REST API.
//!
//! The pure parts (form encoding, reply envelopes, `batch`) live in submodules that compile and are
//! tested natively; `client` is the thin browser glue that sends them.

pub mod batch;
pub mod envelope;
pub mod form;
pub mod retry;

#[cfg(target_arch = "wasm32")]
pub mod client;

use std::fmt;

/// The portal's access token. Its `Debug` never shows the value, so that no log line, panic
/// message or error screen can leak it; [`AccessToken::expose`] is only for building requests.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Accepts the token alphabet the portal uses (hex and a few URL-safe marks), 1–512 chars.
    pub fn parse(raw: &str) -> Option<AccessToken> {
        let ok = !raw.is_empty()
            && raw.len() <= 512
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        ok.then(|| AccessToken(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_never_printed() {
        let t = AccessToken::parse("abc123def").unwrap();
        assert!(!format!("{t:?}").contains("abc123def"));
        assert_eq!(t.expose(), "abc123def");
        assert!(AccessToken::parse("a b").is_none());
        assert!(AccessToken::parse("").is_none());
        assert!(AccessToken::parse("</script>").is_none());
    }
}
