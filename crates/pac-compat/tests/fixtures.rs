//! The engine against hand-written pairs (`tests/fixtures/<category>/{old,new,expect}.yaml`): each
//! pair's worst level and its exact set of changes (id and level), and each side compared with
//! itself finds nothing. The service's own pairs (`tests/fixtures/compat`, read here, owned by the
//! service's `tests/it/compat.rs`) are held to the same, so an engine change is checked without
//! building the service.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use pac_compat::{Level, Side};
use serde_json::Value;

fn load(path: &Path) -> pac_spec::Description {
    pac_spec::load_file(path, &pac_spec::Limits::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn pairs(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expect.yaml").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// (id, level) pairs an expect.yaml lists: `changes: [{id, level}]`, or `ids: [...]` (levels
/// then taken from the rules).
fn expected(expect: &Value) -> BTreeSet<(String, String)> {
    if let Some(changes) = expect.get("changes").and_then(Value::as_array) {
        return changes
            .iter()
            .map(|c| {
                let text = |k: &str| c[k].as_str().unwrap_or_default().to_string();
                (text("id"), text("level"))
            })
            .collect();
    }
    expect["ids"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|id| {
            (
                id.to_string(),
                pac_compat::rules::level(id).as_str().to_string(),
            )
        })
        .collect()
}

/// Every pair under `root` that does not get what its expect.yaml says, one line each.
fn failures(root: &Path) -> (usize, Vec<String>) {
    let dirs = pairs(root);
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read(dir.join("expect.yaml")).unwrap();
        let (expect, _) = pac_spec::parse("expect.yaml", &text, &pac_spec::Limits::default())
            .unwrap_or_else(|e| panic!("{name}/expect.yaml: {e}"));
        let (old, new) = (load(&dir.join("old.yaml")), load(&dir.join("new.yaml")));
        let mut report = pac_compat::compare(&old.normalised, &new.normalised);
        pac_compat::locate(&mut report, &old, &new);
        let got: BTreeSet<(String, String)> = report
            .changes
            .iter()
            .map(|c| (c.id.to_string(), c.level.as_str().to_string()))
            .collect();
        let want = expected(&expect);
        let verdict = report.worst().map_or("none", Level::as_str);
        let want_verdict = expect["verdict"].as_str().unwrap_or_default();
        if got != want || verdict != want_verdict {
            let lines: Vec<String> = report
                .changes
                .iter()
                .map(|c| format!("    {}", c.line()))
                .collect();
            failures.push(format!(
                "{name}: expected {want_verdict} {want:?}\n  got {verdict} {got:?}\n{}",
                lines.join("\n")
            ));
        }
        // Every change names where it is, in the document it concerns.
        for c in &report.changes {
            let doc = match c.side {
                Side::Old => &old.normalised,
                Side::New => &new.normalised,
            };
            let parent = c.pointer.rsplit_once('/').map_or("", |(p, _)| p);
            if doc.pointer(&c.pointer).is_none() && doc.pointer(parent).is_none() {
                failures.push(format!(
                    "{name}: {} points at {}, not in the {:?} document",
                    c.id, c.pointer, c.side
                ));
            }
            let at = c.location.as_ref().expect("located");
            assert!(at.line.unwrap_or(0) >= 1, "{name}: {c:?}");
        }
        // A description compared with itself has nothing to report.
        for (side, d) in [("old", &old), ("new", &new)] {
            let same = pac_compat::compare(&d.normalised, &d.normalised);
            if !same.changes.is_empty() {
                failures.push(format!("{name}: {side} against itself: {:?}", same.changes));
            }
        }
    }
    (dirs.len(), failures)
}

#[test]
fn every_fixture_pair_gets_its_verdict_and_changes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let (count, failures) = failures(&root);
    assert!(count >= 20, "only {count} fixture pairs");
    assert!(
        failures.is_empty(),
        "{} of {count} pairs differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_service_fixture_pairs_still_hold() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/compat");
    let (count, failures) = failures(&root);
    assert!(
        failures.is_empty(),
        "{} of {count} pairs differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
