//! The office's figures over a range of local days, computed purely from the event logs:
//! turns by outcome, waits and service times, the share within target, satisfaction,
//! pauses and idle time — overall and by service, class, category, counter, agent and hour.
//!
//! Rules of attribution (so every figure can be explained):
//! - A turn counts once, on the day and at the local hour it was issued, in the service it
//!   was issued for (its code's service), and for counters and agents in the counter and
//!   agent that called or served it last. `transferred` counts turns transferred at least
//!   once, `snoozed` turns whose citizen asked for a few minutes when called.
//! - Wait = first call − issue. Service time = finish − start (or − call when the agent
//!   never pressed start), for turns finished by an agent (not closed at midnight).
//! - Within target: called turns whose wait is at most their service's target wait.
//! - Surveys count by the day of their TURN (they may be written days later in a later
//!   log), in the turn's groups; the response rate is responses / turns served.
//! - Idle: time a counter was open, not paused and without a current turn, credited to the
//!   agent holding it. Pauses run from pause to resume or close (or the day's end).

mod answers;
mod csv;
pub mod fairness;
pub mod forecast_accuracy;
pub mod stats;
mod walk;

pub use answers::{surveys, SurveyRecord};
pub use csv::to_csv;

use crate::domain::survey::{CaseType, Scores};
use crate::domain::{Event, OfficeSpec, TicketStatus};
use chrono::{DateTime, NaiveDate, Timelike, Utc};
use serde::Serialize;
use stats::{Satisfaction, Share, Summary};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use walk::{replay_day, Time};

/// Turns by outcome.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TurnCounts {
    /// Issued.
    pub issued: u32,
    /// Called at least once.
    pub called: u32,
    /// Attended.
    pub served: u32,
    /// Did not come.
    pub no_show: u32,
    /// Transferred at least once.
    pub transferred: u32,
    /// Still waiting (or called) when their day ended.
    pub expired: u32,
    /// Withdrawn by the citizen.
    pub cancelled: u32,
    /// Called, and the citizen on the way asked for a few minutes ("voy en camino").
    pub snoozed: u32,
}

/// The figures of one group of turns.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Figures {
    /// Turns by outcome.
    pub turns: TurnCounts,
    /// From issue to first call.
    pub wait_seconds: Summary,
    /// From start (or call) to finish.
    pub service_seconds: Summary,
    /// Called turns whose wait was within their service's target.
    pub within_target: Share,
    /// The survey's figures.
    pub satisfaction: Satisfaction,
}

/// One row of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Row {
    /// The group's id (service, category or counter slug, agent username, `HH` hour,
    /// `preferential` / `general`).
    pub id: String,
    /// What people read.
    pub name: String,
    /// The figures.
    #[serde(flatten)]
    pub figures: Figures,
    /// Agents only: seconds the agent's counter was open with nothing to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle_seconds: Option<f64>,
    /// Agents only: seconds paused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pause_seconds: Option<f64>,
}

/// Pauses with one reason.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PauseRow {
    /// The reason as typed.
    pub reason: String,
    /// Pauses taken.
    pub count: u32,
    /// Seconds paused in all.
    pub total_seconds: f64,
}

/// Cases of one type carried by survey comments.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CaseCount {
    /// Type id.
    #[serde(rename = "type")]
    pub case_type: CaseType,
    /// How many.
    pub count: u32,
}

/// The report of API.md.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Report {
    /// Office id.
    pub office: String,
    /// First local day.
    pub from: NaiveDate,
    /// Last local day.
    pub to: NaiveDate,
    /// The office's time zone (hours are local).
    pub timezone: String,
    /// The whole office.
    #[serde(flatten)]
    pub total: Figures,
    /// Per service.
    pub by_service: Vec<Row>,
    /// Preferential against general.
    pub by_class: Vec<Row>,
    /// Per category.
    pub by_category: Vec<Row>,
    /// Per counter.
    pub by_counter: Vec<Row>,
    /// Per agent, with idle and pause time.
    pub by_agent: Vec<Row>,
    /// Per local hour of issue (only hours with turns).
    pub by_hour: Vec<Row>,
    /// Pauses by reason.
    pub pauses: Vec<PauseRow>,
    /// Cases by type (from survey comments).
    pub cases: Vec<CaseCount>,
    /// Calls out of order, preferential share, waits behind preferential turns, skips.
    pub fairness: fairness::Fairness,
    /// Past staffing forecasts against the waits that came, per service.
    pub forecast_accuracy: Vec<forecast_accuracy::ForecastRow>,
    /// Supervisors' alerts raised and cleared, by kind.
    pub alerts: Vec<forecast_accuracy::AlertCount>,
}

