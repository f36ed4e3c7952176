//! Reading a stored description back from its original files: an API version's or a contract
//! version's, through the one loader (`pac_spec::load`).

use crate::error::Error;
use crate::store::contracts::{self, ContractVersionRow};
use crate::store::versions::VersionRow;
use crate::store::{Conn, blobs, versions};
use pac_spec::{Description, Limits, MemorySource};

/// The description of a stored version, read again from its original bytes; None for a
/// link-only version (no files).
pub fn of_version(
    conn: &mut Conn,
    version: &VersionRow,
    limits: &Limits,
) -> Result<Option<Description>, Error> {
    let files = versions::files(conn, version.id)?
        .into_iter()
        .map(|f| Ok((f.path, blobs::get(conn, &f.blob_sha256)?)))
        .collect::<Result<Vec<_>, Error>>()?;
    load(files, limits)
}

/// The description of a stored contract version.
pub fn of_contract_version(
    conn: &mut Conn,
    version: &ContractVersionRow,
    limits: &Limits,
) -> Result<Description, Error> {
    let files = contracts::files(conn, version.id)?
        .into_iter()
        .map(|(path, _, sha256)| Ok((path, blobs::get(conn, &sha256)?)))
        .collect::<Result<Vec<_>, Error>>()?;
    load(files, limits)?.ok_or_else(|| {
        Error::internal(
            "contract store",
            format!("contract version {} has no files", version.id),
        )
    })
}

/// Stored descriptions were accepted once: they are read with limits no tighter than the
/// defaults, so that lowering a limit later does not make old versions unreadable.
fn load(files: Vec<(String, Vec<u8>)>, limits: &Limits) -> Result<Option<Description>, Error> {
    let Some(root) = files.first().map(|f| f.0.clone()) else {
        return Ok(None);
    };
    let limits = limits.at_least(&Limits::default());
    Ok(Some(pac_spec::load(
        &MemorySource::new(files),
        &root,
        &limits,
    )?))
}
