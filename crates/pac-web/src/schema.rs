//! Schemas as nested, collapsible structures: one `<li>` per property (or item, option, …) with its
//! type, format, required marker, constraints and description, and a `<details>` around whatever
//! has members of its own, so the tree opens without JavaScript.
//!
//! A `$ref` to a named component schema is a link to that schema's page, never expanded in place:
//! the page stays small and a recursive schema is simply a link to itself. Other local references
//! are followed, once per branch (a loop among them is said, not walked). Everything is bounded by a
//! [`Budget`] shared by all the trees of one page: a depth limit, a number of nodes and a number of
//! bytes of descriptions, so no description can make a page huge or slow.

use std::cell::Cell;

use maud::{Markup, html};
use pac_spec::pointer;
use serde_json::{Map, Value};

use crate::markdown;

/// What one page may spend on its schema trees.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Levels of nesting below a tree's root.
    pub max_depth: usize,
    /// Nodes (properties, items, options) over all the page's trees.
    pub max_nodes: usize,
    /// Bytes of descriptions rendered in full; past it a description is shortened to an excerpt.
    pub max_description_bytes: usize,
}

impl Budget {
    /// Enough for any real operation (a few hundred properties) in well under a megabyte of HTML.
    pub const PAGE: Budget = Budget {
        max_depth: 8,
        max_nodes: 800,
        max_description_bytes: 256 * 1024,
    };
}

/// A reference's target when it names a component schema: `#/components/schemas/Force` → `Force`.
pub fn component_name(reference: &str) -> Option<String> {
    let target = pointer::local_target(reference)?;
    let mut segments = pointer::segments(&target)?;
    match (
        segments.next(),
        segments.next(),
        segments.next(),
        segments.next(),
    ) {
        (Some(a), Some(b), Some(name), None) if a == "components" && b == "schemas" => {
            Some(name.into_owned())
        }
        _ => None,
    }
}

/// What the trees of one page share: the document references resolve in, where a named schema's
/// page is, and what is left of the budget.
pub struct Trees<'a> {
    doc: &'a Value,
    schema_href: &'a dyn Fn(&str) -> String,
    budget: Budget,
    nodes: Cell<usize>,
    description_bytes: Cell<usize>,
    /// Something was left out for the budget: the page says so.
    cut: Cell<bool>,
}

impl<'a> Trees<'a> {
    pub fn new(doc: &'a Value, schema_href: &'a dyn Fn(&str) -> String, budget: Budget) -> Self {
        Trees {
            doc,
            schema_href,
            budget,
            nodes: Cell::new(0),
            description_bytes: Cell::new(0),
            cut: Cell::new(false),
        }
    }