#[derive(Default)]
struct Acc {
    turns: TurnCounts,
    waits: Vec<f64>,
    services: Vec<f64>,
    within: u32,
    scores: Vec<Scores>,
}

impl Acc {
    fn figures(&self) -> Figures {
        Figures {
            turns: self.turns.clone(),
            wait_seconds: Summary::of(&self.waits),
            service_seconds: Summary::of(&self.services),
            within_target: Share::new(self.within, self.waits.len() as u32),
            satisfaction: Satisfaction::of(&self.scores, self.turns.served),
        }
    }
}

/// Where a turn counts.
#[derive(Clone)]
struct Keys {
    service: usize,
    category: usize,
    preferential: bool,
    counter: Option<usize>,
    agent: Option<String>,
    hour: u32,
}

#[derive(Default)]
struct Groups {
    total: Acc,
    service: Vec<Acc>,
    class: [Acc; 2],
    category: Vec<Acc>,
    counter: Vec<Acc>,
    agent: BTreeMap<String, Acc>,
    hour: BTreeMap<u32, Acc>,
}

impl Groups {
    fn each(&mut self, k: &Keys, f: impl Fn(&mut Acc)) {
        f(&mut self.total);
        f(&mut self.service[k.service]);
        f(&mut self.class[usize::from(!k.preferential)]);
        if let Some(c) = self.category.get_mut(k.category) {
            f(c);
        }
        if let Some(c) = k.counter.and_then(|c| self.counter.get_mut(c)) {
            f(c);
        }
        if let Some(a) = &k.agent {
            f(self.agent.entry(a.clone()).or_default());
        }
        f(self.hour.entry(k.hour).or_default());
    }
}

fn seconds(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    (b - a).num_milliseconds().max(0) as f64 / 1000.0
}

