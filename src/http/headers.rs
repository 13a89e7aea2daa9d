//! Browser defences on every response: a strict Content-Security-Policy (scripts, styles
//! and everything else from this server only), no framing unless the configuration names
//! who may frame the pages, no referrer (a ticket's token is in its page's address),
//! `nosniff`; and `Cache-Control: no-store` on sign-in and on anything that holds a
//! ticket's token, so neither a shared computer's cache nor a proxy keeps them.

use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::DefaultHeaders;

/// The Content-Security-Policy without its `frame-ancestors` directive.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; font-src 'self'; media-src 'self'; object-src 'none'; base-uri 'none'; \
form-action 'self'";

/// The headers every response carries. `frame_ancestors`: origins that may frame the
/// pages (checked as origins when the configuration is read); none forbids framing.
pub fn defaults(frame_ancestors: &[String]) -> DefaultHeaders {
    let ancestors = if frame_ancestors.is_empty() {
        "'none'".to_owned()
    } else {
        frame_ancestors.join(" ")
    };
    let mut headers = DefaultHeaders::new()
        .add((
            header::CONTENT_SECURITY_POLICY,
            format!("{CSP}; frame-ancestors {ancestors}"),
        ))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if frame_ancestors.is_empty() {
        // For browsers older than `frame-ancestors`; it cannot name a list, so it is
        // left out when the configuration allows some framers.
        headers = headers.add((header::X_FRAME_OPTIONS, "DENY"));
    }
    headers
}

/// Whether a response to `path` holds a session or a ticket's token.
pub fn holds_a_secret(path: &str) -> bool {
    path.starts_with("/api/v1/auth/")
        || path.starts_with("/t/")
        || (path.starts_with("/api/v1/tickets/") && !path.ends_with("/qr.svg"))
}

/// Marks a response not to be stored anywhere (for what [`holds_a_secret`]).
pub fn no_store<B>(response: &mut ServiceResponse<B>) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        HeaderName::from_static("pragma"),
        HeaderValue::from_static("no-cache"),
    );
}

#[cfg(test)]
mod tests {
    use super::holds_a_secret;

    #[test]
    fn tokens_and_sign_in_are_never_stored() {
        for path in [
            "/api/v1/auth/login",
            "/api/v1/auth/me",
            "/t/abc",
            "/api/v1/tickets/abc",
            "/api/v1/tickets/abc/print",
        ] {
            assert!(holds_a_secret(path), "{path}");
        }
        for path in [
            "/",
            "/assets/js/common.js",
            "/api/v1/offices",
            "/api/v1/tickets/abc/qr.svg",
        ] {
            assert!(!holds_a_secret(path), "{path}");
        }
    }
}
