//! Test support: a fresh store per test (a temp SQLite file, or a new database in PostgreSQL) and the
//! real app built by `create_app`, driven in-process.
//!
//! PostgreSQL comes from `PAC_TEST_DATABASE_URL` when set, else from a temporary cluster started once
//! per test binary when PostgreSQL's binaries are installed (as the `postgres` user when running as
//! root). Where neither is available the PostgreSQL variants print a loud SKIPPED line and return,
//! or fail under `PAC_REQUIRE_ALL=1` (CI).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::{test, web};
use pac::auth::jwt::{Claims, KeySettings, Verifier};
use pac::auth::session::SignInSettings;
use pac::search::{Search, WriterBudget};
use pac::store::{Database, Store};
use pac::usecase::Catalogue;
use pac::{AppState, create_app};
use pac_spec::Limits;
use serde_json::Value;

pub const SECRET: &str = "integration-test-secret-0123456789abcdef";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A store of its own for one test; dropping it removes the SQLite folder or the PostgreSQL database.
pub struct TestStore {
    pub database: Database,
    _dir: Option<tempfile::TempDir>,
    pg_drop: Option<(String, String)>,
}

impl Drop for TestStore {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.pg_drop.take() {
            let _ = psql(
                &admin_url,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

impl TestStore {
    /// None (after saying so loudly) when PostgreSQL is wanted but not available.
    pub fn new(backend: Backend) -> Option<TestStore> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                Some(TestStore {
                    database: Database::Sqlite(dir.path().join("pac.sqlite3")),
                    _dir: Some(dir),
                    pg_drop: None,
                })
            }
            Backend::Postgres => {
                let Some(admin_url) = postgres_admin_url() else {
                    pac_testkit::skip(
                        "the PostgreSQL variant of this test",
                        "set PAC_TEST_DATABASE_URL or install PostgreSQL's server binaries",
                    );
                    return None;
                };
                static N: AtomicU32 = AtomicU32::new(0);
                let name = format!(
                    "pac_test_{}_{}",
                    std::process::id(),
                    N.fetch_add(1, Ordering::Relaxed)
                );
                psql(&admin_url, &format!("CREATE DATABASE {name}")).expect("create test database");
                Some(TestStore {
                    database: Database::Postgres(with_database(&admin_url, &name)),
                    _dir: None,
                    pg_drop: Some((admin_url, name)),
                })
            }
        }
    }

    pub fn open(&self) -> Store {
        Store::open(self.database.clone(), 4).expect("open store")
    }
}

/// Replaces the database name of a postgres URL (`postgres://u@h:p/db?x` or `postgresql:///db?host=…`).
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{}", &base[..path_start], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

fn psql(url: &str, sql: &str) -> Result<(), String> {
    use diesel::Connection;
    use diesel::connection::SimpleConnection;
    let mut conn = diesel::PgConnection::establish(url).map_err(|e| e.to_string())?;
    conn.batch_execute(sql).map_err(|e| e.to_string())
}

fn postgres_admin_url() -> Option<String> {
    static URL: OnceLock<Option<String>> = OnceLock::new();
    URL.get_or_init(|| {
        if let Ok(url) = std::env::var("PAC_TEST_DATABASE_URL") {
            return Some(url);
        }
        match start_cluster() {
            Ok(url) => Some(url),
            Err(why) => {
                pac_testkit::skip(
                    "the PostgreSQL variants",
                    &format!("no temporary PostgreSQL cluster: {why}"),
                );
                None
            }
        }
    })
    .clone()
}

fn find_pg_bin(name: &str) -> Option<PathBuf> {
    if let Ok(out) = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
    {
        let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !p.is_empty() {
            return Some(PathBuf::from(p));
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.path().join("bin").join(name))
        .filter(|p| p.exists())
        .collect();
    found.sort();
    found.pop()
}

/// Starts a throwaway cluster listening on a Unix socket only; a watchdog stops it and removes its
/// files once this test process has exited.
fn start_cluster() -> Result<String, String> {
    let initdb = find_pg_bin("initdb").ok_or("initdb not found")?;
    let pg_ctl = find_pg_bin("pg_ctl").ok_or("pg_ctl not found")?;
    let dir = std::env::temp_dir().join(format!("pac-pg-{}", std::process::id()));
    let data = dir.join("data");
    let socket = dir.join("socket");
    std::fs::create_dir_all(&socket).map_err(|e| e.to_string())?;
    let as_root = is_root();
    if as_root {
        let owner = Command::new("id")
            .args(["-u", "postgres"])
            .output()
            .map_err(|e| e.to_string())?;
        if !owner.status.success() {
            return Err("running as root and there is no postgres user to run the server".into());
        }
        let status = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&dir)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err("cannot chown the cluster folder to postgres".into());
        }
    }
    let run = |program: &Path, args: &[&str]| -> Result<(), String> {
        let mut cmd = if as_root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        let out = cmd.args(args).output().map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{} failed: {}",
                program.display(),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    };
    let data_s = data.to_string_lossy().into_owned();
    run(
        &initdb,
        &[
            "-D",
            &data_s,
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
        ],
    )?;
    let opts = format!(
        "-c listen_addresses='' -c unix_socket_directories={} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
        socket.display()
    );
    let log = dir.join("log").to_string_lossy().into_owned();
    run(
        &pg_ctl,
        &["-D", &data_s, "-o", &opts, "-l", &log, "-w", "start"],
    )?;
    let stop = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {runas}{pg_ctl} -D {data} -m immediate stop >/dev/null 2>&1; rm -rf {dir}",
        pid = std::process::id(),
        runas = if as_root {
            "runuser -u postgres -- "
        } else {
            ""
        },
        pg_ctl = pg_ctl.display(),
        data = data.display(),
        dir = dir.display(),
    );
    Command::new("sh")
        .arg("-c")
        .arg(stop)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    Ok(format!(
        "postgresql:///postgres?host={}&user=postgres",
        socket.display()
    ))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// The app on a fresh store, plus a way to mint tokens for it.