    pub fn doc(&self) -> &'a Value {
        self.doc
    }

    /// Whether some part of a tree was not shown because of the budget.
    pub fn was_cut(&self) -> bool {
        self.cut.get()
    }

    /// Nodes rendered so far.
    pub fn nodes(&self) -> usize {
        self.nodes.get()
    }

    /// A link to a named schema's page.
    pub fn schema_link(&self, name: &str) -> Markup {
        html! { a class="govuk-link" href=((self.schema_href)(name)) { (name) } }
    }

    /// A description in Markdown, in full while the budget lasts, then as a one-line excerpt.
    pub fn description(&self, text: &str) -> Markup {
        let used = self.description_bytes.get() + text.len();
        self.description_bytes.set(used);
        if used <= self.budget.max_description_bytes {
            html! { div class="pac-markdown" { (markdown::block(text)) } }
        } else {
            self.cut.set(true);
            html! { p class="govuk-body-s" { (markdown::excerpt(text, 160)) } }
        }
    }

    /// A whole schema: its own type and description, then its members as a list.
    pub fn tree(&self, schema: &Value) -> Markup {
        if let Some(name) = pointer::ref_of(schema).and_then(component_name) {
            return html! {
                p class="govuk-body" { "Schema: " (self.schema_link(&name)) }
            };
        }
        let mut stack = Vec::new();
        let (resolved, entered) = self.enter(schema, &mut stack);
        let Some(schema) = resolved else {
            return html! { p class="govuk-body" { (unresolved(schema_ref(schema))) } };
        };
        let head = self.head(schema);
        let members = self.members(schema, 1, &mut stack);
        if entered {
            stack.pop();
        }
        html! {
            p class="govuk-body" { (head) }
            @if let Some(d) = text(schema, "description") { (self.description(d)) }
            (constraints(schema))
            @if let Some(m) = members { ul class="pac-schema" { (m) } }
        }
    }

    /// Follows a reference that does not name a component schema, remembering where it went so a
    /// loop is caught. Returns the schema to show (None when the reference does not resolve) and
    /// whether a pointer was pushed.
    fn enter<'v>(&self, schema: &'v Value, stack: &mut Vec<String>) -> (Option<&'v Value>, bool)
    where
        'a: 'v,
    {
        let Some(reference) = pointer::ref_of(schema) else {
            return (Some(schema), false);
        };
        let Some(target) = pointer::local_target(reference) else {
            return (None, false);
        };
        if stack.iter().any(|p| *p == target) {
            return (None, false);
        }
        match pointer::get(self.doc, &target) {
            Some(v) => {
                stack.push(target.into_owned());
                (Some(v), true)
            }
            None => (None, false),
        }
    }

    /// One node: a property, an item or an option, labelled.
    fn node(
        &self,
        label: Label<'_>,
        schema: &Value,
        depth: usize,
        stack: &mut Vec<String>,
    ) -> Markup {
        if let Some(reference) = pointer::ref_of(schema) {
            if let Some(name) = component_name(reference) {
                return html! {
                    li {
                        (label.render()) " " span class="pac-type" { (self.schema_link(&name)) }
                        @if let Some(d) = text(schema, "description") { (self.description(d)) }
                    }
                };
            }
            let target = pointer::local_target(reference);
            if target
                .as_deref()
                .is_some_and(|t| stack.iter().any(|p| p == t))
            {
                return html! {
                    li { (label.render()) " " span class="pac-constraint" { "(refers back to " code { (reference) } ")" } }
                };
            }
        }
        let (resolved, entered) = self.enter(schema, stack);
        let Some(schema) = resolved else {
            return html! { li { (label.render()) " " (unresolved(schema_ref(schema))) } };
        };
        let out = self.node_resolved(label, schema, depth, stack);
        if entered {
            stack.pop();
        }
        out
    }

    fn node_resolved(
        &self,
        label: Label<'_>,
        schema: &Value,
        depth: usize,
        stack: &mut Vec<String>,
    ) -> Markup {
        let has_members = has_members(schema);
        let members = if has_members && depth < self.budget.max_depth {
            self.members(schema, depth + 1, stack)
        } else {
            None
        };
        let too_deep = has_members && members.is_none();
        if too_deep {
            self.cut.set(true);
        }
        let line = html! {
            (label.render()) " " (self.head(schema))
            @if too_deep { " " span class="pac-constraint" { "(deeper levels not shown)" } }
        };
        let details = html! {
            @if let Some(d) = text(schema, "description") { (self.description(d)) }
            (constraints(schema))
        };
        match members {
            Some(m) => html! {
                li {
                    details {
                        summary { (line) }
                        (details)
                        ul { (m) }
                    }
                }
            },
            None => html! { li { (line) (details) } },
        }
    }

    /// The members of a schema (properties, items, options, …) as `<li>`s; None when it has none
    /// or the budget is spent.
    fn members(&self, schema: &Value, depth: usize, stack: &mut Vec<String>) -> Option<Markup> {
        let obj = schema.as_object()?;
        let mut children: Vec<(Label<'_>, &Value)> = Vec::new();
        let required: Vec<&str> = obj
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            for (name, s) in props {
                children.push((
                    Label::Property {
                        name,
                        required: required.contains(&name.as_str()),
                    },
                    s,
                ));
            }
        }
        if let Some(props) = obj.get("patternProperties").and_then(Value::as_object) {
            for (pattern, s) in props {
                children.push((Label::Pattern(pattern), s));
            }
        }
        if let Some(s) = obj.get("additionalProperties").filter(|s| s.is_object()) {
            children.push((Label::Text("additional properties"), s));
        }
        match obj.get("items") {
            Some(Value::Array(tuple)) => {
                for s in tuple {
                    children.push((Label::Text("item"), s));
                }
            }
            Some(s) if !is_component_ref(s) => children.push((Label::Text("items"), s)),
            _ => {}
        }
        if let Some(Value::Array(prefix)) = obj.get("prefixItems") {
            for s in prefix {
                children.push((Label::Text("item"), s));
            }
        }
        for (key, words) in [
            ("allOf", "all of"),
            ("oneOf", "one of"),
            ("anyOf", "any of"),
        ] {
            if let Some(Value::Array(options)) = obj.get(key) {
                for s in options {
                    children.push((Label::Text(words), s));
                }
            }
        }
        if let Some(s) = obj.get("not") {
            children.push((Label::Text("not"), s));
        }
        if children.is_empty() {
            return None;
        }
        let left = self.budget.max_nodes.saturating_sub(self.nodes.get());
        let shown = children.len().min(left);
        self.nodes.set(self.nodes.get() + shown);
        let hidden = children.len() - shown;
        if hidden > 0 {
            self.cut.set(true);
        }
        if shown == 0 {
            return None;
        }
        Some(html! {
            @for (label, s) in children.into_iter().take(shown) {
                (self.node(label, s, depth, stack))
            }
            @if hidden > 0 {
                li class="pac-constraint" { (hidden) " more not shown on this page" }
            }
        })
    }

    /// Type (with format), the way a reader says it: `string (date-time)`, `array of Force`,
    /// `integer or null`.
    fn head(&self, schema: &Value) -> Markup {
        let Some(obj) = schema.as_object() else {
            return match schema {
                Value::Bool(true) => html! { span class="pac-type" { "any value" } },
                Value::Bool(false) => html! { span class="pac-type" { "no value is allowed" } },
                _ => html! {},
            };
        };
        let types = types(obj);
        let items_ref = obj
            .get("items")
            .and_then(pointer::ref_of)
            .and_then(component_name);
        html! {
            span class="pac-type" {
                @for (i, t) in types.iter().enumerate() {
                    @if i > 0 { " or " }
                    @if *t == "array" && items_ref.is_some() {
                        "array of " (self.schema_link(items_ref.as_deref().unwrap_or_default()))
                    } @else {
                        (t)
                    }
                }
                @if let Some(f) = text(schema, "format") { " (" (f) ")" }
            }
            @if obj.get("deprecated").and_then(Value::as_bool) == Some(true) {
                " " strong class="govuk-tag govuk-tag--orange" { "deprecated" }
            }
            @if obj.get("readOnly").and_then(Value::as_bool) == Some(true) {
                " " span class="pac-constraint" { "read only" }
            }
            @if obj.get("writeOnly").and_then(Value::as_bool) == Some(true) {
                " " span class="pac-constraint" { "write only" }
            }
        }
    }
}

