//! `pac import`: files and directories into the store.
//!
//! Identity rules (also in the README):
//! - a directory holding `organisations.yaml`, `systems.yaml`, `apis/`, `contracts/`, `relations.yaml`
//!   or `uk-gov-api-catalogue/` is a catalogue: its organisations, systems and contracts (with their
//!   versions) are created first, `apis/` is walked as below, the UK Government API Catalogue files
//!   become link-only APIs, and the relations of `relations.yaml` are recorded last;
//! - any other directory is walked for `openapi.*` / `swagger.*` files (`.yaml`, `.yml`, `.json`); a file
//!   at `<provider>/<version>/` is version `<version>` of API `<provider>`, and at
//!   `<provider>/<service…>/<version>/` of API `<provider>-<service>` (the APIs.guru layout); its owner
//!   is `--owner`, else the organisation `<provider>`, created as a supplier if missing. An `api.yaml`
//!   in the API's folder overrides slug, name, owner, system, visibility, lifecycle and tags. Other
//!   files whose content declares `openapi` or `swagger` at the top are descriptions too, named by
//!   `info.title` and `info.version` as below, unless another file of the folder refers to them;
//! - a file named on the command line (a description, or a `.zip`/`.tar.gz` bundle) is one version: the
//!   API slug comes from `info.title`, the label from `info.version`, the owner from `--owner`;
//! - `catalogue.csv` (with `organisation.csv` beside it) and `api.gov.uk/v1alpha` JSON documents are
//!   UK Government API Catalogue data.
//!
//! Parsing runs on worker threads, one API (all its versions) at a time; the calling thread writes,
//! one transaction per version, in version order, so the latest version is the highest label.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::ProgressBar;
use serde::Serialize;
use serde_json::json;

use super::Rejection;
use super::catalogue::{
    self, ApiMeta, ContractEntry, OrganisationEntry, RelationsFile, SystemEntry,
};
use super::ukgov::{self, GovApi, GovCatalogue};
use crate::auth::Principal;
use crate::auth::policy::Visible;
use crate::domain::{
    CompatPolicy, Lifecycle, MAX_NAME_CHARS, OrgKind, OrganisationId, Slug, VersionLabel,
    Visibility, check_url, clean_text, compare_versions,
};
use crate::error::{Code, Error};
use crate::store::apis::{self, NewApi};
use crate::store::organisations::{self, NewOrganisation};
use crate::store::{Conn, Store, systems};
use crate::usecase::publish::{LinkEntry, publish_link};
use crate::usecase::versions::{self, Outcome, PublishOptions};
use crate::usecase::{self, Catalogue};
use pac_spec::{Description, DirSource, Limits};

/// The summary `pac import` prints.
#[derive(Debug, Default, Serialize)]
pub struct ImportReport {
    pub imported: usize,
    pub unchanged: usize,
    pub rejected: usize,
    /// Contract versions stored (catalogue folders' `contracts/`).
    pub contract_versions: usize,
    /// Claims and uses recorded (catalogue folders' `relations.yaml`).
    pub relations: usize,
    pub errors: Vec<Rejection>,
    /// What was imported with something missing: a reference to a file or place that is not
    /// there (or a remote one, never fetched), with where it is.
    pub warnings: Vec<Warning>,
}

/// A reference an imported version could not follow.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Warning {
    pub file: String,
    pub code: String,
    /// Where the reference is, as a JSON pointer into the description.
    pub pointer: String,
    pub message: String,
}

impl ImportReport {
    fn reject(&mut self, r: Rejection) {
        self.rejected += 1;
        self.errors.push(r);
    }

    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Created => self.imported += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Owner of every API imported (an existing organisation); else derived per file.
    pub owner: Option<Slug>,
    /// Visibility of APIs created by the import (existing APIs keep theirs).
    pub visibility: Visibility,
    /// Parser threads.
    pub jobs: usize,
    /// The folder the relative `$ref`s of a file named on the command line may reach (default:
    /// the file's own folder).
    pub root: Option<PathBuf>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            owner: None,
            visibility: Visibility::Public,
            jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            root: None,
        }
    }
}

