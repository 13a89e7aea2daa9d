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
                    code: "C-001".into(),
                    reason: Some("cita".into()),
                    note: None,
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
                reason: Some("cita".into()),
                note: None,
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
                    code: "A-002".into(),
                    reason: Some("cita".into()),
                    note: None,
                }
            ),
            t0()
        )),
        Err(DomainError::TurnNotWaiting)
    );
}

#[test]
fn a_call_out_of_order_needs_one_of_the_offices_reasons_and_records_it() {
    let mut s = OfficeState::new(spec(PolicySpec::default()), day(), t0());
    run(&mut s, issue("registro", "general", 1), t0()).unwrap();
    run(&mut s, issue("registro", "general", 2), t0()).unwrap();
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    let call = |reason: Option<&str>, note: Option<&str>| {
        act(
            "v1",
            CounterAction::Call {
                code: "A-002".into(),
                reason: reason.map(Into::into),
                note: note.map(Into::into),
            },
        )
    };
    let refused = [
        (call(None, None), DomainError::ReasonRequired),
        (call(Some("  "), Some("x")), DomainError::ReasonRequired),
        (call(Some("capricho"), None), DomainError::UnknownReason),
        (call(Some("otro"), None), DomainError::NoteRequired),
        (call(Some("otro"), Some("   ")), DomainError::NoteRequired),
        (
            call(Some("cita"), Some(&"x".repeat(201))),
            DomainError::NoteTooLong,
        ),
    ];
    for (command, error) in refused {
        assert_eq!(decide(&s, &command, t0()).map(|_| ()), Err(error));
    }
    // Nothing was called by the refusals.
    assert_eq!(s.tickets[1].status, TicketStatus::Waiting);
    let (events, _) = decide(&s, &call(Some("otro"), Some(" vecino del A-001 ")), t0()).unwrap();
    assert!(
        matches!(
            events.as_slice(),
            [Event::TicketCalled {
                seq: 1,
                reason: CallReason::OutOfOrder,
                out_of_order: Some(OutOfOrder { reason, note: Some(note) }),
                ..
            }] if reason == "otro" && note == "vecino del A-001"
        ),
        "{events:?}"
    );
    // A reason whose note is optional goes without one.
    let (events, _) = decide(&s, &call(Some("cita"), None), t0()).unwrap();
    assert!(matches!(
        events.as_slice(),
        [Event::TicketCalled {
            out_of_order: Some(OutOfOrder { note: None, .. }),
            ..
        }]
    ));
    // Calls by the policy carry no reason.
    let (events, _) = decide(&s, &act("v1", CounterAction::CallNext), t0()).unwrap();
    assert!(matches!(
        events.as_slice(),
        [Event::TicketCalled {
            out_of_order: None,
            ..
        }]
    ));
}

#[test]
fn a_call_recorded_before_reasons_were_asked_for_still_reads() {
    let old = r#"{"type":"ticket_called","seq":3,"counter":"v1","agent":"ana","reason":"out_of_order","streak":0,"at":"2026-11-23T14:00:00Z"}"#;
    let e: Event = serde_json::from_str(old).unwrap();
    assert!(matches!(
        e,
        Event::TicketCalled {
            out_of_order: None,
            ..
        }
    ));
    // Written again, it is the same bytes: nothing is added to calls without a reason.
    assert_eq!(serde_json::to_string(&e).unwrap(), old);
}
