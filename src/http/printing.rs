//! Printing routes: a ticket as ESC/POS bytes, a ticket's print job, printers' state and
//! reprints for supervisors, and the print agents' WebSocket. The work is in
//! `crate::printing`.

use super::auth::Session;
use super::error::ApiError;
use super::extract::{OfficePath, TicketPath};
use super::links::LinkBase;
use super::schemas::ErrorBody;
use super::AppState;
use crate::domain::{OfficeSpec, TicketView};
use crate::printing::ticket;
use crate::views;
use actix_web::{web, HttpRequest, HttpResponse};
use actix_ws::{CloseCode, CloseReason, Message};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::{Duration, Instant};
use turnero_printer::agent::proto::{AgentMessage, ServerMessage};
use turnero_printer::{CodePage, PaperWidth, PrintOptions, QrMode};
use utoipa::{IntoParams, ToSchema};

/// How often the server pings an agent.
const PING_EVERY: Duration = Duration::from_secs(15);
/// An agent silent this long is gone.
const SILENCE_LIMIT: Duration = Duration::from_secs(45);

/// Query of `GET /tickets/{token}/escpos`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EscposQuery {
    /// Paper width in mm: `80` (default) or `58`.
    #[param(value_type = Option<WidthName>)]
    width: Option<String>,
    /// QR code: `native` (default) or `raster`.
    #[param(value_type = Option<QrName>)]
    qr: Option<String>,
    /// Code page: `pc850` (default) or `wpc1252`.
    #[param(value_type = Option<CodePageName>)]
    code_page: Option<String>,
    /// The ticket's language (`es`, `en`…, one of the office's); by default the one
    /// `Accept-Language` prefers among them.
    #[param(value_type = Option<crate::http::schemas::LanguageCode>)]
    lang: Option<String>,
}

/// The paper widths `width` takes (schema only: the query keeps the raw string so that
/// another value gets the API's own 422).
#[derive(ToSchema)]
#[allow(dead_code)]
pub enum WidthName {
    /// 80 mm.
    #[schema(rename = "80")]
    Mm80,
    /// 58 mm.
    #[schema(rename = "58")]
    Mm58,
}

/// The QR modes `qr` takes (schema only).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum QrName {
    /// The printer draws it.
    Native,
    /// Sent as a picture.
    Raster,
}

/// The code pages `code_page` takes (schema only).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum CodePageName {
    /// PC850.
    Pc850,
    /// Windows-1252.
    Wpc1252,
}

impl EscposQuery {
    fn options(&self) -> Result<PrintOptions, ApiError> {
        let width = match self.width.as_deref() {
            None | Some("80") => PaperWidth::Mm80,
            Some("58") => PaperWidth::Mm58,
            Some(_) => return Err(ApiError::InvalidWidth),
        };
        let qr = match self.qr.as_deref() {
            None | Some("native") => QrMode::Native,
            Some("raster") => QrMode::Raster,
            Some(_) => return Err(ApiError::InvalidQr),
        };
        let code_page = match self.code_page.as_deref() {
            None | Some("pc850") => CodePage::Pc850,
            Some("wpc1252") => CodePage::Wpc1252,
            Some(_) => return Err(ApiError::InvalidCodePage),
        };
        Ok(PrintOptions {
            width,
            code_page,
            qr,
        })
    }
}

/// `GET /api/v1/tickets/{token}/escpos?width=80|58&qr=native|raster&code_page=pc850|wpc1252`
/// → the ticket as ESC/POS bytes.
#[utoipa::path(get, path = "/api/v1/tickets/{token}/escpos", tag = "printing",
    params(("token" = String, Path, description = "The ticket's token."), EscposQuery),
    responses(
        (status = 200, description = "ESC/POS bytes.", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "`ticket_not_found`.", body = ErrorBody),
        (status = 422, description = "`invalid_width`, `invalid_qr`, `invalid_code_page` or `language_not_offered`.", body = ErrorBody),
    ))]
pub async fn escpos(
    state: web::Data<AppState>,
    query: web::Query<EscposQuery>,
    turn: TicketPath,
    link: LinkBase,
) -> Result<HttpResponse, ApiError> {
    let options = query.options()?;
    let TicketPath { office: o, view } = turn;
    let (header, footer) = state.printing.lines(&o.spec.id);
    let to = views::Audience::new(
        &link.0,
        super::language::of_ticket(&o.spec, &view.ticket, query.lang.as_deref())?,
    );
    let bytes = ticket::escpos(&o.spec, &view, header, footer, false, &options, &to);
    let code = o.spec.code(view.ticket.code_service, view.ticket.number);
    Ok(HttpResponse::Ok()
        .content_type("application/octet-stream")
        .insert_header((
            "content-disposition",
            format!("attachment; filename=\"turno-{code}.escpos\""),
        ))
        .insert_header(("cache-control", "no-store"))
        .body(bytes))
}

