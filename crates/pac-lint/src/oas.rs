//! The OpenAPI functions of Spectral's `spectral:oas` ruleset, with the same names and meaning,
//! so that the built-in equivalent finds what Spectral finds. Each is its own `fn`, named after
//! Spectral's function (`oasOpIdUnique` is `op_id_unique`); [`Oas::run`] only dispatches.

use std::collections::{HashMap, HashSet};

use pac_jsonpath::Segment;
use serde_json::Value;

use crate::context::{Ctx, Hit};
use crate::format::Format;
use crate::schema::{compile_schema, schema_errors, validator};

const METHODS: [&str; 8] = [
    "get", "head", "post", "put", "patch", "delete", "options", "trace",
];

/// The options of an `oasSchema` rule and its compiled validators.
pub struct OasSchema {
    schema: Value,
    draft4: std::sync::OnceLock<Option<jsonschema::Validator>>,
    draft2020: std::sync::OnceLock<Option<jsonschema::Validator>>,
}

#[derive(Clone)]
pub enum Oas {
    OpSuccessResponse,
    OpFormDataConsumeCheck,
    OpIdUnique,
    OpParams,
    TagDefined,
    PathParam,
    SecurityDefined {
        v2: bool,
    },
    Example {
        schema_field: String,
        v2: bool,
        media: bool,
    },
    Schema(std::sync::Arc<OasSchema>),
    Discriminator,
    RefSiblings,
    UnusedComponent,
    UniquenessTags,
    ServerVariables {
        check_substitutions: bool,
        require_default: bool,
    },
}

impl Oas {
    pub fn name(&self) -> &'static str {
        match self {
            Oas::OpSuccessResponse => "oasOpSuccessResponse",
            Oas::OpFormDataConsumeCheck => "oasOpFormDataConsumeCheck",
            Oas::OpIdUnique => "oasOpIdUnique",
            Oas::OpParams => "oasOpParams",
            Oas::TagDefined => "oasTagDefined",
            Oas::PathParam => "oasPathParam",
            Oas::SecurityDefined { .. } => "oasSecurityDefined",
            Oas::Example { .. } => "oasExample",
            Oas::Schema(_) => "oasSchema",
            Oas::Discriminator => "oasDiscriminator",
            Oas::RefSiblings => "refSiblings",
            Oas::UnusedComponent => "oasUnusedComponent",
            Oas::UniquenessTags => "uniquenessTags",
            Oas::ServerVariables { .. } => "serverVariables",
        }
    }

    pub fn build(name: &str, options: &Value) -> Result<Option<Oas>, String> {
        let version = || match options.get("oasVersion").and_then(Value::as_i64) {
            Some(2) => Ok(true),
            Some(3) => Ok(false),
            _ => Err("oasVersion must be 2 or 3".to_owned()),
        };
        Ok(Some(match name {
            "oasOpSuccessResponse" => Oas::OpSuccessResponse,
            "oasOpFormDataConsumeCheck" => Oas::OpFormDataConsumeCheck,
            "oasOpIdUnique" => Oas::OpIdUnique,
            "oasOpParams" => Oas::OpParams,
            "oasTagDefined" => Oas::TagDefined,
            "oasPathParam" => Oas::PathParam,
            "oasSecurityDefined" => Oas::SecurityDefined { v2: version()? },
            "oasExample" => Oas::Example {
                schema_field: options
                    .get("schemaField")
                    .and_then(Value::as_str)
                    .ok_or("schemaField is required")?
                    .to_owned(),
                v2: version()?,
                media: match options.get("type").and_then(Value::as_str) {
                    Some("media") => true,
                    Some("schema") => false,
                    _ => return Err("type must be media or schema".to_owned()),
                },
            },
            "oasSchema" => Oas::Schema(std::sync::Arc::new(OasSchema {
                schema: options.get("schema").cloned().ok_or("schema is required")?,
                draft4: std::sync::OnceLock::new(),
                draft2020: std::sync::OnceLock::new(),
            })),
            "oasDiscriminator" => Oas::Discriminator,
            "refSiblings" => Oas::RefSiblings,
            "oasUnusedComponent" => Oas::UnusedComponent,
            "uniquenessTags" => Oas::UniquenessTags,
            "serverVariables" => Oas::ServerVariables {
                check_substitutions: options.get("checkSubstitutions") == Some(&Value::Bool(true)),
                require_default: options.get("requireDefault") == Some(&Value::Bool(true)),
            },
            _ => return Ok(None),
        }))
    }

    pub(crate) fn run(&self, ctx: &Ctx<'_>, value: Option<&Value>, path: &[Segment]) -> Vec<Hit> {
        let Some(value) = value else {
            return vec![];
        };
        match self {
            Oas::OpSuccessResponse => op_success_response(ctx, value),
            Oas::OpFormDataConsumeCheck => op_form_data_consume_check(ctx, value),
            Oas::OpIdUnique => op_id_unique(ctx, value),
            Oas::OpParams => op_params(ctx, value, path),
            Oas::TagDefined => tag_defined(ctx, value),
            Oas::PathParam => path_param(ctx, value),
            Oas::SecurityDefined { v2 } => security_defined(ctx, value, path, *v2),
            Oas::Example {
                schema_field,
                v2,
                media,
            } => example(ctx, value, path, schema_field, *v2, *media),
            Oas::Schema(schema) => oas_schema(ctx, value, path, schema),
            Oas::Discriminator => discriminator(ctx, value, path),
            Oas::RefSiblings => ref_siblings(ctx, path),
            Oas::UnusedComponent => unused_component(ctx, value),
            Oas::UniquenessTags => uniqueness_tags(ctx, value, path),
            Oas::ServerVariables {
                check_substitutions,
                require_default,
            } => server_variables(ctx, value, path, *check_substitutions, *require_default),
        }
    }
}

