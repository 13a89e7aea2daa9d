//! A second language, as a visitor meets it: the kiosk's switch, a ticket taken in
//! English whose QR opens the phone page in English, the phone's own switch (kept), and
//! the kiosk back in the office's own language for the next person.

use crate::axe::{axe_available, violations};
use crate::harness::{browser_available, free_port, Browser, Server, ONE_AT_A_TIME};
use crate::links::read_qr;
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_takes_a_ticket_in_english_and_follows_it_on_the_phone() {
    let test = "a_visitor_takes_a_ticket_in_english_and_follows_it_on_the_phone";
    if !browser_available(test) || !axe_available(test) {
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
    // The switch names each language in itself; Spanish, the office's own, is pressed.
    assert_eq!(
        b.eval("[...document.querySelectorAll('#languages .lang')].map(b => b.textContent + ':' + b.getAttribute('aria-pressed')).join(' ')")
            .await,
        "Español:true English:false"
    );
    assert_eq!(
        b.text("#start-title").await,
        "Toque el trámite que viene a realizar"
    );
    b.tap("#languages .lang[data-lang=en]").await;
    b.wait_js(
        "document.documentElement.lang === 'en' && document.body.dataset.view === 'start' && document.querySelector('.service[data-service=registro] .name').textContent === 'Property Registry'",
        10,
        "the kiosk in English",
    )
    .await;
    let title = b.text("#start-title").await;
    assert!(title.is_ascii() && !title.is_empty(), "{title}");
    assert!(
        b.text(".service[data-service=registro] .meta")
            .await
            .contains("ahead of you")
            || b.text(".service[data-service=registro] .meta")
                .await
                .contains("No one"),
        "{}",
        b.text(".service[data-service=registro] .meta").await
    );
    b.screenshot("kiosk-1080x1920-english").await;
    let found = violations(&b, "kiosk in English").await;
    assert!(found.is_empty(), "{found:#?}");

    b.tap(".service[data-service=registro]").await;
    b.wait_js(
        "document.body.dataset.view === 'category'",
        5,
        "the question",
    )
    .await;
    assert_eq!(
        b.text(".choice[data-category=adulto_mayor]").await,
        "Older adult"
    );
    b.tap(".choice[data-category=adulto_mayor]").await;
    b.wait_js(
        "document.body.dataset.view === 'ticket' && document.querySelector('#ticket-qr').complete",
        10,
        "the ticket and its QR",
    )
    .await;
    assert_eq!(b.text("#ticket-service").await, "Property Registry");
    assert_eq!(b.text("#ticket-label").await, "Your ticket");
    let code = b.text("#ticket-code").await;
    b.screenshot("kiosk-1080x1920-english-ticket").await;
    let qr = b
        .client
        .find(Locator::Css("#ticket-qr"))
        .await
        .unwrap()
        .screenshot()
        .await
        .unwrap();
    let link = read_qr(&qr);
    assert!(link.starts_with(&format!("{base}/t/")), "{link}");
    assert!(
        link.ends_with("?lang=en"),
        "the QR names the language: {link}"
    );

    // The next person finds the kiosk in Spanish again.
    b.tap("#done").await;
    b.wait_js(
        "document.documentElement.lang === 'es' && document.body.dataset.view === 'start' && document.querySelector('.service[data-service=registro] .name').textContent === 'Registro de la Propiedad'",
        10,
        "the kiosk back in Spanish",
    )
    .await;
    assert_eq!(
        b.text("#start-title").await,
        "Toque el trámite que viene a realizar"
    );

    // The phone, from the QR: in English, with the same names.
    b.viewport(390, 844, true).await;
    b.client.goto(&link).await.unwrap();
    b.wait_js(
        &format!("document.body.textContent.includes('{code}') && document.documentElement.lang === 'en' && document.querySelector('#service').textContent === 'Property Registry'"),
        10,
        "the phone page in English",
    )
    .await;
    assert_eq!(b.text("#label").await, "Your ticket");
    assert_eq!(b.text("#cancel").await, "Cancel my ticket");
    b.screenshot("phone-390x844-english").await;
    let found = violations(&b, "phone page in English").await;
    assert!(found.is_empty(), "{found:#?}");

    // Its own switch moves it to Spanish, and the choice is kept on the phone.
    b.tap("#languages .lang[data-lang=es]").await;
    b.wait_js(
        "document.documentElement.lang === 'es' && document.querySelector('#service').textContent === 'Registro de la Propiedad'",
        10,
        "the phone page in Spanish",
    )
    .await;
    assert_eq!(b.text("#label").await, "Su turno");
    // The address says so too, and opened again from the QR (which says English) the
    // phone's own choice stands.
    assert!(b
        .eval("location.search")
        .await
        .as_str()
        .unwrap()
        .contains("lang=es"));
    b.client.goto(&link).await.unwrap();
    b.wait_js(
        "document.querySelector('#service').textContent === 'Registro de la Propiedad' && document.querySelector('#languages .lang[data-lang=es]')?.getAttribute('aria-pressed') === 'true'",
        10,
        "the choice kept",
    )
    .await;
    b.quit().await;
}
