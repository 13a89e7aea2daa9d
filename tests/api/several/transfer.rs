//! `turnero export` and `import`: an office moves from Redis to a folder and back, every
//! turn with its code, numbering going on.

use super::SERVICES;
use crate::helpers::{RedisServer, ServerProcess};
use std::process::Command;

fn turnero(args: &[&str], redis: &str) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_turnero"))
        .args(args)
        .env("TURNERO_REDIS_URL", redis)
        .env_remove("TURNERO_CONFIG")
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_office_moves_from_redis_to_a_folder_and_back() {
    let first = RedisServer::start();
    let server = ServerProcess::start_on_redis(&first.url());
    let mut issued = Vec::new();
    for i in 0..9 {
        issued.push(server.issue(SERVICES[i % 3]).await.unwrap());
    }
    assert!(server.terminate().success());

    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().to_str().unwrap();
    let (ok, said) = turnero(&["export", "--to", dir], &first.url());
    assert!(ok, "{said}");
    assert!(said.contains("registros copiados"), "{said}");
    let (ok, said) = turnero(&["check-data", dir], &first.url());
    assert!(ok, "the exported folder checks clean: {said}");
    // Exporting again changes nothing.
    let (ok, said) = turnero(&["export", "--to", dir], &first.url());
    assert!(ok && said.contains("no se tocó"), "{said}");

    let embedded = ServerProcess::start(folder.path());
    for t in &issued {
        let (status, now) = embedded
            .get(&format!("/api/v1/tickets/{}", t["token"].as_str().unwrap()))
            .await;
        assert_eq!((status, &now["code"]), (200, &t["code"]));
    }
    assert!(embedded.terminate().success());

    let second = RedisServer::start();
    let (ok, said) = turnero(&["import", "--from", dir], &second.url());
    assert!(ok, "{said}");
    let server = ServerProcess::start_on_redis(&second.url());
    for t in &issued {
        let (status, now) = server
            .get(&format!("/api/v1/tickets/{}", t["token"].as_str().unwrap()))
            .await;
        assert_eq!((status, &now["code"]), (200, &t["code"]));
    }
    assert_eq!(server.issue("registro").await.unwrap()["code"], "A-004");
}
