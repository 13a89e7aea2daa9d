//! The audit trail: each staff action that changes something is listed for supervisors
//! with who and from where — sign-in and sign-out, a take-over, a call out of order, a
//! no-show undone, a bulk cancel — by day, user and kind; agents may not read it.

use crate::helpers::{demo_config, spawn_with, TestApp};
use serde_json::{json, Value};
use std::sync::Arc;
use turnero::engine::clock::SystemClock;

/// Signs `user` in from `address` (behind the trusted proxy).
async fn sign_in(app: &TestApp, user: &str, address: &str) -> String {
    let r: Value = app
        .client
        .post(format!("{}/api/v1/auth/login", app.address))
        .header("x-forwarded-for", address)
        .json(&json!({"username": user, "password": "demo"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["token"].as_str().unwrap().to_owned()
}

async fn post(app: &TestApp, path: &str, token: &str, address: &str, body: Value) -> (u16, Value) {
    let r = app
        .client
        .post(format!("{}/api/v1/offices/central{path}", app.address))
        .bearer_auth(token)
        .header("x-forwarded-for", address)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn trail(app: &TestApp, token: &str, query: &str) -> (u16, Value) {
    let r = app
        .client
        .get(format!(
            "{}/api/v1/offices/central/audit{query}",
            app.address
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn actions(lines: &Value) -> Vec<(String, String, String, String)> {
    lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["user"].as_str().unwrap().to_owned(),
                l["action"].as_str().unwrap().to_owned(),
                l["detail"].as_str().unwrap().to_owned(),
                l["address"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_staff_action_is_listed_with_who_and_from_where() {
    let mut config = demo_config();
    config.server.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    let app = spawn_with(config, Arc::new(SystemClock)).await;
    let agent = sign_in(&app, "agente1", "203.0.113.9").await;
    let supervisor = sign_in(&app, "supervisor", "198.51.100.5").await;
    for _ in 0..4 {
        app.issue("registro", "general").await;
    }
    let (status, _) = post(&app, "/counters/v1/open", &agent, "203.0.113.9", json!({})).await;
    assert_eq!(status, 200);
    // The supervisor takes v1 over, calls A-003 out of order, marks it a no-show and
    // takes that back.
    let (status, body) = post(
        &app,
        "/counters/v1/open",
        &supervisor,
        "198.51.100.5",
        json!({"take_over": true}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post(
        &app,
        "/counters/v1/call",
        &supervisor,
        "198.51.100.5",
        json!({"code": "A-003", "reason": "cita"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    post(
        &app,
        "/counters/v1/recall",
        &supervisor,
        "198.51.100.5",
        json!({}),
    )
    .await;
    let (status, body) = post(
        &app,
        "/counters/v1/no-show",
        &supervisor,
        "198.51.100.5",
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post(
        &app,
        "/counters/v1/undo-no-show",
        &supervisor,
        "198.51.100.5",
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // A call in order is no line of the trail; a refused action neither.
    post(
        &app,
        "/counters/v1/finish",
        &supervisor,
        "198.51.100.5",
        json!({}),
    )
    .await;
    post(
        &app,
        "/counters/v1/call-next",
        &supervisor,
        "198.51.100.5",
        json!({}),
    )
    .await;
    let (status, _) = post(
        &app,
        "/counters/v1/call",
        &supervisor,
        "198.51.100.5",
        json!({"code": "A-999", "reason": "cita"}),
    )
    .await;
    assert_eq!(status, 409, "busy: refused");
    let (status, body) = post(
        &app,
        "/tickets/cancel",
        &supervisor,
        "198.51.100.5",
        json!({"service": "registro", "from": 1, "to": 10}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // The agent signs out.
    let r = app
        .client
        .post(format!("{}/api/v1/auth/logout", app.address))
        .bearer_auth(&agent)
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);

    let (status, lines) = trail(&app, &supervisor, "").await;
    assert_eq!(status, 200, "{lines}");
    let s = |a: &str| a.to_owned();
    assert_eq!(
        actions(&lines),
        [
            (s("agente1"), s("sign_in"), s("agent"), s("203.0.113.9")),
            (
                s("supervisor"),
                s("sign_in"),
                s("supervisor"),
                s("198.51.100.5")
            ),
            (
                s("supervisor"),
                s("take_over"),
                s("v1 (de agente1)"),
                s("198.51.100.5")
            ),
            (
                s("supervisor"),
                s("out_of_order_call"),
                s("A-003 en v1 (cita)"),
                s("198.51.100.5")
            ),
            (
                s("supervisor"),
                s("no_show_undone"),
                s("v1"),
                s("198.51.100.5")
            ),
            (
                s("supervisor"),
                s("bulk_cancel"),
                s("registro 1..=10"),
                s("198.51.100.5")
            ),
            (s("agente1"), s("sign_out"), s("agent"), s("203.0.113.9")),
        ]
    );
    assert!(
        lines[0]["at"].as_str().unwrap().ends_with("-05:00"),
        "office time: {}",
        lines[0]
    );

    // By user, by kind, by day.
    let (_, mine) = trail(&app, &supervisor, "?user=agente1").await;
    assert_eq!(actions(&mine).len(), 2);
    let (_, calls) = trail(&app, &supervisor, "?action=out_of_order_call").await;
    assert_eq!(actions(&calls).len(), 1);
    let (status, none) = trail(&app, &supervisor, "?day=2020-01-01").await;
    assert_eq!((status, none), (200, json!([])));
    let (status, body) = trail(&app, &supervisor, "?day=ayer").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_date"))
    );
    let (status, body) = trail(&app, &supervisor, "?action=borrar").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_query")),
        "{body}"
    );
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("«borrar»") && message.contains("out_of_order_call"),
        "says which actions there are: {message}"
    );
    let english = app
        .client
        .get(format!(
            "{}/api/v1/offices/central/audit?action=borrar",
            app.address
        ))
        .bearer_auth(&supervisor)
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    let body: Value = english.json().await.unwrap();
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("The trail has no action «borrar»"),
        "{message}"
    );

    // Agents may not read it.
    let other = sign_in(&app, "agente2", "203.0.113.10").await;
    let (status, _) = trail(&app, &other, "").await;
    assert_eq!(status, 403);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sees_every_office_at_a_glance() {
    let app = crate::helpers::spawn_app().await;
    let agent = app.login("agente1").await;
    app.counter(&agent, "v1", "open", None).await;
    for _ in 0..3 {
        app.issue("registro", "general").await;
    }
    app.counter(&agent, "v1", "call-next", None).await;
    app.counter(&agent, "v1", "finish", None).await;
    let admin = app.login("admin").await;
    let r = app
        .client
        .get(format!("{}/api/v1/organisation", app.address))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let offices: Value = r.json().await.unwrap();
    let central = &offices[0];
    assert_eq!(central["id"], "central");
    assert_eq!(central["counters_open"], 1);
    assert_eq!(central["counters"], 4);
    assert_eq!(central["waiting"], 2);
    assert_eq!(central["longest_wait_code"], "A-002");
    assert_eq!(central["issued_today"], 3);
    assert_eq!(central["served_today"], 1);
    assert_eq!(central["within_target_today"], 1.0);
    assert_eq!(central["satisfaction_today"], Value::Null);
    // Supervisors and agents see their office's dashboard, not the organisation.
    for user in ["supervisor", "agente2"] {
        let token = app.login(user).await;
        let r = app
            .client
            .get(format!("{}/api/v1/organisation", app.address))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{user}");
    }
    app.shutdown().await;
}
