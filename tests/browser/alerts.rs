//! The supervisor's alerts and forecast in a real browser: an alert raised by the office
//! appears at once, pushed, with a chime (WebAudio, stubbed and counted) and a polite
//! status line; it is listed until it clears; the sound can be muted and stays muted;
//! the next hour's forecast is shown per service.

use crate::harness::{browser_available, free_port, Api, Browser, Server, ONE_AT_A_TIME};
use serde_json::json;

/// A WebAudio that counts the tones it is asked to play.
const AUDIO: &str = r#"
window.__tones = 0;
window.AudioContext = class {
  constructor() { this.currentTime = 0; this.destination = {}; }
  createOscillator() { return { frequency: { value: 0 }, connect: (x) => x, start: () => { window.__tones += 1; }, stop: () => {} }; }
  createGain() { return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (x) => x }; }
};
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_appears_at_once_chimes_and_clears_and_the_forecast_shows() {
    let test = "an_alert_appears_at_once_chimes_and_clears_and_the_forecast_shows";
    if !browser_available(test) || !crate::axe::axe_available(test) {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let api = Api::new(&base);

    let b = Browser::start().await;
    b.viewport(1366, 900, false).await;
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": AUDIO }),
    )
    .await;
    b.client.goto(&format!("{base}/supervisor")).await.unwrap();
    b.wait_js("document.body.dataset.view === 'login'", 10, "the sign-in")
        .await;
    b.fill("#username", "supervisor").await;
    b.fill("#password", "demo").await;
    b.click("#login-submit").await;
    b.wait_js("document.body.dataset.alerts === '0'", 10, "no alerts yet")
        .await;
    b.wait_js("document.body.dataset.forecastAt", 10, "the forecast")
        .await;
    assert!(b
        .text("#forecast-table")
        .await
        .contains("Registro de la Propiedad"));

    // People wait for Registro and no counter serves it: raised, pushed, chimed.
    api.issue("registro", "general").await;
    api.issue("registro", "general").await;
    b.wait_js(
        "document.querySelector('#alert-list [data-kind=no_counter]')",
        15,
        "the alert, pushed",
    )
    .await;
    let news = b.text("#alert-news").await;
    assert!(!news.is_empty(), "said once in the status line");
    assert_eq!(b.eval("document.body.dataset.chimes").await, "1");
    assert_eq!(b.eval("window.__tones").await, 2);
    b.screenshot("supervisor-1366x900-alert").await;
    let found = crate::axe::violations(&b, "supervisor, alert").await;
    assert!(found.is_empty(), "{found:#?}");

    // Muted, and remembered on this device.
    b.click("#alert-mute").await;
    assert_eq!(
        b.eval("document.querySelector('#alert-mute').getAttribute('aria-pressed')")
            .await,
        "true"
    );
    assert_eq!(
        b.eval("localStorage.getItem('turnero.alerts.muted')").await,
        "1"
    );

    // A counter opens: the alert clears from the list.
    let agent = api.login("agente1").await;
    api.counter(&agent, "v1", "open", json!({})).await;
    b.wait_js(
        "!document.querySelector('#alert-list [data-kind=no_counter]')",
        15,
        "the alert cleared",
    )
    .await;
    b.quit().await;
}
