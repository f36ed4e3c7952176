//! What the catalogue indexes about a description: one line per operation and per named schema, and the
//! operation-count limit (checked on the Value before the typed model is built, since building it is the cost).

use crate::codes::SpecCode;
use openapiv3::{OpenAPI, Parameter, ReferenceOr, Responses, SchemaKind, Type};
use serde_json::Value;

use super::refs::{resolve_parameter, resolve_request_body, resolve_response};
use super::{Limits, OperationSummary, ParameterSummary, SchemaSummary, SpecError};

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
                parameters: parameters(doc, &item.parameters, &op.parameters),
                request_media_types: op
                    .request_body
                    .as_ref()
                    .and_then(|b| resolve_request_body(doc, b).ok())
                    .map(|b| b.content.keys().cloned().collect())
                    .unwrap_or_default(),
                response_media_types: response_media_types(doc, &op.responses),
            });
        }
    }
    out
}

/// Operation parameters override path-level ones of the same name and location.
fn parameters(
    doc: &OpenAPI,
    path_level: &[ReferenceOr<Parameter>],
    op_level: &[ReferenceOr<Parameter>],
) -> Vec<ParameterSummary> {
    let mut out: Vec<ParameterSummary> = Vec::new();
    for p in op_level.iter().chain(path_level) {
        let Ok(p) = resolve_parameter(doc, p) else {
            continue;
        };
        let (data, location) = match p {
            Parameter::Query { parameter_data, .. } => (parameter_data, "query"),
            Parameter::Header { parameter_data, .. } => (parameter_data, "header"),
            Parameter::Path { parameter_data, .. } => (parameter_data, "path"),
            Parameter::Cookie { parameter_data, .. } => (parameter_data, "cookie"),
        };
        if !out
            .iter()
            .any(|o| o.name == data.name && o.location == location)
        {
            out.push(ParameterSummary {
                name: data.name.clone(),
                location: location.to_string(),
                required: data.required,
            });
        }
    }
    out
}

fn response_media_types(doc: &OpenAPI, responses: &Responses) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let all = responses.default.iter().chain(responses.responses.values());
    for r in all {
        let Ok(r) = resolve_response(doc, r) else {
            continue;
        };
        for media in r.content.keys() {
            if !out.contains(media) {
                out.push(media.clone());
            }
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
                    properties(&s.schema_kind),
                ),
                ReferenceOr::Reference { .. } => (None, Vec::new()),
            };
            let (properties, property_descriptions) = properties.into_iter().unzip();
            SchemaSummary {
                name: name.clone(),
                description,
                properties,
                property_descriptions,
            }
        })
        .collect()
}

/// Direct properties with their descriptions, plus those of inline allOf parts (the usual way of
/// extending a base object).
fn properties(kind: &SchemaKind) -> Vec<(String, Option<String>)> {
    fn described<'a>(
        props: impl IntoIterator<Item = (&'a String, &'a ReferenceOr<Box<openapiv3::Schema>>)>,
    ) -> Vec<(String, Option<String>)> {
        props
            .into_iter()
            .map(|(name, p)| {
                let description = match p {
                    ReferenceOr::Item(s) => s.schema_data.description.clone(),
                    ReferenceOr::Reference { .. } => None,
                };
                (name.clone(), description)
            })
            .collect()
    }
    match kind {
        SchemaKind::Type(Type::Object(o)) => described(&o.properties),
        SchemaKind::Any(a) => described(&a.properties),
        SchemaKind::AllOf { all_of } => all_of
            .iter()
            .filter_map(|p| match p {
                ReferenceOr::Item(s) => Some(properties(&s.schema_kind)),
                ReferenceOr::Reference { .. } => None,
            })
            .flatten()
            .collect(),
        _ => Vec::new(),
    }
}
