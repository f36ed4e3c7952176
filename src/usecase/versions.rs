//! An API's versions: publishing one (the one path for HTTP, `pac import` and the seed catalogue:
//! options differ, the code does not), reading what was published (its files, the normalised
//! document, operations, schemas, evaluations) and comparing two of them.

use serde_json::Value;

use super::conformance::Recheck;
use super::evaluate::{self, Evaluation};
use super::publish::{self, Compare};
pub use super::publish::{LinkEntry, Outcome, content_hash, label_for};
use super::{Catalogue, Original};
use crate::auth::Principal;
use crate::auth::policy::{Visible, require_owner};
use crate::domain::{CompatPolicy, VersionId, VersionLabel};
use crate::error::{Code, Error};
use crate::store::apis::{self, ApiRecord};
use crate::store::evaluations::{self, EvaluationRow};
use crate::store::relations::Claims;
use crate::store::versions::{self, FileRow, OperationFilter, OperationRow, SchemaRow, VersionRow};
use crate::store::{Conn, Page, Paged, blobs, descriptions};
use pac_compat::DiffReport;
use pac_spec::Description;

/// Work done first inside a publish's transaction.
pub type Prepare<'a> = &'a dyn Fn(&mut Conn) -> Result<(), Error>;

/// How a publish goes beyond storing the version. The edges choose; the path is the same.
#[derive(Clone, Copy)]
pub struct PublishOptions<'a> {
    /// Compare with the previous version, store the changes and apply the API's compatibility
    /// policy. Bulk imports leave it out (it would double their time): their changes are
    /// computed on request.
    pub compare: bool,
    /// Evaluate against the standard before the write and store the result with the version.
    /// Imports leave it to the background evaluation.
    pub evaluate: bool,
    /// Runs first inside the publish's transaction: an import creates the API with its first
    /// version, so that an import whose every version is refused leaves nothing behind.
    pub prepare: Option<Prepare<'a>>,
}

impl PublishOptions<'_> {
    /// What a person's publish does: compare, evaluate.
    pub const INTERACTIVE: PublishOptions<'static> = PublishOptions {
        compare: true,
        evaluate: true,
        prepare: None,
    };
    /// What a bulk import does: store only.
    pub const BULK: PublishOptions<'static> = PublishOptions {
        compare: false,
        evaluate: false,
        prepare: None,
    };
}

/// A version as published.
#[derive(Debug)]
pub struct Published {
    pub outcome: Outcome,
    pub api: ApiRecord,
    pub version: VersionRow,
    /// The changes against the previous version, when they were compared.
    pub changes: Option<DiffReport>,
    /// References the description could not follow (`code at pointer: message`), and, under a
    /// `warn` policy, the breaking changes; one line each.
    pub warnings: Vec<String>,
    /// The version's evaluation under the standard in force, when there is one.
    pub standard: Option<EvaluationRow>,
}

/// Publishes a description sent as bytes (JSON, YAML, .zip or .tar.gz) as a version of `api`.
/// The caller's right to publish is checked before the (possibly long) parse.
pub fn publish_body(
    cat: &Catalogue,
    who: &Principal,
    api: &str,
    label: Option<&str>,
    body: &[u8],
) -> Result<Published, Error> {
    let label = label.map(VersionLabel::parse).transpose()?;
    cat.store.read(|c| {
        let api = apis::get_visible(c, &Visible::for_principal(who), api)?;
        require_owner(who, &api.owner, "publishing a version")
    })?;
    let desc = pac_spec::load_body(body, &cat.limits)?;
    publish(
        cat,
        who,
        api,
        label.as_ref(),
        &desc,
        PublishOptions::INTERACTIVE,
    )
}

/// Publishes a loaded description as version `label` (default: its `info.version`) of `api`.
pub fn publish(
    cat: &Catalogue,
    who: &Principal,
    api: &str,
    label: Option<&VersionLabel>,
    desc: &Description,
    opts: PublishOptions<'_>,
) -> Result<Published, Error> {
    let label = label_for(label, desc)?;
    // The standard is checked before the write, so the store's writer is not held for it.
    let evaluation: Option<Evaluation> = if opts.evaluate {
        match evaluate::evaluate(&cat.standard, desc, &cat.limits) {
            Ok(e) => Some(e),
            Err(e) => {
                tracing::error!(api = %api, error = %e, "version not evaluated at publish; the background evaluation will retry");
                None
            }
        }
    } else {
        None
    };
    let compare = if opts.compare {
        Compare::Yes
    } else {
        Compare::No
    };
    let (published, standard) = cat.store.write(|c| {
        if let Some(prepare) = opts.prepare {
            prepare(c)?;
        }
        let published = publish::publish_description(c, who, api, &label, desc, compare)?;
        if published.outcome == Outcome::Created
            && let Some(e) = &evaluation
        {
            let target = format!("{}@{}", published.api.api.slug, label);
            evaluate::record(c, who, &cat.standard, published.version.id, &target, e)?;
        }
        let standard = if opts.evaluate {
            in_force(cat, c, published.version.id)?
        } else {
            None
        };
        Ok((published, standard))
    })?;
    cat.after_write();
    if published.outcome == Outcome::Created && opts.evaluate {
        cat.verify_claims(Claims::OfApi(published.api.api.id), Recheck::Always);
        if evaluation.is_none() {
            // Evaluates, among others, this version, which has no results yet.
            cat.evaluate_in_background();
        }
    }
    let mut warnings: Vec<String> = desc
        .notes
        .iter()
        .filter(|n| n.is_unresolved())
        .map(|n| format!("{} at {}: {}", n.code, n.pointer, n.message))
        .collect();
    if let Some(changes) = &published.changes
        && published.api.api.compatibility == CompatPolicy::Warn
    {
        warnings.extend(changes.report().breaking_lines());
    }
    Ok(Published {
        outcome: published.outcome,
        api: published.api,
        version: published.version,
        changes: published.changes,
        warnings,
        standard,
    })
}

