//! Starting Turnero for a test, in-process or as a real process, and talking to it.

use futures_util::StreamExt;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use turnero::config::Config;
use turnero::engine::clock::{Clock, SystemClock};
use turnero::server::{Application, Settings, StopHandle};

/// The demo password's hash, computed once for all tests.
pub fn demo_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| turnero::http::auth::hash_password("demo").unwrap())
}

/// The demo kiosk's device token when the demo password is `demo`: what the demo's
/// paired kiosk page sends, so tests issue as a kiosk (never limited) unless they mean
/// to be an anonymous client.
pub fn kiosk_token() -> String {
    turnero::config::demo_kiosk_token("demo")
}

/// The device token of a test kiosk `kiosk` (its hash goes in its `token_hash`).
pub fn device_token(kiosk: &str) -> String {
    format!("device-token-of-kiosk-{kiosk}-0123456789")
}

/// The `token_hash` line of a test kiosk.
pub fn token_hash_line(kiosk: &str) -> String {
    format!(
        "token_hash = \"{}\"\n",
        turnero_printer::agent::token_hash(&device_token(kiosk))
    )
}

/// The demo office's configuration text with its kiosk paired as in demo mode, for
/// tests that start the binary with a configuration file.
pub fn demo_toml_paired() -> String {
    let hash = turnero_printer::agent::token_hash(&kiosk_token());
    turnero::config::DEMO_TOML.replacen(
        "name = \"Kiosco de la entrada\"\n",
        &format!("name = \"Kiosco de la entrada\"\ntoken_hash = \"{hash}\"\n"),
        1,
    )
}

/// `/healthz` answers 200 and an anonymous citizen gets a turn (201) at `address`
/// (`http://host:port`): what must hold however full the server is.
pub async fn health_and_a_turn(address: &str) {
    let client = reqwest::Client::new();
    let health = client
        .get(format!("{address}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let issued = client
        .post(format!("{address}/api/v1/offices/central/tickets"))
        .json(&json!({"service": "registro"}))
        .send()
        .await
        .unwrap();
    assert_eq!(issued.status(), 201);
}

/// The demo configuration with the demo users.
pub fn demo_config() -> Config {
    Config::demo(demo_hash(), &kiosk_token()).unwrap()
}

/// A server running in this process.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub stop: StopHandle,
    pub task: tokio::task::JoinHandle<anyhow::Result<()>>,
    pub dir: tempfile::TempDir,
}

/// Starts the demo office on port 0 with a fresh data folder.
pub async fn spawn_app() -> TestApp {
    spawn_with(demo_config(), Arc::new(SystemClock)).await
}

/// Starts a configuration with a clock.
pub async fn spawn_with(config: Config, clock: Arc<dyn Clock>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let settings = Settings {
        data: dir.path().to_path_buf(),
        redis_url: None,
        secret: Some("test-secret".into()),
        token_ttl_hours: 1,
    };
    let app = Application::build(config, &settings, clock, listener).unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    let stop = app.stop_handle();
    let task = tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
        stop,
        task,
        dir,
    }
}

impl TestApp {
    /// `POST /offices/central/tickets` from the demo's paired kiosk, returning status and
    /// body.
    pub async fn post_ticket(&self, body: Value) -> (u16, Value) {
        self.post(
            "/api/v1/offices/central/tickets",
            Some(&kiosk_token()),
            Some(body),
        )
        .await
    }

    /// Issues a turn and returns the Ticket (panics unless 201).
    pub async fn issue(&self, service: &str, category: &str) -> Value {
        let (status, body) = self
            .post_ticket(json!({"service": service, "category": category}))
            .await;
        assert_eq!(status, 201, "{body}");
        body
    }

    /// Signs in and returns the bearer token.
    pub async fn login(&self, username: &str) -> String {
        let (status, body) = self
            .post(
                "/api/v1/auth/login",
                None,
                Some(json!({"username": username, "password": "demo"})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().unwrap().to_owned()
    }

    /// A counter action (`open`, `call-next`, …) on the demo office.
    pub async fn counter(
        &self,
        token: &str,
        counter: &str,
        action: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        self.post(
            &format!("/api/v1/offices/central/counters/{counter}/{action}"),
            Some(token),
            body,
        )
        .await
    }

    /// A POST with an optional bearer token and JSON body.
    pub async fn post(&self, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
        let mut request = self.client.post(format!("{}{path}", self.address));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        read(response).await
    }

    /// A GET.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let response = self
            .client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .unwrap();
        read(response).await
    }

    /// Opens a lobby screen's WebSocket.
    pub async fn screen(&self, query: &str) -> Screen {
        let url = format!(
            "{}/api/v1/offices/central/display{query}",
            self.address.replace("http://", "ws://")
        );
        let (ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        Screen { ws }
    }

    /// Stops gracefully and waits.
    pub async fn shutdown(self) {
        self.stop.stop().await;
        self.task.await.unwrap().unwrap();
    }
}

async fn read(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"))
    };
    (status, body)
}

/// A lobby screen's connection.
pub struct Screen {
    ws: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

impl Screen {
    /// The next JSON message (pings are skipped), within `secs`.
    pub async fn next(&mut self, secs: u64) -> Value {
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(secs), self.ws.next())
                .await
                .expect("a message within the time limit")
                .expect("socket open")
                .unwrap();
            if let tokio_tungstenite::tungstenite::Message::Text(text) = msg {
                return serde_json::from_str(&text).unwrap();
            }
        }
    }

