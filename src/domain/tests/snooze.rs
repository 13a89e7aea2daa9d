//! "Voy en camino": a called citizen asks for a few minutes once; the turn waits again
//! and is called after the next N turns (sooner when fewer wait).

use super::*;
use proptest::prelude::*;

fn office(snooze_turns: u32) -> OfficeState {
    let policy = PolicySpec {
        min_recalls_before_no_show: 1,
        snooze_turns,
        ..PolicySpec::default()
    };
    OfficeState::new(spec(policy), day(), t0())
}

fn snooze(s: &mut OfficeState, seq: u32) -> Result<Subject, DomainError> {
    let token = s.tickets[seq as usize].token;
    run(s, Command::Snooze { token }, t0())
}

fn call_next(s: &mut OfficeState, counter: &str) -> Option<u32> {
    match run(s, act(counter, CounterAction::CallNext), t0()).unwrap() {
        Subject::Ticket(seq) => Some(seq),
        _ => None,
    }
}

fn finish(s: &mut OfficeState, counter: &str) {
    run(s, act(counter, CounterAction::Finish), t0()).unwrap();
}

#[test]
fn a_snoozed_turn_is_called_after_the_next_n_turns() {
    let mut s = office(2);
    for n in 1..=5 {
        run(&mut s, issue("registro", "general", n), t0()).unwrap();
    }
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    assert_eq!(call_next(&mut s, "v1"), Some(0));
    assert_eq!(snooze(&mut s, 0), Ok(Subject::Ticket(0)));
    let t = s.tickets[0];
    assert_eq!(t.status, TicketStatus::Waiting);
    assert!(t.snoozed);
    assert_eq!(t.counter, None);
    assert_eq!(
        s.counters[0].current, None,
        "the counter is free for the next turn"
    );
    assert_eq!(s.position(&t, t0()), 2);
    assert_eq!(s.waiting(0), (5, 0), "a held turn still counts as waiting");

    assert_eq!(call_next(&mut s, "v1"), Some(1));
    finish(&mut s, "v1");
    assert_eq!(s.position(&s.tickets[0], t0()), 1);
    assert_eq!(call_next(&mut s, "v1"), Some(2));
    finish(&mut s, "v1");
    assert_eq!(s.held_for(0), 0, "back in the queue, at its early place");
    assert_eq!(s.position(&s.tickets[0], t0()), 0);
    assert_eq!(call_next(&mut s, "v1"), Some(0));
    assert_eq!(
        snooze(&mut s, 0),
        Err(DomainError::AlreadySnoozed),
        "once per turn"
    );
}

#[test]
fn calls_at_any_counter_sharing_its_services_count() {
    let mut s = office(2);
    for n in 1..=4 {
        run(&mut s, issue("registro", "general", n), t0()).unwrap();
    }
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    run(&mut s, act("v2", CounterAction::Open), t0()).unwrap();
    assert_eq!(call_next(&mut s, "v1"), Some(0));
    snooze(&mut s, 0).unwrap();
    assert_eq!(call_next(&mut s, "v2"), Some(1));
    assert_eq!(call_next(&mut s, "v1"), Some(2));
    finish(&mut s, "v1");
    assert_eq!(call_next(&mut s, "v1"), Some(0), "called after two turns");
}

#[test]
fn with_nobody_else_waiting_it_is_not_held() {
    let mut s = office(3);
    run(&mut s, issue("registro", "general", 1), t0()).unwrap();
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    call_next(&mut s, "v1");
    snooze(&mut s, 0).unwrap();
    assert_eq!(s.held_count(), 0);
    assert_eq!(
        call_next(&mut s, "v1"),
        Some(0),
        "a counter never idles while a citizen is kept aside"
    );
}

#[test]
fn when_the_others_leave_the_held_turn_comes_back() {
    let mut s = office(3);
    for n in 1..=3 {
        run(&mut s, issue("registro", "general", n), t0()).unwrap();
    }
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    call_next(&mut s, "v1");
    snooze(&mut s, 0).unwrap();
    assert_eq!(s.held_count(), 1);
    for seq in [1, 2] {
        let token = s.tickets[seq].token;
        run(&mut s, Command::Cancel { token }, t0()).unwrap();
    }
    assert_eq!(s.held_count(), 0);
    assert_eq!(call_next(&mut s, "v1"), Some(0));
}

