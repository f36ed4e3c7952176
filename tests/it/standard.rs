//! The police API standard: the lint engine against fixtures (the standard's own, and Spectral's
//! results on the same files), `pac lint`, evaluation at publish, re-evaluation, `POST /lint`,
//! and kitemark and score in search, visibility included.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use actix_web::test::TestRequest;
use pac::cli::lint_path;
use pac_lint::Ruleset;
use serde_json::Value;

use crate::catalogue::{create_api, create_org};
use crate::support::*;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lint")
        .join(rel)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(fixture(rel)).unwrap()
}

fn findings(ruleset: &Ruleset, rel: &str) -> BTreeSet<(String, String)> {
    let r = lint_path(ruleset, &fixture(rel), None, &Default::default());
    assert!(r.error.is_none(), "{rel}: {:?}", r.error);
    r.report
        .unwrap()
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.pointer.clone()))
        .collect()
}

#[test]
fn built_in_rulesets_load_and_say_what_they_cannot_run() {
    let standard = Ruleset::built_in("police-api-standard").unwrap();
    assert!(
        standard.unsupported.is_empty(),
        "{:?}",
        standard.unsupported
    );
    assert!(standard.rules.len() >= 20);
    assert!(standard.rules.iter().all(|r| r.guidance.is_some()));
    let oas = Ruleset::built_in("spectral:oas").unwrap();
    let unsupported: Vec<&str> = oas.unsupported.iter().map(|u| u.rule.as_str()).collect();
    assert_eq!(unsupported, ["oas2-schema", "oas3-schema"]);
    // As `extends: [spectral:oas]` gives it: rules that are not recommended are off.
    assert_eq!(
        oas.rule("info-license").unwrap().severity,
        pac_lint::Severity::Off
    );
    assert_eq!(
        oas.rule("path-params").unwrap().severity,
        pac_lint::Severity::Error
    );
}

#[test]
fn the_standard_passes_its_good_fixture_and_fails_its_bad_one_exactly() {
    let standard = Ruleset::built_in("police-api-standard").unwrap();
    let good = lint_path(
        &standard,
        &fixture("police/good.yaml"),
        None,
        &Default::default(),
    );
    assert_eq!(good.report.as_ref().unwrap().findings, vec![]);
    let score = good.score.unwrap();
    assert!(score.kitemark);
    assert_eq!(score.score, 100);

    let expected: std::collections::BTreeMap<String, Vec<String>> =
        serde_json::from_str(&read("police/expected-bad.json")).unwrap();
    let want: BTreeSet<(String, String)> = expected
        .iter()
        .flat_map(|(rule, ps)| ps.iter().map(move |p| (rule.clone(), p.clone())))
        .collect();
    assert_eq!(findings(&standard, "police/bad.yaml"), want);
    // Every rule fails at least once in the bad fixture, but for two whose failure rules out
    // another's there: bad.yaml lists an http server (pas-servers-https) whose URL ends in a
    // version also written in a path (pas-version-once). Each rule's own examples
    // (crates/pac-lint/tests/fixtures/standard) show every rule failing.
    let exclusive = ["pas-servers-declared", "pas-version-declared"];
    let failing: BTreeSet<&String> = expected.keys().collect();
    for rule in standard.enabled() {
        assert_ne!(
            failing.contains(&rule.name),
            exclusive.contains(&rule.name.as_str()),
            "{} fails in bad.yaml: {}",
            rule.name,
            failing.contains(&rule.name)
        );
    }
    let bad = lint_path(
        &standard,
        &fixture("police/bad.yaml"),
        None,
        &Default::default(),
    );
    let score = bad.score.unwrap();
    assert!(!score.kitemark);
    assert!(score.score < 60, "{}", score.score);
    for part in ["documentation", "security", "design", "interoperability"] {
        assert!(score.breakdown[part].score.unwrap() < 100, "{part}");
        assert!(!score.breakdown[part].failing.is_empty(), "{part}");
    }
    // Every finding is located in the original file.
    for f in bad.report.unwrap().findings {
        assert!(f.line.unwrap() >= 1 && f.column.unwrap() >= 1, "{f:?}");
    }
}

