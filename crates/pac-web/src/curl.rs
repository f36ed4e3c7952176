//! A curl command for an operation, built from the description alone: the first server, path
//! parameters as `{placeholders}`, required query and header parameters, the credentials the
//! security requirement asks for as shell variables, and a JSON body from an example or, failing
//! that, a skeleton of the schema. It is an example to copy and edit, never sent from the page.

use pac_spec::pointer;
use serde_json::{Map, Value};

/// Levels of a body skeleton, and members over all of it, so a schema cannot make it huge.
const SKELETON_DEPTH: usize = 5;
const SKELETON_NODES: usize = 200;

/// An operation as the curl builder sees it.
pub struct Operation<'a> {
    pub doc: &'a Value,
    pub method: &'a str,
    pub path: &'a str,
    pub path_item: &'a Value,
    pub operation: &'a Value,
}

/// The command, one option per line, ready to paste into a POSIX shell.
pub fn command(op: &Operation<'_>) -> String {
    let doc = op.doc;
    let mut url = server(op);
    url.push_str(op.path);
    let mut query: Vec<String> = Vec::new();
    let mut headers: Vec<String> = Vec::new();
    let mut user: Option<String> = None;
    for p in parameters(op) {
        let Some(name) = p.get("name").and_then(Value::as_str) else {
            continue;
        };
        let required = p.get("required").and_then(Value::as_bool) == Some(true);
        let example = example_text(p);
        match p.get("in").and_then(Value::as_str) {
            Some("query") if required => query.push(format!(
                "{}={}",
                encode(name),
                example.map_or_else(|| format!("{{{name}}}"), |e| encode(&e))
            )),
            Some("header") if required => headers.push(format!(
                "{name}: {}",
                example.unwrap_or_else(|| format!("{{{name}}}"))
            )),
            _ => {}
        }
    }
    // The first security requirement that asks for something.
    let security = op
        .operation
        .get("security")
        .or_else(|| doc.get("security"))
        .and_then(Value::as_array);
    if let Some(requirement) = security
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .find(|r| !r.is_empty())
    {
        for name in requirement.keys() {
            let scheme = doc
                .pointer("/components/securitySchemes")
                .and_then(|s| s.get(name))
                .map(|s| pointer::follow(doc, s, String::new(), pointer::MAX_REF_CHAIN).0);
            let Some(scheme) = scheme else { continue };
            let kind = scheme.get("type").and_then(Value::as_str).unwrap_or("");
            let http = scheme
                .get("scheme")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_ascii_lowercase();
            match (kind, http.as_str()) {
                ("http", "basic") => user = Some("$USERNAME:$PASSWORD".into()),
                ("http", _) | ("oauth2", _) | ("openIdConnect", _) => {
                    headers.push("Authorization: Bearer $TOKEN".into())
                }
                ("apiKey", _) => {
                    let key = scheme.get("name").and_then(Value::as_str).unwrap_or(name);
                    match scheme.get("in").and_then(Value::as_str) {
                        Some("query") => query.push(format!("{}=$API_KEY", encode(key))),
                        Some("cookie") => headers.push(format!("Cookie: {key}=$API_KEY")),
                        _ => headers.push(format!("{key}: $API_KEY")),
                    }
                }
                _ => {}
            }
        }
    }
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query.join("&"));
    }
    let mut lines = Vec::new();
    let method = op.method.to_ascii_uppercase();
    lines.push(if method == "GET" {
        "curl".to_owned()
    } else {
        format!("curl -X {}", quote(&method))
    });
    // Credentials are shell variables, so that line is double-quoted; everything else is literal.
    lines.push(quote(&url).replace("$API_KEY", "'\"$API_KEY\"'"));
    if let Some(u) = user {
        lines.push(format!("-u \"{u}\""));
    }
    for h in headers {
        if h.contains('$') {
            lines.push(format!("-H \"{}\"", h.replace('"', "\\\"")));
        } else {
            lines.push(format!("-H {}", quote(&h)));
        }
    }
    if let Some((media, body)) = body(op) {
        lines.push(format!("-H {}", quote(&format!("Content-Type: {media}"))));
        lines.push(format!("--data {}", quote(&body)));
    }
    lines.join(" \\\n  ")
}

/// The first server's URL with its variables at their defaults, without a trailing slash; a
/// placeholder when the description names none.
fn server(op: &Operation<'_>) -> String {
    let first = [op.operation, op.path_item, op.doc]
        .into_iter()
        .filter_map(|v| v.get("servers").and_then(Value::as_array))
        .find_map(|s| s.first());
    let Some(server) = first else {
        return "https://{server}".to_owned();
    };
    let mut url = server
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    if let Some(vars) = server.get("variables").and_then(Value::as_object) {
        for (name, var) in vars {
            if let Some(d) = var.get("default").and_then(Value::as_str) {
                url = url.replace(&format!("{{{name}}}"), d);
            }
        }
    }
    if url.is_empty() || url.starts_with('/') {
        url = format!("https://{{server}}{url}");
    }
    url.trim_end_matches('/').to_owned()
}

