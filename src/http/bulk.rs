//! Supervisors' bulk actions on turns, as after a flood of turns nobody will come for:
//! who brought today's turns in, and cancelling the waiting ones of a number range, of one
//! kiosk or of one client address at once.

use super::auth::Session;
use super::error::ApiError;
use super::extract::OfficePath;
use crate::domain::{Command, Issuer, Subject};
use actix_web::{web, HttpResponse};
use serde_json::json;

/// Body of `POST /offices/{office}/tickets/cancel`: a service with a number range, or a
/// kiosk, or an address (the last two optionally narrowed to a service).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    service: Option<String>,
    from: Option<u32>,
    to: Option<u32>,
    kiosk: Option<String>,
    address: Option<String>,
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
pub async fn cancel(
    session: Session,
    o: OfficePath,
    body: web::Json<CancelBody>,
) -> Result<HttpResponse, ApiError> {
    session.must_supervise()?;
    session.may_operate(&o.spec.id)?;
    let selection = body.into_inner().selection()?;
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
    let outcome = o
        .execute(command)
        .await
        .map_err(|e| ApiError::from_engine(e, o.local_now()))?;
    let cancelled = match outcome.subject {
        Subject::Turns(n) => n,
        _ => 0,
    };
    tracing::warn!(office = %o.spec.id, %what, cancelled, by = %session.0.username, "waiting turns cancelled in bulk");
    Ok(HttpResponse::Ok().json(json!({ "cancelled": cancelled })))
}

/// Most issuers listed.
const ISSUERS_LISTED: usize = 50;

/// `GET /api/v1/offices/{office}/tickets/issuers` (supervisors): who brought today's turns
/// in, those with the most still waiting first → `[{"kind": "kiosk"|"staff"|"address",
/// "id", "issued", "waiting"}]`, at most 50.
pub async fn issuers(session: Session, o: OfficePath) -> Result<HttpResponse, ApiError> {
    session.must_supervise()?;
    let list: Vec<_> = o.read(|s| {
        s.issuer_counts(ISSUERS_LISTED)
            .into_iter()
            .map(|c| {
                json!({
                    "kind": c.issuer.kind(),
                    "id": c.issuer.id(),
                    "issued": c.issued,
                    "waiting": c.waiting,
                })
            })
            .collect()
    });
    Ok(HttpResponse::Ok().json(list))
}
