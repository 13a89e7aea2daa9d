//! Several processes on one Redis when things go wrong: Redis killed and restarted, a
//! reply lost on the way back, a log shorter than what a process applied (a failover).

use super::{numbered_once_without_gaps, SERVICES};
use crate::helpers::{RedisServer, ServerProcess};
use crate::integrity::metric;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_and_restarted_loses_nothing_and_every_process_recovers() {
    let redis = RedisServer::start();
    let a = ServerProcess::start_on_redis(&redis.url());
    let b = ServerProcess::start_on_redis(&redis.url());
    let mut acknowledged = Vec::new();
    for i in 0..30 {
        let server = if i % 2 == 0 { &a } else { &b };
        acknowledged.push(server.issue(SERVICES[i % 3]).await.unwrap());
    }
    let (dir, port) = redis.kill();
    for server in [&a, &b] {
        let started = std::time::Instant::now();
        let (status, error) = server.issue("caja").await.unwrap_err();
        assert_eq!(status, 503, "{error}");
        assert_eq!(error["error"]["code"], "store_unavailable");
        assert!(
            started.elapsed() < Duration::from_millis(2500),
            "refused quickly, not hung: {:?}",
            started.elapsed()
        );
        assert_eq!(server.get("/readyz").await.0, 503);
        // What was acknowledged is still shown while Redis is away.
        let t = &acknowledged[0];
        let (status, _) = server
            .get(&format!("/api/v1/tickets/{}", t["token"].as_str().unwrap()))
            .await;
        assert_eq!(status, 200);
    }
    let _redis = RedisServer::start_in(dir, port);
    for server in [&a, &b] {
        let mut back = None;
        for _ in 0..100 {
            match server.issue("registro").await {
                Ok(t) => {
                    back = Some(t);
                    break;
                }
                Err((503, _)) => tokio::time::sleep(Duration::from_millis(100)).await,
                Err(other) => panic!("{other:?}"),
            }
        }
        acknowledged.push(back.expect("the process recovered by itself"));
        assert_eq!(server.get("/readyz").await.0, 200);
    }
    numbered_once_without_gaps(&acknowledged);
    for t in &acknowledged {
        let (status, now) = b
            .get(&format!("/api/v1/tickets/{}", t["token"].as_str().unwrap()))
            .await;
        assert_eq!(
            (status, &now["code"]),
            (200, &t["code"]),
            "nothing acknowledged lost"
        );
    }
}

/// A TCP proxy in front of Redis that, when armed, forwards the next script call and
/// then drops the connection instead of passing its reply on: the batch is written, the
/// writer never hears so.
struct DroppingProxy {
    port: u16,
    armed: Arc<AtomicBool>,
    dropped: Arc<std::sync::atomic::AtomicU32>,
}

