//! What every browser test needs: Turnero as a real process, a headless Chromium driven
//! through chromedriver (fantoccini), waiting for conditions, and the demo API.

use fantoccini::actions::{InputSource, KeyAction, KeyActions, PointerAction, TouchActions};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One browser test at a time: two cores do not run several Chromiums well, and the
/// timing assertions ("within a second") must not measure a crowded machine.
pub static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn chromium() -> String {
    std::env::var("TURNERO_CHROMIUM").unwrap_or_else(|_| CHROMIUM.into())
}

fn chromedriver() -> String {
    std::env::var("TURNERO_CHROMEDRIVER").unwrap_or_else(|_| CHROMEDRIVER.into())
}

/// True when Chromium and chromedriver are installed. Without them the tests fail in CI
/// (CI set) and are skipped, loudly, elsewhere.
pub fn browser_available(test: &str) -> bool {
    let missing: Vec<String> = [chromium(), chromedriver()]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{test}: missing {missing:?}; install Debian's chromium and chromium-driver");
    }
    eprintln!(
        "SKIPPED {test}: missing {missing:?} (apt-get install chromium chromium-driver); \
         this test fails instead of skipping when CI is set"
    );
    false
}

/// Where screenshots go (gitignored).
pub fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Turnero as a real process.
pub struct Server {
    child: Child,
    pub address: String,
}

impl Server {
    /// Starts `turnero serve` on `port` with `data` (the demo office), and waits for its
    /// first line.
    pub fn start(data: &Path, port: u16) -> Server {
        Server::start_with(data, port, None)
    }

