//! The kiosk as a citizen meets it when something is wrong on our side: a sentence they
//! can act on, never "revise la red".

use crate::harness::{browser_available, free_port, Browser, Server, ONE_AT_A_TIME};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_is_told_what_to_do_when_no_turn_can_be_given() {
    if !browser_available("a_citizen_is_told_what_to_do_when_no_turn_can_be_given") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let b = Browser::start().await;
    b.client
        .goto(&format!("{base}/kiosk/central"))
        .await
        .unwrap();
    b.viewport(1080, 1920, true).await;
    b.wait_js("document.body.dataset.view === 'start'", 10, "the kiosk")
        .await;
    // Each demo service has its pictogram, with its letter beside it.
    assert_eq!(
        b.eval("document.querySelectorAll('.service .pictogram svg').length")
            .await,
        3
    );
    assert_eq!(b.text(".service[data-service=caja] .prefix").await, "C");
    b.tap(".service[data-service=caja]").await;
    b.wait_js(
        "document.body.dataset.view === 'category'",
        5,
        "the question",
    )
    .await;
    server.kill();
    b.tap("#no-preference").await;
    b.wait_js("document.body.dataset.view === 'error'", 15, "the refusal")
        .await;
    let said = b.text("#error-text").await;
    assert_eq!(
        said,
        "En este momento no podemos entregar turnos; por favor acérquese a un orientador."
    );
    assert_eq!(b.eval("document.activeElement.id").await, "error-text");
    b.screenshot("kiosk-1080x1920-4-unavailable").await;
    b.quit().await;
}

/// The kiosk's list, the ticket it gives and the printed ticket tell one story: the people
/// ahead and the wait a service shows are those of the ticket taken from it, and minutes
/// are rounded as on paper.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_estimates_on_the_kiosk_agree_with_the_ticket() {
    if !browser_available("the_estimates_on_the_kiosk_agree_with_the_ticket") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let api = crate::harness::Api::new(&base);
    for _ in 0..3 {
        api.issue("registro", "general").await;
        api.issue("caja", "general").await;
    }
    let b = Browser::start().await;
    b.client
        .goto(&format!("{base}/kiosk/central"))
        .await
        .unwrap();
    b.viewport(1080, 1920, true).await;
    b.wait_js("document.body.dataset.view === 'start'", 10, "the kiosk")
        .await;
    // The ticket taken from the first service is ahead of the second's.
    for (service, ahead) in [("registro", 6), ("caja", 7)] {
        let listed = b
            .text(&format!(".service[data-service={service}] .meta"))
            .await;
        let office = api.get("/offices/central", None).await;
        let info = office["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == service)
            .unwrap();
        // Counter v4 serves all three services, so every turn waiting is ahead.
        assert_eq!(info["people_ahead"], ahead, "{info}");
        assert!(
            listed.starts_with(&format!("{ahead} personas antes que usted")),
            "{listed}"
        );
        // Six turns ahead, no counter open yet: minutes, never "menos de un minuto".
        assert!(!listed.contains("menos de un minuto"), "{listed}");
        let wait_listed = listed.lines().last().unwrap().to_owned();
        b.tap(&format!(".service[data-service={service}]")).await;
        b.wait_js(
            "document.body.dataset.view === 'category'",
            5,
            "the question",
        )
        .await;
        b.tap("#no-preference").await;
        b.wait_js("document.body.dataset.view === 'ticket'", 10, "the ticket")
            .await;
        assert_eq!(b.text("#ticket-ahead").await, ahead.to_string());
        let wait_on_ticket = b.text("#ticket-wait").await;
        assert!(
            wait_listed
                .to_lowercase()
                .contains(&wait_on_ticket.to_lowercase()),
            "listed {wait_listed:?}, ticket {wait_on_ticket:?}"
        );
        b.screenshot(&format!("kiosk-1080x1920-estimate-{service}"))
            .await;
        b.client
            .goto(&format!("{base}/kiosk/central"))
            .await
            .unwrap();
        b.wait_js("document.body.dataset.view === 'start'", 10, "the kiosk")
            .await;
    }
    // The screens round minutes as the printed ticket does ((s + 30) / 60).
    for seconds in [60u64, 89, 90, 749, 750, 3569, 3570] {
        let said = b
            .eval(&format!(
                "import('/assets/js/i18n.js').then(m => m.lang.waitText({seconds}))"
            ))
            .await;
        let minutes = (seconds + 30) / 60;
        let said = said.as_str().unwrap().to_owned();
        let expected = match minutes {
            1 => "un minuto".to_owned(),
            60 => "alrededor de 1 hora".to_owned(),
            m => format!("unos {m} minutos"),
        };
        assert_eq!(said, expected, "{seconds} s");
    }
    b.quit().await;
}
