//! The compatibility engine against hand-written pairs (tests/fixtures/compat/*/{old,new,expect}.yaml):
//! each pair's worst level and its exact set of change ids.

use std::collections::BTreeSet;
use std::path::Path;

use pac::compat::{self, Level};
use pac::ingest::import::load_path;
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
        let report = compat::compare(&old.normalised, &new.normalised);
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
                compat::Side::Old => &old.normalised,
                compat::Side::New => &new.normalised,
            };
            let parent = c.pointer.rsplit_once('/').map_or("", |(p, _)| p);
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
