//! The card's core: answers that arrive in a task still speak the agent's language.

use std::time::Duration;

use crate::harness::Agent;

#[tokio::test]
async fn a_failed_pick_is_explained_in_the_portals_language() {
    let agent = Agent::open("several-matches&lang=ru").await;
    assert!(agent.exists("[data-testid=chooser]").await);
    // The pick's own request fails on the portal (HTTP 500): a read is not retried after a 500.
    assert_eq!(agent.sandbox_post("fail&method=batch&times=1", ""), 204);
    agent.click("[data-testid=candidate][data-entity='CONTACT:29']").await;
    assert!(agent.wait_for("[data-testid=error]", Duration::from_secs(10)).await, "no error screen");
    assert_eq!(agent.attr("[data-testid=error]", "data-problem").await.as_deref(), Some("server"));
    assert_eq!(agent.text("[data-testid=error-title]").await.as_deref(), Some("Портал не смог выполнить запрос"));
    let advice = agent.text("[data-testid=error-detail]").await.unwrap_or_default();
    assert!(advice.starts_with("Портал ответил ошибкой"), "{advice}");
    agent.close().await;
}
