//! A counter belongs to its agent: on the real server another agent gets 409
//! `counter_taken` on every action and changes nothing; only a supervisor takes it over,
//! explicitly, keeping the turn in progress.

use crate::helpers::spawn_app;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_agent_cannot_act_in_the_holders_name_and_a_supervisor_takes_over() {
    let app = spawn_app().await;
    let ticket = app.issue("registro", "general").await;
    app.issue("registro", "general").await;
    let ana = app.login("agente1").await;
    let beto = app.login("agente2").await;
    let (status, body) = app.counter(&ana, "v1", "open", None).await;
    assert_eq!(status, 200, "{body}");
    let (status, called) = app.counter(&ana, "v1", "call-next", None).await;
    assert_eq!(
        (status, &called["code"]),
        (200, &ticket["code"]),
        "{called}"
    );

    for (action, body) in [
        ("open", None),
        ("call-next", None),
        ("recall", None),
        ("start", None),
        ("finish", None),
        ("no-show", None),
        ("transfer", Some(json!({"service": "caja"}))),
        ("call", Some(json!({"code": "A-002"}))),
        ("pause", Some(json!({"reason": "café"}))),
        ("resume", None),
        ("close", None),
    ] {
        let (status, answer) = app.counter(&beto, "v1", action, body).await;
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (409, Some("counter_taken")),
            "{action}: {answer}"
        );
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap()
                .contains("agente1"),
            "{answer}"
        );
    }
    // Nothing changed: the turn is still with agente1 at v1.
    let (_, now) = app
        .get(&format!(
            "/api/v1/tickets/{}",
            ticket["token"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        (now["status"].as_str(), now["counter"].as_str()),
        (Some("called"), Some("v1"))
    );

    // An agent may not take over; a supervisor may, on request only.
    let (status, answer) = app
        .counter(&beto, "v1", "open", Some(json!({"take_over": true})))
        .await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );
    let sofia = app.login("supervisor").await;
    let (status, answer) = app.counter(&sofia, "v1", "finish", None).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (409, Some("counter_taken"))
    );
    let (status, answer) = app
        .counter(&sofia, "v1", "open", Some(json!({"take_over": true})))
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["agent"], "supervisor", "{answer}");
    let (status, answer) = app.counter(&ana, "v1", "finish", None).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (409, Some("counter_taken"))
    );
    let (status, served) = app.counter(&sofia, "v1", "finish", None).await;
    assert_eq!(
        (status, &served["code"]),
        (200, &ticket["code"]),
        "{served}"
    );
    let (status, answer) = app
        .counter(&sofia, "v1", "open", Some(json!({"take_over": "yes"})))
        .await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (400, Some("invalid_body"))
    );
    app.shutdown().await;
}
