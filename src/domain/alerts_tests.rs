//! Every alert kind raised and cleared at the right moment, on a scripted day.

use super::*;
use crate::domain::tests::{act, day, issue, spec, t0};
use crate::domain::{decide, Command, CounterAction, OfficeSpec, PolicySpec, Scores, Token};
use chrono::Duration;
use std::sync::Arc;

fn state_with(change: impl FnOnce(&mut OfficeSpec)) -> OfficeState {
    let mut spec = (*spec(PolicySpec::default())).clone();
    change(&mut spec);
    OfficeState::new(Arc::new(spec), day(), t0())
}

fn run(state: &mut OfficeState, cmd: Command, now: DateTime<Utc>) -> Vec<Event> {
    let (events, _) = decide(state, &cmd, now).expect("the command is accepted");
    for e in &events {
        state.apply(e).expect("decided events apply");
    }
    events
}

/// Evaluates the alerts as the engine does and says what changed: ("+kind" raised,
/// "-kind" cleared).
fn evaluate(
    state: &mut OfficeState,
    now: DateTime<Utc>,
    printers: &[PrinterReport],
) -> Vec<String> {
    let events = run(
        state,
        Command::EvaluateAlerts {
            printers: printers.to_vec(),
        },
        now,
    );
    events
        .iter()
        .map(|e| match e {
            Event::AlertRaised { alert, .. } => format!("+{}", alert.kind.as_str()),
            Event::AlertCleared { alert, .. } => format!("-{}", alert.kind.as_str()),
            other => panic!("only alerts: {other:?}"),
        })
        .collect()
}

fn min(m: i64) -> Duration {
    Duration::minutes(m)
}

#[test]
fn the_longest_wait_alerts_once_past_the_target_and_clears_when_called() {
    let mut s = state_with(|_| {});
    run(&mut s, act("v2", CounterAction::Open), t0());
    run(&mut s, issue("registro", "general", 1), t0());
    // The target is 15 min: at 15:00 exactly it is not over it yet.
    assert_eq!(evaluate(&mut s, t0() + min(15), &[]), Vec::<String>::new());
    let late = t0() + min(15) + Duration::seconds(1);
    assert_eq!(evaluate(&mut s, late, &[]), ["+wait_over"]);
    assert_eq!(s.alerts[0].since, late, "since: when it was raised");
    assert_eq!(s.alerts[0].alert.service.as_deref(), Some("registro"));
    // Evaluated again, nothing new: raised once.
    assert!(evaluate(&mut s, late + min(1), &[]).is_empty());
    let f = findings(&s, late + min(5), &[]);
    assert_eq!(
        f[0].detail,
        Detail::Wait {
            seconds: 20 * 60 + 1,
            limit: 900
        }
    );
    run(&mut s, act("v2", CounterAction::CallNext), late + min(6));
    assert_eq!(evaluate(&mut s, late + min(6), &[]), ["-wait_over"]);
    assert!(s.alerts.is_empty());
}

#[test]
fn a_service_limit_replaces_the_target() {
    let mut s = state_with(|spec| spec.services[0].alert_wait_seconds_over = Some(5 * 60));
    run(&mut s, act("v1", CounterAction::Open), t0());
    run(&mut s, issue("registro", "general", 1), t0());
    run(&mut s, issue("registro", "general", 2), t0());
    run(&mut s, act("v1", CounterAction::CallNext), t0());
    assert!(evaluate(&mut s, t0() + min(5), &[]).is_empty());
    assert_eq!(evaluate(&mut s, t0() + min(6), &[]), ["+wait_over"]);
}

#[test]
fn too_many_waiting_alerts_and_clears_below_the_limit() {
    let mut s = state_with(|spec| spec.services[0].alert_waiting_over = Some(2));
    run(&mut s, act("v1", CounterAction::Open), t0());
    run(&mut s, issue("registro", "general", 1), t0());
    run(&mut s, issue("registro", "general", 2), t0());
    assert!(evaluate(&mut s, t0(), &[]).is_empty(), "2 is not over 2");
    run(&mut s, issue("registro", "general", 3), t0() + min(1));
    assert_eq!(evaluate(&mut s, t0() + min(1), &[]), ["+waiting_over"]);
    run(&mut s, act("v1", CounterAction::CallNext), t0() + min(2));
    assert_eq!(evaluate(&mut s, t0() + min(2), &[]), ["-waiting_over"]);
}

