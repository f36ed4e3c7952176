//! Filters: RFC existence against JavaScript truthiness, comparisons, methods, `@property`
//! and its kin, and the filters of Spectral's rulesets.

use serde_json::json;

use crate::Refs;
use crate::testing::{both, oas, sel, vals};

#[test]
fn type_filters() {
    let d = oas();
    let tags = ["/components/schemas/Pet/properties/tags"];
    assert_eq!(both("$..[?(@ && @.type==\"array\")]", &d), tags);
    let d2 = json!({"a": {"type": ["array", "null"]}, "b": {"type": "array"}, "c": {"type": ["string"]}});
    assert_eq!(
        both(
            "$..[?(@ && @.type && @.type.constructor.name === \"Array\" && @.type.includes(\"array\"))]",
            &d2
        ),
        ["/a"]
    );
    assert_eq!(
        both("$..[?(@ && @.enum && @.type)]", &d),
        ["/components/schemas/Pet/properties/name"]
    );
    let d3 = json!({"properties": {"enum": {"enum": [1]}}, "x": {"enum": [1, 2]}, "y": {"enum": "no"}, "z": null});
    assert_eq!(
        both(
            "$..[?(@property !== 'properties' && @ != null && @.enum && @.enum.constructor.name === 'Array')]",
            &d3
        ),
        ["/x", "/properties/enum"]
    );
}

#[test]
fn existence_vs_truthiness() {
    let d = json!([{"a": false}, {"a": 0}, {"a": null}, {"a": ""}, {"a": 1}, {}]);
    assert_eq!(both("$[?@.a]", &d), ["/0", "/1", "/2", "/3", "/4"]);
    assert_eq!(both("$[?(@.a)]", &d), ["/4"]);
    assert_eq!(both("$[?(@.a == null)]", &d), ["/2", "/5"]);
    assert_eq!(both("$[?(@.a === null)]", &d), ["/2"]);
    assert_eq!(both("$[?(@.a === undefined)]", &d), ["/5"]);
    assert_eq!(
        both("$[?(@.a !== void 0 && !@.a)]", &d),
        ["/0", "/1", "/2", "/3"]
    );
    assert_eq!(both("$[?(typeof @.a === 'boolean')]", &d), ["/0"]);
    assert_eq!(
        both("$[?((@.a || 'x') === 'x')]", &d),
        ["/0", "/1", "/2", "/3", "/5"]
    );
    let e = json!({"s": "hello", "arr": [1, "x"], "o": {"length": 3}});
    assert_eq!(both("$[?(@.length === 5)]", &e), ["/s"]);
    assert_eq!(both("$[?(@.length === 2)]", &e), ["/arr"]);
    assert_eq!(both("$[?(@.length === 3)]", &e), ["/o"]);
    assert_eq!(both("$[?(@.indexOf('x') === 1)]", &e), ["/arr"]);
    assert_eq!(both("$[?(@.indexOf('l') === 2)]", &e), ["/s"]);
    assert_eq!(both("$[?(@.match('l+') === 'll')]", &e), ["/s"]);
    assert_eq!(both("$[?(@.constructor.name === 'String')]", &e), ["/s"]);
    assert_eq!(both("$[?(@.constructor.name === 'Object')]", &e), ["/o"]);
    assert_eq!(both("$[?(@[0] === 1 && @[-1] === 'x')]", &e), ["/arr"]);
    assert_eq!(both("$[?(@.toUpperCase() === 'HELLO')]", &e), ["/s"]);
    assert_eq!(both("$[?(@.nope.deeper.still === undefined)]", &e).len(), 3);
}

