//! Printer alerts end to end: a kiosk's printer runs out of paper and another is
//! unreachable, the supervisors' list shows each until it clears, and the office's
//! webhook receives the raised and the cleared alert — the first post refused, so it is
//! retried — and the report counts them.

use super::{fake_printer, get_as, issue_at, settled, tcp_kiosk, token, with_kiosks};
use crate::helpers::{spawn_with, token_hash_line, TestApp};
use crate::notify_gateway::fake::FakeGateway;
use fake_printer::{FakePrinter, Mode};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};
use turnero::engine::clock::SystemClock;

/// The printer alerts in force, once `pred` holds of them (panics after `secs`; the
/// evaluator runs on every change and every 15 s).
async fn printer_alerts(
    app: &TestApp,
    bearer: &str,
    secs: u64,
    pred: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let until = Instant::now() + Duration::from_secs(secs);
    loop {
        let (status, alerts) = get_as(app, "/api/v1/offices/central/alerts", bearer).await;
        assert_eq!(status, 200, "{alerts}");
        let printers: Vec<Value> = alerts
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["kind"].as_str().unwrap().starts_with("printer_"))
            .cloned()
            .collect();
        if pred(&printers) {
            return printers;
        }
        assert!(
            Instant::now() < until,
            "printer alerts never settled: {printers:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn kinds(alerts: &[Value]) -> Vec<String> {
    let mut k: Vec<String> = alerts
        .iter()
        .map(|a| {
            format!(
                "{}:{}",
                a["kind"].as_str().unwrap(),
                a["message"].as_str().unwrap()
            )
        })
        .collect();
    k.sort();
    k
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_printer_out_of_paper_or_offline_alerts_until_it_prints_again() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    let printer = FakePrinter::start().await;
    printer.set_mode(Mode::PaperOut);
    let webhook = FakeGateway::start();
    webhook.fail_next(1, 500);
    let kiosks = format!(
        "{}[[offices.kiosks]]\nid = \"apagada\"\nname = \"Kiosco apagada\"\nprinter = \"tcp://127.0.0.1:{closed_port}\"\nmax_attempts = 1\n{}",
        tcp_kiosk("sin-papel", &printer, "max_attempts = 1"),
        token_hash_line("apagada"),
    );
    let mut config = with_kiosks(&kiosks);
    let mut office = (*config.offices[0]).clone();
    office.alerts.webhook_url = Some(webhook.url.clone());
    config.offices[0] = Arc::new(office);
    let app = spawn_with(config, Arc::new(SystemClock)).await;
    let supervisor = app.login("supervisor").await;

    // Out of paper and unreachable: the turns are issued, both printers alert.
    let first = issue_at(&app, "sin-papel").await;
    assert_eq!(first["print"]["code"], "paper_out", "{first}");
    let down = issue_at(&app, "apagada").await;
    let print = settled(&app, token(&down), 10).await;
    assert_eq!(print["code"], "unreachable", "{print}");
    let raised = printer_alerts(&app, &supervisor, 20, |a| a.len() == 2).await;
    let k = kinds(&raised);
    assert!(
        k[0].starts_with("printer_offline:") && k[0].contains("Kiosco apagada"),
        "{k:?}"
    );
    assert!(
        k[1].starts_with("printer_paper:") && k[1].contains("Kiosco sin-papel"),
        "{k:?}"
    );

    // The webhook refused the first post; each alert arrives all the same.
    let posts = webhook.delivered(2, 20).await;
    let raised_kiosks: Vec<&str> = {
        let mut k: Vec<&str> = posts
            .iter()
            .filter(|p| p.body["event"] == "raised")
            .map(|p| p.body["kiosk"].as_str().unwrap())
            .collect();
        k.sort();
        k
    };
    assert_eq!(raised_kiosks, ["apagada", "sin-papel"], "{posts:?}");
    assert!(
        webhook.received().iter().any(|r| r.failed),
        "the first post was refused"
    );
    let paper = posts
        .iter()
        .find(|p| p.body["kiosk"] == "sin-papel")
        .unwrap();
    assert_eq!(paper.body["office"], "central");
    assert_eq!(paper.body["kind"], "printer_paper");

    // Paper back in: the next ticket prints and the paper alert clears; the other stays.
    printer.set_mode(Mode::Normal);
    let second = issue_at(&app, "sin-papel").await;
    let print = settled(&app, token(&second), 10).await;
    assert_eq!(print["status"], "printed", "{print}");
    let left = printer_alerts(&app, &supervisor, 20, |a| a.len() == 1).await;
    assert!(kinds(&left)[0].starts_with("printer_offline:"), "{left:?}");
    let posts = webhook.delivered(3, 20).await;
    let cleared = posts.iter().find(|p| p.body["event"] == "cleared").unwrap();
    assert_eq!(
        (
            cleared.body["kind"].as_str(),
            cleared.body["kiosk"].as_str()
        ),
        (Some("printer_paper"), Some("sin-papel"))
    );

    // The report counts each raised and cleared.
    let (status, report) = get_as(&app, "/api/v1/offices/central/report", &supervisor).await;
    assert_eq!(status, 200);
    let count = |id: &str| {
        report["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .map(|a| {
                (
                    a["raised"].as_u64().unwrap(),
                    a["cleared"].as_u64().unwrap(),
                )
            })
    };
    assert_eq!(count("printer_paper"), Some((1, 1)), "{}", report["alerts"]);
    assert_eq!(
        count("printer_offline"),
        Some((1, 0)),
        "{}",
        report["alerts"]
    );
    webhook.stop().await;
    app.shutdown().await;
}
