//! The OpenAPI 3.1 document of the API, generated from the handlers' `#[utoipa::path]`
//! annotations and the response types' `ToSchema`, so it cannot drift from the code.
//!
//! Each handler documents the statuses it answers itself; what every route can answer
//! whatever it does is added here once ([`Universal`]): 503 with `Retry-After` (the store,
//! overload, stopping, `max_connections`), and for a route with a JSON body 400
//! `invalid_body`, 408 `request_timeout`, 413 `payload_too_large`; for a route with a
//! query, 400 `invalid_query`. [`Links`] lets clients (and schemathesis' stateful phase)
//! follow a new turn's `token` to the routes about it.

use super::schemas::ErrorBody;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, ObjectBuilder, Ref, RefOr, Response, Type};
use utoipa::{Modify, OpenApi};

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Turnero",
        version = "1",
        description = "Turns and tickets for public-service offices. Every error is \
            `{\"error\": {\"code\", \"message\"}}`; times are RFC 3339 with the office's UTC offset.",
    ),
    paths(
        super::ops::healthz,
        super::ops::readyz,
        super::ops::metrics,
        super::ops::openapi,
        super::citizens::list_offices,
        super::citizens::get_office,
        super::citizens::queue,
        super::citizens::get_ticket,
        super::citizens::cancel_ticket,
        super::citizens::snooze_ticket,
        super::join::join_code,
        super::audit::list,
        super::organisation::offices,
        super::organisation::report,
        super::citizens::ticket_qr,
        super::ticket_live::ticket_live,
        super::issuing::issue,
        super::issuing::paired_kiosk,
        super::bulk::cancel,
        super::bulk::issuers,
        super::display::display,
        super::slides::list_slides,
        super::slides::get_slide,
        super::report::report,
        super::report::cases,
        super::supervision::alerts,
        super::supervision::alerts_stream,
        super::supervision::forecast,
        super::printing::printers,
        super::printing::agent,
        super::printing::escpos,
        super::printing::print_status,
        super::printing::reprint,
        super::notify::post_notify,
        super::notify::delete_notify,
        super::notify::status,
        super::survey::get_survey,
        super::survey::post_survey,
        super::counters::get_counter,
        super::call_reasons::call_reasons,
        super::counters::call_next,
        super::counters::finish,
        super::counters::start,
        super::counters::recall,
        super::counters::no_show,
        super::counters::undo_no_show,
        super::counters::transfer,
        super::counters::call_code,
        super::counters::waiting_list,
        super::counters::open,
        super::counters::pause,
        super::counters::resume,
        super::counters::close,
        super::auth::login,
        super::auth::me,
        super::auth::logout,
    ),
    components(schemas(
        ErrorBody,
        super::printing::WidthName,
        super::printing::QrName,
        super::printing::CodePageName,
        super::report::ReportFormat,
        crate::domain::survey::CaseType,
    )),
    modifiers(&Bearer, &Universal, &Links),
    tags(
        (name = "citizens", description = "Offices, turns and the survey; no sign-in."),
        (name = "agents", description = "Counters; a session allowed on the office."),
        (name = "supervisors", description = "Reports and bulk actions; supervisors and admins."),
        (name = "printing", description = "Ticket printing."),
        (name = "auth", description = "Sessions."),
        (name = "operations", description = "Health, readiness, metrics, this document."),
    ),
)]
pub struct ApiDoc;

/// The document as JSON.
pub fn json() -> String {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the document serialises");
    camel_case_links(&mut doc);
    doc.to_string()
}

/// The methods a path pattern takes, as an `Allow` header value (`GET, POST`), from the
/// document; `None` for a path it does not have.
pub fn allowed_methods(pattern: &str) -> Option<&'static str> {
    static ALLOWED: std::sync::OnceLock<std::collections::HashMap<String, String>> =
        std::sync::OnceLock::new();
    ALLOWED
        .get_or_init(|| {
            let mut api = ApiDoc::openapi();
            let mut allowed = std::collections::HashMap::<String, Vec<&str>>::new();
            for (path, item) in api.paths.paths.iter_mut() {
                let methods = allowed.entry(path.clone()).or_default();
                for (method, op) in [
                    ("GET", &item.get),
                    ("POST", &item.post),
                    ("PUT", &item.put),
                    ("PATCH", &item.patch),
                    ("DELETE", &item.delete),
                ] {
                    if op.is_some() {
                        methods.push(method);
                    }
                }
            }
            allowed
                .into_iter()
                .map(|(path, methods)| (path, methods.join(", ")))
                .collect()
        })
        .get(pattern)
        .map(String::as_str)
}