/// (rule, JSON pointer).
type Pair = (&'static str, &'static str);

/// pac's `spectral:oas` against what Spectral 6.16.3 itself reported on the same files (the
/// `.spectral.json` beside each), less the rules pac does not run and the differences listed.
#[test]
fn spectral_oas_finds_what_spectral_finds() {
    let oas = Ruleset::built_in("spectral:oas").unwrap();
    let cases: [(&str, &[Pair], &[Pair]); 2] = [
        (
            "oas3",
            // Spectral's validator refuses the schema (its enum repeats an item) and says so at
            // the example; pac's accepts it and reports the example's wrong property instead.
            &[(
                "oas3-valid-media-example",
                "/paths/~1searches~1/get/responses/200/content/application~1json/example",
            )],
            &[(
                "oas3-valid-media-example",
                "/paths/~1searches~1/get/responses/200/content/application~1json/example/0/id",
            )],
        ),
        ("swagger2", &[], &[]),
    ];
    for (name, missing, extra) in cases {
        let spectral: Value =
            serde_json::from_str(&read(&format!("spectral/{name}.spectral.json"))).unwrap();
        let mut want: BTreeSet<(String, String)> = spectral["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_owned(),
                    f["pointer"].as_str().unwrap().to_owned(),
                )
            })
            .filter(|(rule, _)| !oas.unsupported.iter().any(|u| &u.rule == rule))
            .collect();
        for (r, p) in missing {
            assert!(
                want.remove(&((*r).to_owned(), (*p).to_owned())),
                "{name}: {r} {p}"
            );
        }
        for (r, p) in extra {
            want.insert(((*r).to_owned(), (*p).to_owned()));
        }
        assert_eq!(
            findings(&oas, &format!("spectral/{name}.yaml")),
            want,
            "{name}"
        );
    }
}

#[test]
fn rulesets_extend_override_and_refuse_what_they_cannot_do() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    // Turning a rule off and another down, on top of the built-in standard.
    let p = write(
        "ours.yaml",
        "extends: [police-api-standard]\nrules:\n  pas-servers-https: off\n  pas-info-contact: warn\n",
    );
    let ours = pac::cli::ruleset_file(&p).unwrap();
    let got = findings(&ours, "police/bad.yaml");
    assert!(!got.iter().any(|(r, _)| r == "pas-servers-https"));
    let contact = ours.rule("pas-info-contact").unwrap();
    assert_eq!(contact.severity, pac_lint::Severity::Warn);

    // A JavaScript function is reported as not run, not skipped silently.
    let p = write(
        "custom.yaml",
        "functions: [myCheck]\nrules:\n  my-rule:\n    given: $.info\n    then: {function: myCheck}\n  titled:\n    given: $.info\n    then: {field: title, function: truthy}\n",
    );
    let custom = pac::cli::ruleset_file(&p).unwrap();
    assert_eq!(
        custom
            .unsupported
            .iter()
            .map(|u| u.rule.as_str())
            .collect::<Vec<_>>(),
        ["(functions)", "my-rule"]
    );
    assert!(custom.rule("titled").is_some());

    // A JSONPath-Plus expression pac does not evaluate makes its rule unsupported; the others run.
    let p = write(
        "plus.yaml",
        "rules:\n  js-only:\n    given: \"$..[?(@.constructor === Object)]\"\n    then: {function: truthy}\n  titled:\n    given: $.info\n    then: {field: title, function: truthy}\n",
    );
    let plus = pac::cli::ruleset_file(&p).unwrap();
    assert_eq!(plus.unsupported.len(), 1, "{:?}", plus.unsupported);
    assert_eq!(plus.unsupported[0].rule, "js-only");
    assert!(
        plus.unsupported[0].reason.contains("Object"),
        "{:?}",
        plus.unsupported
    );
    assert!(plus.rule("titled").is_some());

    // Extending the standard with spectral:oas, whose schema rules pac cannot run, leaves the
    // kitemark to the standard's MUST rules.
    let p = write(
        "both.yaml",
        "extends: [police-api-standard, \"spectral:oas\"]\n",
    );
    let both = pac::cli::ruleset_file(&p).unwrap();
    assert!(!both.unsupported.is_empty());
    let good = lint_path(
        &both,
        &fixture("police/good.yaml"),
        None,
        &Default::default(),
    );
    let score = good.score.unwrap();
    assert!(score.kitemark, "{:?}", score.must_failures);
    // ... while a MUST rule that cannot run withholds it, and is named.
    let p = write(
        "must.yaml",
        "extends: [police-api-standard]\nrules:\n  pas-js:\n    severity: error\n    given: \"$..[?(@.constructor === Object)]\"\n    then: {function: truthy}\n    x-pac: {level: MUST, category: design, rationale: r, fix: f}\n",
    );
    let must = pac::cli::ruleset_file(&p).unwrap();
    let good = lint_path(
        &must,
        &fixture("police/good.yaml"),
        None,
        &Default::default(),
    );
    let score = good.score.unwrap();
    assert!(!score.kitemark);
    assert_eq!(score.must_failures, ["pas-js (cannot run)"]);

    // Errors name the rule and what is wrong with it.
    let bad = |text: &str| {
        Ruleset::parse("r.yaml", text, &pac_lint::ruleset::Resolver::BuiltIn).unwrap_err()
    };
    let e = bad("rules:\n  broken:\n    given: \"$.paths[\"\n    then: {function: truthy}\n");
    assert_eq!(e.at, "rules.broken.given");
    let e = bad("extends: https://example.org/ruleset.yaml\n");
    assert!(e.message.contains("never fetches"), "{e}");
    let e = bad("extends: ./local.yaml\n");
    assert!(e.message.contains("command line"), "{e}");
    let e = bad("rules:\n  pas-info-contact: off\n");
    assert_eq!(e.at, "rules.pas-info-contact");
    let e = bad("rules:\n  r:\n    given: $\n    severity: loud\n    then: {function: truthy}\n");
    assert_eq!(e.at, "rules.r.severity");
    let e = bad(
        "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    x-pac: {level: MUST, category: security, rationale: a, fix: b}\n",
    );
    assert!(e.message.contains("severity error"), "{e}");
}

