//! Who may take a turn, tried as a hostile client would: an anonymous flood is limited
//! per address while citizens elsewhere, paired kiosks and staff carry on; an office that
//! issues only at kiosks refuses everyone else; a flood is cancelled in bulk by address
//! or device.

use crate::helpers::{demo_config, kiosk_token, spawn_with, TestApp};
use serde_json::{json, Value};
use std::sync::Arc;
use turnero::config::{Config, IssuingSpec, Ticketing};
use turnero::engine::clock::SystemClock;

/// The demo office behind a trusted proxy (so tests can speak from many addresses),
/// issuing as `mode` with `open_limit` turns per address.
fn office(mode: Ticketing, open_limit: u32) -> Config {
    let mut config = demo_config();
    config.server.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    config.issuing = vec![(
        "central".into(),
        IssuingSpec {
            mode,
            open_limit,
            ..IssuingSpec::default()
        },
    )];
    config
}

/// `POST /offices/central/tickets` from `address` with an optional bearer token.
async fn take(
    app: &TestApp,
    address: &str,
    token: Option<&str>,
    body: Value,
) -> (u16, Value, Option<u64>) {
    let mut request = app
        .client
        .post(format!("{}/api/v1/offices/central/tickets", app.address))
        .header("x-forwarded-for", address)
        .json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let r = request.send().await.unwrap();
    let status = r.status().as_u16();
    let retry = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok()?.parse().ok());
    (status, r.json().await.unwrap_or(Value::Null), retry)
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_flood_is_limited_while_citizens_kiosks_and_staff_carry_on() {
    let app = spawn_with(office(Ticketing::Open, 5), Arc::new(SystemClock)).await;
    let registro = json!({"service": "registro"});

    // Thirty at once from one address: exactly its five get through, however they race.
    let flood: Vec<_> = (0..30)
        .map(|_| {
            let client = app.client.clone();
            let url = format!("{}/api/v1/offices/central/tickets", app.address);
            tokio::spawn(async move {
                let r = client
                    .post(url)
                    .header("x-forwarded-for", "203.0.113.66")
                    .json(&json!({"service": "caja"}))
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                let retry: Option<u64> = r
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok()?.parse().ok());
                (status, retry, r.json::<Value>().await.unwrap())
            })
        })
        .collect();
    let mut issued = 0;
    for answer in flood {
        let (status, retry, body) = answer.await.unwrap();
        match status {
            201 => issued += 1,
            429 => {
                assert_eq!(body["error"]["code"], "too_many_requests");
                let message = body["error"]["message"].as_str().unwrap();
                assert!(message.contains("espere unos minutos"), "{message}");
                let retry = retry.expect("a 429 says when to come back");
                assert!(
                    (1..=600).contains(&retry),
                    "within the 10-minute window: {retry}"
                );
            }
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(issued, 5, "the limit holds under concurrency");
    assert_eq!(waiting(&app).await, 5);

    // A citizen at another address is not affected.
    let (status, body, _) = take(&app, "198.51.100.7", None, registro.clone()).await;
    assert_eq!(status, 201, "{body}");

    // The paired kiosk and staff are never limited.
    for _ in 0..12 {
        let (status, body, _) =
            take(&app, "203.0.113.66", Some(&kiosk_token()), registro.clone()).await;
        assert_eq!(status, 201, "{body}");
    }
    let agent = app.login("agente1").await;
    for _ in 0..6 {
        let (status, body, _) = take(&app, "203.0.113.66", Some(&agent), registro.clone()).await;
        assert_eq!(status, 201, "{body}");
    }
    // Still refused anonymously.
    let (status, _, _) = take(&app, "203.0.113.66", None, registro).await;
    assert_eq!(status, 429);
    assert_eq!(waiting(&app).await, 5 + 1 + 12 + 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_office_that_issues_at_kiosks_refuses_everyone_else() {
    let app = spawn_with(office(Ticketing::Kiosks, 5), Arc::new(SystemClock)).await;
    let registro = json!({"service": "registro"});

    let (status, body, _) = take(&app, "198.51.100.7", None, registro.clone()).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"]["code"], "issuing_restricted");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("kiosco"));

    let (status, body, _) = take(
        &app,
        "198.51.100.7",
        Some("una-clave-inventada-0123456789"),
        registro.clone(),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("device_token_invalid"))
    );

    let (status, body, _) = take(
        &app,
        "198.51.100.7",
        Some("forged.session"),
        registro.clone(),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("session_invalid")),
        "staff are told to sign in again"
    );
    assert_eq!(waiting(&app).await, 0, "nothing was issued");

    let (status, ticket, _) = take(&app, "10.0.0.9", Some(&kiosk_token()), registro.clone()).await;
    assert_eq!(status, 201, "{ticket}");
    assert!(
        ticket["print"].is_null(),
        "the demo kiosk has no printer: {ticket}"
    );
    let agent = app.login("agente2").await;
    let (status, body, _) = take(&app, "10.0.0.9", Some(&agent), registro.clone()).await;
    assert_eq!(status, 201, "{body}");

    // A kiosk proves itself before a supervisor keeps its token on the page.
    let me = |token: &'static str| {
        let client = app.client.clone();
        let url = format!("{}/api/v1/offices/central/kiosks/me", app.address);
        async move {
            let mut request = client.get(url);
            if !token.is_empty() {
                request = request.bearer_auth(token);
            }
            let r = request.send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let token: &'static str = Box::leak(kiosk_token().into_boxed_str());
    let (status, kiosk) = me(token).await;
    assert_eq!(status, 200, "{kiosk}");
    assert_eq!(
        kiosk,
        json!({"id": "entrada", "name": "Kiosco de la entrada", "prints": false})
    );
    assert_eq!(me("clave-equivocada-0123456789").await.0, 403);
    assert_eq!(me("").await.0, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_prints_only_as_itself_and_anonymous_clients_on_none() {
    let app = spawn_with(office(Ticketing::Open, 5), Arc::new(SystemClock)).await;
    let (status, body, _) = take(
        &app,
        "198.51.100.7",
        None,
        json!({"service": "registro", "kiosk": "entrada"}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("kiosk_not_paired"))
    );
    let (status, body, _) = take(
        &app,
        "198.51.100.7",
        Some(&kiosk_token()),
        json!({"service": "registro", "kiosk": "otro"}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("kiosk_mismatch"))
    );
    let supervisor = app.login("supervisor").await;
    let (status, body, _) = take(
        &app,
        "198.51.100.7",
        Some(&supervisor),
        json!({"service": "registro", "kiosk": "otro"}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("kiosk_not_found"))
    );
    assert_eq!(waiting(&app).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_kiosk_tokens_is_throttled_per_address() {
    let app = spawn_with(office(Ticketing::Kiosks, 5), Arc::new(SystemClock)).await;
    let registro = json!({"service": "registro"});
    let mut statuses = Vec::new();
    for i in 0..25 {
        let guess = format!("adivinanza-numero-{i}-0123456789");
        let (status, _, retry) = take(&app, "203.0.113.9", Some(&guess), registro.clone()).await;
        statuses.push(status);
        if status == 429 {
            assert!(retry.is_some_and(|s| (1..=300).contains(&s)), "{retry:?}");
        }
    }
    assert_eq!(&statuses[..20], &[403; 20]);
    assert_eq!(
        &statuses[20..],
        &[429; 5],
        "after 20 wrong tokens the address waits"
    );
    // The real kiosk, elsewhere, is not locked out.
    let (status, body, _) = take(&app, "10.0.0.9", Some(&kiosk_token()), registro).await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_sees_where_a_flood_came_from_and_cancels_it_at_once() {
    let app = spawn_with(office(Ticketing::Open, 100), Arc::new(SystemClock)).await;
    for i in 0..40 {
        let service = ["registro", "catastro"][i % 2];
        let (status, body, _) = take(&app, "203.0.113.66", None, json!({"service": service})).await;
        assert_eq!(status, 201, "{body}");
    }
    for _ in 0..3 {
        let (status, _, _) = take(
            &app,
            "10.0.0.9",
            Some(&kiosk_token()),
            json!({"service": "registro"}),
        )
        .await;
        assert_eq!(status, 201);
    }
    let (status, citizen, _) =
        take(&app, "198.51.100.7", None, json!({"service": "registro"})).await;
    assert_eq!(status, 201);

    let supervisor = app.login("supervisor").await;
    let get = |path: &'static str, token: String| {
        let client = app.client.clone();
        let url = format!("{}{path}", app.address);
        async move {
            let r = client.get(url).bearer_auth(token).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let (status, issuers) = get(
        "/api/v1/offices/central/tickets/issuers",
        supervisor.clone(),
    )
    .await;
    assert_eq!(status, 200, "{issuers}");
    assert_eq!(
        issuers[0],
        json!({"kind": "address", "id": "203.0.113.66", "issued": 40, "waiting": 40})
    );
    assert_eq!(
        issuers[1],
        json!({"kind": "kiosk", "id": "entrada", "issued": 3, "waiting": 3})
    );
    let agent = app.login("agente1").await;
    assert_eq!(
        get("/api/v1/offices/central/tickets/issuers", agent.clone())
            .await
            .0,
        403
    );

    let cancel = |body: Value, token: &str| {
        let app = &app;
        let token = token.to_owned();
        async move {
            app.post(
                "/api/v1/offices/central/tickets/cancel",
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    assert_eq!(
        cancel(json!({"address": "203.0.113.66"}), &agent).await.0,
        403
    );
    let (status, body) = cancel(json!({}), &supervisor).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("selection_required"))
    );
    let (status, body) = cancel(json!({"address": "no es una IP"}), &supervisor).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid_address"))
    );
    assert_eq!(waiting(&app).await, 44, "refusals change nothing");

    // Only catastro first, then the rest of that address.
    let (status, body) = cancel(
        json!({"address": "203.0.113.66", "service": "catastro"}),
        &supervisor,
    )
    .await;
    assert_eq!(
        (status, body["cancelled"].as_u64()),
        (200, Some(20)),
        "{body}"
    );
    let (status, body) = cancel(json!({"address": "203.0.113.66"}), &supervisor).await;
    assert_eq!(
        (status, body["cancelled"].as_u64()),
        (200, Some(20)),
        "{body}"
    );
    assert_eq!(
        waiting(&app).await,
        4,
        "the kiosk's turns and the citizen's stay"
    );
    let (_, mine) = app
        .get(&format!(
            "/api/v1/tickets/{}",
            citizen["token"].as_str().unwrap()
        ))
        .await;
    assert_eq!(mine["status"], "waiting");

    let (status, body) = cancel(json!({"kiosk": "entrada"}), &supervisor).await;
    assert_eq!(
        (status, body["cancelled"].as_u64()),
        (200, Some(3)),
        "{body}"
    );
    assert_eq!(waiting(&app).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotating_through_an_ipv6_network_does_not_escape_the_limit() {
    let app = spawn_with(office(Ticketing::Open, 5), Arc::new(SystemClock)).await;
    let mut statuses = Vec::new();
    for i in 1..=8 {
        let from = format!("2001:db8:77:1::{i:x}");
        statuses.push(take(&app, &from, None, json!({"service": "caja"})).await.0);
    }
    assert_eq!(statuses, [201, 201, 201, 201, 201, 429, 429, 429]);
    let (status, body, _) = take(&app, "2001:db8:77:2::1", None, json!({"service": "caja"})).await;
    assert_eq!(status, 201, "another network is another subscriber: {body}");

    let supervisor = app.login("supervisor").await;
    let (status, body) = app
        .post(
            "/api/v1/offices/central/tickets/cancel",
            Some(&supervisor),
            Some(json!({"address": "2001:db8:77:1::abcd"})),
        )
        .await;
    assert_eq!(
        (status, body["cancelled"].as_u64()),
        (200, Some(5)),
        "{body}"
    );
}
