//! The parts of an operation's page drawn from the normalised document: parameters, request
//! body, responses (with their schemas as [`schema`](crate::schema) trees and their examples),
//! and security requirements. Headings start at `h2`; the page owns the `h1`.

use maud::{Markup, html};
use pac_spec::pointer;
use serde_json::Value;

use crate::schema::{Trees, constraints};

/// Longest example shown; a longer one is cut and says so.
const MAX_EXAMPLE_BYTES: usize = 16 * 1024;
/// Examples shown per media type.
const MAX_EXAMPLES: usize = 5;

fn follow<'v>(doc: &'v Value, v: &'v Value) -> &'v Value {
    pointer::follow(doc, v, String::new(), pointer::MAX_REF_CHAIN).0
}

fn text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// Path-level and operation-level parameters (the operation's win), references followed.
pub fn parameters<'v>(doc: &'v Value, path_item: &'v Value, op: &'v Value) -> Vec<&'v Value> {
    let mut out: Vec<&Value> = Vec::new();
    let all = op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(
            path_item
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        );
    for p in all {
        let p = follow(doc, p);
        let key = |v: &Value| (v.get("name").cloned(), v.get("in").cloned());
        if !out.iter().any(|o| key(o) == key(p)) {
            out.push(p);
        }
    }
    out
}

/// The parameters as a table.
pub fn parameters_table(trees: &Trees<'_>, params: &[&Value]) -> Markup {
    html! {
        h2 class="govuk-heading-m" id="parameters" { "Parameters" }
        @if params.is_empty() {
            p class="govuk-body" { "None." }
        } @else {
            table class="govuk-table" {
                caption class="govuk-table__caption govuk-table__caption--s govuk-visually-hidden" { "Parameters" }
                thead class="govuk-table__head" {
                    tr class="govuk-table__row" {
                        th scope="col" class="govuk-table__header" { "Name" }
                        th scope="col" class="govuk-table__header" { "In" }
                        th scope="col" class="govuk-table__header" { "Required" }
                        th scope="col" class="govuk-table__header" { "Type" }
                        th scope="col" class="govuk-table__header" { "Description" }
                        th scope="col" class="govuk-table__header" { "Example" }
                    }
                }
                tbody class="govuk-table__body" {
                    @for p in params {
                        (parameter_row(trees, p))
                    }
                }
            }
        }
    }
}

fn parameter_row(trees: &Trees<'_>, p: &Value) -> Markup {
    let doc = trees.doc();
    let schema = p.get("schema").or_else(|| {
        p.get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.values().next())
            .and_then(|m| m.get("schema"))
    });
    let required = p.get("required").and_then(Value::as_bool) == Some(true);
    let example = p
        .get("example")
        .or_else(|| schema.and_then(|s| follow(doc, s).get("example")))
        .or_else(|| {
            p.get("examples")
                .and_then(Value::as_object)
                .and_then(|e| e.values().next())
                .map(|e| follow(doc, e))
                .and_then(|e| e.get("value"))
        });
    html! {
        tr class="govuk-table__row" {
            th scope="row" class="govuk-table__header" {
                span class="pac-prop" { (text(p, "name").unwrap_or("?")) }
                @if p.get("deprecated").and_then(Value::as_bool) == Some(true) {
                    " " strong class="govuk-tag govuk-tag--orange" { "deprecated" }
                }
            }
            td class="govuk-table__cell" { (text(p, "in").unwrap_or("")) }
            td class="govuk-table__cell" { @if required { span class="pac-required" { "Required" } } @else { "Optional" } }
            td class="govuk-table__cell" {
                @if let Some(s) = schema { (type_cell(trees, s)) }
            }
            td class="govuk-table__cell" {
                @if let Some(d) = text(p, "description") { (trees.description(d)) }
            }
            td class="govuk-table__cell" {
                @if let Some(e) = example {
                    code { (one_line(e)) }
                }
            }
        }
    }
}

/// A parameter's type in a table cell: the schema's type words, or a link to a named schema, and
/// its constraints.
fn type_cell(trees: &Trees<'_>, schema: &Value) -> Markup {
    if let Some(name) = pointer::ref_of(schema).and_then(crate::schema::component_name) {
        return trees.schema_link(&name);
    }
    let schema = follow(trees.doc(), schema);
    let ty = match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => String::new(),
    };
    let items = schema
        .pointer("/items/type")
        .and_then(Value::as_str)
        .filter(|_| ty == "array");
    html! {
        span class="pac-type" {
            (ty)
            @if let Some(i) = items { " of " (i) }
            @if let Some(f) = text(schema, "format") { " (" (f) ")" }
        }
        (constraints(schema))
    }
}

