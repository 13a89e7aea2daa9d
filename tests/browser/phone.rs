//! The citizen's phone follows its own turn: its position moves when others are called
//! and its call shows, through the turn's own feed — not one request to the API for it.

use crate::harness::{browser_available, free_port, Api, Browser, Server, ONE_AT_A_TIME};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_hears_only_its_own_turn_and_asks_nothing_for_it() {
    if !browser_available("the_phone_hears_only_its_own_turn_and_asks_nothing_for_it") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let api = Api::new(&base);
    let first = api.issue("registro", "general").await;
    let mine = api.issue("registro", "general").await;
    let token = mine["token"].as_str().unwrap();
    let b = Browser::start().await;
    b.viewport(390, 844, true).await;
    // Sockets are no resource timing entries: the page's own are recorded as they open.
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": "window.__sockets = []; const Native = window.WebSocket; window.WebSocket = class extends Native { constructor(url, p) { super(url, p); const entry = {url: String(url), open: false}; window.__sockets.push(entry); this.addEventListener('open', () => entry.open = true); } };"}),
    )
    .await;
    b.client.goto(&format!("{base}/t/{token}")).await.unwrap();
    b.wait_js(
        "document.querySelector('#ahead').textContent === '1'",
        10,
        "the phone page, one turn ahead",
    )
    .await;
    // Once its feed is up, the page's requests about the turn are counted from here.
    b.wait_js(
        "window.__sockets.some(s => s.open && s.url.includes('/tickets/') && s.url.includes('/live'))",
        10,
        "the turn's own feed",
    )
    .await;
    let asked = "performance.getEntriesByType('resource').filter(e => e.name.includes('/api/v1/tickets/') && !e.name.includes('/live')).length";
    let before = b.eval(asked).await;

    let agent = api.login("agente1").await;
    api.counter(&agent, "v1", "open", json!({})).await;
    let called = api.counter(&agent, "v1", "call-next", json!({})).await;
    assert_eq!(called["code"], first["code"]);
    b.wait_js(
        "document.querySelector('#ahead').textContent === '0'",
        10,
        "the position moved",
    )
    .await;
    api.counter(&agent, "v1", "finish", json!({})).await;
    api.counter(&agent, "v1", "call-next", json!({})).await;
    b.wait_js(
        "document.body.dataset.status === 'called'",
        10,
        "its own call",
    )
    .await;
    b.screenshot("phone-390x844-called-by-its-feed").await;
    assert!(
        b.eval("window.__sockets.every(s => !s.url.includes('/display'))")
            .await
            .as_bool()
            .unwrap(),
        "the phone no longer listens to the whole office"
    );
    assert_eq!(
        b.eval(asked).await,
        before,
        "no request to the API for the turn: the feed said it all"
    );
    b.quit().await;
}
