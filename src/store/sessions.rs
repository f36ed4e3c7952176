//! Sessions of people signed in to the web catalogue, keyed by the SHA-256 of their id (the id
//! itself is only ever in the visitor's cookie). Expired rows are purged whenever a session is
//! opened, and by `auth::session` when it meets one. What a session means is decided in
//! [`crate::auth::session`]; here are only the rows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Conn;
use super::schema::sessions;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id_sha256: String,
    pub subject: String,
    pub organisation: Option<String>,
    pub roles: String,
    pub display_name: String,
    pub csrf_token: String,
    pub method: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// Stores a new session, purging expired ones on the way.
pub fn insert(conn: &mut Conn, row: &SessionRow, now: NaiveDateTime) -> Result<(), Error> {
    purge_expired(conn, now)?;
    diesel::insert_into(sessions::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// The session with this id hash, expired or not (the caller decides; see [`delete`]).
pub fn find(conn: &mut Conn, id_sha256: &str) -> Result<Option<SessionRow>, Error> {
    Ok(sessions::table
        .find(id_sha256)
        .select(SessionRow::as_select())
        .first(conn)
        .optional()?)
}

/// Ends a session; true when there was one.
pub fn delete(conn: &mut Conn, id_sha256: &str) -> Result<bool, Error> {
    let n = diesel::delete(sessions::table.find(id_sha256)).execute(conn)?;
    Ok(n > 0)
}

/// Deletes every session expired at `now`; returns how many.
pub fn purge_expired(conn: &mut Conn, now: NaiveDateTime) -> Result<usize, Error> {
    Ok(diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)?)
}
