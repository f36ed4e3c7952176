//! Catalogue as code: the metadata files of a catalogue directory (`organisations.yaml`,
//! `systems.yaml`, `contracts/<slug>/contract.yaml`, `relations.yaml`, and `api.yaml` beside an
//! API's version folders), read into typed entries and applied to the store. Existing
//! organisations, systems, contracts and relations are left as they are, so that edits made through
//! the API are not overwritten by a later import.

use std::path::Path;

use serde::Deserialize;
use serde_json::json;

use super::import::Rejection;
use crate::auth::Principal;
use crate::auth::policy::Visible;
use crate::domain::{
    Lifecycle, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, OrgKind, Slug, Visibility,
    check_optional_text, check_tags, check_text, check_url,
};
use crate::error::{Code, Error};
use crate::ingest::relations;
use crate::store::Conn;
use crate::store::contracts::{self, NewContract};
use crate::store::organisations::{self, NewOrganisation};
use crate::store::systems::{self, NewSystem};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationEntry {
    pub slug: String,
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub homepage: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemEntry {
    pub slug: String,
    pub name: String,
    pub owner: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub visibility: Option<String>,
}

/// `contracts/<slug>/contract.yaml`: a contract; its versions are the folders beside the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractEntry {
    pub slug: String,
    pub name: String,
    pub owner: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub visibility: Option<String>,
}

/// `relations.yaml`: which systems implement which contracts, and which consume which APIs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationsFile {
    #[serde(default)]
    pub implements: Vec<ImplementsEntry>,
    #[serde(default)]
    pub consumes: Vec<ConsumesEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImplementsEntry {
    pub system: String,
    pub contract: String,
    /// Default: the contract's latest version.
    #[serde(default)]
    pub version: Option<String>,
    pub api: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsumesEntry {
    pub system: String,
    pub api: String,
    #[serde(default)]
    pub version: Option<String>,
    pub purpose: String,
    #[serde(default)]
    pub replaces: Option<String>,
    #[serde(default)]
    pub hours_saved_per_month: Option<f64>,
}

/// `api.yaml`: what the catalogue says about an API beyond its descriptions.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct ApiMeta {
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub system: Option<String>,
    #[serde(default)]
    pub visibility: Option<String>,
    #[serde(default)]
    pub lifecycle: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub documentation_url: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// Reads a YAML metadata file into `T`, naming the file and the place of any problem.
pub fn read_yaml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Rejection> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Rejection {
        file: file.clone(),
        code: pac_spec::SpecCode::Unreadable.as_str().into(),
        message: format!("cannot read {file}: {e}"),
    })?;
    serde_saphyr::from_slice(&bytes).map_err(|e| Rejection {
        file: file.clone(),
        code: Code::InvalidMetadata.as_str().into(),
        message: format!("{file}: {e}"),
    })
}

/// Creates one organisation unless it exists; true when it was created.
pub fn apply_organisation(
    conn: &mut Conn,
    who: &Principal,
    e: &OrganisationEntry,
) -> Result<bool, Error> {
    let slug = Slug::parse("slug", &e.slug)?;
    if organisations::find(conn, slug.as_str())?.is_some() {
        return Ok(false);
    }
    check_text("name", &e.name, MAX_NAME_CHARS)?;
    check_optional_text(
        "description",
        e.description.as_deref(),
        MAX_DESCRIPTION_CHARS,
    )?;
    if let Some(h) = &e.homepage {
        check_url("homepage", h)?;
    }
    organisations::insert(
        conn,
        who,
        &NewOrganisation {
            slug: &slug,
            name: &e.name,
            kind: OrgKind::parse(&e.kind)?,
            homepage: e.homepage.as_deref(),
            description: e.description.as_deref(),
        },
        json!({ "source": "catalogue" }),
    )?;
    Ok(true)
}

