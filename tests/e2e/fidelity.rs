//! The portal's own rules, as its public code shows them, and the card that relies on no kindness
//! the portal does not offer (sandbox/FIDELITY.md lists each rule with its source).

use serde_json::Value;
use std::time::Duration;

use crate::harness::Agent;

/// The commands of the card's batches as the sandbox received them: `(key, method, query)`.
/// A card searched by number is two batches sent together, logged in whichever order they
/// were answered.
fn batch_commands(agent: &Agent) -> Vec<(String, String, String)> {
    let requests = agent.rest_requests();
    assert!(requests.iter().any(|r| r["method"] == "batch"), "a batch");
    requests
        .iter()
        .filter(|r| r["method"] == "batch")
        .flat_map(|batch| batch["params"]["cmd"].as_object().expect("commands").iter())
        .map(|(key, cmd)| {
            let text = cmd.as_str().unwrap_or_default();
            let (method, query) = text.split_once('?').unwrap_or((text, ""));
            (key.clone(), method.to_string(), query.to_string())
        })
        .collect()
}

#[tokio::test]
async fn every_deal_shows_its_stage_whatever_its_pipeline() {
    let agent = Agent::open("known-contact").await;
    assert_eq!(agent.state().await, "ready", "the card loads: its statuses were asked in a way the portal supports");
    let deals = agent.texts("[data-testid=deal]").await;
    assert_eq!(deals.len(), 4, "{deals:?}");
    // The main pipeline's stage and a second pipeline's (DEAL_STAGE_1, stage C1:PREPARATION).
    assert!(deals.iter().any(|d| d.contains("Annual logistics contract") && d.contains("In progress")), "{deals:?}");
    let service = deals.iter().find(|d| d.contains("Forklift maintenance 2027")).expect("the pipeline-1 deal");
    assert!(service.contains("Site survey") && !service.contains("C1:"), "{service}");
    let stages = agent.texts("[data-testid=deal-stage]").await;
    assert!(stages.iter().all(|s| !s.contains(':')), "no raw stage ids: {stages:?}");
    let colours: Value = agent
        .eval("return [...document.querySelectorAll('[data-testid=deal-stage]')].map(e => e.style.backgroundColor);", vec![])
        .await;
    assert!(colours.as_array().unwrap().iter().all(|c| c.as_str().is_some_and(|c| c.starts_with("rgb"))), "{colours}");
    // One status list, no filter: an array ENTITY_ID would be HTTP 500 for the whole batch.
    let commands = batch_commands(&agent);
    let statuses: Vec<_> = commands.iter().filter(|(_, m, _)| m == "crm.status.list").collect();
    assert_eq!(statuses.len(), 1, "{statuses:?}");
    assert!(!statuses[0].2.contains("ENTITY_ID"), "{statuses:?}");
    agent.close().await;
}

#[tokio::test]
async fn the_portal_fails_a_whole_batch_on_an_array_where_it_reads_one_value() {
    // The sandbox does what PHP 8 does there: HTTP 500 with the portal's generic page.
    let agent = Agent::open("known-contact").await;
    let answer = agent
        .eval(
            r#"const [host, protocol] = window.name.split("|");
               const base = (protocol === "1" ? "https://" : "http://") + host;
               const auth = arguments[0];
               return (async () => {
                 const r = await fetch(base + "/rest/batch.json", { method: "POST",
                   headers: { "Content-Type": "application/x-www-form-urlencoded" },
                   body: "auth=" + encodeURIComponent(auth) +
                     "&cmd[a]=user.current&cmd[b]=" + encodeURIComponent("crm.status.list?filter[ENTITY_ID][]=STATUS&filter[ENTITY_ID][]=DEAL_STAGE") });
                 return [r.status, await r.text()];
               })();"#,
            vec![agent.portal_config().await["initData"]["AUTH_ID"].clone()],
        )
        .await;
    assert_eq!(answer[0], 500, "{answer}");
    assert!(answer[1].as_str().unwrap().contains("A error occurred during execution of this script"), "{answer}");
    agent.close().await;
}

#[tokio::test]
async fn a_record_opens_once_in_the_portals_slider() {
    let agent = Agent::open("known-contact").await;
    let windows = agent.window_count().await;
    agent.click("[data-testid=client-company]").await;
    assert_eq!(agent.portal_text("[data-testid=portal-slider-path]").await, "/crm/company/details/1/");
    // The portal answers only when the slider closes: longer than any answer a refusal takes.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(agent.window_count().await, windows, "the record must not open a second time in a new tab");
    agent.click_portal("[data-testid=portal-slider-close]").await;
    assert_eq!(agent.portal_text("#portal-status").await, "Closed /crm/company/details/1/");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(agent.window_count().await, windows);
    let opened = agent.frame_commands("openPath").await;
    assert_eq!(opened.iter().filter(|r| r["command"] == "openPath").count(), 1, "{opened:?}");
    agent.close().await;
}

#[tokio::test]
async fn where_the_portal_refuses_a_slider_the_record_opens_as_a_link() {
    // The portal's mobile app answers openPath at once: METHOD_NOT_SUPPORTED_ON_DEVICE.
    let agent = Agent::open("mobile-app").await;
    let windows = agent.window_count().await;
    agent.click("[data-testid=client-company]").await;
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while agent.window_count().await == windows && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(agent.window_count().await, windows + 1, "refused: the record opens as a link");
    agent.close().await;
}

#[tokio::test]
async fn a_page_opened_by_get_speaks_the_portals_language() {
    // static-app: a German portal opens the app by GET; the language comes from getInitData.
    let agent = Agent::open("static-app").await;
    assert_eq!(agent.state().await, "ready");
    assert_eq!(agent.eval("return document.documentElement.lang;", vec![]).await, "de");
    assert_eq!(agent.attr("[data-testid=callcard]", "lang").await.as_deref(), Some("de"));
    assert_eq!(agent.text("[data-testid=call-direction]").await.as_deref(), Some("Eingehender Anruf"));
    agent.close().await;
    // A POSTed page says it at once, on the document too.
    let agent = Agent::open("known-lead").await;
    assert_eq!(agent.eval("return document.documentElement.lang;", vec![]).await, "ru");
    agent.close().await;
}

#[tokio::test]
async fn a_responsible_person_is_asked_by_one_id_never_an_array() {
    // A company caller: no contact matched, so `$result[contacts][0][ASSIGNED_BY_ID]` has no row
    // to reach; as a whole value it would be an array, which user.get cannot take.
    let agent = Agent::open("known-company").await;
    assert_eq!(agent.state().await, "ready");
    assert!(agent.text("[data-testid=responsible-name]").await.is_some_and(|n| !n.is_empty()));
    for (key, method, query) in batch_commands(&agent) {
        if method == "user.get" {
            // `$result[…][ASSIGNED_BY_ID] `, the blank encoded either way.
            let text = query.starts_with("ID=%24result%5B") && (query.ends_with("%5D%20") || query.ends_with("%5D+"));
            assert!(text, "{key}: {query}");
        }
    }
    agent.close().await;
}

#[tokio::test]
async fn the_number_marked_is_the_one_the_portal_matched() {
    // Stored "+49 89 4567 8900#214": the portal's match code cuts the extension, so the
    // switchboard's number finds her, and that stored number is the one marked.
    let agent = Agent::open("extension-number").await;
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Lena Hofmann"));
    let matched = agent.texts("[data-testid=client-phones] li[data-matched=true]").await;
    assert_eq!(matched.len(), 1, "{matched:?}");
    assert!(matched[0].contains("+49 89 4567 8900#214"), "{matched:?}");
    agent.close().await;
}
