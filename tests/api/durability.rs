//! Nothing acknowledged is lost: not on a restart, not on SIGKILL in the middle of issuing.

use crate::helpers::ServerProcess;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub(crate) async fn issue(client: &reqwest::Client, address: &str, service: &str) -> Option<Value> {
    let r = client
        .post(format!("{address}/api/v1/offices/central/tickets"))
        .bearer_auth(crate::helpers::kiosk_token())
        .json(&json!({"service": service}))
        .send()
        .await
        .ok()?;
    if r.status().as_u16() != 201 {
        return None;
    }
    r.json().await.ok()
}

async fn ticket(client: &reqwest::Client, address: &str, token: &str) -> Value {
    client
        .get(format!("{address}/api/v1/tickets/{token}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_keeps_every_turn() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let server = ServerProcess::start(dir.path());
    let mut issued = Vec::new();
    for i in 0..30 {
        issued.push(
            issue(&client, &server.address, ["registro", "caja"][i % 2])
                .await
                .unwrap(),
        );
    }
    let status = server.terminate();
    assert!(status.success(), "SIGTERM exits 0: {status:?}");

    let server = ServerProcess::start(dir.path());
    for t in &issued {
        let now = ticket(&client, &server.address, t["token"].as_str().unwrap()).await;
        assert_eq!(now["code"], t["code"]);
        assert_eq!(now["status"], "waiting");
    }
    let next = issue(&client, &server.address, "registro").await.unwrap();
    assert_eq!(
        next["code"], "A-016",
        "numbering continues after the restart"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_while_issuing_loses_no_acknowledged_turn() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let server = ServerProcess::start(dir.path());
    let acknowledged = Arc::new(Mutex::new(Vec::<Value>::new()));
    let address = server.address.clone();
    let issuers: Vec<_> = (0..16)
        .map(|i| {
            let client = client.clone();
            let address = address.clone();
            let acknowledged = acknowledged.clone();
            tokio::spawn(async move {
                // Until the server dies under us.
                while let Some(t) =
                    issue(&client, &address, ["registro", "catastro", "caja"][i % 3]).await
                {
                    acknowledged.lock().unwrap().push(t);
                }
            })
        })
        .collect();
    // Let a few hundred turns through, then pull the plug mid-stream.
    while acknowledged.lock().unwrap().len() < 300 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    for h in issuers {
        h.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 300);

    let server = ServerProcess::start(dir.path());
    for t in &acknowledged {
        let now = ticket(&client, &server.address, t["token"].as_str().unwrap()).await;
        assert_eq!(
            now["code"], t["code"],
            "acknowledged turn {} survived",
            t["code"]
        );
    }
    // Numbering continues: one past the highest number that reached the disk, with every
    // number below it present (none skipped).
    let (_, office): (u16, Value) = {
        let r = client
            .get(format!("{}/api/v1/offices/central", server.address))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap())
    };
    for (i, service) in ["registro", "catastro", "caja"].iter().enumerate() {
        let durable = office["services"][i]["waiting"].as_u64().unwrap();
        let next = issue(&client, &server.address, service).await.unwrap();
        assert_eq!(
            next["number"].as_u64().unwrap(),
            durable + 1,
            "{service}: no gap, no repeat"
        );
        let acked_max = acknowledged
            .iter()
            .filter(|t| t["service"] == *service)
            .map(|t| t["number"].as_u64().unwrap())
            .max()
            .unwrap_or(0);
        assert!(durable >= acked_max);
    }
}
