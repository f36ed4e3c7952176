//! `/api/v1/systems/{system}/implements`: a system's claims to implement contract versions through
//! one of its APIs. A claim is verified, not taken on trust: it is checked when it is made and
//! whenever the API or the contract publishes a version, and the status (conformant, not
//! conformant, unverified) and report are stored with it. Publishers record claims for their own
//! organisation's systems; curators for any.

use std::collections::HashMap;

use actix_web::{HttpResponse, delete, get, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::blocking;
use super::caller::Caller;
use super::types::ImplementationResponse;
use crate::AppState;
use crate::auth::policy::{Visible, require_relation_writer};
use crate::error::{Error, Problem};
use crate::ingest::conformance::Recheck;
use crate::ingest::relations::{self as record, Claim};
use crate::store::relations::{self, Claims, ImplementationRow};
use crate::store::{Conn, apis, contracts, systems};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateImplementation {
    /// Contract slug.
    pub contract: String,
    /// Contract version label (default: the contract's latest).
    pub version: Option<String>,
    /// Slug of the system's API that implements the contract; its latest version is checked.
    pub api: String,
}

/// The wire form of claims, leaving out those whose system, API or contract the caller may not
/// see.
pub(crate) fn responses(
    c: &mut Conn,
    visible: &Visible,
    claims: Vec<ImplementationRow>,
    with_report: bool,
) -> Result<Vec<ImplementationResponse>, Error> {
    let ids = |f: fn(&ImplementationRow) -> i64| claims.iter().map(f).collect::<Vec<i64>>();
    let systems: HashMap<i64, String> = systems::visible_by_ids(c, visible, &ids(|i| i.system_id))?
        .into_iter()
        .map(|s| (s.id, s.slug))
        .collect();
    let apis = apis::visible_slugs(c, visible, &ids(|i| i.api_id))?;
    let versions: HashMap<i64, contracts::ContractVersionRow> =
        contracts::versions_by_ids(c, &ids(|i| i.contract_version_id))?
            .into_iter()
            .map(|v| (v.id, v))
            .collect();
    let contract_ids: Vec<i64> = versions.values().map(|v| v.contract_id).collect();
    let contracts: HashMap<i64, String> = contracts::visible_by_ids(c, visible, &contract_ids)?
        .into_iter()
        .map(|c| (c.id, c.slug))
        .collect();
    Ok(claims
        .into_iter()
        .filter_map(|row| {
            let system = systems.get(&row.system_id)?;
            let api = apis.get(&row.api_id)?;
            let version = versions.get(&row.contract_version_id)?;
            let contract = contracts.get(&version.contract_id)?;
            let (system, api, label) = (system.clone(), api.clone(), version.version.clone());
            Some(ImplementationResponse::new(
                row,
                &system,
                contract,
                &label,
                &api,
                with_report,
            ))
        })
        .collect())
}

/// The claim of `system` on version `label` of `contract`, all three visible to the caller.
fn find_claim(
    c: &mut Conn,
    visible: &Visible,
    system: &str,
    contract: &str,
    label: &str,
) -> Result<(systems::SystemRecord, ImplementationRow), Error> {
    let system = systems::get_visible(c, visible, system)?;
    let record = contracts::get_visible(c, visible, contract)?;
    let version = contracts::get_version(c, &record.contract, label)?;
    let claim = relations::implementations_of_system(c, system.system.id)?
        .into_iter()
        .find(|i| i.contract_version_id == version.id)
        .filter(|i| {
            apis::visible_slugs(c, visible, &[i.api_id]).is_ok_and(|found| !found.is_empty())
        })
        .ok_or_else(|| {
            Error::NotFound(format!(
                "claim of system {} to implement {contract} {}",
                system.system.slug, version.version
            ))
        })?;
    Ok((system, claim))
}

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
    let visible = Visible::for_principal(&caller.0);
    let claims = blocking(move || {
        state.store.read(|c| {
            let system = systems::get_visible(c, &visible, &slug)?;
            let claims = relations::implementations_of_system(c, system.system.id)?;
            responses(c, &visible, claims, false)
        })
    })
    .await?;
    Ok(web::Json(claims))
}

/// Claim that a system implements a contract version through one of its APIs. The claim is
/// checked at once; the answer carries the status and the conformance report.
#[utoipa::path(
    tag = "interop",
    params(("system" = String, Path, description = "System slug")),
    request_body = CreateImplementation,
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
    body: web::Json<CreateImplementation>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let slug = path.into_inner();
    let who = caller.0;
    let visible = Visible::for_principal(&who);
    let claim = blocking(move || {
        let row = state.store.write(|c| {
            record::claim(
                c,
                &who,
                &Claim {
                    system: &slug,
                    contract: &body.contract,
                    version: body.version.as_deref(),
                    api: &body.api,
                },
            )
        })?;
        let id = row.id;
        // The claim stands even if its first check fails; it is then checked at the next start.
        state.verify_claims(Claims::One(id), Recheck::Always);
        state.store.read(|c| {
            let claims = relations::implementations(c, Claims::One(id))?;
            responses(c, &visible, claims, true)?
                .pop()
                .ok_or_else(|| Error::NotFound(format!("claim {id}")))
        })
    })
    .await?;
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
    let visible = Visible::for_principal(&caller.0);
    let claim = blocking(move || {
        state.store.read(|c| {
            let (_, claim) = find_claim(c, &visible, &system, &contract, &label)?;
            responses(c, &visible, vec![claim], true)?
                .pop()
                .ok_or_else(|| Error::NotFound(format!("claim on {contract} {label}")))
        })
    })
    .await?;
    Ok(web::Json(claim))
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
    let who = caller.0;
    blocking(move || {
        state.store.write(|c| {
            let visible = Visible::for_principal(&who);
            let (record, claim) = find_claim(c, &visible, &system, &contract, &label)?;
            require_relation_writer(&who, &record.owner, "withdrawing a claim")?;
            let version = contracts::versions_by_ids(c, &[claim.contract_version_id])?
                .pop()
                .map_or(label, |v| v.version);
            let target = format!("{system}:{contract}@{version}");
            relations::delete_implementation(c, &who, claim.id, &target)
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
