//! End-to-end tests: the release widget in real headless Chromium, opened by the sandbox portal
//! exactly as Bitrix24 opens it, checked as an agent sees it.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod a11y;
mod card_complete;
mod core;
mod deploy;
mod during_call;
mod fidelity;
mod harness;
mod install;
mod languages;
mod memory;
mod portal;
mod speed;

use harness::{sandbox, Agent};
use std::time::Duration;

/// The card of a known caller cost exactly one REST request, a `batch`.
/// A card searched by number costs two batches, sent together: who is calling (with the stage
/// names), and the rest; each repeats the search its lists refer to.
fn assert_two_part_card(agent: &Agent) {
    let requests = agent.rest_requests();
    let methods: Vec<_> = requests.iter().map(|r| r["method"].as_str().unwrap_or_default()).collect();
    assert_eq!(methods, ["batch", "batch"], "a card searched by number costs two REST requests");
    let with = |key: &str| requests.iter().filter(|r| r["params"]["cmd"].get(key).is_some()).count();
    assert_eq!((with("stages"), with("match")), (1, 2), "an identity part and a context part");
}

#[tokio::test]
async fn known_contact_shows_name_company_phones_and_the_call() {
    let agent = Agent::open("known-contact").await;
    assert_eq!(agent.state().await, "ready");
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Anna Schmidt"));
    assert_eq!(agent.text("[data-testid=client-kind]").await.as_deref(), Some("CONTACT"));
    assert_eq!(agent.text("[data-testid=client-post]").await.as_deref(), Some("Einkaufsleiterin"));
    assert_eq!(agent.text("[data-testid=client-company]").await.as_deref(), Some("Müller Logistik GmbH"));
    // Stored nationally, dialled internationally: found, and marked as the calling number.
    let matched = agent.text("[data-testid=client-phones] li[data-matched=true]").await.unwrap();
    assert!(matched.contains("030 1234567"), "{matched}");
    let phones = agent.texts("[data-testid=client-phones] li").await;
    assert_eq!(phones.len(), 2);
    assert!(phones[1].contains("+49 170 5550101"), "stored formatting is kept: {phones:?}");
    assert_eq!(agent.text("[data-testid=call-direction]").await.as_deref(), Some("Incoming call"));
    assert_eq!(agent.text("[data-testid=call-line]").await.as_deref(), Some("Sales Berlin · +49 30 555000"));
    // The rest of the client's context, from the same single request.
    assert_eq!(agent.text("[data-testid=responsible-name]").await.as_deref(), Some("Thomas Becker"));
    assert_eq!(agent.text("[data-testid=responsible-position]").await.as_deref(), Some("Account Manager"));
    let deals = agent.texts("[data-testid=deal]").await;
    assert_eq!(deals.len(), 4, "{deals:?}");
    assert!(deals.iter().any(|d| d.contains("Annual logistics contract") && d.contains("In progress") && d.contains("€48,000.00")), "{deals:?}");
    let activities = agent.texts("[data-testid=activity]").await;
    assert!(!activities.is_empty() && activities.len() <= 8, "{activities:?}");
    assert!(activities[0].contains("Contract draft"), "what is due first, the overdue first: {activities:?}");
    assert!(agent.exists("[data-testid=activity][data-overdue=true]").await, "an overdue task is highlighted");
    assert!(!agent.texts("[data-testid=comment]").await.is_empty());
    assert_two_part_card(&agent);
    // The tab asked the portal for its launch data and to fit the card.
    let fitted = agent.fitted_height().await.expect("the portal's frame fits the card");
    assert!(fitted > 150.0, "{fitted}");
    let frame = agent.frame_commands("resizeWindow").await;
    assert!(frame.iter().any(|r| r["command"] == "getInitData"), "{frame:?}");
    assert_eq!(agent.last_requested_height(fitted).await, Some(fitted), "the card asked for the height it has");
    agent.screenshot("known-contact").await;
    // Records open in the portal, numbers dial through it.
    agent.click("[data-testid=client-company]").await;
    assert_eq!(agent.portal_text("#portal-status").await, "Opened /crm/company/details/1/");
    // The record covers the card in the portal's slider until the agent closes it.
    agent.click_portal("[data-testid=portal-slider-close]").await;
    agent.click("[data-testid=client-phones] li:nth-child(2) a").await;
    assert_eq!(agent.portal_text("#portal-status").await, "Calling +49 170 5550101");
    let frame = agent.frame_commands("imPhoneTo").await;
    assert!(frame.iter().any(|r| r["command"] == "openPath" && r["params"]["path"] == "/crm/company/details/1/"), "{frame:?}");
    assert_two_part_card(&agent);
    agent.close().await;
}

