//! Routes for citizens and kiosks (no sign-in): offices, taking a turn, following it, the
//! office's queue.

use super::error::ApiError;
use super::AppState;
use crate::domain::{Command, Token};
use crate::engine::OfficeHandle;
use crate::i18n::es;
use crate::views;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

pub(super) fn office<'a>(state: &'a AppState, id: &str) -> Result<&'a Arc<OfficeHandle>, ApiError> {
    state
        .engine
        .office(id)
        .map_err(|_| ApiError::office_not_found())
}

fn office_summary(state: &AppState, o: &OfficeHandle) -> serde_json::Value {
    let spec = &o.spec;
    let now = state.engine.now();
    let open_now = spec.hours.is_open(spec.timezone, now);
    json!({
        "id": spec.id,
        "name": spec.name,
        "timezone": spec.timezone.name(),
        "open_now": open_now,
        "next_opening": (!open_now).then(|| spec.hours.next_opening(spec.timezone, now).map(|t| t.to_rfc3339())).flatten(),
    })
}

/// `GET /api/v1/offices`.
pub async fn list_offices(state: web::Data<AppState>) -> HttpResponse {
    let list: Vec<_> = state
        .engine
        .offices()
        .iter()
        .map(|o| office_summary(&state, o))
        .collect();
    HttpResponse::Ok().json(list)
}

/// `GET /api/v1/offices/{office}`.
pub async fn get_office(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let o = office(&state, &path)?;
    let mut body = office_summary(&state, o);
    let (services, categories) = o.read(|s| {
        let services: Vec<_> = s
            .spec
            .services
            .iter()
            .enumerate()
            .map(|(i, svc)| {
                let (waiting, preferential) = s.waiting(i as u16);
                let (_, wait) = s.outlook_for_new_turn(i as u16);
                json!({
                    "id": svc.id, "name": svc.name, "prefix": svc.prefix,
                    "waiting": waiting, "waiting_preferential": preferential,
                    "estimated_wait_seconds": wait,
                    "target_wait_seconds": svc.target_wait_seconds,
                })
            })
            .collect();
        let categories: Vec<_> = s
            .spec
            .categories
            .iter()
            .map(|c| json!({"id": c.id, "label": c.label, "preferential": c.preferential}))
            .collect();
        (services, categories)
    });
    body["services"] = services.into();
    body["categories"] = categories.into();
    Ok(HttpResponse::Ok().json(body))
}

/// Body of `POST /offices/{office}/tickets`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueBody {
    service: String,
    category: Option<String>,
    kiosk: Option<String>,
}

/// `POST /api/v1/offices/{office}/tickets` → 201 Ticket, with a `print` object when a
/// kiosk asked (`printed`, `queued` or `failed` with a reason; `null` without a kiosk).
pub async fn issue(
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Json<IssueBody>,
) -> Result<HttpResponse, ApiError> {
    let o = office(&state, &path)?;
    let body = body.into_inner();
    let kiosk = body.kiosk.clone();
    let command = Command::Issue {
        service: body.service,
        category: body.category,
        kiosk: body.kiosk,
        entropy: rand::random(),
    };
    let outcome = o
        .execute(command)
        .await
        .map_err(|e| ApiError::from_engine(e, local_now(o)))?;
    let view = outcome
        .ticket
        .ok_or_else(|| ApiError::new(503, "store_unavailable", es::STORE_UNAVAILABLE))?;
    // The turn is committed: from here on nothing can fail it, the printer least of all.
    let printed =
        super::printing::with_print(&state, &o.spec, &view, kiosk.as_deref(), false).await;
    Ok(HttpResponse::Created().json(printed))
}

pub(super) fn local_now(o: &OfficeHandle) -> chrono::DateTime<chrono_tz::Tz> {
    Utc::now().with_timezone(&o.spec.timezone)
}

fn parse_token(s: &str) -> Result<Token, ApiError> {
    Token::parse(s).ok_or_else(|| ApiError::new(404, "ticket_not_found", es::BAD_TOKEN))
}

