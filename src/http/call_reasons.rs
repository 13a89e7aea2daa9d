//! `GET /api/v1/offices/{office}/call-reasons`: the reasons an agent may give for calling
//! a turn out of order, for the agent console's list. Staff of the office only: the
//! citizens' pages never show why a turn was called.

use super::auth::Session;
use super::error::ApiError;
use super::extract::OfficePath;
use super::schemas::ErrorBody;
use crate::domain::spec::OTHER_REASON;
use actix_web::HttpResponse;
use serde::Serialize;
use utoipa::ToSchema;

/// One reason for a call out of order.
#[derive(Serialize, ToSchema)]
pub struct CallReasonJson {
    /// Its id, sent as `reason` in `POST call`.
    id: String,
    /// What the agent reads.
    label: String,
    /// Whether `note` is required with it (`otro`).
    note_required: bool,
}

/// The office's reasons for calls out of order, in its order.
#[utoipa::path(get, path = "/api/v1/offices/{office}/call-reasons", tag = "agents",
    params(("office" = String, Path, description = "Office id (slug), e.g. `central`.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The reasons.", body = Vec<CallReasonJson>),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: an agent of another office.", body = ErrorBody),
        (status = 404, description = "`office_not_found`.", body = ErrorBody),
    ))]
pub async fn call_reasons(session: Session, o: OfficePath) -> Result<HttpResponse, ApiError> {
    session.may_operate(&o.spec.id)?;
    let list: Vec<_> = o
        .spec
        .out_of_order_reasons
        .iter()
        .map(|r| CallReasonJson {
            id: r.id.clone(),
            label: r.label.clone(),
            note_required: r.id == OTHER_REASON,
        })
        .collect();
    Ok(HttpResponse::Ok().json(list))
}
