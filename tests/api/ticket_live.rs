//! A turn's own feed (`/tickets/{token}/live`): the phone hears its position move when
//! others are called, hears its own call at once, and the feed ends with the turn —
//! without a single request from the phone after it connects.

use crate::helpers::spawn_app;
use futures_util::StreamExt;
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next `ticket` message's Ticket, within `secs`; `None` when the server closed.
async fn next_ticket(ws: &mut Socket, secs: u64) -> Option<Value> {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(secs), ws.next())
            .await
            .expect("a message within the time limit")?
            .ok()?;
        match message {
            Message::Text(text) => {
                let value: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(value["type"], "ticket", "{value}");
                return Some(value["ticket"].clone());
            }
            Message::Close(frame) => {
                let code = frame.map(|f| u16::from(f.code));
                assert_eq!(code, Some(1000), "a normal close once the turn has ended");
                return None;
            }
            _ => continue,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_follows_its_own_turn_to_the_end() {
    let app = spawn_app().await;
    let first = app.issue("registro", "general").await;
    let mine = app.issue("registro", "general").await;
    let token = mine["token"].as_str().unwrap();
    let url = format!(
        "{}/api/v1/tickets/{token}/live?lang=en",
        app.address.replace("http://", "ws://")
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let now = next_ticket(&mut ws, 5).await.unwrap();
    assert_eq!(now["code"], mine["code"]);
    assert_eq!(now["status"], "waiting");
    assert_eq!(now["position"], 1, "{now}");
    assert_eq!(
        now["service_name"], "Property Registry",
        "in the page's language"
    );

    // Someone else's call moves the position (coalesced, within a second or so).
    let agent = app.login("agente1").await;
    app.counter(&agent, "v1", "open", None).await;
    let (status, called) = app.counter(&agent, "v1", "call-next", None).await;
    assert_eq!(status, 200, "{called}");
    assert_eq!(called["code"], first["code"]);
    // (Opening the counter changed the estimate: that may come first, on a slow machine.)
    let moved = loop {
        let t = next_ticket(&mut ws, 5).await.unwrap();
        assert_eq!(t["status"], "waiting", "{t}");
        if t["position"] == 0 {
            break t;
        }
    };
    assert!(moved["estimated_wait_seconds"].as_u64().is_some());

    // Its own call, then the rest of its life, each as it happens.
    app.counter(&agent, "v1", "finish", None).await;
    let (_, called) = app.counter(&agent, "v1", "call-next", None).await;
    assert_eq!(called["code"], mine["code"]);
    let mut seen = Vec::new();
    let mut last = Value::Null;
    while let Some(t) = next_ticket(&mut ws, 5).await {
        // A position message of the finish may still be on its way before the call.
        if t["status"] == "waiting" && seen.is_empty() {
            continue;
        }
        if seen.last() != Some(&t["status"]) {
            seen.push(t["status"].clone());
        }
        if t["status"] == "called" && last["status"] != "called" {
            app.counter(&agent, "v1", "start", None).await;
        }
        if t["status"] == "serving" {
            app.counter(&agent, "v1", "finish", None).await;
        }
        last = t;
    }
    assert_eq!(seen, [json!("called"), json!("serving"), json!("served")]);
    assert_eq!(last["counter"], "v1");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_of_an_ended_turn_says_so_once_and_closes() {
    let app = spawn_app().await;
    let ticket = app.issue("caja", "general").await;
    let token = ticket["token"].as_str().unwrap();
    let (status, _) = app
        .post(&format!("/api/v1/tickets/{token}/cancel"), None, None)
        .await;
    assert_eq!(status, 200);
    let url = format!(
        "{}/api/v1/tickets/{token}/live",
        app.address.replace("http://", "ws://")
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let now = next_ticket(&mut ws, 5).await.unwrap();
    assert_eq!(now["status"], "cancelled");
    assert_eq!(
        now["service_name"], "Caja y Pagos",
        "the office's own language"
    );
    assert!(next_ticket(&mut ws, 5).await.is_none());

    // Not a WebSocket, an unknown turn, a language the office lacks: the API's errors.
    let (status, body) = app.get(&format!("/api/v1/tickets/{token}/live")).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "websocket_required");
    let (status, body) = app
        .get("/api/v1/tickets/AAAAAAAAAAAAAAAAAAAAAAAAAAAA/live")
        .await;
    assert_eq!(status, 404, "{body}");
    // A language the office lacks (a phone's choice kept from elsewhere): its own.
    let url = format!(
        "{}/api/v1/tickets/{token}/live?lang=fr",
        app.address.replace("http://", "ws://")
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    assert_eq!(
        next_ticket(&mut ws, 5).await.unwrap()["service_name"],
        "Caja y Pagos"
    );

    // One turn may be followed from a few pages, not from thousands.
    let waiting = app.issue("caja", "general").await;
    let url = format!(
        "{}/api/v1/tickets/{}/live",
        app.address.replace("http://", "ws://"),
        waiting["token"].as_str().unwrap()
    );
    let mut open = Vec::new();
    for _ in 0..4 {
        open.push(tokio_tungstenite::connect_async(&url).await.unwrap().0);
    }
    match tokio_tungstenite::connect_async(&url).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 429);
        }
        other => panic!("a fifth feed of one turn: {:?}", other.map(|_| ())),
    }
    drop(open);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_midnight_the_page_hears_its_turn_expire() {
    // 23:59:58 in Bogotá (UTC-5).
    let start: chrono::DateTime<chrono::Utc> = "2026-11-24T04:59:58Z".parse().unwrap();
    let clock = std::sync::Arc::new(turnero::engine::clock::ManualClock::new(start));
    let app = crate::helpers::spawn_with(crate::helpers::demo_config(), clock.clone()).await;
    let mine = app.issue("registro", "general").await;
    let url = format!(
        "{}/api/v1/tickets/{}/live",
        app.address.replace("http://", "ws://"),
        mine["token"].as_str().unwrap()
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    assert_eq!(next_ticket(&mut ws, 5).await.unwrap()["status"], "waiting");
    clock.advance(chrono::Duration::seconds(5));
    // A command makes the writer look at the day at once (it also does every second).
    app.issue("caja", "general").await;
    let mut last = Value::Null;
    while let Some(t) = next_ticket(&mut ws, 5).await {
        last = t;
    }
    assert_eq!(last["status"], "expired", "the day closed it: {last}");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phones_service_worker_is_served_from_the_root() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(format!("{}/sw.js", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    assert_eq!(
        r.headers()["cache-control"],
        "no-cache",
        "an upgrade is picked up"
    );
    assert!(r.text().await.unwrap().contains("notificationclick"));
    app.shutdown().await;
}
