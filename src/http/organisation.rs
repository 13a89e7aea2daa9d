//! The organisation's view, for admins: every office on one page — counters open, people
//! waiting, the longest wait, the alerts in force, today's turns and satisfaction
//! (`GET /api/v1/organisation`) — and the report across offices
//! (`GET /api/v1/organisation/report`).

use super::auth::Session;
use super::error::ApiError;
use super::report::{csv_response, range, wants_csv, RangeQuery, ReportParams};
use super::schemas::ErrorBody;
use super::AppState;
use crate::config::Role;
use crate::domain::alerts::PrinterReport;
use crate::domain::schedule::local_day;
use crate::domain::state::CounterStatus;
use crate::engine::OfficeHandle;
use actix_web::{web, HttpResponse};
use serde::Serialize;
use std::sync::Arc;
use utoipa::ToSchema;

/// One office at a glance.
#[derive(Serialize, ToSchema)]
pub struct OfficeGlance {
    /// Office id.
    id: String,
    /// Its name.
    name: String,
    /// Whether it is within opening hours.
    open_now: bool,
    /// Counters staffed and not paused.
    counters_open: u32,
    /// Counters paused.
    counters_paused: u32,
    /// Counters in all.
    counters: u32,
    /// People waiting now.
    waiting: u32,
    /// Seconds the longest-waiting turn has waited (null: nobody waits).
    longest_wait_seconds: Option<u32>,
    /// That turn's code.
    longest_wait_code: Option<String>,
    /// Turns issued today.
    issued_today: u32,
    /// Turns attended today.
    served_today: u32,
    /// Today's called turns whose wait was within their service's target (0–1; null
    /// when none was called).
    within_target_today: Option<f64>,
    /// Surveys answered today about today's turns.
    survey_responses_today: u32,
    /// Today's satisfaction index (mean of the general question, 1–5; null without
    /// answers).
    satisfaction_today: Option<f64>,
    /// The supervisors' alerts in force, oldest first, in the request's language.
    alerts: Vec<crate::supervision::view::AlertJson>,
}

/// What the live state says of an office, with the printers' facts its alerts name.
fn live(
    o: &OfficeHandle,
    printers: &[PrinterReport],
    now: chrono::DateTime<chrono::Utc>,
) -> OfficeGlance {
    let language = super::language::current_for(&o.spec);
    let open_now = o.spec.hours.is_open(o.spec.timezone, now);
    o.read(|s| {
        let count = |f: fn(&CounterStatus) -> bool| {
            s.counters.iter().filter(|c| f(&c.status)).count() as u32
        };
        let waiting = (0..s.spec.services.len() as u16)
            .map(|i| s.waiting(i).0)
            .sum();
        let longest = s.longest_waiting();
        OfficeGlance {
            id: s.spec.id.clone(),
            name: s.spec.name.clone(),
            open_now,
            counters_open: count(|c| *c == CounterStatus::Open),
            counters_paused: count(|c| matches!(c, CounterStatus::Paused { .. })),
            counters: s.counters.len() as u32,
            waiting,
            longest_wait_seconds: longest.map(|t| (now - t.issued_at).num_seconds().max(0) as u32),
            longest_wait_code: longest.map(|t| s.spec.code(t.code_service, t.number)),
            issued_today: 0,
            served_today: 0,
            within_target_today: None,
            survey_responses_today: 0,
            satisfaction_today: None,
            alerts: crate::supervision::view::alerts(s, printers, now, language),
        }
    })
}

/// An office's glance, with today's figures from its log.
async fn glance(state: &AppState, o: &Arc<OfficeHandle>) -> Result<OfficeGlance, ApiError> {
    let now = state.engine.now();
    // The alerts as the evaluator left them (it runs on every change and every 15 s):
    // reading the organisation's page writes nothing.
    let printers = state.supervision.printer_reports(&o.spec.id).await;
    let mut glance = live(o, &printers, now);
    let today = local_day(o.spec.timezone, now);
    let (engine, office) = (state.engine.clone(), o.clone());
    let report = web::block(move || {
        let logs = engine.report_logs(&office, today, today, today)?;
        Ok::<_, crate::store::StoreError>(crate::report::compute(
            &office.spec,
            today,
            today,
            &logs,
            now,
        ))
    })
    .await
    .map_err(|_| ApiError::Overloaded)?
    .map_err(|e| {
        tracing::error!(error = %e, office = %o.spec.id, "could not read today's log");
        ApiError::StoreUnavailable
    })?;
    glance.issued_today = report.total.turns.issued;
    glance.served_today = report.total.turns.served;
    glance.within_target_today = report.total.within_target.share;
    glance.survey_responses_today = report.total.satisfaction.responses;
    glance.satisfaction_today = report.total.satisfaction.index;
    Ok(glance)
}

/// `GET /api/v1/organisation`: every office at a glance, for admins.
#[utoipa::path(get, path = "/api/v1/organisation", tag = "supervisors",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every office, in the configuration's order.", body = [OfficeGlance]),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: only admins see the whole organisation.", body = ErrorBody),
    ))]
pub async fn offices(
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, ApiError> {
    must_administer(&session)?;
    let mut all = Vec::new();
    for o in state.engine.offices() {
        all.push(glance(&state, o).await?);
    }
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(all))
}

/// Only admins see the whole organisation.
fn must_administer(session: &Session) -> Result<(), ApiError> {
    match session.0.role {
        Role::Admin => Ok(()),
        _ => Err(ApiError::RoleForbidden),
    }
}

/// `GET /api/v1/organisation/report?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=csv]`: the
/// office report's figures and breakdowns over every office, with one row per office.
#[utoipa::path(get, path = "/api/v1/organisation/report", tag = "supervisors",
    params(ReportParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report across offices. Days are each office's local days; the default (today) is the first office's.", content(
            (crate::report::organisation::OrganisationReport = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "`invalid_date`, `invalid_format` or `invalid_query`.", body = ErrorBody),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: only admins see the whole organisation.", body = ErrorBody),
        (status = 422, description = "`invalid_range` or `range_too_long` (over 366 days).", body = ErrorBody),
    ))]
pub async fn report(
    state: web::Data<AppState>,
    query: web::Query<RangeQuery>,
    session: Session,
) -> Result<HttpResponse, ApiError> {
    must_administer(&session)?;
    let csv = wants_csv(&query)?;
    let now = state.engine.now();
    let today = state
        .engine
        .offices()
        .first()
        .map_or(now.date_naive(), |o| local_day(o.spec.timezone, now));
    let (from, to) = range(&query, today)?;
    let engine = state.engine.clone();
    let report = web::block(move || engine.organisation_report(from, to, now))
        .await
        .map_err(|_| ApiError::Overloaded)?
        .map_err(|e| {
            tracing::error!(error = %e, "could not read logs for the organisation's report");
            ApiError::StoreUnavailable
        })?;
    if csv {
        return Ok(csv_response(&report, "organizacion", from, to));
    }
    Ok(HttpResponse::Ok().json(report))
}
