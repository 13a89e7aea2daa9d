//! Joining from the door (`join`), tried as a citizen at the door and as someone far
//! away would: in `lobby` mode only the code the lobby display shows now lets an
//! anonymous turn in (an old one is refused), and only a paired display or staff may read
//! it; in `anywhere` mode each phone number takes a few turns a day; the per-address
//! limit holds in both; refusals change nothing.

use crate::helpers::{demo_config, kiosk_token, spawn_with, TestApp};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use std::sync::Arc;
use turnero::config::{Config, IssuingSpec, JoinMode, Ticketing};
use turnero::engine::clock::ManualClock;

fn office(join: JoinMode, open_limit: u32) -> Config {
    let mut config = demo_config();
    config.server.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    config.issuing = vec![(
        "central".into(),
        IssuingSpec {
            mode: Ticketing::Kiosks,
            open_limit,
            join,
            join_code_window: std::time::Duration::from_secs(300),
            join_daily_limit: 2,
            ..IssuingSpec::default()
        },
    )];
    config
}

/// An anonymous turn from `address` → (status, body, Retry-After).
async fn join(app: &TestApp, address: &str, body: Value) -> (u16, Value, Option<u64>) {
    let r = app
        .client
        .post(format!("{}/api/v1/offices/central/tickets", app.address))
        .header("x-forwarded-for", address)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let retry = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok()?.parse().ok());
    (status, r.json().await.unwrap_or(Value::Null), retry)
}

