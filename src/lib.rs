//! The Police API Catalogue: publish, find and judge the APIs of policing systems.
//!
//! The engines are crates of their own (`pac_spec` reads descriptions, `pac_compat` compares them,
//! `pac_lint` judges them against rulesets); here, `store` is the truth (diesel over SQLite or
//! PostgreSQL), `search` the index derived from it, `auth` decides who sees and changes what, and
//! `usecase` holds every action a person or a script can take. The edges only call use cases:
//! `http` (actix-web), `cli` (the command line) and `ingest` (files and catalogue folders).
//! [`create_app`] builds the very app that `pac serve` runs and that the tests drive.

pub mod auth;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod http;
pub mod ingest;
pub mod interop;
pub mod metrics;
pub mod pages;
pub mod search;
pub mod store;
pub mod tiers;
pub mod usecase;

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{App, HttpResponse, web};
use utoipa::OpenApi;

use crate::error::{Code, Location, Problem};

/// What every request handler shares.
pub struct AppState {
    /// What the use cases act on.
    pub catalogue: usecase::Catalogue,
    pub verifier: auth::jwt::Verifier,
    pub metrics: metrics::Metrics,
    /// The same index as the catalogue's, for searching.
    pub search: std::sync::Arc<search::Search>,
    /// Serialised search answers (see [`search::cache`]).
    pub search_cache: search::cache::ResultCache<web::Bytes>,
    /// Web sessions, their cookies and OpenID Connect.
    pub sign_in: auth::session::SignInSettings,
}

/// Builds the application: routes, extractor limits, metrics and error shaping.
pub fn create_app(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let payload_limit = state.catalogue.limits.max_document_bytes;
    App::new()
        .app_data(state)
        .app_data(web::PayloadConfig::new(payload_limit))
        .configure(http::extractor_configs)
        // Before the /api/v1 scope, which would otherwise claim /api/v1/openapi.json.
        .service(
            utoipa_swagger_ui::SwaggerUi::new("/docs/{_:.*}")
                .url("/api/v1/openapi.json", http::docs::ApiDoc::openapi()),
        )
        .configure(http::configure)
        .configure(pages::configure)
        .default_service(web::to(http::not_found))
        .wrap(actix_web::middleware::from_fn(
            pages::visitor::clear_stale_session,
        ))
        .wrap_fn(|req, srv| {
            use actix_web::dev::Service;
            let next = match http::check_url(req.path(), req.query_string()) {
                Ok(()) => Ok(srv.call(req)),
                Err(e) => Err(req.error_response(e)),
            };
            async move {
                match next {
                    Ok(call) => call.await.map(ServiceResponse::map_into_boxed_body),
                    Err(refused) => Ok(refused),
                }
            }
        })
        .wrap(ErrorHandlers::new().default_handler(as_problem))
        .wrap_fn(|req, srv| {
            use actix_web::dev::Service;
            let started = Instant::now();
            let state = req.app_data::<web::Data<AppState>>().cloned();
            let (method, path) = (req.method().clone(), req.path().to_string());
            let fut = srv.call(req);
            async move {
                let res = fut.await?;
                let elapsed = started.elapsed();
                let status = res.status().as_u16();
                if let Some(state) = state {
                    state.metrics.observe(status, elapsed);
                }
                tracing::info!(
                    http.method = %method,
                    http.path = %path,
                    http.status = status,
                    duration_ms = elapsed.as_secs_f64() * 1000.0,
                    "request"
                );
                Ok(res)
            }
        })
}

/// Gives every error response that did not come from our own error type (actix's 405, 413 of a
/// payload, …) the same problem+json shape and a stable code.
fn as_problem<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // Our own errors are already shaped: problem+json for the JSON API, a page for a browser.
    let shaped = res
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .is_some_and(|v| {
            v.as_bytes().starts_with(b"application/problem+json")
                || v.as_bytes().starts_with(b"text/html")
        });
    if shaped {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let detail = res
        .response()
        .error()
        .map(|e| e.to_string())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_string());
    let code = match status.as_u16() {
        400 => Code::BadRequest,
        404 => Code::NotFound,
        405 => Code::MethodNotAllowed,
        413 => Code::PayloadTooLarge,
        415 => Code::UnsupportedMediaType,
        s if s >= 500 => Code::Internal,
        _ => Code::HttpError,
    };
    let problem = Problem {
        kind: "about:blank",
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail: if status.is_server_error() {
            "an unexpected error occurred; it has been logged".to_string()
        } else {
            detail
        },
        code: code.as_str().to_string(),
        location: Location::default(),
    };
    let (req, _) = res.into_parts();
    let response = HttpResponse::build(status)
        .content_type("application/problem+json")
        .json(problem);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}