    /// The next message of a type, skipping others.
    pub async fn next_of(&mut self, kind: &str, secs: u64) -> Value {
        loop {
            let m = self.next(secs).await;
            if m["type"] == kind {
                return m;
            }
        }
    }
}

/// Turnero as a real process (for restarts and SIGKILL).
pub struct ServerProcess {
    pub child: Child,
    pub address: String,
    pub client: reqwest::Client,
}

impl ServerProcess {
    /// Starts the binary on a free port with a data folder, and waits until it listens.
    pub fn start(data: &Path) -> ServerProcess {
        Self::try_start(data, None, None).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Starts the binary with a configuration file (none: the demo office), its logs in
    /// `log` (JSON lines) if given; `Err` with what it said if it does not start.
    pub fn try_start(
        data: &Path,
        config: Option<&Path>,
        log: Option<&Path>,
    ) -> Result<ServerProcess, String> {
        Self::spawn(data, config, log, &[])
    }

    /// Starts the demo office on a Redis store (every process given the same `url` shares
    /// its offices).
    pub fn start_on_redis(url: &str) -> ServerProcess {
        let data = std::env::temp_dir().join(format!("turnero-unused-{}", rand::random::<u64>()));
        Self::spawn(
            &data,
            None,
            None,
            &[
                ("TURNERO_REDIS_URL", url),
                ("TURNERO_SECRET", "shared-test-secret"),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Starts the binary with a configuration (none: the demo), a log file, and
    /// environment variables.
    pub fn spawn(
        data: &Path,
        config: Option<&Path>,
        log: Option<&Path>,
        envs: &[(&str, &str)],
    ) -> Result<ServerProcess, String> {
        let mut command = Command::new(env!("CARGO_BIN_EXE_turnero"));
        command.envs(envs.iter().copied());
        command
            .args(["serve", "--bind", "127.0.0.1:0", "--data"])
            .arg(data)
            .stdout(Stdio::piped());
        if !envs.iter().any(|(k, _)| *k == "RUST_LOG") {
            command.env("RUST_LOG", "warn");
        }
        command.env_remove("TURNERO_CONFIG").stdout(Stdio::piped());
        match config {
            Some(path) => command.arg("--config").arg(path),
            None if envs.iter().any(|(k, _)| *k == "TURNERO_DEMO_PASSWORD") => &mut command,
            None => command.env("TURNERO_DEMO_PASSWORD", "demo"),
        };
        match log {
            Some(path) => command
                .args(["--log-format", "json"])
                .stderr(std::fs::File::create(path).unwrap()),
            // Never a pipe nobody reads: a chatty server would block on it.
            None => command.stderr(Stdio::null()),
        };
        let mut child = command.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let address = line
            .trim()
            .rsplit(' ')
            .next()
            .filter(|a| a.starts_with("http://"))
            .map(str::to_owned);
        match address {
            Some(address) => Ok(ServerProcess {
                child,
                address,
                client: reqwest::Client::new(),
            }),
            None => {
                let status = child.wait().unwrap();
                let said = log
                    .and_then(|p| std::fs::read_to_string(p).ok())
                    .unwrap_or_default();
                Err(format!("the server did not start ({status}): {line}{said}"))
            }
        }
    }

    /// A GET, with status and JSON body (null if none).
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self
            .client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// A POST of a JSON body, with status and JSON body.
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        let mut request = self
            .client
            .post(format!("{}{path}", self.address))
            .json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let r = request.send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Issues a turn of the demo office; the Ticket, or the status and error.
    pub async fn issue(&self, service: &str) -> Result<Value, (u16, Value)> {
        let (status, body) = self
            .post(
                "/api/v1/offices/central/tickets",
                Some(&kiosk_token()),
                json!({"service": service}),
            )
            .await;
        if status == 201 {
            Ok(body)
        } else {
            Err((status, body))
        }
    }

    /// Signs in a demo user and returns the session token.
    pub async fn login(&self, username: &str) -> String {
        let (status, body) = self
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": username, "password": "demo"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().unwrap().to_owned()
    }

    /// Opens a lobby screen of the demo office.
    pub async fn screen(&self) -> Screen {
        let url = format!(
            "{}/api/v1/offices/central/display",
            self.address.replace("http://", "ws://")
        );
        let (ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        Screen { ws }
    }

    /// SIGKILL: no chance to flush anything.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM, and the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        self.child.wait().unwrap()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A real `redis-server` and a Redis Cluster for the tests, from the shared test kit (the
/// library's unit tests use the same).
pub use turnero_testkit::{RedisCluster, RedisServer};
