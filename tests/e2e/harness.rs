//! The end-to-end harness: the sandbox portal and the widget's handler (serving the release
//! build in `dist/`), real headless Chromium driven through chromedriver, and an [`Agent`] that
//! opens the call card in a scenario and reads what an agent sees inside the app's iframe.

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// How long a card may take to leave `loading` before a test fails (the widget gives a REST
/// request 15 s).
const READY_TIMEOUT: Duration = Duration::from_secs(25);

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The call card's release files (`dist/`, built by `make build`), in name order: its page and
/// what it loads, of the languages' tables (`texts-<code>-<hash>.json`, one loaded per page) the
/// largest file.
pub fn release_files() -> Vec<PathBuf> {
    let (tables, mut files): (Vec<PathBuf>, Vec<PathBuf>) =
        dist_files().into_iter().filter(|p| !is_app_page_file(p) && !is_tables_index(p)).partition(|p| is_text_table(p));
    let size = |p: &PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    files.extend(tables.into_iter().max_by_key(size));
    files
}

/// A folder of this test run's own under `target/` (`target/e2e-<name>-<pid>`).
#[allow(dead_code)]
pub fn scratch(name: &str) -> PathBuf {
    root().join(format!("target/e2e-{name}-{}", std::process::id()))
}

/// A language's card texts, loaded by the call card in that language only.
pub fn is_text_table(path: &Path) -> bool {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).is_some_and(|n| n.starts_with("texts-") && n.ends_with(".json"))
}

/// The tables' index (`texts.json`: which file is which language's), read by the edge function,
/// never by the card.
pub fn is_tables_index(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "texts.json")
}

/// The app's own page (`app.html`), its module (`callcard-app-…`) and its styles
/// (`app-page-…`): built beside the call card, never loaded by it.
#[allow(dead_code)]
pub fn app_page_files() -> Vec<PathBuf> {
    dist_files().into_iter().filter(|p| is_app_page_file(p)).collect()
}

/// Whether a file of `dist/` is the app's own page's (see [`app_page_files`]).
pub fn is_app_page_file(path: &Path) -> bool {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).is_some_and(|n| n == "app.html" || n.starts_with("callcard-app-") || n.starts_with("app-page-"))
}

fn dist_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("dist"))
        .expect("dist/ exists: run `make build`")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    files.sort();
    files
}

/// The sandbox serving the widget, started once for the whole test binary.
pub fn sandbox() -> &'static callcard_sandbox::Running {
    static RUNNING: OnceLock<callcard_sandbox::Running> = OnceLock::new();
    RUNNING.get_or_init(|| {
        let dist = root().join("dist");
        assert!(
            dist.join("index.html").exists(),
            "no release build in {}: run `make build` (or `make test`, which builds first)",
            dist.display()
        );
        start_sandbox(dist)
    })
}

/// A sandbox whose "widget" is the judge page: the official Bitrix24 JS SDK (from npm) and a
/// script that exercises it, served by the same handler from the widget's origin.
pub fn judge_sandbox() -> &'static callcard_sandbox::Running {
    static RUNNING: OnceLock<callcard_sandbox::Running> = OnceLock::new();
    RUNNING.get_or_init(|| {
        let sdk = root().join("node_modules/@bitrix24/b24jssdk/dist/umd/index.min.js");
        assert!(sdk.exists(), "no {}: run scripts/setup.sh (npm ci)", sdk.display());
        let dist = root().join("target/sdk-judge-dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::copy(&sdk, dist.join("b24jssdk.js")).unwrap();
        for file in ["index.html", "judge.js"] {
            std::fs::copy(root().join("tests/sdk-judge").join(file), dist.join(file)).unwrap();
        }
        start_sandbox(dist)
    })
}

/// A sandbox of its own where the app is not installed yet: each call starts a new one, so that
/// tests that install and uninstall do not change what other tests see.
pub fn fresh_sandbox() -> callcard_sandbox::Running {
    let mut config = config(root().join("dist"));
    config.installed = false;
    run_sandbox(config)
}

