//! The compatibility engine against hand-written pairs (tests/fixtures/compat/*/{old,new,expect}.yaml):
//! each pair's worst level and its exact set of change ids.

use std::collections::BTreeSet;
use std::path::Path;

use pac_compat::Level;
use pac_spec::load_file as load_path;
use serde::Deserialize;

#[derive(Deserialize)]
struct Expect {
    verdict: String,
    ids: Vec<String>,
}

#[test]
fn every_fixture_pair_gets_its_verdict_and_ids() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compat");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/fixtures/compat")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expect.yaml").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 60, "only {} fixture pairs", dirs.len());
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let expect: Expect =
            serde_saphyr::from_str(&std::fs::read_to_string(dir.join("expect.yaml")).unwrap())
                .unwrap_or_else(|e| panic!("{name}/expect.yaml: {e}"));
        let limits = Default::default();
        let old = load_path(&dir.join("old.yaml"), &limits)
            .unwrap_or_else(|e| panic!("{name}/old.yaml: {e}"));
        let new = load_path(&dir.join("new.yaml"), &limits)
            .unwrap_or_else(|e| panic!("{name}/new.yaml: {e}"));
        let mut report = pac_compat::compare(&old.normalised, &new.normalised);
        pac_compat::locate(&mut report, &old, &new);
        let got: BTreeSet<&str> = report.changes.iter().map(|c| c.id).collect();
        let want: BTreeSet<&str> = expect.ids.iter().map(String::as_str).collect();
        let verdict = report.worst().map_or("none", Level::as_str);
        if got != want || verdict != expect.verdict {
            failures.push(format!(
                "{name}: expected {} {want:?}, got {verdict} {got:?}",
                expect.verdict
            ));
        }
        // Every change names where it is, in the document it concerns.
        for c in &report.changes {
            let doc = match c.side {
                pac_compat::Side::Old => &old.normalised,
                pac_compat::Side::New => &new.normalised,
            };
            let parent = c.pointer.rsplit_once('/').map_or("", |(p, _)| p);
            let at = c.location.as_ref().expect("a location in the original");
            assert!(at.line.unwrap() >= 1 && at.column.unwrap() >= 1);
            assert!(
                doc.pointer(&c.pointer).is_some() || doc.pointer(parent).is_some(),
                "{name}: {} points at {} which is not in the {:?} document",
                c.id,
                c.pointer,
                c.side
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} pairs differ:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}

/// Line and column are those of the ORIGINAL file, also when it is Swagger 2.0.
#[test]
fn changes_point_at_lines_of_the_original_files() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.yaml");
    let new = dir.path().join("new.yaml");
    std::fs::write(&old, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n  /b:\n    get:\n      responses: {'200': {description: ok}}\n").unwrap();
    std::fs::write(&new, "swagger: '2.0'\ninfo: {title: t, version: '2'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, required: true, type: string}\n      responses: {'200': {description: ok}}\n").unwrap();
    let limits = Default::default();
    let (a, b) = (
        load_path(&old, &limits).unwrap(),
        load_path(&new, &limits).unwrap(),
    );
    let mut report = pac_compat::compare(&a.normalised, &b.normalised);
    pac_compat::locate(&mut report, &a, &b);
    let at = |id: &str| {
        let c = report
            .changes
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("{id}: {report:?}"));
        let l = c.location.as_ref().unwrap();
        (l.file.clone().unwrap(), l.line.unwrap(), l.column.unwrap())
    };
    assert_eq!(
        at("operation-removed"),
        ("old.yaml".to_string(), 8, 5),
        "GET /b, in the old file"
    );
    assert_eq!(
        at("request-parameter-required-added"),
        ("new.yaml".to_string(), 7, 11),
        "the 2.0 parameter"
    );
}

mod http {
    use actix_web::test::TestRequest;

    use crate::catalogue::{create_api, create_org};
    use crate::support::*;
    use crate::{CUSTODY_V1, CUSTODY_V1_1};

