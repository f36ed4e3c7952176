//! Contracts: curated, versioned OpenAPI documents of what an implementation must provide. Their
//! versions are immutable; the original files are content-addressed blobs, as for API versions.
//! Contracts carry a visibility and an owning organisation, filtered by the same policy as APIs.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::organisations::{OrganisationRow, Sort};
use super::schema::{contract_files, contract_versions, contracts, organisations};
use super::{Conn, Page, Paged, audit, contains_pattern, lower, now, visible_clause};
use crate::auth::Principal;
use crate::auth::policy::Visible;
use crate::domain::{
    ContractId, ContractVersionId, OrganisationId, Slug, Visibility, compare_versions,
};
use crate::error::{Code, Error};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = contracts)]
pub struct ContractRow {
    pub id: ContractId,
    pub slug: String,
    pub organisation_id: OrganisationId,
    pub name: String,
    pub description: Option<String>,
    pub visibility: Visibility,
    pub latest_version: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A contract with the slug of its owner.
#[derive(Debug, Clone)]
pub struct ContractRecord {
    pub contract: ContractRow,
    pub owner: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = contract_versions)]
pub struct ContractVersionRow {
    pub id: ContractVersionId,
    pub contract_id: ContractId,
    pub version: String,
    pub content_sha256: String,
    pub spec_format: String,
    pub title: String,
    /// JSON list of the operations (method, path, operationId, summary).
    pub operations: String,
    pub operation_count: i32,
    pub published_by: String,
    pub published_at: NaiveDateTime,
}

pub struct NewContract<'a> {
    pub slug: &'a Slug,
    pub owner: &'a OrganisationRow,
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub visibility: Visibility,
}

#[derive(Default)]
pub struct ContractChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub visibility: Option<Visibility>,
}

pub struct NewContractVersion<'a> {
    pub contract_id: ContractId,
    pub version: &'a str,
    pub content_sha256: &'a str,
    pub spec_format: &'a str,
    pub title: &'a str,
    pub operations: &'a serde_json::Value,
    pub operation_count: usize,
    pub published_by: &'a str,
    /// (path, media type, sha256, bytes), root file first.
    pub files: &'a [(&'a str, &'a str, &'a str, &'a [u8])],
}

#[derive(Default)]
pub struct ContractFilter {
    pub org: Option<String>,
    pub q: Option<String>,
}

pub fn insert(
    conn: &mut Conn,
    who: &Principal,
    new: &NewContract,
) -> Result<ContractRecord, Error> {
    if contracts::table
        .filter(contracts::slug.eq(new.slug.as_str()))
        .count()
        .get_result::<i64>(conn)?
        > 0
    {
        return Err(Error::conflict(
            Code::ContractExists,
            format!("contract {} already exists", new.slug),
        ));
    }
    let at = now();
    let row = diesel::insert_into(contracts::table)
        .values((
            contracts::slug.eq(new.slug.as_str()),
            contracts::organisation_id.eq(new.owner.id),
            contracts::name.eq(new.name),
            contracts::description.eq(new.description),
            contracts::visibility.eq(new.visibility.as_str()),
            contracts::created_at.eq(at),
            contracts::updated_at.eq(at),
        ))
        .returning(contracts::all_columns)
        .get_result::<ContractRow>(conn)?;
    audit::record(
        conn,
        who,
        "contract.create",
        new.slug.as_str(),
        None,
        serde_json::json!({ "owner": new.owner.slug, "visibility": new.visibility.as_str() }),
    )?;
    Ok(ContractRecord {
        contract: row,
        owner: new.owner.slug.clone(),
    })
}

