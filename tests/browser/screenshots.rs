//! Every screen at the size of the device it is made for, with realistic data, saved as
//! PNG under tests/artifacts/ to be looked at. The checks here are about layout: nothing
//! spills out of the screen, and no style the Content-Security-Policy refuses.

use crate::harness::{browser_available, free_port, Api, Browser, Server, ONE_AT_A_TIME};
use serde_json::{json, Value};

/// No element sticks out of the viewport horizontally, and the page does not scroll where
/// it must not (`scroll` false).
pub(crate) async fn assert_fits(b: &Browser, what: &str, scroll: bool) {
    let overflow = b
        .eval(
            "(() => {
              const w = document.documentElement.clientWidth;
              const out = [...document.querySelectorAll('body *')]
                .filter(e => e.offsetParent !== null || e.tagName === 'BODY')
                .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > w + 1 || r.left < -1); })
                .map(e => e.tagName + '#' + e.id + '.' + e.className);
              const vertical = document.documentElement.scrollHeight > window.innerHeight + 1;
              return {out: out.slice(0, 5), vertical};
            })()",
        )
        .await;
    assert_eq!(
        overflow["out"],
        json!([]),
        "{what}: elements outside the screen"
    );
    assert_eq!(
        b.csp_violations().await,
        json!([]),
        "{what}: refused by the Content-Security-Policy"
    );
    if !scroll {
        assert_eq!(
            overflow["vertical"],
            json!(false),
            "{what}: the page scrolls"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screenshots_of_every_screen_at_its_size() {
    if !browser_available("screenshots_of_every_screen_at_its_size") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let api = Api::new(&base);

    // A morning in the office: turns of every service, some preferential, three calls.
    let mut tickets: Vec<Value> = Vec::new();
    for (service, category) in [
        ("registro", "general"),
        ("catastro", "general"),
        ("registro", "adulto_mayor"),
        ("caja", "general"),
        ("registro", "general"),
        ("catastro", "embarazada"),
        ("caja", "general"),
        ("registro", "general"),
        ("catastro", "general"),
        ("registro", "discapacidad"),
        ("caja", "nino_en_brazos"),
        ("registro", "general"),
    ] {
        tickets.push(api.issue(service, category).await);
    }
    let mut agents = Vec::new();
    for (user, counter) in [("agente2", "v2"), ("agente3", "v3"), ("agente4", "v4")] {
        let token = api.login(user).await;
        api.counter(&token, counter, "open", json!({})).await;
        api.counter(&token, counter, "call-next", json!({})).await;
        agents.push((token, counter));
    }
    // One served, the next called again.
    let (token, counter) = &agents[0];
    api.counter(token, counter, "finish", json!({})).await;
    api.counter(token, counter, "call-next", json!({})).await;
    api.counter(token, counter, "recall", json!({})).await;

    let b = Browser::start().await;

    // Lobby display, 1920×1080 with an announcement line, then 1280×720.
    b.client
        .goto(&format!(
            "{base}/display/central?aviso={}",
            "Recuerde tener a mano su documento de identidad. Los pagos se reciben hasta las 16:30."
                .replace(' ', "%20")
        ))
        .await
        .unwrap();
    b.viewport(1920, 1080, false).await;
    b.wait_js(
        "document.querySelector('#now').dataset.code",
        10,
        "a call on the display",
    )
    .await;
    b.wait_js(
        "document.querySelector('#history li .code')",
        10,
        "the history",
    )
    .await;
    assert_fits(&b, "display 1920×1080", false).await;
    b.screenshot("display-1920x1080").await;
    b.viewport(1280, 720, false).await;
    assert_fits(&b, "display 1280×720", false).await;
    b.screenshot("display-1280x720").await;
    // The empty office (no call yet) looks welcoming too.
    b.client
        .goto(&format!("{base}/display/central?services=caja"))
        .await
        .unwrap();
    b.wait_js(
        "document.querySelectorAll('#waiting li').length === 1",
        10,
        "the filtered display",
    )
    .await;
    b.screenshot("display-1280x720-caja").await;

    // Kiosk, portrait 1080×1920: services, the preferential question, the ticket.
    b.client
        .goto(&format!("{base}/kiosk/central"))
        .await
        .unwrap();
    b.viewport(1080, 1920, true).await;
    b.wait_js("document.body.dataset.view === 'start'", 10, "the kiosk")
        .await;
    assert_fits(&b, "kiosk start", false).await;
    b.screenshot("kiosk-1080x1920-1-services").await;
    b.tap(".service[data-service=catastro]").await;
    b.wait_js(
        "document.body.dataset.view === 'category'",
        5,
        "the question",
    )
    .await;
    assert_fits(&b, "kiosk category", false).await;
    b.screenshot("kiosk-1080x1920-2-preferential").await;
    b.tap("#no-preference").await;
    b.wait_js("document.body.dataset.view === 'ticket'", 5, "the ticket")
        .await;
    assert_fits(&b, "kiosk ticket", false).await;
    b.screenshot("kiosk-1080x1920-3-ticket").await;

    // Kiosk, landscape 1280×800.
    b.client
        .goto(&format!("{base}/kiosk/central"))
        .await
        .unwrap();
    b.viewport(1280, 800, true).await;
    b.wait_js("document.body.dataset.view === 'start'", 10, "the kiosk")
        .await;
    assert_fits(&b, "kiosk landscape", false).await;
    b.screenshot("kiosk-1280x800-1-services").await;
    b.tap(".service[data-service=registro]").await;
    b.wait_js(
        "document.body.dataset.view === 'category'",
        5,
        "the question",
    )
    .await;
    assert_fits(&b, "kiosk landscape category", false).await;
    b.screenshot("kiosk-1280x800-2-preferential").await;
    b.tap(".choice[data-category=embarazada]").await;
    b.wait_js("document.body.dataset.view === 'ticket'", 5, "the ticket")
        .await;
    assert_fits(&b, "kiosk landscape ticket", false).await;
    b.screenshot("kiosk-1280x800-3-ticket").await;

    // Agent console 1366×768 on Ventanilla 1, with a preferential turn called.
    b.client.goto(&format!("{base}/agent")).await.unwrap();
    b.viewport(1366, 768, false).await;
    b.wait_js("document.body.dataset.view === 'login'", 10, "the sign-in")
        .await;
    b.screenshot("agent-1366x768-1-login").await;
    b.fill("#username", "agente1").await;
    b.fill("#password", "demo").await;
    b.press('\u{E007}').await; // Enter
    b.wait_js(
        "document.querySelector('[data-counter=v1]')",
        10,
        "the counters",
    )
    .await;
    b.screenshot("agent-1366x768-2-counters").await;
    b.click("[data-counter=v1]").await;
    b.wait_js(
        "document.body.dataset.counterState === 'open'",
        10,
        "the desk",
    )
    .await;
    b.press('l').await;
    b.wait_js(
        "document.querySelector('#current-code')",
        5,
        "a called turn",
    )
    .await;
    b.click("[data-action=recall]").await;
    b.wait_js(
        "document.querySelector('[data-action=recall] .count').textContent.includes('1')",
        5,
        "the recall count",
    )
    .await;
    b.click("[data-action=start]").await;
    b.wait_js(
        "document.body.dataset.counterState === 'serving'",
        5,
        "serving",
    )
    .await;
    assert_fits(&b, "agent console", false).await;
    b.screenshot("agent-1366x768-3-desk").await;
    b.click("[data-action=transfer]").await;
    b.wait_js(
        "document.querySelector('#dlg-transfer').open",
        5,
        "the transfer dialog",
    )
    .await;
    b.screenshot("agent-1366x768-4-transfer").await;
    b.press('\u{E00C}').await; // Escape
                               // An error in the agent's words: a code that does not exist.
    b.click("[data-action=finish]").await;
    b.wait_js(
        "document.body.dataset.counterState === 'open'",
        5,
        "finished",
    )
    .await;
    b.click("[data-action=call]").await;
    b.wait_js(
        "document.querySelector('#dlg-call').open",
        5,
        "the call dialog",
    )
    .await;
    b.fill("#call-code", "z99").await;
    b.eval("document.querySelector('#call-reason').value = 'cita'")
        .await;
    b.press('\u{E007}').await;
    b.wait_js("!document.querySelector('#flash').hidden", 5, "the error")
        .await;
    let message = b.text("#flash").await;
    assert!(
        !message.is_empty() && !message.contains("error"),
        "{message}"
    );
    b.screenshot("agent-1366x768-5-error").await;
    b.press('p').await;
    b.wait_js(
        "document.querySelector('#dlg-pause').open",
        5,
        "the pause dialog",
    )
    .await;
    b.press('\u{E007}').await;
    b.wait_js(
        "document.body.dataset.counterState === 'paused'",
        5,
        "paused",
    )
    .await;
    b.screenshot("agent-1366x768-6-paused").await;

    // The citizen's page, 390×844: waiting, then called.
    let waiting = tickets.last().unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    b.client.goto(&format!("{base}/t/{waiting}")).await.unwrap();
    b.viewport(390, 844, true).await;
    b.wait_js("document.body.dataset.status === 'waiting'", 10, "waiting")
        .await;
    assert_fits(&b, "citizen waiting", true).await;
    b.screenshot("citizen-390x844-1-waiting").await;
    b.click("#cancel").await;
    b.wait_js(
        "document.querySelector('#confirm').open",
        5,
        "the confirmation",
    )
    .await;
    b.screenshot("citizen-390x844-2-cancel").await;
    b.click("#confirm-no").await;
    let (token, counter) = &agents[1];
    let at_v3 = api
        .get(&format!("/offices/central/counters/{counter}"), Some(token))
        .await;
    let called = at_v3["current"]["token"].as_str().unwrap().to_owned();
    b.client.goto(&format!("{base}/t/{called}")).await.unwrap();
    b.wait_js("document.body.dataset.status", 10, "a state")
        .await;
    b.screenshot("citizen-390x844-3-called").await;
    api.counter(token, counter, "finish", json!({})).await;
    b.wait_js("document.body.dataset.status === 'served'", 5, "served")
        .await;
    b.screenshot("citizen-390x844-4-served").await;

    // The landing page.
    b.client.goto(&format!("{base}/")).await.unwrap();
    b.viewport(1366, 768, false).await;
    b.wait_js("document.readyState === 'complete'", 5, "the landing page")
        .await;
    b.screenshot("index-1366x768").await;

    b.quit().await;
    drop(server);
}