/// How a node is named in its parent.
#[derive(Clone, Copy)]
enum Label<'s> {
    Property { name: &'s str, required: bool },
    Pattern(&'s str),
    Text(&'static str),
}

impl Label<'_> {
    fn render(self) -> Markup {
        match self {
            Label::Property { name, required } => html! {
                span class="pac-prop" { (name) }
                @if required { " " span class="pac-required" { "required" } }
            },
            Label::Pattern(p) => html! { "properties matching " code { (p) } },
            Label::Text(t) => html! { em { (t) } },
        }
    }
}

fn text<'v>(schema: &'v Value, key: &str) -> Option<&'v str> {
    schema
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

fn schema_ref(schema: &Value) -> &str {
    pointer::ref_of(schema).unwrap_or("")
}

fn unresolved(reference: &str) -> Markup {
    html! { span class="pac-constraint" { "(reference " code { (reference) } " is not in this description)" } }
}

fn is_component_ref(schema: &Value) -> bool {
    pointer::ref_of(schema).and_then(component_name).is_some()
}

fn has_members(schema: &Value) -> bool {
    let Some(obj) = schema.as_object() else {
        return false;
    };
    obj.get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty())
        || obj
            .get("patternProperties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty())
        || obj
            .get("additionalProperties")
            .is_some_and(Value::is_object)
        || obj.get("items").is_some_and(|i| !is_component_ref(i))
        || obj.get("prefixItems").is_some_and(Value::is_array)
        || ["allOf", "oneOf", "anyOf", "not"]
            .iter()
            .any(|k| obj.contains_key(*k))
}

