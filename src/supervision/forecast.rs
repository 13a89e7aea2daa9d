//! The staffing forecast as API.md shows it, from the domain's Erlang C model
//! (`domain::forecast`) with today's arrivals and the same weekday's history.

use super::Supervision;
use crate::domain::forecast::{blended_rate, forecast, ServiceForecast, HORIZON_MINUTES};
use crate::domain::{Language, TicketStatus};
use crate::engine::OfficeHandle;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::sync::Arc;

/// `GET /offices/{office}/forecast`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ForecastJson {
    /// When it was made (the office's offset).
    pub at: String,
    /// Minutes ahead it covers (60).
    pub horizon_minutes: u32,
    /// Each service.
    pub services: Vec<ServiceForecastJson>,
}

/// One service's next hour.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ServiceForecastJson {
    /// Service id.
    pub service: String,
    /// Mean expected wait of the hour's turns, minutes (one decimal); `null` when no
    /// counter serving it is open while turns wait or arrive.
    pub expected_wait_minutes: Option<f64>,
    /// Share of the hour's turns expected to be called within target, 0–1.
    pub within_target_share: f64,
    /// Arrivals per hour the forecast assumed.
    pub arrivals_per_hour: f64,
    /// Counters open for it now (its pool's: services sharing counters are one queue).
    pub counters_open: u32,
    /// What to do when the target would be missed (in the request's language, Spanish
    /// by default); `null` when on target.
    pub advice: Option<String>,
}

/// Today's arrivals per service over the last hour (only its open minutes count), blended
/// with the same weekday's history, then the domain's forecast.
pub async fn compute(
    sup: &Supervision,
    office: &Arc<OfficeHandle>,
) -> Result<Vec<ServiceForecast>, tokio::task::JoinError> {
    let now = sup.engine.now();
    let spec = office.spec.clone();
    let store = sup.engine.store().clone();
    let cache = sup.arrivals.clone();
    let history = tokio::task::spawn_blocking({
        let spec = spec.clone();
        move || cache.rates(store.as_ref(), &spec, now)
    })
    .await?;
    let open_minutes = (1..=60)
        .filter(|m| {
            spec.hours
                .is_open(spec.timezone, now - Duration::minutes(*m))
        })
        .count() as f64;
    Ok(office.read(|state| {
        let since = now - Duration::minutes(60);
        let mut recent = vec![0u32; spec.services.len()];
        for t in state.tickets.iter().rev() {
            if t.issued_at < since {
                break;
            }
            if !t.placeholder && t.issued_at <= now && t.status != TicketStatus::Cancelled {
                recent[t.code_service as usize] += 1;
            }
        }
        let arrivals: Vec<f64> = (0..spec.services.len())
            .map(|s| blended_rate(recent[s], open_minutes, history[s]))
            .collect();
        forecast(state, &arrivals, now)
    }))
}

/// The forecast in API.md's shape, advice in `language`.
pub fn json(
    office: &OfficeHandle,
    forecasts: &[ServiceForecast],
    now: DateTime<Utc>,
    language: Language,
) -> ForecastJson {
    let spec = &office.spec;
    ForecastJson {
        at: crate::views::local_time(spec, now),
        horizon_minutes: HORIZON_MINUTES,
        services: forecasts
            .iter()
            .map(|f| {
                let service = &spec.services[f.service as usize];
                ServiceForecastJson {
                    service: service.id.clone(),
                    expected_wait_minutes: f
                        .outlook
                        .expected_wait
                        .map(|w| (w / 6.0).round() / 10.0),
                    within_target_share: (f.outlook.within_target * 1000.0).round() / 1000.0,
                    arrivals_per_hour: (f.arrivals_per_hour * 10.0).round() / 10.0,
                    counters_open: f.counters,
                    advice: f.advice.as_ref().map(|a| {
                        let before = a.before.with_timezone(&spec.timezone);
                        let name = service.name_in(language);
                        crate::in_language!(language, |m| m::forecast_advice(
                            name,
                            a,
                            f.counters,
                            before,
                            a.before <= now
                        ))
                    }),
                }
            })
            .collect(),
    }
}