/// Computes the report of `from..=to` from the logs of those days; `logs` may also hold
/// later days (their survey answers about turns in range count; their turns do not).
/// `now` ends the intervals of a day still open.
pub fn compute(
    spec: &Arc<OfficeSpec>,
    from: NaiveDate,
    to: NaiveDate,
    logs: &[(NaiveDate, Vec<Event>)],
    now: DateTime<Utc>,
) -> Report {
    // Turns of services, categories and counters no longer configured count under their
    // own slug.
    let spec = &Arc::new(spec.covering(logs.iter().flat_map(|(_, events)| events)));
    let mut g = Groups {
        service: spec.services.iter().map(|_| Acc::default()).collect(),
        category: spec.categories.iter().map(|_| Acc::default()).collect(),
        counter: spec.counters.iter().map(|_| Acc::default()).collect(),
        ..Groups::default()
    };
    let mut time = Time::default();
    let mut keys_of: HashMap<(NaiveDate, u32), Keys> = HashMap::new();
    let mut fair = Vec::new();
    for (day, events) in logs.iter().filter(|(d, _)| (from..=to).contains(d)) {
        let mut watch = fairness::Watch::new(*day);
        let (state, closed_served) = replay_day(spec, *day, events, now, &mut time, &mut watch);
        fair.push(watch.finish(&state));
        for t in state.tickets.iter().filter(|t| !t.placeholder) {
            let keys = Keys {
                service: usize::from(t.code_service),
                category: usize::from(t.category),
                preferential: t.preferential,
                counter: t.counter.map(usize::from),
                agent: state.agent_of(t.seq).map(str::to_owned),
                hour: t.issued_at.with_timezone(&spec.timezone).hour(),
            };
            let wait = t.first_called_at.map(|c| seconds(t.issued_at, c));
            let target = f64::from(spec.services[keys.service].target_wait_seconds);
            let service_time = (t.status == TicketStatus::Served
                && !closed_served.contains(&t.seq))
            .then(|| {
                t.finished_at
                    .zip(t.started_at.or(t.called_at))
                    .map(|(end, began)| seconds(began, end))
            })
            .flatten();
            g.each(&keys, |a| {
                a.turns.issued += 1;
                match t.status {
                    TicketStatus::Served => a.turns.served += 1,
                    TicketStatus::NoShow => a.turns.no_show += 1,
                    TicketStatus::Expired => a.turns.expired += 1,
                    TicketStatus::Cancelled => a.turns.cancelled += 1,
                    _ => {}
                }
                if t.transfers > 0 {
                    a.turns.transferred += 1;
                }
                if t.snoozed {
                    a.turns.snoozed += 1;
                }
                if let Some(w) = wait {
                    a.turns.called += 1;
                    a.waits.push(w);
                    if w <= target {
                        a.within += 1;
                    }
                }
                if let Some(s) = service_time {
                    a.services.push(s);
                }
            });
            keys_of.insert((*day, t.seq), keys);
        }
    }
    let surveys = surveys(logs, from, to);
    let mut cases: BTreeMap<usize, u32> = BTreeMap::new();
    for s in &surveys {
        if let Some(c) = s.case_type {
            *cases
                .entry(CaseType::ALL.iter().position(|x| *x == c).unwrap_or(0))
                .or_default() += 1;
        }
        match keys_of.get(&(s.day, s.seq)) {
            Some(keys) => g.each(&keys.clone(), |a| a.scores.push(s.scores)),
            // The turn's log was not readable: the answer still counts for the office.
            None => g.total.scores.push(s.scores),
        }
    }
    let row = |id: &str, name: &str, acc: &Acc| Row {
        id: id.to_owned(),
        name: name.to_owned(),
        figures: acc.figures(),
        idle_seconds: None,
        pause_seconds: None,
    };
    let in_range: Vec<(NaiveDate, &[Event])> = logs
        .iter()
        .filter(|(d, _)| (from..=to).contains(d))
        .map(|(d, e)| (*d, e.as_slice()))
        .collect();
    Report {
        forecast_accuracy: forecast_accuracy::forecasts(spec, &in_range),
        alerts: forecast_accuracy::alerts(&in_range),
        office: spec.id.clone(),
        from,
        to,
        timezone: spec.timezone.name().to_owned(),
        total: g.total.figures(),
        by_service: spec
            .services
            .iter()
            .zip(&g.service)
            .map(|(s, a)| row(&s.id, &s.name, a))
            .collect(),
        by_class: vec![
            row("preferential", "Preferencial", &g.class[0]),
            row("general", "General", &g.class[1]),
        ],
        by_category: spec
            .categories
            .iter()
            .zip(&g.category)
            .map(|(c, a)| row(&c.id, &c.label, a))
            .collect(),
        by_counter: spec
            .counters
            .iter()
            .zip(&g.counter)
            .map(|(c, a)| row(&c.id, &c.name, a))
            .collect(),
        by_agent: {
            let mut agents: Vec<&String> = g
                .agent
                .keys()
                .chain(time.idle.keys())
                .chain(time.paused.keys())
                .filter(|a| !a.is_empty())
                .collect();
            agents.sort();
            agents.dedup();
            let empty = Acc::default();
            agents
                .into_iter()
                .map(|a| Row {
                    idle_seconds: Some(time.idle.get(a).copied().unwrap_or(0.0)),
                    pause_seconds: Some(time.paused.get(a).copied().unwrap_or(0.0)),
                    ..row(a, a, g.agent.get(a).unwrap_or(&empty))
                })
                .collect()
        },
        by_hour: g
            .hour
            .iter()
            .map(|(h, a)| {
                row(
                    &format!("{h:02}"),
                    &format!("{h:02}:00–{:02}:00", (h + 1) % 24),
                    a,
                )
            })
            .collect(),
        pauses: time
            .pauses
            .into_iter()
            .map(|(reason, (count, total_seconds))| PauseRow {
                reason,
                count,
                total_seconds,
            })
            .collect(),
        cases: cases
            .into_iter()
            .map(|(i, count)| CaseCount {
                case_type: CaseType::ALL[i],
                count,
            })
            .collect(),
        fairness: fairness::fairness(spec, &fair),
    }
}

#[cfg(test)]
mod tests;
