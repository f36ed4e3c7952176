//! The police API standard, rule by rule: for every rule of the built-in standard,
//! `fixtures/standard/<rule>/fail.yaml` makes it fire, at a line of the file, and `pass.yaml` is
//! checked by it and passes. A rule added without its two examples fails here, and so does an
//! example left behind by a rule that is gone.
//!
//! Each example is a small description about its one rule; other rules may well fire on it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use pac_lint::{Report, Ruleset, lint_description, score};
use pac_spec::Limits;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/standard")
}

fn lint(ruleset: &Ruleset, path: &Path) -> Report {
    let limits = Limits::default();
    let desc = pac_spec::input::load_file(path, &limits)
        .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.message));
    lint_description(ruleset, &desc, &limits).unwrap()
}

/// What is wrong with `rule`'s two examples, if anything.
fn check_rule(standard: &Ruleset, rule: &str) -> Vec<String> {
    let dir = fixtures().join(rule);
    let (pass, fail) = (dir.join("pass.yaml"), dir.join("fail.yaml"));
    let missing: Vec<String> = [&pass, &fail]
        .iter()
        .filter(|p| !p.is_file())
        .map(|p| format!("{rule}: no example {}", p.display()))
        .collect();
    if !missing.is_empty() {
        return missing;
    }
    let mut problems = Vec::new();
    let report = lint(standard, &pass);
    let run = report.runs.iter().find(|r| r.rule == rule);
    if run.is_none_or(|r| r.checked == 0) {
        problems.push(format!(
            "{rule}: pass.yaml gives the rule nothing to check, so it proves nothing"
        ));
    }
    for f in report.findings.iter().filter(|f| f.rule == rule) {
        problems.push(format!("{rule}: fires on pass.yaml at {}", f.pointer));
    }
    let report = lint(standard, &fail);
    let found: Vec<_> = report.findings.iter().filter(|f| f.rule == rule).collect();
    if found.is_empty() {
        problems.push(format!("{rule}: does not fire on fail.yaml"));
    }
    for f in found {
        if f.line.is_none_or(|l| l < 1) || f.column.is_none_or(|c| c < 1) {
            problems.push(format!("{rule}: finding at {} has no line", f.pointer));
        }
    }
    problems
}

#[test]
fn every_rule_fires_on_its_failing_example_and_not_on_its_passing_one() {
    let standard = Ruleset::built_in("police-api-standard").unwrap();
    let rules: BTreeSet<&str> = standard.enabled().map(|r| r.name.as_str()).collect();
    assert_eq!(rules.len(), standard.rules.len(), "every rule is on");
    let mut problems: Vec<String> = rules
        .iter()
        .flat_map(|rule| check_rule(&standard, rule))
        .collect();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !rules.contains(name.as_str()) {
            problems.push(format!(
                "{name}: examples for a rule the standard does not have"
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn every_rule_names_its_sources() {
    let standard = Ruleset::built_in("police-api-standard").unwrap();
    for rule in &standard.rules {
        let guidance = rule.guidance.as_ref().unwrap();
        assert!(guidance.source.is_some(), "{} names no source", rule.name);
    }
    assert_eq!(standard.identity.version, "1.1.0");
    assert_eq!(standard.identity.published.as_deref(), Some("2026-12-05"));
}

const OPEN: &str = "openapi: 3.0.3
info:
  title: Open
  version: 1.0.0
  contact: {url: \"https://data.example.police.uk/contact\"}
  license: {name: Open Government Licence v3.0, url: \"https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/\"}
  x-pac-open-data: true
security: []
paths:
  /forces:
    get:
      operationId: listForces
      responses:
        '200': {description: The forces.}
        '404': {description: Not found.}
";

/// The MUST rules that fail on `text`.
fn must_failures(text: &str) -> Vec<String> {
    let dir = tempfile_dir();
    let path = dir.join("openapi.yaml");
    std::fs::write(&path, text).unwrap();
    let standard = Ruleset::built_in("police-api-standard").unwrap();
    let report = lint(&standard, &path);
    std::fs::remove_dir_all(&dir).unwrap();
    score::score(&standard, &report).unwrap().must_failures
}

fn tempfile_dir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "pac-lint-standard-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Open data is stated twice, for people (the marker) and for tools (`security: []`), with a
/// licence; either half alone reads as a forgotten `security` block.
#[test]
fn open_data_earns_the_kitemark_only_when_stated() {
    assert_eq!(must_failures(OPEN), Vec::<String>::new());
    let no_marker = OPEN.replace("  x-pac-open-data: true\n", "");
    assert_eq!(must_failures(&no_marker), ["pas-security-declared"]);
    let no_security = OPEN.replace("security: []\n", "");
    assert_eq!(
        must_failures(&no_security),
        ["pas-security-declared", "pas-operation-security"]
    );
    let no_licence = OPEN.replace(
        "  license: {name: Open Government Licence v3.0, url: \"https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/\"}\n",
        "",
    );
    assert_eq!(must_failures(&no_licence), ["pas-open-data-licence"]);
    // An optional credential (`[{}]`) is open too; a required one is not open data, and must be declared.
    let optional = OPEN.replace("security: []", "security: [{}]");
    assert_eq!(must_failures(&optional), Vec::<String>::new());
    let required = OPEN.replace("security: []", "security: [{key: []}]");
    assert_eq!(must_failures(&required), ["pas-security-declared"]);
}

/// The seed catalogue's flagship, data.police.uk: public open data, no credentials by design.
#[test]
fn the_seed_data_police_uk_description_earns_the_kitemark() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../catalogue/apis/police-uk/data-police-uk/1.0.1/openapi.yaml");
    let standard = Ruleset::built_in("police-api-standard").unwrap();
    let report = lint(&standard, &seed);
    let score = score::score(&standard, &report).unwrap();
    assert!(score.kitemark, "{:?}", score.must_failures);
}
