//! The office's day: closed hours, the day's close, and the local midnight.

use super::*;
use crate::domain::schedule::{end_of_day, local_day};
use chrono::Duration;
use proptest::prelude::*;

#[test]
fn closed_office_says_when_it_opens() {
    let mut spec = (*spec(PolicySpec::default())).clone();
    spec.hours = WeeklyHours::default();
    spec.hours.days[0] = vec![crate::domain::schedule::parse_range("08:00-12:00").unwrap()];
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

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
