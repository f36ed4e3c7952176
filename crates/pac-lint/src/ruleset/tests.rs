//! Reading rulesets: what Spectral's format allows is accepted, and what is wrong is refused
//! with its place, so that an author can find it.

use super::*;

/// Files for `extends`, by name, shown beside the ruleset naming them as the command line
/// shows them.
struct Files(&'static [(&'static str, &'static str)]);

impl RulesetFiles for Files {
    fn read(&self, relative_to: &str, name: &str) -> Result<(String, String), String> {
        let dir = relative_to.rsplit_once('/').map_or("", |(dir, _)| dir);
        let shown = format!("{dir}/{name}");
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| (shown.clone(), (*text).to_owned()))
            .ok_or_else(|| format!("{shown}: cannot read it: no such file"))
    }
}

fn parse(text: &str) -> Result<Ruleset, RulesetError> {
    Ruleset::parse("r.yaml", text, &Resolver::BuiltIn)
}

/// The error `text` gives, checked to name the file and its place.
fn error(text: &str) -> RulesetError {
    let e = parse(text).expect_err("the ruleset is refused");
    assert_eq!(e.source_name, "r.yaml");
    assert!(
        e.to_string().starts_with(&format!("r.yaml: {}: ", e.at)),
        "{e}"
    );
    e
}

/// The one rule of `text` that cannot run, and why.
fn unsupported(text: &str) -> Unsupported {
    let ruleset = parse(text).unwrap();
    assert!(ruleset.rules.is_empty(), "{:?}", ruleset.rules);
    let [u] = <[Unsupported; 1]>::try_from(ruleset.unsupported).unwrap();
    u
}

#[test]
fn the_built_in_rulesets_load() {
    let standard = Ruleset::built_in("police-api-standard").unwrap();
    assert!(
        standard.unsupported.is_empty(),
        "{:?}",
        standard.unsupported
    );
    assert_eq!(standard.view, View::Normalised);
    assert!(standard.rules.iter().all(|r| r.guidance.is_some()));
    let oas = Ruleset::built_in("spectral:oas").unwrap();
    let unsupported: Vec<&str> = oas.unsupported.iter().map(|u| u.rule.as_str()).collect();
    assert_eq!(unsupported, ["oas2-schema", "oas3-schema"]);
    assert_eq!(
        oas.unsupported[0].reason,
        "rules.oas2-schema.then[0].function: function \"oasDocumentSchema\" is not available in pac"
    );
    let e = Ruleset::built_in("spectral:all").unwrap_err();
    assert_eq!(e.at, "name");
}

#[test]
fn an_unknown_rule_key_is_named() {
    let e = error("rules:\n  r:\n    given: $\n    then: {function: truthy}\n    bogus: 1\n");
    assert_eq!(e.at, "rules.r.bogus");
    assert_eq!(e.message, "unknown rule key");
    let e = error("bogus: 1\n");
    assert_eq!(e.at, "bogus");
    assert!(e.message.starts_with("unknown ruleset key"), "{e}");
}

#[test]
fn a_bad_given_is_named() {
    let e = error("rules:\n  r:\n    given: \"$.paths[\"\n    then: {function: truthy}\n");
    assert_eq!(e.at, "rules.r.given");
    assert!(e.message.starts_with("\"$.paths[\": "), "{e}");
    let e = error("rules:\n  r:\n    given: [$.info, 3]\n    then: {function: truthy}\n");
    assert_eq!(e.at, "rules.r.given[1]");
    let e = error("rules:\n  r:\n    given: []\n    then: {function: truthy}\n");
    assert_eq!(e.at, "rules.r.given");
    let e = error("rules:\n  r:\n    then: {function: truthy}\n");
    assert_eq!(e.at, "rules.r.given");
}

#[test]
fn an_unknown_function_makes_its_rule_unsupported_and_says_where() {
    let u = unsupported(
        "rules:\n  r:\n    given: $\n    then: [{function: truthy}, {function: nope}]\n    x-pac: {level: SHOULD, category: design, rationale: a, fix: b}\n",
    );
    assert_eq!(u.rule, "r");
    assert_eq!(
        u.reason,
        "rules.r.then[1].function: function \"nope\" is not available in pac"
    );
    assert!(!u.must);
    let e = error("rules:\n  r:\n    given: $\n    then: [{function: truthy}, {field: a}]\n");
    assert_eq!(e.at, "rules.r.then[1].function");
    assert_eq!(e.message, "is required");
}

