//! The Police API Catalogue: publish, find and judge the APIs of policing systems.
//!
//! Data flows `spec` (read and normalise descriptions) → `ingest` (publish and import) → `store`
//! (the truth, diesel over SQLite or PostgreSQL); `auth` decides who sees and changes what; `http` is the
//! edge (actix-web) and `cli` the command line. [`create_app`] builds the very app that `pac serve`
//! runs and that the tests drive.

pub mod auth;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod http;
pub mod ingest;
pub mod interop;
pub mod metrics;
pub mod search;
pub mod store;

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{App, HttpResponse, web};
use utoipa::OpenApi;

use crate::error::{Code, Location, Problem};

/// What every request handler shares.
pub struct AppState {
    pub store: store::Store,
    pub verifier: auth::jwt::Verifier,
    pub limits: pac_spec::Limits,
    pub metrics: metrics::Metrics,
    pub search: std::sync::Arc<search::Search>,
    /// Serialised search answers (see [`search::cache`]).
    pub search_cache: search::cache::ResultCache<web::Bytes>,
    /// The police API standard every published version is evaluated against.
    pub standard: std::sync::Arc<pac_lint::Ruleset>,
    /// Re-evaluates stored versions when the standard changes.
    pub evaluator: std::sync::Arc<ingest::evaluate::Evaluator>,
}

impl AppState {
    /// Starts evaluating, on a thread of its own, every stored version that has no results under
    /// the current standard. Returns false when a run is already going.
    pub fn evaluate_in_background(self: &std::sync::Arc<Self>) -> bool {
        if self.evaluator.progress().running {
            return false;
        }
        let state = self.clone();
        std::thread::Builder::new()
            .name("pac-evaluator".into())
            .spawn(move || {
                let result =
                    state
                        .evaluator
                        .run(&state.store, &state.standard, &state.limits, || {
                            state.after_write()
                        });
                if let Err(e) = result {
                    tracing::error!(error = %e, "evaluation against the standard stopped");
                }
            })
            .is_ok()
    }

    /// Checks claims to implement contracts after a publish of either side. A failure is logged,
    /// not returned: the publish stands, and claims left unchecked are checked at the next start.
    pub fn verify_claims(
        &self,
        which: store::relations::Claims,
        recheck: ingest::conformance::Recheck,
    ) {
        if let Err(e) = ingest::conformance::verify(&self.store, which, recheck, &self.limits) {
            tracing::error!(error = %e, "claims to implement contracts not checked");
        }
    }

    /// Brings search up to date after a write has committed. A failure is logged, not returned: the
    /// write stands, and the next catch-up (at most a few seconds away in `pac serve`) repairs it.
    pub fn after_write(&self) {
        if let Err(e) = self.search.catch_up(&self.store) {
            tracing::error!(error = %e, "search index not updated after a write; it will catch up");
        }
    }
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
    let payload_limit = state.limits.max_document_bytes;
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
        .default_service(web::to(http::not_found))
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
    let is_problem = res
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if is_problem {
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
