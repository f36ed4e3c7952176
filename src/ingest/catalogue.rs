//! Catalogue as code: the metadata files of a catalogue directory (`organisations.yaml`,
//! `systems.yaml`, `contracts/<slug>/contract.yaml`, `relations.yaml`, and `api.yaml` beside an
//! API's version folders), read into typed entries and applied to the store. Existing
//! organisations, systems, contracts and relations are left as they are, so that edits made through
//! the API are not overwritten by a later import.

use std::path::Path;

use serde::Deserialize;
use serde_json::json;

use super::Rejection;
use crate::auth::Principal;
use crate::auth::policy::Visible;
use crate::domain::{
    Lifecycle, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, Slug, Visibility, check_optional_text,
    check_tags, check_text, check_url,
};
use crate::error::{Code, Error};
use crate::store::{Conn, contracts, organisations, systems};
use crate::usecase;
use crate::usecase::claims::CreateClaim;
use crate::usecase::contracts::CreateContract;
use crate::usecase::organisations::CreateOrganisation;
use crate::usecase::systems::CreateSystem;
use crate::usecase::uses::PutUse;

/// An entry of `organisations.yaml`.
pub type OrganisationEntry = CreateOrganisation;
/// An entry of `systems.yaml`.
pub type SystemEntry = CreateSystem;
/// `contracts/<slug>/contract.yaml`: a contract; its versions are the folders beside the file.
pub type ContractEntry = CreateContract;

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
    if organisations::find(conn, Slug::parse("slug", &e.slug)?.as_str())?.is_some() {
        return Ok(false);
    }
    usecase::organisations::create_in(conn, who, e, json!({ "source": "catalogue" }))?;
    Ok(true)
}

/// Creates one system unless it exists; its owner must exist. True when it was created.
pub fn apply_system(conn: &mut Conn, who: &Principal, e: &SystemEntry) -> Result<bool, Error> {
    let slug = Slug::parse("slug", &e.slug)?;
    if systems::find_visible(conn, &Visible::All, slug.as_str())?.is_some() {
        return Ok(false);
    }
    usecase::systems::create_in(conn, who, e, Some("catalogue"))?;
    Ok(true)
}

/// Creates one contract unless it exists; its owner must exist. True when it was created.
pub fn apply_contract(conn: &mut Conn, who: &Principal, e: &ContractEntry) -> Result<bool, Error> {
    let slug = Slug::parse("slug", &e.slug)?;
    if contracts::find_visible(conn, &Visible::All, slug.as_str())?.is_some() {
        return Ok(false);
    }
    usecase::contracts::create_in(conn, who, e)?;
    Ok(true)
}

/// Records one claim unless the system already claims that contract version. True when recorded.
pub fn apply_implements(
    conn: &mut Conn,
    who: &Principal,
    e: &ImplementsEntry,
) -> Result<bool, Error> {
    let claim = CreateClaim {
        contract: e.contract.clone(),
        version: e.version.clone(),
        api: e.api.clone(),
    };
    match usecase::claims::create_in(conn, who, &e.system, &claim) {
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
    let usage = PutUse {
        version: e.version.clone(),
        purpose: e.purpose.clone(),
        replaces: e.replaces.clone(),
        hours_saved_per_month: e.hours_saved_per_month,
    };
    usage.check()?;
    let system = systems::get_visible(conn, &Visible::All, &e.system)?;
    let api = crate::store::apis::get_visible(conn, &Visible::All, &e.api)?;
    let recorded = crate::store::relations::consumptions_of_system(conn, system.system.id)?
        .iter()
        .any(|r| r.api_id == api.api.id);
    if recorded {
        return Ok(false);
    }
    usecase::uses::put_in(conn, who, &e.system, &e.api, &usage)?;
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
