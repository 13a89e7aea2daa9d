//! The satisfaction survey's rules, one by one: who may answer, when, what, and that an
//! answer survives a restart.

use crate::helpers::{demo_config, spawn_with, TestApp};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use turnero::engine::clock::{Clock, ManualClock};
use turnero::server::{Application, Settings};

/// 10:00 in Bogotá on Monday 23 November 2026.
fn start() -> DateTime<Utc> {
    "2026-11-23T15:00:00Z".parse().unwrap()
}

fn answers() -> Value {
    json!({"overall": 5, "attention": 5, "clarity": 4, "wait_time": 3, "response_time": 4,
           "comment": "Muy amable la atención", "case_type": "felicitacion"})
}

/// Issues a registro turn, serves it at v1 and returns its token.
async fn served_turn(app: &TestApp, agent: &str) -> String {
    let ticket = app.issue("registro", "general").await;
    app.counter(agent, "v1", "open", None).await;
    let (status, called) = app.counter(agent, "v1", "call-next", None).await;
    assert_eq!(status, 200, "{called}");
    assert_eq!(called["token"], ticket["token"]);
    assert_eq!(app.counter(agent, "v1", "start", None).await.0, 200);
    assert_eq!(app.counter(agent, "v1", "finish", None).await.0, 200);
    ticket["token"].as_str().unwrap().to_owned()
}

async fn survey(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    app.post(&format!("/api/v1/tickets/{token}/survey"), None, Some(body))
        .await
}

