//! Systems: products and deployed services of an organisation. Visibility applies as for APIs;
//! publishers of the owning organisation (and admins) create and change them.

use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::Catalogue;
use crate::auth::Principal;
use crate::auth::policy::{Visible, require_owner};
use crate::domain::{
    MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, Slug, Visibility, check_optional_text, check_text,
    double_option,
};
use crate::error::Error;
use crate::store::organisations::{self, Sort};
use crate::store::systems::{self, NewSystem, SystemChanges, SystemFilter, SystemRecord};
use crate::store::{Conn, Page, Paged};

/// A new system, as a request body or an entry of `systems.yaml`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSystem {
    pub slug: String,
    pub name: String,
    /// Slug of the owning organisation.
    pub owner: String,
    #[serde(default)]
    pub description: Option<String>,
    /// public (default), policing or restricted.
    #[serde(default)]
    pub visibility: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSystem {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub description: Option<Option<String>>,
    pub visibility: Option<String>,
}

impl CreateSystem {
    fn validate(&self) -> Result<(Slug, Visibility), Error> {
        super::check_entry(
            &self.slug,
            &self.name,
            self.description.as_deref(),
            self.visibility.as_deref(),
        )
    }
}

/// The systems the caller may see, optionally of one organisation, in pages.
pub fn list(
    cat: &Catalogue,
    who: &Principal,
    org: Option<String>,
    q: Option<String>,
    sort: Sort,
    page: Page,
) -> Result<Paged<SystemRecord>, Error> {
    let filter = SystemFilter { org, q };
    let visible = Visible::for_principal(who);
    cat.store
        .read(|c| systems::list(c, &visible, &filter, sort, page))
}

pub fn get(cat: &Catalogue, who: &Principal, slug: &str) -> Result<SystemRecord, Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| systems::get_visible(c, &visible, slug))
}

/// Creates a system (publishers of its owner, and admins).
pub fn create(
    cat: &Catalogue,
    who: &Principal,
    input: &CreateSystem,
) -> Result<SystemRecord, Error> {
    input.validate()?;
    require_owner(who, &input.owner, "creating a system")?;
    let system = cat.store.write(|c| create_in(c, who, input, None))?;
    cat.after_write();
    Ok(system)
}

/// [`create`]'s core, inside the caller's transaction; `source` says where it came from for the
/// audit log (none for a request).
pub fn create_in(
    conn: &mut Conn,
    who: &Principal,
    input: &CreateSystem,
    source: Option<&str>,
) -> Result<SystemRecord, Error> {
    let (slug, visibility) = input.validate()?;
    let owner = organisations::get(conn, &input.owner)?;
    let detail = match source {
        Some(source) => json!({ "source": source }),
        None => json!({ "owner": owner.slug }),
    };
    systems::insert(
        conn,
        who,
        &NewSystem {
            slug: &slug,
            owner: &owner,
            name: input.name.trim(),
            description: input.description.as_deref(),
            visibility,
        },
        detail,
    )
}

/// Changes a system (publishers of its owner, and admins).
pub fn update(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    input: UpdateSystem,
) -> Result<SystemRecord, Error> {
    if let Some(n) = &input.name {
        check_text("name", n, MAX_NAME_CHARS)?;
    }
    if let Some(d) = &input.description {
        check_optional_text("description", d.as_deref(), MAX_DESCRIPTION_CHARS)?;
    }
    let changes = SystemChanges {
        name: input.name.map(|n| n.trim().to_string()),
        description: input.description,
        visibility: input
            .visibility
            .as_deref()
            .map(Visibility::parse)
            .transpose()?,
    };
    let system = cat.store.write(|c| {
        let current = systems::get_visible(c, &Visible::for_principal(who), slug)?;
        require_owner(who, &current.owner, "changing a system")?;
        systems::update(c, who, current, changes)
    })?;
    cat.after_write();
    Ok(system)
}

/// Everything a system's page shows, read in one transaction and as the caller may see it: the
/// system, the APIs it provides, what it consumes and the contracts it claims to implement.
pub struct SystemOverview {
    pub system: SystemRecord,
    pub owner: organisations::OrganisationRow,
    pub provides: Paged<crate::store::apis::ApiRecord>,
    pub consumes: Vec<super::uses::UseView>,
    pub implements: Vec<super::claims::ClaimView>,
}

pub fn overview(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    apis_page: Page,
) -> Result<SystemOverview, Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| {
        let system = systems::get_visible(c, &visible, slug)?;
        let owner = organisations::get(c, &system.owner)?;
        let filter = crate::store::apis::ApiFilter {
            system: Some(system.system.slug.clone()),
            ..Default::default()
        };
        let provides = crate::store::apis::list(c, &visible, &filter, Sort::Name, apis_page)?;
        let rows = crate::store::relations::consumptions_of_system(c, system.system.id)?;
        let consumes = super::uses::views(c, &visible, rows)?;
        let rows = crate::store::relations::implementations_of_system(c, system.system.id)?;
        let implements = super::claims::views(c, &visible, rows)?;
        Ok(SystemOverview {
            system,
            owner,
            provides,
            consumes,
            implements,
        })
    })
}
