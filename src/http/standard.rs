//! The police API standard over HTTP: what it says, how far re-evaluation has got, and a check of
//! a description without publishing it.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::blocking;
use super::caller::Caller;
use crate::AppState;
use crate::domain::Role;
use crate::error::{Error, Problem};
use crate::usecase::evaluate::{self, EvaluationStatus};

/// The standard in force, its rules with their rationale and how to fix them, and (for curators
/// and admins) how many stored versions have been evaluated against this version of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StandardResponse {
    /// Name, version, title, published, summary, view, rules, unsupported.
    #[schema(value_type = Object)]
    pub standard: Value,
    /// Counts over the whole catalogue, hidden versions included, so only for curators and admins.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<EvaluationStatus>,
}

/// The police API standard: every rule with its level, category, rationale and how to fix it,
/// and, for curators and admins, the progress of evaluating stored versions against it.
#[utoipa::path(
    tag = "standard",
    responses((status = 200, body = StandardResponse))
)]
#[get("/standard")]
pub async fn get_standard(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<StandardResponse>, Error> {
    let answer = blocking(move || {
        let cat = &state.catalogue;
        Ok(StandardResponse {
            standard: pac_lint::ruleset::describe(&cat.standard),
            evaluation: if caller.0.has_role(Role::Curator) {
                Some(evaluate::status(cat, &caller.0)?)
            } else {
                None
            },
        })
    })
    .await?;
    Ok(web::Json(answer))
}

/// Starts evaluating, in the background, every stored version that has no results under the
/// standard in force (curators and admins, who look after the standard). Old results are kept. Progress is in `GET /api/v1/standard`.
#[utoipa::path(
    tag = "standard",
    security(("bearer" = [])),
    responses(
        (status = 202, body = EvaluationStatus, description = "Started, or already running"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/standard/evaluations")]
pub async fn start_evaluation(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, Error> {
    let answer = blocking(move || evaluate::start(&state.catalogue, &caller.0)).await?;
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, "/api/v1/standard"))
        .json(answer))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LintQuery {
    /// `police-api-standard` (the standard in force; default) or `spectral:oas`.
    pub ruleset: Option<String>,
}

/// The findings of one description.
#[derive(Debug, Serialize, ToSchema)]
pub struct LintResponse {
    pub ruleset: String,
    pub ruleset_version: String,
    /// swagger-2.0, openapi-3.0, openapi-3.1 or openapi-3.2.
    pub spec_format: String,
    /// Each has rule, severity, message, pointer, line and column (in the body as sent).
    #[schema(value_type = Vec<Object>)]
    pub findings: Value,
    /// Kitemark, score and breakdown; null for a ruleset that is not a standard.
    #[schema(value_type = Option<Object>)]
    pub score: Option<Value>,
    /// Rules of the ruleset that pac cannot run, and why.
    #[schema(value_type = Vec<Object>)]
    pub unsupported: Value,
}

/// Checks a description against the standard (or `spectral:oas`) without publishing it; nothing
/// is stored. The body is the description, as for publishing.
#[utoipa::path(
    tag = "standard",
    params(LintQuery),
    request_body(description = "The description (JSON, YAML, .zip or .tar.gz)", content(
        (String = "application/yaml"), (String = "application/json"),
        (Vec<u8> = "application/zip"), (Vec<u8> = "application/gzip"))),
    responses(
        (status = 200, body = LintResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Not a readable OpenAPI description"),
    )
)]
#[post("/lint")]
pub async fn lint(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<LintQuery>,
    body: web::Bytes,
) -> Result<web::Json<LintResponse>, Error> {
    super::check_description_body(&req, &body)?;
    let wanted = query.into_inner().ruleset;
    let linted =
        blocking(move || evaluate::lint_body(&state.catalogue, wanted.as_deref(), &body)).await?;
    Ok(web::Json(LintResponse {
        ruleset: linted.ruleset.identity.name.clone(),
        ruleset_version: linted.ruleset.identity.version.clone(),
        spec_format: linted.format.as_str().to_owned(),
        findings: serde_json::to_value(&linted.report.findings).unwrap_or_default(),
        score: linted
            .score
            .map(|s| serde_json::to_value(s).unwrap_or_default()),
        unsupported: serde_json::to_value(&linted.ruleset.unsupported).unwrap_or_default(),
    }))
}
