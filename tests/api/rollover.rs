//! The day ends at local midnight in the office's zone: waiting turns expire and numbering
//! starts again.

use crate::helpers::{demo_config, spawn_with};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use turnero::engine::clock::ManualClock;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn midnight_in_bogota_expires_waiting_turns_and_restarts_numbering() {
    // 23:59:58 in Bogotá (UTC-5) is 04:59:58 UTC the next calendar day.
    let start: DateTime<Utc> = "2026-11-24T04:59:58Z".parse().unwrap();
    let clock = Arc::new(ManualClock::new(start));
    let app = spawn_with(demo_config(), clock.clone()).await;
    let before = app.issue("registro", "general").await;
    assert_eq!(before["code"], "A-001");
    assert!(before["issued_at"]
        .as_str()
        .unwrap()
        .starts_with("2026-11-23T23:59:58-05:00"));
    app.issue("registro", "general").await;

    clock.advance(Duration::seconds(5));
    // The writer checks the day at least once a second; a command also triggers it.
    let after = app.issue("registro", "general").await;
    assert_eq!(after["code"], "A-001", "a new day, a new numbering");
    assert!(after["issued_at"]
        .as_str()
        .unwrap()
        .starts_with("2026-11-24T00:00:03-05:00"));

    let (_, old) = app
        .get(&format!(
            "/api/v1/tickets/{}",
            before["token"].as_str().unwrap()
        ))
        .await;
    assert_eq!(old["status"], "expired");
    let (_, office) = app.get("/api/v1/offices/central").await;
    assert_eq!(office["services"][0]["waiting"], 1);
    assert!(app.dir.path().join("central/2026-11-23.log").exists());
    assert!(app.dir.path().join("central/2026-11-24.log").exists());
    app.shutdown().await;
}
