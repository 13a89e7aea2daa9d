//! A log holding an event this version does not know (written by a newer Turnero during a
//! rolling upgrade, or before a downgrade) is never cut or rewritten: the office is served
//! read-only, unless the event is marked safe to skip.

use super::*;

const FUTURE: &[u8] =
    br#"{"type":"queue_merged","from":"caja","into":"registro","at":"2026-12-01T15:00:00Z"}"#;

async fn with_record(
    at_end: bool,
    flags: u16,
) -> (tempfile::TempDir, ServerProcess, Vec<Value>, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let issued = day_with_turns(dir.path(), 12).await;
    let log = the_log(dir.path());
    let mut bytes = std::fs::read(&log).unwrap();
    let record = raw_record(FUTURE, 99, flags);
    if at_end {
        bytes.extend_from_slice(&record);
    } else {
        let starts = record_starts(&bytes);
        let at = starts[starts.len() / 2];
        bytes.splice(at..at, record);
    }
    std::fs::write(&log, &bytes).unwrap();
    let server = ServerProcess::start(dir.path());
    (dir, server, issued, bytes)
}

async fn served_read_only(at_end: bool) {
    let (dir, server, issued, written) = with_record(at_end, 0).await;
    for t in &issued {
        let (status, now) = server
            .get(&format!("/api/v1/tickets/{}", t["token"].as_str().unwrap()))
            .await;
        assert_eq!(status, 200, "reading still works: {now}");
        assert_eq!(now["code"], t["code"]);
    }
    let (status, error) = server.issue("registro").await.unwrap_err();
    assert_eq!(status, 503, "{error}");
    assert_eq!(error["error"]["code"], "office_read_only");
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("versión más nueva"),
        "{error}"
    );
    let (status, ready) = server.get("/readyz").await;
    assert_eq!(status, 200, "{ready}");
    assert_eq!(ready["offices"][0]["read_only"]["event"], "queue_merged");
    assert_eq!(
        metric(&server, "turnero_office_read_only{office=\"central\"}").await,
        Some(1.0)
    );
    drop(server);
    assert_eq!(
        std::fs::read(the_log(dir.path())).unwrap(),
        written,
        "the log is neither cut nor rewritten"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_event_in_the_middle_makes_the_office_read_only() {
    served_read_only(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_event_at_the_end_makes_the_office_read_only() {
    served_read_only(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_event_marked_skippable_is_skipped() {
    let (dir, server, issued, written) = with_record(true, 1).await;
    assert_eq!(
        every_intact_turn_and_no_repeated_code(&server, &issued).await,
        0
    );
    drop(server);
    assert!(std::fs::read(the_log(dir.path()))
        .unwrap()
        .starts_with(&written));
}
