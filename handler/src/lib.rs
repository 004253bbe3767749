//! The thin handler: the one part of the widget that is not a static file.
//!
//! The portal opens the call-card tab by POSTing a form into the iframe. Static hosts answer a
//! POST with 405 and the tab stays blank, so this handler, on the widget's own origin (the only
//! origin the portal's frame protocol trusts), accepts the POST and answers the widget's
//! `index.html` (the call card; `app.html`, the app's own page, when the form's `PLACEMENT` is
//! `DEFAULT`) with the launch fields inlined as JSON. GET serves the built files. It keeps no
//! state and logs nothing of a request: the form carries the portal's tokens.

use axum::extract::{DefaultBodyLimit, Form, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_http::services::{ServeDir, ServeFile};

/// The id of the script element that carries the launch fields; the widget reads it by this id.
pub const LAUNCH_ELEMENT_ID: &str = "b24-launch";

/// A portal's form is a few kilobytes; anything far larger is not a launch.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;

/// What the handler serves.
#[derive(Clone, Debug)]
pub struct Config {
    /// The built widget (Trunk's `dist/`), with its `index.html`.
    pub dist: PathBuf,
    pub body_limit: usize,
    /// The portal origins allowed to frame the widget (`https://company.bitrix24.de`). Empty:
    /// any page may frame it (no `frame-ancestors` restriction).
    pub portals: Vec<String>,
}

impl Config {
    pub fn new(dist: impl Into<PathBuf>) -> Config {
        Config { dist: dist.into(), body_limit: DEFAULT_BODY_LIMIT, portals: Vec::new() }
    }
}

/// Checks a portal origin for `frame-ancestors`: `http(s)://host[:port]`, nothing else (a
/// space or a semicolon would inject into the policy).
pub fn parse_portal_origin(raw: &str) -> Result<String, StartError> {
    let trimmed = raw.trim().trim_end_matches('/').to_ascii_lowercase();
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or_else(|| StartError(format!("portal `{raw}` must start with https:// or http://")))?;
    let ok = !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'*'));
    if ok {
        Ok(trimmed)
    } else {
        Err(StartError(format!("portal `{raw}` is not an origin (scheme://host[:port])")))
    }
}

/// The headers every answer carries.
fn security_headers(portals: &[String]) -> Vec<(header::HeaderName, HeaderValue)> {
    let mut headers = vec![
        (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    if !portals.is_empty() {
        let policy = format!("frame-ancestors 'self' {}", portals.join(" "));
        if let Ok(value) = HeaderValue::from_str(&policy) {
            headers.push((header::CONTENT_SECURITY_POLICY, value));
        }
    }
    headers
}

/// How long a browser or CDN may keep a file. Trunk names every asset after its content
/// (`callcard-<hash>.js`), so such a name never changes meaning and is kept for a year; the
/// page itself (`/`, `index.html`) names the current assets and is revalidated every time.
pub fn cache_control(path: &str) -> &'static str {
    if is_content_hashed(path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// `name-<8+ hex digits>[_bg].ext`, as Trunk writes its outputs.
fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    name.contains('.')
        && stem.rsplit_once('-').is_some_and(|(_, hash)| hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Adds [`cache_control`] to files served by GET (a POSTed page says `no-store` itself).
async fn cache_headers(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    if response.status().is_success() && !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control(&path)));
    }
    response
}

/// The built page, split once at start-up where the launch fields go.
struct Page {
    before: String,
    after: String,
}

/// The id of the script element that carries the card's texts in the posted language; its
/// `data-file` names the table (`texts-<code>-<hash>.json`), which the widget checks is its own.
pub const TEXTS_ELEMENT_ID: &str = "callcard-texts";

/// The pages a launch may get: the call card's, and the app's own (`app.html`) when it was built;
/// and the card's texts by language.
struct Pages {
    card: Page,
    app: Option<Page>,
    texts: Vec<Table>,
}

/// A language's card texts, as the build wrote them beside the module.
struct Table {
    /// The portal's language code (`ru`).
    code: String,
    /// Its file's name, `texts-<code>-<hash>.json`.
    file: String,
    /// The file's JSON, written again so that nothing in it can close its `<script>`.
    json: String,
}

/// The call card's texts of every language but English (which the module carries), read once
/// at start-up. A file that is no JSON, or not named as the build names them, is left out: a
/// card in that language then fetches its table itself.
fn load_tables(dist: &Path) -> Vec<Table> {
    let Ok(entries) = std::fs::read_dir(dist) else { return Vec::new() };
    let mut tables: Vec<Table> = entries
        .flatten()
        .filter_map(|entry| {
            let file = entry.file_name().to_str()?.to_string();
            let (code, hash) = file.strip_prefix("texts-")?.strip_suffix(".json")?.split_once('-')?;
            // The name goes into an attribute: nothing but the build's own spelling.
            let plain = !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase()) && hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit());
            if !plain {
                return None;
            }
            let value: Value = serde_json::from_str(&std::fs::read_to_string(entry.path()).ok()?).ok()?;
            Some(Table { code: code.to_string(), json: script_json(&value), file })
        })
        .collect();
    tables.sort_by(|a, b| a.code.cmp(&b.code));
    tables
}

