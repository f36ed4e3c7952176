//! Organisations: forces, suppliers, national bodies and partners. Anyone may read them; curators
//! and admins create and change them, and the catalogue as code creates the ones it names.

use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::Catalogue;
use crate::auth::Principal;
use crate::auth::policy::require_role;
use crate::domain::{
    MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, OrgKind, Role, Slug, check_optional_text, check_text,
    check_url, double_option,
};
use crate::error::Error;
use crate::store::organisations::{
    self, NewOrganisation, OrganisationChanges, OrganisationFilter, OrganisationRow, Sort,
};
use crate::store::{Conn, Page, Paged};

/// A new organisation, as a request body or an entry of `organisations.yaml`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganisation {
    pub slug: String,
    pub name: String,
    /// force, supplier, national_body or partner.
    pub kind: String,
    #[serde(default)]
    pub homepage: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganisation {
    pub name: Option<String>,
    pub kind: Option<String>,
    /// null clears it.
    #[serde(default, deserialize_with = "double_option")]
    pub homepage: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    pub description: Option<Option<String>>,
}

impl CreateOrganisation {
    fn parse(&self) -> Result<(Slug, OrgKind), Error> {
        let (slug, _) =
            super::check_entry(&self.slug, &self.name, self.description.as_deref(), None)?;
        let kind = OrgKind::parse(&self.kind)?;
        if let Some(h) = &self.homepage {
            check_url("homepage", h)?;
        }
        Ok((slug, kind))
    }
}

/// Organisations, filtered by kind and text, in pages.
pub fn list(
    cat: &Catalogue,
    kind: Option<&str>,
    q: Option<String>,
    sort: Sort,
    page: Page,
) -> Result<Paged<OrganisationRow>, Error> {
    let filter = OrganisationFilter {
        kind: kind.map(OrgKind::parse).transpose()?,
        q,
    };
    cat.store
        .read(|c| organisations::list(c, &filter, sort, page))
}

pub fn get(cat: &Catalogue, slug: &str) -> Result<OrganisationRow, Error> {
    cat.store.read(|c| organisations::get(c, slug))
}

/// Creates an organisation (curators and admins).
pub fn create(
    cat: &Catalogue,
    who: &Principal,
    input: &CreateOrganisation,
) -> Result<OrganisationRow, Error> {
    require_role(who, Role::Curator, "creating an organisation")?;
    input.parse()?;
    let org = cat.store.write(|c| create_in(c, who, input, json!({})))?;
    cat.after_write();
    Ok(org)
}

/// [`create`]'s core, inside the caller's transaction; `detail` goes to the audit log.
pub fn create_in(
    conn: &mut Conn,
    who: &Principal,
    input: &CreateOrganisation,
    detail: serde_json::Value,
) -> Result<OrganisationRow, Error> {
    let (slug, kind) = input.parse()?;
    organisations::insert(
        conn,
        who,
        &NewOrganisation {
            slug: &slug,
            name: input.name.trim(),
            kind,
            homepage: input.homepage.as_deref(),
            description: input.description.as_deref(),
        },
        detail,
    )
}

/// Changes an organisation's details (curators and admins).
pub fn update(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    input: UpdateOrganisation,
) -> Result<OrganisationRow, Error> {
    require_role(who, Role::Curator, "changing an organisation")?;
    if let Some(n) = &input.name {
        check_text("name", n, MAX_NAME_CHARS)?;
    }
    if let Some(Some(h)) = &input.homepage {
        check_url("homepage", h)?;
    }
    if let Some(d) = &input.description {
        check_optional_text("description", d.as_deref(), MAX_DESCRIPTION_CHARS)?;
    }
    let changes = OrganisationChanges {
        name: input.name.map(|n| n.trim().to_string()),
        kind: input.kind.as_deref().map(OrgKind::parse).transpose()?,
        homepage: input.homepage,
        description: input.description,
    };
    let org = cat
        .store
        .write(|c| organisations::update(c, who, slug, changes))?;
    cat.after_write();
    Ok(org)
}

/// Everything an organisation's page shows, as the caller may see it: the organisation, its
/// systems and its APIs (each in pages).
pub struct OrganisationOverview {
    pub organisation: OrganisationRow,
    pub systems: Paged<crate::store::systems::SystemRecord>,
    pub apis: Paged<crate::store::apis::ApiRecord>,
}

pub fn overview(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    page: Page,
) -> Result<OrganisationOverview, Error> {
    let visible = crate::auth::policy::Visible::for_principal(who);
    cat.store.read(|c| {
        let organisation = organisations::get(c, slug)?;
        let filter = crate::store::systems::SystemFilter {
            org: Some(organisation.slug.clone()),
            q: None,
        };
        let systems = crate::store::systems::list(c, &visible, &filter, Sort::Name, page)?;
        let filter = crate::store::apis::ApiFilter {
            org: Some(organisation.slug.clone()),
            ..Default::default()
        };
        let apis = crate::store::apis::list(c, &visible, &filter, Sort::Name, page)?;
        Ok(OrganisationOverview {
            organisation,
            systems,
            apis,
        })
    })
}
