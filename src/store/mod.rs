//! The store: the single source of truth, in SQLite (embedded default) or PostgreSQL.
//!
//! One diesel connection type, [`Conn`], covers both backends (diesel's `MultiConnection`), so every
//! query below is written once. Queries are plain functions taking `&mut Conn`; `Store::write` runs one
//! transaction (a publish is exactly one). Migrations are embedded, one folder per dialect with the same
//! shape, and applied on open.
//!
//! SQLite allows one writer at a time; rather than let two write transactions race to upgrade their
//! locks (which SQLite answers with `SQLITE_BUSY` at once), writes to SQLite take a process-wide lock.

pub mod apis;
pub mod audit;
pub mod blobs;
pub mod contracts;
pub mod descriptions;
pub mod evaluations;
pub mod indexing;
pub mod interop;
pub mod organisations;
pub mod relations;
pub mod schema;
pub mod sessions;
pub mod systems;
pub mod tenders;
pub mod tiers;

pub mod versions;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use diesel::prelude::*;
use diesel::r2d2::{ManageConnection, Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::{Code, Error};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to whichever backend is configured.
#[derive(diesel::MultiConnection)]
pub enum Conn {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Where the store lives.
#[derive(Clone)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Database {
    /// PostgreSQL when a `postgres://` URL is given, else SQLite in `data_dir`.
    pub fn from_config(url: Option<&str>, data_dir: &Path) -> Result<Database, Error> {
        match url {
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                Ok(Database::Postgres(u.to_string()))
            }
            Some(u) => Err(Error::invalid(
                Code::InvalidDatabaseUrl,
                format!(
                    "database URL must start with postgres:// or postgresql:// (got one starting {:?}); leave it unset for the embedded SQLite store",
                    u.split(':').next().unwrap_or("")
                ),
            )),
            None => Ok(Database::Sqlite(data_dir.join("pac.sqlite3"))),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Database::Sqlite(_) => "sqlite",
            Database::Postgres(_) => "postgresql",
        }
    }

    /// A description safe to log: never the credentials of a URL.
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite(p) => format!("sqlite:{}", p.display()),
            Database::Postgres(url) => {
                // Neither the user and password before '@' nor the parameters after '?'.
                let after_scheme = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
                let without_params = after_scheme.split('?').next().unwrap_or(after_scheme);
                let host_part = without_params.rsplit('@').next().unwrap_or(without_params);
                format!("postgresql://{host_part}")
            }
        }
    }
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// Opens connections for the pool and sets SQLite up for concurrent readers.
pub struct Manager {
    database: Database,
}

impl ManageConnection for Manager {
    type Connection = Conn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<Conn, Self::Error> {
        use diesel::r2d2::Error as E;
        match &self.database {
            Database::Postgres(url) => diesel::PgConnection::establish(url)
                .map(Conn::Postgresql)
                .map_err(E::ConnectionError),
            Database::Sqlite(path) => {
                let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy())
                    .map_err(E::ConnectionError)?;
                // busy_timeout first: the pool opens connections concurrently. WAL itself is set
                // once, in `Store::open`, as it is a property of the file.
                diesel::connection::SimpleConnection::batch_execute(
                    &mut conn,
                    "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                )
                .map_err(E::QueryError)?;
                Ok(Conn::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), Self::Error> {
        diesel::r2d2::R2D2Connection::ping(conn).map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

pub type Pooled = PooledConnection<Manager>;

/// Cloning a store is cheap: the clones share the pool and the writer lock.
#[derive(Clone)]
pub struct Store {
    pool: Pool<Manager>,
    database: Database,
    sqlite_writer: std::sync::Arc<Mutex<()>>,
}

impl Store {
    /// Opens the store, creating the SQLite file and its folder if needed, and applies pending migrations.
    pub fn open(database: Database, pool_size: u32) -> Result<Store, Error> {
        if let Database::Sqlite(path) = &database
            && let Some(dir) = path.parent()
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                Error::invalid(
                    Code::DataDirUnusable,
                    format!("cannot create data directory {}: {e}", dir.display()),
                )
            })?;
        }
        if let Database::Sqlite(path) = &database {
            let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy())
                .map_err(|e| Error::Unavailable(format!("cannot open {}: {e}", path.display())))?;
            diesel::connection::SimpleConnection::batch_execute(
                &mut conn,
                "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;",
            )
            .map_err(|e| Error::Unavailable(format!("cannot open {}: {e}", path.display())))?;
        }
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            .connection_timeout(Duration::from_secs(10))
            .build(Manager {
                database: database.clone(),
            })
            .map_err(|e| Error::Unavailable(format!("cannot open {}: {e}", database.describe())))?;
        let store = Store {
            pool,
            database,
            sqlite_writer: std::sync::Arc::new(Mutex::new(())),
        };
        store.migrate()?;
        Ok(store)
    }

    pub fn database(&self) -> &Database {
        &self.database
    }

    /// Applies pending migrations; returns how many ran.
    pub fn migrate(&self) -> Result<usize, Error> {
        let mut conn = self.conn()?;
        let applied = match &mut *conn {
            Conn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
            Conn::Postgresql(c) => c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len()),
        };
        applied.map_err(|e| Error::internal("migrations", e))
    }

