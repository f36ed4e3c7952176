//! `/api/v1/systems/{system}/consumes`: which APIs a system uses, what for, and what each
//! integration replaces (manual re-keying, screen scraping, or nothing) with the hours it saves a
//! month; and, from the other side, `/api/v1/apis/{api}/versions/{version}/consumers`: the systems
//! a deprecation of that version affects. Publishers record uses for their own organisation's
//! systems; curators for any.

use std::collections::HashMap;

use actix_web::{HttpResponse, delete, get, put, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::blocking;
use super::caller::Caller;
use super::types::ConsumptionResponse;
use crate::AppState;
use crate::auth::policy::{Visible, require_relation_writer};
use crate::error::{Error, Problem};
use crate::ingest::relations::{Use, record_use};
use crate::store::relations::{self, ConsumptionRow};
use crate::store::{Conn, apis, systems, versions};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutConsumption {
    /// What the system uses the API for.
    pub purpose: String,
    /// The version used (default: none named, i.e. whichever is current).
    pub version: Option<String>,
    /// What the integration replaces: manual_rekeying, screen_scraping or nothing (default).
    pub replaces: Option<String>,
    /// Estimated hours saved a month, for an integration that replaces a workaround.
    pub hours_saved_per_month: Option<f64>,
}

/// The wire form of uses, leaving out those whose system or API the caller may not see.
fn responses(
    c: &mut Conn,
    visible: &Visible,
    rows: Vec<ConsumptionRow>,
) -> Result<Vec<ConsumptionResponse>, Error> {
    let system_ids: Vec<i64> = rows.iter().map(|r| r.system_id).collect();
    let api_ids: Vec<i64> = rows.iter().map(|r| r.api_id).collect();
    let version_ids: Vec<i64> = rows.iter().filter_map(|r| r.version_id).collect();
    let systems: HashMap<i64, systems::SystemRecord> =
        systems::visible_records_by_ids(c, visible, &system_ids)?
            .into_iter()
            .map(|s| (s.system.id, s))
            .collect();
    let apis = apis::visible_slugs(c, visible, &api_ids)?;
    let labels = versions::labels_by_ids(c, &version_ids)?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let system = systems.get(&row.system_id)?;
            let api = apis.get(&row.api_id)?.clone();
            let version = row.version_id.and_then(|v| labels.get(&v).cloned());
            Some(ConsumptionResponse::new(row, system, &api, version))
        })
        .collect())
}

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
    let visible = Visible::for_principal(&caller.0);
    let uses = blocking(move || {
        state.store.read(|c| {
            let system = systems::get_visible(c, &visible, &slug)?;
            let rows = relations::consumptions_of_system(c, system.system.id)?;
            responses(c, &visible, rows)
        })
    })
    .await?;
    Ok(web::Json(uses))
}

/// Record that a system consumes an API, or replace what was recorded.
#[utoipa::path(
    tag = "interop",
    params(("system" = String, Path, description = "System slug"), ("api" = String, Path, description = "API slug")),
    request_body = PutConsumption,
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
    body: web::Json<PutConsumption>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let (system, api) = path.into_inner();
    let who = caller.0;
    let (created, response) = blocking(move || {
        state.store.write(|c| {
            let (row, system, api, version, created) = record_use(
                c,
                &who,
                &Use {
                    system: &system,
                    api: &api,
                    version: body.version.as_deref(),
                    purpose: &body.purpose,
                    replaces: body.replaces.as_deref(),
                    hours_saved_per_month: body.hours_saved_per_month,
                },
            )?;
            Ok((
                created,
                ConsumptionResponse::new(row, &system, &api, version),
            ))
        })
    })
    .await?;
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
    let (system_slug, api_slug) = path.into_inner();
    let who = caller.0;
    blocking(move || {
        state.store.write(|c| {
            let visible = Visible::for_principal(&who);
            let system = systems::get_visible(c, &visible, &system_slug)?;
            let api = apis::get_visible(c, &visible, &api_slug)?;
            let row = relations::consumptions_of_system(c, system.system.id)?
                .into_iter()
                .find(|r| r.api_id == api.api.id)
                .ok_or_else(|| {
                    Error::NotFound(format!("use of API {api_slug} by system {system_slug}"))
                })?;
            require_relation_writer(&who, &system.owner, "removing a use of an API")?;
            relations::delete_consumption(c, &who, row.id, &format!("{system_slug}:{api_slug}"))
        })
    })
    .await?;
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
    let visible = Visible::for_principal(&caller.0);
    let uses = blocking(move || {
        state.store.read(|c| {
            let (record, version) = super::versions::api_version(c, &caller.0, &api, &label)?;
            let rows = relations::consumptions_of_api(c, record.api.id, Some(version.id))?;
            responses(c, &visible, rows)
        })
    })
    .await?;
    Ok(web::Json(uses))
}

/// What deprecating `api` would affect, as warnings: one line per visible consuming system.
pub(crate) fn deprecation_warnings(
    c: &mut Conn,
    visible: &Visible,
    api_id: i64,
) -> Result<Vec<String>, Error> {
    let rows = relations::consumptions_of_api(c, api_id, None)?;
    Ok(responses(c, visible, rows)?
        .into_iter()
        .map(|u| {
            format!(
                "system {} ({}) consumes this API{}: {}",
                u.system,
                u.system_owner,
                u.version
                    .map(|v| format!(" (version {v})"))
                    .unwrap_or_default(),
                u.purpose
            )
        })
        .collect())
}
