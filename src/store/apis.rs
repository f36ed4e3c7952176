//! APIs: named interfaces of an organisation (optionally of one of its systems), with metadata,
//! tags and a pointer to the latest version. Every read goes through the visibility clause.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::organisations::{OrganisationRow, Sort};
use super::schema::{api_tags, apis, organisations, systems};
use super::systems::SystemRow;
use super::{Conn, Page, Paged, audit, contains_pattern, lower, now, per_backend, visible_clause};
use crate::auth::Principal;
use crate::auth::policy::Visible;
use crate::domain::{
    ApiId, CompatPolicy, Lifecycle, OrgKind, OrganisationId, Slug, SystemId, Visibility,
};
use crate::error::{Code, Error};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = apis)]
pub struct ApiRow {
    pub id: ApiId,
    pub slug: String,
    pub organisation_id: OrganisationId,
    pub system_id: Option<SystemId>,
    pub name: String,
    pub description: Option<String>,
    pub visibility: Visibility,
    pub lifecycle: Lifecycle,
    pub documentation_url: Option<String>,
    pub source: String,
    pub latest_version: Option<String>,
    pub latest_spec_format: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub compatibility: CompatPolicy,
}

/// An API with what the wire shows beside it: owner, owner kind, system and tags.
#[derive(Debug, Clone)]
pub struct ApiRecord {
    pub api: ApiRow,
    pub owner: String,
    pub owner_kind: String,
    pub system: Option<String>,
    pub tags: Vec<String>,
}

pub struct NewApi<'a> {
    pub slug: &'a Slug,
    pub owner: &'a OrganisationRow,
    pub system: Option<&'a SystemRow>,
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub visibility: Visibility,
    pub lifecycle: Lifecycle,
    pub documentation_url: Option<&'a str>,
    pub compatibility: CompatPolicy,
    /// How the API came in: `publish`, `import` or `ukgov`.
    pub source: &'a str,
    pub tags: &'a [String],
}

#[derive(Default)]
pub struct ApiChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub visibility: Option<Visibility>,
    pub lifecycle: Option<Lifecycle>,
    pub documentation_url: Option<Option<String>>,
    pub system_id: Option<Option<SystemId>>,
    pub tags: Option<Vec<String>>,
    pub compatibility: Option<CompatPolicy>,
}

#[derive(Default, Debug)]
pub struct ApiFilter {
    pub q: Option<String>,
    pub org: Option<String>,
    pub org_kind: Option<OrgKind>,
    pub system: Option<String>,
    pub lifecycle: Option<Lifecycle>,
    pub visibility: Option<Visibility>,
    pub tag: Option<String>,
    /// Spec format of the latest version (`openapi-3.0`, ...), or `none` for link-only APIs.
    pub format: Option<String>,
}

/// Creates an API and records it in the audit log (`detail` says how it came in).
pub fn insert(
    conn: &mut Conn,
    who: &Principal,
    new: &NewApi,
    detail: serde_json::Value,
) -> Result<ApiRecord, Error> {
    if find_any(conn, new.slug.as_str())?.is_some() {
        return Err(Error::conflict(
            Code::ApiExists,
            format!("API {} already exists", new.slug),
        ));
    }
    let at = now();
    let row = diesel::insert_into(apis::table)
        .values((
            apis::slug.eq(new.slug.as_str()),
            apis::organisation_id.eq(new.owner.id),
            apis::system_id.eq(new.system.map(|s| s.id)),
            apis::name.eq(new.name),
            apis::description.eq(new.description),
            apis::visibility.eq(new.visibility.as_str()),
            apis::lifecycle.eq(new.lifecycle.as_str()),
            apis::documentation_url.eq(new.documentation_url),
            apis::source.eq(new.source),
            apis::created_at.eq(at),
            apis::updated_at.eq(at),
            apis::compatibility.eq(new.compatibility.as_str()),
        ))
        .returning(apis::all_columns)
        .get_result::<ApiRow>(conn)?;
    set_tags(conn, row.id, new.tags)?;
    audit::record(conn, who, "api.create", new.slug.as_str(), None, detail)?;
    Ok(ApiRecord {
        api: row,
        owner: new.owner.slug.clone(),
        owner_kind: new.owner.kind.as_str().to_string(),
        system: new.system.map(|s| s.slug.clone()),
        tags: sorted_unique(new.tags),
    })
}

