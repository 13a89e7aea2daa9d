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
