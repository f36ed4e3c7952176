//! From `Value` to the typed `openapiv3` model. openapiv3 is stricter than many real documents, so small slips
//! (a number where a string belongs, a `null` for an absent field, a missing `info.version`) are repaired on the
//! Value with a `repaired` note. What cannot be repaired is refused with `spec_invalid` and the JSON pointer of the
//! innermost object that fails, found by re-checking the failing subtree piece by piece (serde loses the path
//! inside openapiv3's untagged and flattened types).

use crate::codes::SpecCode;
use std::panic::{AssertUnwindSafe, catch_unwind};

use openapiv3::{
    Callback, Components, Example, Header, Info, Link, MediaType, OpenAPI, Operation, Parameter,
    PathItem, Paths, ReferenceOr, RequestBody, Response, Responses, Schema, SecurityScheme, Server,
    Tag,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::pointer::{escape, push_index, push_segment};
use super::{Note, SpecError};

/// Cheap fixes that real documents commonly need, applied before the first attempt.
pub(crate) fn repair(doc: &mut Value, notes: &mut Vec<Note>) {
    let Value::Object(root) = doc else { return };
    if let Some(v) = root.get_mut("openapi")
        && !v.is_string()
    {
        *v = Value::String(scalar_text(v));
    }
    let info = root.entry("info").or_insert_with(|| {
        notes.push(Note::new("repaired", "/info", "missing info object added"));
        json!({})
    });
    if !info.is_object() {
        notes.push(Note::new(
            "repaired",
            "/info",
            "info was not an object; replaced by an empty one",
        ));
        *info = json!({});
    }
    if let Value::Object(info) = info {
        for field in ["title", "version"] {
            match info.get_mut(field) {
                None | Some(Value::Null) => {
                    notes.push(Note::new(
                        "repaired",
                        format!("/info/{field}"),
                        format!("missing info.{field}; set to \"\""),
                    ));
                    info.insert(field.into(), json!(""));
                }
                Some(v @ (Value::Number(_) | Value::Bool(_))) => {
                    notes.push(Note::new(
                        "repaired",
                        format!("/info/{field}"),
                        format!("info.{field} was not a string"),
                    ));
                    *v = Value::String(scalar_text(v));
                }
                _ => {}
            }
        }
    }
    if !root.contains_key("paths") {
        notes.push(Note::new(
            "repaired",
            "/paths",
            "missing paths object added",
        ));
        root.insert("paths".into(), json!({}));
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Attempts at repairing one document before giving up; each costs a full deserialisation.
const MAX_REPAIRS: usize = 64;

pub(crate) fn to_model(
    file: &str,
    doc: &mut Value,
    notes: &mut Vec<Note>,
) -> Result<OpenAPI, SpecError> {
    for _ in 0..MAX_REPAIRS {
        let attempt = catch_unwind(AssertUnwindSafe(|| {
            <OpenAPI as serde::Deserialize>::deserialize(&*doc)
        }));
        let failure = match attempt {
            Ok(Ok(model)) => return Ok(model),
            Ok(Err(e)) => e.to_string(),
            Err(_) => "the description could not be read into the model".to_owned(),
        };
        let (pointer, message) =
            locate(doc, &mut String::new(), Shape::Document).unwrap_or((String::new(), failure));
        if !fix(doc, &pointer, &message, notes) {
            return Err(SpecError::at_pointer(
                SpecCode::Invalid,
                file,
                &pointer,
                message,
            ));
        }
    }
    Err(SpecError::at_pointer(
        SpecCode::Invalid,
        file,
        "",
        "too many problems to repair",
    ))
}

/// Deserialise `T` and on failure return the pointer (within `v`) and message of the error.
fn check<T: DeserializeOwned>(v: &Value) -> Option<(String, String)> {
    match catch_unwind(AssertUnwindSafe(|| {
        serde_path_to_error::deserialize::<_, T>(v)
    })) {
        Ok(Ok(_)) => None,
        Ok(Err(e)) => {
            let mut pointer = String::new();
            for seg in e.path().iter() {
                match seg {
                    serde_path_to_error::Segment::Seq { index } => {
                        push_index(&mut pointer, *index);
                    }
                    serde_path_to_error::Segment::Map { key } => {
                        push_segment(&mut pointer, key);
                    }
                    _ => {}
                }
            }
            Some((pointer, e.into_inner().to_string()))
        }
        Err(_) => Some((String::new(), "cannot be read into the model".to_owned())),
    }
}

/// Checking `T` directly when there is no `$ref` keeps serde's path (the untagged ReferenceOr loses it).
fn check_ref_or<T: DeserializeOwned>(v: &Value) -> Option<(String, String)> {
    if v.get("$ref").is_some_and(Value::is_string) {
        check::<ReferenceOr<T>>(v)
    } else {
        check::<T>(v)
    }
}

#[derive(Clone, Copy)]
enum Shape {
    Document,
    Info,
    Server,
    Tag,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    Header,
    MediaType,
    Schema,
    Components,
    Example,
    Link,
    Callback,
    SecurityScheme,
}

fn typed(v: &Value, shape: Shape) -> Option<(String, String)> {
    match shape {
        Shape::Document => check::<OpenAPI>(v),
        Shape::Info => check::<Info>(v),
        Shape::Server => check::<Server>(v),
        Shape::Tag => check::<Tag>(v),
        Shape::Paths => check::<Paths>(v),
        Shape::PathItem => check_ref_or::<PathItem>(v),
        Shape::Operation => check::<Operation>(v),
        Shape::Parameter => check_ref_or::<Parameter>(v),
        Shape::RequestBody => check_ref_or::<RequestBody>(v),
        Shape::Responses => check::<Responses>(v),
        Shape::Response => check_ref_or::<Response>(v),
        Shape::Header => check_ref_or::<Header>(v),
        Shape::MediaType => check::<MediaType>(v),
        Shape::Schema => check_ref_or::<Schema>(v),
        Shape::Components => check::<Components>(v),
        Shape::Example => check_ref_or::<Example>(v),
        Shape::Link => check_ref_or::<Link>(v),
        Shape::Callback => check_ref_or::<Callback>(v),
        Shape::SecurityScheme => check_ref_or::<SecurityScheme>(v),
    }
}

/// The parts of `v` (as `shape`) whose own shape is known, to look for the innermost failure.
fn children<'v>(v: &'v Value, shape: Shape) -> Vec<(String, &'v Value, Shape)> {
    let mut out = Vec::new();
    let Some(m) = v.as_object() else { return out };
    if m.contains_key("$ref") {
        return out;
    }
    let one = |out: &mut Vec<(String, &'v Value, Shape)>, key: &str, s: Shape| {
        if let Some(c) = m.get(key) {
            out.push((escape(key).into_owned(), c, s));
        }
    };
    let each = |out: &mut Vec<(String, &'v Value, Shape)>, key: &str, s: Shape| match m.get(key) {
        Some(Value::Object(items)) => {
            for (k, c) in items {
                out.push((format!("{}/{}", escape(key), escape(k)), c, s));
            }
        }
        Some(Value::Array(items)) => {
            for (i, c) in items.iter().enumerate() {
                out.push((format!("{}/{i}", escape(key)), c, s));
            }
        }
        _ => {}
    };
    let names = |out: &mut Vec<(String, &'v Value, Shape)>, s: Shape| {
        for (k, c) in m {
            if !k.starts_with("x-") {
                out.push((escape(k).into_owned(), c, s));
            }
        }
    };
    match shape {
        Shape::Document => {
            one(&mut out, "info", Shape::Info);
            one(&mut out, "paths", Shape::Paths);
            one(&mut out, "components", Shape::Components);
            each(&mut out, "servers", Shape::Server);
            each(&mut out, "tags", Shape::Tag);
        }
        Shape::Paths | Shape::Callback => names(&mut out, Shape::PathItem),
        Shape::Responses => names(&mut out, Shape::Response),
        Shape::PathItem => {
            for method in [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ] {
                one(&mut out, method, Shape::Operation);
            }
            each(&mut out, "parameters", Shape::Parameter);
            each(&mut out, "servers", Shape::Server);
        }
        Shape::Operation => {
            each(&mut out, "parameters", Shape::Parameter);
            one(&mut out, "requestBody", Shape::RequestBody);
            one(&mut out, "responses", Shape::Responses);
            each(&mut out, "callbacks", Shape::Callback);
            each(&mut out, "servers", Shape::Server);
        }
        Shape::Response => {
            each(&mut out, "headers", Shape::Header);
            each(&mut out, "content", Shape::MediaType);
            each(&mut out, "links", Shape::Link);
        }
        Shape::Parameter | Shape::Header => {
            one(&mut out, "schema", Shape::Schema);
            each(&mut out, "content", Shape::MediaType);
            each(&mut out, "examples", Shape::Example);
        }
        Shape::RequestBody => each(&mut out, "content", Shape::MediaType),
        Shape::MediaType => {
            one(&mut out, "schema", Shape::Schema);
            each(&mut out, "examples", Shape::Example);
        }
        Shape::Schema => {
            each(&mut out, "properties", Shape::Schema);
            one(&mut out, "items", Shape::Schema);
            one(&mut out, "not", Shape::Schema);
            if m.get("additionalProperties").is_some_and(Value::is_object) {
                one(&mut out, "additionalProperties", Shape::Schema);
            }
            each(&mut out, "allOf", Shape::Schema);
            each(&mut out, "anyOf", Shape::Schema);
            each(&mut out, "oneOf", Shape::Schema);
        }
        Shape::Components => {
            each(&mut out, "schemas", Shape::Schema);
            each(&mut out, "responses", Shape::Response);
            each(&mut out, "parameters", Shape::Parameter);
            each(&mut out, "examples", Shape::Example);
            each(&mut out, "requestBodies", Shape::RequestBody);
            each(&mut out, "headers", Shape::Header);
            each(&mut out, "securitySchemes", Shape::SecurityScheme);
            each(&mut out, "links", Shape::Link);
            each(&mut out, "callbacks", Shape::Callback);
        }
        Shape::Info
        | Shape::Server
        | Shape::Tag
        | Shape::Example
        | Shape::Link
        | Shape::SecurityScheme => {}
    }
    out
}

/// The innermost failing part of `v`: its pointer (from the document root) and the error message.
fn locate(v: &Value, pointer: &mut String, shape: Shape) -> Option<(String, String)> {
    let (inner, message) = typed(v, shape)?;
    for (rel, child, child_shape) in children(v, shape) {
        let len = pointer.len();
        pointer.push('/');
        pointer.push_str(&rel);
        let found = locate(child, pointer, child_shape);
        pointer.truncate(len);
        if found.is_some() {
            return found;
        }
    }
    Some((format!("{pointer}{inner}"), message))
}

/// Try one repair for the error at `pointer`; false when nothing sensible can be done.
fn fix(doc: &mut Value, pointer: &str, message: &str, notes: &mut Vec<Note>) -> bool {
    let Some(target) = doc.pointer_mut(pointer) else {
        return false;
    };
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next())
    {
        let Value::Object(m) = target else {
            return false;
        };
        let default = match field {
            "description" | "title" | "version" | "name" | "url" | "scheme" | "tokenUrl"
            | "authorizationUrl" | "operationRef" => json!(""),
            "responses" | "paths" | "content" | "scopes" | "flows" => json!({}),
            _ => return false,
        };
        notes.push(Note::new(
            "repaired",
            format!("{pointer}/{field}"),
            format!("missing required field `{field}` added as {default}"),
        ));
        m.insert(field.to_owned(), default);
        return true;
    }
    if pointer.ends_with("/$ref")
        && let Some(parent) = pointer.strip_suffix("/$ref")
        && let Some(inlined) = internal_target(doc, parent)
    {
        // A Reference Object where openapiv3 takes none (e.g. a callback under an operation): copy the target.
        notes.push(Note::new(
            "repaired",
            parent,
            format!("{message}; the referenced object was copied in"),
        ));
        if let Some(slot) = doc.pointer_mut(parent) {
            *slot = inlined;
        }
        return true;
    }
    let Some(target) = doc.pointer_mut(pointer) else {
        return false;
    };
    if pointer.ends_with("/items")
        && let Value::Array(alternatives) = target
    {
        // Tuple-style `items: [a, b]` (not OpenAPI 3.0): read as "any of these".
        let replacement = if alternatives.len() == 1 {
            alternatives[0].clone()
        } else {
            json!({ "anyOf": alternatives.clone() })
        };
        notes.push(Note::new(
            "repaired",
            pointer,
            "items was a list of schemas; read as anyOf",
        ));
        *target = replacement;
        return true;
    }
    let repaired = match target {
        Value::Null => None,
        Value::Number(_) | Value::Bool(_) if message.contains("expected a string") => {
            Some(Value::String(scalar_text(target)))
        }
        Value::String(s)
            if message.contains("expected a boolean") && matches!(s.as_str(), "true" | "false") =>
        {
            Some(Value::Bool(s == "true"))
        }
        Value::String(_) | Value::Number(_) | Value::Bool(_)
            if message.contains("expected a sequence") =>
        {
            Some(Value::Array(vec![target.clone()]))
        }
        Value::Number(_) | Value::Bool(_) | Value::String(_) if is_in_schema(pointer) => None,
        _ => return false,
    };
    match repaired {
        Some(v) => {
            notes.push(Note::new(
                "repaired",
                pointer,
                format!("{message}; value converted"),
            ));
            *target = v;
            true
        }
        None => remove(doc, pointer, message, notes),
    }
}

/// A scalar keyword inside a schema that the model cannot take (e.g. `maxLength: -1`) is dropped; other places
/// keep their stricter treatment.
fn internal_target(doc: &Value, holder: &str) -> Option<Value> {
    let r = doc.pointer(holder)?.get("$ref")?.as_str()?;
    let fragment = r.strip_prefix('#')?;
    let target = super::pointer::at_fragment(doc, fragment)?;
    // Copying a pure ref would only move the problem.
    (target.get("$ref").is_none()).then(|| target.clone())
}

fn is_in_schema(pointer: &str) -> bool {
    pointer.contains("/schema/")
        || pointer.contains("/schemas/")
        || pointer.contains("/properties/")
}

fn remove(doc: &mut Value, pointer: &str, message: &str, notes: &mut Vec<Note>) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return false;
    };
    let key = super::pointer::unescape(last);
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            if m.shift_remove(key.as_ref()).is_none() {
                return false;
            }
        }
        Some(Value::Array(items)) => {
            let Ok(i) = key.parse::<usize>() else {
                return false;
            };
            if i >= items.len() {
                return false;
            }
            items.remove(i);
        }
        _ => return false,
    }
    notes.push(Note::new(
        "repaired",
        pointer,
        format!("{message}; value dropped"),
    ));
    true
}
