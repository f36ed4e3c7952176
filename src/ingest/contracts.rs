//! Publishing a contract version: curators only, in one transaction; versions are immutable (the
//! same content under an existing label is "unchanged", other content a conflict), exactly as for
//! API versions.

use serde_json::json;

use super::publish::{Outcome, content_hash};
use crate::auth::Principal;
use crate::auth::policy::{Visible, require_role};
use crate::domain::{Role, VersionLabel, clean_text};
use crate::error::{Code, Error};
use crate::store::Conn;
use crate::store::contracts::{self, ContractRecord, ContractVersionRow, NewContractVersion};
use pac_spec::Description;

/// Publishes `desc` as version `label` of contract `slug`. Call inside `Store::write`.
pub fn publish_contract_version(
    conn: &mut Conn,
    who: &Principal,
    slug: &str,
    label: &VersionLabel,
    desc: &Description,
) -> Result<(Outcome, ContractRecord, ContractVersionRow), Error> {
    let contract = contracts::get_visible(conn, &Visible::for_principal(who), slug)?;
    require_role(who, Role::Curator, "publishing a contract version")?;
    // Read the row again under its lock: a publish that held it before may have moved `latest`.
    contracts::lock(conn, contract.contract.id)?;
    let contract = contracts::get_visible(conn, &Visible::All, slug)?;
    if desc.operations.is_empty() {
        return Err(Error::Invalid {
            code: Code::ContractEmpty,
            message: format!(
                "the description of {slug} {label} has no operations: a contract lists the operations an implementation must provide"
            ),
            location: Box::new(crate::error::Location {
                file: desc.files.first().map(|f| f.path.clone()),
                pointer: Some("/paths".into()),
                ..Default::default()
            }),
        });
    }
    let hash = content_hash(&desc.files);
    if let Some(existing) = contracts::find_version(conn, &contract.contract, label.as_str())?
        .filter(|v| v.version == label.as_str())
    {
        if existing.content_sha256 == hash {
            return Ok((Outcome::Unchanged, contract, existing));
        }
        return Err(Error::conflict(
            Code::VersionConflict,
            format!(
                "version {label} of contract {slug} already exists with other content; versions are immutable: publish under a new version label"
            ),
        ));
    }
    let operations: Vec<serde_json::Value> = desc
        .operations
        .iter()
        .map(|o| {
            json!({
                "method": o.method,
                "path": clean_text(&o.path),
                "operation_id": o.operation_id.as_deref().map(clean_text),
                "summary": o.summary.as_deref().map(clean_text),
            })
        })
        .collect();
    let files: Vec<(&str, &str, &str, &[u8])> = desc
        .files
        .iter()
        .map(|f| {
            (
                f.path.as_str(),
                f.format.media_type(),
                f.sha256.as_str(),
                f.bytes.as_slice(),
            )
        })
        .collect();
    let title = clean_text(&desc.title);
    let version = contracts::insert_version(
        conn,
        who,
        &contract.contract,
        &NewContractVersion {
            contract_id: contract.contract.id,
            version: label.as_str(),
            content_sha256: &hash,
            spec_format: desc.format.as_str(),
            title: &title,
            operations: &serde_json::Value::Array(operations),
            operation_count: desc.operations.len(),
            published_by: who.actor(),
            files: &files,
        },
    )?;
    let contract = contracts::get_visible(conn, &Visible::All, slug)?;
    Ok((Outcome::Created, contract, version))
}