/// `GET /api/v1/tickets/{token}/print` → the ticket's latest print job (`print` object),
/// for a kiosk that was answered `queued`.
#[utoipa::path(get, path = "/api/v1/tickets/{token}/print", tag = "printing",
    params(("token" = String, Path, description = "The ticket's token.")),
    responses(
        (status = 200, description = "The latest print job.", body = crate::printing::jobs::PrintState),
        (status = 404, description = "`ticket_not_found` or `print_not_found` (never sent to a printer).", body = ErrorBody),
    ))]
pub async fn print_status(
    state: web::Data<AppState>,
    turn: TicketPath,
) -> Result<HttpResponse, ApiError> {
    let token = turn.view.ticket.token;
    let print = state
        .printing
        .latest(&turn.office.spec.id, &token.to_string())
        .await
        .map_err(|_| ApiError::StoreUnavailable)?
        .ok_or(ApiError::PrintNotFound)?;
    Ok(HttpResponse::Ok().json(print))
}

/// `GET /api/v1/offices/{office}/printers` (supervisors) → each kiosk printer's state.
#[utoipa::path(get, path = "/api/v1/offices/{office}/printers", tag = "printing",
    params(("office" = String, Path, description = "Office id.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Each kiosk printer.", body = Vec<crate::printing::PrinterJson>),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: agents may not.", body = ErrorBody),
        (status = 404, description = "`office_not_found`.", body = ErrorBody),
    ))]
pub async fn printers(
    state: web::Data<AppState>,
    session: Session,
    o: OfficePath,
) -> Result<HttpResponse, ApiError> {
    session.must_supervise()?;
    Ok(HttpResponse::Ok().json(state.printing.printers(&o.spec.id).await))
}

/// Body of `POST /tickets/{token}/reprint` (optional).
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReprintBody {
    /// The kiosk to print on (default: where it printed last, or the only one).
    kiosk: Option<String>,
}

/// A Ticket with its `print` object.
#[derive(Serialize, ToSchema)]
pub struct PrintedTicket {
    /// The turn.
    #[serde(flatten)]
    ticket: views::TicketJson,
    /// The print job when the ticket prints on a kiosk; null otherwise.
    print: Option<crate::printing::jobs::PrintState>,
}

/// A ticket and, when a kiosk was given, the outcome of printing it there (waiting a
/// moment for it). Used by `issue` and `reprint`.
pub async fn with_print(
    state: &AppState,
    spec: &OfficeSpec,
    view: &TicketView,
    kiosk: Option<&str>,
    reprint: bool,
    to: &views::Audience<'_>,
) -> PrintedTicket {
    let print = match kiosk {
        Some(kiosk) => Some(
            state
                .printing
                .print_and_wait(spec, view, kiosk, reprint, to)
                .await,
        ),
        None => None,
    };
    PrintedTicket {
        ticket: views::ticket(spec, view, to),
        print,
    }
}

/// `POST /api/v1/tickets/{token}/reprint` (supervisors) with `{"kiosk": "k1"}` optional:
/// prints a copy on that kiosk, by default the one that printed it last.
#[utoipa::path(post, path = "/api/v1/tickets/{token}/reprint", tag = "printing",
    params(("token" = String, Path, description = "The ticket's token.")),
    request_body(content = Option<ReprintBody>, content_type = "application/json",
        description = "Optional; an empty body means the default kiosk."),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The ticket with the reprint's `print` object.", body = PrintedTicket),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: agents may not.", body = ErrorBody),
        (status = 404, description = "`ticket_not_found` or `kiosk_not_found`.", body = ErrorBody),
        (status = 409, description = "`ticket_closed`: the turn ended.", body = ErrorBody),
        (status = 422, description = "`kiosk_required`: the turn was printed nowhere and the office has several kiosks.", body = ErrorBody),
    ))]
pub async fn reprint(
    state: web::Data<AppState>,
    session: Session,
    turn: TicketPath,
    link: LinkBase,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    session.must_supervise()?;
    let body: ReprintBody = super::extract::optional_body(&body)?;
    let TicketPath { office: o, view } = turn;
    if view.ticket.status.is_final() {
        return Err(ApiError::ReprintClosed);
    }
    let kiosk = match body.kiosk {
        Some(k) => {
            if state.printing.kiosk(&o.spec.id, &k).is_none() {
                return Err(ApiError::KioskNotFound);
            }
            k
        }
        None => match state
            .printing
            .latest(&o.spec.id, &view.ticket.token.to_string())
            .await
            .ok()
            .flatten()
        {
            Some(job) if state.printing.kiosk(&o.spec.id, &job.kiosk).is_some() => job.kiosk,
            _ => match state.printing.kiosks(&o.spec.id) {
                [only] => only.spec.id.clone(),
                _ => return Err(ApiError::ReprintKioskRequired),
            },
        },
    };
    tracing::info!(office = %o.spec.id, %kiosk, by = %session.0.username, "ticket reprint");
    // A copy speaks the language the citizen chose when taking it.
    let language = view
        .ticket
        .language
        .unwrap_or_else(|| o.spec.own_language());
    let to = views::Audience::new(&link.0, language);
    let printed = with_print(&state, &o.spec, &view, Some(&kiosk), true, &to).await;
    let code = o.spec.code(view.ticket.code_service, view.ticket.number);
    let entry = super::audit::entry(
        &session,
        crate::domain::AuditAction::Reprint,
        format!("{code} en {kiosk}"),
    );
    super::audit::record(&o, entry).await;
    Ok(HttpResponse::Ok().json(printed))
}

