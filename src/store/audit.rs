//! The audit log: every write, who made it, when, and the hash of any content it stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::audit_log;
use super::{Conn, Page, Paged, now};
use crate::auth::Principal;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub actor_org: Option<String>,
    pub action: String,
    pub target: String,
    pub content_sha256: Option<String>,
    pub detail: String,
}

/// Records one write. Call it inside the write's transaction so both land or neither does.
pub fn record(
    conn: &mut Conn,
    who: &Principal,
    action: &str,
    target: &str,
    content_sha256: Option<&str>,
    detail: serde_json::Value,
) -> Result<(), Error> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(now()),
            audit_log::actor.eq(who.actor()),
            audit_log::actor_org.eq(who.org().map(|o| o.as_str())),
            audit_log::action.eq(action),
            audit_log::target.eq(target),
            audit_log::content_sha256.eq(content_sha256),
            audit_log::detail.eq(detail.to_string()),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target: Option<String>,
}

/// Newest first.
pub fn list(conn: &mut Conn, filter: &AuditFilter, page: Page) -> Result<Paged<AuditRow>, Error> {
    let query = || {
        let mut q = audit_log::table.into_boxed();
        if let Some(actor) = &filter.actor {
            q = q.filter(audit_log::actor.eq(actor.clone()));
        }
        if let Some(action) = &filter.action {
            q = q.filter(audit_log::action.eq(action.clone()));
        }
        if let Some(target) = &filter.target {
            q = q.filter(audit_log::target.eq(target.clone()));
        }
        q
    };
    let total = query().count().get_result(conn)?;
    let items = query()
        .order(audit_log::id.desc())
        .limit(page.limit)
        .offset(page.offset)
        .select(AuditRow::as_select())
        .load(conn)?;
    Ok(Paged { items, total })
}

/// One entry of the log read as a change feed (search catches up on it).
#[derive(Debug, Clone, Queryable)]
pub struct Change {
    pub id: i64,
    pub at: NaiveDateTime,
    pub action: String,
    pub target: String,
}

/// Up to `limit` entries with an id above `after`, oldest first.
pub fn since(conn: &mut Conn, after: i64, limit: i64) -> Result<Vec<Change>, Error> {
    audit_log::table
        .filter(audit_log::id.gt(after))
        .order(audit_log::id)
        .limit(limit)
        .select((
            audit_log::id,
            audit_log::at,
            audit_log::action,
            audit_log::target,
        ))
        .load(conn)
        .map_err(Error::from)
}

/// The id of the newest entry written before `cutoff`, if any.
pub fn last_before(conn: &mut Conn, cutoff: NaiveDateTime) -> Result<Option<i64>, Error> {
    audit_log::table
        .filter(audit_log::at.lt(cutoff))
        .select(diesel::dsl::max(audit_log::id))
        .first::<Option<i64>>(conn)
        .map_err(Error::from)
}
