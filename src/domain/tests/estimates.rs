//! Wait estimates: the kiosk's list, the new ticket and the turn's own page agree, and a
//! few quick turns do not make a long procedure look instant.

use super::*;
use chrono::Duration;

fn seq(subject: Subject) -> u32 {
    match subject {
        Subject::Ticket(seq) => seq,
        other => panic!("expected a ticket, got {other:?}"),
    }
}

#[test]
fn the_list_and_the_ticket_agree() {
    let mut s = OfficeState::new(spec(PolicySpec::default()), day(), t0());
    for n in 0..3 {
        run(&mut s, issue("registro", "general", n), t0()).unwrap();
        run(&mut s, issue("caja", "general", 10 + n), t0()).unwrap();
    }
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    run(&mut s, act("v3", CounterAction::Open), t0()).unwrap();
    for service in ["registro", "catastro", "caja"] {
        let idx = s.spec.service_idx(service).unwrap();
        let (ahead, listed) = s.outlook_for_new_turn(idx);
        let issued = seq(run(&mut s, issue(service, "general", 40), t0()).unwrap());
        let view = s.view(issued, t0());
        assert_eq!(view.position, Some(ahead), "{service}");
        assert_eq!(view.estimated_wait_seconds, Some(listed), "{service}");
    }
}

#[test]
fn the_list_and_the_ticket_agree_when_services_take_different_times() {
    let mut spec = (*spec(PolicySpec::default())).clone();
    spec.services[2].default_service_seconds = 180; // caja, sharing v3 and v4
    let mut s = OfficeState::new(std::sync::Arc::new(spec), day(), t0());
    for n in 0..3 {
        run(&mut s, issue("registro", "general", n), t0()).unwrap();
        run(&mut s, issue("caja", "general", 10 + n), t0()).unwrap();
    }
    run(&mut s, act("v4", CounterAction::Open), t0()).unwrap();
    for service in ["registro", "caja", "catastro"] {
        let idx = s.spec.service_idx(service).unwrap();
        let (ahead, listed) = s.outlook_for_new_turn(idx);
        let issued = seq(run(&mut s, issue(service, "general", 50), t0()).unwrap());
        let view = s.view(issued, t0());
        assert_eq!(view.position, Some(ahead), "{service}");
        assert_eq!(view.estimated_wait_seconds, Some(listed), "{service}");
    }
}

#[test]
fn quick_turns_do_not_make_a_long_procedure_look_instant() {
    let mut s = OfficeState::new(spec(PolicySpec::default()), day(), t0());
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    let mut now = t0();
    // Two turns finished in 5 seconds each (an agent trying the console).
    for n in 0..2 {
        run(&mut s, issue("registro", "general", n), now).unwrap();
        run(&mut s, act("v1", CounterAction::CallNext), now).unwrap();
        run(&mut s, act("v1", CounterAction::Start), now).unwrap();
        now += Duration::seconds(5);
        run(&mut s, act("v1", CounterAction::Finish), now).unwrap();
    }
    assert_eq!(s.mean_service_seconds(0), 5.0);
    // The configured 5 minutes still weigh as five turns: (5 × 300 + 10) / 7.
    let expected = s.expected_service_seconds(0);
    assert!((expected - 1510.0 / 7.0).abs() < 1e-9, "{expected}");
    for n in 0..3 {
        run(&mut s, issue("registro", "general", 20 + n), now).unwrap();
    }
    let (ahead, wait) = s.outlook_for_new_turn(0);
    assert_eq!(ahead, 3);
    assert!(wait > 5 * 60, "three turns ahead at one counter: {wait} s");
}

#[test]
fn a_free_counter_calls_the_next_turn_at_once() {
    let mut s = OfficeState::new(spec(PolicySpec::default()), day(), t0());
    run(&mut s, act("v1", CounterAction::Open), t0()).unwrap();
    assert_eq!(s.outlook_for_new_turn(0), (0, 0));
    // Before any counter opens, every counter that serves it is planned with.
    let idle = OfficeState::new(spec(PolicySpec::default()), day(), t0());
    let caja = idle.spec.service_idx("caja").unwrap();
    assert_eq!(idle.outlook_for_new_turn(caja), (0, 150));
}

#[test]
fn a_turn_is_near_by_position_or_by_time() {
    use crate::domain::spec::NearRule;
    let protocol = NearRule::default();
    assert!(protocol.is_near(3, 3600));
    assert!(!protocol.is_near(4, 0), "by position only, by default");
    let both = NearRule {
        at_position: Some(2),
        at_minutes: Some(10),
    };
    assert!(both.is_near(5, 600));
    assert!(both.is_near(2, 6000));
    assert!(!both.is_near(3, 601));
    let never = NearRule {
        at_position: None,
        at_minutes: None,
    };
    assert!(!never.is_near(0, 0));
}
