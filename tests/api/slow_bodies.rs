//! A body that stops coming, or trickles in slower than the floor rate, is dropped with a
//! JSON 408; a flood of such connections does not stop citizens taking turns.

use crate::helpers::spawn_app;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn start_post(address: &str, length: usize) -> TcpStream {
    let host = address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).await.unwrap();
    let head = format!(
        "POST /api/v1/offices/central/tickets HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n{{"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

async fn answer(stream: &mut TcpStream) -> String {
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(20), stream.read(&mut buf))
        .await
        .expect("an answer in time")
        .unwrap();
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_and_trickling_bodies_are_dropped_and_turns_keep_flowing() {
    let app = spawn_app().await;

    // Stalled: the body stops after one byte.
    let started = Instant::now();
    let mut stalled = start_post(&app.address, 64).await;
    let said = answer(&mut stalled).await;
    assert!(said.starts_with("HTTP/1.1 408"), "{said}");
    assert!(said.contains("request_timeout"), "{said}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );

    // Trickling: a byte a second, under the idle limit but far under the floor rate.
    let mut trickle = start_post(&app.address, 4096).await;
    let dropped = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if trickle.write_all(b" ").await.is_err() {
                return String::new();
            }
            let mut buf = [0u8; 2048];
            if let Ok(Ok(n)) =
                tokio::time::timeout(Duration::from_millis(10), trickle.read(&mut buf)).await
            {
                return String::from_utf8_lossy(&buf[..n]).into_owned();
            }
        }
    })
    .await
    .expect("the trickle is cut off");
    assert!(
        dropped.is_empty() || dropped.starts_with("HTTP/1.1 408"),
        "{dropped}"
    );

    // A flood of stalled bodies: a citizen still gets a turn at once.
    let mut flood = Vec::new();
    for _ in 0..200 {
        flood.push(start_post(&app.address, 1000).await);
    }
    let started = Instant::now();
    let ticket = app.issue("registro", "general").await;
    assert!(ticket["code"].is_string());
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    drop(flood);
    app.shutdown().await;
}