/// utoipa 5.5 writes a Link's fields in snake case (`operation_id`); OpenAPI spells them
/// `operationId`, `operationRef`, `requestBody`.
fn camel_case_links(doc: &mut serde_json::Value) {
    let responses = doc["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(|item| item.as_object_mut())
        .flat_map(|item| item.values_mut())
        .filter_map(|op| op.get_mut("responses").and_then(|r| r.as_object_mut()))
        .flat_map(|responses| responses.values_mut());
    for response in responses {
        let Some(links) = response.get_mut("links").and_then(|l| l.as_object_mut()) else {
            continue;
        };
        for link in links.values_mut().filter_map(|l| l.as_object_mut()) {
            for (snake, camel) in [
                ("operation_id", "operationId"),
                ("operation_ref", "operationRef"),
                ("request_body", "requestBody"),
            ] {
                if let Some(value) = link.remove(snake) {
                    link.insert(camel.to_owned(), value);
                }
            }
        }
    }
}

/// The `bearer` scheme: a session token (`POST /auth/login`) or a kiosk's device token.
struct Bearer;

impl Modify for Bearer {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A session token from `POST /api/v1/auth/login`, or a kiosk's or print \
                         agent's device token.",
                    ))
                    .build(),
            ),
        );
    }
}

/// An error response: the shared body, with a `Retry-After` header when `retry`.
fn error(description: &str, retry: bool) -> RefOr<Response> {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("Error")))
        .build();
    let mut response = ResponseBuilder::new()
        .description(description)
        .content("application/json", content);
    if retry {
        response = response.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(1)),
                )
                .description(Some("Seconds after which trying again makes sense."))
                .build(),
        );
    }
    RefOr::T(response.build())
}

/// Every operation of the document, with its path.
fn operations(api: &mut utoipa::openapi::OpenApi) -> Vec<(String, &mut Operation)> {
    let mut all = Vec::new();
    for (path, item) in api.paths.paths.iter_mut() {
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            all.push((path.clone(), op));
        }
    }
    all
}

/// The statuses every route can answer (see the module's comment).
struct Universal;

impl Modify for Universal {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        for (_, op) in operations(api) {
            let has_body = op.request_body.is_some();
            let has_query = op
                .parameters
                .iter()
                .flatten()
                .any(|p| p.parameter_in == ParameterIn::Query);
            let responses = &mut op.responses.responses;
            let mut add = |status: &str, description: &str, retry: bool| {
                responses
                    .entry(status.to_owned())
                    .or_insert_with(|| error(description, retry));
            };
            if has_body {
                add(
                    "400",
                    "`invalid_body`: not JSON, or not the fields this route takes.",
                    false,
                );
                add("408", "`request_timeout`: the body came too slowly.", false);
                add("413", "`payload_too_large`: a body over 16 KiB.", false);
            }
            if has_query {
                add(
                    "400",
                    "`invalid_query`: a query that does not parse.",
                    false,
                );
            }
            add(
                "503",
                "Nothing was done: `store_unavailable`, `overloaded`, `office_read_only`, \
                 `shutting_down` or `too_many_connections`.",
                true,
            );
        }
    }
}

/// Links from a new turn (`POST /offices/{office}/tickets` → 201) to every route of
/// `/tickets/{token}`, by the answer's `token`.
struct Links;

impl Modify for Links {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let targets: Vec<String> = operations(api)
            .into_iter()
            .filter(|(path, _)| path.starts_with("/api/v1/tickets/{token}"))
            .filter_map(|(_, op)| op.operation_id.clone())
            .collect();
        let issue = api
            .paths
            .paths
            .get_mut("/api/v1/offices/{office}/tickets")
            .and_then(|item| item.post.as_mut());
        let Some(RefOr::T(created)) = issue.and_then(|op| op.responses.responses.get_mut("201"))
        else {
            return;
        };
        for id in targets {
            created.links.insert(
                id.clone(),
                RefOr::T(
                    LinkBuilder::new()
                        .operation_id(&id)
                        .parameter("token", "$response.body#/token")
                        .build(),
                ),
            );
        }
    }
}
