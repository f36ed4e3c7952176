//! The service around the catalogue: health, readiness, metrics, its own OpenAPI document and docs
//! page, the schema against the migrations, and the command line's help and tokens.

use std::process::Command;

use actix_web::test::TestRequest;
use diesel::prelude::*;
use diesel_migrations::MigrationHarness;
use pac::store::Conn;
use pac::store::schema::*;

use crate::support::*;

on_both_backends! {
    async fn health_readiness_and_metrics(t: TestApp) {
        let app = t.service().await;
        assert_eq!(send(&app, TestRequest::get().uri("/healthz")).await.body["status"], "ok");
        assert_eq!(send(&app, TestRequest::get().uri("/readyz")).await.body["status"], "ready");
        send(&app, TestRequest::get().uri("/api/v1/nothing-here")).await;
        // A known path with an unknown method: 405 and what is allowed.
        let r = send(&app, TestRequest::delete().uri("/api/v1/apis/anything")).await;
        assert_problem(&r, 405, "method_not_allowed");
        assert!(r.body["detail"].as_str().unwrap().contains("GET, PATCH"));
        let r = send(&app, TestRequest::put().uri("/healthz")).await;
        assert_problem(&r, 405, "method_not_allowed");
        // Control characters in URLs never reach a handler (PostgreSQL would refuse NUL).
        for url in ["/api/v1/apis?q=%00", "/api/v1/apis/a%00b", "/api/v1/apis?tag=x%1Fy"] {
            let r = send(&app, TestRequest::get().uri(url)).await;
            assert_problem(&r, 400, "invalid_url");
        }
        let r = send(&app, TestRequest::get().uri("/metrics")).await;
        let text = r.body.as_str().unwrap().to_string();
        assert!(text.contains("pac_http_requests_total{status=\"4xx\"} 6"), "{text}");
        assert!(text.contains("pac_catalogue_entries{kind=\"public_apis\"} 0"), "{text}");
    }
}

