//! `pac serve` and `pac migrate`: the HTTP service, and what keeps it current in the background.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::{HttpServer, web};

use crate::auth::jwt::Verifier;
use crate::config::{ServeArgs, StoreArgs};
use crate::error::{Code, Error};
use crate::ingest::import;
use crate::search::cache::ResultCache;
use crate::search::{Search, WriterBudget};
use crate::store::relations::Claims as ClaimSet;
use crate::store::{Database, Store};
use crate::usecase::Catalogue;
use crate::usecase::conformance::Recheck;
use crate::{AppState, create_app, metrics::Metrics};

use super::open_store;

pub(super) fn migrate(args: &StoreArgs) -> Result<ExitCode, Error> {
    let database = Database::from_config(args.database_url.as_deref(), &args.data_dir)?;
    // Opening applies what is pending; a second call reports that nothing is left.
    let store = Store::open(database.clone(), 1)?;
    let left = store.migrate()?;
    println!(
        "migrations applied; {} pending ({})",
        left,
        database.describe()
    );
    Ok(ExitCode::SUCCESS)
}

pub(super) fn serve(store_args: &StoreArgs, args: ServeArgs) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let verifier = Verifier::new(&args.auth.key_settings())?;
    if !verifier.has_keys() {
        tracing::warn!(
            "no token keys configured (--jwt-secret, --jwt-public-key or --jwks-file): only public entries can be read, nothing can be written"
        );
    }
    let sign_in = args.sign_in.settings()?;
    if args.sign_in.cookie_key.is_none() {
        tracing::info!(
            "no --cookie-key: sign-ins in progress do not survive a restart, and instances behind one address need the same key"
        );
    }
    let store = open_store(store_args)?;
    let standard = load_standard(args.standard.as_deref())?;
    tracing::info!(
        standard = %standard.identity.name,
        version = %standard.identity.version,
        "versions are evaluated against this standard"
    );
    let mut catalogue = Catalogue::new(store, args.limits.limits(), Arc::new(standard));
    catalogue.references = Arc::new(crate::usecase::reference::Cache::new(
        args.reference_cache_mb.saturating_mul(1024 * 1024),
    ));
    if !args.no_seed
        && let Some(report) = import::seed_if_empty(&catalogue, &args.catalogue_dir)?
    {
        tracing::info!(
            imported = report.imported,
            rejected = report.rejected,
            catalogue = %args.catalogue_dir.display(),
            "seed catalogue loaded into the empty store"
        );
        for e in &report.errors {
            tracing::warn!(file = %e.file, code = %e.code, "seed entry rejected: {}", e.message);
        }
    }
    let search = Arc::new(
        Search::open(&store_args.index_dir(), WriterBudget::SERVE)?
            .with_standard(crate::tiers::StandardId::of(&catalogue.standard)),
    );
    let state = web::Data::new(AppState {
        catalogue: catalogue.with_search(search.clone()),
        verifier,
        metrics: Metrics::default(),
        search,
        search_cache: ResultCache::new(args.search_cache),
        sign_in,
    });
    keep_index_current(state.clone());
    state.catalogue.evaluate_in_background();
    verify_claims_in_background(state.clone());
    let workers = args
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    actix_web::rt::System::new().block_on(async move {
        let server = HttpServer::new(move || create_app(state.clone()))
            .workers(workers)
            .bind(&args.bind)
            .map_err(|e| {
                Error::invalid(
                    Code::BindFailed,
                    format!("cannot listen on {}: {e}", args.bind),
                )
            })?;
        tracing::info!(
            bind = %args.bind,
            workers,
            ready_ms = started.elapsed().as_millis() as u64,
            "serving; API docs at /docs/, OpenAPI at /api/v1/openapi.json"
        );
        server
            .run()
            .await
            .map_err(|e| Error::internal("http server", e))?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Brings the index up to date in the background of `pac serve`: rebuilt when it is new or of
/// another layout, otherwise caught up from its watermark; then caught up every few seconds, for
/// writes made by `pac import` or by other servers on the same database.
fn keep_index_current(state: web::Data<AppState>) {
    std::thread::Builder::new()
        .name("search-indexer".into())
        .spawn(move || {
            let (search, store) = (&state.search, &state.catalogue.store);
            let started = Instant::now();
            let first = if search.needs_rebuild() {
                search.rebuild(store, &|_, _| {})
            } else {
                search.catch_up(store)
            };
            match first {
                Ok(done) => tracing::info!(
                    apis = done.apis,
                    documents = done.documents,
                    rebuilt = done.rebuilt,
                    watermark = done.watermark,
                    ms = started.elapsed().as_millis() as u64,
                    "search index current"
                ),
                Err(e) => caught_up_failed(&e),
            }
            loop {
                std::thread::sleep(INDEX_POLL);
                if let Err(e) = search.catch_up(store) {
                    caught_up_failed(&e);
                }
            }
        })
        .map(|_| ())
        .unwrap_or_else(|e| tracing::error!(error = %e, "cannot start the search indexer"));
}

fn caught_up_failed(e: &Error) {
    match e {
        // Another process holds the index and commits; this one reloaded what it committed.
        Error::Unavailable(why) => tracing::debug!("search index read-only: {why}"),
        e => tracing::error!(error = %e, "search index could not catch up; retrying"),
    }
}

/// Checks, once at start and in the background, the claims to implement contracts that were
/// never checked or were checked against an older version of their API (after `pac import`, or a
/// crash between a publish and its checks).
fn verify_claims_in_background(state: web::Data<AppState>) {
    std::thread::Builder::new()
        .name("pac-conformance".into())
        .spawn(move || state.catalogue.verify_claims(ClaimSet::All, Recheck::Stale))
        .map(|_| ())
        .unwrap_or_else(|e| tracing::error!(error = %e, "cannot start checking claims"));
}

/// How often `pac serve` looks for writes it did not make itself.
const INDEX_POLL: Duration = Duration::from_secs(5);

/// The standard `pac serve` evaluates against: a file, or the built-in one.
fn load_standard(path: Option<&std::path::Path>) -> Result<pac_lint::Ruleset, Error> {
    let ruleset = match path {
        Some(p) => super::check::ruleset_file(p),
        None => pac_lint::Ruleset::built_in("police-api-standard"),
    }
    .map_err(|e| Error::invalid(Code::StandardInvalid, e.to_string()))?;
    if !ruleset.rules.iter().any(|r| r.guidance.is_some()) {
        return Err(Error::invalid(
            Code::StandardInvalid,
            format!(
                "{}: no rule has x-pac level and category, so it cannot score or award the kitemark",
                ruleset.identity.name
            ),
        ));
    }
    Ok(ruleset)
}
