//! The report's computation on hand-made logs, without HTTP.

use super::*;
use crate::domain::{CounterCarry, Scores, Token};

fn spec() -> Arc<OfficeSpec> {
    let config = crate::config::Config::demo("x", "k").unwrap();
    config.offices[0].clone()
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// 08:00 in Bogotá plus `m` minutes.
fn at(m: i64) -> DateTime<Utc> {
    "2026-11-23T13:00:00Z".parse::<DateTime<Utc>>().unwrap() + chrono::Duration::minutes(m)
}

fn counter(e: &str, m: i64) -> Event {
    let counter = "v1".to_owned();
    match e {
        "open" => Event::CounterOpened {
            counter,
            agent: "ana".into(),
            at: at(m),
        },
        "close" => Event::CounterClosed { counter, at: at(m) },
        "resume" => Event::CounterResumed { counter, at: at(m) },
        reason => Event::CounterPaused {
            counter,
            reason: reason.into(),
            at: at(m),
        },
    }
}

#[test]
fn idle_and_pauses_per_agent_and_reason() {
    let issued = Event::TicketIssued {
        seq: 0,
        number: 1,
        token: Token::new([1; 12], day()),
        service: "registro".into(),
        category: "general".into(),
        preferential: false,
        issuer: None,
        prefix: None,
        language: None,
        at: at(10),
    };
    let events = vec![
        Event::DayOpened {
            day: day(),
            at: at(0),
            counters: vec![],
        },
        counter("open", 0), // idle 0 → 10
        issued,
        Event::TicketCalled {
            seq: 0,
            counter: "v1".into(),
            agent: "ana".into(),
            reason: crate::domain::CallReason::InOrder,
            streak: 0,
            out_of_order: None,
            at: at(10),
        },
        Event::TicketServed {
            seq: 0,
            counter: "v1".into(),
            agent: "ana".into(),
            at: at(20),
        },
        counter("café", 25), // idle 20 → 25, paused 25 → 35
        counter("resume", 35),
        counter("café", 40), // idle 35 → 40, paused 40 → 45
        counter("resume", 45),
        counter("close", 50), // idle 45 → 50
    ];
    let r = compute(&spec(), day(), day(), &[(day(), events)], at(600));
    let ana = r.by_agent.iter().find(|a| a.id == "ana").unwrap();
    assert_eq!(ana.idle_seconds, Some((10 + 5 + 5 + 5) as f64 * 60.0));
    assert_eq!(ana.pause_seconds, Some(15.0 * 60.0));
    assert_eq!(
        r.pauses,
        vec![PauseRow {
            reason: "café".into(),
            count: 2,
            total_seconds: 900.0
        }]
    );
    assert_eq!(r.total.turns.served, 1);
    assert_eq!(r.total.wait_seconds.max, Some(0.0));
    assert_eq!(r.total.service_seconds.mean, Some(600.0));
    assert_eq!(r.total.satisfaction.response_rate, Some(0.0));
}

#[test]
fn an_open_day_ends_now_and_a_carried_pause_counts_its_time_not_a_new_pause() {
    let events = vec![Event::DayOpened {
        day: day(),
        at: at(0),
        counters: vec![CounterCarry {
            counter: "v1".into(),
            agent: "ana".into(),
            paused: Some("reunión".into()),
        }],
    }];
    // Now is 08:30: thirty minutes paused so far.
    let r = compute(&spec(), day(), day(), &[(day(), events)], at(30));
    assert_eq!(
        r.pauses,
        vec![PauseRow {
            reason: "reunión".into(),
            count: 0,
            total_seconds: 1800.0
        }]
    );
    assert_eq!(r.by_agent[0].idle_seconds, Some(0.0));
    assert_eq!(r.total.wait_seconds.count, 0);
    assert_eq!(r.total.wait_seconds.mean, None);
}

#[test]
fn surveys_count_by_the_turns_day_even_when_written_later() {
    let next = day().succ_opt().unwrap();
    let issued = Event::TicketIssued {
        seq: 0,
        number: 1,
        token: Token::new([1; 12], day()),
        service: "caja".into(),
        category: "general".into(),
        preferential: false,
        issuer: None,
        prefix: None,
        language: None,
        at: at(0),
    };
    let answered = Event::SurveyAnswered {
        day: day(),
        seq: 0,
        token: Token::new([1; 12], day()),
        service: "caja".into(),
        category: "general".into(),
        counter: None,
        agent: None,
        scores: Scores {
            overall: 4,
            attention: 4,
            clarity: 4,
            wait_time: 4,
            response_time: 4,
        },
        comment: None,
        case_type: None,
        at: at(24 * 60),
    };
    let logs = vec![(day(), vec![issued]), (next, vec![answered])];
    let r = compute(&spec(), day(), day(), &logs, at(2000));
    assert_eq!(r.total.satisfaction.responses, 1);
    assert_eq!(r.by_service[2].figures.satisfaction.index, Some(4.0));
    // The next day alone: its log holds the answer, but the turn is not of that day.
    let r = compute(&spec(), next, next, &logs, at(2000));
    assert_eq!(r.total.satisfaction.responses, 0);
    assert_eq!(r.total.turns.issued, 0);
}
