//! When a service's range runs out: numbering wraps to the numbers whose turns are final
//! (never a live turn's code), or stops, as the service is configured.

use super::*;
use proptest::prelude::*;

/// The test office with `registro` numbered 1–3.
fn small(on_exhausted: OnExhausted) -> OfficeState {
    let mut spec = (*spec(PolicySpec::default())).clone();
    spec.services[0].last_number = 3;
    spec.services[0].on_exhausted = on_exhausted;
    OfficeState::new(Arc::new(spec), day(), t0())
}

fn issue_code(s: &mut OfficeState, n: u8) -> Result<String, DomainError> {
    let subject = run(s, issue("registro", "general", n), t0())?;
    Ok(code(s, subject))
}

fn cancel(s: &mut OfficeState, code: &str) {
    let token = s.ticket_by_code(code).unwrap().token;
    run(s, Command::Cancel { token }, t0()).unwrap();
}

#[test]
fn a_used_up_range_wraps_to_numbers_whose_turns_ended() {
    let mut s = small(OnExhausted::Wrap);
    for (n, expected) in [(1, "A-001"), (2, "A-002"), (3, "A-003")] {
        assert_eq!(issue_code(&mut s, n).unwrap(), expected);
    }
    // Every number is held by a waiting turn: refused.
    assert_eq!(
        issue_code(&mut s, 4),
        Err(DomainError::NumberRangeExhausted)
    );
    cancel(&mut s, "A-002");
    assert_eq!(issue_code(&mut s, 5).unwrap(), "A-002");
    // The code now names the new turn, and the search goes on after it.
    assert_eq!(
        s.ticket_by_code("A-002").unwrap().status,
        TicketStatus::Waiting
    );
    cancel(&mut s, "A-001");
    cancel(&mut s, "A-003");
    assert_eq!(issue_code(&mut s, 6).unwrap(), "A-003");
    assert_eq!(issue_code(&mut s, 7).unwrap(), "A-001");
    assert_eq!(
        issue_code(&mut s, 8),
        Err(DomainError::NumberRangeExhausted)
    );
    // Other services number on as before.
    let subject = run(&mut s, issue("caja", "general", 9), t0()).unwrap();
    assert_eq!(code(&s, subject), "C-001");
}

#[test]
fn a_service_that_refuses_stops_at_its_last_number() {
    let mut s = small(OnExhausted::Refuse);
    for n in 1..=3 {
        issue_code(&mut s, n).unwrap();
    }
    cancel(&mut s, "A-001");
    assert_eq!(
        issue_code(&mut s, 4),
        Err(DomainError::NumberRangeExhausted)
    );
}

