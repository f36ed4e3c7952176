//! `/api/v1/systems`: products and deployed services. Visibility applies as for APIs; publishers
//! of the owning organisation (and admins) create and change them.

use actix_web::{HttpResponse, get, patch, post, web};
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::blocking;
use super::caller::Caller;
use super::types::{ListQuery, ListResponse, SystemResponse, check_text, double_option};
use crate::AppState;
use crate::auth::policy::{Visible, require_owner};
use crate::domain::{MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, Slug, Visibility, check_optional_text};
use crate::error::{Error, Problem};
use crate::store::organisations::{self, Sort};
use crate::store::systems::{self, NewSystem, SystemChanges, SystemFilter};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SystemQuery {
    /// Only systems of this organisation (slug).
    pub org: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSystem {
    pub slug: String,
    pub name: String,
    /// Slug of the owning organisation.
    pub owner: String,
    pub description: Option<String>,
    /// public (default), policing or restricted.
    pub visibility: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSystem {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub description: Option<Option<String>>,
    pub visibility: Option<String>,
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
    let filter = SystemFilter {
        org: query.org.clone(),
        q: list.q.clone(),
    };
    let visible = Visible::for_principal(&caller.0);
    let paged = blocking(move || {
        state
            .store
            .read(|c| systems::list(c, &visible, &filter, sort, page))
    })
    .await?;
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
    let visible = Visible::for_principal(&caller.0);
    let system = blocking(move || {
        state
            .store
            .read(|c| systems::get_visible(c, &visible, &slug))
    })
    .await?;
    Ok(web::Json(system.into()))
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
    require_owner(&who, &body.owner, "creating a system")?;
    let system = blocking(move || {
        state.store.write(|c| {
            let owner = organisations::get(c, &body.owner)?;
            let system = systems::insert(
                c,
                &who,
                &NewSystem {
                    slug: &slug,
                    owner: &owner,
                    name: body.name.trim(),
                    description: body.description.as_deref(),
                    visibility,
                },
                json!({ "owner": owner.slug }),
            )?;
            Ok(system)
        })
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/systems/{}", system.system.slug),
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
    let body = body.into_inner();
    if let Some(n) = &body.name {
        check_text("name", n, MAX_NAME_CHARS)?;
    }
    if let Some(d) = &body.description {
        check_optional_text("description", d.as_deref(), MAX_DESCRIPTION_CHARS)?;
    }
    let changes = SystemChanges {
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
    let system = blocking(move || {
        state.store.write(|c| {
            let current = systems::get_visible(c, &Visible::for_principal(&who), &slug)?;
            require_owner(&who, &current.owner, "changing a system")?;
            systems::update(c, &who, current, changes)
        })
    })
    .await?;
    Ok(web::Json(system.into()))
}
