//! The HTTP and WebSocket interface of API.md: routes parse, authorise and map errors;
//! the queue's rules live in the domain, never here.

pub mod auth;
mod citizens;
mod counters;
mod display;
pub mod error;
mod ops;

use crate::config::Config;
use crate::engine::Engine;
use crate::i18n::es;
use crate::metrics::Metrics;
use actix_web::dev::ServiceResponse;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{web, HttpRequest, HttpResponse};
use error::ApiError;
use std::sync::Arc;

/// Largest JSON body accepted.
pub const MAX_BODY: usize = 16 * 1024;

/// What every handler can reach.
pub struct AppState {
    /// The offices and their writers.
    pub engine: Arc<Engine>,
    /// The configuration the server started with.
    pub config: Arc<Config>,
    /// Session tokens and sign-in throttling.
    pub sessions: auth::Sessions,
    /// Prometheus metrics.
    pub metrics: Arc<Metrics>,
    /// Turns true when the server begins to stop (screens are told to reconnect).
    pub shutdown: tokio::sync::watch::Receiver<bool>,
}

/// Registers every route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::JsonConfig::default()
            .limit(MAX_BODY)
            .error_handler(|err, _| json_error(&err).into()),
    )
    .app_data(
        web::PathConfig::default()
            .error_handler(|_, _| ApiError::new(404, "not_found", es::NOT_FOUND).into()),
    )
    .app_data(web::QueryConfig::default().error_handler(|err, _| {
        ApiError::new(
            400,
            "invalid_query",
            format!("Los parámetros de la dirección no son válidos ({err}); revíselos."),
        )
        .into()
    }))
    .route("/healthz", web::get().to(ops::healthz))
    .route("/readyz", web::get().to(ops::readyz))
    .route("/metrics", web::get().to(ops::metrics))
    .service(
        web::scope("/api/v1")
            .route("/auth/login", web::post().to(auth::login))
            .route("/auth/me", web::get().to(auth::me))
            .route("/offices", web::get().to(citizens::list_offices))
            .route("/offices/{office}", web::get().to(citizens::get_office))
            .route("/offices/{office}/tickets", web::post().to(citizens::issue))
            .route("/offices/{office}/queue", web::get().to(citizens::queue))
            .route("/offices/{office}/display", web::get().to(display::display))
            .route("/tickets/{token}", web::get().to(citizens::get_ticket))
            .route(
                "/tickets/{token}/cancel",
                web::post().to(citizens::cancel_ticket),
            )
            .service(
                web::scope("/offices/{office}/counters/{counter}")
                    .route("", web::get().to(counters::get_counter))
                    .route("/open", web::post().to(counters::open))
                    .route("/call-next", web::post().to(counters::call_next))
                    .route("/call", web::post().to(counters::call_code))
                    .route("/recall", web::post().to(counters::recall))
                    .route("/start", web::post().to(counters::start))
                    .route("/finish", web::post().to(counters::finish))
                    .route("/no-show", web::post().to(counters::no_show))
                    .route("/transfer", web::post().to(counters::transfer))
                    .route("/pause", web::post().to(counters::pause))
                    .route("/resume", web::post().to(counters::resume))
                    .route("/close", web::post().to(counters::close)),
            ),
    );
}

fn json_error(err: &actix_web::error::JsonPayloadError) -> ApiError {
    use actix_web::error::JsonPayloadError as E;
    match err {
        E::ContentType => ApiError::new(400, "invalid_body", es::NOT_JSON),
        E::Overflow { .. } | E::OverflowKnownLength { .. } => {
            ApiError::new(413, "payload_too_large", es::TOO_LARGE)
        }
        E::Deserialize(e) => ApiError::invalid_body(&e.to_string()),
        other => ApiError::invalid_body(&other.to_string()),
    }
}

/// Unknown paths get API.md's JSON error.
pub async fn not_found(_req: HttpRequest) -> HttpResponse {
    actix_web::ResponseError::error_response(&ApiError::new(404, "not_found", es::NOT_FOUND))
}

/// Turns actix's bare 404 and 405 responses (no body) into JSON errors.
pub fn json_error_pages<B: 'static>() -> ErrorHandlers<B> {
    fn rewrite<B>(
        res: ServiceResponse<B>,
        error: ApiError,
    ) -> actix_web::Result<ErrorHandlerResponse<B>> {
        let is_json = res
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
        if is_json {
            return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
        }
        let (req, _) = res.into_parts();
        let response = actix_web::ResponseError::error_response(&error);
        Ok(ErrorHandlerResponse::Response(
            ServiceResponse::new(req, response).map_into_right_body(),
        ))
    }
    ErrorHandlers::new()
        .handler(StatusCode::NOT_FOUND, |res| {
            rewrite(res, ApiError::new(404, "not_found", es::NOT_FOUND))
        })
        .handler(StatusCode::METHOD_NOT_ALLOWED, |res| {
            rewrite(
                res,
                ApiError::new(405, "method_not_allowed", es::METHOD_NOT_ALLOWED),
            )
        })
}
