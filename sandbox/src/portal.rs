//! The portal's call card page: the call panel, the app's tab, and the hidden form that opens the
//! widget by POST exactly as the portal does. The parent side of the frame protocol is
//! `assets/portal.js`.

use serde_json::{json, Map, Value};

use crate::scenarios::{self, Options, Scenario};
use crate::state::{Pace, Sandbox, Tab};

pub const SCRIPT: &str = include_str!("../assets/portal.js");

/// Text for HTML text nodes and attribute values.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// The opening's options as pairs (`Sandbox::options`; none for raw options).
type Fields = [(String, String)];

fn field<'a>(fields: &'a Fields, key: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn options_text(scenario: &Scenario, fields: &Fields) -> String {
    match scenario.options {
        Options::Raw(raw) => raw.to_string(),
        _ => {
            let map: Map<String, Value> = fields.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            Value::Object(map).to_string()
        }
    }
}

/// `getInitData` gives the options as an object; broken options stay the string they are.
fn options_value(scenario: &Scenario, fields: &Fields) -> Value {
    let text = options_text(scenario, fields);
    serde_json::from_str(&text).unwrap_or(Value::String(text))
}

fn direction_label(fields: &Fields) -> &'static str {
    match field(fields, "CALL_DIRECTION") {
        Some("incoming") => "Incoming call",
        Some("outgoing" | "outcoming") => "Outgoing call",
        Some("callback") => "Callback",
        _ => "Call",
    }
}

/// After a hang-up the card closes this long after, unless the app holds it open. The real
/// portal's delay is a few seconds too; the sandbox keeps it short for the demo and the tests.
const AUTO_CLOSE_MS: u64 = 3000;

/// `getStatus`: the same keys as the options, but typed (numbers, booleans, parsed bindings), as
/// the call card sends them: `CRM_ACTIVITY_ID` only when the call has an activity (it is left out
/// when 0), `CRM_BINDINGS` always an array (empty when the call has none). Source: the issue's
/// reading of voximplant's call view (`install/js/voximplant/phone-calls/src/view/view.js`) and
/// the docs (`api-reference/widgets/ui-interaction/call-card/get-status.md`).
fn typed_status(scenario: &Scenario, fields: &Fields) -> Value {
    if let Options::Raw(_) = scenario.options {
        return json!({});
    }
    let mut status: Map<String, Value> = fields
        .iter()
        .filter_map(|(k, v)| {
            let typed = match k.as_str() {
                "CRM_ACTIVITY_ID" => match v.parse::<u64>().unwrap_or(0) {
                    0 => return None,
                    id => json!(id),
                },
                "CRM_ENTITY_ID" => json!(v.parse::<u64>().unwrap_or(0)),
                "CALL_LIST_MODE" => json!(*v == "true"),
                "CRM_BINDINGS" => match serde_json::from_str::<Value>(v) {
                    Ok(list @ Value::Array(_)) => list,
                    _ => json!([]),
                },
                _ => json!(v),
            };
            Some((k.to_string(), typed))
        })
        .collect();
    if let Some((kind, id)) = scenario.status_bound {
        status.insert("CRM_ENTITY_TYPE".into(), json!(kind));
        status.insert("CRM_ENTITY_ID".into(), json!(id.parse::<u64>().unwrap_or(0)));
    }
    status.entry("CRM_BINDINGS").or_insert(json!([]));
    status.entry("CALL_STATE").or_insert(json!("idle"));
    Value::Object(status)
}

/// `scheme://host[:port]` of a URL: the origin the portal accepts the app's messages from.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

/// The page for one opening of the widget in `scenario`.
/// Bitrix24's interface languages as the portal sends them in `LANG` (the official SDK's
/// `B24LangList`), with their names.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", "English"), ("ru", "Русский"), ("de", "Deutsch"), ("ua", "Українська"), ("la", "Español"),
    ("br", "Português (Brasil)"), ("fr", "Français"), ("it", "Italiano"), ("pl", "Polski"), ("tr", "Türkçe"),
    ("sc", "中文（简体）"), ("tc", "中文（繁體）"), ("ja", "日本語"), ("vn", "Tiếng Việt"), ("id", "Bahasa Indonesia"),
    ("ms", "Bahasa Melayu"), ("th", "ภาษาไทย"), ("kz", "Қазақша"), ("ar", "العربية"), ("in", "हिन्दी"),
];