#[test]
fn bad_function_options_are_named() {
    let u = unsupported(
        "rules:\n  r:\n    given: $\n    then:\n      - {function: truthy}\n      - {function: pattern, functionOptions: {match: \"(\"}}\n",
    );
    assert!(
        u.reason
            .starts_with("rules.r.then[1].functionOptions: regex \"(\" cannot be used"),
        "{}",
        u.reason
    );
    let u = unsupported(
        "rules:\n  r:\n    given: $\n    then: [{function: truthy}, {function: pattern, functionOptions: {match: 3}}]\n",
    );
    assert_eq!(
        u.reason,
        "rules.r.then[1].functionOptions: match must be a string"
    );
    let e = error(
        "rules:\n  r:\n    given: $\n    then: [{function: truthy}, {field: 3, function: truthy}]\n",
    );
    assert_eq!(e.at, "rules.r.then[1].field");
    let e = error("rules:\n  r:\n    given: $\n    then: [{function: truthy}, 3]\n");
    assert_eq!(e.at, "rules.r.then[1]");
}

#[test]
fn an_alias_cycle_is_named() {
    let e = error(
        "aliases:\n  A: \"#B\"\n  B: [\"#A.x\"]\nrules:\n  r:\n    given: \"#A\"\n    then: {function: truthy}\n",
    );
    assert_eq!(e.at, "rules.r.given");
    assert_eq!(
        e.message,
        "aliases refer to each other in a circle: #A -> #B -> #A"
    );
    let e = error("rules:\n  r:\n    given: \"#Nope.x\"\n    then: {function: truthy}\n");
    assert_eq!(e.at, "rules.r.given");
    assert_eq!(e.message, "unknown alias #Nope");
    let e = error("aliases:\n  A: {targets: [{formats: [oas9], given: $}]}\n");
    assert_eq!(e.at, "aliases.A.targets[0].formats[0]");
    let e = error("aliases:\n  A: {targets: [{formats: [oas3]}]}\n");
    assert_eq!(e.at, "aliases.A.targets[0].given");
    assert_eq!(e.message, "is required");
}

#[test]
fn a_bad_severity_is_named() {
    let e = error("rules:\n  r:\n    given: $\n    severity: loud\n    then: {function: truthy}\n");
    assert_eq!(e.at, "rules.r.severity");
    assert_eq!(e.message, "must be error, warn, info, hint or off");
    let e = error("rules:\n  r:\n    given: $\n    severity: null\n    then: {function: truthy}\n");
    assert_eq!(e.at, "rules.r.severity");
    let e = error("extends: [police-api-standard]\nrules:\n  pas-info-contact: loud\n");
    assert_eq!(e.at, "rules.pas-info-contact");
    let e = error("extends: [police-api-standard]\nrules:\n  pas-info-contact: {severity: 7}\n");
    assert_eq!(e.at, "rules.pas-info-contact.severity");
    let e = error(
        "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    x-pac: {level: MUST, category: security, rationale: a, fix: b}\n",
    );
    assert_eq!(e.at, "rules.r.x-pac.level");
    assert!(e.message.contains("severity error"), "{e}");
}

#[test]
fn guidance_is_complete() {
    let rule = "rules:\n  r:\n    given: $\n    severity: error\n    then: {function: truthy}\n";
    let e = error(&format!(
        "{rule}    x-pac: {{level: MUST, category: fun, rationale: a, fix: b}}\n"
    ));
    assert_eq!(e.at, "rules.r.x-pac.category");
    let e = error(&format!(
        "{rule}    x-pac: {{level: MUST, category: security, fix: b}}\n"
    ));
    assert_eq!(e.at, "rules.r.x-pac.rationale");
    assert_eq!(e.message, "is required");
    let e = error(&format!(
        "{rule}    x-pac: {{level: MUST, category: security, rationale: \" \", fix: b}}\n"
    ));
    assert_eq!(e.at, "rules.r.x-pac.rationale");
    let ruleset = parse(&format!(
        "{rule}    x-pac: {{level: MUST, category: security, rationale: \" a \", fix: b, x-note: 1}}\n"
    ))
    .unwrap();
    let guidance = ruleset.rules[0].guidance.as_ref().unwrap();
    assert_eq!(
        (
            guidance.level,
            guidance.category,
            guidance.rationale.as_str()
        ),
        (Level::Must, Category::Security, "a")
    );
}

