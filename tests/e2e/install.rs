//! Installing the app and its own page: the portal opens the widget as its installation step,
//! the widget binds the call card tab and finishes, and only then call cards show the tab. Each
//! test that changes the installation has a fresh sandbox of its own.

use serde_json::Value;
use std::time::Duration;

use crate::harness::{fresh_sandbox, issue, sandbox, sandbox_request_typed, Agent};

const SETTLE: Duration = Duration::from_secs(10);

/// Waits until the app page reports `outcome` (`installed`, `bound`, `blocked`…).
async fn outcome(agent: &Agent) -> Option<String> {
    agent.wait_for("[data-testid=app-outcome]", SETTLE).await;
    agent.attr("[data-testid=app-outcome]", "data-outcome").await
}

/// A REST call with a form body, as a script outside the widget would make it.
fn rest(portal: &str, method: &str, form: &str) -> (u16, String) {
    sandbox_request_typed(portal, "POST", &format!("/rest/{method}.json"), "application/x-www-form-urlencoded", form)
}

/// How many times the widget sent the portal `command`.
async fn sent(agent: &Agent, command: &str) -> usize {
    agent.frame_commands(command).await.iter().filter(|r| r["command"] == command).count()
}

fn methods(agent: &Agent) -> Vec<String> {
    agent.rest_requests().iter().map(|r| r["method"].as_str().unwrap_or_default().to_string()).collect()
}

#[tokio::test]
async fn a_fresh_install_binds_the_tab_finishes_and_then_call_cards_show_it() {
    let portal = fresh_sandbox();
    let mut agent = Agent::browser_on(&portal).await;
    assert!(!agent.visit("known-contact").await, "no tab before the app is installed");
    let why = agent.portal_text("[data-testid=portal-no-tab]").await;
    assert!(why.contains("installation is not finished"), "{why}");

    assert!(agent.visit("install").await);
    assert_eq!(outcome(&agent).await.as_deref(), Some("installed"));
    let done = agent.text("[data-testid=app-outcome]").await.unwrap();
    assert!(done.contains("Reload the portal page"), "{done}");
    // One look (a batch), one bind, then the portal is told.
    assert_eq!(methods(&agent), ["batch", "placement.bind", "batch"]);
    let bind = &agent.rest_requests()[1]["params"];
    assert_eq!(bind["PLACEMENT"], "CALL_CARD");
    assert_eq!(bind["HANDLER"], format!("{}/", portal.widget_url));
    assert_eq!(bind["LANG_ALL"]["de"]["TITLE"], "Anruferkarte");
    assert_eq!(sent(&agent, "setInstall").await, 1, "the app says it runs its installation");
    assert_eq!(sent(&agent, "setInstallFinish").await, 1);
    assert_eq!(agent.portal_body_attr("data-installed", "true", SETTLE).await.as_deref(), Some("true"));
    assert_eq!(agent.attr("[data-testid=tab-state]", "data-tab").await.as_deref(), Some("here"));

    // A call card opened now has the tab, titled in the portal's language, and it works.
    assert!(agent.visit("known-contact&lang=de").await);
    assert_eq!(agent.portal_text("[data-testid=portal-tab]").await, "Anruferkarte");
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Anna Schmidt"));

    // Installing again (a reinstall) finds the tab bound here and only finishes.
    assert!(agent.visit("install").await);
    assert_eq!(outcome(&agent).await.as_deref(), Some("installed"));
    assert_eq!(methods(&agent), ["batch", "batch"], "nothing bound twice");
    agent.close().await;
}

