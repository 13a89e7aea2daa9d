//! The console's "No se presentó", as an agent meets it: refused until the turn was
//! called again, asked for confirmation (the safe answer focused), and taken back within
//! a minute when the citizen turns up.

use crate::harness::{browser_available, free_port, Browser, Server, ONE_AT_A_TIME};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_no_show_needs_a_recall_and_a_confirmation_and_can_be_undone() {
    if !browser_available("a_no_show_needs_a_recall_and_a_confirmation_and_can_be_undone") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let api = crate::harness::Api::new(&base);
    let ticket = api.issue("registro", "general").await;
    let b = Browser::start().await;
    b.client.goto(&format!("{base}/agent")).await.unwrap();
    b.viewport(1366, 768, false).await;
    b.console_at_counter("agente1", "v1").await;
    b.click("[data-action=call-next]").await;
    b.wait_js(
        "document.querySelector('#current-code')",
        5,
        "the called turn",
    )
    .await;
    // Said, and the next useful button has the focus.
    b.wait_js(
        "document.activeElement && document.activeElement.dataset.action === 'start'",
        5,
        "the focus on Iniciar atención",
    )
    .await;
    assert!(b.text("#flash").await.contains("A-001"));

    // Asked first; the answer in focus is "Cancelar".
    b.click("[data-action=no-show]").await;
    b.wait_js(
        "document.querySelector('#dlg-noshow').open",
        5,
        "the question",
    )
    .await;
    assert!(b.text("#noshow-title").await.contains("A-001"));
    assert_eq!(
        b.eval("document.activeElement.classList.contains('cancel-btn')")
            .await,
        true
    );
    b.screenshot("agent-1366x768-no-show-question").await;
    b.click("#dlg-noshow .confirm-btn").await;
    // Not yet: the office's rule asks for a recall first.
    b.wait_js("!document.querySelector('#flash').hidden", 5, "the refusal")
        .await;
    assert!(b.text("#flash").await.contains("vuelva a llamar"));
    let token = ticket["token"].as_str().unwrap();
    assert_eq!(
        api.get(&format!("/tickets/{token}"), None).await["status"],
        "called"
    );

    b.click("[data-action=recall]").await;
    b.wait_js(
        "document.querySelector('[data-action=recall] .count').textContent.includes('1')",
        5,
        "the recall counted",
    )
    .await;
    b.click("[data-action=no-show]").await;
    b.wait_js(
        "document.querySelector('#dlg-noshow').open",
        5,
        "the question",
    )
    .await;
    b.click("#dlg-noshow .confirm-btn").await;
    b.wait_js("!document.querySelector('#undo-bar').hidden", 5, "the undo")
        .await;
    assert!(b.text("#undo-text").await.contains("A-001"));
    b.screenshot("agent-1366x768-no-show-undo").await;
    assert_eq!(
        api.get(&format!("/tickets/{token}"), None).await["status"],
        "no_show"
    );

    // The citizen turns up: taken back, called again at this counter.
    b.click("#undo-noshow").await;
    b.wait_js(
        "document.querySelector('#undo-bar').hidden && document.querySelector('#current-code')",
        5,
        "the turn back at the counter",
    )
    .await;
    assert_eq!(b.text("#current-code").await, "A-001");
    let back = api.get(&format!("/tickets/{token}"), None).await;
    assert_eq!(
        (back["status"].as_str(), back["counter"].as_str()),
        (Some("called"), Some("v1"))
    );
    b.quit().await;
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_says_when_it_cannot_reach_the_server_and_clears_it_when_back() {
    if !browser_available(
        "the_console_says_when_it_cannot_reach_the_server_and_clears_it_when_back",
    ) {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = Server::start(data.path(), port);
    let base = server.address.clone();
    let b = Browser::start().await;
    b.client.goto(&format!("{base}/agent")).await.unwrap();
    b.viewport(1366, 768, false).await;
    b.console_at_counter("agente1", "v1").await;
    b.wait_js("document.body.dataset.online === 'true'", 10, "online")
        .await;
    assert_eq!(b.text("#conn-state").await, "Conectado");

    server.kill();
    b.wait_js(
        "document.body.dataset.online === 'false'",
        20,
        "the outage seen",
    )
    .await;
    assert!(b.text("#conn-state").await.contains("Sin conexión"));
    b.click("[data-action=call-next]").await;
    b.wait_js(
        "!document.querySelector('#flash').hidden",
        10,
        "the failed action said",
    )
    .await;
    b.screenshot("agent-1366x768-offline").await;

    // Back: the state clears by itself, and so does the network notice.
    let _server = Server::start(data.path(), port);
    b.wait_js(
        "document.body.dataset.online === 'true' && document.querySelector('#flash').hidden",
        20,
        "back online",
    )
    .await;
    assert_eq!(b.text("#conn-state").await, "Conectado");
    b.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kiosk_and_the_console_work_from_the_keyboard_alone() {
    if !browser_available("the_kiosk_and_the_console_work_from_the_keyboard_alone") {
        return;
    }
    const TAB: char = '\u{E004}';
    const ENTER: char = '\u{E007}';
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let b = Browser::start().await;
    b.client
        .goto(&format!("{base}/kiosk/central"))
        .await
        .unwrap();
    b.viewport(1080, 1920, false).await;
    b.wait_js("document.body.dataset.view === 'start'", 10, "the kiosk")
        .await;
    // Tab to the first service and take it; each step brings the focus to its heading.
    let mut reached = false;
    for _ in 0..10 {
        b.press(TAB).await;
        if b.eval("document.activeElement.dataset.service === 'registro'")
            .await
            == true
        {
            reached = true;
            break;
        }
    }
    assert!(reached, "the services are reached with Tab");
    b.press(ENTER).await;
    b.wait_js(
        "document.body.dataset.view === 'category'",
        5,
        "the question",
    )
    .await;
    assert_eq!(b.eval("document.activeElement.id").await, "category-title");
    let mut reached = false;
    for _ in 0..12 {
        b.press(TAB).await;
        if b.eval("document.activeElement.id === 'no-preference'")
            .await
            == true
        {
            reached = true;
            break;
        }
    }
    assert!(reached, "«No» is reached with Tab");
    b.press(ENTER).await;
    b.wait_js("document.body.dataset.view === 'ticket'", 5, "the ticket")
        .await;
    assert_eq!(b.text("#ticket-code").await, "A-001");

    // The console by its shortcuts: L calls, I starts, F finishes.
    b.client.goto(&format!("{base}/agent")).await.unwrap();
    b.viewport(1366, 768, false).await;
    b.console_at_counter("agente1", "v1").await;
    b.eval("document.activeElement.blur()").await;
    b.press('l').await;
    b.wait_js("document.querySelector('#current-code')", 5, "called by L")
        .await;
    b.wait_js(
        "!document.querySelector('[data-action=start]').disabled",
        5,
        "ready",
    )
    .await;
    b.eval("document.activeElement.blur()").await;
    b.press('i').await;
    b.wait_js(
        "document.body.dataset.counterState === 'serving'",
        5,
        "started by I",
    )
    .await;
    b.eval("document.activeElement.blur()").await;
    b.press('f').await;
    b.wait_js(
        "!document.querySelector('#current-code')",
        5,
        "finished by F",
    )
    .await;
    b.quit().await;
}
