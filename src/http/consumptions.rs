//! `/api/v1/systems/{system}/consumes`: which APIs a system uses, what for, and what each
//! integration replaces (manual re-keying, screen scraping, or nothing) with the hours it saves a
//! month; and, from the other side, `/api/v1/apis/{api}/versions/{version}/consumers`: the systems
//! a deprecation of that version affects. Publishers record uses for their own organisation's
//! systems; curators for any.

use actix_web::{HttpResponse, delete, get, put, web};

use super::blocking;
use super::caller::Caller;
use super::types::ConsumptionResponse;
use crate::AppState;
use crate::error::{Error, Problem};
use crate::usecase::uses::{self, PutUse};

/// List the APIs a system consumes.
#[utoipa::path(
    tag = "interop",
    params(("system" = String, Path, description = "System slug")),
    responses(
        (status = 200, body = Vec<ConsumptionResponse>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/systems/{system}/consumes")]
pub async fn list_consumptions(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<Vec<ConsumptionResponse>>, Error> {
    let slug = path.into_inner();
    let uses = blocking(move || uses::list(&state.catalogue, &caller.0, &slug)).await?;
    Ok(web::Json(
        uses.into_iter().map(ConsumptionResponse::from).collect(),
    ))
}

/// Record that a system consumes an API, or replace what was recorded.
#[utoipa::path(
    tag = "interop",
    params(("system" = String, Path, description = "System slug"), ("api" = String, Path, description = "API slug")),
    request_body = PutUse,
    security(("bearer" = [])),
    responses(
        (status = 201, body = ConsumptionResponse, description = "Recorded"),
        (status = 200, body = ConsumptionResponse, description = "Replaced what was recorded"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/systems/{system}/consumes/{api}")]
pub async fn put_consumption(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    body: web::Json<PutUse>,
) -> Result<HttpResponse, Error> {
    let ((system, api), body) = (path.into_inner(), body.into_inner());
    let (view, created) =
        blocking(move || uses::put(&state.catalogue, &caller.0, &system, &api, &body)).await?;
    let response = ConsumptionResponse::from(view);
    Ok(if created {
        HttpResponse::Created().json(response)
    } else {
        HttpResponse::Ok().json(response)
    })
}

/// Remove the record that a system consumes an API.
#[utoipa::path(
    tag = "interop",
    params(("system" = String, Path, description = "System slug"), ("api" = String, Path, description = "API slug")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/systems/{system}/consumes/{api}")]
pub async fn delete_consumption(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Error> {
    let (system, api) = path.into_inner();
    blocking(move || uses::remove(&state.catalogue, &caller.0, &system, &api)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Deprecation impact: the systems that consume this version of the API (those that name it, and
/// those that name no version). Systems the caller may not see are left out.
#[utoipa::path(
    tag = "interop",
    params(("api" = String, Path, description = "API slug"), ("version" = String, Path, description = "Version label, or latest")),
    responses(
        (status = 200, body = Vec<ConsumptionResponse>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apis/{api}/versions/{version}/consumers")]
pub async fn list_consumers(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<web::Json<Vec<ConsumptionResponse>>, Error> {
    let (api, label) = path.into_inner();
    let uses = blocking(move || uses::consumers(&state.catalogue, &caller.0, &api, &label)).await?;
    Ok(web::Json(
        uses.into_iter().map(ConsumptionResponse::from).collect(),
    ))
}
