//! Replaying a log that no longer fits: the configuration changed between two starts, the
//! log has a damaged stretch, or it holds events of a newer version. Nothing crashes, the
//! turns that still fit keep their place, and no code is ever given twice.

use super::log::{Gap, LogEntry, UnknownEvent};
use super::state::ApplyError;
use super::tests::{act, day, issue, spec, t0};
use super::*;
use proptest::prelude::*;
use std::sync::Arc;

/// Runs commands the way the engine does and returns the log they wrote.
fn log_of(state: &mut OfficeState, commands: Vec<Command>) -> Vec<Event> {
    let mut log = Vec::new();
    for (i, cmd) in commands.into_iter().enumerate() {
        let now = t0() + chrono::Duration::seconds(i as i64);
        let (events, _) = decide(state, &cmd, now).expect("the command fits");
        for e in &events {
            state.apply(e).expect("decided events apply");
        }
        log.extend(events);
    }
    log
}

fn opened(spec: &Arc<OfficeSpec>) -> (OfficeState, Vec<Event>) {
    let open = Event::DayOpened {
        day: day(),
        at: t0(),
        counters: vec![],
    };
    let mut state = OfficeState::new(spec.clone(), day(), t0());
    state.apply(&open).unwrap();
    (state, vec![open])
}

fn without_service(spec: &OfficeSpec, id: &str) -> Arc<OfficeSpec> {
    let mut spec = spec.clone();
    let gone = spec.service_idx(id).unwrap();
    spec.services.remove(gone as usize);
    for c in &mut spec.counters {
        c.services.retain(|&s| s != gone);
        for s in &mut c.services {
            if *s > gone {
                *s -= 1;
            }
        }
    }
    spec.derive_competing();
    Arc::new(spec)
}

fn entries(events: &[Event]) -> Vec<LogEntry> {
    events.iter().cloned().map(LogEntry::Event).collect()
}

#[test]
fn a_removed_service_with_a_transferred_turn_does_not_stop_the_replay() {
    let before = spec(PolicySpec::default());
    let (mut state, mut log) = opened(&before);
    log.extend(log_of(
        &mut state,
        vec![
            issue("registro", "general", 1),
            issue("catastro", "general", 2),
            act("v1", CounterAction::Open),
            act("v1", CounterAction::CallNext),
            act(
                "v1",
                CounterAction::Transfer {
                    service: "caja".into(),
                },
            ),
            issue("registro", "general", 3),
            issue("caja", "general", 4),
        ],
    ));
    // registro (A) is removed; a new service takes its prefix.
    let mut after = (*without_service(&before, "registro")).clone();
    after.services.push(ServiceSpec {
        id: "registro_nuevo".into(),
        name: "Registro".into(),
        prefix: "A".into(),
        first_number: 1,
        last_number: 999,
        on_exhausted: OnExhausted::Wrap,
        target_wait_seconds: 900,
        default_service_seconds: 300,
        pictogram: None,
        names: Vec::new(),
        alert_waiting_over: None,
        alert_wait_seconds_over: None,
    });
    after.derive_competing();
    let after = Arc::new(after);
    let (replayed, errors) = OfficeState::replay_log(after.clone(), day(), &entries(&log));
    assert_eq!(replayed.tickets.len(), 4, "every turn keeps its sequence");
    let orphans: Vec<_> = errors
        .iter()
        .filter(|e| matches!(e, ApplyError::UnknownService { .. }))
        .collect();
    assert_eq!(orphans.len(), 2, "{errors:?}");
    assert!(orphans[0].to_string().contains("A-001"), "{}", orphans[0]);
    // Turns of services still configured are live, with their numbers.
    let caja = after.service_idx("caja").unwrap();
    let catastro = after.service_idx("catastro").unwrap();
    assert_eq!(replayed.waiting(catastro).0, 1);
    assert_eq!(replayed.waiting(caja).0, 1);
    assert_eq!(replayed.next_number(caja), 2);
    // The new service with prefix A continues above A-002: are not given
    // again today.
    let nuevo = after.service_idx("registro_nuevo").unwrap();
    assert_eq!(replayed.next_number(nuevo), 3);
    let mut live = replayed.clone();
    let (events, _) = decide(&live, &issue("registro_nuevo", "general", 9), t0()).unwrap();
    live.apply(&events[0]).unwrap();
    assert_eq!(live.tickets.last().unwrap().number, 3);
    // The counter that held the transferred turn is free again.
    assert_eq!(replayed.counters[0].current, None);
}

#[test]
fn a_renamed_counter_never_calls_a_turn_twice() {
    let before = spec(PolicySpec::default());
    let (mut state, mut log) = opened(&before);
    log.extend(log_of(
        &mut state,
        vec![
            issue("registro", "general", 1),
            issue("registro", "general", 2),
            act("v1", CounterAction::Open),
            act("v1", CounterAction::CallNext),
        ],
    ));
    let mut after = (*before).clone();
    after.counters[0].id = "ventanilla-1".into();
    let after = Arc::new(after);
    let (replayed, errors) = OfficeState::replay_log(after.clone(), day(), &entries(&log));
    assert!(errors
        .iter()
        .all(|e| matches!(e, ApplyError::UnknownCounter(c) if c == "v1")));
    assert_eq!(errors.len(), 2, "the open and the call: one warning each");
    assert_eq!(replayed.tickets[0].status, TicketStatus::Called);
    assert_eq!(replayed.waiting(0).0, 1, "only A-002 still waits");
    let mut live = replayed.clone();
    let open = decide(&live, &act("ventanilla-1", CounterAction::Open), t0())
        .unwrap()
        .0;
    live.apply(&open[0]).unwrap();
    let call = decide(&live, &act("ventanilla-1", CounterAction::CallNext), t0())
        .unwrap()
        .0;
    assert!(
        matches!(call[0], Event::TicketCalled { seq: 1, .. }),
        "{call:?}"
    );
}

