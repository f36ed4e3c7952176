//! The core of publishing a version, inside one transaction: it checks the caller may publish for
//! the API's owner, refuses to change an existing version (same content answers "unchanged",
//! different content is a conflict), compares with the previous version and applies the API's
//! compatibility policy, stores the original files as blobs, the derived operations and schemas,
//! points the API at its new latest version and writes the audit record. `versions::publish` is the
//! one entry every edge calls.

use serde_json::json;

use crate::auth::Principal;
use crate::auth::policy::{self, Visible};
use crate::domain::{CompatPolicy, VersionLabel, clean_text, compare_versions};
use crate::error::{Code, Error};
use crate::store::apis::{self, ApiRecord};
use crate::store::descriptions;
use crate::store::versions::{self, NewFile, NewOperation, NewSchema, NewVersion, VersionRow};
use crate::store::{Conn, audit};
use pac_compat::DiffReport;
use pac_spec::{
    Description, OperationSummary, ParameterSummary, SchemaSummary, SourceFile, sha256_hex,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Unchanged,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Unchanged => "unchanged",
        }
    }
}

#[derive(Debug)]
pub struct Published {
    pub outcome: Outcome,
    pub api: ApiRecord,
    pub version: VersionRow,
    /// The changes against the previous version, when they were compared.
    pub changes: Option<DiffReport>,
}

/// Whether a publish compares the new version with the one before it. HTTP publishes do; bulk
/// imports do not (it would double their time): their change lists are computed on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    Yes,
    No,
}

/// The identity of a description's content: the SHA-256 of its one file, or, for a bundle, of the
/// list of its files' paths and hashes.
pub fn content_hash(files: &[SourceFile]) -> String {
    match files {
        [single] => single.sha256.clone(),
        many => {
            let manifest: String = many
                .iter()
                .map(|f| format!("{}\0{}\n", f.path, f.sha256))
                .collect();
            sha256_hex(manifest.as_bytes())
        }
    }
}

fn clean(s: &str) -> String {
    clean_text(s).into_owned()
}

fn cleaned_operation(o: &OperationSummary) -> OperationSummary {
    let all = |v: &[String]| v.iter().map(|x| clean(x)).collect();
    OperationSummary {
        method: o.method.clone(),
        path: clean(&o.path),
        operation_id: o.operation_id.as_deref().map(clean),
        summary: o.summary.as_deref().map(clean),
        description: o.description.as_deref().map(clean),
        tags: all(&o.tags),
        deprecated: o.deprecated,
        parameters: o
            .parameters
            .iter()
            .map(|p| ParameterSummary {
                name: clean(&p.name),
                ..p.clone()
            })
            .collect(),
        request_media_types: all(&o.request_media_types),
        response_media_types: all(&o.response_media_types),
    }
}

/// The label to publish under: the one asked for, else the description's `info.version`.
pub fn label_for(asked: Option<&VersionLabel>, desc: &Description) -> Result<VersionLabel, Error> {
    match asked {
        Some(l) => Ok(l.clone()),
        None => VersionLabel::sanitise(&desc.version).ok_or_else(|| {
            Error::invalid_at(
                Code::VersionRequired,
                format!(
                    "info.version {:?} cannot be used as a version label: give one with ?version=",
                    desc.version
                ),
                "/info/version",
            )
        }),
    }
}

/// Finds the API the caller may publish to: hidden ones are "not found", visible ones the caller
/// may not write are "forbidden".
fn writable_api(conn: &mut Conn, who: &Principal, api_slug: &str) -> Result<ApiRecord, Error> {
    let visible = Visible::for_principal(who);
    let api = apis::get_visible(conn, &visible, api_slug)?;
    policy::require_owner(who, &api.owner, "publishing a version")?;
    apis::lock(conn, api.api.id)?;
    // Read the row again under the lock: a publish that held it before us may have moved `latest`.
    let row = apis::find_any(conn, api_slug)?
        .ok_or_else(|| Error::NotFound(format!("API {api_slug}")))?;
    Ok(ApiRecord { api: row, ..api })
}

