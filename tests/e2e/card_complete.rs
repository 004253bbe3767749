//! The agent's card, complete: what is due and what happened, who wrote what, the number that
//! called marked wherever the card goes, and a card that keyboard and screen reader users follow.

use serde_json::{json, Value};
use std::time::Duration;

use crate::harness::{config, root, run_sandbox, Agent};

/// `true` when `text` shows a time of day (`9:30`, `09:30`).
fn has_time(text: &str) -> bool {
    let b = text.as_bytes();
    (1..b.len().saturating_sub(2)).any(|i| b[i] == b':' && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit() && b[i + 2].is_ascii_digit())
}

#[tokio::test]
async fn activities_show_what_is_due_first_then_what_happened() {
    let agent = Agent::open("known-contact").await;
    let rows = agent.texts("[data-testid=activity]").await;
    let open: Vec<String> = agent.attr_all("[data-testid=activity]", "data-open").await;
    // Due first, by deadline: the overdue e-mail (Nov 5), then the quote (due next June).
    assert!(rows[0].contains("Contract draft") && rows[0].contains("overdue"), "{rows:?}");
    assert!(rows[1].contains("Send the revised quote") && !rows[1].contains("overdue"), "{rows:?}");
    let due = agent.texts("[data-testid=activity-due]").await;
    assert_eq!(due.len(), 2, "{due:?}");
    assert!(due.iter().all(|d| d.starts_with("Due ") && has_time(d)), "date and time: {due:?}");
    assert!(due[1].contains("2027"), "{due:?}");
    // Then the last completed, newest first: the incoming call of Nov 20, with its length.
    assert_eq!(open, ["true", "true", "false", "false", "false"], "{rows:?}");
    assert!(rows[2].contains("Incoming call") && rows[2].contains("Question about the invoice"), "{rows:?}");
    assert_eq!(agent.text("[data-testid=activity-length]").await.as_deref(), Some("5 min"));
    let done = agent.texts("[data-testid=activity-done]").await;
    assert!(done.iter().all(|d| d.starts_with("Done ") && has_time(d)), "{done:?}");
    assert!(rows[3].contains("Site visit") && rows[4].contains("Follow-up call"), "{rows:?}");
    // The outgoing call of Oct 9 lasted six minutes.
    assert!(rows[4].contains("Outgoing call") && rows[4].contains("6 min"), "{rows:?}");
    agent.close().await;
}

#[tokio::test]
async fn comments_show_who_wrote_them_and_when() {
    // A portal of its own: other tests comment on the same contact at the same time, and only
    // the newest three are shown.
    let sandbox = run_sandbox(config(root().join("dist")));
    let agent = Agent::open_on(&sandbox, "known-contact").await;
    let authors = agent.texts("[data-testid=comment-author]").await;
    assert_eq!(authors, ["by Claire Dubois", "by Thomas Becker"]);
    let times = agent.texts("[data-testid=comment-time]").await;
    assert_eq!(times.len(), 2);
    assert!(times.iter().all(|t| t.contains("2026") && has_time(t)), "{times:?}");
    // In German, in German.
    let agent2 = Agent::open_on(&sandbox, "known-contact&lang=de").await;
    assert_eq!(agent2.texts("[data-testid=comment-author]").await, ["von Claire Dubois", "von Thomas Becker"]);
    agent2.close().await;
    agent.close().await;
}

