//! A citizen asks to be told: `POST /api/v1/tickets/{token}/notify` with a phone number
//! (the office's SMS gateway) or a browser's Web Push subscription, `DELETE` to take it
//! back; and supervisors see how the office's gateway is doing
//! (`GET /api/v1/offices/{office}/notifications`). The contact goes to the notifier's
//! store, never to the event log.

use super::auth::Session;
use super::error::ApiError;
use super::extract::{OfficePath, TicketPath};
use super::schemas::ErrorBody;
use super::AppState;
use crate::domain::TicketStatus;
use crate::notify::contacts::{parse_phone, Contact, WebPushSubscription};
use crate::notify::status::NotificationsStatus;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;

/// A field that may be absent (leave as it is), `null` (forget) or a value (keep).
fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Body of `POST /tickets/{token}/notify`: at least one of the two.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotifyBody {
    /// A phone number in international form (`+573001234567`) for SMS; `null` forgets
    /// the one left before.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, example = "+573001234567")]
    phone: Option<Option<String>>,
    /// The browser's `PushSubscription` (`{endpoint, keys: {p256dh, auth}}`); `null`
    /// forgets it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<WebPushSubscription>)]
    web_push: Option<Option<WebPushSubscription>>,
}

/// A phone number as given, in its E.164 form, checked against the office's gateway:
/// `None` when none was given. 422 for a number not in E.164 form, 409 where the office
/// sends no SMS — unless the number is also what a turn from anywhere brings
/// (`for_join`), which needs no gateway.
pub(super) fn checked_phone(
    state: &AppState,
    office: &str,
    given: Option<&str>,
    for_join: bool,
) -> Result<Option<String>, ApiError> {
    let Some(given) = given else { return Ok(None) };
    let phone = parse_phone(given).ok_or(ApiError::InvalidPhone)?;
    if !for_join && !state.config.notifications(office).sms() {
        return Err(ApiError::SmsUnavailable);
    }
    Ok(Some(phone))
}

/// The turn's office and day when it may still be told (live, today), else 409.
fn live_turn(turn: &TicketPath) -> Result<chrono::NaiveDate, ApiError> {
    let t = &turn.view.ticket;
    let today = turn.office.read(|s| {
        s.ticket_by_token(&t.token)
            .filter(|live| !live.status.is_final())
            .map(|_| s.day)
    });
    match today {
        Some(day) if t.status != TicketStatus::NoShow => Ok(day),
        _ => Err(ApiError::TurnEnded),
    }
}

/// Changes a turn's contact with `change` and keeps it (an empty contact is forgotten).
pub(super) async fn update_contact(
    state: &web::Data<AppState>,
    office: &str,
    day: chrono::NaiveDate,
    view: &crate::domain::TicketView,
    change: impl FnOnce(&mut Contact) + Send + 'static,
) -> Result<(), ApiError> {
    let notifier = state.notifier.clone();
    let office = office.to_owned();
    let t = view.ticket;
    let language = t.language;
    let own = state
        .engine
        .office(&office)
        .map_or(crate::domain::Language::Es, |o| o.spec.own_language());
    web::block(move || {
        let mut contact = notifier
            .contact(&office, day, t.seq)?
            .filter(|c| c.token == t.token)
            .unwrap_or(Contact {
                token: t.token,
                language: language.unwrap_or(own),
                phone: None,
                web_push: None,
            });
        change(&mut contact);
        notifier.save(&office, day, t.seq, &contact)
    })
    .await
    .map_err(|_| ApiError::Overloaded)?
    .map_err(|e| {
        tracing::error!(error = %e, "notifications: the contact could not be kept");
        ApiError::StoreUnavailable
    })
}

/// `POST /api/v1/tickets/{token}/notify` → 204: tell me by SMS and/or Web Push.
#[utoipa::path(post, path = "/api/v1/tickets/{token}/notify", tag = "citizens",
    params(("token" = String, Path, description = "The ticket's token.")),
    request_body(content = NotifyBody, content_type = "application/json"),
    responses(
        (status = 204, description = "Kept: the citizen gets one message when the turn is near, one when it is called (and on a recall), none after it ends."),
        (status = 404, description = "`ticket_not_found`.", body = ErrorBody),
        (status = 409, description = "`ticket_closed` (the turn ended), `sms_unavailable` (no gateway) or `web_push_unavailable` (no VAPID key).", body = ErrorBody),
        (status = 422, description = "`invalid_phone`, `invalid_subscription` or `notify_channel_required`.", body = ErrorBody),
    ))]