impl DroppingProxy {
    async fn start(target: u16) -> DroppingProxy {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let armed = Arc::new(AtomicBool::new(false));
        let dropped = Arc::new(std::sync::atomic::AtomicU32::new(0));
        let (a, d) = (armed.clone(), dropped.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = tokio::net::TcpStream::connect(("127.0.0.1", target)).await else {
                    continue;
                };
                let (mut cr, mut cw) = client.into_split();
                let (mut sr, mut sw) = server.into_split();
                let drop_reply = Arc::new(AtomicBool::new(false));
                let (armed, marked) = (a.clone(), drop_reply.clone());
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 * 1024];
                    while let Ok(n) = cr.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                        let chunk = &buf[..n];
                        if chunk.windows(4).any(|w| w.eq_ignore_ascii_case(b"EVAL"))
                            && armed.swap(false, Ordering::SeqCst)
                        {
                            marked.store(true, Ordering::SeqCst);
                        }
                        if sw.write_all(chunk).await.is_err() {
                            break;
                        }
                    }
                });
                let dropped = d.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 * 1024];
                    while let Ok(n) = sr.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                        if drop_reply.load(Ordering::SeqCst) {
                            // The reply is lost with the connection.
                            dropped.fetch_add(1, Ordering::SeqCst);
                            let _ = cw.shutdown().await;
                            return;
                        }
                        if cw.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        DroppingProxy {
            port,
            armed,
            dropped,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_whose_reply_was_lost_is_recognised_not_applied_twice() {
    let redis = RedisServer::start();
    let proxy = DroppingProxy::start(redis.port).await;
    let a = ServerProcess::start_on_redis(&format!("redis://127.0.0.1:{}/", proxy.port));
    let mut acknowledged = Vec::new();
    for _ in 0..5 {
        acknowledged.push(a.issue("registro").await.unwrap());
    }
    proxy.armed.store(true, Ordering::SeqCst);
    let t = a
        .issue("registro")
        .await
        .expect("the retried batch is recognised as written");
    assert_eq!(
        proxy.dropped.load(Ordering::SeqCst),
        1,
        "a reply was really lost"
    );
    acknowledged.push(t);
    for _ in 0..5 {
        acknowledged.push(a.issue("registro").await.unwrap());
    }
    numbered_once_without_gaps(&acknowledged);
    // Straight to Redis, from another process: the log holds each turn once.
    let b = ServerProcess::start_on_redis(&redis.url());
    let (_, office) = b.get("/api/v1/offices/central").await;
    assert_eq!(office["services"][0]["waiting"], 11, "{office}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_shorter_than_what_a_process_applied_is_detected_and_the_day_rebuilt() {
    let redis = RedisServer::start();
    let a = ServerProcess::start_on_redis(&redis.url());
    let mut issued = Vec::new();
    for _ in 0..6 {
        issued.push(a.issue("caja").await.unwrap());
    }
    // As after a failover to a replica that had not received the last two records.
    let day = issued[0]["issued_at"].as_str().unwrap()[..10].to_owned();
    let key = format!("turnero:{{central}}:{day}:log");
    // The supervisors' alerts and forecasts follow the turns into the log a moment later:
    // the log is read once it is still.
    let xlen = || {
        let out = std::process::Command::new("redis-cli")
            .args(["-p", &redis.port.to_string(), "XLEN", &key])
            .output()
            .expect("redis-cli");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let mut last = xlen();
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = xlen();
        if now == last {
            break;
        }
        last = now;
    }
    // The records from the fifth turn on (the log also holds the alerts).
    let range = std::process::Command::new("redis-cli")
        .args(["-p", &redis.port.to_string(), "XRANGE", &key, "-", "+"])
        .output()
        .expect("redis-cli");
    let text = String::from_utf8_lossy(&range.stdout).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    let mut turns = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let is_id = line.split_once('-').is_some_and(|(a, b)| {
            !a.is_empty() && a.bytes().all(|c| c.is_ascii_digit()) && b == "1"
        });
        if is_id
            && lines
                .get(i + 2)
                .is_some_and(|e| e.contains("\"type\":\"ticket_issued\""))
        {
            turns.push(line.to_string());
        }
    }
    assert_eq!(turns.len(), 6, "{text}");
    // The replica lost the tail: every record from the fifth turn on.
    let first_lost: u64 = turns[4].trim_end_matches("-1").parse().unwrap();
    let lost: Vec<String> = lines
        .iter()
        .filter_map(|l| l.strip_suffix("-1")?.parse::<u64>().ok())
        .filter(|&k| k >= first_lost)
        .map(|k| format!("{k}-1"))
        .collect();
    let out = std::process::Command::new("redis-cli")
        .args(["-p", &redis.port.to_string(), "XDEL", &key])
        .args(&lost)
        .output()
        .expect("redis-cli");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        lost.len().to_string()
    );
    let mut rebuilt = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (_, office) = a.get("/api/v1/offices/central").await;
        if office["services"][2]["waiting"] == 4 {
            rebuilt = true;
            break;
        }
    }
    let (_, office) = a.get("/api/v1/offices/central").await;
    assert!(
        rebuilt,
        "the process follows the log as it now is: {}",
        office["services"][2]
    );
    let (status, _) = a
        .get(&format!(
            "/api/v1/tickets/{}",
            issued[5]["token"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        status, 404,
        "the lost turn is no longer shown as if it existed"
    );
    let value = |series: &'static str| {
        let a = &a;
        async move {
            metric(a, series)
                .await
                .unwrap_or_else(|| panic!("{series} missing from /metrics"))
        }
    };
    assert_eq!(
        value("turnero_store_rebuilds_total{office=\"central\"}").await,
        1.0
    );
    // Round trips to Redis and the process's own figures are there too.
    assert!(value("turnero_store_call_seconds_count").await >= 6.0);
    assert!(value("turnero_process_resident_memory_bytes").await > 1e6);
    assert!(value("turnero_process_open_fds").await > 3.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_replaced_at_the_same_version_is_detected_and_the_day_reloaded() {
    let redis = RedisServer::start();
    let a = ServerProcess::start_on_redis(&redis.url());
    let mut on_a = Vec::new();
    for _ in 0..5 {
        on_a.push(a.issue("caja").await.unwrap());
    }
    // A is frozen while Redis loses everything (a failover to a replica that had none of
    // it) and another process writes a day of the same length: the same version, other
    // records.
    let signal = |sig: &str| {
        let ok = std::process::Command::new("kill")
            .args([sig, &a.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill {sig}");
    };
    signal("-STOP");
    let out = std::process::Command::new("redis-cli")
        .args(["-p", &redis.port.to_string(), "FLUSHALL"])
        .output()
        .expect("redis-cli");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "OK");
    let b = ServerProcess::start_on_redis(&redis.url());
    let mut on_b = Vec::new();
    for _ in 0..5 {
        on_b.push(b.issue("registro").await.unwrap());
    }
    b.kill();
    signal("-CONT");

    let token = |t: &serde_json::Value| t["token"].as_str().unwrap().to_owned();
    let mut reloaded = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (status, _) = a.get(&format!("/api/v1/tickets/{}", token(&on_b[4]))).await;
        if status == 200 {
            reloaded = true;
            break;
        }
    }
    assert!(reloaded, "A reloads the day as the log now has it");
    let (status, _) = a.get(&format!("/api/v1/tickets/{}", token(&on_a[0]))).await;
    assert_eq!(
        status, 404,
        "the lost turns are not shown as if they existed"
    );
    // Numbering goes on from the log, not from what A had: no code handed out twice.
    let next = a.issue("registro").await.unwrap();
    assert_eq!(next["code"], "A-006", "{next}");
    assert_eq!(
        metric(&a, "turnero_store_rebuilds_total{office=\"central\"}").await,
        Some(1.0)
    );
}
