//! The HTTP and WebSocket interface of API.md: routes parse, authorise and map errors;
//! the queue's rules live in the domain, never here.

pub mod audit;
pub mod auth;
mod bulk;
mod call_reasons;
mod citizens;
pub mod client;
pub mod connections;
mod counters;
mod display;
pub mod error;
pub mod extract;
pub mod hashing;
pub mod headers;
mod issuing;
pub mod join;
pub mod language;
pub mod links;
mod notify;
pub mod openapi;
mod ops;
mod organisation;
mod printing;
mod report;
pub mod revocations;
pub mod schemas;
pub mod screens;
pub mod slides;
pub mod slow_body;
mod supervision;
mod survey;
pub mod ticket_live;

use crate::config::Config;
use crate::engine::Engine;
use crate::metrics::Metrics;
use crate::store::WindowCounters;
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
    /// Kiosk printers, print jobs and print agents.
    pub printing: Arc<crate::printing::PrintService>,
    /// Turns true when the server begins to stop (screens are told to reconnect).
    pub shutdown: tokio::sync::watch::Receiver<bool>,
    /// The open lobby screens, capped per address and per office.
    pub screens: screens::ScreenSlots,
    /// The turns' own feeds, capped per turn.
    pub phones: Arc<ticket_live::PhoneSlots>,
    /// Counters shared by every process: anonymous turns per address (`open_limit`).
    pub counters: Arc<dyn WindowCounters>,
    /// The lobby's join codes and the phones' daily keys (`join`).
    pub join: join::JoinCodes,
    /// Citizens' notifications (SMS gateway, Web Push): contacts, watchers, deliveries.
    pub notifier: Arc<crate::notify::Notifier>,
    /// The supervisors' alerts and staffing forecast.
    pub supervision: Arc<crate::supervision::Supervision>,
}

/// Registers every route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::JsonConfig::default()
            .limit(MAX_BODY)
            .error_handler(|err, _| json_error(&err).into()),
    )
    .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()))
    .app_data(
        web::QueryConfig::default()
            .error_handler(|err, _| ApiError::InvalidQuery(err.to_string()).into()),
    )
    .service(resource("/healthz").get(ops::healthz))
    .service(resource("/readyz").get(ops::readyz))
    .service(resource("/metrics").get(ops::metrics))
    .service(
        // Nested scopes keep routing cheap: actix matches each `{param}` pattern with a
        // regex, so a request meets at most two of them (office, counter) on its way.
        web::scope("/api/v1")
            .service(
                web::scope("/offices/{office}")
                    .service(resource("/tickets").post(issuing::issue))
                    .service(resource("/tickets/cancel").post(bulk::cancel))
                    .service(resource("/tickets/issuers").get(bulk::issuers))
                    .service(resource("").get(citizens::get_office))
                    .service(resource("/queue").get(citizens::queue))
                    .service(resource("/call-reasons").get(call_reasons::call_reasons))
                    .service(resource("/display").get(display::display))
                    .service(resource("/slides").get(slides::list_slides))
                    .service(resource("/slides/{name}").get(slides::get_slide))
                    .service(resource("/report").get(report::report))
                    .service(resource("/alerts").get(supervision::alerts))
                    .service(resource("/alerts/stream").get(supervision::alerts_stream))
                    .service(resource("/forecast").get(supervision::forecast))
                    .service(resource("/notifications").get(notify::status))
                    .service(resource("/cases").get(report::cases))
                    .service(resource("/printers").get(printing::printers))
                    .service(resource("/kiosks/me").get(issuing::paired_kiosk))
                    .service(resource("/join-code").get(join::join_code))
                    .service(resource("/audit").get(audit::list))
                    .service(resource("/kiosks/{kiosk}/agent").get(printing::agent))
                    .service(
                        web::scope("/counters/{counter}")
                            .service(resource("").get(counters::get_counter))
                            .service(resource("/call-next").post(counters::call_next))
                            .service(resource("/finish").post(counters::finish))
                            .service(resource("/start").post(counters::start))
                            .service(resource("/recall").post(counters::recall))
                            .service(resource("/no-show").post(counters::no_show))
                            .service(resource("/undo-no-show").post(counters::undo_no_show))
                            .service(resource("/transfer").post(counters::transfer))
                            .service(resource("/call").post(counters::call_code))
                            .service(resource("/waiting").get(counters::waiting_list))
                            .service(resource("/open").post(counters::open))
                            .service(resource("/pause").post(counters::pause))
                            .service(resource("/resume").post(counters::resume))
                            .service(resource("/close").post(counters::close)),
                    ),
            )
            .service(resource("/offices").get(citizens::list_offices))
            .service(
                web::scope("/tickets/{token}")
                    .service(resource("").get(citizens::get_ticket))
                    .service(resource("/cancel").post(citizens::cancel_ticket))
                    .service(resource("/snooze").post(citizens::snooze_ticket))
                    .service(resource("/qr.svg").get(citizens::ticket_qr))
                    .service(resource("/live").get(ticket_live::ticket_live))
                    .service(resource("/escpos").get(printing::escpos))
                    .service(resource("/print").get(printing::print_status))
                    .service(resource("/reprint").post(printing::reprint))
                    .service(
                        resource("/notify")
                            .post(notify::post_notify)
                            .delete(notify::delete_notify),
                    )
                    .service(
                        resource("/survey")
                            .get(survey::get_survey)
                            .post(survey::post_survey),
                    ),
            )
            .service(resource("/auth/login").post(auth::login))
            .service(resource("/auth/me").get(auth::me))
            .service(resource("/organisation").get(organisation::offices))
            .service(resource("/organisation/report").get(organisation::report))
            .service(resource("/auth/logout").post(auth::logout))
            .service(resource("/openapi.json").get(ops::openapi)),
    );
}

/// A path whose other methods get a JSON 405, with the `Allow` header RFC 9110 asks for
/// (the methods the OpenAPI document gives the path).
fn resource(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(|req: HttpRequest| async move {
        let mut response = actix_web::ResponseError::error_response(&ApiError::MethodNotAllowed);
        let allowed = req
            .match_pattern()
            .and_then(|p| openapi::allowed_methods(&p));
        if let Some(allow) = allowed.and_then(|a| header::HeaderValue::from_str(a).ok()) {
            response.headers_mut().insert(header::ALLOW, allow);
        }
        response
    }))
}

fn json_error(err: &actix_web::error::JsonPayloadError) -> ApiError {
    use actix_web::error::JsonPayloadError as E;
    match err {
        E::ContentType => ApiError::NotJson,
        E::Overflow { .. } | E::OverflowKnownLength { .. } => ApiError::PayloadTooLarge,
        E::Deserialize(e) => ApiError::invalid_body(&e.to_string()),
        E::Payload(actix_web::error::PayloadError::Io(e))
            if e.kind() == std::io::ErrorKind::TimedOut =>
        {
            ApiError::RequestTimeout
        }
        other => ApiError::invalid_body(&other.to_string()),
    }
}

/// Unknown paths get API.md's JSON error.
pub async fn not_found(_req: HttpRequest) -> HttpResponse {
    actix_web::ResponseError::error_response(&ApiError::NotFound)
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
            rewrite(res, ApiError::NotFound)
        })
        .handler(StatusCode::METHOD_NOT_ALLOWED, |res| {
            rewrite(res, ApiError::MethodNotAllowed)
        })
}
