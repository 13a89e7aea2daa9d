//! Sign-in that cannot be used as a weapon: a flood of wrong passwords leaves memory flat
//! and turns flowing (checks run a few at a time; the rest get 503 with `Retry-After`);
//! guesses are throttled per (username, address) and per address, with a true
//! `Retry-After`, so the real user at their own window still signs in; a client cannot
//! pick its address unless it is a configured proxy.

use crate::helpers::ServerProcess;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The demo office behind a trusted proxy (127.0.0.1), with agente1 and agente2.
fn config(dir: &Path) -> PathBuf {
    let hash = turnero::http::auth::hash_password("demo").unwrap();
    let mut text = format!(
        "[server]\ntrusted_proxies = [\"127.0.0.1\"]\n\n{}",
        crate::helpers::demo_toml_paired()
    );
    for user in ["agente1", "agente2"] {
        text.push_str(&format!(
            "\n[[users]]\nusername = \"{user}\"\nname = \"{user}\"\nrole = \"agent\"\noffice = \"central\"\npassword_hash = \"{hash}\"\n"
        ));
    }
    let path = dir.join("turnero.toml");
    std::fs::write(&path, text).unwrap();
    path
}

async fn sign_in(
    server: &ServerProcess,
    from: &str,
    username: &str,
    password: &str,
) -> (u16, Option<u64>, Value) {
    let r = server
        .client
        .post(format!("{}/api/v1/auth/login", server.address))
        .header("x-forwarded-for", from)
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let retry = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok()?.parse().ok());
    (status, retry, r.json().await.unwrap_or_default())
}

fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .unwrap()
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap();
    kb / 1024.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_is_throttled_per_address_and_the_real_user_still_signs_in() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::spawn(dir.path(), Some(&config(dir.path())), None, &[])
        .unwrap_or_else(|e| panic!("{e}"));
    let attacker = "203.0.113.9";
    for _ in 0..5 {
        let (status, _, _) = sign_in(&server, attacker, "agente1", "mala").await;
        assert_eq!(status, 401);
    }
    let (status, retry, body) = sign_in(&server, attacker, "agente1", "demo").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("too_many_attempts"))
    );
    let retry = retry.expect("Retry-After");
    assert!(
        (290..=300).contains(&retry),
        "the window's true rest: {retry}"
    );
    // The real user, at their own window, is not locked out.
    let (status, _, body) = sign_in(&server, "198.51.100.4", "agente1", "demo").await;
    assert_eq!(status, 200, "{body}");
    // Guessing across usernames from one address is throttled too.
    let sprayer = "203.0.113.10";
    for i in 0..20 {
        let (status, _, _) = sign_in(&server, sprayer, &format!("nadie{i}"), "x").await;
        assert_eq!(status, 401, "attempt {i}");
    }
    let (status, retry, _) = sign_in(&server, sprayer, "agente2", "demo").await;
    assert_eq!(status, 429);
    assert!(retry.unwrap() >= 1);
    // agente2 from elsewhere signs in.
    assert_eq!(
        sign_in(&server, "198.51.100.5", "agente2", "demo").await.0,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_cannot_choose_its_address_unless_it_is_a_proxy() {
    // The demo trusts no proxy: X-Forwarded-For is ignored, the peer is the address.
    let data = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(data.path());
    for i in 0..5 {
        let (status, _, _) = sign_in(&server, &format!("198.51.100.{i}"), "agente1", "mala").await;
        assert_eq!(status, 401);
    }
    let (status, _, _) = sign_in(&server, "198.51.100.99", "agente1", "demo").await;
    assert_eq!(
        status, 429,
        "a new forwarded address does not lift the throttle"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_wrong_sign_ins_leaves_memory_flat_and_turns_flowing() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::spawn(dir.path(), Some(&config(dir.path())), None, &[])
        .unwrap_or_else(|e| panic!("{e}"));
    let pid = server.child.id();
    let before = rss_mb(pid);
    for flood in [64usize, 200] {
        let attempts: Vec<_> = (0..flood)
            .map(|i| {
                let client = server.client.clone();
                let url = format!("{}/api/v1/auth/login", server.address);
                // Each from its own address: the throttle does not stop them, the pool must.
                let from = format!("10.{}.{}.{}", flood % 250, i / 250, i % 250 + 1);
                tokio::spawn(async move {
                    let r = client
                        .post(url)
                        .header("x-forwarded-for", from)
                        .json(&json!({"username": "agente1", "password": "mala"}))
                        .send()
                        .await
                        .unwrap();
                    (r.status().as_u16(), r.headers().contains_key("retry-after"))
                })
            })
            .collect();
        // Meanwhile citizens take turns, one after another, until the flood is over.
        let mut peak = rss_mb(pid);
        let mut latencies = Vec::new();
        while latencies.len() < 20
            || (!attempts.iter().all(|a| a.is_finished()) && latencies.len() < 500)
        {
            let started = Instant::now();
            let ticket = server.issue("registro").await.unwrap();
            latencies.push(started.elapsed().as_secs_f64() * 1000.0);
            assert!(ticket["code"].is_string());
            peak = peak.max(rss_mb(pid));
        }
        latencies.sort_by(f64::total_cmp);
        let at = |q: f64| {
            latencies[((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1]
        };
        let (p50, p99) = (at(0.5), at(0.99));
        let mut busy = 0;
        for a in attempts {
            peak = peak.max(rss_mb(pid));
            let (status, retry) = a.await.unwrap();
            assert!(matches!(status, 401 | 503), "{status}");
            if status == 503 {
                assert!(retry, "503 says when to retry");
                busy += 1;
            }
        }
        peak = peak.max(rss_mb(pid));
        println!(
            "{flood} concurrent wrong sign-ins: server RSS {before:.1} → peak {peak:.1} MB; {} turns issued meanwhile, p50 {p50:.1} ms, p99 {p99:.1} ms; {busy} sign-ins answered 503",
            latencies.len()
        );
        // Bounds far from noise: unbounded, 64 took it to 753 MB and a turn to 1.5 s.
        assert!(peak - before < 250.0, "memory grew {:.0} MB", peak - before);
        assert!(p99 < 1000.0, "turns took up to {p99:.0} ms");
        assert!(busy > 0, "the flood is turned away, not queued without end");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