#[test]
fn a_held_turn_can_be_cancelled_and_expires_at_the_close() {
    let mut s = office(3);
    for n in 1..=4 {
        run(&mut s, issue("registro", "general", n), t0()).unwrap();
    }
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    run(&mut s, act("v2", CounterAction::Open), t0()).unwrap();
    call_next(&mut s, "v1");
    call_next(&mut s, "v2");
    snooze(&mut s, 0).unwrap();
    snooze(&mut s, 1).unwrap();
    let token = s.tickets[0].token;
    run(&mut s, Command::Cancel { token }, t0()).unwrap();
    assert_eq!(s.tickets[0].status, TicketStatus::Cancelled);
    assert_eq!(s.held_count(), 1);
    let close = close_day(&s, t0());
    s.apply(&close).unwrap();
    assert_eq!(s.tickets[1].status, TicketStatus::Expired);
    assert_eq!(s.held_count(), 0);
    assert_eq!(s.waiting(0), (0, 0));
}

#[test]
fn refused_where_it_makes_no_sense() {
    let mut s = office(3);
    run(&mut s, issue("registro", "general", 1), t0()).unwrap();
    run(&mut s, issue("registro", "general", 2), t0()).unwrap();
    assert_eq!(snooze(&mut s, 0), Err(DomainError::TurnNotCalled));
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    call_next(&mut s, "v1");
    run(&mut s, act("v1", CounterAction::Start), t0()).unwrap();
    assert_eq!(snooze(&mut s, 0), Err(DomainError::AlreadyServing));
    finish(&mut s, "v1");
    assert_eq!(snooze(&mut s, 0), Err(DomainError::TurnNotCalled));
    let unknown = Token::new([9; 12], day());
    assert_eq!(
        run(&mut s, Command::Snooze { token: unknown }, t0()),
        Err(DomainError::TicketNotFound)
    );

    let mut off = office(0);
    run(&mut off, issue("registro", "general", 1), t0()).unwrap();
    run(&mut off, act("v1", CounterAction::Open), t0()).unwrap();
    call_next(&mut off, "v1");
    assert_eq!(snooze(&mut off, 0), Err(DomainError::SnoozeOff));
}

#[test]
fn a_replay_rebuilds_the_held_turn() {
    let mut s = office(2);
    let mut log = Vec::new();
    let mut go = |s: &mut OfficeState, cmd: Command| {
        let (events, _) = decide(s, &cmd, t0()).unwrap();
        for e in &events {
            s.apply(e).unwrap();
        }
        log.extend(events);
    };
    for n in 1..=4 {
        go(&mut s, issue("registro", "general", n));
    }
    go(&mut s, act("v1", CounterAction::Open));
    go(&mut s, act("v1", CounterAction::CallNext));
    let token = s.tickets[0].token;
    go(&mut s, Command::Snooze { token });
    go(&mut s, act("v1", CounterAction::CallNext));
    let (replayed, errors) = OfficeState::replay(s.spec.clone(), day(), &log);
    assert!(errors.is_empty());
    assert_eq!(replayed.tickets, s.tickets);
    assert_eq!(replayed.held_for(0), 1);
    assert_eq!(replayed.waiting(0), s.waiting(0));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// However the day went, a snoozed turn is called again within `snooze_turns` calls
    /// of the others (or at once when fewer wait), and no turn is ever called twice at once.
    #[test]
    fn a_snoozed_turn_always_comes_back(
        snooze_turns in 1u32..5,
        arrivals in proptest::collection::vec((0u8..3, any::<bool>()), 2..40),
        snoozer in any::<u8>(),
    ) {
        let mut s = office(snooze_turns);
        for (n, (service, preferential)) in arrivals.iter().enumerate() {
            let services = ["registro", "catastro", "caja"];
            let category = if *preferential { "adulto_mayor" } else { "general" };
            run(&mut s, Command::Issue {
                service: services[*service as usize].into(),
                category: Some(category.into()),
                issuer: None,
                entropy: [n as u8, (n >> 8) as u8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
                language: None,
            }, t0()).unwrap();
        }
        run(&mut s, act("v4", CounterAction::Open), t0()).unwrap();
        // Some turns are attended first; then the next one called snoozes.
        for _ in 0..snoozer % 8 {
            if call_next(&mut s, "v4").is_none() { break }
            finish(&mut s, "v4");
        }
        let Some(seq) = call_next(&mut s, "v4") else { return Ok(()) };
        snooze(&mut s, seq).unwrap();
        let mut calls = 0;
        loop {
            let called = call_next(&mut s, "v4");
            prop_assert!(called.is_some(), "a turn waits: the held one at least");
            if called == Some(seq) { break; }
            calls += 1;
            prop_assert!(calls <= snooze_turns, "held for more than {} calls", snooze_turns);
            finish(&mut s, "v4");
        }
        prop_assert_eq!(s.held_count(), 0);
    }
}
