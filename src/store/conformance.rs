//! The store contract, written once against the trait: any store that passes these checks
//! can carry the engine, alone or shared by several processes. `store_conformance!(make)`
//! expands to one test per check, each on a fresh store from `make()`.

use super::{BatchId, EventStore, StoreError};
use crate::domain::log::{events_of, version_of};
use crate::domain::Event;
use chrono::NaiveDate;
use std::sync::{Arc, Barrier};
use std::time::Duration;

/// A store under test, with whatever must live as long as it (a folder, a server).
pub struct Subject {
    /// The store.
    pub store: Arc<dyn EventStore>,
    /// Kept alive for the store's sake.
    pub _keep: Box<dyn std::any::Any + Send>,
}

const OFFICE: &str = "central";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

/// A distinct, small event.
pub fn event(i: u32) -> Event {
    Event::TicketCancelled {
        seq: i,
        at: "2026-12-01T14:00:00Z".parse().unwrap(),
    }
}

fn events(from: u32, n: u32) -> Vec<Event> {
    (from..from + n).map(event).collect()
}

fn all(store: &dyn EventStore) -> Vec<Event> {
    events_of(&store.read(OFFICE, day()).unwrap())
        .cloned()
        .collect()
}

/// Append at the wrong version conflicts and changes nothing.
pub fn a_stale_append_conflicts_and_changes_nothing(s: Subject) {
    let store = &*s.store;
    assert_eq!(store.load(OFFICE, day()).unwrap().version(), 0);
    let v = store
        .append(OFFICE, day(), 0, BatchId::random(), &events(0, 3))
        .unwrap();
    assert_eq!(v, 3);
    for stale in [0, 2, 4] {
        match store.append(OFFICE, day(), stale, BatchId::random(), &events(10, 2)) {
            Err(StoreError::Conflict { expected, actual }) => {
                assert_eq!((expected, actual), (stale, 3));
            }
            other => panic!("append at {stale} over version 3: {other:?}"),
        }
    }
    assert_eq!(all(store), events(0, 3));
}

/// A batch is all or nothing: readers never see part of one.
pub fn a_batch_is_all_or_nothing(s: Subject) {
    let store = s.store.clone();
    store.load(OFFICE, day()).unwrap();
    let writer = {
        let store = store.clone();
        std::thread::spawn(move || {
            for b in 0..50 {
                store
                    .append(
                        OFFICE,
                        day(),
                        b * 10,
                        BatchId::random(),
                        &events(b as u32 * 10, 10),
                    )
                    .unwrap();
            }
        })
    };
    let mut reads = 0;
    while !writer.is_finished() || reads == 0 {
        let seen = store.read(OFFICE, day()).unwrap();
        assert_eq!(version_of(&seen) % 10, 0, "a reader saw part of a batch");
        reads += 1;
    }
    writer.join().unwrap();
    assert_eq!(all(&*store), events(0, 500));
}