    /// Starts `turnero serve` with a configuration file (none: the demo office).
    pub fn start_with(data: &Path, port: u16, config: Option<&Path>) -> Server {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let mut command = Command::new(env!("CARGO_BIN_EXE_turnero"));
            command
                .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--data"])
                .arg(data);
            if let Some(config) = config {
                command.arg("--config").arg(config);
            }
            let mut child = command
                .env("RUST_LOG", "warn")
                // The same secret across restarts keeps agents' tokens valid.
                .env("TURNERO_SECRET", "browser-tests-secret")
                .env_remove("TURNERO_CONFIG")
                .env_remove("TURNERO_REDIS_URL")
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let stdout = child.stdout.take().unwrap();
            let mut line = String::new();
            BufReader::new(stdout).read_line(&mut line).unwrap();
            if let Some(address) = line
                .trim()
                .rsplit(' ')
                .next()
                .filter(|a| a.starts_with("http://"))
            {
                return Server {
                    address: address.to_owned(),
                    child,
                };
            }
            // The port may still be held by the previous process for a moment.
            let _ = child.kill();
            let _ = child.wait();
            assert!(
                Instant::now() < deadline,
                "the server did not start: {line:?}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// SIGKILL, as a crash or a pulled plug.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A small client for the demo office's API (to prepare and to act outside the pages).
pub struct Api {
    pub base: String,
    http: reqwest::Client,
}

impl Api {
    pub fn new(base: &str) -> Api {
        Api {
            base: base.to_owned(),
            http: reqwest::Client::new(),
        }
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        let mut request = self.http.post(format!("{}/api/v1{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.json(&body).send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Value {
        let mut request = self.http.get(format!("{}/api/v1{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap().json().await.unwrap()
    }

    pub async fn issue(&self, service: &str, category: &str) -> Value {
        let (status, ticket) = self
            .post(
                "/offices/central/tickets",
                Some(&turnero::config::demo_kiosk_token("demo")),
                json!({"service": service, "category": category}),
            )
            .await;
        assert_eq!(status, 201, "{ticket}");
        ticket
    }

    pub async fn login(&self, user: &str) -> String {
        let (status, body) = self
            .post(
                "/auth/login",
                None,
                json!({"username": user, "password": "demo"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().unwrap().to_owned()
    }

    /// A counter action; the status is checked to be 2xx.
    pub async fn counter(&self, token: &str, counter: &str, action: &str, body: Value) -> Value {
        let (status, value) = self
            .post(
                &format!("/offices/central/counters/{counter}/{action}"),
                Some(token),
                body,
            )
            .await;
        assert!((200..300).contains(&status), "{action}: {status} {value}");
        value
    }
}

/// A chromedriver process and a session on a headless Chromium.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn start() -> Browser {
        let port = free_port();
        let driver = Command::new(chromedriver())
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let args = vec![
            "--headless".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            // An unattended lobby TV is started like this (display/README.md).
            "--autoplay-policy=no-user-gesture-required".into(),
            // Pages in background tabs must keep their timers and sockets running.
            "--disable-background-timer-throttling".into(),
            "--disable-renderer-backgrounding".into(),
            "--disable-backgrounding-occluded-windows".into(),
            "--lang=es".into(),
            "--window-size=1366,768".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            json!({"binary": chromium(), "args": args}),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session on Chromium");
        let browser = Browser {
            client,
            driver,
            _profile: profile,
        };
        browser.watch_csp().await;
        browser
    }

    /// Has every page loaded from now on in the current tab note what the
    /// Content-Security-Policy refused (see [`Browser::csp_violations`]).
    async fn watch_csp(&self) {
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({"source": "window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));"}),
        )
        .await;
    }

    /// On the agent console of the current tab: signs in as `user` (password `demo`)
    /// and opens `counter`.
    pub async fn console_at_counter(&self, user: &str, counter: &str) {
        self.wait_js(
            "document.body.dataset.view === 'login'",
            10,
            "the sign-in form",
        )
        .await;
        self.fill("#username", user).await;
        self.fill("#password", "demo").await;
        self.click("#login-submit").await;
        let button = format!("[data-counter={counter}]");
        self.wait_js(
            &format!("document.querySelector('{button}')"),
            10,
            "the counters",
        )
        .await;
        self.click(&button).await;
        self.wait_js(
            "document.body.dataset.counterState === 'open'",
            10,
            "the open counter",
        )
        .await;
    }

    /// What the Content-Security-Policy refused on the current page.
    pub async fn csp_violations(&self) -> Value {
        self.eval("window.__csp || []").await
    }

    /// Ends the session and chromedriver.
    pub async fn quit(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }

    /// Opens a new tab with `url` and makes it current.
    pub async fn open_tab(&self, url: &str) -> fantoccini::wd::WindowHandle {
        let tab = self.client.new_window(true).await.unwrap();
        self.client
            .switch_to_window(tab.handle.clone())
            .await
            .unwrap();
        self.watch_csp().await;
        self.client.goto(url).await.unwrap();
        tab.handle
    }

    pub async fn switch(&self, handle: &fantoccini::wd::WindowHandle) {
        self.client.switch_to_window(handle.clone()).await.unwrap();
    }

    /// Emulates a screen of exactly `width`×`height` CSS pixels in the current tab (a
    /// phone or a touch kiosk when `touch`).
    pub async fn viewport(&self, width: u32, height: u32, touch: bool) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        )
        .await;
        self.cdp(
            "Emulation.setTouchEmulationEnabled",
            json!({"enabled": touch, "maxTouchPoints": if touch { 5 } else { 1 }}),
        )
        .await;
    }

    /// A Chrome DevTools command on the current tab, through chromedriver.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        let command = Cdp {
            body: json!({"cmd": cmd, "params": params}).to_string(),
        };
        self.client
            .issue_cmd(command)
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    /// Evaluates a JavaScript expression in the current tab.
    pub async fn eval(&self, expression: &str) -> Value {
        self.client
            .execute(&format!("return ({expression});"), vec![])
            .await
            .unwrap_or_else(|e| panic!("{expression}: {e}"))
    }

    /// Waits until a JavaScript expression is truthy, polling; panics with `what` after
    /// `secs` seconds.
    pub async fn wait_js(&self, expression: &str, secs: u64, what: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let value = self
                .client
                .execute(&format!("return ({expression});"), vec![])
                .await
                .unwrap_or(Value::Null);
            let truthy = match &value {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::String(s) => !s.is_empty(),
                Value::Number(n) => n.as_f64() != Some(0.0),
                _ => true,
            };
            if truthy {
                return value;
            }
            if Instant::now() > deadline {
                let body = self
                    .eval("document.body ? document.body.innerText.slice(0, 2000) : ''")
                    .await;
                panic!(
                    "timed out after {secs} s waiting for {what} ({expression}); page text: {body}"
                );
            }
            tokio::time::sleep(Duration::from_millis(40)).await;
        }
    }

    /// The visible text of the first element matching `selector` ("" if none).
    pub async fn text(&self, selector: &str) -> String {
        let selector = serde_json::to_string(selector).unwrap();
        self.eval(&format!(
            "(document.querySelector({selector}) || {{innerText: ''}}).innerText"
        ))
        .await
        .as_str()
        .unwrap_or("")
        .to_owned()
    }

    /// Taps an element with a touch pointer (as a finger on the kiosk).
    /// A screen that redraws between finding the element and touching it (a live page
    /// does) leaves a stale element: it is found again, a few times.
    pub async fn tap(&self, selector: &str) {
        for attempt in 1.. {
            let element = self.client.find(Locator::Css(selector)).await.unwrap();
            let finger = TouchActions::new("finger".into())
                .then(PointerAction::MoveToElement {
                    element,
                    duration: None,
                    x: 0.0,
                    y: 0.0,
                })
                .then(PointerAction::Down { button: 0 })
                .then(PointerAction::Pause {
                    duration: Duration::from_millis(60),
                })
                .then(PointerAction::Up { button: 0 });
            match self.client.perform_actions(finger).await {
                Ok(()) => return,
                Err(e) if attempt < 5 && e.to_string().contains("stale element") => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("tapping {selector}: {e}"),
            }
        }
    }

    /// Presses and releases a key on whatever has the focus.
    pub async fn press(&self, key: char) {
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client.perform_actions(keys).await.unwrap();
    }

    /// Clicks an element with the mouse.
    pub async fn click(&self, selector: &str) {
        self.client
            .find(Locator::Css(selector))
            .await
            .unwrap_or_else(|e| panic!("{selector}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("{selector}: {e}"));
    }

    /// Types into an input.
    pub async fn fill(&self, selector: &str, text: &str) {
        self.client
            .find(Locator::Css(selector))
            .await
            .unwrap()
            .send_keys(text)
            .await
            .unwrap();
    }

    /// Saves a PNG of the current tab under tests/artifacts/.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // Let fonts, images and transitions settle.
        self.wait_js(
            "document.fonts.status === 'loaded' && [...document.images].every(i => i.complete)",
            10,
            "images and fonts",
        )
        .await;
        tokio::time::sleep(Duration::from_millis(250)).await;
        let png = self.client.screenshot().await.unwrap();
        let path = artifacts().join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        // Every screen looked at is also one the policy let draw in full.
        assert_eq!(
            self.csp_violations().await,
            json!([]),
            "{name}: refused by the Content-Security-Policy"
        );
        path
    }
}

/// chromedriver's `goog/cdp/execute`: a DevTools command on the current tab.
#[derive(Debug)]
struct Cdp {
    body: String,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.clone()))
    }
}

/// The demo office's configuration with `office_lines` added to the office (after its
/// `footer_lines`) and the agents `agente1`…`agente4` (password `demo`), written to
/// `dir/turnero.toml`, for [`Server::start_with`].
pub fn demo_config_file(dir: &Path, office_lines: &str) -> PathBuf {
    let hash = turnero::http::auth::hash_password("demo").unwrap();
    let anchor = "footer_lines = [\"Gracias por su visita\"]";
    assert!(
        turnero::config::DEMO_TOML.contains(anchor),
        "the demo's footer_lines moved: the office lines would be lost"
    );
    let mut text =
        turnero::config::DEMO_TOML.replacen(anchor, &format!("{anchor}\n{office_lines}"), 1);
    for n in 1..=4 {
        text += &format!(
            "\n[[users]]\nusername = \"agente{n}\"\nname = \"Agente {n}\"\nrole = \"agent\"\noffice = \"central\"\npassword_hash = \"{hash}\"\n"
        );
    }
    let path = dir.join("turnero.toml");
    std::fs::write(&path, text).unwrap();
    path
}
