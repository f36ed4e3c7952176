//! THROWAWAY: records lint results and ruleset errors to compare before/after a refactor.
use std::fmt::Write as _;

use pac_lint::Ruleset;
use pac_lint::ruleset::Resolver;

const BROKEN: &[&str] = &[
    "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    bogus: 1\n",
    "bogus: 1\n",
    "rules:\n  r:\n    given: \"$.paths[\"\n    then: {function: truthy}\n",
    "rules:\n  r:\n    given: $\n    then: {function: nope}\n",
    "rules:\n  r:\n    given: $\n    then: {function: pattern, functionOptions: {match: \"(\"}}\n",
    "aliases:\n  A: \"#B\"\n  B: \"#A\"\nrules:\n  r:\n    given: \"#A\"\n    then: {function: truthy}\n",
    "rules:\n  r:\n    given: $\n    severity: loud\n    then: {function: truthy}\n",
    "rules:\n  r:\n    given: $\n    then: [{function: truthy}, {function: pattern, functionOptions: {match: 3}}]\n",
    "rules:\n  r:\n    given: $\n    then: [{function: truthy}, {field: 3, function: truthy}]\n",
    "rules:\n  r:\n    given: $\n    then: [{function: truthy}, 3]\n",
    "rules:\n  r:\n    given: $\n    then: []\n",
    "rules:\n  r:\n    given: []\n    then: {function: truthy}\n",
    "rules:\n  r:\n    given: [$, 3]\n    then: {function: truthy}\n",
    "rules:\n  r:\n    then: {function: truthy}\n",
    "rules:\n  r:\n    given: $\n",
    "rules:\n  r:\n    given: $\n    then: {field: a}\n",
    "rules:\n  r:\n    given: $\n    then: {function: 3}\n",
    "rules:\n  r:\n    given: $\n    then: {function: truthy, bogus: 1}\n",
    "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    recommended: 1\n",
    "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    resolved: yes\n",
    "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    description: 3\n",
    "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    message: [a]\n",
    "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    formats: [oas9]\n",
    "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    formats: oas3\n",
    "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    formats: [3]\n",
    "formats: [oas9]\n",
    "formats: oas3\n",
    "rules:\n  r:\n    given: \"#Nope\"\n    then: {function: truthy}\n",
    "aliases: [1]\n",
    "aliases:\n  A: 3\nrules:\n  r:\n    given: \"#A\"\n    then: {function: truthy}\n",
    "aliases:\n  A: [3]\nrules:\n  r:\n    given: \"#A\"\n    then: {function: truthy}\n",
    "aliases:\n  A: {targets: 3}\nrules:\n  r:\n    given: \"#A\"\n    then: {function: truthy}\n",
    "aliases:\n  A: {targets: [{formats: [oas9], given: $}]}\nrules:\n  r:\n    given: \"#A\"\n    then: {function: truthy}\n",
    "aliases:\n  A: {targets: [{formats: [oas3]}]}\nrules:\n  r:\n    given: \"#A\"\n    then: {function: truthy}\n",
    "rules: [1]\n",
    "rules:\n  r: [1]\n",
    "rules:\n  r: null\n",
    "rules:\n  r: off\n",
    "rules:\n  r: loud\n",
    "rules:\n  r: 7\n",
    "rules:\n  r: {severity: error}\n",
    "extends: [police-api-standard]\nrules:\n  pas-info-contact: loud\n",
    "extends: [police-api-standard]\nrules:\n  pas-info-contact: {severity: loud}\n",
    "extends: [police-api-standard]\nrules:\n  pas-info-contact: {severity: error, bogus: 1}\n",
    "extends: [police-api-standard]\nrules:\n  pas-info-contact: {message: 3}\n",
    "extends: 3\n",
    "extends: [3]\n",
    "extends: [[a, b, c]]\n",
    "extends: [[spectral:oas, bogus]]\n",
    "extends: [[3, all]]\n",
    "extends: [nope]\n",
    "extends: ./x.yaml\n",
    "extends: https://example.org/r.yaml\n",
    "x-pac: 3\n",
    "x-pac: {view: sideways}\n",
    "x-pac: {view: 3}\n",
    "x-pac: {name: 3}\n",
    "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    x-pac: {level: MUST, category: security, rationale: a, fix: b}\n",
    "rules:\n  r:\n    given: $\n    severity: error\n    then: {function: truthy}\n    x-pac: {level: MAY, category: security, rationale: a, fix: b}\n",
    "rules:\n  r:\n    given: $\n    severity: error\n    then: {function: truthy}\n    x-pac: {level: MUST, category: fun, rationale: a, fix: b}\n",
    "rules:\n  r:\n    given: $\n    severity: error\n    then: {function: truthy}\n    x-pac: {level: MUST, category: security, fix: b}\n",
    "rules:\n  r:\n    given: $\n    severity: error\n    then: {function: truthy}\n    x-pac: {level: MUST, category: security, rationale: \"  \", fix: b}\n",
    "rules:\n  r:\n    given: $\n    severity: error\n    then: {function: truthy}\n    x-pac: 3\n",
    "rules:\n  r:\n    given: $\n    then: {field: \"$.[\", function: truthy}\n",
    "rules:\n  r:\n    given: $\n    then: {function: length, functionOptions: {}}\n",
    "rules:\n  r:\n    given: $\n    then: {function: oasExample}\n",
    "- 1\n",
    "a: [\n",
    "",
    "{}\n",
    "null\n",
    "rules: null\n",
    "extends: null\n",
    "aliases: null\n",
    "formats: null\n",
    "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    severity: null\n",
    "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    formats: null\n",
    "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    recommended: null\n",
    "rules:\n  r:\n    given: null\n    then: {function: truthy}\n",
    "rules:\n  r:\n    given: $\n    then: {function: truthy, field: null, functionOptions: null}\n",
    "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    severity: 1.5\n",
    "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    severity: true\n",
    "extends: [police-api-standard]\nrules:\n  pas-info-contact: true\n",
    "extends: [police-api-standard]\nrules:\n  pas-info-contact: false\n",
    "extends: [police-api-standard]\nrules:\n  pas-info-contact: -1\n",
    "extends: [police-api-standard]\nrules:\n  pas-info-contact: {severity: 2, description: d, message: m}\n",
    "extends: [police-api-standard]\nrules:\n  pas-info-contact: {}\n",
    "extends: [police-api-standard]\nrules:\n  pas-info-contact: {severity: null}\n",
    "extends: [[spectral:oas, off]]\nrules:\n  info-contact: true\n  info-license: error\n",
    "extends: [spectral:oas, all]\n",
    "extends: [[spectral:oas, all]]\n",
    "extends: [spectral:oas, police-api-standard]\n",
    "extends: spectral:oas\nfunctions: [a]\nfunctionsDir: x\noverrides: []\ndocumentationUrl: u\ndescription: d\nx-other: 1\nformats: [oas3]\nx-pac: {name: n, version: v, title: t, published: p, summary: s, view: normalized, other: 1}\n",
    "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    documentationUrl: u\n    type: style\n    tags: [a]\n    x-foo: 1\n    recommended: false\n    resolved: false\n    formats: [oas2, oas3.1]\n    description: d\n    message: m\n    severity: 3\n",
    "rules:\n  r:\n    given: $\n    then: {function: truthy}\n    x-pac: {level: SHOULD, category: design, rationale: \" a \", fix: b, other: 1}\n",
    "rules:\n  r:\n    given: $\n    severity: 0\n    then: {function: truthy}\n    x-pac: {level: MUST, category: design, rationale: a, fix: b}\n",
    "rules:\n  r:\n    given: $\n    then: {function: nope}\n  s:\n    given: \"$..[?(@.constructor === Object)]\"\n    then: {function: truthy}\n  t:\n    given: $\n    then: {function: pattern, functionOptions: {match: \"(?<=a)b\"}}\n  u:\n    given: $\n    then: {field: \"$..[?(@.constructor === Object)]\", function: truthy}\n",
    "{\"rules\": {\"r\": {\"given\": [\"$.info\", \"$.paths\"], \"then\": [{\"field\": \"@key\", \"function\": \"truthy\"}, {\"field\": \"a['b.c'].d\", \"function\": \"defined\"}]}}}\n",
    "aliases:\n  A: {targets: [{formats: [oas3], given: [\"$.a\", \"#B\"]}, {formats: [oas2], given: \"$.c\"}]}\n  B: {targets: [{formats: [oas3_0, oas2], given: $.b}]}\nrules:\n  r:\n    given: [\"#A.x\", \"#B\"]\n    then: {function: truthy}\n",
];

