//! Web Push from the phone page: the button subscribes with the office's key (the
//! browser's push service is stubbed: none is reachable from here, so `subscribe`
//! answers with the subscription of the test's own push endpoint) and gives the
//! subscription to the server, which then pushes to it — the endpoint checks and
//! decrypts what arrives; and the page's service worker shows that very message.

use crate::harness::{
    browser_available, demo_config_file, free_port, Api, Browser, Server, ONE_AT_A_TIME,
};
use serde_json::{json, Value};
use std::time::Duration;
use turnero::webpush::VapidKeys;
use turnero_testkit::push::PushEndpoint;

/// The push manager and the permission, stubbed and recorded before the page runs.
fn stubs(subscription: &Value) -> String {
    format!(
        r#"
window.__asked = 0; window.__subscribe = [];
window.Notification = class {{ constructor() {{}} static requestPermission() {{ window.__asked += 1; window.Notification.permission = "granted"; return Promise.resolve("granted"); }} }};
window.Notification.permission = "default";
if (window.PushManager) {{
  const made = {subscription};
  let held = null;
  PushManager.prototype.getSubscription = function () {{ return Promise.resolve(held); }};
  PushManager.prototype.subscribe = function (options) {{
    const key = new Uint8Array(options.applicationServerKey);
    window.__subscribe.push({{ userVisibleOnly: options.userVisibleOnly, key: btoa(String.fromCharCode(...key)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "") }});
    held = {{ endpoint: made.endpoint, options: {{ applicationServerKey: key.buffer, userVisibleOnly: true }}, toJSON: () => made, unsubscribe: () => {{ held = null; return Promise.resolve(true); }} }};
    return Promise.resolve(held);
  }};
}}
"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_button_subscribes_with_the_offices_key_and_the_server_pushes_to_it() {
    if !browser_available("the_button_subscribes_with_the_offices_key_and_the_server_pushes_to_it")
    {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let endpoint = PushEndpoint::start();
    let keys = VapidKeys::generate();
    endpoint.expect_vapid_key(&keys.public_base64url());
    let data = tempfile::tempdir().unwrap();
    let path = demo_config_file(
        data.path(),
        &format!(
            "\n[offices.notifications]\nvapid_private_key = \"{}\"\nvapid_subject = \"mailto:soporte@oficina.example.org\"\n",
            keys.private_base64url()
        ),
    );
    // The test's push endpoint is http on 127.0.0.1: taken only with this setting.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("[server]\nallow_insecure_push_endpoints = true\n\n{text}"),
    )
    .unwrap();
    let server = Server::start_with(&data.path().join("data"), free_port(), Some(&path));
    let base = server.address.clone();
    let api = Api::new(&base);
    // A staff session issues (the configured office's kiosk is not paired here).
    let staff = api.login("agente4").await;
    let mut issued = Vec::new();
    for _ in 0..5 {
        let (status, ticket) = api
            .post(
                "/offices/central/tickets",
                Some(&staff),
                json!({"service": "registro"}),
            )
            .await;
        assert_eq!(status, 201, "{ticket}");
        issued.push(ticket);
    }
    let mine = issued.pop().unwrap();
    let token = mine["token"].as_str().unwrap().to_owned();
    let code = mine["code"].as_str().unwrap().to_owned();

    let b = Browser::start().await;
    b.viewport(390, 844, true).await;
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": stubs(&endpoint.subscription()) }),
    )
    .await;
    b.client.goto(&format!("{base}/t/{token}")).await.unwrap();
    b.wait_js(
        "document.querySelector('#ahead').textContent === '4'",
        10,
        "four turns ahead",
    )
    .await;
    // The office said it has Web Push; nothing is asked or subscribed on load.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(b.eval("window.__asked").await, 0);
    assert_eq!(b.eval("window.__subscribe.length").await, 0);
    b.tap("#notify").await;
    b.wait_js(
        "document.querySelector('#notify-note').textContent.includes('aunque cierre esta página')",
        10,
        "subscribed, and said so",
    )
    .await;
    assert_eq!(b.eval("window.__asked").await, 1);
    b.screenshot("phone-390x844-web-push-on").await;
    assert_eq!(
        b.eval("window.__subscribe").await,
        json!([{"userVisibleOnly": true, "key": keys.public_base64url()}]),
        "subscribed once, with the office's key"
    );

    // The server holds the subscription: the turn's news reach the endpoint.
    let agent = api.login("agente1").await;
    api.counter(&agent, "v1", "open", json!({})).await;
    api.counter(&agent, "v1", "call-next", json!({})).await;
    let got = endpoint.wait_for(1, Duration::from_secs(10)).await;
    assert!(endpoint.refused().is_empty(), "{:?}", endpoint.refused());
    assert_eq!(got[0].message["kind"], "near");
    assert_eq!(got[0].message["url"], format!("/t/{token}"));
    assert!(got[0].message["body"].as_str().unwrap().contains(&code));

    // The page's service worker shows that very message, with the page closed: the
    // browser delivers it (DevTools stands in for the push service).
    b.cdp(
        "Browser.grantPermissions",
        json!({"origin": base, "permissions": ["notifications"]}),
    )
    .await;
    b.client.goto(&format!("{base}/")).await.unwrap();
    b.cdp("ServiceWorker.enable", json!({})).await;
    let shown = deliver(&b, &base, &got[0].payload).await;
    assert_eq!(
        shown,
        json!([{
            "title": "Su turno está próximo",
            "body": got[0].message["body"],
            "tag": format!("turn:/t/{token}"),
            "sticky": false,
            "url": format!("/t/{token}"),
        }])
    );

    // Called: the message replaces the "near" one (one notification per turn) and stays.
    for _ in 0..4 {
        api.counter(&agent, "v1", "finish", json!({})).await;
        api.counter(&agent, "v1", "call-next", json!({})).await;
    }
    let got = endpoint.wait_for(2, Duration::from_secs(10)).await;
    assert_eq!(got[1].message["kind"], "called");
    let shown = deliver(&b, &base, &got[1].payload).await;
    assert_eq!(
        shown,
        json!([{
            "title": format!("Lo llaman: turno {code}"),
            "body": "Su turno ha sido llamado: diríjase a Ventanilla 1",
            "tag": format!("turn:/t/{token}"),
            "sticky": true,
            "url": format!("/t/{token}"),
        }])
    );
    b.quit().await;
}

/// Delivers `payload` to the page's service worker as its push service would
/// (`ServiceWorker.deliverPushMessage`; the first registration of a fresh profile is
/// `0`), and returns the notifications it then shows, once they change.
async fn deliver(b: &Browser, base: &str, payload: &[u8]) -> Value {
    let list = "navigator.serviceWorker.getRegistration('/t/').then(r => r.getNotifications()).then(ns => JSON.stringify(ns.map(n => ({title: n.title, body: n.body, tag: n.tag, sticky: n.requireInteraction, url: n.data && n.data.url}))))";
    let before = b.eval(list).await;
    let data = String::from_utf8(payload.to_vec()).unwrap();
    b.cdp(
        "ServiceWorker.deliverPushMessage",
        json!({"origin": base, "registrationId": "0", "data": data}),
    )
    .await;
    let changed = format!("{list}.then(now => now !== {before} ? now : '')");
    let shown = b.wait_js(&changed, 10, "the notification").await;
    serde_json::from_str(shown.as_str().unwrap()).unwrap()
}
