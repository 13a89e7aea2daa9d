//! Connections are capped (`[server] max_connections`, by default the open-file limit less
//! a reserve): over the cap a new connection is answered at once with 503
//! `too_many_connections` and closed, those already served carry on, and once some close
//! new ones are served again. On the real binary, spoken to over raw keep-alive sockets.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long an answer may take before the test calls it a hang (not a speed figure: a
/// refusal that waits for a free place would wait for ever).
const ANSWER_WITHIN: Duration = Duration::from_secs(10);

/// The binary, started on port 0; killed when dropped, so a failed test leaves no server.
struct Server {
    child: Child,
    host: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the demo office with `server_table` as its `[server]` table, under
/// `prlimit --nofile=N:N` when `nofile` is given (soft and hard: the server cannot raise it).
fn start(server_table: &str, nofile: Option<u32>) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let hash = turnero::http::auth::hash_password("demo").unwrap();
    let config = dir.path().join("turnero.toml");
    std::fs::write(
        &config,
        format!(
            "[server]\n{server_table}\n\n{}\n[[users]]\nusername = \"agente1\"\nname = \"Agente\"\nrole = \"agent\"\noffice = \"central\"\npassword_hash = \"{hash}\"\n",
            include_str!("../../src/config/demo.toml")
        ),
    )
    .unwrap();
    let mut command = match nofile {
        Some(n) => {
            let mut c = Command::new("prlimit");
            c.arg(format!("--nofile={n}:{n}"))
                .arg(env!("CARGO_BIN_EXE_turnero"));
            c
        }
        None => Command::new(env!("CARGO_BIN_EXE_turnero")),
    };
    let mut child = command
        .args(["serve", "--bind", "127.0.0.1:0", "--data"])
        .arg(dir.path().join("data"))
        .arg("--config")
        .arg(&config)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary (and prlimit, util-linux)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .trim()
        .rsplit(' ')
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(address.starts_with("http://"), "{line}");
    Server {
        child,
        host: address.trim_start_matches("http://").to_owned(),
        _dir: dir,
    }
}

/// One HTTP answer: its status, head (lower case) and body.
#[derive(Debug)]
struct Answer {
    status: u16,
    head: String,
    body: String,
}

fn request(host: &str, method: &str, path: &str, body: &str) -> String {
    format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// Sends `request` on `stream` and reads one whole answer, failing rather than hanging.
async fn exchange(stream: &mut TcpStream, request: &str) -> Answer {
    stream
        .write_all(request.as_bytes())
        .await
        .expect("the request is sent");
    tokio::time::timeout(ANSWER_WITHIN, read_answer(stream))
        .await
        .expect("an answer, not a hang")
}

async fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                let status = head
                    .split(' ')
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                return Answer {
                    status,
                    body: String::from_utf8_lossy(&buf[end + 4..end + 4 + length]).into_owned(),
                    head,
                };
            }
        }
        let n = stream.read(&mut chunk).await.expect("the answer is read");
        assert!(
            n > 0,
            "the connection closed before a whole answer: {:?}",
            String::from_utf8_lossy(&buf)
        );
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// A new connection that has done one request, and its answer.
async fn connect_and_ask(host: &str, method: &str, path: &str, body: &str) -> (TcpStream, Answer) {
    let mut stream = tokio::time::timeout(ANSWER_WITHIN, TcpStream::connect(host))
        .await
        .expect("the connection is accepted, not left in the backlog")
        .expect("the server takes connections");
    let answer = exchange(&mut stream, &request(host, method, path, body)).await;
    (stream, answer)
}

/// Asks `/healthz` on every held connection: each is still served. It also restarts their
/// keep-alive timers (5 s), so the server does not close them while the test goes on.
async fn every_one_answers(host: &str, held: &mut [TcpStream]) {
    for (i, stream) in held.iter_mut().enumerate() {
        let answer = exchange(stream, &request(host, "GET", "/healthz", "")).await;
        assert_eq!(answer.status, 200, "held connection {i}: {answer:?}");
    }
}