pub async fn post_notify(
    state: web::Data<AppState>,
    turn: TicketPath,
    body: super::extract::JsonBody<NotifyBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    if body.phone.is_none() && body.web_push.is_none() {
        return Err(ApiError::NotifyChannelRequired);
    }
    let office = turn.office.spec.id.clone();
    let phone = match &body.phone {
        Some(Some(given)) => Some(checked_phone(&state, &office, Some(given), false)?),
        Some(None) => Some(None),
        None => None,
    };
    if let Some(Some(sub)) = &body.web_push {
        // Checked as the sender will read it: an https endpoint on a named host (the
        // tests' loopback endpoint only with allow_insecure_push_endpoints), a P-256 key
        // and a 16-byte secret.
        let json = serde_json::to_value(sub).map_err(|_| ApiError::InvalidSubscription)?;
        crate::webpush::Subscription::from_json(
            &json,
            state.config.server.allow_insecure_push_endpoints,
        )
        .map_err(|_| ApiError::InvalidSubscription)?;
        if !state.config.notifications(&office).web_push() {
            return Err(ApiError::WebPushUnavailable);
        }
    }
    let day = live_turn(&turn)?;
    let web_push = body.web_push;
    update_contact(&state, &office, day, &turn.view, move |c| {
        if let Some(phone) = phone {
            c.phone = phone;
        }
        if let Some(web_push) = web_push {
            c.web_push = web_push;
        }
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `DELETE /api/v1/tickets/{token}/notify` → 204: forget how to reach me.
#[utoipa::path(delete, path = "/api/v1/tickets/{token}/notify", tag = "citizens",
    params(("token" = String, Path, description = "The ticket's token.")),
    responses(
        (status = 204, description = "Forgotten (also when nothing was kept, or the turn ended: its contact went with it)."),
        (status = 404, description = "`ticket_not_found`.", body = ErrorBody),
    ))]
pub async fn delete_notify(
    state: web::Data<AppState>,
    turn: TicketPath,
) -> Result<HttpResponse, ApiError> {
    let Ok(day) = live_turn(&turn) else {
        return Ok(HttpResponse::NoContent().finish());
    };
    let office = turn.office.spec.id.clone();
    update_contact(&state, &office, day, &turn.view, |c| {
        c.phone = None;
        c.web_push = None;
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /api/v1/offices/{office}/notifications` (supervisors): how the office's gateway
/// is doing.
#[utoipa::path(get, path = "/api/v1/offices/{office}/notifications", tag = "supervisors",
    params(("office" = String, Path, description = "Office id.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The gateway's state (`off`, `ok`, `failing`), its last error, and today's counts.", body = NotificationsStatus),
        (status = 401, description = "`unauthenticated` or `session_invalid`.", body = ErrorBody),
        (status = 403, description = "`forbidden`: supervisors and admins only.", body = ErrorBody),
        (status = 404, description = "`office_not_found`.", body = ErrorBody),
    ))]
pub async fn status(
    state: web::Data<AppState>,
    OfficePath(o): OfficePath,
    session: Session,
) -> Result<HttpResponse, ApiError> {
    session.must_supervise()?;
    let office = state
        .notifier
        .office(&o.spec.id)
        .ok_or(ApiError::OfficeNotFound)?;
    let today = o.read(|s| s.day);
    let spec = o.spec.clone();
    let status = office.health.status(office.spec.sms(), today, |at| {
        crate::views::local_time(&spec, at)
    });
    Ok(HttpResponse::Ok().json(status))
}

/// Keeps the phone a turn was issued with. The turn is committed already: a store that
/// fails now is logged, and the citizen may leave the number again on the phone page.
pub(super) async fn keep_phone(
    state: &web::Data<AppState>,
    office: &crate::engine::OfficeHandle,
    view: &crate::domain::TicketView,
    phone: String,
) {
    let day = office.read(|s| s.day);
    let kept = update_contact(state, &office.spec.id, day, view, move |c| {
        c.phone = Some(phone)
    })
    .await;
    if kept.is_err() {
        tracing::warn!(office = %office.spec.id, seq = view.ticket.seq,
            "the phone left with a new turn could not be kept; the turn stands");
    }
}
