//! The Web Push phase (`--web-push N`): N citizens subscribed to Web Push become "near"
//! at once, and a local push endpoint (`turnero_testkit::push`, the one the tests use)
//! checks each message's VAPID token, decrypts it and notes when it came. As in
//! `--notify`: N turns without a subscription first, then N subscribed (none near yet),
//! then a supervisor cancels the first N in one bulk cancel, so every subscribed turn is
//! near in the same instant. What it measures is the server's cost per message: the
//! ECDH and AES-GCM encryption (RFC 8291) and the ES256 signature of the VAPID token.

use crate::conn::{post, Conn};
use crate::screens::percentile;
use anyhow::{bail, Context, Result};
use std::path::Path;
use std::time::{Duration, Instant};
use turnero::webpush::VapidKeys;
use turnero_testkit::push::PushEndpoint;

/// The bench office with Web Push, near at `citizens` turns ahead, taking the local
/// (http, loopback) endpoint, with a supervisor for the bulk cancel.
fn config(base: &str, keys: &VapidKeys, citizens: usize, hash: &str) -> String {
    let with_rule = base.replacen(
        "always_open = true\n",
        &format!(
            "always_open = true\nnotify_at_position = {}\n",
            citizens - 1
        ),
        1,
    );
    let with_push = with_rule.replacen(
        "[[users]]",
        &format!(
            "[offices.notifications]\nvapid_private_key = \"{}\"\nvapid_subject = \"mailto:carga@example.org\"\n\n[[users]]",
            keys.private_base64url()
        ),
        1,
    );
    let with_server = with_push.replacen(
        "[server]\n",
        "[server]\nallow_insecure_push_endpoints = true\n",
        1,
    );
    format!(
        "{with_server}\n[[users]]\nusername = \"supervisora\"\nname = \"Supervisora\"\nrole = \"supervisor\"\noffice = \"bench\"\npassword_hash = \"{hash}\"\n"
    )
}

/// Takes `count` turns; with `subscription`, each is subscribed to it.
async fn issue_many(
    addr: &str,
    kiosk: &str,
    count: usize,
    subscription: Option<&serde_json::Value>,
) -> Result<()> {
    let mut conn = Conn::open(addr).await?;
    for _ in 0..count {
        let (status, answer) = conn
            .request(&post(
                "/api/v1/offices/bench/tickets",
                r#"{"service":"registro"}"#,
                Some(kiosk),
            ))
            .await?;
        if status != 201 {
            bail!("issue: {status} {}", String::from_utf8_lossy(&answer));
        }
        let Some(subscription) = subscription else {
            continue;
        };
        let ticket: serde_json::Value = serde_json::from_slice(&answer)?;
        let token = ticket["token"].as_str().context("token")?;
        let body = serde_json::json!({ "web_push": subscription }).to_string();
        let (status, answer) = conn
            .request(&post(
                &format!("/api/v1/tickets/{token}/notify"),
                &body,
                None,
            ))
            .await?;
        if status != 204 {
            bail!("notify: {status} {}", String::from_utf8_lossy(&answer));
        }
    }
    Ok(())
}

/// Runs the phase and prints messages per second and the delays.
pub async fn run(binary: &Path, citizens: usize, base_config: &str, kiosk: &str) -> Result<()> {
    let endpoint = PushEndpoint::start();
    let keys = VapidKeys::generate();
    endpoint.expect_vapid_key(&keys.public_base64url());
    let hash = turnero::http::auth::hash_password("carga")?;
    let text = config(&base_config.replace("HASH", &hash), &keys, citizens, &hash);
    let server = crate::start_server_with(binary, None, &text)?;
    println!("== {citizens} citizens subscribed to Web Push become near at once (embedded store, local decrypting push endpoint)");
    issue_many(&server.addr, kiosk, citizens, None).await?;
    let subscription = endpoint.subscription();
    issue_many(&server.addr, kiosk, citizens, Some(&subscription)).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let early = endpoint.received().len();
    if early != 0 {
        bail!("{early} messages before the turns became near");
    }
    let started = crate::notify::make_near_at_once(&server.addr, citizens).await?;
    let until = started + Duration::from_secs(120);
    let got = loop {
        let got = endpoint.received();
        if got.len() >= citizens || Instant::now() > until {
            break got;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    if got.len() < citizens {
        bail!(
            "only {} of {citizens} messages within 120 s (refused: {:?})",
            got.len(),
            endpoint.refused().first()
        );
    }
    if let Some(why) = endpoint.refused().first() {
        bail!("the push endpoint refused a message: {why}");
    }
    let mut delays: Vec<f64> = got
        .iter()
        .map(|r| r.at.duration_since(started).as_secs_f64() * 1000.0)
        .collect();
    delays.sort_by(f64::total_cmp);
    let first = delays[0];
    let last = delays[delays.len() - 1];
    println!(
        "messages: {}   throughput {:.0} messages/s (from the cancel's answer to the last arrival; {:.0}/s from the first arrival)",
        got.len(),
        got.len() as f64 / (last / 1000.0),
        (got.len() - 1) as f64 / ((last - first).max(0.001) / 1000.0)
    );
    println!(
        "delay from the turns becoming near to the push endpoint (decrypted): p50 {:.1} ms   p99 {:.1} ms   max {:.1} ms",
        percentile(&delays, 50.0),
        percentile(&delays, 99.0),
        last
    );
    let bytes = got.iter().map(|r| r.payload.len()).max().unwrap_or(0);
    println!("largest message: {bytes} bytes before encryption (limit 4096 once encrypted)");
    Ok(())
}
