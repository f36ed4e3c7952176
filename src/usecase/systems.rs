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
use crate::tiers::{Assessment, Tier};

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

/// A system with its interoperability tier.
pub struct TieredSystem {
    pub record: SystemRecord,
    pub tier: Option<Tier>,
}

/// The systems the caller may see, optionally of one organisation, in pages, each with its tier.
pub fn list(
    cat: &Catalogue,
    who: &Principal,
    org: Option<String>,
    q: Option<String>,
    sort: Sort,
    page: Page,
) -> Result<Paged<TieredSystem>, Error> {
    let filter = SystemFilter { org, q };
    let visible = Visible::for_principal(who);
    let standard = cat.standard_id();
    cat.store.read(|c| {
        let paged = systems::list(c, &visible, &filter, sort, page)?;
        let ids: Vec<_> = paged.items.iter().map(|s| s.system.id).collect();
        let mut tiers = crate::store::tiers::assess_systems(c, &ids, &standard)?;
        Ok(Paged {
            total: paged.total,
            items: paged
                .items
                .into_iter()
                .map(|record| TieredSystem {
                    tier: tiers.remove(&record.system.id).and_then(|a| a.tier),
                    record,
                })
                .collect(),
        })
    })
}

/// One system the caller may see, with its tier.
pub fn get(cat: &Catalogue, who: &Principal, slug: &str) -> Result<TieredSystem, Error> {
    let (record, assessment) = tier(cat, who, slug)?;
    Ok(TieredSystem {
        record,
        tier: assessment.tier,
    })
}

/// A system's interoperability tier with the evidence for each criterion and what the next tier
/// still needs (`crate::tiers`). Everything it names, the system's readers may see.
pub fn tier(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
) -> Result<(SystemRecord, Assessment), Error> {
    let visible = Visible::for_principal(who);
    let standard = cat.standard_id();
    cat.store.read(|c| {
        let record = systems::get_visible(c, &visible, slug)?;
        let assessment = assess_one(c, &record, &standard)?;
        Ok((record, assessment))
    })
}

fn assess_one(
    c: &mut Conn,
    record: &SystemRecord,
    standard: &crate::tiers::StandardId,
) -> Result<Assessment, Error> {
    crate::store::tiers::assess_systems(c, &[record.system.id], standard)?
        .remove(&record.system.id)
        .ok_or_else(|| Error::NotFound(format!("system {}", record.system.slug)))
}

/// Creates a system (publishers of its owner, and admins).
pub fn create(
    cat: &Catalogue,
    who: &Principal,
    input: &CreateSystem,
) -> Result<TieredSystem, Error> {
    input.validate()?;
    require_owner(who, &input.owner, "creating a system")?;
    let standard = cat.standard_id();
    let system = cat.store.write(|c| {
        let record = create_in(c, who, input, None)?;
        with_tier(c, record, &standard)
    })?;
    cat.after_write();
    Ok(system)
}

fn with_tier(
    c: &mut Conn,
    record: SystemRecord,
    standard: &crate::tiers::StandardId,
) -> Result<TieredSystem, Error> {
    let tier = assess_one(c, &record, standard)?.tier;
    Ok(TieredSystem { record, tier })
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
) -> Result<TieredSystem, Error> {
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
    let standard = cat.standard_id();
    let system = cat.store.write(|c| {
        let current = systems::get_visible(c, &Visible::for_principal(who), slug)?;
        require_owner(who, &current.owner, "changing a system")?;
        let record = systems::update(c, who, current, changes)?;
        with_tier(c, record, &standard)
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
    pub tier: Assessment,
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
        let tier = assess_one(c, &system, &cat.standard_id())?;
        Ok(SystemOverview {
            tier,
            system,
            owner,
            provides,
            consumes,
            implements,
        })
    })
}