fn op_success_response(ctx: &Ctx<'_>, value: &Value) -> Vec<Hit> {
    let Value::Object(responses) = value else {
        return vec![];
    };
    let ok = responses.keys().any(|code| {
        (ctx.format != Format::Oas2 && (code == "2XX" || code == "3XX"))
            || code
                .parse::<f64>()
                .is_ok_and(|n| (200.0..400.0).contains(&n))
    });
    if ok {
        vec![]
    } else {
        vec![Hit::new(
            "Operation must define at least a single 2xx or 3xx response",
        )]
    }
}

fn op_form_data_consume_check(ctx: &Ctx<'_>, value: &Value) -> Vec<Hit> {
    let (Some(Value::Array(params)), Some(Value::Array(consumes))) =
        (value.get("parameters"), value.get("consumes"))
    else {
        return vec![];
    };
    let form = params
        .iter()
        .any(|p| ctx.deref(p).get("in").and_then(Value::as_str) == Some("formData"));
    let joined: Vec<String> = consumes
        .iter()
        .map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_owned))
        .collect();
    let joined = joined.join(",");
    if form
        && !joined.contains("application/x-www-form-urlencoded")
        && !joined.contains("multipart/form-data")
    {
        return vec![Hit::new(
            "Consumes must include urlencoded, multipart, or form-data media type when using formData parameter.",
        )];
    }
    vec![]
}

fn op_id_unique(ctx: &Ctx<'_>, value: &Value) -> Vec<Hit> {
    let mut seen: Vec<&Value> = Vec::new();
    let mut hits = Vec::new();
    for (p, method, op) in operations(ctx, value) {
        let Some(id) = op.get("operationId") else {
            continue;
        };
        if seen.contains(&id) {
            hits.push(Hit::at(
                "operationId must be unique.",
                keys(&["paths", p, method, "operationId"]),
            ));
        } else {
            seen.push(id);
        }
    }
    hits
}

