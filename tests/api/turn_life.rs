//! A turn's whole life over HTTP, as a citizen and an agent see it.

use crate::helpers::spawn_app;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_turn_from_kiosk_to_finish() {
    let app = spawn_app().await;
    let (status, offices) = app.get("/api/v1/offices").await;
    assert_eq!(status, 200);
    assert_eq!(offices[0]["id"], "central");
    assert_eq!(offices[0]["open_now"], true);

    let first = app.issue("registro", "general").await;
    let ticket = app.issue("registro", "adulto_mayor").await;
    assert_eq!(ticket["code"], "A-002");
    assert_eq!(ticket["status"], "waiting");
    assert_eq!(ticket["preferential"], true);
    assert_eq!(ticket["position"], 0, "preferential goes first");
    assert_eq!(first["position"], 0);
    let (_, first_now) = app
        .get(&format!(
            "/api/v1/tickets/{}",
            first["token"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        first_now["position"], 1,
        "the preferential turn is now ahead"
    );
    let token = ticket["token"].as_str().unwrap();
    assert!(ticket["status_url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/t/{token}")));
    assert!(
        ticket["issued_at"].as_str().unwrap().ends_with("-05:00"),
        "office offset"
    );

    let (_, office) = app.get("/api/v1/offices/central").await;
    assert_eq!(office["services"][0]["waiting"], 2);
    assert_eq!(office["categories"].as_array().unwrap().len(), 5);

    let agent = app.login("agente1").await;
    let (status, counter) = app.counter(&agent, "v1", "open", None).await;
    assert_eq!((status, counter["state"].as_str()), (200, Some("open")));
    let (status, called) = app.counter(&agent, "v1", "call-next", None).await;
    assert_eq!(status, 200);
    assert_eq!(called["code"], "A-002");
    assert_eq!(called["status"], "called");
    assert_eq!(called["counter_name"], "Ventanilla 1");

    let (_, live) = app.get(&format!("/api/v1/tickets/{token}")).await;
    assert_eq!(live["status"], "called");
    assert_eq!(live["position"], serde_json::Value::Null);

    let (status, recalled) = app.counter(&agent, "v1", "recall", None).await;
    assert_eq!((status, recalled["recalls"].as_u64()), (200, Some(1)));
    let (status, serving) = app.counter(&agent, "v1", "start", None).await;
    assert_eq!((status, serving["status"].as_str()), (200, Some("serving")));
    let (status, served) = app.counter(&agent, "v1", "finish", None).await;
    assert_eq!((status, served["status"].as_str()), (200, Some("served")));

    let (status, next) = app.counter(&agent, "v1", "call-next", None).await;
    assert_eq!((status, next["code"].as_str()), (200, Some("A-001")));
    let (status, moved) = app
        .counter(&agent, "v1", "transfer", Some(json!({"service": "caja"})))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            moved["code"].as_str(),
            moved["service"].as_str(),
            moved["status"].as_str()
        ),
        (Some("A-001"), Some("caja"), Some("waiting"))
    );
    assert_eq!(moved["position"], 0);

    let (status, _) = app.counter(&agent, "v1", "call-next", None).await;
    assert_eq!(status, 204, "v1 does not serve caja: nobody waits for it");

    let (status, counter) = app
        .counter(&agent, "v1", "pause", Some(json!({"reason": "Almuerzo"})))
        .await;
    assert_eq!(
        (
            status,
            counter["state"].as_str(),
            counter["pause_reason"].as_str()
        ),
        (200, Some("paused"), Some("Almuerzo"))
    );
    let (status, body) = app.counter(&agent, "v1", "call-next", None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("counter_paused"))
    );
    let (status, _) = app.counter(&agent, "v1", "resume", None).await;
    assert_eq!(status, 200);

    let cashier = app.login("agente3").await;
    app.counter(&cashier, "v3", "open", None).await;
    let (status, body) = app
        .counter(
            &cashier,
            "v3",
            "call",
            Some(json!({"code": "A-001", "reason": "cita"})),
        )
        .await;
    assert_eq!((status, body["counter"].as_str()), (200, Some("v3")));
    // The protocol's rule, by default: called again before being given up.
    let (status, body) = app.counter(&cashier, "v3", "no-show", None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("recall_required"))
    );
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("vuelva a llamar"));
    app.counter(&cashier, "v3", "recall", None).await;
    let (status, body) = app.counter(&cashier, "v3", "no-show", None).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("no_show")));
    // The citizen turns up at once: taken back, called again here, then marked again.
    let (status, body) = app.counter(&cashier, "v3", "undo-no-show", None).await;
    assert_eq!(
        (status, body["status"].as_str(), body["counter"].as_str()),
        (200, Some("called"), Some("v3"))
    );
    let (status, body) = app.counter(&cashier, "v3", "undo-no-show", None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("counter_busy")),
        "the turn is at the counter again"
    );
    let (status, body) = app.counter(&cashier, "v3", "no-show", None).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("no_show")));

    let (status, queue) = app.get("/api/v1/offices/central/queue").await;
    assert_eq!(status, 200);
    let calls = queue["calls"].as_array().unwrap();
    assert_eq!(calls[0]["code"], "A-001", "latest first");
    assert_eq!(calls[0]["counter"], "v3");
    assert!(calls.iter().any(|c| c["recall"] == true));
    assert_eq!(queue["counters"][0]["state"], "open");
    assert_eq!(queue["counters"][0]["agent"], "agente1");

    let (status, metrics) = {
        let r = app
            .client
            .get(format!("{}/metrics", app.address))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    };
    assert_eq!(status, 200);
    assert!(
        metrics.contains("turnero_tickets_issued_total{office=\"central\",service=\"registro\"} 2"),
        "{metrics}"
    );
    let (status, _) = app.get("/readyz").await;
    assert_eq!(status, 200);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_can_cancel_a_waiting_turn() {
    let app = spawn_app().await;
    let t = app.issue("caja", "general").await;
    let path = format!("/api/v1/tickets/{}/cancel", t["token"].as_str().unwrap());
    let (status, body) = app.post(&path, None, None).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("cancelled")));
    let (status, body) = app.post(&path, None, None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("turn_not_waiting"))
    );
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_sees_the_waiting_turns_in_call_order_and_a_kiosk_gets_the_qr() {
    let app = spawn_app().await;
    app.issue("registro", "general").await;
    app.issue("caja", "general").await;
    let pref = app.issue("catastro", "nino_en_brazos").await;
    let agent = app.login("agente1").await;
    let r = app
        .client
        .get(format!(
            "{}/api/v1/offices/central/counters/v1/waiting",
            app.address
        ))
        .bearer_auth(&agent)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let list: serde_json::Value = r.json().await.unwrap();
    let codes: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["B-001", "A-001"],
        "v1 does not serve caja; preferential first"
    );
    assert!(list[0]["waited_seconds"].as_i64().unwrap() >= 0);

    let r = app
        .client
        .get(format!(
            "{}/api/v1/tickets/{}/qr.svg",
            app.address,
            pref["token"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    assert!(r.text().await.unwrap().contains("<svg"));
    app.shutdown().await;
}
