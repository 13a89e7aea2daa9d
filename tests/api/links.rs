//! Where tickets' links point: the office's own public URL, else the server's, else the
//! address the request came to (a trusted proxy's forwarded host and scheme included),
//! never `localhost:8080` on its own; and the start says how phones can reach them.

use crate::helpers::{demo_config, kiosk_token, spawn_with, ServerProcess, TestApp};
use serde_json::{json, Value};
use std::sync::Arc;
use turnero::engine::clock::SystemClock;

/// Issues a turn as the demo kiosk, sending `headers`; the Ticket.
async fn issue_with(app: &TestApp, headers: &[(&str, &str)]) -> Value {
    let mut request = app
        .client
        .post(format!("{}/api/v1/offices/central/tickets", app.address))
        .bearer_auth(kiosk_token())
        .json(&json!({"service": "registro"}));
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let r = request.send().await.unwrap();
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

fn link_of(ticket: &Value) -> (&str, &str) {
    let url = ticket["status_url"].as_str().unwrap();
    let token = ticket["token"].as_str().unwrap();
    (
        url.strip_suffix(&format!("/t/{token}")).unwrap_or(url),
        token,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_follow_the_address_the_kiosk_used() {
    let mut config = demo_config();
    config.server.trusted_proxies = vec!["127.0.0.2".parse().unwrap()];
    let app = spawn_with(config, Arc::new(SystemClock)).await;

    let ticket = issue_with(&app, &[("host", "192.168.1.5:8080")]).await;
    assert_eq!(link_of(&ticket).0, "http://192.168.1.5:8080");
    // The same turn read through another address links to that one.
    let token = link_of(&ticket).1.to_owned();
    let r = app
        .client
        .get(format!("{}/api/v1/tickets/{token}", app.address))
        .header("host", "turnos.lan:9000")
        .send()
        .await
        .unwrap();
    let again: Value = r.json().await.unwrap();
    assert_eq!(link_of(&again).0, "http://turnos.lan:9000");
    // The printed ticket's QR holds the same link.
    let bytes = app
        .client
        .get(format!("{}/api/v1/tickets/{token}/escpos", app.address))
        .header("host", "192.168.1.5:8080")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let wanted = format!("http://192.168.1.5:8080/t/{token}");
    assert!(bytes.windows(wanted.len()).any(|w| w == wanted.as_bytes()));

    // Forwarded headers from a client that is not a trusted proxy are ignored.
    let ticket = issue_with(
        &app,
        &[
            ("host", "192.168.1.5:8080"),
            ("x-forwarded-host", "evil.example"),
            ("x-forwarded-proto", "https"),
        ],
    )
    .await;
    assert_eq!(link_of(&ticket).0, "http://192.168.1.5:8080");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_public_url_wins_and_an_office_may_have_its_own() {
    let mut config = demo_config();
    config.server.public_url = Some("https://turnos.example.org".into());
    let app = spawn_with(config.clone(), Arc::new(SystemClock)).await;
    let ticket = issue_with(&app, &[("host", "192.168.1.5:8080")]).await;
    assert_eq!(link_of(&ticket).0, "https://turnos.example.org");
    app.shutdown().await;

    let mut office = (*config.offices[0]).clone();
    office.public_base_url = Some("https://central.example.org".into());
    config.offices[0] = Arc::new(office);
    let app = spawn_with(config, Arc::new(SystemClock)).await;
    let ticket = issue_with(&app, &[]).await;
    assert_eq!(link_of(&ticket).0, "https://central.example.org");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_url_comes_from_the_environment_and_the_start_says_where_phones_reach() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.jsonl");
    let server = ServerProcess::spawn(&dir.path().join("a"), None, Some(&log), &[])
        .unwrap_or_else(|e| panic!("{e}"));
    // Said just after the server starts listening.
    let mut said = String::new();
    for _ in 0..50 {
        said = std::fs::read_to_string(&log).unwrap();
        if said.contains("abra el kiosco en") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(said.contains("abra el kiosco en"), "{said}");
    drop(server);

    let server = ServerProcess::spawn(
        &dir.path().join("b"),
        None,
        None,
        &[("TURNERO_PUBLIC_URL", "https://turnos.example.org/")],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let ticket = server.issue("caja").await.unwrap();
    assert!(ticket["status_url"]
        .as_str()
        .unwrap()
        .starts_with("https://turnos.example.org/t/"));
    drop(server);

    let refused = ServerProcess::spawn(
        &dir.path().join("c"),
        None,
        None,
        &[("TURNERO_PUBLIC_URL", "turnos.example.org")],
    );
    assert!(
        refused.is_err(),
        "a public URL without its scheme is refused"
    );
}