/// Path-level and operation-level parameters, the operation's winning, references followed.
fn parameters<'v>(op: &Operation<'v>) -> Vec<&'v Value> {
    let mut out: Vec<&Value> = Vec::new();
    let all = op
        .operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(
            op.path_item
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        );
    for p in all {
        let p = pointer::follow(op.doc, p, String::new(), pointer::MAX_REF_CHAIN).0;
        let key = |v: &Value| (v.get("name").cloned(), v.get("in").cloned());
        if !out.iter().any(|o| key(o) == key(p)) {
            out.push(p);
        }
    }
    out
}

fn example_text(p: &Value) -> Option<String> {
    let example = p
        .get("example")
        .or_else(|| p.pointer("/schema/example"))
        .or_else(|| {
            p.get("examples")
                .and_then(Value::as_object)
                .and_then(|e| e.values().next())
                .and_then(|e| e.get("value"))
        })?;
    Some(match example {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// The request body: the JSON media type if there is one, else the first, with its example or a
/// skeleton of its schema.
fn body(op: &Operation<'_>) -> Option<(String, String)> {
    let doc = op.doc;
    let body = op.operation.get("requestBody")?;
    let body = pointer::follow(doc, body, String::new(), pointer::MAX_REF_CHAIN).0;
    let content = body.get("content")?.as_object()?;
    let (media, spec) = content
        .iter()
        .find(|(m, _)| is_json(m))
        .or_else(|| content.iter().next())?;
    let example = spec.get("example").or_else(|| {
        spec.get("examples")
            .and_then(Value::as_object)
            .and_then(|e| e.values().next())
            .map(|e| pointer::follow(doc, e, String::new(), pointer::MAX_REF_CHAIN).0)
            .and_then(|e| e.get("value"))
    });
    let text = match (example, is_json(media)) {
        (Some(Value::String(s)), false) => s.clone(),
        (Some(v), _) => serde_json::to_string_pretty(v).unwrap_or_default(),
        (None, true) => {
            let schema = spec.get("schema")?;
            let mut nodes = 0;
            let skeleton = skeleton(doc, schema, 0, &mut nodes, &mut Vec::new());
            serde_json::to_string_pretty(&skeleton).unwrap_or_default()
        }
        (None, false) => return None,
    };
    Some((media.clone(), cap(text)))
}

fn is_json(media: &str) -> bool {
    let m = media.split(';').next().unwrap_or("").trim();
    m == "application/json" || m.ends_with("+json")
}

/// The longest body put in a command.
const MAX_BODY_BYTES: usize = 8 * 1024;

fn cap(mut text: String) -> String {
    if text.len() > MAX_BODY_BYTES {
        let mut end = MAX_BODY_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str("\n…");
    }
    text
}

/// A value of the schema's shape: its example, default or first enum value where it gives one,
/// else a placeholder of its type; objects with their required properties (all of them when none
/// is required). References are followed, a loop ends in `{}`.
pub fn skeleton(
    doc: &Value,
    schema: &Value,
    depth: usize,
    nodes: &mut usize,
    stack: &mut Vec<String>,
) -> Value {
    *nodes += 1;
    if depth > SKELETON_DEPTH || *nodes > SKELETON_NODES {
        return Value::Null;
    }
    if let Some(target) = pointer::ref_of(schema).and_then(pointer::local_target) {
        if stack.iter().any(|s| *s == target) {
            return Value::Object(Map::new());
        }
        let Some(next) = pointer::get(doc, &target) else {
            return Value::Null;
        };
        stack.push(target.into_owned());
        let v = skeleton(doc, next, depth, nodes, stack);
        stack.pop();
        return v;
    }
    let Some(obj) = schema.as_object() else {
        return Value::Null;
    };
    if let Some(v) = obj
        .get("example")
        .or_else(|| obj.get("default"))
        .or_else(|| obj.get("const"))
        .or_else(|| obj.get("enum").and_then(|e| e.get(0)))
    {
        return v.clone();
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(options)) = obj.get(key) {
            let mut merged = Map::new();
            for option in options.iter().take(if key == "allOf" { 16 } else { 1 }) {
                match skeleton(doc, option, depth + 1, nodes, stack) {
                    Value::Object(m) => merged.extend(m),
                    other if merged.is_empty() => return other,
                    _ => {}
                }
            }
            return Value::Object(merged);
        }
    }
    let ty = match obj.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if obj.contains_key("properties") => "object",
        _ if obj.contains_key("items") => "array",
        _ => "",
    };
    match ty {
        "string" => Value::String(
            match obj.get("format").and_then(Value::as_str) {
                Some("date-time") => "2024-01-31T12:00:00Z",
                Some("date") => "2024-01-31",
                Some("uuid") => "00000000-0000-0000-0000-000000000000",
                Some("email") => "name@example.org",
                Some("uri" | "url") => "https://example.org",
                _ => "string",
            }
            .to_owned(),
        ),
        "integer" => Value::from(0),
        "number" => Value::from(0.0),
        "boolean" => Value::Bool(false),
        "array" => match obj.get("items") {
            Some(items) => Value::Array(vec![skeleton(doc, items, depth + 1, nodes, stack)]),
            None => Value::Array(Vec::new()),
        },
        "object" => {
            let mut out = Map::new();
            let props = obj.get("properties").and_then(Value::as_object);
            let required: Vec<&str> = obj
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for (name, s) in props.into_iter().flatten() {
                if *nodes >= SKELETON_NODES {
                    break;
                }
                if !required.is_empty() && !required.contains(&name.as_str()) {
                    continue;
                }
                if s.get("readOnly").and_then(Value::as_bool) == Some(true) {
                    continue;
                }
                out.insert(name.clone(), skeleton(doc, s, depth + 1, nodes, stack));
            }
            Value::Object(out)
        }
        _ => Value::Null,
    }
}

/// Single-quotes a word for a POSIX shell.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Percent-encodes a query name or value, leaving `{placeholders}` readable.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'{' | b'}' | b',')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "openapi": "3.0.3",
            "servers": [{"url": "https://{env}.example.org/v1/", "variables": {"env": {"default": "api"}}}],
            "security": [{"bearer": []}],
            "components": {
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}, "key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
                "schemas": {
                    "Record": {"type": "object", "required": ["name", "child"], "properties": {
                        "name": {"type": "string"},
                        "at": {"type": "string", "format": "date-time"},
                        "child": {"$ref": "#/components/schemas/Record"}
                    }}
                }
            },
            "paths": {"/records/{recordId}": {
                "parameters": [{"name": "recordId", "in": "path", "required": true, "schema": {"type": "string"}}],
                "put": {
                    "parameters": [
                        {"name": "force", "in": "query", "required": true, "example": "met police"},
                        {"name": "page", "in": "query"},
                        {"name": "X-Request-Id", "in": "header", "required": true}
                    ],
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Record"}}}},
                    "responses": {"204": {"description": "done"}}
                },
                "get": {"security": [{"key": []}], "responses": {"200": {"description": "ok"}}}
            }}
        })
    }

    fn build(doc: &Value, method: &str) -> String {
        let path_item = &doc["paths"]["/records/{recordId}"];
        command(&Operation {
            doc,
            method,
            path: "/records/{recordId}",
            path_item,
            operation: &path_item[method],
        })
    }

    #[test]
    fn builds_a_command_from_the_description() {
        let doc = doc();
        let put = build(&doc, "put");
        assert!(put.starts_with("curl -X 'PUT' \\\n  'https://api.example.org/v1/records/{recordId}?force=met%20police'"), "{put}");
        assert!(
            !put.contains("page="),
            "optional parameters are left out: {put}"
        );
        assert!(put.contains("-H 'X-Request-Id: {X-Request-Id}'"), "{put}");
        assert!(put.contains("-H \"Authorization: Bearer $TOKEN\""), "{put}");
        assert!(put.contains("-H 'Content-Type: application/json'"), "{put}");
        // The skeleton has the required properties, and the recursion ends.
        let body = put.split("--data '").nth(1).unwrap().trim_end_matches('\'');
        let body: Value = serde_json::from_str(body).unwrap();
        assert_eq!(body["name"], "string");
        assert_eq!(body["child"], json!({}));
        assert!(body.get("at").is_none());
        let get = build(&doc, "get");
        assert!(get.starts_with("curl \\\n"), "{get}");
        assert!(get.contains("-H \"X-Key: $API_KEY\""), "{get}");
        assert!(!get.contains("--data"));
    }

    #[test]
    fn examples_win_and_quotes_are_escaped() {
        let mut doc = doc();
        doc["paths"]["/records/{recordId}"]["put"]["requestBody"]["content"]["application/json"]
            ["example"] = json!({"name": "O'Brien"});
        doc["servers"] = json!([]);
        let put = build(&doc, "put");
        assert!(put.contains(r#""name": "O'\''Brien""#), "{put}");
        assert!(
            put.contains("'https://{server}/records/{recordId}"),
            "{put}"
        );
    }

    #[test]
    fn skeletons_are_bounded() {
        // Deep: cut at SKELETON_DEPTH levels.
        let mut deep = json!({"type": "string"});
        for _ in 0..40 {
            deep = json!({"type": "object", "properties": {"next": deep}});
        }
        let mut nodes = 0;
        let v = skeleton(&json!({}), &deep, 0, &mut nodes, &mut Vec::new());
        assert_eq!(v.to_string().matches("next").count(), SKELETON_DEPTH + 1);
        // Wide: cut at SKELETON_NODES members.
        let props: Map<String, Value> = (0..5000)
            .map(|i| (format!("p{i}"), json!({"type": "integer"})))
            .collect();
        let wide = json!({"type": "object", "properties": props});
        let mut nodes = 0;
        let v = skeleton(&json!({}), &wide, 0, &mut nodes, &mut Vec::new());
        assert_eq!(v.as_object().unwrap().len(), SKELETON_NODES - 1);
        assert!(nodes <= SKELETON_NODES);
    }
}
