//! Accessibility and themes: axe-core (npm, pinned) audits the widget's frame in light and dark
//! on the main screens; the agent's theme choice follows them to the next call card.

use serde_json::{json, Value};
use std::time::Duration;

use crate::harness::{config, root, run_sandbox, Agent};

/// Injects axe-core into the app's frame and returns its violations, one line each (rule, the
/// elements, what is wrong), with the page in `theme` (`light` or `dark`, as the agent's choice;
/// `None`: as it is).
async fn audit(agent: &Agent, theme: Option<&str>) -> Vec<String> {
    let axe = std::fs::read_to_string(root().join("node_modules/axe-core/axe.min.js")).expect("axe-core: run scripts/setup.sh");
    agent
        .eval(
            "if (!window.axe) { const s = document.createElement('script'); s.textContent = arguments[0]; document.head.append(s); }
             if (arguments[1]) document.documentElement.setAttribute('data-theme', arguments[1]); return true;",
            vec![json!(axe), json!(theme)],
        )
        .await;
    let found = agent
        .eval(
            "return axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) =>
                 v.id + ' (' + v.impact + '): ' + v.nodes.map((n) => n.target.join(' ') + ' — ' + (n.failureSummary || '')).join(' | ')));",
            vec![],
        )
        .await;
    serde_json::from_value(found).unwrap_or_default()
}

async fn audit_both(agent: &Agent, screen: &str) {
    for theme in ["light", "dark"] {
        let violations = audit(agent, Some(theme)).await;
        assert!(violations.is_empty(), "{screen} in {theme}: {violations:#?}");
    }
}

#[tokio::test]
async fn the_card_passes_the_audit_light_and_dark() {
    for scenario in ["known-contact", "several-matches", "failing-section", "known-lead", "known-company", "known-contact&lang=ar", "unknown-number&lang=ja"] {
        let agent = Agent::open(scenario).await;
        audit_both(&agent, scenario).await;
        agent.close().await;
    }
}

#[tokio::test]
async fn forms_errors_and_the_app_page_pass_the_audit_light_and_dark() {
    // An unknown caller with the create form open.
    let agent = Agent::open("unknown-number").await;
    agent.click("[data-testid=new-contact]").await;
    assert!(agent.wait_for("[data-testid=create-form]", Duration::from_secs(3)).await);
    // And the search for an existing record, with its results.
    agent.click("[data-testid=link-existing]").await;
    agent.type_into("[data-testid=link-search]", "schmidt").await;
    agent.click("[data-testid=link-search-submit]").await;
    assert!(agent.wait_for("[data-testid=link-results]", Duration::from_secs(5)).await);
    audit_both(&agent, "unknown-number, create form and search").await;
    agent.close().await;
    // An error screen.
    let agent = Agent::open("portal-down").await;
    assert_eq!(agent.state().await, "error");
    audit_both(&agent, "portal-down").await;
    agent.close().await;
    // The app's own page.
    let agent = Agent::open("app-home").await;
    assert!(agent.wait_for("[data-testid=theme-choice]", Duration::from_secs(5)).await);
    audit_both(&agent, "app-home").await;
    agent.close().await;
}

/// The page's colours as computed: `[body background, body text]`.
async fn colours(agent: &Agent) -> Value {
    agent
        .eval("const s = getComputedStyle(document.body); return [s.backgroundColor, s.color];", vec![])
        .await
}

#[tokio::test]
async fn the_agents_theme_choice_follows_them_to_every_call_card() {
    // A portal of its own: the choice is saved for the user, so it would reach other tests.
    let sandbox = run_sandbox(config(root().join("dist")));
    // By default the card follows the system (light here).
    let agent = Agent::open_on(&sandbox, "known-contact").await;
    assert_eq!(colours(&agent).await, json!(["rgb(255, 255, 255)", "rgb(51, 51, 51)"]));
    agent.tab_screenshot("card-light").await;
    agent.close().await;

    // On the app's page the agent chooses dark: applied at once, saved with the portal.
    let agent = Agent::open_on(&sandbox, "app-home").await;
    assert!(agent.wait_for("[data-testid=theme-auto]", Duration::from_secs(5)).await);
    assert_eq!(agent.eval("return document.querySelector('[data-testid=theme-auto]').checked;", vec![]).await, true);
    agent.click("[data-testid=theme-dark]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(agent.eval("return document.documentElement.dataset.theme;", vec![]).await, "dark");
    assert_eq!(colours(&agent).await, json!(["rgb(38, 38, 38)", "rgb(248, 248, 248)"]));
    let saved = agent.frame_commands("setUserOption").await;
    assert!(
        saved.iter().any(|r| r["command"] == "setUserOption" && r["params"] == json!({"name": "theme", "value": "dark"})),
        "{saved:?}"
    );
    agent.close().await;

    // The next call card, in a browser that never saw the choice: dark from the portal's
    // user options.
    let agent = Agent::open_on(&sandbox, "known-contact").await;
    assert_eq!(agent.eval("return document.documentElement.dataset.theme;", vec![]).await, "dark");
    assert_eq!(colours(&agent).await, json!(["rgb(38, 38, 38)", "rgb(248, 248, 248)"]));
    // This browser now remembers it too, for its next page's first paint.
    assert_eq!(agent.eval("return localStorage.getItem('callcard-theme');", vec![]).await, "dark");
    agent.tab_screenshot("card-dark").await;
    agent.close().await;
}

#[tokio::test]
async fn with_no_choice_the_card_follows_the_systems_dark_theme() {
    let agent = Agent::open_in_dark_system("known-contact").await;
    assert_eq!(agent.state().await, "ready");
    assert_eq!(agent.eval("return document.documentElement.hasAttribute('data-theme');", vec![]).await, false);
    assert_eq!(colours(&agent).await, json!(["rgb(38, 38, 38)", "rgb(248, 248, 248)"]));
    // The system's dark theme, as the agent sees it: audited as it is, no choice made.
    let violations = audit(&agent, None).await;
    assert!(violations.is_empty(), "{violations:#?}");
    // Reduced motion and visible focus are part of the same stylesheet.
    let css = agent
        .eval("return [...document.styleSheets].flatMap((s) => [...s.cssRules]).map((r) => r.cssText).join('\\n');", vec![])
        .await;
    let css = css.as_str().unwrap_or_default();
    assert!(css.contains("prefers-reduced-motion: reduce") && css.contains(":focus-visible"), "{css}");
    agent.close().await;
}