#[tokio::test]
async fn the_number_that_called_stays_marked_after_a_pick_and_on_a_new_record() {
    // Picked among several: the number that matched is still marked on the card.
    let agent = Agent::open("several-matches").await;
    agent.click("[data-testid=candidate][data-entity='CONTACT:29']").await;
    assert!(agent.wait_for("[data-testid=client]", Duration::from_secs(5)).await);
    let matched = agent.texts("[data-testid=client-phones] li[data-matched=true]").await;
    assert_eq!(matched.len(), 1, "{matched:?}");
    assert!(matched[0].contains("555-01-00"), "{matched:?}");
    agent.close().await;

    // Created from the unknown number (on a portal of its own: the number stays unknown
    // for the other tests): the new record's number is the one that called.
    let sandbox = run_sandbox(config(root().join("dist")));
    let agent = Agent::open_on(&sandbox, "unknown-number").await;
    agent.click("[data-testid=new-contact]").await;
    agent.type_into("[data-testid=last-name]", "Hamilton").await;
    agent.click("[data-testid=create-submit]").await;
    assert!(agent.wait_for("[data-testid=client]", Duration::from_secs(5)).await);
    let matched = agent.texts("[data-testid=client-phones] li[data-matched=true]").await;
    assert_eq!(matched.len(), 1, "{matched:?}");
    // And the keyboard lands on the new record's heading.
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(focused(&agent).await, json!(["client-heading", "H1"]));
    agent.close().await;
}

/// What has the keyboard focus in the app's frame: `[data-testid, tag]`.
async fn focused(agent: &Agent) -> Value {
    agent.eval("const e = document.activeElement; return [e.dataset.testid || null, e.tagName];", vec![]).await
}

#[tokio::test]
async fn keyboard_and_screen_reader_users_land_on_what_changed() {
    let agent = Agent::open("several-matches").await;
    agent.click("[data-testid=candidate][data-entity='CONTACT:29']").await;
    assert!(agent.wait_for("[data-testid=client]", Duration::from_secs(5)).await);
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(focused(&agent).await, json!(["client-heading", "H1"]), "after a pick: the record's heading");
    agent.click("[data-testid=back-to-matches]").await;
    assert!(agent.wait_for("[data-testid=chooser]", Duration::from_secs(3)).await);
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(focused(&agent).await, json!(["chooser-heading", "H1"]), "back to the matches: their heading");
    agent.close().await;

    let agent = Agent::open("unknown-number").await;
    assert_eq!(agent.attr("[data-testid=new-contact]", "aria-pressed").await.as_deref(), Some("false"));
    agent.click("[data-testid=new-contact]").await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(focused(&agent).await, json!(["first-name", "INPUT"]), "the form opens in its first field");
    assert_eq!(agent.attr("[data-testid=new-contact]", "aria-pressed").await.as_deref(), Some("true"));
    assert_eq!(agent.attr("[data-testid=new-lead]", "aria-pressed").await.as_deref(), Some("false"));
    // A check's message belongs to its fields.
    agent.click("[data-testid=create-submit]").await;
    assert_eq!(agent.attr("[data-testid=first-name]", "aria-invalid").await.as_deref(), Some("true"));
    let described = agent.attr("[data-testid=last-name]", "aria-describedby").await.unwrap();
    assert_eq!(agent.text(&format!("#{described}")).await.as_deref(), Some("Enter a first or last name."));
    assert_eq!(agent.attr("[data-testid=email]", "aria-describedby").await, None, "only failing fields point at a message");
    agent.close().await;

    // The comment box has a name of its own, not its button's.
    let agent = Agent::open("known-contact").await;
    assert_eq!(agent.attr("[data-testid=comment-text]", "aria-label").await.as_deref(), Some("Comment on the client"));
    agent.close().await;
}

#[tokio::test]
async fn at_320_pixels_an_activity_keeps_a_readable_subject() {
    let agent = Agent::open("known-contact").await;
    agent.portal_eval("document.getElementById('app-frame').style.width = '320px'; return true;").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let widths = agent
        .eval("return [...document.querySelectorAll('.activity-subject')].map((e) => e.getBoundingClientRect().width);", vec![])
        .await;
    let widths: Vec<f64> = serde_json::from_value(widths).unwrap();
    assert!(!widths.is_empty() && widths.iter().all(|w| *w >= 150.0), "subjects squeezed: {widths:?}");
    agent.tab_screenshot("card-320").await;
    agent.close().await;
}