fn tag_defined(ctx: &Ctx<'_>, value: &Value) -> Vec<Hit> {
    let mut global: HashSet<&str> = HashSet::new();
    if let Some(Value::Array(tags)) = value.get("tags") {
        for t in tags {
            if let Some(name) = ctx.deref(t).get("name").and_then(Value::as_str) {
                global.insert(name);
            }
        }
    }
    let mut hits = Vec::new();
    let Some(paths) = value.get("paths") else {
        return hits;
    };
    for (p, method, op) in operations(ctx, ctx.deref(paths)) {
        let Some(Value::Array(tags)) = op.get("tags") else {
            continue;
        };
        for (i, tag) in tags.iter().enumerate() {
            if !tag.as_str().is_some_and(|t| global.contains(t)) {
                let mut at = keys(&["paths", p, method, "tags"]);
                at.push(Segment::Index(i));
                hits.push(Hit::at(
                    "Operation tags must be defined in global tags.",
                    at,
                ));
            }
        }
    }
    hits
}

fn oas_schema(ctx: &Ctx<'_>, value: &Value, path: &[Segment], schema: &OasSchema) -> Vec<Hit> {
    // Compiled once per dialect, on first use: 3.1 documents use 2020-12, the others draft 4,
    // as Spectral's oasSchema does.
    let compiled = match ctx.format {
        Format::Oas3_1 | Format::Oas3_2 => &schema.draft2020,
        _ => &schema.draft4,
    }
    .get_or_init(|| {
        let draft = match ctx.format {
            Format::Oas3_1 | Format::Oas3_2 => "draft2020-12",
            _ => "draft4",
        };
        compile_schema(&schema.schema, Some(draft)).ok()
    });
    match compiled {
        Some(v) => schema_errors(v, value, path),
        None => vec![],
    }
}

fn discriminator(ctx: &Ctx<'_>, value: &Value, path: &[Segment]) -> Vec<Hit> {
    let Some(Value::String(name)) = value.get("discriminator") else {
        return vec![];
    };
    let mut hits = Vec::new();
    let defined = value
        .get("properties")
        .map(|p| ctx.deref(p))
        .and_then(Value::as_object)
        .is_some_and(|p| p.contains_key(name));
    if !defined {
        hits.push(Hit::at(
            "The discriminator property must be defined in this schema.",
            child(path, "properties"),
        ));
    }
    let required = value
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)));
    if !required {
        hits.push(Hit::at(
            "The discriminator property must be in the required property list.",
            child(path, "required"),
        ));
    }
    hits
}

fn ref_siblings(ctx: &Ctx<'_>, path: &[Segment]) -> Vec<Hit> {
    // The target is the `$ref` member; its object is the parent.
    let parent_path = &path[..path.len().saturating_sub(1)];
    let Some(Value::Object(parent)) = ctx.get(parent_path) else {
        return vec![];
    };
    if parent.len() == 1 {
        return vec![];
    }
    parent
        .keys()
        .filter(|k| *k != "$ref")
        .map(|k| {
            Hit::at(
                "$ref must not be placed next to any other properties",
                child(parent_path, k),
            )
        })
        .collect()
}

fn unused_component(ctx: &Ctx<'_>, value: &Value) -> Vec<Hit> {
    let Some(Value::Object(components)) = value.get("components") else {
        return vec![];
    };
    let used = ctx.referenced();
    let mut hits = Vec::new();
    for kind in [
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "links",
        "callbacks",
    ] {
        let Some(Value::Object(items)) = components.get(kind) else {
            continue;
        };
        for name in items.keys() {
            if !used.contains(&format!("#/components/{kind}/{name}")) {
                hits.push(Hit::at(
                    "Potential orphaned reusable object has been detected",
                    keys(&["components", kind, name]),
                ));
            }
        }
    }
    hits
}

