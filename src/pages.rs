//! Browser pages embedded in the binary (the files under `display/`).

use actix_web::{web, HttpResponse};

const INDEX: &str = include_str!("../display/index.html");

/// Registers the pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(index));
}

async fn index() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(INDEX)
}
