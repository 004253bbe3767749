//! During the call: comments that are never lost, creating an unknown caller, live call
//! events, and a session that survives token expiry and rate limits.

use serde_json::{json, Value};
use std::time::Duration;

use crate::harness::Agent;

fn count(calls: &[(String, u64)], method: &str) -> usize {
    calls.iter().filter(|(m, _)| m == method).count()
}

#[tokio::test]
async fn a_comment_is_saved_shown_at_the_top_and_kept() {
    let mut agent = Agent::open("known-contact").await;
    agent.type_into("[data-testid=comment-text]", "Wants a callback on Friday").await;
    agent.click("[data-testid=comment-save]").await;
    assert!(agent.wait_for_text("[data-testid=comment] .comment-text", "Wants a callback on Friday", Duration::from_secs(3)).await);
    // At the top: above the comments the card loaded.
    let comments = agent.texts("[data-testid=comment] .comment-text").await;
    assert_eq!(comments[0], "Wants a callback on Friday", "{comments:?}");
    assert_eq!(agent.value("[data-testid=comment-text]").await.unwrap_or_default(), "");
    let calls = agent.rest_calls();
    assert_eq!(calls, vec![("batch".into(), 200), ("batch".into(), 200), ("crm.timeline.comment.add".into(), 200)], "no reload of the card");
    // On the timeline for good: the card opened again lists it (other tests comment on the same
    // contact at the same time, so not necessarily first).
    agent.reopen("known-contact").await;
    let again = agent.texts("[data-testid=comment] .comment-text").await;
    assert!(again.contains(&"Wants a callback on Friday".to_string()), "{again:?}");
    agent.close().await;
}

#[tokio::test]
async fn a_failed_save_keeps_the_text_and_a_retry_saves_it() {
    let agent = Agent::open("known-contact").await;
    assert_eq!(agent.sandbox_post("fail&method=crm.timeline.comment.add", ""), 204);
    agent.type_into("[data-testid=comment-text]", "Offer 5% discount").await;
    agent.click("[data-testid=comment-save]").await;
    assert!(agent.wait_for("[data-testid=comment-error]", Duration::from_secs(3)).await);
    assert_eq!(agent.attr("[data-testid=comment-error]", "data-problem").await.as_deref(), Some("server"));
    assert_eq!(agent.value("[data-testid=comment-text]").await.as_deref(), Some("Offer 5% discount"));
    agent.click("[data-testid=comment-save]").await;
    assert!(agent.wait_for_text("[data-testid=comment] .comment-text", "Offer 5% discount", Duration::from_secs(3)).await);
    assert!(!agent.exists("[data-testid=comment-error]").await);
    let calls = agent.rest_calls();
    assert_eq!(&calls[2..], [("crm.timeline.comment.add".to_string(), 500), ("crm.timeline.comment.add".to_string(), 200)]);
    agent.close().await;
}

#[tokio::test]
async fn a_draft_survives_a_reload_and_holds_the_card_open() {
    let mut agent = Agent::open("known-contact").await;
    agent.type_into("[data-testid=comment-text]", "Half-typed thought").await;
    let frame = agent.frame_commands("disableAutoClose").await;
    assert!(frame.iter().any(|r| r["command"] == "disableAutoClose"), "{frame:?}");
    // The portal closes the card (BeforeClose), then the agent opens it again.
    agent.click_portal("[data-testid=portal-close]").await;
    assert_eq!(agent.portal_body_attr("data-card-closed", "true", Duration::from_secs(2)).await.as_deref(), Some("true"));
    agent.reopen("known-contact").await;
    assert_eq!(agent.value("[data-testid=comment-text]").await.as_deref(), Some("Half-typed thought"));
    // Still unsaved after the reload: the new opening asks to stay open too.
    assert!(agent.frame_commands("disableAutoClose").await.iter().any(|r| r["command"] == "disableAutoClose"));
    // Emptied: the card is given back.
    agent.eval(
        "const t = document.querySelector('[data-testid=comment-text]'); t.value = ''; t.dispatchEvent(new Event('input')); return true;",
        vec![],
    )
    .await;
    assert!(agent.frame_commands("enableAutoClose").await.iter().any(|r| r["command"] == "enableAutoClose"));
    agent.close().await;
}

