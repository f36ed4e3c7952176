//! Systems: products or deployed services of an organisation. They carry a visibility of their own,
//! filtered by the same policy as APIs.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::organisations::{OrganisationRow, Sort};
use super::schema::systems;
use super::{Conn, Page, Paged, audit, contains_pattern, lower, now, visible_clause};
use crate::auth::Principal;
use crate::auth::policy::Visible;
use crate::domain::{OrganisationId, Slug, SystemId, Visibility};
use crate::error::{Code, Error};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = systems)]
pub struct SystemRow {
    pub id: SystemId,
    pub slug: String,
    pub organisation_id: OrganisationId,
    pub name: String,
    pub description: Option<String>,
    pub visibility: Visibility,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A system with the slug of its owner.
#[derive(Debug, Clone)]
pub struct SystemRecord {
    pub system: SystemRow,
    pub owner: String,
}

pub struct NewSystem<'a> {
    pub slug: &'a Slug,
    pub owner: &'a OrganisationRow,
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub visibility: Visibility,
}

#[derive(Default)]
pub struct SystemChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub visibility: Option<Visibility>,
}

#[derive(Default)]
pub struct SystemFilter {
    pub org: Option<String>,
    pub q: Option<String>,
}

/// Creates a system and records it in the audit log (`detail` says how it came in).
pub fn insert(
    conn: &mut Conn,
    who: &Principal,
    new: &NewSystem,
    detail: serde_json::Value,
) -> Result<SystemRecord, Error> {
    if systems::table
        .filter(systems::slug.eq(new.slug.as_str()))
        .count()
        .get_result::<i64>(conn)?
        > 0
    {
        return Err(Error::conflict(
            Code::SystemExists,
            format!("system {} already exists", new.slug),
        ));
    }
    let at = now();
    let row = diesel::insert_into(systems::table)
        .values((
            systems::slug.eq(new.slug.as_str()),
            systems::organisation_id.eq(new.owner.id),
            systems::name.eq(new.name),
            systems::description.eq(new.description),
            systems::visibility.eq(new.visibility.as_str()),
            systems::created_at.eq(at),
            systems::updated_at.eq(at),
        ))
        .returning(systems::all_columns)
        .get_result::<SystemRow>(conn)?;
    audit::record(conn, who, "system.create", new.slug.as_str(), None, detail)?;
    Ok(SystemRecord {
        system: row,
        owner: new.owner.slug.clone(),
    })
}

/// The system named `slug` if the caller may see it.
pub fn find_visible(
    conn: &mut Conn,
    visible: &Visible,
    slug: &str,
) -> Result<Option<SystemRecord>, Error> {
    let mut q = systems::table
        .filter(systems::slug.eq(slug.to_string()))
        .into_boxed();
    if let Some(clause) = visible_clause!(systems, visible) {
        q = q.filter(clause);
    }
    let Some(row) = q.select(SystemRow::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    Ok(attach_owners(conn, vec![row])?.pop())
}

pub fn get_visible(conn: &mut Conn, visible: &Visible, slug: &str) -> Result<SystemRecord, Error> {
    find_visible(conn, visible, slug)?.ok_or_else(|| Error::NotFound(format!("system {slug}")))
}

/// The systems among `ids` that `visible` may see.
pub fn visible_by_ids(
    conn: &mut Conn,
    visible: &Visible,
    ids: &[SystemId],
) -> Result<Vec<SystemRow>, Error> {
    let mut q = systems::table.filter(systems::id.eq_any(ids)).into_boxed();
    if let Some(clause) = visible_clause!(systems, visible) {
        q = q.filter(clause);
    }
    q.select(SystemRow::as_select())
        .load(conn)
        .map_err(Error::from)
}

/// The systems among `ids` that `visible` may see, with their owners.
pub fn visible_records_by_ids(
    conn: &mut Conn,
    visible: &Visible,
    ids: &[SystemId],
) -> Result<Vec<SystemRecord>, Error> {
    let rows = visible_by_ids(conn, visible, ids)?;
    attach_owners(conn, rows)
}

pub fn list(
    conn: &mut Conn,
    visible: &Visible,
    filter: &SystemFilter,
    sort: Sort,
    page: Page,
) -> Result<Paged<SystemRecord>, Error> {
    use super::schema::organisations;
    let query = || {
        let mut q = systems::table.into_boxed();
        if let Some(clause) = visible_clause!(systems, visible) {
            q = q.filter(clause);
        }
        if let Some(org) = &filter.org {
            q = q.filter(
                systems::organisation_id.eq_any(
                    organisations::table
                        .filter(organisations::slug.eq(org.clone()))
                        .select(organisations::id),
                ),
            );
        }
        if let Some(text) = filter.q.as_deref().filter(|t| !t.trim().is_empty()) {
            let pattern = contains_pattern(text.trim());
            q = q.filter(
                lower(systems::name)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(systems::slug.like(pattern).escape('\\')),
            );
        }
        q
    };
    let total = query().count().get_result(conn)?;
    let q = match sort {
        Sort::Name => query().order((systems::name.asc(), systems::id.asc())),
        Sort::NameDesc => query().order((systems::name.desc(), systems::id.desc())),
        Sort::Created => query().order((systems::created_at.asc(), systems::id.asc())),
        Sort::CreatedDesc => query().order((systems::created_at.desc(), systems::id.desc())),
        Sort::Updated => query().order((systems::updated_at.asc(), systems::id.asc())),
        Sort::UpdatedDesc => query().order((systems::updated_at.desc(), systems::id.desc())),
    };
    let rows = q
        .limit(page.limit)
        .offset(page.offset)
        .select(SystemRow::as_select())
        .load(conn)?;
    Ok(Paged {
        items: attach_owners(conn, rows)?,
        total,
    })
}

/// Changes a system and records it in the audit log.
pub fn update(
    conn: &mut Conn,
    who: &Principal,
    record: SystemRecord,
    changes: SystemChanges,
) -> Result<SystemRecord, Error> {
    let mut row = record.system;
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
    diesel::update(systems::table.filter(systems::id.eq(row.id)))
        .set((
            systems::name.eq(&row.name),
            systems::description.eq(&row.description),
            systems::visibility.eq(&row.visibility),
            systems::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        who,
        "system.update",
        &row.slug,
        None,
        serde_json::json!({ "visibility": row.visibility }),
    )?;
    Ok(SystemRecord {
        system: row,
        owner: record.owner,
    })
}

fn attach_owners(conn: &mut Conn, rows: Vec<SystemRow>) -> Result<Vec<SystemRecord>, Error> {
    let ids: Vec<OrganisationId> = rows.iter().map(|r| r.organisation_id).collect();
    let orgs = super::organisations::by_ids(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|system| {
            let owner = orgs
                .iter()
                .find(|o| o.id == system.organisation_id)
                .map(|o| o.slug.clone())
                .unwrap_or_default();
            SystemRecord { system, owner }
        })
        .collect())
}
