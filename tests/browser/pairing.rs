//! The kiosk page's pairing, in a real browser: the demo's kiosk comes paired and taps
//! more tickets than any anonymous client may take; an office that issues only at kiosks
//! shows the pairing form until a supervisor gives the kiosk its token, typed or in the
//! address's fragment, and the page keeps it.

use crate::harness::{browser_available, free_port, Browser, Server, ONE_AT_A_TIME};

/// Takes one ticket on the kiosk page by touch and comes back to the start.
async fn take_ticket(b: &Browser) -> String {
    b.tap(".service[data-service=caja]").await;
    b.wait_js(
        "document.body.dataset.view === 'category'",
        5,
        "the question",
    )
    .await;
    b.tap("#no-preference").await;
    b.wait_js("document.body.dataset.view === 'ticket'", 5, "the ticket")
        .await;
    let code = b.text("#ticket-code").await;
    b.tap("#done").await;
    b.wait_js("document.body.dataset.view === 'start'", 5, "the start")
        .await;
    code
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_kiosk_comes_paired_and_is_never_limited() {
    if !browser_available("the_demo_kiosk_comes_paired_and_is_never_limited") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let b = Browser::start().await;
    b.client
        .goto(&format!("{}/kiosk/central", server.address))
        .await
        .unwrap();
    b.viewport(1080, 1920, true).await;
    b.wait_js("document.body.dataset.view === 'start'", 10, "the kiosk")
        .await;
    let kept = b
        .eval("JSON.parse(localStorage.getItem('turnero.kiosk.central')).kiosk")
        .await;
    assert_eq!(kept, "entrada", "the demo kiosk paired itself");
    assert!(
        b.eval("document.querySelector('#pair-open').hidden").await == true,
        "a paired kiosk offers no pairing"
    );
    // More than the five an anonymous client gets in ten minutes.
    for n in 1..=7 {
        assert_eq!(take_ticket(&b).await, format!("C-{n:03}"));
    }
    b.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_only_office_is_paired_once_by_a_supervisor() {
    if !browser_available("a_kiosk_only_office_is_paired_once_by_a_supervisor") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let token = "clave-del-kiosco-de-prueba-0123456789abcdef";
    let hash = turnero_printer::agent::token_hash(token);
    let config = turnero::config::DEMO_TOML
        .replacen("ticketing = \"open\"\n", "", 1)
        .replacen(
            "name = \"Kiosco de la entrada\"\n",
            &format!("name = \"Kiosco de la entrada\"\ntoken_hash = \"{hash}\"\n"),
            1,
        );
    let path = dir.path().join("turnero.toml");
    std::fs::write(&path, config).unwrap();
    let server = Server::start_with(&dir.path().join("data"), free_port(), Some(&path));
    let base = server.address.clone();
    let b = Browser::start().await;
    b.client
        .goto(&format!("{base}/kiosk/central"))
        .await
        .unwrap();
    b.viewport(1080, 1920, true).await;
    b.wait_js(
        "document.body.dataset.view === 'pair'",
        10,
        "the pairing form",
    )
    .await;
    assert!(b.text("#pair-text").await.contains("no está vinculado"));
    b.screenshot("kiosk-1080x1920-0-pairing").await;

    // A wrong token is refused, said on the page, and nothing is kept.
    b.fill("#pair-token", "clave-equivocada-0123456789").await;
    b.click("#pair-submit").await;
    b.wait_js(
        "!document.querySelector('#pair-error').hidden",
        5,
        "the refusal",
    )
    .await;
    assert!(b.text("#pair-error").await.contains("no corresponde"));
    assert_eq!(
        b.eval("localStorage.getItem('turnero.kiosk.central')")
            .await,
        serde_json::Value::Null
    );

    // The right one: the kiosk starts, keeps its token across a reload, and issues.
    b.eval("document.querySelector('#pair-token').value = ''")
        .await;
    b.fill("#pair-token", token).await;
    b.click("#pair-submit").await;
    b.wait_js(
        "document.body.dataset.view === 'start'",
        5,
        "the paired kiosk",
    )
    .await;
    b.client.refresh().await.unwrap();
    b.wait_js(
        "document.body.dataset.view === 'start'",
        10,
        "the kiosk after a reload",
    )
    .await;
    assert_eq!(take_ticket(&b).await, "C-001");

    // Forgotten (a new browser profile, say), it is paired again from a link whose
    // fragment holds the token; the token leaves the address at once.
    b.eval("localStorage.clear()").await;
    b.client.goto("about:blank").await.unwrap();
    b.client
        .goto(&format!("{base}/kiosk/central#vincular={token}"))
        .await
        .unwrap();
    b.wait_js(
        "document.body.dataset.view === 'start'",
        10,
        "paired from the link",
    )
    .await;
    let url = b.eval("location.href").await;
    assert!(!url.as_str().unwrap().contains(token), "{url}");
    b.wait_js(
        "localStorage.getItem('turnero.kiosk.central') !== null",
        5,
        "the token kept again",
    )
    .await;
    assert_eq!(take_ticket(&b).await, "C-002");
    b.quit().await;
}
