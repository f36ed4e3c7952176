//! `/api/v1/contracts`: interoperability contracts. Curators create and version them (the
//! description is the request body, as for API versions); everyone who may see a contract reads it,
//! its versions, their original files and the systems that claim to implement it.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::blocking;
use super::caller::Caller;
use super::types::{
    ContractResponse, ContractVersionResponse, ImplementationResponse, ListQuery, ListResponse,
};
use super::versions::{OriginalQuery, PublishQuery};
use crate::AppState;
use crate::error::{Error, Problem};
use crate::store::organisations::Sort;
use crate::usecase::contracts::{self, CreateContract, UpdateContract};
use crate::usecase::versions::Outcome;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContractQuery {
    /// Only contracts of this organisation (slug).
    pub org: Option<String>,
}

/// List the contracts the caller may see.
#[utoipa::path(
    tag = "contracts",
    params(ListQuery, ContractQuery),
    responses(
        (status = 200, body = ListResponse<ContractResponse>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/contracts")]
pub async fn list_contracts(
    state: web::Data<AppState>,
    caller: Caller,
    list: web::Query<ListQuery>,
    query: web::Query<ContractQuery>,
) -> Result<web::Json<ListResponse<ContractResponse>>, Error> {
    let page = list.page()?;
    let sort = Sort::parse(list.sort.as_deref())?;
    let (org, q) = (query.into_inner().org, list.into_inner().q);
    let paged =
        blocking(move || contracts::list(&state.catalogue, &caller.0, org, q, sort, page)).await?;
    Ok(web::Json(ListResponse::new(
        paged.items.into_iter().map(Into::into).collect(),
        paged.total,
        page,
    )))
}

/// Create a contract (curators).
#[utoipa::path(
    tag = "contracts",
    request_body = CreateContract,
    security(("bearer" = [])),
    responses(
        (status = 201, body = ContractResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/contracts")]
pub async fn create_contract(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CreateContract>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let contract = blocking(move || contracts::create(&state.catalogue, &caller.0, &body)).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/contracts/{}", contract.contract.slug),
        ))
        .json(ContractResponse::from(contract)))
}

/// Get one contract.
#[utoipa::path(
    tag = "contracts",
    params(("contract" = String, Path, description = "Contract slug")),
    responses(
        (status = 200, body = ContractResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/contracts/{contract}")]
pub async fn get_contract(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<ContractResponse>, Error> {
    let slug = path.into_inner();
    let contract = blocking(move || contracts::get(&state.catalogue, &caller.0, &slug)).await?;
    Ok(web::Json(contract.into()))
}

/// Change a contract's name, description or visibility (curators). Versions never change.
#[utoipa::path(
    tag = "contracts",
    params(("contract" = String, Path, description = "Contract slug")),
    request_body = UpdateContract,
    security(("bearer" = [])),
    responses(
        (status = 200, body = ContractResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/contracts/{contract}")]
pub async fn update_contract(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: web::Json<UpdateContract>,
) -> Result<web::Json<ContractResponse>, Error> {
    let (slug, body) = (path.into_inner(), body.into_inner());
    let contract =
        blocking(move || contracts::update(&state.catalogue, &caller.0, &slug, body)).await?;
    Ok(web::Json(contract.into()))
}

/// List a contract's versions, highest first.
#[utoipa::path(
    tag = "contracts",
    params(("contract" = String, Path, description = "Contract slug")),
    responses(
        (status = 200, body = Vec<ContractVersionResponse>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/contracts/{contract}/versions")]
pub async fn list_contract_versions(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<Vec<ContractVersionResponse>>, Error> {
    let slug = path.into_inner();
    let (contract, versions) =
        blocking(move || contracts::versions(&state.catalogue, &caller.0, &slug)).await?;
    Ok(web::Json(
        versions
            .into_iter()
            .map(|v| ContractVersionResponse::new(&contract.contract.slug, v))
            .collect(),
    ))
}

/// Publish a version of a contract (curators): the OpenAPI description of the operations and
/// schemas an implementation must provide, as the request body (JSON, YAML, .zip or .tar.gz).
/// Every claim to implement the contract is checked again.
#[utoipa::path(
    tag = "contracts",
    params(("contract" = String, Path, description = "Contract slug"), PublishQuery),
    request_body(description = "The contract's OpenAPI description", content(
        (String = "application/yaml"), (String = "application/json"),
        (Vec<u8> = "application/zip"), (Vec<u8> = "application/gzip"))),
    security(("bearer" = [])),
    responses(
        (status = 201, body = ContractVersionResponse, description = "Stored as a new version"),
        (status = 200, body = ContractVersionResponse, description = "This content already is that version"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Not a readable OpenAPI description"),
    )
)]
#[post("/contracts/{contract}/versions")]
pub async fn publish_contract(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<PublishQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, Error> {
    super::check_description_body(&req, &body)?;
    let (slug, label) = (path.into_inner(), query.into_inner().version);
    let (outcome, contract, version) = blocking(move || {
        contracts::publish_body(&state.catalogue, &caller.0, &slug, label.as_deref(), &body)
    })
    .await?;
    let response = ContractVersionResponse::new(&contract.contract.slug, version);
    let mut builder = match outcome {
        Outcome::Created => HttpResponse::Created(),
        Outcome::Unchanged => HttpResponse::Ok(),
    };
    Ok(builder
        .insert_header((header::LOCATION, response.links.self_.clone()))
        .json(response))
}

/// Get one version of a contract (`latest` for the newest), with its operations.
#[utoipa::path(
    tag = "contracts",
    params(("contract" = String, Path, description = "Contract slug"), ("version" = String, Path, description = "Version label, or latest")),
    responses(
        (status = 200, body = ContractVersionResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/contracts/{contract}/versions/{version}")]
pub async fn get_contract_version(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<web::Json<ContractVersionResponse>, Error> {
    let (slug, label) = path.into_inner();
    let (contract, version) =
        blocking(move || contracts::version(&state.catalogue, &caller.0, &slug, &label)).await?;
    Ok(web::Json(ContractVersionResponse::new(
        &contract.contract.slug,
        version,
    )))
}

/// Download the original bytes of a contract version, exactly as published.
#[utoipa::path(
    tag = "contracts",
    params(("contract" = String, Path, description = "Contract slug"), ("version" = String, Path, description = "Version label, or latest"), OriginalQuery),
    responses(
        (status = 200, description = "The original file", content((String = "application/yaml"), (String = "application/json"))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/contracts/{contract}/versions/{version}/original")]
pub async fn get_contract_original(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    query: web::Query<OriginalQuery>,
) -> Result<HttpResponse, Error> {
    let (slug, label) = path.into_inner();
    let wanted = query.into_inner().path;
    let file = blocking(move || {
        contracts::original(
            &state.catalogue,
            &caller.0,
            &slug,
            &label,
            wanted.as_deref(),
        )
    })
    .await?;
    Ok(super::versions::download(file))
}

/// The systems that claim to implement a contract (any of its versions), with the status of
/// each claim. Claims whose system or API the caller may not see are left out.
#[utoipa::path(
    tag = "contracts",
    params(("contract" = String, Path, description = "Contract slug")),
    responses(
        (status = 200, body = Vec<ImplementationResponse>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/contracts/{contract}/implementations")]
pub async fn list_contract_implementations(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<Vec<ImplementationResponse>>, Error> {
    let slug = path.into_inner();
    let claims =
        blocking(move || contracts::implementations(&state.catalogue, &caller.0, &slug)).await?;
    Ok(web::Json(
        claims
            .into_iter()
            .map(|c| ImplementationResponse::new(c, false))
            .collect(),
    ))
}
