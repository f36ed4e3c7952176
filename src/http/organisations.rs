//! `/api/v1/organisations`: forces, suppliers, national bodies and partners. Anyone may read them;
//! curators and admins create and change them.

use actix_web::{HttpResponse, get, patch, post, web};
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::blocking;
use super::caller::Caller;
use super::types::{
    ListQuery, ListResponse, OrganisationResponse, check_text, check_url, double_option,
};
use crate::AppState;
use crate::auth::policy::require_role;
use crate::domain::{
    MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, OrgKind, Role, Slug, check_optional_text,
};
use crate::error::{Error, Problem};
use crate::store::organisations::{
    self, NewOrganisation, OrganisationChanges, OrganisationFilter, Sort,
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationQuery {
    /// Only organisations of this kind: force, supplier, national_body or partner.
    pub kind: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganisation {
    pub slug: String,
    pub name: String,
    /// force, supplier, national_body or partner.
    pub kind: String,
    pub homepage: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganisation {
    pub name: Option<String>,
    pub kind: Option<String>,
    /// null clears it.
    #[serde(default, deserialize_with = "double_option")]
    pub homepage: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    pub description: Option<Option<String>>,
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
    let filter = OrganisationFilter {
        kind: query.kind.as_deref().map(OrgKind::parse).transpose()?,
        q: list.q.clone(),
    };
    let paged = blocking(move || {
        state
            .store
            .read(|c| organisations::list(c, &filter, sort, page))
    })
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
    let org = blocking(move || state.store.read(|c| organisations::get(c, &slug))).await?;
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
    require_role(&caller.0, Role::Curator, "creating an organisation")?;
    let body = body.into_inner();
    let slug = Slug::parse("slug", &body.slug)?;
    check_text("name", &body.name, MAX_NAME_CHARS)?;
    check_optional_text(
        "description",
        body.description.as_deref(),
        MAX_DESCRIPTION_CHARS,
    )?;
    let kind = OrgKind::parse(&body.kind)?;
    if let Some(h) = &body.homepage {
        check_url("homepage", h)?;
    }
    let who = caller.0;
    let org = blocking(move || {
        state.store.write(|c| {
            let org = organisations::insert(
                c,
                &who,
                &NewOrganisation {
                    slug: &slug,
                    name: body.name.trim(),
                    kind,
                    homepage: body.homepage.as_deref(),
                    description: body.description.as_deref(),
                },
                json!({}),
            )?;
            Ok(org)
        })
    })
    .await?;
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
    require_role(&caller.0, Role::Curator, "changing an organisation")?;
    let body = body.into_inner();
    if let Some(n) = &body.name {
        check_text("name", n, MAX_NAME_CHARS)?;
    }
    if let Some(Some(h)) = &body.homepage {
        check_url("homepage", h)?;
    }
    if let Some(d) = &body.description {
        check_optional_text("description", d.as_deref(), MAX_DESCRIPTION_CHARS)?;
    }
    let changes = OrganisationChanges {
        name: body.name.map(|n| n.trim().to_string()),
        kind: body.kind.as_deref().map(OrgKind::parse).transpose()?,
        homepage: body.homepage,
        description: body.description,
    };
    let slug = path.into_inner();
    let who = caller.0;
    let org = blocking(move || {
        state
            .store
            .write(|c| organisations::update(c, &who, &slug, changes))
            .inspect(|_| state.after_write())
    })
    .await?;
    Ok(web::Json(org.into()))
}
