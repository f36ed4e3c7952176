//! Claims: a system says it implements a contract version through one of its APIs. A claim is
//! verified, not taken on trust (`conformance`): it is checked when it is made and whenever the
//! API or the contract publishes a version. Publishers record claims for their own organisation's
//! systems; curators for any. The one path for HTTP and the catalogue as code.

use std::collections::HashMap;

use serde::Deserialize;
use utoipa::ToSchema;

use super::Catalogue;
use super::conformance::Recheck;
use crate::auth::Principal;
use crate::auth::policy::{Visible, require_relation_writer};
use crate::domain::{ApiId, ContractId, ContractVersionId, SystemId};
use crate::error::{Code, Error};
use crate::store::relations::{self, Claims, ImplementationRow};
use crate::store::{Conn, apis, contracts, systems};

/// A claim as stated.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CreateImplementation)]
pub struct CreateClaim {
    /// Contract slug.
    pub contract: String,
    /// Contract version label (default: the contract's latest).
    #[serde(default)]
    pub version: Option<String>,
    /// Slug of the system's API that implements the contract; its latest version is checked.
    pub api: String,
}

/// A claim with the names of what it joins.
#[derive(Debug)]
pub struct ClaimView {
    pub row: ImplementationRow,
    pub system: String,
    pub contract: String,
    pub contract_version: String,
    pub api: String,
}

/// The claims among `rows` whose system, API and contract `visible` shows, named.
pub fn views(
    c: &mut Conn,
    visible: &Visible,
    rows: Vec<ImplementationRow>,
) -> Result<Vec<ClaimView>, Error> {
    let system_ids: Vec<SystemId> = rows.iter().map(|r| r.system_id).collect();
    let api_ids: Vec<ApiId> = rows.iter().map(|r| r.api_id).collect();
    let version_ids: Vec<ContractVersionId> = rows.iter().map(|r| r.contract_version_id).collect();
    let systems: HashMap<SystemId, String> = systems::visible_by_ids(c, visible, &system_ids)?
        .into_iter()
        .map(|s| (s.id, s.slug))
        .collect();
    let apis = apis::visible_slugs(c, visible, &api_ids)?;
    let versions: HashMap<ContractVersionId, contracts::ContractVersionRow> =
        contracts::versions_by_ids(c, &version_ids)?
            .into_iter()
            .map(|v| (v.id, v))
            .collect();
    let contract_ids: Vec<ContractId> = versions.values().map(|v| v.contract_id).collect();
    let contracts: HashMap<ContractId, String> =
        contracts::visible_by_ids(c, visible, &contract_ids)?
            .into_iter()
            .map(|c| (c.id, c.slug))
            .collect();
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let system = systems.get(&row.system_id)?.clone();
            let api = apis.get(&row.api_id)?.clone();
            let version = versions.get(&row.contract_version_id)?;
            let contract = contracts.get(&version.contract_id)?.clone();
            Some(ClaimView {
                contract_version: version.version.clone(),
                row,
                system,
                contract,
                api,
            })
        })
        .collect())
}

/// A system's claims, as the caller may see them.
pub fn list(cat: &Catalogue, who: &Principal, system: &str) -> Result<Vec<ClaimView>, Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| {
        let system = systems::get_visible(c, &visible, system)?;
        let rows = relations::implementations_of_system(c, system.system.id)?;
        views(c, &visible, rows)
    })
}

/// Claims that `system` implements a contract version; checked at once (the claim stands even if
/// the check fails; it is then checked at the next start).
pub fn create(
    cat: &Catalogue,
    who: &Principal,
    system: &str,
    input: &CreateClaim,
) -> Result<ClaimView, Error> {
    let row = cat.store.write(|c| create_in(c, who, system, input))?;
    cat.after_write();
    cat.verify_claims(Claims::One(row.id), Recheck::Always);
    let visible = Visible::for_principal(who);
    cat.store.read(|c| {
        let rows = relations::implementations(c, Claims::One(row.id))?;
        views(c, &visible, rows)?
            .pop()
            .ok_or_else(|| Error::NotFound(format!("claim {}", row.id)))
    })
}

/// [`create`]'s core, inside the caller's transaction: unverified until it is checked.
pub fn create_in(
    conn: &mut Conn,
    who: &Principal,
    system: &str,
    input: &CreateClaim,
) -> Result<ImplementationRow, Error> {
    let visible = Visible::for_principal(who);
    let system = systems::get_visible(conn, &visible, system)?;
    let contract = contracts::get_visible(conn, &visible, &input.contract)?;
    let version = contracts::get_version(
        conn,
        &contract.contract,
        input.version.as_deref().unwrap_or("latest"),
    )?;
    let api = apis::get_visible(conn, &visible, &input.api)?;
    require_relation_writer(
        who,
        &system.owner,
        "claiming that a system implements a contract",
    )?;
    if api.api.system_id != Some(system.system.id) {
        return Err(Error::invalid_at(
            Code::ApiNotOfSystem,
            format!(
                "API {} is not an API of system {}: set its system first (PATCH /api/v1/apis/{} with {{\"system\": \"{}\"}})",
                api.api.slug, system.system.slug, api.api.slug, system.system.slug
            ),
            "/api",
        ));
    }
    let target = format!(
        "{}:{}@{}",
        system.system.slug, contract.contract.slug, version.version
    );
    relations::insert_implementation(conn, who, system.system.id, version.id, api.api.id, &target)
}

/// The claim of `system` on version `label` of `contract`, all three visible to the caller.
fn find(
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

/// One claim with its conformance report.
pub fn get(
    cat: &Catalogue,
    who: &Principal,
    system: &str,
    contract: &str,
    label: &str,
) -> Result<ClaimView, Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| {
        let (_, claim) = find(c, &visible, system, contract, label)?;
        views(c, &visible, vec![claim])?
            .pop()
            .ok_or_else(|| Error::NotFound(format!("claim on {contract} {label}")))
    })
}

/// Withdraws a claim (publishers of the system's owner, curators, admins).
pub fn withdraw(
    cat: &Catalogue,
    who: &Principal,
    system: &str,
    contract: &str,
    label: &str,
) -> Result<(), Error> {
    cat.store.write(|c| {
        let visible = Visible::for_principal(who);
        let (record, claim) = find(c, &visible, system, contract, label)?;
        require_relation_writer(who, &record.owner, "withdrawing a claim")?;
        let version = contracts::versions_by_ids(c, &[claim.contract_version_id])?
            .pop()
            .map_or_else(|| label.to_string(), |v| v.version);
        let target = format!("{system}:{contract}@{version}");
        relations::delete_implementation(c, who, claim.id, &target)
    })?;
    cat.after_write();
    Ok(())
}
