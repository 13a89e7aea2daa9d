//! Routes for citizens and kiosks (no sign-in): offices, following a turn, giving it up,
//! its QR code, the office's queue. Taking a turn is `issuing`.

use super::error::ApiError;
use super::extract::{OfficePath, TicketPath, TokenPath};
use super::language::current_for;
use super::links::LinkBase;
use super::schemas::ErrorBody;
use super::AppState;
use crate::domain::{Command, Language};
use crate::engine::OfficeHandle;
use crate::views;
use actix_web::{web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

/// An office in the list: `GET /api/v1/offices`.
#[derive(Serialize, ToSchema)]
pub struct OfficeSummary {
    /// Office id (slug).
    id: String,
    /// Office name.
    name: String,
    /// IANA time zone.
    timezone: String,
    /// Whether it issues turns now.
    open_now: bool,
    /// When it opens next (RFC 3339), while closed; null while open or never.
    next_opening: Option<String>,
}

/// One service of an office.
#[derive(Serialize, ToSchema)]
pub struct ServiceInfo {
    /// Service id.
    id: String,
    /// Service name.
    name: String,
    /// Letter of its codes.
    prefix: String,
    /// Turns waiting.
    waiting: u32,
    /// Preferential turns waiting.
    waiting_preferential: u32,
    /// Turns a turn taken now would have ahead: its own service's and those of the
    /// services sharing its counters (what its ticket will say).
    people_ahead: u32,
    /// Estimated wait of a turn taken now (what its ticket will say).
    estimated_wait_seconds: u32,
    /// The wait the office aims at.
    target_wait_seconds: u32,
    /// The kiosk's pictogram for it (null: its letter alone).
    pictogram: Option<String>,
}

/// One category of citizens.
#[derive(Serialize, ToSchema)]
pub struct CategoryInfo {
    /// Category id.
    id: String,
    /// What people read.
    label: String,
    /// Whether its turns go first.
    preferential: bool,
}

/// Who may take a turn at the office.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketingMode {
    /// Paired kiosks and staff only.
    Kiosks,
    /// Anyone, within a per-address limit.
    Open,
}

/// `GET /api/v1/offices/{office}`.
#[derive(Serialize, ToSchema)]
pub struct Office {
    /// What the list says of it.
    #[serde(flatten)]
    summary: OfficeSummary,
    /// Its services with their queues.
    services: Vec<ServiceInfo>,
    /// Its categories.
    categories: Vec<CategoryInfo>,
    /// The announcement line its lobby screens show (null: none).
    display_notice: Option<String>,
    /// Who may take a turn.
    ticketing: TicketingMode,
    /// Who may take a turn from their own phone at `/join/{office}`: `off`, `lobby`
    /// (with the code the lobby displays show) or `anywhere` (with a phone number).
    #[schema(example = "lobby")]
    join: &'static str,
    /// The languages it offers, its own first (what a kiosk's switch offers).
    #[schema(value_type = Vec<crate::http::schemas::LanguageCode>, example = json!(["es", "en"]))]
    languages: Vec<Language>,
    /// The language of the names in this answer: the one `Accept-Language` prefers among
    /// `languages`.
    #[schema(value_type = crate::http::schemas::LanguageCode, example = "es")]
    language: Language,
    /// How it can tell citizens (what the kiosk and the phone page offer).
    notifications: NotifyOptions,
    /// The VAPID public key (base64url) the browser subscribes to Web Push with
    /// (`applicationServerKey`); null where the office has no Web Push.
    #[schema(
        example = "BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U"
    )]
    web_push_key: Option<String>,
}

/// How the office can tell citizens of their turn.
#[derive(Serialize, ToSchema)]
pub struct NotifyOptions {
    /// A phone number may be left for SMS (the office has a gateway).
    sms: bool,
    /// The browser may subscribe to Web Push (the office has a VAPID key).
    web_push: bool,
}

/// `GET /api/v1/offices/{office}/queue`.
#[derive(Serialize, ToSchema)]
pub struct Queue {
    /// The latest calls (at most 10), latest first.
    calls: Vec<views::CallJson>,
    /// Every counter.
    counters: Vec<views::CounterJson>,
    /// Turns waiting per service.
    waiting: Vec<views::WaitingJson>,
}

