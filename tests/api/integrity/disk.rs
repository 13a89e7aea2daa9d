//! Real faults of the disk under a running server: the data folder made read-only
//! (`chattr +i`, which holds even for root), a full disk (a small tmpfs), and the `LOCK`
//! file deleted while a second process tries to start. Injecting the first two needs root,
//! as CI runs: in CI they fail rather than skip when the machine cannot inject the fault;
//! elsewhere, without root, they say so and skip.

use super::*;
use std::process::Command;
use std::time::Duration;

/// Whether this run may inject disk faults (root); in CI it must.
fn can_inject_disk_faults() -> bool {
    let uid = Command::new("id").arg("-u").output().ok();
    let root = uid.is_some_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !root {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the disk-fault tests as root"
        );
        eprintln!("skipped: injecting a read-only folder or a full disk needs root");
    }
    root
}

fn run(program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} is needed to inject this fault: {e}");
        });
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Makes a folder and everything in it immutable (or mutable again).
fn immutable(path: &Path, on: bool) {
    run(
        "chattr",
        &["-R", if on { "+i" } else { "-i" }, path.to_str().unwrap()],
    );
}

/// Makes a folder mutable again when dropped.
struct Mutable(PathBuf);

impl Drop for Mutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr")
            .arg("-R")
            .arg("-i")
            .arg(&self.0)
            .status();
    }
}

/// Issues until the office takes turns again (it recovers by itself), for at most 10 s.
async fn issue_when_back(server: &ServerProcess, service: &str) -> Value {
    for _ in 0..100 {
        match server.issue(service).await {
            Ok(t) => return t,
            Err((503, _)) => tokio::time::sleep(Duration::from_millis(100)).await,
            Err(other) => panic!("{other:?}"),
        }
    }
    panic!("the office did not come back by itself");
}

async fn refused_and_not_ready(server: &ServerProcess) {
    for service in SERVICES {
        let (status, error) = server.issue(service).await.unwrap_err();
        assert_eq!(status, 503, "{error}");
        assert_eq!(error["error"]["code"], "store_unavailable");
    }
    let (status, ready) = server.get("/readyz").await;
    assert_eq!(status, 503, "{ready}");
    assert!(
        ready["error"]["message"]
            .as_str()
            .unwrap()
            .contains("central")
            || ready["offices"][0]["ready"] == false,
        "{ready}"
    );
}

/// The promises after the fault is gone: numbering went on with no gap and no repeat,
/// and after a restart every acknowledged turn is there.
async fn nothing_acknowledged_lost(
    data: &Path,
    server: ServerProcess,
    mut acknowledged: Vec<Value>,
) {
    for service in SERVICES {
        let t = issue_when_back(&server, service).await;
        let before = acknowledged
            .iter()
            .filter(|a| a["service"] == service)
            .count() as u64;
        assert_eq!(
            t["number"].as_u64().unwrap(),
            before + 1,
            "{service}: no gap, no repeat"
        );
        acknowledged.push(t);
    }
    assert!(server.terminate().success());
    let server = ServerProcess::start(data);
    assert_eq!(
        every_intact_turn_and_no_repeated_code(&server, &acknowledged).await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_folder_refuses_turns_and_the_office_comes_back_by_itself() {
    if !can_inject_disk_faults() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = ServerProcess::start(&data);
    let mut acknowledged = Vec::new();
    for i in 0..20 {
        acknowledged.push(server.issue(SERVICES[i % 3]).await.unwrap());
    }
    immutable(&data, true);
    // Mutable again however the test ends, so the folder can be removed.
    let _guard = Mutable(data.clone());
    refused_and_not_ready(&server).await;
    // An agent's call is refused too: nothing is decided on a state that is not durable.
    let token = server.login("agente1").await;
    let (status, _) = server
        .post(
            "/api/v1/offices/central/counters/v1/open",
            Some(&token),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(status, 503);
    let (_, queue) = server.get("/api/v1/offices/central/queue").await;
    let waiting: u64 = queue["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["count"].as_u64().unwrap())
        .sum();
    assert_eq!(
        waiting, 20,
        "the lobby shows what is durable, nothing refused"
    );
    immutable(&data, false);
    nothing_acknowledged_lost(&data, server, acknowledged).await;
}

/// A small tmpfs mounted for the test, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(at: &Path, size: &str) -> SmallDisk {
        std::fs::create_dir_all(at).unwrap();
        run(
            "mount",
            &[
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size}"),
                "tmpfs",
                at.to_str().unwrap(),
            ],
        );
        SmallDisk(at.to_path_buf())
    }

    /// Fills the disk until a write fails with ENOSPC.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let filler = self.0.join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 4096];
        loop {
            match f.write_all(&block).and_then(|()| f.sync_all()) {
                Ok(()) => {}
                Err(e) if e.raw_os_error() == Some(28) => return filler,
                Err(e) => panic!("{e}"),
            }
        }
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_turns_and_the_office_comes_back_when_there_is_room() {
    if !can_inject_disk_faults() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let disk = SmallDisk::mount(&dir.path().join("disk"), "4m");
    let data = disk.0.join("data");
    let server = ServerProcess::start(&data);
    let mut acknowledged = Vec::new();
    for i in 0..20 {
        acknowledged.push(server.issue(SERVICES[i % 3]).await.unwrap());
    }
    let filler = disk.fill();
    // Appends still fit in the log's last page for a while: the first refusal comes when
    // the log needs a new block.
    let mut refused = false;
    for _ in 0..2000 {
        match server.issue("registro").await {
            Ok(t) => acknowledged.push(t),
            Err((503, _)) => {
                refused = true;
                break;
            }
            Err(other) => panic!("{other:?}"),
        }
    }
    assert!(refused, "a full disk refuses turns");
    refused_and_not_ready(&server).await;
    std::fs::remove_file(filler).unwrap();
    nothing_acknowledged_lost(&data, server, acknowledged).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_the_lock_file_lets_no_second_process_in() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let first = ServerProcess::start(&data);
    let t = first.issue("caja").await.unwrap();
    assert_eq!(t["code"], "C-001");
    std::fs::remove_file(data.join("LOCK")).unwrap();
    let log = dir.path().join("second.log");
    let second = ServerProcess::try_start(&data, None, Some(&log));
    let said = match second {
        Ok(_) => panic!("a second process started on a folder in use"),
        Err(said) => said,
    };
    assert!(
        said.contains("otro proceso de Turnero usa la carpeta"),
        "{said}"
    );
    // The first one goes on alone, numbering intact.
    assert_eq!(first.issue("caja").await.unwrap()["code"], "C-002");
}
