//! APIs: the catalogue's entries. Lists and reads follow visibility; publishers of the owning
//! organisation (and admins) create APIs and change their metadata. Versions are published to an
//! API afterwards (`versions`); an API with only a documentation URL is a link-only entry.

use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::Catalogue;
use super::conformance::Recheck;
use super::uses;
use crate::auth::Principal;
use crate::auth::policy::{Visible, require_owner};
use crate::domain::{
    CompatPolicy, Lifecycle, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, OrgKind, OrganisationId,
    SPEC_FORMATS, Slug, Visibility, check_optional_text, check_tags, check_text, check_url,
    double_option,
};
use crate::error::{Code, Error};
use crate::store::apis::{self, ApiChanges, ApiFilter, ApiRecord, NewApi};
use crate::store::organisations::{self, Sort};
use crate::store::relations::Claims;
use crate::store::systems::{self, SystemRow};
use crate::store::{Conn, Page, Paged};

/// What a list of APIs may be narrowed to.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApiQuery {
    /// Owner organisation slug.
    pub org: Option<String>,
    /// Owner kind: force, supplier, national_body or partner.
    pub org_kind: Option<String>,
    /// System slug.
    pub system: Option<String>,
    /// draft, active, deprecated or retired.
    pub lifecycle: Option<String>,
    /// public, policing or restricted.
    pub visibility: Option<String>,
    pub tag: Option<String>,
    /// Format of the latest version: swagger-2.0, openapi-3.0, openapi-3.1, openapi-3.2, or none (link-only).
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApi {
    pub slug: String,
    pub name: String,
    /// Slug of the owning organisation.
    pub owner: String,
    /// Slug of a system of the same organisation.
    pub system: Option<String>,
    pub description: Option<String>,
    /// public (default), policing or restricted.
    pub visibility: Option<String>,
    /// draft, active (default), deprecated or retired.
    pub lifecycle: Option<String>,
    pub documentation_url: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// off (default), warn or reject: what publishing a breaking change does.
    pub compatibility: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateApi {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub description: Option<Option<String>>,
    pub visibility: Option<String>,
    pub lifecycle: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub documentation_url: Option<Option<String>>,
    /// A system slug, or null to detach.
    #[serde(default, deserialize_with = "double_option")]
    pub system: Option<Option<String>>,
    /// Replaces all tags.
    pub tags: Option<Vec<String>>,
    /// off, warn or reject: what publishing a breaking change does.
    pub compatibility: Option<String>,
}

/// An API after a change, with what the change affects.
pub struct Updated {
    pub api: ApiRecord,
    /// When the change deprecates or retires the API: one line per visible system consuming it.
    pub warnings: Vec<String>,
}

/// The APIs the caller may see, filtered and in pages.
pub fn list(
    cat: &Catalogue,
    who: &Principal,
    query: ApiQuery,
    q: Option<String>,
    sort: Sort,
    page: Page,
) -> Result<Paged<ApiRecord>, Error> {
    if let Some(f) = query
        .format
        .as_deref()
        .filter(|f| !SPEC_FORMATS.contains(f))
    {
        return Err(Error::invalid_at(
            Code::InvalidFormat,
            format!("format {f:?} is not one of: {}", SPEC_FORMATS.join(", ")),
            "/format",
        ));
    }
    let filter = ApiFilter {
        q,
        org: query.org,
        org_kind: query.org_kind.as_deref().map(OrgKind::parse).transpose()?,
        system: query.system,
        lifecycle: query
            .lifecycle
            .as_deref()
            .map(Lifecycle::parse)
            .transpose()?,
        visibility: query
            .visibility
            .as_deref()
            .map(Visibility::parse)
            .transpose()?,
        tag: query.tag,
        format: query.format,
    };
    let visible = Visible::for_principal(who);
    cat.store
        .read(|c| apis::list(c, &visible, &filter, sort, page))
}

pub fn get(cat: &Catalogue, who: &Principal, slug: &str) -> Result<ApiRecord, Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| apis::get_visible(c, &visible, slug))
}

