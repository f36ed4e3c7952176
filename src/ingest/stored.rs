//! Reading a stored version's description back from its original files.

use crate::error::Error;
use crate::spec::{self, Description, Limits, MemorySource};
use crate::store::versions::VersionRow;
use crate::store::{Conn, blobs, versions};

/// The description of a stored version, read again from its original bytes; None for a
/// link-only version (no files). Stored versions were accepted once: they are read with limits no
/// tighter than the defaults, so that lowering a limit later does not make old versions unreadable.
pub fn description(
    conn: &mut Conn,
    version: &VersionRow,
    limits: &Limits,
) -> Result<Option<Description>, Error> {
    let files = versions::files(conn, version.id)?
        .into_iter()
        .map(|f| Ok((f.path, blobs::get(conn, &f.blob_sha256)?)))
        .collect::<Result<Vec<_>, Error>>()?;
    let Some(root) = files.first().map(|f| f.0.clone()) else {
        return Ok(None);
    };
    let limits = limits.at_least(&Limits::default());
    Ok(Some(spec::load(&MemorySource::new(files), &root, &limits)?))
}
