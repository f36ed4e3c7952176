//! API versions: immutable once stored. A version refers to its source files (content-addressed
//! blobs, root first) and carries the operations and schemas derived from its description.
//! Link-only versions (imported from other catalogues) have no files, only a documentation URL.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{api_versions, operations, schemas, version_files};
use super::{Conn, Page, Paged, now, per_backend};
use crate::auth::policy::Visible;
use crate::domain::{ApiId, VersionId};
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_versions)]
pub struct VersionRow {
    pub id: VersionId,
    pub api_id: ApiId,
    pub version: String,
    pub seq: i32,
    pub content_sha256: Option<String>,
    pub spec_format: Option<String>,
    pub declared_version: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub documentation_url: Option<String>,
    pub operation_count: i32,
    pub schema_count: i32,
    pub notes: String,
    pub published_by: String,
    pub published_at: NaiveDateTime,
    /// JSON: the changes against the previous version (`{"from", "summary", "changes"}`); None
    /// when not computed (the first version, link-only versions, bulk imports).
    pub changes: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = version_files)]
pub struct FileRow {
    pub version_id: VersionId,
    pub position: i32,
    pub path: String,
    pub media_type: String,
    pub blob_sha256: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = operations)]
pub struct OperationRow {
    pub id: i64,
    pub version_id: VersionId,
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: String,
    pub deprecated: bool,
    pub parameters: String,
    pub request_media_types: String,
    pub response_media_types: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = schemas)]
pub struct SchemaRow {
    pub id: i64,
    pub version_id: VersionId,
    pub name: String,
    pub description: Option<String>,
    pub properties: String,
    pub property_descriptions: String,
}

pub struct NewVersion<'a> {
    pub api_id: ApiId,
    pub version: &'a str,
    pub content_sha256: &'a str,
    pub spec_format: Option<&'a str>,
    pub declared_version: Option<&'a str>,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub documentation_url: Option<&'a str>,
    pub notes: &'a serde_json::Value,
    pub published_by: &'a str,
    pub changes: Option<&'a str>,
}

pub struct NewFile<'a> {
    pub path: &'a str,
    pub media_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
}

pub struct NewOperation<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub operation_id: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub description: Option<&'a str>,
    pub tags: &'a [String],
    pub deprecated: bool,
    /// JSON array of `{name, in, required}`.
    pub parameters: &'a str,
    pub request_media_types: &'a [String],
    pub response_media_types: &'a [String],
}

pub struct NewSchema<'a> {
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub properties: &'a [String],
    /// Aligned with `properties`.
    pub property_descriptions: &'a [Option<String>],
}

/// Rows per multi-row INSERT: well under SQLite's limit of bound parameters.
const BATCH: usize = 500;

