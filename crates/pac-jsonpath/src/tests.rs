//! The public API: traits, `select_from` with a base, deduplication.

use serde_json::json;

use crate::testing::{both, oas, sel};
use crate::{JsonPath, Refs, Segment, pointer};

#[test]
fn api_basics() {
    fn assert_traits<T: Send + Sync + Clone + std::fmt::Debug>() {}
    assert_traits::<JsonPath>();
    let p = JsonPath::parse("$.a").unwrap();
    assert_eq!(p.as_str(), "$.a");
    assert_eq!(pointer(&[]), "");
    assert_eq!(
        pointer(&[Segment::Key("a/b~c".into()), Segment::Index(3)]),
        "/a~1b~0c/3"
    );
    let p2 = p.clone();
    let h = std::thread::spawn(move || p2.select(&json!({"a": 1}), Refs::Keep).len());
    assert_eq!(h.join().unwrap(), 1);
}

#[test]
fn select_from_base_and_path() {
    let d = oas();
    let start = &d["components"]["schemas"];
    let base = [
        Segment::Key("components".into()),
        Segment::Key("schemas".into()),
    ];
    let p = JsonPath::parse("$[?(@path === \"$['components']['schemas']['Pet']\")].type").unwrap();
    let got = p.select_from(&d, start, &base, Refs::Keep);
    assert_eq!(got.len(), 1);
    assert_eq!(pointer(&got[0].location), "/components/schemas/Pet/type");
    let p = JsonPath::parse("$.Sibling.properties.name").unwrap();
    let got = p.select_from(&d, start, &base, Refs::Follow);
    assert_eq!(
        pointer(&got[0].location),
        "/components/schemas/Pet/properties/name"
    );
    assert!(p.select_from(&d, start, &base, Refs::Keep).is_empty());
    // Unions and overlapping selectors are deduplicated by location.
    assert_eq!(
        both("$.openapi['openapi','openapi']", &d),
        Vec::<String>::new()
    );
    assert_eq!(both("$['openapi','openapi']", &d), ["/openapi"]);
    assert_eq!(both("$.servers[0,0,-1]", &d), ["/servers/0"]);
    // Names of followed path items are located at the referencing member.
    assert_eq!(
        sel("$.paths[?(@.get)]~", &d, Refs::Follow),
        ["/paths/~1pets", "/paths/~1pets~1{id}"]
    );
    assert_eq!(sel("$.paths[?(@.get)]~", &d, Refs::Keep), ["/paths/~1pets"]);
    assert_eq!(sel("$~", &d, Refs::Keep), Vec::<String>::new());
}
