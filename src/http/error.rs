//! The error policy of the API, in one place.
//!
//! Every error is `{"error": {"code", "message"}}` with the status API.md gives: bad input
//! is 4xx with a Spanish sentence the person can act on and changes nothing; trouble on
//! our side (the store) is 503 with a message saying nothing was done. Operators learn the
//! details from the logs, never from the response.

use crate::engine::EngineError;
use crate::i18n::es;
use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;
use std::fmt;

/// An error answered as API.md's JSON error.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine code.
    pub code: &'static str,
    /// One Spanish sentence.
    pub message: String,
    /// Seconds after which a retry makes sense (503, 429).
    pub retry_after: Option<u32>,
}

impl ApiError {
    /// A new error.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// Adds a Retry-After.
    pub fn retry_after(mut self, seconds: u32) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// 404 for an unknown office.
    pub fn office_not_found() -> Self {
        ApiError::new(404, "office_not_found", es::OFFICE_NOT_FOUND)
    }

    /// 400 for a body that is not what the route takes.
    pub fn invalid_body(detail: &str) -> Self {
        ApiError::new(400, "invalid_body", es::bad_json(detail))
    }

    /// Maps an engine error; `now` is the office's local time for messages.
    pub fn from_engine(e: EngineError, now: chrono::DateTime<chrono_tz::Tz>) -> Self {
        match e {
            EngineError::Domain(d) => {
                ApiError::new(d.status(), d.code(), es::domain_error(&d, now))
            }
            EngineError::OfficeNotFound => ApiError::office_not_found(),
            EngineError::Store(detail) => {
                tracing::error!(%detail, "store unavailable");
                ApiError::new(503, "store_unavailable", es::STORE_UNAVAILABLE).retry_after(2)
            }
            EngineError::ReadOnly { kind } => {
                tracing::warn!(%kind, "write refused: the office's log holds an event this version does not know");
                ApiError::new(503, "office_read_only", es::OFFICE_READ_ONLY).retry_after(60)
            }
            EngineError::Overloaded => {
                ApiError::new(503, "overloaded", es::OVERLOADED).retry_after(1)
            }
            EngineError::Stopped => {
                ApiError::new(503, "shutting_down", es::STOPPING).retry_after(2)
            }
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        if let Some(secs) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        response.json(json!({"error": {"code": self.code, "message": self.message}}))
    }
}