#[actix_web::test]
async fn the_openapi_document_is_stable() {
    let t = TestApp::new(Backend::Sqlite).unwrap();
    let app = t.service().await;
    let r = send(&app, TestRequest::get().uri("/api/v1/openapi.json")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["openapi"], "3.1.0");
    insta::assert_json_snapshot!("openapi", r.body);
    let r = send(&app, TestRequest::get().uri("/docs/")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.content_type.starts_with("text/html"));
    let r = send(&app, TestRequest::get().uri("/")).await;
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("text/html"));
    assert!(r.body.as_str().unwrap().contains(r#"action="/search""#));
}

#[actix_web::test]
async fn error_bodies_are_stable() {
    let t = TestApp::new(Backend::Sqlite).unwrap();
    let app = t.service().await;
    let r = send(&app, TestRequest::get().uri("/api/v1/apis/no-such-api")).await;
    insta::assert_json_snapshot!("not_found", r.body);
    let r = send(&app, TestRequest::get().uri("/api/v1/apis?limit=9999")).await;
    insta::assert_json_snapshot!("invalid_limit", r.body);
}

/// Every column of `schema.rs` exists in the migrated database, and the migrations revert cleanly.
fn check_schema(conn: &mut Conn) {
    organisations::table
        .select(organisations::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    systems::table
        .select(systems::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    apis::table
        .select(apis::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    api_tags::table
        .select(api_tags::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    blobs::table
        .select(blobs::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    api_versions::table
        .select(api_versions::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    version_files::table
        .select(version_files::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    operations::table
        .select(operations::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    schemas::table
        .select(schemas::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    audit_log::table
        .select(audit_log::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    evaluations::table
        .select(evaluations::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    contracts::table
        .select(contracts::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    contract_versions::table
        .select(contract_versions::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    contract_files::table
        .select(contract_files::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    implementations::table
        .select(implementations::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    consumptions::table
        .select(consumptions::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    sessions::table
        .select(sessions::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    tenders::table
        .select(tenders::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    tender_packs::table
        .select(tender_packs::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    bids::table
        .select(bids::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    bid_files::table
        .select(bid_files::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
    bid_scores::table
        .select(bid_scores::all_columns)
        .limit(0)
        .execute(conn)
        .unwrap();
}

on_both_backends! {
    async fn schema_matches_migrations_and_they_revert(t: TestApp) {
        let mut conn = t.state.catalogue.store.conn().unwrap();
        check_schema(&mut conn);
        let reverted = match &mut *conn {
            Conn::Sqlite(c) => c.revert_all_migrations(pac::store::SQLITE_MIGRATIONS).map(|v| v.len()),
            Conn::Postgresql(c) => c.revert_all_migrations(pac::store::POSTGRES_MIGRATIONS).map(|v| v.len()),
        }
        .unwrap();
        assert_eq!(reverted, MIGRATIONS, "every migration reverts");
        drop(conn);
        assert_eq!(t.state.catalogue.store.migrate().unwrap(), MIGRATIONS);
        assert_eq!(t.state.catalogue.store.migrate().unwrap(), 0, "nothing is left to apply");
        check_schema(&mut t.state.catalogue.store.conn().unwrap());
    }
}

/// The migrations there are, in each dialect's folder. A new migration changes this on purpose.
const MIGRATIONS: usize = 9;

#[test]
fn both_dialects_have_the_same_migrations() {
    let names = |dialect: &str| -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(dialect);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .filter(|e| e.path().join("up.sql").is_file() && e.path().join("down.sql").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names("sqlite").len(), MIGRATIONS);
    assert_eq!(names("sqlite"), names("postgres"));
}

#[test]
fn pac_migrate_applies_every_migration_once() {
    let data = tempfile::tempdir().unwrap();
    let migrate = || {
        Command::new(env!("CARGO_BIN_EXE_pac"))
            .args(["migrate", "--data-dir"])
            .arg(data.path())
            .env_remove("PAC_DATABASE_URL")
            .output()
            .unwrap()
    };
    let out = migrate();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("0 pending"), "{said}");
    assert!(data.path().join("pac.sqlite3").is_file());
    let store = pac::store::Store::open(
        pac::store::Database::Sqlite(data.path().join("pac.sqlite3")),
        1,
    )
    .unwrap();
    let applied: i64 = store
        .read(|c| {
            Ok(
                diesel::sql_query("SELECT COUNT(*) AS n FROM __diesel_schema_migrations")
                    .get_result::<Count>(c)?
                    .n,
            )
        })
        .unwrap();
    assert_eq!(applied as usize, MIGRATIONS);
    // Again: nothing to do, and still a success.
    let out = migrate();
    assert!(out.status.success());
    // A database URL that is not PostgreSQL's is refused, naming the problem: exit 2.
    let out = Command::new(env!("CARGO_BIN_EXE_pac"))
        .args(["migrate", "--database-url", "mysql://x@y/z"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid_database_url"));
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Every path the service's OpenAPI document gives, with every method, answers at that very
/// address: never 404 (the document once listed `/apis` while the service answered under
/// `/api/v1`) and never 405; reads of the seeded entities succeed.
#[actix_web::test]
async fn every_documented_path_answers() {
    let t = TestApp::new(Backend::Sqlite).unwrap();
    let catalogue = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue");
    pac::ingest::import::seed_if_empty(&t.state.catalogue, &catalogue)
        .unwrap()
        .expect("seeded");
    let app = t.service().await;
    let admin = t.admin();
    // A use, so that one can be read and removed.
    let r = send(
        &app,
        TestRequest::put()
            .uri("/api/v1/systems/police-uk-website/consumes/data-police-uk")
            .insert_header(bearer(&admin))
            .set_json(serde_json::json!({"purpose": "a test"})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    // A published tender with a bid, so that the tender paths have something to read.
    let pack = "id: t\nversion: 1.0.0\ntitle: T\nbuyer: police.uk\nrequirements:\n  - {id: API-1, level: MUST, text: Implements it., contract: {slug: force-open-data, version: 1.0.0}}\n  - {id: API-2, level: SHOULD, weight: 10, text: A sandbox., manual: {scale: 0-4}}\n";
    let setup = [
        (
            "/api/v1/tenders",
            "application/json".to_owned(),
            r#"{"slug": "custody-test", "title": "Custody", "buyer": "police-uk"}"#.to_owned(),
        ),
        (
            "/api/v1/tenders/custody-test/packs",
            "application/yaml".to_owned(),
            pack.to_owned(),
        ),
        (
            "/api/v1/tenders/custody-test/lifecycle",
            "application/json".to_owned(),
            r#"{"lifecycle": "published"}"#.to_owned(),
        ),
    ];
    for (uri, media_type, body) in setup {
        let r = send(
            &app,
            TestRequest::post()
                .uri(uri)
                .insert_header(bearer(&admin))
                .insert_header(("content-type", media_type))
                .set_payload(body),
        )
        .await;
        assert!(r.status.is_success(), "{uri}: {}", r.body);
    }
    let description =
        std::fs::read_to_string(catalogue.join("apis/police-uk/data-police-uk/1.0.1/openapi.yaml"))
            .unwrap();
    let r = send(
        &app,
        TestRequest::put()
            .uri("/api/v1/tenders/custody-test/bids/police-uk/descriptions/api.yaml")
            .insert_header(bearer(&admin))
            .insert_header(("content-type", "application/yaml"))
            .set_payload(description),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let doc = send(&app, TestRequest::get().uri("/api/v1/openapi.json"))
        .await
        .body;
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() > 30, "{} paths", paths.len());
    let mut requests = Vec::new();
    for (template, item) in paths {
        let contract_path = template.starts_with("/api/v1/contracts")
            || template.contains("/implements/")
            || template.starts_with("/api/v1/tenders");
        let uri = template
            .replace("{tender}", "custody-test")
            .replace("{supplier}", "police-uk")
            .replace("{name}", "api.yaml")
            .replace("{requirement}", "API-2")
            .replace("{org}", "police-uk")
            .replace("{system}", "police-uk-website")
            .replace("{api}", "data-police-uk")
            .replace("{contract}", "force-open-data")
            .replace("{version}", if contract_path { "1.0.0" } else { "latest" });
        assert!(
            !uri.contains('{'),
            "a path parameter this test does not know: {template}"
        );
        // The seeded API has one version: compare it with itself.
        let uri = if uri.ends_with("/diff") {
            uri + "?from=latest"
        } else {
            uri
        };
        for method in item.as_object().unwrap().keys() {
            requests.push((method.clone(), uri.clone()));
        }
    }
    // Reads first, then writes, deletions last (they remove what the reads need).
    // Withdrawing the bid deletes its descriptions: after everything else.
    let rank = |m: &str, u: &str| match m {
        _ if u.ends_with("/withdraw") => 3,
        "get" => 0,
        "delete" => 2,
        _ => 1,
    };
    requests.sort_by_key(|(m, u)| (rank(m, u), u.clone()));
    for (method, uri) in requests {
        let req = match method.as_str() {
            "get" => TestRequest::get(),
            "post" => TestRequest::post(),
            "put" => TestRequest::put(),
            "patch" => TestRequest::patch(),
            "delete" => TestRequest::delete(),
            other => panic!("{other} {uri}: a method this test does not know"),
        }
        .uri(&uri)
        .insert_header(bearer(&admin))
        .insert_header(("content-type", "application/json"))
        .set_payload("{}");
        let r = send(&app, req).await;
        let status = r.status.as_u16();
        assert!(
            status != 404 && status != 405 && status < 500,
            "{method} {uri}: {status} {}",
            r.body
        );
        if method == "get" {
            assert!(r.status.is_success(), "{method} {uri}: {status} {}", r.body);
        }
    }
}

#[test]
fn help_documents_every_flag_with_its_environment_variable() {
    let out = Command::new(env!("CARGO_BIN_EXE_pac"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for env in [
        "PAC_BIND",
        "PAC_DATA_DIR",
        "PAC_DATABASE_URL",
        "PAC_JWT_SECRET",
        "PAC_MAX_DOCUMENT_BYTES",
        "PAC_CATALOGUE_DIR",
    ] {
        assert!(help.contains(env), "serve --help lacks {env}");
    }
    let secret = "a-secret-that-must-never-be-printed-123456";
    let out = Command::new(env!("CARGO_BIN_EXE_pac"))
        .args(["serve", "--help"])
        .env("PAC_JWT_SECRET", secret)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains(secret));
}

#[test]
fn tokens_are_minted_only_with_a_secret() {
    let out = Command::new(env!("CARGO_BIN_EXE_pac"))
        .args([
            "token",
            "--sub",
            "alice",
            "--org",
            "met",
            "--role",
            "publisher",
            "--ttl",
            "10m",
        ])
        .env_remove("PAC_JWT_SECRET")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("jwt_secret_missing"));
    let out = Command::new(env!("CARGO_BIN_EXE_pac"))
        .args([
            "token",
            "--sub",
            "alice",
            "--org",
            "met",
            "--role",
            "publisher",
        ])
        .env("PAC_JWT_SECRET", SECRET)
        .output()
        .unwrap();
    assert!(out.status.success());
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let verifier = pac::auth::jwt::Verifier::new(&pac::auth::jwt::KeySettings {
        hs256_secret: Some(SECRET.into()),
        ..Default::default()
    })
    .unwrap();
    let pac::auth::Principal::User(user) = verifier.verify(&token).unwrap() else {
        panic!("a user")
    };
    assert_eq!(user.sub, "alice");
}
