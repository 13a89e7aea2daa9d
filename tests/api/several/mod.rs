//! Several Turnero processes on one Redis share the offices: turns issued anywhere are
//! numbered once, called once, shown on every process's screens, followed from any
//! process, and survive a process killed mid-load.

mod faults;
mod printing;
mod transfer;

pub(super) use crate::durability::issue;
use crate::helpers::{RedisServer, ServerProcess};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub(super) const SERVICES: [&str; 3] = ["registro", "catastro", "caja"];

async fn post(client: &reqwest::Client, url: String, token: &str) -> (u16, Value) {
    let r = client.post(url).bearer_auth(token).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// `clients` issuers spread over `addresses`, `each` turns apiece.
fn issuers(
    addresses: &[String],
    clients: usize,
    each: usize,
    out: Arc<Mutex<Vec<Value>>>,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..clients)
        .map(|i| {
            let address = addresses[i % addresses.len()].clone();
            let out = out.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                for k in 0..each {
                    let t = issue(&client, &address, SERVICES[(i + k) % 3])
                        .await
                        .expect("a turn is issued");
                    out.lock().unwrap().push(t);
                }
            })
        })
        .collect()
}

/// An agent at counter `v{n}` on `address`: calls and finishes until issuing is over and
/// nobody waits. Returns the codes it called.
fn agent(
    address: String,
    n: usize,
    token: String,
    done: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<Vec<String>> {
    tokio::spawn(async move {
        let client = reqwest::Client::new();
        let counter = format!("{address}/api/v1/offices/central/counters/v{n}");
        let (status, body) = post(&client, format!("{counter}/open"), &token).await;
        assert_eq!(status, 200, "open v{n}: {body}");
        let mut called = Vec::new();
        let mut idle = 0;
        loop {
            let (status, body) = post(&client, format!("{counter}/call-next"), &token).await;
            match status {
                200 => {
                    called.push(body["code"].as_str().unwrap().to_owned());
                    let (status, body) = post(&client, format!("{counter}/finish"), &token).await;
                    assert_eq!(status, 200, "finish at v{n}: {body}");
                    idle = 0;
                }
                204 => {
                    if done.load(Ordering::SeqCst) {
                        idle += 1;
                        if idle >= 5 {
                            return called;
                        }
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                other => panic!("call-next at v{n}: {other} {body}"),
            }
        }
    })
}

/// Every number of each service is given once, none skipped.
pub(super) fn numbered_once_without_gaps(issued: &[Value]) {
    let mut by_service: HashMap<String, Vec<u64>> = HashMap::new();
    for t in issued {
        by_service
            .entry(t["service"].as_str().unwrap().to_owned())
            .or_default()
            .push(t["number"].as_u64().unwrap());
    }
    for (service, mut numbers) in by_service {
        numbers.sort_unstable();
        let expected: Vec<u64> = (1..=numbers.len() as u64).collect();
        assert_eq!(numbers, expected, "{service}: no duplicate, no gap");
    }
}

async fn several_processes_share_the_office(processes: usize) {
    let redis = RedisServer::start();
    share_the_office(&redis.url(), processes).await;
}

async fn share_the_office(url: &str, processes: usize) {
    let servers: Vec<ServerProcess> = (0..processes)
        .map(|_| ServerProcess::start_on_redis(url))
        .collect();
    let addresses: Vec<String> = servers.iter().map(|s| s.address.clone()).collect();
    let mut screens = Vec::new();
    for s in &servers {
        let mut screen = s.screen().await;
        screen.next_of("snapshot", 5).await;
        screens.push(screen);
    }
    let issued = Arc::new(Mutex::new(Vec::new()));
    let done = Arc::new(AtomicBool::new(false));
    let mut agents = Vec::new();
    for n in 1..=4 {
        // Each agent signs in on one process and works on another: sessions are shared.
        let token = servers[n % processes].login(&format!("agente{n}")).await;
        agents.push(agent(
            addresses[(n + 1) % processes].clone(),
            n,
            token,
            done.clone(),
        ));
    }
    for h in issuers(&addresses, 32, 10, issued.clone()) {
        h.await.unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let mut called = Vec::new();
    for a in agents {
        called.extend(a.await.unwrap());
    }
    let issued = issued.lock().unwrap().clone();
    assert_eq!(issued.len(), 320);
    numbered_once_without_gaps(&issued);
    let unique: HashSet<&String> = called.iter().collect();
    assert_eq!(unique.len(), called.len(), "no turn called twice");
    assert_eq!(called.len(), issued.len(), "every turn called");
    // Every screen, on every process, heard every call.
    for (i, screen) in screens.iter_mut().enumerate() {
        let mut heard = HashSet::new();
        while heard.len() < called.len() {
            let m = screen.next_of("call", 10).await;
            heard.insert(m["call"]["code"].as_str().unwrap().to_owned());
        }
        assert_eq!(
            heard,
            unique.iter().map(|c| (*c).clone()).collect(),
            "screen on process {i}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_the_office() {
    several_processes_share_the_office(2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_share_the_office() {
    several_processes_share_the_office(3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_the_office_on_a_redis_cluster() {
    let cluster = crate::helpers::RedisCluster::start();
    share_the_office(&cluster.url(), 2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_turn_issued_on_one_process_is_live_on_another() {
    let redis = RedisServer::start();
    let a = ServerProcess::start_on_redis(&redis.url());
    let b = ServerProcess::start_on_redis(&redis.url());
    let t = a.issue("caja").await.unwrap();
    let path = format!("/api/v1/tickets/{}", t["token"].as_str().unwrap());
    let mut seen = None;
    for _ in 0..100 {
        let (status, body) = b.get(&path).await;
        if status == 200 {
            seen = Some(body);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let seen = seen.expect("the turn is visible on the other process");
    assert_eq!(seen["code"], "C-001");
    assert_eq!(seen["status"], "waiting");
    // Called on A: B's page says so.
    let token = a.login("agente3").await;
    let v3 = "/api/v1/offices/central/counters/v3";
    assert_eq!(
        a.post(&format!("{v3}/open"), Some(&token), json!({}))
            .await
            .0,
        200
    );
    assert_eq!(
        a.post(&format!("{v3}/call-next"), Some(&token), json!({}))
            .await
            .0,
        200
    );
    let mut called = false;
    for _ in 0..100 {
        if b.get(&path).await.1["status"] == "called" {
            called = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(called, "the phone page on B follows the call made on A");
    // And numbering is one: the next caja turn on B is C-002.
    assert_eq!(b.issue("caja").await.unwrap()["code"], "C-002");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_one_process_mid_load_loses_no_acknowledged_turn() {
    let redis = RedisServer::start();
    let a = ServerProcess::start_on_redis(&redis.url());
    let b = ServerProcess::start_on_redis(&redis.url());
    let acknowledged = Arc::new(Mutex::new(Vec::<Value>::new()));
    let addresses = [a.address.clone(), b.address.clone()];
    let workers: Vec<_> = (0..16)
        .map(|i| {
            let address = addresses[i % 2].clone();
            let acknowledged = acknowledged.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut k = 0;
                // Until its process dies under it, or 60 turns.
                while k < 60 {
                    match issue(&client, &address, SERVICES[(i + k) % 3]).await {
                        Some(t) => acknowledged.lock().unwrap().push(t),
                        None => return,
                    }
                    k += 1;
                }
            })
        })
        .collect();
    while acknowledged.lock().unwrap().len() < 200 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    a.kill();
    for w in workers {
        w.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    for t in &acknowledged {
        let (status, now) = b
            .get(&format!("/api/v1/tickets/{}", t["token"].as_str().unwrap()))
            .await;
        assert_eq!(status, 200, "{} survived", t["code"]);
        assert_eq!(now["code"], t["code"]);
    }
    // A turn A wrote but could not answer before it died is in the log without being
    // acknowledged: acknowledged numbers are unique, and the log has no gap.
    let mut codes: Vec<&str> = acknowledged
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    codes.sort_unstable();
    let before = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), before, "no code acknowledged twice");
    let (_, office) = b.get("/api/v1/offices/central").await;
    for (i, service) in SERVICES.iter().enumerate() {
        let in_log = office["services"][i]["waiting"].as_u64().unwrap();
        let max = acknowledged
            .iter()
            .filter(|t| t["service"] == *service)
            .map(|t| t["number"].as_u64().unwrap())
            .max()
            .unwrap_or(0);
        assert!(
            in_log >= max,
            "{service}: {in_log} turns in the log, {max} acknowledged"
        );
    }
    // A new process takes over where A was, numbering intact.
    let c = ServerProcess::start_on_redis(&redis.url());
    let next = c.issue("registro").await.unwrap();
    let before = acknowledged
        .iter()
        .filter(|t| t["service"] == "registro")
        .count() as u64;
    assert!(next["number"].as_u64().unwrap() > before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_needs_the_shared_secret() {
    let redis = RedisServer::start();
    let data = tempfile::tempdir().unwrap();
    let log = data.path().join("log");
    let refused = ServerProcess::spawn(
        data.path(),
        None,
        Some(&log),
        &[("TURNERO_REDIS_URL", &redis.url()), ("TURNERO_SECRET", "")],
    );
    let said = refused.err().expect("no start without TURNERO_SECRET");
    assert!(said.contains("TURNERO_SECRET"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_throttle_holds_across_processes() {
    let redis = RedisServer::start();
    let a = ServerProcess::start_on_redis(&redis.url());
    let b = ServerProcess::start_on_redis(&redis.url());
    for _ in 0..5 {
        let (status, _) = a
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "agente2", "password": "wrong"}),
            )
            .await;
        assert_eq!(status, 401);
    }
    // The right password, on the other process: still throttled.
    let (status, body) = b
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "agente2", "password": "demo"}),
        )
        .await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"]["code"], "too_many_attempts");
    // Another user is not affected.
    assert!(b.login("agente3").await.len() > 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_turn_issued_on_one_process_is_found_at_once_on_another() {
    let redis = RedisServer::start();
    let a = ServerProcess::start_on_redis(&redis.url());
    let b = ServerProcess::start_on_redis(&redis.url());
    for i in 0..20 {
        let (issuer, reader) = if i % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let t = issuer.issue(SERVICES[i % 3]).await.unwrap();
        // No waiting: the load balancer may send the very next request elsewhere.
        let (status, seen) = reader
            .get(&format!("/api/v1/tickets/{}", t["token"].as_str().unwrap()))
            .await;
        assert_eq!((status, &seen["code"]), (200, &t["code"]), "{seen}");
    }
    // A token no process issued is still a quick 404.
    let (status, body) = a.get("/api/v1/tickets/AAAAAAAAAAAAAAAAAAAAAAAA").await;
    assert_eq!(status, 404, "{body}");
}
