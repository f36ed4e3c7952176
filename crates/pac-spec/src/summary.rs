//! What the catalogue indexes about a description: one line per operation and per named schema, and the
//! operation-count limit (checked on the Value before the typed model is built, since building it is the cost).

use serde_json::Value;

use super::codes::SpecCode;
use super::pointer;
use super::{Limits, Note, OperationSummary, ParameterSummary, SchemaSummary, SpecError};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub(crate) fn check_operation_count(
    file: &str,
    doc: &Value,
    limits: &Limits,
) -> Result<(), SpecError> {
    let count: usize = doc
        .get("paths")
        .and_then(Value::as_object)
        .map(|paths| {
            paths
                .values()
                .filter_map(Value::as_object)
                .map(|item| METHODS.iter().filter(|m| item.contains_key(**m)).count())
                .sum()
        })
        .unwrap_or(0);
    if count > limits.max_operations {
        return Err(SpecError::at_pointer(
            SpecCode::TooManyOperations,
            file,
            "/paths",
            format!(
                "{count} operations is more than the limit of {}",
                limits.max_operations
            ),
        ));
    }
    Ok(())
}

/// A description whose paths are all unreadable (path items that are references which do not
/// resolve) is refused, naming the first reference that failed, rather than accepted with no
/// operation.
pub(crate) fn check_operations_read(
    file: &str,
    doc: &Value,
    operations: &[OperationSummary],
    notes: &[Note],
) -> Result<(), SpecError> {
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .map_or(0, |p| p.keys().filter(|k| !k.starts_with("x-")).count());
    if paths == 0 || !operations.is_empty() {
        return Ok(());
    }
    // Path items may legitimately hold no operation (only parameters); what is refused is paths
    // lost to references that did not resolve.
    let Some(why) = notes
        .iter()
        .find(|n| n.is_unresolved() && n.pointer.starts_with("/paths"))
    else {
        return Ok(());
    };
    Err(SpecError::at_pointer(
        SpecCode::NoOperations,
        file,
        "/paths",
        format!(
            "{paths} paths, but no operation could be read: {} at {}: {}",
            why.code, why.pointer, why.message
        ),
    ))
}

/// Every operation of the document, in path order and, within a path, in the order of `METHODS`,
/// then 3.2's `query` and `additionalOperations`. Read from the document itself, so that nothing a
/// 3.0 model cannot hold (3.1 path items in components, 3.2 methods) is left out.
pub(crate) fn operations(doc: &Value) -> Vec<OperationSummary> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        if path.starts_with("x-") {
            continue;
        }
        let item = follow(doc, item);
        let Some(item) = item.as_object() else {
            continue;
        };
        let additional = item
            .get("additionalOperations")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(m, op)| (m.to_ascii_lowercase(), op));
        let standard = METHODS
            .iter()
            .chain(&["query"])
            .filter_map(|m| item.get(*m).map(|op| ((*m).to_owned(), op)));
        for (method, op) in standard.chain(additional) {
            let Some(op) = op.as_object() else { continue };
            let text = |k: &str| op.get(k).and_then(Value::as_str).map(str::to_owned);
            out.push(OperationSummary {
                method,
                path: path.clone(),
                operation_id: text("operationId"),
                summary: text("summary"),
                description: text("description"),
                tags: op
                    .get("tags")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
                deprecated: op.get("deprecated").and_then(Value::as_bool) == Some(true),
                parameters: parameters(doc, item.get("parameters"), op.get("parameters")),
                request_media_types: op
                    .get("requestBody")
                    .map(|b| follow(doc, b))
                    .map(media_types)
                    .unwrap_or_default(),
                response_media_types: response_media_types(doc, op.get("responses")),
            });
        }
    }
    out
}

/// The object a `$ref` (through references to references) names, or `v` itself.
fn follow<'v>(doc: &'v Value, v: &'v Value) -> &'v Value {
    pointer::follow(doc, v, String::new(), pointer::MAX_REF_CHAIN + 1).0
}

fn media_types(holder: &Value) -> Vec<String> {
    holder
        .get("content")
        .and_then(Value::as_object)
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default()
}

