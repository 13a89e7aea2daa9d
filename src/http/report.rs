//! Supervisor routes: the office's report (JSON or CSV) and the cases carried by survey
//! comments (denuncias for the inspection unit). Figures are computed by `crate::report`.
//!
//! Who sees what: only supervisors and admins reach these routes (agents get 403). Cases
//! name the service, counter and agent of the attention, because a queja or denuncia is
//! about an attention and the inspection unit must be able to follow it up; they never
//! name the citizen (Turnero records nobody's identity) nor the turn's code or token.

use super::auth::Session;
use super::error::ApiError;
use super::extract::OfficePath;
use super::schemas::ErrorBody;
use super::AppState;
use crate::domain::schedule::local_day;
use crate::domain::survey::CaseType;
use crate::domain::Event;
use crate::engine::OfficeHandle;
use crate::report;
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// Longest range a report may cover, in days.
pub const MAX_RANGE_DAYS: i64 = 366;

/// Query of the report and the cases (documented as [`ReportParams`] and [`CasesParams`]).
#[derive(Deserialize)]
pub struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
    #[serde(rename = "type")]
    case_type: Option<String>,
}

/// The query of `GET /report` (schema only: read as [`RangeQuery`]).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ReportParams {
    /// First local day, YYYY-MM-DD (default, or empty: today).
    #[param(schema_with = day_or_empty)]
    from: Option<String>,
    /// Last local day, YYYY-MM-DD (default, or empty: today); at most 366 days from `from`.
    #[param(schema_with = day_or_empty)]
    to: Option<String>,
    /// `json` (default) or `csv`.
    #[param(value_type = Option<ReportFormat>)]
    format: Option<String>,
}

/// The query of `GET /cases` (schema only: read as [`RangeQuery`]).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct CasesParams {
    /// First local day, YYYY-MM-DD (default, or empty: today).
    #[param(schema_with = day_or_empty)]
    from: Option<String>,
    /// Last local day, YYYY-MM-DD (default, or empty: today); at most 366 days from `from`.
    #[param(schema_with = day_or_empty)]
    to: Option<String>,
    /// Only cases of this type (default, or empty: every type).
    #[param(rename = "type", schema_with = case_type_or_empty)]
    case_type: Option<String>,
}

/// A YYYY-MM-DD day, or the empty string for the default.
pub(super) fn day_or_empty() -> utoipa::openapi::Schema {
    use utoipa::openapi::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    utoipa::openapi::schema::AnyOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(0)),
        )
        .build()
        .into()
}

/// A case type id, or the empty string for every type.
fn case_type_or_empty() -> utoipa::openapi::Object {
    let mut ids: Vec<&str> = CaseType::ALL.iter().map(|c| c.as_str()).collect();
    ids.push("");
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(ids))
        .build()
}

/// The report's formats (schema only: the query keeps the raw string so that another
/// value gets the API's own 400).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum ReportFormat {
    /// JSON.
    Json,
    /// CSV: section,id,name,metric,value.
    Csv,
}

/// A case carried by a survey comment.
#[derive(Serialize, ToSchema)]
pub struct Case {
    /// Case type.
    #[serde(rename = "type")]
    case_type: CaseType,
    /// What people read.
    type_label: &'static str,
    /// The comment.
    comment: Option<String>,
    /// The turn's local day.
    day: NaiveDate,
    /// When the survey was answered.
    answered_at: String,
    /// Service id.
    service: String,
    /// Service name.
    service_name: Option<String>,
    /// Counter id.
    counter: Option<String>,
    /// Counter name.
    counter_name: Option<String>,
    /// Agent username.
    agent: Option<String>,
    /// The scores.
    #[schema(value_type = Object)]
    scores: crate::domain::survey::Scores,
}

/// `GET /offices/{office}/cases`.
#[derive(Serialize, ToSchema)]
pub struct Cases {
    /// Office id.
    office: String,
    /// First day.
    from: NaiveDate,
    /// Last day.
    to: NaiveDate,
    /// The type asked for, if any.
    #[serde(rename = "type")]
    case_type: Option<CaseType>,
    /// Oldest first.
    cases: Vec<Case>,
}

/// The checked range (default: today).
pub(super) fn range(q: &RangeQuery, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let from = super::extract::day_param(q.from.as_deref(), today)?;
    let to = super::extract::day_param(q.to.as_deref(), today)?;
    if from > to {
        return Err(ApiError::DatesReversed);
    }
    if (to - from).num_days() + 1 > MAX_RANGE_DAYS {
        return Err(ApiError::RangeTooLong);
    }
    Ok((from, to))
}

/// Whether `format` asks for CSV (`json`, the default, does not).
pub(super) fn wants_csv(q: &RangeQuery) -> Result<bool, ApiError> {
    match q.format.as_deref() {
        None | Some("json") => Ok(false),
        Some("csv") => Ok(true),
        Some(_) => Err(ApiError::InvalidFormat),
    }
}