#[tokio::test]
async fn a_company_card_lists_its_people_most_recently_active_first() {
    let agent = Agent::open("known-company").await;
    let people = agent.texts("[data-testid=company-contacts] [data-testid=company-contact]").await;
    assert_eq!(people.len(), 5, "{people:?}");
    assert!(people[0].starts_with("Svenja Krüger") && people[0].contains("Einkauf") && people[0].contains("+49 40 5556690"), "{people:?}");
    assert!(people[1].starts_with("Finn Jensen"), "{people:?}");
    assert_eq!(agent.text("[data-testid=company-contacts-all]").await.as_deref(), Some("All 7"));
    // Each opens its record in the portal; "all" opens the company.
    agent.click("[data-testid=company-contact]:first-child a").await;
    let path = agent.portal_text("[data-testid=portal-slider-path]").await;
    assert!(path.starts_with("/crm/contact/details/"), "{path}");
    agent.click_portal("[data-testid=portal-slider-close]").await;
    agent.click("[data-testid=company-contacts-all]").await;
    assert_eq!(agent.portal_text("[data-testid=portal-slider-path]").await, "/crm/company/details/2/");
    agent.click_portal("[data-testid=portal-slider-close]").await;
    agent.close().await;
    // A contact's card has no such list.
    let agent = Agent::open("known-contact").await;
    assert!(!agent.exists("[data-testid=company-contacts]").await);
    agent.close().await;
}

#[tokio::test]
async fn errors_say_what_happened_in_plain_words() {
    // A refused test call names the permission the app lacks: telephony, not crm.
    let agent = Agent::open("app-home-no-telephony").await;
    assert!(agent.wait_for("[data-testid=test-number]", Duration::from_secs(5)).await);
    agent.type_into("[data-testid=test-number]", "+49 30 1234567").await;
    agent.click("[data-testid=app-test-call]").await;
    assert!(agent.wait_for("[data-testid=app-outcome][data-problem]", Duration::from_secs(5)).await);
    assert_eq!(agent.attr("[data-testid=app-outcome][data-problem]", "data-problem").await.as_deref(), Some("scope"));
    let said = agent.text("[data-testid=app-outcome][data-problem]").await.unwrap();
    assert!(said.contains("telephony") && !said.contains("crm"), "{said}");
    agent.close().await;

    // The card of an app without the crm permission names that one.
    let agent = Agent::open("insufficient-scope").await;
    assert_eq!(agent.attr("[data-testid=error]", "data-problem").await.as_deref(), Some("scope"));
    assert!(agent.text("[data-testid=error-detail]").await.unwrap().contains("“crm”"));
    agent.close().await;
}

#[tokio::test]
async fn a_reply_that_arrives_after_the_deadline_is_asked_for_once_more() {
    // The first reply's status arrives at once and its body 17 s later, past the widget's
    // 15 s: it says nothing of "unreadable", asks again, and the card shows.
    let agent = Agent::open("slow-reply").await;
    assert_eq!(agent.state().await, "ready");
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Anna Schmidt"));
    let batches = agent.rest_requests().iter().filter(|r| r["method"] == "batch").count();
    assert_eq!(batches, 3, "two parts, one timed out once and asked once more");
    assert!(!agent.exists("[data-testid=error]").await);
    agent.close().await;
}

#[tokio::test]
async fn numbers_are_grouped_for_reading_aloud() {
    // Telephony's bare digits, grouped as Germany writes them; the line beside the caller too.
    let agent = Agent::open("known-contact").await;
    assert_eq!(agent.text("[data-testid=call-number]").await.as_deref(), Some("+49 30 1234567"));
    assert_eq!(agent.text("[data-testid=call-line]").await.as_deref(), Some("Sales Berlin · +49 30 555000"));
    // Numbers someone formatted stay as they wrote them.
    let phones = agent.texts("[data-testid=client-phones] li").await;
    assert!(phones[0].starts_with("030 1234567") && phones[1].starts_with("+49 170 5550101"), "{phones:?}");
    agent.close().await;
    // A Russian caller, as Russia writes numbers; a form prefilled with the number's `+`.
    let agent = Agent::open("known-lead").await;
    assert_eq!(agent.text("[data-testid=call-number]").await.as_deref(), Some("+7 495 123-45-67"));
    agent.close().await;
    let agent = Agent::open("unknown-number").await;
    agent.click("[data-testid=new-lead]").await;
    assert_eq!(agent.value("[data-testid=phone]").await.as_deref(), Some("+1 202 555 0123"));
    agent.close().await;
}

