//! `/api/v1/organisations`: forces, suppliers, national bodies and partners. Anyone may read them;
//! curators and admins create and change them.

use actix_web::{HttpResponse, get, patch, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::blocking;
use super::caller::Caller;
use super::types::{ListQuery, ListResponse, OrganisationResponse};
use crate::AppState;
use crate::error::{Error, Problem};
use crate::store::organisations::Sort;
use crate::usecase::organisations::{self, CreateOrganisation, UpdateOrganisation};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationQuery {
    /// Only organisations of this kind: force, supplier, national_body or partner.
    pub kind: Option<String>,
}

/// List organisations.
#[utoipa::path(
    tag = "organisations",
    params(ListQuery, OrganisationQuery),
    responses(
        (status = 200, body = ListResponse<OrganisationResponse>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations")]
pub async fn list_organisations(
    state: web::Data<AppState>,
    _caller: Caller,
    list: web::Query<ListQuery>,
    query: web::Query<OrganisationQuery>,
) -> Result<web::Json<ListResponse<OrganisationResponse>>, Error> {
    let page = list.page()?;
    let sort = Sort::parse(list.sort.as_deref())?;
    let (kind, q) = (query.into_inner().kind, list.into_inner().q);
    let paged =
        blocking(move || organisations::list(&state.catalogue, kind.as_deref(), q, sort, page))
            .await?;
    Ok(web::Json(ListResponse::new(
        paged.items.into_iter().map(Into::into).collect(),
        paged.total,
        page,
    )))
}

/// Get one organisation.
#[utoipa::path(
    tag = "organisations",
    params(("org" = String, Path, description = "Organisation slug")),
    responses(
        (status = 200, body = OrganisationResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{org}")]
pub async fn get_organisation(
    state: web::Data<AppState>,
    _caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<OrganisationResponse>, Error> {
    let slug = path.into_inner();
    let org = blocking(move || organisations::get(&state.catalogue, &slug)).await?;
    Ok(web::Json(org.into()))
}

/// Create an organisation (curator or admin).
#[utoipa::path(
    tag = "organisations",
    request_body = CreateOrganisation,
    security(("bearer" = [])),
    responses(
        (status = 201, body = OrganisationResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organisations")]
pub async fn create_organisation(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CreateOrganisation>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let org = blocking(move || organisations::create(&state.catalogue, &caller.0, &body)).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/organisations/{}", org.slug)))
        .json(OrganisationResponse::from(org)))
}

/// Change an organisation's details (curator or admin).
#[utoipa::path(
    tag = "organisations",
    params(("org" = String, Path, description = "Organisation slug")),
    request_body = UpdateOrganisation,
    security(("bearer" = [])),
    responses(
        (status = 200, body = OrganisationResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/organisations/{org}")]
pub async fn update_organisation(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: web::Json<UpdateOrganisation>,
) -> Result<web::Json<OrganisationResponse>, Error> {
    let (slug, body) = (path.into_inner(), body.into_inner());
    let org =
        blocking(move || organisations::update(&state.catalogue, &caller.0, &slug, body)).await?;
    Ok(web::Json(org.into()))
}
