//! Browser defences on every response: the Content-Security-Policy, no framing unless
//! configured, no referrer, nosniff; nothing holding a token or a session is cached.

use crate::helpers::{demo_config, spawn_app, spawn_with};
use reqwest::header::HeaderMap;
use serde_json::json;
use std::sync::Arc;
use turnero::engine::clock::SystemClock;

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or_else(|| panic!("no {name} header in {headers:?}"))
}

fn assert_defended(path: &str, headers: &HeaderMap) {
    let csp = header(headers, "content-security-policy");
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{path}: {directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
    assert_eq!(header(headers, "x-frame-options"), "DENY", "{path}");
    assert_eq!(header(headers, "referrer-policy"), "no-referrer", "{path}");
    assert_eq!(
        header(headers, "x-content-type-options"),
        "nosniff",
        "{path}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_and_answer_carries_the_browser_defences() {
    let app = spawn_app().await;
    let ticket = app.issue("registro", "general").await;
    let token = ticket["token"].as_str().unwrap();
    let paths = [
        "/".to_owned(),
        "/display/central".to_owned(),
        "/kiosk/central".to_owned(),
        "/agent".to_owned(),
        "/supervisor".to_owned(),
        format!("/t/{token}"),
        "/assets/js/common.js".to_owned(),
        "/assets/css/base.css".to_owned(),
        "/api/v1/offices".to_owned(),
        format!("/api/v1/tickets/{token}"),
        format!("/api/v1/tickets/{token}/qr.svg"),
        "/api/v1/no-such-route".to_owned(),
        "/healthz".to_owned(),
    ];
    for path in &paths {
        let r = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_defended(path, r.headers());
        let cache = r
            .headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        if path.contains(token) && !path.ends_with("qr.svg") {
            assert_eq!(cache, "no-store", "{path}");
        }
        if path.ends_with("qr.svg") {
            assert!(cache.starts_with("private"), "{path}: {cache}");
        }
    }
    // Sign-in, right or wrong, and who is signed in: never stored.
    for body in [
        json!({"username": "agente1", "password": "demo"}),
        json!({"username": "agente1", "password": "mala"}),
    ] {
        let r = app
            .client
            .post(format!("{}/api/v1/auth/login", app.address))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_defended("/api/v1/auth/login", r.headers());
        assert_eq!(header(r.headers(), "cache-control"), "no-store");
    }
    let session = app.login("agente1").await;
    let r = app
        .client
        .get(format!("{}/api/v1/auth/me", app.address))
        .bearer_auth(&session)
        .send()
        .await
        .unwrap();
    assert_eq!(header(r.headers(), "cache-control"), "no-store");
    // The pages load nothing inline that the policy would block.
    for page in [
        "/",
        "/display/central",
        "/kiosk/central",
        "/agent",
        "/supervisor",
        "/t/x",
    ] {
        let html = app
            .client
            .get(format!("{}{page}", app.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!html.contains("<style"), "{page} has an inline style sheet");
        assert!(!html.contains(" style="), "{page} has an inline style");
        assert!(
            !html.contains("<script>") && !html.contains("<script type=\"module\">"),
            "{page} has an inline script"
        );
    }
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_office_that_frames_the_screens_names_who_may() {
    let mut config = demo_config();
    config.server.frame_ancestors = vec!["https://intranet.example.gov".into()];
    let app = spawn_with(config, Arc::new(SystemClock)).await;
    let r = app
        .client
        .get(format!("{}/display/central", app.address))
        .send()
        .await
        .unwrap();
    let csp = header(r.headers(), "content-security-policy");
    assert!(
        csp.contains("frame-ancestors https://intranet.example.gov"),
        "{csp}"
    );
    assert!(r.headers().get("x-frame-options").is_none());
    app.shutdown().await;
}