#[tokio::test]
async fn a_call_bound_to_a_deal_can_comment_on_the_deal() {
    let agent = Agent::open("bound-entity").await;
    agent.eval(
        // What a browser fires when the agent picks an option: `input`, then `change`.
        "const s = document.querySelector('[data-testid=comment-target]'); s.value = 'deal'; \
         s.dispatchEvent(new Event('input', { bubbles: true })); s.dispatchEvent(new Event('change', { bubbles: true })); return true;",
        vec![],
    )
    .await;
    agent.type_into("[data-testid=comment-text]", "Deal note").await;
    agent.click("[data-testid=comment-save]").await;
    assert!(agent.wait_for_text("[data-testid=comment] .comment-text", "Deal note", Duration::from_secs(3)).await);
    let added = agent.rest_requests().into_iter().find(|r| r["method"] == "crm.timeline.comment.add").unwrap();
    assert_eq!(added["params"]["fields"]["ENTITY_TYPE"], "deal");
    assert_eq!(added["params"]["fields"]["ENTITY_ID"], "5");
    agent.close().await;
}

#[tokio::test]
async fn a_double_click_saves_once_and_ctrl_enter_saves() {
    let agent = Agent::open("known-contact").await;
    agent.type_into("[data-testid=comment-text]", "Only once").await;
    agent.eval("const b = document.querySelector('[data-testid=comment-save]'); b.click(); b.click(); return true;", vec![]).await;
    assert!(agent.wait_for_text("[data-testid=comment] .comment-text", "Only once", Duration::from_secs(3)).await);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(count(&agent.rest_calls(), "crm.timeline.comment.add"), 1);
    agent.type_into("[data-testid=comment-text]", "By keyboard").await;
    agent.type_into("[data-testid=comment-text]", "\u{E009}\u{E007}").await; // Ctrl+Enter
    assert!(agent.wait_for_text("[data-testid=comment] .comment-text", "By keyboard", Duration::from_secs(3)).await);
    assert_eq!(agent.texts("[data-testid=comment] .comment-text").await[..2], ["By keyboard".to_string(), "Only once".to_string()]);
    agent.close().await;
}

#[tokio::test]
async fn an_unknown_caller_becomes_a_contact_or_a_lead() {
    let agent = Agent::open("unknown-number").await;
    agent.click("[data-testid=new-contact]").await;
    assert_eq!(agent.value("[data-testid=phone]").await.as_deref(), Some("+1 202 555 0123"), "prefilled with its +, grouped");
    // Nothing typed: said inline, nothing sent.
    agent.click("[data-testid=create-submit]").await;
    assert_eq!(agent.text("[data-testid=field-error]").await.as_deref(), Some("Enter a first or last name."));
    assert_eq!(count(&agent.rest_calls(), "crm.contact.add"), 0);
    // Other tests call from the same unknown number: this one stores another, so that the
    // scenario's number stays unknown for them.
    agent.set_value("[data-testid=phone]", "+1 202 555 0191").await;
    agent.type_into("[data-testid=first-name]", "Grace").await;
    agent.type_into("[data-testid=last-name]", "Hopper").await;
    agent.type_into("[data-testid=email]", "grace@example.com").await;
    agent.eval("const b = document.querySelector('[data-testid=create-submit]'); b.click(); b.click(); return true;", vec![]).await;
    assert!(agent.wait_for("[data-testid=client]", Duration::from_secs(5)).await);
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Grace Hopper"));
    assert_eq!(agent.text("[data-testid=notice]").await.as_deref(), Some("Contact created."));
    assert!(agent.text("[data-testid=client-phones]").await.unwrap().contains("+1 202 555 0191"));
    assert_eq!(count(&agent.rest_calls(), "crm.contact.add"), 1, "a double submit creates one record");
    agent.close().await;

    let agent = Agent::open("unknown-number").await;
    agent.click("[data-testid=new-lead]").await;
    agent.set_value("[data-testid=phone]", "+1 202 555 0192").await;
    agent.type_into("[data-testid=last-name]", "Lovelace").await;
    agent.type_into("[data-testid=company]", "Analytical Engines").await;
    agent.click("[data-testid=create-submit]").await;
    assert!(agent.wait_for("[data-testid=client]", Duration::from_secs(5)).await);
    assert_eq!(agent.text("[data-testid=client-kind]").await.as_deref(), Some("LEAD"));
    assert_eq!(agent.text("[data-testid=client-company]").await.as_deref(), Some("Analytical Engines"));
    assert_eq!(agent.text("[data-testid=notice]").await.as_deref(), Some("Lead created."));
    agent.close().await;
}