pub fn page(sb: &Sandbox, scenario: &Scenario, lang: &str, pace: Pace) -> String {
    let fields = sb.options(scenario);
    let is_call_card = scenario.placement == "CALL_CARD";
    // A call card shows the app's tab only once the app is installed and bound; other
    // placements open the app's own handler. A Bitrix24-hosted app lives on the static host.
    let tab = if is_call_card {
        sb.call_card_tab(lang)
    } else {
        Ok(Tab { handler: sb.app_handler(), title: "Caller card".into() })
    };
    let tab = tab.map(|tab| match (scenario.opened_by_get, scenario.install) {
        // An uploaded archive is installed through its install.html.
        (true, true) => Tab { handler: format!("{}/install.html", sb.static_origin), ..tab },
        (true, false) => Tab { handler: format!("{}/index.html", sb.static_origin), ..tab },
        (false, _) => tab,
    });
    let picker: String = scenarios::ALL
        .iter()
        .map(|s| {
            let current = if s.name == scenario.name { " class=\"current\" aria-current=\"page\"" } else { "" };
            format!(
                "<li><a href=\"/?scenario={name}\"{current}>{name}</a> <span>{summary}</span></li>",
                name = esc(s.name),
                summary = esc(s.summary)
            )
        })
        .collect();
    let installation = match sb.call_card_tab("en") {
        Ok(tab) => format!("Installed; call cards show its tab, opened at <code>{}</code>.", esc(&tab.handler)),
        Err(why) => format!("No tab in call cards: {why}."),
    };
    let language = LANGUAGES.iter().find(|(code, _)| *code == lang).map_or("a language Bitrix24 does not list", |(_, name)| name);
    let languages: String = LANGUAGES
        .iter()
        .map(|(code, name)| {
            let current = if *code == lang { " aria-current=\"true\"" } else { "" };
            format!("<a href=\"/?scenario={}&amp;lang={code}\" lang=\"{code}\" title=\"{}\"{current}>{code}</a>", esc(scenario.name), esc(name))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let domain = &sb.portal_domain;
    let (main, config) = match &tab {
        Ok(tab) => {
            let (app_sid, auth_id, refresh_id) = sb.open_session(*scenario, pace);
            let frame_name = format!("{domain}|0|{app_sid}");
            let sep = if tab.handler.contains('?') { '&' } else { '?' };
            let handler = format!("{}{sep}DOMAIN={}&PROTOCOL=0&LANG={}&APP_SID={}", tab.handler, domain, lang, app_sid);
            // The portal opens apps it hosts itself by GET, without a form.
            let by_get = scenario.opened_by_get || tab.handler.starts_with(&format!("{}/", sb.static_origin));
            let config = portal_config(sb, scenario, &fields, lang, &handler, by_get, (&app_sid, &auth_id, &refresh_id));
            let frame = app_frame(scenario, &fields, &handler, &frame_name, (&auth_id, &refresh_id), &sb.member_id, sb.token_lifetime_secs(scenario));
            let main = if is_call_card {
                let tabs = format!("<nav class=\"tabs\"><span>Call</span><span class=\"active\" data-testid=\"portal-tab\">{}</span></nav>", esc(&tab.title));
                call_card(scenario, &fields, &format!("{tabs}\n    {frame}"))
            } else {
                app_page(scenario, &tab.title, &frame)
            };
            (main, Some((app_sid, config)))
        }
        Err(why) => {
            let note = format!(
                "<p class=\"no-tab\" data-testid=\"portal-no-tab\">No app tab in this call card: {}. <a href=\"/?scenario=install\">Install the app</a>, then open a call card again.</p>",
                esc(why)
            );
            (call_card(scenario, &fields, &format!("<nav class=\"tabs\"><span class=\"active\">Call</span></nav>\n    {note}")), None)
        }
    };
    let (sid, script) = match &config {
        Some((sid, config)) => (sid.clone(), format!(
            "<script id=\"portal-config\" type=\"application/json\">{}</script>\n<script src=\"/portal.js\"></script>",
            callcard_handler::script_json(config)
        )),
        None => (String::new(), String::new()),
    };

    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} · Bitrix24 sandbox</title>
<style>{STYLE}</style>
</head>
<body data-session="{sid}" data-scenario="{scenario_name}">
<header class="bar">Bitrix24 <span>sandbox portal</span> <code>{domain_esc}</code></header>
<main class="layout">
  {main}
  <aside class="scenarios">
    <h2>The app</h2>
    <p data-testid="portal-installation">{installation}</p>
    <form method="post" action="/portal/uninstall"><button type="submit" data-testid="portal-uninstall">Uninstall the app</button> <a href="/?scenario=install">Install it</a></form>
    <h2>Language</h2>
    <p data-testid="portal-lang" data-lang="{lang_esc}">The portal sent <code>LANG={lang_esc}</code>: {language_esc}.</p>
    <p class="languages">{languages}</p>
    <h2>Scenarios</h2>
    <p>Each opens the app anew, with fresh tokens and a new APP_SID. Add <code>&amp;lang=ua</code> (any code above) for the portal's language and <code>&amp;latency=200</code> to slow every REST reply by that many milliseconds.</p>
    <ul>{picker}</ul>
  </aside>
</main>
{script}
</body>
</html>"#,
        title = if is_call_card { "Call card" } else { "Application" },
        sid = esc(&sid),
        scenario_name = esc(scenario.name),
        domain_esc = esc(domain),
        lang_esc = esc(lang),
        language_esc = esc(language),
    )
}

