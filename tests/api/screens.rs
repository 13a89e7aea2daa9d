//! Lobby screens are capped per client address and per office: over a cap a new screen
//! is refused at once (429, JSON, in Spanish) while those open carry on, and a place
//! frees when a screen goes.

use crate::helpers::{demo_config, spawn_with, TestApp};
use futures_util::SinkExt;
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use turnero::engine::clock::SystemClock;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn open(app: &TestApp, from: &str) -> Result<Ws, (u16, String)> {
    let url = format!(
        "{}/api/v1/offices/central/display",
        app.address.replace("http://", "ws://")
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
        lobby.push(open(&app, "198.51.100.1").await.unwrap());
    }
    let (status, body) = open(&app, "198.51.100.1").await.err().unwrap();
    assert_eq!(status, 429, "{body}");
    assert!(
        body.contains("too_many_screens") && body.contains("pantallas"),
        "{body}"
    );
    // Another address has its own places, up to the office's cap.
    lobby.push(open(&app, "198.51.100.2").await.unwrap());
    lobby.push(open(&app, "198.51.100.2").await.unwrap());
    let (status, body) = open(&app, "198.51.100.3").await.err().unwrap();
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
        if let Ok(ws) = open(&app, "198.51.100.1").await {
            reopened = Some(ws);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(reopened.is_some(), "the freed place is taken again");
    app.shutdown().await;
}
