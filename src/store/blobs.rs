//! Content-addressed storage of original bytes: a blob is stored once under its SHA-256, however
//! many versions refer to it, and is never changed.

use diesel::prelude::*;

use super::schema::blobs;
use super::{Conn, now, per_backend};
use crate::error::Error;

/// Stores `content` under `sha256` unless it is there already (also when another transaction
/// stores the same content at the same moment).
pub fn put(conn: &mut Conn, sha256: &str, content: &[u8]) -> Result<(), Error> {
    let exists: i64 = blobs::table
        .filter(blobs::sha256.eq(sha256))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        let at = now();
        per_backend!(conn, |c| {
            diesel::insert_into(blobs::table)
                .values((
                    blobs::sha256.eq(sha256),
                    blobs::size.eq(content.len() as i64),
                    blobs::content.eq(content),
                    blobs::created_at.eq(at),
                ))
                .on_conflict_do_nothing()
                .execute(c)
        })?;
    }
    Ok(())
}

pub fn get(conn: &mut Conn, sha256: &str) -> Result<Vec<u8>, Error> {
    blobs::table
        .filter(blobs::sha256.eq(sha256))
        .select(blobs::content)
        .first(conn)
        .optional()?
        .ok_or_else(|| Error::internal("blob store", format!("blob {sha256} is missing")))
}
