//! Calling a turn from the waiting list: the console asks why (the office's reasons, a
//! note required with «Otro motivo»), and the supervisor's report shows the call.

use crate::harness::{browser_available, free_port, Browser, Server, ONE_AT_A_TIME};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_from_the_waiting_list_asks_for_the_reason() {
    if !browser_available("a_call_from_the_waiting_list_asks_for_the_reason") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let api = crate::harness::Api::new(&base);
    api.issue("registro", "general").await;
    api.issue("registro", "general").await;
    let b = Browser::start().await;
    b.client.goto(&format!("{base}/agent")).await.unwrap();
    b.viewport(1366, 768, false).await;
    b.console_at_counter("agente1", "v1").await;
    let button = "#queue button[data-code=\"A-002\"]";
    b.wait_js(
        &format!(
            "document.querySelector('{button}') && !document.querySelector('{button}').disabled"
        ),
        10,
        "A-002 in the list",
    )
    .await;
    b.click(button).await;
    b.wait_js(
        "document.querySelector('#dlg-call').open",
        5,
        "the call dialog",
    )
    .await;
    assert_eq!(
        b.eval("document.querySelector('#call-code').value").await,
        "A-002"
    );
    let options = b
        .eval("[...document.querySelectorAll('#call-reason option')].map(o => o.textContent).join('|')")
        .await;
    assert_eq!(
        options,
        "Elija el motivo…|Cita programada|Llamado por error|Trámite relacionado|Otro motivo"
    );
    // «Otro motivo» without a note: the dialog stays, nothing is called.
    b.eval("document.querySelector('#call-reason').value = 'otro'")
        .await;
    b.click("#call-form .confirm-btn").await;
    assert_eq!(
        b.eval("document.querySelector('#dlg-call').open").await,
        true
    );
    b.fill("#call-note", "Acompaña al A-001").await;
    b.click("#call-form .confirm-btn").await;
    b.wait_js(
        "document.querySelector('#current-code') && document.querySelector('#current-code').textContent.includes('A-002')",
        5,
        "A-002 called",
    )
    .await;
    let supervisor = api.login("supervisor").await;
    let report = api.get("/offices/central/report", Some(&supervisor)).await;
    let row = &report["fairness"]["out_of_order"][0];
    assert_eq!(
        (&row["agent"], &row["reason"], &row["notes"][0]["note"]),
        (
            &serde_json::json!("agente1"),
            &serde_json::json!("otro"),
            &serde_json::json!("Acompaña al A-001")
        ),
        "{report}"
    );
    b.quit().await;
}
