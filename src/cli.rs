//! What each `pac` command does, given its parsed configuration. `main.rs` only parses and calls
//! [`run`]; errors come back here as `Error` and leave as a message naming the problem and its code,
//! with exit status 1 (2 for usage and configuration errors).

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::{HttpServer, web};
use indicatif::{ProgressBar, ProgressStyle};

use crate::auth::jwt::{Claims, Verifier};
use crate::auth::policy::Visible;
use crate::config::{
    Cli, Command, ConformArgs, DiffArgs, DiffFormat, ImportArgs, LintArgs, LintFormat,
    OutputFormat, ReindexArgs, SearchArgs, ServeArgs, StoreArgs, TokenArgs,
};
use crate::domain::{Slug, Visibility};
use crate::error::Error;
use crate::http::search::SearchQuery;
use crate::ingest::conformance::{Recheck, verify};
use crate::ingest::import::{self, ImportOptions, ImportReport};
use crate::search::cache::ResultCache;
use crate::search::{Search, WriterBudget};
use crate::store::relations::Claims as ClaimSet;
use crate::store::{Database, Store};
use crate::{AppState, create_app, metrics::Metrics};

pub fn run(cli: Cli) -> ExitCode {
    init_logging(&cli.log);
    let result = match cli.command {
        Command::Serve(args) => serve(&cli.store, args),
        Command::Migrate => migrate(&cli.store),
        Command::Import(args) => import(&cli.store, args),
        Command::Token(args) => token(args),
        Command::Search(args) => search(&cli.store, args),
        Command::Reindex(args) => reindex(&cli.store, args),
        Command::Diff(args) => diff(args),
        Command::Lint(args) => lint(args),
        Command::Conform(args) => conform(&cli.store, args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // The operator gets the whole message, causes of internal errors included.
            eprintln!("error[{}]: {e}", e.code());
            let usage = matches!(e, Error::Invalid { .. });
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn open_store(args: &StoreArgs) -> Result<Store, Error> {
    let database = Database::from_config(args.database_url.as_deref(), &args.data_dir)?;
    tracing::info!(database = %database.describe(), "opening store");
    Store::open(database, args.pool_size)
}

fn migrate(args: &StoreArgs) -> Result<ExitCode, Error> {
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

fn serve(store_args: &StoreArgs, args: ServeArgs) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let verifier = Verifier::new(&args.auth.key_settings())?;
    if !verifier.has_keys() {
        tracing::warn!(
            "no token keys configured (--jwt-secret, --jwt-public-key or --jwks-file): only public entries can be read, nothing can be written"
        );
    }
    let store = open_store(store_args)?;
    if !args.no_seed
        && let Some(report) = import::seed_if_empty(&store, &args.catalogue_dir)?
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
    let search = Arc::new(Search::open(&store_args.index_dir(), WriterBudget::SERVE)?);
    let standard = load_standard(args.standard.as_deref())?;
    tracing::info!(
        standard = %standard.identity.name,
        version = %standard.identity.version,
        "versions are evaluated against this standard"
    );
    let state = web::Data::new(AppState {
        store,
        verifier,
        limits: args.limits.limits(),
        metrics: Metrics::default(),
        search,
        search_cache: ResultCache::new(args.search_cache),
        standard: Arc::new(standard),
        evaluator: Arc::default(),
    });
    keep_index_current(state.clone());
    state.clone().into_inner().evaluate_in_background();
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
                    "bind_failed",
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

fn import(store_args: &StoreArgs, args: ImportArgs) -> Result<ExitCode, Error> {
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
        limits: args.limits.limits(),
    };
    let store = open_store(store_args)?;
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
    let report = import::import(&store, &args.paths, &opts, &bar)?;
    bar.finish_and_clear();
    index_after_import(store_args, &store);
    // Versions imported may be what claims to implement contracts are checked against.
    match verify(&store, ClaimSet::All, Recheck::Stale, &opts.limits) {
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

/// Brings the index up to date in the background of `pac serve`: rebuilt when it is new or of
/// another layout, otherwise caught up from its watermark; then caught up every few seconds, for
/// writes made by `pac import` or by other servers on the same database.
fn keep_index_current(state: web::Data<AppState>) {
    std::thread::Builder::new()
        .name("search-indexer".into())
        .spawn(move || {
            let (search, store) = (&state.search, &state.store);
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
        .spawn(move || state.verify_claims(ClaimSet::All, Recheck::Stale))
        .map(|_| ())
        .unwrap_or_else(|e| tracing::error!(error = %e, "cannot start checking claims"));
}

/// How often `pac serve` looks for writes it did not make itself.
const INDEX_POLL: Duration = Duration::from_secs(5);

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

fn reindex(store_args: &StoreArgs, args: ReindexArgs) -> Result<ExitCode, Error> {
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

fn search(store_args: &StoreArgs, args: SearchArgs) -> Result<ExitCode, Error> {
    let query = SearchQuery {
        q: Some(args.query),
        kind: args.kind,
        org: args.org,
        org_kind: args.org_kind,
        lifecycle: args.lifecycle,
        tag: args.tag,
        format: args.spec_format,
        kitemark: args.kitemark,
        min_score: args.min_score.map(|m| m.to_string()),
        limit: Some(args.limit.to_string()),
        offset: Some(args.offset.to_string()),
    };
    let request = query.request()?;
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

fn diff(args: DiffArgs) -> Result<ExitCode, Error> {
    let limits = args.limits.limits();
    let loaded = import::load_path(&args.old, &limits)
        .and_then(|old| Ok((old, import::load_path(&args.new, &limits)?)));
    let (old, new) = match loaded {
        Ok(pair) => pair,
        Err(e) => {
            // Bad input is exit 2 whatever its kind: 1 means "breaking changes found".
            eprintln!("error[{}]: {e}", e.code());
            return Ok(ExitCode::from(2));
        }
    };
    let mut report = crate::compat::compare(&old.normalised, &new.normalised);
    crate::compat::locate(&mut report, &old, &new);
    let (old_name, new_name) = (
        args.old.display().to_string(),
        args.new.display().to_string(),
    );
    match args.format {
        DiffFormat::Text => print!(
            "{}",
            crate::compat::render::text(&report, &old_name, &new_name)
        ),
        DiffFormat::Markdown => print!(
            "{}",
            crate::compat::render::markdown(
                &report,
                &format!("Changes from {old_name} to {new_name}")
            )
        ),
        DiffFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "old": old_name,
                "new": new_name,
                "summary": {
                    "breaking": report.count(crate::compat::Level::Breaking),
                    "possibly_breaking": report.count(crate::compat::Level::PossiblyBreaking),
                    "non_breaking": report.count(crate::compat::Level::NonBreaking),
                },
                "changes": report.changes,
            }))
            .map_err(|e| Error::internal("report", e))?
        ),
    }
    let threshold =
        crate::compat::Level::parse(&args.fail_on).unwrap_or(crate::compat::Level::Breaking);
    Ok(if report.reaches(threshold) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn conform(store_args: &StoreArgs, args: ConformArgs) -> Result<ExitCode, Error> {
    let limits = args.limits.limits();
    let loaded = import::load_path(&args.file, &limits).and_then(|implementation| {
        let (name, contract) = load_contract(store_args, &args.contract, &limits)?;
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
    let report = crate::compat::conformance::conform_descriptions(&contract, &implementation);
    let name = args.file.display().to_string();
    match args.format {
        DiffFormat::Text => print!("{}", report.text(&contract_name, &name)),
        DiffFormat::Markdown => print!("{}", report.markdown(&contract_name, &name)),
        DiffFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "contract": contract_name,
                "implementation": name,
                "conformant": report.conformant,
                "met": report.met,
                "not_met": report.not_met,
                "requirements": report.requirements,
            }))
            .map_err(|e| Error::internal("report", e))?
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
    limits: &crate::spec::Limits,
) -> Result<(String, crate::spec::Description), Error> {
    let path = std::path::Path::new(given);
    if path.exists() {
        let contract = import::load_path(path, limits)?;
        if contract.operations.is_empty() {
            return Err(Error::invalid_at(
                "contract_empty",
                format!("the contract {given} has no operations: there is nothing to conform to"),
                "/paths",
            ));
        }
        return Ok((given.to_string(), contract));
    }
    let (slug, label) = given.split_once('@').unwrap_or((given, "latest"));
    if Slug::parse("contract", slug).is_err() {
        return Err(Error::invalid_at(
            "contract_not_found",
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
            "contract_not_found",
            format!(
                "--contract {given:?} is neither a file nor a contract: there is no store at {} to look it up in",
                file.display()
            ),
            "/contract",
        ));
    }
    let store = Store::open(database, 1)?;
    store.read(|c| {
        let contract = crate::store::contracts::find_visible(c, &Visible::All, slug)?
            .ok_or_else(|| {
                Error::invalid_at(
                    "contract_not_found",
                    format!(
                        "--contract {given:?} is not a file, and the store at {} has no contract {slug}",
                        store.database().describe()
                    ),
                    "/contract",
                )
            })?;
        let version = crate::store::contracts::get_version(c, &contract.contract, label)?;
        let desc = crate::ingest::stored::contract_description(c, &version, limits)?;
        Ok((format!("{slug} {}", version.version), desc))
    })
}

/// The standard `pac serve` evaluates against: a file, or the built-in one.
fn load_standard(path: Option<&std::path::Path>) -> Result<crate::standards::Ruleset, Error> {
    let ruleset = match path {
        Some(p) => crate::standards::Ruleset::from_file(p),
        None => crate::standards::Ruleset::built_in("police-api-standard"),
    }
    .map_err(|e| Error::invalid("standard_invalid", e.to_string()))?;
    if !ruleset.rules.iter().any(|r| r.guidance.is_some()) {
        return Err(Error::invalid(
            "standard_invalid",
            format!(
                "{}: no rule has x-pac level and category, so it cannot score or award the kitemark",
                ruleset.identity.name
            ),
        ));
    }
    Ok(ruleset)
}

fn lint(args: LintArgs) -> Result<ExitCode, Error> {
    use crate::standards::render::{self, FileResult};
    use crate::standards::{Ruleset, Severity};
    let ruleset = if crate::standards::ruleset::BUILT_IN
        .iter()
        .any(|(name, _)| *name == args.ruleset)
    {
        Ruleset::built_in(&args.ruleset)
    } else {
        Ruleset::from_file(std::path::Path::new(&args.ruleset))
    };
    let ruleset = match ruleset {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error[ruleset_invalid]: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let limits = args.limits.limits();
    let results = crate::standards::lint_files(&ruleset, &args.files, &limits);
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

fn pretty(v: &serde_json::Value) -> Result<String, Error> {
    serde_json::to_string_pretty(v)
        .map(|s| s + "\n")
        .map_err(|e| Error::internal("report", e))
}

fn token(args: TokenArgs) -> Result<ExitCode, Error> {
    let verifier = Verifier::new(&args.auth.key_settings())?;
    let ttl = parse_ttl(&args.ttl)?;
    if let Some(org) = &args.org {
        Slug::parse("org", org)?;
    }
    let now = jsonwebtoken::get_current_timestamp();
    let claims = Claims {
        sub: args.sub,
        org: args.org,
        roles: args.roles,
        exp: now + ttl.as_secs(),
        nbf: Some(now),
        iat: Some(now),
        iss: args.auth.jwt_issuer,
        aud: args.auth.jwt_audience.map(crate::auth::jwt::Audience::One),
    };
    println!("{}", verifier.mint(&claims)?);
    Ok(ExitCode::SUCCESS)
}

/// `3600`, `90s`, `30m`, `8h`, `7d`; at most 30 days.
pub fn parse_ttl(s: &str) -> Result<Duration, Error> {
    let bad = || {
        Error::invalid(
            "invalid_ttl",
            format!("--ttl {s:?}: use seconds or a number with s, m, h or d, at most 30d"),
        )
    };
    let s = s.trim();
    let (digits, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&s[..i], &s[i..]),
        None => (s, "s"),
    };
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let secs = match unit {
        "s" => n,
        "m" => n.checked_mul(60).ok_or_else(bad)?,
        "h" => n.checked_mul(3600).ok_or_else(bad)?,
        "d" => n.checked_mul(86_400).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    if secs == 0 || secs > 30 * 86_400 {
        return Err(bad());
    }
    Ok(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_units() {
        assert_eq!(parse_ttl("90").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_ttl("30m").unwrap(), Duration::from_secs(1800));
        assert_eq!(parse_ttl("8h").unwrap(), Duration::from_secs(28_800));
        for bad in ["", "0", "31d", "5w", "h", "-1"] {
            assert_eq!(parse_ttl(bad).unwrap_err().code(), "invalid_ttl", "{bad:?}");
        }
    }
}