/// The evaluation of a version under the standard in force (or the newest, until re-evaluation
/// reaches it).
fn in_force(
    cat: &Catalogue,
    c: &mut Conn,
    version_id: VersionId,
) -> Result<Option<EvaluationRow>, Error> {
    let id = &cat.standard.identity;
    Ok(evaluations::in_force(
        evaluations::for_version(c, version_id, &id.name)?,
        &id.version,
    ))
}

/// The API (visible to the caller) and the version `label` names (`latest` for the newest).
pub fn api_version(
    c: &mut Conn,
    who: &Principal,
    api: &str,
    label: &str,
) -> Result<(ApiRecord, VersionRow), Error> {
    let record = apis::get_visible(c, &Visible::for_principal(who), api)?;
    let version = versions::find_labelled(
        c,
        record.api.id,
        record.api.latest_version.as_deref(),
        label,
    )?
    .ok_or_else(|| Error::NotFound(format!("version {label} of API {api}")))?;
    Ok((record, version))
}

/// An API's versions, newest first.
pub fn list(
    cat: &Catalogue,
    who: &Principal,
    api: &str,
    page: Page,
) -> Result<(ApiRecord, Paged<VersionRow>), Error> {
    cat.store.read(|c| {
        let record = apis::get_visible(c, &Visible::for_principal(who), api)?;
        let versions = versions::list(c, record.api.id, page)?;
        Ok((record, versions))
    })
}

/// One version, with its files and its evaluation under the standard in force.
pub struct VersionView {
    pub api: ApiRecord,
    pub version: VersionRow,
    pub files: Vec<FileRow>,
    pub standard: Option<EvaluationRow>,
}

pub fn get(cat: &Catalogue, who: &Principal, api: &str, label: &str) -> Result<VersionView, Error> {
    cat.store.read(|c| {
        let (api, version) = api_version(c, who, api, label)?;
        let files = versions::files(c, version.id)?;
        let standard = in_force(cat, c, version.id)?;
        Ok(VersionView {
            api,
            version,
            files,
            standard,
        })
    })
}

/// One original file of a version (the root file unless `path` names another).
pub fn original(
    cat: &Catalogue,
    who: &Principal,
    api: &str,
    label: &str,
    path: Option<&str>,
) -> Result<Original, Error> {
    cat.store.read(|c| {
        let (record, version) = api_version(c, who, api, label)?;
        let mut files = versions::files(c, version.id)?.into_iter().peekable();
        if files.peek().is_none() {
            return Err(Error::NotFound(format!(
                "description of version {label} of API {api} (it is a link-only entry: see its documentation_url)"
            )));
        }
        let file = match path {
            Some(p) => files.find(|f| f.path == p).ok_or_else(|| {
                Error::NotFound(format!(
                    "file {p} in version {label} of API {}",
                    record.api.slug
                ))
            })?,
            None => files.next().ok_or_else(|| {
                Error::NotFound(format!("description of version {label} of API {api}"))
            })?,
        };
        let bytes = blobs::get(c, &file.blob_sha256)?;
        Ok(Original {
            path: file.path,
            media_type: file.media_type,
            sha256: file.blob_sha256,
            bytes,
        })
    })
}

/// A version's description as the catalogue reads it, derived again from the original files.
pub fn description(
    cat: &Catalogue,
    who: &Principal,
    api: &str,
    label: &str,
) -> Result<Description, Error> {
    let desc = cat.store.read(|c| {
        let (_, version) = api_version(c, who, api, label)?;
        descriptions::of_version(c, &version, &cat.limits)
    })?;
    desc.ok_or_else(|| {
        Error::NotFound(format!(
            "description of version {label} of API {api} (it is a link-only entry)"
        ))
    })
}

