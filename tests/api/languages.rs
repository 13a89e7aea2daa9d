//! Two languages: API errors follow `Accept-Language`; an office's names, a ticket's
//! words and the page its QR opens follow the language chosen at the kiosk.

use crate::helpers::{kiosk_token, spawn_app};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_said_in_the_language_the_client_asks_for() {
    let app = spawn_app().await;
    let ask = |language: Option<&'static str>| {
        let mut request = app
            .client
            .post(format!("{}/api/v1/offices/central/tickets", app.address))
            .bearer_auth(kiosk_token())
            .json(&json!({"service": "pasaportes"}));
        if let Some(language) = language {
            request = request.header("accept-language", language);
        }
        request.send()
    };
    for (asked, language, sentence) in [
        (None, "es", "El servicio solicitado no existe"),
        (
            Some("en-US,en;q=0.9,es;q=0.8"),
            "en",
            "The requested service",
        ),
        (Some("es-CO"), "es", "El servicio solicitado no existe"),
        (Some("fr-FR, en;q=0.5"), "en", "The requested service"),
        (Some("pt-BR"), "es", "El servicio solicitado no existe"),
    ] {
        let r = ask(asked).await.unwrap();
        assert_eq!(r.status(), 404);
        assert_eq!(r.headers()["content-language"], language, "{asked:?}");
        assert!(r.headers()["vary"]
            .to_str()
            .unwrap()
            .contains("accept-language"));
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "service_not_found");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.starts_with(sentence), "{asked:?}: {message}");
    }
    // Errors made outside any handler (no route, wrong method) too.
    let r = app
        .client
        .get(format!("{}/api/v1/nothing-here", app.address))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let body: Value = r.json().await.unwrap();
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.is_ascii(), "English: {message}");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_taken_in_english_is_english_on_screen_on_paper_and_on_the_phone() {
    let app = spawn_app().await;
    let office: Value = app
        .client
        .get(format!("{}/api/v1/offices/central", app.address))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(office["languages"], json!(["es", "en"]));
    assert_eq!(office["language"], "en");
    assert_eq!(office["services"][0]["name"], "Property Registry");
    assert_eq!(office["categories"][1]["label"], "Older adult");
    let (_, spanish) = app.get("/api/v1/offices/central").await;
    assert_eq!(spanish["language"], "es");
    assert_eq!(spanish["services"][0]["name"], "Registro de la Propiedad");

    let (status, ticket) = app
        .post_ticket(json!({"service": "registro", "category": "adulto_mayor", "language": "en"}))
        .await;
    assert_eq!(status, 201, "{ticket}");
    assert_eq!(ticket["service_name"], "Property Registry");
    assert_eq!(ticket["category_label"], "Older adult");
    let token = ticket["token"].as_str().unwrap();
    let url = ticket["status_url"].as_str().unwrap();
    assert!(url.ends_with(&format!("/t/{token}?lang=en")), "{url}");
    // Spanish, the office's own, needs no mark.
    let (_, own) = app
        .post_ticket(json!({"service": "caja", "language": "es"}))
        .await;
    assert!(
        !own["status_url"].as_str().unwrap().contains("lang="),
        "{own}"
    );

    assert_eq!(ticket["language"], "en");
    assert_eq!(own["language"], "es");
    // The turn keeps its language: read with no preference, it still says it chose English.
    let (_, read) = app.get(&format!("/api/v1/tickets/{token}")).await;
    assert_eq!(read["language"], "en");

    // On paper (a copy asked for without saying): the ticket's own words in English.
    let bytes = app
        .client
        .get(format!("{}/api/v1/tickets/{token}/escpos", app.address))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&bytes);
    for words in [
        "Your ticket",
        "Property Registry",
        "Priority service",
        "Older adult",
    ] {
        assert!(text.contains(words), "{words:?}");
    }
    assert!(!text.contains("Su turno"));

    // A language the office does not offer is refused, and nothing is issued.
    let (_, before) = app.get("/api/v1/offices/central").await;
    let (status, refused) = app
        .post_ticket(json!({"service": "registro", "language": "fr"}))
        .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"]["code"], "language_not_offered");
    let (_, after) = app.get("/api/v1/offices/central").await;
    assert_eq!(
        before["services"][0]["waiting"],
        after["services"][0]["waiting"]
    );
    let r = app
        .client
        .get(format!(
            "{}/api/v1/tickets/{token}/qr.svg?lang=de",
            app.address
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    app.shutdown().await;
}
