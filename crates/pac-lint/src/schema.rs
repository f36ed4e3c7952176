//! JSON Schema for rule functions: the `schema` function, `oasSchema` and example checks. A
//! validator never reaches out (no files, no network) and its regexes run in linear time; its
//! first error is reported the way Spectral (Ajv without allErrors) reports it.

use std::sync::Arc;

use pac_jsonpath::Segment;
use pac_spec::pointer;
use serde_json::Value;

use crate::context::{Ctx, Hit};

/// A JSON Schema validator that never reaches out: no files, no network, linear-time regexes.
pub(crate) fn compile_schema(
    schema: &Value,
    dialect: Option<&str>,
) -> Result<jsonschema::Validator, String> {
    use jsonschema::Draft;
    let draft = match dialect.or_else(|| schema.get("$schema").and_then(Value::as_str)) {
        Some(d) if d.contains("draft4") || d.contains("draft-04") => Draft::Draft4,
        Some(d) if d.contains("draft6") || d.contains("draft-06") => Draft::Draft6,
        Some(d) if d.contains("2019-09") => Draft::Draft201909,
        Some(d) if d.contains("2020-12") => Draft::Draft202012,
        _ => Draft::Draft7,
    };
    jsonschema::options()
        .with_draft(draft)
        .should_validate_formats(true)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .build(schema)
        .map_err(|e| format!("the schema cannot be compiled: {e}"))
}

/// The first error of `value` against `validator`, as Spectral (Ajv without allErrors) reports.
pub(crate) fn schema_errors(
    validator: &jsonschema::Validator,
    value: &Value,
    path: &[Segment],
) -> Vec<Hit> {
    let Err(error) = validator.validate(value) else {
        return vec![];
    };
    let mut at = path.to_vec();
    let instance = error.instance_path().as_str().to_owned();
    for seg in instance.split('/').skip(1) {
        let seg = pointer::unescape(seg).into_owned();
        at.push(match seg.parse::<usize>() {
            Ok(i) if matches!(lookup_is_array(value, &at[path.len()..]), Some(true)) => {
                Segment::Index(i)
            }
            _ => Segment::Key(seg),
        });
    }
    let subject = match at.last() {
        Some(Segment::Key(k)) if at.len() > path.len() => format!("\"{k}\" property "),
        Some(Segment::Index(i)) if at.len() > path.len() => format!("Item at index {i} "),
        _ => String::new(),
    };
    vec![Hit::at(format!("{subject}{}", describe_error(&error)), at)]
}

/// Whether the node at `rel` inside `value` is an array (to tell indexes from numeric keys).
fn lookup_is_array(value: &Value, rel: &[Segment]) -> Option<bool> {
    let mut v = value;
    for s in rel {
        v = match (s, v) {
            (Segment::Key(k), Value::Object(o)) => o.get(k)?,
            (Segment::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(v.is_array())
}

fn describe_error(error: &jsonschema::ValidationError<'_>) -> String {
    use jsonschema::error::ValidationErrorKind as K;
    match error.kind() {
        K::Type { kind } => format!("type must be {}", type_names(kind)),
        K::Required { property } => format!("must have required property {property}"),
        K::Enum { .. } => "must be equal to one of the allowed values".to_owned(),
        K::Format { format } => format!("must match format \"{format}\""),
        _ => error.to_string(),
    }
}

fn type_names(kind: &jsonschema::error::TypeKind) -> String {
    use jsonschema::error::TypeKind;
    match kind {
        TypeKind::Single(t) => t.to_string(),
        TypeKind::Multiple(ts) => ts
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(","),
    }
}

/// A validator for `schema` in `dialect`, compiled once per lint.
pub(crate) fn validator(
    ctx: &Ctx<'_>,
    schema: &Value,
    dialect: &str,
) -> Result<Arc<jsonschema::Validator>, String> {
    ctx.validator(format!("{dialect} {schema}"), || {
        compile_schema(schema, Some(dialect))
    })
}
