//! A real portal's own time: the sandbox charges it as the docs show it, and the card names the
//! caller from its first, small request while the second brings the rest.

use serde_json::{json, Value};
use std::time::{Duration, Instant};

use crate::harness::{issue, rest, sandbox, Agent};

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn the_portal_takes_its_own_time_command_after_command_and_says_so() {
    let base = &sandbox().portal_url;
    // The `time-limited` scenario runs with the docs' server time (and a budget large enough for
    // one call of each method).
    let token = issue(base, "time-limited")["initData"]["AUTH_ID"].as_str().unwrap().to_string();
    let asked = Instant::now();
    let (status, body) = rest(base, "batch", FORM, &format!("cmd[a]=user.get%3FID%3D1&cmd[b]=crm.status.list&auth={token}"));
    let took = asked.elapsed();
    assert_eq!(status, 200, "{body}");
    // 35 ms for the request, then user.get (18.8 ms) and crm.status.list (5.1 ms) in turn.
    assert!(took >= Duration::from_millis(58), "answered in {took:?}");
    let time = &body["time"];
    assert!((time["processing"].as_f64().unwrap() - 0.0239).abs() < 0.001, "{time}");
    assert!(time["duration"].as_f64().unwrap() >= 0.0589, "{time}");
    assert!(time["operating"].as_f64().unwrap() >= 0.0239 && time["operating_reset_at"].as_i64().unwrap() > time["start"].as_f64().unwrap() as i64 + 590, "{time}");
    let (a, b) = (&body["result"]["result_time"]["a"], &body["result"]["result_time"]["b"]);
    assert!((a["processing"].as_f64().unwrap() - 0.0188).abs() < 1e-6, "{a}");
    assert!(b["start"].as_f64().unwrap() >= a["finish"].as_f64().unwrap(), "one after the other: {a} {b}");
    // Without it (the tests' default), the same batch answers at once.
    let token = issue(base, "known-contact")["initData"]["AUTH_ID"].as_str().unwrap().to_string();
    let asked = Instant::now();
    let (status, body) = rest(base, "batch", FORM, &format!("cmd[a]=user.get%3FID%3D1&auth={token}"));
    assert_eq!((status, body["result"]["result"]["a"][0]["ID"].clone()), (200, json!("1")));
    assert!(asked.elapsed() < Duration::from_millis(50), "{:?}", asked.elapsed());
}

#[tokio::test]
async fn the_caller_is_named_while_the_rest_of_the_card_loads() {
    // With the portal's own time the identity part takes ~0.9 s and the rest ~1.6 s.
    let agent = Agent::open_unsettled("known-contact&server_time=docs").await;
    assert!(agent.wait_for("[data-testid=client-name]", Duration::from_secs(10)).await, "no name");
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Anna Schmidt"));
    // The sections still loading hold their place; the card is not settled yet.
    assert!(agent.exists("[data-testid=activities] [data-testid=section-loading]").await, "no placeholder");
    assert_eq!(agent.attr("[data-testid=deals]", "aria-busy").await.as_deref(), Some("true"));
    assert_eq!(agent.state().await, "loading");
    assert_eq!(agent.text("[data-testid=responsible-name]").await.as_deref(), Some("Thomas Becker"));
    agent.wait_settled().await;
    assert!(!agent.exists("[data-testid=section-loading]").await);
    assert_eq!(agent.texts("[data-testid=deal]").await.len(), 4);
    let batches: Vec<Value> = agent.rest_requests().into_iter().filter(|r| r["method"] == "batch").collect();
    assert_eq!(batches.len(), 2, "two requests");
    let server = |key: &str| batches.iter().find(|r| r["params"]["cmd"].get(key).is_some()).unwrap()["server_ms"].as_f64().unwrap();
    let (identity, context) = (server("stages"), server("comments_contacts"));
    assert!(identity < context, "the identity part is the lighter one: {identity} vs {context}");
    // The widget's own marks: the name came before the whole card, by about their difference.
    let marks = agent
        .eval("return ['callcard-asked', 'callcard-name', 'callcard-ready'].map(n => performance.getEntriesByName(n)[0].startTime);", vec![])
        .await;
    let at = |i: usize| marks[i].as_f64().unwrap();
    assert!(at(1) - at(0) >= identity && at(1) - at(0) < identity + 400.0, "name {} ms after asking", at(1) - at(0));
    assert!(at(2) - at(1) >= (context - identity) * 0.8, "whole card {} ms after the name", at(2) - at(1));
    agent.close().await;
}

#[tokio::test]
async fn a_failed_second_request_fails_its_sections_and_the_caller_stands() {
    let agent = Agent::open("context-fails").await;
    assert_eq!(agent.state().await, "ready");
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Anna Schmidt"));
    assert_eq!(agent.text("[data-testid=responsible-name]").await.as_deref(), Some("Thomas Becker"));
    let failed: Vec<String> = {
        let mut v = Vec::new();
        for section in ["deals", "activities", "comments"] {
            let css = format!("[data-testid={section}] [data-testid=section-error]");
            assert_eq!(agent.attr(&css, "data-problem").await.as_deref(), Some("server"), "{section}");
            v.push(section.to_string());
        }
        v
    };
    assert_eq!(failed.len(), 3);
    assert!(agent.exists("[data-testid=section-retry]").await);
    // The identity part once, the context part asked again as a read whose reply was lost.
    let calls = agent.rest_calls();
    assert_eq!(calls.iter().filter(|c| c.1 == 200).count(), 1, "{calls:?}");
    assert!(calls.iter().filter(|c| c.1 == 500).count() >= 2, "{calls:?}");
    agent.close().await;
}

#[tokio::test]
async fn a_pick_before_the_rest_of_the_card_came_drops_its_request_and_its_answer() {
    // The choice shows from the identity part (~0.9 s of the portal's time); the agent picks
    // while the context part (~1.7 s) is still being worked on.
    let agent = Agent::open_unsettled("several-matches&server_time=docs").await;
    assert!(agent.wait_for("[data-testid=chooser]", Duration::from_secs(10)).await, "no choice");
    assert!(agent.exists("[data-testid=section-loading]").await || agent.state().await == "loading", "the context part is still on its way");
    agent.eval("document.querySelector(\"[data-testid=candidate][data-entity='CONTACT:29']\").click(); return true;", vec![]).await;
    assert!(agent.wait_for_text("[data-testid=client-name]", "Mikhail Orlov", Duration::from_secs(10)).await);
    agent.wait_settled().await;
    // Well past the moment the abandoned answer would have come: the pick stands, complete.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Mikhail Orlov"));
    assert!(!agent.exists("[data-testid=chooser]").await);
    assert!(!agent.exists("[data-testid=section-loading]").await);
    assert_eq!(agent.state().await, "ready");
    // The abandoned request was aborted while the portal worked on it: it never completed
    // (the sandbox logs a request when it answers). The search's first part and the pick did.
    let batches: Vec<Value> = agent.rest_requests().into_iter().filter(|r| r["method"] == "batch").collect();
    let context = batches.iter().filter(|r| r["params"]["cmd"].get("comments_contacts").is_some() && r["params"]["cmd"].get("match").is_some()).count();
    assert_eq!((batches.len(), context), (2, 0), "{batches:?}");
    agent.close().await;
}
