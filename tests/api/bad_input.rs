//! Bad input gets API.md's JSON error, in Spanish, and changes nothing.

use crate::helpers::{spawn_app, spawn_with, TestApp};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::sync::Arc;
use turnero::config::Config;
use turnero::engine::clock::SystemClock;

fn assert_error(status: u16, body: &Value, expected_status: u16, code: &str) {
    assert_eq!(status, expected_status, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.ends_with('.') && message.len() > 20,
        "a whole sentence: {message}"
    );
}

async fn waiting_total(app: &TestApp) -> u64 {
    let (_, office) = app.get("/api/v1/offices/central").await;
    office["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["waiting"].as_u64().unwrap())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_request_is_a_json_error_and_changes_nothing() {
    let app = spawn_app().await;
    app.issue("registro", "general").await;
    let before = waiting_total(&app).await;

    let raw = |body: &'static str, content_type: &'static str| {
        let client = app.client.clone();
        let url = format!("{}/api/v1/offices/central/tickets", app.address);
        async move {
            let r = client
                .post(url)
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap())
        }
    };
    let (s, b) = raw("{not json", "application/json").await;
    assert_error(s, &b, 400, "invalid_body");
    let (s, b) = raw("{\"service\": \"registro\"}", "text/plain").await;
    assert_error(s, &b, 400, "invalid_body");
    let (s, b) = raw("{}", "application/json").await;
    assert_error(s, &b, 400, "invalid_body");
    assert!(b["error"]["message"].as_str().unwrap().contains("service"));
    let (s, b) = app.post_ticket(json!({"service": 7})).await;
    assert_error(s, &b, 400, "invalid_body");
    let (s, b) = app.post_ticket(json!({"service": "nada"})).await;
    assert_error(s, &b, 404, "service_not_found");
    let (s, b) = app
        .post_ticket(json!({"service": "registro", "category": "vip"}))
        .await;
    assert_error(s, &b, 422, "category_not_found");
    let (s, b) = app
        .post(
            "/api/v1/offices/norte/tickets",
            None,
            Some(json!({"service": "registro"})),
        )
        .await;
    assert_error(s, &b, 404, "office_not_found");
    let big = "x".repeat(20_000);
    let (s, b) = app.post_ticket(json!({"service": big})).await;
    assert_error(s, &b, 413, "payload_too_large");
    let (s, b) = app.get("/api/v1/tickets/not-a-token").await;
    assert_error(s, &b, 404, "ticket_not_found");
    let (s, b) = app.get("/api/v1/tickets/AAAAAAAAAAAAAAAAAAAAAA").await;
    assert_error(s, &b, 404, "ticket_not_found");
    let (s, b) = app.get("/api/v1/nothing/here").await;
    assert_error(s, &b, 404, "not_found");
    let r = app
        .client
        .delete(format!("{}/api/v1/offices", app.address))
        .send()
        .await
        .unwrap();
    let s = r.status().as_u16();
    assert_error(s, &r.json().await.unwrap(), 405, "method_not_allowed");

    // Agents: no session, bad session, wrong password, wrong state.
    let (s, b) = app.counter("forged.token", "v1", "open", None).await;
    assert_error(s, &b, 401, "session_invalid");
    let r = app
        .client
        .post(format!(
            "{}/api/v1/offices/central/counters/v1/open",
            app.address
        ))
        .send()
        .await
        .unwrap();
    let s = r.status().as_u16();
    assert_error(s, &r.json().await.unwrap(), 401, "unauthenticated");
    let (s, b) = app
        .post(
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "agente1", "password": "mala"})),
        )
        .await;
    assert_error(s, &b, 401, "invalid_credentials");
    let (s2, b2) = app
        .post(
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "nadie", "password": "mala"})),
        )
        .await;
    assert_eq!((s2, &b2), (s, &b), "no hint of which part was wrong");

    let agent = app.login("agente1").await;
    let (s, b) = app.counter(&agent, "v1", "call-next", None).await;
    assert_error(s, &b, 409, "counter_closed");
    let (s, b) = app.counter(&agent, "v9", "open", None).await;
    assert_error(s, &b, 404, "counter_not_found");
    app.counter(&agent, "v1", "open", None).await;
    let (s, b) = app.counter(&agent, "v1", "finish", None).await;
    assert_error(s, &b, 409, "no_current_turn");
    let (s, _) = app.counter(&agent, "v1", "call-next", None).await;
    assert_eq!(s, 200);
    let (s, b) = app.counter(&agent, "v1", "call-next", None).await;
    assert_error(s, &b, 409, "counter_busy");
    let (s, b) = app
        .counter(
            &agent,
            "v1",
            "transfer",
            Some(json!({"service": "registro"})),
        )
        .await;
    assert_error(s, &b, 422, "same_service");
    let (s, b) = app
        .counter(&agent, "v1", "transfer", Some(json!({"destino": "caja"})))
        .await;
    assert_error(s, &b, 400, "invalid_body");
    let (s, b) = app
        .counter(&agent, "v1", "call", Some(json!({"code": "Z-999"})))
        .await;
    assert_error(s, &b, 409, "counter_busy");
    let other = app.login("agente2").await;
    let (s, b) = app.counter(&other, "v1", "open", None).await;
    assert_error(s, &b, 409, "counter_taken");
    let (s, b) = app.counter(&agent, "v2", "open", None).await;
    assert_error(s, &b, 409, "agent_has_counter");

    // Nothing above changed the queue: the one turn was called by the one good call.
    assert_eq!(waiting_total(&app).await, before - 1);
    app.shutdown().await;
}