fn uniqueness_tags(ctx: &Ctx<'_>, value: &Value, path: &[Segment]) -> Vec<Hit> {
    let Value::Array(tags) = value else {
        return vec![];
    };
    let names: Vec<Option<&str>> = tags
        .iter()
        .map(|t| ctx.deref(t).get("name").and_then(Value::as_str))
        .collect();
    if names.iter().any(Option::is_none) {
        return vec![];
    }
    let mut hits = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            let mut at = path.to_vec();
            at.push(Segment::Index(i));
            at.push(Segment::Key("name".to_owned()));
            hits.push(Hit::at(
                format!(
                    "\"tags\" object contains duplicate tag name \"{}\".",
                    name.unwrap_or_default()
                ),
                at,
            ));
        }
    }
    hits
}

fn keys(parts: &[&str]) -> Vec<Segment> {
    parts
        .iter()
        .map(|p| Segment::Key((*p).to_owned()))
        .collect()
}

fn child(path: &[Segment], key: &str) -> Vec<Segment> {
    let mut p = path.to_vec();
    p.push(Segment::Key(key.to_owned()));
    p
}

/// Every operation under a paths object: (path, method, operation), `$ref`s followed.
fn operations<'a, 'd: 'a>(ctx: &Ctx<'d>, paths: &'a Value) -> Vec<(&'a str, &'a str, &'a Value)> {
    let mut out = Vec::new();
    let Value::Object(paths) = paths else {
        return out;
    };
    for (p, item) in paths {
        let Value::Object(item) = ctx.deref(item) else {
            continue;
        };
        for (method, op) in item {
            let op = ctx.deref(op);
            if op.is_object() && METHODS.contains(&method.as_str()) {
                out.push((p.as_str(), method.as_str(), op));
            }
        }
    }
    out
}

fn op_params(ctx: &Ctx<'_>, value: &Value, path: &[Segment]) -> Vec<Hit> {
    let Value::Array(params) = value else {
        return vec![];
    };
    if params.len() < 2 {
        return vec![];
    }
    let mut seen: Vec<String> = Vec::new();
    let mut duplicates = Vec::new();
    let (mut body, mut form) = (Vec::new(), Vec::new());
    for (i, p) in params.iter().enumerate() {
        // Spectral sees the resolved list, where a `$ref` object only stays when it could not be
        // resolved; those are skipped.
        let p = ctx.deref(p);
        let Value::Object(o) = p else { continue };
        if o.contains_key("$ref") {
            continue;
        }
        let show = |v: Option<&Value>| match v {
            None => "undefined".to_owned(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        let fingerprint = format!("{}-{}", show(o.get("in")), show(o.get("name")));
        if seen.contains(&fingerprint) {
            duplicates.push(i);
        } else {
            seen.push(fingerprint);
        }
        match o.get("in").and_then(Value::as_str) {
            Some("body") => body.push(i),
            Some("formData") => form.push(i),
            _ => {}
        }
    }
    let mut hits = Vec::new();
    for i in duplicates {
        let mut at = path.to_vec();
        at.push(Segment::Index(i));
        hits.push(Hit::at(
            "A parameter in this operation already exposes the same combination of \"name\" and \"in\" values.",
            at,
        ));
    }
    if !body.is_empty() && !form.is_empty() {
        hits.push(Hit::new(
            "Operation must not have both \"in:body\" and \"in:formData\" parameters.",
        ));
    }
    for i in body.iter().skip(1) {
        let mut at = path.to_vec();
        at.push(Segment::Index(*i));
        hits.push(Hit::at(
            "Operation must not have more than a single instance of the \"in:body\" parameter.",
            at,
        ));
    }
    hits
}

/// `{name}` templates of a path, Spectral's way (`{;?name*}` forms allowed).
fn template_names(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        let inner = &after[..end];
        let name = inner
            .trim_start_matches(';')
            .trim_start_matches('?')
            .trim_end_matches('*');
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            out.push(name.to_owned());
            rest = &after[end + 1..];
        } else {
            rest = after;
        }
    }
    out
}

fn normalised_template(path: &str) -> String {
    let mut out = path.to_owned();
    for name in template_names(path) {
        for form in [
            format!("{{{name}}}"),
            format!("{{;{name}}}"),
            format!("{{?{name}}}"),
            format!("{{{name}*}}"),
        ] {
            out = out.replace(&form, "%");
        }
    }
    out
}