/// The contract named `slug` if the caller may see it.
pub fn find_visible(
    conn: &mut Conn,
    visible: &Visible,
    slug: &str,
) -> Result<Option<ContractRecord>, Error> {
    let mut q = contracts::table
        .filter(contracts::slug.eq(slug.to_string()))
        .into_boxed();
    if let Some(clause) = visible_clause!(contracts, visible) {
        q = q.filter(clause);
    }
    let Some(row) = q.select(ContractRow::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    Ok(attach_owners(conn, vec![row])?.pop())
}

pub fn get_visible(
    conn: &mut Conn,
    visible: &Visible,
    slug: &str,
) -> Result<ContractRecord, Error> {
    find_visible(conn, visible, slug)?.ok_or_else(|| Error::NotFound(format!("contract {slug}")))
}

/// Every contract the caller may see, by slug.
pub fn all_visible(conn: &mut Conn, visible: &Visible) -> Result<Vec<ContractRecord>, Error> {
    let mut q = contracts::table.into_boxed();
    if let Some(clause) = visible_clause!(contracts, visible) {
        q = q.filter(clause);
    }
    let rows = q
        .order(contracts::slug.asc())
        .select(ContractRow::as_select())
        .load(conn)?;
    attach_owners(conn, rows)
}

pub fn list(
    conn: &mut Conn,
    visible: &Visible,
    filter: &ContractFilter,
    sort: Sort,
    page: Page,
) -> Result<Paged<ContractRecord>, Error> {
    let query = || {
        let mut q = contracts::table.into_boxed();
        if let Some(clause) = visible_clause!(contracts, visible) {
            q = q.filter(clause);
        }
        if let Some(org) = &filter.org {
            q = q.filter(
                contracts::organisation_id.eq_any(
                    organisations::table
                        .filter(organisations::slug.eq(org.clone()))
                        .select(organisations::id),
                ),
            );
        }
        if let Some(text) = filter.q.as_deref().filter(|t| !t.trim().is_empty()) {
            let pattern = contains_pattern(text.trim());
            q = q.filter(
                lower(contracts::name)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(contracts::slug.like(pattern).escape('\\')),
            );
        }
        q
    };
    let total = query().count().get_result(conn)?;
    let q = match sort {
        Sort::Name => query().order((contracts::name.asc(), contracts::id.asc())),
        Sort::NameDesc => query().order((contracts::name.desc(), contracts::id.desc())),
        Sort::Created => query().order((contracts::created_at.asc(), contracts::id.asc())),
        Sort::CreatedDesc => query().order((contracts::created_at.desc(), contracts::id.desc())),
        Sort::Updated => query().order((contracts::updated_at.asc(), contracts::id.asc())),
        Sort::UpdatedDesc => query().order((contracts::updated_at.desc(), contracts::id.desc())),
    };
    let rows = q
        .limit(page.limit)
        .offset(page.offset)
        .select(ContractRow::as_select())
        .load(conn)?;
    Ok(Paged {
        items: attach_owners(conn, rows)?,
        total,
    })
}

pub fn update(
    conn: &mut Conn,
    who: &Principal,
    record: ContractRecord,
    changes: ContractChanges,
) -> Result<ContractRecord, Error> {
    let mut row = record.contract;
    if let Some(name) = changes.name {
        row.name = name;
    }
    if let Some(description) = changes.description {
        row.description = description;
    }
    if let Some(visibility) = changes.visibility {
        row.visibility = visibility;
    }
    row.updated_at = now();
    diesel::update(contracts::table.filter(contracts::id.eq(row.id)))
        .set((
            contracts::name.eq(&row.name),
            contracts::description.eq(&row.description),
            contracts::visibility.eq(&row.visibility),
            contracts::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        who,
        "contract.update",
        &row.slug,
        None,
        serde_json::json!({ "visibility": row.visibility }),
    )?;
    Ok(ContractRecord {
        contract: row,
        owner: record.owner,
    })
}

/// Stores a new version with its files and moves the contract's latest version when the label is
/// the highest. The caller holds the transaction and has checked that the label is free.
pub fn insert_version(
    conn: &mut Conn,
    who: &Principal,
    contract: &ContractRow,
    new: &NewContractVersion,
) -> Result<ContractVersionRow, Error> {
    let row = diesel::insert_into(contract_versions::table)
        .values((
            contract_versions::contract_id.eq(new.contract_id),
            contract_versions::version.eq(new.version),
            contract_versions::content_sha256.eq(new.content_sha256),
            contract_versions::spec_format.eq(new.spec_format),
            contract_versions::title.eq(new.title),
            contract_versions::operations.eq(new.operations.to_string()),
            contract_versions::operation_count.eq(new.operation_count as i32),
            contract_versions::published_by.eq(new.published_by),
            contract_versions::published_at.eq(now()),
        ))
        .returning(contract_versions::all_columns)
        .get_result::<ContractVersionRow>(conn)?;
    for (position, (path, media_type, sha256, bytes)) in new.files.iter().enumerate() {
        super::blobs::put(conn, sha256, bytes)?;
        diesel::insert_into(contract_files::table)
            .values((
                contract_files::contract_version_id.eq(row.id),
                contract_files::position.eq(position as i32),
                contract_files::path.eq(*path),
                contract_files::media_type.eq(*media_type),
                contract_files::blob_sha256.eq(*sha256),
            ))
            .execute(conn)?;
    }
    let higher = contract
        .latest_version
        .as_deref()
        .is_none_or(|current| compare_versions(new.version, current).is_gt());
    let target = contracts::table.filter(contracts::id.eq(contract.id));
    if higher {
        diesel::update(target)
            .set((
                contracts::latest_version.eq(new.version),
                contracts::updated_at.eq(now()),
            ))
            .execute(conn)?;
    } else {
        diesel::update(target)
            .set(contracts::updated_at.eq(now()))
            .execute(conn)?;
    }
    audit::record(
        conn,
        who,
        "contract.publish",
        &format!("{}@{}", contract.slug, new.version),
        Some(new.content_sha256),
        serde_json::json!({ "operations": new.operation_count }),
    )?;
    Ok(row)
}

/// Locks the contract's row until the transaction ends (PostgreSQL; SQLite writes are serialised
/// already), so that concurrent publishes move `latest_version` one after the other.
pub fn lock(conn: &mut Conn, contract_id: ContractId) -> Result<(), Error> {
    if let Conn::Postgresql(c) = conn {
        diesel::sql_query("SELECT id FROM contracts WHERE id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::BigInt, _>(contract_id)
            .execute(c)?;
    }
    Ok(())
}

/// A contract's version by label, `latest` resolved as [`crate::domain::resolve_label`] says.
pub fn find_version(
    conn: &mut Conn,
    contract: &ContractRow,
    label: &str,
) -> Result<Option<ContractVersionRow>, Error> {
    let exact = contract_versions::table
        .filter(contract_versions::contract_id.eq(contract.id))
        .filter(contract_versions::version.eq(label.to_string()))
        .select(ContractVersionRow::as_select())
        .first(conn)
        .optional()?;
    if exact.is_some() {
        return Ok(exact);
    }
    match crate::domain::resolve_label(label, contract.latest_version.as_deref(), false) {
        Some(resolved) if resolved != label => find_version(conn, contract, resolved),
        _ => Ok(None),
    }
}

pub fn get_version(
    conn: &mut Conn,
    contract: &ContractRow,
    label: &str,
) -> Result<ContractVersionRow, Error> {
    find_version(conn, contract, label)?
        .ok_or_else(|| Error::NotFound(format!("version {label} of contract {}", contract.slug)))
}

/// Every version of a contract, highest label first.
pub fn versions(
    conn: &mut Conn,
    contract_id: ContractId,
) -> Result<Vec<ContractVersionRow>, Error> {
    let mut rows = contract_versions::table
        .filter(contract_versions::contract_id.eq(contract_id))
        .select(ContractVersionRow::as_select())
        .load(conn)?;
    rows.sort_by(|a, b| compare_versions(&b.version, &a.version));
    Ok(rows)
}

pub fn versions_by_ids(
    conn: &mut Conn,
    ids: &[ContractVersionId],
) -> Result<Vec<ContractVersionRow>, Error> {
    contract_versions::table
        .filter(contract_versions::id.eq_any(ids))
        .select(ContractVersionRow::as_select())
        .load(conn)
        .map_err(Error::from)
}

/// The contracts among `ids` that `visible` may see.
pub fn visible_by_ids(
    conn: &mut Conn,
    visible: &Visible,
    ids: &[ContractId],
) -> Result<Vec<ContractRow>, Error> {
    let mut q = contracts::table
        .filter(contracts::id.eq_any(ids))
        .into_boxed();
    if let Some(clause) = visible_clause!(contracts, visible) {
        q = q.filter(clause);
    }
    q.select(ContractRow::as_select())
        .load(conn)
        .map_err(Error::from)
}

pub fn by_ids(conn: &mut Conn, ids: &[ContractId]) -> Result<Vec<ContractRow>, Error> {
    contracts::table
        .filter(contracts::id.eq_any(ids))
        .select(ContractRow::as_select())
        .load(conn)
        .map_err(Error::from)
}

/// The files of a contract version, root first: (path, media type, blob hash).
pub fn files(
    conn: &mut Conn,
    version_id: ContractVersionId,
) -> Result<Vec<(String, String, String)>, Error> {
    contract_files::table
        .filter(contract_files::contract_version_id.eq(version_id))
        .order(contract_files::position.asc())
        .select((
            contract_files::path,
            contract_files::media_type,
            contract_files::blob_sha256,
        ))
        .load(conn)
        .map_err(Error::from)
}

fn attach_owners(conn: &mut Conn, rows: Vec<ContractRow>) -> Result<Vec<ContractRecord>, Error> {
    let ids: Vec<OrganisationId> = rows.iter().map(|r| r.organisation_id).collect();
    let orgs = super::organisations::by_ids(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|contract| {
            let owner = orgs
                .iter()
                .find(|o| o.id == contract.organisation_id)
                .map(|o| o.slug.clone())
                .unwrap_or_default();
            ContractRecord { contract, owner }
        })
        .collect())
}
