//! What search indexes, read in bulk: each API with its owner, tags and latest version, and the
//! operations and schemas of that version. Reads here ignore visibility on purpose: the index keeps
//! every entry with its visibility, and every search filters by the caller's.

use std::collections::HashMap;

use diesel::prelude::*;

use super::Conn;
use super::schema::{api_tags, api_versions, apis, operations, organisations, schemas};
use super::versions::{OperationRow, SchemaRow};
use crate::domain::{SystemId, VersionId, Visibility};
use crate::error::Error;
use crate::tiers::{NO_TIER, Seen, StandardId, Tier, assess};

/// An API as search sees it.
#[derive(Debug, Clone)]
pub struct ApiSource {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub visibility: String,
    pub lifecycle: String,
    pub owner: String,
    pub owner_name: String,
    pub owner_kind: String,
    pub tags: Vec<String>,
    pub latest: Option<LatestVersion>,
    /// The latest version's newest evaluation against the standard: (kitemark, score).
    pub evaluation: Option<(bool, i32)>,
    /// The interoperability tier of the API's system (`bronze`, `silver`, `gold`, or
    /// [`crate::tiers::NO_TIER`]), when it has one that everyone who can see the API can see.
    pub tier: Option<&'static str>,
    pub operations: Vec<OperationRow>,
    pub schemas: Vec<SchemaRow>,
}

#[derive(Debug, Clone, Queryable)]
pub struct LatestVersion {
    pub id: i64,
    pub version: String,
    pub title: String,
    pub description: Option<String>,
    pub spec_format: Option<String>,
}

type ApiColumns = (
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    Option<SystemId>,
);

/// The APIs with these ids (those that exist), fully loaded; tiers are judged against `standard`.
pub fn load(conn: &mut Conn, ids: &[i64], standard: &StandardId) -> Result<Vec<ApiSource>, Error> {
    let mut rows = Vec::new();
    // Bound parameters stay well under SQLite's limit.
    for chunk in ids.chunks(500) {
        rows.extend(
            base()
                .filter(apis::id.eq_any(chunk))
                .load::<ApiColumns>(conn)?,
        );
    }
    fill(conn, rows, standard)
}

/// Up to `limit` APIs with an id above `after`, in id order, fully loaded: the unit of a rebuild.
pub fn load_after(
    conn: &mut Conn,
    after: i64,
    limit: i64,
    standard: &StandardId,
) -> Result<Vec<ApiSource>, Error> {
    let rows = base()
        .filter(apis::id.gt(after))
        .order(apis::id)
        .limit(limit)
        .load::<ApiColumns>(conn)?;
    fill(conn, rows, standard)
}

/// Every API of the systems among `ids` with the tier its documents should carry now (see
/// [`ApiSource::tier`]).
pub fn expected_tiers(
    conn: &mut Conn,
    ids: &[SystemId],
    standard: &StandardId,
) -> Result<Vec<(i64, Option<&'static str>)>, Error> {
    let mut out = Vec::new();
    for evidence in super::tiers::load(conn, ids, standard)? {
        let tier = assess(&evidence, standard)
            .tier
            .map_or(NO_TIER, Tier::as_str);
        for api in &evidence.apis {
            let shown = api.seen.implies(&evidence.system.seen);
            out.push((api.id.0, shown.then_some(tier)));
        }
    }
    Ok(out)
}

/// Ids of the APIs an organisation owns.
pub fn ids_of_owner(conn: &mut Conn, org_slug: &str) -> Result<Vec<i64>, Error> {
    apis::table
        .inner_join(organisations::table)
        .filter(organisations::slug.eq(org_slug))
        .select(apis::id)
        .load(conn)
        .map_err(Error::from)
}

/// The ids of the APIs with these slugs, by slug (those that exist).
pub fn slugs_to_ids(conn: &mut Conn, slugs: &[String]) -> Result<HashMap<String, i64>, Error> {
    let mut out = HashMap::new();
    for chunk in slugs.chunks(500) {
        out.extend(
            apis::table
                .filter(apis::slug.eq_any(chunk))
                .select((apis::slug, apis::id))
                .load::<(String, i64)>(conn)?,
        );
    }
    Ok(out)
}