/// Where one version's description comes from.
#[derive(Debug, Clone)]
enum VersionSource {
    /// `rel` inside a directory that bounds every relative `$ref`.
    Dir { root: PathBuf, rel: String },
    /// A description or a `.zip` / `.tar.gz` bundle named on the command line.
    File(PathBuf),
}

#[derive(Debug, Clone)]
struct VersionJob {
    display: String,
    label: Option<String>,
    source: VersionSource,
}

/// All versions of one API, parsed together by one worker.
#[derive(Debug, Default)]
struct ApiJob {
    slug: Option<String>,
    owner: Option<String>,
    /// The provider folder name: used to name an organisation created for it.
    provider: Option<String>,
    meta: Option<ApiMeta>,
    versions: Vec<VersionJob>,
}

/// A contract of a catalogue folder and its version folders, in version order.
struct ContractJob {
    place: String,
    entry: ContractEntry,
    /// (label, file shown in messages, source)
    versions: Vec<(String, String, VersionSource)>,
}

#[derive(Default)]
struct Plan {
    /// Each entry with where it was read: `organisations.yaml[2]`.
    organisations: Vec<(String, OrganisationEntry)>,
    systems: Vec<(String, SystemEntry)>,
    contracts: Vec<ContractJob>,
    relations: Vec<(String, RelationsFile)>,
    gov: Vec<GovCatalogue>,
    apis: BTreeMap<String, ApiJob>,
    loose: Vec<ApiJob>,
    rejections: Vec<Rejection>,
}

/// Imports `paths`; `bar` shows progress in versions (pass `ProgressBar::hidden()` for none).
pub fn import(
    cat: &Catalogue,
    paths: &[PathBuf],
    opts: &ImportOptions,
    bar: &ProgressBar,
) -> Result<ImportReport, Error> {
    let store = &cat.store;
    let mut plan = Plan::default();
    for path in paths {
        plan_path(&mut plan, path);
    }
    let mut report = ImportReport::default();
    for r in std::mem::take(&mut plan.rejections) {
        report.reject(r);
    }
    let who = Principal::System;
    if let Some(owner) = &opts.owner {
        store.read(|c| organisations::get(c, owner.as_str()).map(|_| ()))?;
    }
    // One transaction per entry, so that one bad entry is rejected alone, named by file and index.
    for (place, entry) in &plan.organisations {
        if let Err(e) = store.write(|c| catalogue::apply_organisation(c, &who, entry)) {
            report.reject(Rejection::from_error(place, &e));
        }
    }
    for (place, entry) in &plan.systems {
        if let Err(e) = store.write(|c| catalogue::apply_system(c, &who, entry)) {
            report.reject(Rejection::from_error(place, &e));
        }
    }
    for gov in &plan.gov {
        import_gov(store, &who, gov, &mut report);
    }
    for job in &plan.contracts {
        import_contract(cat, &who, job, &mut report);
    }

    let mut jobs: Vec<ApiJob> = plan.apis.into_values().collect();
    jobs.append(&mut plan.loose);
    for job in &mut jobs {
        job.versions.sort_by(|a, b| {
            compare_versions(
                a.label.as_deref().unwrap_or(""),
                b.label.as_deref().unwrap_or(""),
            )
        });
    }
    let total: usize = jobs.iter().map(|j| j.versions.len()).sum();
    bar.set_length(total as u64);

    let next = AtomicUsize::new(0);
    let workers = opts.jobs.clamp(1, 64).min(jobs.len().max(1));
    let (tx, rx) =
        std::sync::mpsc::sync_channel::<(usize, Vec<Result<Description, Error>>)>(workers * 2);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (jobs, next, limits) = (&jobs, &next, &cat.limits);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let parsed = job
                        .versions
                        .iter()
                        .map(|v| load(&v.source, opts.root.as_deref(), limits))
                        .collect();
                    if tx.send((i, parsed)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (i, parsed) in rx {
            write_api(cat, &who, &jobs[i], parsed, opts, &mut report);
            bar.inc(jobs[i].versions.len() as u64);
        }
    });
    bar.finish_and_clear();
    // Relations name systems, contracts and APIs: they come last.
    for (place, file) in &plan.relations {
        for (i, entry) in file.implements.iter().enumerate() {
            match store.write(|c| catalogue::apply_implements(c, &who, entry)) {
                Ok(recorded) => report.relations += usize::from(recorded),
                Err(e) => report.reject(Rejection::from_error(
                    &format!("{place}: implements[{i}]"),
                    &e,
                )),
            }
        }
        for (i, entry) in file.consumes.iter().enumerate() {
            match store.write(|c| catalogue::apply_consumes(c, &who, entry)) {
                Ok(recorded) => report.relations += usize::from(recorded),
                Err(e) => report.reject(Rejection::from_error(
                    &format!("{place}: consumes[{i}]"),
                    &e,
                )),
            }
        }
    }
    Ok(report)
}

