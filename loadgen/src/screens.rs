//! The latency phase: lobby screens connected over WebSocket, an agent calling turns, and
//! the delay from each call to its arrival at every screen.

use anyhow::{Context, Result};
use futures_util::{SinkExt, StreamExt};
use std::time::{Duration, Instant};

/// The `code` of a `call` message, found without parsing the whole JSON.
fn call_code(text: &str) -> Option<&str> {
    if !text.starts_with(r#"{"type":"call""#) && !text.contains(r#""type":"call""#) {
        return None;
    }
    let start = text.find(r#""code":""#)? + 8;
    let len = text[start..].find('"')?;
    Some(&text[start..start + len])
}

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Screens spread over `addrs`; the calls are made on the first.
pub async fn screens_latency(
    addrs: &[String],
    screens: usize,
    calls: usize,
) -> Result<(Vec<f64>, Vec<tokio::task::JoinHandle<()>>)> {
    let addr = &addrs[0];
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(String, Instant)>();
    let mut readers = Vec::new();
    for i in 0..screens {
        let url = format!(
            "ws://{}/api/v1/offices/bench/display",
            addrs[i % addrs.len()]
        );
        let (ws, _) = tokio_tungstenite::connect_async(&url).await?;
        let (mut sink, mut stream) = ws.split();
        let tx = tx.clone();
        readers.push(tokio::spawn(async move {
            while let Some(Ok(msg)) = stream.next().await {
                match msg {
                    tokio_tungstenite::tungstenite::Message::Text(text) => {
                        // Time first; then a cheap look for the code (no JSON parse), so
                        // the client's own work adds as little as possible to the figure.
                        let at = Instant::now();
                        if let Some(code) = call_code(&text) {
                            let _ = tx.send((code.to_owned(), at));
                        }
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
    // Every screen has its snapshot before the first call.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut agent = crate::agent::Agent::at_counter(addr).await?;
    let mut delays = Vec::with_capacity(screens * calls);
    for _ in 0..calls {
        let (sent, code) = agent.call_next().await?;
        let mut arrived = 0;
        while arrived < screens {
            let (got, at) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
                .await
                .context("una pantalla no recibió el llamado en 10 s")?
                .context("pantallas cerradas")?;
            if got == code {
                delays.push(at.duration_since(sent).as_secs_f64() * 1000.0);
                arrived += 1;
            }
        }
        agent.finish().await?;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok((delays, readers))
}