/// The type words of a schema: `type` (a string, or 3.1's list), `nullable`, or what its members
/// imply.
fn types(obj: &Map<String, Value>) -> Vec<String> {
    let mut out: Vec<String> = match obj.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    if out.is_empty() {
        if obj.contains_key("properties") {
            out.push("object".into());
        } else if obj.contains_key("items") || obj.contains_key("prefixItems") {
            out.push("array".into());
        } else if obj.contains_key("enum") || obj.contains_key("const") {
            out.push("value".into());
        } else if obj.contains_key("allOf") {
            out.push("all of".into());
        } else if obj.contains_key("oneOf") {
            out.push("one of".into());
        } else if obj.contains_key("anyOf") {
            out.push("any of".into());
        } else {
            out.push("any".into());
        }
    }
    if obj.get("nullable").and_then(Value::as_bool) == Some(true)
        && !out.iter().any(|t| t == "null")
    {
        out.push("null".into());
    }
    out
}

/// Enum, const, bounds, lengths, pattern, default and example, as short phrases.
pub fn constraints(schema: &Value) -> Markup {
    let Some(obj) = schema.as_object() else {
        return html! {};
    };
    let mut parts: Vec<String> = Vec::new();
    if let Some(Value::Array(values)) = obj.get("enum") {
        const SHOWN: usize = 50;
        let mut list: Vec<String> = values.iter().take(SHOWN).map(short).collect();
        if values.len() > SHOWN {
            list.push(format!("and {} more", values.len() - SHOWN));
        }
        parts.push(format!("one of: {}", list.join(", ")));
    }
    if let Some(c) = obj.get("const") {
        parts.push(format!("always {}", short(c)));
    }
    let bound = |k: &str| obj.get(k).filter(|v| v.is_number()).map(short);
    let exclusive = |k: &str| obj.get(k).and_then(Value::as_bool) == Some(true);
    if let Some(m) = bound("minimum") {
        let word = if exclusive("exclusiveMinimum") {
            "more than"
        } else {
            "at least"
        };
        parts.push(format!("{word} {m}"));
    }
    if let Some(m) = bound("exclusiveMinimum") {
        parts.push(format!("more than {m}"));
    }
    if let Some(m) = bound("maximum") {
        let word = if exclusive("exclusiveMaximum") {
            "less than"
        } else {
            "at most"
        };
        parts.push(format!("{word} {m}"));
    }
    if let Some(m) = bound("exclusiveMaximum") {
        parts.push(format!("less than {m}"));
    }
    if let Some(m) = bound("multipleOf") {
        parts.push(format!("a multiple of {m}"));
    }
    for (key, words) in [
        ("minLength", "at least {} characters"),
        ("maxLength", "at most {} characters"),
        ("minItems", "at least {} items"),
        ("maxItems", "at most {} items"),
        ("minProperties", "at least {} properties"),
        ("maxProperties", "at most {} properties"),
    ] {
        if let Some(n) = bound(key) {
            parts.push(words.replace("{}", &n));
        }
    }
    if obj.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
        parts.push("items are unique".into());
    }
    if let Some(p) = obj.get("pattern").and_then(Value::as_str) {
        parts.push(format!("matches {}", cap(p, 200)));
    }
    if let Some(d) = obj.get("default") {
        parts.push(format!("default {}", short(d)));
    }
    if let Some(e) = obj.get("example") {
        parts.push(format!("example {}", short(e)));
    }
    if parts.is_empty() {
        return html! {};
    }
    html! {
        p class="govuk-body-s pac-constraint" { (parts.join("; ")) }
    }
}

/// A value as JSON on one line, at most 80 characters.
fn short(v: &Value) -> String {
    cap(&v.to_string(), 80)
}