#[tokio::test]
async fn the_card_speaks_the_portals_language() {
    let agent = Agent::open("known-contact&lang=de").await;
    assert_eq!(agent.attr("[data-testid=callcard]", "lang").await.as_deref(), Some("de"));
    assert_eq!(agent.text("[data-testid=call-direction]").await.as_deref(), Some("Eingehender Anruf"));
    assert_eq!(agent.text("[data-testid=responsible] h2").await.as_deref(), Some("VERANTWORTLICH"));
    let deals = agent.texts("[data-testid=deal-amount]").await;
    assert!(deals.contains(&"48.000,00 €".to_string()), "{deals:?}");
    // German dates and times: 02.11.2026, 15:10.
    let dates = agent.texts("[data-testid=comment-time]").await;
    assert!(dates.iter().all(|d| d.len() == 17 && d.as_bytes()[2] == b'.' && &d[10..12] == ", "), "{dates:?}");
    agent.screenshot("known-contact-de").await;
    agent.close().await;
}

#[tokio::test]
async fn a_failing_section_leaves_the_rest_of_the_card_standing() {
    let agent = Agent::open("failing-section").await;
    assert_eq!(agent.state().await, "ready");
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Anna Schmidt"));
    assert_eq!(agent.texts("[data-testid=deal]").await.len(), 4);
    assert_eq!(agent.attr("[data-testid=section-error]", "data-section").await.as_deref(), Some("activities"));
    // The portal answered with a 500: it failed; it is not out of reach.
    assert_eq!(agent.attr("[data-testid=section-error]", "data-problem").await.as_deref(), Some("server"));
    let said = agent.text("[data-testid=section-error]").await.unwrap();
    assert!(said.contains("could not complete the request") && !said.contains("cannot be reached"), "{said}");
    let technical = agent.text_content("[data-testid=section-error] [data-testid=error-technical]").await.unwrap();
    assert!(technical.contains("Internal server error"), "{technical}");
    assert_two_part_card(&agent);
    agent.screenshot("failing-section").await;
    // Retry asks again (and here the portal still fails).
    agent.click("[data-testid=section-retry]").await;
    assert_eq!(agent.rest_requests().len(), 3);
    assert!(agent.exists("[data-testid=section-error]").await);
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Anna Schmidt"));
    agent.close().await;
}

#[tokio::test]
async fn several_matches_offer_a_choice_that_is_remembered_for_the_call() {
    let mut agent = Agent::open("several-matches").await;
    assert_eq!(agent.text("[data-testid=chooser] h1").await.as_deref(), Some("Several records have this number"));
    let entities: Vec<String> = {
        let mut v = Vec::new();
        for i in 1..=3 {
            v.push(agent.attr(&format!("[data-testid=chooser] li:nth-child({i}) [data-testid=candidate]"), "data-entity").await.unwrap());
        }
        v
    };
    // The company has open deals: most relevant first.
    assert_eq!(entities[0], "COMPANY:3");
    assert!(entities.contains(&"CONTACT:5".to_string()) && entities.contains(&"CONTACT:29".to_string()), "{entities:?}");
    let first = agent.text("[data-testid=candidate]").await.unwrap();
    assert!(first.contains("Дмитрий Волков") && first.contains("+7 (812) 555-01-00"), "{first}");
    assert_two_part_card(&agent);
    agent.screenshot("several-matches").await;

    // Picking costs one more request and shows that record.
    agent.click("[data-testid=candidate][data-entity='CONTACT:29']").await;
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Mikhail Orlov"));
    assert_eq!(agent.rest_requests().len(), 3);
    // Back to the list without asking again.
    agent.click("[data-testid=back-to-matches]").await;
    assert!(agent.exists("[data-testid=chooser]").await);
    assert_eq!(agent.rest_requests().len(), 3);
    // Another pick, then the first again: each a request, each shown (the earlier requests'
    // signals are aborted as the card moves on).
    agent.click("[data-testid=candidate][data-entity='CONTACT:5']").await;
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Екатерина Иванова"));
    agent.click("[data-testid=back-to-matches]").await;
    agent.click("[data-testid=candidate][data-entity='CONTACT:29']").await;
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Mikhail Orlov"));
    assert_eq!(agent.rest_requests().len(), 5);

    // The same call opened again (the tab reloaded): straight to the pick.
    agent.reopen("several-matches").await;
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Mikhail Orlov"));
    assert!(agent.exists("[data-testid=back-to-matches]").await);
    agent.close().await;
}