fn dump(r: &Ruleset) -> String {
    let mut s = format!(
        "{:?} view={:?} formats={:?} unsupported={:?}\n",
        r.identity, r.view, r.formats, r.unsupported
    );
    for rule in &r.rules {
        let _ = writeln!(
            s,
            "  {} {:?} {:?} {:?} given={:?} then={:?} formats={:?} rec={} res={} g={:?}",
            rule.name,
            rule.severity,
            rule.description,
            rule.message,
            rule.given
                .iter()
                .map(|g| (g.path.as_str().to_owned(), g.formats.clone()))
                .collect::<Vec<_>>(),
            rule.then
                .iter()
                .map(|t| format!("{:?}/{:?}", field(&t.field), t.function))
                .collect::<Vec<_>>(),
            rule.formats,
            rule.recommended,
            rule.resolved,
            rule.guidance
        );
    }
    s
}

fn field(f: &pac_lint::ruleset::Field) -> String {
    use pac_lint::ruleset::Field;
    match f {
        Field::Node => "node".into(),
        Field::Keys => "@key".into(),
        Field::Member(m) => format!("{m:?}"),
        Field::Path(p) => p.as_str().to_owned(),
    }
}

fn parse(name: &str, text: &str) -> Result<Ruleset, pac_lint::RulesetError> {
    Ruleset::parse(name, text, &Resolver::BuiltIn)
}