/// Operation parameters override path-level ones of the same name and location.
fn parameters(
    doc: &Value,
    path_level: Option<&Value>,
    op_level: Option<&Value>,
) -> Vec<ParameterSummary> {
    let mut out: Vec<ParameterSummary> = Vec::new();
    let all = op_level
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(path_level.and_then(Value::as_array).into_iter().flatten());
    for p in all {
        let p = follow(doc, p);
        let (Some(name), Some(location)) = (
            p.get("name").and_then(Value::as_str),
            p.get("in").and_then(Value::as_str),
        ) else {
            continue;
        };
        if !matches!(
            location,
            "query" | "header" | "path" | "cookie" | "querystring"
        ) {
            continue;
        }
        if !out.iter().any(|o| o.name == name && o.location == location) {
            out.push(ParameterSummary {
                name: name.to_owned(),
                location: location.to_owned(),
                required: p.get("required").and_then(Value::as_bool) == Some(true),
            });
        }
    }
    out
}

fn response_media_types(doc: &Value, responses: Option<&Value>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let Some(responses) = responses.and_then(Value::as_object) else {
        return out;
    };
    // `default` first, as the 3.0 model orders it.
    let all = responses.get("default").into_iter().chain(
        responses
            .iter()
            .filter(|(k, _)| *k != "default" && !k.starts_with("x-"))
            .map(|(_, r)| r),
    );
    for r in all {
        for media in media_types(follow(doc, r)) {
            if !out.contains(&media) {
                out.push(media);
            }
        }
    }
    out
}

/// The named schemas of the document (`components.schemas`, or a 2.0 document's `definitions`
/// once converted), each with the properties found anywhere inside it.
pub(crate) fn schemas(doc: &Value) -> Vec<SchemaSummary> {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    schemas
        .iter()
        .map(|(name, s)| {
            let description = s
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let (properties, property_descriptions) = properties(s).into_iter().unzip();
            SchemaSummary {
                name: name.clone(),
                description,
                properties,
                property_descriptions,
            }
        })
        .collect()
}

/// The keywords whose value is a schema, or a list or map of schemas, that a schema's own
/// properties may sit in (JSON Schema 2020-12 and OpenAPI's). References are not followed: a
/// named schema is summarised on its own.
const SUBSCHEMA_KEYWORDS: &[&str] = &[
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "items",
    "prefixItems",
    "contains",
    "additionalProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "propertyNames",
    "contentSchema",
    "dependentSchemas",
    "patternProperties",
    "$defs",
    "definitions",
];

/// How deep inside one schema properties are looked for, and how many nodes are looked at.
const MAX_PROPERTY_DEPTH: usize = 16;
const MAX_PROPERTY_NODES: usize = 10_000;

/// Every property named inside `schema`, with its description, first mention first: its own,
/// then those of the schemas it is made of (allOf parts, variants, items, `$defs`, conditions…).
fn properties(schema: &Value) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    let mut queue: std::collections::VecDeque<(&Value, usize)> = [(schema, 0)].into();
    let mut visited = 0;
    while let Some((s, depth)) = queue.pop_front() {
        visited += 1;
        if visited > MAX_PROPERTY_NODES {
            break;
        }
        let Some(s) = s.as_object() else { continue };
        if s.contains_key("$ref") && depth > 0 {
            continue;
        }
        if let Some(props) = s.get("properties").and_then(Value::as_object) {
            for (name, p) in props {
                if !out.iter().any(|(n, _)| n == name) {
                    let description = p
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    out.push((name.clone(), description));
                }
            }
            // An inline object property's own properties belong to the schema too.
            if depth < MAX_PROPERTY_DEPTH {
                queue.extend(props.values().map(|p| (p, depth + 1)));
            }
        }
        if depth >= MAX_PROPERTY_DEPTH {
            continue;
        }
        for key in SUBSCHEMA_KEYWORDS {
            match s.get(*key) {
                Some(Value::Array(list)) => queue.extend(list.iter().map(|v| (v, depth + 1))),
                Some(Value::Object(map)) if is_schema_map(key) => {
                    queue.extend(map.values().map(|v| (v, depth + 1)));
                }
                Some(v @ Value::Object(_)) => queue.push_back((v, depth + 1)),
                _ => {}
            }
        }
    }
    out
}

/// Keywords whose value maps names to schemas, rather than being a schema.
fn is_schema_map(key: &str) -> bool {
    matches!(
        key,
        "dependentSchemas" | "patternProperties" | "$defs" | "definitions"
    )
}
