//! `pac tender check` and `pac tender export`, run as a supplier or a buyer would: exit status
//! 0/1/2, the JSON report's shape, each export's format, and packs refused with named errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example() -> PathBuf {
    repository().join("catalogue/tenders/custody-2027.yaml")
}

fn police_uk() -> PathBuf {
    repository().join("catalogue/apis/police-uk/data-police-uk/1.0.1/openapi.yaml")
}

fn no_forces() -> PathBuf {
    repository().join("crates/pac-tender/tests/fixtures/no-forces.yaml")
}

fn pac(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pac"))
        .arg("tender")
        .args(args)
        .output()
        .unwrap()
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write_pack(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("pack.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn pac_tender_check_exit_status_and_json_shape() {
    // The seeded API meets the MUSTs the catalogue checks; the manual MUST waits: exit 0.
    let out = pac(&[
        os("check"),
        os("--pack"),
        example().as_os_str(),
        police_uk().as_os_str(),
        os("--format"),
        os("json"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "needs_review");
    let requirements = report["requirements"].as_array().unwrap();
    assert_eq!(requirements.len(), 8);
    for r in requirements {
        assert!(
            r["id"].is_string() && r["level"].is_string() && r["evidence"].is_array(),
            "{r}"
        );
        assert!(
            ["met", "not_met", "needs_review"].contains(&r["status"].as_str().unwrap()),
            "{r}"
        );
    }
    assert_eq!(requirements[0]["id"], "API-1");
    assert_eq!(requirements[0]["status"], "met");

    // With every manual requirement scored and passing, nothing waits: compliant.
    let scored = pac(&[
        os("check"),
        os("--pack"),
        example().as_os_str(),
        police_uk().as_os_str(),
        os("--format"),
        os("json"),
        os("--score"),
        os("API-5=4"),
        os("--score"),
        os("API-6=3"),
        os("--score"),
        os("API-7=5"),
        os("--score"),
        os("API-8=2"),
    ]);
    assert_eq!(scored.status.code(), Some(0), "{}", stderr(&scored));
    let report: serde_json::Value = serde_json::from_slice(&scored.stdout).unwrap();
    assert_eq!(report["verdict"], "compliant");

    // A description without the contract's operations fails a MUST: exit 1, evidence located.
    let out = pac(&[
        os("check"),
        os("--pack"),
        example().as_os_str(),
        no_forces().as_os_str(),
        os("--format"),
        os("json"),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "non_compliant");
    assert_eq!(report["requirements"][0]["status"], "not_met");
    let evidence = report["requirements"][0]["evidence"].as_array().unwrap();
    assert!(
        evidence.iter().any(|e| e["operation"] == "GET /forces"),
        "{evidence:?}"
    );

    // Several files: the contract is met by one of them, the standard must hold for each.
    let out = pac(&[
        os("check"),
        os("--pack"),
        example().as_os_str(),
        no_forces().as_os_str(),
        police_uk().as_os_str(),
        os("--format"),
        os("json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["requirements"][0]["status"], "met");
    assert_eq!(report["requirements"][1]["status"], "not_met");

    // Text and Markdown name the requirements.
    let text = pac(&[
        os("check"),
        os("--pack"),
        example().as_os_str(),
        no_forces().as_os_str(),
    ]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("NON COMPLIANT") && text.contains("API-1"),
        "{text}"
    );
    let md = pac(&[
        os("check"),
        os("--pack"),
        example().as_os_str(),
        police_uk().as_os_str(),
        os("--format"),
        os("markdown"),
    ]);
    assert!(String::from_utf8_lossy(&md.stdout).contains("## API-5: needs review"));
}

#[test]
fn pac_tender_check_refuses_bad_input_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let head = "id: t\ntitle: T\nbuyer: b\nrequirements:\n";
    let cases: [(&str, &[&str]); 7] = [
        (
            "  - {id: API-1, level: MUST, weight: 5, text: x, standard: {kitemark: true}}\n",
            &["tender_pack_invalid", "API-1", "weight", "pack.yaml:5"],
        ),
        (
            "  - {id: API-2, level: SHOULD, text: x, manual: {scale: 0-4}}\n",
            &["tender_pack_invalid", "API-2", "weight"],
        ),
        (
            "  - {id: API-3, level: MUST, text: x, standard: {rules: [pas-nonexistent]}}\n",
            &["tender_rule_unknown", "API-3", "pas-nonexistent"],
        ),
        (
            "  - {id: API-4, level: MUST, text: x, contract: {file: missing.yaml}}\n",
            &["tender_contract_unreadable", "API-4", "missing.yaml"],
        ),
        (
            "  - {id: API-5, level: MUST, text: x, contract: {slug: custody-exchange, version: 1.0.0}}\n",
            &["tender_contract_not_available", "API-5", "custody-exchange"],
        ),
        (
            "  - {id: API-6, level: MUST, text: x, manual: {scale: 0-10}}\n",
            &["tender_pack_invalid", "API-6", "scale"],
        ),
        (
            "  - {id: API-7, level: MUST, text: x, manual: {scale: 0-4}, colour: red}\n",
            &["tender_pack_invalid", "API-7", "colour"],
        ),
    ];
    for (requirements, expected) in cases {
        let pack = write_pack(dir.path(), &format!("{head}{requirements}"));
        let out = pac(&[
            os("check"),
            os("--pack"),
            pack.as_os_str(),
            police_uk().as_os_str(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{requirements}: {}",
            stderr(&out)
        );
        let err = stderr(&out);
        for e in expected {
            assert!(err.contains(e), "{requirements}: {err:?} does not name {e}");
        }
    }
    // Duplicate ids, and YAML that does not parse.
    let pack = write_pack(
        dir.path(),
        &format!(
            "{head}  - {{id: A, level: MUST, text: x, manual: {{scale: 0-4}}}}\n  - {{id: A, level: MUST, text: z, manual: {{scale: 0-4}}}}\n"
        ),
    );
    let out = pac(&[
        os("check"),
        os("--pack"),
        pack.as_os_str(),
        police_uk().as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unique"), "{}", stderr(&out));
    let pack = write_pack(dir.path(), "id: [");
    let out = pac(&[
        os("check"),
        os("--pack"),
        pack.as_os_str(),
        police_uk().as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("tender_pack_unreadable"));
    // A description that cannot be read, and a score off the scale.
    let out = pac(&[
        os("check"),
        os("--pack"),
        example().as_os_str(),
        dir.path().join("nope.yaml").as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = pac(&[
        os("check"),
        os("--pack"),
        example().as_os_str(),
        police_uk().as_os_str(),
        os("--score"),
        os("API-5=9"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("API-5"), "{}", stderr(&out));
}

fn zip_names(path: &Path) -> Vec<String> {
    let archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    archive.file_names().map(str::to_owned).collect()
}

#[test]
fn pac_tender_export_writes_each_format() {
    let dir = tempfile::tempdir().unwrap();
    let pack = example();
    let export = |format: &str, out: Option<&Path>| {
        let mut args = vec![
            os("export"),
            os("--pack"),
            pack.as_os_str(),
            os("--format"),
            os(format),
        ];
        if let Some(out) = out {
            args.push(os("-o"));
            args.push(out.as_os_str());
        }
        pac(&args)
    };
    let md = export("markdown", None);
    assert_eq!(md.status.code(), Some(0), "{}", stderr(&md));
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.contains("# Custody system replacement") && md.contains("### API-8"),
        "{md}"
    );

    let csv = export("csv", None);
    let mut reader = csv::Reader::from_reader(csv.stdout.as_slice());
    assert_eq!(reader.headers().unwrap().get(0), Some("Requirement"));
    assert_eq!(reader.records().count(), 8);

    let docx = dir.path().join("tender.docx");
    assert_eq!(export("docx", Some(&docx)).status.code(), Some(0));
    let names = zip_names(&docx);
    assert!(
        names.contains(&"word/document.xml".to_owned())
            && names.contains(&"[Content_Types].xml".to_owned()),
        "{names:?}"
    );
    let mut document = String::new();
    std::io::Read::read_to_string(
        &mut zip::ZipArchive::new(std::fs::File::open(&docx).unwrap())
            .unwrap()
            .by_name("word/document.xml")
            .unwrap(),
        &mut document,
    )
    .unwrap();
    assert!(document.contains("API-6: Deprecation notice period"));

    let xlsx = dir.path().join("matrix.xlsx");
    assert_eq!(export("xlsx", Some(&xlsx)).status.code(), Some(0));
    let names = zip_names(&xlsx);
    assert!(
        names.contains(&"xl/worksheets/sheet1.xml".to_owned())
            && names.contains(&"xl/workbook.xml".to_owned()),
        "{names:?}"
    );

    let ocds = export("ocds", None);
    assert_eq!(ocds.status.code(), Some(0), "{}", stderr(&ocds));
    let package: serde_json::Value = serde_json::from_slice(&ocds.stdout).unwrap();
    assert_eq!(package["version"], "1.1");
    let release = &package["releases"][0];
    assert_eq!(release["ocid"], "ocds-pac-custody-2027");
    assert_eq!(release["date"], "2027-03-01T00:00:00Z");
    assert_eq!(release["tender"]["criteria"].as_array().unwrap().len(), 8);
    if let Some(validator) = ocds_release_schema("pac_tender_export_writes_each_format") {
        let errors: Vec<String> = validator
            .iter_errors(release)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }

    // A broken pack is not exported.
    let pack = write_pack(dir.path(), "id: t\ntitle: T\nbuyer: b\nrequirements: []\n");
    let out = pac(&[
        os("export"),
        os("--pack"),
        pack.as_os_str(),
        os("--format"),
        os("markdown"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("at least one requirement"));
}

/// RFC 7386: `patch` applied to `target`.
fn merge_patch(target: &mut serde_json::Value, patch: &serde_json::Value) {
    let serde_json::Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = serde_json::json!({});
    }
    let t = target.as_object_mut().unwrap();
    for (k, v) in p {
        if v.is_null() {
            t.remove(k);
        } else {
            merge_patch(t.entry(k.clone()).or_insert(serde_json::Value::Null), v);
        }
    }
}

/// The OCDS 1.1 release schema with the Requirements and Bid extensions merged in, from the shared
/// folder (never copied into the repository); None (the test skips, or fails under
/// PAC_REQUIRE_ALL) when it is missing.
fn ocds_release_schema(test: &str) -> Option<jsonschema::Validator> {
    let ocds = pac_testkit::shared_path(test, "standards/ocds")?;
    let read = |p: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(ocds.join(p)).unwrap()).unwrap()
    };
    let mut schema = read("core/release-schema.json");
    merge_patch(&mut schema, &read("requirements/release-schema.json"));
    merge_patch(&mut schema, &read("bid/release-schema.json"));
    Some(
        jsonschema::draft4::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap(),
    )
}