fn one_line(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s
    }
}

/// The request body: whether it is required, its description, and per media type its schema and
/// examples.
pub fn request_body(trees: &Trees<'_>, op: &Value) -> Markup {
    let doc = trees.doc();
    let Some(body) = op.get("requestBody").map(|b| follow(doc, b)) else {
        return html! {};
    };
    let required = body.get("required").and_then(Value::as_bool) == Some(true);
    html! {
        h2 class="govuk-heading-m" id="request-body" { "Request body" }
        p class="govuk-body" { @if required { "Required." } @else { "Optional." } }
        @if let Some(d) = text(body, "description") { (trees.description(d)) }
        (content(trees, body, "request", 3))
    }
}

/// Each response by status: its description, headers, and per media type its schema and
/// examples.
pub fn responses(trees: &Trees<'_>, op: &Value) -> Markup {
    let doc = trees.doc();
    let Some(responses) = op.get("responses").and_then(Value::as_object) else {
        return html! {
            h2 class="govuk-heading-m" id="responses" { "Responses" }
            p class="govuk-body" { "The description gives no response." }
        };
    };
    html! {
        h2 class="govuk-heading-m" id="responses" { "Responses" }
        @for (status, response) in responses.iter().filter(|(k, _)| !k.starts_with("x-")) {
            @let response = follow(doc, response);
            h3 class="govuk-heading-s" id=(format!("response-{status}")) {
                @if status == "default" { "Any other status" } @else { "Status " (status) }
            }
            @if let Some(d) = text(response, "description") { (trees.description(d)) }
            @if let Some(headers) = response.get("headers").and_then(Value::as_object).filter(|h| !h.is_empty()) {
                dl class="govuk-summary-list govuk-summary-list--no-border" {
                    @for (name, h) in headers {
                        @let h = follow(doc, h);
                        div class="govuk-summary-list__row" {
                            dt class="govuk-summary-list__key" { "Header " span class="pac-prop" { (name) } }
                            dd class="govuk-summary-list__value" {
                                @if let Some(s) = h.get("schema") { (type_cell(trees, s)) }
                                @if let Some(d) = text(h, "description") { (trees.description(d)) }
                            }
                        }
                    }
                }
            }
            (content(trees, response, &format!("response-{status}"), 4))
        }
    }
}

/// A body's media types: each with its schema tree and its examples.
fn content(trees: &Trees<'_>, holder: &Value, id: &str, level: u8) -> Markup {
    let Some(content) = holder.get("content").and_then(Value::as_object) else {
        return html! {};
    };
    html! {
        @for (i, (media, spec)) in content.iter().enumerate() {
            @let heading = html! { "Media type " code { (media) } };
            @if level == 3 {
                h3 class="govuk-heading-s" { (heading) }
            } @else {
                h4 class="govuk-heading-s" { (heading) }
            }
            @if let Some(schema) = spec.get("schema").or_else(|| spec.get("itemSchema")) {
                (trees.tree(schema))
            }
            (examples(trees.doc(), spec, &format!("{id}-{i}")))
        }
    }
}

/// A media type's examples (`example`, or the first few of `examples`), as copyable code.
pub fn examples(doc: &Value, media: &Value, id: &str) -> Markup {
    let mut list: Vec<(String, &Value)> = Vec::new();
    if let Some(e) = media.get("example") {
        list.push(("Example".to_owned(), e));
    }
    if let Some(named) = media.get("examples").and_then(Value::as_object) {
        for (name, e) in named.iter().take(MAX_EXAMPLES) {
            let e = follow(doc, e);
            if let Some(v) = e.get("value") {
                let title = text(e, "summary").unwrap_or(name);
                list.push((format!("Example: {title}"), v));
            }
        }
    }
    html! {
        @for (i, (title, value)) in list.iter().enumerate() {
            @let code_id = format!("example-{id}-{i}");
            details class="govuk-details" {
                summary class="govuk-details__summary" {
                    span class="govuk-details__summary-text" { (title) }
                }
                div class="govuk-details__text" {
                    pre class="pac-code" id=(code_id) data-copy { code { (pretty(value)) } }
                }
            }
        }
    }
}