/// `GET /api/v1/offices/{office}/kiosks/{kiosk}/agent` (WebSocket, `Authorization:
/// Bearer <device token>`): the print agent's connection.
#[utoipa::path(get, path = "/api/v1/offices/{office}/kiosks/{kiosk}/agent", tag = "printing",
    params(("office" = String, Path, description = "Office id."),
        ("kiosk" = String, Path, description = "Kiosk id.")),
    security(("bearer" = [])),
    responses(
        (status = 101, description = "WebSocket of the print agent protocol."),
        (status = 400, description = "`websocket_required`: not a WebSocket handshake.", body = ErrorBody),
        (status = 401, description = "`unauthenticated` or `agent_token_invalid`.", body = ErrorBody),
        (status = 404, description = "`office_not_found` or `kiosk_not_found`.", body = ErrorBody),
        (status = 409, description = "`kiosk_not_agent`: the server prints for this kiosk itself.", body = ErrorBody),
        (status = 429, description = "`too_many_attempts`.", body = ErrorBody,
            headers(("Retry-After" = u32, description = "Seconds to wait."))),
    ))]
pub async fn agent(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Payload,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (office, kiosk_id) = path.into_inner();
    super::extract::office(&state, &office)?;
    let kiosk = state
        .printing
        .kiosk(&office, &kiosk_id)
        .ok_or(ApiError::KioskNotFound)?
        .clone();
    let Some(link) = kiosk.agent().cloned() else {
        return Err(ApiError::KioskNotAgent);
    };
    let token = super::auth::bearer(&req).ok_or(ApiError::AgentTokenMissing)?;
    let address = super::client::address(&req, &state.config.server.trusted_proxies);
    if let Some(wait) = state.sessions.device_throttled(address) {
        return Err(ApiError::TooManyAttempts(super::error::seconds(wait)));
    }
    let check = kiosk.clone();
    let valid = state
        .sessions
        .hashing
        .run(move || check.verify_agent_token(&token))
        .await
        .map_err(|_| ApiError::SignInBusy)?;
    if !valid {
        let recorder = state.clone();
        let _ = web::block(move || recorder.sessions.record_device_failure(address)).await;
        tracing::warn!(%office, kiosk = %kiosk_id, %address, "print agent refused: wrong device token");
        return Err(ApiError::AgentTokenInvalid);
    }
    let (response, session, stream) =
        actix_ws::handle(&req, body).map_err(|_| ApiError::WebSocketRequired)?;
    let shutdown = state.shutdown.clone();
    actix_web::rt::spawn(serve_agent(
        office, kiosk_id, link, session, stream, shutdown,
    ));
    Ok(response)
}

async fn serve_agent(
    office: String,
    kiosk: String,
    link: Arc<crate::printing::agent::AgentLink>,
    mut session: actix_ws::Session,
    mut stream: actix_ws::MessageStream,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    tracing::info!(%office, %kiosk, "print agent connected");
    let welcome = ServerMessage::Welcome {
        office: office.clone(),
        kiosk: kiosk.clone(),
    };
    let (conn, mut jobs) = link.connect();
    let mut ping = tokio::time::interval(PING_EVERY);
    let mut last_heard = Instant::now();
    let mut reason = None;
    let first = match serde_json::to_string(&welcome) {
        Ok(text) => session.text(text).await,
        Err(_) => Ok(()),
    };
    if first.is_ok() {
        loop {
            let sent = tokio::select! {
                job = jobs.recv() => match job {
                    Some(text) => session.text(text).await,
                    // A newer connection of the same kiosk took over.
                    None => {
                        reason = Some(CloseReason { code: CloseCode::Policy, description: Some("otra conexión del mismo kiosco".into()) });
                        break;
                    }
                },
                message = stream.recv() => match message {
                    Some(Ok(Message::Text(text))) => {
                        last_heard = Instant::now();
                        match serde_json::from_str::<AgentMessage>(&text) {
                            Ok(m) => link.on_message(m),
                            Err(e) => tracing::warn!(%office, %kiosk, error = %e, "agent message not understood; ignored"),
                        }
                        Ok(())
                    }
                    Some(Ok(Message::Ping(bytes))) => { last_heard = Instant::now(); link.heard(); session.pong(&bytes).await }
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => { last_heard = Instant::now(); link.heard(); Ok(()) }
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
    link.disconnect(conn);
    let _ = session.close(reason).await;
    tracing::info!(%office, %kiosk, "print agent disconnected");
}
