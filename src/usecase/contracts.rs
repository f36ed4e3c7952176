//! Interoperability contracts: curators create them and publish their versions (immutable: the
//! same content under an existing label is "unchanged", other content a conflict, exactly as for
//! API versions); everyone who may see a contract reads it, its versions, their original files and
//! the systems that claim to implement it. A new version checks every claim on the contract again.

use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::claims::{self, ClaimView};
use super::conformance::Recheck;
use super::publish::{Outcome, content_hash, label_for};
use super::{Catalogue, Original};
use crate::auth::Principal;
use crate::auth::policy::{Visible, require_role};
use crate::domain::{
    MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, Role, Slug, VersionLabel, Visibility,
    check_optional_text, check_text, clean_text, double_option,
};
use crate::error::{Code, Error};
use crate::store::contracts::{
    self, ContractChanges, ContractFilter, ContractRecord, ContractVersionRow, NewContract,
    NewContractVersion,
};
use crate::store::organisations::{self, Sort};
use crate::store::relations::{self, Claims};
use crate::store::{Conn, Page, Paged, blobs};
use pac_spec::Description;

/// A new contract, as a request body or `contracts/<slug>/contract.yaml`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateContract {
    pub slug: String,
    pub name: String,
    /// Slug of the organisation that maintains the contract (e.g. a national body).
    pub owner: String,
    #[serde(default)]
    pub description: Option<String>,
    /// public (default), policing or restricted.
    #[serde(default)]
    pub visibility: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateContract {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub description: Option<Option<String>>,
    pub visibility: Option<String>,
}

impl CreateContract {
    fn validate(&self) -> Result<(Slug, Visibility), Error> {
        super::check_entry(
            &self.slug,
            &self.name,
            self.description.as_deref(),
            self.visibility.as_deref(),
        )
    }
}

/// The contracts the caller may see, optionally of one organisation, in pages.
pub fn list(
    cat: &Catalogue,
    who: &Principal,
    org: Option<String>,
    q: Option<String>,
    sort: Sort,
    page: Page,
) -> Result<Paged<ContractRecord>, Error> {
    let filter = ContractFilter { org, q };
    let visible = Visible::for_principal(who);
    cat.store
        .read(|c| contracts::list(c, &visible, &filter, sort, page))
}

pub fn get(cat: &Catalogue, who: &Principal, slug: &str) -> Result<ContractRecord, Error> {
    let visible = Visible::for_principal(who);
    cat.store
        .read(|c| contracts::get_visible(c, &visible, slug))
}

/// Creates a contract (curators and admins).
pub fn create(
    cat: &Catalogue,
    who: &Principal,
    input: &CreateContract,
) -> Result<ContractRecord, Error> {
    let (_, visibility) = input.validate()?;
    require_role(who, Role::Curator, "creating a contract")?;
    require_can_restrict(who, visibility, &input.owner)?;
    let contract = cat.store.write(|c| create_in(c, who, input))?;
    cat.after_write();
    Ok(contract)
}

/// [`create`]'s core, inside the caller's transaction.
pub fn create_in(
    conn: &mut Conn,
    who: &Principal,
    input: &CreateContract,
) -> Result<ContractRecord, Error> {
    let (slug, visibility) = input.validate()?;
    let owner = organisations::get(conn, &input.owner)?;
    contracts::insert(
        conn,
        who,
        &NewContract {
            slug: &slug,
            owner: &owner,
            name: input.name.trim(),
            description: input.description.as_deref(),
            visibility,
        },
    )
}

