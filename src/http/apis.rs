//! `/api/v1/apis`: the catalogue's entries. Lists and reads are filtered by visibility; publishers of
//! the owning organisation (and admins) create APIs and change their metadata.

use actix_web::{HttpResponse, get, patch, post, web};
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::blocking;
use super::caller::Caller;
use super::consumptions::deprecation_warnings;
use super::types::{
    ApiResponse, ListQuery, ListResponse, check_tags, check_text, check_url, double_option,
};
use crate::AppState;
use crate::auth::policy::{Visible, require_owner};
use crate::domain::{
    CompatPolicy, Lifecycle, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, OrgKind, Slug, Visibility,
    check_optional_text,
};
use crate::error::{Code, Error, Problem};
use crate::ingest::conformance::Recheck;
use crate::store::apis::{self, ApiChanges, ApiFilter, NewApi};
use crate::store::organisations::{self, Sort};
use crate::store::relations::Claims;
use crate::store::systems;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApiQuery {
    /// Owner organisation slug.
    pub org: Option<String>,
    /// Owner kind: force, supplier, national_body or partner.
    pub org_kind: Option<String>,
    /// System slug.
    pub system: Option<String>,
    /// draft, active, deprecated or retired.
    pub lifecycle: Option<String>,
    /// public, policing or restricted.
    pub visibility: Option<String>,
    pub tag: Option<String>,
    /// Format of the latest version: swagger-2.0, openapi-3.0, openapi-3.1, or none (link-only).
    pub format: Option<String>,
}