#[tokio::test]
async fn an_unknown_caller_is_linked_to_an_existing_record_instead_of_duplicated() {
    // A portal of its own: linking adds a number to a record.
    let sandbox = run_sandbox(config(root().join("dist")));
    let agent = Agent::open_on(&sandbox, "unknown-number").await;
    agent.click("[data-testid=link-existing]").await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(focused(&agent).await, json!(["link-search", "INPUT"]));
    // By name.
    agent.type_into("[data-testid=link-search]", "schmidt").await;
    agent.click("[data-testid=link-search-submit]").await;
    assert!(agent.wait_for("[data-testid=link-results]", Duration::from_secs(5)).await);
    let hits = agent.attr_all("[data-testid=link-hit]", "data-entity").await;
    assert!(hits.contains(&"CONTACT:1".to_string()), "{hits:?}");
    // Picking asks before the number is added: never silently.
    agent.click("[data-testid=link-hit][data-entity='CONTACT:1']").await;
    let asked = agent.text("[data-testid=link-confirm]").await.unwrap();
    assert!(asked.contains("Add +1 202 555 0123 to the phones of Anna Schmidt?"), "{asked}");
    assert!(!agent.rest_calls().iter().any(|(m, _)| m == "crm.contact.update"), "nothing changed before the answer");
    agent.click("[data-testid=link-add-number]").await;
    assert!(agent.wait_for("[data-testid=client]", Duration::from_secs(5)).await);
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Anna Schmidt"));
    assert_eq!(agent.text("[data-testid=notice]").await.as_deref(), Some("Number added."));
    let matched = agent.texts("[data-testid=client-phones] li[data-matched=true]").await;
    assert_eq!(matched.len(), 1, "{matched:?}");
    assert!(matched[0].contains("+1 202 555 0123"), "{matched:?}");
    let phones = agent.texts("[data-testid=client-phones] li").await;
    assert_eq!(phones.len(), 3, "her two numbers stay: {phones:?}");
    agent.close().await;

    // The next call from that number finds her at once.
    let agent = Agent::open_on(&sandbox, "unknown-number").await;
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Anna Schmidt"));
    agent.close().await;
}

#[tokio::test]
async fn a_hidden_caller_is_found_by_another_number_or_a_company_and_opened_without_changes() {
    let agent = Agent::open("hidden-number").await;
    agent.click("[data-testid=link-existing]").await;
    // By another number, however it is written.
    agent.type_into("[data-testid=link-search]", "+49 40 555 66 77").await;
    agent.click("[data-testid=link-search-submit]").await;
    assert!(agent.wait_for("[data-testid=link-results]", Duration::from_secs(5)).await);
    assert_eq!(agent.attr_all("[data-testid=link-hit]", "data-entity").await, ["COMPANY:2"]);
    // No number to add: the record opens as it is.
    agent.click("[data-testid=link-hit]").await;
    assert!(agent.wait_for("[data-testid=client]", Duration::from_secs(5)).await);
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Nordwind Handels AG"));
    assert!(!agent.rest_calls().iter().any(|(m, _)| m.ends_with(".update")));
    agent.close().await;
    // Nothing found is said so.
    let agent = Agent::open("hidden-number").await;
    agent.click("[data-testid=link-existing]").await;
    agent.type_into("[data-testid=link-search]", "Zzyzx").await;
    agent.click("[data-testid=link-search-submit]").await;
    assert!(agent.wait_for("[data-testid=link-none]", Duration::from_secs(5)).await);
    agent.close().await;
}

#[tokio::test]
async fn counted_words_take_the_form_of_their_count() {
    // Russian: "1 проваленная" (one), "0 успешных" (many), not "1 проваленных".
    let agent = Agent::open("bound-entity&lang=ru").await;
    assert_eq!(agent.text("[data-testid=deals-summary]").await.as_deref(), Some("0 успешных · 1 проваленная"));
    agent.close().await;
}
