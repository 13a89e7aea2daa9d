//! The lobby screens' WebSocket: a snapshot first, then every call the moment it is
//! committed, waiting counts at most four times a second, and pings. A screen that falls
//! behind (or reconnects) gets a fresh snapshot; a slow screen only delays itself.

use super::error::ApiError;
use super::extract::OfficePath;
use super::AppState;
use crate::domain::spec::ServiceIdx;
use crate::engine::feed::{self, FeedEvent};
use crate::engine::OfficeHandle;
use actix_web::{web, HttpRequest, HttpResponse};
use actix_ws::{CloseCode, CloseReason, Message};
use serde::Deserialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;

/// How often the server pings a screen.
const PING_EVERY: Duration = Duration::from_secs(15);
/// A screen silent for this long is gone.
const SILENCE_LIMIT: Duration = Duration::from_secs(45);

/// Query of the display socket.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DisplayQuery {
    /// Comma-separated service ids the screen shows (default: all).
    services: Option<String>,
}

/// `GET /api/v1/offices/{office}/display` (WebSocket).
#[utoipa::path(get, path = "/api/v1/offices/{office}/display", tag = "citizens",
    params(("office" = String, Path, description = "Office id."), DisplayQuery),
    responses(
        (status = 101, description = "WebSocket: a `snapshot` message, then `call` and `waiting` messages."),
        (status = 400, description = "`websocket_required`: not a WebSocket handshake.", body = crate::http::schemas::ErrorBody),
        (status = 404, description = "`office_not_found` or `service_not_found` (the filter).", body = crate::http::schemas::ErrorBody),
        (status = 429, description = "`too_many_screens`.", body = crate::http::schemas::ErrorBody,
            headers(("Retry-After" = u32, description = "Seconds to wait."))),
    ))]
pub async fn display(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Payload,
    OfficePath(office): OfficePath,
    query: web::Query<DisplayQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = match query
        .services
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(list) => {
            let mut ids = Vec::new();
            for id in list.split(',') {
                let idx = office
                    .spec
                    .service_idx(id.trim())
                    .ok_or(ApiError::ServiceFilterNotFound)?;
                ids.push(idx);
            }
            Some(ids)
        }
    };
    let address = super::client::address(&req, &state.config.server.trusted_proxies);
    let slot = state.screens.take(address, &office.spec.id).map_err(|full| {
        tracing::warn!(%address, office = %office.spec.id, ?full, "lobby screen refused: too many open");
        ApiError::TooManyScreens(full)
    })?;
    let (response, session, stream) =
        actix_ws::handle(&req, body).map_err(|_| ApiError::WebSocketRequired)?;
    let shutdown = state.shutdown.clone();
    actix_web::rt::spawn(async move {
        serve_screen(office, session, stream, filter, shutdown).await;
        drop(slot);
    });
    Ok(response)
}

async fn serve_screen(
    office: Arc<OfficeHandle>,
    mut session: actix_ws::Session,
    mut stream: actix_ws::MessageStream,
    filter: Option<Vec<ServiceIdx>>,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    let screens = office.metrics().screens.clone();
    screens.inc();
    // Subscribe before the snapshot so no call falls between the two.
    let mut feed = office.subscribe();
    let filter_ids: Option<Vec<String>> = filter.as_ref().map(|f| {
        f.iter()
            .map(|&s| office.spec.services[s as usize].id.clone())
            .collect()
    });
    let snapshot = |office: &OfficeHandle| office.read(|s| feed::snapshot(s, filter.as_deref()));
    let mut ping = tokio::time::interval(PING_EVERY);
    let mut last_heard = Instant::now();
    let mut reason = None;
    if session.text(snapshot(&office)).await.is_ok() {
        loop {
            let sent = tokio::select! {
                event = feed.recv() => match event {
                    Ok(FeedEvent::Call { json, service }) => {
                        if filter.as_ref().is_some_and(|f| !f.contains(&service)) { continue; }
                        session.text(json).await
                    }
                    Ok(FeedEvent::Waiting { json, counts }) => match &filter_ids {
                        None => session.text(json).await,
                        Some(ids) => session.text(feed::filtered_waiting(&counts, ids)).await,
                    },
                    // A turn's own page follows it (`ticket_live.rs`); a screen has nothing to add.
                    Ok(FeedEvent::Turns(_) | FeedEvent::Alerts) => continue,
                    Ok(FeedEvent::Reset) | Err(RecvError::Lagged(_)) => session.text(snapshot(&office)).await,
                    Err(RecvError::Closed) => break,
                },
                message = stream.recv() => match message {
                    Some(Ok(Message::Ping(bytes))) => { last_heard = Instant::now(); session.pong(&bytes).await }
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => { last_heard = Instant::now(); Ok(()) }
                },
                _ = ping.tick() => {
                    if last_heard.elapsed() > SILENCE_LIMIT { break; }
                    session.ping(b"").await
                }
                _ = shutdown.changed() => {
                    reason = Some(CloseReason { code: CloseCode::Restart, description: Some("reinicio del servidor".into()) });
                    break;
                }
            };
            if sent.is_err() {
                break;
            }
        }
    }
    let _ = session.close(reason).await;
    screens.dec();
}
