//! The web UI: for now one page, `web/static/index.html`, that lists and filters the public
//! catalogue through the JSON API. It is built into the binary, so the service needs no files at run time.

use actix_web::{HttpResponse, get};

const INDEX: &str = include_str!("../../web/static/index.html");

/// The catalogue's home page.
#[get("/")]
pub async fn index() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline' 'self'; style-src 'unsafe-inline' 'self'"))
        .body(INDEX)
}