/// A value as indented JSON (a string as itself), at most [`MAX_EXAMPLE_BYTES`].
fn pretty(v: &Value) -> String {
    let mut s = match v {
        Value::String(s) => s.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    };
    if s.len() > MAX_EXAMPLE_BYTES {
        let mut end = MAX_EXAMPLE_BYTES;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push_str("\n… (cut: the whole example is in the original description)");
    }
    s
}

/// The security requirements: the operation's own, or the document's; each alternative a list of
/// schemes that must all be satisfied, with the scopes they need.
pub fn security(doc: &Value, op: &Value) -> Markup {
    let own = op.get("security");
    let requirements = own
        .or_else(|| doc.get("security"))
        .and_then(Value::as_array);
    html! {
        h2 class="govuk-heading-m" id="security" { "Security" }
        @match requirements {
            None => p class="govuk-body" { "The description states no security requirement." },
            Some(list) if list.is_empty() || list.iter().all(|r| r.as_object().is_some_and(|o| o.is_empty())) && list.len() == 1 => {
                p class="govuk-body" { "No credentials are needed." }
            }
            Some(list) => {
                @if list.len() > 1 { p class="govuk-body" { "Any one of these:" } }
                ul class="govuk-list govuk-list--bullet" {
                    @for r in list.iter().filter_map(Value::as_object) {
                        li {
                            @if r.is_empty() { "No credentials" }
                            @for (i, (name, scopes)) in r.iter().enumerate() {
                                @if i > 0 { " and " }
                                (scheme_words(doc, name))
                                @let scopes: Vec<&str> = scopes.as_array().into_iter().flatten().filter_map(Value::as_str).collect();
                                @if !scopes.is_empty() {
                                    " with scope" @if scopes.len() > 1 { "s" } " "
                                    @for (j, s) in scopes.iter().enumerate() {
                                        @if j > 0 { ", " }
                                        code { (s) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn scheme_words(doc: &Value, name: &str) -> Markup {
    let scheme = doc
        .pointer("/components/securitySchemes")
        .and_then(|s| s.get(name))
        .map(|s| follow(doc, s));
    html! {
        strong { (name) }
        @if let Some(s) = scheme {
            " (" (scheme_kind(s)) ")"
        }
    }
}

/// A security scheme's kind in words: `HTTP bearer (JWT)`, `API key in header X-Key`, `OAuth 2.0`.
pub fn scheme_kind(s: &Value) -> String {
    match text(s, "type").unwrap_or("") {
        "http" => {
            let mut out = format!("HTTP {}", text(s, "scheme").unwrap_or(""));
            if let Some(f) = text(s, "bearerFormat") {
                out.push_str(&format!(" ({f})"));
            }
            out
        }
        "apiKey" => format!(
            "API key in {} {}",
            text(s, "in").unwrap_or("?"),
            text(s, "name").unwrap_or("?")
        ),
        "oauth2" => "OAuth 2.0".to_owned(),
        "openIdConnect" => "OpenID Connect".to_owned(),
        "mutualTLS" => "mutual TLS".to_owned(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Budget;
    use serde_json::json;

    #[test]
    fn an_operation_renders_its_parts() {
        let doc = json!({
            "components": {
                "schemas": {"Force": {"type": "object"}},
                "securitySchemes": {"oauth": {"type": "oauth2"}},
                "parameters": {"Id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "example": "met"}}
            },
            "paths": {"/forces/{id}": {
                "parameters": [{"$ref": "#/components/parameters/Id"}],
                "get": {
                    "security": [{"oauth": ["read", "write"]}],
                    "responses": {"200": {"description": "The force", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Force"},
                        "examples": {"met": {"summary": "The Met", "value": {"id": "met"}}}
                    }}}}
                }
            }}
        });
        let item = &doc["paths"]["/forces/{id}"];
        let op = &item["get"];
        let href = |n: &str| format!("/s/{n}");
        let trees = Trees::new(&doc, &href, Budget::PAGE);
        let params = parameters(&doc, item, op);
        let html = parameters_table(&trees, &params).0;
        assert!(
            html.contains(
                r#"<th scope="row" class="govuk-table__header"><span class="pac-prop">id</span>"#
            ),
            "{html}"
        );
        assert!(html.contains("<code>met</code>"), "{html}");
        let html = responses(&trees, op).0;
        assert!(html.contains(r#"href="/s/Force""#), "{html}");
        assert!(html.contains("Example: The Met"), "{html}");
        assert!(html.contains("data-copy"), "{html}");
        let html = security(&doc, op).0;
        assert!(html.contains("OAuth 2.0"), "{html}");
        assert!(html.contains("<code>write</code>"), "{html}");
    }
}
