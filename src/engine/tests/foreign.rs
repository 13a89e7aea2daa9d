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
        kiosk: None,
        prefix: Some("A".into()),
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
