//! Kiosk printing with several processes: a ticket issued on any process prints once on
//! its kiosk's printer, driven by the one process that owns the kiosk; another process
//! takes the kiosk over when the owner dies; a print agent may connect to any process
//! and moves between them; every process's printers page shows every kiosk's real state.

use crate::helpers::{RedisServer, ServerProcess};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use turnero_printer::agent::{token_hash, Agent, AgentConfig};
use turnero_printer::transport::DirTransport;

const DEMO: &str = include_str!("../../../src/config/demo.toml");
const AGENT_TOKEN: &str = "kiosco-piso-clave-de-prueba-0123456789abcdef";

/// The demo office with a supervisor, a kiosk printing to the folder `out` and an agent
/// kiosk.
fn config(dir: &Path, out: &Path) -> PathBuf {
    let hash = turnero::http::auth::hash_password("demo").unwrap();
    let text = format!(
        "{DEMO}\n[[users]]\nusername = \"supervisor\"\nname = \"Supervisora\"\nrole = \"supervisor\"\noffice = \"central\"\npassword_hash = \"{hash}\"\n\n\
[[offices.kiosks]]\nid = \"puerta\"\nname = \"Kiosco puerta\"\n{}\nprinter = \"dir:{}\"\n\n\
[[offices.kiosks]]\nid = \"piso\"\nname = \"Kiosco piso\"\nprinter = \"agent\"\nagent_token_hash = \"{}\"\n{}",
        crate::helpers::token_hash_line("puerta"),
        out.display(),
        token_hash(AGENT_TOKEN),
        crate::helpers::token_hash_line("piso"),
    );
    let path = dir.join("turnero.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn start(config: &Path, redis: &str) -> ServerProcess {
    let data = std::env::temp_dir().join(format!("turnero-unused-{}", rand::random::<u64>()));
    ServerProcess::spawn(
        &data,
        Some(config),
        None,
        &[
            ("TURNERO_REDIS_URL", redis),
            ("TURNERO_SECRET", "shared-test-secret"),
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

async fn issue_at(server: &ServerProcess, kiosk: &str) -> Value {
    let (status, body) = server
        .post(
            "/api/v1/offices/central/tickets",
            Some(&crate::helpers::device_token(kiosk)),
            json!({"service": "registro", "kiosk": kiosk}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body
}

/// Follows `GET /tickets/{token}/print` on `server` until the job is no longer queued.
async fn settled(server: &ServerProcess, ticket: &Value, secs: u64) -> Value {
    let token = ticket["token"].as_str().unwrap();
    let until = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let (status, print) = server.get(&format!("/api/v1/tickets/{token}/print")).await;
        assert_eq!(status, 200, "{print}");
        if print["status"] != "queued" || tokio::time::Instant::now() > until {
            return print;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn printers(server: &ServerProcess, supervisor: &str) -> Vec<Value> {
    let r = server
        .client
        .get(format!(
            "{}/api/v1/offices/central/printers",
            server.address
        ))
        .bearer_auth(supervisor)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json::<Vec<Value>>().await.unwrap()
}

/// The kiosk's entry on `server`'s printers page once `ready` holds for it.
async fn printer_when(
    server: &ServerProcess,
    supervisor: &str,
    kiosk: &str,
    ready: impl Fn(&Value) -> bool,
) -> Value {
    let until = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let p = printers(server, supervisor)
            .await
            .into_iter()
            .find(|p| p["kiosk"] == kiosk)
            .unwrap();
        if ready(&p) {
            return p;
        }
        assert!(tokio::time::Instant::now() < until, "never ready: {p}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The tickets printed to `dir`: the code each file holds.
fn printed(dir: &Path, codes: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let held: Vec<&String> = codes
            .iter()
            .filter(|c| bytes.windows(c.len()).any(|w| w == c.as_bytes()))
            .collect();
        assert_eq!(held.len(), 1, "each file holds one of the tickets");
        found.push(held[0].clone());
    }
    found.sort();
    found
}

fn pid_of(owner: &Value) -> u32 {
    owner
        .as_str()
        .unwrap()
        .split('/')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_ticket_prints_once_whichever_process_issues_it_and_owners_take_over() {
    let redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let config = config(dir.path(), out.path());
    let mut servers = vec![start(&config, &redis.url()), start(&config, &redis.url())];
    let supervisor = servers[0].login("supervisor").await;

    // Issued on both processes, printed by the kiosk's owner, each exactly once.
    let mut codes = Vec::new();
    for i in 0..10 {
        let ticket = issue_at(&servers[i % 2], "puerta").await;
        let print = settled(&servers[(i + 1) % 2], &ticket, 10).await;
        assert_eq!(print["status"], "printed", "{print}");
        assert_eq!(print["kiosk"], "puerta");
        codes.push(ticket["code"].as_str().unwrap().to_owned());
    }
    let mut expected = codes.clone();
    expected.sort();
    assert_eq!(printed(out.path(), &codes), expected);

    // Both printers pages show the same kiosk state: who drives it and what it printed.
    let on_a = printer_when(&servers[0], &supervisor, "puerta", |p| p["printed"] == 10).await;
    let on_b = printer_when(&servers[1], &supervisor, "puerta", |p| p["printed"] == 10).await;
    assert_eq!(on_a["served_by"], on_b["served_by"]);
    assert_eq!(on_a["health"], "ok", "{on_a}");
    assert_eq!(on_a["mode"], "direct");
    assert_eq!(on_a["queued"], 0);

    // The owner dies: the other process takes the kiosk over and prints what comes next.
    let owner = pid_of(&on_a["served_by"]);
    let i = servers
        .iter()
        .position(|s| s.child.id() == owner)
        .expect("the owner is one of the processes");
    servers.remove(i).kill();
    let survivor = &servers[0];
    let ticket = issue_at(survivor, "puerta").await;
    let print = settled(survivor, &ticket, 15).await;
    assert_eq!(print["status"], "printed", "{print}");
    codes.push(ticket["code"].as_str().unwrap().to_owned());
    assert_eq!(
        printed(out.path(), &codes).len(),
        11,
        "no ticket printed twice"
    );
    let now = printer_when(survivor, &supervisor, "puerta", |p| p["printed"] == 11).await;
    assert_eq!(pid_of(&now["served_by"]), survivor.child.id());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_print_agent_on_one_process_prints_the_turns_of_every_process_and_moves() {
    let redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), dir.path());
    let a = start(&config, &redis.url());
    let b = start(&config, &redis.url());
    let supervisor = a.login("supervisor").await;

    // No agent anywhere: every process says so, and a ticket waits with the reason.
    let away = printer_when(&b, &supervisor, "piso", |_| true).await;
    assert_eq!(
        (&away["health"], &away["agent"]["connected"]),
        (&json!("offline"), &json!(false))
    );
    let waiting = issue_at(&a, "piso").await;
    assert_eq!(waiting["print"]["status"], "queued", "{waiting}");
    assert_eq!(waiting["print"]["code"], "agent_offline");

    // The agent connects to B: the waiting ticket and one issued on A print there.
    let paper = tempfile::tempdir().unwrap();
    let run_agent = |server: &ServerProcess| {
        let mut c = AgentConfig::new(&server.address, "central", "piso", AGENT_TOKEN);
        c.reconnect_min = Duration::from_millis(100);
        c.reconnect_max = Duration::from_millis(400);
        let agent = Agent::new(c, Arc::new(DirTransport::new(paper.path())));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(agent.run(async {
            let _ = stopped.await;
        }));
        (stop, task)
    };
    let (stop, task) = run_agent(&b);
    let seen = printer_when(&a, &supervisor, "piso", |p| p["agent"]["connected"] == true).await;
    assert_eq!(pid_of(&seen["served_by"]), b.child.id(), "{seen}");
    assert_eq!(settled(&b, &waiting, 10).await["status"], "printed");
    let from_a = issue_at(&a, "piso").await;
    assert_eq!(settled(&a, &from_a, 10).await["status"], "printed");
    let codes: Vec<String> = [&waiting, &from_a]
        .iter()
        .map(|t| t["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(printed(paper.path(), &codes).len(), 2);

    // It moves to A: B lets the kiosk go, A drives it, tickets issued on B print.
    let _ = stop.send(());
    task.await.unwrap();
    let (stop, task) = run_agent(&a);
    let seen = printer_when(&b, &supervisor, "piso", |p| {
        p["agent"]["connected"] == true
            && p["served_by"]
                .as_str()
                .is_some_and(|o| o.contains(&format!("/{}/", a.child.id())))
    })
    .await;
    assert_eq!(seen["printed"], 2, "{seen}");
    let from_b = issue_at(&b, "piso").await;
    assert_eq!(settled(&b, &from_b, 10).await["status"], "printed");
    let mut codes = codes;
    codes.push(from_b["code"].as_str().unwrap().to_owned());
    assert_eq!(printed(paper.path(), &codes).len(), 3);
    let _ = stop.send(());
    task.await.unwrap();
}
