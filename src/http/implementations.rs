//! `/api/v1/systems/{system}/implements`: a system's claims to implement contract versions through
//! one of its APIs. A claim is verified, not taken on trust: it is checked when it is made and
//! whenever the API or the contract publishes a version, and the status (conformant, not
//! conformant, unverified) and report are stored with it. Publishers record claims for their own
//! organisation's systems; curators for any.

use actix_web::{HttpResponse, delete, get, post, web};

use super::blocking;
use super::caller::Caller;
use super::types::ImplementationResponse;
use crate::AppState;
use crate::error::{Error, Problem};
use crate::usecase::claims::{self, CreateClaim};

/// List a system's claims to implement contracts, with the status of each.
#[utoipa::path(
    tag = "interop",
    params(("system" = String, Path, description = "System slug")),
    responses(
        (status = 200, body = Vec<ImplementationResponse>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/systems/{system}/implements")]
pub async fn list_implementations(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<Vec<ImplementationResponse>>, Error> {
    let slug = path.into_inner();
    let claims = blocking(move || claims::list(&state.catalogue, &caller.0, &slug)).await?;
    Ok(web::Json(
        claims
            .into_iter()
            .map(|c| ImplementationResponse::new(c, false))
            .collect(),
    ))
}

/// Claim that a system implements a contract version through one of its APIs. The claim is
/// checked at once; the answer carries the status and the conformance report.
#[utoipa::path(
    tag = "interop",
    params(("system" = String, Path, description = "System slug")),
    request_body = CreateClaim,
    security(("bearer" = [])),
    responses(
        (status = 201, body = ImplementationResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/systems/{system}/implements")]
pub async fn create_implementation(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: web::Json<CreateClaim>,
) -> Result<HttpResponse, Error> {
    let (slug, body) = (path.into_inner(), body.into_inner());
    let claim = blocking(move || claims::create(&state.catalogue, &caller.0, &slug, &body)).await?;
    let claim = ImplementationResponse::new(claim, true);
    Ok(HttpResponse::Created()
        .insert_header(("Location", claim.self_.clone()))
        .json(claim))
}

/// One claim with its conformance report: each contract operation, met or not, with the reasons.
#[utoipa::path(
    tag = "interop",
    params(
        ("system" = String, Path, description = "System slug"),
        ("contract" = String, Path, description = "Contract slug"),
        ("version" = String, Path, description = "Contract version label, or latest"),
    ),
    responses(
        (status = 200, body = ImplementationResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/systems/{system}/implements/{contract}/{version}")]
pub async fn get_implementation(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String, String)>,
) -> Result<web::Json<ImplementationResponse>, Error> {
    let (system, contract, label) = path.into_inner();
    let claim =
        blocking(move || claims::get(&state.catalogue, &caller.0, &system, &contract, &label))
            .await?;
    Ok(web::Json(ImplementationResponse::new(claim, true)))
}

/// Withdraw a claim (publisher of the system's owner, curator or admin).
#[utoipa::path(
    tag = "interop",
    params(
        ("system" = String, Path, description = "System slug"),
        ("contract" = String, Path, description = "Contract slug"),
        ("version" = String, Path, description = "Contract version label, or latest"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/systems/{system}/implements/{contract}/{version}")]
pub async fn delete_implementation(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, Error> {
    let (system, contract, label) = path.into_inner();
    blocking(move || claims::withdraw(&state.catalogue, &caller.0, &system, &contract, &label))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