#[test]
fn a_damaged_stretch_leaves_room_for_every_turn_it_could_have_held() {
    let spec = spec(PolicySpec::default());
    let (mut state, mut log) = opened(&spec);
    log.extend(log_of(
        &mut state,
        (0..6)
            .map(|i| issue(["registro", "catastro"][i % 2], "general", i as u8))
            .collect(),
    ));
    // Turns 2 and 3 (A-002 and B-002) are lost in a damaged stretch of 400 bytes.
    let mut damaged = entries(&log[..3]);
    damaged.push(LogEntry::Gap(Gap {
        offset: 1000,
        bytes: 400,
    }));
    damaged.extend(entries(&log[5..]));
    let (replayed, _) = OfficeState::replay_log(spec.clone(), day(), &damaged);
    assert_eq!(replayed.tickets.len(), 6, "later turns keep their sequence");
    assert!(replayed.tickets[2].placeholder && replayed.tickets[3].placeholder);
    // registro's A-003 came after the damage: numbering continues above it, exactly.
    assert_eq!(replayed.next_number(0), 4);
    // catastro's B-003 came after too.
    assert_eq!(replayed.next_number(1), 4);
    // caja had no turn after the damage: it stays above anything 400 bytes could hold.
    assert_eq!(
        replayed.next_number(2),
        1 + Gap {
            offset: 0,
            bytes: 400
        }
        .max_turns()
    );
}

#[test]
fn unknown_events_make_the_day_read_only_unless_marked_skippable() {
    let spec = spec(PolicySpec::default());
    let (_, log) = opened(&spec);
    let unknown = |skippable| {
        LogEntry::Unknown(UnknownEvent {
            kind: "queue_merged".into(),
            schema: 9,
            skippable,
        })
    };
    let mut with_skippable = entries(&log);
    with_skippable.push(unknown(true));
    let (state, errors) = OfficeState::replay_log(spec.clone(), day(), &with_skippable);
    assert_eq!(state.read_only, None);
    assert_eq!(errors.len(), 1, "still one warning");
    let mut with_unknown = entries(&log);
    with_unknown.push(unknown(false));
    with_unknown.extend(entries(&log_of(
        &mut OfficeState::replay(spec.clone(), day(), &log).0,
        vec![issue("registro", "general", 1)],
    )));
    let (state, _) = OfficeState::replay_log(spec.clone(), day(), &with_unknown);
    assert_eq!(state.read_only.as_deref(), Some("queue_merged"));
    assert_eq!(state.tickets.len(), 1, "what it knows is still read");
}

#[test]
fn an_orphan_of_an_older_log_without_prefix_keeps_every_service_above_it() {
    let spec = spec(PolicySpec::default());
    let (_, mut log) = opened(&spec);
    log.push(Event::TicketIssued {
        seq: 0,
        number: 41,
        token: Token::new([7; 12], day()),
        service: "antiguo".into(),
        category: "general".into(),
        preferential: false,
        issuer: None,
        prefix: None,
        language: None,
        at: t0(),
    });
    let (state, errors) = OfficeState::replay_log(spec.clone(), day(), &entries(&log));
    assert_eq!(errors.len(), 1);
    for s in 0..3 {
        assert_eq!(state.next_number(s), 42);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever single byte of a day's log is damaged, reading it back and replaying it
    /// (as the store and the engine do: a torn tail is recorded as cut) never lets a
    /// service give a number the day had already given.
    #[test]
    fn no_damage_lets_a_code_repeat(
        services in proptest::collection::vec(0usize..3, 1..40),
        at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let spec = spec(PolicySpec::default());
        let (mut state, mut log) = opened(&spec);
        let commands = services
            .iter()
            .enumerate()
            .map(|(i, &s)| issue(["registro", "catastro", "caja"][s], "general", i as u8))
            .collect();
        log.extend(log_of(&mut state, commands));
        let mut bytes = crate::store::record::MAGIC.to_vec();
        for e in &log {
            crate::store::record::encode(e, &mut bytes);
        }
        let i = at.index(bytes.len());
        bytes[i] ^= flip;
        let decoded = crate::store::record::decode(&bytes);
        let mut read = decoded.entries;
        if let Some(torn) = &decoded.torn {
            read.push(LogEntry::Event(Event::LogDamaged { bytes: torn.len as u64, at: t0() }));
        }
        let (replayed, _) = OfficeState::replay_log(spec.clone(), day(), &read);
        for t in &state.tickets {
            prop_assert!(
                replayed.next_number(t.code_service) > t.number,
                "service {} would give {} again (flipped byte {i})",
                t.code_service,
                t.number
            );
        }
    }
}
