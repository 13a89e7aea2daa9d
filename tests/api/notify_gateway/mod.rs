//! Citizens told by SMS through the office's gateway (issue 12, item 3), against a fake
//! gateway run by the test: the texts in the turn's language, the secret header, retries,
//! nothing after the turn ends, the number gone from every file, log and report once it
//! ends, the contact kept across a restart, and bad input refused.

pub mod fake;
mod process;

use crate::helpers::{demo_config, demo_toml_paired, spawn_with, TestApp};
use fake::FakeGateway;
use serde_json::{json, Value};
use std::sync::Arc;
use turnero::engine::clock::SystemClock;

pub const PHONE: &str = "+573001234567";

/// The `[offices.notifications]` of the demo office with the fake gateway, its token in
/// the environment variable `token_var`.
pub fn notifications_toml(gateway: &str, token_var: &str) -> String {
    format!(
        "\n[offices.notifications]\ngateway_url = \"{gateway}\"\ngateway_headers = {{ Authorization = \"env:{token_var}\" }}\n"
    )
}

/// The demo configuration (its users and paired kiosk) with `extra` appended to its
/// office.
pub fn demo_with(extra: &str) -> turnero::config::Config {
    let mut config = turnero::config::parse(&format!("{}{extra}", demo_toml_paired()))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let demo = demo_config();
    config.users = demo.users;
    config.demo = true;
    config.demo_kiosk_token = demo.demo_kiosk_token;
    config
}

/// A demo office whose gateway is `gateway`, with a fresh secret in the environment.
async fn app_with_gateway(gateway: &FakeGateway) -> (TestApp, String) {
    let var = format!("TURNERO_TEST_SMS_{}", rand::random::<u32>());
    let secret = format!("Bearer sk-{}", rand::random::<u64>());
    std::env::set_var(&var, &secret);
    let app = spawn_with(
        demo_with(&notifications_toml(&gateway.url, &var)),
        Arc::new(SystemClock),
    )
    .await;
    (app, secret)
}

async fn issue_with_phone(app: &TestApp, service: &str, language: &str) -> Value {
    let (status, body) = app
        .post_ticket(json!({"service": service, "phone": PHONE, "language": language}))
        .await;
    assert_eq!(status, 201, "{body}");
    body
}