#[test]
fn pac_lint_exit_status_and_formats() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pac"))
            .arg("lint")
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let good = fixture("police/good.yaml");
    let bad = fixture("police/bad.yaml");
    let (code, out, _) = run(&[good.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("meets the minimum standard"), "{out}");
    let (code, out, _) = run(&[bad.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1);
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["ruleset"]["name"], "police-api-standard");
    assert_eq!(json["files"][0]["score"]["kitemark"], false);
    let n = json["files"][0]["findings"].as_array().unwrap().len();
    assert!(n > 20);

    let (code, out, _) = run(&[bad.to_str().unwrap(), "--format", "sarif"]);
    assert_eq!(code, 1);
    let sarif: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), n);
    let first = &results[0];
    assert!(
        first["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap()
            >= 1
    );
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(
        rules[first["ruleIndex"].as_u64().unwrap() as usize]["id"],
        first["ruleId"]
    );

    // Warnings only: exit 0 with spectral:oas on a file that has only warnings there.
    let (code, _, _) = run(&[good.to_str().unwrap(), "--ruleset", "spectral:oas"]);
    assert_eq!(code, 0);
    // Unreadable input and a bad ruleset are exit 2, naming the problem.
    let (code, out, _) = run(&["/no/such/file.yaml"]);
    assert_eq!(code, 2);
    assert!(out.contains("/no/such/file.yaml"), "{out}");
    let (code, _, err) = run(&[good.to_str().unwrap(), "--ruleset", "/no/such/ruleset.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("ruleset_invalid"), "{err}");
}

/// A Swagger 2.0 original is checked in its 3.0 form, and findings point back into the 2.0 file.
#[test]
fn standard_findings_on_swagger_2_point_into_the_original() {
    let standard = Ruleset::built_in("police-api-standard").unwrap();
    let r = lint_path(
        &standard,
        &fixture("spectral/swagger2.yaml"),
        None,
        &Default::default(),
    );
    let report = r.report.unwrap();
    let original = read("spectral/swagger2.yaml");
    let lines: Vec<&str> = original.lines().collect();
    let summary = report
        .findings
        .iter()
        .find(|f| f.rule == "pas-operation-summary")
        .expect("no summary in the fixture");
    assert_eq!(summary.pointer, "/paths/~1custody~1{recordId}/get");
    assert!(
        lines[summary.line.unwrap() - 1]
            .trim_start()
            .starts_with("get:"),
        "{summary:?}"
    );
    // The response schema is a 3.0 `content` member in the converted form, `schema` in 2.0.
    for f in &report.findings {
        assert!(
            !f.pointer.contains("/content/") && !f.pointer.starts_with("/components"),
            "{f:?}"
        );
    }
}

const PLAIN: &str = r#"openapi: 3.0.3
info: {title: Plain, version: '1.0'}
paths:
  /things:
    get:
      responses:
        '200': {description: ok}
"#;

on_both_backends! {
    async fn versions_are_evaluated_at_publish_and_again_when_the_standard_changes(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "met", "force").await;
        let met = t.token("alice", Some("met"), &["publisher"]);
        assert_eq!(create_api(&app, &met, "stops", "met", "public").await.status, 201);
        assert_eq!(create_api(&app, &met, "plain", "met", "public").await.status, 201);
        assert_eq!(create_api(&app, &met, "secret", "met", "restricted").await.status, 201);

        let r = publish_version(&app, &met, "stops", None, &read("police/good.yaml")).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let standard = &r.body["standard"];
        assert_eq!(standard["kitemark"], true, "{}", r.body);
        assert_eq!(standard["score"], 100);
        assert_eq!(standard["ruleset"], "police-api-standard");
        assert_eq!(standard["current"], true);

        let r = publish_version(&app, &met, "plain", None, PLAIN).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["standard"]["kitemark"], false);
        let must = r.body["standard"]["must_failures"].as_array().unwrap();
        assert!(must.iter().any(|m| m == "pas-info-contact"), "{must:?}");
        assert!(r.body["standard"]["score"].as_i64().unwrap() < 100);
        let r = publish_version(&app, &met, "secret", None, &read("police/good.yaml").replace("1.0.0", "1.0.1")).await;
        assert_eq!(r.status, 201, "{}", r.body);

        // The version answer carries the summary; the evaluations list carries the findings.
        let r = send(&app, TestRequest::get().uri("/api/v1/apis/plain/versions/1.0")).await;
        assert_eq!(r.body["standard"]["kitemark"], false);
        let r = send(&app, TestRequest::get().uri("/api/v1/apis/plain/versions/1.0/evaluations")).await;
        assert_eq!(r.status, 200);
        let findings = r.body[0]["findings"].as_array().unwrap();
        assert!(findings.iter().any(|f| f["rule"] == "pas-operation-operationid" && f["pointer"] == "/paths/~1things/get" && f["line"] == 5));

        // Hidden APIs stay hidden: their evaluations too.
        let r = send(&app, TestRequest::get().uri("/api/v1/apis/secret/versions/latest/evaluations")).await;
        assert_problem(&r, 404, "not_found");

        // Search filters and counts by kitemark and score, for what the caller may see.
        let r = send(&app, TestRequest::get().uri("/api/v1/search?kitemark=yes&kind=api")).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let apis: Vec<&str> = r.body["hits"].as_array().unwrap().iter().map(|h| h["api"].as_str().unwrap()).collect();
        assert_eq!(apis, ["stops"]);
        assert_eq!(r.body["hits"][0]["score"], 100);
        let r = send(&app, TestRequest::get().uri("/api/v1/search?kind=api")).await;
        let facet: Vec<(String, u64)> = r.body["facets"]["kitemark"].as_array().unwrap().iter()
            .map(|v| (v["value"].as_str().unwrap().to_owned(), v["count"].as_u64().unwrap())).collect();
        assert!(facet.contains(&("yes".to_owned(), 1)) && facet.contains(&("no".to_owned(), 1)), "{facet:?}");
        let bands: Vec<&str> = r.body["facets"]["score"].as_array().unwrap().iter().map(|v| v["value"].as_str().unwrap()).collect();
        assert!(bands.contains(&"90-100") && bands.len() == 2, "{bands:?}");
        let r = send(&app, TestRequest::get().uri("/api/v1/search?kind=api&min_score=101")).await;
        assert_problem(&r, 400, "invalid_query");
        let r = send(&app, TestRequest::get().uri("/api/v1/search?kind=api&kitemark=maybe")).await;
        assert_problem(&r, 400, "invalid_query");
        let r = send(&app, TestRequest::get().uri("/api/v1/search?kind=api&min_score=100").insert_header(bearer(&admin))).await;
        let apis: BTreeSet<&str> = r.body["hits"].as_array().unwrap().iter().map(|h| h["api"].as_str().unwrap()).collect();
        assert_eq!(apis, BTreeSet::from(["secret", "stops"]));

        // Re-evaluation is for curators and admins.
        let r = send(&app, TestRequest::post().uri("/api/v1/standard/evaluations")).await;
        assert_problem(&r, 401, "unauthenticated");
        let r = send(&app, TestRequest::post().uri("/api/v1/standard/evaluations").insert_header(bearer(&met))).await;
        assert_problem(&r, 403, "forbidden");
        let curator = t.token("carol", Some("home-office"), &["curator"]);
        let r = send(&app, TestRequest::post().uri("/api/v1/standard/evaluations").insert_header(bearer(&curator))).await;
        assert_eq!(r.status, 202, "{}", r.body);
        assert_eq!(r.body["total"], 3);
        // Counts cover hidden versions too: only curators and admins see them.
        let r = send(&app, TestRequest::get().uri("/api/v1/standard")).await;
        assert_eq!(r.body["evaluation"], Value::Null);
        let r = send(&app, TestRequest::get().uri("/api/v1/standard").insert_header(bearer(&admin))).await;
        assert_eq!(r.body["evaluation"]["evaluated"], 3);
        assert_eq!(r.body["evaluation"]["total"], 3);
        assert!(r.body["standard"]["rules"].as_array().unwrap().iter().all(|r| r["rationale"].is_string() && r["fix"].is_string()));

        // A new version of the standard: every stored version is evaluated again, old results kept.
        let text = read("../../../catalogue/standards/police-api-standard.yaml").replace("version: \"1.1.0\"", "version: \"1.2.0\"");
        assert!(text.contains("1.2.0"));
        let next = Ruleset::parse("next", &text, &pac_lint::ruleset::Resolver::BuiltIn).unwrap();
        let evaluator = pac::usecase::evaluate::Evaluator::default();
        let mut batches = 0;
        assert!(evaluator.run(&t.state.catalogue.store, &next, &t.state.catalogue.limits, || batches += 1).unwrap());
        let p = evaluator.progress();
        assert_eq!((p.evaluated, p.failed, p.queued, p.running), (3, 0, 3, false));
        assert!(batches >= 1);
        // Nothing left: a second run finds nothing to do.
        assert!(evaluator.run(&t.state.catalogue.store, &next, &t.state.catalogue.limits, || {}).unwrap());
        assert_eq!(evaluator.progress().evaluated, 0);
        let r = send(&app, TestRequest::get().uri("/api/v1/apis/plain/versions/1.0/evaluations")).await;
        let versions: Vec<&str> = r.body.as_array().unwrap().iter().map(|e| e["ruleset_version"].as_str().unwrap()).collect();
        assert_eq!(versions, ["1.2.0", "1.1.0"]);
        // The app's standard is still 1.1.0: the newest row is not the current one.
        assert_eq!(r.body[0]["current"], false);
        assert_eq!(r.body[1]["current"], true);
    }
}

