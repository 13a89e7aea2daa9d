//! EIO on write, on fsync, on cutting back and on reload: nothing refused survives, nothing
//! acknowledged is lost, no number is given twice, and the office comes back by itself.

use super::*;
use crate::engine::EngineError;
use std::sync::atomic::Ordering;
use std::time::Duration;

async fn refused(office: &OfficeHandle) {
    let r = office.execute(issue()).await;
    assert!(matches!(r, Err(EngineError::Store(_))), "{r:?}");
}

/// Issues until the office takes writes again (it retries by itself), for at most 5 s.
async fn issue_when_back(office: &OfficeHandle) -> u32 {
    for _ in 0..100 {
        match office.execute(issue()).await {
            Ok(o) => return number(&o),
            Err(EngineError::Store(_)) => tokio::time::sleep(Duration::from_millis(50)).await,
            Err(e) => panic!("{e:?}"),
        }
    }
    panic!("the office did not come back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_fsync_acknowledges_nothing_and_skips_no_number() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, office, store) = start(dir.path());
    assert_eq!(number(&office.execute(issue()).await.unwrap()), 1);
    assert_eq!(number(&office.execute(issue()).await.unwrap()), 2);

    store.faults.sync.store(true, Ordering::SeqCst);
    refused(&office).await;
    assert_eq!(office.read(|s| s.tickets.len()), 2, "readers never saw it");
    store.faults.sync.store(false, Ordering::SeqCst);
    // The refused turn was cut from the log and the state: its number is issued again.
    assert_eq!(issue_when_back(&office).await, 3);

    store.faults.write.store(true, Ordering::SeqCst);
    refused(&office).await;
    store.faults.write.store(false, Ordering::SeqCst);
    assert_eq!(issue_when_back(&office).await, 4);

    engine.shutdown();
    drop((engine, office, store));
    assert_eq!(
        numbers_after_restart(dir.path()),
        [1, 2, 3, 4],
        "only what was acknowledged is in the log"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_write_whose_recovery_also_fails_closes_the_office_until_the_disk_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, office, store) = start(dir.path());
    for n in 1..=5 {
        assert_eq!(number(&office.execute(issue()).await.unwrap()), n);
    }
    // The disk goes: writes fail, and so does cutting the log back.
    store.faults.sync.store(true, Ordering::SeqCst);
    store.faults.discard.store(true, Ordering::SeqCst);
    refused(&office).await;
    store.faults.sync.store(false, Ordering::SeqCst);
    // Writes would work again, but the log could not be made sure of: still refused, and
    // the state readers see is what is durable.
    for _ in 0..5 {
        refused(&office).await;
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
    assert_eq!(office.read(|s| s.tickets.len()), 5);
    let health = office.health();
    assert!(health.unavailable.is_some(), "{health:?}");
    assert!(!health.ready());
    // A call by an agent is refused just the same: nothing is decided on that state.
    let call = office
        .execute(Command::Counter {
            counter: "v1".into(),
            agent: "agente1".into(),
            action: crate::domain::CounterAction::Open,
        })
        .await;
    assert!(matches!(call, Err(EngineError::Store(_))), "{call:?}");

    store.faults.discard.store(false, Ordering::SeqCst);
    assert_eq!(
        issue_when_back(&office).await,
        6,
        "no number skipped, none repeated"
    );
    assert!(office.health().ready());
    engine.shutdown();
    drop((engine, office, store));
    assert_eq!(numbers_after_restart(dir.path()), [1, 2, 3, 4, 5, 6]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_recovers_without_a_restart_when_it_comes_back_idle() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, office, store) = start(dir.path());
    office.execute(issue()).await.unwrap();
    store.faults.write.store(true, Ordering::SeqCst);
    store.faults.discard.store(true, Ordering::SeqCst);
    refused(&office).await;
    store.faults.write.store(false, Ordering::SeqCst);
    store.faults.discard.store(false, Ordering::SeqCst);
    // Nobody asks anything: the writer's tick recovers on its own.
    let mut ready = false;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if office.health().ready() {
            ready = true;
            break;
        }
    }
    assert!(ready, "{:?}", office.health());
    assert_eq!(number(&office.execute(issue()).await.unwrap()), 2);
    engine.shutdown();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eio_while_reading_what_another_writer_wrote_refuses_until_it_can_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, office, store) = start(dir.path());
    assert_eq!(number(&office.execute(issue()).await.unwrap()), 1);
    // Another writer gets in first, and the log cannot be read back just then.
    let (_, theirs) = super::foreign::foreign_issue(&store, &office);
    store.faults.load.store(true, Ordering::SeqCst);
    refused(&office).await;
    refused(&office).await;
    assert!(!office.health().ready());
    assert_eq!(
        office.read(|s| s.tickets.len()),
        1,
        "nothing decided on a guess"
    );
    store.faults.load.store(false, Ordering::SeqCst);
    // Back: their turn is taken in, and numbering continues above it.
    assert_eq!(issue_when_back(&office).await, theirs + 1);
    assert_eq!(office.read(|s| s.tickets.len()), 3);
    engine.shutdown();
    drop((engine, office, store));
    assert_eq!(numbers_after_restart(dir.path()), [1, 2, 3]);
}
