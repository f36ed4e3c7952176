//! The offline checks a supplier runs in CI, with no store: `pac diff`, `pac conform` (a store
//! only when the contract is named by slug) and `pac lint`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use pac_compat::DiffReport;
use pac_lint::render::{self, FileResult};
use pac_lint::ruleset::{Resolver, RulesetFiles};
use pac_lint::{Ruleset, RulesetError, Severity, View};
use pac_spec::{Description, Limits};

use super::pretty;
use crate::auth::Principal;
use crate::config::{ConformArgs, DiffArgs, DiffFormat, LintArgs, LintFormat, StoreArgs};
use crate::domain::Slug;
use crate::error::{Code, Error};
use crate::store::{Database, Store};
use crate::usecase::{self, Catalogue};

/// A description named on the command line, reading files inside `root` (default: its folder).
fn load_file(path: &Path, root: Option<&Path>, limits: &Limits) -> Result<Description, Error> {
    Ok(pac_spec::input::load_file_within(path, root, limits)?)
}

pub(super) fn diff(args: DiffArgs) -> Result<ExitCode, Error> {
    let limits = args.limits.limits();
    let root = args.limits.root.as_deref();
    let loaded = pac_spec::input::load_file_within(&args.old, root, &limits).and_then(|old| {
        Ok((
            old,
            pac_spec::input::load_file_within(&args.new, root, &limits)?,
        ))
    });
    let (old, new) = match loaded {
        Ok(pair) => pair,
        Err(e) => {
            // Bad input is exit 2 whatever its kind: 1 means "breaking changes found".
            eprintln!("error[{}]: {e}", e.code);
            return Ok(ExitCode::from(2));
        }
    };
    let mut report = pac_compat::compare(&old.normalised, &new.normalised);
    pac_compat::locate(&mut report, &old, &new);
    let (old_name, new_name) = (
        args.old.display().to_string(),
        args.new.display().to_string(),
    );
    let threshold = pac_compat::Level::parse(&args.fail_on).unwrap_or(pac_compat::Level::Breaking);
    let fails = report.reaches(threshold);
    match args.format {
        DiffFormat::Text => print!(
            "{}",
            pac_compat::render::text(&report, &old_name, &new_name)
        ),
        DiffFormat::Markdown => print!(
            "{}",
            pac_compat::render::markdown(
                &report,
                &format!("Changes from {old_name} to {new_name}")
            )
        ),
        DiffFormat::Json => print!(
            "{}",
            pretty(&DiffReport::new(old_name, Some(new_name), report))?
        ),
    }
    Ok(if fails {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub(super) fn conform(store_args: &StoreArgs, args: ConformArgs) -> Result<ExitCode, Error> {
    let limits = args.limits.limits();
    let root = args.limits.root.as_deref();
    let loaded = load_file(&args.file, root, &limits).and_then(|implementation| {
        let (name, contract) = load_contract(store_args, &args.contract, root, &limits)?;
        Ok((implementation, name, contract))
    });
    let (implementation, contract_name, contract) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            // Bad input is exit 2 whatever its kind: 1 means "does not conform".
            eprintln!("error[{}]: {e}", e.code());
            return Ok(ExitCode::from(2));
        }
    };
    let report = pac_compat::conformance::conform_descriptions(&contract, &implementation);
    let name = args.file.display().to_string();
    match args.format {
        DiffFormat::Text => print!("{}", report.text(&contract_name, &name)),
        DiffFormat::Markdown => print!("{}", report.markdown(&contract_name, &name)),
        DiffFormat::Json => print!(
            "{}",
            pretty(&serde_json::json!({
                "contract": contract_name,
                "implementation": name,
                "conformant": report.conformant,
                "met": report.met,
                "not_met": report.not_met,
                "requirements": report.requirements,
            }))?
        ),
    }
    Ok(if report.conformant {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A contract from a file, or from the store by `SLUG` or `SLUG@VERSION`; with its name for
/// reports.
fn load_contract(
    store_args: &StoreArgs,
    given: &str,
    root: Option<&Path>,
    limits: &pac_spec::Limits,
) -> Result<(String, pac_spec::Description), Error> {
    let path = std::path::Path::new(given);
    if path.exists() {
        let contract = load_file(path, root, limits)?;
        if contract.operations.is_empty() {
            return Err(Error::invalid_at(
                Code::ContractEmpty,
                format!("the contract {given} has no operations: there is nothing to conform to"),
                "/paths",
            ));
        }
        return Ok((given.to_string(), contract));
    }
    let (slug, label) = given.split_once('@').unwrap_or((given, "latest"));
    if Slug::parse("contract", slug).is_err() {
        return Err(Error::invalid_at(
            Code::ContractNotFound,
            format!("--contract {given:?} is neither a file nor the slug of a contract"),
            "/contract",
        ));
    }
    // Only read an existing store: a mistyped file name must not create one.
    let database = Database::from_config(store_args.database_url.as_deref(), &store_args.data_dir)?;
    if let Database::Sqlite(file) = &database
        && !file.is_file()
    {
        return Err(Error::invalid_at(
            Code::ContractNotFound,
            format!(
                "--contract {given:?} is neither a file nor a contract: there is no store at {} to look it up in",
                file.display()
            ),
            "/contract",
        ));
    }
    let store = Store::open(database, 1)?;
    let described = store.database().describe();
    let catalogue = Catalogue::with_built_in_standard(store, limits.clone())?;
    // The operator of the command line sees every contract.
    let who = Principal::System;
    if let Err(Error::NotFound(_)) = usecase::contracts::get(&catalogue, &who, slug) {
        return Err(Error::invalid_at(
            Code::ContractNotFound,
            format!(
                "--contract {given:?} is not a file, and the store at {described} has no contract {slug}"
            ),
            "/contract",
        ));
    }
    let (version, desc) = usecase::contracts::description(&catalogue, &who, slug, label)?;
    Ok((format!("{slug} {}", version.version), desc))
}

pub(super) fn lint(args: LintArgs) -> Result<ExitCode, Error> {
    let ruleset = if pac_lint::ruleset::BUILT_IN
        .iter()
        .any(|(name, _)| *name == args.ruleset)
    {
        Ruleset::built_in(&args.ruleset)
    } else {
        ruleset_file(Path::new(&args.ruleset))
    };
    let ruleset = match ruleset {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error[ruleset_invalid]: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let limits = args.limits.limits();
    let results = lint_files(&ruleset, &args.files, args.limits.root.as_deref(), &limits);
    let out = match args.format {
        LintFormat::Text => render::text(&ruleset, &results),
        LintFormat::Json => pretty(&render::json(&ruleset, &results))?,
        LintFormat::Sarif => pretty(&render::sarif(&ruleset, &results))?,
    };
    print!("{out}");
    // Also on stderr, so that a CI log shows why when stdout went to a report file.
    for r in &results {
        if let Some((code, message)) = &r.error {
            eprintln!("error[{code}]: {}: {message}", r.file);
        }
    }
    let unreadable = results.iter().any(|r: &FileResult| r.error.is_some());
    let failed = results
        .iter()
        .filter_map(|r| r.report.as_ref())
        .any(|r| r.count(Severity::Error) > 0);
    Ok(if unreadable {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Lints one file or bundle from disk (what `pac lint` does for each argument).
pub fn lint_path(
    ruleset: &Ruleset,
    path: &Path,
    root: Option<&Path>,
    limits: &Limits,
) -> FileResult {
    let file = path.display().to_string();
    let linted = if ruleset.view == View::Original {
        // The original view of a single document needs only a parse: no conversion, no model.
        pac_spec::input::read_file(path).and_then(|bytes| {
            if pac_spec::input::sniff(&bytes).is_archive() {
                let desc = pac_spec::input::load_archive(&bytes, limits)?;
                Ok((
                    desc.format,
                    pac_lint::lint_description(ruleset, &desc, limits)?,
                ))
            } else {
                let original = pac_spec::input::original(&file, &bytes, limits)?;
                Ok((original.format, pac_lint::lint_original(ruleset, &original)))
            }
        })
    } else {
        pac_spec::input::load_file_within(path, root, limits).and_then(|desc| {
            Ok((
                desc.format,
                pac_lint::lint_description(ruleset, &desc, limits)?,
            ))
        })
    };
    match linted {
        Ok((format, report)) => FileResult {
            file,
            format: Some(format.as_str().to_owned()),
            score: pac_lint::score::score(ruleset, &report),
            report: Some(report),
            error: None,
        },
        Err(e) => FileResult {
            file,
            format: None,
            report: None,
            score: None,
            error: Some((e.code.as_str().to_owned(), e.message)),
        },
    }
}

/// Lints every path, on as many threads as there are cores; results in the order given.
pub fn lint_files(
    ruleset: &Ruleset,
    paths: &[PathBuf],
    root: Option<&Path>,
    limits: &Limits,
) -> Vec<FileResult> {
    // Largest first, so that no thread is left with a big file at the end while the others idle.
    let mut order: Vec<usize> = (0..paths.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(std::fs::metadata(&paths[i]).map_or(0, |m| m.len())));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<FileResult>>> =
        Mutex::new((0..paths.len()).map(|_| None).collect());
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(paths.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            // Deep documents and long `$ref` chains need more than a default thread's stack.
            let worker = std::thread::Builder::new()
                .name("pac-lint".to_owned())
                .stack_size(pac_lint::LINT_STACK_BYTES)
                .spawn_scoped(scope, || {
                    while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let path = &paths[i];
                        // A bug met in one file leaves that file unchecked (reported as
                        // lint_internal below), not the whole run.
                        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            lint_path(ruleset, path, root, limits)
                        }));
                        match r {
                            Ok(r) => results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r),
                            Err(_) => tracing::error!(file = %path.display(), "lint stopped unexpectedly on this file"),
                        }
                    }
                });
            if let Err(e) = worker {
                tracing::error!(error = %e, "cannot start a lint thread");
            }
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .zip(paths)
        .map(|(r, p)| {
            r.unwrap_or_else(|| FileResult {
                file: p.display().to_string(),
                format: None,
                report: None,
                score: None,
                error: Some((
                    Code::LintInternal.as_str().to_owned(),
                    "the check stopped unexpectedly".to_owned(),
                )),
            })
        })
        .collect()
}

/// A ruleset file (YAML or JSON) named on the command line; its `extends` may name built-in
/// rulesets and files beside it. The lint engine reads no file itself.
pub fn ruleset_file(path: &Path) -> Result<Ruleset, RulesetError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| RulesetError {
        source_name: name.clone(),
        at: "file".to_owned(),
        message: format!("cannot read it: {e}"),
    })?;
    Ruleset::parse(&name, &text, &Resolver::Files(&RulesetDir))
}

/// Reads the rulesets that `extends` names, relative to the folder of the ruleset naming them.
struct RulesetDir;

impl RulesetFiles for RulesetDir {
    fn read(&self, relative_to: &str, name: &str) -> Result<(String, String), String> {
        let dir = Path::new(relative_to).parent().unwrap_or(Path::new(""));
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("{}: cannot read it: {e}", path.display()))?;
        Ok((path.display().to_string(), text))
    }
}
