//! The supervisor ahead of the queue: alerts raised and cleared on a scripted day with a
//! hand-set clock (list, pushed stream, report), and the forecast of a scripted arrival
//! pattern against a hand-computed Erlang C value, with its advice.

use crate::helpers::{demo_config, spawn_with, TestApp};
use chrono::{DateTime, Duration, Utc};
use futures_util::StreamExt;
use serde_json::Value;
use std::sync::Arc;
use turnero::engine::clock::ManualClock;

async fn get(app: &TestApp, path: &str, token: &str, language: &str) -> (u16, Value) {
    let r = app
        .client
        .get(format!("{}/api/v1/offices/central{path}", app.address))
        .bearer_auth(token)
        .header("accept-language", language)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

fn kinds(alerts: &Value) -> Vec<String> {
    let mut k: Vec<String> = alerts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            format!(
                "{}:{}",
                a["kind"].as_str().unwrap(),
                a["service"]
                    .as_str()
                    .or(a["counter"].as_str())
                    .unwrap_or("")
            )
        })
        .collect();
    k.sort();
    k
}

/// The next `data:` frame of a server-sent event stream (keep-alive comments skipped).
async fn next_frame(
    frames: &mut (impl futures_util::Stream<Item = reqwest::Result<actix_web::web::Bytes>> + Unpin),
) -> Value {
    let mut text = String::new();
    loop {
        if text.ends_with("\n\n") {
            if text.starts_with(':') {
                text.clear();
            } else {
                break;
            }
        }
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), frames.next())
            .await
            .expect("a frame within 10 s")
            .unwrap()
            .unwrap();
        text.push_str(std::str::from_utf8(&chunk).unwrap());
    }
    let data = text.trim().strip_prefix("data: ").unwrap().to_owned();
    serde_json::from_str::<Value>(&data).unwrap()
}

