//! The call order: preferential turns first, the cap on consecutive preferential
//! turns, and aging that promotes a long wait.

use super::*;
use chrono::Duration;

#[test]
fn preferential_first_then_first_come_first_served() {
    let mut s = OfficeState::new(spec(PolicySpec::default()), day(), t0());
    for (i, cat) in [
        "general",
        "general",
        "adulto_mayor",
        "general",
        "adulto_mayor",
    ]
    .iter()
    .enumerate()
    {
        run(
            &mut s,
            issue("registro", cat, i as u8),
            t0() + Duration::seconds(i as i64),
        )
        .unwrap();
    }
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    let mut order = Vec::new();
    for _ in 0..5 {
        let subject = run(&mut s, act("v1", CounterAction::CallNext), t0()).unwrap();
        order.push(code(&s, subject));
        run(&mut s, act("v1", CounterAction::Finish), t0()).unwrap();
    }
    assert_eq!(order, ["A-003", "A-005", "A-001", "A-002", "A-004"]);
}

#[test]
fn ratio_cap_lets_normal_turns_through() {
    let policy = PolicySpec {
        max_consecutive_preferential: Some(2),
        ..Default::default()
    };
    let mut s = OfficeState::new(spec(policy), day(), t0());
    let cats = [
        "general",
        "general",
        "adulto_mayor",
        "adulto_mayor",
        "adulto_mayor",
        "adulto_mayor",
    ];
    for (i, cat) in cats.iter().enumerate() {
        run(&mut s, issue("registro", cat, i as u8), t0()).unwrap();
    }
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    let mut order = Vec::new();
    for _ in 0..6 {
        let subject = run(&mut s, act("v1", CounterAction::CallNext), t0()).unwrap();
        order.push(code(&s, subject));
        run(&mut s, act("v1", CounterAction::Finish), t0()).unwrap();
    }
    assert_eq!(
        order,
        ["A-003", "A-004", "A-001", "A-005", "A-006", "A-002"]
    );
}

#[test]
fn aging_promotes_a_long_wait() {
    let policy = PolicySpec {
        aging_seconds: Some(1800),
        ..Default::default()
    };
    let mut s = OfficeState::new(spec(policy), day(), t0());
    run(&mut s, issue("registro", "general", 1), t0()).unwrap();
    let later = t0() + Duration::minutes(20);
    run(&mut s, issue("registro", "adulto_mayor", 2), later).unwrap();
    run(&mut s, act("v1", CounterAction::Open), later).unwrap();
    // At 20 minutes the normal turn has not aged: the preferential goes first.
    assert_eq!(s.position(&s.tickets[0], later), 1);
    // At 31 minutes it has aged and was issued first.
    let aged = t0() + Duration::minutes(31);
    assert_eq!(s.position(&s.tickets[0], aged), 0);
    let (events, subject) = decide(&s, &act("v1", CounterAction::CallNext), aged).unwrap();
    assert_eq!(code(&s, subject), "A-001");
    assert!(matches!(
        events.as_slice(),
        [Event::TicketCalled {
            reason: CallReason::Aged,
            ..
        }]
    ));
}