async fn responses(app: &TestApp) -> u64 {
    let supervisor = app.login("supervisor").await;
    let response = app
        .client
        .get(format!(
            "{}/api/v1/offices/central/report?from=2026-11-23&to=2026-11-23",
            app.address
        ))
        .bearer_auth(supervisor)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    report["satisfaction"]["responses"].as_u64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_served_turn_answers_once() {
    let app = spawn_with(demo_config(), Arc::new(ManualClock::new(start()))).await;
    let agent = app.login("agente1").await;
    let token = served_turn(&app, &agent).await;

    let (status, page) = app.get(&format!("/api/v1/tickets/{token}/survey")).await;
    assert_eq!(status, 200);
    assert_eq!(page["status"], "open");
    assert_eq!(page["answer_until"], "2026-11-30");
    assert_eq!(page["questions"].as_array().unwrap().len(), 5);
    assert_eq!(page["questions"][0]["id"], "overall");
    assert_eq!(
        page["questions"][0]["text"],
        "¿Qué tan satisfecho se encuentra usted a nivel general con la atención que recibió?"
    );
    assert_eq!(page["case_types"].as_array().unwrap().len(), 6);
    assert_eq!(
        page["case_types"][4],
        json!({"id": "denuncia", "label": "Denuncia"})
    );
    assert_eq!(page["scale"][4]["label"], "Totalmente satisfecho");

    let (status, body) = survey(&app, &token, answers()).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["status"], "answered");

    let (status, body) = survey(&app, &token, answers()).await;
    assert_eq!(status, 409);
    assert_eq!(body["error"]["code"], "already_answered");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("ya respondió"));
    let (_, page) = app.get(&format!("/api/v1/tickets/{token}/survey")).await;
    assert_eq!(page["status"], "answered");
    assert_eq!(responses(&app).await, 1);

    let (_, metrics) = {
        let r = app
            .client
            .get(format!("{}/metrics", app.address))
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    };
    assert!(
        metrics.contains(r#"turnero_survey_answers_total{office="central",service="registro"} 1"#),
        "{metrics}"
    );
    assert!(
        metrics.contains(r#"turnero_survey_overall_answers_total{office="central",score="5"} 1"#)
    );
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_attended_turns_answer() {
    let app = spawn_with(demo_config(), Arc::new(ManualClock::new(start()))).await;
    let waiting = app.issue("registro", "general").await;
    let token = waiting["token"].as_str().unwrap();
    let (status, body) = survey(&app, token, answers()).await;
    assert_eq!(status, 409);
    assert_eq!(body["error"]["code"], "not_served");
    let (_, page) = app.get(&format!("/api/v1/tickets/{token}/survey")).await;
    assert_eq!(page["status"], "not_served");

    // Called but not finished: still not served.
    let agent = app.login("agente1").await;
    app.counter(&agent, "v1", "open", None).await;
    app.counter(&agent, "v1", "call-next", None).await;
    let (status, body) = survey(&app, token, answers()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("not_served"))
    );

    // A no-show never gets a survey.
    app.counter(&agent, "v1", "no-show", None).await;
    let (status, _) = survey(&app, token, answers()).await;
    assert_eq!(status, 409);
    assert_eq!(responses(&app).await, 0);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_answers_are_refused_and_store_nothing() {
    let app = spawn_with(demo_config(), Arc::new(ManualClock::new(start()))).await;
    let agent = app.login("agente1").await;
    let token = served_turn(&app, &agent).await;
    let with = |key: &str, value: Value| {
        let mut body = answers();
        body[key] = value;
        body
    };
    let cases = [
        (with("overall", json!(6)), 422, "invalid_score"),
        (with("attention", json!(0)), 422, "invalid_score"),
        (with("clarity", json!(-3)), 422, "invalid_score"),
        (with("wait_time", json!(1000)), 422, "invalid_score"),
        (with("response_time", json!(2.5)), 400, "invalid_body"),
        (with("overall", json!("5")), 400, "invalid_body"),
        (
            with("case_type", json!("reclamo")),
            422,
            "unknown_case_type",
        ),
        (
            with("comment", json!("a".repeat(501))),
            422,
            "comment_too_long",
        ),
        (json!({"overall": 5}), 400, "invalid_body"),
        (with("extra", json!(1)), 400, "invalid_body"),
    ];
    for (body, status, code) in cases {
        let (got, answer) = survey(&app, &token, body.clone()).await;
        assert_eq!(
            (got, answer["error"]["code"].as_str()),
            (status, Some(code)),
            "{body}"
        );
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(message.ends_with('.'), "{message}");
    }
    let (_, body) = survey(&app, &token, with("overall", json!(9))).await;
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("a nivel general"));
    assert_eq!(responses(&app).await, 0, "nothing was stored");

    // A comment of exactly 500 characters is fine.
    let (status, body) = survey(&app, &token, with("comment", json!("é".repeat(500)))).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(responses(&app).await, 1);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_tokens_are_not_found() {
    let app = spawn_with(demo_config(), Arc::new(ManualClock::new(start()))).await;
    for token in ["AAAAAAAAAAAAAAAAAAAAAA", "short", "AAAAAAAAAAAAAAAAyAcAAA"] {
        let (status, body) = survey(&app, token, answers()).await;
        assert_eq!(status, 404, "{token}");
        assert_eq!(body["error"]["code"], "ticket_not_found");
        let (status, _) = app.get(&format!("/api/v1/tickets/{token}/survey")).await;
        assert_eq!(status, 404);
    }
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_survey_closes_after_survey_days() {
    let clock = Arc::new(ManualClock::new(start()));
    let app = spawn_with(demo_config(), clock.clone()).await;
    let agent = app.login("agente1").await;
    let late = served_turn(&app, &agent).await;
    let on_time = served_turn(&app, &agent).await;

    // Monday 30 November (the 7th day after) is the last one.
    clock.advance(Duration::days(7));
    app.issue("caja", "general").await; // the writer rolls the day over
    let (_, page) = app.get(&format!("/api/v1/tickets/{on_time}/survey")).await;
    assert_eq!(page["status"], "open");
    let (status, body) = survey(&app, &on_time, answers()).await;
    assert_eq!(status, 201, "{body}");

    clock.advance(Duration::days(1));
    app.issue("caja", "general").await;
    let (_, page) = app.get(&format!("/api/v1/tickets/{late}/survey")).await;
    assert_eq!(page["status"], "closed");
    let (status, body) = survey(&app, &late, answers()).await;
    assert_eq!(status, 409);
    assert_eq!(body["error"]["code"], "survey_closed");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("7 días"));
    let (_, page) = app.get(&format!("/api/v1/tickets/{on_time}/survey")).await;
    // Past its window a survey reads closed, answered or not: the engine keeps answers
    // only as long as they can matter.
    assert_eq!(page["status"], "closed");
    assert_eq!(responses(&app).await, 1, "counted on the turn's day");
    app.shutdown().await;
}

/// Runs the server on a data folder that outlives it.
struct Running {
    app: Option<TestApp>,
}

async fn start_on(dir: &Path, clock: Arc<dyn Clock>) -> Running {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let settings = Settings {
        data: dir.to_path_buf(),
        redis_url: None,
        secret: Some("test-secret".into()),
        token_ttl_hours: 1,
    };
    let app = Application::build(demo_config(), &settings, clock, listener).unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    let stop = app.stop_handle();
    let task = tokio::spawn(app.run_until_stopped());
    Running {
        app: Some(TestApp {
            address,
            client: reqwest::Client::new(),
            stop,
            task,
            // A throwaway folder: the data lives in `dir`.
            dir: tempfile::tempdir().unwrap(),
        }),
    }
}

impl Running {
    fn app(&self) -> &TestApp {
        self.app.as_ref().unwrap()
    }

    async fn stop(mut self) {
        self.app.take().unwrap().shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_survives_restarts() {
    let data = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(start()));
    let server = start_on(data.path(), clock.clone()).await;
    let agent = server.app().login("agente1").await;
    let token = served_turn(server.app(), &agent).await;
    let (status, _) = survey(server.app(), &token, answers()).await;
    assert_eq!(status, 201);
    server.stop().await;

    // Same day: the answer is in today's log.
    let server = start_on(data.path(), clock.clone()).await;
    let (status, body) = survey(server.app(), &token, answers()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("already_answered"))
    );
    server.stop().await;

    // Three days later: the answer is in an earlier log, read at start.
    clock.advance(Duration::days(3));
    let server = start_on(data.path(), clock.clone()).await;
    let (_, page) = server
        .app()
        .get(&format!("/api/v1/tickets/{token}/survey"))
        .await;
    assert_eq!(page["status"], "answered");
    let (status, body) = survey(server.app(), &token, answers()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("already_answered"))
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_made_yesterday_is_still_known_after_midnight() {
    let clock = Arc::new(ManualClock::new(start()));
    let app = spawn_with(demo_config(), clock.clone()).await;
    let agent = app.login("agente1").await;
    let token = served_turn(&app, &agent).await;
    assert_eq!(survey(&app, &token, answers()).await.0, 201);
    clock.advance(Duration::days(1));
    app.issue("caja", "general").await;
    let (status, body) = survey(&app, &token, answers()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("already_answered"))
    );
    app.shutdown().await;
}
