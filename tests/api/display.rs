//! Lobby screens receive each call the moment it happens.

use crate::helpers::spawn_app;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screen_receives_each_call() {
    let app = spawn_app().await;
    let mut all = app.screen("").await;
    let mut caja_only = app.screen("?services=caja").await;
    let snapshot = all.next(5).await;
    assert_eq!(snapshot["type"], "snapshot");
    assert_eq!(snapshot["calls"], json!([]));
    assert_eq!(snapshot["waiting"].as_array().unwrap().len(), 3);
    let filtered = caja_only.next(5).await;
    assert_eq!(filtered["waiting"].as_array().unwrap().len(), 1);

    app.issue("registro", "discapacidad").await;
    app.issue("caja", "general").await;
    let waiting = all.next_of("waiting", 5).await;
    assert!(waiting["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["count"] == 1));

    let agent = app.login("agente4").await;
    app.counter(&agent, "v4", "open", None).await;
    let sent = Instant::now();
    let (status, _) = app.counter(&agent, "v4", "call-next", None).await;
    assert_eq!(status, 200);
    let call = all.next_of("call", 5).await;
    assert!(sent.elapsed() < Duration::from_secs(1));
    assert_eq!(call["call"]["code"], "A-001");
    assert_eq!(call["call"]["counter"], "v4");
    assert_eq!(call["call"]["counter_name"], "Ventanilla 4");
    assert_eq!(call["call"]["preferential"], true);
    assert_eq!(call["call"]["recall"], false);

    app.counter(&agent, "v4", "recall", None).await;
    let recall = all.next_of("call", 5).await;
    assert_eq!(recall["call"]["recall"], true);

    app.counter(&agent, "v4", "finish", None).await;
    app.counter(&agent, "v4", "call-next", None).await;
    let call = all.next_of("call", 5).await;
    assert_eq!(call["call"]["code"], "C-001");
    // The caja-only screen saw only the caja call.
    let only = caja_only.next_of("call", 5).await;
    assert_eq!(only["call"]["code"], "C-001");

    // A screen that connects now gets the history in its snapshot, latest first.
    let mut late = app.screen("").await;
    let snapshot = late.next(5).await;
    let codes: Vec<_> = snapshot["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes, ["C-001", "A-001", "A-001"]);

    let (status, body) = app
        .get("/api/v1/offices/central/display?services=nada")
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("service_not_found"))
    );
    app.shutdown().await;
}

/// A screen that stops reading (a frozen TV) must not delay the other screens or the agents.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frozen_screen_slows_nobody() {
    let app = spawn_app().await;
    // A raw WebSocket handshake, then never read again.
    let frozen = {
        use tokio::io::AsyncWriteExt;
        let addr = app.address.trim_start_matches("http://").to_owned();
        // A tiny receive window, so the server's sends to it block after a few messages.
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_recv_buffer_size(2048).unwrap();
        let mut stream = socket.connect(addr.parse().unwrap()).await.unwrap();
        let request = format!(
            "GET /api/v1/offices/central/display HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        stream
    };
    let mut live = app.screen("").await;
    live.next(5).await;
    let agent = app.login("agente4").await;
    app.counter(&agent, "v4", "open", None).await;
    // Enough calls to fill the frozen screen's socket buffers many times over.
    for _ in 0..300 {
        app.issue("caja", "general").await;
    }
    for i in 0..300 {
        let sent = Instant::now();
        let (status, called) = app.counter(&agent, "v4", "call-next", None).await;
        assert_eq!(status, 200);
        assert!(
            sent.elapsed() < Duration::from_secs(1),
            "call {i} took {:?}",
            sent.elapsed()
        );
        let code = called["code"].as_str().unwrap().to_owned();
        loop {
            let m = live.next(2).await;
            if m["type"] == "call" && m["call"]["code"] == code.as_str() {
                break;
            }
        }
        app.counter(&agent, "v4", "finish", None).await;
    }
    drop(frozen);
    app.shutdown().await;
}
