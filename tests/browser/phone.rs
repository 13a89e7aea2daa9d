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

/// Notifications and vibration, stubbed and recorded before the page runs.
const RECORDER: &str = r#"
window.__notes = []; window.__vibrations = []; window.__asked = 0;
window.Notification = class {
  constructor(title, options) { window.__notes.push({ title, body: options.body, urgent: !!options.requireInteraction }); }
  static requestPermission() { window.__asked += 1; window.Notification.permission = "granted"; return Promise.resolve("granted"); }
};
window.Notification.permission = "default";
navigator.vibrate = (pattern) => { window.__vibrations.push(pattern); return true; };
window.__workers = [];
if (window.ServiceWorkerRegistration) {
  ServiceWorkerRegistration.prototype.showNotification = function (title, options) {
    window.__workers.push(this.scope);
    window.__notes.push({ title, body: options.body, urgent: !!options.requireInteraction });
    return Promise.resolve();
  };
}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_says_when_the_turn_is_near_and_when_it_is_called() {
    let test = "the_phone_says_when_the_turn_is_near_and_when_it_is_called";
    if !browser_available(test) || !crate::axe::axe_available(test) {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let api = Api::new(&base);
    for _ in 0..4 {
        api.issue("registro", "general").await;
    }
    let mine = api.issue("registro", "general").await;
    let token = mine["token"].as_str().unwrap();
    let code = mine["code"].as_str().unwrap().to_owned();
    let b = Browser::start().await;
    b.viewport(390, 844, true).await;
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": RECORDER }),
    )
    .await;
    b.client.goto(&format!("{base}/t/{token}")).await.unwrap();
    b.wait_js(
        "document.querySelector('#ahead').textContent === '4'",
        10,
        "four turns ahead",
    )
    .await;
    // Four ahead is not near (the demo tells at three); nothing was asked on load.
    assert_eq!(
        b.eval("document.querySelectorAll('.cue.near').length")
            .await,
        0
    );
    assert_eq!(b.eval("window.__asked").await, 0, "never asked on load");
    assert_eq!(b.text("#notify").await, "Avisarme en este teléfono");
    b.tap("#notify").await;
    b.wait_js("document.querySelector('#notify').hidden", 5, "the answer")
        .await;
    assert_eq!(b.eval("window.__asked").await, 1);
    // Once allowed, notifications go through the page's service worker, as a phone needs.
    b.wait_js(
        "navigator.serviceWorker.getRegistration('/t/').then(r => !!r && !!(r.active || r.installing || r.waiting))",
        10,
        "the service worker",
    )
    .await;
    assert!(b.text("#notify-note").await.starts_with("Le avisaremos"));

    let agent = api.login("agente1").await;
    api.counter(&agent, "v1", "open", json!({})).await;
    api.counter(&agent, "v1", "call-next", json!({})).await;
    b.wait_js(
        "document.querySelectorAll('.cue.near').length === 1 && window.__notes.length === 1",
        10,
        "the turn near, and its notification",
    )
    .await;
    let notes = b.eval("window.__notes").await;
    assert_eq!(notes.as_array().unwrap().len(), 1, "{notes}");
    assert_eq!(notes[0]["title"], "Su turno está próximo");
    assert!(
        notes[0]["body"].as_str().unwrap().contains(&code),
        "{notes}"
    );
    assert_eq!(notes[0]["urgent"], false);
    assert_eq!(
        b.eval("window.__workers").await,
        json!([format!("{base}/t/")]),
        "shown through the service worker"
    );
    assert_eq!(b.eval("window.__vibrations.length").await, 1);
    b.wait_js(
        "document.querySelector('#alert-live').textContent.startsWith('Su turno está próximo')",
        5,
        "the live region",
    )
    .await;
    b.screenshot("phone-390x844-near").await;
    let found = crate::axe::violations(&b, "phone, turn near").await;
    assert!(found.is_empty(), "{found:#?}");

    // Called: again, and louder.
    for _ in 0..4 {
        api.counter(&agent, "v1", "finish", json!({})).await;
        api.counter(&agent, "v1", "call-next", json!({})).await;
    }
    b.wait_js(
        "document.body.dataset.status === 'called' && document.body.classList.contains('urgent') && window.__notes.length === 2",
        10,
        "the call, and its notification",
    )
    .await;
    let notes = b.eval("window.__notes").await;
    let last = notes.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["title"], format!("Lo llaman: turno {code}"), "{notes}");
    assert_eq!(last["urgent"], true);
    assert_eq!(
        notes
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["title"] == "Su turno está próximo")
            .count(),
        1,
        "near is said once: {notes}"
    );
    assert!(b.eval("window.__vibrations.length").await.as_u64().unwrap() >= 2);
    b.wait_js(
        "document.querySelector('#alert-live').textContent.startsWith('Su turno ha sido llamado')",
        5,
        "the call in the live region",
    )
    .await;
    assert_eq!(
        b.eval("document.querySelectorAll('.cue.go').length").await,
        1
    );
    b.screenshot("phone-390x844-called-urgent").await;
    let found = crate::axe::violations(&b, "phone, called").await;
    assert!(found.is_empty(), "{found:#?}");
    b.quit().await;
}
