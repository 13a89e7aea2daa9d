//! The notifications phase (`--notify N`): N citizens with a phone number become "near"
//! at once, and a local fake SMS gateway times each message's arrival. The office's near
//! rule is N turns ahead; N turns without a phone are taken first, then N with one (none
//! near yet), then a supervisor cancels the first N in one bulk cancel: every turn with a
//! phone is near in the same instant.

use crate::conn::{post, Conn};
use crate::screens::percentile;
use anyhow::{bail, Context, Result};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// When each message reached the fake gateway.
#[derive(Clone, Default)]
struct Arrivals(Arc<Mutex<Vec<Instant>>>);

impl Arrivals {
    fn push(&self, at: Instant) {
        self.0.lock().expect("not poisoned").push(at);
    }

    fn snapshot(&self) -> Vec<Instant> {
        self.0.lock().expect("not poisoned").clone()
    }
}

/// A fake gateway: answers every HTTP/1.1 request 200 on keep-alive connections and
/// notes when it came.
async fn fake_gateway() -> Result<(String, Arrivals)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/sms", listener.local_addr()?);
    let arrivals = Arrivals::default();
    let seen = arrivals.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut buf = Vec::with_capacity(4096);
                let mut chunk = [0u8; 4096];
                loop {
                    // One request: head, then Content-Length bytes of body.
                    let end = loop {
                        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break end;
                        }
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                    let length = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    while buf.len() < end + 4 + length {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    seen.push(Instant::now());
                    buf.drain(..end + 4 + length);
                    let answer = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{\"ok\":true}";
                    if stream.write_all(answer).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    Ok((url, arrivals))
}

/// The bench office told to send through `gateway`, near at `citizens` turns ahead, with
/// a supervisor for the bulk cancel.
fn config(base: &str, gateway: &str, citizens: usize, hash: &str) -> String {
    let with_rule = base.replacen(
        "always_open = true\n",
        &format!(
            "always_open = true\nnotify_at_position = {}\n",
            citizens - 1
        ),
        1,
    );
    let with_gateway = with_rule.replacen(
        "[[users]]",
        &format!("[offices.notifications]\ngateway_url = \"{gateway}\"\n\n[[users]]"),
        1,
    );
    format!(
        "{with_gateway}\n[[users]]\nusername = \"supervisora\"\nname = \"Supervisora\"\nrole = \"supervisor\"\noffice = \"bench\"\npassword_hash = \"{hash}\"\n"
    )
}

async fn issue_many(
    addr: &str,
    kiosk: &str,
    first: usize,
    count: usize,
    phones: bool,
) -> Result<()> {
    let mut conn = Conn::open(addr).await?;
    for i in first..first + count {
        let body = if phones {
            format!(r#"{{"service":"registro","phone":"+5730{:08}"}}"#, i)
        } else {
            r#"{"service":"registro"}"#.to_owned()
        };
        let (status, answer) = conn
            .request(&post("/api/v1/offices/bench/tickets", &body, Some(kiosk)))
            .await?;
        if status != 201 {
            bail!("issue: {status} {}", String::from_utf8_lossy(&answer));
        }
    }
    Ok(())
}

/// Runs the phase and prints messages per second and the delays.
pub async fn run(binary: &Path, citizens: usize, base_config: &str, kiosk: &str) -> Result<()> {
    let (gateway, arrivals) = fake_gateway().await?;
    let hash = turnero::http::auth::hash_password("carga")?;
    let text = config(
        &base_config.replace("HASH", &hash),
        &gateway,
        citizens,
        &hash,
    );
    let server = crate::start_server_with(binary, None, &text)?;
    println!("== {citizens} citizens with a phone become near at once (embedded store, local fake gateway)");
    issue_many(&server.addr, kiosk, 0, citizens, false).await?;
    issue_many(&server.addr, kiosk, 0, citizens, true).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let early = arrivals.snapshot().len();
    if early != 0 {
        bail!("{early} messages before the turns became near");
    }
    let started = crate::notify::make_near_at_once(&server.addr, citizens).await?;
    let until = started + Duration::from_secs(120);
    let got = loop {
        let got = arrivals.snapshot();
        if got.len() >= citizens || Instant::now() > until {
            break got;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    if got.len() < citizens {
        bail!("only {} of {citizens} messages within 120 s", got.len());
    }
    let mut delays: Vec<f64> = got
        .iter()
        .map(|at| at.duration_since(started).as_secs_f64() * 1000.0)
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
        "delay from the turns becoming near to the gateway: p50 {:.1} ms   p99 {:.1} ms   max {:.1} ms",
        percentile(&delays, 50.0),
        percentile(&delays, 99.0),
        last
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!(
        "messages in all after one more second: {} (one per citizen)",
        arrivals.snapshot().len()
    );
    Ok(())
}

/// Signs the bench's supervisor in and cancels the first `citizens` turns in one bulk
/// cancel, so the `citizens` turns behind them become near at once; returns when the
/// cancel was sent (the delays are measured from it).
pub(crate) async fn make_near_at_once(addr: &str, citizens: usize) -> Result<Instant> {
    let mut conn = Conn::open(addr).await?;
    let (status, body) = conn
        .request(&post(
            "/api/v1/auth/login",
            r#"{"username":"supervisora","password":"carga"}"#,
            None,
        ))
        .await?;
    if status != 200 {
        bail!("login: {status}");
    }
    let token = serde_json::from_slice::<serde_json::Value>(&body)?["token"]
        .as_str()
        .context("token")?
        .to_owned();
    let cancel = format!(r#"{{"service":"registro","from":1,"to":{citizens}}}"#);
    let started = Instant::now();
    let (status, body) = conn
        .request(&post(
            "/api/v1/offices/bench/tickets/cancel",
            &cancel,
            Some(&token),
        ))
        .await?;
    if status != 200 {
        bail!("bulk cancel: {status} {}", String::from_utf8_lossy(&body));
    }
    Ok(started)
}
