//! Counter actions on a called turn: transfers, recalls before a no-show, and calling
//! a turn by its code.

use super::*;
use chrono::Duration;

#[test]
fn transfer_keeps_code_and_place() {
    let mut s = OfficeState::new(spec(PolicySpec::default()), day(), t0());
    run(&mut s, issue("registro", "general", 1), t0()).unwrap();
    run(
        &mut s,
        issue("caja", "general", 2),
        t0() + Duration::minutes(1),
    )
    .unwrap();
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    run(&mut s, act("v1", CounterAction::CallNext), t0()).unwrap();
    run(
        &mut s,
        act(
            "v1",
            CounterAction::Transfer {
                service: "caja".into(),
            },
        ),
        t0() + Duration::minutes(2),
    )
    .unwrap();
    let t = s.tickets[0];
    assert_eq!(
        (t.status, t.service, t.transfers),
        (TicketStatus::Waiting, 2, 1)
    );
    assert_eq!(s.spec.code(t.code_service, t.number), "A-001");
    // Issued before C-001, so it goes first at the caja counter.
    assert_eq!(s.position(&t, t0()), 0);
    run(&mut s, act("v3", CounterAction::Open), t0()).unwrap();
    let subject = run(&mut s, act("v3", CounterAction::CallNext), t0()).unwrap();
    assert_eq!(code(&s, subject), "A-001");
}

#[test]
fn no_show_needs_the_configured_recalls() {
    let policy = PolicySpec {
        min_recalls_before_no_show: 1,
        snooze_turns: 3,
        ..Default::default()
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
    run(&mut s, act("v1", CounterAction::NoShow), t0()).unwrap();
    assert_eq!(s.tickets[0].status, TicketStatus::NoShow);
}

#[test]
fn call_by_code_out_of_order() {
    let mut s = OfficeState::new(spec(PolicySpec::default()), day(), t0());
    run(&mut s, issue("registro", "general", 1), t0()).unwrap();
    run(&mut s, issue("registro", "general", 2), t0()).unwrap();
    run(&mut s, issue("caja", "general", 3), t0()).unwrap();
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    assert_eq!(
        run(
            &mut s,
            act(
                "v1",
                CounterAction::Call {
                    code: "C-001".into()
                }
            ),
            t0()
        ),
        Err(DomainError::ServiceNotServed)
    );
    let subject = run(
        &mut s,
        act(
            "v1",
            CounterAction::Call {
                code: "a-002".into(),
            },
        ),
        t0(),
    )
    .unwrap();
    assert_eq!(code(&s, subject), "A-002");
    assert_eq!(
        run(&mut s, act("v2", CounterAction::Open), t0()).and_then(|_| run(
            &mut s,
            act(
                "v2",
                CounterAction::Call {
                    code: "A-002".into()
                }
            ),
            t0()
        )),
        Err(DomainError::TurnNotWaiting)
    );
}