/// Opens `n` keep-alive connections, each served one request, and keeps them open.
async fn hold(host: &str, n: usize) -> Vec<TcpStream> {
    let mut held = Vec::new();
    let mut touched = Instant::now();
    for i in 0..n {
        let (stream, answer) = connect_and_ask(host, "GET", "/healthz", "").await;
        assert_eq!(answer.status, 200, "connection {i} of {n}: {answer:?}");
        held.push(stream);
        if touched.elapsed() > Duration::from_secs(1) {
            every_one_answers(host, &mut held).await;
            touched = Instant::now();
        }
    }
    held
}

/// A new connection is refused at once with the JSON 503, and closed by the server.
async fn a_new_one_is_refused(host: &str, method: &str, path: &str, body: &str) {
    let (mut stream, refused) = connect_and_ask(host, method, path, body).await;
    assert_eq!(refused.status, 503, "{refused:?}");
    let json: serde_json::Value = serde_json::from_str(&refused.body).unwrap();
    assert_eq!(json["error"]["code"], "too_many_connections", "{refused:?}");
    assert_eq!(
        json["error"]["message"],
        turnero::i18n::es::TOO_MANY_CONNECTIONS
    );
    assert!(refused.head.contains("\r\nretry-after: "), "{refused:?}");
    assert!(
        refused.head.contains("\r\nconnection: close"),
        "{refused:?}"
    );
    // The server closes it, so its descriptor is free again.
    let mut rest = [0u8; 64];
    let n = tokio::time::timeout(ANSWER_WITHIN, stream.read(&mut rest))
        .await
        .expect("the refused connection is closed, not kept")
        .unwrap_or(0);
    assert_eq!(n, 0, "nothing follows the refusal");
}

/// Closes `k` held connections, then waits until a new connection is served again.
async fn room_comes_back(host: &str, held: &mut Vec<TcpStream>, k: usize) {
    held.truncate(held.len() - k);
    let deadline = Instant::now() + ANSWER_WITHIN;
    loop {
        let (_, answer) = connect_and_ask(host, "GET", "/healthz", "").await;
        if answer.status == 200 {
            break;
        }
        assert_eq!(answer.status, 503, "{answer:?}");
        assert!(
            Instant::now() < deadline,
            "closed connections give their places back"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn health_and_turns_work(host: &str) {
    crate::helpers::health_and_a_turn(&format!("http://{host}")).await;
}

const TICKET: &str = r#"{"service": "registro"}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_max_connections_a_new_connection_is_refused_and_those_served_carry_on() {
    let server = start("max_connections = 40", None);
    let host = server.host.as_str();
    let mut held = hold(host, 40).await;

    a_new_one_is_refused(host, "GET", "/healthz", "").await;
    a_new_one_is_refused(host, "POST", "/api/v1/offices/central/tickets", TICKET).await;

    // Those already served carry on, turn issuing included.
    every_one_answers(host, &mut held).await;
    let issued = exchange(
        &mut held[0],
        &request(host, "POST", "/api/v1/offices/central/tickets", TICKET),
    )
    .await;
    assert_eq!(issued.status, 201, "{issued:?}");
    let metrics = exchange(&mut held[1], &request(host, "GET", "/metrics", "")).await;
    assert!(
        metrics.body.contains("turnero_connections_open 40"),
        "{}",
        metrics.body
    );
    assert!(
        metrics.body.contains("turnero_connections_refused_total 2"),
        "{}",
        metrics.body
    );

    room_comes_back(host, &mut held, 5).await;
    health_and_turns_work(host).await;
    every_one_answers(host, &mut held).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_low_open_file_limit_connections_stop_below_it() {
    // 256 files and no max_connections: 256 less the 128 kept in reserve.
    let server = start("", Some(256));
    let host = server.host.as_str();
    let mut held = hold(host, 256 - 128).await;

    a_new_one_is_refused(host, "GET", "/healthz", "").await;
    every_one_answers(host, &mut held).await;

    room_comes_back(host, &mut held, 3).await;
    health_and_turns_work(host).await;
}
