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
/// How long a no-show's page keeps listening: the minute in which it may be undone, and
/// a little more.
const UNDO_WINDOW: Duration = Duration::from_secs(65);
/// A phone silent for this long is gone (a phone asleep stops answering pings).
const SILENCE_LIMIT: Duration = Duration::from_secs(60);
/// Position updates for a page, at most one per this much time.
pub const COALESCE: Duration = Duration::from_secs(1);
/// Feeds open on one turn, at most: a citizen's phone or two, a tab reopened; a printed
/// token is no licence to open thousands (the connection cap guards the rest).
pub const PER_TURN: u8 = 4;

/// The turns' open feeds, counted per turn.
#[derive(Default)]
pub struct PhoneSlots {
    open: parking_lot::Mutex<std::collections::HashMap<Token, u8>>,
}

/// One open feed; dropping it frees its place.
pub struct PhoneSlot {
    slots: Arc<PhoneSlots>,
    token: Token,
}

impl PhoneSlots {
    /// A place for one more feed on a turn, unless it has [`PER_TURN`] already.
    pub fn take(self: &Arc<Self>, token: Token) -> Option<PhoneSlot> {
        let mut open = self.open.lock();
        let count = open.entry(token).or_insert(0);
        if *count >= PER_TURN {
            return None;
        }
        *count += 1;
        Some(PhoneSlot {
            slots: self.clone(),
            token,
        })
    }
}

impl Drop for PhoneSlot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock();
        if let Some(count) = open.get_mut(&self.token) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.token);
            }
        }
    }
}

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
        (status = 429, description = "`too_many_feeds`: this turn has its feeds open already.", body = crate::http::schemas::ErrorBody,
            headers(("Retry-After" = u32, description = "Seconds to wait."))),
    ))]
pub async fn ticket_live(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Payload,
    turn: TicketPath,
    link: LinkBase,
    query: web::Query<LiveQuery>,
) -> Result<HttpResponse, ApiError> {
    // A language the office does not offer (a phone's choice kept from another office)
    // falls back to the office's own: the page must still hear its turn.
    let language = query
        .lang
        .as_deref()
        .and_then(|code| super::language::chosen(&turn.office.spec, Some(code)).ok())
        .unwrap_or_else(|| turn.office.spec.own_language());
    let slot = state
        .phones
        .take(turn.view.ticket.token)
        .ok_or(ApiError::TooManyFeeds)?;
    let (response, session, stream) =
        actix_ws::handle(&req, body).map_err(|_| ApiError::WebSocketRequired)?;
    // The turn as found (of today or of an earlier day): what the page gets first.
    let first = message(
        &turn.office.spec,
        &turn.view,
        &Audience::new(&link.0, language),
        state.engine.now(),
    );
    let follow = Follow {
        state: state.clone(),
        office: turn.office,
        token: turn.view.ticket.token,
        seq: turn.view.ticket.seq,
        base: link.0,
        language,
    };
    let shutdown = state.shutdown.clone();
    actix_web::rt::spawn(async move {
        follow.serve(first, session, stream, shutdown).await;
        drop(slot);
    });
    Ok(response)
}

/// The `ticket` message of a turn, and whether the turn has ended for good (a no-show
/// may still be undone for a minute: its page keeps listening until then).
fn message(
    spec: &OfficeSpec,
    view: &TicketView,
    to: &Audience,
    now: chrono::DateTime<chrono::Utc>,
) -> (String, bool) {
    let json = views::ticket(spec, view, to);
    let t = &view.ticket;
    let may_be_undone = t.status == crate::domain::TicketStatus::NoShow
        && t.finished_at
            .is_some_and(|at| now - at <= crate::domain::decide::UNDO_NO_SHOW_WITHIN);
    (
        serde_json::json!({"type": "ticket", "ticket": json}).to_string(),
        t.status.is_final() && !may_be_undone,
    )
}

/// One page following one turn.
struct Follow {
    state: web::Data<AppState>,
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
        // The engine's clock, as every other answer about the turn.
        let now = self.state.engine.now();
        self.office.read(|s| {
            let ticket = s.ticket_by_token(&self.token)?;
            let view = s.view(ticket.seq, now);
            Some(message(
                &s.spec,
                &view,
                &Audience::new(&self.base, self.language),
                now,
            ))
        })
    }

    /// The turn as its own day (read from the store) has it, once the office's state
    /// has moved on to another day.
    async fn as_its_day_closed_it(&self) -> Option<(String, bool)> {
        let engine = self.state.engine.clone();
        let token = self.token;
        let (office, view) = web::block(move || engine.find_ticket(&token))
            .await
            .ok()
            .flatten()?;
        let (json, _) = message(
            &office.spec,
            &view,
            &Audience::new(&self.base, self.language),
            self.state.engine.now(),
        );
        // Whatever its state in a day gone by, nothing will change it now.
        Some((json, true))
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
        // A no-show's page listens until its undo could no longer come.
        let mut close_at: Option<tokio::time::Instant> = None;
        loop {
            if send_now {
                send_now = false;
                due = None;
                let current = match next.take().or_else(|| self.now()) {
                    Some(found) => Some(found),
                    // The office's day moved on (midnight): the turn as its day closed it.
                    None => self.as_its_day_closed_it().await,
                };
                match current {
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
                        let no_show = last.contains(r#""status":"no_show""#);
                        close_at = match (no_show, close_at) {
                            (true, None) => Some(tokio::time::Instant::now() + UNDO_WINDOW),
                            (true, kept) => kept,
                            (false, _) => None,
                        };
                    }
                    None => {
                        reason = Some(CloseReason::from(CloseCode::Normal));
                        break;
                    }
                }
            }
            let undo_over = async {
                match close_at {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
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
                _ = undo_over => { reason = Some(CloseReason::from(CloseCode::Normal)); break; }
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