#[test]
fn names_and_property_filters() {
    let d = oas();
    assert_eq!(
        both("$.paths.*~", &d),
        ["/paths/~1pets", "/paths/~1pets~1{id}"]
    );
    assert_eq!(
        vals("$.paths.*~", &d, Refs::Follow),
        [json!("/pets"), json!("/pets/{id}")]
    );
    assert_eq!(vals("$.servers[*]~", &d, Refs::Keep), [json!(0)]);
    assert_eq!(
        sel("$.paths[?(@property.match(/\\}$/))]", &d, Refs::Keep),
        ["/paths/~1pets~1{id}"]
    );
    assert_eq!(
        sel("$.paths[?(@property.match(/\\}$/))]", &d, Refs::Follow),
        ["/components/pathItems/PetById"]
    );
    assert_eq!(
        both("$.paths[*][?(@.deprecated == true)]", &d),
        ["/paths/~1pets/post"]
    );
    assert_eq!(
        both("$..properties[?(@property.match(/(Date|date|At)$/i))]", &d),
        ["/components/schemas/Pet/properties/bornAt"]
    );
    assert_eq!(both("$.servers[*].url", &d), ["/servers/0/url"]);
    assert_eq!(
        vals("$.servers[*].url", &d, Refs::Keep),
        [json!("https://x")]
    );
    assert_eq!(
        both("$..parameters[?(@ && @.in)]", &d),
        ["/components/parameters/Id"]
    );
    assert_eq!(
        sel("$.paths..parameters[?(@ && @.in)]", &d, Refs::Keep),
        Vec::<String>::new()
    );
    assert_eq!(
        sel("$.paths..parameters[?(@ && @.in)]", &d, Refs::Follow),
        ["/components/parameters/Id"]
    );
    // `@parent` of a filter's candidates is the parent of the filtered object, as in
    // JSONPath-Plus and nimma: here `components`, not `components.parameters`.
    assert_eq!(
        both(
            "$.components[?(@property === 'parameters')][?(@parentProperty === 'parameters' && @parent.parameters.Id.in === 'path')]",
            &d
        ),
        ["/components/parameters/Id"]
    );
    assert_eq!(
        sel("$.paths[?(@parent.openapi)]", &d, Refs::Keep),
        ["/paths/~1pets", "/paths/~1pets~1{id}"]
    );
    assert_eq!(both("$[?(@parent)]", &d), Vec::<String>::new());
    assert_eq!(
        sel(
            "$.paths[?(@path === \"$['paths']['/pets']\")]",
            &d,
            Refs::Keep
        ),
        ["/paths/~1pets"]
    );
    assert_eq!(
        sel(
            "$.servers[?(@property === 0 && typeof @property === 'number')]",
            &d,
            Refs::Keep
        ),
        ["/servers/0"]
    );
    assert_eq!(
        sel("$.paths[?(/^\\/pets$/.test(@property))]", &d, Refs::Keep),
        ["/paths/~1pets"]
    );
    assert_eq!(
        sel(
            "$.components.schemas[?(@root.openapi.startsWith('3.') && @property.endsWith('et'))]",
            &d,
            Refs::Keep
        ),
        ["/components/schemas/Pet"]
    );
}

#[test]
fn spectral_oas2_style() {
    let d = json!({
        "swagger": "2.0",
        "definitions": {
            "A": {"discriminator": "kind", "type": "object", "properties": {
                "kind": {"type": "string", "example": "x"},
                "n": {"type": "integer", "x-example": 3},
                "properties": {"example": 1, "type": "string"},
                "free": {"example": 2}
            }},
            "B": {"type": "string", "enum": ["x"], "default": "x"}
        },
        "responses": {"R": {"schema": {"type": "string"}, "examples": {"a": 1}}},
        "xmlish": {"xml": {"name": "n"}},
        "anyOf": [1],
        "webhooks": {"w": {"post": {"servers": []}}}
    });
    assert_eq!(
        both("$.definitions[?(@ && @.discriminator)]", &d),
        ["/definitions/A"]
    );
    assert_eq!(
        both(
            "$..definitions..[?(@property !== 'properties' && @ && (@.example !== void 0 || @['x-example'] !== void 0 || @.default !== void 0) && (@.enum || @.type || @.format || @.$ref || @.properties || @.items))]",
            &d
        ),
        [
            "/definitions/B",
            "/definitions/A/properties/kind",
            "/definitions/A/properties/n"
        ]
    );
    assert_eq!(
        both("$..responses..[?(@ && @.schema && @.examples)]", &d),
        ["/responses/R"]
    );
    assert_eq!(both("$..[?(@ && @.xml)].xml", &d), ["/xmlish/xml"]);
    assert_eq!(both("$..anyOf", &d), ["/anyOf"]);
    assert_eq!(
        both("$.webhooks[*][*].servers", &d),
        ["/webhooks/w/post/servers"]
    );
}

#[test]
fn rfc_regex_dot_is_not_a_line_end() {
    let d = json!(["\r", "x", "\n", "\u{2028}"]);
    assert_eq!(both("$[?match(@, '.')]", &d), ["/1", "/3"]);
    assert_eq!(both("$[?search(@, 'x.?$')]", &d), ["/1"]);
}
