//! The error policy of the API, in one place: every refusal the HTTP layer answers is a
//! variant of [`ApiError`], which knows its status, its stable code and the Spanish
//! sentence a person can act on.
//!
//! Every error is `{"error": {"code", "message"}}` with the status API.md gives: bad input
//! is 4xx and changes nothing; trouble on our side (the store) is 503 with a message saying
//! nothing was done. Operators learn the details from the logs, never from the response.

use crate::domain::DomainError;
use crate::domain::Language;
use crate::engine::EngineError;
use crate::http::schemas::{ErrorBody, ErrorDetail};
use crate::http::screens::Full;
use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use std::borrow::Cow;
use std::fmt;

/// An error answered as API.md's JSON error.
#[derive(Debug, Clone)]
pub enum ApiError {
    /// 400: a JSON body serde refused (the detail is serde's, turned into Spanish).
    InvalidBody(String),
    /// 400: a body that is not JSON.
    NotJson,
    /// 400: query parameters that do not parse (actix's detail).
    InvalidQuery(String),
    /// 400 (`invalid_query`): an audit trail filter naming no action.
    UnknownAuditAction(String),
    /// 400: a report date that is not YYYY-MM-DD.
    InvalidDate,
    /// 400: a report format other than json or csv.
    InvalidFormat,
    /// 400: a WebSocket route reached over plain HTTP.
    WebSocketRequired,
    /// 401: no `Authorization: Bearer` where a session is needed.
    Unauthenticated,
    /// 401: a session token that is forged, expired or ended.
    SessionInvalid,
    /// 401: a wrong username or password (no hint of which).
    InvalidCredentials,
    /// 401: a print agent without its device token.
    AgentTokenMissing,
    /// 401: a print agent with a wrong device token.
    AgentTokenInvalid,
    /// 401: an anonymous turn where the office issues only at kiosks and by staff.
    IssuingRestricted,
    /// 403: a bearer token that is neither a kiosk's device token nor a session of the
    /// office.
    DeviceTokenInvalid,
    /// 403: an anonymous request naming a kiosk (only the paired kiosk may).
    KioskNotPaired,
    /// 403: a paired kiosk naming another kiosk.
    KioskMismatch,
    /// 403: an agent acting on another office.
    OtherOffice,
    /// 403: a role that may not do this.
    RoleForbidden,
    /// 404: no such route.
    NotFound,
    /// 404: no such office.
    OfficeNotFound,
    /// 404: a ticket token that is malformed.
    BadToken,
    /// 404: no such kiosk in the office.
    KioskNotFound,
    /// 404: a turn never sent to a printer.
    PrintNotFound,
    /// 404: a screen's service filter naming a service the office lacks.
    ServiceFilterNotFound,
    /// 404: no image of that name among the office's slides (`display_slides`).
    SlideNotFound,
    /// 405: a method the route does not take.
    MethodNotAllowed,
    /// 408: a request body that came too slowly.
    RequestTimeout,
    /// 409: a reprint of a turn that ended.
    ReprintClosed,
    /// 409: the agent socket of a kiosk the server prints for.
    KioskNotAgent,
    /// 409: a notification asked for a turn that has ended.
    TurnEnded,
    /// 409: a phone number where the office has no SMS gateway.
    SmsUnavailable,
    /// 409: a Web Push subscription where the office has no VAPID key.
    WebPushUnavailable,
    /// 413: a body over the limit.
    PayloadTooLarge,
    /// 422: a paper width other than 80 or 58.
    InvalidWidth,
    /// 422: a QR mode other than native or raster.
    InvalidQr,
    /// 422: a code page other than pc850 or wpc1252.
    InvalidCodePage,
    /// 422: a language the office does not offer (`language`, `lang=`).
    LanguageNotOffered,
    /// 422: a reprint that does not say where, for a turn printed nowhere yet.
    ReprintKioskRequired,
    /// 422: a report range that ends before it starts.
    DatesReversed,
    /// 422: a report range over the longest allowed.
    RangeTooLong,
    /// 422: a bulk cancel whose first number is above its last.
    NumbersReversed,
    /// 422: a bulk cancel that names no turns to cancel (no range, kiosk or address).
    BulkSelectionMissing,
    /// 422: a bulk cancel by an address that is not an IP address.
    InvalidAddress,
    /// 422: a phone number not in E.164 form.
    InvalidPhone,
    /// 422: a Web Push subscription of the wrong shape.
    InvalidSubscription,
    /// 422: a notify request with neither a phone nor a subscription.
    NotifyChannelRequired,
    /// 429: too many failed sign-ins or device tokens; retry after so many seconds.
    TooManyAttempts(u32),
    /// 429: an anonymous client over the office's `open_limit`; retry after so many
    /// seconds.
    TooManyRequests(u32),
    /// 429: a lobby screen over one of its caps.
    TooManyScreens(Full),
    /// 429: a turn with its own feeds open already (`ticket_live::PER_TURN`).
    TooManyFeeds,
    /// 404: an office that takes no turns from phones (`join = "off"`).
    JoinOff,
    /// 403: an anonymous turn in `join = "lobby"` without the lobby's current code.
    JoinCodeInvalid,
    /// 422: an anonymous turn in `join = "anywhere"` without a phone number.
    PhoneRequired,
    /// 429: a phone number that took its turns for the day (`join_daily_limit`); retry
    /// after so many seconds (the office's next local day).
    JoinDailyLimit(u32),
    /// 503: the store failed; nothing was done.
    StoreUnavailable,
    /// 503: too much work queued.
    Overloaded,
    /// 503: too many sign-ins being checked at once.
    SignInBusy,
    /// 503: the office's log holds events of a newer version.
    OfficeReadOnly,
    /// 503: the server is stopping.
    ShuttingDown,
    /// 503: a connection over `max_connections`.
    TooManyConnections,
    /// A command the domain refused, with the office's local time for the sentence.
    Domain(DomainError, chrono::DateTime<chrono_tz::Tz>),
}