/// Creates a catalogue contract (unless it exists) and publishes its versions in version order.
fn import_contract(cat: &Catalogue, who: &Principal, job: &ContractJob, report: &mut ImportReport) {
    if let Err(e) = cat
        .store
        .write(|c| catalogue::apply_contract(c, who, &job.entry))
    {
        report.reject(Rejection::from_error(&job.place, &e));
        return;
    }
    for (label, display, source) in &job.versions {
        let published = VersionLabel::parse(label).and_then(|label| {
            let desc = load(source, None, &cat.limits)?;
            usecase::contracts::publish(cat, who, &job.entry.slug, Some(&label), &desc)
        });
        match published {
            Ok((Outcome::Created, _, _)) => report.contract_versions += 1,
            Ok((Outcome::Unchanged, _, _)) => {}
            Err(e) => report.reject(Rejection::from_error(display, &e)),
        }
    }
}

/// Loads the description of one version.
fn load(
    source: &VersionSource,
    root: Option<&Path>,
    limits: &Limits,
) -> Result<Description, Error> {
    Ok(match source {
        VersionSource::Dir { root, rel } => pac_spec::load(&DirSource::new(root), rel, limits)?,
        VersionSource::File(path) => pac_spec::input::load_file_within(path, root, limits)?,
    })
}

fn is_json_or_yaml(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".yaml", ".yml", ".json"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// The descriptions among the files of a folder: files named `openapi.*` or `swagger.*`, and any
/// other whose content declares `openapi` or `swagger` at its top, except those another file of
/// the folder refers to (a common part with its own header is not an API).
fn descriptions(root: &Path, files: Vec<PathBuf>, rejections: &mut Vec<Rejection>) -> Vec<PathBuf> {
    let limits = Limits::default();
    let mut candidates: Vec<(PathBuf, String)> = Vec::new();
    let mut referenced: HashSet<String> = HashSet::new();
    for file in files {
        let Ok(rel) = file.strip_prefix(root) else {
            continue;
        };
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let named = is_description_name(&name);
        if !named && name.eq_ignore_ascii_case("api.yaml") {
            continue;
        }
        let bytes = match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) => {
                rejections.push(Rejection {
                    file: file.display().to_string(),
                    code: pac_spec::SpecCode::Unreadable.as_str().into(),
                    message: format!("cannot read {}: {e}", file.display()),
                });
                continue;
            }
        };
        // Every file's references count, parts' too: a part may use a common file that has a
        // header of its own.
        if let Ok(refs) = pac_spec::input::file_refs(&rel, &bytes, &limits) {
            referenced.extend(refs);
        }
        if !named && !pac_spec::sniff::declares_openapi(&bytes) {
            continue;
        }
        // JSON may name `openapi` anywhere (an example, a schema): only the top level counts.
        if !named
            && pac_spec::sniff::sniff(&bytes) == pac_spec::sniff::Sniffed::Json
            && !pac_spec::parse(&rel, &bytes, &limits)
                .is_ok_and(|(v, _)| v.get("openapi").is_some() || v.get("swagger").is_some())
        {
            continue;
        }
        // A file that cannot be parsed is still a candidate: loading it names what is wrong.
        candidates.push((file, rel));
    }
    candidates
        .into_iter()
        .filter(|(_, rel)| !referenced.contains(rel))
        .map(|(file, _)| file)
        .collect()
}

fn is_description_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    ["openapi", "swagger"].iter().any(|stem| {
        ["yaml", "yml", "json"]
            .iter()
            .any(|ext| lower == format!("{stem}.{ext}"))
    })
}

fn reject_path(plan: &mut Plan, path: &Path, code: &str, message: String) {
    plan.rejections.push(Rejection {
        file: path.display().to_string(),
        code: code.into(),
        message,
    });
}