#[tokio::test]
async fn the_app_page_reports_the_tab_bound_and_unbound_and_an_admin_can_change_it() {
    let portal = fresh_sandbox();
    let mut agent = Agent::browser_on(&portal).await;
    assert!(agent.visit("app-home").await);
    assert_eq!(agent.attr("[data-testid=tab-state]", "data-tab").await.as_deref(), Some("unbound"));
    assert_eq!(agent.text("[data-testid=this-handler]").await, Some(format!("{}/", portal.widget_url)));
    // The scopes the app has against those it needs.
    let granted = agent.texts("[data-testid=scopes] li[data-granted=true]").await;
    assert_eq!(granted.len(), 4, "{granted:?}");
    assert!(!agent.exists("[data-testid=app-unbind]").await);

    agent.click("[data-testid=app-bind]").await;
    assert_eq!(outcome(&agent).await.as_deref(), Some("bound"));
    assert!(agent.text("[data-testid=app-outcome]").await.unwrap().contains("Reload the portal page (F5)"));
    assert_eq!(agent.attr("[data-testid=tab-state]", "data-tab").await.as_deref(), Some("here"));
    // Bound but the installation never finished: still no tab.
    assert!(!agent.visit("known-contact").await);

    assert!(agent.visit("app-home").await);
    assert_eq!(agent.attr("[data-testid=tab-state]", "data-tab").await.as_deref(), Some("here"));
    agent.click("[data-testid=app-unbind]").await;
    assert_eq!(outcome(&agent).await.as_deref(), Some("unbound"));
    assert_eq!(agent.attr("[data-testid=tab-state]", "data-tab").await.as_deref(), Some("unbound"));
    agent.close().await;
}

#[tokio::test]
async fn on_the_preinstalled_portal_the_app_page_finds_the_tab_bound_to_this_deployment() {
    let agent = Agent::open("app-home&lang=ru").await;
    assert_eq!(agent.attr("[data-testid=tab-state]", "data-tab").await.as_deref(), Some("here"));
    assert_eq!(agent.text("[data-testid=tab-state]").await.as_deref(), Some("Привязана к этому экземпляру: карточки звонков показывают вкладку."));
    assert!(agent.exists("[data-testid=app-unbind]").await);
    assert_eq!(agent.rest_requests().len(), 1, "the page's look costs one batch");
    // Its own styles (style/app-page.css, which the call card does not load) are on it.
    let actions = agent.eval("return getComputedStyle(document.querySelector('.app-actions')).display;", vec![]).await;
    assert_eq!(actions, "flex");
    agent.close().await;
}

#[tokio::test]
async fn a_user_who_is_not_an_administrator_cannot_unbind() {
    let agent = Agent::open("app-home-user").await;
    assert!(agent.text("[data-testid=admin-only]").await.unwrap().contains("Only a portal administrator"));
    assert!(!agent.exists("[data-testid=app-unbind]").await);
    assert!(!agent.exists("[data-testid=app-bind]").await);
    // The portal would not tell a user the bindings, and says why.
    assert_eq!(agent.attr("[data-testid=tab-state]", "data-tab").await.as_deref(), Some("unknown"));
    let page = agent.text("[data-testid=app-page]").await.unwrap();
    assert!(!page.contains("ACCESS_DENIED") && !page.contains("Admin permissions required"), "no raw portal error: {page}");
    assert!(agent.text("[data-testid=tab-unknown-why]").await.unwrap().contains("only they can see"));
    let technical = agent.text_content("[data-testid=error-technical]").await.unwrap();
    assert!(technical.contains("ACCESS_DENIED"), "kept, folded, for an administrator: {technical}");
    agent.close().await;

    // Nor would the portal let the user's token unbind it.
    let issued = issue(&sandbox().portal_url, "app-home-user");
    let token = issued["initData"]["AUTH_ID"].as_str().unwrap();
    let (status, body) = rest(&sandbox().portal_url, "placement.unbind", &format!("PLACEMENT=CALL_CARD&auth={token}"));
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("ACCESS_DENIED"));
    let admin = issue(&sandbox().portal_url, "app-home");
    let token = admin["initData"]["AUTH_ID"].as_str().unwrap();
    let (_, tabs) = rest(&sandbox().portal_url, "placement.get", &format!("auth={token}"));
    let tabs: Value = serde_json::from_str(&tabs).unwrap();
    assert_eq!(tabs["result"].as_array().map(Vec::len), Some(1), "still bound: {tabs}");
}