impl ApiError {
    /// A body serde refused.
    pub fn invalid_body(detail: &str) -> Self {
        ApiError::InvalidBody(detail.to_owned())
    }

    /// A domain refusal that needs no local time in its sentence.
    pub fn domain(error: DomainError) -> Self {
        ApiError::Domain(error, chrono::Utc::now().with_timezone(&chrono_tz::UTC))
    }

    /// Maps an engine error; `now` is the office's local time for messages.
    pub fn from_engine(e: EngineError, now: chrono::DateTime<chrono_tz::Tz>) -> Self {
        match e {
            EngineError::Domain(d) => ApiError::Domain(d, now),
            EngineError::OfficeNotFound => ApiError::OfficeNotFound,
            EngineError::Store(detail) => {
                tracing::error!(%detail, "store unavailable");
                ApiError::StoreUnavailable
            }
            EngineError::ReadOnly { kind } => {
                tracing::warn!(%kind, "write refused: the office's log holds an event this version does not know");
                ApiError::OfficeReadOnly
            }
            EngineError::Overloaded => ApiError::Overloaded,
            EngineError::Stopped => ApiError::ShuttingDown,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        use ApiError as E;
        match self {
            E::InvalidBody(_)
            | E::NotJson
            | E::InvalidQuery(_)
            | E::UnknownAuditAction(_)
            | E::InvalidDate
            | E::InvalidFormat
            | E::WebSocketRequired => StatusCode::BAD_REQUEST,
            E::Unauthenticated
            | E::SessionInvalid
            | E::InvalidCredentials
            | E::AgentTokenMissing
            | E::AgentTokenInvalid
            | E::IssuingRestricted => StatusCode::UNAUTHORIZED,
            E::DeviceTokenInvalid
            | E::KioskNotPaired
            | E::KioskMismatch
            | E::OtherOffice
            | E::RoleForbidden => StatusCode::FORBIDDEN,
            E::NotFound
            | E::OfficeNotFound
            | E::BadToken
            | E::KioskNotFound
            | E::PrintNotFound
            | E::ServiceFilterNotFound
            | E::SlideNotFound => StatusCode::NOT_FOUND,
            E::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            E::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            E::ReprintClosed
            | E::KioskNotAgent
            | E::TurnEnded
            | E::SmsUnavailable
            | E::WebPushUnavailable => StatusCode::CONFLICT,
            E::JoinOff => StatusCode::NOT_FOUND,
            E::JoinCodeInvalid => StatusCode::FORBIDDEN,
            E::PhoneRequired => StatusCode::UNPROCESSABLE_ENTITY,
            E::JoinDailyLimit(_) => StatusCode::TOO_MANY_REQUESTS,
            E::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            E::InvalidWidth
            | E::InvalidQr
            | E::InvalidCodePage
            | E::LanguageNotOffered
            | E::ReprintKioskRequired
            | E::DatesReversed
            | E::RangeTooLong
            | E::NumbersReversed
            | E::BulkSelectionMissing
            | E::InvalidAddress
            | E::InvalidPhone
            | E::InvalidSubscription
            | E::NotifyChannelRequired => StatusCode::UNPROCESSABLE_ENTITY,
            E::TooManyAttempts(_)
            | E::TooManyRequests(_)
            | E::TooManyScreens(_)
            | E::TooManyFeeds => StatusCode::TOO_MANY_REQUESTS,
            E::StoreUnavailable
            | E::Overloaded
            | E::SignInBusy
            | E::OfficeReadOnly
            | E::ShuttingDown
            | E::TooManyConnections => StatusCode::SERVICE_UNAVAILABLE,
            E::Domain(d, _) => domain_status(d),
        }
    }

    /// The stable machine code of API.md.
    pub fn code(&self) -> &'static str {
        use ApiError as E;
        match self {
            E::InvalidBody(_) | E::NotJson => "invalid_body",
            E::InvalidQuery(_) | E::UnknownAuditAction(_) => "invalid_query",
            E::InvalidDate => "invalid_date",
            E::InvalidFormat => "invalid_format",
            E::WebSocketRequired => "websocket_required",
            E::Unauthenticated | E::AgentTokenMissing => "unauthenticated",
            E::SessionInvalid => "session_invalid",
            E::InvalidCredentials => "invalid_credentials",
            E::AgentTokenInvalid => "agent_token_invalid",
            E::IssuingRestricted => "issuing_restricted",
            E::DeviceTokenInvalid => "device_token_invalid",
            E::KioskNotPaired => "kiosk_not_paired",
            E::KioskMismatch => "kiosk_mismatch",
            E::OtherOffice | E::RoleForbidden => "forbidden",
            E::NotFound => "not_found",
            E::OfficeNotFound => "office_not_found",
            E::BadToken => "ticket_not_found",
            E::KioskNotFound => "kiosk_not_found",
            E::PrintNotFound => "print_not_found",
            E::ServiceFilterNotFound => "service_not_found",
            E::SlideNotFound => "slide_not_found",
            E::MethodNotAllowed => "method_not_allowed",
            E::RequestTimeout => "request_timeout",
            E::ReprintClosed => "ticket_closed",
            E::KioskNotAgent => "kiosk_not_agent",
            E::PayloadTooLarge => "payload_too_large",
            E::InvalidWidth => "invalid_width",
            E::InvalidQr => "invalid_qr",
            E::InvalidCodePage => "invalid_code_page",
            E::LanguageNotOffered => "language_not_offered",
            E::ReprintKioskRequired => "kiosk_required",
            E::DatesReversed | E::NumbersReversed => "invalid_range",
            E::RangeTooLong => "range_too_long",
            E::BulkSelectionMissing => "selection_required",
            E::InvalidAddress => "invalid_address",
            E::TurnEnded => "ticket_closed",
            E::SmsUnavailable => "sms_unavailable",
            E::WebPushUnavailable => "web_push_unavailable",
            E::InvalidPhone => "invalid_phone",
            E::InvalidSubscription => "invalid_subscription",
            E::NotifyChannelRequired => "notify_channel_required",
            E::TooManyAttempts(_) => "too_many_attempts",
            E::TooManyRequests(_) => "too_many_requests",
            E::TooManyScreens(_) => "too_many_screens",
            E::TooManyFeeds => "too_many_feeds",
            E::JoinOff => "join_off",
            E::JoinCodeInvalid => "join_code_invalid",
            E::PhoneRequired => "phone_required",
            E::JoinDailyLimit(_) => "join_daily_limit",
            E::StoreUnavailable => "store_unavailable",
            E::Overloaded | E::SignInBusy => "overloaded",
            E::OfficeReadOnly => "office_read_only",
            E::ShuttingDown => "shutting_down",
            E::TooManyConnections => "too_many_connections",
            E::Domain(d, _) => d.code(),
        }
    }

