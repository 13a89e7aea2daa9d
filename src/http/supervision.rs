//! The supervisors' live help: the alerts in force (`GET /alerts`), pushed as they change
//! (`GET /alerts/stream`, server-sent events read with `fetch`, so the session's Bearer
//! header goes with it — a WebSocket from a browser cannot carry one), and the staffing
//! forecast (`GET /forecast`). Supervisors and admins only, as the report.

use super::auth::Session;
use super::error::ApiError;
use super::extract::OfficePath;
use super::schemas::ErrorBody;
use super::AppState;
use crate::supervision::{forecast, view};
use actix_web::{web, HttpResponse};
use futures_util::stream;
use std::time::Duration;

/// How often an idle stream sends a comment, so proxies keep it open.
const KEEP_ALIVE: Duration = Duration::from_secs(20);

/// `GET /api/v1/offices/{office}/alerts` → the alerts in force, oldest first, brought
/// up to date at this moment.
#[utoipa::path(get, path = "/api/v1/offices/{office}/alerts", tag = "supervisors",
    params(("office" = String, Path, description = "Office id.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The alerts in force.", body = Vec<view::AlertJson>),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: agents may not.", body = ErrorBody),
        (status = 404, description = "`office_not_found`.", body = ErrorBody),
    ))]
pub async fn alerts(
    state: web::Data<AppState>,
    OfficePath(o): OfficePath,
    session: Session,
) -> Result<HttpResponse, ApiError> {
    session.must_supervise()?;
    let printers = state.supervision.evaluate(&o).await;
    let now = state.engine.now();
    let language = super::language::current_for(&o.spec);
    Ok(HttpResponse::Ok().json(o.read(|s| view::alerts(s, &printers, now, language))))
}

/// One server-sent event of the alerts' stream, as the OpenAPI document describes it
/// (schema only: the stream is written by hand, `data: …` and a blank line).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // read by the document only
pub struct AlertsEvent {
    /// The event's type: always the default, `message`.
    event: Option<String>,
    /// The JSON text `{"type": "alerts", "alerts": [Alert]}`.
    data: String,
}

/// `GET /api/v1/offices/{office}/alerts/stream` → `text/event-stream`: first the alerts
/// in force, then `{"type":"alerts","alerts":[…]}` each time they change.
#[utoipa::path(get, path = "/api/v1/offices/{office}/alerts/stream", tag = "supervisors",
    params(("office" = String, Path, description = "Office id.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Server-sent events, each `data:` a JSON `{\"type\": \"alerts\", \"alerts\": [Alert]}`.",
            content_type = "text/event-stream", body = AlertsEvent),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: agents may not.", body = ErrorBody),
        (status = 404, description = "`office_not_found`.", body = ErrorBody),
    ))]
pub async fn alerts_stream(
    state: web::Data<AppState>,
    OfficePath(o): OfficePath,
    session: Session,
) -> Result<HttpResponse, ApiError> {
    session.must_supervise()?;
    let feed = state
        .supervision
        .subscribe(&o.spec.id)
        .ok_or(ApiError::OfficeNotFound)?;
    let printers = state.supervision.evaluate(&o).await;
    let now = state.engine.now();
    let language = super::language::current_for(&o.spec);
    let first = serde_json::json!({
        "type": "alerts",
        "alerts": o.read(|s| view::alerts(s, &printers, now, language)),
    })
    .to_string();
    let shutdown = state.shutdown.clone();
    let start = Some(first);
    let events = stream::unfold(
        (start, feed, shutdown),
        |(mut start, mut feed, mut shutdown)| async move {
            if let Some(first) = start.take() {
                return Some((Ok(frame(&first)), (None, feed, shutdown)));
            }
            loop {
                if *shutdown.borrow() {
                    return None;
                }
                tokio::select! {
                    message = feed.recv() => match message {
                        Ok(text) => return Some((Ok(frame(&text)), (None, feed, shutdown))),
                        // Behind: the next message is the whole list again, nothing is lost.
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                        Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                    },
                    _ = tokio::time::sleep(KEEP_ALIVE) => {
                        let ping = web::Bytes::from_static(b": keep-alive\n\n");
                        return Some((Ok::<_, actix_web::Error>(ping), (None, feed, shutdown)));
                    }
                    _ = shutdown.changed() => return None,
                }
            }
        },
    );
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("cache-control", "no-store"))
        .insert_header(("x-accel-buffering", "no"))
        .streaming(events))
}

fn frame(json: &str) -> web::Bytes {
    web::Bytes::from(format!("data: {json}\n\n"))
}

/// `GET /api/v1/offices/{office}/forecast` → the next hour of each service (Erlang C
/// with the observed rates), with what to do when a target would be missed.
#[utoipa::path(get, path = "/api/v1/offices/{office}/forecast", tag = "supervisors",
    params(("office" = String, Path, description = "Office id.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The forecast.", body = forecast::ForecastJson),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: agents may not.", body = ErrorBody),
        (status = 404, description = "`office_not_found`.", body = ErrorBody),
    ))]
pub async fn forecast(
    state: web::Data<AppState>,
    OfficePath(o): OfficePath,
    session: Session,
) -> Result<HttpResponse, ApiError> {
    session.must_supervise()?;
    let now = state.engine.now();
    let result = forecast::compute(&state.supervision, &o)
        .await
        .map_err(|_| ApiError::Overloaded)?;
    let language = super::language::current_for(&o.spec);
    Ok(HttpResponse::Ok().json(forecast::json(&o, &result, now, language)))
}
