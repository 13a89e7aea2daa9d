//! Supervisors' bulk actions on turns, as after a flood of turns nobody will come for:
//! who brought today's turns in, and cancelling the waiting ones of a number range, of one
//! kiosk or of one client address at once.

use super::auth::Session;
use super::error::ApiError;
use super::extract::OfficePath;
use super::schemas::ErrorBody;
use crate::domain::{Command, Issuer, Subject};
use actix_web::HttpResponse;
use serde::Serialize;
use utoipa::ToSchema;

/// Body of `POST /offices/{office}/tickets/cancel`: a service with a number range, or a
/// kiosk, or an address (the last two optionally narrowed to a service).
#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    /// Service id (required with `from` and `to`).
    service: Option<String>,
    /// First number of the range.
    #[serde(default, deserialize_with = "super::extract::whole_opt")]
    from: Option<u32>,
    /// Last number of the range.
    #[serde(default, deserialize_with = "super::extract::whole_opt")]
    to: Option<u32>,
    /// The kiosk whose turns to cancel.
    kiosk: Option<String>,
    /// The client address whose turns to cancel.
    address: Option<String>,
}

/// `POST /offices/{office}/tickets/cancel` → how many turns were cancelled.
#[derive(Serialize, ToSchema)]
pub struct Cancelled {
    /// Turns cancelled.
    cancelled: u32,
}

/// Who brought turns in.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum IssuerKind {
    /// A paired kiosk.
    Kiosk,
    /// A member of staff.
    Staff,
    /// An anonymous client address.
    Address,
}

/// One issuer of today's turns.
#[derive(Serialize, ToSchema)]
pub struct IssuerCount {
    /// Kiosk, staff or address.
    #[schema(value_type = IssuerKind)]
    kind: &'static str,
    /// Kiosk id, username or address.
    id: String,
    /// Turns it issued today.
    issued: u32,
    /// Of those, still waiting.
    waiting: u32,
}

/// What a cancel body selects.
enum Selection {
    Range { service: String, from: u32, to: u32 },
    IssuedBy(Issuer, Option<String>),
}

impl CancelBody {
    fn selection(self) -> Result<Selection, ApiError> {
        match self {
            CancelBody {
                service: Some(service),
                from: Some(from),
                to: Some(to),
                kiosk: None,
                address: None,
            } => {
                if from > to {
                    return Err(ApiError::NumbersReversed);
                }
                Ok(Selection::Range { service, from, to })
            }
            CancelBody {
                service,
                from: None,
                to: None,
                kiosk: Some(kiosk),
                address: None,
            } => Ok(Selection::IssuedBy(Issuer::Kiosk(kiosk), service)),
            CancelBody {
                service,
                from: None,
                to: None,
                kiosk: None,
                address: Some(address),
            } => {
                // Turns record an address as limits count it (an IPv6 one by its /64),
                // so any address of that network, or the network as listed, selects them.
                let address: std::net::IpAddr = address
                    .trim()
                    .trim_end_matches("/64")
                    .parse()
                    .map_err(|_| ApiError::InvalidAddress)?;
                Ok(Selection::IssuedBy(
                    Issuer::Address(super::client::bucket(address)),
                    service,
                ))
            }
            _ => Err(ApiError::BulkSelectionMissing),
        }
    }
}

/// `POST /api/v1/offices/{office}/tickets/cancel` (supervisors) with `{"service", "from",
/// "to"}`, `{"kiosk"}` or `{"address"}` (and `"service"` optional with the last two):
/// cancels every selected turn still waiting; turns in attention are left alone →
/// `{"cancelled": n}`.
#[utoipa::path(post, path = "/api/v1/offices/{office}/tickets/cancel", tag = "supervisors",
    params(("office" = String, Path, description = "Office id.")),
    request_body(content = CancelBody, content_type = "application/json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "How many turns were cancelled.", body = Cancelled),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: agents may not.", body = ErrorBody),
        (status = 404, description = "`office_not_found` or `service_not_found`.", body = ErrorBody),
        (status = 422, description = "`selection_required`, `invalid_range` or `invalid_address`.", body = ErrorBody),
    ))]
pub async fn cancel(
    session: Session,
    o: OfficePath,
    body: super::extract::JsonBody<CancelBody>,
) -> Result<HttpResponse, ApiError> {
    session.must_supervise()?;
    session.may_operate(&o.spec.id)?;
    let selection = body.0.selection()?;
    let (command, what) = match selection {
        Selection::Range { service, from, to } => (
            Command::CancelRange {
                service: service.clone(),
                from,
                to,
            },
            format!("{service} {from}..={to}"),
        ),
        Selection::IssuedBy(issuer, service) => {
            let what = format!("{} {}", issuer.kind(), issuer.id());
            (Command::CancelIssuedBy { issuer, service }, what)
        }
    };
    let entry = super::audit::entry(&session, crate::domain::AuditAction::BulkCancel, &what);
    let outcome = o
        .execute(super::audit::audited(command, entry))
        .await
        .map_err(|e| ApiError::from_engine(e, o.local_now()))?;
    let cancelled = match outcome.subject {
        Subject::Turns(n) => n,
        _ => 0,
    };
    tracing::warn!(office = %o.spec.id, %what, cancelled, by = %session.0.username, "waiting turns cancelled in bulk");
    Ok(HttpResponse::Ok().json(Cancelled { cancelled }))
}

/// Most issuers listed.
const ISSUERS_LISTED: usize = 50;

/// `GET /api/v1/offices/{office}/tickets/issuers` (supervisors): who brought today's turns
/// in, those with the most still waiting first → `[{"kind": "kiosk"|"staff"|"address",
/// "id", "issued", "waiting"}]`, at most 50.
#[utoipa::path(get, path = "/api/v1/offices/{office}/tickets/issuers", tag = "supervisors",
    params(("office" = String, Path, description = "Office id.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "At most 50 issuers, most waiting first.", body = Vec<IssuerCount>),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: agents may not.", body = ErrorBody),
        (status = 404, description = "`office_not_found`.", body = ErrorBody),
    ))]
pub async fn issuers(session: Session, o: OfficePath) -> Result<HttpResponse, ApiError> {
    session.must_supervise()?;
    let list: Vec<_> = o.read(|s| {
        s.issuer_counts(ISSUERS_LISTED)
            .into_iter()
            .map(|c| IssuerCount {
                kind: c.issuer.kind(),
                id: c.issuer.id().to_owned(),
                issued: c.issued,
                waiting: c.waiting,
            })
            .collect()
    });
    Ok(HttpResponse::Ok().json(list))
}
