//! Evaluations: a version's results against a standard, one row per (version, ruleset, ruleset
//! version). Rows are only ever added: when the standard changes, the new results join the old.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{api_versions, apis, evaluations};
use super::{Conn, now};
use crate::domain::VersionId;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = evaluations)]
pub struct EvaluationRow {
    pub id: i64,
    pub version_id: VersionId,
    pub ruleset: String,
    pub ruleset_version: String,
    pub kitemark: bool,
    pub score: i32,
    pub errors: i32,
    pub warnings: i32,
    /// JSON: `{"score": {...}, "findings": [...]}`.
    pub result: String,
    pub evaluated_at: NaiveDateTime,
}

pub struct NewEvaluation<'a> {
    pub version_id: VersionId,
    pub ruleset: &'a str,
    pub ruleset_version: &'a str,
    pub kitemark: bool,
    pub score: i32,
    pub errors: i32,
    pub warnings: i32,
    pub result: &'a str,
}

/// Stores an evaluation; an existing one for the same version and ruleset version is kept (the
/// same rules on the same immutable version give the same result). Returns whether it was added.
pub fn insert(conn: &mut Conn, e: &NewEvaluation<'_>) -> Result<bool, Error> {
    let exists: i64 = evaluations::table
        .filter(evaluations::version_id.eq(e.version_id))
        .filter(evaluations::ruleset.eq(e.ruleset))
        .filter(evaluations::ruleset_version.eq(e.ruleset_version))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(evaluations::table)
        .values((
            evaluations::version_id.eq(e.version_id),
            evaluations::ruleset.eq(e.ruleset),
            evaluations::ruleset_version.eq(e.ruleset_version),
            evaluations::kitemark.eq(e.kitemark),
            evaluations::score.eq(e.score),
            evaluations::errors.eq(e.errors),
            evaluations::warnings.eq(e.warnings),
            evaluations::result.eq(e.result),
            evaluations::evaluated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Every evaluation of a version under `ruleset`, newest first.
pub fn for_version(
    conn: &mut Conn,
    version_id: VersionId,
    ruleset: &str,
) -> Result<Vec<EvaluationRow>, Error> {
    evaluations::table
        .filter(evaluations::version_id.eq(version_id))
        .filter(evaluations::ruleset.eq(ruleset))
        .order(evaluations::id.desc())
        .select(EvaluationRow::as_select())
        .load(conn)
        .map_err(Error::from)
}

/// Of a version's evaluations (newest first), the one under the standard's version in force, else
/// the newest: after a standard is rolled back to an earlier version, its results are shown again.
pub fn in_force(rows: Vec<EvaluationRow>, ruleset_version: &str) -> Option<EvaluationRow> {
    let at = rows
        .iter()
        .position(|r| r.ruleset_version == ruleset_version)
        .unwrap_or(0);
    rows.into_iter().nth(at)
}

/// The summary search shows for each version: its newest evaluation (kitemark, score), which is
/// the standard in force once re-evaluation has reached it, and the previous one until then.
pub fn newest_for_versions(
    conn: &mut Conn,
    version_ids: &[VersionId],
) -> Result<HashMap<VersionId, (bool, i32)>, Error> {
    let mut out = HashMap::new();
    for chunk in version_ids.chunks(500) {
        let rows: Vec<(i64, VersionId, bool, i32)> = evaluations::table
            .filter(evaluations::version_id.eq_any(chunk))
            .order(evaluations::id)
            .select((
                evaluations::id,
                evaluations::version_id,
                evaluations::kitemark,
                evaluations::score,
            ))
            .load(conn)?;
        // Ascending ids: the last row of each version wins.
        for (_, version_id, kitemark, score) in rows {
            out.insert(version_id, (kitemark, score));
        }
    }
    Ok(out)
}

/// A version that has a description but no evaluation under the given ruleset version.
#[derive(Debug, Clone, Queryable)]
pub struct Pending {
    pub version_id: VersionId,
    pub api_slug: String,
    pub version: String,
}

/// Up to `limit` versions still to evaluate, by id above `after`.
pub fn pending(
    conn: &mut Conn,
    ruleset: &str,
    ruleset_version: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<Pending>, Error> {
    let done = evaluations::table
        .filter(evaluations::ruleset.eq(ruleset.to_owned()))
        .filter(evaluations::ruleset_version.eq(ruleset_version.to_owned()))
        .select(evaluations::version_id);
    api_versions::table
        .inner_join(apis::table)
        .filter(api_versions::spec_format.is_not_null())
        .filter(api_versions::id.gt(after))
        .filter(diesel::dsl::not(api_versions::id.eq_any(done)))
        .order(api_versions::id)
        .limit(limit)
        .select((api_versions::id, apis::slug, api_versions::version))
        .load(conn)
        .map_err(Error::from)
}

/// (evaluated, total): versions with a description, and how many have results under the given
/// ruleset version.
pub fn progress(
    conn: &mut Conn,
    ruleset: &str,
    ruleset_version: &str,
) -> Result<(i64, i64), Error> {
    let total: i64 = api_versions::table
        .filter(api_versions::spec_format.is_not_null())
        .count()
        .get_result(conn)?;
    let done: i64 = evaluations::table
        .filter(evaluations::ruleset.eq(ruleset))
        .filter(evaluations::ruleset_version.eq(ruleset_version))
        .count()
        .get_result(conn)?;
    Ok((done, total))
}
