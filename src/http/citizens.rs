//! Routes for citizens and kiosks (no sign-in): offices, following a turn, giving it up,
//! its QR code, the office's queue. Taking a turn is `issuing`.

use super::error::ApiError;
use super::extract::{OfficePath, TicketPath, TokenPath};
use super::AppState;
use crate::domain::Command;
use crate::engine::OfficeHandle;
use crate::views;
use actix_web::{web, HttpResponse};
use serde_json::json;

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
    o: OfficePath,
) -> Result<HttpResponse, ApiError> {
    let mut body = office_summary(&state, &o);
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
    body["ticketing"] = match state.config.issuing(&o.spec.id).mode {
        crate::config::Ticketing::Kiosks => "kiosks",
        crate::config::Ticketing::Open => "open",
    }
    .into();
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /api/v1/tickets/{token}` → Ticket, live.
pub async fn get_ticket(turn: TicketPath) -> HttpResponse {
    HttpResponse::Ok().json(views::ticket(&turn.office.spec, &turn.view))
}

/// `POST /api/v1/tickets/{token}/cancel`: the citizen gives up a waiting turn.
pub async fn cancel_ticket(
    state: web::Data<AppState>,
    TokenPath(token): TokenPath,
) -> Result<HttpResponse, ApiError> {
    let o = state
        .engine
        .offices()
        .iter()
        .find(|o| o.read(|s| s.ticket_by_token(&token).is_some()))
        .ok_or(ApiError::BadToken)?;
    let outcome = o
        .execute(Command::Cancel { token })
        .await
        .map_err(|e| ApiError::from_engine(e, super::extract::local_now(o)))?;
    let view = outcome.ticket.ok_or(ApiError::StoreUnavailable)?;
    Ok(HttpResponse::Ok().json(views::ticket(&o.spec, &view)))
}

/// `GET /api/v1/offices/{office}/queue`.
pub async fn queue(state: web::Data<AppState>, o: OfficePath) -> HttpResponse {
    let now = state.engine.now();
    let body = o.read(|s| {
        let calls: Vec<_> = s.recent_calls.iter().map(|r| views::call(s, r)).collect();
        let counters: Vec<_> = (0..s.spec.counters.len())
            .map(|c| views::counter(s, c as u16, now))
            .collect();
        json!({"calls": calls, "counters": counters, "waiting": views::waiting(s)})
    });
    HttpResponse::Ok().json(body)
}

/// `GET /api/v1/tickets/{token}/qr.svg`: the QR code of the ticket's `status_url`, for
/// screens (the kiosk shows it while the ticket prints).
pub async fn ticket_qr(turn: TicketPath) -> Result<HttpResponse, ApiError> {
    let url = views::ticket(&turn.office.spec, &turn.view).status_url;
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|_| ApiError::BadToken)?;
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
