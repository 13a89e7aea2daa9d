//! A turn's whole life at a counter, and commands refused in the wrong state.

use super::*;
use chrono::Duration;

#[test]
fn a_turns_whole_life() {
    let mut s = OfficeState::new(spec(PolicySpec::default()), day(), t0());
    let issued = run(&mut s, issue("registro", "general", 1), t0()).unwrap();
    assert_eq!(code(&s, issued), "A-001");
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    let called = run(&mut s, act("v1", CounterAction::CallNext), t0()).unwrap();
    assert_eq!(called, issued);
    assert_eq!(
        run(&mut s, act("v1", CounterAction::CallNext), t0()),
        Err(DomainError::CounterBusy)
    );
    run(&mut s, act("v1", CounterAction::Recall), t0()).unwrap();
    run(&mut s, act("v1", CounterAction::Start), t0()).unwrap();
    let later = t0() + Duration::minutes(4);
    run(&mut s, act("v1", CounterAction::Finish), later).unwrap();
    let t = s.tickets[0];
    assert_eq!(t.status, TicketStatus::Served);
    assert_eq!(t.recalls, 1);
    assert_eq!(s.mean_service_seconds(0), 240.0);
    assert_eq!(
        run(&mut s, act("v1", CounterAction::Finish), later),
        Err(DomainError::NoCurrentTurn)
    );
    assert_eq!(
        run(&mut s, act("v1", CounterAction::CallNext), later),
        Ok(Subject::Nothing)
    );
}

#[test]
fn wrong_states_are_refused_and_change_nothing() {
    let mut s = OfficeState::new(spec(PolicySpec::default()), day(), t0());
    assert_eq!(
        run(&mut s, act("v1", CounterAction::CallNext), t0()),
        Err(DomainError::CounterClosed)
    );
    assert_eq!(
        run(&mut s, issue("nada", "general", 1), t0()),
        Err(DomainError::ServiceNotFound)
    );
    assert_eq!(
        run(&mut s, issue("registro", "vip", 1), t0()),
        Err(DomainError::CategoryNotFound)
    );
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    assert_eq!(
        run(
            &mut s,
            Command::Counter {
                counter: "v1".into(),
                agent: "otro".into(),
                action: CounterAction::Open
            },
            t0()
        ),
        Err(DomainError::CounterTaken {
            agent: "agente_v1".into()
        })
    );
    assert_eq!(
        run(&mut s, act("v1", CounterAction::Start), t0()),
        Err(DomainError::NoCurrentTurn)
    );
    assert_eq!(
        run(
            &mut s,
            act(
                "v1",
                CounterAction::Pause {
                    reason: "  ".into()
                }
            ),
            t0()
        ),
        Err(DomainError::InvalidReason)
    );
    assert!(s.tickets.is_empty());
}

#[test]
fn a_no_show_is_taken_back_within_a_minute_and_not_after() {
    let policy = PolicySpec {
        min_recalls_before_no_show: 1,
        snooze_turns: 3,
        ..PolicySpec::default()
    };
    let mut s = OfficeState::new(spec(policy), day(), t0());
    run(&mut s, issue("registro", "general", 1), t0()).unwrap();
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    run(&mut s, act("v1", CounterAction::CallNext), t0()).unwrap();
    assert_eq!(
        run(&mut s, act("v1", CounterAction::NoShow), t0()),
        Err(DomainError::RecallRequired { required: 1 })
    );
    run(&mut s, act("v1", CounterAction::Recall), t0()).unwrap();
    assert_eq!(
        run(&mut s, act("v1", CounterAction::UndoNoShow), t0()),
        Err(DomainError::CounterBusy),
        "nothing ended yet: the turn is still at the counter"
    );
    run(&mut s, act("v1", CounterAction::NoShow), t0()).unwrap();
    assert_eq!(s.tickets[0].status, TicketStatus::NoShow);
    let later = t0() + chrono::Duration::seconds(30);
    assert_eq!(
        run(&mut s, act("v1", CounterAction::UndoNoShow), later),
        Ok(Subject::Ticket(0))
    );
    assert_eq!(s.tickets[0].status, TicketStatus::Called);
    assert_eq!(s.counters[0].current, Some(0));
    run(&mut s, act("v1", CounterAction::Start), later).unwrap();
    run(&mut s, act("v1", CounterAction::Finish), later).unwrap();
    assert_eq!(
        run(&mut s, act("v1", CounterAction::UndoNoShow), later),
        Err(DomainError::NothingToUndo),
        "the counter's latest turn was served"
    );

    run(&mut s, issue("registro", "general", 2), later).unwrap();
    run(&mut s, act("v1", CounterAction::CallNext), later).unwrap();
    run(&mut s, act("v1", CounterAction::Recall), later).unwrap();
    run(&mut s, act("v1", CounterAction::NoShow), later).unwrap();
    let too_late = later + chrono::Duration::seconds(61);
    assert_eq!(
        run(&mut s, act("v1", CounterAction::UndoNoShow), too_late),
        Err(DomainError::UndoExpired { seconds: 60 })
    );
}
