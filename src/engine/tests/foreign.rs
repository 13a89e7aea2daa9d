//! Another writer appends to the office's log behind the engine's back (as a second
//! process would): the conflict path decides again and answers right, and an idle writer
//! takes the new records in, with their calls on the feed.

use super::*;
use crate::domain::{Event, Token};
use crate::engine::feed::FeedEvent;
use crate::store::BatchId;
use chrono::Utc;
use std::time::Duration;

/// Appends, as another process, a turn of registro with the next sequence and number.
pub(super) fn foreign_issue(store: &FaultyStore, office: &OfficeHandle) -> (u32, u32) {
    let day = office.read(|s| s.day);
    let version = store
        .inner
        .wait_for_change("central", day, 0, Duration::ZERO)
        .unwrap();
    let entries = store.inner.read("central", day).unwrap();
    let (state, _) = crate::domain::OfficeState::replay_log(office.spec.clone(), day, &entries);
    let seq = state.tickets.len() as u32;
    let number = state.next_number(0);
    let event = Event::TicketIssued {
        seq,
        number,
        token: Token::new(rand::random(), day),
        service: "registro".into(),
        category: "general".into(),
        preferential: false,
        issuer: None,
        prefix: Some("A".into()),
        language: None,
        at: Utc::now(),
    };
    store
        .inner
        .append("central", day, version, BatchId::random(), &[event])
        .unwrap();
    (seq, number)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conflict_is_decided_again_on_what_the_other_writer_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, office, store) = start(dir.path());
    assert_eq!(number(&office.execute(issue()).await.unwrap()), 1);
    let (seq, theirs) = foreign_issue(&store, &office);
    assert_eq!(theirs, 2);
    // The engine's next append is at a stale version: it must read A-002 and decide
    // again, so it issues A-003, never A-002 twice.
    let mine = office.execute(issue()).await.unwrap();
    assert_eq!(number(&mine), 3);
    assert_eq!(mine.ticket.unwrap().ticket.seq, seq + 1);
    assert_eq!(
        office.read(|s| s.tickets.iter().map(|t| t.number).collect::<Vec<_>>()),
        [1, 2, 3]
    );
    engine.shutdown();
    drop((engine, office, store));
    assert_eq!(numbers_after_restart(dir.path()), [1, 2, 3]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_writer_takes_in_what_others_wrote_and_screens_hear_their_calls() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, office, store) = start(dir.path());
    let mut feed = office.subscribe();
    let (seq, _) = foreign_issue(&store, &office);
    let day = office.read(|s| s.day);
    let version = store
        .inner
        .wait_for_change("central", day, 0, Duration::ZERO)
        .unwrap();
    let now = Utc::now();
    let calls = [
        Event::CounterOpened {
            counter: "v1".into(),
            agent: "agente1".into(),
            at: now,
        },
        Event::TicketCalled {
            seq,
            counter: "v1".into(),
            agent: "agente1".into(),
            reason: crate::domain::CallReason::InOrder,
            streak: 0,
            out_of_order: None,
            at: now,
        },
    ];
    store
        .inner
        .append("central", day, version, BatchId::random(), &calls)
        .unwrap();
    let heard = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if let Ok(FeedEvent::Call { json, .. }) = feed.recv().await {
                return json.to_string();
            }
        }
    })
    .await
    .expect("the call reached the feed");
    assert!(heard.contains("A-001"), "{heard}");
    assert_eq!(
        office.read(|s| s.tickets[seq as usize].status),
        crate::domain::TicketStatus::Called
    );
    // And this process's own commands go on from there.
    let next = office.execute(issue()).await.unwrap();
    assert_eq!(number(&next), 2);
    engine.shutdown();
}

/// A store where another process opens the day (and issues a turn) between this
/// process's load and its first append: the start must take what it wrote.
struct OpenedFirst {
    inner: Arc<dyn EventStore>,
    raced: std::sync::atomic::AtomicBool,
}

impl EventStore for OpenedFirst {
    fn load(
        &self,
        office: &str,
        day: chrono::NaiveDate,
    ) -> Result<crate::store::Loaded, crate::store::StoreError> {
        self.inner.load(office, day)
    }
    fn load_since(
        &self,
        office: &str,
        day: chrono::NaiveDate,
        version: u64,
    ) -> Result<Vec<crate::domain::LogEntry>, crate::store::StoreError> {
        self.inner.load_since(office, day, version)
    }
    fn append(
        &self,
        office: &str,
        day: chrono::NaiveDate,
        expected: u64,
        batch: BatchId,
        events: &[Event],
    ) -> Result<u64, crate::store::StoreError> {
        if expected == 0 && !self.raced.swap(true, std::sync::atomic::Ordering::SeqCst) {
            let theirs = [
                Event::DayOpened {
                    day,
                    at: Utc::now(),
                    counters: vec![],
                },
                Event::TicketIssued {
                    seq: 0,
                    number: 1,
                    token: Token::new(rand::random(), day),
                    service: "caja".into(),
                    category: "general".into(),
                    preferential: false,
                    issuer: None,
                    prefix: Some("C".into()),
                    language: None,
                    at: Utc::now(),
                },
            ];
            self.inner
                .append(office, day, 0, BatchId::random(), &theirs)?;
        }
        self.inner.append(office, day, expected, batch, events)
    }
    fn discard_unsynced(
        &self,
        office: &str,
        day: chrono::NaiveDate,
    ) -> Result<u64, crate::store::StoreError> {
        self.inner.discard_unsynced(office, day)
    }
    fn wait_for_change(
        &self,
        office: &str,
        day: chrono::NaiveDate,
        version: u64,
        timeout: Duration,
    ) -> Result<u64, crate::store::StoreError> {
        self.inner.wait_for_change(office, day, version, timeout)
    }
    fn days(&self, office: &str) -> Result<Vec<chrono::NaiveDate>, crate::store::StoreError> {
        self.inner.days(office)
    }
    fn check(&self) -> Result<(), crate::store::StoreError> {
        self.inner.check()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_opened_by_someone_else_at_start_is_taken_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::demo("x", "k").unwrap();
    let store = Arc::new(OpenedFirst {
        inner: Arc::new(EmbeddedStore::open(dir.path()).unwrap()),
        raced: Default::default(),
    });
    let engine = Engine::start(
        &config.offices,
        store.clone(),
        Arc::new(crate::engine::clock::SystemClock),
        &Metrics::new(),
    )
    .expect("the start survives the race");
    let office = engine.office("central").unwrap().clone();
    assert_eq!(office.read(|s| s.tickets.len()), 1, "their turn is in");
    let day = office.read(|s| s.day);
    let opened = store
        .inner
        .read("central", day)
        .unwrap()
        .iter()
        .filter(|e| matches!(e, crate::domain::LogEntry::Event(Event::DayOpened { .. })))
        .count();
    assert_eq!(opened, 1, "the day is opened once");
    let caja = office
        .execute(Command::Issue {
            service: "caja".into(),
            category: None,
            issuer: None,
            entropy: rand::random(),
            language: None,
        })
        .await
        .unwrap();
    assert_eq!(number(&caja), 2);
    engine.shutdown();
}
