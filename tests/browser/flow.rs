//! A turn's whole life across the four screens: taken on the kiosk by touch, called from
//! the agent console, shown on the lobby display within a second, and the citizen's page
//! turning to "called".

use crate::harness::{browser_available, free_port, Browser, Server, ONE_AT_A_TIME};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_turn_from_kiosk_to_console_to_display_and_phone() {
    if !browser_available("a_turn_from_kiosk_to_console_to_display_and_phone") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let b = Browser::start().await;

    // The lobby display, connected (the snapshot filled the waiting counts).
    b.client
        .goto(&format!("{base}/display/central"))
        .await
        .unwrap();
    let display = b.client.window().await.unwrap();
    b.viewport(1920, 1080, false).await;
    b.wait_js(
        "document.querySelectorAll('#waiting li').length === 3",
        10,
        "the display's snapshot",
    )
    .await;
    assert_eq!(b.text("#office").await, "Oficina Central");

    // The kiosk, by touch: Registro de la Propiedad, then "Adulto mayor".
    let kiosk = b.open_tab(&format!("{base}/kiosk/central")).await;
    b.viewport(1080, 1920, true).await;
    b.wait_js(
        "document.querySelector('.service[data-service=registro]')",
        10,
        "the kiosk's services",
    )
    .await;
    b.tap(".service[data-service=registro]").await;
    b.wait_js(
        "document.body.dataset.view === 'category'",
        5,
        "the preferential question",
    )
    .await;
    assert!(b
        .text("#category-title")
        .await
        .contains("¿Requiere atención preferencial?"));
    b.tap(".choice[data-category=adulto_mayor]").await;
    b.wait_js(
        "document.body.dataset.view === 'ticket'",
        5,
        "the ticket on screen",
    )
    .await;
    assert_eq!(b.text("#ticket-code").await, "A-001");
    assert_eq!(b.text("#ticket-ahead").await, "0");
    b.wait_js(
        "document.querySelector('#ticket-qr').naturalWidth > 0",
        5,
        "the QR code",
    )
    .await;
    let qr = b
        .eval("document.querySelector('#ticket-qr').getAttribute('src')")
        .await;
    let token = qr.as_str().unwrap().split('/').nth(4).unwrap().to_owned();

    // The citizen's page behind the QR, waiting.
    let phone = b.open_tab(&format!("{base}/t/{token}")).await;
    b.viewport(390, 844, true).await;
    b.wait_js(
        "document.body.dataset.status === 'waiting'",
        10,
        "the citizen's page",
    )
    .await;
    assert!(b.text("#card").await.contains("A-001"));

    // The agent console: sign in, pick Ventanilla 1, call the next turn.
    let agent = b.open_tab(&format!("{base}/agent")).await;
    b.viewport(1366, 768, false).await;
    b.console_at_counter("agente1", "v1").await;
    b.wait_js(
        "document.querySelector('#queue tr[data-code=\"A-001\"]')",
        10,
        "A-001 waiting",
    )
    .await;
    b.click("[data-action=call-next]").await;
    b.wait_js(
        "document.querySelector('#current-code')",
        5,
        "the called turn",
    )
    .await;
    assert_eq!(b.text("#current-code").await, "A-001");
    let acted_at = b
        .wait_js("document.body.dataset.actedAt", 5, "the call's time")
        .await;
    let acted_at: f64 = acted_at.as_str().unwrap().parse().unwrap();

    // The display shows it, highlighted, within a second of the call, and says it.
    b.switch(&display).await;
    b.wait_js(
        "document.querySelector('#now').dataset.code === 'A-001'",
        5,
        "A-001 on the display",
    )
    .await;
    let shown_at: f64 = b
        .eval("document.querySelector('#now').dataset.shownAt")
        .await
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        shown_at - acted_at < 1000.0,
        "the display showed the call {} ms after the console got it",
        shown_at - acted_at
    );
    assert_eq!(b.text("#now-counter").await, "Ventanilla 1");
    assert!(b
        .eval("document.querySelector('#now').classList.contains('fresh')")
        .await
        .as_bool()
        .unwrap());
    // The demo speaks Spanish, its own language, then English.
    assert_eq!(
        b.text("#announce").await,
        "Turno A uno, diríjase a la ventanilla uno. Ticket A, one, please go to counter one."
    );
    assert!(
        b.eval("document.querySelector('#sound').hidden")
            .await
            .as_bool()
            .unwrap(),
        "autoplay is allowed: no sound hint"
    );

    // The phone turns to "called".
    b.switch(&phone).await;
    b.wait_js(
        "document.body.dataset.status === 'called'",
        5,
        "the citizen's page called",
    )
    .await;
    assert!(b
        .text("#card")
        .await
        .contains("Su turno ha sido llamado: diríjase a Ventanilla 1"));

    // The kiosk went back to the start by itself? Not yet (25 s); "Listo" does it now.
    b.switch(&kiosk).await;
    b.tap("#done").await;
    b.wait_js(
        "document.body.dataset.view === 'start'",
        5,
        "the kiosk's start",
    )
    .await;

    // Keyboard: F finishes the turn; the phone then thanks the citizen.
    b.switch(&agent).await;
    b.eval("document.activeElement && document.activeElement.blur(), true")
        .await;
    b.press('f').await;
    b.wait_js(
        "document.body.dataset.counterState === 'open' && !document.querySelector('#current-code')",
        5,
        "the turn finished by the F key",
    )
    .await;
    b.switch(&phone).await;
    b.wait_js(
        "document.body.dataset.status === 'served'",
        5,
        "the thank-you",
    )
    .await;
    assert!(b.text("#card").await.contains("Gracias por su visita"));
    assert!(!b
        .eval("document.querySelector('#survey').hidden")
        .await
        .as_bool()
        .unwrap());

    b.quit().await;
    drop(server);
}

