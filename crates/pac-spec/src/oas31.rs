//! OpenAPI 3.1 -> 3.0, on `serde_json::Value`: JSON Schema 2020-12 spellings become their 3.0 equivalents
//! (`type: [x, "null"]` -> nullable, numeric exclusive bounds, `const`, `examples` arrays, boolean schemas) and
//! 3.1-only document features (webhooks, jsonSchemaDialect, info.summary, license.identifier,
//! components.pathItems) are removed with a note, so the normalised JSON and the typed model say the same thing.

use serde_json::{Map, Value, json};

use super::Note;
use super::pointer::{escape, push_index, push_segment};

pub(crate) fn normalise(doc: &mut Value, notes: &mut Vec<Note>) {
    let Value::Object(root) = doc else { return };
    root.insert("openapi".into(), json!("3.0.3"));
    for key in ["webhooks", "jsonSchemaDialect"] {
        if root.remove(key).is_some() {
            notes.push(Note::new(
                "conversion_dropped",
                format!("/{key}"),
                format!("3.1 `{key}` has no 3.0 equivalent"),
            ));
        }
    }
    if let Some(Value::Object(info)) = root.get_mut("info") {
        if info.remove("summary").is_some() {
            notes.push(Note::new(
                "conversion_dropped",
                "/info/summary",
                "3.1 info.summary has no 3.0 equivalent",
            ));
        }
        if let Some(Value::Object(license)) = info.get_mut("license")
            && license.remove("identifier").is_some()
        {
            notes.push(Note::new(
                "conversion_dropped",
                "/info/license/identifier",
                "3.1 license.identifier (SPDX) has no 3.0 equivalent",
            ));
        }
    }
    if !root.contains_key("paths") {
        root.insert("paths".into(), json!({}));
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        if components.remove("pathItems").is_some() {
            notes.push(Note::new(
                "conversion_dropped",
                "/components/pathItems",
                "3.1 components.pathItems has no 3.0 equivalent",
            ));
        }
        if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
            let tls: Vec<String> = schemes
                .iter()
                .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
                .map(|(k, _)| k.clone())
                .collect();
            for k in tls {
                schemes.remove(&k);
                notes.push(Note::new(
                    "conversion_dropped",
                    format!("/components/securitySchemes/{}", escape(&k)),
                    "3.1 mutualTLS security scheme has no 3.0 equivalent",
                ));
            }
        }
    }
    // 3.1 made `responses` optional; 3.0 (and the model) require the object, empty is equivalent.
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for item in paths.values_mut() {
            let Value::Object(item) = item else { continue };
            for method in [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ] {
                if let Some(Value::Object(op)) = item.get_mut(method) {
                    op.entry("responses").or_insert_with(|| json!({}));
                }
            }
        }
    }
    let mut pointer = String::new();
    walk(doc, &mut pointer, notes);
}

