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
use crate::auth::policy::require_role;
use crate::domain::Role;
use crate::error::{Code, Error, Problem};
use crate::ingest::evaluate::Progress;
use crate::store::evaluations;
use pac_lint::Ruleset;

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

#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluationStatus {
    /// Versions with a description that have results under this version of the standard.
    pub evaluated: i64,
    /// Versions with a description.
    pub total: i64,
    /// The background run: running, evaluated, failed, queued, started_at, finished_at, last_error.
    #[schema(value_type = Object)]
    pub run: Progress,
}

fn status(state: &AppState) -> Result<EvaluationStatus, Error> {
    let id = &state.standard.identity;
    let (evaluated, total) = state
        .store
        .read(|c| evaluations::progress(c, &id.name, &id.version))?;
    Ok(EvaluationStatus {
        evaluated,
        total,
        run: state.evaluator.progress(),
    })
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
    let sees_counts = caller.0.has_role(Role::Curator);
    let answer = blocking(move || {
        Ok(StandardResponse {
            standard: pac_lint::ruleset::describe(&state.standard),
            evaluation: if sees_counts {
                Some(status(&state)?)
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
    require_role(
        &caller.0,
        Role::Curator,
        "starting an evaluation of the catalogue",
    )?;
    state.clone().into_inner().evaluate_in_background();
    let answer = blocking(move || status(&state)).await?;
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
    /// swagger-2.0, openapi-3.0 or openapi-3.1.
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
    let answer = blocking(move || {
        let ruleset: std::sync::Arc<Ruleset> = match wanted.as_deref() {
            None | Some("police-api-standard") => state.standard.clone(),
            Some("spectral:oas") => std::sync::Arc::new(
                Ruleset::built_in("spectral:oas").map_err(|e| Error::internal("ruleset", e))?,
            ),
            Some(other) => {
                return Err(Error::invalid(
                    Code::UnknownRuleset,
                    format!("ruleset {other:?} is not offered here: use police-api-standard or spectral:oas"),
                ));
            }
        };
        let desc = pac_spec::load_body(&body, &state.limits)?;
        let report = std::thread::scope(|s| {
            std::thread::Builder::new()
                .stack_size(pac_lint::LINT_STACK_BYTES)
                .spawn_scoped(s, || pac_lint::lint_description(&ruleset, &desc, &state.limits))
                .map_err(|e| Error::internal("lint thread", e))?
                .join()
                .map_err(|_| Error::internal("lint", "the check stopped unexpectedly"))?
                .map_err(Error::from)
        })?;
        let score = pac_lint::score::score(&ruleset, &report);
        Ok(LintResponse {
            ruleset: ruleset.identity.name.clone(),
            ruleset_version: ruleset.identity.version.clone(),
            spec_format: desc.format.as_str().to_owned(),
            findings: serde_json::to_value(&report.findings).unwrap_or_default(),
            score: score.map(|s| serde_json::to_value(s).unwrap_or_default()),
            unsupported: serde_json::to_value(&ruleset.unsupported).unwrap_or_default(),
        })
    })
    .await?;
    Ok(web::Json(answer))
}