#[test]
fn wrapping_replays_to_the_same_numbers() {
    let mut s = small(OnExhausted::Wrap);
    let mut log = Vec::new();
    let mut decide_and_keep = |s: &mut OfficeState, cmd: Command| {
        if let Ok((events, _)) = decide(s, &cmd, t0()) {
            for e in &events {
                s.apply(e).unwrap();
            }
            log.extend(events);
        }
    };
    for n in 1..=3 {
        decide_and_keep(&mut s, issue("registro", "general", n));
    }
    let token = s.ticket_by_code("A-002").unwrap().token;
    decide_and_keep(&mut s, Command::Cancel { token });
    decide_and_keep(&mut s, issue("registro", "general", 4));
    let mut again = small(OnExhausted::Wrap);
    for e in &log {
        again.apply(e).unwrap();
    }
    assert_eq!(again.number_for(0), s.number_for(0));
    assert_eq!(
        again.ticket_by_code("A-002").unwrap().token,
        s.ticket_by_code("A-002").unwrap().token
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the order of issuing and ending turns, no two live turns share a code,
    /// and a turn is refused only when every number is live.
    #[test]
    fn no_two_live_turns_share_a_code(steps in proptest::collection::vec(0u8..4, 1..120)) {
        let mut s = small(OnExhausted::Wrap);
        for (i, step) in steps.iter().enumerate() {
            let live: Vec<String> = s
                .tickets
                .iter()
                .filter(|t| t.service == 0 && !t.status.is_final())
                .map(|t| s.spec.code(t.code_service, t.number))
                .collect();
            match step {
                // Issue (most often).
                0 | 1 => match issue_code(&mut s, (i % 250) as u8) {
                    Ok(code) => prop_assert!(!live.contains(&code), "{code} given twice"),
                    Err(e) => {
                        prop_assert_eq!(e, DomainError::NumberRangeExhausted);
                        prop_assert_eq!(live.len(), 3, "refused with a free number");
                    }
                },
                // End the oldest live turn.
                _ => {
                    if let Some(code) = live.first() {
                        cancel(&mut s, code);
                    }
                }
            }
        }
    }
}

#[test]
fn a_supervisor_cancels_a_range_of_waiting_turns_and_their_numbers_come_free() {
    let mut s = small(OnExhausted::Wrap);
    for n in 1..=3 {
        issue_code(&mut s, n).unwrap();
    }
    // A-001 is being attended: a bulk cancel leaves it alone.
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    run(&mut s, act("v1", CounterAction::CallNext), t0()).unwrap();
    let cancel = |from, to| Command::CancelRange {
        service: "registro".into(),
        from,
        to,
    };
    assert_eq!(run(&mut s, cancel(1, 3), t0()), Ok(Subject::Turns(2)));
    assert_eq!(
        s.ticket_by_code("A-002").unwrap().status,
        TicketStatus::Cancelled
    );
    assert_eq!(
        s.ticket_by_code("A-001").unwrap().status,
        TicketStatus::Called
    );
    assert_eq!(run(&mut s, cancel(1, 3), t0()), Ok(Subject::Turns(0)));
    assert_eq!(
        issue_code(&mut s, 9).unwrap(),
        "A-002",
        "freed numbers are given again"
    );
    assert_eq!(
        run(
            &mut s,
            Command::CancelRange {
                service: "nada".into(),
                from: 1,
                to: 2
            },
            t0()
        ),
        Err(DomainError::ServiceNotFound)
    );
}

#[test]
fn each_turn_remembers_who_asked_and_a_flood_from_one_source_is_cancelled_at_once() {
    use crate::domain::Issuer;
    let mut s = OfficeState::new(spec(PolicySpec::default()), day(), t0());
    let from = |issuer: Issuer, service: &str, n: u8| Command::Issue {
        service: service.into(),
        category: None,
        issuer: Some(issuer),
        entropy: [n; 12],
        language: None,
    };
    let flood = Issuer::Address("203.0.113.66".into());
    let kiosk = Issuer::Kiosk("entrada".into());
    for n in 0..6 {
        let service = ["registro", "caja"][usize::from(n % 2)];
        run(&mut s, from(flood.clone(), service, n), t0()).unwrap();
    }
    run(&mut s, from(kiosk.clone(), "registro", 50), t0()).unwrap();
    assert_eq!(s.issuer_of(6), Some(&kiosk));
    let counts = s.issuer_counts(10);
    assert_eq!(
        (counts[0].issuer.clone(), counts[0].waiting),
        (flood.clone(), 6)
    );

    // The record keeps who asked: a replay knows it too.
    let mut events = Vec::new();
    let mut replayed = OfficeState::new(spec(PolicySpec::default()), day(), t0());
    for seq in 0..7u32 {
        let t = s.tickets[seq as usize];
        events.push(Event::TicketIssued {
            seq,
            number: t.number,
            token: t.token,
            service: s.spec.services[t.service as usize].id.clone(),
            category: "general".into(),
            preferential: false,
            issuer: s.issuer_of(seq).cloned(),
            prefix: None,
            language: None,
            at: t0(),
        });
    }
    for e in &events {
        replayed.apply(e).unwrap();
    }
    assert_eq!(replayed.issuer_counts(10), s.issuer_counts(10));

    let cancel = |issuer: &Issuer, service: Option<&str>| Command::CancelIssuedBy {
        issuer: issuer.clone(),
        service: service.map(str::to_owned),
    };
    assert_eq!(
        run(&mut s, cancel(&flood, Some("caja")), t0()),
        Ok(Subject::Turns(3))
    );
    assert_eq!(
        run(&mut s, cancel(&flood, None), t0()),
        Ok(Subject::Turns(3))
    );
    assert_eq!(
        run(&mut s, cancel(&flood, None), t0()),
        Ok(Subject::Turns(0))
    );
    assert_eq!(
        s.tickets[6].status,
        TicketStatus::Waiting,
        "the kiosk's turn stays"
    );
    assert_eq!(
        run(
            &mut s,
            cancel(&Issuer::Address("198.51.100.1".into()), None),
            t0()
        ),
        Ok(Subject::Turns(0)),
        "an address that issued nothing cancels nothing"
    );
    assert_eq!(
        run(&mut s, cancel(&kiosk, Some("nada")), t0()),
        Err(DomainError::ServiceNotFound)
    );
}