#[tokio::test]
async fn unknown_number_says_so_after_one_search() {
    let agent = Agent::open("unknown-number").await;
    assert_eq!(agent.state().await, "ready");
    assert_eq!(agent.text("[data-testid=unknown-caller] h1").await.as_deref(), Some("Unknown caller"));
    assert_eq!(agent.text("[data-testid=call-number]").await.as_deref(), Some("+1 202 555 0123"));
    assert_eq!(agent.text("[data-testid=unknown-number]").await.as_deref(), Some("+1 202 555 0123"));
    assert_eq!(agent.text("[data-testid=caller-country]").await.as_deref(), Some("Calling from United States / Canada (+1)"));
    assert!(!agent.exists("[data-testid=client]").await);
    assert_eq!(agent.text("[data-testid=call-line]").await.as_deref(), Some("US support · +1 212 555 0000"));
    assert_two_part_card(&agent);
    agent.screenshot("unknown-number").await;
    agent.close().await;
}

#[tokio::test]
async fn malformed_options_are_explained_not_blank() {
    let agent = Agent::open("malformed-options").await;
    assert_eq!(agent.state().await, "error");
    assert_eq!(agent.attr("[data-testid=error]", "data-problem").await.as_deref(), Some("launch"));
    assert_eq!(agent.text("[data-testid=error-title]").await.as_deref(), Some("The widget cannot start"));
    // Plain words for the agent; the field and the reason folded away for an administrator.
    let detail = agent.text("[data-testid=error-detail]").await.unwrap();
    assert!(detail.contains("open it again from the call card") && !detail.contains("PLACEMENT_OPTIONS"), "{detail}");
    assert_eq!(agent.text("[data-testid=error-technical] p").await.as_deref(), Some(""), "folded");
    let technical = agent.text_content("[data-testid=error-technical]").await.unwrap();
    assert!(technical.contains("PLACEMENT_OPTIONS") && technical.contains("not valid JSON"), "{technical}");
    assert!(agent.rest_requests().is_empty(), "nothing is asked of the portal with broken launch data");
    agent.screenshot("malformed-options").await;
    agent.close().await;
}

#[tokio::test]
async fn a_company_number_shows_the_company() {
    let agent = Agent::open("known-company").await;
    assert_eq!(agent.text("[data-testid=client-kind]").await.as_deref(), Some("COMPANY"));
    // The batch also asked for "the first matching contact"; with none matching, the portal
    // answered that command with contact #1. Only the search's own ids decide who is calling.
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Nordwind Handels AG"));
    assert_eq!(agent.text("[data-testid=responsible-name]").await.as_deref(), Some("Thomas Becker"));
    let deals = agent.texts("[data-testid=deal]").await;
    assert_eq!(deals.len(), 1, "{deals:?}");
    assert!(deals[0].contains("Fleet leasing") && deals[0].contains("€89,000.00"), "{deals:?}");
    assert_two_part_card(&agent);
    agent.screenshot("known-company").await;
    agent.close().await;
}

#[tokio::test]
async fn a_lead_stored_with_eight_is_found_from_plus_seven() {
    let agent = Agent::open("known-lead").await;
    assert_eq!(agent.text("[data-testid=client-kind]").await.as_deref(), Some("ЛИД"));
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Иван Петров"));
    assert_eq!(agent.text("[data-testid=client-status]").await.as_deref(), Some("Unassigned"));
    assert_eq!(agent.text("[data-testid=call-direction]").await.as_deref(), Some("Входящий звонок"));
    assert!(!agent.exists("[data-testid=deals]").await, "leads have no deals");
    assert_eq!(agent.text("[data-testid=responsible-name]").await.as_deref(), Some("Дмитрий Волков"));
    assert_eq!(agent.text("[data-testid=call-line]").await.as_deref(), Some("Москва, продажи · +7 495 555-00-00"));
    assert_two_part_card(&agent);
    agent.close().await;
}

