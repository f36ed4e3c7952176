//! Verifying claims: a system says it implements a contract version through one of its APIs; the
//! claim is checked against that API's latest version with the compatibility engine (contract →
//! implementation, `compat::conformance`) whenever either side is published, when the claim is
//! made, and for claims left unchecked (at `pac serve` start and after `pac import`). The result
//! (conformant, not conformant, or unverified with the reason) is stored with the claim.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::compat::conformance::conform_descriptions;
use crate::domain::ClaimStatus;
use crate::error::Error;
use crate::ingest::stored;
use crate::spec::{Description, Limits};
use crate::store::relations::{self, Claims, ImplementationRow};
use crate::store::{Conn, Store, apis, contracts, versions};

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
    let claims = store.read(|c| relations::implementations(c, which))?;
    let mut contracts_read: HashMap<i64, Result<Description, String>> = HashMap::new();
    let mut results = Vec::new();
    for claim in &claims {
        let checked = store.read(|c| check(c, claim, recheck, limits, &mut contracts_read))?;
        if let Some(result) = checked {
            results.push((claim.id, result));
        }
    }
    let mut verified = Verified::default();
    store.write(|c| {
        for (id, (status, report, version_id)) in &results {
            relations::set_check(c, *id, status.as_str(), &report.to_string(), *version_id)?;
        }
        Ok(())
    })?;
    for (_, (status, _, _)) in &results {
        verified.checked += 1;
        match status {
            ClaimStatus::Conformant => verified.conformant += 1,
            ClaimStatus::NotConformant => verified.not_conformant += 1,
            ClaimStatus::Unverified => verified.unverified += 1,
        }
    }
    Ok(verified)
}

type Checked = (ClaimStatus, Value, Option<i64>);

fn check(
    conn: &mut Conn,
    claim: &ImplementationRow,
    recheck: Recheck,
    limits: &Limits,
    contracts_read: &mut HashMap<i64, Result<Description, String>>,
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
    let unverified = |reason: String, api_version: Option<&str>, id: Option<i64>| {
        let mut report = head.clone();
        report["api_version"] = json!(api_version);
        report["reason"] = json!(reason);
        (ClaimStatus::Unverified, report, id)
    };
    let latest = match &api.latest_version {
        Some(label) => versions::find(conn, api.id, label)?,
        None => None,
    };
    let Some(latest) = latest else {
        if recheck == Recheck::Stale && claim.checked_at.is_some() {
            return Ok(None);
        }
        let reason = format!("API {} has no version to check yet", api.slug);
        return Ok(Some(unverified(reason, None, None)));
    };
    if recheck == Recheck::Stale
        && claim.checked_at.is_some()
        && claim.checked_version_id == Some(latest.id)
    {
        return Ok(None);
    }
    let implementation = match stored::description(conn, &latest, limits) {
        Ok(Some(d)) => d,
        Ok(None) => {
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
        Err(e) => {
            tracing::error!(api = %api.slug, version = %latest.version, error = %e, "stored version not readable for a conformance check");
            let reason = format!(
                "version {} of API {} could not be read: {}",
                latest.version,
                api.slug,
                e.detail()
            );
            return Ok(Some(unverified(
                reason,
                Some(&latest.version),
                Some(latest.id),
            )));
        }
    };
    let contract = contracts_read
        .entry(contract_version.id)
        .or_insert_with(|| {
            stored::contract_description(conn, &contract_version, limits).map_err(|e| e.detail())
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
    let conformance = conform_descriptions(contract, &implementation);
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