/// Changes a contract's name, description or visibility (curators). Versions never change.
pub fn update(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    input: UpdateContract,
) -> Result<ContractRecord, Error> {
    if let Some(n) = &input.name {
        check_text("name", n, MAX_NAME_CHARS)?;
    }
    if let Some(d) = &input.description {
        check_optional_text("description", d.as_deref(), MAX_DESCRIPTION_CHARS)?;
    }
    let changes = ContractChanges {
        name: input.name.map(|n| n.trim().to_string()),
        description: input.description,
        visibility: input
            .visibility
            .as_deref()
            .map(Visibility::parse)
            .transpose()?,
    };
    let contract = cat.store.write(|c| {
        let current = contracts::get_visible(c, &Visible::for_principal(who), slug)?;
        require_role(who, Role::Curator, "changing a contract")?;
        if let Some(v) = changes.visibility {
            require_can_restrict(who, v, &current.owner)?;
        }
        contracts::update(c, who, current, changes)
    })?;
    cat.after_write();
    Ok(contract)
}

/// A restricted contract is seen by its owner and admins only, so a curator may restrict only
/// their own organisation's contracts: one of another organisation's would vanish from their view.
fn require_can_restrict(who: &Principal, visibility: Visibility, owner: &str) -> Result<(), Error> {
    let own = who.org().is_some_and(|o| o.as_str() == owner);
    if visibility == Visibility::Restricted && !own && !who.is_admin() {
        return Err(Error::invalid_at(
            Code::InvalidVisibility,
            format!(
                "a curator may make restricted only contracts of their own organisation, not of {owner}: restricted contracts are seen by their owner and admins only"
            ),
            "/visibility",
        ));
    }
    Ok(())
}

/// A contract's versions, highest first.
pub fn versions(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
) -> Result<(ContractRecord, Vec<ContractVersionRow>), Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| {
        let contract = contracts::get_visible(c, &visible, slug)?;
        let versions = contracts::versions(c, contract.contract.id)?;
        Ok((contract, versions))
    })
}

/// One version of a contract (`latest` for the newest).
pub fn version(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    label: &str,
) -> Result<(ContractRecord, ContractVersionRow), Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| {
        let contract = contracts::get_visible(c, &visible, slug)?;
        let version = contracts::get_version(c, &contract.contract, label)?;
        Ok((contract, version))
    })
}

/// One original file of a contract version (the root unless `path` names another).
pub fn original(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    label: &str,
    path: Option<&str>,
) -> Result<Original, Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| {
        let contract = contracts::get_visible(c, &visible, slug)?;
        let version = contracts::get_version(c, &contract.contract, label)?;
        let mut files = contracts::files(c, version.id)?.into_iter();
        let file = match path {
            Some(p) => files.find(|f| f.0 == p),
            None => files.next(),
        }
        .ok_or_else(|| {
            Error::NotFound(format!(
                "file {} in version {label} of contract {slug}",
                path.unwrap_or("(root)")
            ))
        })?;
        let (path, media_type, sha256) = file;
        let bytes = blobs::get(c, &sha256)?;
        Ok(Original {
            path,
            media_type,
            sha256,
            bytes,
        })
    })
}

/// The description of one version of a contract (`latest` for the newest), read back from its
/// original files.
pub fn description(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    label: &str,
) -> Result<(ContractVersionRow, Description), Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| {
        let contract = contracts::get_visible(c, &visible, slug)?;
        let version = contracts::get_version(c, &contract.contract, label)?;
        let desc = crate::store::descriptions::of_contract_version(c, &version, &cat.limits)?;
        Ok((version, desc))
    })
}

/// The claims to implement a contract (any of its versions) that the caller may see.
pub fn implementations(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
) -> Result<Vec<ClaimView>, Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| {
        let contract = contracts::get_visible(c, &visible, slug)?;
        let rows = relations::implementations(c, Claims::OfContract(contract.contract.id))?;
        claims::views(c, &visible, rows)
    })
}