#[tokio::test]
async fn an_install_over_a_tab_bound_elsewhere_explains_and_moves_it_on_request() {
    let portal = fresh_sandbox();
    // An earlier deployment of the app left its tab behind.
    let admin = issue(&portal.portal_url, "app-home");
    let token = admin["initData"]["AUTH_ID"].as_str().unwrap();
    let old = "PLACEMENT=CALL_CARD&HANDLER=https%3A%2F%2Fold.example%2Fcallcard%2F&TITLE=Old";
    assert_eq!(rest(&portal.portal_url, "placement.bind", &format!("{old}&auth={token}")).0, 200);

    let mut agent = Agent::browser_on(&portal).await;
    assert!(agent.visit("install").await);
    assert_eq!(outcome(&agent).await.as_deref(), Some("elsewhere"));
    assert_eq!(agent.text("[data-testid=other-handler]").await.as_deref(), Some("https://old.example/callcard/"));
    assert_eq!(sent(&agent, "setInstallFinish").await, 0, "not finished while blocked");

    agent.click("[data-testid=app-rebind]").await;
    assert_eq!(outcome(&agent).await.as_deref(), Some("installed"));
    assert_eq!(agent.attr("[data-testid=tab-state]", "data-tab").await.as_deref(), Some("here"));
    assert!(!agent.exists("[data-testid=other-handler]").await, "the old tab is gone");
    assert!(agent.visit("known-contact").await);
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Anna Schmidt"));
    agent.close().await;
}

#[tokio::test]
async fn a_test_call_from_the_app_page_pops_up_a_call_card_with_the_tab() {
    let portal = fresh_sandbox();
    let mut agent = Agent::browser_on(&portal).await;
    assert!(agent.visit("install").await);
    assert_eq!(outcome(&agent).await.as_deref(), Some("installed"));
    assert!(agent.visit("app-home").await);

    agent.set_value("[data-testid=test-number]", "+7 (812) 555-01-00").await;
    agent.click("[data-testid=app-test-call]").await;
    assert_eq!(outcome(&agent).await.as_deref(), Some("test-call"));
    let call_id = agent.attr("[data-testid=app-outcome]", "data-call-id").await.unwrap();
    let register = agent.rest_requests().into_iter().rfind(|r| r["method"] == "telephony.externalCall.register").unwrap();
    assert_eq!(register["params"]["PHONE_NUMBER"], "78125550100");
    assert_eq!((register["params"]["TYPE"].as_str(), register["params"]["SHOW"].as_str()), (Some("2"), Some("1")));
    assert!(agent.portal_text("[data-testid=portal-shown-call]").await.contains("+78125550100"));

    // The portal's card of that call has the app's tab: the registered call's record.
    assert!(agent.visit(&format!("x&call={call_id}")).await);
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Екатерина Иванова"));
    agent.close().await;
}

#[tokio::test]
async fn a_test_call_needs_a_phone_number() {
    let agent = Agent::open("app-home").await;
    agent.set_value("[data-testid=test-number]", "call me").await;
    agent.click("[data-testid=app-test-call]").await;
    agent.wait_for("[data-testid=app-outcome]", SETTLE).await;
    assert!(agent.text("[data-testid=app-outcome]").await.unwrap().contains("5 to 15 digits"));
    assert!(agent.rest_requests().iter().all(|r| r["method"] != "telephony.externalCall.register"));
    agent.close().await;
}

#[tokio::test]
async fn the_install_step_explains_missing_scopes_and_missing_rights_and_binds_nothing() {
    let portal = fresh_sandbox();
    let mut agent = Agent::browser_on(&portal).await;
    assert!(agent.visit("install-missing-scope").await);
    assert_eq!(outcome(&agent).await.as_deref(), Some("scopes"));
    assert!(agent.text("[data-testid=app-outcome]").await.unwrap().contains("telephony"));
    assert_eq!(agent.attr("[data-testid=scopes] li[data-scope=telephony]", "data-granted").await.as_deref(), Some("false"));
    // Trying again is offered, and nothing was bound or finished.
    assert!(agent.exists("[data-testid=app-install]").await);
    assert_eq!(methods(&agent), ["batch", "batch"]);
    assert_eq!(sent(&agent, "setInstallFinish").await, 0);

    assert!(agent.visit("install-not-admin").await);
    assert_eq!(outcome(&agent).await.as_deref(), Some("not-admin"));
    assert!(agent.text("[data-testid=app-outcome]").await.unwrap().contains("Only a portal administrator can install"));
    assert!(agent.exists("[data-testid=app-check]").await, "checking again is offered");
    assert_eq!(sent(&agent, "setInstallFinish").await, 0);
    assert!(!agent.visit("known-contact").await, "still not installed");
    agent.close().await;
}
