//! Property tests over random days: numbering, final states, replay, and positions
//! that match the call order.

use super::*;
use chrono::Duration;
use proptest::prelude::*;

/// A random step of an office's day.
#[derive(Debug, Clone)]
enum Step {
    Issue { service: u8, preferential: bool },
    Cancel(u8),
    Snooze(u8),
    Counter { counter: u8, action: u8, arg: u8 },
    Wait(u16),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0u8..3, any::<bool>()).prop_map(|(service, preferential)| Step::Issue { service, preferential }),
        1 => any::<u8>().prop_map(Step::Cancel),
        1 => any::<u8>().prop_map(Step::Snooze),
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
            snooze_turns: 3,
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
            issuer: None,
            entropy: {
                let mut e = [0u8; 12];
                e[..4].copy_from_slice(&n.to_le_bytes());
                e
            },
            language: None,
        },
        Step::Cancel(i) => {
            let t = state
                .tickets
                .get(*i as usize % state.tickets.len().max(1))?;
            Command::Cancel { token: t.token }
        }
        Step::Snooze(i) => {
            let t = state
                .tickets
                .get(*i as usize % state.tickets.len().max(1))?;
            Command::Snooze { token: t.token }
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
                        reason: Some("cita".into()),
                        note: None,
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
    /// exactly one final state once the day closes; a final turn never changes again; every
    /// waiting turn is queued or held by a snooze, once; and a replay of the events
    /// rebuilds the same state.
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
            // Every waiting turn is in its service's queue or held back by a snooze, once.
            for service in 0..3u16 {
                let waiting = s.tickets.iter().filter(|t| t.status == TicketStatus::Waiting && t.service == service && !t.placeholder).count() as u32;
                prop_assert_eq!(s.waiting(service).0, waiting);
                let (queued, _) = s.queues().count(service);
                let held = s.tickets.iter().filter(|t| t.status == TicketStatus::Waiting && t.service == service && t.held_for > 0).count() as u32;
                prop_assert_eq!(queued + held, waiting);
            }
            prop_assert!(s.tickets.iter().all(|t| t.held_for == 0 || (t.status == TicketStatus::Waiting && t.snoozed)));
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
        let a: Vec<_> = replayed.tickets.iter().map(|t| (t.status, t.number, t.service, t.snoozed)).collect();
        let b: Vec<_> = s.tickets.iter().map(|t| (t.status, t.number, t.service, t.snoozed)).collect();
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
}