/// Decides what a command-line path is and adds it to the plan.
fn plan_path(plan: &mut Plan, path: &Path) {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            return reject_path(
                plan,
                path,
                pac_spec::SpecCode::Unreadable.as_str(),
                format!("cannot read {}: {e}", path.display()),
            );
        }
    };
    if meta.is_dir() {
        let is_catalogue = [
            "organisations.yaml",
            "systems.yaml",
            "apis",
            "contracts",
            "relations.yaml",
            "uk-gov-api-catalogue",
        ]
        .iter()
        .any(|n| path.join(n).exists());
        if is_catalogue {
            plan_catalogue(plan, path);
        } else if path.join("catalogue.csv").is_file() {
            plan_gov_csv(plan, &path.join("catalogue.csv"));
        } else {
            plan_layout(plan, path);
        }
        return;
    }
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    if name.eq_ignore_ascii_case("catalogue.csv") {
        return plan_gov_csv(plan, path);
    }
    if name.to_lowercase().ends_with(".json")
        && let Some(gov) = read_v1alpha(plan, path)
    {
        plan.gov.push(gov);
        return;
    }
    plan.loose.push(ApiJob {
        versions: vec![VersionJob {
            display: path.display().to_string(),
            label: None,
            source: VersionSource::File(path.to_path_buf()),
        }],
        ..ApiJob::default()
    });
}

/// Reads a JSON file as a v1alpha registry document if it is one.
fn read_v1alpha(plan: &mut Plan, path: &Path) -> Option<GovCatalogue> {
    let bytes = std::fs::read(path).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    if !ukgov::is_v1alpha(&value) {
        return None;
    }
    match ukgov::read_v1alpha(&bytes, &path.display().to_string()) {
        Ok(gov) => Some(gov),
        Err(e) => {
            reject_path(plan, path, e.code, e.to_string());
            // Handled: it was a registry document, just a broken one.
            Some(GovCatalogue {
                organisations: Vec::new(),
                apis: Vec::new(),
            })
        }
    }
}

fn plan_catalogue(plan: &mut Plan, dir: &Path) {
    let orgs = dir.join("organisations.yaml");
    if orgs.is_file() {
        match catalogue::read_yaml::<Vec<OrganisationEntry>>(&orgs) {
            Ok(entries) => plan.organisations.extend(
                entries
                    .into_iter()
                    .enumerate()
                    .map(|(i, e)| (format!("{}[{i}]", orgs.display()), e)),
            ),
            Err(r) => plan.rejections.push(r),
        }
    }
    let systems = dir.join("systems.yaml");
    if systems.is_file() {
        match catalogue::read_yaml::<Vec<SystemEntry>>(&systems) {
            Ok(entries) => plan.systems.extend(
                entries
                    .into_iter()
                    .enumerate()
                    .map(|(i, e)| (format!("{}[{i}]", systems.display()), e)),
            ),
            Err(r) => plan.rejections.push(r),
        }
    }
    let gov = dir.join("uk-gov-api-catalogue").join("catalogue.csv");
    if gov.is_file() {
        plan_gov_csv(plan, &gov);
    }
    let contracts = dir.join("contracts");
    if contracts.is_dir() {
        plan_contracts(plan, &contracts);
    }
    let relations = dir.join("relations.yaml");
    if relations.is_file() {
        match catalogue::read_yaml::<RelationsFile>(&relations) {
            Ok(file) => plan.relations.push((relations.display().to_string(), file)),
            Err(r) => plan.rejections.push(r),
        }
    }
    let apis = dir.join("apis");
    if apis.is_dir() {
        plan_layout(plan, &apis);
    }
}