fn cap(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let cut: String = s.chars().take(max).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn href(name: &str) -> String {
        format!("/schemas/{name}")
    }

    #[test]
    fn component_references_are_links_not_expansions() {
        let doc = json!({"components": {"schemas": {
            "Node": {"type": "object", "properties": {
                "name": {"type": "string", "description": "Its name."},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "parent": {"$ref": "#/components/schemas/Node"}
            }, "required": ["name"]}
        }}});
        let trees = Trees::new(&doc, &href, Budget::PAGE);
        let html = trees.tree(&doc["components"]["schemas"]["Node"]).0;
        assert!(
            html.contains(r#"array of <a class="govuk-link" href="/schemas/Node">Node</a>"#),
            "{html}"
        );
        assert!(html.contains(r#"<span class="pac-prop">parent</span>"#));
        assert!(html.contains(r#"href="/schemas/Node""#));
        assert!(html.contains(r#"<span class="pac-required">required</span>"#));
        assert!(html.contains("Its name."));
        assert_eq!(trees.nodes(), 3, "the recursion is not walked");
        assert!(!trees.was_cut());
        // A root that is itself a reference is a link.
        let html = trees.tree(&json!({"$ref": "#/components/schemas/Node"})).0;
        assert!(html.contains(r#"href="/schemas/Node""#), "{html}");
    }

    #[test]
    fn loops_among_other_references_are_said_not_walked() {
        let doc = json!({"definitions": {
            "a": {"type": "object", "properties": {"b": {"$ref": "#/definitions/b"}}},
            "b": {"type": "object", "properties": {"a": {"$ref": "#/definitions/a"}}}
        }});
        let trees = Trees::new(&doc, &href, Budget::PAGE);
        let html = trees.tree(&json!({"$ref": "#/definitions/a"})).0;
        assert!(html.contains("refers back to"), "{html}");
        assert!(trees.nodes() <= 3);
        let html = trees.tree(&json!({"$ref": "#/nowhere"})).0;
        assert!(html.contains("is not in this description"), "{html}");
    }

    #[test]
    fn depth_is_bounded() {
        let mut deep = json!({"type": "string"});
        for _ in 0..100 {
            deep = json!({"type": "object", "properties": {"next": deep}});
        }
        let doc = json!({});
        let trees = Trees::new(&doc, &href, Budget::PAGE);
        let html = trees.tree(&deep).0;
        assert_eq!(trees.nodes(), Budget::PAGE.max_depth);
        assert!(trees.was_cut());
        assert!(html.contains("deeper levels not shown"));
        assert_eq!(
            html.matches("<details>").count(),
            Budget::PAGE.max_depth - 1
        );
    }

    #[test]
    fn nodes_are_bounded_across_a_page() {
        let props: Map<String, Value> = (0..5000)
            .map(|i| {
                (
                    format!("p{i}"),
                    json!({"type": "string", "description": "x".repeat(200)}),
                )
            })
            .collect();
        let wide = json!({"type": "object", "properties": props});
        let doc = json!({});
        let trees = Trees::new(&doc, &href, Budget::PAGE);
        let first = trees.tree(&wide).0;
        let second = trees.tree(&wide).0;
        assert_eq!(trees.nodes(), Budget::PAGE.max_nodes);
        assert!(trees.was_cut());
        assert!(first.contains(&format!("{} more not shown", 5000 - Budget::PAGE.max_nodes)));
        assert!(
            !second.contains("pac-prop"),
            "the budget is the page's, not the tree's"
        );
        assert!(first.len() + second.len() < 600_000, "{}", first.len());
    }

    #[test]
    fn constraints_and_types_read_as_words() {
        let doc = json!({});
        let trees = Trees::new(&doc, &href, Budget::PAGE);
        let html = trees
            .tree(&json!({"type": "object", "properties": {
                "code": {"type": "string", "enum": ["a", "b"], "pattern": "^[a-z]$", "maxLength": 1},
                "n": {"type": ["integer", "null"], "format": "int32", "minimum": 0, "exclusiveMaximum": 10},
                "when": {"type": "string", "format": "date-time", "nullable": true, "deprecated": true}
            }}))
            .0;
        assert!(
            html.contains(
                "one of: &quot;a&quot;, &quot;b&quot;; at most 1 characters; matches ^[a-z]$"
            ),
            "{html}"
        );
        assert!(html.contains("integer or null (int32)"), "{html}");
        assert!(html.contains("at least 0; less than 10"), "{html}");
        assert!(html.contains("string or null (date-time)"), "{html}");
        assert!(html.contains("deprecated"));
    }

    #[test]
    fn descriptions_are_sanitised() {
        let doc = json!({});
        let trees = Trees::new(&doc, &href, Budget::PAGE);
        let html = trees
            .tree(&json!({"type": "object", "properties": {
                "x": {"type": "string", "description": "<script>alert(1)</script><img src=x onerror=alert(1)>"}
            }}))
            .0;
        assert!(
            !html.contains("<script") && !html.contains("onerror"),
            "{html}"
        );
    }
}
