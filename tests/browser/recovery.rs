//! The lobby display heals by itself: the server is killed and started again on the same
//! port and data folder, and a new call shows on the same page, never reloaded.

use crate::harness::{browser_available, free_port, Api, Browser, Server, ONE_AT_A_TIME};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_display_recovers_after_a_server_restart() {
    if !browser_available("the_display_recovers_after_a_server_restart") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = Server::start(data.path(), port);
    let api = Api::new(&server.address);
    let b = Browser::start().await;
    b.client
        .goto(&format!("{}/display/central", server.address))
        .await
        .unwrap();
    b.viewport(1280, 720, false).await;
    b.wait_js(
        "document.querySelectorAll('#waiting li').length === 3",
        10,
        "the snapshot",
    )
    .await;

    let agent = api.login("agente4").await;
    api.counter(&agent, "v4", "open", json!({})).await;
    api.issue("caja", "general").await;
    api.counter(&agent, "v4", "call-next", json!({})).await;
    b.wait_js(
        "document.querySelector('#now').dataset.code === 'C-001'",
        5,
        "C-001",
    )
    .await;
    // A mark that a reload would erase.
    b.eval("window.sameLifetime = 42").await;

    server.kill();
    b.wait_js(
        "!document.querySelector('#conn').hidden",
        10,
        "the connection notice",
    )
    .await;
    assert!(b.text("#conn").await.starts_with("Sin conexión"));

    let server = Server::start(data.path(), port);
    let api = Api::new(&server.address);
    api.counter(&agent, "v4", "finish", json!({})).await;
    api.issue("registro", "embarazada").await;
    api.counter(&agent, "v4", "call-next", json!({})).await;

    // Backoff after the kill is 1 s, 2 s, 4 s… (with jitter): well within 20 s.
    b.wait_js(
        "document.querySelector('#now').dataset.code === 'A-001'",
        20,
        "the call after the restart",
    )
    .await;
    b.wait_js(
        "document.querySelector('#conn').hidden",
        5,
        "the notice gone",
    )
    .await;
    assert_eq!(
        b.eval("window.sameLifetime").await,
        json!(42),
        "the page was reloaded"
    );
    assert_eq!(b.text("#now-counter").await, "Ventanilla 4");
    assert!(b.text("#history").await.contains("C-001"));
    b.screenshot("display-1280x720-after-restart").await;

    b.quit().await;
    drop(server);
}
