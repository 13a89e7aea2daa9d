//! Unit and property tests of the domain rules.

use super::schedule::{end_of_day, local_day, WeeklyHours};
use super::*;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use proptest::prelude::*;
use std::sync::Arc;

pub(super) fn spec(policy: PolicySpec) -> Arc<OfficeSpec> {
    let service = |id: &str, name: &str, prefix: &str| ServiceSpec {
        id: id.into(),
        name: name.into(),
        prefix: prefix.into(),
        first_number: 1,
        last_number: 999,
        target_wait_seconds: 900,
        default_service_seconds: 300,
    };
    let category = |id: &str, preferential| CategorySpec {
        id: id.into(),
        label: id.into(),
        preferential,
    };
    let counter = |id: &str, services: Vec<u16>| CounterSpec {
        id: id.into(),
        name: format!("Ventanilla {}", &id[1..]),
        services,
    };
    let mut spec = OfficeSpec {
        id: "central".into(),
        name: "Oficina Central".into(),
        timezone: "America/Bogota".parse().unwrap(),
        hours: WeeklyHours::always(),
        public_base_url: "http://localhost:8080".into(),
        services: vec![
            service("registro", "Registro", "A"),
            service("catastro", "Catastro", "B"),
            service("caja", "Caja", "C"),
        ],
        categories: vec![category("general", false), category("adulto_mayor", true)],
        counters: vec![
            counter("v1", vec![0, 1]),
            counter("v2", vec![0, 1]),
            counter("v3", vec![1, 2]),
            counter("v4", vec![0, 1, 2]),
        ],
        policy,
        survey_days: crate::domain::survey::DEFAULT_SURVEY_DAYS,
        competing: Vec::new(),
    };
    spec.derive_competing();
    Arc::new(spec)
}

pub(super) fn t0() -> DateTime<Utc> {
    "2026-11-23T14:00:00Z".parse().unwrap()
}

pub(super) fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// Runs a command the way the engine does: decide, then apply.
fn run(state: &mut OfficeState, cmd: Command, now: DateTime<Utc>) -> Result<Subject, DomainError> {
    let (events, subject) = decide(state, &cmd, now)?;
    for e in &events {
        state.apply(e).expect("decided events apply");
    }
    Ok(subject)
}

pub(super) fn issue(service: &str, category: &str, n: u8) -> Command {
    Command::Issue {
        service: service.into(),
        category: Some(category.into()),
        kiosk: None,
        entropy: [n; 12],
    }
}

pub(super) fn act(counter: &str, action: CounterAction) -> Command {
    Command::Counter {
        counter: counter.into(),
        agent: format!("agente_{counter}"),
        action,
    }
}

fn code(state: &OfficeState, subject: Subject) -> String {
    match subject {
        Subject::Ticket(seq) => {
            let t = state.tickets[seq as usize];
            state.spec.code(t.code_service, t.number)
        }
        other => panic!("expected a ticket, got {other:?}"),
    }
}

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

#[test]
fn closed_office_says_when_it_opens() {
    let mut spec = (*spec(PolicySpec::default())).clone();
    spec.hours = WeeklyHours::default();
    spec.hours.days[0] = vec![super::schedule::parse_range("08:00-12:00").unwrap()];
    let mut s = OfficeState::new(Arc::new(spec), day(), t0());
    // 2026-11-23 is a Monday; 14:00 UTC is 09:00 in Bogotá: open.
    run(&mut s, issue("registro", "general", 1), t0()).unwrap();
    let evening = t0() + Duration::hours(8);
    match run(&mut s, issue("registro", "general", 2), evening) {
        Err(DomainError::OfficeClosed {
            next_opening: Some(at),
        }) => {
            assert_eq!(at.to_rfc3339(), "2026-11-30T08:00:00-05:00")
        }
        other => panic!("expected office_closed, got {other:?}"),
    }
    assert_eq!(s.tickets.len(), 1);
}

#[test]
fn day_close_expires_waiting_and_closes_serving() {
    let mut s = OfficeState::new(spec(PolicySpec::default()), day(), t0());
    for i in 0..3 {
        run(&mut s, issue("registro", "general", i), t0()).unwrap();
    }
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    run(&mut s, act("v1", CounterAction::CallNext), t0()).unwrap();
    run(&mut s, act("v1", CounterAction::Start), t0()).unwrap();
    run(&mut s, act("v2", CounterAction::Open), t0()).unwrap();
    run(&mut s, act("v2", CounterAction::CallNext), t0()).unwrap();
    let close = close_day(&s, t0());
    s.apply(&close).unwrap();
    let statuses: Vec<_> = s.tickets.iter().map(|t| t.status).collect();
    assert_eq!(
        statuses,
        [
            TicketStatus::Served,
            TicketStatus::Expired,
            TicketStatus::Expired
        ]
    );
    assert!(s.counters.iter().all(|c| c.current.is_none()));
    assert_eq!(s.carry().len(), 2);
}