    /// The sentence a person can act on, in `language`.
    pub fn message(&self, language: Language) -> Cow<'static, str> {
        use ApiError as E;
        crate::in_language!(language, |m| Cow::Borrowed(match self {
            E::InvalidBody(detail) => return m::bad_json(detail).into(),
            E::InvalidQuery(detail) => return m::bad_query(detail).into(),
            E::UnknownAuditAction(name) => return m::unknown_audit_action(name).into(),
            E::Domain(d, now) => return m::domain_error(d, *now).into(),
            E::TooManyFeeds => m::TOO_MANY_FEEDS,
            E::JoinOff => m::JOIN_OFF,
            E::JoinCodeInvalid => m::JOIN_CODE_INVALID,
            E::PhoneRequired => m::PHONE_REQUIRED,
            E::JoinDailyLimit(_) => m::JOIN_DAILY_LIMIT,
            E::TooManyScreens(full) => match full {
                Full::Address => m::TOO_MANY_SCREENS_ADDRESS,
                Full::Office => m::TOO_MANY_SCREENS_OFFICE,
                Full::Server => m::TOO_MANY_SCREENS_SERVER,
            },
            E::NotJson => m::NOT_JSON,
            E::InvalidDate => m::BAD_DATE,
            E::InvalidFormat => m::BAD_FORMAT,
            E::WebSocketRequired => m::WEBSOCKET_REQUIRED,
            E::Unauthenticated => m::UNAUTHENTICATED,
            E::SessionInvalid => m::SESSION_INVALID,
            E::InvalidCredentials => m::BAD_CREDENTIALS,
            E::AgentTokenMissing | E::AgentTokenInvalid => m::AGENT_TOKEN_INVALID,
            E::IssuingRestricted => m::ISSUING_RESTRICTED,
            E::DeviceTokenInvalid => m::DEVICE_TOKEN_INVALID,
            E::KioskNotPaired => m::KIOSK_NOT_PAIRED,
            E::KioskMismatch => m::KIOSK_MISMATCH,
            E::OtherOffice => m::OTHER_OFFICE,
            E::RoleForbidden => m::ROLE_FORBIDDEN,
            E::NotFound => m::NOT_FOUND,
            E::OfficeNotFound => m::OFFICE_NOT_FOUND,
            E::BadToken => m::BAD_TOKEN,
            E::KioskNotFound => m::KIOSK_NOT_FOUND,
            E::PrintNotFound => m::PRINT_NOT_FOUND,
            E::ServiceFilterNotFound => m::BAD_SERVICE_FILTER,
            E::SlideNotFound => m::SLIDE_NOT_FOUND,
            E::MethodNotAllowed => m::METHOD_NOT_ALLOWED,
            E::RequestTimeout => m::BODY_TOO_SLOW,
            E::ReprintClosed => m::REPRINT_CLOSED,
            E::KioskNotAgent => m::KIOSK_NOT_AGENT,
            E::PayloadTooLarge => m::TOO_LARGE,
            E::InvalidWidth => m::BAD_PAPER_WIDTH,
            E::InvalidQr => m::BAD_QR_MODE,
            E::InvalidCodePage => m::BAD_CODE_PAGE,
            E::LanguageNotOffered => m::LANGUAGE_NOT_OFFERED,
            E::ReprintKioskRequired => m::KIOSK_REQUIRED,
            E::DatesReversed => m::RANGE_REVERSED,
            E::RangeTooLong => m::RANGE_TOO_LONG,
            E::NumbersReversed => m::BAD_NUMBER_RANGE,
            E::BulkSelectionMissing => m::BULK_SELECTION_MISSING,
            E::InvalidAddress => m::BAD_ADDRESS,
            E::TurnEnded => m::TURN_ENDED,
            E::SmsUnavailable => m::SMS_UNAVAILABLE,
            E::WebPushUnavailable => m::WEB_PUSH_UNAVAILABLE,
            E::InvalidPhone => m::BAD_PHONE,
            E::InvalidSubscription => m::BAD_SUBSCRIPTION,
            E::NotifyChannelRequired => m::NOTIFY_NOTHING,
            E::TooManyAttempts(_) => m::TOO_MANY_ATTEMPTS,
            E::TooManyRequests(_) => m::TOO_MANY_TURNS,
            E::StoreUnavailable => m::STORE_UNAVAILABLE,
            E::Overloaded => m::OVERLOADED,
            E::SignInBusy => m::SIGN_IN_BUSY,
            E::OfficeReadOnly => m::OFFICE_READ_ONLY,
            E::ShuttingDown => m::STOPPING,
            E::TooManyConnections => m::TOO_MANY_CONNECTIONS,
        }))
    }

    /// Seconds after which trying again makes sense, for `Retry-After`.
    pub fn retry_after(&self) -> Option<u32> {
        use ApiError as E;
        match self {
            E::TooManyAttempts(s) | E::TooManyRequests(s) | E::JoinDailyLimit(s) => {
                Some((*s).max(1))
            }
            E::TooManyScreens(_) | E::TooManyFeeds => Some(30),
            E::StoreUnavailable | E::SignInBusy | E::ShuttingDown => Some(2),
            E::Overloaded => Some(1),
            E::OfficeReadOnly => Some(60),
            E::TooManyConnections => Some(crate::http::connections::RETRY_AFTER_SECONDS),
            _ => None,
        }
    }
}

