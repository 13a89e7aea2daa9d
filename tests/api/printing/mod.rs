//! Printing on the running server: kiosks whose tickets the server prints on a (fake)
//! network printer, the ESC/POS endpoint, supervisors' printers and reprints, and print
//! agents over the WebSocket (`agent`): the real agent loop printing to a folder, and a
//! hand-driven agent that drops its connection before confirming.

mod agent;
mod alerts;
#[allow(dead_code)]
#[path = "../../../printer/tests/it/fake_printer.rs"]
mod fake_printer;

use crate::helpers::{demo_config, device_token, spawn_with, token_hash_line, TestApp};
use fake_printer::{FakePrinter, Mode};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use turnero::config::{Config, DEMO_TOML};
use turnero::engine::clock::SystemClock;
use turnero::server::{Application, Settings, StopHandle};
use turnero_printer::agent::{token_hash, Agent, AgentConfig};
use turnero_printer::transport::DirTransport;

const AGENT_TOKEN: &str = "kiosco-entrada-clave-de-prueba-0123456789abcdef";

/// The demo office plus `kiosks` (TOML `[[offices.kiosks]]` tables).
fn with_kiosks(kiosks: &str) -> Config {
    let mut config = demo_config();
    let parsed = turnero::config::parse(&format!("{DEMO_TOML}\n{kiosks}"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    // The demo's own kiosk stays paired as in demo mode; the others come from `kiosks`.
    let demo_kiosk = config.kiosks("central")[0].clone();
    config.kiosks = parsed.kiosks;
    config.kiosks[0].1[0] = demo_kiosk;
    config
}

fn tcp_kiosk(id: &str, printer: &FakePrinter, extra: &str) -> String {
    format!(
        "[[offices.kiosks]]\nid = \"{id}\"\nname = \"Kiosco {id}\"\nprinter = \"tcp://{}\"\n{}{extra}\n",
        printer.addr,
        token_hash_line(id)
    )
}

fn agent_kiosk(id: &str, extra: &str) -> String {
    format!(
        "[[offices.kiosks]]\nid = \"{id}\"\nname = \"Kiosco {id}\"\nprinter = \"agent\"\nagent_token_hash = \"{}\"\n{}{extra}\n",
        token_hash(AGENT_TOKEN),
        token_hash_line(id)
    )
}

/// Issues a turn from the paired kiosk `kiosk`, which prints it.
async fn issue_at(app: &TestApp, kiosk: &str) -> Value {
    let (status, body) = app
        .post(
            "/api/v1/offices/central/tickets",
            Some(&device_token(kiosk)),
            Some(json!({"service": "registro", "kiosk": kiosk})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body
}

fn token(ticket: &Value) -> &str {
    ticket["token"].as_str().unwrap()
}

/// Polls `GET /tickets/{token}/print` until the job is no longer queued.
async fn settled(app: &TestApp, token: &str, secs: u64) -> Value {
    let until = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let (status, print) = app.get(&format!("/api/v1/tickets/{token}/print")).await;
        assert_eq!(status, 200, "{print}");
        if print["status"] != "queued" || tokio::time::Instant::now() > until {
            return print;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn get_as(app: &TestApp, path: &str, bearer: &str) -> (u16, Value) {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .bearer_auth(bearer)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_ticket_prints_on_its_printer() {
    let printer = FakePrinter::start().await;
    let app = spawn_with(
        with_kiosks(&tcp_kiosk("puerta", &printer, "")),
        Arc::new(SystemClock),
    )
    .await;
    let ticket = issue_at(&app, "puerta").await;
    assert_eq!(ticket["code"], "A-001");
    assert_eq!(ticket["print"]["status"], "printed", "{ticket}");
    assert_eq!(ticket["print"]["kiosk"], "puerta");
    assert_eq!(ticket["print"]["reprint"], false);
    let jobs = printer.jobs();
    assert_eq!(jobs.len(), 1);
    assert!(contains(&jobs[0], b"A-001"));
    let url = ticket["status_url"].as_str().unwrap();
    assert!(
        contains(&jobs[0], url.as_bytes()),
        "the QR holds the status_url"
    );
    assert!(contains(&jobs[0], b"Bienvenido"), "office header lines");

    let print = settled(&app, token(&ticket), 1).await;
    assert_eq!(print["status"], "printed");

    // Without a kiosk nothing prints and `print` is null.
    let plain = app.issue("registro", "general").await;
    assert_eq!(plain["print"], Value::Null);
    assert_eq!(printer.jobs().len(), 1);

    let supervisor = app.login("supervisor").await;
    let (status, printers) = get_as(&app, "/api/v1/offices/central/printers", &supervisor).await;
    assert_eq!(status, 200, "{printers}");
    let p = &printers[0];
    assert_eq!(p["kiosk"], "puerta");
    assert_eq!(p["mode"], "direct");
    assert_eq!(p["health"], "ok");
    assert_eq!(p["printed"], 1);
    assert_eq!(p["status"]["paper_out"], false);
    assert_eq!(p["address"], format!("tcp://{}", printer.addr));
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_printer_never_fails_the_turn() {
    // A port nobody listens on: connection refused.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    let paper_out = FakePrinter::start().await;
    paper_out.set_mode(Mode::PaperOut);
    let hung = FakePrinter::start().await;
    hung.set_mode(Mode::Hang);
    let flaky = FakePrinter::start().await;
    flaky.drop_next_jobs_midway(1);
    let good = FakePrinter::start().await;
    let kiosks = format!(
        "[[offices.kiosks]]\nid = \"apagada\"\nname = \"Apagada\"\nprinter = \"tcp://127.0.0.1:{closed_port}\"\nttl_seconds = 5\n{}{}{}{}{}",
        token_hash_line("apagada"),
        tcp_kiosk("sin-papel", &paper_out, "max_attempts = 1"),
        tcp_kiosk("colgada", &hung, "ttl_seconds = 5"),
        tcp_kiosk("cortada", &flaky, ""),
        tcp_kiosk("buena", &good, ""),
    );
    let app = spawn_with(with_kiosks(&kiosks), Arc::new(SystemClock)).await;

    // Refused: the turn is issued; the job is being retried (or has failed) with a reason.
    let down = issue_at(&app, "apagada").await;
    assert_eq!(down["status"], "waiting");
    let print = &down["print"];
    assert!(
        print["status"] == "queued" || print["status"] == "failed",
        "{print}"
    );
    assert_eq!(print["code"], "unreachable", "{print}");
    assert!(
        print["reason"]
            .as_str()
            .unwrap()
            .contains("No se pudo conectar con la impresora"),
        "{print}"
    );
    let (status, live) = app.get(&format!("/api/v1/tickets/{}", token(&down))).await;
    assert_eq!((status, live["status"].as_str()), (200, Some("waiting")));

    // Paper out, one attempt: failed at once, in Spanish, and nothing was printed.
    let no_paper = issue_at(&app, "sin-papel").await;
    assert_eq!(no_paper["print"]["status"], "failed", "{no_paper}");
    assert_eq!(no_paper["print"]["code"], "paper_out");
    assert_eq!(no_paper["print"]["reason"], "La impresora no tiene papel.");
    assert!(paper_out.jobs().is_empty());

    // A printer that never answers: the answer still comes, and other printers don't wait.
    let started = std::time::Instant::now();
    let stuck = issue_at(&app, "colgada").await;
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(stuck["print"]["status"], "queued", "{stuck}");
    let fine = issue_at(&app, "buena").await;
    assert_eq!(fine["print"]["status"], "printed", "{fine}");
    assert_eq!(good.jobs().len(), 1);

    // Dropped mid-job: retried, then printed whole.
    let retried = issue_at(&app, "cortada").await;
    let print = settled(&app, token(&retried), 10).await;
    assert_eq!(print["status"], "printed", "{print}");
    assert_eq!(flaky.jobs().len(), 1);
    assert!(flaky.connections() >= 2);

    // The hung printer's job expires with a reason; the stale ticket never prints.
    let print = settled(&app, token(&stuck), 12).await;
    assert_eq!(print["status"], "failed", "{print}");
    assert_eq!(print["code"], "expired", "{print}");
    assert!(print["reason"]
        .as_str()
        .unwrap()
        .contains("no se imprimió a tiempo"));
    hung.release_hung();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        hung.jobs().is_empty(),
        "a stale ticket must not come out later"
    );

    // An unknown kiosk cannot prove itself: refused, and nothing is issued.
    let (status, body) = app
        .post(
            "/api/v1/offices/central/tickets",
            Some(&device_token("no-existe")),
            Some(json!({"service": "registro", "kiosk": "no-existe"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("device_token_invalid"))
    );

    let supervisor = app.login("supervisor").await;
    let (_, printers) = get_as(&app, "/api/v1/offices/central/printers", &supervisor).await;
    let by_id = |id: &str| {
        printers
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["kiosk"] == id)
            .unwrap()
            .clone()
    };
    let no_paper = by_id("sin-papel");
    assert_eq!(no_paper["health"], "error");
    assert_eq!(no_paper["problem"]["code"], "paper_out");
    assert_eq!(no_paper["status"]["paper_out"], true);
    assert_eq!(no_paper["failed"], 1);
    assert_eq!(no_paper["last_error"]["code"], "paper_out");
    assert_eq!(by_id("buena")["health"], "ok");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_escpos_endpoint_gives_the_ticket_bytes() {
    let app = crate::helpers::spawn_app().await;
    let ticket = app.issue("catastro", "adulto_mayor").await;
    let url = format!("{}/api/v1/tickets/{}/escpos", app.address, token(&ticket));
    let response = app.client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/octet-stream"
    );
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..2], &[0x1B, 0x40], "starts with ESC @");
    assert!(
        bytes.ends_with(&[0x1D, 0x56, 0x42, 0x00]),
        "ends with a partial cut"
    );
    assert!(contains(&bytes, b"B-001"));
    let status_url = ticket["status_url"].as_str().unwrap();
    // Native QR: GS ( k, function 180 (store the data) carries the address itself.
    let mut store = vec![0x1D, 0x28, 0x6B];
    let len = status_url.len() + 3;
    store.extend([(len % 256) as u8, (len / 256) as u8, 0x31, 0x50, 0x30]);
    store.extend(status_url.as_bytes());
    assert!(contains(&bytes, &store), "native QR with the status_url");
    assert!(contains(&bytes, b"Adulto mayor"));

    let narrow = app
        .client
        .get(format!("{url}?width=58&qr=raster&code_page=wpc1252"))
        .send()
        .await
        .unwrap();
    assert_eq!(narrow.status(), 200);
    let narrow = narrow.bytes().await.unwrap();
    assert!(
        contains(&narrow, &[0x1D, 0x76, 0x30]),
        "raster image (GS v 0)"
    );
    assert!(contains(&narrow, &[0x1B, 0x74, 16]), "WPC1252 selected");
    assert!(!contains(&narrow, status_url.as_bytes()));

    for (query, code) in [
        ("width=70", "invalid_width"),
        ("qr=svg", "invalid_qr"),
        ("code_page=utf8", "invalid_code_page"),
    ] {
        let (status, body) = app
            .get(&format!(
                "/api/v1/tickets/{}/escpos?{query}",
                token(&ticket)
            ))
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (422, Some(code)),
            "{body}"
        );
    }
    let (status, body) = app.get("/api/v1/tickets/nope/escpos").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("ticket_not_found"))
    );
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervisors_reprint_and_others_may_not() {
    let first = FakePrinter::start().await;
    let second = FakePrinter::start().await;
    let app = spawn_with(
        with_kiosks(&format!(
            "{}{}",
            tcp_kiosk("puerta", &first, ""),
            tcp_kiosk(
                "segundo-piso",
                &second,
                "width = 58\ncode_page = \"wpc1252\"\nqr = \"raster\""
            )
        )),
        Arc::new(SystemClock),
    )
    .await;
    let ticket = issue_at(&app, "puerta").await;
    let path = format!("/api/v1/tickets/{}/reprint", token(&ticket));

    // Not signed in, an agent, a device token: refused.
    let (status, _) = app.post(&path, None, None).await;
    assert_eq!(status, 401);
    let agent = app.login("agente1").await;
    let (status, body) = app.post(&path, Some(&agent), None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );
    let (status, _) = get_as(&app, "/api/v1/offices/central/printers", &agent).await;
    assert_eq!(status, 403);
    let (status, _) = get_as(&app, "/api/v1/offices/central/printers", AGENT_TOKEN).await;
    assert_eq!(status, 401);
    assert_eq!(first.jobs().len(), 1);

    // By default on the kiosk that printed it, marked as a copy.
    let supervisor = app.login("supervisor").await;
    let (status, copy) = app.post(&path, Some(&supervisor), None).await;
    assert_eq!(status, 200, "{copy}");
    assert_eq!(copy["code"], ticket["code"]);
    assert_eq!(copy["print"]["status"], "printed");
    assert_eq!(copy["print"]["kiosk"], "puerta");
    assert_eq!(copy["print"]["reprint"], true);
    let jobs = first.jobs();
    assert_eq!(jobs.len(), 2);
    assert!(contains(&jobs[1], b"Copia (reimpresi"));
    assert!(!contains(&jobs[0], b"Copia"));

    // Elsewhere on request, with that kiosk's paper and code page.
    let (status, copy) = app
        .post(
            &path,
            Some(&supervisor),
            Some(json!({"kiosk": "segundo-piso"})),
        )
        .await;
    assert_eq!(status, 200, "{copy}");
    assert_eq!(copy["print"]["kiosk"], "segundo-piso");
    assert_eq!(second.jobs().len(), 1);
    assert!(contains(&second.jobs()[0], &[0x1B, 0x74, 16]));
    // Both copies are in the audit trail, with who asked and where they printed.
    let (status, trail) = get_as(
        &app,
        "/api/v1/offices/central/audit?action=reprint",
        &supervisor,
    )
    .await;
    assert_eq!(status, 200, "{trail}");
    let code = ticket["code"].as_str().unwrap();
    let details: Vec<_> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["user"].as_str().unwrap(),
                l["detail"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        details,
        [
            ("supervisor", format!("{code} en puerta")),
            ("supervisor", format!("{code} en segundo-piso"))
        ]
    );

    let (status, body) = app
        .post(&path, Some(&supervisor), Some(json!({"kiosk": "sotano"})))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("kiosk_not_found"))
    );
    let (status, body) = app
        .post(&path, Some(&supervisor), Some(json!({"printer": "x"})))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_body"))
    );

    // A turn printed nowhere needs a kiosk named (this office has two).
    let plain = app.issue("registro", "general").await;
    let plain_path = format!("/api/v1/tickets/{}/reprint", token(&plain));
    let (status, body) = app.post(&plain_path, Some(&supervisor), None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("kiosk_required"))
    );
    let (status, body) = app
        .get(&format!("/api/v1/tickets/{}/print", token(&plain)))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("print_not_found"))
    );

    // A turn that has ended is not reprinted.
    let (_, cancelled) = app
        .post(
            &format!("/api/v1/tickets/{}/cancel", token(&plain)),
            None,
            None,
        )
        .await;
    assert_eq!(cancelled["status"], "cancelled");
    let (status, body) = app
        .post(
            &plain_path,
            Some(&supervisor),
            Some(json!({"kiosk": "puerta"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("ticket_closed"))
    );
    app.shutdown().await;
}
