//! The pack format's JSON Schema against the example and broken packs, and the OCDS export
//! against the OCDS 1.1 release schema with the Requirements and Bid extensions merged in.

use std::path::{Path, PathBuf};

use pac_spec::Limits;
use pac_tender::{Bid, BidFile, ManualScore, ManualScores};
use serde_json::Value;

fn repository() -> PathBuf {
    pac_testkit::repository()
}

fn yaml(path: &Path) -> Value {
    serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn pack_schema() -> jsonschema::Validator {
    let schema = json(&repository().join("docs/schemas/tender-pack.schema.json"));
    jsonschema::draft7::new(&schema).unwrap()
}

#[test]
fn the_example_packs_follow_the_schema_and_broken_ones_do_not() {
    let validator = pack_schema();
    let tenders = repository().join("catalogue/tenders");
    let mut seen = 0;
    for entry in std::fs::read_dir(&tenders).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let errors: Vec<String> = validator
                .iter_errors(&yaml(&path))
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
            seen += 1;
        }
    }
    assert!(seen > 0, "no example pack in {}", tenders.display());
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for broken in [
        "two-checks.yaml",
        "must-with-weight.yaml",
        "should-without-weight.yaml",
        "bad-scale.yaml",
        "unknown-field.yaml",
    ] {
        let doc = yaml(&fixtures.join(broken));
        assert!(!validator.is_valid(&doc), "{broken} passes the schema");
        // The catalogue refuses them too.
        let text = std::fs::read_to_string(fixtures.join(broken)).unwrap();
        assert!(
            pac_tender::Pack::parse(broken, &text).is_err(),
            "{broken} is read"
        );
    }
}

/// RFC 7386: `patch` applied to `target`.
fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    let t = target.as_object_mut().unwrap();
    for (k, v) in p {
        if v.is_null() {
            t.remove(k);
        } else {
            merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
        }
    }
}

#[test]
fn the_ocds_release_validates_with_the_requirements_and_bid_extensions() {
    let test = "the_ocds_release_validates_with_the_requirements_and_bid_extensions";
    let Some(ocds) = pac_testkit::shared_path(test, "standards/ocds") else {
        return;
    };
    let mut schema = json(&ocds.join("core/release-schema.json"));
    merge_patch(
        &mut schema,
        &json(&ocds.join("requirements/release-schema.json")),
    );
    merge_patch(&mut schema, &json(&ocds.join("bid/release-schema.json")));
    let release_schema = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let mut package_schema = json(&ocds.join("core/release-package-schema.json"));
    // Its releases refer to the core schema by URL; each release is checked against the merged one.
    package_schema["properties"]["releases"]["items"] = serde_json::json!({"type": "object"});
    let package_validator = jsonschema::draft4::new(&package_schema).unwrap();

    let standard = pac_tender::built_in_standard().unwrap();
    let resolved = pac_tender::load(
        &repository().join("catalogue/tenders/custody-2027.yaml"),
        &standard,
        &Limits::default(),
    )
    .unwrap();
    let file = repository().join("catalogue/apis/police-uk/data-police-uk/1.0.1/openapi.yaml");
    let bid = Bid {
        name: "Supplier A".into(),
        files: vec![BidFile {
            name: "openapi.yaml".into(),
            description: pac_spec::input::load_file(&file, &Limits::default()).unwrap(),
        }],
        system: None,
    };
    let scores: ManualScores = [(
        "API-5".to_owned(),
        ManualScore {
            score: 4,
            note: Some("Commits to publish.".into()),
        },
    )]
    .into();
    let evaluation =
        pac_tender::evaluate(&resolved, &standard, &bid, &scores, &Limits::default()).unwrap();
    let options = pac_tender::export::ocds::Options {
        ocid_prefix: "ocds-pac".into(),
        date: "2027-03-01T00:00:00Z".into(),
    };
    let package =
        pac_tender::export::ocds::release_package(&resolved.pack, &[evaluation], &options);
    let errors: Vec<String> = package_validator
        .iter_errors(&package)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let release = &package["releases"][0];
    let errors: Vec<String> = release_schema
        .iter_errors(release)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(release["tender"]["criteria"].as_array().unwrap().len(), 8);
    let responses = release["bids"]["details"][0]["requirementResponses"]
        .as_array()
        .unwrap();
    assert_eq!(responses.len(), 8);
    assert_eq!(responses[0]["requirement"]["id"], "API-1");

    // The validation can fail: a criterion without its id is caught.
    let mut broken = release.clone();
    broken["tender"]["criteria"][0]
        .as_object_mut()
        .unwrap()
        .remove("id");
    assert!(!release_schema.is_valid(&broken));
}