/// Find schemas anywhere in the document (under `schema` keys and in components.schemas) and normalise them.
fn walk(v: &mut Value, pointer: &mut String, notes: &mut Vec<Note>) {
    match v {
        Value::Object(map) => {
            if map.contains_key("$ref") {
                // 3.1 lets a Reference Object carry summary/description; 3.0 and the model ignore them.
                let siblings: Vec<&str> = map
                    .keys()
                    .map(String::as_str)
                    .filter(|k| *k != "$ref" && !k.starts_with("x-"))
                    .collect();
                if !siblings.is_empty() {
                    notes.push(Note::new(
                        "conversion_dropped",
                        pointer.clone(),
                        format!(
                            "fields beside $ref are ignored in 3.0: {}",
                            siblings.join(", ")
                        ),
                    ));
                }
            }
            for (k, child) in map.iter_mut() {
                if matches!(
                    k.as_str(),
                    "example" | "examples" | "default" | "enum" | "const"
                ) || k.starts_with("x-")
                {
                    continue;
                }
                let len = pointer.len();
                push_segment(pointer, k);
                if k == "schema" {
                    schema(child, pointer, notes);
                } else if k == "schemas" && pointer == "/components/schemas" {
                    if let Value::Object(schemas) = child {
                        for (name, s) in schemas.iter_mut() {
                            let l = pointer.len();
                            push_segment(pointer, name);
                            schema(s, pointer, notes);
                            pointer.truncate(l);
                        }
                    }
                } else {
                    walk(child, pointer, notes);
                }
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                let len = pointer.len();
                push_index(pointer, i);
                walk(child, pointer, notes);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

const ONE: &[&str] = &[
    "items",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
];
const MANY: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
const NAMED: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

fn schema(v: &mut Value, pointer: &mut String, notes: &mut Vec<Note>) {
    match v {
        // Boolean schemas: `true` accepts anything, `false` nothing.
        Value::Bool(true) => *v = json!({}),
        Value::Bool(false) => *v = json!({ "not": {} }),
        _ => {}
    }
    let Value::Object(m) = v else { return };
    one_schema(m, pointer, notes);
    for key in ONE {
        if let Some(c) = m.get_mut(*key) {
            sub(c, pointer, key, notes);
        }
    }
    if let Some(c) = m.get_mut("additionalProperties")
        && c.is_object()
    {
        sub(c, pointer, "additionalProperties", notes);
    }
    for key in MANY {
        if let Some(Value::Array(items)) = m.get_mut(*key) {
            for (i, c) in items.iter_mut().enumerate() {
                sub(c, pointer, &format!("{key}/{i}"), notes);
            }
        }
    }
    for key in NAMED {
        if let Some(Value::Object(named)) = m.get_mut(*key) {
            for (name, c) in named.iter_mut() {
                sub(c, pointer, &format!("{key}/{}", escape(name)), notes);
            }
        }
    }
}

fn sub(v: &mut Value, pointer: &mut String, rel: &str, notes: &mut Vec<Note>) {
    let len = pointer.len();
    pointer.push('/');
    pointer.push_str(rel);
    schema(v, pointer, notes);
    pointer.truncate(len);
}

fn one_schema(m: &mut Map<String, Value>, pointer: &str, notes: &mut Vec<Note>) {
    if m.contains_key("$ref") && m.len() > 1 {
        // 3.0 ignores siblings of $ref; wrapping keeps them meaningful.
        let r = m.remove("$ref").unwrap_or_default();
        let mut all_of = vec![json!({ "$ref": r })];
        if let Some(Value::Array(existing)) = m.remove("allOf") {
            all_of.extend(existing);
        }
        m.insert("allOf".into(), Value::Array(all_of));
    }
    if let Some(Value::Array(types)) = m.get("type") {
        let mut names: Vec<String> = types
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        let had_null = names.iter().any(|t| t == "null");
        names.retain(|t| t != "null");
        if had_null {
            m.insert("nullable".into(), json!(true));
        }
        match names.as_slice() {
            [] => {
                m.remove("type");
            }
            [one] => {
                m.insert("type".into(), json!(one));
            }
            many => {
                let any_of: Vec<Value> = many.iter().map(|t| json!({ "type": t })).collect();
                m.remove("type");
                if m.contains_key("anyOf") {
                    notes.push(Note::new(
                        "conversion_dropped",
                        format!("{pointer}/type"),
                        format!("type list {many:?} cannot be expressed beside an existing anyOf"),
                    ));
                } else {
                    m.insert("anyOf".into(), Value::Array(any_of));
                }
            }
        }
    } else if m.get("type").and_then(Value::as_str) == Some("null") {
        m.remove("type");
        m.insert("nullable".into(), json!(true));
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n @ Value::Number(_)) = m.get(exclusive).cloned() {
            m.insert(bound.into(), n);
            m.insert(exclusive.into(), json!(true));
        }
    }
    if let Some(c) = m.remove("const")
        && !m.contains_key("enum")
    {
        m.insert("enum".into(), json!([c]));
    }
    if let Some(Value::Array(examples)) = m.get("examples") {
        if !m.contains_key("example")
            && let Some(first) = examples.first()
        {
            let first = first.clone();
            m.insert("example".into(), first);
        }
        m.remove("examples");
    }
}