/// The sandbox settings the tests start from: the test data, every port picked free.
///
/// A sandbox is one portal, and the shared one serves every test's agent at once: three tests at
/// a time open well over its 50-request burst and 2 a second. Each test must see the portal as its
/// agent alone would, requests counted and none refused for another test's, so the portal's
/// bucket is as wide as the run needs. The limit itself is tested through the `rate-limited`
/// scenario, whose opening has a bucket of its own at the portal's real size.
pub fn config(dist: PathBuf) -> callcard_sandbox::Config {
    let mut config = callcard_sandbox::Config::new(dist, root().join("sandbox/data"));
    config.rate_burst = 1_000_000;
    config.portal = ([127, 0, 0, 1], 0).into();
    config.widget = ([127, 0, 0, 1], 0).into();
    config.static_host = ([127, 0, 0, 1], 0).into();
    config
}

/// Starts a sandbox serving `dist`.
fn start_sandbox(dist: PathBuf) -> callcard_sandbox::Running {
    run_sandbox(config(dist))
}

/// Starts a sandbox on a runtime of its own: each test has its own runtime, which would stop
/// the servers when the test ends.
pub fn run_sandbox(config: callcard_sandbox::Config) -> callcard_sandbox::Running {
    {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().expect("sandbox runtime");
            runtime.block_on(async move {
                tx.send(callcard_sandbox::start(config).await).expect("report start");
                std::future::pending::<()>().await;
            });
        });
        rx.recv().expect("sandbox thread").expect("sandbox starts")
    }
}

/// A port nothing listens on (for servers that must be told their port before they start).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Waits until something listens on `port`.
pub fn wait_listening(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not listen on {port}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// A child process, ended when dropped.
pub struct Process(pub Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A chromedriver process, ended when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    /// Starts chromedriver on a free port. Tests run in parallel and each picks its ports: a
    /// port found free may be taken by another test's server before chromedriver binds it, and
    /// chromedriver then exits while that server answers. So the port counts as chromedriver's
    /// only when its `/status` says it is ready; otherwise another port is tried.
    fn start() -> Driver {
        for _ in 0..5 {
            let port = free_port();
            // A process group of its own, so that the browsers it starts end with it even when
            // a failing test never closes its session.
            let child = Command::new(CHROMEDRIVER)
                .process_group(0)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("chromedriver starts (installed by scripts/setup.sh)");
            let mut driver = Driver { child, url: format!("http://127.0.0.1:{port}") };
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if driver.ready(port) {
                    return driver;
                }
                // It exited: the port was taken.
                if !matches!(driver.child.try_wait(), Ok(None)) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(25));
            }
        }
        panic!("chromedriver did not start on any of five ports");
    }

    /// Whether chromedriver itself answers on `port` and is ready for a session. It wants the
    /// port in `Host` and keeps the connection open after its reply, so the reply is read only
    /// until its `ready` field.
    fn ready(&self, port: u16) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return false };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
        let request = format!("GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
        if stream.write_all(request.as_bytes()).is_err() {
            return false;
        }
        let (mut reply, mut chunk) = (Vec::new(), [0u8; 4096]);
        while let Ok(n @ 1..) = stream.read(&mut chunk) {
            reply.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&reply);
            if let Some(at) = text.find("\"ready\":") {
                return text[at..].starts_with("\"ready\":true");
            }
        }
        false
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh, empty Chromium profile per browser, removed when dropped.
struct Profile(PathBuf);

