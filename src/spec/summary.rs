//! What the catalogue indexes about a description: one line per operation and per named schema, and the
//! operation-count limit (checked on the Value before the typed model is built, since building it is the cost).

use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};
use serde_json::Value;

use super::{Limits, OperationSummary, SchemaSummary, SpecError};

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
            "spec_too_many_operations",
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

pub(crate) fn operations(doc: &OpenAPI) -> Vec<OperationSummary> {
    let mut out = Vec::new();
    for (path, item) in &doc.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            out.push(OperationSummary {
                method: method.to_ascii_lowercase(),
                path: path.clone(),
                operation_id: op.operation_id.clone(),
                summary: op.summary.clone(),
                description: op.description.clone(),
                tags: op.tags.clone(),
                deprecated: op.deprecated,
            });
        }
    }
    out
}

pub(crate) fn schemas(doc: &OpenAPI) -> Vec<SchemaSummary> {
    let Some(components) = &doc.components else {
        return Vec::new();
    };
    components
        .schemas
        .iter()
        .map(|(name, s)| {
            let (description, properties) = match s {
                ReferenceOr::Item(s) => (
                    s.schema_data.description.clone(),
                    property_names(&s.schema_kind),
                ),
                ReferenceOr::Reference { .. } => (None, Vec::new()),
            };
            SchemaSummary {
                name: name.clone(),
                description,
                properties,
            }
        })
        .collect()
}

/// Direct properties, plus those of inline allOf parts (the usual way of extending a base object).
fn property_names(kind: &SchemaKind) -> Vec<String> {
    match kind {
        SchemaKind::Type(Type::Object(o)) => o.properties.keys().cloned().collect(),
        SchemaKind::Any(a) => a.properties.keys().cloned().collect(),
        SchemaKind::AllOf { all_of } => all_of
            .iter()
            .filter_map(|p| match p {
                ReferenceOr::Item(s) => Some(property_names(&s.schema_kind)),
                ReferenceOr::Reference { .. } => None,
            })
            .flatten()
            .collect(),
        _ => Vec::new(),
    }
}
