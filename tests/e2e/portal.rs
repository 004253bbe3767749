//! The sandbox portal's own behaviour, checked from inside the app's frame as a real app meets
//! it, and by the official Bitrix24 JS SDK.

use serde_json::{json, Value};
use std::time::Duration;

use crate::harness::{judge_sandbox, rest, Agent};

/// A callback id of the portal's shape (32 of [0-9a-z]), distinct per use.
fn cb(tag: &str) -> String {
    format!("{tag:0<32}")
}

#[tokio::test]
async fn the_official_sdk_works_inside_the_sandbox_unchanged() {
    let agent = Agent::open_on(judge_sandbox(), "known-contact").await;
    let results: Value = serde_json::from_str(&agent.attr("main", "data-results").await.unwrap()).unwrap();
    assert_eq!(agent.state().await, "ready", "the SDK failed: {results}");
    let issued = agent.portal_config().await;
    // initializeB24Frame resolved with the auth the portal issued.
    assert_eq!(results["auth"]["access_token"], issued["initData"]["AUTH_ID"]);
    assert_eq!(results["auth"]["refresh_token"], issued["initData"]["REFRESH_ID"]);
    assert_eq!(results["auth"]["member_id"], issued["initData"]["MEMBER_ID"]);
    assert_eq!(results["placement"], "CALL_CARD");
    // callMethod and callBatch (with a $result reference).
    assert_eq!(results["contact"], "Schmidt");
    assert_eq!(results["batch"]["first"]["LAST_NAME"], "Schmidt", "{results}");
    // getStatus through its placement API: typed values.
    assert_eq!(results["status"]["PHONE_NUMBER"], "49301234567");
    assert_eq!(results["status"]["CALL_LIST_MODE"], false);
    assert_eq!(results["status"]["CRM_ENTITY_ID"], 0);
    // A forced expiry: the SDK refreshes through the frame and retries.
    assert_eq!(agent.sandbox_post("expire", ""), 204);
    let after = agent.eval("return await window.judgeAfterExpiry();", vec![]).await;
    assert_eq!(after["contact"], "Weber", "{after}");
    assert_ne!(after["access_token"], issued["initData"]["AUTH_ID"]);
    assert!(agent.frame_commands("refreshAuth").await.iter().any(|r| r["command"] == "refreshAuth"));
    let statuses: Vec<_> = agent.rest_requests().iter().map(|r| r["status"].as_u64().unwrap()).collect();
    assert!(statuses.contains(&401) && statuses.last() == Some(&200), "{statuses:?}");
    agent.close().await;
}

