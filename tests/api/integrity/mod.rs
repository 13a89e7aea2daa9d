//! The log keeps every acknowledged turn through real faults: damaged bytes, torn tails,
//! events of a newer version, a changed configuration, a deleted `LOCK`, a read-only
//! folder and a full disk. After each: every intact turn is there with its code, no code
//! is issued twice that day, and the server answers.

mod config_change;
mod damage;
mod disk;
mod unknown;

use crate::helpers::ServerProcess;
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The demo office's services.
pub const SERVICES: [&str; 3] = ["registro", "catastro", "caja"];

/// Starts the demo office on `data`, issues `n` turns over its services, stops it cleanly.
pub async fn day_with_turns(data: &Path, n: usize) -> Vec<Value> {
    let server = ServerProcess::start(data);
    let mut issued = Vec::new();
    for i in 0..n {
        issued.push(server.issue(SERVICES[i % 3]).await.unwrap());
    }
    assert!(server.terminate().success());
    issued
}

/// Today's log of the demo office (the only one in the folder).
pub fn the_log(data: &Path) -> PathBuf {
    let logs: Vec<_> = std::fs::read_dir(data.join("central"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    logs[0].clone()
}

/// Where each record of a log starts (its sync marker).
pub fn record_starts(bytes: &[u8]) -> Vec<usize> {
    bytes
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == [0xFF, b'T', b'R', b'N'])
        .map(|(i, _)| i)
        .collect()
}

/// A record as the embedded store frames it, with any payload (an event of a newer
/// version, say).
pub fn raw_record(payload: &[u8], schema: u16, flags: u16) -> Vec<u8> {
    let mut header = Vec::new();
    header.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    header.extend_from_slice(&schema.to_le_bytes());
    header.extend_from_slice(&flags.to_le_bytes());
    let mut crc = crc32fast::Hasher::new();
    crc.update(&header);
    crc.update(payload);
    let mut out = vec![0xFF, b'T', b'R', b'N'];
    out.extend_from_slice(&header);
    out.extend_from_slice(&crc.finalize().to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// Checks a restarted server: every turn of `issued` not in `lost_at_most` is there with
/// its code; new turns of every service get codes never given before. Returns how many of
/// `issued` are gone.
pub async fn every_intact_turn_and_no_repeated_code(
    server: &ServerProcess,
    issued: &[Value],
) -> usize {
    let mut gone = 0;
    for t in issued {
        let (status, now) = server
            .get(&format!("/api/v1/tickets/{}", t["token"].as_str().unwrap()))
            .await;
        if status == 404 {
            gone += 1;
            continue;
        }
        assert_eq!(status, 200, "{now}");
        assert_eq!(now["code"], t["code"]);
    }
    let given: HashSet<String> = issued
        .iter()
        .map(|t| t["code"].as_str().unwrap().to_owned())
        .collect();
    for service in SERVICES {
        for _ in 0..3 {
            let t = server
                .issue(service)
                .await
                .expect("the server issues turns");
            let code = t["code"].as_str().unwrap().to_owned();
            assert!(!given.contains(&code), "{code} was given twice today");
        }
    }
    gone
}

/// A metric's value in `/metrics` text.
pub async fn metric(server: &ServerProcess, series: &str) -> Option<f64> {
    let text = server
        .client
        .get(format!("{}/metrics", server.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.trim().parse().ok())
}