fn office_summary(state: &AppState, o: &OfficeHandle) -> OfficeSummary {
    let spec = &o.spec;
    let now = state.engine.now();
    let open_now = spec.hours.is_open(spec.timezone, now);
    OfficeSummary {
        id: spec.id.clone(),
        name: spec.name.clone(),
        timezone: spec.timezone.name().to_owned(),
        open_now,
        next_opening: (!open_now)
            .then(|| {
                spec.hours
                    .next_opening(spec.timezone, now)
                    .map(|t| t.to_rfc3339())
            })
            .flatten(),
    }
}

/// `GET /api/v1/offices`.
#[utoipa::path(get, path = "/api/v1/offices", tag = "citizens",
    responses((status = 200, description = "Every office.", body = Vec<OfficeSummary>)))]
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
#[utoipa::path(get, path = "/api/v1/offices/{office}", tag = "citizens",
    params(("office" = String, Path, description = "Office id (slug), e.g. `central`.")),
    responses(
        (status = 200, description = "The office, its services and categories.", body = Office),
        (status = 404, description = "`office_not_found`.", body = ErrorBody),
    ))]
pub async fn get_office(
    state: web::Data<AppState>,
    o: OfficePath,
) -> Result<HttpResponse, ApiError> {
    let summary = office_summary(&state, &o);
    let language = current_for(&o.spec);
    let (services, categories) = o.read(|s| {
        let services: Vec<_> = s
            .spec
            .services
            .iter()
            .enumerate()
            .map(|(i, svc)| {
                let (waiting, waiting_preferential) = s.waiting(i as u16);
                let (people_ahead, wait) = s.outlook_for_new_turn(i as u16);
                ServiceInfo {
                    id: svc.id.clone(),
                    name: svc.name_in(language).to_owned(),
                    prefix: svc.prefix.to_string(),
                    waiting,
                    waiting_preferential,
                    people_ahead,
                    estimated_wait_seconds: wait,
                    target_wait_seconds: svc.target_wait_seconds,
                    pictogram: svc.pictogram.clone(),
                }
            })
            .collect();
        let categories: Vec<_> = s
            .spec
            .categories
            .iter()
            .map(|c| CategoryInfo {
                id: c.id.clone(),
                label: c.label_in(language).to_owned(),
                preferential: c.preferential,
            })
            .collect();
        (services, categories)
    });
    let ticketing = match state.config.issuing(&o.spec.id).mode {
        crate::config::Ticketing::Kiosks => TicketingMode::Kiosks,
        crate::config::Ticketing::Open => TicketingMode::Open,
    };
    Ok(HttpResponse::Ok().json(Office {
        summary,
        services,
        categories,
        display_notice: o.spec.display_notice.clone(),
        ticketing,
        join: state.config.issuing(&o.spec.id).join.as_str(),
        languages: o.spec.languages.clone(),
        language,
        notifications: {
            let n = state.config.notifications(&o.spec.id);
            NotifyOptions {
                sms: n.sms(),
                web_push: n.web_push(),
            }
        },
        web_push_key: state
            .notifier
            .office(&o.spec.id)
            .and_then(|n| n.web_push_key())
            .map(str::to_owned),
    }))
}

/// `GET /api/v1/tickets/{token}` → Ticket, live.
#[utoipa::path(get, path = "/api/v1/tickets/{token}", tag = "citizens",
    params(("token" = String, Path, description = "The ticket's token.")),
    responses(
        (status = 200, description = "The turn as it stands.", body = views::TicketJson),
        (status = 404, description = "`ticket_not_found`: malformed or unknown token.", body = ErrorBody),
    ))]
pub async fn get_ticket(turn: TicketPath, link: LinkBase) -> HttpResponse {
    let to = views::Audience::new(&link.0, current_for(&turn.office.spec));
    HttpResponse::Ok().json(views::ticket(&turn.office.spec, &turn.view, &to))
}

/// `POST /api/v1/tickets/{token}/cancel`: the citizen gives up a waiting turn.
#[utoipa::path(post, path = "/api/v1/tickets/{token}/cancel", tag = "citizens",
    params(("token" = String, Path, description = "The ticket's token.")),
    responses(
        (status = 200, description = "The turn, cancelled.", body = views::TicketJson),
        (status = 404, description = "`ticket_not_found`.", body = ErrorBody),
        (status = 409, description = "`turn_not_waiting`: the turn was called or ended.", body = ErrorBody),
    ))]
