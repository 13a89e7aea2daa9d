//! Web Push end to end (issue 12, item 2): the real server with VAPID keys, a turn
//! subscribed through `/notify` with the subscription of the test's own push endpoint
//! (`turnero_testkit::push`, which checks each message's VAPID token and decrypts it as
//! a browser's push service and browser would), told when near and when called, and
//! nothing after its end; a 410 drops the subscription, a 500 is tried again.

use crate::helpers::{spawn_with, TestApp};
use crate::notify_gateway::demo_with;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use turnero::engine::clock::SystemClock;
use turnero::webpush::VapidKeys;
use turnero_testkit::push::{PushEndpoint, Received};

const SUBJECT: &str = "mailto:soporte@oficina.example.org";

/// The demo office with Web Push, taking the tests' loopback endpoint.
async fn app_with_push(keys: &VapidKeys) -> TestApp {
    let extra = format!(
        "\n[offices.notifications]\nvapid_private_key = \"{}\"\nvapid_subject = \"{SUBJECT}\"\n\n[server]\nallow_insecure_push_endpoints = true\n",
        keys.private_base64url()
    );
    spawn_with(demo_with(&extra), Arc::new(SystemClock)).await
}

async fn subscribe(app: &TestApp, token: &str, subscription: Value) -> (u16, Value) {
    app.post(
        &format!("/api/v1/tickets/{token}/notify"),
        None,
        Some(json!({ "web_push": subscription })),
    )
    .await
}

/// The office's contacts file (embedded store): what the server still keeps.
fn kept_contacts(app: &TestApp) -> String {
    std::fs::read_to_string(app.dir.path().join("central/contacts.json")).unwrap_or_default()
}

async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..100 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what}: not within 5 s");
}

fn kinds(received: &[Received]) -> Vec<String> {
    received
        .iter()
        .map(|r| r.message["kind"].as_str().unwrap_or("?").to_owned())
        .collect()
}

