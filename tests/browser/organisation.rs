//! The organisation's page in a real browser: an admin signs in and sees every office at
//! a glance; a supervisor is turned away with a sentence saying where to go.

use crate::harness::{browser_available, free_port, Api, Browser, Server, ONE_AT_A_TIME};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sees_the_whole_organisation_on_one_page() {
    let test = "an_admin_sees_the_whole_organisation_on_one_page";
    if !browser_available(test) || !crate::axe::axe_available(test) {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let api = Api::new(&base);
    let agent = api.login("agente1").await;
    api.counter(&agent, "v1", "open", json!({})).await;
    for _ in 0..3 {
        api.issue("registro", "general").await;
    }
    api.counter(&agent, "v1", "call-next", json!({})).await;

    let b = Browser::start().await;
    b.viewport(1366, 768, false).await;
    b.client
        .goto(&format!("{base}/organisation"))
        .await
        .unwrap();
    b.wait_js("document.body.dataset.view === 'login'", 10, "the sign-in")
        .await;
    b.fill("#username", "supervisor").await;
    b.fill("#password", "demo").await;
    b.click("#login-submit").await;
    b.wait_js(
        "!document.querySelector('#login-error').hidden",
        10,
        "the refusal",
    )
    .await;
    assert!(b.text("#login-error").await.contains("administradores"));
    b.client
        .find(fantoccini::Locator::Css("#username"))
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();
    b.fill("#username", "admin").await;
    b.fill("#password", "demo").await;
    b.click("#login-submit").await;
    b.wait_js(
        "document.body.dataset.view === 'board' && document.body.dataset.loadedAt",
        10,
        "the offices",
    )
    .await;
    let row = b.text("#offices tr[data-office=central]").await;
    assert!(row.contains("Oficina Central"), "{row}");
    assert!(row.contains("1 / 4"), "one counter open: {row}");
    assert!(row.contains("A-002"), "the longest wait: {row}");
    b.screenshot("organisation-1366x768").await;
    let found = crate::axe::violations(&b, "organisation").await;
    assert!(found.is_empty(), "{found:#?}");
    b.quit().await;
}
