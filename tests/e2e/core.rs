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

#[tokio::test]
async fn a_started_creation_survives_a_reload_and_holds_the_card_open() {
    let mut agent = Agent::open("unknown-number").await;
    agent.click("[data-testid=new-lead]").await;
    // Another number than the call's, so the shared data set keeps this caller unknown.
    agent.set_value("[data-testid=phone]", "+1 202 555 0177").await;
    agent.type_into("[data-testid=first-name]", "Olga").await;
    agent.type_into("[data-testid=company]", "Nord AG").await;
    agent.type_into("[data-testid=email]", "olga@nord.example").await;
    assert!(agent.frame_commands("disableAutoClose").await.iter().any(|r| r["command"] == "disableAutoClose"));

    // The portal closes the card, then the agent opens it again: the form is as they left it.
    agent.click_portal("[data-testid=portal-close]").await;
    assert_eq!(agent.portal_body_attr("data-card-closed", "true", Duration::from_secs(2)).await.as_deref(), Some("true"));
    agent.reopen("unknown-number").await;
    assert!(agent.wait_for("[data-testid=create-form]", Duration::from_secs(3)).await, "the form is not open again");
    assert_eq!(agent.attr("[data-testid=new-lead]", "aria-pressed").await.as_deref(), Some("true"));
    assert_eq!(agent.value("[data-testid=first-name]").await.as_deref(), Some("Olga"));
    assert_eq!(agent.value("[data-testid=company]").await.as_deref(), Some("Nord AG"));
    assert_eq!(agent.value("[data-testid=email]").await.as_deref(), Some("olga@nord.example"));
    assert_eq!(agent.value("[data-testid=phone]").await.as_deref(), Some("+1 202 555 0177"));
    assert!(agent.frame_commands("disableAutoClose").await.iter().any(|r| r["command"] == "disableAutoClose"));

    // Saved: the draft is gone and the card is given back to the portal.
    agent.click("[data-testid=create-submit]").await;
    assert!(agent.wait_for("[data-testid=client]", Duration::from_secs(5)).await);
    assert!(agent.frame_commands("enableAutoClose").await.iter().any(|r| r["command"] == "enableAutoClose"));
    let kept = agent.eval("return Object.keys(sessionStorage).filter(k => k.includes('new-client')).length;", vec![]).await;
    assert_eq!(kept, serde_json::json!(0));
    agent.reopen("unknown-number").await;
    assert!(agent.exists("[data-testid=create-caller]").await);
    assert!(!agent.exists("[data-testid=create-form]").await, "a saved form does not come back");
    agent.close().await;
}