#[tokio::test]
async fn a_hidden_number_asks_nothing_and_says_so() {
    let agent = Agent::open("hidden-number").await;
    assert_eq!(agent.state().await, "ready");
    assert_eq!(agent.text("[data-testid=hidden-number] h1").await.as_deref(), Some("Hidden number"));
    assert!(!agent.exists("[data-testid=call-number]").await);
    assert!(agent.rest_requests().is_empty());
    agent.close().await;
}

#[tokio::test]
async fn a_record_named_by_the_call_is_fetched_directly() {
    let agent = Agent::open("bound-entity").await;
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Иван Сергеевич Петров"));
    assert_eq!(agent.text("[data-testid=client-company]").await.as_deref(), Some("ООО «Северный ветер»"));
    assert_eq!(agent.attr("[data-testid=client]", "data-entity").await.as_deref(), Some("CONTACT:4"));
    // The call's deal comes first, marked; then the client's other open deals.
    let deals = agent.texts("[data-testid=deal]").await;
    assert!(deals[0].contains("Поставка оборудования") && deals[0].contains("this call"), "{deals:?}");
    assert_eq!(agent.attr("[data-testid=deal]", "data-bound").await.as_deref(), Some("true"));
    assert_eq!(agent.text("[data-testid=deals-summary]").await.as_deref(), Some("0 won · 1 lost"));
    let requests = agent.rest_requests();
    assert_eq!(requests.len(), 1);
    let commands = requests[0]["params"]["cmd"].as_object().unwrap();
    assert!(commands.values().all(|c| !c.as_str().unwrap().contains("findbycomm")), "no number search: {commands:?}");
    agent.close().await;
}

#[tokio::test]
async fn an_outgoing_call_is_labelled_as_such() {
    let agent = Agent::open("outgoing").await;
    assert_eq!(agent.text("[data-testid=call-direction]").await.as_deref(), Some("Outgoing call"));
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("John Miller"));
    agent.close().await;
}

#[tokio::test]
async fn another_placement_gets_a_clear_not_supported_screen() {
    let agent = Agent::open("other-placement").await;
    assert_eq!(agent.state().await, "ready");
    let text = agent.text("[data-testid=not-supported]").await.unwrap();
    assert!(text.contains("CRM_DEAL_DETAIL_TAB"), "{text}");
    assert!(agent.rest_requests().is_empty());
    agent.close().await;
}

#[tokio::test]
async fn a_portal_that_never_answers_gets_an_error_not_an_endless_spinner() {
    let agent = Agent::open("portal-hangs").await;
    assert_eq!(agent.state().await, "error");
    assert_eq!(agent.attr("[data-testid=error]", "data-problem").await.as_deref(), Some("unavailable"));
    let detail = agent.text_content("[data-testid=error-technical]").await.unwrap();
    assert!(detail.contains("no answer within 15 seconds"), "{detail}");
    assert!(agent.exists("[data-testid=retry]").await);
    agent.close().await;
}

#[tokio::test]
async fn opened_by_get_the_widget_learns_everything_from_the_frame() {
    let agent = Agent::open("static-app").await;
    assert_eq!(agent.state().await, "ready");
    assert!(!agent.exists("#b24-launch").await, "nothing was posted, nothing inlined");
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Anna Schmidt"));
    // The language too came from getInitData.
    assert_eq!(agent.text("[data-testid=call-direction]").await.as_deref(), Some("Eingehender Anruf"));
    assert!(agent.frame_commands("getInitData").await.iter().any(|r| r["command"] == "getInitData"));
    assert_two_part_card(&agent);
    agent.close().await;
}

#[tokio::test]
async fn opened_outside_bitrix24_the_page_explains_itself() {
    let agent = Agent::open_direct(&format!("{}/", sandbox().widget_url)).await;
    assert_eq!(agent.state().await, "error");
    let detail = agent.text_content("[data-testid=error-technical]").await.unwrap();
    assert!(detail.contains("outside Bitrix24"), "{detail}");
    agent.close().await;
}

