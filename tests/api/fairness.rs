//! Calls out of order: refused without one of the office's reasons (in the request's
//! language, nothing changed), recorded with the reason, never shown to the citizen, and
//! reported per agent and reason with the day's other fairness figures worked out by hand.

use crate::helpers::{demo_config, spawn_with, TestApp};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use std::sync::Arc;
use turnero::engine::clock::ManualClock;

async fn get(app: &TestApp, path: &str, token: &str) -> (u16, Value) {
    let r = app
        .client
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_out_of_order_need_a_reason_and_are_reported_per_agent() {
    // 08:00 in Bogotá on Monday 23 November 2026; at(m) = m minutes later.
    let t0: DateTime<Utc> = "2026-11-23T13:00:00Z".parse().unwrap();
    let clock = Arc::new(ManualClock::new(t0));
    let at = |m: i64| clock.set(t0 + Duration::minutes(m));
    let app = spawn_with(demo_config(), clock.clone()).await;
    let a1 = app.login("agente1").await;
    let a3 = app.login("agente3").await;
    let ok = |r: (u16, Value)| {
        assert_eq!(r.0, 200, "{}", r.1);
        r.1
    };
    ok(app.counter(&a1, "v1", "open", None).await);
    ok(app.counter(&a3, "v3", "open", None).await);
    app.issue("registro", "general").await; // A-001 at 0
    at(1);
    let a002 = app.issue("registro", "general").await; // A-002 at 1
    at(2);
    app.issue("registro", "adulto_mayor").await; // A-003 at 2, preferential

    // The reasons the console offers: the protocol's defaults, in order.
    let (status, reasons) = get(&app, "/api/v1/offices/central/call-reasons", &a1).await;
    assert_eq!(status, 200, "{reasons}");
    let ids: Vec<_> = reasons
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["note_required"] == true))
        .collect();
    assert_eq!(
        ids,
        [
            ("cita", false),
            ("error", false),
            ("relacionado", false),
            ("otro", true)
        ]
    );
    assert_eq!(
        app.get("/api/v1/offices/central/call-reasons").await.0,
        401,
        "not for citizens"
    );

    at(5);
    let refused = [
        (json!({"code": "A-002"}), "reason_required"),
        (json!({"code": "A-002", "reason": ""}), "reason_required"),
        (
            json!({"code": "A-002", "reason": "amistad"}),
            "unknown_reason",
        ),
        (json!({"code": "A-002", "reason": "otro"}), "note_required"),
        (
            json!({"code": "A-002", "reason": "cita", "note": "x".repeat(201)}),
            "note_too_long",
        ),
    ];
    for (body, code) in refused {
        let (status, answer) = app.counter(&a1, "v1", "call", Some(body.clone())).await;
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (422, Some(code)),
            "{body}: {answer}"
        );
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(message.ends_with('.'), "{message}");
    }
    // In the request's language.
    let r = app
        .client
        .post(format!(
            "{}/api/v1/offices/central/counters/v1/call",
            app.address
        ))
        .bearer_auth(&a1)
        .header("Accept-Language", "en")
        .json(&json!({"code": "A-002"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let answer: Value = r.json().await.unwrap();
    assert_eq!(
        answer["error"]["message"],
        "To call a turn out of order, give the reason (reason)."
    );
    // Nothing was called by the refusals.
    let token = a002["token"].as_str().unwrap();
    let (_, ticket) = app.get(&format!("/api/v1/tickets/{token}")).await;
    assert_eq!(ticket["status"], "waiting", "{ticket}");

    // Accepted with a reason: A-002 goes ahead of A-001 and of the preferential A-003.
    let called = ok(app
        .counter(
            &a1,
            "v1",
            "call",
            Some(json!({"code": "A-002", "reason": "cita"})),
        )
        .await);
    assert_eq!(called["code"], "A-002");
    // The citizen's Ticket never says why.
    let (_, ticket) = app.get(&format!("/api/v1/tickets/{token}")).await;
    assert_eq!(ticket["status"], "called");
    let shown = ticket.to_string();
    assert!(
        !shown.contains("cita") && !shown.contains("out_of_order") && !shown.contains("reason"),
        "{shown}"
    );
    at(6);
    ok(app.counter(&a1, "v1", "finish", None).await);
    at(7);
    assert_eq!(
        ok(app.counter(&a1, "v1", "call-next", None).await)["code"],
        "A-003"
    );
    at(8);
    ok(app.counter(&a1, "v1", "finish", None).await);
    at(10);
    assert_eq!(
        ok(app.counter(&a1, "v1", "call-next", None).await)["code"],
        "A-001"
    );
    app.issue("caja", "general").await; // C-001 at 10
    at(11);
    app.issue("caja", "general").await; // C-002 at 11
    at(12);
    let note = "Acompaña al titular del A-001";
    assert_eq!(
        ok(app
            .counter(
                &a3,
                "v3",
                "call",
                Some(json!({"code": "C-002", "reason": "otro", "note": note}))
            )
            .await)["code"],
        "C-002"
    );

    at(20);
    let supervisor = app.login("supervisor").await;
    let (status, report) = get(
        &app,
        "/api/v1/offices/central/report?from=2026-11-23&to=2026-11-23",
        &supervisor,
    )
    .await;
    assert_eq!(status, 200, "{report}");
    let f = &report["fairness"];
    assert_eq!(
        f["out_of_order"],
        json!([
            {"agent": "agente1", "reason": "cita", "label": "Cita programada", "count": 1,
             "notes": []},
            {"agent": "agente3", "reason": "otro", "label": "Otro motivo", "count": 1,
             "notes": [{"day": "2026-11-23", "code": "C-002", "note": note}]},
        ]),
        "{f}"
    );
    // Calls: A-002, A-003 (preferential), A-001, C-002; strict priority in the demo.
    assert_eq!(
        f["preferential_share"],
        json!({"calls": 4, "preferential": 1, "share": 0.25,
               "policy_max_consecutive": null, "policy_max_share": null, "max_streak": 1}),
        "{f}"
    );
    // A-001 (issued at 0, called at 10) waited behind A-003, issued after it.
    assert_eq!(
        f["longest_wait_behind_preferential"],
        json!({"day": "2026-11-23", "code": "A-001", "minutes": 10.0, "preferential_ahead": 1})
    );
    // The call of A-002 at 5 skipped A-001 (called at 10) and A-003 (at 7); the call of
    // C-002 at 12 skipped C-001, never called.
    assert_eq!(
        f["skipped"],
        json!({"turns": 3, "times": 3, "longest": [
            {"day": "2026-11-23", "code": "A-001", "times": 1, "seconds": 300.0},
            {"day": "2026-11-23", "code": "A-003", "times": 1, "seconds": 120.0},
            {"day": "2026-11-23", "code": "C-001", "times": 1, "seconds": null},
        ]}),
        "{f}"
    );
    app.shutdown().await;
}
