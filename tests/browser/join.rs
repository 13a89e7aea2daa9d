//! Joining from the door in a real browser: the lobby display shows the join QR and the
//! code that changes every few minutes (it is paired, like a kiosk); the QR read off
//! its screenshot opens the join page on a phone, whose steps give a ticket on the phone
//! page; an old code is refused and the citizen types the one shown now.

use crate::harness::{
    browser_available, demo_config_file, free_port, Api, Browser, Server, ONE_AT_A_TIME,
};

const DISPLAY_TOKEN: &str = "lobby-display-token-0123456789abcdef";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_joins_from_the_lobby_with_the_screens_code() {
    let test = "a_citizen_joins_from_the_lobby_with_the_screens_code";
    if !browser_available(test) || !crate::axe::axe_available(test) {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let config = demo_config_file(data.path(), "join = \"lobby\"\njoin_code_minutes = 5");
    // The lobby's screen is paired as the office's kiosks are: a device token.
    let text = std::fs::read_to_string(&config).unwrap().replacen(
        "name = \"Kiosco de la entrada\"\n",
        &format!(
            "name = \"Kiosco de la entrada\"\n\n[[offices.kiosks]]\nid = \"sala\"\nname = \"Pantalla de la sala\"\ntoken_hash = \"{}\"\n",
            turnero_printer::agent::token_hash(DISPLAY_TOKEN)
        ),
        1,
    );
    std::fs::write(&config, text).unwrap();
    let server = Server::start_with(data.path(), free_port(), Some(&config));
    let base = server.address.clone();
    let api = Api::new(&base);

    let b = Browser::start().await;
    b.viewport(1920, 1080, false).await;
    b.client
        .goto(&format!("{base}/display/central#vincular={DISPLAY_TOKEN}"))
        .await
        .unwrap();
    let code = b
        .wait_js(
            "document.body.dataset.joinCode",
            10,
            "the join code on the screen",
        )
        .await
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(code.len(), 6);
    assert!(b.text("#join-code").await.contains(&code));
    let shot = b.screenshot("display-1920x1080-join").await;
    let url = crate::links::read_qr(&std::fs::read(shot).unwrap());
    assert_eq!(
        url,
        format!("{base}/join/central?code={code}"),
        "the screen's QR"
    );

    // The phone opens the QR: service, preferential question, and the turn on the phone.
    b.viewport(390, 844, true).await;
    b.client.goto(&url).await.unwrap();
    b.wait_js(
        "document.body.dataset.view === 'services'",
        10,
        "the services",
    )
    .await;
    b.screenshot("join-390x844-1-services").await;
    let found = crate::axe::violations(&b, "join, services").await;
    assert!(found.is_empty(), "{found:#?}");
    b.click("[data-service=\"registro\"]").await;
    b.wait_js(
        "document.body.dataset.view === 'category'",
        10,
        "the preferential question",
    )
    .await;
    b.screenshot("join-390x844-2-category").await;
    let found = crate::axe::violations(&b, "join, category").await;
    assert!(found.is_empty(), "{found:#?}");
    b.click("#no-preference").await;
    b.wait_js(
        "location.pathname.startsWith('/t/') && document.body.dataset.status === 'waiting'",
        10,
        "the turn on the phone page",
    )
    .await;
    let token = b
        .eval("location.pathname.slice(3)")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    let ticket = api.get(&format!("/tickets/{token}"), None).await;
    assert_eq!(ticket["service"], "registro");
    assert_eq!(ticket["status"], "waiting");
    b.screenshot("join-390x844-3-ticket").await;

    // A code from an old photo of the screen: refused, and the citizen types today's.
    b.client
        .goto(&format!("{base}/join/central?code=AAAAAA"))
        .await
        .unwrap();
    b.wait_js(
        "document.body.dataset.view === 'services'",
        10,
        "the services",
    )
    .await;
    b.click("[data-service=\"catastro\"]").await;
    b.wait_js(
        "document.body.dataset.view === 'category'",
        10,
        "the question",
    )
    .await;
    b.click("#no-preference").await;
    b.wait_js(
        "document.body.dataset.view === 'proof' && !document.querySelector('#proof-error').hidden",
        10,
        "the code refused",
    )
    .await;
    assert!(b.text("#proof-error").await.contains("pantalla de la sala"));
    b.screenshot("join-390x844-4-old-code").await;
    let found = crate::axe::violations(&b, "join, code refused").await;
    assert!(found.is_empty(), "{found:#?}");
    b.fill("#join-code", &code.to_lowercase()).await;
    b.click("#proof-submit").await;
    b.wait_js(
        "location.pathname.startsWith('/t/') && document.body.dataset.status === 'waiting'",
        10,
        "the turn, with the code typed",
    )
    .await;
    b.quit().await;
}
