//! The language of each answer: the request's `Accept-Language`, among every language
//! Turnero speaks, is in force while its handler runs, so an error made anywhere inside
//! (an extractor, a handler, the engine) is written in it without being passed around.
//! Content of an office (its services' names, a ticket's texts) is negotiated among the
//! office's own languages instead, with [`current_for`].

use crate::domain::{Language, OfficeSpec};
use crate::http::error::ApiError;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

/// What the request being answered asked for.
struct Asked {
    /// Its language among all Turnero speaks (for errors).
    language: Language,
    /// Its `Accept-Language`, for negotiating among an office's languages.
    header: Option<String>,
}

tokio::task_local! {
    static ASKED: Asked;
}

/// The language of the request being answered (Spanish outside one).
pub fn current() -> Language {
    ASKED.try_with(|a| a.language).unwrap_or(Language::Es)
}

/// The language of the request being answered among an office's languages (the
/// office's own outside a request).
pub fn current_for(spec: &OfficeSpec) -> Language {
    ASKED
        .try_with(|a| Language::negotiate(a.header.as_deref(), &spec.languages))
        .unwrap_or_else(|_| Language::negotiate(None, &spec.languages))
}

fn accept_language(headers: &actix_web::http::header::HeaderMap) -> Option<&str> {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
}

/// The language a request names for an office's content (`language` in a body, `lang=`
/// in a query), else the one its `Accept-Language` prefers; one the office does not offer
/// is refused.
pub fn chosen(spec: &OfficeSpec, named: Option<&str>) -> Result<Language, ApiError> {
    match named {
        None => Ok(current_for(spec)),
        // A tag names its language as a header would (`en-US`, `EN`).
        Some(code) => Language::from_tag(code)
            .filter(|l| spec.languages.contains(l))
            .ok_or(ApiError::LanguageNotOffered),
    }
}

/// The language of a citizen's own ticket (its paper, its QR): one named (`lang=`),
/// else the one chosen when it was taken, else the office's own.
pub fn of_ticket(
    spec: &OfficeSpec,
    ticket: &crate::domain::Ticket,
    named: Option<&str>,
) -> Result<Language, ApiError> {
    match named {
        Some(_) => chosen(spec, named),
        None => Ok(ticket.language.unwrap_or_else(|| spec.own_language())),
    }
}

/// Middleware: runs the rest of the request with its language in force, and tells caches
/// that API answers vary with it.
pub async fn scope(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let header = accept_language(req.headers()).map(|h| h.chars().take(200).collect());
    let asked = Asked {
        language: Language::negotiate(header.as_deref(), &Language::ALL),
        header,
    };
    let api = req.path().starts_with("/api/");
    let mut res = ASKED.scope(asked, next.call(req)).await?;
    if api {
        res.headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-language"));
    }
    Ok(res)
}
