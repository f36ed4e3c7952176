//! `/api/v1/systems`: products and deployed services. Visibility applies as for APIs; publishers
//! of the owning organisation (and admins) create and change them.

use actix_web::{HttpResponse, get, patch, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::blocking;
use super::caller::Caller;
use super::types::{ListQuery, ListResponse, SystemResponse};
use crate::AppState;
use crate::error::{Error, Problem};
use crate::store::organisations::Sort;
use crate::tiers::Assessment;
use crate::usecase::systems::{self, CreateSystem, UpdateSystem};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SystemQuery {
    /// Only systems of this organisation (slug).
    pub org: Option<String>,
}

/// List the systems the caller may see.
#[utoipa::path(
    tag = "systems",
    params(ListQuery, SystemQuery),
    responses(
        (status = 200, body = ListResponse<SystemResponse>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/systems")]
pub async fn list_systems(
    state: web::Data<AppState>,
    caller: Caller,
    list: web::Query<ListQuery>,
    query: web::Query<SystemQuery>,
) -> Result<web::Json<ListResponse<SystemResponse>>, Error> {
    let page = list.page()?;
    let sort = Sort::parse(list.sort.as_deref())?;
    let (org, q) = (query.into_inner().org, list.into_inner().q);
    let paged =
        blocking(move || systems::list(&state.catalogue, &caller.0, org, q, sort, page)).await?;
    Ok(web::Json(ListResponse::new(
        paged.items.into_iter().map(Into::into).collect(),
        paged.total,
        page,
    )))
}

/// Get one system.
#[utoipa::path(
    tag = "systems",
    params(("system" = String, Path, description = "System slug")),
    responses(
        (status = 200, body = SystemResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/systems/{system}")]
pub async fn get_system(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<SystemResponse>, Error> {
    let slug = path.into_inner();
    let system = blocking(move || systems::get(&state.catalogue, &caller.0, &slug)).await?;
    Ok(web::Json(system.into()))
}

/// A system's interoperability tier, computed from the catalogue's evidence: each criterion of
/// Bronze, Silver and Gold with what meets it and what stops it, and what the next tier still
/// needs (docs/STANDARD.md, "Interoperability tiers").
#[utoipa::path(
    tag = "systems",
    params(("system" = String, Path, description = "System slug")),
    responses(
        (status = 200, body = Assessment),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/systems/{system}/tier")]
pub async fn get_system_tier(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<Assessment>, Error> {
    let slug = path.into_inner();
    let (_, assessment) =
        blocking(move || systems::tier(&state.catalogue, &caller.0, &slug)).await?;
    Ok(web::Json(assessment))
}

/// Create a system (publisher of its owner, or admin).
#[utoipa::path(
    tag = "systems",
    request_body = CreateSystem,
    security(("bearer" = [])),
    responses(
        (status = 201, body = SystemResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/systems")]
pub async fn create_system(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CreateSystem>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let system = blocking(move || systems::create(&state.catalogue, &caller.0, &body)).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/systems/{}", system.record.system.slug),
        ))
        .json(SystemResponse::from(system)))
}

/// Change a system (publisher of its owner, or admin).
#[utoipa::path(
    tag = "systems",
    params(("system" = String, Path, description = "System slug")),
    request_body = UpdateSystem,
    security(("bearer" = [])),
    responses(
        (status = 200, body = SystemResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/systems/{system}")]
pub async fn update_system(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: web::Json<UpdateSystem>,
) -> Result<web::Json<SystemResponse>, Error> {
    let (slug, body) = (path.into_inner(), body.into_inner());
    let system =
        blocking(move || systems::update(&state.catalogue, &caller.0, &slug, body)).await?;
    Ok(web::Json(system.into()))
}