/// The portal page's settings for `portal.js`, and `getInitData`'s answer.
fn portal_config(sb: &Sandbox, scenario: &Scenario, fields: &Fields, lang: &str, handler: &str, by_get: bool, (app_sid, auth_id, refresh_id): (&str, &str, &str)) -> Value {
    let lifetime = sb.token_lifetime_secs(scenario).to_string();
    json!({
        "appSid": app_sid,
        "widgetOrigin": origin_of(handler),
        "status": typed_status(scenario, fields),
        "statusDelayMs": scenario.status_delay_ms,
        "autoCloseMs": AUTO_CLOSE_MS,
        "mobile": scenario.mobile,
        "refreshNeverAnswers": scenario.refresh_never_answers,
        // Calls shown before this page opened: not offered again.
        "shownCalls": sb.shown_calls().iter().map(|c| c["CALL_ID"].clone()).collect::<Vec<_>>(),
        // Opened by GET: the frame is navigated to the handler, no form is posted.
        "openByGet": by_get.then_some(handler),
        "initData": {
            "LANG": lang, "DOMAIN": sb.portal_domain, "PROTOCOL": 0, "PATH": "/rest",
            "AUTH_ID": auth_id, "AUTH_EXPIRES": lifetime, "REFRESH_ID": refresh_id,
            "MEMBER_ID": sb.member_id, "FIRST_RUN": scenario.install, "IS_ADMIN": scenario.admin, "INSTALL": scenario.install,
            "USER_OPTIONS": sb.user_options(), "APP_OPTIONS": [],
            "PLACEMENT": scenario.placement, "PLACEMENT_OPTIONS": options_value(scenario, fields),
        }
    })
}

/// The app's iframe and the hidden form that POSTs the launch fields into it.
fn app_frame(scenario: &Scenario, fields: &Fields, handler: &str, frame_name: &str, (auth_id, refresh_id): (&str, &str), member_id: &str, lifetime: u64) -> String {
    let lifetime = lifetime.to_string();
    let form_fields = [
        ("AUTH_ID", auth_id),
        ("AUTH_EXPIRES", lifetime.as_str()),
        ("REFRESH_ID", refresh_id),
        ("member_id", member_id),
        ("status", "L"),
        ("PLACEMENT", scenario.placement),
        ("PLACEMENT_OPTIONS", &options_text(scenario, fields)),
    ];
    let inputs: String = form_fields
        .iter()
        .map(|(k, v)| format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", esc(k), esc(v)))
        .collect();
    format!(
        r#"<iframe id="app-frame" name="{frame_name}" title="App" src="about:blank"></iframe>
    <div id="portal-status" class="portal-status" data-testid="portal-status" role="status"></div>
    <form id="app-form" method="POST" action="{handler}" target="{frame_name}">{inputs}</form>"#,
        frame_name = esc(frame_name),
        handler = esc(handler),
    )
}

/// The call card: the call panel, its controls, and below them `app` (the tabs).
fn call_card(scenario: &Scenario, fields: &Fields, app: &str) -> String {
    let number = field(fields, "PHONE_NUMBER")
        .filter(|n| !n.is_empty())
        .map(|n| format!("+{n}"))
        .unwrap_or_else(|| "Number withheld".to_string());
    let line = field(fields, "LINE_NAME").unwrap_or("");
    format!(
        r#"<section class="callcard" aria-label="Call card">
    <div class="call-panel">
      <div class="direction">{direction}</div>
      <div class="number" data-testid="portal-number">{number}</div>
      <div class="line">{line}</div>
    </div>
    <div class="controls" aria-label="Call controls">
      <span>State: <b id="portal-call-state" data-testid="portal-call-state">{state}</b></span>
      <button type="button" data-testid="portal-connecting" data-event="CallCard::CallStateChanged" data-payload='"connecting"'>Ringing</button>
      <button type="button" data-testid="portal-connected" data-event="CallCard::CallStateChanged" data-payload='"connected"'>Answer</button>
      <button type="button" data-testid="portal-hang-up" data-event="CallCard::CallStateChanged" data-payload='"idle"'>Hang up</button>
      <button type="button" data-testid="portal-next-client" data-event="CallCard::EntityChanged" data-payload="{next_client}">Next client</button>
      <button type="button" data-testid="portal-close" data-event="CallCard::BeforeClose" data-payload="null">Close card</button>
    </div>
    {app}
  </section>"#,
        direction = direction_label(fields),
        number = esc(&number),
        line = esc(line),
        state = esc(field(fields, "CALL_STATE").unwrap_or("idle")),
        next_client = esc(&json!({
            "PHONE_NUMBER": scenario.next_client.0,
            "CRM_ENTITY_TYPE": scenario.next_client.1,
            "CRM_ENTITY_ID": scenario.next_client.2,
        }).to_string()),
    )
}

/// The app's own page, as the app menu (or the installation) opens it.
fn app_page(scenario: &Scenario, title: &str, frame: &str) -> String {
    let heading = if scenario.install { format!("Installing {}", esc(title)) } else { esc(title) };
    format!(
        r#"<section class="app-page" aria-label="Application">
    <h1 class="app-title">Applications › {heading}</h1>
    {frame}
  </section>"#
    )
}

pub fn unknown_scenario(name: &str) -> String {
    let list: String = scenarios::ALL
        .iter()
        .map(|s| format!("<li><a href=\"/?scenario={0}\">{0}</a></li>", esc(s.name)))
        .collect();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Unknown scenario</title></head>\
         <body><h1>No scenario called “{}”</h1><ul>{list}</ul></body></html>",
        esc(name)
    )
}