#[tokio::test]
async fn a_failed_creation_keeps_every_field() {
    let agent = Agent::open("unknown-number").await;
    agent.sandbox_post("fail&method=crm.contact.add", "");
    agent.click("[data-testid=new-contact]").await;
    agent.set_value("[data-testid=phone]", "+1 202 555 0193").await;
    agent.type_into("[data-testid=first-name]", "Alan").await;
    agent.type_into("[data-testid=email]", "alan@example.com").await;
    agent.click("[data-testid=create-submit]").await;
    assert!(agent.wait_for("[data-testid=create-error]", Duration::from_secs(3)).await);
    assert_eq!(agent.value("[data-testid=first-name]").await.as_deref(), Some("Alan"));
    assert_eq!(agent.value("[data-testid=email]").await.as_deref(), Some("alan@example.com"));
    agent.click("[data-testid=create-submit]").await;
    assert!(agent.wait_for("[data-testid=client]", Duration::from_secs(5)).await);
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Alan"));
    agent.close().await;
}

#[tokio::test]
async fn the_call_state_and_the_next_client_change_live() {
    let agent = Agent::open("call-list").await;
    assert_eq!(agent.text("[data-testid=call-list-mode]").await.as_deref(), Some("Call list"));
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Anna Schmidt"));
    agent.click_portal("[data-testid=portal-connected]").await;
    assert!(agent.wait_for("[data-testid=call-state]", Duration::from_secs(1)).await);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(agent.text("[data-testid=call-state]").await.as_deref(), Some("Connected"));
    assert_eq!(agent.attr("[data-testid=call-state]", "aria-live").await.as_deref(), Some("polite"));
    agent.type_into("[data-testid=comment-text]", "Note for Anna").await;
    // Next client of the list: the card switches, Anna's draft stays hers.
    agent.click_portal("[data-testid=portal-next-client]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(agent.wait_for("[data-testid=client][data-entity='CONTACT:25']", Duration::from_secs(5)).await);
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Thomas Schneider"));
    assert_eq!(agent.value("[data-testid=comment-text]").await.as_deref(), Some(""));
    let kept = agent.eval("return Object.keys(sessionStorage).filter(k => k.includes('CONTACT:1')).map(k => sessionStorage.getItem(k));", vec![]).await;
    assert_eq!(kept, json!(["Note for Anna"]));
    agent.click_portal("[data-testid=portal-hang-up]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(agent.text("[data-testid=call-state]").await.as_deref(), Some("Call ended"));
    agent.close().await;
}

#[tokio::test]
async fn an_expired_token_is_renewed_without_the_agent_noticing() {
    // The token lives 3 s, less than the minute the widget renews ahead: due before every request.
    let agent = Agent::open("expired-token").await;
    agent.type_into("[data-testid=comment-text]", "After expiry").await;
    agent.click("[data-testid=comment-save]").await;
    assert!(agent.wait_for_text("[data-testid=comment] .comment-text", "After expiry", Duration::from_secs(5)).await);
    assert!(!agent.exists("[data-testid=comment-error]").await);
    // So the widget renewed it through the frame before using it again, and met no 401.
    let frame = agent.frame_commands("refreshAuth").await;
    assert!(frame.iter().any(|r| r["command"] == "refreshAuth"), "{frame:?}");
    assert!(agent.rest_calls().iter().all(|(_, status)| *status == 200), "{:?}", agent.rest_calls());
    agent.close().await;
}

#[tokio::test]
async fn a_token_that_really_expired_is_refused_renewed_once_and_the_request_repeated() {
    // The default lifetime (an hour): nothing is due, so the widget sends the old token and the
    // portal, whose tokens were made to expire now, answers 401.
    let agent = Agent::open("known-contact").await;
    assert_eq!(agent.sandbox_post("expire", ""), 204);
    agent.type_into("[data-testid=comment-text]", "After a real expiry").await;
    agent.click("[data-testid=comment-save]").await;
    assert!(agent.wait_for_text("[data-testid=comment] .comment-text", "After a real expiry", Duration::from_secs(5)).await);
    assert!(!agent.exists("[data-testid=comment-error]").await);
    let adds: Vec<u64> = agent.rest_calls().into_iter().filter(|(m, _)| m == "crm.timeline.comment.add").map(|(_, s)| s).collect();
    assert_eq!(adds, [401, 200], "refused, then repeated with the new token");
    let renewals = agent.frame_commands("refreshAuth").await.into_iter().filter(|r| r["command"] == "refreshAuth").count();
    assert_eq!(renewals, 1, "one renewal");
    agent.close().await;
}

#[tokio::test]
async fn a_tab_that_becomes_visible_again_renews_a_due_token_first() {
    let agent = Agent::open("expired-token").await;
    let renewals = |log: Vec<serde_json::Value>| log.into_iter().filter(|r| r["command"] == "refreshAuth").count();
    let before = renewals(agent.frame_commands("getInitData").await);
    let requests = agent.rest_calls().len();
    // The agent comes back to the tab (the browser fires visibilitychange with the tab visible).
    agent.eval("document.dispatchEvent(new Event('visibilitychange')); return true;", vec![]).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    while renewals(agent.frame_commands("refreshAuth").await) == before && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(renewals(agent.frame_commands("refreshAuth").await), before + 1, "renewed on coming back");
    assert_eq!(agent.rest_calls().len(), requests, "without a request of its own");
    agent.close().await;
}

#[tokio::test]
async fn a_portal_that_never_renews_gets_a_clear_message_not_a_hang() {
    let agent = Agent::open("refresh-never-answers").await;
    agent.sandbox_post("expire", "");
    agent.type_into("[data-testid=comment-text]", "Unsaved but kept").await;
    agent.click("[data-testid=comment-save]").await;
    assert!(agent.wait_for("[data-testid=comment-error]", Duration::from_secs(14)).await, "no answer after the renewal timed out");
    assert_eq!(agent.attr("[data-testid=comment-error]", "data-problem").await.as_deref(), Some("auth"));
    let said = agent.text("[data-testid=comment-error]").await.unwrap();
    assert!(said.contains("Reopen the call card"), "{said}");
    let technical = agent.text_content("[data-testid=comment-error] [data-testid=error-technical]").await.unwrap();
    assert!(technical.contains("did not renew"), "{technical}");
    assert_eq!(agent.value("[data-testid=comment-text]").await.as_deref(), Some("Unsaved but kept"));
    agent.close().await;
}

#[tokio::test]
async fn a_rate_limited_card_backs_off_and_recovers() {
    let agent = Agent::open("rate-limited").await;
    assert_eq!(agent.state().await, "ready");
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Anna Schmidt"));
    let calls = agent.rest_calls();
    assert_eq!(calls.first(), Some(&("batch".to_string(), 503)), "{calls:?}");
    assert_eq!(calls.iter().filter(|c| **c == ("batch".to_string(), 200)).count(), 2, "both parts came: {calls:?}");
    assert!(calls.len() <= 6, "bounded retries: {calls:?}");
    assert!(!agent.exists("[data-testid=retrying]").await, "the retrying notice goes once it worked");
    agent.close().await;
}

#[tokio::test]
async fn a_new_deal_for_the_caller_in_one_click_opens_and_shows_on_the_card() {
    // A portal of its own: the new deal would reach other tests' cards.
    let sandbox = crate::harness::run_sandbox(crate::harness::config(crate::harness::root().join("dist")));
    let agent = Agent::open_on(&sandbox, "known-contact").await;
    assert_eq!(agent.texts("[data-testid=deal]").await.len(), 4);
    agent.click("[data-testid=new-deal]").await;
    // Titled after the client; the agent makes it theirs.
    assert_eq!(agent.value("[data-testid=new-deal-title]").await.as_deref(), Some("Anna Schmidt"));
    agent.set_value("[data-testid=new-deal-title]", "Warehouse racks").await;
    agent.eval("const b = document.querySelector('[data-testid=new-deal-create]'); b.click(); b.click(); return true;", vec![]).await;
    let shown = agent.wait_for_text("[data-testid=deal] .deal-title", "Warehouse racks", Duration::from_secs(5)).await;
    assert!(shown, "on the card: {:?} {:?} {:?}", agent.texts("[data-testid=deal] .deal-title").await, agent.rest_calls(), agent.text("[data-testid=new-deal-error]").await);
    assert_eq!(agent.text("[data-testid=notice]").await.as_deref(), Some("Deal created."));
    assert_eq!(agent.texts("[data-testid=deal]").await.len(), 5);
    // Sent once, bound to her and her company; the responsible is the portal's default, the agent.
    let added: Vec<Value> = agent.rest_requests().into_iter().filter(|r| r["method"] == "crm.deal.add").collect();
    assert_eq!(added.len(), 1, "{added:?}");
    let fields = &added[0]["params"]["fields"];
    assert_eq!((fields["TITLE"].as_str(), fields["COMPANY_ID"].as_str()), (Some("Warehouse racks"), Some("1")), "{fields}");
    assert_eq!(fields["CONTACT_IDS"], json!(["1"]), "{fields}");
    assert!(fields.get("ASSIGNED_BY_ID").is_none());
    // And it opens in the portal's slider.
    let opened = agent.frame_commands("openPath").await;
    assert!(opened.iter().any(|c| c.to_string().contains("/crm/deal/details/")), "{opened:?}");
    agent.close().await;
}

#[tokio::test]
async fn a_follow_up_call_is_scheduled_once_for_the_next_working_morning_and_shows_as_due() {
    // A portal of its own: the new activity would reach other tests' cards.
    let sandbox = crate::harness::run_sandbox(crate::harness::config(crate::harness::root().join("dist")));
    let agent = Agent::open_on(&sandbox, "known-contact").await;
    let past_calls = agent.texts("[data-testid=past-call]").await;
    agent.click("[data-testid=follow-up]").await;
    // The next working day at 10:00, the agent's time; a subject to keep or change.
    let proposed = agent.value("[data-testid=follow-up-time]").await.unwrap();
    assert!(proposed.ends_with("T10:00") && proposed.len() == 16, "{proposed}");
    let weekday = agent.eval("return new Date(arguments[0]).getDay();", vec![json!(proposed)]).await;
    assert!((1..=5).contains(&weekday.as_i64().unwrap()), "{proposed} is a working day");
    assert_eq!(agent.value("[data-testid=follow-up-subject]").await.as_deref(), Some("Call back"));
    // A date-and-time field takes no typed text in every locale: set as a picker sets it.
    let pick = |value: &str| {
        format!("const e = document.querySelector('[data-testid=follow-up-time]'); e.value = '{value}'; e.dispatchEvent(new Event('input', {{ bubbles: true }})); return e.value;")
    };
    // No time: said, nothing sent.
    agent.eval(&pick(""), vec![]).await;
    agent.click("[data-testid=follow-up-create]").await;
    assert_eq!(agent.text("[data-testid=follow-up-time-error]").await.as_deref(), Some("Choose a day and time."));
    assert_eq!(count(&agent.rest_calls(), "crm.activity.add"), 0);
    assert_eq!(agent.eval(&pick("2030-01-15T10:30"), vec![]).await, "2030-01-15T10:30");
    agent.set_value("[data-testid=follow-up-subject]", "Confirm the racks").await;
    agent.eval("const b = document.querySelector('[data-testid=follow-up-create]'); b.click(); b.click(); return true;", vec![]).await;
    assert!(agent.wait_for_text("[data-testid=activity] .activity-subject", "Confirm the racks", Duration::from_secs(5)).await, "on the card");
    assert_eq!(agent.text("[data-testid=notice]").await.as_deref(), Some("Follow-up call scheduled."));
    // Once; an outgoing call to the number that called, the agent responsible (from the card's
    // own request), at the time chosen in the agent's zone.
    let added: Vec<Value> = agent.rest_requests().into_iter().filter(|r| r["method"] == "crm.activity.add").collect();
    assert_eq!(added.len(), 1, "{added:?}");
    let fields = &added[0]["params"]["fields"];
    assert_eq!((fields["OWNER_TYPE_ID"].as_str(), fields["OWNER_ID"].as_str(), fields["TYPE_ID"].as_str()), (Some("3"), Some("1"), Some("2")), "{fields}");
    assert_eq!((fields["RESPONSIBLE_ID"].as_str(), fields["COMMUNICATIONS"][0]["VALUE"].as_str()), (Some("1"), Some("49301234567")), "{fields}");
    let at = agent.eval("return new Date('2030-01-15T10:30').toISOString().slice(0, 19) + '+00:00';", vec![]).await;
    assert_eq!(fields["START_TIME"], at, "{fields}");
    // A call planned is no past call: the history is as it was.
    assert_eq!(agent.texts("[data-testid=past-call]").await, past_calls);
    agent.close().await;
}

#[tokio::test]
async fn a_follow_up_on_a_call_with_a_deal_is_the_deals_and_shows_as_due() {
    // A portal of its own: the new activity would reach other tests' cards.
    let sandbox = crate::harness::run_sandbox(crate::harness::config(crate::harness::root().join("dist")));
    let agent = Agent::open_on(&sandbox, "bound-entity").await;
    // The call is bound to contact 4 and deal 5, which the card shows as this call's.
    assert_eq!(agent.attr_all("[data-testid=deal]", "data-bound").await.first().map(String::as_str), Some("true"));
    let past_calls = agent.texts("[data-testid=past-call]").await;
    agent.click("[data-testid=follow-up]").await;
    agent.set_value("[data-testid=follow-up-subject]", "Send the signed order").await;
    agent.click("[data-testid=follow-up-create]").await;
    assert!(agent.wait_for_text("[data-testid=activity] .activity-subject", "Send the signed order", Duration::from_secs(5)).await, "on the card");
    // Owned by the deal, the client its one communication: the portal binds it to both.
    let added: Vec<Value> = agent.rest_requests().into_iter().filter(|r| r["method"] == "crm.activity.add").collect();
    assert_eq!(added.len(), 1, "{added:?}");
    let fields = &added[0]["params"]["fields"];
    assert_eq!((fields["OWNER_TYPE_ID"].as_str(), fields["OWNER_ID"].as_str()), (Some("2"), Some("5")), "{fields}");
    let to = &fields["COMMUNICATIONS"][0];
    assert_eq!((to["ENTITY_TYPE_ID"].as_str(), to["ENTITY_ID"].as_str(), to["VALUE"].as_str()), (Some("3"), Some("4"), Some("78125550123")), "{fields}");
    // A call planned is no past call: the history is as it was.
    assert_eq!(agent.texts("[data-testid=past-call]").await, past_calls);
    agent.close().await;
}
