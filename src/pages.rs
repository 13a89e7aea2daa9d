//! The browser screens under `display/` (lobby display, kiosk, agent console, citizen's
//! page with its survey, supervisor dashboard and the landing page), embedded in the binary and served with their routes.
//!
//! Pages are plain HTML that load shared CSS and JavaScript from `/assets/...`; they
//! speak only the public API. Release builds carry the files inside the binary; debug
//! builds read them from `display/` so a page can be edited without recompiling.
//!
//! Caching: pages are `no-cache` (always revalidated, so an upgraded server is picked up
//! at the next load); assets carry an `ETag` and a short `max-age`, and a matching
//! `If-None-Match` gets a 304 so a screen that reloads costs almost nothing.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};
use rust_embed::RustEmbed;

/// The files under `display/` (documentation, the clip-making script and the packs'
/// check excluded).
#[derive(RustEmbed)]
#[folder = "display/"]
#[exclude = "*.md"]
#[exclude = "*.mjs"]
#[exclude = "*.py"]
struct Files;

/// Registers the page routes and `/assets/{path}`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(|r: HttpRequest| page(r, "index.html")))
        .route(
            "/display/{office}",
            web::get().to(|r: HttpRequest| page(r, "display.html")),
        )
        .route(
            "/kiosk/{office}",
            web::get().to(|r: HttpRequest| page(r, "kiosk.html")),
        )
        .route(
            "/agent",
            web::get().to(|r: HttpRequest| page(r, "agent.html")),
        )
        .route(
            "/supervisor",
            web::get().to(|r: HttpRequest| page(r, "supervisor.html")),
        )
        .route(
            "/organisation",
            web::get().to(|r: HttpRequest| page(r, "organisation.html")),
        )
        .route(
            "/join/{office}",
            web::get().to(|r: HttpRequest| page(r, "join.html")),
        )
        .route(
            "/t/{token}",
            web::get().to(|r: HttpRequest| page(r, "ticket.html")),
        )
        // The citizen's page's service worker, at the root so that it may serve `/t/`.
        .route("/sw.js", web::get().to(|r: HttpRequest| page(r, "sw.js")))
        .route("/assets/{path:.+}", web::get().to(asset));
}

async fn page(req: HttpRequest, name: &'static str) -> HttpResponse {
    if name == "kiosk.html" {
        if let Some(response) = demo_kiosk(&req) {
            return response;
        }
    }
    match serve(&req, name, "no-cache") {
        Some(response) => response,
        None => crate::http::not_found(req).await,
    }
}

/// In demo mode the demo office's kiosk page comes paired: its device token rides in a
/// `<meta>` the page keeps, so a newcomer taps as many tickets as they like while the API
/// stays limited for anonymous scripts. The token is said at start like the demo
/// passwords; nothing of the kind exists outside demo mode.
fn demo_kiosk(req: &HttpRequest) -> Option<HttpResponse> {
    let state = req.app_data::<web::Data<crate::http::AppState>>()?;
    let token = state.config.demo_kiosk_token.as_deref()?;
    let office = req.match_info().get("office")?;
    if !state
        .config
        .kiosks(office)
        .iter()
        .any(|k| k.id == crate::config::DEMO_KIOSK)
    {
        return None;
    }
    let file = Files::get("kiosk.html")?;
    let html = String::from_utf8_lossy(&file.data).replacen(
        "<head>",
        &format!(
            "<head>\n<meta name=\"turnero-demo-kiosk\" content=\"{} {token}\">",
            crate::config::DEMO_KIOSK
        ),
        1,
    );
    Some(
        HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .content_type("text/html; charset=utf-8")
            .body(html),
    )
}

async fn asset(req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let path = path.into_inner();
    let response = if path.split('/').any(|part| part.is_empty() || part == "..") {
        None
    } else {
        serve(&req, &format!("assets/{path}"), "public, max-age=300")
    };
    match response {
        Some(response) => response,
        None => crate::http::not_found(req).await,
    }
}

/// Answers with an embedded file, if there is one by that name.
fn serve(req: &HttpRequest, name: &str, cache: &'static str) -> Option<HttpResponse> {
    let file = Files::get(name)?;
    let etag = format!(
        "\"{}\"",
        file.metadata
            .sha256_hash()
            .iter()
            .take(12)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    let mut response = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static(cache)))
        .insert_header((header::ETAG, etag))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if fresh {
        return Some(response.finish());
    }
    Some(
        response
            .content_type(content_type(name))
            .body(file.data.into_owned()),
    )
}

/// The content type of a file by its extension.
fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "opus" | "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_is_embedded() {
        for name in [
            "index.html",
            "display.html",
            "kiosk.html",
            "agent.html",
            "ticket.html",
            "supervisor.html",
            "assets/js/charts.js",
            "assets/js/survey.js",
            "assets/audio/es/manifest.json",
            "assets/audio/es/turno.opus",
            "assets/audio/en/manifest.json",
            "sw.js",
        ] {
            assert!(Files::get(name).is_some(), "{name}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/b.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("x.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("x"), "application/octet-stream");
        assert_eq!(content_type("audio/es/turno.opus"), "audio/ogg");
        assert!(Files::get("assets/audio/make-clips.py").is_none());
    }
}
