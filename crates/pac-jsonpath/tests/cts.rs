use pac_jsonpath::{JsonPath, Refs};
use serde_json::Value;

#[test]
fn explore() {
    let Some(path) = pac_testkit::shared_path("cts", "jsonpath-cts/cts.json") else { return };
    let suite: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut fails = 0;
    for t in suite["tests"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        let sel = t["selector"].as_str().unwrap();
        let parsed = JsonPath::parse(sel);
        if t.get("invalid_selector").is_some() {
            if parsed.is_ok() { fails += 1; println!("ACCEPTED {name:?}  {sel}"); }
            continue;
        }
        let p = match parsed { Ok(p) => p, Err(e) => { fails += 1; println!("REFUSED {name:?}  {sel}  {e}"); continue; } };
        let got: Vec<Value> = p.select(&t["document"], Refs::Keep).into_iter().map(|n| n.value.into_owned()).collect();
        let ok = match t.get("result") { Some(r) => r.as_array().unwrap() == &got, None => t["results"].as_array().unwrap().iter().any(|r| r.as_array().unwrap() == &got) };
        if !ok { fails += 1; println!("WRONG {name:?}  {sel}  got {}  want {}", Value::from(got.clone()), t.get("result").or(t.get("results")).unwrap()); }
    }
    println!("fails {fails}");
}