fn two_offices() -> Config {
    let hash = crate::helpers::demo_config().users[0].password_hash.clone();
    let text = format!(
        r#"
[[offices]]
id = "norte"
name = "Oficina Norte"
timezone = "America/Mexico_City"
always_open = true
[[offices.services]]
id = "registro"
name = "Registro"
prefix = "A"
[[offices.counters]]
id = "v1"
name = "Ventanilla 1"
services = ["registro"]

[[offices]]
id = "central"
name = "Oficina Central"
timezone = "America/Bogota"
always_open = true
[[offices.services]]
id = "registro"
name = "Registro"
prefix = "A"
[[offices.counters]]
id = "v1"
name = "Ventanilla 1"
services = ["registro"]

[[users]]
username = "agente1"
name = "Agente Central"
role = "agent"
office = "central"
password_hash = "{hash}"

[[users]]
username = "supervisor"
name = "Supervisión"
role = "supervisor"
password_hash = "{hash}"
"#
    );
    turnero::config::parse(&text).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_acts_only_in_their_office() {
    let app = spawn_with(two_offices(), Arc::new(SystemClock)).await;
    let agent = app.login("agente1").await;
    let (s, b) = app
        .post("/api/v1/offices/norte/counters/v1/open", Some(&agent), None)
        .await;
    assert_error(s, &b, 403, "forbidden");
    let (s, _) = app
        .post(
            "/api/v1/offices/central/counters/v1/open",
            Some(&agent),
            None,
        )
        .await;
    assert_eq!(s, 200);
    let boss = app.login("supervisor").await;
    let (s, _) = app
        .post("/api/v1/offices/norte/counters/v1/open", Some(&boss), None)
        .await;
    assert_eq!(s, 200, "supervisors act on any office");
    app.shutdown().await;
}

fn path_segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("central".to_owned()),
        Just("v1".to_owned()),
        Just("tickets".to_owned()),
        Just("counters".to_owned()),
        Just("call-next".to_owned()),
        Just("offices".to_owned()),
        Just("%FF".to_owned()),
        "[a-zA-Z0-9_%.-]{0,40}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        "\\PC{0,30}".prop_map(Value::from),
        Just(json!("registro")),
        Just(json!("adulto_mayor")),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::hash_map(
                prop_oneof![
                    Just("service".to_owned()),
                    Just("category".to_owned()),
                    Just("code".to_owned()),
                    Just("reason".to_owned()),
                    "[a-z]{1,8}"
                ],
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Random paths, methods and bodies never get a 5xx, and always get JSON under `/api`.
#[test]
fn random_requests_never_get_a_server_error() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (app, token) = runtime.block_on(async {
        let app = spawn_app().await;
        let token = app.login("supervisor").await;
        (app, token)
    });
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 300,
        ..Default::default()
    });
    let strategy = (
        proptest::collection::vec(path_segment(), 1..6),
        prop_oneof![Just("GET"), Just("POST"), Just("PUT"), Just("DELETE")],
        proptest::option::of(json_value()),
        any::<bool>(),
        proptest::option::of("\\PC{0,60}"),
    );
    runner
        .run(&strategy, |(segments, method, body, auth, raw)| {
            let path = format!("/api/v1/{}", segments.join("/"));
            let (status, content_type) = runtime.block_on(async {
                let url = format!("{}{path}", app.address);
                let mut request = app.client.request(method.parse().unwrap(), &url);
                if auth {
                    request = request.bearer_auth(&token);
                }
                request = match (&body, &raw) {
                    (_, Some(raw)) => request
                        .header("content-type", "application/json")
                        .body(raw.clone()),
                    (Some(body), None) => request.json(body),
                    (None, None) => request,
                };
                let r = request.send().await.unwrap();
                let ct = r
                    .headers()
                    .get("content-type")
                    .map(|v| v.to_str().unwrap_or("").to_owned());
                (r.status().as_u16(), ct)
            });
            prop_assert!(status < 500, "{method} {path} → {status}");
            if status >= 400 {
                prop_assert_eq!(
                    content_type.as_deref(),
                    Some("application/json"),
                    "{} {}",
                    method,
                    path
                );
            }
            Ok(())
        })
        .unwrap();
    runtime.block_on(app.shutdown());
}
