//! The organisation over HTTP: two offices of one configuration, turns in both, an
//! office's alert on the admins' page, and an admin reading the figures across offices
//! (JSON and CSV); everyone else turned away, and bad ranges answered with the report's
//! own errors.

use crate::helpers::{demo_config, demo_hash, spawn_with};
use serde_json::{json, Value};
use std::sync::Arc;
use turnero::config::{Config, Role, User};
use turnero::engine::clock::SystemClock;

/// The demo office and "norte", its copy, with an agent of its own.
fn two_offices() -> Config {
    let mut config = demo_config();
    let mut norte = (*config.offices[0]).clone();
    norte.id = "norte".into();
    norte.name = "Oficina Norte".into();
    config.offices.push(Arc::new(norte));
    let issuing = config.issuing[0].1;
    config.issuing.push(("norte".into(), issuing));
    config.users.push(User {
        username: "agente_norte".into(),
        name: "Agente Norte".into(),
        role: Role::Agent,
        office: Some("norte".into()),
        password_hash: demo_hash().into(),
    });
    config
}

#[tokio::test]
async fn an_admin_reads_every_office_in_one_report() {
    let app = spawn_with(two_offices(), Arc::new(SystemClock)).await;
    // Central: three turns, one served at v1. Norte: two turns, one served at its v1.
    for _ in 0..3 {
        app.issue("registro", "general").await;
    }
    let ana = app.login("agente1").await;
    for action in ["open", "call-next", "finish"] {
        let (status, body) = app.counter(&ana, "v1", action, None).await;
        assert_eq!(status, 200, "{action}: {body}");
    }
    for _ in 0..2 {
        let (status, body) = app
            .post(
                "/api/v1/offices/norte/tickets",
                None,
                Some(json!({"service": "registro", "category": "general"})),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let norte = app.login("agente_norte").await;
    for action in ["open", "call-next", "finish"] {
        let path = format!("/api/v1/offices/norte/counters/v1/{action}");
        let (status, body) = app.post(&path, Some(&norte), None).await;
        assert_eq!(status, 200, "{action}: {body}");
    }

    let admin = app.login("admin").await;

    // Norte closes its only counter with a turn waiting: the page shows its alert.
    let (status, body) = app
        .post(
            "/api/v1/offices/norte/counters/v1/close",
            Some(&norte),
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let offices = loop {
        let r = app
            .client
            .get(format!("{}/api/v1/organisation", app.address))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let offices: Value = r.json().await.unwrap();
        if offices[1]["alerts"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
        {
            break offices;
        }
        assert!(std::time::Instant::now() < until, "no alert: {offices}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let alert = &offices[1]["alerts"][0];
    assert_eq!(alert["kind"], "no_counter", "{alert}");
    assert_eq!(alert["service"], "registro");
    assert!(
        alert["message"]
            .as_str()
            .unwrap()
            .contains("ninguna ventanilla abierta"),
        "{alert}"
    );
    assert_eq!(
        offices[0]["alerts"],
        json!([]),
        "central has its counter open"
    );

    let get = |query: &str, token: Option<&str>| {
        let mut request = app
            .client
            .get(format!("{}/api/v1/organisation/report{query}", app.address))
            .header("accept-language", "en");
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let r = get("", Some(&admin)).await.unwrap();
    assert_eq!(r.status(), 200);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["turns"]["issued"], 5);
    assert_eq!(report["turns"]["served"], 2);
    assert_eq!(report["wait_seconds"]["count"], 2);
    let offices: Vec<(&str, u64)> = report["by_office"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["id"].as_str().unwrap(),
                o["turns"]["issued"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(offices, [("central", 3), ("norte", 2)]);
    assert_eq!(report["by_office"][1]["name"], "Oficina Norte");
    // One "registro" across offices; each office's counters under its own name.
    let registro = report["by_service"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "registro")
        .unwrap();
    assert_eq!(registro["turns"]["issued"], 5);
    let counter = |id: &str| {
        report["by_counter"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no counter {id}: {}", report["by_counter"]))
    };
    assert_eq!(counter("central/v1")["turns"]["served"], 1);
    assert_eq!(counter("norte/v1")["turns"]["served"], 1);
    assert_eq!(counter("norte/v1")["name"], "Oficina Norte · Ventanilla 1");
    let agents: Vec<&str> = report["by_agent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(agents, ["agente1", "agente_norte"]);
    let fairness: Vec<&str> = report["fairness"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["office"].as_str().unwrap())
        .collect();
    assert_eq!(fairness, ["central", "norte"]);

    // The same as CSV, named for the organisation.
    let r = get("?format=csv", Some(&admin)).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("informe-organizacion-"),
        "{disposition}"
    );
    let csv = r.text().await.unwrap();
    assert!(
        csv.contains("by_office,norte,Oficina Norte,turns.issued,2"),
        "{csv}"
    );
    assert!(csv.contains("total,,,turns.issued,5"), "{csv}");

    // Bad ranges: the report's own errors, in the request's language.
    for (query, status, code) in [
        ("?from=2026-1-5", 400, "invalid_date"),
        ("?from=2026-03-02&to=2026-03-01", 422, "invalid_range"),
        ("?from=2025-01-01&to=2026-03-01", 422, "range_too_long"),
        ("?format=xml", 400, "invalid_format"),
    ] {
        let r = get(query, Some(&admin)).await.unwrap();
        assert_eq!(r.status(), status, "{query}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], code, "{query}: {body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.is_ascii(), "in English: {body}");
    }
    // Only admins.
    for user in ["supervisor", "agente1", "agente_norte"] {
        let token = app.login(user).await;
        let r = get("", Some(&token)).await.unwrap();
        assert_eq!(r.status(), 403, "{user}");
    }
    assert_eq!(get("", None).await.unwrap().status(), 401);
    app.shutdown().await;
}
