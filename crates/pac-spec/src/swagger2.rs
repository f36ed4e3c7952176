//! Swagger 2.0 -> OpenAPI 3.0, on `serde_json::Value` before the typed model sees it.
//!
//! host/basePath/schemes become servers; definitions, parameters, responses and securityDefinitions become
//! components (and every `#/definitions/...`-style ref is rewritten); body and formData parameters become request
//! bodies; response schemas get a content entry per `produces`. What 3.0 cannot say is dropped with a
//! `conversion_dropped` note pointing at the 2.0 location.

use serde_json::{Map, Value, json};

use super::pointer::escape;
use super::{Note, refs};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];
const DEFAULT_MEDIA: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// Fields a 2.0 non-body parameter (or its `items`) shares with a 3.0 schema.
const SCHEMA_FIELDS: &[&str] = &[
    "type",
    "format",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];

struct Converter<'a> {
    notes: &'a mut Vec<Note>,
    consumes: Vec<String>,
    produces: Vec<String>,
    schemes: Vec<String>,
    /// Global parameters, to look through `#/parameters/X` when X is a body or formData parameter.
    global_params: Map<String, Value>,
    /// Places that moved: (pointer in the 3.0 document, pointer in the 2.0 original).
    moves: Vec<(String, String)>,
}

/// Converts `doc` in place; returns the places whose pointer the conversion changed beyond the
/// renamings `original_pointer` knows (a parameter whose index moved because body and formData
/// parameters left the list; the servers made of host, basePath and schemes).
pub(crate) fn convert(doc: &mut Value, notes: &mut Vec<Note>) -> Vec<(String, String)> {
    hoist_refs_into_paths(doc, notes);
    let Value::Object(mut src) = std::mem::take(doc) else {
        return Vec::new();
    };
    let mut c = Converter {
        notes,
        consumes: media_list(src.get("consumes")),
        produces: media_list(src.get("produces")),
        schemes: media_list(src.get("schemes")),
        global_params: src
            .get("parameters")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
        moves: Vec::new(),
    };
    if let Some(origin) = ["schemes", "host", "basePath"]
        .into_iter()
        .find(|k| src.contains_key(*k))
    {
        c.moves.push(("/servers".into(), format!("/{origin}")));
    }
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    out.insert(
        "info".into(),
        src.remove("info").unwrap_or_else(|| json!({})),
    );
    if let Some(servers) = c.servers(&src) {
        out.insert("servers".into(), servers);
    }
    let mut paths = Map::new();
    match src.remove("paths") {
        Some(Value::Object(src_paths)) => {
            for (path, item) in src_paths {
                let pointer = format!("/paths/{}", escape(&path));
                let converted = c.path_item(item, &pointer);
                paths.insert(path, converted);
            }
        }
        // Let the model report the wrong type at its pointer.
        Some(other) => {
            out.insert("paths".into(), other);
        }
        None => {}
    }
    if !out.contains_key("paths") {
        out.insert("paths".into(), Value::Object(paths));
    }
    let mut components = Map::new();
    if let Some(Value::Object(mut schemas)) = src.remove("definitions") {
        for s in schemas.values_mut() {
            convert_schema(s);
        }
        components.insert("schemas".into(), Value::Object(schemas));
    }
    let (mut params, mut bodies) = (Map::new(), Map::new());
    for (name, p) in &c.global_params.clone() {
        let pointer = format!("/parameters/{}", escape(name));
        match p.get("in").and_then(Value::as_str) {
            Some("body") => {
                let consumes = c.consumes.clone();
                bodies.insert(name.clone(), c.body(p, &consumes, &pointer));
            }
            Some("formData") => {} // only usable inlined into operations, which happens through the lookup
            _ => {
                params.insert(name.clone(), c.parameter(p, &pointer));
            }
        }
    }
    if !params.is_empty() {
        components.insert("parameters".into(), Value::Object(params));
    }
    if !bodies.is_empty() {
        components.insert("requestBodies".into(), Value::Object(bodies));
    }
    if let Some(Value::Object(responses)) = src.remove("responses") {
        let produces = c.produces.clone();
        let converted: Map<String, Value> = responses
            .into_iter()
            .map(|(name, r)| {
                let pointer = format!("/responses/{}", escape(&name));
                let r = c.response(r, &produces, &pointer);
                (name, r)
            })
            .collect();
        components.insert("responses".into(), Value::Object(converted));
    }
    if let Some(Value::Object(defs)) = src.get("securityDefinitions") {
        let schemes: Map<String, Value> = defs
            .iter()
            .map(|(name, d)| {
                let pointer = format!("/securityDefinitions/{}", escape(name));
                (name.clone(), c.security_scheme(d, &pointer))
            })
            .collect();
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    for key in ["security", "tags", "externalDocs"] {
        if let Some(v) = src.remove(key) {
            out.insert(key.into(), v);
        }
    }
    for (k, v) in src {
        if k.starts_with("x-") {
            out.insert(k, v);
        }
    }
    let body_names: Vec<String> = c
        .global_params
        .iter()
        .filter(|(_, p)| p.get("in").and_then(Value::as_str) == Some("body"))
        .map(|(n, _)| n.clone())
        .collect();
    let mut doc_out = Value::Object(out);
    refs::for_each_ref(&mut doc_out, &mut |r, _| rewrite_ref(r, &body_names));
    *doc = doc_out;
    c.moves
}

/// Refs into `#/paths/...` (APIs.guru de-duplicates with them) would dangle once operations are
/// restructured. Their targets move to where 2.0 keeps reusable things (`definitions`,
/// `parameters`, `responses`), leaving a reference behind, so that a schema that contains itself
/// stays one schema instead of being copied into itself. Only a path item, which 2.0 cannot keep
/// elsewhere, is copied in, once, and never into itself.
fn hoist_refs_into_paths(doc: &mut Value, notes: &mut Vec<Note>) {
    let mut targets: Vec<String> = Vec::new();
    refs::each_ref(doc, &mut |r, _| {
        if let Some(target) = super::pointer::local_target(r)
            && target.starts_with("/paths/")
            && !targets.iter().any(|t| t == target.as_ref())
        {
            targets.push(target.into_owned());
        }
    });
    if targets.is_empty() {
        return;
    }
    // Deepest first: hoisting an inner target leaves the pointers of the outer ones as they are.
    targets.sort_by_key(|t| std::cmp::Reverse(t.matches('/').count()));
    let mut renamed: Vec<(String, String)> = Vec::new();
    for target in targets {
        let Some(section) = hoisted_section(&target) else {
            continue;
        };
        let Some(slot) = doc.pointer_mut(&target) else {
            continue;
        };
        let value = std::mem::take(slot);
        let name = free_name(doc, section, &target);
        let new_pointer = format!("/{section}/{}", escape(&name));
        if let Some(slot) = doc.pointer_mut(&target) {
            *slot = json!({ "$ref": format!("#{new_pointer}") });
        }
        if let Value::Object(root) = doc {
            let holder = root
                .entry(section.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(holder) = holder {
                holder.insert(name, value);
            }
        }
        renamed.push((target, new_pointer));
    }
    // Every reference to a moved place, or into it, follows it.
    refs::for_each_ref(doc, &mut |r, _| {
        let Some(target) = super::pointer::local_target(r).map(|t| t.into_owned()) else {
            return;
        };
        for (from, to) in &renamed {
            if let Some(rest) = target.strip_prefix(from.as_str())
                && (rest.is_empty() || rest.starts_with('/'))
            {
                *r = format!("#{to}{rest}");
                return;
            }
        }
    });
    copy_path_items(doc, notes);
}

/// Where 2.0 keeps a reusable thing found at `pointer` inside `paths`: a schema, a parameter or a
/// response. None for a path item or an operation.
fn hoisted_section(pointer: &str) -> Option<&'static str> {
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    // paths, path, then a method or `parameters`.
    let rest = segments.get(2..)?;
    if rest.contains(&"schema") {
        return Some("definitions");
    }
    match rest {
        ["parameters", _] | [_, "parameters", _] => Some("parameters"),
        [_, "responses", _] => Some("responses"),
        _ => None,
    }
}

/// A name for a thing moved out of `pointer`, free in `section`: its path and place, slugged.
fn free_name(doc: &Value, section: &str, pointer: &str) -> String {
    let base: String = pointer
        .trim_start_matches("/paths/")
        .split('/')
        .map(|s| super::pointer::unescape(s).into_owned())
        .collect::<Vec<_>>()
        .join("_")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let base = base.trim_matches('_');
    let taken = |name: &str| doc.get(section).and_then(|s| s.get(name)).is_some();
    let mut name = format!("paths_{base}");
    let mut n = 2;
    while taken(&name) {
        name = format!("paths_{base}_{n}");
        n += 1;
    }
    name
}

/// A `$ref` to another path item is copied in, once per reference; one that would contain itself is
/// left and noted.
fn copy_path_items(doc: &mut Value, notes: &mut Vec<Note>) {
    let mut found: Vec<(String, String)> = Vec::new();
    refs::each_ref(doc, &mut |r, pointer| {
        if let Some(target) = super::pointer::local_target(r)
            && target.starts_with("/paths/")
        {
            found.push((pointer.to_owned(), target.into_owned()));
        }
    });
    for (pointer, target) in found {
        let inside = pointer == target || pointer.starts_with(&format!("{target}/"));
        let value = doc.pointer(&target).cloned();
        match value {
            Some(value) if !inside && !contains_path_ref(&value) => {
                if let Some(slot) = doc.pointer_mut(&pointer) {
                    *slot = value;
                }
            }
            _ => notes.push(Note::new(
                "ref_missing_target",
                pointer,
                format!("#{target}: a path item that refers into paths is not copied (it would copy references into itself)"),
            )),
        }
    }
}

fn contains_path_ref(v: &Value) -> bool {
    let mut found = false;
    refs::each_ref(v, &mut |r, _| {
        found |= r.starts_with("#/paths/");
    });
    found
}

fn rewrite_ref(r: &mut String, body_names: &[String]) {
    let new = if let Some(rest) = r.strip_prefix("#/definitions/") {
        format!("#/components/schemas/{rest}")
    } else if let Some(rest) = r.strip_prefix("#/parameters/") {
        if body_names.iter().any(|n| escape(n) == rest) {
            format!("#/components/requestBodies/{rest}")
        } else {
            format!("#/components/parameters/{rest}")
        }
    } else if let Some(rest) = r.strip_prefix("#/responses/") {
        format!("#/components/responses/{rest}")
    } else {
        return;
    };
    *r = new;
}

fn media_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn copy(from: &Value, to: &mut Map<String, Value>, keys: &[&str]) {
    for k in keys {
        if let Some(v) = from.get(*k) {
            to.insert((*k).into(), v.clone());
        }
    }
}

fn take(from: &mut Map<String, Value>, to: &mut Map<String, Value>, keys: &[&str]) {
    for k in keys {
        if let Some(v) = from.remove(*k) {
            to.insert((*k).into(), v);
        }
    }
}

fn take_extensions(from: &mut Map<String, Value>, to: &mut Map<String, Value>) {
    let keys: Vec<String> = from
        .keys()
        .filter(|k| k.starts_with("x-"))
        .cloned()
        .collect();
    for k in keys {
        if let Some(v) = from.remove(&k) {
            to.insert(k, v);
        }
    }
}

fn copy_extensions(from: &Value, to: &mut Map<String, Value>) {
    if let Some(m) = from.as_object() {
        for (k, v) in m {
            if k.starts_with("x-") {
                to.insert(k.clone(), v.clone());
            }
        }
    }
}

/// 2.0 schema quirks: `x-nullable`, `type: file`, string discriminators.
pub(crate) fn convert_schema(s: &mut Value) {
    let Value::Object(m) = s else { return };
    if m.contains_key("$ref") {
        return;
    }
    if let Some(n) = m.remove("x-nullable") {
        m.insert("nullable".into(), n);
    }
    if m.get("type").and_then(Value::as_str) == Some("file") {
        m.insert("type".into(), json!("string"));
        m.insert("format".into(), json!("binary"));
    }
    if let Some(Value::String(d)) = m.get("discriminator") {
        let d = d.clone();
        m.insert("discriminator".into(), json!({ "propertyName": d }));
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(c) = m.get_mut(key) {
            convert_schema(c);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(items)) = m.get_mut(key) {
            items.iter_mut().for_each(convert_schema);
        }
    }
    if let Some(Value::Array(items)) = m.get_mut("items") {
        items.iter_mut().for_each(convert_schema);
    }
    if let Some(Value::Object(props)) = m.get_mut("properties") {
        props.values_mut().for_each(convert_schema);
    }
}

impl Converter<'_> {
    fn drop_note(&mut self, pointer: String, what: &str) {
        self.notes
            .push(Note::new("conversion_dropped", pointer, what.to_owned()));
    }

    fn servers(&mut self, src: &Map<String, Value>) -> Option<Value> {
        let host = src.get("host").and_then(Value::as_str);
        let base = src.get("basePath").and_then(Value::as_str).unwrap_or("");
        let base = if base.is_empty() || base.starts_with('/') {
            base.to_owned()
        } else {
            format!("/{base}")
        };
        let mut schemes = media_list(src.get("schemes"));
        match host {
            Some(host) => {
                if schemes.is_empty() {
                    schemes.push("https".into());
                }
                let base = base.trim_end_matches('/');
                let servers: Vec<Value> = schemes
                    .iter()
                    .filter(|s| matches!(s.as_str(), "http" | "https" | "ws" | "wss"))
                    .map(|s| json!({ "url": format!("{s}://{host}{base}") }))
                    .collect();
                (!servers.is_empty()).then_some(Value::Array(servers))
            }
            None if !base.is_empty() => Some(json!([{ "url": base }])),
            None => None,
        }
    }

    fn path_item(&mut self, item: Value, pointer: &str) -> Value {
        let Value::Object(mut src) = item else {
            return item;
        };
        let mut out = Map::new();
        if let Some(r) = src.remove("$ref") {
            out.insert("$ref".into(), r);
        }
        let shared: Vec<Value> = match src.remove("parameters") {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        };
        let mut shared_plain = Vec::new();
        let mut shared_body = Vec::new();
        for (i, p) in shared.iter().enumerate() {
            let resolved = self.look_through(p);
            match resolved.get("in").and_then(Value::as_str) {
                Some("body" | "formData") => shared_body.push(p.clone()),
                _ => {
                    if shared_plain.len() != i {
                        self.moves.push((
                            format!("{pointer}/parameters/{}", shared_plain.len()),
                            format!("{pointer}/parameters/{i}"),
                        ));
                    }
                    shared_plain
                        .push(self.parameter_or_ref(p, &format!("{pointer}/parameters/{i}")));
                }
            }
        }
        if !shared_plain.is_empty() {
            out.insert("parameters".into(), Value::Array(shared_plain));
        }
        for (k, v) in src {
            if METHODS.contains(&k.as_str()) {
                let op_pointer = format!("{pointer}/{k}");
                let op = self.operation(v, &shared_body, &op_pointer);
                out.insert(k, op);
            } else if k.starts_with("x-") {
                out.insert(k, v);
            } else {
                self.drop_note(
                    format!("{pointer}/{}", escape(&k)),
                    "unknown path item field dropped",
                );
            }
        }
        Value::Object(out)
    }

    /// A parameter as written, or the global one a `#/parameters/X` ref names.
    fn look_through(&self, p: &Value) -> Value {
        if let Some(r) = p.get("$ref").and_then(Value::as_str)
            && let Some(name) = r.strip_prefix("#/parameters/")
            && let Some(found) = self
                .global_params
                .get(super::pointer::unescape(name).as_ref())
        {
            return found.clone();
        }
        p.clone()
    }

    fn operation(&mut self, op: Value, shared_body: &[Value], pointer: &str) -> Value {
        let Value::Object(mut src) = op else {
            return op;
        };
        let mut out = Map::new();
        take(
            &mut src,
            &mut out,
            &[
                "tags",
                "summary",
                "description",
                "externalDocs",
                "operationId",
                "deprecated",
                "security",
            ],
        );
        take_extensions(&mut src, &mut out);
        let consumes = if src.contains_key("consumes") {
            media_list(src.get("consumes"))
        } else {
            self.consumes.clone()
        };
        let produces = if src.contains_key("produces") {
            media_list(src.get("produces"))
        } else {
            self.produces.clone()
        };
        if let Some(schemes) = src.get("schemes")
            && media_list(Some(schemes)) != self.schemes
        {
            self.drop_note(
                format!("{pointer}/schemes"),
                "per-operation schemes have no 3.0 equivalent",
            );
        }
        let own: Vec<Value> = match src.remove("parameters") {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        };
        let mut params = Vec::new();
        let mut body: Option<Value> = None;
        let mut form: Vec<(Value, String)> = Vec::new();
        let all = shared_body
            .iter()
            .map(|p| (p, format!("{pointer}/parameters")))
            .chain(
                own.iter()
                    .enumerate()
                    .map(|(i, p)| (p, format!("{pointer}/parameters/{i}"))),
            );
        for (p, p_pointer) in all {
            let resolved = self.look_through(p);
            match resolved.get("in").and_then(Value::as_str) {
                Some("body") => {
                    body = Some(if p.get("$ref").is_some() {
                        // A global body parameter became components/requestBodies/X; keep it shared.
                        p.clone()
                    } else {
                        self.body(&resolved, &consumes, &p_pointer)
                    });
                }
                Some("formData") => form.push((resolved, p_pointer)),
                _ => {
                    let converted = format!("{pointer}/parameters/{}", params.len());
                    if converted != p_pointer {
                        self.moves.push((converted, p_pointer.clone()));
                    }
                    params.push(self.parameter_or_ref(p, &p_pointer));
                }
            }
        }
        if !params.is_empty() {
            out.insert("parameters".into(), Value::Array(params));
        }
        if !form.is_empty() {
            body = Some(self.form_body(&form, &consumes));
        }
        if let Some(b) = body {
            out.insert("requestBody".into(), b);
        }
        let mut responses = Map::new();
        match src.remove("responses") {
            Some(Value::Object(rs)) => {
                for (code, r) in rs {
                    let r_pointer = format!("{pointer}/responses/{}", escape(&code));
                    let converted = if code.starts_with("x-") {
                        r
                    } else {
                        self.response(r, &produces, &r_pointer)
                    };
                    responses.insert(code, converted);
                }
                out.insert("responses".into(), Value::Object(responses));
            }
            Some(other) => {
                out.insert("responses".into(), other);
            }
            None => {
                out.insert("responses".into(), Value::Object(responses));
            }
        }
        Value::Object(out)
    }

    fn parameter_or_ref(&mut self, p: &Value, pointer: &str) -> Value {
        if p.get("$ref").is_some() {
            p.clone()
        } else {
            self.parameter(p, pointer)
        }
    }

    fn parameter(&mut self, p: &Value, pointer: &str) -> Value {
        let Value::Object(src) = p else {
            return p.clone();
        };
        let mut out = Map::new();
        copy(
            p,
            &mut out,
            &[
                "name",
                "in",
                "description",
                "required",
                "allowEmptyValue",
                "deprecated",
            ],
        );
        copy_extensions(p, &mut out);
        let location = src.get("in").and_then(Value::as_str).unwrap_or("");
        if location == "path" {
            out.insert("required".into(), json!(true));
        }
        if let Some(schema) = src.get("schema") {
            let mut s = schema.clone();
            convert_schema(&mut s);
            out.insert("schema".into(), s);
        } else {
            out.insert("schema".into(), self.simple_schema(p, pointer));
        }
        match src.get("collectionFormat").and_then(Value::as_str) {
            None | Some("csv") => {
                if (location == "query" || location == "cookie")
                    && src.get("type").and_then(Value::as_str) == Some("array")
                {
                    out.insert("style".into(), json!("form"));
                    out.insert("explode".into(), json!(false));
                }
            }
            Some("multi") => {
                out.insert("style".into(), json!("form"));
                out.insert("explode".into(), json!(true));
            }
            Some("ssv") => {
                out.insert("style".into(), json!("spaceDelimited"));
            }
            Some("pipes") => {
                out.insert("style".into(), json!("pipeDelimited"));
            }
            Some(other) => {
                let what = format!("collectionFormat {other:?} has no 3.0 style");
                self.drop_note(format!("{pointer}/collectionFormat"), &what);
            }
        }
        Value::Object(out)
    }

    /// The schema of a non-body parameter (or of its `items`, recursively).
    fn simple_schema(&mut self, p: &Value, pointer: &str) -> Value {
        let mut s = Map::new();
        copy(p, &mut s, SCHEMA_FIELDS);
        if let Some(n) = p.get("x-nullable") {
            s.insert("nullable".into(), n.clone());
        }
        if s.get("type").and_then(Value::as_str) == Some("file") {
            s.insert("type".into(), json!("string"));
            s.insert("format".into(), json!("binary"));
        }
        if let Some(items) = p.get("items") {
            let items_pointer = format!("{pointer}/items");
            if items.get("collectionFormat").is_some_and(|f| f != "csv") {
                self.drop_note(
                    format!("{items_pointer}/collectionFormat"),
                    "nested collectionFormat has no 3.0 style",
                );
            }
            let converted = if items.get("$ref").is_some() {
                items.clone()
            } else {
                self.simple_schema(items, &items_pointer)
            };
            s.insert("items".into(), converted);
        }
        Value::Object(s)
    }

    fn body(&mut self, p: &Value, consumes: &[String], pointer: &str) -> Value {
        let mut out = Map::new();
        copy(p, &mut out, &["description", "required"]);
        copy_extensions(p, &mut out);
        let mut schema = p.get("schema").cloned().unwrap_or_else(|| {
            self.drop_note(
                format!("{pointer}/schema"),
                "body parameter without a schema",
            );
            json!({})
        });
        convert_schema(&mut schema);
        let mut media: Vec<&str> = consumes
            .iter()
            .map(String::as_str)
            .filter(|m| *m != FORM && *m != MULTIPART)
            .collect();
        if media.is_empty() {
            media.push(DEFAULT_MEDIA);
        }
        let content: Map<String, Value> = media
            .iter()
            .map(|m| ((*m).to_owned(), json!({ "schema": schema.clone() })))
            .collect();
        out.insert("content".into(), Value::Object(content));
        Value::Object(out)
    }

    fn form_body(&mut self, form: &[(Value, String)], consumes: &[String]) -> Value {
        let mut props = Map::new();
        let mut required = Vec::new();
        let mut has_file = false;
        for (p, pointer) in form {
            let Some(name) = p.get("name").and_then(Value::as_str) else {
                self.drop_note(pointer.clone(), "formData parameter without a name");
                continue;
            };
            has_file |= p.get("type").and_then(Value::as_str) == Some("file");
            let mut s = match self.simple_schema(p, pointer) {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            if let Some(d) = p.get("description") {
                s.insert("description".into(), d.clone());
            }
            props.insert(name.to_owned(), Value::Object(s));
            if p.get("required").and_then(Value::as_bool) == Some(true) {
                required.push(json!(name));
            }
        }
        let media = if has_file
            || consumes.iter().any(|m| m == MULTIPART) && !consumes.iter().any(|m| m == FORM)
        {
            MULTIPART
        } else {
            FORM
        };
        let mut schema = json!({ "type": "object", "properties": props });
        if !required.is_empty() {
            schema["required"] = Value::Array(required.clone());
        }
        let mut out = json!({ "content": { media: { "schema": schema } } });
        if !required.is_empty() {
            out["required"] = json!(true);
        }
        out
    }

    fn response(&mut self, r: Value, produces: &[String], pointer: &str) -> Value {
        let Value::Object(mut src) = r else { return r };
        if src.contains_key("$ref") {
            return Value::Object(src);
        }
        let mut out = Map::new();
        out.insert(
            "description".into(),
            src.remove("description").unwrap_or_else(|| json!("")),
        );
        take_extensions(&mut src, &mut out);
        if let Some(Value::Object(headers)) = src.get("headers") {
            let converted: Map<String, Value> = headers
                .iter()
                .map(|(name, h)| {
                    let h_pointer = format!("{pointer}/headers/{}", escape(name));
                    let mut header = Map::new();
                    copy(h, &mut header, &["description"]);
                    copy_extensions(h, &mut header);
                    header.insert("schema".into(), self.simple_schema(h, &h_pointer));
                    (name.clone(), Value::Object(header))
                })
                .collect();
            out.insert("headers".into(), Value::Object(converted));
        }
        let examples_value = src.remove("examples");
        let examples = examples_value.as_ref().and_then(Value::as_object);
        if let Some(mut schema) = src.remove("schema") {
            convert_schema(&mut schema);
            let mut media: Vec<String> = produces.to_vec();
            if media.is_empty() {
                media.push(DEFAULT_MEDIA.into());
            }
            let mut content = Map::new();
            let last = media.len() - 1;
            for (i, m) in media.iter().enumerate() {
                let s = if i == last {
                    std::mem::take(&mut schema)
                } else {
                    schema.clone()
                };
                let mut entry = json!({ "schema": s });
                if let Some(ex) = examples.and_then(|e| e.get(m)) {
                    entry["example"] = ex.clone();
                }
                content.insert(m.clone(), entry);
            }
            if let Some(examples) = examples {
                for (m, ex) in examples {
                    if !content.contains_key(m) {
                        let first_schema = content
                            .values()
                            .next()
                            .and_then(|e| e.get("schema"))
                            .cloned();
                        content.insert(m.clone(), json!({ "schema": first_schema, "example": ex }));
                    }
                }
            }
            out.insert("content".into(), Value::Object(content));
        } else if let Some(examples) = examples
            && !examples.is_empty()
        {
            let content: Map<String, Value> = examples
                .iter()
                .map(|(m, ex)| (m.clone(), json!({ "example": ex })))
                .collect();
            out.insert("content".into(), Value::Object(content));
        }
        Value::Object(out)
    }

    fn security_scheme(&mut self, d: &Value, pointer: &str) -> Value {
        let mut out = Map::new();
        copy(d, &mut out, &["description"]);
        copy_extensions(d, &mut out);
        match d.get("type").and_then(Value::as_str) {
            Some("basic") => {
                out.insert("type".into(), json!("http"));
                out.insert("scheme".into(), json!("basic"));
            }
            Some("apiKey") => {
                out.insert("type".into(), json!("apiKey"));
                copy(d, &mut out, &["name", "in"]);
            }
            Some("oauth2") => {
                out.insert("type".into(), json!("oauth2"));
                let scopes = d.get("scopes").cloned().unwrap_or_else(|| json!({}));
                let mut flow = Map::new();
                copy(d, &mut flow, &["authorizationUrl", "tokenUrl"]);
                flow.insert("scopes".into(), scopes);
                let name = match d.get("flow").and_then(Value::as_str) {
                    Some("implicit") => "implicit",
                    Some("password") => "password",
                    Some("application") => "clientCredentials",
                    Some("accessCode") => "authorizationCode",
                    other => {
                        let what = format!("unknown oauth2 flow {other:?}; kept as implicit");
                        self.drop_note(format!("{pointer}/flow"), &what);
                        "implicit"
                    }
                };
                if matches!(name, "implicit" | "authorizationCode")
                    && !flow.contains_key("authorizationUrl")
                {
                    flow.insert("authorizationUrl".into(), json!(""));
                }
                if matches!(name, "password" | "clientCredentials" | "authorizationCode")
                    && !flow.contains_key("tokenUrl")
                {
                    flow.insert("tokenUrl".into(), json!(""));
                }
                out.insert("flows".into(), json!({ name: flow }));
            }
            other => {
                let what = format!("unknown security scheme type {other:?}");
                self.drop_note(format!("{pointer}/type"), &what);
                return d.clone();
            }
        }
        Value::Object(out)
    }
}

/// A pointer into the OpenAPI 3.0 form of a converted Swagger 2.0 document, as near as 2.0 has it.
/// `moves` are the places the conversion moved (`Description::swagger2_moves`).
pub fn original_pointer(pointer: &str, moves: &[(String, String)]) -> String {
    let translated = renamed_to_swagger2(pointer);
    for (from, to) in moves {
        if let Some(rest) = translated.strip_prefix(from.as_str())
            && (rest.is_empty() || rest.starts_with('/'))
        {
            return format!("{to}{rest}");
        }
    }
    translated
}

/// The renamings every conversion makes (definitions, request bodies, response content).
fn renamed_to_swagger2(pointer: &str) -> String {
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    let mut out: Vec<&str> = Vec::with_capacity(segments.len());
    let mut i = 0;
    while i < segments.len() {
        let s = segments[i];
        match (out.as_slice(), s) {
            ([], "components") => {
                let renamed = match segments.get(i + 1).copied() {
                    Some("schemas") => "definitions",
                    Some("securitySchemes") => "securityDefinitions",
                    Some(other) => other,
                    None => break,
                };
                out.push(renamed);
                i += 2;
                continue;
            }
            // A request body is a body parameter: point at the operation's parameters.
            (_, "requestBody") => {
                out.push("parameters");
                break;
            }
            // content/<media>/schema is the response's (or parameter's) schema itself.
            (_, "content") => {
                i += 2;
                continue;
            }
            _ => {}
        }
        // parameters/<i>/schema/x: 2.0 puts a non-body parameter's type on the parameter.
        if s == "schema" && out.len() >= 2 && out[out.len() - 2] == "parameters" {
            i += 1;
            continue;
        }
        out.push(s);
        i += 1;
    }
    if out.is_empty() {
        return String::new();
    }
    format!("/{}", out.join("/"))
}

#[cfg(test)]
mod pointer_tests {
    use super::*;

    #[test]
    fn pointers_go_back_to_swagger_2_shapes() {
        let cases = [
            (
                "/components/schemas/Pet/properties/name",
                "/definitions/Pet/properties/name",
            ),
            (
                "/components/securitySchemes/key",
                "/securityDefinitions/key",
            ),
            (
                "/paths/~1pets/post/requestBody/content/application~1json/schema",
                "/paths/~1pets/post/parameters",
            ),
            (
                "/paths/~1pets/get/responses/200/content/application~1json/schema/items",
                "/paths/~1pets/get/responses/200/schema/items",
            ),
            (
                "/paths/~1pets/get/parameters/1/schema/enum",
                "/paths/~1pets/get/parameters/1/enum",
            ),
            ("/paths/~1pets/get", "/paths/~1pets/get"),
            ("", ""),
        ];
        for (v3, v2) in cases {
            assert_eq!(original_pointer(v3, &[]), v2, "{v3}");
        }
        // A query parameter after a body parameter is one place earlier in 3.0.
        let moves = [
            (
                "/paths/~1pets/get/parameters/0".to_string(),
                "/paths/~1pets/get/parameters/1".to_string(),
            ),
            ("/servers".to_string(), "/schemes".to_string()),
        ];
        assert_eq!(
            original_pointer("/paths/~1pets/get/parameters/0/schema/type", &moves),
            "/paths/~1pets/get/parameters/1/type"
        );
        assert_eq!(
            original_pointer("/paths/~1pets/get/parameters/00", &moves),
            "/paths/~1pets/get/parameters/00"
        );
        assert_eq!(original_pointer("/servers/0/url", &moves), "/schemes/0/url");
    }
}
