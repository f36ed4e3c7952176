//! What each `pac` command does, given its parsed configuration. `main.rs` only parses and calls
//! [`run`]; errors come back here as `Error` and leave as a message naming the problem and its code,
//! with exit status 1 (2 for usage and configuration errors).

mod check;
mod import;
mod search;
mod serve;
mod tender;
mod token;

use std::process::ExitCode;

use crate::config::{Cli, Command, StoreArgs};
use crate::error::Error;
use crate::store::{Database, Store};

pub use check::{lint_files, lint_path, ruleset_file};
pub use token::parse_ttl;

pub fn run(cli: Cli) -> ExitCode {
    init_logging(&cli.log);
    let result = match cli.command {
        Command::Serve(args) => serve::serve(&cli.store, *args),
        Command::Migrate => serve::migrate(&cli.store),
        Command::Import(args) => import::import(&cli.store, args),
        Command::Token(args) => token::token(args),
        Command::Search(args) => search::search(&cli.store, args),
        Command::Reindex(args) => search::reindex(&cli.store, args),
        Command::Diff(args) => check::diff(args),
        Command::Lint(args) => check::lint(args),
        Command::Conform(args) => check::conform(&cli.store, args),
        Command::Tender(command) => tender::run(command),
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

pub(crate) fn open_store(args: &StoreArgs) -> Result<Store, Error> {
    let database = Database::from_config(args.database_url.as_deref(), &args.data_dir)?;
    tracing::info!(database = %database.describe(), "opening store");
    Store::open(database, args.pool_size)
}

/// JSON for people and scripts alike: indented, with a final newline.
pub(crate) fn pretty(v: &impl serde::Serialize) -> Result<String, Error> {
    serde_json::to_string_pretty(v)
        .map(|s| s + "\n")
        .map_err(|e| Error::internal("report", e))
}
