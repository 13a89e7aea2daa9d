//! Taking a turn, and who may (API.md "Issuing turns"): a paired kiosk with its device
//! token, a member of staff with a session, and, where the office is `open`, anyone else
//! within a per-address limit. One anonymous script once took every number of the day in
//! a second; now it takes `open_limit` and is answered 429 until its window ends, while
//! kiosks and staff carry on unlimited.

use super::auth;
use super::error::{seconds, ApiError};
use super::extract::OfficePath;
use super::printing::PrintedTicket;
use super::schemas::ErrorBody;
use super::AppState;
use crate::config::{KioskSpec, Ticketing, User};
use crate::domain::{Command, Issuer};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use utoipa::ToSchema;

/// Who is asking for a turn.
enum Asker<'a> {
    /// A paired kiosk (its device token checked).
    Kiosk(&'a KioskSpec),
    /// A member of staff allowed on the office.
    Staff(User),
    /// Anyone else, by address (only where the office is open).
    Anonymous(IpAddr),
}

/// Works out who is asking: a bearer token must be a kiosk's device token or a staff
/// session of the office; without one, the office must be open to everyone.
///
/// A kiosk's token is matched first, with no throttle to read: it is 256 random bits, so
/// a match is never a guess, and a paired kiosk costs nothing more per turn. A token that
/// matches nothing counts against the address like a wrong password.
async fn asker<'a>(
    state: &'a web::Data<AppState>,
    req: &HttpRequest,
    office: &str,
) -> Result<Asker<'a>, ApiError> {
    let address = super::client::address(req, &state.config.server.trusted_proxies);
    let Some(token) = auth::bearer(req) else {
        return match state.config.issuing(office).mode {
            Ticketing::Open => Ok(Asker::Anonymous(address)),
            Ticketing::Kiosks => Err(ApiError::IssuingRestricted),
        };
    };
    if let Some(kiosk) = state.config.kiosk_by_token(office, &token) {
        return Ok(Asker::Kiosk(kiosk));
    }
    // A session token is `payload.mac`; a device token has no dot. A member of staff
    // whose session ended is told to sign in again, not that a kiosk key is wrong.
    if token.contains('.') {
        let session = auth::Session(auth::session_user(state, &token)?);
        session.may_operate(office)?;
        return Ok(Asker::Staff(session.0));
    }
    refuse_device_token(state, address, office).await
}

/// A device token that matched nothing: 429 while the address is throttled, else counted
/// and 403.
async fn refuse_device_token<T>(
    state: &web::Data<AppState>,
    address: IpAddr,
    office: &str,
) -> Result<T, ApiError> {
    let shared = state.clone();
    let throttled = web::block(move || {
        let wait = shared.sessions.device_throttled(address);
        if wait.is_none() {
            shared.sessions.record_device_failure(address);
        }
        wait
    })
    .await
    .map_err(|_| ApiError::Overloaded)?;
    if let Some(wait) = throttled {
        return Err(ApiError::TooManyAttempts(seconds(wait)));
    }
    tracing::warn!(%office, %address, "refused: wrong kiosk device token");
    Err(ApiError::DeviceTokenInvalid)
}

/// Counts an anonymous turn against the office's `open_limit`; refuses once the address
/// has taken its share in the window. Counted before the turn, so concurrent requests
/// cannot slip past the limit together. When the counters cannot be read (Redis away)
/// the turn goes ahead: a citizen is not refused for our trouble.
fn within_open_limit(state: &AppState, office: &str, address: IpAddr) -> Result<(), ApiError> {
    let limits = state.config.issuing(office);
    let key = format!("issue-from:{office}:{}", super::client::bucket(address));
    match state.counters.hit(&key, limits.open_window) {
        Ok(n) if n > limits.open_limit => {
            let left = state.counters.left(&key).unwrap_or(limits.open_window);
            tracing::info!(%office, %address, "anonymous turn refused: open limit reached");
            Err(ApiError::TooManyRequests(seconds(left)))
        }
        Ok(_) => Ok(()),
        Err(e) => {
            tracing::warn!(error = %e, "open issuing limit not readable; not limiting");
            Ok(())
        }
    }
}

/// Body of `POST /offices/{office}/tickets`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueBody {
    /// Service id.
    service: String,
    /// Category id (default `general`).
    category: Option<String>,
    /// The kiosk to print on: a paired kiosk may name only itself, staff any kiosk of the
    /// office, anonymous clients none.
    kiosk: Option<String>,
    /// The citizen's language (`es`, `en`…, one of the office's): the ticket's names, its
    /// printed words and the page its QR opens. By default the one `Accept-Language`
    /// prefers among them.
    #[schema(value_type = Option<crate::http::schemas::LanguageCode>)]
    language: Option<String>,
    /// A phone number (E.164, `+573001234567`) to be told by SMS when the turn is near
    /// and when it is called, where the office has a gateway; erased when the turn ends.
    #[schema(example = "+573001234567")]
    phone: Option<String>,
}

/// `GET /offices/{office}/kiosks/me`: the kiosk a device token pairs.
#[derive(Serialize, ToSchema)]
pub struct PairedKiosk {
    /// Kiosk id.
    id: String,
    /// Kiosk name.
    name: String,
    /// Whether it has a printer.
    prints: bool,
}