on_both_backends! {
    async fn lint_checks_without_storing(t: TestApp) {
        let app = t.service().await;
        let lint = |query: &str, body: &str| TestRequest::post()
            .uri(&format!("/api/v1/lint{query}"))
            .insert_header(("content-type", "application/yaml"))
            .set_payload(body.to_owned());
        let r = send(&app, lint("", PLAIN)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["ruleset"], "police-api-standard");
        assert_eq!(r.body["score"]["kitemark"], false);
        assert!(r.body["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "pas-info-contact"));
        let r = send(&app, lint("?ruleset=spectral:oas", PLAIN)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["score"], Value::Null);
        let rules: BTreeSet<&str> = r.body["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
        assert!(rules.contains("operation-operationId") && rules.contains("info-contact"), "{rules:?}");
        assert_eq!(r.body["unsupported"][0]["rule"], "oas2-schema");

        let r = send(&app, lint("?ruleset=mine", PLAIN)).await;
        assert_problem(&r, 400, "unknown_ruleset");
        let r = send(&app, lint("", "openapi: [")).await;
        assert_eq!(r.status.as_u16() / 100, 4, "{}", r.body);
        let r = send(&app, lint("", "")).await;
        assert_problem(&r, 400, "empty_body");
        // Nothing was stored.
        let r = send(&app, TestRequest::get().uri("/api/v1/audit").insert_header(bearer(&t.admin()))).await;
        assert!(r.body["items"].as_array().unwrap().iter().all(|e| e["action"] != "version.evaluate"));
    }
}

#[test]
fn swagger_2_findings_point_into_the_original() {
    // A query parameter after a body parameter: in 3.0 it is parameters/0, in the file parameters/1.
    let text = "swagger: '2.0'
info: {title: People, version: '1'}
host: api.example.org
schemes: [http]
paths:
  /people:
    post:
      operationId: findPeople
      parameters:
        - name: body
          in: body
          schema: {type: object}
        - name: date_of_birth
          in: query
          type: string
      responses:
        '200': {description: ok}
";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("people.yaml");
    std::fs::write(&file, text).unwrap();
    let standard = Ruleset::built_in("police-api-standard").unwrap();
    let r = lint_path(&standard, &file, None, &Default::default());
    let report = r.report.unwrap();
    let personal = report
        .findings
        .iter()
        .find(|f| f.rule == "pas-no-personal-data-in-url")
        .expect("date_of_birth in the query is found");
    assert!(
        personal
            .pointer
            .starts_with("/paths/~1people/post/parameters/1"),
        "{}",
        personal.pointer
    );
    assert_eq!(
        personal.line,
        Some(13),
        "the date_of_birth parameter's line"
    );
    let https = report
        .findings
        .iter()
        .find(|f| f.rule == "pas-servers-https")
        .expect("http is found");
    assert!(https.pointer.starts_with("/schemes"), "{}", https.pointer);
    assert_eq!(https.line, Some(4));
}

/// The standard reads a 3.1 description as written, never a 3.0 reading of it: a date property
/// that only JSON Schema 2020-12 can hold (inside `prefixItems`, under `$defs`) is checked, and
/// its finding points at the line it sits on.
#[test]
fn the_standard_sees_json_schema_2020_12_constructs() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.yaml");
    std::fs::write(
        &file,
        r#"openapi: 3.1.0
info: {title: Custody, version: '1.0.0'}
paths:
  /custody:
    get:
      summary: List custody records
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                prefixItems:
                  - type: object
                    properties:
                      bookedAt: {type: string}
components:
  schemas:
    Record:
      $defs:
        Release:
          type: object
          properties:
            releasedAt: {type: string}
"#,
    )
    .unwrap();
    let standard = Ruleset::built_in("police-api-standard").unwrap();
    let r = lint_path(&standard, &file, None, &Default::default());
    let report = r.report.expect("a report");
    let dates: BTreeSet<(String, Option<usize>)> = report
        .findings
        .iter()
        .filter(|f| f.rule == "pas-date-format")
        .map(|f| (f.pointer.clone(), f.line))
        .collect();
    assert_eq!(
        dates,
        BTreeSet::from([
            (
                "/paths/~1custody/get/responses/200/content/application~1json/schema/prefixItems/0/properties/bookedAt"
                    .to_string(),
                Some(17)
            ),
            (
                "/components/schemas/Record/$defs/Release/properties/releasedAt".to_string(),
                Some(25)
            ),
        ])
    );
}
