//! Supervisors' bulk actions on turns: cancelling a range of waiting turns of a service,
//! as after a flood of turns nobody will come for.

use super::error::ApiError;
use super::AppState;
use crate::i18n::es;

/// Body of `POST /offices/{office}/tickets/cancel`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelRangeBody {
    service: String,
    from: u32,
    to: u32,
}

/// `POST /api/v1/offices/{office}/tickets/cancel` `{"service", "from", "to"}`
/// (supervisors): cancels every waiting turn of the service numbered `from..=to`, as after
/// a flood of turns nobody will come for → `{"cancelled": n}`.
pub async fn cancel_range(
    state: actix_web::web::Data<AppState>,
    session: super::auth::Session,
    path: actix_web::web::Path<String>,
    body: actix_web::web::Json<CancelRangeBody>,
) -> Result<actix_web::HttpResponse, ApiError> {
    session.must_supervise()?;
    session.may_operate(&path)?;
    let o = super::citizens::office(&state, &path)?;
    let CancelRangeBody { service, from, to } = body.into_inner();
    if from > to {
        return Err(ApiError::new(422, "invalid_range", es::BAD_NUMBER_RANGE));
    }
    let now = super::citizens::local_now(o);
    let outcome = o
        .execute(crate::domain::Command::CancelRange {
            service: service.clone(),
            from,
            to,
        })
        .await
        .map_err(|e| ApiError::from_engine(e, now))?;
    let cancelled = match outcome.subject {
        crate::domain::Subject::Turns(n) => n,
        _ => 0,
    };
    tracing::warn!(office = %o.spec.id, %service, from, to, cancelled, by = %session.0.username, "waiting turns cancelled in bulk");
    Ok(actix_web::HttpResponse::Ok().json(serde_json::json!({ "cancelled": cancelled })))
}