/// `POST /api/v1/offices/{office}/tickets` → 201 Ticket, with a `print` object when it
/// prints on a kiosk (`printed`, `queued` or `failed` with a reason; `null` otherwise).
/// A paired kiosk prints on its own printer; staff may name any kiosk of the office;
/// an anonymous request may name none.
#[utoipa::path(post, path = "/api/v1/offices/{office}/tickets", tag = "citizens",
    params(("office" = String, Path, description = "Office id (slug), e.g. `central`.")),
    request_body(content = IssueBody, content_type = "application/json"),
    security((), ("bearer" = [])),
    responses(
        (status = 201, description = "The new ticket, with `print` when it prints on a kiosk.",
            body = PrintedTicket),
        (status = 401, description = "`issuing_restricted` (the office issues only at kiosks and by staff) or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`device_token_invalid`, `kiosk_not_paired`, `kiosk_mismatch` or `forbidden` (an agent of another office).", body = ErrorBody),
        (status = 404, description = "`office_not_found`, `service_not_found` or `kiosk_not_found`.", body = ErrorBody),
        (status = 409, description = "`office_closed` (with the next opening), `number_range_exhausted` or `sms_unavailable` (a phone where the office sends no SMS).", body = ErrorBody),
        (status = 422, description = "`category_not_found`, `language_not_offered` or `invalid_phone`.", body = ErrorBody),
        (status = 429, description = "`too_many_requests` (an anonymous client over `open_limit`) or `too_many_attempts` (wrong device tokens).", body = ErrorBody,
            headers(("Retry-After" = u32, description = "Seconds until a turn may be taken again."))),
    ))]
pub async fn issue(
    state: web::Data<AppState>,
    req: HttpRequest,
    o: OfficePath,
    link: super::links::LinkBase,
    body: super::extract::JsonBody<IssueBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let office = &o.spec.id;
    let language = super::language::chosen(&o.spec, body.language.as_deref())?;
    let phone = super::notify::checked_phone(&state, office, body.phone.as_deref())?;
    let (issuer, print_on) = match asker(&state, &req, office).await? {
        Asker::Kiosk(kiosk) => {
            if body.kiosk.as_deref().is_some_and(|k| k != kiosk.id) {
                return Err(ApiError::KioskMismatch);
            }
            (Issuer::Kiosk(kiosk.id.clone()), Some(kiosk.id.clone()))
        }
        Asker::Staff(user) => {
            if let Some(k) = &body.kiosk {
                if !state.config.kiosks(office).iter().any(|s| &s.id == k) {
                    return Err(ApiError::KioskNotFound);
                }
            }
            (Issuer::Staff(user.username), body.kiosk.clone())
        }
        Asker::Anonymous(address) => {
            if body.kiosk.is_some() {
                return Err(ApiError::KioskNotPaired);
            }
            let shared = state.clone();
            let id = office.clone();
            web::block(move || within_open_limit(&shared, &id, address))
                .await
                .map_err(|_| ApiError::Overloaded)??;
            (Issuer::Address(super::client::bucket(address)), None)
        }
    };
    // A screen-only kiosk shows the ticket; there is nothing to print on.
    let print_on = print_on.filter(|k| state.printing.kiosk(office, k).is_some());
    let command = Command::Issue {
        service: body.service,
        category: body.category,
        issuer: Some(issuer),
        entropy: rand::random(),
        language: Some(language),
    };
    let outcome = o
        .execute(command)
        .await
        .map_err(|e| ApiError::from_engine(e, o.local_now()))?;
    let view = outcome.ticket.ok_or(ApiError::StoreUnavailable)?;
    // The turn is committed: from here on nothing can fail it, the printer least of all.
    if let Some(phone) = phone {
        super::notify::keep_phone(&state, &o, &view, phone).await;
    }
    let to = crate::views::Audience::new(&link.0, language);
    let printed =
        super::printing::with_print(&state, &o.spec, &view, print_on.as_deref(), false, &to).await;
    Ok(HttpResponse::Created().json(printed))
}

/// `GET /api/v1/offices/{office}/kiosks/me` (`Authorization: Bearer <device token>`):
/// which kiosk the token pairs, for the kiosk page to check a token before keeping it →
/// `{"id", "name", "prints"}`; 401 without a token, 403 for a wrong one.
#[utoipa::path(get, path = "/api/v1/offices/{office}/kiosks/me", tag = "citizens",
    params(("office" = String, Path, description = "Office id.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The paired kiosk.", body = PairedKiosk),
        (status = 401, description = "`unauthenticated`: no token.", body = ErrorBody),
        (status = 403, description = "`device_token_invalid`.", body = ErrorBody),
        (status = 404, description = "`office_not_found`.", body = ErrorBody),
        (status = 429, description = "`too_many_attempts`.", body = ErrorBody,
            headers(("Retry-After" = u32, description = "Seconds to wait."))),
    ))]
pub async fn paired_kiosk(
    state: web::Data<AppState>,
    req: HttpRequest,
    o: OfficePath,
) -> Result<HttpResponse, ApiError> {
    let token = auth::bearer(&req).ok_or(ApiError::Unauthenticated)?;
    let Some(kiosk) = state.config.kiosk_by_token(&o.spec.id, &token) else {
        let address = super::client::address(&req, &state.config.server.trusted_proxies);
        return refuse_device_token(&state, address, &o.spec.id).await;
    };
    Ok(HttpResponse::Ok().json(PairedKiosk {
        id: kiosk.id.clone(),
        name: kiosk.name.clone(),
        prints: kiosk.printer.is_some(),
    }))
}