/// Stores a new version with its files, operations and schemas. The caller holds the transaction
/// and has checked that the label is free.
pub fn insert(
    conn: &mut Conn,
    new: &NewVersion,
    files: &[NewFile],
    ops: &[NewOperation],
    schema_list: &[NewSchema],
) -> Result<VersionRow, Error> {
    let seq: Option<i32> = api_versions::table
        .filter(api_versions::api_id.eq(new.api_id))
        .select(diesel::dsl::max(api_versions::seq))
        .first(conn)?;
    let row = diesel::insert_into(api_versions::table)
        .values((
            api_versions::api_id.eq(new.api_id),
            api_versions::version.eq(new.version),
            api_versions::seq.eq(seq.unwrap_or(0) + 1),
            api_versions::content_sha256.eq(new.content_sha256),
            api_versions::spec_format.eq(new.spec_format),
            api_versions::declared_version.eq(new.declared_version),
            api_versions::title.eq(new.title),
            api_versions::description.eq(new.description),
            api_versions::documentation_url.eq(new.documentation_url),
            api_versions::operation_count.eq(ops.len() as i32),
            api_versions::schema_count.eq(schema_list.len() as i32),
            api_versions::notes.eq(new.notes.to_string()),
            api_versions::published_by.eq(new.published_by),
            api_versions::published_at.eq(now()),
            api_versions::changes.eq(new.changes),
        ))
        .returning(api_versions::all_columns)
        .get_result::<VersionRow>(conn)?;

    for (position, f) in files.iter().enumerate() {
        super::blobs::put(conn, f.sha256, f.content)?;
        diesel::insert_into(version_files::table)
            .values((
                version_files::version_id.eq(row.id),
                version_files::position.eq(position as i32),
                version_files::path.eq(f.path),
                version_files::media_type.eq(f.media_type),
                version_files::blob_sha256.eq(f.sha256),
            ))
            .execute(conn)?;
    }
    for chunk in ops.chunks(BATCH) {
        let values: Vec<_> = chunk
            .iter()
            .map(|o| {
                (
                    operations::version_id.eq(row.id),
                    operations::method.eq(o.method),
                    operations::path.eq(o.path),
                    operations::operation_id.eq(o.operation_id),
                    operations::summary.eq(o.summary),
                    operations::description.eq(o.description),
                    operations::tags.eq(serde_json::to_string(o.tags).unwrap_or_default()),
                    operations::deprecated.eq(o.deprecated),
                    operations::parameters.eq(o.parameters),
                    operations::request_media_types
                        .eq(serde_json::to_string(o.request_media_types).unwrap_or_default()),
                    operations::response_media_types
                        .eq(serde_json::to_string(o.response_media_types).unwrap_or_default()),
                )
            })
            .collect();
        per_backend!(conn, |c| diesel::insert_into(operations::table)
            .values(&values)
            .execute(c))?;
    }
    for chunk in schema_list.chunks(BATCH) {
        let values: Vec<_> = chunk
            .iter()
            .map(|s| {
                (
                    schemas::version_id.eq(row.id),
                    schemas::name.eq(s.name),
                    schemas::description.eq(s.description),
                    schemas::properties.eq(serde_json::to_string(s.properties).unwrap_or_default()),
                    schemas::property_descriptions
                        .eq(serde_json::to_string(s.property_descriptions).unwrap_or_default()),
                )
            })
            .collect();
        per_backend!(conn, |c| diesel::insert_into(schemas::table)
            .values(&values)
            .execute(c))?;
    }
    Ok(row)
}

pub fn find(conn: &mut Conn, api_id: ApiId, label: &str) -> Result<Option<VersionRow>, Error> {
    api_versions::table
        .filter(api_versions::api_id.eq(api_id))
        .filter(api_versions::version.eq(label.to_string()))
        .select(VersionRow::as_select())
        .first(conn)
        .optional()
        .map_err(Error::from)
}

/// A version by its id (background work that found it in a list).
pub fn by_id(conn: &mut Conn, id: VersionId) -> Result<Option<VersionRow>, Error> {
    api_versions::table
        .find(id)
        .select(VersionRow::as_select())
        .first(conn)
        .optional()
        .map_err(Error::from)
}

pub fn get(
    conn: &mut Conn,
    api_id: ApiId,
    api_slug: &str,
    label: &str,
) -> Result<VersionRow, Error> {
    find(conn, api_id, label)?
        .ok_or_else(|| Error::NotFound(format!("version {label} of API {api_slug}")))
}

/// The version `label` names: a version of that label, else, for `latest`, the API's latest
/// ([`crate::domain::resolve_label`]).
pub fn find_labelled(
    conn: &mut Conn,
    api_id: ApiId,
    latest: Option<&str>,
    label: &str,
) -> Result<Option<VersionRow>, Error> {
    if let Some(exact) = find(conn, api_id, label)? {
        return Ok(Some(exact));
    }
    match crate::domain::resolve_label(label, latest, false) {
        Some(resolved) if resolved != label => find(conn, api_id, resolved),
        _ => Ok(None),
    }
}

/// The version before `label` that has a description: the highest label below it, passing over
/// link-only versions. What a new version is compared with, and what a diff compares by default.
pub fn previous_described(
    conn: &mut Conn,
    api_id: ApiId,
    label: &str,
) -> Result<Option<VersionRow>, Error> {
    let described: Vec<String> = api_versions::table
        .filter(api_versions::api_id.eq(api_id))
        .filter(api_versions::spec_format.is_not_null())
        .select(api_versions::version)
        .load(conn)?;
    let previous = described
        .into_iter()
        .filter(|l| crate::domain::compare_versions(l, label).is_lt())
        .max_by(|a, b| crate::domain::compare_versions(a, b));
    match previous {
        Some(previous) => find(conn, api_id, &previous),
        None => Ok(None),
    }
}