#[test]
fn people_waiting_with_no_open_counter_alerts_until_one_opens() {
    let mut s = state_with(|_| {});
    // Nobody waits: no alert, though no counter is open.
    assert!(evaluate(&mut s, t0(), &[]).is_empty());
    run(&mut s, issue("caja", "general", 1), t0());
    assert_eq!(evaluate(&mut s, t0(), &[]), ["+no_counter"]);
    assert_eq!(s.alerts[0].alert.service.as_deref(), Some("caja"));
    // v1 does not serve caja.
    run(&mut s, act("v1", CounterAction::Open), t0() + min(1));
    assert!(evaluate(&mut s, t0() + min(1), &[]).is_empty());
    run(&mut s, act("v3", CounterAction::Open), t0() + min(2));
    assert_eq!(evaluate(&mut s, t0() + min(2), &[]), ["-no_counter"]);
    // A paused counter serves nobody.
    run(
        &mut s,
        act(
            "v3",
            CounterAction::Pause {
                reason: "almuerzo".into(),
            },
        ),
        t0() + min(3),
    );
    assert_eq!(evaluate(&mut s, t0() + min(3), &[]), ["+no_counter"]);
}

#[test]
fn a_long_pause_alerts_after_the_limit_and_clears_on_resume() {
    let mut s = state_with(|spec| spec.alerts.pause_seconds_over = 10 * 60);
    run(&mut s, act("v1", CounterAction::Open), t0());
    run(
        &mut s,
        act(
            "v1",
            CounterAction::Pause {
                reason: "trámite interno".into(),
            },
        ),
        t0(),
    );
    assert!(evaluate(&mut s, t0() + min(10), &[]).is_empty());
    assert_eq!(evaluate(&mut s, t0() + min(11), &[]), ["+counter_paused"]);
    assert_eq!(s.alerts[0].alert.counter.as_deref(), Some("v1"));
    run(&mut s, act("v1", CounterAction::Resume), t0() + min(12));
    assert_eq!(evaluate(&mut s, t0() + min(12), &[]), ["-counter_paused"]);
}

#[test]
fn printers_alert_by_their_problem_and_only_reported_kiosks_clear() {
    let mut s = state_with(|_| {});
    let report = |kiosk: &str, problem| PrinterReport {
        kiosk: kiosk.into(),
        name: format!("Kiosco {kiosk}"),
        problem,
    };
    let paper = [report(
        "entrada",
        Some(PrinterProblem::NoPaper("sin papel".into())),
    )];
    assert_eq!(evaluate(&mut s, t0(), &paper), ["+printer_paper"]);
    let offline = [report(
        "patio",
        Some(PrinterProblem::Offline("no responde".into())),
    )];
    // "entrada" is not reported this time (another process drives it): it stays.
    assert_eq!(evaluate(&mut s, t0(), &offline), ["+printer_offline"]);
    assert_eq!(s.alerts.len(), 2);
    let fine = [report("entrada", None), report("patio", None)];
    let mut changed = evaluate(&mut s, t0() + min(1), &fine);
    changed.sort();
    assert_eq!(changed, ["-printer_offline", "-printer_paper"]);
}

fn answer(state: &mut OfficeState, overall: u8, seq: u32, at: DateTime<Utc>) {
    let e = Event::SurveyAnswered {
        day: day(),
        seq,
        token: Token::new([seq as u8; 12], day()),
        service: "registro".into(),
        category: "general".into(),
        counter: None,
        agent: None,
        scores: Scores {
            overall,
            attention: 5,
            clarity: 5,
            wait_time: 5,
            response_time: 5,
        },
        comment: None,
        case_type: None,
        at,
    };
    state.apply(&e).unwrap();
}

#[test]
fn satisfaction_of_the_last_answers_below_three_alerts_and_recovers() {
    let mut s = state_with(|spec| spec.alerts.satisfaction_answers = 3);
    answer(&mut s, 1, 0, t0());
    answer(&mut s, 2, 1, t0());
    assert!(
        evaluate(&mut s, t0(), &[]).is_empty(),
        "fewer than 3 answers say nothing"
    );
    answer(&mut s, 3, 2, t0() + min(1));
    // (1 + 2 + 3) / 3 = 2.0 < 3.
    assert_eq!(evaluate(&mut s, t0() + min(1), &[]), ["+satisfaction_low"]);
    answer(&mut s, 5, 3, t0() + min(2));
    // Latest three: (2 + 3 + 5) / 3 = 3.33.
    assert_eq!(evaluate(&mut s, t0() + min(2), &[]), ["-satisfaction_low"]);
}

#[test]
fn alerts_in_force_are_rebuilt_from_the_log_and_may_be_skipped_by_older_versions() {
    let mut s = state_with(|_| {});
    run(&mut s, issue("caja", "general", 1), t0());
    let events = run(&mut s, Command::EvaluateAlerts { printers: vec![] }, t0());
    assert!(events.iter().all(Event::skippable));
    let json = serde_json::to_string(&events[0]).unwrap();
    assert!(
        json.contains(r#""type":"alert_raised""#) && json.contains(r#""kind":"no_counter""#),
        "{json}"
    );
    let again: Event = serde_json::from_str(&json).unwrap();
    let mut replayed = state_with(|_| {});
    replayed.apply(&again).unwrap();
    assert_eq!(replayed.alerts, s.alerts);
}
