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
mod day;
pub mod fairness;
pub mod forecast_accuracy;
mod merge;
pub mod organisation;
pub mod stats;
pub mod stored;
mod walk;

pub use answers::{surveys, SurveyRecord};
pub use csv::to_csv;
pub use day::DaySummary;

use crate::domain::survey::CaseType;
use crate::domain::{Event, OfficeSpec};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use stats::{Satisfaction, Share, Summary};
use std::sync::Arc;

/// Turns by outcome.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
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

impl TurnCounts {
    fn add(&mut self, o: &TurnCounts) {
        self.issued += o.issued;
        self.called += o.called;
        self.served += o.served;
        self.no_show += o.no_show;
        self.transferred += o.transferred;
        self.expired += o.expired;
        self.cancelled += o.cancelled;
        self.snoozed += o.snoozed;
    }
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

fn millis(a: DateTime<Utc>, b: DateTime<Utc>) -> u64 {
    (b - a).num_milliseconds().max(0) as u64
}

fn seconds(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    millis(a, b) as f64 / 1000.0
}

/// Computes the report of `from..=to` from the logs of those days; `logs` may also hold
/// later days (their survey answers about turns in range count; their turns do not).
/// `now` ends the intervals of a day still open. This is the full replay; a report from
/// the kept summaries of closed days ([`stored`]) gives the same figures.
pub fn compute(
    spec: &Arc<OfficeSpec>,
    from: NaiveDate,
    to: NaiveDate,
    logs: &[(NaiveDate, Vec<Event>)],
    now: DateTime<Utc>,
) -> Report {
    // Turns of services, categories and counters no longer configured count under their
    // own slug.
    let spec = Arc::new(spec.covering(logs.iter().flat_map(|(_, events)| events)));
    let days: Vec<DaySummary> = logs
        .iter()
        .filter(|(d, _)| (from..=to).contains(d))
        .map(|(d, events)| DaySummary::of(&spec, *d, events, now))
        .collect();
    let answers: Vec<day::Answer> = surveys(logs, from, to)
        .into_iter()
        .map(|s| day::Answer {
            day: s.day,
            seq: s.seq,
            scores: s.scores,
            case_type: s.case_type,
        })
        .collect();
    office_report(&spec, from, to, &days, &answers)
}

/// The office's report of `from..=to` from its days' summaries (days out of range are
/// left out) and the survey answers about its turns in range; `spec` covers the days.
fn office_report(
    spec: &OfficeSpec,
    from: NaiveDate,
    to: NaiveDate,
    days: &[DaySummary],
    answers: &[day::Answer],
) -> Report {
    let part = merge::Part::new(spec, from, to, days, answers);
    let fairness = fairness::fairness(spec, part.days.iter().map(|d| &d.fairness));
    let m = merge::merge(std::slice::from_ref(&part));
    Report {
        office: spec.id.clone(),
        from,
        to,
        timezone: spec.timezone.name().to_owned(),
        total: m.total,
        by_service: m.by_service,
        by_class: m.by_class,
        by_category: m.by_category,
        by_counter: m.by_counter,
        by_agent: m.by_agent,
        by_hour: m.by_hour,
        pauses: m.pauses,
        cases: m.cases,
        fairness,
        forecast_accuracy: m.forecast_accuracy,
        alerts: m.alerts,
    }
}

#[cfg(test)]
mod tests;
