//! `pac import`: files, bundles, folders and catalogue folders into the store, then the index.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::{ImportArgs, OutputFormat, StoreArgs};
use crate::domain::{Slug, Visibility};
use crate::error::Error;
use crate::ingest::import::{self, ImportOptions, ImportReport};
use crate::search::{Search, WriterBudget};
use crate::store::Store;
use crate::store::relations::Claims as ClaimSet;
use crate::usecase::Catalogue;
use crate::usecase::conformance::{Recheck, verify};

use super::open_store;

pub(super) fn import(store_args: &StoreArgs, args: ImportArgs) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let owner = args
        .owner
        .as_deref()
        .map(|o| Slug::parse("owner", o))
        .transpose()?;
    let opts = ImportOptions {
        owner,
        visibility: Visibility::parse(&args.visibility)?,
        jobs: args
            .jobs
            .unwrap_or_else(|| ImportOptions::default().jobs)
            .max(1),
        root: args.limits.root.clone(),
    };
    let catalogue =
        Catalogue::with_built_in_standard(open_store(store_args)?, args.limits.limits())?;
    let bar = if std::io::stderr().is_terminal() && args.format == OutputFormat::Text {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} versions ({per_sec}, eta {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    } else {
        ProgressBar::hidden()
    };
    let report = import::import(&catalogue, &args.paths, &opts, &bar)?;
    bar.finish_and_clear();
    index_after_import(store_args, &catalogue.store);
    // Versions imported may be what claims to implement contracts are checked against.
    match verify(
        &catalogue.store,
        ClaimSet::All,
        Recheck::Stale,
        &catalogue.limits,
    ) {
        Ok(v) if v.checked > 0 => tracing::info!(
            checked = v.checked,
            conformant = v.conformant,
            not_conformant = v.not_conformant,
            unverified = v.unverified,
            "claims to implement contracts checked"
        ),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "claims to implement contracts not checked"),
    }
    let elapsed = started.elapsed();
    match args.format {
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string(&report).map_err(|e| Error::internal("report", e))?
        ),
        OutputFormat::Text => print_report(&report, elapsed),
    }
    Ok(if report.rejected == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_report(report: &ImportReport, elapsed: Duration) {
    for e in &report.errors {
        eprintln!("rejected {}: [{}] {}", e.file, e.code, e.message);
    }
    for w in &report.warnings {
        eprintln!(
            "warning {}: [{}] at {}: {}",
            w.file, w.code, w.pointer, w.message
        );
    }
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &report.errors {
        *by_code.entry(e.code.as_str()).or_default() += 1;
    }
    println!(
        "imported {}, unchanged {}, rejected {} in {:.1} s",
        report.imported,
        report.unchanged,
        report.rejected,
        elapsed.as_secs_f64()
    );
    if report.contract_versions + report.relations > 0 {
        println!(
            "  contract versions {}, relations {}",
            report.contract_versions, report.relations
        );
    }
    for (code, n) in by_code {
        println!("  {n:>5} rejected: {code}");
    }
}

/// After an import: bring the index up to date, unless a running server holds it (it will).
fn index_after_import(store_args: &StoreArgs, store: &Store) {
    match Search::open(&store_args.index_dir(), WriterBudget::bulk()) {
        Ok(search) if search.is_writable() => {
            let started = Instant::now();
            let done = if search.needs_rebuild() {
                search.rebuild(store, &|_, _| {})
            } else {
                search.catch_up(store)
            };
            match done {
                Ok(done) => tracing::info!(
                    apis = done.apis,
                    documents = done.documents,
                    ms = started.elapsed().as_millis() as u64,
                    "search index updated"
                ),
                Err(e) => tracing::warn!(error = %e, "search index not updated; run `pac reindex`"),
            }
        }
        Ok(_) => tracing::info!(
            "a running server holds the search index; it indexes the import within seconds"
        ),
        Err(e) => tracing::warn!(error = %e, "search index not updated; run `pac reindex`"),
    }
}
