//! Fixtures the unit tests of every module share: small documents and shorthands that run a
//! path through the public API and give locations as JSON pointers.

use serde_json::{Value, json};

use crate::{JsonPath, Refs, pointer};

pub(crate) fn sel(path: &str, doc: &Value, refs: Refs) -> Vec<String> {
    JsonPath::parse(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .select(doc, refs)
        .iter()
        .map(|n| pointer(&n.location))
        .collect()
}

pub(crate) fn vals(path: &str, doc: &Value, refs: Refs) -> Vec<Value> {
    JsonPath::parse(path)
        .unwrap()
        .select(doc, refs)
        .into_iter()
        .map(|n| n.value.into_owned())
        .collect()
}

pub(crate) fn both(path: &str, doc: &Value) -> Vec<String> {
    let k = sel(path, doc, Refs::Keep);
    assert_eq!(k, sel(path, doc, Refs::Follow), "{path}");
    k
}

pub(crate) const OP: &str = "$.paths[*][get,put,post,delete,options,head,patch,trace]";

pub(crate) fn oas() -> Value {
    json!({
        "openapi": "3.0.0",
        "servers": [{"url": "https://x"}],
        "paths": {
            "/pets": {
                "get": {
                    "responses": {"200": {"$ref": "#/components/responses/Ok"}},
                    "security": [{"a": []}]
                },
                "post": {"deprecated": true, "responses": {"201": {"description": "made"}}},
                "parameters": [{"$ref": "#/components/parameters/Id"}]
            },
            "/pets/{id}": {"$ref": "#/components/pathItems/PetById"}
        },
        "components": {
            "responses": {
                "Ok": {
                    "description": "ok",
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Pet"},
                        "examples": {"one": {"value": 1}}
                    }}
                }
            },
            "parameters": {"Id": {"name": "id", "in": "path"}},
            "pathItems": {"PetById": {"get": {"responses": {"404": {"description": "none"}}}}},
            "schemas": {
                "Pet": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "enum": ["a"]},
                        "owner": {"$ref": "#/components/schemas/Person"},
                        "bornAt": {"type": "string"},
                        "tags": {"type": "array", "items": {"type": "string"}}
                    }
                },
                "Person": {
                    "type": "object",
                    "properties": {
                        "pet": {"$ref": "#/components/schemas/Pet"},
                        "self": {"$ref": "#/components/schemas/Person"}
                    }
                },
                "Missing": {"$ref": "#/components/schemas/Nope"},
                "Sibling": {"$ref": "#/components/schemas/Pet", "description": "sibling"},
                "Self": {"$ref": "#/components/schemas/Self"}
            }
        }
    })
}

pub(crate) fn store() -> Value {
    json!({
        "store": {
            "book": [
                {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
                {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
                {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
                {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
            ],
            "bicycle": {"color": "red", "price": 399}
        },
        "expensive": 10
    })
}
