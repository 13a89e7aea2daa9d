//! The supervisor's dashboard: an agent is turned away with a clear message; the
//! supervisor signs in, sees the office live (waiting per service, counters, turns per
//! hour) and updated by the display feed, then opens today's report with non-zero figures
//! and its SVG charts, at 1366×768 and 1920×1080.

use crate::harness::{browser_available, free_port, Api, Browser, Server, ONE_AT_A_TIME};
use serde_json::json;

/// Nothing sticks out of the window sideways (no horizontal scrolling).
async fn assert_fits_width(b: &Browser, what: &str) {
    let out = b
        .eval(
            "(() => {
              const w = document.documentElement.clientWidth;
              const out = [...document.querySelectorAll('body *')]
                .filter(e => e.offsetParent !== null && !e.closest('.table-wrap, .sr-only'))
                .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > w + 1 || r.left < -1); })
                .map(e => e.tagName + '#' + e.id + '.' + e.className);
              return {out: out.slice(0, 5), scroll: document.documentElement.scrollWidth > w + 1};
            })()",
        )
        .await;
    assert_eq!(
        out,
        json!({"out": [], "scroll": false}),
        "{what}: wider than the window"
    );
}

/// Fails with a clear message when the server has no report endpoint (the backend part of
/// the issue is missing), instead of passing on an empty dashboard.
async fn require_report_endpoint(api: &Api, token: &str) {
    let response = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/offices/central/report?from=2026-01-01&to=2026-01-01",
            api.base
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert!(
        status != 404 && status != 405,
        "GET /api/v1/offices/{{office}}/report answered {status}: the report API is not in this \
         build yet, so the dashboard's report cannot be tested against the real server"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_supervisor_sees_today_live_and_the_report() {
    if !browser_available("the_supervisor_sees_today_live_and_the_report") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let base = server.address.clone();
    let api = Api::new(&base);

    // A morning: turns of every service, three counters at work, one paused, some served,
    // a no-show, and two surveys.
    let mut tickets = Vec::new(); // kept for their codes
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
    ] {
        tickets.push(api.issue(service, category).await);
    }
    let a1 = api.login("agente1").await;
    let a3 = api.login("agente3").await;
    let a4 = api.login("agente4").await;
    let mut served = Vec::new();
    let mut current = Vec::new();
    for (token, counter) in [(&a1, "v1"), (&a3, "v3")] {
        api.counter(token, counter, "open", json!({})).await;
        let t = api.counter(token, counter, "call-next", json!({})).await;
        api.counter(token, counter, "start", json!({})).await;
        api.counter(token, counter, "finish", json!({})).await;
        served.push(t["token"].as_str().unwrap().to_owned());
        let next = api.counter(token, counter, "call-next", json!({})).await;
        current.push(next["code"].as_str().unwrap().to_owned());
    }
    api.counter(&a3, "v3", "recall", json!({})).await;
    api.counter(&a3, "v3", "no-show", json!({})).await;
    api.counter(&a4, "v4", "open", json!({})).await;
    api.counter(&a4, "v4", "pause", json!({"reason": "Almuerzo"}))
        .await;
    let supervisor = api.login("supervisor").await;
    require_report_endpoint(&api, &supervisor).await;
    for (token, scores) in served.iter().zip([[5, 5, 4, 3, 4], [4, 5, 5, 2, 3]]) {
        let (status, body) = api
            .post(
                &format!("/tickets/{token}/survey"),
                None,
                json!({"overall": scores[0], "attention": scores[1], "clarity": scores[2],
                       "wait_time": scores[3], "response_time": scores[4],
                       "comment": "Todo bien", "case_type": "felicitacion"}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }

    let b = Browser::start().await;
    b.client.goto(&format!("{base}/supervisor")).await.unwrap();
    b.viewport(1366, 768, false).await;
    b.wait_js(
        "document.body.dataset.view === 'login'",
        10,
        "the sign-in form",
    )
    .await;
    assert_eq!(b.eval("document.documentElement.lang").await, "es");

    // An agent is told, clearly, that this page is not for them.
    b.fill("#username", "agente1").await;
    b.fill("#password", "demo").await;
    b.click("#login-submit").await;
    b.wait_js(
        "document.body.dataset.denied === 'true'",
        10,
        "the agent turned away",
    )
    .await;
    let denied = b.text("#login-error").await;
    assert!(denied.contains("no puede ver este tablero"), "{denied}");
    assert_eq!(b.eval("document.body.dataset.view").await, "login");

    // Now the supervisor.
    b.client
        .find(fantoccini::Locator::Css("#username"))
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();
    b.fill("#username", "supervisor").await;
    b.fill("#password", "demo").await;
    b.click("#login-submit").await;

    // Today live: the only office is picked by itself.
    b.wait_js(
        "document.body.dataset.view === 'board' && document.body.dataset.liveAt",
        10,
        "the live panel",
    )
    .await;
    b.wait_js(
        "document.querySelector('#waiting-table tr[data-service=registro]')",
        10,
        "waiting per service",
    )
    .await;
    let waiting_now: i64 = b
        .text("#kpi-waiting .kpi-value")
        .await
        .trim()
        .parse()
        .unwrap();
    assert_eq!(waiting_now, 5, "9 issued, 4 called");
    assert!(b.text("#kpi-longest .kpi-detail").await.contains('-'));
    assert_eq!(
        b.eval("document.querySelector('[data-counter=v4]').dataset.state")
            .await,
        "paused"
    );
    assert!(b
        .text("[data-counter=v1]")
        .await
        .contains(current[0].as_str()));
    assert_eq!(b.text("#kpi-closed .kpi-value").await.trim(), "1");
    b.wait_js(
        "document.querySelector('#hourly svg.chart rect.bar')",
        10,
        "the turns per hour chart",
    )
    .await;
    b.wait_js(
        "document.querySelector('#served-today').textContent.trim() === '2'",
        10,
        "served today",
    )
    .await;

    // Live: a call made elsewhere appears without a reload.
    let before: String = b
        .eval("document.body.dataset.liveAt")
        .await
        .as_str()
        .unwrap()
        .into();
    let next = api.counter(&a1, "v1", "finish", json!({})).await;
    assert_eq!(next["status"], "served");
    let called = api.counter(&a1, "v1", "call-next", json!({})).await;
    let code = called["code"].as_str().unwrap().to_owned();
    b.wait_js(
        &format!(
            "document.body.dataset.liveAt !== '{before}' && \
             document.querySelector('[data-counter=v1]').innerText.includes('{code}') && \
             document.querySelector('#calls').innerText.includes('{code}')"
        ),
        5,
        "the live refresh from the display feed",
    )
    .await;
    assert_eq!(
        b.text("#kpi-waiting .kpi-value").await.trim(),
        "4",
        "one more called"
    );
    assert_fits_width(&b, "live 1366×768").await;
    b.screenshot("supervisor-1366x768-1-live").await;
    b.viewport(1920, 1080, false).await;
    assert_fits_width(&b, "live 1920×1080").await;
    b.screenshot("supervisor-1920x1080-1-live").await;

    // The report for today.
    b.viewport(1366, 768, false).await;
    b.click("#tab-report").await;
    b.wait_js(
        "document.body.dataset.report === 'ready'",
        10,
        "today's report",
    )
    .await;
    let issued: i64 = b
        .text("#kpi-issued .kpi-value")
        .await
        .trim()
        .parse()
        .unwrap();
    assert_eq!(issued, 9);
    assert_ne!(b.text("#kpi-served .kpi-value").await.trim(), "0");
    assert_ne!(b.text("#kpi-no_show .kpi-value").await.trim(), "0");
    let index = b.text("#kpi-satisfaction .kpi-value").await;
    assert_eq!(index.trim(), "4,50", "mean of the general answers 5 and 4");
    let charts = b
        .eval(
            "[...document.querySelectorAll('#report figure')].map(f => f.className + ':' + \
             f.querySelectorAll('svg rect.bar').length + ':' + !!f.querySelector('svg title') + \
             ':' + !!f.querySelector('table'))",
        )
        .await;
    for kind in ["chart-stacked", "chart-bar", "chart-hbar"] {
        assert!(
            charts.as_array().unwrap().iter().any(|c| {
                let c = c.as_str().unwrap();
                c.contains(kind) && !c.contains(":0:") && c.ends_with("true:true")
            }),
            "{kind} with bars, a title and a data table: {charts}"
        );
    }
    assert!(
        b.eval("document.querySelectorAll('#report svg[role=img]').length >= 4")
            .await
            .as_bool()
            .unwrap(),
        "four charts"
    );
    assert!(b.text("#report").await.contains("Por ventanilla"));
    // The CSV comes down with the session's token.
    b.click("#csv").await;
    b.wait_js("Number(document.body.dataset.csv) > 0", 10, "the CSV")
        .await;
    b.eval("window.scrollTo(0, 0), true").await;
    assert_fits_width(&b, "report 1366×768").await;
    b.screenshot("supervisor-1366x768-2-report").await;
    b.eval("document.querySelector('#report .charts').scrollIntoView(), true")
        .await;
    b.screenshot("supervisor-1366x768-3-charts").await;
    b.viewport(1920, 1080, false).await;
    b.eval("window.scrollTo(0, 0), true").await;
    assert_fits_width(&b, "report 1920×1080").await;
    b.screenshot("supervisor-1920x1080-2-report").await;

    // The audit trail: today's sign-ins with who and from where; by user; by kind.
    b.viewport(1366, 768, false).await;
    b.click("#tab-audit").await;
    b.wait_js("document.body.dataset.audit === 'ready'", 10, "the trail")
        .await;
    let trail = b.text("#audit-table").await;
    for user in ["agente1", "agente3", "agente4", "supervisor"] {
        assert!(trail.contains(user), "{user} signed in: {trail}");
    }
    assert!(
        trail.contains("Inició sesión") && trail.contains("127.0.0.1"),
        "{trail}"
    );
    b.screenshot("supervisor-1366x768-4-audit").await;
    b.fill("#audit-user", "agente3").await;
    b.click("#audit-show").await;
    b.wait_js(
        "document.body.dataset.audit === 'ready' && [...document.querySelectorAll('#audit-table tbody th')].every(th => th.textContent === 'agente3')",
        10,
        "agente3's actions",
    )
    .await;
    b.eval("document.querySelector('#audit-action').value = 'out_of_order_call', true")
        .await;
    b.click("#audit-show").await;
    b.wait_js(
        "document.body.dataset.audit === 'ready' && document.querySelector('#audit-table .empty')",
        10,
        "no calls out of order",
    )
    .await;
    let found = crate::axe::violations(&b, "supervisor-audit").await;
    assert!(found.is_empty(), "{found:#?}");

    // A reload keeps the session (sessionStorage) and comes back to the board.
    b.client.refresh().await.unwrap();
    b.wait_js(
        "document.body.dataset.view === 'board'",
        10,
        "the board after a reload",
    )
    .await;

    b.quit().await;
    drop(server);
}

/// The landing page links the dashboard.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_landing_page_links_the_dashboard() {
    if !browser_available("the_landing_page_links_the_dashboard") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), free_port());
    let b = Browser::start().await;
    b.client
        .goto(&format!("{}/", server.address))
        .await
        .unwrap();
    b.wait_js("document.querySelector('#link-supervisor')", 10, "the link")
        .await;
    b.click("#link-supervisor").await;
    b.wait_js(
        "location.pathname === '/supervisor' && document.body.dataset.view === 'login'",
        10,
        "the dashboard's sign-in",
    )
    .await;
    b.quit().await;
    drop(server);
}