pub async fn cancel_ticket(
    state: web::Data<AppState>,
    TokenPath(token): TokenPath,
    link: LinkBase,
) -> Result<HttpResponse, ApiError> {
    citizen_acts(&state, Command::Cancel { token }, token, &link).await
}

/// `POST /api/v1/tickets/{token}/snooze`: "voy en camino" — the citizen, called but not
/// at the window yet, asks for a few minutes (once): the turn waits again and is called
/// after the office's `snooze_turns` other turns (sooner when fewer wait).
#[utoipa::path(post, path = "/api/v1/tickets/{token}/snooze", tag = "citizens",
    params(("token" = String, Path, description = "The ticket's token.")),
    responses(
        (status = 200, description = "The turn, waiting again (`snoozed`: true; `position`: the turns to go).", body = views::TicketJson),
        (status = 404, description = "`ticket_not_found`.", body = ErrorBody),
        (status = 409, description = "`turn_not_called` (not called, or ended), `already_serving`, `already_snoozed` (once per turn) or `snooze_off` (the office does not offer it).", body = ErrorBody),
    ))]
pub async fn snooze_ticket(
    state: web::Data<AppState>,
    TokenPath(token): TokenPath,
    link: LinkBase,
) -> Result<HttpResponse, ApiError> {
    citizen_acts(&state, Command::Snooze { token }, token, &link).await
}

/// Runs a citizen's command on the turn of `token` and answers with the turn as it ends.
async fn citizen_acts(
    state: &AppState,
    command: Command,
    token: crate::domain::Token,
    link: &LinkBase,
) -> Result<HttpResponse, ApiError> {
    let o = state
        .engine
        .offices()
        .iter()
        .find(|o| o.read(|s| s.ticket_by_token(&token).is_some()))
        .ok_or(ApiError::BadToken)?;
    let outcome = o
        .execute(command)
        .await
        .map_err(|e| ApiError::from_engine(e, super::extract::local_now(o)))?;
    let view = outcome.ticket.ok_or(ApiError::StoreUnavailable)?;
    let to = views::Audience::new(&link.0, current_for(&o.spec));
    Ok(HttpResponse::Ok().json(views::ticket(&o.spec, &view, &to)))
}

/// `GET /api/v1/offices/{office}/queue`.
#[utoipa::path(get, path = "/api/v1/offices/{office}/queue", tag = "citizens",
    params(("office" = String, Path, description = "Office id.")),
    responses(
        (status = 200, description = "Latest calls, counters and waiting turns.", body = Queue),
        (status = 404, description = "`office_not_found`.", body = ErrorBody),
    ))]
pub async fn queue(state: web::Data<AppState>, o: OfficePath, link: LinkBase) -> HttpResponse {
    let now = state.engine.now();
    let body = o.read(|s| {
        let calls: Vec<_> = s.recent_calls.iter().map(|r| views::call(s, r)).collect();
        let counters: Vec<_> = (0..s.spec.counters.len())
            .map(|c| views::counter(s, c as u16, now, &link.0))
            .collect();
        Queue {
            calls,
            counters,
            waiting: views::waiting(s),
        }
    });
    HttpResponse::Ok().json(body)
}

/// Query of `GET /tickets/{token}/qr.svg`.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QrQuery {
    /// The language of the page the QR opens (one of the office's); by default the one
    /// `Accept-Language` prefers among them.
    #[param(value_type = Option<crate::http::schemas::LanguageCode>)]
    lang: Option<String>,
}

/// `GET /api/v1/tickets/{token}/qr.svg`: the QR code of the ticket's `status_url`, for
/// screens (the kiosk shows it while the ticket prints).
#[utoipa::path(get, path = "/api/v1/tickets/{token}/qr.svg", tag = "citizens",
    params(("token" = String, Path, description = "The ticket's token."), QrQuery),
    responses(
        (status = 200, description = "An SVG picture.", content_type = "image/svg+xml", body = String),
        (status = 404, description = "`ticket_not_found`.", body = ErrorBody),
        (status = 422, description = "`language_not_offered`.", body = ErrorBody),
    ))]
pub async fn ticket_qr(
    turn: TicketPath,
    link: LinkBase,
    query: web::Query<QrQuery>,
) -> Result<HttpResponse, ApiError> {
    let language =
        super::language::of_ticket(&turn.office.spec, &turn.view.ticket, query.lang.as_deref())?;
    let to = views::Audience::new(&link.0, language);
    let url = views::ticket(&turn.office.spec, &turn.view, &to).status_url;
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