/// A report as a CSV attachment named `informe-{name}-{from}-{to}.csv`.
pub(super) fn csv_response(
    report: &impl Serialize,
    name: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> HttpResponse {
    let value = serde_json::to_value(report).unwrap_or_default();
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "content-disposition",
            format!("attachment; filename=\"informe-{name}-{from}-{to}.csv\""),
        ))
        .body(report::to_csv(&value))
}

/// Reads the logs of `from..=to` plus the days after `to` in which surveys about those
/// turns may have been answered (never past today).
async fn logs(
    state: &AppState,
    o: &Arc<OfficeHandle>,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<(NaiveDate, Vec<Event>)>, ApiError> {
    let engine = state.engine.clone();
    let office = o.clone();
    web::block(move || engine.report_logs(&office, from, to, today))
        .await
        .map_err(|_| ApiError::Overloaded)?
        .map_err(|e| {
            tracing::error!(error = %e, "could not read logs for a report");
            ApiError::StoreUnavailable
        })
}

/// `GET /api/v1/offices/{office}/report?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=csv]`.
#[utoipa::path(get, path = "/api/v1/offices/{office}/report", tag = "supervisors",
    params(("office" = String, Path, description = "Office id."), ReportParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report.", content(
            (crate::report::Report = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "`invalid_date`, `invalid_format` or `invalid_query`.", body = ErrorBody),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: agents may not.", body = ErrorBody),
        (status = 404, description = "`office_not_found`.", body = ErrorBody),
        (status = 422, description = "`invalid_range` or `range_too_long` (over 366 days).", body = ErrorBody),
    ))]
pub async fn report(
    state: web::Data<AppState>,
    OfficePath(o): OfficePath,
    query: web::Query<RangeQuery>,
    session: Session,
) -> Result<HttpResponse, ApiError> {
    session.must_supervise()?;
    let csv = wants_csv(&query)?;
    let now = state.engine.now();
    let today = local_day(o.spec.timezone, now);
    let (from, to) = range(&query, today)?;
    let engine = state.engine.clone();
    let office = o.clone();
    let report = web::block(move || engine.report(&office, from, to, today, now))
        .await
        .map_err(|_| ApiError::Overloaded)?
        .map_err(|e| {
            tracing::error!(error = %e, "could not read logs for a report");
            ApiError::StoreUnavailable
        })?;
    if csv {
        return Ok(csv_response(&report, &o.spec.id, from, to));
    }
    Ok(HttpResponse::Ok().json(report))
}

/// `GET /api/v1/offices/{office}/cases?from=&to=&type=denuncia` → the cases carried by
/// survey comments, oldest first, by the day of their turn.
#[utoipa::path(get, path = "/api/v1/offices/{office}/cases", tag = "supervisors",
    params(("office" = String, Path, description = "Office id."), CasesParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The cases.", body = Cases),
        (status = 400, description = "`invalid_date` or `invalid_query`.", body = ErrorBody),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: agents may not.", body = ErrorBody),
        (status = 404, description = "`office_not_found`.", body = ErrorBody),
        (status = 422, description = "`unknown_case_type`, `invalid_range` or `range_too_long`.", body = ErrorBody),
    ))]
pub async fn cases(
    state: web::Data<AppState>,
    OfficePath(o): OfficePath,
    query: web::Query<RangeQuery>,
    session: Session,
) -> Result<HttpResponse, ApiError> {
    session.must_supervise()?;
    let filter = match query.case_type.as_deref() {
        None | Some("") => None,
        Some(id) => Some(CaseType::parse(id).ok_or_else(|| {
            let now = state.engine.now().with_timezone(&o.spec.timezone);
            ApiError::Domain(crate::domain::DomainError::UnknownCaseType, now)
        })?),
    };
    let now = state.engine.now();
    let today = local_day(o.spec.timezone, now);
    let (from, to) = range(&query, today)?;
    let logs = logs(&state, &o, from, to, today).await?;
    let spec = &o.spec;
    let name = |id: &Option<String>, list: Vec<(&String, &String)>| {
        id.as_ref().and_then(|id| {
            list.into_iter()
                .find(|(i, _)| *i == id)
                .map(|(_, n)| n.clone())
        })
    };
    let language = super::language::current_for(spec);
    let cases: Vec<_> = report::surveys(&logs, from, to)
        .into_iter()
        .filter_map(|s| Some((s.case_type?, s)))
        .filter(|(c, _)| filter.is_none_or(|f| f == *c))
        .map(|(c, s)| {
            let service = Some(s.service.clone());
            Case {
                case_type: c,
                type_label: crate::in_language!(language, |m| m::case_type_label(c)),
                service_name: name(
                    &service,
                    spec.services.iter().map(|x| (&x.id, &x.name)).collect(),
                ),
                counter_name: name(
                    &s.counter,
                    spec.counters.iter().map(|x| (&x.id, &x.name)).collect(),
                ),
                answered_at: s.at.with_timezone(&spec.timezone).to_rfc3339(),
                comment: s.comment,
                day: s.day,
                service: s.service,
                counter: s.counter,
                agent: s.agent,
                scores: s.scores,
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(Cases {
        office: spec.id.clone(),
        from,
        to,
        case_type: filter,
        cases,
    }))
}