/// `contracts/<slug>/contract.yaml` with `contracts/<slug>/<version>/openapi.{yaml,yml,json}`.
fn plan_contracts(plan: &mut Plan, dir: &Path) {
    let sorted = |d: &Path| -> Vec<PathBuf> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(d)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        entries.sort();
        entries
    };
    for folder in sorted(dir) {
        let meta = folder.join("contract.yaml");
        if !meta.is_file() {
            reject_path(
                plan,
                &folder,
                Code::InvalidMetadata.as_str(),
                format!(
                    "{} has no contract.yaml naming the contract",
                    folder.display()
                ),
            );
            continue;
        }
        let entry = match catalogue::read_yaml::<ContractEntry>(&meta) {
            Ok(entry) => entry,
            Err(r) => {
                plan.rejections.push(r);
                continue;
            }
        };
        let mut versions = Vec::new();
        for version_dir in sorted(&folder) {
            let root = ["openapi.yaml", "openapi.yml", "openapi.json"]
                .into_iter()
                .find(|n| version_dir.join(n).is_file());
            let label = version_dir
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            match root {
                Some(root) => versions.push((
                    label,
                    version_dir.join(root).display().to_string(),
                    VersionSource::Dir {
                        root: version_dir.clone(),
                        rel: root.to_string(),
                    },
                )),
                None => reject_path(
                    plan,
                    &version_dir,
                    Code::InvalidMetadata.as_str(),
                    format!(
                        "{} has no openapi.yaml, openapi.yml or openapi.json",
                        version_dir.display()
                    ),
                ),
            }
        }
        versions.sort_by(|a, b| compare_versions(&a.0, &b.0));
        plan.contracts.push(ContractJob {
            place: meta.display().to_string(),
            entry,
            versions,
        });
    }
}

fn plan_gov_csv(plan: &mut Plan, catalogue_csv: &Path) {
    let organisation_csv = catalogue_csv.with_file_name("organisation.csv");
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    match (read(catalogue_csv), read(&organisation_csv)) {
        (Ok(c), Ok(o)) => match ukgov::read_csv(
            &c,
            &catalogue_csv.display().to_string(),
            &o,
            &organisation_csv.display().to_string(),
        ) {
            Ok(gov) => plan.gov.push(gov),
            Err(e) => reject_path(plan, catalogue_csv, e.code, e.to_string()),
        },
        (Err(m), _) | (_, Err(m)) => reject_path(
            plan,
            catalogue_csv,
            pac_spec::SpecCode::Unreadable.as_str(),
            m,
        ),
    }
}