/// The normalised document of a version: one OpenAPI 3.0 document.
pub fn normalised(
    cat: &Catalogue,
    who: &Principal,
    api: &str,
    label: &str,
) -> Result<Value, Error> {
    Ok(description(cat, who, api, label)?.normalised)
}

/// The operations of a version, in document order.
pub fn operations(
    cat: &Catalogue,
    who: &Principal,
    api: &str,
    label: &str,
    filter: &OperationFilter,
    page: Page,
) -> Result<Paged<OperationRow>, Error> {
    cat.store.read(|c| {
        let (_, version) = api_version(c, who, api, label)?;
        versions::operations(c, version.id, filter, page)
    })
}

/// The named schemas of a version.
pub fn schemas(
    cat: &Catalogue,
    who: &Principal,
    api: &str,
    label: &str,
    name: Option<&str>,
    page: Page,
) -> Result<Paged<SchemaRow>, Error> {
    cat.store.read(|c| {
        let (_, version) = api_version(c, who, api, label)?;
        versions::schemas(c, version.id, name, page)
    })
}

/// Every evaluation of a version against the standard, newest first.
pub fn evaluations(
    cat: &Catalogue,
    who: &Principal,
    api: &str,
    label: &str,
) -> Result<Vec<EvaluationRow>, Error> {
    cat.store.read(|c| {
        let (_, version) = api_version(c, who, api, label)?;
        evaluations::for_version(c, version.id, &cat.standard.identity.name)
    })
}

/// What version `to` (default `latest`) breaks for callers of version `from` (default the
/// version before `to` that has a description).
pub fn diff(
    cat: &Catalogue,
    who: &Principal,
    api: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<DiffReport, Error> {
    let (from, to, old, new) = cat.store.read(|c| {
        let (record, to) = api_version(c, who, api, to.unwrap_or("latest"))?;
        let from = match from {
            Some(label) => api_version(c, who, api, label)?.1,
            None => versions::previous_described(c, record.api.id, &to.version)?.ok_or_else(
                || {
                    Error::invalid_at(
                        Code::InvalidQuery,
                        format!(
                            "version {} of API {api} has no version with a description before it: give from=",
                            to.version
                        ),
                        "/from",
                    )
                },
            )?,
        };
        let old = descriptions::of_version(c, &from, &cat.limits)?;
        let new = descriptions::of_version(c, &to, &cat.limits)?;
        Ok((from.version, to.version, old, new))
    })?;
    let (Some(old), Some(new)) = (old, new) else {
        return Err(Error::invalid(
            Code::NoDescription,
            format!(
                "version {from} or {to} is a link-only entry: there is no description to compare"
            ),
        ));
    };
    let mut report = pac_compat::compare(&old.normalised, &new.normalised);
    pac_compat::locate(&mut report, &old, &new);
    Ok(DiffReport::new(from, Some(to), report))
}

/// Everything the API's page shows, read in one transaction: the API, its owner, its newest
/// versions, its latest version with its evaluation under the standard in force, the systems that
/// consume it and the contracts it claims to implement (only those the caller may see).
pub struct ApiOverview {
    pub api: ApiRecord,
    pub owner: crate::store::organisations::OrganisationRow,
    pub versions: Paged<VersionRow>,
    pub latest: Option<VersionRow>,
    pub standard: Option<EvaluationRow>,
    pub consumers: Vec<super::uses::UseView>,
    pub claims: Vec<super::claims::ClaimView>,
}

pub fn overview(
    cat: &Catalogue,
    who: &Principal,
    api: &str,
    versions_page: Page,
) -> Result<ApiOverview, Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| {
        let record = apis::get_visible(c, &visible, api)?;
        let owner = crate::store::organisations::get(c, &record.owner)?;
        let listed = versions::list(c, record.api.id, versions_page)?;
        let latest = versions::find_labelled(
            c,
            record.api.id,
            record.api.latest_version.as_deref(),
            "latest",
        )?;
        let standard = match &latest {
            Some(v) => in_force(cat, c, v.id)?,
            None => None,
        };
        let rows = crate::store::relations::consumptions_of_api(c, record.api.id, None)?;
        let consumers = super::uses::views(c, &visible, rows)?;
        let rows = crate::store::relations::implementations(c, Claims::OfApi(record.api.id))?;
        let claims = super::claims::views(c, &visible, rows)?;
        Ok(ApiOverview {
            api: record,
            owner,
            versions: listed,
            latest,
            standard,
            consumers,
            claims,
        })
    })
}

/// Every operation of a version, in document order (bounded by the limits on a description).
pub fn all_operations(
    cat: &Catalogue,
    who: &Principal,
    api: &str,
    label: &str,
) -> Result<Vec<OperationRow>, Error> {
    let everything = Page {
        limit: i64::MAX,
        offset: 0,
    };
    Ok(operations(
        cat,
        who,
        api,
        label,
        &OperationFilter::default(),
        everything,
    )?
    .items)
}