fn path_param(ctx: &Ctx<'_>, paths: &Value) -> Vec<Hit> {
    let Value::Object(paths) = paths else {
        return vec![];
    };
    let mut hits = Vec::new();
    let mut unique: HashMap<String, &str> = HashMap::new();
    for (p, item) in paths {
        let Value::Object(item) = ctx.deref(item) else {
            continue;
        };
        let normalised = normalised_template(p);
        if let Some(first) = unique.get(&normalised) {
            hits.push(Hit::at(
                format!("Paths \"{first}\" and \"{p}\" must not be equivalent."),
                keys(&["paths", p]),
            ));
        } else {
            unique.insert(normalised, p);
        }
        let mut elements: Vec<String> = Vec::new();
        for name in template_names(p) {
            if elements.contains(&name) {
                hits.push(Hit::at(
                    format!("Path \"{p}\" must not use parameter \"{{{name}}}\" multiple times."),
                    keys(&["paths", p]),
                ));
            } else {
                elements.push(name);
            }
        }
        let collect = |params: Option<&Value>,
                       base: Vec<Segment>,
                       hits: &mut Vec<Hit>|
         -> Vec<(String, Vec<Segment>)> {
            let mut found: Vec<(String, Vec<Segment>)> = Vec::new();
            let Some(Value::Array(params)) = params.map(|v| ctx.deref(v)) else {
                return found;
            };
            for (i, param) in params.iter().enumerate() {
                let Value::Object(o) = ctx.deref(param) else {
                    continue;
                };
                if o.get("in").and_then(Value::as_str) != Some("path") {
                    continue;
                }
                let Some(name) = o.get("name") else { continue };
                let name = name
                    .as_str()
                    .map_or_else(|| name.to_string(), str::to_owned);
                let mut at = base.clone();
                at.push(Segment::Key("parameters".to_owned()));
                at.push(Segment::Index(i));
                if o.get("required") != Some(&Value::Bool(true)) {
                    hits.push(Hit::at(
                        format!("Path parameter \"{name}\" must have \"required\" property that is set to \"true\"."),
                        at.clone(),
                    ));
                }
                if found.iter().any(|(n, _)| *n == name) {
                    hits.push(Hit::at(
                        format!("Path parameter \"{name}\" must not be defined multiple times."),
                        at,
                    ));
                    continue;
                }
                found.push((name, at));
            }
            found
        };
        let top = collect(item.get("parameters"), keys(&["paths", p]), &mut hits);
        for (method, op) in item {
            if method == "parameters" || !METHODS.contains(&method.as_str()) {
                continue;
            }
            let op = ctx.deref(op);
            if !op.is_object() {
                continue;
            }
            let op_path = keys(&["paths", p, method]);
            let own = collect(op.get("parameters"), op_path.clone(), &mut hits);
            let mut defined: Vec<(String, Vec<Segment>)> = top.clone();
            for (n, at) in own {
                match defined.iter_mut().find(|(m, _)| *m == n) {
                    Some(slot) => slot.1 = at,
                    None => defined.push((n, at)),
                }
            }
            for (n, at) in &defined {
                if !elements.contains(n) {
                    hits.push(Hit::at(
                        format!("Parameter \"{n}\" must be used in path \"{p}\"."),
                        at.clone(),
                    ));
                }
            }
            for e in &elements {
                if !defined.iter().any(|(n, _)| n == e) {
                    hits.push(Hit::at(
                        format!("Operation must define parameter \"{{{e}}}\" as expected by path \"{p}\"."),
                        op_path.clone(),
                    ));
                }
            }
        }
    }
    hits
}