/// Walks a directory in the `<provider>/[<service>/]<version>/openapi.yaml` layout.
fn plan_layout(plan: &mut Plan, root: &Path) {
    let mut files = Vec::new();
    walk(root, &mut files, &mut plan.rejections);
    files.sort();
    for file in descriptions(root, files, &mut plan.rejections) {
        let Ok(rel) = file.strip_prefix(root) else {
            continue;
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel_str = parts.join("/");
        let dirs = &parts[..parts.len() - 1];
        let display = file.display().to_string();
        let source = VersionSource::Dir {
            root: root.to_path_buf(),
            rel: rel_str,
        };
        let (api_dir, provider, service, label): (
            &[String],
            Option<&String>,
            Vec<&String>,
            Option<String>,
        ) = match dirs.len() {
            0 => (&[], None, vec![], None),
            1 => (dirs, dirs.first(), vec![], None),
            n => (
                &dirs[..n - 1],
                dirs.first(),
                dirs[1..n - 1].iter().collect(),
                Some(dirs[n - 1].clone()),
            ),
        };
        // Only `openapi.*` and `swagger.*` files follow the layout; a description found by its
        // content (`application.yaml` deep in a repository) is named by its `info.title`, like a
        // file named on the command line.
        let named = parts.last().is_some_and(|n| is_description_name(n));
        let Some(provider) = provider.filter(|_| named) else {
            plan.loose.push(ApiJob {
                versions: vec![VersionJob {
                    display,
                    label: None,
                    source,
                }],
                ..ApiJob::default()
            });
            continue;
        };
        let api_yaml = api_dir
            .iter()
            .fold(root.to_path_buf(), |p, d| p.join(d))
            .join("api.yaml");
        let meta = if api_yaml.is_file() {
            match catalogue::read_yaml::<ApiMeta>(&api_yaml) {
                Ok(m) => match m.validate() {
                    Ok(()) => Some(m),
                    Err(e) => {
                        plan.rejections
                            .push(Rejection::from_error(&api_yaml.display().to_string(), &e));
                        continue;
                    }
                },
                Err(r) => {
                    plan.rejections.push(r);
                    continue;
                }
            }
        } else {
            None
        };
        let mut name = provider.clone();
        for s in &service {
            name.push('-');
            name.push_str(s);
        }
        let slug = meta
            .as_ref()
            .and_then(|m| m.slug.clone())
            .or_else(|| Slug::slugify(&name).map(|s| s.to_string()));
        let key = slug.clone().unwrap_or_else(|| display.clone());
        let job = plan.apis.entry(key).or_insert_with(|| ApiJob {
            slug,
            owner: meta.as_ref().and_then(|m| m.owner.clone()),
            provider: Some(provider.clone()),
            meta: meta.clone(),
            versions: Vec::new(),
        });
        job.versions.push(VersionJob {
            display,
            label,
            source,
        });
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, rejections: &mut Vec<Rejection>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            rejections.push(Rejection {
                file: dir.display().to_string(),
                code: pac_spec::SpecCode::Unreadable.as_str().into(),
                message: format!("cannot read directory {}: {e}", dir.display()),
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        // Symbolic links are not followed: a bundle must not reach outside what was imported.
        if kind.is_dir() {
            walk(&entry.path(), out, rejections);
        } else if kind.is_file() && is_json_or_yaml(&name) {
            out.push(entry.path());
        }
    }
}

/// Resolves the identity of one API and publishes its parsed versions in order.
fn write_api(
    cat: &Catalogue,
    who: &Principal,
    job: &ApiJob,
    parsed: Vec<Result<Description, Error>>,
    opts: &ImportOptions,
    report: &mut ImportReport,
) {
    let mut ok = Vec::new();
    for (v, result) in job.versions.iter().zip(parsed) {
        match result {
            Ok(desc) => ok.push((v, desc)),
            Err(e) => report.reject(Rejection::from_error(&v.display, &e)),
        }
    }
    let Some((first, latest_desc)) = ok.first().map(|(v, _)| *v).zip(ok.last().map(|(_, d)| d))
    else {
        return;
    };
    let reject_all = |report: &mut ImportReport, e: &Error| {
        for (v, _) in &ok {
            report.reject(Rejection::from_error(&v.display, e));
        }
    };
    let slug = match job
        .slug
        .clone()
        .or_else(|| Slug::slugify(&latest_desc.title).map(|s| s.to_string()))
    {
        Some(s) => s,
        None => {
            return reject_all(
                report,
                &Error::invalid(
                    Code::SlugRequired,
                    format!("{}: info.title gives no usable API slug", first.display),
                ),
            );
        }
    };
    // The API is created in the same transaction as a version, so that an import whose every
    // version is rejected leaves nothing behind.
    let prepare = |conn: &mut Conn| ensure_api(conn, who, job, &slug, latest_desc, opts);
    let options = PublishOptions {
        prepare: Some(&prepare),
        ..PublishOptions::BULK
    };
    for (v, desc) in &ok {
        let label = v.label.as_deref().and_then(VersionLabel::sanitise);
        match versions::publish(cat, who, &slug, label.as_ref(), desc, options) {
            Ok(p) => {
                report.count(p.outcome);
                report
                    .warnings
                    .extend(
                        desc.notes
                            .iter()
                            .filter(|n| n.is_unresolved())
                            .map(|n| Warning {
                                file: v.display.clone(),
                                code: n.code.clone(),
                                pointer: n.pointer.clone(),
                                message: n.message.clone(),
                            }),
                    );
            }
            Err(e) => report.reject(Rejection::from_error(&v.display, &e)),
        }
    }
}

/// Makes sure the API (and, for the APIs.guru layout, its provider organisation) exists.
fn ensure_api(
    conn: &mut Conn,
    who: &Principal,
    job: &ApiJob,
    slug: &str,
    latest: &Description,
    opts: &ImportOptions,
) -> Result<(), Error> {
    let owner_slug = match (&job.owner, &opts.owner, &job.provider) {
        (Some(o), _, _) => o.clone(),
        (None, Some(o), _) => o.to_string(),
        (None, None, Some(p)) => Slug::slugify(p)
            .ok_or_else(|| {
                Error::invalid(
                    Code::OwnerRequired,
                    format!("provider folder {p:?} gives no organisation slug"),
                )
            })?
            .to_string(),
        (None, None, None) => {
            return Err(Error::invalid(
                Code::OwnerRequired,
                "a description named on the command line, or found by its content outside the <provider>/<version>/openapi.yaml layout, needs --owner ORG",
            ));
        }
    };
    let owner = match organisations::find(conn, &owner_slug)? {
        Some(o) => o,
        None if job.owner.is_none() && opts.owner.is_none() => {
            let slug = Slug::parse("owner", &owner_slug)?;
            let name = job.provider.clone().unwrap_or_else(|| owner_slug.clone());
            organisations::insert(
                conn,
                who,
                &NewOrganisation {
                    slug: &slug,
                    name: &name,
                    kind: OrgKind::Supplier,
                    homepage: None,
                    description: None,
                },
                json!({ "source": "import" }),
            )?
        }
        None => return Err(Error::NotFound(format!("organisation {owner_slug}"))),
    };
    if let Some(existing) = apis::find_any(conn, slug)? {
        if existing.organisation_id != owner.id {
            return Err(Error::conflict(
                Code::ApiOwnedByOther,
                format!(
                    "API {slug} already exists under another organisation; give it an api.yaml with another slug"
                ),
            ));
        }
        return Ok(());
    }
    let meta = job.meta.clone().unwrap_or_default();
    let slug = Slug::parse("slug", slug)?;
    let system = match &meta.system {
        Some(s) => {
            let system = systems::get_visible(conn, &Visible::All, s)?.system;
            if system.organisation_id != owner.id {
                return Err(Error::invalid_at(
                    Code::SystemOfOtherOwner,
                    format!(
                        "system {s} belongs to another organisation than the API's owner {owner_slug}"
                    ),
                    "/system",
                ));
            }
            Some(system)
        }
        None => None,
    };
    let visibility = match &meta.visibility {
        Some(v) => Visibility::parse(v)?,
        None => opts.visibility,
    };
    let lifecycle = match &meta.lifecycle {
        Some(l) => Lifecycle::parse(l)?,
        None => Lifecycle::Active,
    };
    let name: String = clean_text(meta.name.as_deref().unwrap_or(&latest.title))
        .chars()
        .take(MAX_NAME_CHARS)
        .collect();
    let name = if name.trim().is_empty() {
        slug.to_string()
    } else {
        name
    };
    let description = meta
        .description
        .as_deref()
        .or(latest.description.as_deref())
        .map(|d| clean_text(d).into_owned());
    apis::insert(
        conn,
        who,
        &NewApi {
            slug: &slug,
            owner: &owner,
            system: system.as_ref(),
            name: &name,
            description: description.as_deref(),
            visibility,
            lifecycle,
            documentation_url: meta.documentation_url.as_deref(),
            compatibility: CompatPolicy::Off,
            source: "import",
            tags: &meta.tags,
        },
        json!({ "source": "import" }),
    )?;
    Ok(())
}

/// Imports the entries of the UK Government API Catalogue as link-only APIs.
fn import_gov(store: &Store, who: &Principal, gov: &GovCatalogue, report: &mut ImportReport) {
    let mut taken: HashSet<String> = HashSet::new();
    for entry in &gov.apis {
        let result = store.write(|conn| {
            let owner = ensure_gov_organisation(conn, who, gov, &entry.provider)?;
            let slug = gov_api_slug(conn, entry, owner.id, &mut taken)?;
            let documentation = gov_documentation_url(entry);
            if apis::find_any(conn, slug.as_str())?.is_none() {
                apis::insert(
                    conn,
                    who,
                    &NewApi {
                        slug: &slug,
                        owner: &owner,
                        system: None,
                        name: &clean_text(&entry.name),
                        description: entry.description.as_deref().map(clean_text).as_deref(),
                        visibility: Visibility::Public,
                        lifecycle: if entry.end_date.is_some() {
                            Lifecycle::Retired
                        } else {
                            Lifecycle::Active
                        },
                        documentation_url: documentation,
                        compatibility: CompatPolicy::Off,
                        source: "ukgov",
                        tags: &["uk-gov-api-catalogue".to_string()],
                    },
                    json!({ "source": entry.source }),
                )?;
            }
            let label = entry
                .date_updated
                .as_deref()
                .or(entry.date_added.as_deref())
                .and_then(VersionLabel::sanitise)
                .unwrap_or_else(|| VersionLabel::sanitise("1").expect("\"1\" is a label"));
            publish_link(
                conn,
                who,
                slug.as_str(),
                &label,
                &LinkEntry {
                    title: &entry.name,
                    description: entry.description.as_deref(),
                    documentation_url: documentation,
                    source_record: gov_record(entry),
                },
            )
        });
        match result {
            Ok(p) => report.count(p.outcome),
            Err(e) => report.reject(Rejection::from_error(&entry.source, &e)),
        }
    }
}

/// The entry's documentation link, else its endpoint, when it is an http(s) URL: other catalogues'
/// values are not trusted as links (the raw values stay in the version's source record).
fn gov_documentation_url(entry: &GovApi) -> Option<&str> {
    [entry.documentation_url.as_deref(), entry.url.as_deref()]
        .into_iter()
        .flatten()
        .find(|u| check_url("documentation_url", u).is_ok())
}

fn ensure_gov_organisation(
    conn: &mut Conn,
    who: &Principal,
    gov: &GovCatalogue,
    provider: &str,
) -> Result<organisations::OrganisationRow, Error> {
    if let Some(o) = organisations::find(conn, provider)? {
        return Ok(o);
    }
    let slug = Slug::parse("provider", provider)?;
    let known = gov.organisations.iter().find(|o| o.slug == provider);
    let org = organisations::insert(
        conn,
        who,
        &NewOrganisation {
            slug: &slug,
            name: &clean_text(known.map_or(provider, |o| o.name.as_str())),
            kind: OrgKind::Partner,
            homepage: known
                .and_then(|o| o.url.as_deref())
                .filter(|u| check_url("homepage", u).is_ok()),
            description: None,
        },
        json!({ "source": "uk-gov-api-catalogue" }),
    )?;
    Ok(org)
}

/// The slug of a catalogue entry: its name, else `<provider>-<name>` when another organisation's API
/// or an earlier entry of this import has it, else a numbered form. Stable across re-imports of the
/// same data.
fn gov_api_slug(
    conn: &mut Conn,
    entry: &GovApi,
    owner_id: OrganisationId,
    taken: &mut HashSet<String>,
) -> Result<Slug, Error> {
    let base = Slug::slugify(&entry.name).ok_or_else(|| {
        Error::invalid(
            Code::SlugRequired,
            format!("entry name {:?} gives no slug", entry.name),
        )
    })?;
    let prefixed =
        Slug::slugify(&format!("{}-{}", entry.provider, entry.name)).unwrap_or(base.clone());
    let mut candidates = vec![base, prefixed.clone()];
    candidates.extend((2..1000).filter_map(|n| Slug::slugify(&format!("{prefixed}-{n}"))));
    for c in candidates {
        if taken.contains(c.as_str()) {
            continue;
        }
        let free = match apis::find_any(conn, c.as_str())? {
            None => true,
            Some(a) => a.organisation_id == owner_id && a.source == "ukgov" && a.name == entry.name,
        };
        if free {
            taken.insert(c.to_string());
            return Ok(c);
        }
    }
    Err(Error::conflict(
        Code::SlugExhausted,
        format!("no free slug for entry {:?}", entry.name),
    ))
}

fn gov_record(e: &GovApi) -> serde_json::Value {
    json!({
        "name": e.name, "description": e.description, "url": e.url,
        "documentation": e.documentation_url, "license": e.licence, "maintainer": e.maintainer,
        "areaServed": e.area_served, "startDate": e.start_date, "endDate": e.end_date,
        "dateAdded": e.date_added, "dateUpdated": e.date_updated, "provider": e.provider,
    })
}

/// Loads the seed catalogue into an empty store; does nothing when the store has organisations.
pub fn seed_if_empty(cat: &Catalogue, catalogue_dir: &Path) -> Result<Option<ImportReport>, Error> {
    if cat.store.read(organisations::count)? > 0 {
        return Ok(None);
    }
    if !catalogue_dir.is_dir() {
        tracing::warn!(catalogue = %catalogue_dir.display(), "no seed catalogue found; starting empty");
        return Ok(None);
    }
    let report = import(
        cat,
        &[catalogue_dir.to_path_buf()],
        &ImportOptions::default(),
        &ProgressBar::hidden(),
    )?;
    Ok(Some(report))
}
