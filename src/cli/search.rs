//! `pac search` and `pac reindex`.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use crate::auth::policy::Visible;
use crate::config::{OutputFormat, ReindexArgs, SearchArgs, StoreArgs};
use crate::error::Error;
use crate::search::SearchRequest;
use crate::search::request::SearchParams;
use crate::search::{Search, WriterBudget};

use super::open_store;

pub(super) fn reindex(store_args: &StoreArgs, args: ReindexArgs) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let store = open_store(store_args)?;
    let search = Search::open(&store_args.index_dir(), WriterBudget::bulk())?;
    if !search.is_writable() {
        return Err(Error::Unavailable(format!(
            "the search index in {} is in use by a running `pac serve`; stop it first (it keeps the index current itself)",
            search.dir().display()
        )));
    }
    let bar = if std::io::stderr().is_terminal() && args.format == OutputFormat::Text {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} APIs ({per_sec}, eta {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let done = search.rebuild(&store, &|n, total| {
        bar.set_length(total as u64);
        bar.set_position(n as u64);
    })?;
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    match args.format {
        OutputFormat::Json => println!(
            "{}",
            serde_json::json!({
                "apis": done.apis,
                "documents": done.documents,
                "watermark": done.watermark,
                "seconds": elapsed.as_secs_f64(),
            })
        ),
        OutputFormat::Text => println!(
            "indexed {} APIs as {} documents in {:.1} s ({})",
            done.apis,
            done.documents,
            elapsed.as_secs_f64(),
            search.dir().display()
        ),
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn search(store_args: &StoreArgs, args: SearchArgs) -> Result<ExitCode, Error> {
    let request = SearchRequest::parse(SearchParams {
        q: Some(args.query),
        kind: args.kind,
        org: args.org,
        org_kind: args.org_kind,
        lifecycle: args.lifecycle,
        tag: args.tag,
        format: args.spec_format,
        kitemark: args.kitemark,
        min_score: args.min_score,
        tier: args.tier,
        limit: Some(args.limit),
        offset: Some(args.offset),
    })?;
    let store = open_store(store_args)?;
    let search = Search::open(&store_args.index_dir(), WriterBudget::SERVE)?;
    if search.is_writable() {
        // No server keeps it current: catch up first, so that the answer matches the store.
        if search.needs_rebuild() {
            search.rebuild(&store, &|_, _| {})?;
        } else {
            search.catch_up(&store)?;
        }
    }
    let visible = if args.all {
        Visible::All
    } else {
        Visible::for_principal(&crate::auth::Principal::Anonymous)
    };
    let results = search.search(&request, &visible)?;
    match args.format {
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&results).map_err(|e| Error::internal("results", e))?
        ),
        OutputFormat::Text => {
            for (i, hit) in results.hits.iter().enumerate() {
                let what = match (&hit.operation, &hit.schema) {
                    (Some(op), _) => format!("{} {}", op.method.to_uppercase(), op.path),
                    (_, Some(schema)) => format!("schema {schema}"),
                    _ => "api".to_string(),
                };
                println!(
                    "{:>3}. [{}] {} — {}@{} {}",
                    request.offset + i + 1,
                    hit.kind,
                    hit.title,
                    hit.api,
                    hit.version.as_deref().unwrap_or("-"),
                    what
                );
            }
            println!("{} of {} hits", results.hits.len(), results.total);
        }
    }
    Ok(if results.total > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
