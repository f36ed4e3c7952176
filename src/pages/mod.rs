//! The web catalogue: server-rendered pages at clean addresses for people in a browser.
//!
//! Handlers here are as thin as the JSON API's: extract the visitor, call the same use-case
//! functions (so visibility is the same rule), and render with maud. Every page is a plain GET that
//! works without JavaScript; `/static/catalogue.js` only enhances. Pages answer errors as HTML pages
//! in the same design, with the status the JSON API would give. Renderings of descriptions
//! (Markdown, operations, schemas, curl examples) come from the `pac-web` crate.

pub mod apis;
pub mod assets;
pub mod compare;
pub mod cookies;
pub mod layout;
pub mod links;
pub mod organisations;
pub mod paging;
pub mod reference;
pub mod search;
pub mod signin;
pub mod standard;
pub mod tenders;
pub mod visitor;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use maud::Markup;

use crate::error::Error;
pub use visitor::Visitor;

/// Registers every page and the static assets.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(search::home)
        .service(search::search)
        .service(search::suggest)
        .service(apis::get_api_page)
        .service(organisations::organisation_page)
        .service(organisations::system_page)
        .service(standard::standard_page)
        .service(compare::get_compare_page)
        .service(tenders::tenders_page)
        .service(tenders::tender_page)
        .service(tenders::comparison_page)
        .service(tenders::bid_page)
        .service(reference::get_version_page)
        .service(reference::get_operation_page)
        .service(reference::get_schema_page)
        .service(signin::get_sign_in)
        .service(signin::post_sign_in)
        .service(signin::post_sign_out)
        .service(signin::get_sign_in_oidc)
        .service(signin::get_sign_in_oidc_callback)
        .service(assets::asset);
}

/// The Content-Security-Policy of every page: only our own scripts, styles and images, no inline
/// script or style, no framing, forms only to ourselves.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
     font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// An HTML page with the catalogue's security headers.
pub fn html(status: StatusCode, body: Markup) -> HttpResponse {
    let mut res = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body.into_string());
    secure(res.headers_mut());
    res
}

fn secure(headers: &mut header::HeaderMap) {
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
}

/// An error met while making a page, answered as a page: the status the JSON API would give
/// (404 for anything hidden), what was wrong in words, and where to go next.
#[derive(Debug)]
pub struct PageError(pub Error);

impl From<Error> for PageError {
    fn from(e: Error) -> Self {
        PageError(e)
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.0.status();
        if status.is_server_error() && !matches!(self.0, Error::Unavailable(_)) {
            // Logged once, here, where it is answered.
            tracing::error!(error.cause = %self.0, error.code = self.0.code(), "internal error on a page");
        }
        html(status, layout::error_page(status, &self.0))
    }
}

pub type PageResult = Result<HttpResponse, PageError>;

/// Runs a page's blocking work (the store, parsing, rendering) off the async workers.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, PageError> {
    Ok(crate::http::blocking(f).await?)
}

/// Parses a page's query string, answering a bad one with a 400 page that names the problem.
pub fn query<T: serde::de::DeserializeOwned>(req: &HttpRequest) -> Result<T, PageError> {
    web::Query::<T>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .map_err(|e| {
            PageError(Error::invalid(
                crate::error::Code::InvalidQuery,
                format!("the address's query string: {e}"),
            ))
        })
}

/// Is this a request for a page (not for the JSON API or the service's own endpoints)? Unknown
/// routes of pages answer a 404 page; unknown routes under `/api/` answer problem+json.
pub fn is_page_path(path: &str) -> bool {
    let service = path == "/api"
        || path.starts_with("/api/")
        || path.starts_with("/docs")
        || matches!(path, "/healthz" | "/readyz" | "/metrics");
    !service
}
