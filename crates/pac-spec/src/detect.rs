//! Which specification a parsed document claims to follow: `swagger: "2.0"`, `openapi: 3.0.x`, `3.1.x` or `3.2.x`.
//! Anything else is either not an OpenAPI document at all or a version this module cannot read.

use crate::codes::SpecCode;
use serde_json::Value;

use super::{SpecError, SpecFormat};

pub(crate) struct Detected {
    pub format: SpecFormat,
    pub declared_version: String,
}

pub(crate) fn detect(file: &str, value: &Value) -> Result<Detected, SpecError> {
    let Some(obj) = value.as_object() else {
        let kind = kind_of(value);
        return Err(SpecError::at_pointer(
            SpecCode::NotOpenapi,
            file,
            "",
            format!("the document is {kind}, not an object with an `openapi` or `swagger` key"),
        ));
    };
    if let Some(v) = obj.get("openapi") {
        let declared = version_text(v).ok_or_else(|| {
            SpecError::at_pointer(
                SpecCode::NotOpenapi,
                file,
                "/openapi",
                format!("expected a version string, found {}", kind_of(v)),
            )
        })?;
        let format = if declared == "3.0" || declared.starts_with("3.0.") {
            SpecFormat::OpenApi30
        } else if declared == "3.1" || declared.starts_with("3.1.") {
            SpecFormat::OpenApi31
        } else if declared == "3.2" || declared.starts_with("3.2.") {
            SpecFormat::OpenApi32
        } else {
            return Err(SpecError::at_pointer(
                SpecCode::UnsupportedVersion,
                file,
                "/openapi",
                format!(
                    "OpenAPI version {declared:?} is not supported (2.0, 3.0.x, 3.1.x and 3.2.x are)"
                ),
            ));
        };
        return Ok(Detected {
            format,
            declared_version: declared,
        });
    }
    if let Some(v) = obj.get("swagger") {
        let declared = version_text(v).ok_or_else(|| {
            SpecError::at_pointer(
                SpecCode::NotOpenapi,
                file,
                "/swagger",
                format!("expected a version string, found {}", kind_of(v)),
            )
        })?;
        if declared == "2.0" || declared == "2" {
            return Ok(Detected {
                format: SpecFormat::Swagger2,
                declared_version: "2.0".to_owned(),
            });
        }
        return Err(SpecError::at_pointer(
            SpecCode::UnsupportedVersion,
            file,
            "/swagger",
            format!(
                "Swagger version {declared:?} is not supported (2.0, 3.0.x, 3.1.x and 3.2.x are)"
            ),
        ));
    }
    if let Some(v) = obj.get("swaggerVersion") {
        let declared = version_text(v).unwrap_or_default();
        return Err(SpecError::at_pointer(
            SpecCode::UnsupportedVersion,
            file,
            "/swaggerVersion",
            format!(
                "Swagger version {declared:?} is not supported (2.0, 3.0.x, 3.1.x and 3.2.x are)"
            ),
        ));
    }
    Err(SpecError::at_pointer(
        SpecCode::NotOpenapi,
        file,
        "",
        "no top-level `openapi` or `swagger` key: this is not an OpenAPI description",
    ))
}

/// Unquoted YAML versions (`openapi: 3.0`, `swagger: 2.0`) arrive as numbers.
fn version_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => {
            let s = n.to_string();
            Some(if s.contains('.') { s } else { format!("{s}.0") })
        }
        _ => None,
    }
}

pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