/// Creates an API (publishers of its owner, and admins).
pub fn create(cat: &Catalogue, who: &Principal, input: CreateApi) -> Result<ApiRecord, Error> {
    let slug = Slug::parse("slug", &input.slug)?;
    check_text("name", &input.name, MAX_NAME_CHARS)?;
    check_optional_text(
        "description",
        input.description.as_deref(),
        MAX_DESCRIPTION_CHARS,
    )?;
    if let Some(u) = &input.documentation_url {
        check_url("documentation_url", u)?;
    }
    check_tags(&input.tags)?;
    let visibility = input
        .visibility
        .as_deref()
        .map(Visibility::parse)
        .transpose()?
        .unwrap_or(Visibility::Public);
    let lifecycle = input
        .lifecycle
        .as_deref()
        .map(Lifecycle::parse)
        .transpose()?
        .unwrap_or(Lifecycle::Active);
    let compatibility = input
        .compatibility
        .as_deref()
        .map(CompatPolicy::parse)
        .transpose()?
        .unwrap_or(CompatPolicy::Off);
    require_owner(who, &input.owner, "creating an API")?;
    let api = cat.store.write(|c| {
        let owner = organisations::get(c, &input.owner)?;
        let system = match &input.system {
            Some(s) => Some(system_of(c, &Visible::for_principal(who), s, owner.id)?),
            None => None,
        };
        apis::insert(
            c,
            who,
            &NewApi {
                slug: &slug,
                owner: &owner,
                system: system.as_ref(),
                name: input.name.trim(),
                description: input.description.as_deref(),
                visibility,
                lifecycle,
                documentation_url: input.documentation_url.as_deref(),
                compatibility,
                source: "publish",
                tags: &input.tags,
            },
            json!({ "owner": owner.slug, "visibility": visibility }),
        )
    })?;
    cat.after_write();
    Ok(api)
}

/// A system `visible` shows that belongs to the organisation `owner_id`: the only systems an API
/// of that organisation may belong to.
pub fn system_of(
    c: &mut Conn,
    visible: &Visible,
    slug: &str,
    owner_id: OrganisationId,
) -> Result<SystemRow, Error> {
    let system = systems::get_visible(c, visible, slug)?.system;
    if system.organisation_id != owner_id {
        return Err(Error::invalid_at(
            Code::SystemOfOtherOwner,
            format!("system {slug} belongs to another organisation than the API"),
            "/system",
        ));
    }
    Ok(system)
}

/// Changes an API's metadata (publishers of its owner, and admins). Versions never change.
/// Deprecating or retiring it answers with the systems that consume it; moving it to another
/// system checks again the claims made through it.
pub fn update(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    input: UpdateApi,
) -> Result<Updated, Error> {
    if let Some(n) = &input.name {
        check_text("name", n, MAX_NAME_CHARS)?;
    }
    if let Some(d) = &input.description {
        check_optional_text("description", d.as_deref(), MAX_DESCRIPTION_CHARS)?;
    }
    if let Some(Some(u)) = &input.documentation_url {
        check_url("documentation_url", u)?;
    }
    if let Some(tags) = &input.tags {
        check_tags(tags)?;
    }
    let visibility = input
        .visibility
        .as_deref()
        .map(Visibility::parse)
        .transpose()?;
    let lifecycle = input
        .lifecycle
        .as_deref()
        .map(Lifecycle::parse)
        .transpose()?;
    let compatibility = input
        .compatibility
        .as_deref()
        .map(CompatPolicy::parse)
        .transpose()?;
    let system_changed = input.system.is_some();
    let visible = Visible::for_principal(who);
    let updated = cat.store.write(|c| {
        let current = apis::get_visible(c, &visible, slug)?;
        require_owner(who, &current.owner, "changing an API")?;
        let system_id = match &input.system {
            Some(Some(s)) => Some(Some(
                system_of(c, &visible, s, current.api.organisation_id)?.id,
            )),
            Some(None) => Some(None),
            None => None,
        };
        let changes = ApiChanges {
            name: input.name.map(|n| n.trim().to_string()),
            description: input.description,
            visibility,
            lifecycle,
            documentation_url: input.documentation_url,
            system_id,
            tags: input.tags,
            compatibility,
        };
        let deprecating = changes.lifecycle.is_some_and(|l| {
            matches!(l, Lifecycle::Deprecated | Lifecycle::Retired) && l != current.api.lifecycle
        });
        let api_id = current.api.id;
        let api = apis::update(c, who, current, changes)?;
        let warnings = if deprecating {
            uses::deprecation_warnings(c, &visible, api_id)?
        } else {
            Vec::new()
        };
        Ok(Updated { api, warnings })
    })?;
    cat.after_write();
    // Claims made through this API depend on the system it belongs to.
    if system_changed {
        cat.verify_claims(Claims::OfApi(updated.api.api.id), Recheck::Always);
    }
    Ok(updated)
}
