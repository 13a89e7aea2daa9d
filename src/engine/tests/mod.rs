//! Engine tests: faults injected through the store trait, and a writer appending behind
//! the engine's back.

mod faults;
mod foreign;

use super::clock::SystemClock;
use super::{Engine, OfficeHandle};
use crate::config::Config;
use crate::domain::Command;
use crate::metrics::Metrics;
use crate::store::faulty::FaultyStore;
use crate::store::{EmbeddedStore, EventStore};
use std::sync::Arc;

fn issue() -> Command {
    Command::Issue {
        service: "registro".into(),
        category: None,
        issuer: None,
        entropy: rand::random(),
        language: None,
    }
}

fn number(outcome: &super::Outcome) -> u32 {
    outcome.ticket.expect("a ticket").ticket.number
}

/// The demo office on a store in `dir`, behind a [`FaultyStore`].
fn start(dir: &std::path::Path) -> (Engine, Arc<OfficeHandle>, Arc<FaultyStore>) {
    let config = Config::demo("x", "k").unwrap();
    let inner: Arc<dyn EventStore> = Arc::new(EmbeddedStore::open(dir).unwrap());
    let store = Arc::new(FaultyStore::new(inner));
    let engine = Engine::start(
        &config.offices,
        store.clone(),
        Arc::new(SystemClock),
        &Metrics::new(),
    )
    .unwrap();
    let office = engine.office("central").unwrap().clone();
    (engine, office, store)
}

/// The numbers of registro's turns in the log in `dir`, after a restart.
fn numbers_after_restart(dir: &std::path::Path) -> Vec<u32> {
    let config = Config::demo("x", "k").unwrap();
    let store = Arc::new(EmbeddedStore::open(dir).unwrap());
    let engine = Engine::start(
        &config.offices,
        store,
        Arc::new(SystemClock),
        &Metrics::new(),
    )
    .unwrap();
    let numbers = engine.office("central").unwrap().read(|s| {
        s.tickets
            .iter()
            .filter(|t| !t.placeholder)
            .map(|t| t.number)
            .collect()
    });
    engine.shutdown();
    numbers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_commands_share_fsyncs_and_all_land() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::demo("x", "k").unwrap();
    let store = Arc::new(EmbeddedStore::open(dir.path()).unwrap());
    let metrics = Metrics::new();
    let engine = Engine::start(&config.offices, store, Arc::new(SystemClock), &metrics).unwrap();
    let office = engine.office("central").unwrap().clone();
    let tasks: Vec<_> = (0..500)
        .map(|_| {
            let office = office.clone();
            tokio::spawn(async move { number(&office.execute(issue()).await.unwrap()) })
        })
        .collect();
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap());
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=500).collect::<Vec<_>>());
    let text = metrics.encode();
    let appends: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("turnero_store_append_seconds_count "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        appends < 500.0,
        "group commit: {appends} fsyncs for 500 turns"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_left_open_while_no_process_ran_is_closed_and_summarised_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::demo("x", "k").unwrap();
    let spec = config.offices[0].clone();
    let now = chrono::Utc::now();
    let yesterday = crate::domain::schedule::local_day(spec.timezone, now) - chrono::Days::new(1);
    {
        // Yesterday's log as a process left it when it stopped before midnight.
        let store = EmbeddedStore::open(dir.path()).unwrap();
        let opened = crate::domain::schedule::end_of_day(spec.timezone, yesterday)
            - chrono::Duration::hours(10);
        let mut state = crate::domain::OfficeState::new(spec.clone(), yesterday, opened);
        let mut events = vec![crate::domain::Event::DayOpened {
            day: yesterday,
            at: opened,
            counters: vec![],
        }];
        let (issued, _) = crate::domain::decide(&state, &issue(), opened).unwrap();
        for e in &issued {
            state.apply(e).unwrap();
        }
        events.extend(issued);
        store
            .append(
                "central",
                yesterday,
                0,
                crate::store::BatchId::random(),
                &events,
            )
            .unwrap();
        assert!(store.read_summary("central", yesterday).unwrap().is_none());
    }
    let (engine, _office, store) = start(dir.path());
    let mut kept = None;
    for _ in 0..100 {
        kept = store.read_summary("central", yesterday).unwrap();
        if kept.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(kept.is_some(), "the closed day's summary is kept at start");
    let log = store.read("central", yesterday).unwrap();
    assert!(
        log.iter().any(|e| matches!(
            e,
            crate::domain::LogEntry::Event(crate::domain::Event::DayClosed { .. })
        )),
        "the day was closed first"
    );
    engine.shutdown();
}
