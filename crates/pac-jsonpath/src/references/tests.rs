//! Selections with refs kept and followed: locations, cycles, missing targets, dense graphs.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::testing::{OP, both, oas, sel, vals};
use crate::{JsonPath, Refs, Segment, pointer};

#[test]
fn operations() {
    let d = oas();
    assert_eq!(
        sel(OP, &d, Refs::Keep),
        ["/paths/~1pets/get", "/paths/~1pets/post"]
    );
    assert_eq!(
        sel(OP, &d, Refs::Follow),
        [
            "/paths/~1pets/get",
            "/paths/~1pets/post",
            "/components/pathItems/PetById/get"
        ]
    );
    let r = format!("{OP}.responses[*]");
    assert_eq!(
        sel(&r, &d, Refs::Keep),
        [
            "/paths/~1pets/get/responses/200",
            "/paths/~1pets/post/responses/201"
        ]
    );
    assert_eq!(
        sel(&r, &d, Refs::Follow),
        [
            "/components/responses/Ok",
            "/paths/~1pets/post/responses/201",
            "/components/pathItems/PetById/get/responses/404"
        ]
    );
    assert_eq!(
        vals(&r, &d, Refs::Keep)[0],
        json!({"$ref": "#/components/responses/Ok"})
    );
    assert_eq!(vals(&r, &d, Refs::Follow)[0]["description"], json!("ok"));
    assert_eq!(
        both(&format!("{OP}.security[*]"), &d),
        ["/paths/~1pets/get/security/0"]
    );
    assert_eq!(
        sel("$.paths[*][*]..content[*].examples[*]", &d, Refs::Keep),
        Vec::<String>::new()
    );
}

#[test]
fn examples_through_refs() {
    let d = oas();
    // Reached only through the $ref of a response.
    assert_eq!(
        sel("$.paths[*][*]..content[*].examples[*]", &d, Refs::Follow),
        ["/components/responses/Ok/content/application~1json/examples/one"]
    );
    assert_eq!(
        sel(
            "$.paths[*][*].responses..content[*].examples[*]",
            &d,
            Refs::Follow
        ),
        ["/components/responses/Ok/content/application~1json/examples/one"]
    );
    assert_eq!(
        sel(
            "$..content..[?(@ && @.schema && (@.example !== void 0 || @.examples))]",
            &d,
            Refs::Keep
        ),
        ["/components/responses/Ok/content/application~1json"]
    );
}

#[test]
fn descriptions_and_sibling() {
    let d = oas();
    assert_eq!(
        sel("$..[description,title]", &d, Refs::Keep),
        [
            "/paths/~1pets/post/responses/201/description",
            "/components/responses/Ok/description",
            "/components/pathItems/PetById/get/responses/404/description",
            "/components/schemas/Sibling/description"
        ]
    );
    // With refs followed, the $ref siblings are not seen.
    assert_eq!(
        sel("$..[description,title]", &d, Refs::Follow),
        [
            "/components/responses/Ok/description",
            "/paths/~1pets/post/responses/201/description",
            "/components/pathItems/PetById/get/responses/404/description"
        ]
    );
    assert_eq!(
        vals("$..[description,title]", &d, Refs::Keep),
        [json!("made"), json!("ok"), json!("none"), json!("sibling")]
    );
    assert_eq!(
        sel("$.components.schemas.Sibling", &d, Refs::Follow),
        ["/components/schemas/Pet"]
    );
}

#[test]
fn ref_members() {
    let d = oas();
    assert_eq!(
        sel("$..[?(@property === '$ref')]", &d, Refs::Keep),
        [
            "/paths/~1pets/get/responses/200/$ref",
            "/paths/~1pets/parameters/0/$ref",
            "/paths/~1pets~1{id}/$ref",
            "/components/responses/Ok/content/application~1json/schema/$ref",
            "/components/schemas/Pet/properties/owner/$ref",
            "/components/schemas/Person/properties/pet/$ref",
            "/components/schemas/Person/properties/self/$ref",
            "/components/schemas/Missing/$ref",
            "/components/schemas/Sibling/$ref",
            "/components/schemas/Self/$ref"
        ]
    );
    // Followed: only refs on a cycle, unresolvable ones and self-references remain.
    assert_eq!(
        sel("$..[?(@property === '$ref')]", &d, Refs::Follow),
        [
            "/components/schemas/Person/properties/pet/$ref",
            "/components/schemas/Person/properties/self/$ref",
            "/components/schemas/Missing/$ref",
            "/components/schemas/Self/$ref"
        ]
    );
    assert_eq!(
        vals("$..[?(@property === '$ref')]", &d, Refs::Follow)[2],
        json!("#/components/schemas/Nope")
    );
    assert_eq!(
        sel("$..['$ref']", &d, Refs::Keep),
        sel("$..$ref", &d, Refs::Keep)
    );
    assert_eq!(sel("$..$ref", &d, Refs::Keep).len(), 10);
}