/// Publishes a contract description sent as bytes (curators). The caller's right is checked
/// before the parse; every claim on the contract is checked again afterwards.
pub fn publish_body(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    label: Option<&str>,
    body: &[u8],
) -> Result<(Outcome, ContractRecord, ContractVersionRow), Error> {
    let label = label.map(VersionLabel::parse).transpose()?;
    cat.store.read(|c| {
        contracts::get_visible(c, &Visible::for_principal(who), slug)?;
        require_role(who, Role::Curator, "publishing a contract version")
    })?;
    let desc = pac_spec::load_body(body, &cat.limits)?;
    publish(cat, who, slug, label.as_ref(), &desc)
}

/// Publishes a loaded contract description as version `label` (default: its `info.version`).
pub fn publish(
    cat: &Catalogue,
    who: &Principal,
    slug: &str,
    label: Option<&VersionLabel>,
    desc: &Description,
) -> Result<(Outcome, ContractRecord, ContractVersionRow), Error> {
    let label = label_for(label, desc)?;
    let published = cat
        .store
        .write(|c| publish_contract_version(c, who, slug, &label, desc))?;
    cat.after_write();
    if published.0 == Outcome::Created {
        cat.verify_claims(Claims::OfContract(published.1.contract.id), Recheck::Always);
    }
    Ok(published)
}

/// [`publish`]'s core: `desc` as version `label` of contract `slug`, inside the caller's
/// transaction.
pub fn publish_contract_version(
    conn: &mut Conn,
    who: &Principal,
    slug: &str,
    label: &VersionLabel,
    desc: &Description,
) -> Result<(Outcome, ContractRecord, ContractVersionRow), Error> {
    let contract = contracts::get_visible(conn, &Visible::for_principal(who), slug)?;
    require_role(who, Role::Curator, "publishing a contract version")?;
    // Read the row again under its lock: a publish that held it before may have moved `latest`.
    contracts::lock(conn, contract.contract.id)?;
    let contract = contracts::get_visible(conn, &Visible::All, slug)?;
    if desc.operations.is_empty() {
        return Err(Error::Invalid {
            code: Code::ContractEmpty,
            message: format!(
                "the description of {slug} {label} has no operations: a contract lists the operations an implementation must provide"
            ),
            location: Box::new(pac_spec::Location {
                file: desc.files.first().map(|f| f.path.clone()),
                pointer: Some("/paths".into()),
                ..Default::default()
            }),
        });
    }
    let hash = content_hash(&desc.files);
    if let Some(existing) = contracts::find_version(conn, &contract.contract, label.as_str())?
        .filter(|v| v.version == label.as_str())
    {
        if existing.content_sha256 == hash {
            return Ok((Outcome::Unchanged, contract, existing));
        }
        return Err(Error::conflict(
            Code::VersionConflict,
            format!(
                "version {label} of contract {slug} already exists with other content; versions are immutable: publish under a new version label"
            ),
        ));
    }
    let operations: Vec<serde_json::Value> = desc
        .operations
        .iter()
        .map(|o| {
            json!({
                "method": o.method,
                "path": clean_text(&o.path),
                "operation_id": o.operation_id.as_deref().map(clean_text),
                "summary": o.summary.as_deref().map(clean_text),
            })
        })
        .collect();
    let files: Vec<(&str, &str, &str, &[u8])> = desc
        .files
        .iter()
        .map(|f| {
            (
                f.path.as_str(),
                f.format.media_type(),
                f.sha256.as_str(),
                f.bytes.as_slice(),
            )
        })
        .collect();
    let title = clean_text(&desc.title);
    let version = contracts::insert_version(
        conn,
        who,
        &contract.contract,
        &NewContractVersion {
            contract_id: contract.contract.id,
            version: label.as_str(),
            content_sha256: &hash,
            spec_format: desc.format.as_str(),
            title: &title,
            operations: &serde_json::Value::Array(operations),
            operation_count: desc.operations.len(),
            published_by: who.actor(),
            files: &files,
        },
    )?;
    let contract = contracts::get_visible(conn, &Visible::All, slug)?;
    Ok((Outcome::Created, contract, version))
}