/// A batch retried with its id after a lost answer is recognised, not written twice.
pub fn a_retried_batch_is_recognised(s: Subject) {
    let store = &*s.store;
    store.load(OFFICE, day()).unwrap();
    let batch = BatchId::random();
    assert_eq!(
        store
            .append(OFFICE, day(), 0, batch, &events(0, 2))
            .unwrap(),
        2
    );
    assert_eq!(
        store
            .append(OFFICE, day(), 0, batch, &events(0, 2))
            .unwrap(),
        2,
        "the retry is answered with the version it reached"
    );
    assert_eq!(
        store
            .append(OFFICE, day(), 2, BatchId::random(), &events(2, 1))
            .unwrap(),
        3
    );
    assert!(matches!(
        store.append(OFFICE, day(), 0, BatchId::random(), &events(0, 2)),
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(all(store), events(0, 3));
}

/// Writers racing at the same version: exactly one wins.
pub fn racing_writers_produce_exactly_one_winner(s: Subject) {
    let store = s.store.clone();
    store.load(OFFICE, day()).unwrap();
    store
        .append(OFFICE, day(), 0, BatchId::random(), &events(0, 1))
        .unwrap();
    for round in 0..20u32 {
        let version = 1 + u64::from(round) * 3;
        let racers = 6;
        let barrier = Arc::new(Barrier::new(racers));
        let handles: Vec<_> = (0..racers as u32)
            .map(|r| {
                let store = store.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    let batch = events(1000 * (r + 1) + round * 3, 3);
                    store
                        .append(OFFICE, day(), version, BatchId::random(), &batch)
                        .map(|_| batch)
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let winners: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(winners.len(), 1, "round {round}: {results:?}");
        for loser in results.iter().filter_map(|r| r.as_ref().err()) {
            assert!(matches!(loser, StoreError::Conflict { .. }), "{loser:?}");
        }
        let log = all(&*store);
        assert_eq!(log.len() as u64, version + 3);
        assert_eq!(&log[version as usize..], &winners[0][..]);
    }
}

/// A follower sees every event once, in order, and resumes after a gap from its version.
pub fn a_follower_sees_every_event_once_in_order(s: Subject) {
    let store = s.store.clone();
    store.load(OFFICE, day()).unwrap();
    let follow = |from: u64, until: u64| {
        let store = store.clone();
        std::thread::spawn(move || {
            let mut seen = Vec::new();
            let mut version = from;
            while version < until {
                let head = store
                    .wait_for_change(OFFICE, day(), version, Duration::from_secs(5))
                    .unwrap();
                assert!(head >= version, "the head went back");
                let new = store.load_since(OFFICE, day(), version).unwrap();
                version += version_of(&new);
                seen.extend(events_of(&new).cloned());
            }
            seen
        })
    };
    let first = follow(0, 120);
    for b in 0..40u32 {
        store
            .append(
                OFFICE,
                day(),
                u64::from(b) * 3,
                BatchId::random(),
                &events(b * 3, 3),
            )
            .unwrap();
        if b % 7 == 0 {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    assert_eq!(first.join().unwrap(), events(0, 120));
    // Away for a while: appends went on without it.
    for b in 40..60u32 {
        store
            .append(
                OFFICE,
                day(),
                u64::from(b) * 3,
                BatchId::random(),
                &events(b * 3, 3),
            )
            .unwrap();
    }
    let resumed = follow(120, 180).join().unwrap();
    assert_eq!(
        resumed,
        events(120, 60),
        "resumed from its version, nothing missed or repeated"
    );
    // Waiting at the head times out and says where the head is.
    assert_eq!(
        store
            .wait_for_change(OFFICE, day(), 180, Duration::from_millis(50))
            .unwrap(),
        180
    );
}

/// Days and offices are separate logs, listed oldest first.
pub fn days_and_offices_are_separate_logs(s: Subject) {
    let store = &*s.store;
    let d1 = day();
    let d0 = d1.pred_opt().unwrap();
    for (office, d, n) in [(OFFICE, d1, 2), (OFFICE, d0, 1), ("norte", d1, 4)] {
        store.load(office, d).unwrap();
        store
            .append(office, d, 0, BatchId::random(), &events(0, n))
            .unwrap();
    }
    assert_eq!(store.days(OFFICE).unwrap(), vec![d0, d1]);
    assert_eq!(store.days("norte").unwrap(), vec![d1]);
    assert_eq!(version_of(&store.read(OFFICE, d0).unwrap()), 1);
    assert_eq!(version_of(&store.read("norte", d1).unwrap()), 4);
    assert!(store.read("sur", d1).unwrap().is_empty());
    assert_eq!(store.load(OFFICE, d1).unwrap().version(), 2);
}

/// Reading ahead gives the head and every record after a version, in order (all of
/// them, also past a page); at the head or past it, none.
pub fn reading_ahead_gives_the_head_and_what_follows(s: Subject) {
    let store = &*s.store;
    let d = day();
    store.load(OFFICE, d).unwrap();
    store
        .append(OFFICE, d, 0, BatchId::random(), &events(0, 3))
        .unwrap();
    let many = 5_100;
    store
        .append(OFFICE, d, 3, BatchId::random(), &events(3, many))
        .unwrap();
    let head = u64::from(3 + many);
    let ahead = store.read_ahead(OFFICE, d, 1, false).unwrap();
    assert_eq!(ahead.probe.head, head);
    assert_eq!(version_of(&ahead.entries), head - 1);
    let expected: Vec<Event> = events(1, 2 + many);
    let got: Vec<Event> = events_of(&ahead.entries).cloned().collect();
    assert!(got == expected, "the records after version 1, in order");
    for at in [head, head + 3] {
        let ahead = store.read_ahead(OFFICE, d, at, false).unwrap();
        assert_eq!(ahead.probe.head, head);
        assert!(ahead.entries.is_empty());
    }
}

/// A report summary is kept per office and day, replaced whole; the log's size grows
/// with every append (so a summary made before it is seen to be out of date).
pub fn a_days_summary_is_kept_beside_its_log(s: Subject) {
    let store = &*s.store;
    assert_eq!(store.read_summary(OFFICE, day()).unwrap(), None);
    assert_eq!(store.log_size(OFFICE, day()).unwrap(), 0);
    let v = store
        .append(OFFICE, day(), 0, BatchId::random(), &events(0, 2))
        .unwrap();
    let size = store.log_size(OFFICE, day()).unwrap();
    assert!(size > 0);
    store.write_summary(OFFICE, day(), b"first").unwrap();
    store.write_summary(OFFICE, day(), &[7u8; 3000]).unwrap();
    assert_eq!(
        store.read_summary(OFFICE, day()).unwrap(),
        Some(vec![7u8; 3000])
    );
    let other = day().succ_opt().unwrap();
    assert_eq!(store.read_summary(OFFICE, other).unwrap(), None);
    assert_eq!(store.read_summary("norte", day()).unwrap(), None);
    store
        .append(OFFICE, day(), v, BatchId::random(), &events(2, 1))
        .unwrap();
    assert!(store.log_size(OFFICE, day()).unwrap() > size);
}

/// Expands to one test per check of the contract, on stores made by `$make`.
macro_rules! store_conformance {
    ($make:expr) => {
        mod conformance {
            use super::*;
            use $crate::store::conformance as check;
            #[test]
            fn a_stale_append_conflicts_and_changes_nothing() {
                check::a_stale_append_conflicts_and_changes_nothing($make);
            }
            #[test]
            fn a_batch_is_all_or_nothing() {
                check::a_batch_is_all_or_nothing($make);
            }
            #[test]
            fn a_retried_batch_is_recognised() {
                check::a_retried_batch_is_recognised($make);
            }
            #[test]
            fn racing_writers_produce_exactly_one_winner() {
                check::racing_writers_produce_exactly_one_winner($make);
            }
            #[test]
            fn a_follower_sees_every_event_once_in_order() {
                check::a_follower_sees_every_event_once_in_order($make);
            }
            #[test]
            fn days_and_offices_are_separate_logs() {
                check::days_and_offices_are_separate_logs($make);
            }
            #[test]
            fn a_days_summary_is_kept_beside_its_log() {
                check::a_days_summary_is_kept_beside_its_log($make);
            }
            #[test]
            fn reading_ahead_gives_the_head_and_what_follows() {
                check::reading_ahead_gives_the_head_and_what_follows($make);
            }
        }
    };
}
pub(crate) use store_conformance;