/// Creates one system unless it exists; its owner must exist. True when it was created.
pub fn apply_system(conn: &mut Conn, who: &Principal, e: &SystemEntry) -> Result<bool, Error> {
    let slug = Slug::parse("slug", &e.slug)?;
    if systems::find_visible(conn, &Visible::All, slug.as_str())?.is_some() {
        return Ok(false);
    }
    check_text("name", &e.name, MAX_NAME_CHARS)?;
    check_optional_text(
        "description",
        e.description.as_deref(),
        MAX_DESCRIPTION_CHARS,
    )?;
    let owner = organisations::get(conn, &e.owner)?;
    let visibility = match &e.visibility {
        Some(v) => Visibility::parse(v)?,
        None => Visibility::Public,
    };
    systems::insert(
        conn,
        who,
        &NewSystem {
            slug: &slug,
            owner: &owner,
            name: &e.name,
            description: e.description.as_deref(),
            visibility,
        },
        json!({ "source": "catalogue" }),
    )?;
    Ok(true)
}

/// Creates one contract unless it exists; its owner must exist. True when it was created.
pub fn apply_contract(conn: &mut Conn, who: &Principal, e: &ContractEntry) -> Result<bool, Error> {
    let slug = Slug::parse("slug", &e.slug)?;
    if contracts::find_visible(conn, &Visible::All, slug.as_str())?.is_some() {
        return Ok(false);
    }
    check_text("name", &e.name, MAX_NAME_CHARS)?;
    check_optional_text(
        "description",
        e.description.as_deref(),
        MAX_DESCRIPTION_CHARS,
    )?;
    let owner = organisations::get(conn, &e.owner)?;
    let visibility = match &e.visibility {
        Some(v) => Visibility::parse(v)?,
        None => Visibility::Public,
    };
    contracts::insert(
        conn,
        who,
        &NewContract {
            slug: &slug,
            owner: &owner,
            name: &e.name,
            description: e.description.as_deref(),
            visibility,
        },
    )?;
    Ok(true)
}

/// Records one claim unless the system already claims that contract version. True when recorded.
pub fn apply_implements(
    conn: &mut Conn,
    who: &Principal,
    e: &ImplementsEntry,
) -> Result<bool, Error> {
    let claim = relations::Claim {
        system: &e.system,
        contract: &e.contract,
        version: e.version.as_deref(),
        api: &e.api,
    };
    match relations::claim(conn, who, &claim) {
        Ok(_) => Ok(true),
        Err(Error::Conflict {
            code: Code::ImplementationExists,
            ..
        }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Records one use of an API unless the system already records one of that API. True when
/// recorded.
pub fn apply_consumes(conn: &mut Conn, who: &Principal, e: &ConsumesEntry) -> Result<bool, Error> {
    let usage = relations::Use {
        system: &e.system,
        api: &e.api,
        version: e.version.as_deref(),
        purpose: &e.purpose,
        replaces: e.replaces.as_deref(),
        hours_saved_per_month: e.hours_saved_per_month,
    };
    relations::check_use(&usage)?;
    let system = systems::get_visible(conn, &Visible::All, &e.system)?;
    let api = crate::store::apis::get_visible(conn, &Visible::All, &e.api)?;
    let recorded = crate::store::relations::consumptions_of_system(conn, system.system.id)?
        .iter()
        .any(|r| r.api_id == api.api.id);
    if recorded {
        return Ok(false);
    }
    relations::record_use(conn, who, &usage)?;
    Ok(true)
}

impl ApiMeta {
    /// Checks the closed vocabularies up front, so a bad `api.yaml` is rejected before any parsing.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(s) = &self.slug {
            Slug::parse("slug", s)?;
        }
        if let Some(o) = &self.owner {
            Slug::parse("owner", o)?;
        }
        if let Some(v) = &self.visibility {
            Visibility::parse(v)?;
        }
        if let Some(l) = &self.lifecycle {
            Lifecycle::parse(l)?;
        }
        if let Some(n) = &self.name {
            check_text("name", n, MAX_NAME_CHARS)?;
        }
        check_optional_text(
            "description",
            self.description.as_deref(),
            MAX_DESCRIPTION_CHARS,
        )?;
        if let Some(u) = &self.documentation_url {
            check_url("documentation_url", u)?;
        }
        check_tags(&self.tags)
    }
}
