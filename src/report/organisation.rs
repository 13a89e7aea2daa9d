//! The organisation's report: every office's figures over the same local days added up,
//! with the office report's breakdowns and one more, by office. Services and categories
//! of the same slug count together across offices, agents by username, and counters by
//! office (`office/counter`). Fairness is judged against each office's own policy, so
//! it stays per office.

use super::day::{Answer, DaySummary};
use super::fairness::{fairness, Fairness};
use super::forecast_accuracy::{AlertCount, ForecastRow};
use super::merge::{merge, Part};
use super::stored::{covered, summaries};
use super::{CaseCount, Figures, PauseRow, Row};
use crate::domain::OfficeSpec;
use crate::store::{EventStore, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// One office's fairness section.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OfficeFairness {
    /// Office id.
    pub office: String,
    /// Its name.
    pub name: String,
    /// Its calls out of order, preferential share against its policy, waits behind
    /// preferential turns and skips.
    #[serde(flatten)]
    pub fairness: Fairness,
}

/// `GET /api/v1/organisation/report`: the office report's figures over every office.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OrganisationReport {
    /// First local day (each office's own).
    pub from: NaiveDate,
    /// Last local day.
    pub to: NaiveDate,
    /// Every office together.
    #[serde(flatten)]
    pub total: Figures,
    /// Per office, in the configuration's order.
    pub by_office: Vec<Row>,
    /// Per service slug, across offices.
    pub by_service: Vec<Row>,
    /// Preferential against general.
    pub by_class: Vec<Row>,
    /// Per category slug, across offices.
    pub by_category: Vec<Row>,
    /// Per counter, named `office/counter`.
    pub by_counter: Vec<Row>,
    /// Per agent, wherever they worked, with idle and pause time.
    pub by_agent: Vec<Row>,
    /// Per local hour of issue (each office's own zone; only hours with turns).
    pub by_hour: Vec<Row>,
    /// Pauses by reason.
    pub pauses: Vec<PauseRow>,
    /// Cases by type (from survey comments).
    pub cases: Vec<CaseCount>,
    /// Per office: judged against its own policy and reasons.
    pub fairness: Vec<OfficeFairness>,
    /// Past staffing forecasts against the waits that came, per service slug.
    pub forecast_accuracy: Vec<ForecastRow>,
    /// Supervisors' alerts raised and cleared, by kind.
    pub alerts: Vec<AlertCount>,
}

/// The organisation's report of `from..=to` from each office's days' summaries (with
/// the later days whose survey answers count), offices in the order given.
pub fn from_summaries(
    from: NaiveDate,
    to: NaiveDate,
    offices: &[(&OfficeSpec, Vec<DaySummary>)],
) -> OrganisationReport {
    let covered: Vec<(OfficeSpec, Vec<Answer>)> = offices
        .iter()
        .map(|(spec, days)| covered(spec, from, to, days))
        .collect();
    let parts: Vec<Part> = offices
        .iter()
        .zip(&covered)
        .map(|((_, days), (cover, answers))| Part::new(cover, from, to, days, answers))
        .collect();
    let m = merge(&parts);
    OrganisationReport {
        from,
        to,
        total: m.total,
        by_office: m.by_office,
        by_service: m.by_service,
        by_class: m.by_class,
        by_category: m.by_category,
        by_counter: m.by_counter,
        by_agent: m.by_agent,
        by_hour: m.by_hour,
        pauses: m.pauses,
        cases: m.cases,
        fairness: parts
            .iter()
            .map(|p| OfficeFairness {
                office: p.spec.id.clone(),
                name: p.spec.name.clone(),
                fairness: fairness(p.spec, p.days.iter().map(|d| &d.fairness)),
            })
            .collect(),
        forecast_accuracy: m.forecast_accuracy,
        alerts: m.alerts,
    }
}

/// The organisation's report of `from..=to` from the store: each office's closed days
/// through their kept summaries, its today (in its own zone, at `now`) replayed.
pub fn report(
    store: &dyn EventStore,
    offices: &[&OfficeSpec],
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Result<OrganisationReport, StoreError> {
    let days = offices
        .iter()
        .map(|spec| {
            let today = crate::domain::schedule::local_day(spec.timezone, now);
            Ok((*spec, summaries(store, spec, from, to, today, now)?))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(from_summaries(from, to, &days))
}

#[cfg(test)]
mod tests;
