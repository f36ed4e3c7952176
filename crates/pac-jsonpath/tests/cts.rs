//! RFC 9535's compliance test suite (`jsonpath-cts/cts.json` in the shared material), run
//! through the public API with refs kept. Every case must pass except those in [`DEVIATIONS`],
//! where pac answers as Spectral (JSONPath-Plus, nimma) does on purpose; each of those must
//! still fail, so that the list stays true.

use pac_jsonpath::{JsonPath, Refs};
use serde_json::Value;

const DEDUPED: &str =
    "results are deduplicated by location: a node selected twice is reported once";
const NULL_IS_UNDEFINED: &str =
    "`==` and `!=` hold a missing member equal to null, as JavaScript's `null == undefined`";

/// CTS cases where pac departs from RFC 9535 on purpose (see the crate's doc), with why.
const DEVIATIONS: &[(&str, &str)] = &[
    (
        "basic, name shorthand, number",
        "`.1` is a name, as in JavaScript, so `$.paths.0`-style rules work",
    ),
    (
        "basic, multiple selectors, index and slice, overlapping",
        DEDUPED,
    ),
    ("basic, multiple selectors, duplicate index", DEDUPED),
    ("basic, multiple selectors, wildcard and index", DEDUPED),
    ("basic, multiple selectors, wildcard and name", DEDUPED),
    ("basic, multiple selectors, wildcard and slice", DEDUPED),
    ("basic, multiple selectors, multiple wildcards", DEDUPED),
    ("filter, multiple selectors, overlapping", DEDUPED),
    ("filter, multiple selectors, filter and wildcard", DEDUPED),
    (
        "filter, multiple selectors, comparison filter, index and slice",
        DEDUPED,
    ),
    ("filter, equals null, absent from data", NULL_IS_UNDEFINED),
    (
        "filter, not-equals null, absent from data",
        NULL_IS_UNDEFINED,
    ),
    (
        "filter, name segment on array, selects nothing",
        "`@['0']` reads item 0 of an array, as JavaScript does",
    ),
    (
        "filter, index segment on object, selects nothing",
        "`@[0]` reads member \"0\" of an object, as JavaScript does",
    ),
];

#[test]
fn compliance_test_suite() {
    let Some(path) = pac_testkit::shared_path("cts", "jsonpath-cts/cts.json") else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("cts.json is readable");
    let suite: Value = serde_json::from_str(&text).expect("cts.json is JSON");
    let cases = suite["tests"].as_array().expect("cts.json has `tests`");
    assert!(!cases.is_empty(), "the suite has no cases");

    for (i, (name, _)) in DEVIATIONS.iter().enumerate() {
        assert!(
            cases.iter().any(|c| c["name"] == *name),
            "deviation {name:?} is not a case of the suite"
        );
        assert!(
            DEVIATIONS[..i].iter().all(|(n, _)| n != name),
            "deviation {name:?} is listed twice"
        );
    }

    let mut passed = 0;
    let (mut invalid, mut refused) = (0, 0);
    let mut failing = Vec::new();
    let mut listed_but_passing = Vec::new();
    for case in cases {
        let name = case["name"].as_str().expect("every case has a name");
        let listed = DEVIATIONS.iter().any(|(n, _)| *n == name);
        let outcome = check(case);
        passed += usize::from(outcome.is_ok());
        if case["invalid_selector"] == true {
            invalid += 1;
            refused += usize::from(outcome.is_ok());
        }
        match outcome {
            Ok(()) if listed => listed_but_passing.push(name),
            Ok(()) => {}
            Err(why) if !listed => failing.push(format!("{name}: {why}")),
            Err(_) => {}
        }
    }

    assert!(
        failing.is_empty(),
        "{} CTS case(s) fail:\n{}",
        failing.len(),
        failing.join("\n")
    );
    assert!(
        listed_but_passing.is_empty(),
        "these deviations pass now, so take them off DEVIATIONS: {listed_but_passing:#?}"
    );
    assert_eq!(passed, cases.len() - DEVIATIONS.len());
    let invalid_deviations = DEVIATIONS
        .iter()
        .filter(|(n, _)| {
            cases
                .iter()
                .any(|c| c["name"] == *n && c["invalid_selector"] == true)
        })
        .count();
    assert_eq!(refused, invalid - invalid_deviations);
}

/// Whether pac answers `case` as the suite says, and if not, how it differs.
fn check(case: &Value) -> Result<(), String> {
    let selector = case["selector"].as_str().ok_or("no selector")?;
    let parsed = JsonPath::parse(selector);
    if case["invalid_selector"] == true {
        return match parsed {
            Ok(_) => Err(format!("{selector:?} is accepted but is invalid")),
            Err(_) => Ok(()),
        };
    }
    let path = parsed.map_err(|e| format!("{selector:?} is refused: {e}"))?;
    let got: Vec<Value> = path
        .select(&case["document"], Refs::Keep)
        .into_iter()
        .map(|n| n.value.into_owned())
        .collect();
    let right = match (&case["result"], &case["results"]) {
        (Value::Array(one), _) => got == *one,
        (_, Value::Array(any)) => any.iter().any(|r| r.as_array() == Some(&got)),
        _ => return Err("the case has neither `result` nor `results`".into()),
    };
    if right {
        Ok(())
    } else {
        let want = case.get("result").or(case.get("results"));
        Err(format!(
            "{selector:?} gives {} but the suite wants {}",
            Value::from(got),
            want.unwrap_or(&Value::Null)
        ))
    }
}