fn security_defined(ctx: &Ctx<'_>, value: &Value, path: &[Segment], v2: bool) -> Vec<Hit> {
    let Value::Object(requirement) = value else {
        return vec![];
    };
    // Spectral's input check: every value is a list of strings.
    if !requirement
        .values()
        .all(|v| v.as_array().is_some_and(|a| a.iter().all(Value::is_string)))
    {
        return vec![];
    }
    let root = ctx.root;
    let defs = if v2 {
        root.get("securityDefinitions")
    } else {
        root.get("components")
            .and_then(|c| c.get("securitySchemes"))
    }
    .map(|d| ctx.deref(d))
    .and_then(Value::as_object);
    let mut hits = Vec::new();
    for (name, scopes) in requirement {
        let Some(scheme) = defs.and_then(|d| d.get(name)).map(|s| ctx.deref(s)) else {
            let object = if path.len() == 2 { "API" } else { "Operation" };
            let location = if v2 {
                "securityDefinitions"
            } else {
                "components.securitySchemes"
            };
            hits.push(Hit::at(
                format!("{object} \"security\" values must match a scheme defined in the \"{location}\" object."),
                child(path, name),
            ));
            continue;
        };
        for (i, scope) in scopes.as_array().into_iter().flatten().enumerate() {
            let scope = scope.as_str().unwrap_or_default();
            let defined = if v2 {
                scheme
                    .get("scopes")
                    .and_then(Value::as_object)
                    .is_some_and(|s| s.contains_key(scope))
            } else {
                scheme
                    .get("flows")
                    .and_then(Value::as_object)
                    .is_some_and(|flows| {
                        flows.values().any(|f| {
                            ctx.deref(f)
                                .get("scopes")
                                .and_then(Value::as_object)
                                .is_some_and(|s| s.contains_key(scope))
                        })
                    })
            };
            if !defined {
                let mut at = child(path, name);
                at.push(Segment::Index(i));
                hits.push(Hit::at(
                    format!("\"{scope}\" must be listed among scopes."),
                    at,
                ));
            }
        }
    }
    hits
}

/// Examples that must be valid against their schema: what Spectral's oasExample checks.
fn example(
    ctx: &Ctx<'_>,
    value: &Value,
    path: &[Segment],
    schema_field: &str,
    v2: bool,
    media: bool,
) -> Vec<Hit> {
    let Value::Object(target) = value else {
        return vec![];
    };
    let schema = if schema_field == "$" {
        Some(value)
    } else {
        target.get(schema_field).map(|s| ctx.deref(s))
    };
    let Some(schema) = schema else {
        return vec![];
    };
    // The schema as Spectral validates with it: every `$ref` inlined. Where that is impossible
    // (a cycle), Spectral's validator cannot resolve the reference and reports nothing.
    let Some(mut schema) = ctx.inline(schema) else {
        return vec![];
    };
    if schema_field == "$" {
        // The examples are not part of the schema they are checked against.
        if let Value::Object(o) = &mut schema {
            o.remove("example");
            o.remove("x-example");
            o.remove("default");
        }
    }
    if v2
        && let Value::Object(o) = &mut schema
        && o.get("required").is_some_and(Value::is_boolean)
    {
        o.remove("required");
    }
    if media {
        let request = is_under(
            path,
            &[
                &["components", "requestBodies"],
                &["paths", "*", "*", "requestBody"],
            ],
        ) && !v2;
        let response = if v2 {
            is_under(path, &[&["responses"], &["paths", "*", "*", "responses"]])
        } else {
            is_under(
                path,
                &[
                    &["components", "responses"],
                    &["paths", "*", "*", "responses"],
                ],
            )
        };
        if request || response {
            relax_required(&mut schema, request, response);
        }
    }
    let mut items: Vec<(&Value, Vec<Segment>)> = Vec::new();
    if media {
        let fields: &[(&str, bool, bool)] = if v2 {
            &[("examples", true, false)]
        } else {
            &[("example", false, false), ("examples", true, true)]
        };
        for (field, multiple, keyed) in fields {
            let Some(v) = target.get(*field) else {
                continue;
            };
            if *multiple {
                if let Value::Object(examples) = ctx.deref(v) {
                    for (k, ex) in examples {
                        let ex = ctx.deref(ex);
                        if *keyed && (!ex.is_object() || ex.get("externalValue").is_some()) {
                            continue;
                        }
                        let mut at = child(path, field);
                        at.push(Segment::Key(k.clone()));
                        if *keyed {
                            at.push(Segment::Key("value".to_owned()));
                            match ex.get("value") {
                                Some(val) => items.push((val, at)),
                                // Spectral validates `undefined`, which passes.
                                None => continue,
                            }
                        } else {
                            items.push((ex, at));
                        }
                    }
                }
            } else {
                items.push((v, child(path, field)));
            }
            break;
        }
    } else {
        let fields: &[&str] = if v2 {
            &["example", "x-example", "default"]
        } else {
            &["example", "default"]
        };
        for field in fields {
            if let Some(v) = target.get(*field) {
                items.push((v, child(path, field)));
            }
        }
    }
    if items.is_empty() {
        return vec![];
    }
    let draft = if matches!(ctx.format, Format::Oas3_1 | Format::Oas3_2) {
        "draft2020-12"
    } else {
        "draft4"
    };
    let compiled = match validator(ctx, &schema, draft) {
        Ok(v) => v,
        // Spectral reports a schema its validator refuses at each value it was to check.
        Err(e) => {
            return items
                .into_iter()
                .map(|(_, at)| Hit::at(format!("schema is invalid: {e}"), at))
                .collect();
        }
    };
    let mut hits = Vec::new();
    for (v, at) in items {
        let inlined;
        let v = if ctx.follow && v.is_object() && v.get("$ref").is_some() {
            match ctx.inline(v) {
                Some(i) => {
                    inlined = i;
                    &inlined
                }
                None => continue,
            }
        } else {
            v
        };
        hits.extend(schema_errors(&compiled, v, &at));
    }
    hits
}

