//! Accessibility as a gate: axe-core on every screen in each of its states finds no
//! critical or serious violation.

use crate::axe::{axe_available, violations};
use crate::harness::{browser_available, free_port, Api, Browser, Server, ONE_AT_A_TIME};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_nothing_critical_or_serious_on_any_screen() {
    let name = "axe_finds_nothing_critical_or_serious_on_any_screen";
    if !browser_available(name) || !axe_available(name) {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let api = Api::new(&base);
    let b = Browser::start().await;
    let mut found = Vec::new();
    let go = |path: &str| format!("{base}{path}");

    // Landing page and lobby display.
    b.client.goto(&go("/")).await.unwrap();
    b.viewport(1366, 768, false).await;
    b.wait_js("document.readyState === 'complete'", 10, "the landing page")
        .await;
    found.extend(violations(&b, "landing").await);
    let served = api.issue("registro", "general").await;
    let waiting = api.issue("caja", "adulto_mayor").await;
    let a1 = api.login("agente1").await;
    api.counter(&a1, "v1", "open", json!({})).await;
    api.counter(&a1, "v1", "call-next", json!({})).await;
    b.client.goto(&go("/display/central")).await.unwrap();
    b.viewport(1920, 1080, false).await;
    b.wait_js(
        "document.querySelectorAll('#waiting li').length === 3",
        10,
        "the display",
    )
    .await;
    found.extend(violations(&b, "display").await);

    // The kiosk: start, the preferential question, the ticket, the pairing form.
    b.client.goto(&go("/kiosk/central")).await.unwrap();
    b.viewport(1080, 1920, true).await;
    b.wait_js("document.body.dataset.view === 'start'", 10, "the kiosk")
        .await;
    found.extend(violations(&b, "kiosk start").await);
    b.tap(".service[data-service=catastro]").await;
    b.wait_js(
        "document.body.dataset.view === 'category'",
        5,
        "the question",
    )
    .await;
    found.extend(violations(&b, "kiosk category").await);
    b.tap("#no-preference").await;
    b.wait_js("document.body.dataset.view === 'ticket'", 5, "the ticket")
        .await;
    found.extend(violations(&b, "kiosk ticket").await);
    b.eval("document.querySelector('#pair-open').click()").await;
    b.wait_js(
        "document.body.dataset.view === 'pair'",
        5,
        "the pairing form",
    )
    .await;
    found.extend(violations(&b, "kiosk pairing").await);

    // The citizen's page, waiting and then served with its survey.
    let token = waiting["token"].as_str().unwrap();
    b.client.goto(&go(&format!("/t/{token}"))).await.unwrap();
    b.viewport(390, 844, true).await;
    b.wait_js(
        "document.body.dataset.status === 'waiting'",
        10,
        "the phone page",
    )
    .await;
    found.extend(violations(&b, "ticket waiting").await);
    api.counter(&a1, "v1", "start", json!({})).await;
    api.counter(&a1, "v1", "finish", json!({})).await;
    let token = served["token"].as_str().unwrap();
    b.client.goto(&go(&format!("/t/{token}"))).await.unwrap();
    b.wait_js(
        "document.body.dataset.status === 'served'",
        10,
        "the served turn",
    )
    .await;
    found.extend(violations(&b, "ticket served with survey").await);

    // The console: sign-in, the choice of counter, the desk with a turn, the no-show question.
    b.client.goto(&go("/agent")).await.unwrap();
    b.viewport(1366, 768, false).await;
    b.wait_js("document.body.dataset.view === 'login'", 10, "the sign-in")
        .await;
    found.extend(violations(&b, "agent sign-in").await);
    b.fill("#username", "agente3").await;
    b.fill("#password", "demo").await;
    b.click("#login-submit").await;
    b.wait_js(
        "document.querySelector('[data-counter=v3]')",
        10,
        "the counters",
    )
    .await;
    found.extend(violations(&b, "agent counters").await);
    b.click("[data-counter=v3]").await;
    b.wait_js(
        "document.body.dataset.counterState === 'open'",
        10,
        "the desk",
    )
    .await;
    b.click("[data-action=call-next]").await;
    b.wait_js(
        "document.querySelector('#current-code')",
        5,
        "a turn at the desk",
    )
    .await;
    found.extend(violations(&b, "agent desk").await);
    b.click("[data-action=no-show]").await;
    b.wait_js(
        "document.querySelector('#dlg-noshow').open",
        5,
        "the question",
    )
    .await;
    found.extend(violations(&b, "agent no-show question").await);

    // The supervisor: sign-in, today live, the report.
    b.client.goto(&go("/supervisor")).await.unwrap();
    b.wait_js("document.querySelector('#username')", 10, "the sign-in")
        .await;
    found.extend(violations(&b, "supervisor sign-in").await);
    b.fill("#username", "supervisor").await;
    b.fill("#password", "demo").await;
    b.click("#login-submit").await;
    b.wait_js("document.body.dataset.liveAt", 15, "today live")
        .await;
    found.extend(violations(&b, "supervisor live").await);
    b.click("#tab-report").await;
    b.wait_js("document.body.dataset.report === 'ready'", 15, "the report")
        .await;
    found.extend(violations(&b, "supervisor report").await);

    b.quit().await;
    assert!(found.is_empty(), "axe-core found:\n{}", found.join("\n"));
}