#[test]
fn other_malformed_parts_are_named() {
    let cases = [
        ("- 1\n", "file"),
        ("a: [\n", "file"),
        ("rules: [1]\n", "rules"),
        ("rules:\n  r: [1]\n", "rules.r"),
        ("aliases: [1]\n", "aliases"),
        ("formats: [oas9]\n", "formats[0]"),
        ("extends: 3\n", "extends"),
        ("extends: [[spectral:oas, sometimes]]\n", "extends[0][1]"),
        ("extends: [[spectral:oas, all, off]]\n", "extends[0]"),
        ("x-pac: {view: sideways}\n", "x-pac.view"),
        ("x-pac: {version: 1.0}\n", "x-pac.version"),
        (
            "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    formats: oas3\n",
            "rules.r.formats",
        ),
        (
            "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    recommended: 1\n",
            "rules.r.recommended",
        ),
        (
            "rules:\n  r:\n    given: $\n    then: {field: \"$.[\", function: truthy}\n",
            "rules.r.then[0].field",
        ),
        ("rules:\n  r: {severity: error}\n", "rules.r"),
    ];
    for (text, at) in cases {
        assert_eq!(error(text).at, at, "{text}");
    }
}

#[test]
fn spectral_shapes_are_accepted() {
    let ruleset = parse(
        r##"
extends: [[spectral:oas, "off"], police-api-standard]
documentationUrl: https://example.org/rules
description: ours
x-team: platform
formats: [oas3]
x-pac: {name: ours, version: "2.1.0", published: 2026-11-22, view: normalized, x-other: 1}
aliases:
  Info: $.info
  Paths: ["$.paths[*]"]
  Described:
    targets:
      - {formats: [oas3], given: ["#Info", "#Paths"]}
      - {formats: [oas2], given: $.x}
rules:
  info-contact: true
  info-license: 0
  operation-tags: warning
  pas-info-contact: {severity: 2, message: m}
  pas-servers-https: false
  ours:
    description: d
    given: ["#Described.description", $.servers]
    then:
      - {field: "@key", function: truthy}
      - {field: "a['b.c'].d", function: defined}
      - {field: $..x, function: truthy, functionOptions: null}
    severity: -1
    recommended: false
    resolved: false
    formats: [oas3.1]
    documentationUrl: https://example.org/ours
    type: style
    tags: [mine]
    x-note: why
"##,
    )
    .unwrap();
    assert_eq!(ruleset.identity.name, "ours");
    assert_eq!(ruleset.identity.version, "2.1.0");
    assert_eq!(ruleset.identity.published.as_deref(), Some("2026-11-22"));
    assert_eq!(ruleset.view, View::Normalised);
    assert_eq!(ruleset.formats.as_deref(), Some(&["oas3".to_owned()][..]));
    let severity = |name: &str| ruleset.rule(name).unwrap().severity;
    assert_eq!(severity("info-contact"), Severity::Warn);
    assert_eq!(severity("info-license"), Severity::Error);
    assert_eq!(severity("operation-tags"), Severity::Warn);
    assert_eq!(severity("oas3-api-servers"), Severity::Off);
    assert_eq!(severity("pas-info-contact"), Severity::Info);
    assert_eq!(severity("pas-servers-https"), Severity::Off);
    assert_eq!(
        ruleset.rule("pas-info-contact").unwrap().message.as_deref(),
        Some("m")
    );
    let ours = ruleset.rule("ours").unwrap();
    assert_eq!(ours.severity, Severity::Off);
    assert!(!ours.recommended && !ours.resolved);
    let given: Vec<(&str, Option<&[String]>)> = ours
        .given
        .iter()
        .map(|g| (g.path.as_str(), g.formats.as_deref()))
        .collect();
    let oas3 = ["oas3".to_owned()];
    assert_eq!(
        given,
        [
            ("$.info.description", Some(&oas3[..])),
            ("$.paths[*].description", Some(&oas3[..])),
            ("$.x.description", Some(&["oas2".to_owned()][..])),
            ("$.servers", None),
        ]
    );
    assert!(matches!(ours.then[0].field, Field::Keys));
    assert!(matches!(&ours.then[1].field, Field::Member(m) if m == &["a", "b.c", "d"]));
    assert!(matches!(ours.then[2].field, Field::Path(_)));
    // Keys pac cannot honour are reported, not ignored.
    let ruleset = parse("functions: [f]\noverrides: []\nfunctionsDir: fns\n").unwrap();
    let unsupported: Vec<&str> = ruleset
        .unsupported
        .iter()
        .map(|u| u.rule.as_str())
        .collect();
    assert_eq!(
        unsupported,
        ["(functions)", "(overrides)", "(functionsDir)"]
    );
}