#[tokio::test]
async fn the_frame_protocol_answers_as_the_portal_does() {
    let agent = Agent::open("known-contact").await;
    let status = |answer: Option<String>| answer.map(|a| serde_json::from_str::<Value>(&a).unwrap());
    // Both string spellings and the object form.
    let typed = status(agent.frame_exchange(json!(format!("getStatus::{}:{{sid}}", cb("a"))), &cb("a"), 600).await).unwrap();
    assert_eq!((typed["CALL_LIST_MODE"].clone(), typed["CRM_ENTITY_ID"].clone()), (json!(false), json!(0)));
    assert!(agent.frame_exchange(json!(format!("getStatus:{}:{{sid}}", cb("b"))), &cb("b"), 600).await.is_some());
    let object = json!({ "method": "getStatus", "params": "", "callback": cb("c") });
    assert!(agent.frame_exchange(object, &cb("c"), 600).await.is_some());
    // Silence for a wrong APP_SID, an unknown command, and one denied outside DEFAULT.
    assert_eq!(agent.frame_exchange(json!(format!("getStatus::{}:0000", cb("d"))), &cb("d"), 600).await, None);
    assert_eq!(agent.frame_exchange(json!(format!("noSuchCommand::{}:{{sid}}", cb("e"))), &cb("e"), 600).await, None);
    let denied = format!(r#"setTitle:{{"title":"x"}}:{}:{{sid}}"#, cb("f"));
    assert_eq!(agent.frame_exchange(json!(denied), &cb("f"), 600).await, None);
    // openPath only opens the portal's own kinds of pages.
    let refused = format!(r#"openPath:{{"path":"/bitrix/admin/"}}:{}:{{sid}}"#, cb("g"));
    assert_eq!(
        status(agent.frame_exchange(json!(refused), &cb("g"), 600).await),
        Some(json!({"result": "error", "errorCode": "PATH_NOT_AVAILABLE"}))
    );
    // An allowed path opens in the slider and is answered only when the slider closes.
    agent
        .eval(
            "window.__answers = []; window.addEventListener('message', (e) => { if (typeof e.data === 'string') window.__answers.push(e.data); }); return true;",
            vec![],
        )
        .await;
    let allowed = format!(r#"openPath:{{"path":"/crm/deal/details/5/"}}:{}:{{sid}}"#, cb("h"));
    assert_eq!(agent.frame_exchange(json!(allowed), &cb("h"), 1500).await, None, "no answer while the slider is open");
    assert_eq!(agent.portal_text("#portal-status").await, "Opened /crm/deal/details/5/");
    agent.click_portal("[data-testid=portal-slider-close]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let answers = agent.eval("return window.__answers;", vec![]).await;
    assert!(answers.as_array().unwrap().contains(&json!(format!(r#"{}:{{"result":"close"}}"#, cb("h")))), "{answers}");
    // Reply shapes as the portal's own (applayout.js and the call card's interface).
    let typed = status(agent.frame_exchange(json!(format!("getStatus::{}:{{sid}}", cb("i"))), &cb("i"), 600).await).unwrap();
    assert!(typed.get("CRM_ACTIVITY_ID").is_none(), "left out when 0: {typed}");
    assert_eq!(typed["CRM_BINDINGS"], json!([]));
    let size = status(agent.frame_exchange(json!(format!(r#"resizeWindow:{{"height":300}}:{}:{{sid}}"#, cb("j"))), &cb("j"), 600).await).unwrap();
    assert!(size["width"].as_f64().is_some_and(|w| w > 0.0) && size["height"].as_f64().is_some_and(|h| h >= 300.0), "{size}");
    let hold = status(agent.frame_exchange(json!(format!("disableAutoClose::{}:{{sid}}", cb("k"))), &cb("k"), 600).await);
    assert_eq!(hold, Some(json!([])));
    let release = status(agent.frame_exchange(json!(format!("enableAutoClose::{}:{{sid}}", cb("l"))), &cb("l"), 600).await);
    assert_eq!(release, Some(json!([])));
    let interface = status(agent.frame_exchange(json!(format!("getInterface::{}:{{sid}}", cb("m"))), &cb("m"), 600).await).unwrap();
    assert_eq!(interface["command"], json!(["getStatus", "disableAutoClose", "enableAutoClose"]));
    assert_eq!(interface["event"].as_array().map(Vec::len), Some(3));
    let install = status(agent.frame_exchange(json!(format!(r#"setInstall:{{"install":false}}:{}:{{sid}}"#, cb("n"))), &cb("n"), 600).await);
    assert_eq!(install, Some(json!({"install": false})), "setInstall echoes its parameters");
    // Everything the portal received is on record, the refused commands included.
    let log = agent.frame_commands("setTitle").await;
    assert!(log.iter().any(|r| r["command"] == "setTitle"), "{log:?}");
    agent.close().await;
}

/// Subscribes the frame to the call card's events and collects them in `window.__events`.
const SUBSCRIBE: &str = r#"
    const [host, protocol, sid] = window.name.split("|");
    const origin = (protocol === "1" ? "https://" : "http://") + host;
    const names = { "state000000000000000000000000000": "CallCard::CallStateChanged",
                    "entity00000000000000000000000000": "CallCard::EntityChanged",
                    "close000000000000000000000000000": "CallCard::BeforeClose" };
    window.__events = [];
    window.addEventListener("message", (e) => {
        if (e.origin !== origin || typeof e.data !== "string") return;
        const [id, ...rest] = e.data.split(":");
        if (names[id]) window.__events.push([names[id], rest.join(":")]);
    });
    for (const [callback, event] of Object.entries(names)) {
        parent.postMessage("placementBindEvent:" + JSON.stringify({ event }) + ":" + callback + ":" + sid, origin);
    }
    return true;
"#;

async fn events(agent: &Agent) -> Vec<(String, String)> {
    let v = agent.eval("return window.__events;", vec![]).await;
    serde_json::from_value(v).unwrap()
}

#[tokio::test]
async fn call_events_reach_subscribers_and_auto_close_can_be_held() {
    let agent = Agent::open("known-contact").await;
    agent.eval(SUBSCRIBE, vec![]).await;
    // The portal's own controls…
    agent.click_portal("[data-testid=portal-connected]").await;
    // …and the test hook fire the same events.
    let next = json!({"event": "CallCard::EntityChanged", "data": {"PHONE_NUMBER": "12125550147", "CRM_ENTITY_TYPE": "CONTACT", "CRM_ENTITY_ID": "6"}});
    assert_eq!(agent.sandbox_post("event", &next.to_string()), 204);
    tokio::time::sleep(Duration::from_millis(700)).await;
    let seen = events(&agent).await;
    assert!(seen.contains(&("CallCard::CallStateChanged".into(), r#""connected""#.into())), "{seen:?}");
    assert!(seen.iter().any(|(e, d)| e == "CallCard::EntityChanged" && d.contains(r#""CRM_ENTITY_ID":"6""#)), "{seen:?}");

    // Held open: a hang-up does not close the card while the app holds it.
    let hold = format!("disableAutoClose::{}:{{sid}}", cb("hold"));
    agent.frame_exchange(json!(hold), &cb("hold"), 300).await;
    agent.click_portal("[data-testid=portal-hang-up]").await;
    assert_eq!(agent.portal_body_attr("data-card-closed", "true", Duration::from_millis(4000)).await, None);
    assert!(agent.portal_text("#portal-status").await.starts_with("Held open by the app until"));
    // Given back: it closes, and the app hears BeforeClose first.
    let release = format!("enableAutoClose::{}:{{sid}}", cb("release"));
    agent.frame_exchange(json!(release), &cb("release"), 300).await;
    assert_eq!(agent.portal_body_attr("data-card-closed", "true", Duration::from_secs(5)).await.as_deref(), Some("true"));
    let seen = events(&agent).await;
    assert!(seen.iter().any(|(e, _)| e == "CallCard::BeforeClose"), "{seen:?}");
    assert!(seen.contains(&("CallCard::CallStateChanged".into(), r#""idle""#.into())), "{seen:?}");
    agent.close().await;
}

/// A REST call from inside the frame with the given token: `[status, error code]`.
const CALL_WITH: &str = r#"
    const [token] = arguments;
    const [host, protocol] = window.name.split("|");
    const url = (protocol === "1" ? "https://" : "http://") + host + "/rest/user.current.json";
    const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "auth=" + token });
    const body = await r.json();
    return [r.status, body.error || ""];
"#;

#[tokio::test]
async fn refresh_auth_issues_new_tokens_and_old_ones_expire() {
    let agent = Agent::open("known-contact").await;
    let first = agent.portal_config().await["initData"]["AUTH_ID"].clone();
    let answer = agent.frame_exchange(json!(format!("refreshAuth::{}:{{sid}}", cb("r1"))), &cb("r1"), 1500).await.unwrap();
    let auth: Value = serde_json::from_str(&answer).unwrap();
    let second = auth["AUTH_ID"].clone();
    assert_ne!(second, first);
    assert_eq!(auth["AUTH_EXPIRES"], "3600");
    assert_eq!(agent.eval(CALL_WITH, vec![second.clone()]).await, json!([200, ""]));
    assert_eq!(agent.eval(CALL_WITH, vec![first.clone()]).await, json!([200, ""]), "the old token lives until it expires");
    agent.sandbox_post("expire", "");
    assert_eq!(agent.eval(CALL_WITH, vec![first]).await, json!([401, "expired_token"]));
    assert_eq!(agent.eval(CALL_WITH, vec![json!("0123abcd")]).await, json!([401, "invalid_token"]));
    // A second refresh works after expiry (it presents the new refresh token).
    let again = agent.frame_exchange(json!(format!("refreshAuth::{}:{{sid}}", cb("r2"))), &cb("r2"), 1500).await.unwrap();
    let third: Value = serde_json::from_str(&again).unwrap();
    assert_eq!(agent.eval(CALL_WITH, vec![third["AUTH_ID"].clone()]).await, json!([200, ""]));
    agent.close().await;
}

#[tokio::test]
async fn a_portal_that_cannot_refresh_never_answers() {
    let agent = Agent::open("refresh-never-answers").await;
    let answer = agent.frame_exchange(json!(format!("refreshAuth::{}:{{sid}}", cb("nr"))), &cb("nr"), 2000).await;
    assert_eq!(answer, None);
    assert!(agent.portal_text("#portal-status").await.contains("never answers"));
    agent.close().await;
}

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn rest_speaks_the_portals_envelopes_encodings_and_errors() {
    let base = &crate::harness::sandbox().portal_url;
    let issued = crate::harness::issue(base, "known-contact");
    let token = issued["initData"]["AUTH_ID"].as_str().unwrap().to_string();
    // Form body, JSON body and GET query all work.
    let (status, body) = rest(base, "crm.contact.get", FORM, &format!("id=1&auth={token}"));
    assert_eq!((status, body["result"]["LAST_NAME"].clone()), (200, json!("Schmidt")));
    assert!(body["time"]["duration"].is_number() && body["time"]["date_start"].is_string());
    let (status, body) = rest(base, "crm.contact.get", "application/json", &json!({"id": 2, "auth": token}).to_string());
    assert_eq!((status, body["result"]["LAST_NAME"].clone()), (200, json!("Weber")));
    let (status, text) = crate::harness::sandbox_request_typed(base, "GET", &format!("/rest/crm.contact.get.json?id=3&auth={token}"), FORM, "");
    assert_eq!(status, 200, "{text}");
    // A body of any other type is not read, as PHP fills `$_POST` from form bodies only: its token
    // is not there (a string posted without its Content-Type is `text/plain`).
    assert_eq!(rest(base, "crm.contact.get", "text/plain;charset=UTF-8", &format!("id=1&auth={token}")).1["error"], "NO_AUTH_FOUND");
    // Errors: no auth, unknown method, bad id; lists page by 50 with next/total; [] for nothing.
    assert_eq!(rest(base, "crm.contact.get", FORM, "id=1").1["error"], "NO_AUTH_FOUND");
    let (status, body) = rest(base, "crm.nothing.here", FORM, &format!("auth={token}"));
    assert_eq!((status, body["error"].clone()), (404, json!("ERROR_METHOD_NOT_FOUND")));
    let (status, body) = rest(base, "crm.contact.get", FORM, &format!("id=0&auth={token}"));
    assert_eq!((status, body["error_description"].clone()), (400, json!("ID is not defined or invalid.")));
    let (_, page) = rest(base, "crm.activity.list", FORM, &format!("auth={token}"));
    assert_eq!((page["result"].as_array().unwrap().len(), page["next"].clone(), page["total"].as_u64().unwrap() > 50), (50, json!(50), true));
    let (_, none) = rest(base, "crm.duplicate.findbycomm", FORM, &format!("type=PHONE&values[]=000111&auth={token}"));
    assert_eq!(none["result"], json!([]));
    // Writes last: a comment added is listed by the next request.
    let (status, added) = rest(base, "crm.timeline.comment.add", FORM, &format!("fields[ENTITY_ID]=2&fields[ENTITY_TYPE]=contact&fields[COMMENT]=Persisted&auth={token}"));
    assert_eq!(status, 200, "{added}");
    let (_, listed) = rest(base, "crm.timeline.comment.list", FORM, &format!("filter[ENTITY_ID]=2&filter[ENTITY_TYPE]=contact&order[ID]=DESC&auth={token}"));
    assert_eq!(listed["result"][0]["COMMENT"], "Persisted");
    // CORS as the portal sends it, preflight included.
    let preflight = crate::harness::raw_request(base, "OPTIONS", "/rest/batch.json", FORM, "").to_ascii_lowercase();
    assert!(preflight.starts_with("http/1.0 200"), "{preflight}");
    assert!(preflight.contains("access-control-allow-origin: *"), "{preflight}");
    assert!(preflight.contains("access-control-allow-headers: origin, content-type, accept"), "{preflight}");
    let answer = crate::harness::raw_request(base, "POST", "/rest/user.current.json", FORM, &format!("auth={token}")).to_ascii_lowercase();
    assert!(answer.contains("access-control-allow-origin: *"), "{answer}");
}

#[tokio::test]
async fn limits_scopes_and_failures_are_the_portals() {
    let base = &crate::harness::sandbox().portal_url;
    let token = |scenario: &str| crate::harness::issue(base, scenario)["initData"]["AUTH_ID"].as_str().unwrap().to_string();

    // A full bucket: 503 until it drains (2 a second).
    let t = token("rate-limited");
    let (status, body) = rest(base, "user.current", FORM, &format!("auth={t}"));
    assert_eq!((status, body["error"].clone(), body["error_description"].clone()), (503, json!("QUERY_LIMIT_EXCEEDED"), json!("Too many requests")));
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(rest(base, "user.current", FORM, &format!("auth={t}")).0, 200);

    // The time budget of a method: 429 once it is spent; other methods still run.
    let t = token("time-limited");
    assert_eq!(rest(base, "crm.contact.get", FORM, &format!("id=1&auth={t}")).0, 200);
    let (status, body) = rest(base, "crm.contact.get", FORM, &format!("id=1&auth={t}"));
    assert_eq!((status, body["error"].clone()), (429, json!("OPERATION_TIME_LIMIT")));
    assert_eq!(rest(base, "crm.company.get", FORM, &format!("id=1&auth={t}")).0, 200);

    // No crm scope: 403 alone, and per command inside a batch.
    let t = token("insufficient-scope");
    let (status, body) = rest(base, "crm.contact.get", FORM, &format!("id=1&auth={t}"));
    assert_eq!((status, body["error"].clone()), (403, json!("insufficient_scope")));
    let (status, body) = rest(base, "batch", FORM, &format!("cmd[a]=crm.contact.get%3Fid%3D1&cmd[b]=user.current&auth={t}"));
    assert_eq!((status, body["result"]["result_error"]["a"]["error"].clone()), (200, json!("insufficient_scope")));

    // A proxy's HTML error page instead of JSON.
    let t = token("portal-down");
    let (status, text) = crate::harness::sandbox_request_typed(base, "POST", "/rest/batch.json", FORM, &format!("auth={t}"));
    assert_eq!(status, 502);
    assert!(text.starts_with("<html>"), "{text}");
}

#[tokio::test]
async fn hostile_data_is_shown_as_text_and_fits() {
    let agent = Agent::open("hostile-data").await;
    assert_eq!(agent.state().await, "ready");
    let name = agent.text("[data-testid=client-name]").await.unwrap();
    assert!(name.starts_with("<img src=x onerror="), "{}", &name[..60.min(name.len())]);
    assert!(name.chars().count() > 9000);
    assert!(agent.text("[data-testid=call-line]").await.unwrap().contains("</script><img"));
    assert!(agent.text("[data-testid=comment]").await.unwrap().contains("</script><script>"));
    let facts = agent
        .eval(
            "return [document.title, document.querySelector('main').querySelectorAll('img, script, svg, b').length, \
             document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1];",
            vec![],
        )
        .await;
    assert_eq!(facts, json!(["Caller card", 0, true]), "markup ran or the page overflowed");
    // The long name is clamped: the rest of the card stays in view.
    let name_height = agent.eval("return document.querySelector('[data-testid=client-name]').getBoundingClientRect().height;", vec![]).await;
    assert!(name_height.as_f64().unwrap() < 120.0, "{name_height}");
    agent.screenshot("hostile-data").await;
    agent.close().await;
}
