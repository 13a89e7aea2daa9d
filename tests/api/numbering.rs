//! A service whose numbers run out wraps to the numbers of turns that ended (never a live
//! turn's code), or refuses, as configured; the wrapped turn is the one its code finds.

use crate::helpers::{demo_config, spawn_with};
use serde_json::json;
use std::sync::Arc;
use turnero::domain::OnExhausted;
use turnero::engine::clock::SystemClock;

fn with_range(on_exhausted: OnExhausted) -> turnero::config::Config {
    let mut config = demo_config();
    let mut office = (*config.offices[0]).clone();
    office.services[0].last_number = 3;
    office.services[0].on_exhausted = on_exhausted;
    config.offices[0] = Arc::new(office);
    config
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_that_ran_out_are_given_again_once_their_turns_ended() {
    let app = spawn_with(with_range(OnExhausted::Wrap), Arc::new(SystemClock)).await;
    let mut tickets = Vec::new();
    for _ in 0..3 {
        tickets.push(app.issue("registro", "general").await);
    }
    let (status, body) = app.post_ticket(json!({"service": "registro"})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("number_range_exhausted")),
        "{body}"
    );
    let token = |t: &serde_json::Value| t["token"].as_str().unwrap().to_owned();
    let (status, _) = app
        .post(
            &format!("/api/v1/tickets/{}/cancel", token(&tickets[1])),
            None,
            None,
        )
        .await;
    assert_eq!(status, 200);
    let again = app.issue("registro", "general").await;
    assert_eq!(again["code"], "A-002", "{again}");
    // The agent calling A-002 by its code gets the live turn, not the cancelled one.
    let agent = app.login("agente1").await;
    app.counter(&agent, "v1", "open", None).await;
    let (status, called) = app
        .counter(
            &agent,
            "v1",
            "call",
            Some(json!({"code": "A-002", "reason": "cita"})),
        )
        .await;
    assert_eq!(status, 200, "{called}");
    assert_eq!(called["token"], again["token"]);
    // The old turn's own page still says it was cancelled.
    let (_, old) = app
        .get(&format!("/api/v1/tickets/{}", token(&tickets[1])))
        .await;
    assert_eq!(old["status"], "cancelled");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_configured_to_refuse_stops_at_its_last_number() {
    let app = spawn_with(with_range(OnExhausted::Refuse), Arc::new(SystemClock)).await;
    let first = app.issue("registro", "general").await;
    app.issue("registro", "general").await;
    app.issue("registro", "general").await;
    app.post(
        &format!(
            "/api/v1/tickets/{}/cancel",
            first["token"].as_str().unwrap()
        ),
        None,
        None,
    )
    .await;
    let (status, body) = app.post_ticket(json!({"service": "registro"})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("number_range_exhausted"))
    );
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_cancels_a_flood_of_waiting_turns_in_one_go() {
    let app = crate::helpers::spawn_app().await;
    let mut flood = Vec::new();
    for _ in 0..30 {
        flood.push(app.issue("registro", "general").await);
    }
    let other = app.issue("caja", "general").await;
    let path = "/api/v1/offices/central/tickets/cancel";
    let body = json!({"service": "registro", "from": 1, "to": 30});
    let (status, _) = app.post(path, None, Some(body.clone())).await;
    assert_eq!(status, 401);
    let agent = app.login("agente1").await;
    let (status, _) = app.post(path, Some(&agent), Some(body.clone())).await;
    assert_eq!(status, 403, "agents may not");
    let supervisor = app.login("supervisor").await;
    let (status, answer) = app
        .post(
            path,
            Some(&supervisor),
            Some(json!({"service": "registro", "from": 9, "to": 1})),
        )
        .await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (422, Some("invalid_range"))
    );
    let (status, answer) = app.post(path, Some(&supervisor), Some(body)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["cancelled"], 30);
    let (_, t) = app
        .get(&format!(
            "/api/v1/tickets/{}",
            flood[7]["token"].as_str().unwrap()
        ))
        .await;
    assert_eq!(t["status"], "cancelled");
    let (_, t) = app
        .get(&format!(
            "/api/v1/tickets/{}",
            other["token"].as_str().unwrap()
        ))
        .await;
    assert_eq!(t["status"], "waiting", "other services untouched");
    app.shutdown().await;
}