#[test]
#[ignore]
fn baseline() {
    let out_dir = std::env::var("BASELINE_OUT").unwrap();
    let mut errors = String::new();
    for (i, text) in BROKEN.iter().enumerate() {
        let _ = match parse("r.yaml", text) {
            Ok(r) => writeln!(errors, "#{i} OK\n{}", dump(&r)),
            Err(e) => writeln!(errors, "#{i} ERR at={:?} {e}", e.at),
        };
    }
    for name in ["spectral:oas", "police-api-standard"] {
        let r = Ruleset::built_in(name).unwrap();
        let _ = writeln!(errors, "BUILT-IN {name}\n{}", dump(&r));
        let _ = writeln!(errors, "{}", pac_lint::ruleset::describe(&r));
    }
    std::fs::write(format!("{out_dir}/rulesets.txt"), errors).unwrap();

    let rulesets = [
        Ruleset::built_in("police-api-standard").unwrap(),
        Ruleset::built_in("spectral:oas").unwrap(),
        parse("all", "extends: [[spectral:oas, all]]\n").unwrap(),
        parse("all-normalised", "extends: [[spectral:oas, all]]\nx-pac: {view: normalised}\n").unwrap(),
    ];
    let files = std::fs::read_to_string(std::env::var("BASELINE_FILES").unwrap()).unwrap();
    let limits = pac_spec::Limits::default();
    let mut out = String::new();
    for file in files.lines() {
        let desc = match pac_spec::load_file(std::path::Path::new(file), &limits) {
            Ok(d) => d,
            Err(e) => {
                let _ = writeln!(out, "{file}: cannot load: {}", e.message);
                continue;
            }
        };
        for r in &rulesets {
            match pac_lint::lint_description(r, &desc, &limits) {
                Ok(report) => {
                    let _ = writeln!(
                        out,
                        "{file} {}: {} {}",
                        r.identity.name,
                        serde_json::to_string(&report).unwrap(),
                        serde_json::to_string(&pac_lint::score::score(r, &report)).unwrap()
                    );
                }
                Err(e) => {
                    let _ = writeln!(out, "{file} {}: error {}", r.identity.name, e.message);
                }
            }
        }
    }
    std::fs::write(format!("{out_dir}/lint.txt"), out).unwrap();
}
