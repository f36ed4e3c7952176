//! The evidence interoperability tiers are judged on (`crate::tiers`), read in bulk for a set of
//! systems and without visibility filters: the judgement counts only what the system's readers can
//! see, and callers show a system's tier only to those who may see the system.

use std::collections::HashMap;

use diesel::prelude::*;

use super::Conn;
use super::schema::{
    api_versions, apis, consumptions, contract_versions, contracts, evaluations, implementations,
    organisations, systems,
};
use crate::domain::{ApiId, ClaimStatus, Lifecycle, SystemId, VersionId, Visibility};
use crate::error::Error;
use crate::tiers::{
    ApiFacts, Assessment, ClaimFacts, EvaluationFacts, Evidence, LatestFacts, Seen, StandardId,
    SystemFacts, UseFacts, assess,
};

/// Each system among `ids` that exists, judged.
pub fn assess_systems(
    conn: &mut Conn,
    ids: &[SystemId],
    standard: &StandardId,
) -> Result<HashMap<SystemId, Assessment>, Error> {
    Ok(load(conn, ids, standard)?
        .into_iter()
        .map(|e| (e.system.id, assess(&e, standard)))
        .collect())
}

/// The evidence of each system among `ids` that exists.
pub fn load(
    conn: &mut Conn,
    ids: &[SystemId],
    standard: &StandardId,
) -> Result<Vec<Evidence>, Error> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(200) {
        out.extend(load_chunk(conn, chunk, standard)?);
    }
    Ok(out)
}

fn load_chunk(
    conn: &mut Conn,
    ids: &[SystemId],
    standard: &StandardId,
) -> Result<Vec<Evidence>, Error> {
    let found: Vec<(SystemId, String, Visibility, String)> = systems::table
        .inner_join(organisations::table)
        .filter(systems::id.eq_any(ids))
        .order(systems::id)
        .select((
            systems::id,
            systems::slug,
            systems::visibility,
            organisations::slug,
        ))
        .load(conn)?;
    let provided: Vec<ApiColumns> = apis::table
        .inner_join(organisations::table)
        .filter(apis::system_id.eq_any(ids))
        .order(apis::id)
        .select((
            apis::id,
            apis::slug,
            apis::system_id,
            apis::visibility,
            apis::lifecycle,
            apis::latest_version,
            apis::latest_spec_format,
            organisations::slug,
        ))
        .load(conn)?;
    let api_ids: Vec<ApiId> = provided.iter().map(|a| a.0).collect();
    let latest = latest_evaluations(conn, &api_ids, standard)?;
    let claims: Vec<(
        SystemId,
        ApiId,
        ClaimStatus,
        String,
        String,
        Visibility,
        String,
    )> = implementations::table
        .inner_join(
            contract_versions::table.inner_join(contracts::table.inner_join(organisations::table)),
        )
        .filter(implementations::system_id.eq_any(ids))
        .order(implementations::id)
        .select((
            implementations::system_id,
            implementations::api_id,
            implementations::status,
            contracts::slug,
            contract_versions::version,
            contracts::visibility,
            organisations::slug,
        ))
        .load(conn)?;
    let mut uses: Vec<(ApiId, String, Visibility, String, Option<String>)> = Vec::new();
    for chunk in api_ids.chunks(500) {
        uses.extend(
            consumptions::table
                .inner_join(systems::table.inner_join(organisations::table))
                .filter(consumptions::api_id.eq_any(chunk))
                .order(consumptions::id)
                .select((
                    consumptions::api_id,
                    systems::slug,
                    systems::visibility,
                    organisations::slug,
                    consumptions::recorded_org,
                ))
                .load::<(ApiId, String, Visibility, String, Option<String>)>(conn)?,
        );
    }

    let mut evidence: Vec<Evidence> = found
        .into_iter()
        .map(|(id, slug, visibility, owner)| Evidence {
            system: SystemFacts {
                id,
                slug,
                seen: Seen { visibility, owner },
            },
            apis: Vec::new(),
            claims: Vec::new(),
            uses: Vec::new(),
        })
        .collect();
    let index: HashMap<SystemId, usize> = evidence
        .iter()
        .enumerate()
        .map(|(i, e)| (e.system.id, i))
        .collect();
    let mut system_of_api: HashMap<ApiId, usize> = HashMap::new();
    let mut latest = latest;
    for (id, slug, system_id, visibility, lifecycle, version, format, owner) in provided {
        let Some(&i) = system_id.as_ref().and_then(|s| index.get(s)) else {
            continue;
        };
        system_of_api.insert(id, i);
        evidence[i].apis.push(ApiFacts {
            id,
            slug,
            seen: Seen { visibility, owner },
            lifecycle,
            latest: version.map(|version| LatestFacts {
                version,
                described: format.is_some(),
                evaluation: latest.remove(&id),
            }),
        });
    }
    for (system_id, api_id, status, contract, version, visibility, owner) in claims {
        if let Some(&i) = index.get(&system_id) {
            evidence[i].claims.push(ClaimFacts {
                api_id,
                contract,
                version,
                seen: Seen { visibility, owner },
                status,
            });
        }
    }
    for (api_id, consumer, visibility, owner, recorded_org) in uses {
        if let Some(&i) = system_of_api.get(&api_id) {
            evidence[i].uses.push(UseFacts {
                api_id,
                consumer,
                consumer_seen: Seen { visibility, owner },
                recorded_org,
            });
        }
    }
    Ok(evidence)
}