    on_both_backends! {
        async fn two_stored_versions_compare_over_http(t: TestApp) {
            let app = t.service().await;
            let admin = t.admin();
            create_org(&app, &admin, "met", "force").await;
            let met = t.token("alice", Some("met"), &["publisher"]);
            assert_eq!(create_api(&app, &met, "custody", "met", "restricted").await.status, 201);
            for body in [CUSTODY_V1, CUSTODY_V1_1] {
                let r = send(&app, TestRequest::post().uri("/api/v1/apis/custody/versions").insert_header(bearer(&met)).set_payload(body)).await;
                assert_eq!(r.status, 201, "{}", r.body);
            }
            // By default: the latest against the version before it.
            let r = send(&app, TestRequest::get().uri("/api/v1/apis/custody/diff").insert_header(bearer(&met))).await;
            assert_eq!(r.status, 200, "{}", r.body);
            assert_eq!((r.body["from"].as_str(), r.body["to"].as_str()), (Some("1.0.0"), Some("1.1.0")));
            let ids: Vec<&str> = r.body["changes"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
            assert!(ids.contains(&"operation-added"), "{ids:?}");
            assert!(ids.contains(&"response-media-type-removed"), "1.1.0 no longer describes the JSON body: {ids:?}");
            assert_eq!(r.body["summary"]["breaking"], 1, "{}", r.body);
            let removed = r.body["changes"].as_array().unwrap().iter().find(|c| c["id"] == "response-media-type-removed").unwrap();
            assert_eq!(removed["side"], "old");
            assert_eq!(removed["location"]["file"], "openapi.yaml");
            assert!(removed["location"]["line"].as_u64().unwrap() > 1);
            // Either way round, and as a changelog.
            let r = send(&app, TestRequest::get().uri("/api/v1/apis/custody/diff?from=1.1.0&to=1.0.0").insert_header(bearer(&met))).await;
            assert_eq!(r.status, 200);
            assert!(r.body["changes"].as_array().unwrap().iter().any(|c| c["id"] == "operation-removed"));
            let r = send(&app, TestRequest::get().uri("/api/v1/apis/custody/diff?format=markdown").insert_header(bearer(&met))).await;
            assert_eq!(r.status, 200);
            assert!(r.content_type.starts_with("text/markdown"), "{}", r.content_type);
            let text = r.body.as_str().unwrap();
            assert!(text.starts_with("# Changes from 1.0.0 to 1.1.0") && text.contains("## Breaking changes"), "{text}");
            // Hidden from others; bad requests say what is wrong.
            assert_problem(&send(&app, TestRequest::get().uri("/api/v1/apis/custody/diff")).await, 404, "not_found");
            let cases = [
                ("/api/v1/apis/custody/diff?format=html", 400, "invalid_query"),
                ("/api/v1/apis/custody/diff?to=1.0.0", 400, "invalid_query"),
                ("/api/v1/apis/custody/diff?from=9.9.9", 404, "not_found"),
            ];
            for (uri, status, code) in cases {
                let r = send(&app, TestRequest::get().uri(uri).insert_header(bearer(&met))).await;
                assert_problem(&r, status, code);
            }
        }
    }

    on_both_backends! {
        async fn the_compatibility_policy_is_checked_at_publish(t: TestApp) {
            let app = t.service().await;
            let admin = t.admin();
            create_org(&app, &admin, "met", "force").await;
            let met = t.token("alice", Some("met"), &["publisher"]);
            let r = send(&app, TestRequest::post().uri("/api/v1/apis").insert_header(bearer(&met)).set_json(serde_json::json!({
                "slug": "custody", "name": "Custody", "owner": "met", "compatibility": "reject"
            }))).await;
            assert_eq!(r.status, 201, "{}", r.body);
            assert_eq!(r.body["compatibility"], "reject");
            let r = publish_version(&app, &met, "custody", Some("1.0.0"), CUSTODY_V1).await;
            assert_eq!(r.status, 201);
            assert!(r.body.get("changes").is_none() || r.body["changes"].is_null(), "a first version has nothing to compare: {}", r.body);
            // 1.1.0 drops the JSON body of a response: refused, naming the change, and nothing stored.
            let r = publish_version(&app, &met, "custody", Some("1.1.0"), CUSTODY_V1_1).await;
            let body = assert_problem(&r, 409, "breaking_change");
            let detail = body["detail"].as_str().unwrap();
            assert!(detail.contains("response-media-type-removed") && detail.contains("GET /custody-records/{recordId}"), "{detail}");
            let versions = send(&app, TestRequest::get().uri("/api/v1/apis/custody/versions").insert_header(bearer(&met))).await;
            assert_eq!(versions.body["total"], 1, "nothing stored: {}", versions.body);
            let api = send(&app, TestRequest::get().uri("/api/v1/apis/custody").insert_header(bearer(&met))).await;
            assert_eq!(api.body["latest_version"], "1.0.0");
            // The same change under a new major version is allowed, and its changes are kept.
            let r = publish_version(&app, &met, "custody", Some("2.0.0"), CUSTODY_V1_1).await;
            assert_eq!(r.status, 201, "{}", r.body);
            assert_eq!(r.body["changes"]["from"], "1.0.0");
            assert_eq!(r.body["changes"]["summary"]["breaking"], 1, "{}", r.body);
            let v = send(&app, TestRequest::get().uri("/api/v1/apis/custody/versions/2.0.0").insert_header(bearer(&met))).await;
            assert_eq!(v.body["changes"]["from"], "1.0.0", "{}", v.body);
            assert!(v.body["changes"]["changes"].as_array().unwrap().iter().any(|c| c["id"] == "operation-added"));
            // warn: stored, with the breaking changes in the answer.
            let r = send(&app, TestRequest::patch().uri("/api/v1/apis/custody").insert_header(bearer(&met))
                .set_json(serde_json::json!({"compatibility": "warn"}))).await;
            assert_eq!(r.body["compatibility"], "warn", "{}", r.body);
            let r = publish_version(&app, &met, "custody", Some("2.1.0"), CUSTODY_V1).await;
            assert_eq!(r.status, 201, "{}", r.body);
            let warnings: Vec<&str> = r.body["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
            assert!(warnings.iter().any(|w| w.starts_with("operation-removed")), "{warnings:?}");
            // off: stored quietly.
            let r = send(&app, TestRequest::patch().uri("/api/v1/apis/custody").insert_header(bearer(&met))
                .set_json(serde_json::json!({"compatibility": "off"}))).await;
            assert_eq!(r.status, 200);
            let r = publish_version(&app, &met, "custody", Some("2.2.0"), CUSTODY_V1_1).await;
            assert_eq!(r.status, 201);
            assert!(r.body.get("warnings").is_none(), "{}", r.body);
            assert_eq!(r.body["changes"]["from"], "2.1.0");
            // A policy that does not exist is refused.
            let r = send(&app, TestRequest::patch().uri("/api/v1/apis/custody").insert_header(bearer(&met))
                .set_json(serde_json::json!({"compatibility": "strict"}))).await;
            assert_problem(&r, 400, "invalid_compatibility");
        }
    }
}

/// `pac diff` for suppliers' CI: exit 1 at the threshold, 0 below it, 2 on bad input.
#[test]
fn pac_diff_exit_status_and_formats() {
    let pair = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compat");
    let find = |prefix: &str| {
        std::fs::read_dir(&pair)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .unwrap_or_else(|| panic!("fixture {prefix}"))
    };
    let pac = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_pac"))
            .arg("diff")
            .args(args)
            .output()
            .unwrap()
    };
    let files = |dir: &Path| (dir.join("old.yaml"), dir.join("new.yaml"));
    // A breaking pair: exit 1; as JSON, the report.
    let breaking = files(&find("001-"));
    let expect: Expect =
        serde_saphyr::from_str(&std::fs::read_to_string(find("001-").join("expect.yaml")).unwrap())
            .unwrap();
    assert_eq!(expect.verdict, "breaking", "fixture 001 is a breaking pair");
    let out = pac(&[
        breaking.0.as_os_str(),
        breaking.1.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["summary"]["breaking"].as_u64().unwrap() >= 1);
    assert!(
        report["changes"][0]["location"]["line"].as_u64().is_some(),
        "{report}"
    );
    // Markdown changelog.
    let out = pac(&[
        breaking.0.as_os_str(),
        breaking.1.as_os_str(),
        "--format".as_ref(),
        "markdown".as_ref(),
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("## Breaking changes"));
    // Possibly breaking only: below the default threshold, at the lower one.
    let possibly = files(&find("052-"));
    let out = pac(&[possibly.0.as_os_str(), possibly.1.as_os_str()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = pac(&[
        possibly.0.as_os_str(),
        possibly.1.as_os_str(),
        "--fail-on".as_ref(),
        "possibly-breaking".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    // Identical: exit 0 whatever the threshold.
    let out = pac(&[
        breaking.0.as_os_str(),
        breaking.0.as_os_str(),
        "--fail-on".as_ref(),
        "possibly-breaking".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("no changes"));
    // Bad input: exit 2, naming the problem.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "openapi: [unclosed").unwrap();
    let out = pac(&[bad.as_os_str(), breaking.1.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("spec_"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = pac(&[
        dir.path().join("missing.yaml").as_os_str(),
        breaking.1.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
}