/// Moves the API's `latest` to `label` when it is the highest label so far (a fix published for an
/// older line does not become the latest).
fn advance_latest(
    conn: &mut Conn,
    api: ApiRecord,
    label: &VersionLabel,
    spec_format: Option<&str>,
) -> Result<ApiRecord, Error> {
    let higher = api
        .api
        .latest_version
        .as_deref()
        .is_none_or(|current| compare_versions(label.as_str(), current).is_gt());
    let row = if higher {
        apis::set_latest(conn, api.api.id, label.as_str(), spec_format)?
    } else {
        apis::touch(conn, api.api.id)?
    };
    Ok(ApiRecord { api: row, ..api })
}

/// Returns the stored version if `label` exists with the same content, a conflict if it exists with
/// other content, and None if the label is free.
fn existing(
    conn: &mut Conn,
    api: &ApiRecord,
    label: &VersionLabel,
    hash: &str,
) -> Result<Option<VersionRow>, Error> {
    match versions::find(conn, api.api.id, label.as_str())? {
        None => Ok(None),
        Some(v) if v.content_sha256.as_deref() == Some(hash) => Ok(Some(v)),
        Some(v) => Err(Error::conflict(
            Code::VersionConflict,
            format!(
                "version {label} of API {} already exists with other content (sha256 {}); versions are immutable: publish under a new version label",
                api.api.slug,
                v.content_sha256.as_deref().unwrap_or("none")
            ),
        )),
    }
}

/// Publishes a parsed description as version `label` of API `api_slug`. Call inside `Store::write`.
pub fn publish_description(
    conn: &mut Conn,
    who: &Principal,
    api_slug: &str,
    label: &VersionLabel,
    desc: &Description,
    compare: Compare,
) -> Result<Published, Error> {
    let api = writable_api(conn, who, api_slug)?;
    let hash = content_hash(&desc.files);
    if let Some(version) = existing(conn, &api, label, &hash)? {
        return Ok(Published {
            outcome: Outcome::Unchanged,
            api,
            version,
            changes: None,
        });
    }
    let changes = match compare {
        Compare::Yes => changes_since_previous(conn, &api, label, desc)?,
        Compare::No => None,
    };
    if let Some(changes) = &changes {
        check_policy(&api, label, changes)?;
    }
    let changes_json = changes
        .as_ref()
        .map(|c| serde_json::to_string(c).unwrap_or_else(|_| "null".into()));
    let notes = serde_json::to_value(&desc.notes).unwrap_or_else(|_| json!([]));
    let files: Vec<NewFile> = desc
        .files
        .iter()
        .map(|f| NewFile {
            path: &f.path,
            media_type: f.format.media_type(),
            sha256: &f.sha256,
            content: &f.bytes,
        })
        .collect();
    // Text taken from the document is stored cleaned of NUL (PostgreSQL refuses it in text);
    // the original bytes are stored untouched as blobs.
    let operations: Vec<OperationSummary> = desc.operations.iter().map(cleaned_operation).collect();
    let parameters: Vec<String> = operations
        .iter()
        .map(|o| serde_json::to_string(&o.parameters).unwrap_or_else(|_| "[]".into()))
        .collect();
    let ops: Vec<NewOperation> = operations
        .iter()
        .zip(&parameters)
        .map(|(o, parameters)| NewOperation {
            method: &o.method,
            path: &o.path,
            operation_id: o.operation_id.as_deref(),
            summary: o.summary.as_deref(),
            description: o.description.as_deref(),
            tags: &o.tags,
            deprecated: o.deprecated,
            parameters,
            request_media_types: &o.request_media_types,
            response_media_types: &o.response_media_types,
        })
        .collect();
    let schema_list: Vec<SchemaSummary> = desc
        .schemas
        .iter()
        .map(|s| SchemaSummary {
            name: clean(&s.name),
            description: s.description.as_deref().map(clean),
            properties: s.properties.iter().map(|p| clean(p)).collect(),
            property_descriptions: s
                .property_descriptions
                .iter()
                .map(|d| d.as_deref().map(clean))
                .collect(),
        })
        .collect();
    let schemas: Vec<NewSchema> = schema_list
        .iter()
        .map(|s| NewSchema {
            name: &s.name,
            description: s.description.as_deref(),
            properties: &s.properties,
            property_descriptions: &s.property_descriptions,
        })
        .collect();
    let title = clean_text(&desc.title);
    let description = desc.description.as_deref().map(clean_text);
    let spec_format = desc.format.as_str();
    let version = versions::insert(
        conn,
        &NewVersion {
            api_id: api.api.id,
            version: label.as_str(),
            content_sha256: &hash,
            spec_format: Some(spec_format),
            declared_version: Some(&desc.declared_version),
            title: &title,
            description: description.as_deref(),
            documentation_url: None,
            notes: &notes,
            published_by: who.actor(),
            changes: changes_json.as_deref(),
        },
        &files,
        &ops,
        &schemas,
    )?;
    let api = advance_latest(conn, api, label, Some(spec_format))?;
    audit::record(
        conn,
        who,
        "version.publish",
        &format!("{}@{}", api.api.slug, label),
        Some(&hash),
        json!({
            "format": spec_format,
            "files": desc.files.iter().map(|f| &f.path).collect::<Vec<_>>(),
            "operations": ops.len(),
            "schemas": schemas.len(),
        }),
    )?;
    Ok(Published {
        outcome: Outcome::Created,
        api,
        version,
        changes,
    })
}

