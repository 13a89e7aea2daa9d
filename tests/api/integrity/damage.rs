//! One damaged byte in the middle of a day's log (a payload, a length, the magic) or a
//! torn tail: the records around it are kept, the office opens, no code repeats.

use super::*;

/// Damages a log written by a day of 90 turns, restarts, and checks the promises; returns
/// the restarted server and how many turns are gone.
async fn damaged(
    mutate: impl Fn(&mut Vec<u8>),
) -> (tempfile::TempDir, ServerProcess, usize, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let issued = day_with_turns(dir.path(), 90).await;
    let log = the_log(dir.path());
    let mut bytes = std::fs::read(&log).unwrap();
    mutate(&mut bytes);
    std::fs::write(&log, &bytes).unwrap();
    let server = ServerProcess::start(dir.path());
    let gone = every_intact_turn_and_no_repeated_code(&server, &issued).await;
    (dir, server, gone, bytes)
}

fn middle_record(bytes: &[u8]) -> usize {
    let starts = record_starts(bytes);
    starts[starts.len() / 2]
}

async fn damage_in_the_middle_is_kept_and_reported(mutate: impl Fn(&mut Vec<u8>)) {
    let (dir, server, gone, damaged_bytes) = damaged(mutate).await;
    assert!(gone <= 1, "{gone} turns lost to one damaged record");
    let (status, ready) = server.get("/readyz").await;
    assert_eq!(status, 200, "the office opens: {ready}");
    let damage = &ready["offices"][0]["damage"];
    assert!(damage.as_array().is_some_and(|d| !d.is_empty()), "{ready}");
    assert_eq!(
        metric(&server, "turnero_log_damage_total{office=\"central\"}").await,
        Some(1.0)
    );
    // Nothing was cut: the damaged file is still the start of the log.
    let now = std::fs::read(the_log(dir.path())).unwrap();
    assert!(
        now.starts_with(&damaged_bytes),
        "the log was cut or rewritten"
    );
    let kept_aside = std::fs::read_dir(dir.path().join("central"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".damaged-")
        })
        .count();
    assert!(
        kept_aside >= 1,
        "a copy of the damaged bytes is kept for inspection"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flipped_byte_in_a_record_in_the_middle() {
    damage_in_the_middle_is_kept_and_reported(|b| {
        let at = middle_record(b) + 40;
        b[at] ^= 0x20;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flipped_byte_in_a_length_in_the_middle() {
    damage_in_the_middle_is_kept_and_reported(|b| {
        let at = middle_record(b) + 5;
        b[at] ^= 0x01;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flipped_byte_in_the_magic() {
    let (_dir, server, gone, _) = damaged(|b| b[3] ^= 0x04).await;
    assert_eq!(gone, 0, "a damaged magic costs no record");
    let (status, ready) = server.get("/readyz").await;
    assert_eq!(status, 200, "{ready}");
    assert!(ready["offices"][0]["damage"].is_array(), "{ready}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_torn_tail_is_cut_kept_aside_and_costs_no_turn() {
    let (dir, server, gone, _) = damaged(|b| {
        // Half of a copy of the last record: what a power cut mid-write leaves.
        let last = *record_starts(b).last().unwrap();
        let half = b[last..last + (b.len() - last) / 2].to_vec();
        b.extend_from_slice(&half);
    })
    .await;
    assert_eq!(gone, 0);
    let (status, _) = server.get("/readyz").await;
    assert_eq!(status, 200);
    let cut = std::fs::read_dir(dir.path().join("central"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".corrupt-")
        })
        .count();
    assert_eq!(cut, 1, "the cut bytes are kept aside");
}