/// The status that fits a domain refusal: unknown things 404, invalid values 422, the
/// rest are conflicts with the state (409).
fn domain_status(d: &DomainError) -> StatusCode {
    use DomainError as D;
    match d {
        D::ServiceNotFound | D::CounterNotFound | D::TicketNotFound => StatusCode::NOT_FOUND,
        D::CategoryNotFound
        | D::SameService
        | D::InvalidReason
        | D::ReasonRequired
        | D::UnknownReason
        | D::NoteRequired
        | D::NoteTooLong
        | D::InvalidScore { .. }
        | D::CommentTooLong
        | D::UnknownCaseType => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::CONFLICT,
    }
}

/// Seconds of a wait, rounded up, for `Retry-After`.
pub fn seconds(wait: std::time::Duration) -> u32 {
    let whole = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    u32::try_from(whole).unwrap_or(u32::MAX).max(1)
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status().as_u16(),
            self.code(),
            self.message(Language::Es)
        )
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        // The request's language, negotiated by `http::language` around every handler.
        let language = crate::http::language::current();
        let mut response = HttpResponse::build(self.status());
        if let Some(secs) = self.retry_after() {
            response.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        response.insert_header((header::CONTENT_LANGUAGE, language.code()));
        response.json(ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.message(language),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_is_a_client_or_store_status_with_a_sentence() {
        for e in [
            ApiError::NotJson,
            ApiError::IssuingRestricted,
            ApiError::TooManyRequests(0),
            ApiError::TooManyScreens(Full::Office),
            ApiError::JoinOff,
            ApiError::JoinCodeInvalid,
            ApiError::PhoneRequired,
            ApiError::JoinDailyLimit(3600),
            ApiError::domain(DomainError::CounterBusy),
            ApiError::domain(DomainError::CategoryNotFound),
        ] {
            let status = e.status().as_u16();
            assert!((400..500).contains(&status) || status == 503, "{e}");
            for language in Language::ALL {
                assert!(e.message(language).ends_with('.'), "{e}");
            }
            assert!(!e.code().is_empty());
        }
        assert_eq!(ApiError::TooManyRequests(0).retry_after(), Some(1));
        assert_eq!(
            ApiError::domain(DomainError::CounterBusy).status(),
            StatusCode::CONFLICT
        );
        assert_eq!(
            seconds(std::time::Duration::from_millis(1500)),
            2,
            "a Retry-After never promises earlier than true"
        );
    }
}