/// The API named `slug`, whoever may see it: for checks of uniqueness and for the importer.
pub fn find_any(conn: &mut Conn, slug: &str) -> Result<Option<ApiRow>, Error> {
    apis::table
        .filter(apis::slug.eq(slug.to_string()))
        .select(ApiRow::as_select())
        .first(conn)
        .optional()
        .map_err(Error::from)
}

/// The API with this id, whoever may see it: for background work that found it in a relation.
pub fn by_id(conn: &mut Conn, id: ApiId) -> Result<Option<ApiRow>, Error> {
    apis::table
        .find(id)
        .select(ApiRow::as_select())
        .first(conn)
        .optional()
        .map_err(Error::from)
}

/// The slugs of the APIs among `ids` that `visible` may see.
pub fn visible_slugs(
    conn: &mut Conn,
    visible: &Visible,
    ids: &[ApiId],
) -> Result<std::collections::HashMap<ApiId, String>, Error> {
    let mut q = apis::table.filter(apis::id.eq_any(ids)).into_boxed();
    if let Some(clause) = visible_clause!(apis, visible) {
        q = q.filter(clause);
    }
    Ok(q.select((apis::id, apis::slug))
        .load::<(ApiId, String)>(conn)?
        .into_iter()
        .collect())
}

/// The API named `slug` if the caller may see it.
pub fn find_visible(
    conn: &mut Conn,
    visible: &Visible,
    slug: &str,
) -> Result<Option<ApiRecord>, Error> {
    let mut q = apis::table
        .filter(apis::slug.eq(slug.to_string()))
        .into_boxed();
    if let Some(clause) = visible_clause!(apis, visible) {
        q = q.filter(clause);
    }
    let Some(row) = q.select(ApiRow::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    Ok(attach(conn, visible, vec![row])?.pop())
}

/// Like [`find_visible`], answering "not found" for what the caller may not see.
pub fn get_visible(conn: &mut Conn, visible: &Visible, slug: &str) -> Result<ApiRecord, Error> {
    find_visible(conn, visible, slug)?.ok_or_else(|| Error::NotFound(format!("API {slug}")))
}

/// The record of a row, as `visible` may see it (a hidden system is left out).
pub fn record(conn: &mut Conn, visible: &Visible, row: ApiRow) -> Result<ApiRecord, Error> {
    attach(conn, visible, vec![row])?
        .pop()
        .ok_or_else(|| Error::internal("api record", "attach dropped a row"))
}

/// APIs that `visible` may see.
pub fn count_visible(conn: &mut Conn, visible: &Visible) -> Result<i64, Error> {
    let mut q = apis::table.into_boxed();
    if let Some(clause) = visible_clause!(apis, visible) {
        q = q.filter(clause);
    }
    q.count().get_result(conn).map_err(Error::from)
}

pub fn list(
    conn: &mut Conn,
    visible: &Visible,
    filter: &ApiFilter,
    sort: Sort,
    page: Page,
) -> Result<Paged<ApiRecord>, Error> {
    // A system filter names a system the caller must be able to see; otherwise nothing matches.
    let system_id = match &filter.system {
        Some(slug) => match super::systems::find_visible(conn, visible, slug)? {
            Some(found) => Some(found.system.id),
            None => {
                return Ok(Paged {
                    items: Vec::new(),
                    total: 0,
                });
            }
        },
        None => None,
    };
    let query = || {
        let mut q = apis::table.into_boxed();
        if let Some(clause) = visible_clause!(apis, visible) {
            q = q.filter(clause);
        }
        if let Some(org) = &filter.org {
            q = q.filter(
                apis::organisation_id.eq_any(
                    organisations::table
                        .filter(organisations::slug.eq(org.clone()))
                        .select(organisations::id),
                ),
            );
        }
        if let Some(kind) = filter.org_kind {
            q = q.filter(
                apis::organisation_id.eq_any(
                    organisations::table
                        .filter(organisations::kind.eq(kind.as_str()))
                        .select(organisations::id),
                ),
            );
        }
        if let Some(id) = system_id {
            q = q.filter(apis::system_id.eq(id));
        }
        if let Some(lifecycle) = filter.lifecycle {
            q = q.filter(apis::lifecycle.eq(lifecycle.as_str()));
        }
        if let Some(visibility) = filter.visibility {
            q = q.filter(apis::visibility.eq(visibility.as_str()));
        }
        if let Some(tag) = &filter.tag {
            q = q.filter(
                apis::id.eq_any(
                    api_tags::table
                        .filter(api_tags::tag.eq(tag.to_lowercase()))
                        .select(api_tags::api_id),
                ),
            );
        }
        match filter.format.as_deref() {
            Some("none") => q = q.filter(apis::latest_spec_format.is_null()),
            Some(format) => q = q.filter(apis::latest_spec_format.eq(format.to_string())),
            None => {}
        }
        if let Some(text) = filter.q.as_deref().filter(|t| !t.trim().is_empty()) {
            let pattern = contains_pattern(text.trim());
            q = q.filter(
                lower(apis::name)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(apis::slug.like(pattern.clone()).escape('\\'))
                    .or(lower(apis::description.assume_not_null())
                        .like(pattern)
                        .escape('\\')),
            );
        }
        q
    };
    let total = query().count().get_result(conn)?;
    let q = match sort {
        Sort::Name => query().order((apis::name.asc(), apis::id.asc())),
        Sort::NameDesc => query().order((apis::name.desc(), apis::id.desc())),
        Sort::Created => query().order((apis::created_at.asc(), apis::id.asc())),
        Sort::CreatedDesc => query().order((apis::created_at.desc(), apis::id.desc())),
        Sort::Updated => query().order((apis::updated_at.asc(), apis::id.asc())),
        Sort::UpdatedDesc => query().order((apis::updated_at.desc(), apis::id.desc())),
    };
    let rows = q
        .limit(page.limit)
        .offset(page.offset)
        .select(ApiRow::as_select())
        .load(conn)?;
    Ok(Paged {
        items: attach(conn, visible, rows)?,
        total,
    })
}

/// Changes an API's metadata and records it in the audit log.
pub fn update(
    conn: &mut Conn,
    who: &Principal,
    current: ApiRecord,
    changes: ApiChanges,
) -> Result<ApiRecord, Error> {
    let mut row = current.api;
    if let Some(name) = changes.name {
        row.name = name;
    }
    if let Some(description) = changes.description {
        row.description = description;
    }
    if let Some(visibility) = changes.visibility {
        row.visibility = visibility;
    }
    if let Some(lifecycle) = changes.lifecycle {
        row.lifecycle = lifecycle;
    }
    if let Some(url) = changes.documentation_url {
        row.documentation_url = url;
    }
    let moved_from = match changes.system_id {
        Some(system_id) if system_id != row.system_id => Some(row.system_id),
        _ => None,
    };
    if let Some(system_id) = changes.system_id {
        row.system_id = system_id;
    }
    if let Some(policy) = changes.compatibility {
        row.compatibility = policy;
    }
    row.updated_at = now();
    diesel::update(apis::table.filter(apis::id.eq(row.id)))
        .set((
            apis::name.eq(&row.name),
            apis::description.eq(&row.description),
            apis::visibility.eq(&row.visibility),
            apis::lifecycle.eq(&row.lifecycle),
            apis::documentation_url.eq(&row.documentation_url),
            apis::system_id.eq(row.system_id),
            apis::updated_at.eq(row.updated_at),
            apis::compatibility.eq(&row.compatibility),
        ))
        .execute(conn)?;
    if let Some(tags) = changes.tags {
        diesel::delete(api_tags::table.filter(api_tags::api_id.eq(row.id))).execute(conn)?;
        set_tags(conn, row.id, &tags)?;
    }
    audit::record(
        conn,
        who,
        "api.update",
        &row.slug,
        None,
        serde_json::json!({ "visibility": row.visibility, "lifecycle": row.lifecycle }),
    )?;
    // The systems it leaves and joins: what each provides is evidence for its tier.
    if let Some(from) = moved_from {
        for (system, left) in [(from, true), (row.system_id, false)] {
            let Some(system) = system else { continue };
            let slug: String = systems::table
                .filter(systems::id.eq(system))
                .select(systems::slug)
                .first(conn)?;
            audit::record(
                conn,
                who,
                "system.provides",
                &slug,
                None,
                serde_json::json!({ "api": row.slug, "left": left }),
            )?;
        }
    }
    record(conn, &Visible::for_principal(who), row)
}

/// Takes the API's row lock for the rest of the transaction (PostgreSQL), so that concurrent
/// publishes to one API happen one after the other. SQLite writers are serialised already.
pub fn lock(conn: &mut Conn, api_id: ApiId) -> Result<(), Error> {
    if let Conn::Postgresql(c) = conn {
        diesel::sql_query("SELECT id FROM apis WHERE id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::BigInt, _>(api_id)
            .execute(c)?;
    }
    Ok(())
}

/// Marks the API as changed now; returns the row as it now is.
pub fn touch(conn: &mut Conn, api_id: ApiId) -> Result<ApiRow, Error> {
    diesel::update(apis::table.filter(apis::id.eq(api_id)))
        .set(apis::updated_at.eq(now()))
        .returning(apis::all_columns)
        .get_result::<ApiRow>(conn)
        .map_err(Error::from)
}

/// Points the API at its highest version; returns the row as it now is.
pub fn set_latest(
    conn: &mut Conn,
    api_id: ApiId,
    version: &str,
    spec_format: Option<&str>,
) -> Result<ApiRow, Error> {
    diesel::update(apis::table.filter(apis::id.eq(api_id)))
        .set((
            apis::latest_version.eq(version),
            apis::latest_spec_format.eq(spec_format),
            apis::updated_at.eq(now()),
        ))
        .returning(apis::all_columns)
        .get_result::<ApiRow>(conn)
        .map_err(Error::from)
}

fn sorted_unique(tags: &[String]) -> Vec<String> {
    let mut t: Vec<String> = tags.iter().map(|t| t.to_lowercase()).collect();
    t.sort();
    t.dedup();
    t
}

fn set_tags(conn: &mut Conn, api_id: ApiId, tags: &[String]) -> Result<(), Error> {
    let rows: Vec<_> = sorted_unique(tags)
        .into_iter()
        .map(|t| (api_tags::api_id.eq(api_id), api_tags::tag.eq(t)))
        .collect();
    if !rows.is_empty() {
        per_backend!(conn, |c| diesel::insert_into(api_tags::table)
            .values(&rows)
            .execute(c))?;
    }
    Ok(())
}

/// Loads owners, systems and tags of a page of APIs in three queries. A system the caller may not
/// see is left out, even when the API itself is visible.
fn attach(conn: &mut Conn, visible: &Visible, rows: Vec<ApiRow>) -> Result<Vec<ApiRecord>, Error> {
    let org_ids: Vec<OrganisationId> = rows.iter().map(|r| r.organisation_id).collect();
    let orgs = super::organisations::by_ids(conn, &org_ids)?;
    let system_ids: Vec<SystemId> = rows.iter().filter_map(|r| r.system_id).collect();
    let systems = if system_ids.is_empty() {
        Vec::new()
    } else {
        super::systems::visible_by_ids(conn, visible, &system_ids)?
    };
    let api_ids: Vec<ApiId> = rows.iter().map(|r| r.id).collect();
    let tags: Vec<(ApiId, String)> = api_tags::table
        .filter(api_tags::api_id.eq_any(&api_ids))
        .order((api_tags::api_id, api_tags::tag))
        .select((api_tags::api_id, api_tags::tag))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|api| {
            let org = orgs.iter().find(|o| o.id == api.organisation_id);
            ApiRecord {
                owner: org.map(|o| o.slug.clone()).unwrap_or_default(),
                owner_kind: org.map(|o| o.kind.as_str().to_string()).unwrap_or_default(),
                system: api
                    .system_id
                    .and_then(|id| systems.iter().find(|s| s.id == id))
                    .map(|s| s.slug.clone()),
                tags: tags
                    .iter()
                    .filter(|(id, _)| *id == api.id)
                    .map(|(_, t)| t.clone())
                    .collect(),
                api,
            }
        })
        .collect())
}