fn ok(r: (u16, Value)) -> Value {
    assert_eq!(r.0, 200, "{}", r.1);
    r.1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alerts_rise_and_clear_at_the_right_moment_and_are_pushed() {
    // 08:00 in Bogotá; t = minutes after.
    let t0: DateTime<Utc> = "2026-11-23T13:00:00Z".parse().unwrap();
    let clock = Arc::new(ManualClock::new(t0));
    let at = |m: i64, s: i64| clock.set(t0 + Duration::minutes(m) + Duration::seconds(s));
    let mut config = demo_config();
    let mut spec = (*config.offices[0]).clone();
    spec.alerts.pause_seconds_over = 10 * 60;
    config.offices[0] = Arc::new(spec);
    let app = spawn_with(config, clock.clone()).await;
    let sup = app.login("supervisor").await;
    let a1 = app.login("agente1").await;
    let a3 = app.login("agente3").await;

    // Agents may not.
    assert_eq!(get(&app, "/alerts", &a1, "es").await.0, 403);
    let stream = app
        .client
        .get(format!(
            "{}/api/v1/offices/central/alerts/stream",
            app.address
        ))
        .bearer_auth(&sup)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    assert!(stream.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let mut frames = Box::pin(stream.bytes_stream());
    let first = next_frame(&mut frames).await;
    assert_eq!(first["type"], "alerts");
    assert_eq!(first["alerts"], Value::Array(vec![]));

    ok(app.counter(&a1, "v1", "open", None).await); // v1: registro, catastro
    app.issue("registro", "general").await; // A-001 at 08:00
    app.issue("caja", "general").await; // C-001 at 08:00: no open counter serves caja
                                        // Pushed without anyone asking.
    let pushed = next_frame(&mut frames).await;
    assert_eq!(kinds(&pushed["alerts"]), ["no_counter:caja"], "{pushed}");
    let listed = ok(get(&app, "/alerts", &sup, "es").await);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["since"], "2026-11-23T08:00:00-05:00");
    assert_eq!(listed[0]["counter"], Value::Null);
    assert_eq!(
        listed[0]["message"],
        "Caja y Pagos: espera 1 persona y ninguna ventanilla abierta lo atiende."
    );
    let english = ok(get(&app, "/alerts", &sup, "en").await);
    assert_eq!(
        english[0]["message"],
        "Payments: 1 person is waiting and no open counter serves it."
    );

    // Caja's target is 10 min, registro's 20: at 10:00 neither is over, at 10:01 caja
    // is; at 20:00 registro not yet, at 20:01 it is.
    let alerts_now = || async { kinds(&ok(get(&app, "/alerts", &sup, "es").await)) };
    at(10, 0);
    assert_eq!(alerts_now().await, ["no_counter:caja"]);
    at(10, 1);
    assert_eq!(alerts_now().await, ["no_counter:caja", "wait_over:caja"]);
    at(20, 0);
    assert_eq!(alerts_now().await, ["no_counter:caja", "wait_over:caja"]);
    at(20, 1);
    let listed = ok(get(&app, "/alerts", &sup, "es").await);
    assert_eq!(
        kinds(&listed),
        ["no_counter:caja", "wait_over:caja", "wait_over:registro"]
    );
    let wait = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "wait_over" && a["service"] == "registro")
        .unwrap();
    assert_eq!(wait["since"], "2026-11-23T08:20:01-05:00");
    assert!(
        wait["message"]
            .as_str()
            .unwrap()
            .contains("20 min (límite 20)"),
        "{wait}"
    );

    // v3 opens for caja: that alert clears; A-001 called: the wait alert clears.
    at(21, 0);
    ok(app.counter(&a3, "v3", "open", None).await);
    assert_eq!(
        kinds(&ok(get(&app, "/alerts", &sup, "es").await)),
        ["wait_over:caja", "wait_over:registro"]
    );
    ok(app.counter(&a1, "v1", "call-next", None).await);
    ok(app.counter(&a3, "v3", "call-next", None).await);
    assert_eq!(
        kinds(&ok(get(&app, "/alerts", &sup, "es").await)),
        Vec::<String>::new()
    );

    // A pause over 10 min (this office's limit), once C-001 is attended.
    ok(app.counter(&a3, "v3", "start", None).await);
    ok(app.counter(&a3, "v3", "finish", None).await);
    ok(app
        .counter(
            &a3,
            "v3",
            "pause",
            Some(serde_json::json!({"reason": "almuerzo"})),
        )
        .await);
    at(31, 0);
    assert!(ok(get(&app, "/alerts", &sup, "es").await)
        .as_array()
        .unwrap()
        .is_empty());
    at(31, 1);
    let listed = ok(get(&app, "/alerts", &sup, "es").await);
    assert_eq!(kinds(&listed), ["counter_paused:v3"]);
    assert_eq!(
        listed[0]["message"],
        "Ventanilla 3 lleva 10 min en pausa (límite 10): «almuerzo»."
    );
    at(32, 0);
    ok(app.counter(&a3, "v3", "resume", None).await);
    assert!(ok(get(&app, "/alerts", &sup, "es").await)
        .as_array()
        .unwrap()
        .is_empty());

    // Every raise and clear is in the log: the report counts them.
    let report = ok(get(&app, "/report", &sup, "es").await);
    let count = |kind: &str| {
        report["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == kind)
            .map(|r| {
                (
                    r["raised"].as_u64().unwrap(),
                    r["cleared"].as_u64().unwrap(),
                )
            })
    };
    assert_eq!(count("no_counter"), Some((1, 1)), "{}", report["alerts"]);
    assert_eq!(count("wait_over"), Some((2, 2)));
    assert_eq!(count("counter_paused"), Some((1, 1)));
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_forecast_of_a_scripted_hour_matches_erlang_c_and_advises() {
    // Registro alone on v1 and v2, 9 min a turn, target 15 min; one turn every 6 min
    // for an hour, each called at once and served in 9 min: λ = 10/h, μ = 1/9 min, c = 2.
    let t0: DateTime<Utc> = "2026-11-23T13:00:00Z".parse().unwrap();
    let clock = Arc::new(ManualClock::new(t0));
    let mut config = demo_config();
    let mut spec = (*config.offices[0]).clone();
    spec.services[0].default_service_seconds = 9 * 60;
    spec.services[0].target_wait_seconds = 15 * 60;
    for c in &mut spec.counters {
        c.services.retain(|&s| s != 0);
    }
    spec.counters[0].services = vec![0];
    spec.counters[1].services = vec![0];
    spec.derive_competing();
    config.offices[0] = Arc::new(spec);
    let app = spawn_with(config, clock.clone()).await;
    let sup = app.login("supervisor").await;
    let agents = [app.login("agente1").await, app.login("agente2").await];
    ok(app.counter(&agents[0], "v1", "open", None).await);
    ok(app.counter(&agents[1], "v2", "open", None).await);
    let desk = |i: i64| [("v1", &agents[0]), ("v2", &agents[1])][(i % 2) as usize];
    // In time order, every 3 minutes: the turn issued 9 minutes ago is served, then
    // (every 6 minutes) a new one is issued and called at once.
    for m in (0..60i64).step_by(3) {
        clock.set(t0 + Duration::minutes(m));
        if m >= 9 && (m - 9) % 6 == 0 {
            let (counter, token) = desk((m - 9) / 6);
            ok(app.counter(token, counter, "finish", None).await);
        }
        if m % 6 == 0 {
            let (counter, token) = desk(m / 6);
            app.issue("registro", "general").await;
            ok(app.counter(token, counter, "call-next", None).await);
            ok(app.counter(token, counter, "start", None).await);
        }
    }
    clock.set(t0 + Duration::minutes(60));
    let forecast = ok(get(&app, "/forecast", &sup, "es").await);
    assert_eq!(forecast["horizon_minutes"], 60);
    assert_eq!(forecast["at"], "2026-11-23T09:00:00-05:00");
    let registro = forecast["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "registro")
        .unwrap()
        .clone();
    assert_eq!(registro["arrivals_per_hour"], 10.0);
    assert_eq!(registro["counters_open"], 2);
    // By hand (a = λ/μ = 1.5, c = 2): C = 4.5 / (2.5 + 4.5) = 0.642857;
    // Wq = C / (cμ − λ) = 0.642857 / 3.3333 per h = 0.192857 h = 11.57 min;
    // P(W ≤ 15 min) = 1 − 0.642857 · e^{−3.3333 · 0.25} = 0.7206.
    let wait = registro["expected_wait_minutes"].as_f64().unwrap();
    assert!((wait - 11.57).abs() <= 0.05 * 11.57, "{registro}");
    let share = registro["within_target_share"].as_f64().unwrap();
    assert!((share - 0.7206).abs() <= 0.05 * 0.7206, "{registro}");
    // 72% is under 80%: one more counter (c = 3: C = 0.2368, P = 0.981) fixes it.
    assert_eq!(
        registro["advice"],
        "Abra una ventanilla más para Registro de la Propiedad ahora: solo el 72 % de los turnos se llamaría dentro de la meta de 15 min. Ninguna otra ventanilla lo atiende: asigne el servicio a otras."
    );
    let english = ok(get(&app, "/forecast", &sup, "en").await);
    assert!(english["services"][0]["advice"]
        .as_str()
        .unwrap()
        .starts_with("Open one more counter for Property Registry now"));
    // Caja has nobody waiting or arriving: on target, no advice.
    let caja = forecast["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "caja")
        .unwrap();
    assert_eq!(caja["advice"], Value::Null);
    assert_eq!(get(&app, "/forecast", &agents[0], "es").await.0, 403);
    app.shutdown().await;
}
