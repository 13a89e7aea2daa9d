//! Unit and property tests of the domain rules, by what they test; this module holds
//! the shared office and the helpers that run commands the way the engine does.

mod calling;
mod day;
mod estimates;
mod lifecycle;
mod numbering;
mod ownership;
mod priority;
mod properties;
mod snooze;

use super::schedule::WeeklyHours;
use super::*;
use chrono::{DateTime, NaiveDate, Utc};
use std::sync::Arc;

pub(super) fn spec(policy: PolicySpec) -> Arc<OfficeSpec> {
    let service = |id: &str, name: &str, prefix: &str| ServiceSpec {
        id: id.into(),
        name: name.into(),
        prefix: prefix.into(),
        first_number: 1,
        last_number: 999,
        on_exhausted: OnExhausted::Wrap,
        target_wait_seconds: 900,
        default_service_seconds: 300,
        pictogram: None,
        names: Vec::new(),
        alert_waiting_over: None,
        alert_wait_seconds_over: None,
    };
    let category = |id: &str, preferential| CategorySpec {
        id: id.into(),
        label: id.into(),
        preferential,
        labels: Vec::new(),
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
        public_base_url: None,
        display_notice: None,
        languages: vec![Language::Es],
        display_slides: None,
        display_slide_seconds: crate::domain::spec::DEFAULT_SLIDE_SECONDS,
        near: Default::default(),
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
        out_of_order_reasons: crate::domain::spec::default_out_of_order_reasons(),
        alerts: Default::default(),
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
        issuer: None,
        entropy: [n; 12],
        language: None,
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
