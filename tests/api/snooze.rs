//! "Voy en camino" over HTTP: a called citizen asks for a few minutes from the phone, once;
//! the counter is free, the turn comes back after the next turns, the report counts it,
//! and every refusal is a clear JSON error that changes nothing.

use crate::helpers::{spawn_app, TestApp};
use serde_json::{json, Value};

fn token(t: &Value) -> String {
    t["token"].as_str().unwrap().to_owned()
}

async fn snooze(app: &TestApp, turn: &Value) -> (u16, Value) {
    app.post(
        &format!("/api/v1/tickets/{}/snooze", token(turn)),
        None,
        None,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_called_citizen_on_the_way_is_called_again_after_the_next_turns() {
    let app = spawn_app().await;
    let mine = app.issue("registro", "general").await;
    let others = [
        app.issue("registro", "general").await,
        app.issue("registro", "general").await,
        app.issue("registro", "general").await,
        app.issue("registro", "general").await,
    ];
    assert_eq!(mine["snooze_turns"], 3, "the demo office offers it: {mine}");
    assert_eq!(mine["snoozed"], false);

    // Waiting: nothing to snooze yet.
    let (status, body) = snooze(&app, &mine).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("turn_not_called")),
        "{body}"
    );

    let agent = app.login("agente1").await;
    app.counter(&agent, "v1", "open", None).await;
    let (_, called) = app.counter(&agent, "v1", "call-next", None).await;
    assert_eq!(called["code"], mine["code"]);
    let (status, snoozed) = snooze(&app, &mine).await;
    assert_eq!(status, 200, "{snoozed}");
    assert_eq!(snoozed["status"], "waiting");
    assert_eq!(snoozed["snoozed"], true);
    assert_eq!(snoozed["position"], 3, "back after the next three turns");
    assert_eq!(snoozed["counter"], Value::Null);
    let counter: Value = app
        .client
        .get(format!(
            "{}/api/v1/offices/central/counters/v1",
            app.address
        ))
        .bearer_auth(&agent)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(counter["state"], "open", "the counter is free: {counter}");
    assert_eq!(counter["current"], Value::Null);

    // Once only — in the citizen's language.
    for other in &others[..3] {
        let (_, next) = app.counter(&agent, "v1", "call-next", None).await;
        assert_eq!(next["code"], other["code"]);
        app.counter(&agent, "v1", "finish", None).await;
    }
    let (_, back) = app.counter(&agent, "v1", "call-next", None).await;
    assert_eq!(back["code"], mine["code"], "called again after three turns");
    let again = app
        .client
        .post(format!(
            "{}/api/v1/tickets/{}/snooze",
            app.address,
            token(&mine)
        ))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 409);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["error"]["code"], "already_snoozed");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("You already asked"),
        "{body}"
    );
    let (_, unchanged) = app.get(&format!("/api/v1/tickets/{}", token(&mine))).await;
    assert_eq!(unchanged["status"], "called", "a refusal changes nothing");
    app.counter(&agent, "v1", "finish", None).await;

    // The report counts it, in the JSON and in the CSV.
    let admin = app.login("admin").await;
    let report: Value = app
        .client
        .get(format!("{}/api/v1/offices/central/report", app.address))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(report["turns"]["snoozed"], 1, "{}", report["turns"]);
    let csv = app
        .client
        .get(format!(
            "{}/api/v1/offices/central/report?format=csv",
            app.address
        ))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains("total,,,turns.snoozed,1"), "{csv}");

    // Unknown and malformed tokens.
    let (status, body) = app
        .post("/api/v1/tickets/nada/snooze", None, Some(json!({})))
        .await;
    assert_eq!(status, 404, "{body}");
    app.shutdown().await;
}