/// The Spanish number words and spoken sentences of the language pack, run in the browser.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_and_calls_are_spoken_in_spanish() {
    if !browser_available("numbers_and_calls_are_spoken_in_spanish") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let b = Browser::start().await;
    b.client
        .goto(&format!("{}/", server.address))
        .await
        .unwrap();
    let cases = [
        (0, "cero"),
        (1, "uno"),
        (15, "quince"),
        (16, "dieciséis"),
        (21, "veintiuno"),
        (22, "veintidós"),
        (23, "veintitrés"),
        (30, "treinta"),
        (31, "treinta y uno"),
        (99, "noventa y nueve"),
        (100, "cien"),
        (101, "ciento uno"),
        (115, "ciento quince"),
        (200, "doscientos"),
        (555, "quinientos cincuenta y cinco"),
        (999, "novecientos noventa y nueve"),
        (1000, "mil"),
        (1001, "mil uno"),
        (2024, "dos mil veinticuatro"),
        (21000, "veintiún mil"),
        (31000, "treinta y un mil"),
        (100000, "cien mil"),
        (101000, "ciento un mil"),
        (1000000, "un millón"),
        (2500000, "dos millones quinientos mil"),
    ];
    let result = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             import('/assets/i18n/es.js').then(m => done({
               words: arguments[0].map(n => m.numberToWords(n)),
               a23: m.spokenCall({code: 'A-023', counter_name: 'Ventanilla 3', recall: false}),
               b7: m.spokenCall({code: 'B-007', counter_name: 'Módulo 12', recall: true}),
               vw: m.spokenCall({code: 'VW-001', counter_name: 'Caja 2', recall: false}),
               wait: [m.waitText(30), m.waitText(60), m.waitText(540), m.waitText(4800)],
             }));",
            vec![serde_json::json!(cases
                .iter()
                .map(|c| c.0)
                .collect::<Vec<_>>())],
        )
        .await
        .unwrap();
    for (i, (n, words)) in cases.iter().enumerate() {
        assert_eq!(result["words"][i], *words, "{n}");
    }
    assert_eq!(
        result["a23"],
        "Turno A veintitrés, diríjase a la ventanilla tres."
    );
    assert_eq!(
        result["b7"],
        "Nuevo llamado. Turno be siete, diríjase al módulo doce."
    );
    assert_eq!(
        result["vw"], "Turno ve doble ve uno, diríjase a la caja dos.",
        "letters as Latin America names them"
    );
    assert_eq!(
        result["wait"],
        serde_json::json!([
            "menos de un minuto",
            "un minuto",
            "unos 9 minutos",
            "alrededor de 1 hora y 20 minutos"
        ])
    );
    b.quit().await;
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_hears_that_a_supervisor_took_its_counter() {
    if !browser_available("the_console_hears_that_a_supervisor_took_its_counter") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let api = crate::harness::Api::new(&base);
    let b = Browser::start().await;
    b.client.goto(&format!("{base}/agent")).await.unwrap();
    b.viewport(1366, 768, false).await;
    b.console_at_counter("agente1", "v1").await;

    let supervisor = api.login("supervisor").await;
    api.counter(
        &supervisor,
        "v1",
        "open",
        serde_json::json!({"take_over": true}),
    )
    .await;
    b.wait_js(
        "document.body.dataset.view === 'pick' && !document.querySelector('#flash').hidden",
        10,
        "the console back at the counters, saying why",
    )
    .await;
    let said = b.text("#flash").await;
    assert!(said.contains("supervisor tomó esta ventanilla"), "{said}");
    b.screenshot("agent-1366x768-7-taken-over").await;
    b.quit().await;
    drop(server);
}