#[test]
fn extends_reads_files_through_the_caller_and_never_fetches() {
    let files = Files(&[
        (
            "base.yaml",
            "extends: spectral:oas\nrules:\n  titled:\n    given: $.info\n    then: {field: title, function: truthy}\n",
        ),
        ("loop-a.yaml", "extends: loop-b.yaml\n"),
        ("loop-b.yaml", "extends: [loop-a.yaml]\n"),
        (
            "broken.yaml",
            "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    bogus: 1\n",
        ),
    ]);
    let resolver = Resolver::Files(&files);
    let ruleset = Ruleset::parse(
        "dir/r.yaml",
        "extends: [base.yaml]\nrules:\n  info-contact: off\n",
        &resolver,
    )
    .unwrap();
    assert_eq!(ruleset.rule("titled").unwrap().severity, Severity::Warn);
    assert_eq!(
        ruleset.rule("info-contact").unwrap().severity,
        Severity::Off
    );

    let e = Ruleset::parse("dir/r.yaml", "extends: [missing.yaml]\n", &resolver).unwrap_err();
    assert_eq!(
        (e.source_name.as_str(), e.at.as_str()),
        ("dir/r.yaml", "extends[0]")
    );
    assert_eq!(e.message, "dir/missing.yaml: cannot read it: no such file");

    let e = Ruleset::parse("dir/r.yaml", "extends: [loop-a.yaml]\n", &resolver).unwrap_err();
    assert_eq!(e.source_name, "dir/loop-b.yaml");
    assert_eq!(e.at, "extends[0] -> extends[0] -> extends[0]");
    assert_eq!(
        e.message,
        "rulesets extend each other in a circle: dir/r.yaml -> dir/loop-a.yaml -> dir/loop-b.yaml -> dir/loop-a.yaml"
    );

    // An error inside an extended file names that file, and which entry led to it.
    let e = Ruleset::parse("dir/r.yaml", "extends: [broken.yaml]\n", &resolver).unwrap_err();
    assert_eq!(e.source_name, "dir/broken.yaml");
    assert_eq!(e.at, "extends[0] -> rules.r.bogus");

    let e = Ruleset::parse(
        "dir/r.yaml",
        "extends: https://example.org/ruleset.yaml\n",
        &resolver,
    )
    .unwrap_err();
    assert_eq!(e.at, "extends[0]");
    assert!(e.message.contains("never fetches"), "{e}");

    let e = error("extends: ./local.yaml\n");
    assert_eq!(e.at, "extends[0]");
    assert!(e.message.contains("command line"), "{e}");
}

#[test]
fn an_unquoted_off_in_extends_means_off() {
    // YAML 1.1 reads `off` as false; the author meant Spectral's mode.
    let off = parse("extends: [[spectral:oas, off]]\n").unwrap();
    assert!(off.enabled().next().is_none(), "every rule is off");
    let all = parse("extends: [[spectral:oas, all]]\n").unwrap();
    assert!(all.enabled().count() > off.enabled().count());
    let e = error("extends: [[spectral:oas, true]]\n");
    assert_eq!(e.at, "extends[0][1]");
}
