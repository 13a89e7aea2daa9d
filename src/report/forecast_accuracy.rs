//! How good past staffing forecasts were: each `ForecastMade` (one per service each
//! quarter hour) set against the waits of the turns of its service issued in the hour it
//! spoke of, and the alerts raised and cleared, by kind.

use crate::domain::{Event, OfficeSpec};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One service's forecasts against what came.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct ForecastRow {
    /// Service id.
    pub id: String,
    /// Service name.
    pub name: String,
    /// Forecasts whose hour had turns called (the others have nothing to compare with).
    pub forecasts: u32,
    /// Mean forecast wait, minutes.
    pub forecast_wait_minutes: f64,
    /// Mean actual wait of the turns issued in those hours, minutes.
    pub actual_wait_minutes: f64,
    /// Mean of |forecast − actual| over the forecasts, minutes.
    pub mean_absolute_error_minutes: f64,
}

/// Alerts of one kind in the range.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct AlertCount {
    /// The kind (`wait_over`, …).
    pub id: String,
    /// Times raised.
    pub raised: u32,
    /// Times cleared.
    pub cleared: u32,
}

/// Per service: each forecast of a day against the mean actual wait of its hour, seconds.
pub type DayForecasts = BTreeMap<String, Vec<(f64, f64)>>;

/// Alerts of a day by kind: (raised, cleared).
pub type DayAlerts = BTreeMap<String, (u32, u32)>;

/// Every forecast of `logs` (days in range) against the hour that followed it.
pub fn forecasts(spec: &OfficeSpec, logs: &[(NaiveDate, &[Event])]) -> Vec<ForecastRow> {
    let days: Vec<DayForecasts> = logs.iter().map(|(_, e)| day_forecasts(e)).collect();
    forecast_rows(&[spec], &days)
}

/// One day's forecasts against the hour that followed each.
pub fn day_forecasts(events: &[Event]) -> DayForecasts {
    // Per service: (forecast, actual) seconds.
    let mut pairs = DayForecasts::new();
    {
        let mut issued: HashMap<u32, (&str, DateTime<Utc>)> = HashMap::new();
        let mut waits: Vec<(&str, DateTime<Utc>, f64)> = Vec::new();
        for e in events.iter() {
            match e {
                Event::TicketIssued {
                    seq, service, at, ..
                } => {
                    issued.insert(*seq, (service, *at));
                }
                Event::TicketCalled { seq, at, .. } => {
                    // The first call ends the wait.
                    if let Some((service, from)) = issued.remove(seq) {
                        waits.push((service, from, (*at - from).num_seconds() as f64));
                    }
                }
                _ => {}
            }
        }
        for e in events.iter() {
            let Event::ForecastMade {
                service,
                expected_wait_seconds,
                at,
                ..
            } = e
            else {
                continue;
            };
            if *expected_wait_seconds == u32::MAX {
                continue; // No counter was open: no figure was forecast.
            }
            let end = *at + Duration::minutes(60);
            let hour: Vec<f64> = waits
                .iter()
                .filter(|(s, from, _)| s == service && *from >= *at && *from < end)
                .map(|(_, _, w)| *w)
                .collect();
            if hour.is_empty() {
                continue;
            }
            let actual = hour.iter().sum::<f64>() / hour.len() as f64;
            pairs
                .entry(service.clone())
                .or_default()
                .push((f64::from(*expected_wait_seconds), actual));
        }
    }
    pairs
}

/// The rows of some days' forecasts, added up in day order (the sums are of floats: the
/// order is the one a replay of the days would use); a service is named as the first of
/// `specs` that has it names it.
pub fn forecast_rows<'a>(
    specs: &[&OfficeSpec],
    days: impl IntoIterator<Item = &'a DayForecasts>,
) -> Vec<ForecastRow> {
    let mut pairs: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    for day in days {
        for (service, p) in day {
            pairs.entry(service).or_default().extend(p.iter().copied());
        }
    }
    let minutes = |s: f64| (s / 6.0).round() / 10.0;
    pairs
        .into_iter()
        .map(|(id, p)| {
            let n = p.len() as f64;
            ForecastRow {
                name: specs
                    .iter()
                    .find_map(|s| Some(s.services[usize::from(s.service_idx(id)?)].name.clone()))
                    .unwrap_or_else(|| id.to_owned()),
                forecasts: p.len() as u32,
                forecast_wait_minutes: minutes(p.iter().map(|x| x.0).sum::<f64>() / n),
                actual_wait_minutes: minutes(p.iter().map(|x| x.1).sum::<f64>() / n),
                mean_absolute_error_minutes: minutes(
                    p.iter().map(|x| (x.0 - x.1).abs()).sum::<f64>() / n,
                ),
                id: id.to_owned(),
            }
        })
        .collect()
}

/// The alerts raised and cleared in `logs`, by kind.
pub fn alerts(logs: &[(NaiveDate, &[Event])]) -> Vec<AlertCount> {
    let days: Vec<DayAlerts> = logs.iter().map(|(_, e)| day_alerts(e)).collect();
    alert_rows(&days)
}

/// The alerts raised and cleared in one day's events, by kind.
pub fn day_alerts(events: &[Event]) -> DayAlerts {
    let mut counts = DayAlerts::new();
    for e in events {
        match e {
            Event::AlertRaised { alert, .. } => {
                counts.entry(alert.kind.as_str().to_owned()).or_default().0 += 1
            }
            Event::AlertCleared { alert, .. } => {
                counts.entry(alert.kind.as_str().to_owned()).or_default().1 += 1
            }
            _ => {}
        }
    }
    counts
}

/// Some days' alerts added up, by kind.
pub fn alert_rows<'a>(days: impl IntoIterator<Item = &'a DayAlerts>) -> Vec<AlertCount> {
    let mut counts: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for day in days {
        for (kind, (raised, cleared)) in day {
            let c = counts.entry(kind).or_default();
            c.0 += raised;
            c.1 += cleared;
        }
    }
    counts
        .into_iter()
        .map(|(id, (raised, cleared))| AlertCount {
            id: id.to_owned(),
            raised,
            cleared,
        })
        .collect()
}