fn is_under(path: &[Segment], prefixes: &[&[&str]]) -> bool {
    prefixes.iter().any(|prefix| {
        prefix.len() <= path.len()
            && prefix
                .iter()
                .zip(path)
                .all(|(want, seg)| *want == "*" || matches!(seg, Segment::Key(k) if k == want))
    })
}

/// Read-only properties need not be sent, write-only ones are never returned.
fn relax_required(schema: &mut Value, read_only: bool, write_only: bool) {
    match schema {
        Value::Object(o) => {
            let drop: Vec<String> = o
                .get("properties")
                .and_then(Value::as_object)
                .map(|props| {
                    props
                        .iter()
                        .filter(|(_, p)| {
                            (read_only && p.get("readOnly") == Some(&Value::Bool(true)))
                                || (write_only && p.get("writeOnly") == Some(&Value::Bool(true)))
                        })
                        .map(|(k, _)| k.clone())
                        .collect()
                })
                .unwrap_or_default();
            if !drop.is_empty()
                && let Some(Value::Array(required)) = o.get_mut("required")
            {
                required.retain(|r| !r.as_str().is_some_and(|r| drop.iter().any(|d| d == r)));
                if required.is_empty() {
                    o.remove("required");
                }
            }
            for (k, v) in o.iter_mut() {
                if k != "not" {
                    relax_required(v, read_only, write_only);
                }
            }
        }
        Value::Array(a) => a
            .iter_mut()
            .for_each(|v| relax_required(v, read_only, write_only)),
        _ => {}
    }
}