/// A random step of an office's day.
#[derive(Debug, Clone)]
enum Step {
    Issue { service: u8, preferential: bool },
    Cancel(u8),
    Counter { counter: u8, action: u8, arg: u8 },
    Wait(u16),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0u8..3, any::<bool>()).prop_map(|(service, preferential)| Step::Issue { service, preferential }),
        1 => any::<u8>().prop_map(Step::Cancel),
        6 => (0u8..4, 0u8..11, any::<u8>()).prop_map(|(counter, action, arg)| Step::Counter { counter, action, arg }),
        1 => (1u16..3600).prop_map(Step::Wait),
    ]
}

fn policy() -> impl Strategy<Value = PolicySpec> {
    (
        proptest::option::of(1u32..4),
        proptest::option::of(60u32..3600),
        0u16..2,
    )
        .prop_map(|(cap, aging, recalls)| PolicySpec {
            max_consecutive_preferential: cap,
            aging_seconds: aging,
            min_recalls_before_no_show: recalls,
        })
}

fn to_command(state: &OfficeState, step: &Step, n: u32) -> Option<Command> {
    let services = ["registro", "catastro", "caja"];
    Some(match step {
        Step::Issue {
            service,
            preferential,
        } => Command::Issue {
            service: services[*service as usize].into(),
            category: Some(
                if *preferential {
                    "adulto_mayor"
                } else {
                    "general"
                }
                .into(),
            ),
            kiosk: None,
            entropy: {
                let mut e = [0u8; 12];
                e[..4].copy_from_slice(&n.to_le_bytes());
                e
            },
        },
        Step::Cancel(i) => {
            let t = state
                .tickets
                .get(*i as usize % state.tickets.len().max(1))?;
            Command::Cancel { token: t.token }
        }
        Step::Counter {
            counter,
            action,
            arg,
        } => {
            let action = match action {
                0 => CounterAction::Open,
                1..=3 => CounterAction::CallNext,
                4 => CounterAction::Recall,
                5 => CounterAction::Start,
                6 => CounterAction::Finish,
                7 => CounterAction::NoShow,
                8 => CounterAction::Transfer {
                    service: services[*arg as usize % 3].into(),
                },
                9 => match arg % 3 {
                    0 => CounterAction::Pause {
                        reason: "Almuerzo".into(),
                    },
                    1 => CounterAction::Resume,
                    _ => CounterAction::Close,
                },
                _ => {
                    let t = state
                        .tickets
                        .get(*arg as usize % state.tickets.len().max(1))?;
                    CounterAction::Call {
                        code: state.spec.code(t.code_service, t.number),
                    }
                }
            };
            act(&format!("v{}", counter + 1), action)
        }
        Step::Wait(_) => return None,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Numbers per service are 1, 2, 3… with none repeated or skipped; every turn ends in
    /// exactly one final state once the day closes; a final turn never changes again; and a
    /// replay of the events rebuilds the same state.
    #[test]
    fn numbering_and_final_states(policy in policy(), steps in proptest::collection::vec(step(), 1..300)) {
        let spec = spec(policy);
        let mut s = OfficeState::new(spec.clone(), day(), t0());
        let mut now = t0();
        let mut log = Vec::new();
        for (n, step) in steps.iter().enumerate() {
            if let Step::Wait(secs) = step { now += Duration::seconds(i64::from(*secs)); continue; }
            let Some(cmd) = to_command(&s, step, n as u32) else { continue };
            let before: Vec<_> = s.tickets.iter().filter(|t| t.status.is_final()).copied().collect();
            if let Ok((events, _)) = decide(&s, &cmd, now) {
                for e in &events { s.apply(e).unwrap(); }
                log.extend(events);
            }
            for t in before {
                prop_assert_eq!(s.tickets[t.seq as usize], t, "a final turn changed");
            }
            // A counter holds at most one turn and it is called or being served.
            for c in &s.counters {
                if let Some(seq) = c.current {
                    let status = s.tickets[seq as usize].status;
                    prop_assert!(matches!(status, TicketStatus::Called | TicketStatus::Serving));
                }
            }
            // Every turn called or serving is some counter's current turn, once.
            let in_progress = s.tickets.iter().filter(|t| matches!(t.status, TicketStatus::Called | TicketStatus::Serving)).count();
            prop_assert_eq!(in_progress, s.counters.iter().filter(|c| c.current.is_some()).count());
        }
        for service in 0..3u16 {
            let mut numbers: Vec<u32> = s.tickets.iter().filter(|t| t.code_service == service).map(|t| t.number).collect();
            numbers.sort_unstable();
            let expected: Vec<u32> = (1..=numbers.len() as u32).collect();
            prop_assert_eq!(numbers, expected);
        }
        let close = close_day(&s, now);
        s.apply(&close).unwrap();
        log.push(close);
        prop_assert!(s.tickets.iter().all(|t| t.status.is_final()));
        let (replayed, errors) = OfficeState::replay(spec, day(), &log);
        prop_assert!(errors.is_empty());
        let a: Vec<_> = replayed.tickets.iter().map(|t| (t.status, t.number, t.service)).collect();
        let b: Vec<_> = s.tickets.iter().map(|t| (t.status, t.number, t.service)).collect();
        prop_assert_eq!(a, b);
    }

    /// With one counter serving every service and no new arrivals, each waiting turn is
    /// called exactly when its `position` said: the citizen can trust the number. Also the
    /// policy's rule holds at each call.
    #[test]
    fn position_is_the_call_order(
        policy in policy(),
        arrivals in proptest::collection::vec((0u8..3, any::<bool>(), 0u16..900), 1..60),
        prior_calls in 0usize..6,
    ) {
        let mut spec = (*spec(policy.clone())).clone();
        spec.counters = vec![CounterSpec { id: "v1".into(), name: "Ventanilla 1".into(), services: vec![0, 1, 2] }];
        spec.derive_competing();
        let mut s = OfficeState::new(Arc::new(spec), day(), t0());
        let mut now = t0();
        for (n, (service, preferential, gap)) in arrivals.iter().enumerate() {
            now += Duration::seconds(i64::from(*gap));
            let cmd = to_command(&s, &Step::Issue { service: *service, preferential: *preferential }, n as u32).unwrap();
            run(&mut s, cmd, now).unwrap();
        }
        run(&mut s, act("v1", CounterAction::Open), now).unwrap();
        // Some calls first, so the ratio streak is not always zero.
        for _ in 0..prior_calls {
            if run(&mut s, act("v1", CounterAction::CallNext), now).unwrap() == Subject::Nothing { break; }
            run(&mut s, act("v1", CounterAction::Finish), now).unwrap();
        }
        let mut predicted: Vec<(u32, u32)> = s.tickets.iter()
            .filter(|t| t.status == TicketStatus::Waiting)
            .map(|t| (s.position(t, now), t.seq))
            .collect();
        predicted.sort_unstable();
        for (i, (position, _)) in predicted.iter().enumerate() {
            prop_assert_eq!(*position as usize, i, "positions are 0..n without gaps");
        }
        let cutoff = policy::aging_cutoff(&s.tickets, &policy, now);
        for (_, seq) in predicted {
            // The rule: the chosen turn is the oldest of its queue (Q0 before Q1, unless
            // the cap sends it to Q1).
            let waiting: Vec<_> = s.tickets.iter().filter(|t| t.status == TicketStatus::Waiting).copied().collect();
            let Subject::Ticket(called) = run(&mut s, act("v1", CounterAction::CallNext), now).unwrap() else {
                panic!("a turn was waiting");
            };
            prop_assert_eq!(called, seq, "called in the predicted order");
            let c = s.tickets[called as usize];
            let in_q0 = |t: &Ticket| t.preferential || t.seq < cutoff;
            let same_queue_older = waiting.iter().any(|t| in_q0(t) == in_q0(&c) && t.seq < c.seq);
            prop_assert!(!same_queue_older, "first come first served within a queue");
            run(&mut s, act("v1", CounterAction::Finish), now).unwrap();
        }
    }

    /// The local day changes exactly at local midnight, in a zone with a UTC offset.
    #[test]
    fn day_rolls_over_at_local_midnight(secs in 0i64..(400 * 86_400), zone in 0usize..4) {
        let tz: chrono_tz::Tz = ["America/Bogota", "America/Santiago", "America/Mexico_City", "America/Sao_Paulo"][zone].parse().unwrap();
        let at = t0() + Duration::seconds(secs);
        let d = local_day(tz, at);
        let end = end_of_day(tz, d);
        prop_assert!(end > at);
        prop_assert_eq!(local_day(tz, end), d.succ_opt().unwrap());
        prop_assert_eq!(local_day(tz, end - Duration::seconds(1)), d);
    }
}
