//! The phones phase: citizens' pages following their own turns
//! (`/tickets/{token}/live`), an agent calling turns, and for each call the delay until
//! the called citizen's page hears it; then the server's memory with every page open.

use crate::conn::{post, Conn};
use anyhow::{bail, Context, Result};
use futures_util::{SinkExt, StreamExt};
use std::time::{Duration, Instant};

/// What the phase measured.
pub struct PhoneFigures {
    /// Delay from each call to its citizen's page, in ms, sorted.
    pub delays: Vec<f64>,
    /// Position messages received by all pages while the calls were made.
    pub updates: usize,
}

/// Opens `phones` pages, each following one of `phones` turns issued for the purpose on
/// `addr`, then makes `calls` calls. The pages stay open (in the returned tasks) so that
/// the caller can read the server's memory.
pub async fn phones_latency(
    addr: &str,
    kiosk_token: &str,
    phones: usize,
    calls: usize,
) -> Result<(PhoneFigures, Vec<tokio::task::JoinHandle<()>>)> {
    let mut conn = Conn::open(addr).await?;
    let mut tokens = Vec::with_capacity(phones);
    for _ in 0..phones {
        let (status, body) = conn
            .request(&post(
                "/api/v1/offices/bench/tickets",
                r#"{"service":"registro"}"#,
                Some(kiosk_token),
            ))
            .await?;
        if status != 201 {
            bail!("issue: {status}");
        }
        let ticket: serde_json::Value = serde_json::from_slice(&body)?;
        tokens.push((
            ticket["token"].as_str().context("token")?.to_owned(),
            ticket["code"].as_str().context("code")?.to_owned(),
        ));
    }
    // Each page reports (code, when) as soon as a message says its turn is called.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(String, Instant)>();
    let (count_tx, mut count_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let mut pages = Vec::with_capacity(phones);
    for (token, code) in &tokens {
        let url = format!("ws://{addr}/api/v1/tickets/{token}/live");
        let (ws, _) = tokio_tungstenite::connect_async(&url).await?;
        let (mut sink, mut stream) = ws.split();
        let (tx, count_tx, code) = (tx.clone(), count_tx.clone(), code.clone());
        pages.push(tokio::spawn(async move {
            let mut first = true;
            while let Some(Ok(msg)) = stream.next().await {
                match msg {
                    tokio_tungstenite::tungstenite::Message::Text(text) => {
                        let at = Instant::now();
                        // A cheap look, no JSON parse: the client adds little to the figure.
                        if text.contains(r#""status":"called""#) {
                            let _ = tx.send((code.clone(), at));
                        } else if !first && text.contains(r#""status":"waiting""#) {
                            let _ = count_tx.send(());
                        }
                        first = false;
                    }
                    tokio_tungstenite::tungstenite::Message::Ping(p) => {
                        let _ = sink
                            .send(tokio_tungstenite::tungstenite::Message::Pong(p))
                            .await;
                    }
                    _ => {}
                }
            }
        }));
    }
    drop(tx);
    drop(count_tx);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut agent = crate::agent::Agent::at_counter(addr).await?;
    let mut delays = Vec::with_capacity(calls);
    for _ in 0..calls.min(phones) {
        let (sent, code) = agent.call_next().await?;
        loop {
            let (got, at) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
                .await
                .context("the called citizen's page heard nothing in 10 s")?
                .context("pages closed")?;
            if got == code {
                delays.push(at.duration_since(sent).as_secs_f64() * 1000.0);
                break;
            }
        }
        agent.finish().await?;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Position updates are coalesced to one a second per page: let the last ones land.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut updates = 0;
    while count_rx.try_recv().is_ok() {
        updates += 1;
    }
    delays.sort_by(f64::total_cmp);
    Ok((PhoneFigures { delays, updates }, pages))
}