pub(crate) const FORMATS: [&str; 4] = ["swagger-2.0", "openapi-3.0", "openapi-3.1", "none"];

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApi {
    pub slug: String,
    pub name: String,
    /// Slug of the owning organisation.
    pub owner: String,
    /// Slug of a system of the same organisation.
    pub system: Option<String>,
    pub description: Option<String>,
    /// public (default), policing or restricted.
    pub visibility: Option<String>,
    /// draft, active (default), deprecated or retired.
    pub lifecycle: Option<String>,
    pub documentation_url: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// off (default), warn or reject: what publishing a breaking change does.
    pub compatibility: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateApi {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub description: Option<Option<String>>,
    pub visibility: Option<String>,
    pub lifecycle: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub documentation_url: Option<Option<String>>,
    /// A system slug, or null to detach.
    #[serde(default, deserialize_with = "double_option")]
    pub system: Option<Option<String>>,
    /// Replaces all tags.
    pub tags: Option<Vec<String>>,
    /// off, warn or reject: what publishing a breaking change does.
    pub compatibility: Option<String>,
}

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
    let query = query.into_inner();
    if let Some(f) = query.format.as_deref().filter(|f| !FORMATS.contains(f)) {
        return Err(Error::invalid_at(
            Code::InvalidFormat,
            format!("format {f:?} is not one of: {}", FORMATS.join(", ")),
            "/format",
        ));
    }
    let filter = ApiFilter {
        q: list.q.clone(),
        org: query.org,
        org_kind: query.org_kind.as_deref().map(OrgKind::parse).transpose()?,
        system: query.system,
        lifecycle: query
            .lifecycle
            .as_deref()
            .map(Lifecycle::parse)
            .transpose()?,
        visibility: query
            .visibility
            .as_deref()
            .map(Visibility::parse)
            .transpose()?,
        tag: query.tag,
        format: query.format,
    };
    let visible = Visible::for_principal(&caller.0);
    let paged = blocking(move || {
        state
            .store
            .read(|c| apis::list(c, &visible, &filter, sort, page))
    })
    .await?;
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
    let visible = Visible::for_principal(&caller.0);
    let api = blocking(move || state.store.read(|c| apis::get_visible(c, &visible, &slug))).await?;
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
    let slug = Slug::parse("slug", &body.slug)?;
    check_text("name", &body.name, MAX_NAME_CHARS)?;
    check_optional_text(
        "description",
        body.description.as_deref(),
        MAX_DESCRIPTION_CHARS,
    )?;
    if let Some(u) = &body.documentation_url {
        check_url("documentation_url", u)?;
    }
    check_tags(&body.tags)?;
    let visibility = body
        .visibility
        .as_deref()
        .map(Visibility::parse)
        .transpose()?
        .unwrap_or(Visibility::Public);
    let lifecycle = body
        .lifecycle
        .as_deref()
        .map(Lifecycle::parse)
        .transpose()?
        .unwrap_or(Lifecycle::Active);
    let compatibility = body
        .compatibility
        .as_deref()
        .map(CompatPolicy::parse)
        .transpose()?
        .unwrap_or(CompatPolicy::Off);
    let who = caller.0;
    require_owner(&who, &body.owner, "creating an API")?;
    let api = blocking(move || {
        state
            .store
            .write(|c| {
                let owner = organisations::get(c, &body.owner)?;
                let system = match &body.system {
                    Some(s) => Some(system_of(c, &who, s, owner.id)?),
                    None => None,
                };
                let api = apis::insert(
                    c,
                    &who,
                    &NewApi {
                        slug: &slug,
                        owner: &owner,
                        system: system.as_ref(),
                        name: body.name.trim(),
                        description: body.description.as_deref(),
                        visibility,
                        lifecycle,
                        documentation_url: body.documentation_url.as_deref(),
                        compatibility,
                        source: "publish",
                        tags: &body.tags,
                    },
                    json!({ "owner": owner.slug, "visibility": visibility }),
                )?;
                Ok(api)
            })
            .inspect(|_| state.after_write())
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/apis/{}", api.api.slug)))
        .json(ApiResponse::from(api)))
}

/// A system the caller may see that belongs to the API's owner.
fn system_of(
    c: &mut crate::store::Conn,
    who: &crate::auth::Principal,
    slug: &str,
    owner_id: i64,
) -> Result<crate::store::systems::SystemRow, Error> {
    let system = systems::get_visible(c, &Visible::for_principal(who), slug)?.system;
    if system.organisation_id != owner_id {
        return Err(Error::invalid_at(
            Code::SystemOfOtherOwner,
            format!("system {slug} belongs to another organisation than the API"),
            "/system",
        ));
    }
    Ok(system)
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
    let body = body.into_inner();
    if let Some(n) = &body.name {
        check_text("name", n, MAX_NAME_CHARS)?;
    }
    if let Some(d) = &body.description {
        check_optional_text("description", d.as_deref(), MAX_DESCRIPTION_CHARS)?;
    }
    if let Some(Some(u)) = &body.documentation_url {
        check_url("documentation_url", u)?;
    }
    if let Some(tags) = &body.tags {
        check_tags(tags)?;
    }
    let visibility = body
        .visibility
        .as_deref()
        .map(Visibility::parse)
        .transpose()?;
    let lifecycle = body
        .lifecycle
        .as_deref()
        .map(Lifecycle::parse)
        .transpose()?;
    let compatibility = body
        .compatibility
        .as_deref()
        .map(CompatPolicy::parse)
        .transpose()?;
    let slug = path.into_inner();
    let who = caller.0;
    let system_changed = body.system.is_some();
    let api = blocking(move || {
        state
            .store
            .write(|c| {
                let current = apis::get_visible(c, &Visible::for_principal(&who), &slug)?;
                require_owner(&who, &current.owner, "changing an API")?;
                let system_id = match &body.system {
                    Some(Some(s)) => {
                        Some(Some(system_of(c, &who, s, current.api.organisation_id)?.id))
                    }
                    Some(None) => Some(None),
                    None => None,
                };
                let changes = ApiChanges {
                    name: body.name.map(|n| n.trim().to_string()),
                    description: body.description,
                    visibility,
                    lifecycle,
                    documentation_url: body.documentation_url,
                    system_id,
                    tags: body.tags,
                    compatibility,
                };
                let deprecating = changes.lifecycle.is_some_and(|l| {
                    matches!(l, Lifecycle::Deprecated | Lifecycle::Retired)
                        && l.as_str() != current.api.lifecycle
                });
                let api_id = current.api.id;
                let api = apis::update(c, &who, current, changes)?;
                let warnings = if deprecating {
                    deprecation_warnings(c, &Visible::for_principal(&who), api_id)?
                } else {
                    Vec::new()
                };
                Ok((api, warnings))
            })
            .inspect(|(api, _)| {
                state.after_write();
                // Claims made through this API depend on the system it belongs to.
                if system_changed {
                    state.verify_claims(Claims::OfApi(api.api.id), Recheck::Always);
                }
            })
    })
    .await?;
    let (api, warnings) = api;
    let mut response = ApiResponse::from(api);
    response.warnings = warnings;
    Ok(web::Json(response))
}
