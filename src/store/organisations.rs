//! Organisations: forces, suppliers, national bodies and partners. Every one is visible to everyone;
//! what they own carries its own visibility.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::organisations;
use super::{Conn, Page, Paged, audit, contains_pattern, lower, now};
use crate::auth::Principal;
use crate::domain::{OrgKind, OrganisationId, Slug};
use crate::error::{Code, Error};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organisations)]
pub struct OrganisationRow {
    pub id: OrganisationId,
    pub slug: String,
    pub name: String,
    pub kind: OrgKind,
    pub homepage: Option<String>,
    pub description: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub struct NewOrganisation<'a> {
    pub slug: &'a Slug,
    pub name: &'a str,
    pub kind: OrgKind,
    pub homepage: Option<&'a str>,
    pub description: Option<&'a str>,
}

#[derive(Default)]
pub struct OrganisationChanges {
    pub name: Option<String>,
    pub kind: Option<OrgKind>,
    pub homepage: Option<Option<String>>,
    pub description: Option<Option<String>>,
}

#[derive(Default)]
pub struct OrganisationFilter {
    pub kind: Option<OrgKind>,
    pub q: Option<String>,
}

/// Orders for lists of named things.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Name,
    NameDesc,
    Created,
    CreatedDesc,
    Updated,
    UpdatedDesc,
}

impl Sort {
    pub fn parse(s: Option<&str>) -> Result<Sort, Error> {
        Ok(match s.unwrap_or("name") {
            "name" => Sort::Name,
            "-name" => Sort::NameDesc,
            "created" => Sort::Created,
            "-created" => Sort::CreatedDesc,
            "updated" => Sort::Updated,
            "-updated" => Sort::UpdatedDesc,
            other => {
                return Err(Error::invalid_at(
                    Code::InvalidSort,
                    format!(
                        "sort {other:?} is not one of: name, -name, created, -created, updated, -updated"
                    ),
                    "/sort",
                ));
            }
        })
    }
}

/// Creates an organisation and records it in the audit log (`detail` says how it came in).
pub fn insert(
    conn: &mut Conn,
    who: &Principal,
    new: &NewOrganisation,
    detail: serde_json::Value,
) -> Result<OrganisationRow, Error> {
    if find(conn, new.slug.as_str())?.is_some() {
        return Err(Error::conflict(
            Code::OrganisationExists,
            format!("organisation {} already exists", new.slug),
        ));
    }
    let at = now();
    let row = diesel::insert_into(organisations::table)
        .values((
            organisations::slug.eq(new.slug.as_str()),
            organisations::name.eq(new.name),
            organisations::kind.eq(new.kind.as_str()),
            organisations::homepage.eq(new.homepage),
            organisations::description.eq(new.description),
            organisations::created_at.eq(at),
            organisations::updated_at.eq(at),
        ))
        .returning(organisations::all_columns)
        .get_result::<OrganisationRow>(conn)?;
    audit::record(
        conn,
        who,
        "organisation.create",
        new.slug.as_str(),
        None,
        detail,
    )?;
    Ok(row)
}

pub fn find(conn: &mut Conn, slug: &str) -> Result<Option<OrganisationRow>, Error> {
    organisations::table
        .filter(organisations::slug.eq(slug))
        .select(OrganisationRow::as_select())
        .first(conn)
        .optional()
        .map_err(Error::from)
}

pub fn get(conn: &mut Conn, slug: &str) -> Result<OrganisationRow, Error> {
    find(conn, slug)?.ok_or_else(|| Error::NotFound(format!("organisation {slug}")))
}

pub fn by_ids(conn: &mut Conn, ids: &[OrganisationId]) -> Result<Vec<OrganisationRow>, Error> {
    organisations::table
        .filter(organisations::id.eq_any(ids))
        .select(OrganisationRow::as_select())
        .load(conn)
        .map_err(Error::from)
}

pub fn count(conn: &mut Conn) -> Result<i64, Error> {
    organisations::table
        .count()
        .get_result(conn)
        .map_err(Error::from)
}

pub fn list(
    conn: &mut Conn,
    filter: &OrganisationFilter,
    sort: Sort,
    page: Page,
) -> Result<Paged<OrganisationRow>, Error> {
    let query = || {
        let mut q = organisations::table.into_boxed();
        if let Some(kind) = filter.kind {
            q = q.filter(organisations::kind.eq(kind.as_str()));
        }
        if let Some(text) = filter.q.as_deref().filter(|t| !t.trim().is_empty()) {
            let pattern = contains_pattern(text.trim());
            q = q.filter(
                lower(organisations::name)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(organisations::slug.like(pattern).escape('\\')),
            );
        }
        q
    };
    let total = query().count().get_result(conn)?;
    let mut q = query();
    q = match sort {
        Sort::Name => q.order((organisations::name.asc(), organisations::id.asc())),
        Sort::NameDesc => q.order((organisations::name.desc(), organisations::id.desc())),
        Sort::Created => q.order((organisations::created_at.asc(), organisations::id.asc())),
        Sort::CreatedDesc => q.order((organisations::created_at.desc(), organisations::id.desc())),
        Sort::Updated => q.order((organisations::updated_at.asc(), organisations::id.asc())),
        Sort::UpdatedDesc => q.order((organisations::updated_at.desc(), organisations::id.desc())),
    };
    let items = q
        .limit(page.limit)
        .offset(page.offset)
        .select(OrganisationRow::as_select())
        .load(conn)?;
    Ok(Paged { items, total })
}

/// Changes an organisation and records it in the audit log.
pub fn update(
    conn: &mut Conn,
    who: &Principal,
    slug: &str,
    changes: OrganisationChanges,
) -> Result<OrganisationRow, Error> {
    let mut row = get(conn, slug)?;
    if let Some(name) = changes.name {
        row.name = name;
    }
    if let Some(kind) = changes.kind {
        row.kind = kind;
    }
    if let Some(homepage) = changes.homepage {
        row.homepage = homepage;
    }
    if let Some(description) = changes.description {
        row.description = description;
    }
    row.updated_at = now();
    diesel::update(organisations::table.filter(organisations::id.eq(row.id)))
        .set((
            organisations::name.eq(&row.name),
            organisations::kind.eq(&row.kind),
            organisations::homepage.eq(&row.homepage),
            organisations::description.eq(&row.description),
            organisations::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        who,
        "organisation.update",
        slug,
        None,
        serde_json::json!({}),
    )?;
    Ok(row)
}