#[tokio::test]
async fn a_subscribed_turn_is_told_near_and_called_then_nothing_once_it_ends() {
    let endpoint = PushEndpoint::start();
    let keys = VapidKeys::generate();
    // As a push service does for a subscription made with this applicationServerKey.
    endpoint.expect_vapid_key(&keys.public_base64url());
    let app = app_with_push(&keys).await;
    let (status, office) = app.get("/api/v1/offices/central").await;
    assert_eq!(status, 200);
    assert_eq!(office["web_push_key"], keys.public_base64url());
    assert_eq!(office["notifications"]["web_push"], true);

    for _ in 0..4 {
        app.issue("registro", "general").await;
    }
    let mine = app.issue("registro", "general").await;
    let token = mine["token"].as_str().unwrap().to_owned();
    let code = mine["code"].as_str().unwrap().to_owned();
    let (status, body) = subscribe(&app, &token, endpoint.subscription()).await;
    assert_eq!(status, 204, "{body}");
    assert!(kept_contacts(&app).contains(&endpoint.endpoint()));
    // Four ahead: not near yet (the demo tells at three).
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(endpoint.received().is_empty());

    let agent = app.login("agente1").await;
    assert_eq!(app.counter(&agent, "v1", "open", None).await.0, 200);
    assert_eq!(app.counter(&agent, "v1", "call-next", None).await.0, 200);
    let got = endpoint.wait_for(1, Duration::from_secs(10)).await;
    let near = &got[0];
    assert_eq!(near.message["kind"], "near");
    assert_eq!(near.message["title"], "Su turno está próximo");
    assert_eq!(
        near.message["body"],
        format!(
            "Su turno {code} está cerca: faltan 3 antes de usted. Acérquese a la sala de espera."
        )
    );
    assert_eq!(near.message["url"], format!("/t/{token}"));
    assert_eq!(near.message["lang"], "es");
    assert_eq!(near.urgency.as_deref(), Some("normal"));
    assert_eq!(near.subject, SUBJECT);
    assert_eq!(near.vapid_key, keys.public_base64url());
    assert!(near.token_valid_for <= Duration::from_secs(24 * 3600));
    assert!(near.payload.len() < 4096);

    for _ in 0..4 {
        assert_eq!(app.counter(&agent, "v1", "finish", None).await.0, 200);
        let (status, called) = app.counter(&agent, "v1", "call-next", None).await;
        assert_eq!(status, 200, "{called}");
    }
    let got = endpoint.wait_for(2, Duration::from_secs(10)).await;
    let called = &got[1];
    assert_eq!(called.message["kind"], "called");
    assert_eq!(called.message["title"], format!("Lo llaman: turno {code}"));
    assert_eq!(
        called.message["body"],
        "Su turno ha sido llamado: diríjase a Ventanilla 1"
    );
    assert_eq!(called.message["url"], format!("/t/{token}"));
    assert_eq!(called.urgency.as_deref(), Some("high"));
    // One topic per turn: a phone that was off gets the call, not the stale "near".
    assert!(called.topic.is_some());
    assert_eq!(called.topic, near.topic);
    assert!(endpoint.refused().is_empty(), "{:?}", endpoint.refused());

    // Served: the subscription goes with the turn, and nothing more is sent.
    assert_eq!(app.counter(&agent, "v1", "finish", None).await.0, 200);
    wait_until("the subscription dropped with the turn", || {
        !kept_contacts(&app).contains(&endpoint.endpoint())
    })
    .await;
    let (status, body) = subscribe(&app, &token, endpoint.subscription()).await;
    assert_eq!(status, 409, "{body}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(kinds(&endpoint.received()), ["near", "called"]);

    let (_, metrics) = crate::notify_gateway::metrics(&app).await;
    for kind in ["near", "called"] {
        let line = format!(
            "turnero_notifications_sent_total{{office=\"central\",channel=\"web_push\",kind=\"{kind}\"}} 1"
        );
        assert!(metrics.contains(&line), "{line} in\n{metrics}");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn a_push_service_that_answers_410_has_the_subscription_dropped() {
    let endpoint = PushEndpoint::start();
    let keys = VapidKeys::generate();
    let app = app_with_push(&keys).await;
    let (status, mine) = app
        .post_ticket(json!({"service": "caja", "language": "en"}))
        .await;
    assert_eq!(status, 201, "{mine}");
    let token = mine["token"].as_str().unwrap().to_owned();
    let code = mine["code"].as_str().unwrap().to_owned();
    // The browser unsubscribed: the push service answers 410 Gone.
    endpoint.answer_next(410, None);
    // First in line: near at once, in the turn's language.
    let (status, body) = subscribe(&app, &token, endpoint.subscription()).await;
    assert_eq!(status, 204, "{body}");
    let got = endpoint.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(got[0].answered, 410);
    assert_eq!(got[0].message["title"], "Your ticket is near");
    assert_eq!(
        got[0].message["body"],
        format!("Your ticket {code} is next. Please come back to the waiting room.")
    );
    wait_until("the gone subscription dropped", || {
        !kept_contacts(&app).contains(&endpoint.endpoint())
    })
    .await;
    // Called: nobody to tell any more.
    let agent = app.login("agente3").await;
    assert_eq!(app.counter(&agent, "v3", "open", None).await.0, 200);
    let (status, called) = app.counter(&agent, "v3", "call-next", None).await;
    assert_eq!(status, 200, "{called}");
    assert_eq!(called["code"], code);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        endpoint.received().len(),
        1,
        "{:?}",
        kinds(&endpoint.received())
    );
    app.shutdown().await;
}

#[tokio::test]
async fn a_push_service_that_fails_is_tried_again() {
    let endpoint = PushEndpoint::start();
    let keys = VapidKeys::generate();
    let app = app_with_push(&keys).await;
    let mine = app.issue("caja", "general").await;
    let token = mine["token"].as_str().unwrap().to_owned();
    endpoint.answer_next(500, None);
    endpoint.answer_next(429, Some("1"));
    let (status, body) = subscribe(&app, &token, endpoint.subscription()).await;
    assert_eq!(status, 204, "{body}");
    let got = endpoint.wait_for(3, Duration::from_secs(15)).await;
    let answered: Vec<u16> = got.iter().map(|r| r.answered).collect();
    assert_eq!(answered, [500, 429, 201]);
    // The same message each time, encrypted anew.
    assert!(got.iter().all(|r| r.message == got[0].message));
    assert_eq!(got[0].message["kind"], "near");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(endpoint.received().len(), 3);
    // Delivered: the subscription stays for the call.
    assert!(kept_contacts(&app).contains(&endpoint.endpoint()));
    app.shutdown().await;
}

#[tokio::test]
async fn subscriptions_that_are_not_a_browsers_are_refused_and_change_nothing() {
    let endpoint = PushEndpoint::start();
    let app = app_with_push(&VapidKeys::generate()).await;
    let mine = app.issue("registro", "general").await;
    let token = mine["token"].as_str().unwrap().to_owned();
    let good = endpoint.subscription();
    let with = |path: &str, value: Value| {
        let mut sub = good.clone();
        match path {
            "endpoint" => sub["endpoint"] = value,
            key => sub["keys"][key] = value,
        }
        sub
    };
    for bad in [
        // Into the server's own network, or in clear to another host.
        with("endpoint", json!("https://10.0.0.7/push/x")),
        with("endpoint", json!("http://push.example.org/x")),
        with("endpoint", json!("https://localhost/push/x")),
        with("endpoint", json!("ftp://push.example.org/x")),
        // Keys no browser makes.
        with("p256dh", json!("BAAA")),
        with("auth", json!("c2hvcnQ")),
    ] {
        let (status, body) = subscribe(&app, &token, bad.clone()).await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert_eq!(body["error"]["code"], "invalid_subscription", "{body}");
    }
    assert!(!kept_contacts(&app).contains("push"));
    app.shutdown().await;

    // An office without a VAPID key: 409 for a browser's subscription, in the
    // request's language.
    let https = with(
        "endpoint",
        json!("https://fcm.googleapis.com/fcm/send/abc:APA91b"),
    );
    let app = spawn_with(demo_with(""), Arc::new(SystemClock)).await;
    let (_, office) = app.get("/api/v1/offices/central").await;
    assert_eq!(office["web_push_key"], Value::Null);
    let mine = app.issue("registro", "general").await;
    let response = app
        .client
        .post(format!(
            "{}/api/v1/tickets/{}/notify",
            app.address,
            mine["token"].as_str().unwrap()
        ))
        .header("Accept-Language", "en")
        .json(&json!({ "web_push": https }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "web_push_unavailable");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("browser"),
        "{body}"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn a_vapid_key_that_does_not_read_stops_the_start_with_its_line() {
    let errors = turnero::config::parse(&format!(
        "{}\n[offices.notifications]\nvapid_private_key = \"not-a-key\"\nvapid_subject = \"{SUBJECT}\"\n",
        crate::helpers::demo_toml_paired()
    ))
    .unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("vapid_private_key")),
        "{errors:?}"
    );
    let key = VapidKeys::generate().private_base64url();
    let errors = turnero::config::parse(&format!(
        "{}\n[offices.notifications]\nvapid_private_key = \"{key}\"\n",
        crate::helpers::demo_toml_paired()
    ))
    .unwrap_err();
    assert!(
        errors.iter().any(|e| e.message.contains("vapid_subject")),
        "{errors:?}"
    );
}
