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

#[tokio::test]
async fn the_method_time_limit_is_explained_at_once_not_waited_for() {
    let agent = Agent::open("time-limited").await;
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Anna Schmidt"));
    // The next client's card is more `batch`es: over this method's budget for ten minutes.
    let asked = std::time::Instant::now();
    agent.click_portal("[data-testid=portal-next-client]").await;
    assert!(agent.wait_for("[data-testid=error]", Duration::from_secs(5)).await, "no error screen");
    assert!(asked.elapsed() < Duration::from_secs(3), "waited {:?}", asked.elapsed());
    assert_eq!(agent.attr("[data-testid=error]", "data-problem").await.as_deref(), Some("time-limit"));
    let advice = agent.text("[data-testid=error-detail]").await.unwrap_or_default();
    assert!(advice.contains("within ten minutes"), "{advice}");
    // The card (two parts), then the next client, bound to its record: one batch, refused.
    let calls = agent.rest_calls();
    let ok = ("batch".to_string(), 200);
    assert_eq!(calls, [ok.clone(), ok, ("batch".to_string(), 429)], "asked once, not retried");
    agent.close().await;
}

#[tokio::test]
async fn a_read_whose_reply_was_lost_is_asked_again_a_write_is_not() {
    let agent = Agent::open("several-matches").await;
    assert!(agent.exists("[data-testid=chooser]").await);
    // The pick's batch meets the portal's HTML error page once (a passing fault): asked again.
    assert_eq!(agent.sandbox_post("fail&method=batch&page=true", ""), 204);
    agent.click("[data-testid=candidate][data-entity='CONTACT:29']").await;
    assert!(agent.wait_for("[data-testid=client]", Duration::from_secs(5)).await, "the card did not come");
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Mikhail Orlov"));
    let calls = agent.rest_calls();
    assert_eq!(calls[2..], [("batch".to_string(), 500), ("batch".to_string(), 200)], "{calls:?}");
    assert!(!agent.exists("[data-testid=retrying]").await, "the notice goes once it worked");

    // A comment is a write: the same fault is shown, never sent a second time.
    assert_eq!(agent.sandbox_post("fail&method=crm.timeline.comment.add&page=true", ""), 204);
    agent.type_into("[data-testid=comment-text]", "Sent once").await;
    agent.click("[data-testid=comment-save]").await;
    assert!(agent.wait_for("[data-testid=comment-error]", Duration::from_secs(5)).await);
    let adds = agent.rest_calls().into_iter().filter(|(m, _)| m == "crm.timeline.comment.add").count();
    assert_eq!(adds, 1);
    assert_eq!(agent.value("[data-testid=comment-text]").await.as_deref(), Some("Sent once"));
    agent.close().await;
}

#[tokio::test]
async fn a_late_status_never_overwrites_the_agents_pick() {
    let agent = Agent::open("bound-while-opening").await;
    assert!(agent.exists("[data-testid=chooser]").await);
    // The agent picks before the portal's getStatus (1.5 s late) names the company.
    agent.click("[data-testid=candidate][data-entity='CONTACT:29']").await;
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Mikhail Orlov"));
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(agent.attr("[data-testid=client]", "data-entity").await.as_deref(), Some("CONTACT:29"));
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Mikhail Orlov"));
    agent.close().await;
}

#[tokio::test]
async fn a_late_status_moves_an_untouched_card_to_the_bound_record() {
    let agent = Agent::open("bound-while-opening").await;
    assert!(agent.exists("[data-testid=chooser]").await);
    assert!(agent.wait_for("[data-testid=client][data-entity='COMPANY:3']", Duration::from_secs(5)).await, "the card did not follow the portal's binding");
    agent.close().await;
}

#[tokio::test]
async fn the_app_page_updates_in_place_and_keeps_what_was_typed() {
    let agent = Agent::open("app-home").await;
    assert!(agent.wait_for("[data-testid=test-number]", Duration::from_secs(5)).await);
    agent.set_value("[data-testid=test-number]", "12").await;
    agent.eval("document.querySelector('[data-testid=test-number]').dataset.mark = 'kept'; return true;", vec![]).await;
    agent.click("[data-testid=app-test-call]").await;
    assert!(agent.wait_for("[data-testid=app-outcome]", Duration::from_secs(3)).await);
    assert!(agent.text("[data-testid=app-outcome]").await.unwrap_or_default().contains("5 to 15 digits"));
    // The number is still there to be corrected, in the same field: updated in place.
    assert_eq!(agent.value("[data-testid=test-number]").await.as_deref(), Some("12"));
    assert_eq!(agent.attr("[data-testid=test-number]", "data-mark").await.as_deref(), Some("kept"));
    // Checking the tab again hides the test call while the user is unknown; the number stays.
    agent.click("[data-testid=app-check]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(agent.wait_for("[data-testid=test-number]", Duration::from_secs(3)).await);
    assert_eq!(agent.value("[data-testid=test-number]").await.as_deref(), Some("12"));
    agent.close().await;
}

#[tokio::test]
async fn the_app_pages_buttons_keep_the_keyboard_focus_through_an_action() {
    let agent = Agent::open("app-home&latency=400").await;
    assert!(agent.wait_for("[data-testid=app-check]", Duration::from_secs(5)).await);
    agent.eval("document.querySelector('[data-testid=app-check]').focus(); return true;", vec![]).await;
    agent.eval("document.querySelector('[data-testid=app-check]').click(); return true;", vec![]).await;
    // While the check runs the button stays, marked unavailable, and keeps the focus.
    assert!(agent.wait_for("[data-testid=app-working]", Duration::from_secs(2)).await);
    assert_eq!(agent.attr("[data-testid=app-check]", "aria-disabled").await.as_deref(), Some("true"));
    let focused = "return document.activeElement && document.activeElement.dataset.testid || null;";
    assert_eq!(agent.eval(focused, vec![]).await, serde_json::json!("app-check"));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(!agent.exists("[data-testid=app-working]").await);
    assert_eq!(agent.attr("[data-testid=app-check]", "aria-disabled").await, None);
    assert_eq!(agent.eval(focused, vec![]).await, serde_json::json!("app-check"));
    agent.close().await;
}

#[tokio::test]
async fn a_pick_keeps_the_current_screen_until_the_record_is_there() {
    let agent = Agent::open("several-matches&latency=800").await;
    assert!(agent.exists("[data-testid=chooser]").await);
    agent.eval("document.querySelector(\"[data-testid=candidate][data-entity='CONTACT:29']\").click(); return true;", vec![]).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Not blanked to a spinner: the list stays, with a line saying the record is coming.
    assert!(agent.exists("[data-testid=chooser]").await, "the screen was blanked");
    assert!(!agent.exists("[data-testid=loading]").await);
    assert!(agent.exists("[data-testid=loading-next]").await);
    assert_eq!(agent.attr("[data-testid=callcard]", "aria-busy").await.as_deref(), Some("true"));
    assert!(agent.wait_for("[data-testid=client]", Duration::from_secs(5)).await);
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Mikhail Orlov"));
    assert!(!agent.exists("[data-testid=loading-next]").await);
    assert_eq!(agent.attr("[data-testid=callcard]", "aria-busy").await, None);
    agent.close().await;
}