    pub fn conn(&self) -> Result<Pooled, Error> {
        Ok(self.pool.get()?)
    }

    /// Runs read-only work on a pooled connection.
    pub fn read<T>(&self, f: impl FnOnce(&mut Conn) -> Result<T, Error>) -> Result<T, Error> {
        let mut conn = self.conn()?;
        f(&mut conn)
    }

    /// Runs `f` in one transaction: all of it is stored, or none of it.
    pub fn write<T>(&self, f: impl FnOnce(&mut Conn) -> Result<T, Error>) -> Result<T, Error> {
        let mut conn = self.conn()?;
        let _guard = match self.database {
            Database::Sqlite(_) => {
                Some(self.sqlite_writer.lock().unwrap_or_else(|p| p.into_inner()))
            }
            Database::Postgres(_) => None,
        };
        let conn: &mut Conn = &mut conn;
        conn.transaction(f)
    }

    /// True when the database answers.
    pub fn ping(&self) -> Result<(), Error> {
        let mut conn = self.conn()?;
        diesel::r2d2::R2D2Connection::ping(&mut *conn).map_err(|e| {
            tracing::error!(error.cause = %e, "database does not answer");
            Error::Unavailable("the database does not answer".to_string())
        })
    }
}

/// The current time as stored: UTC, microseconds (what both backends keep).
pub fn now() -> chrono::NaiveDateTime {
    use chrono::{SubsecRound, Utc};
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// Pagination every list takes: `limit` (1 to 500, default 50) and `offset`.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

impl Page {
    pub const MAX_LIMIT: i64 = 500;

    pub fn new(limit: Option<i64>, offset: Option<i64>) -> Result<Page, Error> {
        let limit = limit.unwrap_or(50);
        let offset = offset.unwrap_or(0);
        if !(1..=Self::MAX_LIMIT).contains(&limit) {
            return Err(Error::invalid_at(
                Code::InvalidLimit,
                format!(
                    "limit must be between 1 and {}, got {limit}",
                    Self::MAX_LIMIT
                ),
                "/limit",
            ));
        }
        if offset < 0 {
            return Err(Error::invalid_at(
                Code::InvalidOffset,
                format!("offset must not be negative, got {offset}"),
                "/offset",
            ));
        }
        Ok(Page { limit, offset })
    }
}

/// One page of a list and the total across all pages.
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: i64,
}

diesel::define_sql_function! {
    /// SQL `lower()`, the same on both backends.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// A `LIKE` pattern matching `needle` anywhere, with the wildcards in it escaped.
pub fn contains_pattern(needle: &str) -> String {
    let mut out = String::with_capacity(needle.len() + 2);
    out.push('%');
    for c in needle.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Runs the same diesel code on the concrete connection inside [`Conn`], for the few statements that
/// `MultiConnection` cannot express itself (multi-row INSERTs).
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::store::Conn::Sqlite($c) => $body,
            $crate::store::Conn::Postgresql($c) => $body,
        }
    };
}
pub(crate) use per_backend;

/// The visibility policy ([`crate::auth::policy::Visible`]) as a WHERE clause over any table with
/// `visibility` and `organisation_id` columns. Every query over APIs and systems filters with it;
/// `None` means no restriction (admins).
macro_rules! visible_clause {
    ($table:ident, $visible:expr) => {{
        use $crate::auth::policy::Visible;
        use $crate::store::schema::{organisations, $table};
        type Clause = Box<
            dyn diesel::BoxableExpression<
                    $table::table,
                    $crate::store::MultiBackend,
                    SqlType = diesel::sql_types::Bool,
                >,
        >;
        match $visible {
            Visible::All => None::<Clause>,
            Visible::Levels { policing, own_org } => {
                let mut levels = vec!["public"];
                if *policing {
                    levels.push("policing");
                }
                let shown = $table::visibility.eq_any(levels);
                Some(match own_org {
                    Some(org) => Box::new(
                        shown.or($table::visibility.eq("restricted").and(
                            $table::organisation_id.eq_any(
                                organisations::table
                                    .filter(organisations::slug.eq(org.as_str().to_string()))
                                    .select(organisations::id),
                            ),
                        )),
                    ) as Clause,
                    None => Box::new(shown) as Clause,
                })
            }
        }
    }};
}
pub(crate) use visible_clause;