type BaseColumns = (
    apis::id,
    apis::slug,
    apis::name,
    apis::description,
    apis::visibility,
    apis::lifecycle,
    apis::latest_version,
    organisations::slug,
    organisations::name,
    organisations::kind,
    apis::system_id,
);
type Base =
    diesel::dsl::Select<diesel::dsl::InnerJoin<apis::table, organisations::table>, BaseColumns>;

fn base() -> Base {
    apis::table
        .inner_join(organisations::table)
        .select(BaseColumns::default())
}

fn fill(
    conn: &mut Conn,
    rows: Vec<ApiColumns>,
    standard: &StandardId,
) -> Result<Vec<ApiSource>, Error> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut system_ids: Vec<SystemId> = rows.iter().filter_map(|r| r.10).collect();
    system_ids.sort();
    system_ids.dedup();
    let systems: HashMap<SystemId, (Seen, Option<Tier>)> =
        super::tiers::load(conn, &system_ids, standard)?
            .into_iter()
            .map(|e| {
                let tier = assess(&e, standard).tier;
                (e.system.id, (e.system.seen, tier))
            })
            .collect();
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    let mut latest: HashMap<i64, LatestVersion> = HashMap::new();
    for chunk in ids.chunks(500) {
        for (api, tag) in api_tags::table
            .filter(api_tags::api_id.eq_any(chunk))
            .order((api_tags::api_id, api_tags::tag))
            .select((api_tags::api_id, api_tags::tag))
            .load::<(i64, String)>(conn)?
        {
            tags.entry(api).or_default().push(tag);
        }
        for (api, version) in api_versions::table
            .inner_join(apis::table)
            .filter(api_versions::api_id.eq_any(chunk))
            .filter(apis::latest_version.eq(api_versions::version.nullable()))
            .select((
                api_versions::api_id,
                (
                    api_versions::id,
                    api_versions::version,
                    api_versions::title,
                    api_versions::description,
                    api_versions::spec_format,
                ),
            ))
            .load::<(i64, LatestVersion)>(conn)?
        {
            latest.insert(api, version);
        }
    }
    let version_ids: Vec<VersionId> = latest.values().map(|v| VersionId(v.id)).collect();
    let mut evaluated = super::evaluations::newest_for_versions(conn, &version_ids)?;
    let mut ops: HashMap<VersionId, Vec<OperationRow>> = HashMap::new();
    let mut schema_rows: HashMap<VersionId, Vec<SchemaRow>> = HashMap::new();
    for chunk in version_ids.chunks(500) {
        for op in operations::table
            .filter(operations::version_id.eq_any(chunk))
            .order(operations::id)
            .select(OperationRow::as_select())
            .load::<OperationRow>(conn)?
        {
            ops.entry(op.version_id).or_default().push(op);
        }
        for s in schemas::table
            .filter(schemas::version_id.eq_any(chunk))
            .order(schemas::id)
            .select(SchemaRow::as_select())
            .load::<SchemaRow>(conn)?
        {
            schema_rows.entry(s.version_id).or_default().push(s);
        }
    }
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                slug,
                name,
                description,
                visibility,
                lifecycle,
                _,
                owner,
                owner_name,
                owner_kind,
                system_id,
            )| {
                let latest = latest.remove(&id);
                let seen = Visibility::parse(&visibility).ok().map(|visibility| Seen {
                    visibility,
                    owner: owner.clone(),
                });
                // Shown only where everyone who can see the API can see its system.
                let tier = system_id
                    .and_then(|s| systems.get(&s))
                    .filter(|(system, _)| seen.as_ref().is_some_and(|api| api.implies(system)))
                    .map(|(_, tier)| tier.map_or(NO_TIER, Tier::as_str));
                let version_id = latest.as_ref().map(|v| VersionId(v.id));
                ApiSource {
                    id,
                    slug,
                    name,
                    description,
                    visibility,
                    lifecycle,
                    owner,
                    owner_name,
                    owner_kind,
                    tags: tags.remove(&id).unwrap_or_default(),
                    evaluation: version_id.and_then(|v| evaluated.remove(&v)),
                    tier,
                    operations: version_id.and_then(|v| ops.remove(&v)).unwrap_or_default(),
                    schemas: version_id
                        .and_then(|v| schema_rows.remove(&v))
                        .unwrap_or_default(),
                    latest,
                }
            },
        )
        .collect())
}