#[tokio::test]
async fn the_callers_local_time_shows_where_their_number_tells_it_for_certain() {
    // Germany has one time zone: the time there now, as the browser's own clock says it.
    let agent = Agent::open("known-contact").await;
    assert_eq!(agent.attr("[data-testid=local-time]", "data-zone").await.as_deref(), Some("Europe/Berlin"));
    let shown = agent.text("[data-testid=local-time]").await.unwrap();
    let berlin = "const f = m => new Date(Date.now() + m).toLocaleString('en', { weekday: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Berlin' }); \
                  return [f(-60000), f(0)];";
    let expected: Vec<String> = serde_json::from_value(agent.eval(berlin, vec![]).await).unwrap();
    assert!(expected.iter().any(|e| shown == format!("Their time: {e}")), "{shown} vs {expected:?}");
    agent.close().await;

    // Saint Petersburg's landline: Moscow time, in the portal's language.
    let agent = Agent::open("several-matches&lang=ru").await;
    assert_eq!(agent.attr("[data-testid=local-time]", "data-zone").await.as_deref(), Some("Europe/Moscow"));
    assert!(agent.text("[data-testid=local-time]").await.unwrap().starts_with("У них сейчас: "));
    agent.close().await;

    // +1 is the USA and Canada, six zones: no time rather than a wrong one.
    let agent = Agent::open("unknown-number").await;
    assert!(agent.exists("[data-testid=caller-country]").await);
    assert!(!agent.exists("[data-testid=local-time]").await);
    agent.close().await;
}

#[tokio::test]
async fn the_call_history_shows_their_calls_newest_first_and_marks_a_missed_one() {
    let mut agent = Agent::open("known-contact").await;
    // Both from the card's own activity lists: no request more.
    assert_eq!(agent.rest_requests().len(), 2);
    let lines = agent.texts("[data-testid=call-history] [data-testid=past-call]").await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    // 08:05:00 to 08:09:10 on Nov 20, then a 6-minute outgoing call on Oct 9.
    assert!(lines[0].starts_with("Incoming call") && lines[0].contains("Nov 20, 2026") && lines[0].ends_with("5 min"), "{lines:?}");
    assert!(lines[1].starts_with("Outgoing call") && lines[1].contains("Oct 9, 2026") && lines[1].ends_with("6 min"), "{lines:?}");
    assert_eq!(agent.attr_all("[data-testid=past-call]", "data-answered").await, ["true", "true"]);
    assert!(!agent.exists("[data-testid=call-unanswered]").await);

    // His last two calls were not answered: ours (no answer) and, before it, his (missed).
    agent.reopen("several-matches").await;
    agent.click("[data-testid=candidate][data-entity='CONTACT:29']").await;
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Mikhail Orlov"));
    assert_eq!(agent.attr_all("[data-testid=past-call]", "data-missed").await, ["false", "true"]);
    assert_eq!(agent.texts("[data-testid=call-unanswered]").await, ["no answer", "missed"]);
    agent.close().await;
}

#[tokio::test]
async fn probably_about_says_the_most_pressing_first_and_opens_its_record() {
    let mut agent = Agent::open("known-contact").await;
    // An e-mail overdue since Nov 5, then the deal longest at its stage (since Nov 10, 09:00); the
    // last talk would come third, and two lines are shown.
    let lines = agent.texts("[data-testid=probably-about] li").await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(agent.attr_all("[data-testid=probably-about] li", "data-reason").await, ["overdue", "deal-waiting"]);
    assert!(lines[0].starts_with("Overdue since Nov 5, 2026") && lines[0].ends_with(": Contract draft"), "{lines:?}");
    let waiting = regex_lite_days(&lines[1]);
    assert!(lines[1].starts_with("Warehouse expansion — Preparing documents, ") && waiting >= 15, "{lines:?}");
    // From the card's own requests, and each line opens its record (the deal in the slider).
    assert_eq!(agent.rest_requests().len(), 2);
    assert_eq!(agent.attr("[data-testid=probably-about] li[data-reason=deal-waiting] a", "href").await.unwrap().rsplit_once("/crm/").map(|(_, p)| p.to_string()).as_deref(), Some("deal/details/2/"));

    // Their last call was missed: that comes first, in the portal's language.
    agent.reopen("several-matches&lang=ru").await;
    agent.click("[data-testid=candidate][data-entity='CONTACT:5']").await;
    assert_eq!(agent.attr_all("[data-testid=probably-about] li", "data-reason").await.first().map(String::as_str), Some("missed-call"));
    let first = agent.text("[data-testid=probably-about] li").await.unwrap();
    assert!(first.starts_with("Клиент звонил ") && first.ends_with(", никто не ответил"), "{first}");

    // An unknown caller has no record to be about.
    agent.reopen("unknown-number").await;
    assert!(!agent.exists("[data-testid=probably-about]").await);
    agent.close().await;
}

