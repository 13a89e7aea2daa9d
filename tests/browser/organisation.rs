//! The organisation's page in a real browser: an admin signs in and sees every office at
//! a glance and the report across offices; a supervisor is turned away with a sentence
//! saying where to go.

use crate::harness::{
    browser_available, demo_config_file, free_port, Api, Browser, Server, ONE_AT_A_TIME,
};
use serde_json::json;

/// The demo office, a second office ("norte", one counter) with an agent of its own, an
/// admin and a supervisor, all with the password `demo`.
fn two_offices(dir: &std::path::Path) -> std::path::PathBuf {
    let path = demo_config_file(dir, "");
    let hash = turnero::http::auth::hash_password("demo").unwrap();
    let mut text = std::fs::read_to_string(&path).unwrap();
    text += r#"
[[offices]]
id = "norte"
name = "Oficina Norte"
timezone = "America/Bogota"
always_open = true
ticketing = "open"

[[offices.services]]
id = "registro"
name = "Registro de la Propiedad"
prefix = "A"
target_wait_minutes = 20

[[offices.categories]]
id = "general"
label = "General"
preferential = false

[[offices.counters]]
id = "n1"
name = "Módulo 1"
services = ["registro"]
"#;
    for (user, role, office) in [
        ("admin", "admin", "central"),
        ("supervisor", "supervisor", "central"),
        ("agente_norte", "agent", "norte"),
    ] {
        text += &format!(
            "\n[[users]]\nusername = \"{user}\"\nname = \"{user}\"\nrole = \"{role}\"\noffice = \"{office}\"\npassword_hash = \"{hash}\"\n"
        );
    }
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sees_the_whole_organisation_on_one_page() {
    let test = "an_admin_sees_the_whole_organisation_on_one_page";
    if !browser_available(test) || !crate::axe::axe_available(test) {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let config = two_offices(dir.path());
    let server = Server::start_with(&dir.path().join("data"), free_port(), Some(&config));
    let base = server.address.clone();
    let api = Api::new(&base);
    let agent = api.login("agente1").await;
    api.counter(&agent, "v1", "open", json!({})).await;
    for office in ["central", "central", "central", "norte", "norte"] {
        let path = format!("/offices/{office}/tickets");
        // Central's from its agent's session; Norte's anonymous (an open office).
        let token = (office == "central").then_some(agent.as_str());
        let (status, body) = api.post(&path, token, json!({"service": "registro"})).await;
        assert_eq!(status, 201, "{body}");
    }
    api.counter(&agent, "v1", "call-next", json!({})).await;
    let norte = api.login("agente_norte").await;
    // Norte serves one turn and closes its only counter with the other waiting: an alert.
    for action in ["open", "call-next", "finish", "close"] {
        let path = format!("/offices/norte/counters/n1/{action}");
        let (status, body) = api.post(&path, Some(&norte), json!({})).await;
        assert_eq!(status, 200, "{action}: {body}");
    }

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
    b.wait_js(
        "document.querySelector('#offices tr[data-office=norte] .org-alerts li[data-kind=no_counter]')",
        20,
        "Norte's alert",
    )
    .await;
    let row = b.text("#offices tr[data-office=norte]").await;
    assert!(
        row.contains("Oficina Norte") && row.contains("0 / 1"),
        "{row}"
    );
    assert!(
        row.contains("ninguna ventanilla abierta lo atiende"),
        "{row}"
    );
    let central = b.text("#offices tr[data-office=central]").await;
    assert!(
        central.contains("Ninguna"),
        "no alerts at Central: {central}"
    );
    b.screenshot("organisation-1366x768").await;

    // The report across offices, today's by default: five turns, a row per office, the
    // counters named with their office, fairness per office.
    b.wait_js("document.body.dataset.report === 'ready'", 15, "the report")
        .await;
    let issued = b.text("#report #kpi-issued .kpi-value").await;
    assert_eq!(issued.trim(), "5");
    let by_office = b
        .eval("[...document.querySelectorAll('#report table')].find(t => t.caption.textContent === 'Por oficina').innerText")
        .await;
    let by_office = by_office.as_str().unwrap_or_default();
    assert!(by_office.contains("Oficina Central\t3"), "{by_office}");
    assert!(by_office.contains("Oficina Norte\t2\t1"), "{by_office}");
    let alerts = b.text("#kpi-org-alerts .kpi-value").await;
    assert_eq!(alerts.trim(), "1");
    let report = b.text("#report").await;
    assert!(
        report.contains("Oficina Norte · Módulo 1"),
        "counters by office"
    );
    assert!(
        report.contains("Oficina Central · Ventanilla 1"),
        "counters by office"
    );
    for id in ["fairness-central", "fairness-norte"] {
        let found = b.eval(&format!("!!document.getElementById('{id}')")).await;
        assert_eq!(found, json!(true), "{id}");
    }
    b.eval("document.querySelector('#org-report-title').scrollIntoView()")
        .await;
    b.screenshot("organisation-report-1366x768").await;
    b.click("#csv").await;
    b.wait_js("Number(document.body.dataset.csv) > 0", 10, "the CSV")
        .await;
    let found = crate::axe::violations(&b, "organisation").await;
    assert!(found.is_empty(), "{found:#?}");
    b.quit().await;
}
