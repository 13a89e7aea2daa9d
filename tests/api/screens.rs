//! Lobby screens are capped per client address and per office: over a cap a new screen
//! is refused at once (429, JSON, in Spanish) while those open carry on, and a place
//! frees when a screen goes.

use crate::helpers::{demo_config, spawn_with};
use futures_util::SinkExt;
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use turnero::engine::clock::SystemClock;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn open(address: &str, from: &str) -> Result<Ws, (u16, String)> {
    let url = format!(
        "{}/api/v1/offices/central/display",
        address.replace("http://", "ws://")
    );
    let mut request = url.into_client_request().unwrap();
    request
        .headers_mut()
        .insert("x-forwarded-for", from.parse().unwrap());
    match tokio_tungstenite::connect_async(request).await {
        Ok((ws, _)) => Ok(ws),
        Err(tungstenite::Error::Http(response)) => Err((
            response.status().as_u16(),
            String::from_utf8_lossy(response.body().as_deref().unwrap_or_default()).into_owned(),
        )),
        Err(e) => panic!("{e}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screens_over_a_cap_are_refused_and_places_free_when_screens_go() {
    let mut config = demo_config();
    config.server.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    config.server.max_screens_per_address = Some(3);
    config.server.max_screens_per_office = Some(5);
    let app = spawn_with(config, Arc::new(SystemClock)).await;
    let mut lobby = Vec::new();
    for _ in 0..3 {
        lobby.push(open(&app.address, "198.51.100.1").await.unwrap());
    }
    let (status, body) = open(&app.address, "198.51.100.1").await.err().unwrap();
    assert_eq!(status, 429, "{body}");
    assert!(
        body.contains("too_many_screens") && body.contains("pantallas"),
        "{body}"
    );
    // Another address has its own places, up to the office's cap.
    lobby.push(open(&app.address, "198.51.100.2").await.unwrap());
    lobby.push(open(&app.address, "198.51.100.2").await.unwrap());
    let (status, body) = open(&app.address, "198.51.100.3").await.err().unwrap();
    assert_eq!(status, 429);
    assert!(body.contains("oficina"), "{body}");
    // The screens open carry on: a call reaches them.
    let (status, _) = app.get("/healthz").await;
    assert_eq!(status, 200);
    // A screen that goes frees its place.
    let mut first = lobby.remove(0);
    first.send(Message::Close(None)).await.unwrap();
    drop(first);
    let mut reopened = None;
    for _ in 0..50 {
        if let Ok(ws) = open(&app.address, "198.51.100.1").await {
            reopened = Some(ws);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(reopened.is_some(), "the freed place is taken again");
    app.shutdown().await;
}

/// The demo office behind a trusted proxy, for screens "from" many addresses.
fn proxied_config(dir: &std::path::Path) -> std::path::PathBuf {
    let hash = turnero::http::auth::hash_password("demo").unwrap();
    let text = format!(
        "[server]\ntrusted_proxies = [\"127.0.0.1\"]\n\n{}\n[[users]]\nusername = \"agente1\"\nname = \"Agente\"\nrole = \"agent\"\noffice = \"central\"\npassword_hash = \"{hash}\"\n",
        include_str!("../../src/config/demo.toml")
    );
    let path = dir.join("turnero.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_low_open_file_limit_screens_stop_before_citizens_do() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let config = proxied_config(dir.path());
    // 256 files at most, soft and hard: the server cannot raise it.
    let mut child = Command::new("prlimit")
        .arg("--nofile=256:256")
        .arg(env!("CARGO_BIN_EXE_turnero"))
        .args(["serve", "--bind", "127.0.0.1:0", "--data"])
        .arg(dir.path().join("data"))
        .arg("--config")
        .arg(&config)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("prlimit (util-linux)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line.trim().rsplit(' ').next().unwrap().to_owned();
    assert!(address.starts_with("http://"), "{line}");
    let mut open_screens = Vec::new();
    let mut refused = None;
    for i in 0..200 {
        match open(&address, &format!("10.1.{}.{}", i / 250, i % 250 + 1)).await {
            Ok(ws) => open_screens.push(ws),
            Err(answer) => {
                refused = Some(answer);
                break;
            }
        }
    }
    let (status, body) = refused.expect("screens stop below the file limit");
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("límite de archivos"), "{body}");
    // 256 less the 128 kept in reserve is the connection cap; a quarter of it stays for
    // requests.
    assert_eq!(open_screens.len(), 96, "the reserve stays free");
    // Citizens and health checks still get through.
    crate::helpers::health_and_a_turn(&address).await;
    drop(open_screens);
    let _ = child.kill();
    let _ = child.wait();
}