fn texts(received: &[fake::Received]) -> Vec<String> {
    received
        .iter()
        .map(|r| r.body["text"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn a_citizen_is_told_near_called_recalled_and_no_show_with_the_secret_header() {
    let gateway = FakeGateway::start();
    let (app, secret) = app_with_gateway(&gateway).await;
    let ticket = issue_with_phone(&app, "registro", "es").await;
    let code = ticket["code"].as_str().unwrap().to_owned();
    // First in line: near at once.
    let got = gateway.delivered(1, 10).await;
    assert_eq!(
        texts(&got),
        [format!(
            "Turnero: su turno {code} está próximo. Acérquese a la sala."
        )]
    );
    let first = &got[0];
    assert_eq!(first.method, "POST");
    assert_eq!(first.authorization.as_deref(), Some(secret.as_str()));
    assert_eq!(first.content_type.as_deref(), Some("application/json"));
    assert_eq!(first.body["to"], PHONE);

    let agent = app.login("agente1").await;
    assert_eq!(app.counter(&agent, "v1", "open", None).await.0, 200);
    let (status, called) = app.counter(&agent, "v1", "call-next", None).await;
    assert_eq!(status, 200, "{called}");
    let got = gateway.delivered(2, 10).await;
    assert_eq!(
        texts(&got)[1],
        format!("Turnero: {code}, pase a Ventanilla 1.")
    );
    assert_eq!(app.counter(&agent, "v1", "recall", None).await.0, 200);
    let got = gateway.delivered(3, 10).await;
    assert_eq!(
        texts(&got)[2],
        format!("Turnero: {code}, le estamos llamando de nuevo. Pase ya a Ventanilla 1.")
    );
    let (status, body) = app.counter(&agent, "v1", "no-show", None).await;
    assert_eq!(status, 200, "{body}");
    let got = gateway.delivered(4, 10).await;
    assert_eq!(
        texts(&got)[3],
        format!("Turnero: {code} no se presentó a tiempo.")
    );
    // One message per event: nothing more comes.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(gateway.received().len(), 4, "{:?}", gateway.received());

    let (status, metrics) = metrics(&app).await;
    assert_eq!(status, 200);
    for kind in ["near", "called", "recalled", "no_show"] {
        let line = format!(
            "turnero_notifications_sent_total{{office=\"central\",channel=\"sms\",kind=\"{kind}\"}} 1"
        );
        assert!(metrics.contains(&line), "{line} in\n{metrics}");
    }
    app.shutdown().await;
    gateway.stop().await;
}

#[tokio::test]
async fn a_turn_in_english_is_told_in_english() {
    let gateway = FakeGateway::start();
    let (app, _) = app_with_gateway(&gateway).await;
    let ticket = issue_with_phone(&app, "caja", "en").await;
    let code = ticket["code"].as_str().unwrap();
    let got = gateway.delivered(1, 10).await;
    assert_eq!(
        texts(&got),
        [format!(
            "Turnero: your turn {code} is coming up. Please come back to the waiting room."
        )]
    );
    app.shutdown().await;
    gateway.stop().await;
}

pub async fn metrics(app: &TestApp) -> (u16, String) {
    let r = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn a_failing_gateway_is_retried_counted_and_shown_to_supervisors() {
    let gateway = FakeGateway::start();
    gateway.fail_next(2, 500);
    let (app, _) = app_with_gateway(&gateway).await;
    let supervisor = app.login("supervisor").await;
    let status_of = || async {
        let r = app
            .client
            .get(format!(
                "{}/api/v1/offices/central/notifications",
                app.address
            ))
            .bearer_auth(&supervisor)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json::<Value>().await.unwrap()
    };
    assert_eq!(status_of().await["gateway"], "ok");
    issue_with_phone(&app, "registro", "es").await;
    // The first try fails at once; the retry waits a second.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let failing = loop {
        let s = status_of().await;
        if s["gateway"] == "failing" || std::time::Instant::now() > until {
            break s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(failing["gateway"], "failing", "{failing}");
    assert_eq!(failing["last_error"], "la pasarela respondió HTTP 500");
    assert!(failing["failing_since"].is_string(), "{failing}");
    assert_eq!(failing["pending"], 1);
    let got = gateway.delivered(1, 15).await;
    assert_eq!(got.len(), 1);
    assert_eq!(
        gateway.received().len(),
        3,
        "two failures, then the message"
    );
    let after = status_of().await;
    assert_eq!(after["gateway"], "ok", "{after}");
    assert_eq!(after["sent_today"], 1);
    assert_eq!(after["failed_today"], 0);
    assert_eq!(after["pending"], 0);
    let (_, metrics) = metrics(&app).await;
    let line =
        "turnero_notifications_retries_total{office=\"central\",channel=\"sms\",kind=\"near\"} 2";
    assert!(metrics.contains(line), "{line} in\n{metrics}");
    assert!(metrics.contains("turnero_notifications_queued{office=\"central\"} 0"));
    // An agent is no supervisor.
    let agent = app.login("agente1").await;
    let r = app
        .client
        .get(format!(
            "{}/api/v1/offices/central/notifications",
            app.address
        ))
        .bearer_auth(&agent)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    app.shutdown().await;
    gateway.stop().await;
}

async fn notify(app: &TestApp, token: &str, body: Value, lang: &str) -> (u16, Value) {
    let r = app
        .client
        .post(format!("{}/api/v1/tickets/{token}/notify", app.address))
        .header("Accept-Language", lang)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn bad_requests_to_be_told_are_refused_and_change_nothing() {
    let gateway = FakeGateway::start();
    let (app, _) = app_with_gateway(&gateway).await;
    let contacts = app.dir.path().join("central/contacts.json");
    // A number that is not E.164, at the kiosk: no turn is taken.
    let (status, body) = app
        .post_ticket(json!({"service": "registro", "phone": "3001234567"}))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "invalid_phone");
    let (_, queue) = app.get("/api/v1/offices/central/queue").await;
    assert!(
        queue["waiting"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| w["count"] == 0),
        "{queue}"
    );
    // Later, on the phone page.
    let ticket = app.issue("registro", "general").await;
    let token = ticket["token"].as_str().unwrap();
    for (body, code) in [
        (json!({"phone": "+57 abc"}), "invalid_phone"),
        (json!({"phone": "+12"}), "invalid_phone"),
        (json!({}), "notify_channel_required"),
        (
            json!({"web_push": {"endpoint": "http://push.example/x", "keys": {"p256dh": "x", "auth": "y"}}}),
            "invalid_subscription",
        ),
    ] {
        let (status, answer) = notify(&app, token, body.clone(), "es").await;
        assert_eq!(status, 422, "{body}: {answer}");
        assert_eq!(answer["error"]["code"], code, "{body}");
        assert!(answer["error"]["message"].as_str().unwrap().ends_with('.'));
    }
    let (status, answer) = notify(&app, token, json!({"phone": "123"}), "en").await;
    assert_eq!(status, 422);
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("The phone number"),
        "{answer}"
    );
    let (status, _) = notify(&app, token, json!({"phone": PHONE, "extra": 1}), "es").await;
    assert_eq!(status, 400);
    // A well-formed subscription (a P-256 key and a 16-byte secret, RFC 8291's example),
    // where the office has no VAPID key.
    let sub = json!({"endpoint": "https://push.example.net/s/1", "keys": {"p256dh": "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4", "auth": "BTBZMqHH6r4Tts7J_aSIgg"}});
    let (status, answer) = notify(&app, token, json!({"web_push": sub}), "es").await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (409, Some("web_push_unavailable"))
    );
    assert!(!contacts.exists(), "nothing was kept");
    // Unknown token.
    let (status, answer) = notify(
        &app,
        "AAAAAAAAAAAAAAAAAAAAAA",
        json!({"phone": PHONE}),
        "es",
    )
    .await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (404, Some("ticket_not_found"))
    );
    // An ended turn.
    let (status, _) = app
        .post(&format!("/api/v1/tickets/{token}/cancel"), None, None)
        .await;
    assert_eq!(status, 200);
    let (status, answer) = notify(&app, token, json!({"phone": PHONE}), "es").await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (409, Some("ticket_closed"))
    );
    assert!(!contacts.exists());
    assert!(gateway.received().is_empty());
    app.shutdown().await;
    gateway.stop().await;
}

#[tokio::test]
async fn a_number_may_be_left_later_and_taken_back() {
    let gateway = FakeGateway::start();
    let (app, _) = app_with_gateway(&gateway).await;
    for _ in 0..4 {
        app.issue("registro", "general").await;
    }
    let ticket = app.issue("registro", "general").await;
    let token = ticket["token"].as_str().unwrap();
    let (status, _) = notify(&app, token, json!({"phone": "+57 300 123 4567"}), "es").await;
    assert_eq!(status, 204);
    let kept = std::fs::read_to_string(app.dir.path().join("central/contacts.json")).unwrap();
    assert!(
        kept.contains(PHONE),
        "kept in E.164 form until the turn ends"
    );
    let r = app
        .client
        .delete(format!("{}/api/v1/tickets/{token}/notify", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert!(
        !app.dir.path().join("central/contacts.json").exists(),
        "taken back: gone"
    );
    // Its turn comes near: nobody is told.
    let agent = app.login("agente1").await;
    app.counter(&agent, "v1", "open", None).await;
    app.counter(&agent, "v1", "call-next", None).await;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert!(gateway.received().is_empty(), "{:?}", gateway.received());
    // The demo office without a gateway offers no SMS.
    let plain = crate::helpers::spawn_app().await;
    let (_, office) = plain.get("/api/v1/offices/central").await;
    assert_eq!(
        office["notifications"],
        json!({"sms": false, "web_push": false})
    );
    let (_, office) = app.get("/api/v1/offices/central").await;
    assert_eq!(
        office["notifications"],
        json!({"sms": true, "web_push": false})
    );
    let t = plain.issue("registro", "general").await;
    let (status, answer) = notify(
        &plain,
        t["token"].as_str().unwrap(),
        json!({"phone": PHONE}),
        "es",
    )
    .await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (409, Some("sms_unavailable"))
    );
    plain.shutdown().await;
    app.shutdown().await;
    gateway.stop().await;
}