/// Runs a search by the token in a path on the blocking pool (an older day may be read
/// from the store); 404 when the token is malformed or names no turn.
/// How long a token not found here is looked for again on a shared store.
const TAKEN_IN_WITHIN: std::time::Duration = std::time::Duration::from_millis(300);

pub(super) async fn by_token<R: Send + 'static>(
    state: &AppState,
    token: &str,
    search: fn(&crate::engine::Engine, &Token) -> Option<R>,
) -> Result<R, ApiError> {
    let token = parse_token(token)?;
    let find = || {
        let engine = state.engine.clone();
        async move {
            web::block(move || search(&engine, &token))
                .await
                .map_err(|_| ApiError::new(503, "overloaded", es::OVERLOADED))
        }
    };
    let mut found = find().await?;
    if found.is_none() && state.engine.shares_store() {
        // Issued a moment ago on another process, perhaps: read the logs now and look
        // again for a little while, so a kiosk or phone sent elsewhere by the load
        // balancer finds its turn.
        state.engine.follow_now();
        let until = tokio::time::Instant::now() + TAKEN_IN_WITHIN;
        while found.is_none() && tokio::time::Instant::now() < until {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            found = find().await?;
        }
    }
    found.ok_or_else(|| {
        ApiError::new(
            404,
            "ticket_not_found",
            es::domain_error(
                &crate::domain::DomainError::TicketNotFound,
                Utc::now().with_timezone(&chrono_tz::UTC),
            ),
        )
    })
}

/// Finds a ticket, with its live position and wait, by the token in a path.
pub(super) async fn find_ticket(
    state: &AppState,
    token: &str,
) -> Result<(Arc<OfficeHandle>, crate::domain::TicketView), ApiError> {
    by_token(state, token, crate::engine::Engine::find_ticket).await
}

/// `GET /api/v1/tickets/{token}` → Ticket, live.
pub async fn get_ticket(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (o, view) = find_ticket(&state, &path).await?;
    Ok(HttpResponse::Ok().json(views::ticket(&o.spec, &view)))
}

/// `POST /api/v1/tickets/{token}/cancel`: the citizen gives up a waiting turn.
pub async fn cancel_ticket(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let token = parse_token(&path)?;
    let o = state
        .engine
        .offices()
        .iter()
        .find(|o| o.read(|s| s.ticket_by_token(&token).is_some()))
        .ok_or_else(|| ApiError::new(404, "ticket_not_found", es::BAD_TOKEN))?;
    let outcome = o
        .execute(Command::Cancel { token })
        .await
        .map_err(|e| ApiError::from_engine(e, local_now(o)))?;
    let view = outcome
        .ticket
        .ok_or_else(|| ApiError::new(503, "store_unavailable", es::STORE_UNAVAILABLE))?;
    Ok(HttpResponse::Ok().json(views::ticket(&o.spec, &view)))
}

/// `GET /api/v1/offices/{office}/queue`.
pub async fn queue(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let o = office(&state, &path)?;
    let now = state.engine.now();
    let body = o.read(|s| {
        let calls: Vec<_> = s.recent_calls.iter().map(|r| views::call(s, r)).collect();
        let counters: Vec<_> = (0..s.spec.counters.len())
            .map(|c| views::counter(s, c as u16, now))
            .collect();
        json!({"calls": calls, "counters": counters, "waiting": views::waiting(s)})
    });
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /api/v1/tickets/{token}/qr.svg`: the QR code of the ticket's `status_url`, for
/// screens (the kiosk shows it while the ticket prints).
pub async fn ticket_qr(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (o, view) = find_ticket(&state, &path).await?;
    let url = views::ticket(&o.spec, &view).status_url;
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|_| ApiError::new(404, "ticket_not_found", es::BAD_TOKEN))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("cache-control", "private, max-age=86400"))
        .body(svg))
}