/// Why the handler cannot start.
#[derive(Debug)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

fn load_page(dist: &Path, name: &str) -> Result<Page, StartError> {
    let path = dist.join(name);
    let html = std::fs::read_to_string(&path).map_err(|e| {
        StartError(format!("cannot read {}: {e} (build the widget first: make build)", path.display()))
    })?;
    // Minifiers may leave out the optional `</head>`; the body's start works as well.
    let at = html
        .find("</head>")
        .or_else(|| html.find("<body"))
        .ok_or_else(|| StartError(format!("{} has neither </head> nor <body>", path.display())))?;
    Ok(Page { before: html[..at].to_string(), after: html[at..].to_string() })
}

/// The handler's routes: POST on `/` (the HANDLER URL) and on `/index.html`; GET for the files.
pub fn router(config: &Config) -> Result<Router, StartError> {
    let app = match config.dist.join("app.html").exists() {
        true => Some(load_page(&config.dist, "app.html")?),
        false => None,
    };
    let page = Arc::new(Pages { card: load_page(&config.dist, "index.html")?, app, texts: load_tables(&config.dist) });
    let files = ServeDir::new(&config.dist)
        .append_index_html_on_directories(true)
        .fallback(ServeFile::new(config.dist.join("index.html")));
    let headers = Arc::new(security_headers(&config.portals));
    Ok(Router::new()
        // Other methods on these paths (GET above all) go to the files, like every other path.
        .route("/", post(launch).fallback_service(files.clone()))
        .route("/index.html", post(launch).fallback_service(files.clone()))
        .fallback_service(files)
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(axum::middleware::from_fn(cache_headers))
        .layer(axum::middleware::map_response(move |mut response: Response| {
            let headers = Arc::clone(&headers);
            async move {
                for (name, value) in headers.iter() {
                    response.headers_mut().insert(name.clone(), value.clone());
                }
                response
            }
        }))
        .with_state(page))
}