async fn join_code(app: &TestApp, token: Option<&str>) -> (u16, Value) {
    let mut request = app
        .client
        .get(format!("{}/api/v1/offices/central/join-code", app.address));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let r = request.send().await.unwrap();
    assert!(
        r.headers()
            .get("cache-control")
            .is_none_or(|v| v == "no-store"),
        "a code is never cached"
    );
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn waiting(app: &TestApp) -> u64 {
    let (_, office) = app.get("/api/v1/offices/central").await;
    office["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["waiting"].as_u64().unwrap())
        .sum()
}

fn t0() -> DateTime<Utc> {
    // 10:01 in Bogotá.
    "2026-12-01T15:01:00Z".parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_code_the_lobby_shows_now_lets_a_phone_join() {
    let clock = Arc::new(ManualClock::new(t0()));
    let app = spawn_with(office(JoinMode::Lobby, 50), clock.clone()).await;
    let (_, about) = app.get("/api/v1/offices/central").await;
    assert_eq!(about["join"], "lobby");

    // Only a paired display (a kiosk's device token) or staff reads the code.
    let (status, body) = join_code(&app, None).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (401, &json!("unauthenticated"))
    );
    let (status, _) = join_code(&app, Some("not-a-device-token-of-this-office")).await;
    assert_eq!(status, 403);
    let (status, shown) = join_code(&app, Some(&kiosk_token())).await;
    assert_eq!(status, 200, "{shown}");
    let code = shown["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 6);
    assert!(shown["url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/join/central?code={code}")));
    assert!(shown["qr_svg"].as_str().unwrap().contains("<svg"));
    assert_eq!(shown["changes_at"], "2026-12-01T10:05:00-05:00");
    let supervisor = app.login("supervisor").await;
    let (_, by_staff) = join_code(&app, Some(&supervisor)).await;
    assert_eq!(
        by_staff["code"],
        code.as_str(),
        "every reader sees the same code"
    );

    // Without a code, or a wrong one: 403, nothing issued.
    let before = waiting(&app).await;
    let (status, body, _) = join(&app, "203.0.113.1", json!({"service": "registro"})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("join_code_invalid")),
        "{body}"
    );
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("pantalla de la sala"));
    let (status, _, _) = join(
        &app,
        "203.0.113.1",
        json!({"service": "registro", "join_code": "AAAAAA"}),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(waiting(&app).await, before, "refusals change nothing");

    // The current code, as scanned or as typed.
    let (status, ticket, _) = join(
        &app,
        "203.0.113.1",
        json!({"service": "registro", "join_code": code}),
    )
    .await;
    assert_eq!(status, 201, "{ticket}");
    let typed = format!("{}-{}", code[..3].to_lowercase(), &code[3..]);
    let (status, _, _) = join(
        &app,
        "203.0.113.2",
        json!({"service": "registro", "join_code": typed}),
    )
    .await;
    assert_eq!(status, 201, "lower case, with a dash");

    // The screen moves on at 10:05: the code just replaced still works (a citizen who
    // scanned as it changed), the one before it no longer does.
    clock.set(t0() + Duration::minutes(5));
    let (_, next) = join_code(&app, Some(&kiosk_token())).await;
    assert_ne!(next["code"], code.as_str(), "a new code every five minutes");
    let (status, _, _) = join(
        &app,
        "203.0.113.3",
        json!({"service": "registro", "join_code": code}),
    )
    .await;
    assert_eq!(status, 201, "the previous code, a moment after it changed");
    clock.set(t0() + Duration::minutes(10));
    let before = waiting(&app).await;
    let (status, body, _) = join(
        &app,
        "203.0.113.3",
        json!({"service": "registro", "join_code": code}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("join_code_invalid")),
        "an old code: {body}"
    );
    assert_eq!(waiting(&app).await, before);
    let (_, now) = join_code(&app, Some(&kiosk_token())).await;
    let (status, _, _) = join(
        &app,
        "203.0.113.3",
        json!({"service": "registro", "join_code": now["code"]}),
    )
    .await;
    assert_eq!(status, 201, "the code shown now");

    // The paired kiosk and staff issue as before, with no code.
    let (status, _) = app.post_ticket(json!({"service": "registro"})).await;
    assert_eq!(status, 201);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_script_guessing_codes_spends_the_addresses_limit() {
    let clock = Arc::new(ManualClock::new(t0()));
    let app = spawn_with(office(JoinMode::Lobby, 3), clock.clone()).await;
    let (_, shown) = join_code(&app, Some(&kiosk_token())).await;
    for guess in ["AAAAAA", "CCCCCC", "DDDDDD"] {
        let (status, _, _) = join(
            &app,
            "198.51.100.7",
            json!({"service": "registro", "join_code": guess}),
        )
        .await;
        assert_eq!(status, 403);
    }
    let (status, body, retry) = join(
        &app,
        "198.51.100.7",
        json!({"service": "registro", "join_code": shown["code"]}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("too_many_requests")),
        "{body}"
    );
    assert!(retry.is_some());
    // Someone else in the lobby is not held up by it.
    let (status, _, _) = join(
        &app,
        "198.51.100.8",
        json!({"service": "registro", "join_code": shown["code"]}),
    )
    .await;
    assert_eq!(status, 201);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_anywhere_each_phone_number_takes_a_few_turns_a_day() {
    let clock = Arc::new(ManualClock::new(t0()));
    let app = spawn_with(office(JoinMode::Anywhere, 50), clock.clone()).await;
    // Anyone may read the invitation; there is no code to guard.
    let (status, shown) = join_code(&app, None).await;
    assert_eq!(status, 200, "{shown}");
    assert_eq!(shown["join"], "anywhere");
    assert_eq!(shown["code"], Value::Null);
    assert!(shown["url"].as_str().unwrap().ends_with("/join/central"));

    let (status, body, _) = join(&app, "203.0.113.10", json!({"service": "registro"})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("phone_required")),
        "{body}"
    );
    for bad in [
        "3001234567",
        "+57 300",
        "+0573001234567",
        "+57300123456789012",
    ] {
        let (status, body, _) = join(
            &app,
            "203.0.113.10",
            json!({"service": "registro", "phone": bad}),
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (422, Some("invalid_phone")),
            "{bad}: {body}"
        );
    }
    let phone = "+573001234567";
    for address in ["203.0.113.11", "203.0.113.12"] {
        let (status, body, _) = join(
            &app,
            address,
            json!({"service": "registro", "phone": phone}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
    }
    let before = waiting(&app).await;
    let (status, body, retry) = join(
        &app,
        "203.0.113.13",
        json!({"service": "registro", "phone": phone}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("join_daily_limit")),
        "{body}"
    );
    // 10:01 → midnight in Bogotá: 13 h 59 min.
    assert_eq!(retry, Some(13 * 3600 + 59 * 60));
    assert_eq!(waiting(&app).await, before);
    let (status, _, _) = join(
        &app,
        "203.0.113.13",
        json!({"service": "registro", "phone": "+573009876543"}),
    )
    .await;
    assert_eq!(status, 201, "another number");
    // The next day the number may join again.
    clock.set(t0() + Duration::days(1));
    let (status, body, _) = join(
        &app,
        "203.0.113.14",
        json!({"service": "registro", "phone": phone}),
    )
    .await;
    assert_eq!(status, 201, "{body}");

    // The number is a key of a count in memory, hashed; it is in no log.
    for entry in walk(app.dir.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("3001234567"),
            "the number is in {}",
            entry.display()
        );
    }
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_office_that_takes_no_turns_from_phones_says_so() {
    let clock = Arc::new(ManualClock::new(t0()));
    let config = office(JoinMode::Off, 50);
    let app = spawn_with(config, clock).await;
    let (status, body) = join_code(&app, Some(&kiosk_token())).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("join_off")),
        "{body}"
    );
    let (status, body, _) = join(
        &app,
        "203.0.113.20",
        json!({"service": "registro", "join_code": "ACDEFG"}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("issuing_restricted")),
        "{body}"
    );
    // The page itself loads and tells the citizen (in the browser).
    let page = app
        .client
        .get(format!("{}/join/central", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("/assets/js/join.js"));
    app.shutdown().await;
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
