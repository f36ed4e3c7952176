//! `/api/v1/contracts`: interoperability contracts. Curators create and version them (the
//! description is the request body, as for API versions); everyone who may see a contract reads it,
//! its versions, their original files and the systems that claim to implement it.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::blocking;
use super::caller::Caller;
use super::types::{
    ContractResponse, ContractVersionResponse, ImplementationResponse, ListQuery, ListResponse,
    check_text, double_option,
};
use super::versions::{OriginalQuery, PublishQuery};
use crate::AppState;
use crate::auth::Principal;
use crate::auth::policy::{Visible, require_role};
use crate::domain::{
    MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, Role, Slug, VersionLabel, Visibility,
    check_optional_text,
};
use crate::error::{Code, Error, Problem};
use crate::ingest::conformance::Recheck;
use crate::ingest::contracts::publish_contract_version;
use crate::ingest::publish::{self, Outcome};
use crate::store::blobs;
use crate::store::contracts::{self, ContractChanges, ContractFilter, NewContract};
use crate::store::organisations::{self, Sort};
use crate::store::relations::Claims;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContractQuery {
    /// Only contracts of this organisation (slug).
    pub org: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateContract {
    pub slug: String,
    pub name: String,
    /// Slug of the organisation that maintains the contract (e.g. a national body).
    pub owner: String,
    pub description: Option<String>,
    /// public (default), policing or restricted.
    pub visibility: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateContract {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub description: Option<Option<String>>,
    pub visibility: Option<String>,
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
    let filter = ContractFilter {
        org: query.org.clone(),
        q: list.q.clone(),
    };
    let visible = Visible::for_principal(&caller.0);
    let paged = blocking(move || {
        state
            .store
            .read(|c| contracts::list(c, &visible, &filter, sort, page))
    })
    .await?;
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
    let slug = Slug::parse("slug", &body.slug)?;
    check_text("name", &body.name, MAX_NAME_CHARS)?;
    check_optional_text(
        "description",
        body.description.as_deref(),
        MAX_DESCRIPTION_CHARS,
    )?;
    let visibility = body
        .visibility
        .as_deref()
        .map(Visibility::parse)
        .transpose()?
        .unwrap_or(Visibility::Public);
    let who = caller.0;
    require_role(&who, Role::Curator, "creating a contract")?;
    require_can_restrict(&who, visibility, &body.owner)?;
    let contract = blocking(move || {
        state.store.write(|c| {
            let owner = organisations::get(c, &body.owner)?;
            contracts::insert(
                c,
                &who,
                &NewContract {
                    slug: &slug,
                    owner: &owner,
                    name: body.name.trim(),
                    description: body.description.as_deref(),
                    visibility,
                },
            )
        })
    })
    .await?;
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
    let visible = Visible::for_principal(&caller.0);
    let contract = blocking(move || {
        state
            .store
            .read(|c| contracts::get_visible(c, &visible, &slug))
    })
    .await?;
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
    let body = body.into_inner();
    if let Some(n) = &body.name {
        check_text("name", n, MAX_NAME_CHARS)?;
    }
    if let Some(d) = &body.description {
        check_optional_text("description", d.as_deref(), MAX_DESCRIPTION_CHARS)?;
    }
    let changes = ContractChanges {
        name: body.name.map(|n| n.trim().to_string()),
        description: body.description,
        visibility: body
            .visibility
            .as_deref()
            .map(Visibility::parse)
            .transpose()?,
    };
    let slug = path.into_inner();
    let who = caller.0;
    let contract = blocking(move || {
        state.store.write(|c| {
            let current = contracts::get_visible(c, &Visible::for_principal(&who), &slug)?;
            require_role(&who, Role::Curator, "changing a contract")?;
            if let Some(v) = changes.visibility {
                require_can_restrict(&who, v, &current.owner)?;
            }
            contracts::update(c, &who, current, changes)
        })
    })
    .await?;
    Ok(web::Json(contract.into()))
}

/// A restricted contract is seen by its owner and admins only, so a curator may restrict only
/// their own organisation's contracts: one of another organisation's would vanish from their view.
fn require_can_restrict(who: &Principal, visibility: Visibility, owner: &str) -> Result<(), Error> {
    let own = who.org().is_some_and(|o| o.as_str() == owner);
    if visibility == Visibility::Restricted && !own && !who.is_admin() {
        return Err(Error::invalid_at(
            Code::InvalidVisibility,
            format!(
                "a curator may make restricted only contracts of their own organisation, not of {owner}: restricted contracts are seen by their owner and admins only"
            ),
            "/visibility",
        ));
    }
    Ok(())
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
    let visible = Visible::for_principal(&caller.0);
    let versions = blocking(move || {
        state.store.read(|c| {
            let contract = contracts::get_visible(c, &visible, &slug)?;
            Ok(contracts::versions(c, contract.contract.id)?
                .into_iter()
                .map(|v| ContractVersionResponse::new(&contract.contract.slug, v))
                .collect())
        })
    })
    .await?;
    Ok(web::Json(versions))
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
    let label = query
        .version
        .as_deref()
        .map(VersionLabel::parse)
        .transpose()?;
    super::check_description_body(&req, &body)?;
    let slug = path.into_inner();
    let who = caller.0;
    let (outcome, response) = blocking(move || {
        // Check the contract and the caller's rights before the parse.
        state.store.read(|c| {
            contracts::get_visible(c, &Visible::for_principal(&who), &slug)?;
            require_role(&who, Role::Curator, "publishing a contract version")
        })?;
        let desc = pac_spec::load_body(&body, &state.limits)?;
        let label = publish::label_for(label.as_ref(), &desc)?;
        let (outcome, contract, version) = state
            .store
            .write(|c| publish_contract_version(c, &who, &slug, &label, &desc))?;
        if outcome == Outcome::Created {
            state.verify_claims(Claims::OfContract(contract.contract.id), Recheck::Always);
        }
        Ok((
            outcome,
            ContractVersionResponse::new(&contract.contract.slug, version),
        ))
    })
    .await?;
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
    let visible = Visible::for_principal(&caller.0);
    let version = blocking(move || {
        state.store.read(|c| {
            let contract = contracts::get_visible(c, &visible, &slug)?;
            let version = contracts::get_version(c, &contract.contract, &label)?;
            Ok(ContractVersionResponse::new(
                &contract.contract.slug,
                version,
            ))
        })
    })
    .await?;
    Ok(web::Json(version))
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
    let visible = Visible::for_principal(&caller.0);
    let ((path, media_type, sha256), bytes) = blocking(move || {
        state.store.read(|c| {
            let contract = contracts::get_visible(c, &visible, &slug)?;
            let version = contracts::get_version(c, &contract.contract, &label)?;
            let mut files = contracts::files(c, version.id)?.into_iter();
            let file = match &wanted {
                Some(p) => files.find(|f| &f.0 == p),
                None => files.next(),
            }
            .ok_or_else(|| {
                Error::NotFound(format!(
                    "file {} in version {label} of contract {slug}",
                    wanted.as_deref().unwrap_or("(root)")
                ))
            })?;
            let bytes = blobs::get(c, &file.2)?;
            Ok((file, bytes))
        })
    })
    .await?;
    let filename = path.rsplit('/').next().unwrap_or("openapi").to_string();
    Ok(HttpResponse::Ok()
        .content_type(media_type.as_str())
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(filename)],
        })
        .insert_header((header::ETAG, format!("\"{sha256}\"")))
        .body(bytes))
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
    let visible = Visible::for_principal(&caller.0);
    let claims = blocking(move || {
        state.store.read(|c| {
            let contract = contracts::get_visible(c, &visible, &slug)?;
            let claims = crate::store::relations::implementations(
                c,
                Claims::OfContract(contract.contract.id),
            )?;
            super::implementations::responses(c, &visible, claims, false)
        })
    })
    .await?;
    Ok(web::Json(claims))
}