impl Profile {
    fn new() -> Profile {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = root().join(format!("target/e2e-profiles/{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Profile(dir)
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether a closed agent's browser serves the next agent ([`Browser`]). The benchmark turns it
/// off: it measures a first opening in a browser that never saw the card.
static REUSE_BROWSERS: AtomicBool = AtomicBool::new(true);

/// Whether the test browsers compile WebAssembly with V8's baseline compiler alone
/// (`--js-flags=--liftoff-only`). Every page compiles the widget's module anew, and the
/// optimizing compiler's background work on its hot functions was 6% of the end-to-end tests'
/// processor time (285 → 267 CPU-s, 151 → 143 s, two runs each). The module does the same
/// either way; the benchmark, which times openings, keeps Chromium's default.
static BASELINE_WASM_ONLY: AtomicBool = AtomicBool::new(true);

/// Every agent from now on starts a Chromium of its own, as an agent's browser compiles the
/// module (both tiers), and ends it when closed.
#[allow(dead_code)]
pub fn fresh_browsers() {
    REUSE_BROWSERS.store(false, Ordering::Relaxed);
    BASELINE_WASM_ONLY.store(false, Ordering::Relaxed);
}

/// A headless Chromium with a WebDriver session on it, and the extra switches it started with.
///
/// Starting one costs about 2.5 s of processor time, as much as a short test itself, so a closed
/// agent's browser goes to the next agent that asks for the same switches. It comes back as a
/// browser that has seen nothing: [`Browser::forget`] clears the storage of every origin the
/// agent visited and leaves one new, empty tab (a tab's session storage ends with it). An agent
/// whose test failed is dropped, not closed, and its browser ends with it.
struct Browser {
    driver: Driver,
    session: String,
    switches: &'static [&'static str],
    _profile: Profile,
}

/// The browsers no agent holds, ended when the test program exits.
fn idle_browsers() -> &'static Mutex<Vec<Browser>> {
    static IDLE: OnceLock<Mutex<Vec<Browser>>> = OnceLock::new();
    IDLE.get_or_init(|| {
        extern "C" {
            fn atexit(callback: extern "C" fn()) -> std::ffi::c_int;
        }
        extern "C" fn end_idle_browsers() {
            if let Ok(mut idle) = idle_browsers().try_lock() {
                idle.clear();
            }
        }
        // SAFETY: registers a plain function, which only ends child processes, to run at exit.
        unsafe { atexit(end_idle_browsers) };
        Mutex::new(Vec::new())
    })
}

/// A Chrome DevTools Protocol command, sent through chromedriver to the session's current tab.
#[derive(Debug)]
struct DevTools(Value);

impl fantoccini::wd::WebDriverCompatibleCommand for DevTools {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}

impl Browser {
    /// A browser with `switches` beside the usual ones (`--force-dark-mode`: the system theme
    /// is dark): an idle one when there is one, else a new one.
    async fn take(switches: &'static [&'static str]) -> (Client, Browser) {
        loop {
            let idle = {
                let mut idle = idle_browsers().lock().unwrap();
                idle.iter().position(|b| b.switches == switches).map(|at| idle.swap_remove(at))
            };
            let Some(browser) = idle else { break };
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            if let Ok(client) = Client::with_existing_session(&browser.driver.url, &browser.session, connector).await {
                if client.windows().await.is_ok() {
                    return (client, browser);
                }
            }
            // That browser is gone: it ends here, and another is tried.
        }
        Browser::start(switches).await
    }

    async fn start(switches: &'static [&'static str]) -> (Client, Browser) {
        let driver = Driver::start();
        let profile = Profile::new();
        let mut args: Vec<String> = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1200,1300",
        ]
        .into_iter()
        .chain(switches.iter().copied())
        .map(String::from)
        .collect();
        if BASELINE_WASM_ONLY.load(Ordering::Relaxed) {
            args.push("--js-flags=--liftoff-only".into());
        }
        args.push(format!("--user-data-dir={}", profile.0.display()));
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), json!({ "binary": CHROMIUM, "args": args }));
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .expect("a Chromium session");
        let session = client.session_id().await.ok().flatten().expect("the session's id");
        (client, Browser { driver, session, switches, _profile: profile })
    }

    /// Gives the browser back for the next agent, as one that has seen nothing; a browser that
    /// cannot be cleared ends here.
    async fn give_back(self, client: Client, origins: &[String]) {
        if !REUSE_BROWSERS.load(Ordering::Relaxed) || Browser::forget(&client, origins).await.is_err() {
            let _ = client.close().await;
            return;
        }
        // The session stays for the next agent's client.
        let _ = client.persist().await;
        drop(client);
        idle_browsers().lock().unwrap().push(self);
    }

    /// Clears the storage of `origins` and of every origin in an open tab (local storage,
    /// IndexedDB, cookies…), then closes every tab but a new, empty one.
    async fn forget(client: &Client, origins: &[String]) -> Result<(), fantoccini::error::CmdError> {
        let mut origins: Vec<String> = origins.to_vec();
        let fresh = client.new_window(true).await?.handle;
        for window in client.windows().await? {
            if window == fresh {
                continue;
            }
            client.switch_to_window(window).await?;
            let tree = client.issue_cmd(DevTools(json!({ "cmd": "Page.getFrameTree", "params": {} }))).await?;
            collect_origins(&tree["frameTree"], &mut origins);
            client.close_window().await?;
        }
        client.switch_to_window(fresh).await?;
        origins.sort();
        origins.dedup();
        for origin in origins.iter().filter(|o| o.starts_with("http")) {
            let params = json!({ "origin": origin, "storageTypes": "all" });
            client.issue_cmd(DevTools(json!({ "cmd": "Storage.clearDataForOrigin", "params": params }))).await?;
        }
        Ok(())
    }
}