type ApiColumns = (
    ApiId,
    String,
    Option<SystemId>,
    Visibility,
    Lifecycle,
    Option<String>,
    Option<String>,
    String,
);

/// For each API's latest version, its evaluation under `standard` if it has one, else its newest.
fn latest_evaluations(
    conn: &mut Conn,
    api_ids: &[ApiId],
    standard: &StandardId,
) -> Result<HashMap<ApiId, EvaluationFacts>, Error> {
    let mut out: HashMap<ApiId, EvaluationFacts> = HashMap::new();
    for chunk in api_ids.chunks(500) {
        let latest: Vec<(ApiId, VersionId)> = api_versions::table
            .inner_join(apis::table)
            .filter(api_versions::api_id.eq_any(chunk))
            .filter(apis::latest_version.eq(api_versions::version.nullable()))
            .select((api_versions::api_id, api_versions::id))
            .load(conn)?;
        let api_of: HashMap<VersionId, ApiId> = latest.iter().map(|(a, v)| (*v, *a)).collect();
        let version_ids: Vec<VersionId> = latest.iter().map(|(_, v)| *v).collect();
        // Ascending ids: a later row replaces an earlier one, except that nothing replaces an
        // evaluation under the standard in force.
        for (version_id, ruleset, ruleset_version, kitemark, score) in evaluations::table
            .filter(evaluations::version_id.eq_any(&version_ids))
            .order(evaluations::id)
            .select((
                evaluations::version_id,
                evaluations::ruleset,
                evaluations::ruleset_version,
                evaluations::kitemark,
                evaluations::score,
            ))
            .load::<(VersionId, String, String, bool, i32)>(conn)?
        {
            let Some(&api) = api_of.get(&version_id) else {
                continue;
            };
            let facts = EvaluationFacts {
                standard: StandardId {
                    name: ruleset,
                    version: ruleset_version,
                },
                kitemark,
                score,
            };
            let keep = out.get(&api).is_some_and(|e| e.standard == *standard)
                && facts.standard != *standard;
            if !keep {
                out.insert(api, facts);
            }
        }
    }
    Ok(out)
}

/// The ids of the systems that provide the APIs with these slugs.
pub fn systems_of_apis(conn: &mut Conn, slugs: &[String]) -> Result<Vec<SystemId>, Error> {
    let mut out = Vec::new();
    for chunk in slugs.chunks(500) {
        out.extend(
            apis::table
                .filter(apis::slug.eq_any(chunk))
                .filter(apis::system_id.is_not_null())
                .select(apis::system_id.assume_not_null())
                .load::<SystemId>(conn)?,
        );
    }
    Ok(out)
}

/// The ids of the systems with these slugs.
pub fn systems_by_slug(conn: &mut Conn, slugs: &[String]) -> Result<Vec<SystemId>, Error> {
    let mut out = Vec::new();
    for chunk in slugs.chunks(500) {
        out.extend(
            systems::table
                .filter(systems::slug.eq_any(chunk))
                .select(systems::id)
                .load::<SystemId>(conn)?,
        );
    }
    Ok(out)
}

/// The ids of the systems that provide an API consumed by one of `consumers`: a consumer's
/// visibility decides whether its use counts for them.
pub fn providers_to(conn: &mut Conn, consumers: &[SystemId]) -> Result<Vec<SystemId>, Error> {
    consumptions::table
        .inner_join(apis::table)
        .filter(consumptions::system_id.eq_any(consumers))
        .filter(apis::system_id.is_not_null())
        .select(apis::system_id.assume_not_null())
        .load::<SystemId>(conn)
        .map_err(Error::from)
}

/// The ids of the systems that claim a version of one of the contracts with these slugs.
pub fn claimants_of_contracts(conn: &mut Conn, slugs: &[String]) -> Result<Vec<SystemId>, Error> {
    implementations::table
        .inner_join(contract_versions::table.inner_join(contracts::table))
        .filter(contracts::slug.eq_any(slugs))
        .select(implementations::system_id)
        .load::<SystemId>(conn)
        .map_err(Error::from)
}

/// The ids of every API the systems among `ids` provide.
pub fn apis_of_systems(conn: &mut Conn, ids: &[SystemId]) -> Result<Vec<i64>, Error> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            apis::table
                .filter(apis::system_id.eq_any(chunk))
                .select(apis::id)
                .load::<i64>(conn)?,
        );
    }
    Ok(out)
}
