//! Engine tests with a store that fails on demand.

use super::clock::SystemClock;
use super::{Engine, EngineError};
use crate::config::Config;
use crate::domain::{Command, Event};
use crate::metrics::Metrics;
use crate::store::{EmbeddedStore, EventStore, StoreError};
use chrono::NaiveDate;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The embedded store, with writes or fsyncs that fail while told to.
struct FlakyStore {
    inner: EmbeddedStore,
    fail_sync: AtomicBool,
    fail_write: AtomicBool,
}

impl EventStore for FlakyStore {
    fn load(&self, office: &str, day: NaiveDate) -> Result<Vec<Event>, StoreError> {
        self.inner.load(office, day)
    }
    fn append(
        &self,
        office: &str,
        day: NaiveDate,
        v: u64,
        events: &[Event],
    ) -> Result<u64, StoreError> {
        let version = self.append_buffered(office, day, v, events)?;
        self.sync(office, day)?;
        Ok(version)
    }
    fn append_buffered(
        &self,
        office: &str,
        day: NaiveDate,
        v: u64,
        events: &[Event],
    ) -> Result<u64, StoreError> {
        if self.fail_write.load(Ordering::SeqCst) {
            return Err(StoreError::Unavailable("disco lleno (simulado)".into()));
        }
        self.inner.append_buffered(office, day, v, events)
    }
    fn sync(&self, office: &str, day: NaiveDate) -> Result<(), StoreError> {
        if self.fail_sync.load(Ordering::SeqCst) {
            return Err(StoreError::Unavailable("error de E/S (simulado)".into()));
        }
        self.inner.sync(office, day)
    }
    fn discard_unsynced(&self, office: &str, day: NaiveDate) -> Result<(), StoreError> {
        self.inner.discard_unsynced(office, day)
    }
    fn days(&self, office: &str) -> Result<Vec<NaiveDate>, StoreError> {
        self.inner.days(office)
    }
    fn check(&self) -> Result<(), StoreError> {
        self.inner.check()
    }
}

fn issue() -> Command {
    Command::Issue {
        service: "registro".into(),
        category: None,
        kiosk: None,
        entropy: rand::random(),
    }
}

fn number(outcome: &super::Outcome) -> u32 {
    outcome.ticket.expect("a ticket").ticket.number
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_fsync_acknowledges_nothing_and_skips_no_number() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::demo("x").unwrap();
    let store = Arc::new(FlakyStore {
        inner: EmbeddedStore::open(dir.path()).unwrap(),
        fail_sync: AtomicBool::new(false),
        fail_write: AtomicBool::new(false),
    });
    let engine = Engine::start(
        &config.offices,
        store.clone(),
        Arc::new(SystemClock),
        &Metrics::new(),
    )
    .unwrap();
    let office = engine.office("central").unwrap().clone();
    assert_eq!(number(&office.execute(issue()).await.unwrap()), 1);
    assert_eq!(number(&office.execute(issue()).await.unwrap()), 2);

    store.fail_sync.store(true, Ordering::SeqCst);
    let refused = office.execute(issue()).await;
    assert!(matches!(refused, Err(EngineError::Store(_))), "{refused:?}");
    store.fail_sync.store(false, Ordering::SeqCst);
    // The refused turn was cut from the log and the state: its number is issued again.
    assert_eq!(number(&office.execute(issue()).await.unwrap()), 3);
    assert_eq!(office.read(|s| s.tickets.len()), 3);

    store.fail_write.store(true, Ordering::SeqCst);
    assert!(matches!(
        office.execute(issue()).await,
        Err(EngineError::Store(_))
    ));
    store.fail_write.store(false, Ordering::SeqCst);
    assert_eq!(number(&office.execute(issue()).await.unwrap()), 4);

    engine.shutdown();
    drop(engine);
    drop(office);
    drop(store);
    let store = Arc::new(EmbeddedStore::open(dir.path()).unwrap());
    let engine = Engine::start(
        &config.offices,
        store,
        Arc::new(SystemClock),
        &Metrics::new(),
    )
    .unwrap();
    let numbers: Vec<u32> = engine
        .office("central")
        .unwrap()
        .read(|s| s.tickets.iter().map(|t| t.number).collect());
    assert_eq!(
        numbers,
        [1, 2, 3, 4],
        "only what was acknowledged is in the log"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_commands_share_fsyncs_and_all_land() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::demo("x").unwrap();
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