/// The origins of a DevTools frame tree: its frame's and its child frames'.
fn collect_origins(tree: &Value, origins: &mut Vec<String>) {
    if let Some(origin) = tree["frame"]["securityOrigin"].as_str() {
        origins.push(origin.to_string());
    }
    for child in tree["childFrames"].as_array().into_iter().flatten() {
        collect_origins(child, origins);
    }
}

/// The origin (`scheme://host:port`) of an absolute URL.
fn origin_of(url: &str) -> String {
    url::Url::parse(url).map(|u| u.origin().ascii_serialization()).unwrap_or_default()
}

/// An agent's browser with the portal's call card open.
pub struct Agent {
    client: Client,
    /// The portal this agent's call cards come from.
    portal: String,
    /// The APP_SID of this opening; the sandbox files its records under it.
    pub session: String,
    /// Where this agent's pages came from, cleared before its browser serves another agent.
    origins: Vec<String>,
    browser: Browser,
}

impl Agent {
    /// An agent in a browser for `sandbox`'s portal (or none), with extra Chromium switches.
    async fn launch(sandbox: Option<&callcard_sandbox::Running>, switches: &'static [&'static str]) -> Agent {
        let (client, browser) = Browser::take(switches).await;
        let (portal, origins) = match sandbox {
            Some(s) => (s.portal_url.clone(), [&s.portal_url, &s.widget_url, &s.static_url].map(|u| origin_of(u)).to_vec()),
            None => (String::new(), Vec::new()),
        };
        Agent { client, portal, session: String::new(), origins, browser }
    }

    /// Opens the portal's call card in `scenario` (a name, optionally followed by `&lang=..`)
    /// and waits until the app's tab has settled (`data-state` is no longer `loading`).
    pub async fn open(scenario: &str) -> Agent {
        Agent::open_on(sandbox(), scenario).await
    }

    /// Like [`Agent::open`], in a browser whose system theme is dark.
    pub async fn open_in_dark_system(scenario: &str) -> Agent {
        Agent::open_with_switches(&["--force-dark-mode"], scenario).await
    }

    /// Like [`Agent::open`], in a browser started with extra Chromium switches.
    pub async fn open_with_switches(switches: &'static [&'static str], scenario: &str) -> Agent {
        let mut agent = Agent::launch(Some(sandbox()), switches).await;
        agent.reopen(scenario).await;
        agent
    }

    /// The WebDriver session of this agent's browser, which stays with the browser.
    #[allow(dead_code)]
    pub fn browser_session(&self) -> &str {
        &self.browser.session
    }

    /// Like [`Agent::open`], on another sandbox.
    pub async fn open_on(sandbox: &callcard_sandbox::Running, scenario: &str) -> Agent {
        let mut agent = Agent::browser_on(sandbox).await;
        agent.reopen(scenario).await;
        agent
    }

    /// Like [`Agent::open`], with the module's memory watched in every frame the tab opens
    /// (`window.__callcardMemory`, the `WebAssembly.Memory` the glue instantiates), for
    /// [`Agent::memory_mib`].
    pub async fn open_watching_memory(scenario: &str) -> Agent {
        const WATCH: &str = "(() => { const instantiate = WebAssembly.instantiateStreaming; \
            WebAssembly.instantiateStreaming = async (...args) => { const made = await instantiate.apply(WebAssembly, args); \
            window.__callcardMemory = Object.values(made.instance.exports).find(e => e instanceof WebAssembly.Memory); return made; }; })();";
        let mut agent = Agent::browser_on(sandbox()).await;
        let params = json!({ "source": WATCH });
        agent.client.issue_cmd(DevTools(json!({ "cmd": "Page.addScriptToEvaluateOnNewDocument", "params": params }))).await.unwrap();
        agent.reopen(scenario).await;
        agent
    }

    /// The size of the app's WebAssembly memory in MiB (opened by [`Agent::open_watching_memory`]).
    pub async fn memory_mib(&self) -> f64 {
        let size = self.eval("return window.__callcardMemory.buffer.byteLength / 1048576;", vec![]).await;
        size.as_f64().expect("the module's memory is watched")
    }

    /// A browser for `sandbox`'s portal that has opened nothing yet ([`Agent::visit`] opens).
    pub async fn browser_on(sandbox: &callcard_sandbox::Running) -> Agent {
        Agent::launch(Some(sandbox), &[]).await
    }

    /// Opens the call card again in this browser tab (the portal renders it anew: new tokens,
    /// new APP_SID; the tab's session storage stays).
    pub async fn reopen(&mut self, scenario: &str) {
        assert!(self.visit(scenario).await, "the portal page has no tab of the app ({scenario})");
    }

    /// Opens the portal's page for `scenario` and enters the app's tab without waiting for it
    /// to settle (to watch it load).
    #[allow(dead_code)]
    pub async fn open_unsettled(scenario: &str) -> Agent {
        let mut agent = Agent::browser_on(sandbox()).await;
        assert!(agent.enter(scenario).await, "the portal page has no tab of the app ({scenario})");
        agent
    }

    /// Opens the portal's page for `scenario`; when it has the app's tab, enters it and waits
    /// until it settled. Whether the page has the app's tab.
    pub async fn visit(&mut self, scenario: &str) -> bool {
        let entered = self.enter(scenario).await;
        if entered {
            self.wait_settled().await;
        }
        entered
    }

    /// Opens the portal's page for `scenario` and enters the app's tab if it has one.
    async fn enter(&mut self, scenario: &str) -> bool {
        self.client.enter_parent_frame().await.unwrap();
        self.client.goto(&format!("{}/?scenario={scenario}", self.portal)).await.unwrap();
        self.session = self
            .client
            .execute("return document.body.dataset.session;", vec![])
            .await
            .unwrap()
            .as_str()
            .expect("the portal page names its session")
            .to_string();
        let Ok(frame) = self.client.find(Locator::Css("#app-frame")).await else { return false };
        frame.enter_frame().await.unwrap();
        true
    }

    /// Clicks the first element matching `css` and waits for the tab to settle again.
    pub async fn click(&self, css: &str) {
        self.client.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        self.wait_settled().await;
    }

    /// Text the portal page itself shows (outside the app's frame), waiting up to two seconds
    /// for the element to exist with some text.
    pub async fn portal_text(&self, css: &str) -> String {
        self.enter_portal().await;
        let deadline = Instant::now() + Duration::from_secs(2);
        let text = loop {
            // The element may not be there yet (the page adds some as the portal reacts).
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if !text.is_empty() || Instant::now() > deadline {
                break text;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        self.enter_app().await;
        text
    }

    /// Opens a URL directly, not through the portal (outside any frame).
    pub async fn open_direct(url: &str) -> Agent {
        let mut agent = Agent::launch(None, &[]).await;
        agent.origins.push(origin_of(url));
        agent.client.goto(url).await.unwrap();
        agent.wait_settled().await;
        agent
    }

    pub async fn wait_settled(&self) {
        const SETTLED: &str = "const e = document.querySelector('[data-testid=callcard]'); \
                               const s = e && e.getAttribute('data-state'); return s && s !== 'loading' ? s : null;";
        let settled = self.wait_in_page(SETTLED, Value::Null, READY_TIMEOUT).await;
        assert!(!settled.is_null(), "the card did not settle within {READY_TIMEOUT:?}");
    }

    /// Waits up to `wait` for `condition` (a function body over `arguments[0]`, which is `arg`)
    /// to return something other than `null`, and returns that (`null` when the time is up).
    ///
    /// The page itself checks, every 25 ms, inside one WebDriver command. Asking from here each
    /// time costs chromedriver, the browser and the page a command's work (two for an
    /// attribute) 20 times a second for every waiting test, on the processors the browsers
    /// need. A page that navigates away ends the command with an error; the wait then goes on
    /// in the page that came.
    async fn wait_in_page(&self, condition: &str, arg: Value, wait: Duration) -> Value {
        let script = format!(
            "const [arg, wait] = arguments; const check = () => {{ {condition} }}; const until = Date.now() + wait;
             return new Promise((resolve) => {{
                 const poll = () => {{
                     const found = check();
                     if (found !== null && found !== undefined) resolve(found);
                     else if (Date.now() >= until) resolve(null);
                     else setTimeout(poll, 25);
                 }};
                 poll();
             }});"
        );
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.client.execute(&script, vec![arg.clone(), json!(left.as_millis() as u64)]).await {
                Ok(found) if !found.is_null() => return found,
                _ if Instant::now() >= deadline => return Value::Null,
                Ok(_) => {}
                // Navigated away mid-wait: ask the page that came.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// The widget's own `callcard-ready` mark: milliseconds from the tab's navigation to its
    /// first settled screen. (The benchmark reads it; no test does.)
    #[allow(dead_code)]
    pub async fn ready_mark(&self) -> f64 {
        self.client
            .execute("const m = performance.getEntriesByName('callcard-ready')[0]; return m ? m.startTime : null;", vec![])
            .await
            .unwrap()
            .as_f64()
            .expect("the widget marks callcard-ready")
    }

    /// The root's `data-state`: `ready` or `error` once settled.
    pub async fn state(&self) -> String {
        self.attr("[data-testid=callcard]", "data-state").await.unwrap_or_default()
    }

    /// The visible text of the first element matching `css`, `None` when there is none.
    pub async fn text(&self, css: &str) -> Option<String> {
        match self.client.find(Locator::Css(css)).await {
            Ok(e) => Some(e.text().await.unwrap()),
            Err(_) => None,
        }
    }

    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for e in self.client.find_all(Locator::Css(css)).await.unwrap() {
            out.push(e.text().await.unwrap());
        }
        out
    }

    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        match self.client.find(Locator::Css(css)).await {
            Ok(e) => e.attr(name).await.ok().flatten(),
            Err(_) => None,
        }
    }

    /// The whole text of the first element matching `css`, folded parts included (a closed
    /// `<details>` hides its text from [`Agent::text`]).
    pub async fn text_content(&self, css: &str) -> Option<String> {
        self.eval("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", vec![json!(css)])
            .await
            .as_str()
            .map(String::from)
    }

    /// An attribute of every element matching `css`, in document order (missing ones as "").
    pub async fn attr_all(&self, css: &str, name: &str) -> Vec<String> {
        let found = self
            .eval("return [...document.querySelectorAll(arguments[0])].map((e) => e.getAttribute(arguments[1]) || '');", vec![json!(css), json!(name)])
            .await;
        serde_json::from_value(found).unwrap_or_default()
    }

    pub async fn exists(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    /// The REST requests the portal served for this opening.
    pub fn rest_requests(&self) -> Vec<Value> {
        sandbox_get(&self.portal, &format!("/__sandbox/requests?session={}", self.session))
    }

    /// Runs `script` in the app's frame (with `arguments` as given) and returns its value,
    /// awaiting a returned promise.
    pub async fn eval(&self, script: &str, args: Vec<Value>) -> Value {
        self.client.execute(script, args).await.unwrap()
    }

    /// Posts `message` to the portal window from inside the app's frame, as the app would, and
    /// returns the portal's answer to `callback` if one comes within `wait_ms`. In a string
    /// message `{sid}` stands for this frame's APP_SID; an object message gets it as `appSid`
    /// unless it names one.
    pub async fn frame_exchange(&self, message: Value, callback: &str, wait_ms: u64) -> Option<String> {
        let script = r#"
            const [message, callback, wait] = arguments;
            const [host, protocol, sid] = window.name.split("|");
            const origin = (protocol === "1" ? "https://" : "http://") + host;
            const data = typeof message === "string"
                ? message.replace("{sid}", sid)
                : Object.assign({ appSid: sid }, message);
            return new Promise((resolve) => {
                let answer = null;
                const listen = (e) => {
                    if (e.origin === origin && typeof e.data === "string" && e.data.startsWith(callback + ":")) answer = e.data;
                };
                window.addEventListener("message", listen);
                parent.postMessage(data, origin);
                setTimeout(() => { window.removeEventListener("message", listen); resolve(answer); }, wait);
            });
        "#;
        let answer = self.eval(script, vec![message, json!(callback), json!(wait_ms)]).await;
        answer.as_str().map(|s| s[callback.len() + 1..].to_string())
    }

    /// Leaves the app's frame for the portal page around it.
    async fn enter_portal(&self) {
        self.client.enter_parent_frame().await.unwrap();
    }

    /// Goes back into the app's frame (where every other method of the agent looks).
    async fn enter_app(&self) {
        if let Ok(frame) = self.client.find(Locator::Css("#app-frame")).await {
            let _ = frame.enter_frame().await;
        }
    }

    /// How many browser windows and tabs are open (a record opened as a link adds one).
    pub async fn window_count(&self) -> usize {
        self.client.windows().await.map(|w| w.len()).unwrap_or(0)
    }

    /// Runs `script` on the portal page itself and returns its value.
    pub async fn portal_eval(&self, script: &str) -> Value {
        self.enter_portal().await;
        let value = self.client.execute(script, vec![]).await.unwrap();
        self.enter_app().await;
        value
    }

    /// The portal page's own configuration (what it issued this opening).
    pub async fn portal_config(&self) -> Value {
        self.portal_eval("return JSON.parse(document.getElementById('portal-config').textContent);").await
    }

    /// Clicks a control of the portal page itself (outside the app's frame).
    pub async fn click_portal(&self, css: &str) {
        self.enter_portal().await;
        self.client.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
        self.enter_app().await;
    }

    /// An attribute of the portal page's `<body>`, waiting up to `wait` for it to equal
    /// `expected`; returns what it last was.
    pub async fn portal_body_attr(&self, name: &str, expected: &str, wait: Duration) -> Option<String> {
        self.enter_portal().await;
        let deadline = Instant::now() + wait;
        let value = loop {
            let v = self.client.find(Locator::Css("body")).await.unwrap().attr(name).await.unwrap();
            if v.as_deref() == Some(expected) || Instant::now() > deadline {
                break v;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        self.enter_app().await;
        value
    }

    /// POSTs to the sandbox's test hooks for this opening (`expire`, `event`, `fail&method=…`).
    pub fn sandbox_post(&self, hook: &str, body: &str) -> u16 {
        let (hook, extra) = hook.split_once('&').map_or((hook, String::new()), |(h, e)| (h, format!("&{e}")));
        sandbox_request(&self.portal, "POST", &format!("/__sandbox/{hook}?session={}{extra}", self.session), body).0
    }

    /// Replaces what the input `css` holds with `text`.
    pub async fn set_value(&self, css: &str, text: &str) {
        let e = self.client.find(Locator::Css(css)).await.unwrap();
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    /// Types into the input or text area `css` (appending to what it holds).
    pub async fn type_into(&self, css: &str, text: &str) {
        self.client.find(Locator::Css(css)).await.unwrap().send_keys(text).await.unwrap();
    }

    /// The REST methods the portal served this opening, in order, with their HTTP statuses.
    pub fn rest_calls(&self) -> Vec<(String, u64)> {
        self.rest_requests()
            .iter()
            .map(|r| (r["method"].as_str().unwrap_or_default().to_string(), r["status"].as_u64().unwrap_or(0)))
            .collect()
    }

    /// The current `value` of an input or text area (the property, which is what the agent sees).
    pub async fn value(&self, css: &str) -> Option<String> {
        match self.client.find(Locator::Css(css)).await {
            Ok(e) => e.prop("value").await.ok().flatten(),
            Err(_) => None,
        }
    }

    /// Waits up to `wait` for an element matching `css` whose text is `text`; whether one came.
    pub async fn wait_for_text(&self, css: &str, text: &str, wait: Duration) -> bool {
        let deadline = Instant::now() + wait;
        // The page waits for the text as its `innerText` (spaces collapsed); WebDriver's own
        // text of the element, which the tests read, then decides.
        let shown = "return [...document.querySelectorAll(arguments[0][0])] \
                     .some((e) => e.innerText.replace(/\\s+/g, ' ').trim() === arguments[0][1]) || null;";
        self.wait_in_page(shown, json!([css, text]), wait).await;
        loop {
            if self.texts(css).await.iter().any(|t| t == text) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits up to `wait` for `css` to exist; whether it does.
    pub async fn wait_for(&self, css: &str, wait: Duration) -> bool {
        let found = self.wait_in_page("return document.querySelector(arguments[0]) ? true : null;", json!(css), wait).await;
        !found.is_null()
    }

    /// The frame commands the portal received from this opening, waiting up to two seconds for
    /// one named `command` (the portal page records them asynchronously).
    pub async fn frame_commands(&self, command: &str) -> Vec<Value> {
        self.frame_log_when(|log| log.iter().any(|r| r["command"] == command)).await
    }

    /// The frame commands the portal page received from this opening, in its order, once
    /// `done` holds of them or two seconds have passed: the portal page records each command
    /// with a request of its own, so the log can trail the frame by a command.
    async fn frame_log_when(&self, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            let log = sandbox_get(&self.portal, &format!("/__sandbox/frame?session={}", self.session));
            if done(&log) || Instant::now() > deadline {
                return log;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The height the widget last asked the portal for (`resizeWindow`), waiting up to two
    /// seconds for it to be `expected`.
    pub async fn last_requested_height(&self, expected: f64) -> Option<f64> {
        let last_height = |log: &[Value]| log.iter().rev().find(|r| r["command"] == "resizeWindow").and_then(|r| r["params"]["height"].as_f64());
        last_height(&self.frame_log_when(|log| last_height(log) == Some(expected)).await)
    }

    /// Waits (up to three seconds) until the portal's iframe is exactly as tall as the widget's
    /// content, and returns that height; `None` if it never is.
    pub async fn fitted_height(&self) -> Option<f64> {
        // A card still settling (a late line, an image) sends one more resize after the two
        // heights first agree: the height counts once it has held for a few samples.
        const HELD: u32 = 4;
        let deadline = Instant::now() + Duration::from_secs(3);
        let mut agreed: Option<(f64, u32)> = None;
        loop {
            let content = self
                .client
                .execute("return document.body.scrollHeight;", vec![])
                .await
                .unwrap()
                .as_f64()
                .unwrap_or_default();
            agreed = if self.frame_height().await == content {
                match agreed {
                    Some((height, times)) if height == content => Some((height, times + 1)),
                    _ => Some((content, 1)),
                }
            } else {
                None
            };
            if let Some((height, times)) = agreed {
                if times >= HELD {
                    return Some(height);
                }
            }
            if Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The height the portal gave the app's iframe (from the portal page itself).
    async fn frame_height(&self) -> f64 {
        let h = self.portal_eval("return document.getElementById('app-frame').getBoundingClientRect().height;").await;
        h.as_f64().unwrap_or_default()
    }

    /// Saves what the agent sees (the whole portal page) as `target/screenshots/NAME.png`.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = root().join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// A picture of the app's tab alone (the frame, as the portal shows it), in
    /// `target/screenshots/NAME.png`.
    pub async fn tab_screenshot(&self, name: &str) {
        self.enter_portal().await;
        let frame = self.client.find(Locator::Css("#app-frame")).await.unwrap();
        let png = frame.screenshot().await.unwrap();
        self.enter_app().await;
        let dir = root().join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Ends the agent; its browser serves the next agent ([`Browser`]).
    pub async fn close(self) {
        let Agent { client, browser, origins, .. } = self;
        browser.give_back(client, &origins).await;
    }
}

/// A plain HTTP/1.0 request to a sandbox with a JSON body: `(status, body)`.
pub fn sandbox_request(base: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    sandbox_request_typed(base, method, path, "application/json", body)
}

/// A plain HTTP/1.0 request to a sandbox: `(status, body)`.
pub fn sandbox_request_typed(base: &str, method: &str, path: &str, content_type: &str, body: &str) -> (u16, String) {
    let response = raw_request(base, method, path, content_type, body);
    let status = status_of(&response);
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

/// The status code of a raw response (0 if it has none).
pub fn status_of(response: &str) -> u16 {
    response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// A plain HTTP/1.0 request to a sandbox: the whole response, status line and headers included.
pub fn raw_request(base: &str, method: &str, path: &str, content_type: &str, body: &str) -> String {
    let addr = base.trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    // Binary bodies (a wasm file) are read as text with replacement characters.
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    String::from_utf8_lossy(&response).into_owned()
}

/// Opens a scenario's portal page over plain HTTP (no browser) and returns the page's
/// configuration: what the portal issued this opening (`appSid`, `initData.AUTH_ID`…).
pub fn issue(base: &str, scenario: &str) -> Value {
    let page = sandbox_request(base, "GET", &format!("/?scenario={scenario}"), "").1;
    let start = page.find("id=\"portal-config\" type=\"application/json\">").expect("a portal config") ;
    let json_start = start + page[start..].find('>').unwrap() + 1;
    let end = json_start + page[json_start..].find("</script>").unwrap();
    serde_json::from_str(&page[json_start..end]).unwrap()
}

/// A REST call to a sandbox portal with a form body: status and the JSON reply (null when the
/// body is not JSON).
pub fn rest(base: &str, method: &str, content_type: &str, body: &str) -> (u16, Value) {
    let (status, text) = sandbox_request_typed(base, "POST", &format!("/rest/{method}.json"), content_type, body);
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// GETs a JSON list from a sandbox's test hooks.
fn sandbox_get(base: &str, path: &str) -> Vec<Value> {
    serde_json::from_str(&sandbox_request(base, "GET", path, "").1).unwrap()
}
