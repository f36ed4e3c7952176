//! Verifying claims: a system says it implements a contract version through one of its APIs; the
//! claim is checked against that API's latest version with the compatibility engine (contract →
//! implementation, `compat::conformance`) whenever either side is published, when the claim is
//! made, and for claims left unchecked (at `pac serve` start and after `pac import`). The result
//! (conformant, not conformant, or unverified with the reason) is stored with the claim.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::domain::{ApiId, ClaimStatus, ContractVersionId, VersionId};
use crate::error::Error;
use crate::store::descriptions;
use crate::store::relations::{self, Claims, ImplementationRow};
use crate::store::{Conn, Store, apis, contracts, versions};
use pac_compat::conformance::conform_descriptions;
use pac_spec::{Description, Limits};

/// What a run of checks did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    pub checked: usize,
    pub conformant: usize,
    pub not_conformant: usize,
    pub unverified: usize,
}

/// Whether claims already checked against the API's current latest version are checked again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recheck {
    /// Check every claim in scope (after a publish of either side, or a new claim).
    Always,
    /// Only claims never checked, or checked against an older version of the API.
    Stale,
}

/// Checks the claims in `which` and stores each result. Reading and comparing happen outside the
/// write transaction; the results are written in one.
pub fn verify(
    store: &Store,
    which: Claims,
    recheck: Recheck,
    limits: &Limits,
) -> Result<Verified, Error> {
    let mut claims = store.read(|c| relations::implementations(c, which))?;
    // Claims through the same API one after the other, so that its description is read once.
    claims.sort_by_key(|c| (c.api_id, c.id));
    let mut read = Read::default();
    let mut results = Vec::new();
    for claim in &claims {
        let checked = store.read(|c| check(c, claim, recheck, limits, &mut read))?;
        if let Some(result) = checked {
            results.push((claim, result));
        }
    }
    let mut verified = Verified::default();
    // A check made against a version that is no longer the API's latest (another publish came in
    // while this run was comparing) is not stored: that publish's own check is the one that counts.
    let results: Vec<_> = store.write(|c| {
        let mut stored = Vec::new();
        for (claim, (status, report, version_id)) in results {
            if version_id.is_some() && latest_version_id(c, claim.api_id)? != version_id {
                continue;
            }
            relations::set_check(
                c,
                claim.id,
                status.as_str(),
                &report.to_string(),
                version_id,
            )?;
            stored.push(status);
        }
        Ok(stored)
    })?;
    for status in &results {
        verified.checked += 1;
        match status {
            ClaimStatus::Conformant => verified.conformant += 1,
            ClaimStatus::NotConformant => verified.not_conformant += 1,
            ClaimStatus::Unverified => verified.unverified += 1,
        }
    }
    Ok(verified)
}

type Checked = (ClaimStatus, Value, Option<VersionId>);

/// Descriptions read during one run: every contract version met (contracts are few), and the
/// last API version (claims come grouped by API).
#[derive(Default)]
struct Read {
    contracts: HashMap<ContractVersionId, Result<Description, String>>,
    implementation: Option<(VersionId, Result<Option<Description>, String>)>,
}

/// The id of the API's latest version, if it has one.
fn latest_version_id(conn: &mut Conn, api_id: ApiId) -> Result<Option<VersionId>, Error> {
    let Some(api) = apis::by_id(conn, api_id)? else {
        return Ok(None);
    };
    let Some(label) = api.latest_version else {
        return Ok(None);
    };
    Ok(versions::find(conn, api.id, &label)?.map(|v| v.id))
}

fn check(
    conn: &mut Conn,
    claim: &ImplementationRow,
    recheck: Recheck,
    limits: &Limits,
    read: &mut Read,
) -> Result<Option<Checked>, Error> {
    let Some(api) = apis::by_id(conn, claim.api_id)? else {
        return Ok(None);
    };
    let Some(contract_version) =
        contracts::versions_by_ids(conn, &[claim.contract_version_id])?.pop()
    else {
        return Ok(None);
    };
    let contract_slug = contracts::by_ids(conn, &[contract_version.contract_id])?
        .pop()
        .map(|c| c.slug)
        .unwrap_or_default();
    let head = json!({
        "contract": contract_slug,
        "contract_version": contract_version.version,
        "api": api.slug,
    });
    let unverified = |reason: String, api_version: Option<&str>, id: Option<VersionId>| {
        let mut report = head.clone();
        report["api_version"] = json!(api_version);
        report["reason"] = json!(reason);
        (ClaimStatus::Unverified, report, id)
    };
    let latest = match &api.latest_version {
        Some(label) => versions::find(conn, api.id, label)?,
        None => None,
    };
    // Unverified claims are always worth another look: what stopped the check may be gone.
    let settled = recheck == Recheck::Stale
        && claim.checked_at.is_some()
        && claim.status != ClaimStatus::Unverified
        && claim.checked_version_id == latest.as_ref().map(|v| v.id);
    if settled {
        return Ok(None);
    }
    if api.system_id != Some(claim.system_id) {
        let reason = format!(
            "API {} no longer belongs to the system that claims it: attach it again or withdraw the claim",
            api.slug
        );
        return Ok(Some(unverified(reason, None, None)));
    }
    let Some(latest) = latest else {
        let reason = format!("API {} has no version to check yet", api.slug);
        return Ok(Some(unverified(reason, None, None)));
    };
    let fresh = !matches!(&read.implementation, Some((id, _)) if *id == latest.id);
    if fresh {
        let loaded = descriptions::of_version(conn, &latest, limits).map_err(|e| {
            tracing::error!(api = %api.slug, version = %latest.version, error = %e, "stored version not readable for a conformance check");
            e.detail()
        });
        read.implementation = Some((latest.id, loaded));
    }
    let implementation = match read.implementation.as_ref().map(|(_, loaded)| loaded) {
        Some(Ok(Some(d))) => d,
        Some(Ok(None)) => {
            let reason = format!(
                "version {} of API {} is a link-only entry: it has no description to check",
                latest.version, api.slug
            );
            return Ok(Some(unverified(
                reason,
                Some(&latest.version),
                Some(latest.id),
            )));
        }
        Some(Err(e)) => {
            let reason = format!(
                "version {} of API {} could not be read: {e}",
                latest.version, api.slug
            );
            return Ok(Some(unverified(
                reason,
                Some(&latest.version),
                Some(latest.id),
            )));
        }
        None => return Ok(None),
    };
    let contract = read
        .contracts
        .entry(contract_version.id)
        .or_insert_with(|| {
            descriptions::of_contract_version(conn, &contract_version, limits)
                .map_err(|e| e.detail())
        });
    let contract = match contract {
        Ok(d) => d,
        Err(reason) => {
            let reason = format!("the contract could not be read: {reason}");
            return Ok(Some(unverified(
                reason,
                Some(&latest.version),
                Some(latest.id),
            )));
        }
    };
    let conformance = conform_descriptions(contract, implementation);
    let status = if conformance.conformant {
        ClaimStatus::Conformant
    } else {
        ClaimStatus::NotConformant
    };
    let mut report = head;
    report["api_version"] = json!(latest.version);
    if let (Value::Object(out), Ok(Value::Object(body))) =
        (&mut report, serde_json::to_value(&conformance))
    {
        out.extend(body);
    }
    Ok(Some((status, report, Some(latest.id))))
}
