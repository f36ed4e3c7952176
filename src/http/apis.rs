//! `/api/v1/apis`: the catalogue's entries. Lists and reads are filtered by visibility; publishers of
//! the owning organisation (and admins) create APIs and change their metadata.

use actix_web::{HttpResponse, get, patch, post, web};

use super::blocking;
use super::caller::Caller;
use super::types::{ApiResponse, ListQuery, ListResponse};
use crate::AppState;
use crate::error::{Error, Problem};
use crate::store::organisations::Sort;
use crate::usecase::apis::{self, ApiQuery, CreateApi, UpdateApi};

/// List the APIs the caller may see, filtered and paged.
#[utoipa::path(
    tag = "apis",
    params(ListQuery, ApiQuery),
    responses(
        (status = 200, body = ListResponse<ApiResponse>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apis")]
pub async fn list_apis(
    state: web::Data<AppState>,
    caller: Caller,
    list: web::Query<ListQuery>,
    query: web::Query<ApiQuery>,
) -> Result<web::Json<ListResponse<ApiResponse>>, Error> {
    let page = list.page()?;
    let sort = Sort::parse(list.sort.as_deref())?;
    let (query, q) = (query.into_inner(), list.into_inner().q);
    let paged =
        blocking(move || apis::list(&state.catalogue, &caller.0, query, q, sort, page)).await?;
    Ok(web::Json(ListResponse::new(
        paged.items.into_iter().map(Into::into).collect(),
        paged.total,
        page,
    )))
}

/// Get one API.
#[utoipa::path(
    tag = "apis",
    params(("api" = String, Path, description = "API slug")),
    responses(
        (status = 200, body = ApiResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apis/{api}")]
pub async fn get_api(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<ApiResponse>, Error> {
    let slug = path.into_inner();
    let api = blocking(move || apis::get(&state.catalogue, &caller.0, &slug)).await?;
    Ok(web::Json(api.into()))
}

/// Create an API (publisher of its owner, or admin). Versions are published to it afterwards; an
/// API with only a documentation URL is a link-only entry.
#[utoipa::path(
    tag = "apis",
    request_body = CreateApi,
    security(("bearer" = [])),
    responses(
        (status = 201, body = ApiResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/apis")]
pub async fn create_api(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CreateApi>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let api = blocking(move || apis::create(&state.catalogue, &caller.0, body)).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/apis/{}", api.api.slug)))
        .json(ApiResponse::from(api)))
}

/// Change an API's metadata (publisher of its owner, or admin). Versions never change.
#[utoipa::path(
    tag = "apis",
    params(("api" = String, Path, description = "API slug")),
    request_body = UpdateApi,
    security(("bearer" = [])),
    responses(
        (status = 200, body = ApiResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/apis/{api}")]
pub async fn update_api(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: web::Json<UpdateApi>,
) -> Result<web::Json<ApiResponse>, Error> {
    let (slug, body) = (path.into_inner(), body.into_inner());
    let updated = blocking(move || apis::update(&state.catalogue, &caller.0, &slug, body)).await?;
    let mut response = ApiResponse::from(updated.api);
    response.warnings = updated.warnings;
    Ok(web::Json(response))
}