fn server_variables(
    ctx: &Ctx<'_>,
    value: &Value,
    path: &[Segment],
    check_substitutions: bool,
    require_default: bool,
) -> Vec<Hit> {
    let Some(Value::String(url)) = value.get("url") else {
        return vec![];
    };
    let found = template_names_loose(url);
    let variables = value
        .get("variables")
        .map(|v| ctx.deref(v))
        .and_then(Value::as_object);
    let defined: Vec<&String> = variables.map(|v| v.keys().collect()).unwrap_or_default();
    let mut hits = Vec::new();
    for name in &defined {
        if !found.contains(name) {
            let mut at = child(path, "variables");
            at.push(Segment::Key((*name).clone()));
            hits.push(Hit::at(
                format!(
                    "Server's \"variables\" object has unused defined \"{name}\" url variable."
                ),
                at,
            ));
        }
    }
    if found.is_empty() {
        return hits;
    }
    let missing: Vec<&str> = found
        .iter()
        .filter(|f| !defined.contains(f))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        hits.push(Hit::at(
            format!(
                "Not all server's variables are described with \"variables\" object. Missed: {}.",
                missing.join(", ")
            ),
            child(path, "variables"),
        ));
    }
    let Some(variables) = variables else {
        return hits;
    };
    let mut pairs: Vec<(&str, Vec<String>)> = Vec::new();
    for (key, var) in variables {
        if !found.contains(key) {
            continue;
        }
        let var = ctx.deref(var);
        let default = var.get("default");
        let mut at = child(path, "variables");
        at.push(Segment::Key(key.clone()));
        if let Some(Value::Array(values)) = var.get("enum") {
            pairs.push((
                key,
                values
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                    .collect(),
            ));
            if let Some(d) = default
                && !values.contains(d)
            {
                hits.push(Hit::at(
                    format!("Server Variable \"{key}\" has a default not listed in the enum."),
                    child(&at, "default"),
                ));
            }
        } else if let Some(d) = default {
            pairs.push((
                key,
                vec![d.as_str().map_or_else(|| d.to_string(), str::to_owned)],
            ));
        } else {
            pairs.push((key, vec![]));
        }
        if default.is_none() && require_default {
            hits.push(Hit::at(
                format!("Server Variable \"{key}\" has a missing default."),
                at,
            ));
        }
    }
    if check_substitutions && !pairs.is_empty() {
        let mut invalid = Vec::new();
        'outer: for url in substitutions(url, &pairs) {
            if !absolute_url(&url) {
                invalid.push(url);
                if invalid.len() == 5 {
                    break 'outer;
                }
            }
        }
        if invalid.len() == 5 {
            hits.push(Hit::at(
                format!(
                    "At least 5 substitutions of server variables resulted in invalid URLs: {} and more",
                    invalid.join(", ")
                ),
                child(path, "variables"),
            ));
        } else if !invalid.is_empty() {
            hits.push(Hit::at(
                format!(
                    "A few substitutions of server variables resulted in invalid URLs: {}",
                    invalid.join(", ")
                ),
                child(path, "variables"),
            ));
        }
    }
    hits
}

fn template_names_loose(url: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = url;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.is_empty() && !out.iter().any(|n| n == name) {
            out.push(name.to_owned());
        }
        rest = &after[end + 1..];
    }
    out
}

/// Every URL the variables can make (at most a few hundred are looked at).
fn substitutions(url: &str, pairs: &[(&str, Vec<String>)]) -> Vec<String> {
    let mut urls = vec![url.to_owned()];
    for (name, values) in pairs {
        if values.is_empty() {
            continue;
        }
        let mut next = Vec::new();
        for u in &urls {
            for v in values {
                next.push(u.replace(&format!("{{{name}}}"), v));
                if next.len() >= 256 {
                    break;
                }
            }
        }
        urls = next;
    }
    urls
}

/// What JavaScript's `new URL(x)` accepts, near enough: a scheme, then no spaces.
fn absolute_url(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once(':') else {
        return false;
    };
    let bare_host = matches!(scheme, "http" | "https") && rest.trim_start_matches('/').is_empty();
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.contains(' ')
        && !bare_host
        && !url.contains('{')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_templates_are_read_like_spectral() {
        assert_eq!(
            template_names("/a/{id}/b/{other_id}"),
            vec!["id", "other_id"]
        );
        assert_eq!(
            normalised_template("/a/{id}"),
            normalised_template("/a/{name}")
        );
        assert!(template_names("/a/{}").is_empty());
    }
}