/// The labels of the versions among `ids`.
pub fn labels_by_ids(
    conn: &mut Conn,
    ids: &[VersionId],
) -> Result<std::collections::HashMap<VersionId, String>, Error> {
    Ok(api_versions::table
        .filter(api_versions::id.eq_any(ids))
        .select((api_versions::id, api_versions::version))
        .load::<(VersionId, String)>(conn)?
        .into_iter()
        .collect())
}

/// Newest first.
pub fn list(conn: &mut Conn, api_id: ApiId, page: Page) -> Result<Paged<VersionRow>, Error> {
    let total = api_versions::table
        .filter(api_versions::api_id.eq(api_id))
        .count()
        .get_result(conn)?;
    let items = api_versions::table
        .filter(api_versions::api_id.eq(api_id))
        .order(api_versions::seq.desc())
        .limit(page.limit)
        .offset(page.offset)
        .select(VersionRow::as_select())
        .load(conn)?;
    Ok(Paged { items, total })
}

/// Versions of the APIs that `visible` may see.
pub fn count_visible(conn: &mut Conn, visible: &Visible) -> Result<i64, Error> {
    use super::schema::apis;
    let mut shown = apis::table.select(apis::id).into_boxed();
    if let Some(clause) = super::visible_clause!(apis, visible) {
        shown = shown.filter(clause);
    }
    let ids: Vec<ApiId> = shown.load(conn)?;
    let mut total = 0;
    for chunk in ids.chunks(BATCH) {
        total += api_versions::table
            .filter(api_versions::api_id.eq_any(chunk))
            .count()
            .get_result::<i64>(conn)?;
    }
    Ok(total)
}

pub fn files(conn: &mut Conn, version_id: VersionId) -> Result<Vec<FileRow>, Error> {
    version_files::table
        .filter(version_files::version_id.eq(version_id))
        .order(version_files::position)
        .select(FileRow::as_select())
        .load(conn)
        .map_err(Error::from)
}

/// Narrows a version's operations to one method, path or operationId (exact matches).
#[derive(Debug, Default, Clone)]
pub struct OperationFilter {
    pub method: Option<String>,
    pub path: Option<String>,
    pub operation_id: Option<String>,
}

pub fn operations(
    conn: &mut Conn,
    version_id: VersionId,
    filter: &OperationFilter,
    page: Page,
) -> Result<Paged<OperationRow>, Error> {
    let query = || {
        let mut q = operations::table
            .filter(operations::version_id.eq(version_id))
            .into_boxed();
        if let Some(m) = &filter.method {
            q = q.filter(operations::method.eq(m.to_ascii_lowercase()));
        }
        if let Some(p) = &filter.path {
            q = q.filter(operations::path.eq(p.clone()));
        }
        if let Some(id) = &filter.operation_id {
            q = q.filter(operations::operation_id.eq(id.clone()));
        }
        q
    };
    let total = query().count().get_result(conn)?;
    let items = query()
        .order(operations::id)
        .limit(page.limit)
        .offset(page.offset)
        .select(OperationRow::as_select())
        .load(conn)?;
    Ok(Paged { items, total })
}

/// `name`: only the schema of that exact name.
pub fn schemas(
    conn: &mut Conn,
    version_id: VersionId,
    name: Option<&str>,
    page: Page,
) -> Result<Paged<SchemaRow>, Error> {
    let query = || {
        let mut q = schemas::table
            .filter(schemas::version_id.eq(version_id))
            .into_boxed();
        if let Some(n) = name {
            q = q.filter(schemas::name.eq(n.to_string()));
        }
        q
    };
    let total = query().count().get_result(conn)?;
    let items = query()
        .order(schemas::id)
        .limit(page.limit)
        .offset(page.offset)
        .select(SchemaRow::as_select())
        .load(conn)?;
    Ok(Paged { items, total })
}

/// Every version label of an API, in no particular order.
pub fn labels(conn: &mut Conn, api_id: ApiId) -> Result<Vec<String>, Error> {
    api_versions::table
        .filter(api_versions::api_id.eq(api_id))
        .select(api_versions::version)
        .load(conn)
        .map_err(Error::from)
}