async fn launch(
    State(pages): State<Arc<Pages>>,
    Query(query): Query<Vec<(String, String)>>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    // The app's own page is a module of its own; the call card never loads it.
    let app_page = form.iter().rev().find(|(k, _)| k == "PLACEMENT").is_some_and(|(_, v)| v == "DEFAULT");
    let page = match (&pages.app, app_page) {
        (Some(app), true) => app,
        _ => &pages.card,
    };
    // The card's texts in the posted language come with it: no request before the first words.
    // The portal's own code (`ru`, `DE`); another spelling (`uk`) the widget maps and fetches.
    let lang = form.iter().rev().chain(query.iter().rev()).find(|(k, _)| k == "LANG").map(|(_, v)| v.trim().to_ascii_lowercase());
    let texts = match (app_page, lang) {
        (false, Some(lang)) => pages.texts.iter().find(|t| t.code == lang).map_or(String::new(), |t| {
            format!("<script type=\"application/json\" id=\"{TEXTS_ELEMENT_ID}\" data-file=\"{}\">{}</script>", t.file, t.json)
        }),
        _ => String::new(),
    };
    let seed = serde_json::json!({ "query": to_object(query), "form": to_object(form) });
    let body = format!(
        "{}<script type=\"application/json\" id=\"{LAUNCH_ELEMENT_ID}\">{}</script>{texts}{}",
        page.before,
        script_json(&seed),
        page.after
    );
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    // The page holds this opening's tokens: never cache it, never leak its address.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Form pairs as a JSON object of strings; a repeated name keeps its last value, as PHP does.
fn to_object(pairs: Vec<(String, String)>) -> Value {
    let mut map = Map::new();
    for (k, v) in pairs {
        map.insert(k, Value::String(v));
    }
    Value::Object(map)
}

/// JSON that is safe inside a `<script>` element: no value can close the element (`</script>`),
/// open a comment (`<!--`) or end a line in older JavaScript parsers (U+2028, U+2029). The
/// replaced characters only occur inside JSON strings, where the `\u` escapes mean the same.
pub fn script_json(value: &Value) -> String {
    let raw = value.to_string();
    let mut out = String::with_capacity(raw.len() + 16);
    for c in raw.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    /// A dist directory of its own for each test: tests run in parallel.
    fn dist() -> PathBuf {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("callcard-handler-test-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<html><head><title>t</title></head><body></body></html>").unwrap();
        std::fs::write(dir.join("app.js"), "console.log(1)").unwrap();
        std::fs::write(dir.join("app-0123456789abcdef_bg.wasm"), "\0asm").unwrap();
        dir
    }

    async fn send(req: Request<Body>) -> (StatusCode, String) {
        let app = router(&Config::new(dist())).unwrap();
        let res = app.oneshot(req).await.unwrap();
        let status = res.status();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    fn form_post(uri: &str, body: impl Into<Body>) -> Request<Body> {
        Request::post(uri)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.into())
            .unwrap()
    }

    /// The inlined JSON, read back the way the browser would: the element's text.
    fn inlined(page: &str) -> Value {
        let start = page.find("id=\"b24-launch\">").unwrap() + "id=\"b24-launch\">".len();
        let end = start + page[start..].find("</script>").unwrap();
        serde_json::from_str(&page[start..end]).unwrap()
    }

    #[test]
    fn no_value_can_break_out_of_the_script_element() {
        let nasty = "</script><script>alert(1)</script><!-- \u{2028}\u{2029} & </SCRIPT>";
        let out = script_json(&serde_json::json!({ "x": nasty }));
        assert!(!out.contains('<') && !out.contains('>'));
        assert!(!out.contains('\u{2028}') && !out.contains('\u{2029}'));
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["x"], nasty);
    }

    #[tokio::test]
    async fn post_answers_the_page_with_query_and_form_inlined() {
        let (status, page) = send(form_post(
            "/?DOMAIN=portal.example&PROTOCOL=1&LANG=de&APP_SID=abc",
            "AUTH_ID=tok&member_id=m1&PLACEMENT=CALL_CARD&PLACEMENT_OPTIONS=%7B%22PHONE_NUMBER%22%3A%22%3C%2Fscript%3E%22%7D",
        ))
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.starts_with("<html><head><title>t</title>"));
        let seed = inlined(&page);
        assert_eq!(seed["query"]["DOMAIN"], "portal.example");
        assert_eq!(seed["form"]["AUTH_ID"], "tok");
        assert_eq!(seed["form"]["PLACEMENT_OPTIONS"], r#"{"PHONE_NUMBER":"</script>"}"#);
        assert_eq!(page.matches("</script>").count(), 1);
    }

    #[tokio::test]
    async fn the_card_gets_the_posted_languages_texts_inlined() {
        let dir = dist();
        std::fs::write(dir.join("texts-ru-0123456789abcdef.json"), r#"["Ищем </script>звонящего…"]"#).unwrap();
        std::fs::write(dir.join("texts-de-89abcdef01234567.json"), r#"["Anrufer wird gesucht…"]"#).unwrap();
        // Not the build's spelling: never inlined, whatever it holds.
        std::fs::write(dir.join("texts-pl-x\"onload=1.json"), r#"["x"]"#).unwrap();
        std::fs::write(dir.join("texts-tr-0123456789abcdef.json"), "no json").unwrap();
        let app = router(&Config::new(&dir)).unwrap();
        let page_for = |query: &str, form: &str| {
            let app = app.clone();
            let request = form_post(query, form.to_string());
            async move { String::from_utf8_lossy(&app.oneshot(request).await.unwrap().into_body().collect().await.unwrap().to_bytes()).into_owned() }
        };
        let page = page_for("/?DOMAIN=p.example&LANG=RU", "AUTH_ID=t&PLACEMENT=CALL_CARD").await;
        let start = page.find(r#"<script type="application/json" id="callcard-texts" data-file="texts-ru-0123456789abcdef.json">"#).expect("the Russian table");
        let json = &page[start..].split_once('>').unwrap().1.split_once("</script>").unwrap().0;
        assert_eq!(serde_json::from_str::<Value>(json).unwrap()[0], "Ищем </script>звонящего…");
        assert_eq!(page.matches("</script>").count(), 2, "nothing in a table closes its element");
        // The body's LANG wins over the query's, as for every field.
        assert!(page_for("/?LANG=ru", "LANG=de&PLACEMENT=CALL_CARD").await.contains(r#"data-file="texts-de-89abcdef01234567.json""#));
        // English (the module's own), an unknown or unusable table, the app's page: nothing inlined.
        for (query, form) in [("/?LANG=en", "PLACEMENT=CALL_CARD"), ("/?LANG=xx", ""), ("/?LANG=pl", ""), ("/?LANG=tr", ""), ("/?LANG=ru", "PLACEMENT=DEFAULT")] {
            assert!(!page_for(query, form).await.contains("callcard-texts"), "{query} {form}");
        }
    }

    #[tokio::test]
    async fn the_apps_own_page_gets_its_own_module() {
        let dir = dist();
        std::fs::write(dir.join("app.html"), "<html><head><title>app</title></head><body></body></html>").unwrap();
        let app = router(&Config::new(&dir)).unwrap();
        let post = |placement: &str| form_post("/?DOMAIN=p.example", format!("AUTH_ID=tok&PLACEMENT={placement}"));
        for (placement, title) in [("DEFAULT", "app"), ("CALL_CARD", "t")] {
            let res = app.clone().oneshot(post(placement)).await.unwrap();
            let body = String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes()).into_owned();
            assert!(body.starts_with(&format!("<html><head><title>{title}</title>")), "{placement}: {body}");
            assert_eq!(inlined(&body)["form"]["PLACEMENT"], placement);
        }
        // Without app.html (an older build) every launch gets the call card's page.
        let (_, page) = send(form_post("/", "PLACEMENT=DEFAULT")).await;
        assert!(page.starts_with("<html><head><title>t</title>"));
    }

    #[tokio::test]
    async fn every_answer_carries_the_security_headers() {
        let mut config = Config::new(dist());
        config.portals = vec![parse_portal_origin("https://company.bitrix24.de/").unwrap(), "http://127.0.0.1:8080".into()];
        for req in [form_post("/", "AUTH_ID=t"), Request::get("/app.js").body(Body::empty()).unwrap()] {
            let res = router(&config).unwrap().oneshot(req).await.unwrap();
            assert_eq!(res.headers()[header::REFERRER_POLICY], "no-referrer");
            assert_eq!(res.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
            assert_eq!(
                res.headers()[header::CONTENT_SECURITY_POLICY],
                "frame-ancestors 'self' https://company.bitrix24.de http://127.0.0.1:8080"
            );
        }
        // Without configured portals, framing is not restricted.
        let res = router(&Config::new(dist())).unwrap().oneshot(form_post("/", "AUTH_ID=t")).await.unwrap();
        assert!(res.headers().get(header::CONTENT_SECURITY_POLICY).is_none());
    }

    #[test]
    fn portal_origins_cannot_inject_into_the_policy() {
        assert_eq!(parse_portal_origin(" HTTPS://A.bitrix24.de/ ").unwrap(), "https://a.bitrix24.de");
        assert_eq!(parse_portal_origin("https://*.bitrix24.com").unwrap(), "https://*.bitrix24.com");
        for bad in ["a.bitrix24.de", "https://a.de; script-src *", "https://a.de/path", "javascript:x", "https://"] {
            assert!(parse_portal_origin(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn the_page_is_not_cached() {
        let app = router(&Config::new(dist())).unwrap();
        let res = app.oneshot(form_post("/", "AUTH_ID=t")).await.unwrap();
        assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store");
        assert_eq!(res.headers()[header::CONTENT_TYPE], "text/html; charset=utf-8");
    }

    #[tokio::test]
    async fn hashed_assets_are_kept_for_a_year_and_the_page_is_revalidated() {
        for (path, expected) in [
            ("/app-0123456789abcdef_bg.wasm", "public, max-age=31536000, immutable"),
            ("/", "no-cache"),
            ("/index.html", "no-cache"),
            ("/app.js", "no-cache"),
        ] {
            let res = router(&Config::new(dist())).unwrap().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            assert_eq!(res.headers()[header::CACHE_CONTROL], expected, "{path}");
        }
        assert_eq!(cache_control("/callcard-31d9579664420dc.js"), "public, max-age=31536000, immutable");
        assert_eq!(cache_control("/main-9c84c53b1eab014e.css"), "public, max-age=31536000, immutable");
        assert_eq!(cache_control("/texts-ru-fa4f3d7b520e6224.json"), "public, max-age=31536000, immutable");
        assert_eq!(cache_control("/deadbeef"), "no-cache");
        assert_eq!(cache_control("/my-page.html"), "no-cache");
    }

    #[tokio::test]
    async fn non_form_and_oversized_bodies_are_refused() {
        let json = Request::post("/")
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .unwrap();
        assert_eq!(send(json).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let big = format!("AUTH_ID={}", "a".repeat(DEFAULT_BODY_LIMIT + 1));
        assert_eq!(send(form_post("/", big)).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[tokio::test]
    async fn get_serves_the_static_files() {
        let (status, body) = send(Request::get("/app.js").body(Body::empty()).unwrap()).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "console.log(1)"));
        let (status, body) = send(Request::get("/").body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!body.contains("b24-launch"));
    }

    #[test]
    fn a_page_without_head_end_still_gets_the_launch() {
        let dir = dist();
        std::fs::write(dir.join("index.html"), "<html><head><title>t</title><body></body></html>").unwrap();
        let page = load_page(&dir, "index.html").unwrap();
        assert_eq!(page.after, "<body></body></html>");
    }

    #[test]
    fn a_missing_build_is_a_clear_start_error() {
        let err = router(&Config::new("/nonexistent-dist")).err().unwrap();
        assert!(err.0.contains("make build"));
    }
}