#[test]
fn cycles_and_missing() {
    let d = oas();
    let p = "$.components.schemas.Person.properties.self";
    assert_eq!(
        sel(p, &d, Refs::Follow),
        ["/components/schemas/Person/properties/self"]
    );
    assert_eq!(
        vals(p, &d, Refs::Follow),
        [json!({"$ref": "#/components/schemas/Person"})]
    );
    let p = "$.components.schemas.Person.properties.pet.properties.owner";
    assert_eq!(sel(p, &d, Refs::Keep), Vec::<String>::new());
    assert_eq!(
        sel(p, &d, Refs::Follow),
        ["/components/schemas/Pet/properties/owner"]
    );
    let p = "$.components.schemas.Person.properties.pet.properties.owner.properties.self";
    assert_eq!(sel(p, &d, Refs::Follow), Vec::<String>::new());
    assert_eq!(
        both("$.components.schemas.Missing", &d),
        ["/components/schemas/Missing"]
    );
    assert_eq!(
        both("$.components.schemas.Self", &d),
        ["/components/schemas/Self"]
    );
    // A whole-document descendant walk terminates and dedupes.
    let all = sel("$..*", &d, Refs::Follow);
    let set: HashSet<_> = all.iter().collect();
    assert_eq!(set.len(), all.len());
    let keep = sel("$..*", &d, Refs::Keep);
    assert!(keep.len() > all.len());
}

#[test]
fn ref_hops_and_root_ref() {
    let d = json!({
        "a": {"$ref": "#/b"},
        "b": {"$ref": "#/c"},
        "c": {"x": 1},
        "loop1": {"$ref": "#/loop2"},
        "loop2": {"$ref": "#/loop1"},
        "enc": {"$ref": "#/d~1e/f%20g"},
        "d/e": {"f g": [10, 20]},
        "idx": {"$ref": "#/d~1e/f%20g/1"}
    });
    assert_eq!(sel("$.a.x", &d, Refs::Follow), ["/c/x"]);
    assert_eq!(sel("$.a.x", &d, Refs::Keep), Vec::<String>::new());
    assert_eq!(sel("$.loop1", &d, Refs::Follow), ["/loop1"]);
    assert_eq!(sel("$.enc[1]", &d, Refs::Follow), ["/d~1e/f g/1"]);
    assert_eq!(vals("$.idx", &d, Refs::Follow), [json!(20)]);
    // `$` itself is a ref.
    let start = &d["a"];
    let p = JsonPath::parse("$.x").unwrap();
    let got = p.select_from(&d, start, &[Segment::Key("a".into())], Refs::Follow);
    assert_eq!(got.len(), 1);
    assert_eq!(pointer(&got[0].location), "/c/x");
    let got = p.select_from(&d, &d["c"], &[Segment::Key("c".into())], Refs::Keep);
    assert_eq!(pointer(&got[0].location), "/c/x");
    assert_eq!(*got[0].value, json!(1));
    let got = JsonPath::parse("$").unwrap().select_from(
        &d,
        start,
        &[Segment::Key("a".into())],
        Refs::Keep,
    );
    assert_eq!(pointer(&got[0].location), "/a");
}

#[test]
fn dense_refs_are_linear() {
    // Each schema references all previous ones: without memoisation a descendant
    // walk with refs followed would be exponential.
    let mut schemas = serde_json::Map::new();
    for i in 0..200 {
        let props: serde_json::Map<String, Value> = (0..i)
            .map(|j| (format!("p{j}"), json!({"$ref": format!("#/s/S{j}")})))
            .collect();
        schemas.insert(
            format!("S{i}"),
            json!({"type": "object", "properties": props}),
        );
    }
    let d = json!({"s": schemas});
    let t = std::time::Instant::now();
    let n = sel("$..[?(@ && @.type)]", &d, Refs::Follow).len();
    assert_eq!(n, 200);
    assert!(t.elapsed().as_secs() < 5);
    assert_eq!(
        sel("$..[?(@property === '$ref')]", &d, Refs::Follow).len(),
        0
    );
    assert_eq!(
        sel("$..[?(@property === '$ref')]", &d, Refs::Keep).len(),
        199 * 100
    );
}
