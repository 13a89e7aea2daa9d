//! A turn's own live feed, for the citizen's phone: a WebSocket that sends the Ticket
//! when it changes, and nothing else. Each page follows only its turn — a call of
//! another turn costs the page no request at all: the server works out the new position
//! and sends it. Changes to the turn itself (called, recalled, started, finished…) go out
//! at once; the office's position updates are coalesced to one a second per page.

use super::error::ApiError;
use super::extract::TicketPath;
use super::links::LinkBase;
use super::AppState;
use crate::domain::{Language, OfficeSpec, TicketView, Token};
use crate::engine::feed::FeedEvent;
use crate::engine::OfficeHandle;
use crate::views::{self, Audience};
use actix_web::{web, HttpRequest, HttpResponse};
use actix_ws::{CloseCode, CloseReason, Message};
use serde::Deserialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;

/// How often the server pings a phone.
const PING_EVERY: Duration = Duration::from_secs(20);
/// A phone silent for this long is gone (a phone asleep stops answering pings).
const SILENCE_LIMIT: Duration = Duration::from_secs(60);
/// Position updates for a page, at most one per this much time.
pub const COALESCE: Duration = Duration::from_secs(1);

/// Query of the turn's feed.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LiveQuery {
    /// The page's language (one of the office's), for the Ticket's names; by default the
    /// office's own (a browser's WebSocket sends no `Accept-Language` of the page's).
    #[param(value_type = Option<crate::http::schemas::LanguageCode>)]
    lang: Option<String>,
}

/// `GET /api/v1/tickets/{token}/live` (WebSocket).
#[utoipa::path(get, path = "/api/v1/tickets/{token}/live", tag = "citizens",
    params(("token" = String, Path, description = "The ticket's token."), LiveQuery),
    responses(
        (status = 101, description = "WebSocket: `{\"type\": \"ticket\", \"ticket\": Ticket}` now and at every change of the turn; closed (1000) once the turn has ended."),
        (status = 400, description = "`websocket_required`: not a WebSocket handshake.", body = crate::http::schemas::ErrorBody),
        (status = 404, description = "`ticket_not_found`.", body = crate::http::schemas::ErrorBody),
        (status = 422, description = "`language_not_offered`.", body = crate::http::schemas::ErrorBody),
    ))]
pub async fn ticket_live(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Payload,
    turn: TicketPath,
    link: LinkBase,
    query: web::Query<LiveQuery>,
) -> Result<HttpResponse, ApiError> {
    let language = match query.lang.as_deref() {
        Some(code) => super::language::chosen(&turn.office.spec, Some(code))?,
        None => turn.office.spec.own_language(),
    };
    let (response, session, stream) =
        actix_ws::handle(&req, body).map_err(|_| ApiError::WebSocketRequired)?;
    // The turn as found (of today or of an earlier day): what the page gets first.
    let first = message(
        &turn.office.spec,
        &turn.view,
        &Audience::new(&link.0, language),
    );
    let follow = Follow {
        office: turn.office,
        token: turn.view.ticket.token,
        seq: turn.view.ticket.seq,
        base: link.0,
        language,
    };
    let shutdown = state.shutdown.clone();
    actix_web::rt::spawn(follow.serve(first, session, stream, shutdown));
    Ok(response)
}

/// The `ticket` message of a turn, and whether the turn has ended.
fn message(spec: &OfficeSpec, view: &TicketView, to: &Audience) -> (String, bool) {
    let json = views::ticket(spec, view, to);
    (
        serde_json::json!({"type": "ticket", "ticket": json}).to_string(),
        view.ticket.status.is_final(),
    )
}

/// One page following one turn.
struct Follow {
    office: Arc<OfficeHandle>,
    token: Token,
    seq: u32,
    base: String,
    language: Language,
}

impl Follow {
    /// The `ticket` message as the turn stands now; `None` once the office's day has
    /// moved on without it (the turn ended with its day).
    fn now(&self) -> Option<(String, bool)> {
        let now = chrono::Utc::now();
        self.office.read(|s| {
            let ticket = s.ticket_by_token(&self.token)?;
            let view = s.view(ticket.seq, now);
            Some(message(
                &s.spec,
                &view,
                &Audience::new(&self.base, self.language),
            ))
        })
    }

    async fn serve(
        self,
        first: (String, bool),
        mut session: actix_ws::Session,
        mut stream: actix_ws::MessageStream,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) {
        let phones = self.office.metrics().phones.clone();
        phones.inc();
        // Subscribe before the first message so that no change falls between the two.
        let mut feed = self.office.subscribe();
        let mut last = String::new();
        let mut ping = tokio::time::interval(PING_EVERY);
        let mut last_heard = Instant::now();
        let mut due: Option<tokio::time::Instant> = None;
        let mut reason = None;
        let mut send_now = true;
        // Looked at again now that it is subscribed: nothing changes unseen.
        let mut next = self.now().or(Some(first));
        loop {
            if send_now {
                send_now = false;
                due = None;
                match next.take().or_else(|| self.now()) {
                    Some((json, ended)) => {
                        if json != last {
                            if session.text(json.clone()).await.is_err() {
                                break;
                            }
                            last = json;
                        }
                        if ended {
                            reason = Some(CloseReason::from(CloseCode::Normal));
                            break;
                        }
                    }
                    None => {
                        reason = Some(CloseReason::from(CloseCode::Normal));
                        break;
                    }
                }
            }
            let coalesced = async {
                match due {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            let sent = tokio::select! {
                event = feed.recv() => {
                    match event {
                        Ok(FeedEvent::Turns(seqs)) if seqs.contains(&self.seq) => send_now = true,
                        Ok(FeedEvent::Reset) | Err(RecvError::Lagged(_)) => send_now = true,
                        Err(RecvError::Closed) => break,
                        // Someone else's turn moved: the position may have; soon, not now.
                        Ok(_) => {
                            due.get_or_insert_with(|| tokio::time::Instant::now() + COALESCE);
                        }
                    }
                    Ok(())
                }
                _ = coalesced => { send_now = true; Ok(()) }
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
                    reason = Some(CloseReason { code: CloseCode::Restart, description: Some("restart".into()) });
                    break;
                }
            };
            if sent.is_err() {
                break;
            }
        }
        let _ = session.close(reason).await;
        phones.dec();
    }
}
