//! The adversarial descriptions (`pac_testkit::adversarial`) compared with their changed copies
//! (DEEPEST: string → integer at the bottom of each graph) and with themselves: every comparison
//! ends, the deep change is found, or the cut above it is reported, and an unchanged graph
//! reports nothing. No times are asserted (see `scripts/bench-adversarial.sh`).

use std::collections::BTreeSet;

use pac_testkit::adversarial::{self, Fixture};

fn load(fixture: &Fixture) -> Result<pac_spec::Description, pac_spec::SpecError> {
    let source = pac_spec::MemorySource::new(
        fixture
            .files
            .iter()
            .map(|(p, t)| (p.clone(), t.clone().into_bytes()))
            .collect(),
    );
    pac_spec::load(&source, fixture.root(), &pac_spec::Limits::default())
}

#[test]
fn every_adversarial_description_compares_with_its_changed_copy() {
    let mut seen = Vec::new();
    for fixture in adversarial::all() {
        let name = fixture.name;
        let old = match load(&fixture) {
            Ok(d) => d,
            Err(e) => {
                assert_eq!(name, "long-chain", "{name}: {e}");
                assert_eq!(e.code, "spec_too_deep", "{name}: {e}");
                continue;
            }
        };
        let new = load(&fixture.changed()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let report = pac_compat::compare(&old.normalised, &new.normalised);
        let ids: BTreeSet<&str> = report.changes.iter().map(|c| c.id).collect();
        let found = ids.iter().any(|id| id.ends_with("-type-changed"));
        let cut = ids.contains("schema-comparison-truncated");
        match name {
            // 3,000 objects deep: the change is far below what is followed; the cut is said.
            // Said once per operation and direction: POST /n sends and answers the chain.
            "nested-chain" => {
                assert!(cut && !found, "{name}: {ids:?}");
                assert_eq!(report.changes.len(), 2, "{name}: {:?}", report.changes);
            }
            // DEEPEST is a component no operation uses: nothing callers see changed, and the
            // graph above it is the same on both sides, so no cut is worth reporting either.
            "wide-graph" => assert!(report.changes.is_empty(), "{name}: {ids:?}"),
            _ => assert!(found, "{name}: the deep change is not found: {ids:?}"),
        }
        let same = pac_compat::compare(&old.normalised, &old.normalised);
        assert!(
            same.changes.is_empty(),
            "{name} against itself: {:?}",
            same.changes
        );
        seen.push(name);
    }
    assert_eq!(seen.len(), adversarial::all().len() - 1, "{seen:?}");
}
