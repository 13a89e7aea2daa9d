//! Where the links in tickets and QR codes point. A ticket's QR must open on the
//! citizen's phone, so `localhost` is never right: the base is the office's own
//! `public_base_url`, else the server's `public_url` (`--public-url`,
//! `TURNERO_PUBLIC_URL`, `[server] public_url`), else the address the request came to —
//! its `Host`, or `X-Forwarded-Host`/`-Proto` from a trusted proxy — so the demo's QR
//! opens on a phone on the same network as the kiosk.

use super::error::ApiError;
use super::AppState;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use std::future::{ready, Ready};

/// The base of links for this request, before an office's own `public_base_url`.
pub struct LinkBase(pub String);

impl FromRequest for LinkBase {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(state) = req.app_data::<web::Data<AppState>>() else {
            return ready(Err(ApiError::ShuttingDown));
        };
        ready(Ok(LinkBase(base(req, &state.config.server))))
    }
}

/// The base for `req` under the server settings.
pub fn base(req: &HttpRequest, server: &crate::config::ServerFileSettings) -> String {
    if let Some(url) = &server.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let peer = req.peer_addr().map(|a| a.ip());
    let proxied = peer.is_some_and(|p| server.trusted_proxies.contains(&p));
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            // A proxy chain lists the first hop first.
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let scheme = match header("x-forwarded-proto").filter(|_| proxied) {
        Some(p) if p.eq_ignore_ascii_case("https") => "https",
        Some(p) if p.eq_ignore_ascii_case("http") => "http",
        _ if req.app_config().secure() => "https",
        _ => "http",
    };
    let host = header("x-forwarded-host")
        .filter(|_| proxied)
        .or_else(|| header("host"))
        .filter(|h| is_host(h))
        .map_or_else(|| req.app_config().host().to_owned(), str::to_owned);
    format!("{scheme}://{host}")
}

/// Whether `h` is a plausible `host[:port]` (a name, IPv4 or bracketed IPv6): a header
/// with anything else is not put into a link.
fn is_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 255
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ServerFileSettings;
    use actix_web::test::TestRequest;

    fn base_for(r: TestRequest, server: &ServerFileSettings) -> String {
        base(&r.to_http_request(), server)
    }

    #[test]
    fn links_follow_the_address_the_request_came_to() {
        let plain = ServerFileSettings::default();
        let peer = "192.168.1.30:5000".parse().unwrap();
        let r = || TestRequest::default().peer_addr(peer);
        assert_eq!(
            base_for(r().insert_header(("host", "192.168.1.5:8080")), &plain),
            "http://192.168.1.5:8080"
        );
        // Forwarded headers count only from a trusted proxy.
        let forwarded = || {
            r().insert_header(("host", "10.0.0.2:8080"))
                .insert_header(("x-forwarded-host", "turnos.example.gov"))
                .insert_header(("x-forwarded-proto", "https"))
        };
        assert_eq!(base_for(forwarded(), &plain), "http://10.0.0.2:8080");
        let behind_proxy = ServerFileSettings {
            trusted_proxies: vec!["192.168.1.30".parse().unwrap()],
            ..ServerFileSettings::default()
        };
        assert_eq!(
            base_for(forwarded(), &behind_proxy),
            "https://turnos.example.gov"
        );
        // A configured public URL wins; a host header that is not a host is not used.
        let configured = ServerFileSettings {
            public_url: Some("https://turnos.example.org/".into()),
            ..ServerFileSettings::default()
        };
        assert_eq!(base_for(r(), &configured), "https://turnos.example.org");
        assert!(
            !base_for(r().insert_header(("host", "evil\"><script>")), &plain).contains("script")
        );
    }

    #[test]
    fn local_addresses_are_recognised() {
        for local in [
            "http://localhost:8080",
            "http://127.0.0.1:8080",
            "http://[::1]:8080",
            "http://0.0.0.0:8080",
        ] {
            assert!(crate::config::is_local_url(local), "{local}");
        }
        for reachable in ["http://192.168.1.5:8080", "https://turnos.example.org"] {
            assert!(!crate::config::is_local_url(reachable), "{reachable}");
        }
    }
}