pub struct TestApp {
    pub state: web::Data<AppState>,
    _index_dir: tempfile::TempDir,
    _store: TestStore,
}

impl TestApp {
    pub fn new(backend: Backend) -> Option<TestApp> {
        Self::with_limits(backend, Limits::default())
    }

    pub fn with_limits(backend: Backend, limits: Limits) -> Option<TestApp> {
        Self::build(backend, limits, SignInSettings::default())
    }

    /// The app with these sign-in settings (cookies, OpenID Connect).
    pub fn with_sign_in(backend: Backend, sign_in: SignInSettings) -> Option<TestApp> {
        Self::build(backend, Limits::default(), sign_in)
    }

    fn build(backend: Backend, limits: Limits, sign_in: SignInSettings) -> Option<TestApp> {
        let test_store = TestStore::new(backend)?;
        let store = test_store.open();
        let verifier = Verifier::new(&KeySettings {
            hs256_secret: Some(SECRET.into()),
            ..Default::default()
        })
        .expect("verifier");
        let index_dir = tempfile::tempdir().expect("temp dir");
        let search = Search::open(index_dir.path(), WriterBudget::SERVE).expect("open index");
        let search = std::sync::Arc::new(search);
        let standard = std::sync::Arc::new(
            pac_lint::Ruleset::built_in("police-api-standard").expect("standard"),
        );
        let catalogue = Catalogue::new(store, limits, standard).with_search(search.clone());
        let state = web::Data::new(AppState {
            catalogue,
            verifier,
            metrics: Default::default(),
            search,
            // On, so that every search test also checks that cached answers stay correct.
            search_cache: pac::search::cache::ResultCache::new(256),
            sign_in,
        });
        Some(TestApp {
            state,
            _index_dir: index_dir,
            _store: test_store,
        })
    }

    pub async fn service(
        &self,
    ) -> impl Service<
        actix_http::Request,
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
    > {
        test::init_service(create_app(self.state.clone())).await
    }

    pub fn token(&self, sub: &str, org: Option<&str>, roles: &[&str]) -> String {
        let now = jsonwebtoken::get_current_timestamp();
        self.state
            .verifier
            .mint(&Claims {
                sub: sub.into(),
                org: org.map(Into::into),
                roles: roles.iter().map(|r| r.to_string()).collect(),
                exp: now + 600,
                nbf: None,
                iat: Some(now),
                iss: None,
                aud: None,
            })
            .expect("mint")
    }

    pub fn admin(&self) -> String {
        self.token("root", Some("home-office"), &["admin"])
    }
}

/// A response's status, content type and body (JSON when it parses, else a string).
pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Value,
    pub bytes: Vec<u8>,
}

pub async fn send<S, B>(app: &S, req: test::TestRequest) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let res = test::call_service(app, req.to_request()).await;
    let status = res.status();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = test::read_body(res).await.to_vec();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    Reply {
        status,
        content_type,
        body,
        bytes,
    }
}

/// Publishes `body` (YAML) as a version of `slug`, labelled `version` or by its `info.version`.
pub async fn publish_version<S, B>(
    app: &S,
    token: &str,
    slug: &str,
    version: Option<&str>,
    body: &str,
) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let query = version.map(|v| format!("?version={v}")).unwrap_or_default();
    send(app, publish(token, slug, &query, "application/yaml", body)).await
}

/// A request publishing `body` as a version of `api`; `query` is "" or starts with `?`.
pub fn publish(
    token: &str,
    api: &str,
    query: &str,
    content_type: &str,
    body: impl Into<Vec<u8>>,
) -> test::TestRequest {
    test::TestRequest::post()
        .uri(&format!("/api/v1/apis/{api}/versions{query}"))
        .insert_header(bearer(token))
        .insert_header(("content-type", content_type.to_string()))
        .set_payload(body.into())
}

pub fn bearer(token: &str) -> (&'static str, String) {
    ("Authorization", format!("Bearer {token}"))
}

/// Asserts a problem+json answer with this status and code, and returns its body.
#[track_caller]
pub fn assert_problem(reply: &Reply, status: u16, code: &str) -> Value {
    assert_eq!(
        reply.status.as_u16(),
        status,
        "status; body: {}",
        reply.body
    );
    assert!(
        reply.content_type.starts_with("application/problem+json"),
        "content type {:?}",
        reply.content_type
    );
    assert_eq!(reply.body["code"], code, "body: {}", reply.body);
    assert_eq!(reply.body["status"], status);
    reply.body.clone()
}

/// Declares an async test that runs once on SQLite and once on PostgreSQL.
macro_rules! on_both_backends {
    ($(#[$meta:meta])* async fn $name:ident($app:ident: TestApp) $body:block) => {
        mod $name {
            use super::*;

            async fn run($app: TestApp) $body

            #[actix_web::test]
            async fn sqlite() {
                run(TestApp::new(Backend::Sqlite).expect("sqlite is always there")).await
            }

            #[actix_web::test]
            async fn postgres() {
                if let Some(app) = TestApp::new(Backend::Postgres) {
                    run(app).await
                }
            }
        }
    };
}
pub(crate) use on_both_backends;
