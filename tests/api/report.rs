//! A scripted day on a hand-set clock, whose report is checked figure by figure against
//! values worked out by hand.

use crate::helpers::{demo_config, spawn_with, TestApp};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use std::sync::Arc;
use turnero::engine::clock::ManualClock;

async fn get(app: &TestApp, path: &str, token: &str) -> (u16, String) {
    let r = app
        .client
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn row<'a>(rows: &'a Value, id: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no row {id} in {rows}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scripted_day_adds_up() {
    // 08:00 in Bogotá on Monday 23 November 2026; t = minutes after 08:00.
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

    ok(app.counter(&a1, "v1", "open", None).await); // t0: v1 (registro, catastro)
    ok(app.counter(&a3, "v3", "open", None).await); // t0: v3 (catastro, caja)
    let a001 = app.issue("registro", "general").await; // t0
    at(1);
    let a002 = app.issue("registro", "adulto_mayor").await; // t1, preferential
    at(2);
    let b001 = app.issue("catastro", "general").await; // t2
    at(3);
    let c001 = app.issue("caja", "general").await; // t3
    at(5);
    assert_eq!(
        ok(app.counter(&a1, "v1", "call-next", None).await)["code"],
        "A-002"
    ); // wait 4 min
    assert_eq!(
        ok(app.counter(&a3, "v3", "call-next", None).await)["code"],
        "B-001"
    ); // wait 3 min
    at(6);
    ok(app.counter(&a1, "v1", "start", None).await);
    at(7);
    ok(app.counter(&a3, "v3", "start", None).await);
    at(9);
    ok(app
        .counter(&a3, "v3", "transfer", Some(json!({"service": "caja"})))
        .await);
    // B-001 goes back to caja by its issue time (t2), before C-001 (t3).
    assert_eq!(
        ok(app.counter(&a3, "v3", "call-next", None).await)["code"],
        "B-001"
    );
    at(10);
    ok(app.counter(&a3, "v3", "start", None).await);
    at(14);
    ok(app.counter(&a3, "v3", "finish", None).await); // B-001 served: 10 → 14
    assert_eq!(
        ok(app.counter(&a3, "v3", "call-next", None).await)["code"],
        "C-001"
    ); // wait 11 min
    at(15);
    ok(app.counter(&a3, "v3", "recall", None).await);
    at(16);
    ok(app.counter(&a1, "v1", "finish", None).await); // A-002 served: 6 → 16
    ok(app.counter(&a3, "v3", "no-show", None).await); // C-001
    ok(app
        .counter(&a3, "v3", "pause", Some(json!({"reason": "pausa activa"})))
        .await);
    assert_eq!(
        ok(app.counter(&a1, "v1", "call-next", None).await)["code"],
        "A-001"
    ); // wait 16 min
    at(17);
    ok(app.counter(&a1, "v1", "start", None).await);
    at(22);
    ok(app.counter(&a1, "v1", "finish", None).await); // A-001 served: 17 → 22
    ok(app
        .counter(&a1, "v1", "pause", Some(json!({"reason": "almuerzo"})))
        .await);
    at(26);
    ok(app.counter(&a3, "v3", "resume", None).await);
    at(30);
    let a003 = app.issue("registro", "general").await;
    at(31);
    let (status, _) = app
        .post(
            &format!("/api/v1/tickets/{}/cancel", a003["token"].as_str().unwrap()),
            None,
            None,
        )
        .await;
    assert_eq!(status, 200);
    at(32);
    app.issue("registro", "general").await; // still waiting at report time
    at(52);
    ok(app.counter(&a1, "v1", "resume", None).await);
    at(60);
    ok(app.counter(&a1, "v1", "close", None).await);
    ok(app.counter(&a3, "v3", "close", None).await);
    at(61);
    let survey = |t: &Value, body: Value| {
        let path = format!("/api/v1/tickets/{}/survey", t["token"].as_str().unwrap());
        let app = &app;
        async move {
            let (status, body) = app.post(&path, None, Some(body)).await;
            assert_eq!(status, 201, "{body}");
        }
    };
    survey(
        &a002,
        json!({"overall": 5, "attention": 5, "clarity": 4, "wait_time": 3,
        "response_time": 4, "case_type": "felicitacion", "comment": "Excelente"}),
    )
    .await;
    survey(
        &a001,
        json!({"overall": 2, "attention": 3, "clarity": 2, "wait_time": 1,
        "response_time": 2, "case_type": "denuncia", "comment": "Me pidieron dinero"}),
    )
    .await;
    survey(
        &b001,
        json!({"overall": 4, "attention": 4, "clarity": 4, "wait_time": 4,
        "response_time": 4}),
    )
    .await;
    let _ = c001;
    at(62);

    let supervisor = app.login("supervisor").await;
    let (status, text) = get(
        &app,
        "/api/v1/offices/central/report?from=2026-11-23&to=2026-11-23",
        &supervisor,
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let r: Value = serde_json::from_str(&text).unwrap();

    // Turns, B-001, C-001, A-003, A-004 issued; four called,
    // B-001 served; C-001 no-show; B-001 transferred; A-003 cancelled; A-004 waits.
    assert_eq!(
        r["turns"],
        json!({"issued": 6, "called": 4, "served": 3, "no_show": 1, "transferred": 1,
               "expired": 0, "cancelled": 1, "snoozed": 0})
    );
    // Waits (first call − issue): A-002 240, B-001 180, C-001 660, A-001 960.
    // Sorted 180, 240, 660, 960: mean 2040/4 = 510; p50 = 2nd = 240; p90 = 4th = 960.
    assert_eq!(
        r["wait_seconds"],
        json!({"count": 4, "mean": 510.0, "p50": 240.0, "p90": 960.0, "max": 960.0})
    );
    // Service (finish − start): A-002 600, B-001 240 (restarted after the transfer),
    // A-001 300. Sorted 240, 300, 600: mean 380; p50 = 2nd = 300; p90 = 3rd = 600.
    assert_eq!(
        r["service_seconds"],
        json!({"count": 3, "mean": 380.0, "p50": 300.0, "p90": 600.0, "max": 600.0})
    );
    // Targets: registro and catastro 1200 s, caja 600 s. C-001 waited 660 > 600.
    assert_eq!(
        r["within_target"],
        json!({"count": 3, "total": 4, "share": 0.75})
    );
    // Satisfaction: overall 5, 2, 4 → index 11/3 = 3.67; attention 5, 3, 4 → 4;
    // clarity 4, 2, 4 → 3.33; wait 3, 1, 4 → 2.67; response 4, 2, 4 → 3.33; 3 responses
    // for 3 served → rate 1; one below 3 and one 5 → 1/3 each.
    assert_eq!(
        r["satisfaction"],
        json!({"responses": 3, "response_rate": 1.0, "index": 3.67,
               "by_question": {"overall": 3.67, "attention": 4.0, "clarity": 3.33,
                               "wait_time": 2.67, "response_time": 3.33},
               "below_3_share": 0.3333, "top_share": 0.3333})
    );

    // registro; waits 240, 960 (mean 600); service 600, 300
    // (mean 450); surveys 5 and 2 → 3.5.
    let registro = row(&r["by_service"], "registro");
    assert_eq!(registro["turns"]["issued"], 4);
    assert_eq!(registro["turns"]["served"], 2);
    assert_eq!(registro["turns"]["cancelled"], 1);
    assert_eq!(registro["wait_seconds"]["mean"], 600.0);
    assert_eq!(registro["wait_seconds"]["p50"], 240.0);
    assert_eq!(registro["service_seconds"]["mean"], 450.0);
    assert_eq!(registro["within_target"]["share"], 1.0);
    assert_eq!(registro["satisfaction"]["index"], 3.5);
    // catastro: B-001 counts where it was issued (transferred, served in caja).
    let catastro = row(&r["by_service"], "catastro");
    assert_eq!(catastro["turns"]["issued"], 1);
    assert_eq!(catastro["turns"]["transferred"], 1);
    assert_eq!(catastro["wait_seconds"]["max"], 180.0);
    assert_eq!(catastro["satisfaction"]["index"], 4.0);
    // caja: C-001, a no-show over target; nothing served, so no response rate.
    let caja = row(&r["by_service"], "caja");
    assert_eq!(caja["turns"]["no_show"], 1);
    assert_eq!(caja["within_target"]["share"], 0.0);
    assert_eq!(caja["satisfaction"]["response_rate"], Value::Null);
    assert_eq!(caja["service_seconds"]["mean"], Value::Null);

    // Preferential: A-002 only (wait 240); general: the other five.
    assert_eq!(row(&r["by_class"], "preferential")["turns"]["issued"], 1);
    assert_eq!(
        row(&r["by_class"], "preferential")["wait_seconds"]["max"],
        240.0
    );
    assert_eq!(row(&r["by_class"], "general")["turns"]["issued"], 5);
    assert_eq!(
        row(&r["by_category"], "adulto_mayor")["satisfaction"]["index"],
        5.0
    );

    // v1 attended; v3 B-001 and C-001.
    let v1 = row(&r["by_counter"], "v1");
    assert_eq!(
        (
            v1["turns"]["served"].as_u64(),
            v1["turns"]["no_show"].as_u64()
        ),
        (Some(2), Some(0))
    );
    let v3 = row(&r["by_counter"], "v3");
    assert_eq!(
        (
            v3["turns"]["served"].as_u64(),
            v3["turns"]["no_show"].as_u64()
        ),
        (Some(1), Some(1))
    );

    // agente1 at v1: idle 0→5 (300) and 52→60 (480) = 780; paused 22→52 = 1800.
    // agente3 at v3: idle 0→5 (300) and 26→60 (2040) = 2340; paused 16→26 = 600.
    let agente1 = row(&r["by_agent"], "agente1");
    assert_eq!(agente1["idle_seconds"], 780.0);
    assert_eq!(agente1["pause_seconds"], 1800.0);
    assert_eq!(agente1["turns"]["served"], 2);
    assert_eq!(agente1["satisfaction"]["index"], 3.5);
    let agente3 = row(&r["by_agent"], "agente3");
    assert_eq!(agente3["idle_seconds"], 2340.0);
    assert_eq!(agente3["pause_seconds"], 600.0);
    assert_eq!(agente3["service_seconds"]["mean"], 240.0);

    assert_eq!(
        r["pauses"],
        json!([{"reason": "almuerzo", "count": 1, "total_seconds": 1800.0},
               {"reason": "pausa activa", "count": 1, "total_seconds": 600.0}])
    );
    // Every turn was issued between 08:00 and 09:00.
    assert_eq!(r["by_hour"].as_array().unwrap().len(), 1);
    assert_eq!(row(&r["by_hour"], "08")["turns"]["issued"], 6);
    assert_eq!(
        r["cases"],
        json!([{"type": "felicitacion", "count": 1}, {"type": "denuncia", "count": 1}])
    );

    // The same as CSV.
    let (status, csv) = get(
        &app,
        "/api/v1/offices/central/report?from=2026-11-23&to=2026-11-23&format=csv",
        &supervisor,
    )
    .await;
    assert_eq!(status, 200);
    assert!(csv.starts_with("section,id,name,metric,value\n"), "{csv}");
    assert!(csv.contains("\ntotal,,,turns.issued,6\n"), "{csv}");
    assert!(
        csv.contains("\nby_agent,agente1,agente1,idle_seconds,780.0\n"),
        "{csv}"
    );

    // Denuncias for the inspection unit.
    let (status, text) = get(
        &app,
        "/api/v1/offices/central/cases?from=2026-11-23&to=2026-11-23&type=denuncia",
        &supervisor,
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let cases: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(cases["cases"].as_array().unwrap().len(), 1);
    let case = &cases["cases"][0];
    assert_eq!(case["type"], "denuncia");
    assert_eq!(case["comment"], "Me pidieron dinero");
    assert_eq!(case["service"], "registro");
    assert_eq!(case["counter"], "v1");
    assert_eq!(case["agent"], "agente1");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_supervisors_read_reports_and_bad_ranges_are_refused() {
    let app = crate::helpers::spawn_app().await;
    let agent = app.login("agente1").await;
    let (status, text) = get(&app, "/api/v1/offices/central/report", &agent).await;
    assert_eq!(status, 403, "{text}");
    let (status, _) = get(&app, "/api/v1/offices/central/cases", &agent).await;
    assert_eq!(status, 403);
    let (status, _) = app.get("/api/v1/offices/central/report").await;
    assert_eq!(status, 401);

    let admin = app.login("admin").await;
    let (status, _) = get(&app, "/api/v1/offices/central/report", &admin).await;
    assert_eq!(status, 200, "today by default");
    for (query, status, code) in [
        ("from=2026-13-01&to=2026-12-01", 400, "invalid_date"),
        ("from=ayer&to=2026-12-01", 400, "invalid_date"),
        ("from=2026-12-02&to=2026-12-01", 422, "invalid_range"),
        ("from=2025-01-01&to=2026-12-01", 422, "range_too_long"),
        (
            "from=2026-12-01&to=2026-12-01&format=xml",
            400,
            "invalid_format",
        ),
    ] {
        let (got, text) = get(
            &app,
            &format!("/api/v1/offices/central/report?{query}"),
            &admin,
        )
        .await;
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            (got, body["error"]["code"].as_str()),
            (status, Some(code)),
            "{query}"
        );
        assert!(!body["error"]["message"].as_str().unwrap().is_empty());
    }
    let (status, _) = get(&app, "/api/v1/offices/central/cases?type=reclamo", &admin).await;
    assert_eq!(status, 422);
    let (status, _) = get(&app, "/api/v1/offices/nada/report", &admin).await;
    assert_eq!(status, 404);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pause_reason_written_as_a_formula_reaches_the_csv_as_text() {
    let app = crate::helpers::spawn_app().await;
    let agent = app.login("agente1").await;
    let (status, body) = app.counter(&agent, "v1", "open", None).await;
    assert_eq!(status, 200, "{body}");
    let reasons = [
        "=HYPERLINK(\"http://evil.example\",\"ver\")",
        "=cmd|' /C calc'!A0",
        "+1+1",
        "-1+1",
        "@SUM(A1)",
        // Spaces and tabs around a reason are trimmed on input; what is left is checked.
        "\t=1+1",
    ];
    for reason in reasons {
        let (status, body) = app
            .counter(&agent, "v1", "pause", Some(json!({ "reason": reason })))
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = app.counter(&agent, "v1", "resume", None).await;
        assert_eq!(status, 200, "{body}");
    }
    let supervisor = app.login("supervisor").await;
    let (status, csv) = get(
        &app,
        "/api/v1/offices/central/report?format=csv",
        &supervisor,
    )
    .await;
    assert_eq!(status, 200, "{csv}");
    let cells: Vec<&str> = csv
        .lines()
        .filter(|l| l.starts_with("pauses,"))
        .map(|l| l.trim_start_matches("pauses,").trim_start_matches('"'))
        .collect();
    assert!(!cells.is_empty(), "{csv}");
    for reason in reasons {
        let reason = reason.trim();
        let first = reason.split(',').next().unwrap().replace('"', "\"\"");
        assert!(
            cells.iter().any(|c| c.starts_with(&format!("'{first}"))),
            "{reason:?} neutralised in {csv}"
        );
        assert!(!cells
            .iter()
            .any(|c| c.starts_with(reason.chars().next().unwrap())));
    }
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_years_report_answers_the_same_from_kept_summaries() {
    // 08:00 in Bogotá on 23 November 2026; three days of turns, then a year's report.
    let t0: DateTime<Utc> = "2026-11-23T13:00:00Z".parse().unwrap();
    let clock = Arc::new(ManualClock::new(t0));
    let app = spawn_with(demo_config(), clock.clone()).await;
    let a1 = app.login("agente1").await;
    let sup = app.login("supervisor").await;
    for day in 0..3 {
        clock.set(t0 + Duration::days(day));
        app.issue("registro", "general").await;
        app.issue("catastro", "adulto_mayor").await;
        let (status, body) = app.counter(&a1, "v1", "open", None).await;
        assert!(status == 200 || status == 409, "{body}");
        for m in 1..=2 {
            clock.set(t0 + Duration::days(day) + Duration::minutes(3 * m));
            let (status, body) = app.counter(&a1, "v1", "call-next", None).await;
            assert_eq!(status, 200, "{body}");
            clock.set(t0 + Duration::days(day) + Duration::minutes(3 * m + 2));
            let (status, body) = app.counter(&a1, "v1", "finish", None).await;
            assert_eq!(status, 200, "{body}");
        }
    }
    let year = "/api/v1/offices/central/report?from=2025-11-26&to=2026-11-25";
    let summary = |d: &str| app.dir.path().join(format!("central/{d}.summary"));
    // The writer summarises each day it closes, off its thread: the first closed day's
    // summary comes without any report asking for it.
    let made_at_close = async {
        for _ in 0..100 {
            if summary("2026-11-23").exists() {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        false
    };
    assert!(made_at_close.await, "the day's close keeps its summary");
    // The report keeps any that are still missing.
    let (status, first) = get(&app, year, &sup).await;
    assert_eq!(status, 200, "{first}");
    assert!(summary("2026-11-23").exists() && summary("2026-11-24").exists());
    assert!(
        !summary("2026-11-25").exists(),
        "today is replayed, never kept"
    );
    let report: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(report["turns"]["issued"], 6);
    assert_eq!(report["turns"]["served"], 6);
    assert_eq!(row(&report["by_service"], "catastro")["turns"]["issued"], 3);
    // From the kept summaries: the same bytes.
    let (_, again) = get(&app, year, &sup).await;
    assert_eq!(again, first);
    // A damaged summary and a deleted one are rebuilt, with the same answer.
    let path = summary("2026-11-23");
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&path, &bytes).unwrap();
    std::fs::remove_file(summary("2026-11-24")).unwrap();
    let (_, rebuilt) = get(&app, year, &sup).await;
    assert_eq!(rebuilt, first);
    assert_ne!(std::fs::read(&path).unwrap(), bytes);
    assert!(summary("2026-11-24").exists());
    app.shutdown().await;
}