/// The changes of `desc` against the version before `label` that has a description.
fn changes_since_previous(
    conn: &mut Conn,
    api: &ApiRecord,
    label: &VersionLabel,
    desc: &Description,
) -> Result<Option<DiffReport>, Error> {
    let Some(row) = versions::previous_described(conn, api.api.id, label.as_str())? else {
        return Ok(None);
    };
    let Some(old) = descriptions::of_version(conn, &row, &pac_spec::Limits::default())? else {
        return Ok(None);
    };
    let mut report = pac_compat::compare(&old.normalised, &desc.normalised);
    pac_compat::locate(&mut report, &old, desc);
    Ok(Some(DiffReport::new(row.version, None, report)))
}

/// The leading number of a version label: 2 for "2.1.0", "v2" or "2022-11-15" (2022).
fn major(label: &str) -> Option<u64> {
    let digits: String = label
        .trim_start_matches(['v', 'V'])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Under a `reject` policy, breaking changes need a higher major version.
fn check_policy(api: &ApiRecord, label: &VersionLabel, changes: &DiffReport) -> Result<(), Error> {
    if api.api.compatibility != CompatPolicy::Reject || changes.summary.breaking == 0 {
        return Ok(());
    }
    let (old, new) = (major(&changes.from), major(label.as_str()));
    if matches!((old, new), (Some(o), Some(n)) if n > o) {
        return Ok(());
    }
    let breaking = changes.report().breaking_lines();
    Err(Error::conflict(
        Code::BreakingChange,
        format!(
            "version {label} breaks callers of {} and API {} rejects breaking changes unless the major version goes up ({} breaking: {})",
            changes.from,
            api.api.slug,
            breaking.len(),
            breaking.join("; ")
        ),
    ))
}

/// What a link-only version records: an entry of another catalogue, with no description.
pub struct LinkEntry<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub documentation_url: Option<&'a str>,
    /// Everything the source said about the entry, hashed as its content identity.
    pub source_record: serde_json::Value,
}

/// Publishes a link-only version. Call inside `Store::write`.
pub fn publish_link(
    conn: &mut Conn,
    who: &Principal,
    api_slug: &str,
    label: &VersionLabel,
    entry: &LinkEntry,
) -> Result<Published, Error> {
    let api = writable_api(conn, who, api_slug)?;
    let hash = sha256_hex(entry.source_record.to_string().as_bytes());
    if let Some(version) = existing(conn, &api, label, &hash)? {
        return Ok(Published {
            outcome: Outcome::Unchanged,
            api,
            version,
            changes: None,
        });
    }
    let notes = json!([{ "code": "link_only", "pointer": "", "message": "imported from another catalogue without a description", "source": entry.source_record }]);
    let version = versions::insert(
        conn,
        &NewVersion {
            api_id: api.api.id,
            version: label.as_str(),
            content_sha256: &hash,
            spec_format: None,
            declared_version: None,
            title: &clean_text(entry.title),
            description: entry.description.map(clean_text).as_deref(),
            documentation_url: entry.documentation_url,
            notes: &notes,
            published_by: who.actor(),
            changes: None,
        },
        &[],
        &[],
        &[],
    )?;
    let api = advance_latest(conn, api, label, None)?;
    audit::record(
        conn,
        who,
        "version.publish_link",
        &format!("{}@{}", api.api.slug, label),
        Some(&hash),
        json!({ "documentation_url": entry.documentation_url }),
    )?;
    Ok(Published {
        outcome: Outcome::Created,
        api,
        version,
        changes: None,
    })
}