const STYLE: &str = r#"
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; background: #eef2f4; color: #1f2937; }
.bar { background: #2067b0; color: #fff; padding: 10px 18px; font-weight: 600; }
.bar span { font-weight: 400; opacity: .8; }
.bar code { float: right; font-weight: 400; opacity: .8; }
.layout { display: flex; gap: 18px; padding: 18px; align-items: flex-start; }
.app-page { width: 720px; background: #fff; border-radius: 10px; box-shadow: 0 4px 18px rgba(0,0,0,.12); overflow: hidden; }
.app-title { font-size: 16px; margin: 0; padding: 12px 16px; border-bottom: 1px solid #e5e7eb; }
.no-tab { padding: 16px 20px; color: #6b7280; }
.shown-calls a { display: block; margin: 8px 16px 0; padding: 8px 12px; border-radius: 6px; background: #2fc6f6; color: #fff; font-weight: 600; }
.scenarios form { margin: 0 0 12px; }
.callcard { width: 560px; background: #fff; border-radius: 10px; box-shadow: 0 4px 18px rgba(0,0,0,.12); overflow: hidden; }
.call-panel { background: #2fc6f6; color: #fff; padding: 16px 20px; }
.direction { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; opacity: .9; }
.number { font-size: 22px; font-weight: 600; }
.line, .state { font-size: 13px; opacity: .9; }
.tabs { display: flex; border-bottom: 1px solid #e5e7eb; }
.tabs span { padding: 8px 16px; color: #6b7280; }
.tabs .active { color: #1f2937; border-bottom: 2px solid #2fc6f6; }
#app-frame { display: block; width: 100%; height: 200px; border: 0; }
#app-form { display: none; }
.controls { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; padding: 8px 16px; font-size: 12px; border-bottom: 1px solid #e5e7eb; }
.controls button { font: inherit; padding: 2px 8px; border: 1px solid #cbd5e1; border-radius: 4px; background: #f8fafc; cursor: pointer; }
.portal-slider { position: fixed; inset: 0 0 0 30%; background: #fff; box-shadow: -4px 0 16px rgba(0,0,0,.2); padding: 16px; z-index: 10; }
.portal-status { min-height: 1.4em; padding: 6px 16px; font-size: 12px; color: #6b7280; border-top: 1px solid #e5e7eb; }
.scenarios { flex: 1; max-width: 520px; }
.scenarios h2 { font-size: 15px; margin: 0 0 6px; }
.scenarios p { color: #6b7280; margin: 0 0 8px; }
.scenarios ul { padding-left: 18px; margin: 0; }
.scenarios li { margin: 4px 0; }
.scenarios span { color: #6b7280; }
.scenarios .current { font-weight: 700; }
"#;