#[tokio::test]
async fn the_clients_photo_shows_where_the_portal_gives_it_and_their_initials_where_it_does_not() {
    let mut agent = Agent::open("known-contact").await;
    // The contact's photo, through the app's own access: this browser has no portal session.
    let src = photo_loaded(&agent).await.expect("the contact's photo loads");
    let path = src.split_once("/bitrix/").map(|(_, p)| p).unwrap_or_default();
    assert!(path.starts_with("components/bitrix/crm.contact.show/show_file.php?auth=") && path.ends_with("&ownerId=1&fieldName=PHOTO&dynamic=N&fileId=4001"), "{src}");
    assert!(!agent.exists("[data-testid=client-initials]").await);
    // It came with the card's own requests.
    assert_eq!(agent.rest_requests().len(), 2);

    // A company's logo the same way.
    agent.reopen("known-company").await;
    let src = photo_loaded(&agent).await.expect("the company's logo loads");
    assert!(src.contains("/crm.company.show/show_file.php?auth=") && src.ends_with("fieldName=LOGO&dynamic=N&fileId=4003"), "{src}");

    // A file the portal no longer has answers "File not found", no image: the initials instead.
    agent.reopen("several-matches&lang=ru").await;
    agent.click("[data-testid=candidate][data-entity='CONTACT:5']").await;
    assert!(agent.wait_for("[data-testid=client-initials]", Duration::from_secs(5)).await);
    assert!(!agent.exists("[data-testid=client-photo]").await);
    // No photo at all: the initials.
    agent.click("[data-testid=back-to-matches]").await;
    agent.click("[data-testid=candidate][data-entity='CONTACT:29']").await;
    assert_eq!(agent.text("[data-testid=client-name]").await.as_deref(), Some("Mikhail Orlov"));
    assert_eq!(agent.text("[data-testid=client-initials]").await.as_deref(), Some("MO"));
    agent.close().await;
}

/// The client photo's address once the browser has drawn it (`None` if it never loads).
async fn photo_loaded(agent: &Agent) -> Option<String> {
    let script = "const i = document.querySelector('[data-testid=client-photo]'); \
                  return i && i.complete && i.naturalWidth > 0 ? i.src : null;";
    for _ in 0..50 {
        if let Some(src) = agent.eval(script, vec![]).await.as_str() {
            return Some(src.to_string());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

/// The number of days in "…, 16 days at this stage".
fn regex_lite_days(line: &str) -> i64 {
    line.rsplit(", ").next().and_then(|tail| tail.split(' ').next()).and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// A closed agent's browser serves the next agent as one that has seen nothing: no tab of the
/// last test, nothing in the widget's local or session storage. (A switch no other test uses
/// keeps this browser apart from theirs.)
#[tokio::test]
async fn a_browser_given_back_has_forgotten_the_last_agent() {
    const SWITCHES: &[&str] = &["--mute-audio"];
    let agent = Agent::open_with_switches(SWITCHES, "known-contact").await;
    agent.eval("localStorage.setItem('left-behind', '1'); sessionStorage.setItem('left-behind', '1');", vec![]).await;
    agent.eval("window.open('about:blank', '_blank');", vec![]).await;
    assert_eq!(agent.window_count().await, 2);
    let browser = agent.browser_session().to_string();
    agent.close().await;

    let agent = Agent::open_with_switches(SWITCHES, "known-contact").await;
    assert_eq!(agent.browser_session(), browser, "the same browser, given back");
    assert_eq!(agent.window_count().await, 1);
    let left = agent.eval("return [localStorage.getItem('left-behind'), sessionStorage.getItem('left-behind')];", vec![]).await;
    assert_eq!(left, serde_json::json!([null, null]));
    assert_eq!(agent.state().await, "ready");
    agent.close().await;
}
