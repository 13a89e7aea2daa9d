//! Operations endpoints: liveness, readiness, metrics.

use super::schemas::{Health, Readiness};
use super::AppState;
use actix_web::{web, HttpResponse};
use serde_json::json;

/// `GET /healthz`: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The process answers.", body = Health)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// `GET /readyz`: the store takes writes and every office can write to its log. Offices
/// that are read-only (their log holds events of a newer version) or whose log was found
/// damaged are listed, but still ready: they must open.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "Ready.", body = Readiness),
        (status = 503, description = "Not ready: the store or an office cannot write (`store_unavailable`).", body = Readiness),
    ))]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let engine = state.engine.clone();
    let check = web::block(move || engine.store().check()).await;
    let store_error = match check {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(e.to_string()),
        Err(_) => Some("the check did not finish".to_owned()),
    };
    let offices: Vec<_> = state
        .engine
        .offices()
        .iter()
        .map(|o| (o.spec.id.clone(), o.health()))
        .collect();
    let unavailable: Vec<&str> = offices
        .iter()
        .filter(|(_, h)| !h.ready())
        .map(|(id, _)| id.as_str())
        .collect();
    let language = super::language::current();
    let listed: Vec<_> = offices
        .iter()
        .map(|(id, h)| {
            let mut office = json!({"id": id, "ready": h.ready()});
            if let Some(why) = &h.unavailable {
                office["unavailable"] = json!(why);
            }
            if let Some(kind) = &h.read_only {
                office["read_only"] = json!({"event": kind, "message": crate::in_language!(language, |m| m::OFFICE_READ_ONLY)});
            }
            if !h.damage.is_empty() {
                office["damage"] = json!(h.damage);
            }
            office
        })
        .collect();
    if store_error.is_none() && unavailable.is_empty() {
        return HttpResponse::Ok().json(json!({"status": "ready", "offices": listed}));
    }
    tracing::warn!(store = ?store_error, offices = ?unavailable, "not ready");
    let message = if unavailable.is_empty() {
        crate::in_language!(language, |m| m::STORE_UNAVAILABLE).to_owned()
    } else {
        crate::in_language!(language, |m| m::offices_unavailable(&unavailable))
    };
    HttpResponse::ServiceUnavailable().json(json!({
        "status": "unavailable",
        "offices": listed,
        "error": {"code": "store_unavailable", "message": message},
    }))
}

/// `GET /metrics`: Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "OpenMetrics text.", content_type = "application/openmetrics-text", body = String)))]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body({
            state.metrics.refresh_process();
            state.metrics.encode()
        })
}

/// `GET /api/v1/openapi.json`: the document generated from the handlers' annotations
/// (built once).
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "operations",
    responses((status = 200, description = "This document (OpenAPI 3.1).", body = Object)))]
pub async fn openapi() -> HttpResponse {
    static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HttpResponse::Ok()
        .content_type("application/json")
        .body(DOCUMENT.get_or_init(super::openapi::json).as_str())
}
