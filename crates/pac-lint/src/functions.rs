//! Rule functions: Spectral's core functions, each its own `fn` named after it, and the
//! dispatch to the OpenAPI ones of `spectral:oas` (in `oas`). A function looks at one target
//! value and says what is wrong with it; like Spectral's, each only runs on input of the type it
//! is made for (`pattern` on strings, `xor` on objects...) and says nothing otherwise.

use std::fmt;
use std::sync::Arc;

use pac_jsonpath::Segment;
use pac_spec::pointer;
use regex::Regex;
use serde_json::Value;

use crate::context::{Ctx, Hit};
use crate::format::Format;
use crate::oas::Oas;
use crate::schema::{compile_schema, schema_errors};

#[derive(Clone)]
pub enum Function {
    Truthy,
    Falsy,
    Defined,
    Undefined,
    Pattern {
        matches: Option<(String, Regex)>,
        not_match: Option<(String, Regex)>,
    },
    Casing {
        kind: String,
        regex: Regex,
        separator: Option<String>,
        allow_leading: bool,
    },
    Enumeration(Vec<Value>),
    Length {
        min: Option<f64>,
        max: Option<f64>,
    },
    Alphabetical {
        keyed_by: Option<String>,
    },
    Xor(Vec<String>),
    Schema(Arc<jsonschema::Validator>),
    TypedEnum,
    Unreferenced {
        /// Such as `#/components/schemas`.
        location: String,
    },
    Oas(Oas),
}

impl fmt::Debug for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Function {
    pub fn name(&self) -> &'static str {
        match self {
            Function::Truthy => "truthy",
            Function::Falsy => "falsy",
            Function::Defined => "defined",
            Function::Undefined => "undefined",
            Function::Pattern { .. } => "pattern",
            Function::Casing { .. } => "casing",
            Function::Enumeration(_) => "enumeration",
            Function::Length { .. } => "length",
            Function::Alphabetical { .. } => "alphabetical",
            Function::Xor(_) => "xor",
            Function::Schema(_) => "schema",
            Function::TypedEnum => "typedEnum",
            Function::Unreferenced { .. } => "unreferencedReusableObject",
            Function::Oas(o) => o.name(),
        }
    }

    /// The function `name` with its options checked: `Ok(None)` when pac has no such function,
    /// `Err` when the options are wrong for it.
    pub fn build(name: &str, options: &Value) -> Result<Option<Function>, String> {
        let f = match name {
            "truthy" => Function::Truthy,
            "falsy" => Function::Falsy,
            "defined" => Function::Defined,
            "undefined" => Function::Undefined,
            "pattern" => {
                let get = |k: &str| -> Result<Option<(String, Regex)>, String> {
                    match options.get(k) {
                        None => Ok(None),
                        Some(Value::String(p)) => Ok(Some((p.clone(), js_regex(p)?))),
                        Some(_) => Err(format!("{k} must be a string")),
                    }
                };
                let (matches, not_match) = (get("match")?, get("notMatch")?);
                if matches.is_none() && not_match.is_none() {
                    return Err("pattern needs match or notMatch".to_owned());
                }
                Function::Pattern { matches, not_match }
            }
            "casing" => build_casing(options)?,
            "enumeration" => match options.get("values") {
                Some(Value::Array(v)) => Function::Enumeration(v.clone()),
                _ => return Err("enumeration needs values, a list".to_owned()),
            },
            "length" => {
                let num = |k: &str| -> Result<Option<f64>, String> {
                    match options.get(k) {
                        None => Ok(None),
                        Some(v) => v.as_f64().map(Some).ok_or(format!("{k} must be a number")),
                    }
                };
                let (min, max) = (num("min")?, num("max")?);
                if min.is_none() && max.is_none() {
                    return Err("length needs min or max".to_owned());
                }
                Function::Length { min, max }
            }
            "alphabetical" => Function::Alphabetical {
                keyed_by: match options.get("keyedBy") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(k)) => Some(k.clone()),
                    Some(_) => return Err("keyedBy must be a string".to_owned()),
                },
            },
            "xor" => match options.get("properties") {
                Some(Value::Array(p)) if p.iter().all(Value::is_string) && p.len() >= 2 => {
                    Function::Xor(
                        p.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect(),
                    )
                }
                _ => return Err("xor needs properties, a list of at least two names".to_owned()),
            },
            "schema" => {
                let schema = options
                    .get("schema")
                    .ok_or_else(|| "schema needs a schema".to_owned())?;
                let dialect = options.get("dialect").and_then(Value::as_str);
                Function::Schema(Arc::new(compile_schema(schema, dialect)?))
            }
            "typedEnum" => Function::TypedEnum,
            "unreferencedReusableObject" => match options.get("reusableObjectsLocation") {
                Some(Value::String(l)) if l.starts_with("#/") => Function::Unreferenced {
                    location: l.trim_end_matches('/').to_owned(),
                },
                _ => {
                    return Err(
                        "reusableObjectsLocation must be a local pointer such as #/components/schemas"
                            .to_owned(),
                    );
                }
            },
            other => match Oas::build(other, options)? {
                Some(o) => Function::Oas(o),
                None => return Ok(None),
            },
        };
        Ok(Some(f))
    }

    /// Runs the function on `value` (None when the field is absent) found at `path`.
    pub(crate) fn run(&self, ctx: &Ctx<'_>, value: Option<&Value>, path: &[Segment]) -> Vec<Hit> {
        let value = value.map(|v| ctx.deref(v));
        match self {
            Function::Truthy => truthy(value),
            Function::Falsy => falsy(value),
            Function::Defined => defined(value),
            Function::Undefined => undefined(value),
            Function::Pattern { matches, not_match } => {
                pattern(value, matches.as_ref(), not_match.as_ref())
            }
            Function::Casing {
                kind,
                regex,
                separator,
                allow_leading,
            } => casing(value, kind, regex, separator.as_deref(), *allow_leading),
            Function::Enumeration(values) => enumeration(value, values),
            Function::Length { min, max } => length(value, *min, *max),
            Function::Alphabetical { keyed_by } => {
                alphabetical(ctx, value, path, keyed_by.as_deref())
            }
            Function::Xor(properties) => xor(value, properties),
            Function::Schema(validator) => schema(ctx, value, path, validator),
            Function::TypedEnum => typed_enum(ctx, value, path),
            Function::Unreferenced { location } => {
                unreferenced_reusable_object(ctx, value, location)
            }
            Function::Oas(o) => o.run(ctx, value, path),
        }
    }
}

fn truthy(value: Option<&Value>) -> Vec<Hit> {
    if value.is_none_or(|v| !is_truthy(v)) {
        return vec![Hit::new("#{{print(\"property\")}}must be truthy")];
    }
    vec![]
}

fn falsy(value: Option<&Value>) -> Vec<Hit> {
    if value.is_some_and(is_truthy) {
        return vec![Hit::new("#{{print(\"property\")}}must be falsy")];
    }
    vec![]
}

fn defined(value: Option<&Value>) -> Vec<Hit> {
    match value {
        None => vec![Hit::new("#{{print(\"property\")}}must be defined")],
        Some(_) => vec![],
    }
}

fn undefined(value: Option<&Value>) -> Vec<Hit> {
    match value {
        Some(_) => vec![Hit::new("#{{print(\"property\")}}must be undefined")],
        None => vec![],
    }
}

fn pattern(
    value: Option<&Value>,
    matches: Option<&(String, Regex)>,
    not_match: Option<&(String, Regex)>,
) -> Vec<Hit> {
    let Some(Value::String(s)) = value else {
        return vec![];
    };
    let mut hits = Vec::new();
    if let Some((p, re)) = matches
        && !re.is_match(s)
    {
        hits.push(Hit::new(format!(
            "#{{{{print(\"value\")}}}} must match the pattern {p:?}"
        )));
    }
    if let Some((p, re)) = not_match
        && re.is_match(s)
    {
        hits.push(Hit::new(format!(
            "#{{{{print(\"value\")}}}} must not match the pattern {p:?}"
        )));
    }
    hits
}

fn casing(
    value: Option<&Value>,
    kind: &str,
    regex: &Regex,
    separator: Option<&str>,
    allow_leading: bool,
) -> Vec<Hit> {
    let Some(Value::String(s)) = value else {
        return vec![];
    };
    if s.is_empty() || (allow_leading && separator == Some(s.as_str())) || regex.is_match(s) {
        return vec![];
    }
    vec![Hit::new(format!("must be {kind} case"))]
}

fn enumeration(value: Option<&Value>, values: &[Value]) -> Vec<Hit> {
    match value {
        Some(v @ (Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null)) => {
            if values.iter().any(|x| strict_equal(x, v)) {
                return vec![];
            }
            let allowed: Vec<String> = values.iter().map(print_value).collect();
            vec![Hit::new(format!(
                "#{{{{print(\"value\")}}}} must be equal to one of the allowed values: {}",
                allowed.join(", ")
            ))]
        }
        _ => vec![],
    }
}

fn length(value: Option<&Value>, min: Option<f64>, max: Option<f64>) -> Vec<Hit> {
    let n = match value {
        Some(Value::Object(o)) => o.len() as f64,
        Some(Value::Array(a)) => a.len() as f64,
        Some(Value::String(s)) => s.encode_utf16().count() as f64,
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        _ => return vec![],
    };
    let mut hits = Vec::new();
    if let Some(min) = min
        && n < min
    {
        hits.push(Hit::new(format!(
            "#{{{{print(\"property\")}}}}must be longer than {min}"
        )));
    }
    if let Some(max) = max
        && n > max
    {
        hits.push(Hit::new(format!(
            "#{{{{print(\"property\")}}}}must be shorter than {max}"
        )));
    }
    hits
}

fn xor(value: Option<&Value>, properties: &[String]) -> Vec<Hit> {
    let Some(Value::Object(o)) = value else {
        return vec![];
    };
    let present: Vec<&String> = o.keys().filter(|k| properties.contains(k)).collect();
    if present.is_empty() {
        let names = if properties.len() > 4 {
            format!(
                "\"{}\" or {} other properties must be defined",
                properties[..3].join("\" or \""),
                properties.len() - 3
            )
        } else {
            format!("\"{}\" must be defined", properties.join("\" or \""))
        };
        return vec![Hit::new(format!("At least one of {names}"))];
    }
    if present.len() > 1 {
        let names: Vec<&str> = present.iter().map(|s| s.as_str()).collect();
        return vec![Hit::new(format!(
            "Just one of \"{}\" must be defined",
            names.join("\" and \"")
        ))];
    }
    vec![]
}

fn schema(
    ctx: &Ctx<'_>,
    value: Option<&Value>,
    path: &[Segment],
    validator: &jsonschema::Validator,
) -> Vec<Hit> {
    let Some(v) = value else {
        return vec![Hit::at("#{{print(\"property\")}}must exist", path.to_vec())];
    };
    // Values inside the target may still be `$ref`s; validate what they point at.
    let inlined;
    let v = if ctx.follow && contains_ref(v) {
        match ctx.inline(v) {
            Some(i) => {
                inlined = i;
                &inlined
            }
            None => return vec![],
        }
    } else {
        v
    };
    schema_errors(validator, v, path)
}

fn unreferenced_reusable_object(ctx: &Ctx<'_>, value: Option<&Value>, location: &str) -> Vec<Hit> {
    let Some(Value::Object(o)) = value else {
        return vec![];
    };
    let used = ctx.referenced();
    let base: Vec<Segment> = location
        .trim_start_matches("#/")
        .split('/')
        .map(|s| Segment::Key(pointer::unescape(s).into_owned()))
        .collect();
    o.keys()
        .filter(|name| !used.contains(&format!("{location}/{name}")))
        .map(|name| {
            let mut p = base.clone();
            p.push(Segment::Key(name.clone()));
            Hit::at("Potential orphaned reusable object has been detected", p)
        })
        .collect()
}

/// JavaScript truthiness of a JSON value.
fn is_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// JavaScript `===` on JSON scalars (objects and arrays are never equal by value).
fn strict_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(_), _) | (Value::Object(_), _) => false,
        _ => a == b,
    }
}

/// Spectral's printValue: strings quoted, everything else as JSON.
pub(crate) fn print_value(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        Value::Object(_) => "Object{}".to_owned(),
        Value::Array(_) => "Array[]".to_owned(),
        other => other.to_string(),
    }
}

fn contains_ref(v: &Value) -> bool {
    match v {
        Value::Object(o) => o.contains_key("$ref") || o.values().any(contains_ref),
        Value::Array(a) => a.iter().any(contains_ref),
        _ => false,
    }
}

/// A JavaScript regex source (plain, or `/source/flags`) as a Rust regex.
pub(crate) fn js_regex(pattern: &str) -> Result<Regex, String> {
    let (source, flags) = match pattern.strip_prefix('/').and_then(|p| p.rsplit_once('/')) {
        Some((src, flags)) if !src.is_empty() && flags.chars().all(|c| c.is_ascii_lowercase()) => {
            (src, flags)
        }
        _ => (pattern, ""),
    };
    let mut prefix = String::new();
    for f in flags.chars() {
        match f {
            'i' | 'm' | 's' => prefix.push(f),
            // Global, sticky and unicode change nothing for a yes/no test.
            'g' | 'y' | 'u' => {}
            other => return Err(format!("regex flag {other:?} is not supported")),
        }
    }
    let translated = literal_braces(source);
    let full = if prefix.is_empty() {
        translated
    } else {
        format!("(?{prefix}){translated}")
    };
    regex::RegexBuilder::new(&full)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| format!("regex {pattern:?} cannot be used: {e}"))
}

/// JavaScript reads a `{` that does not start a repetition (`{2}`, `{1,3}`) as a literal; Rust
/// needs it escaped.
fn literal_braces(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let mut in_class = false;
    while i < bytes.len() {
        let c = source[i..].chars().next().unwrap_or('\0');
        let len = c.len_utf8();
        match c {
            '\\' => {
                let next = source[i + 1..].chars().next();
                out.push('\\');
                if let Some(n) = next {
                    out.push(n);
                    i += 1 + n.len_utf8();
                } else {
                    i += 1;
                }
                continue;
            }
            '[' => in_class = true,
            ']' => in_class = false,
            '{' if !in_class => {
                let rest = &source[i + 1..];
                let close = rest.find('}');
                let is_repeat = close.is_some_and(|end| {
                    let body = &rest[..end];
                    !body.is_empty()
                        && body.split(',').count() <= 2
                        && body
                            .split(',')
                            .next()
                            .is_some_and(|a| !a.is_empty() && a.chars().all(|c| c.is_ascii_digit()))
                        && body
                            .split(',')
                            .nth(1)
                            .is_none_or(|b| b.chars().all(|c| c.is_ascii_digit()))
                });
                if !is_repeat {
                    out.push_str("\\{");
                    i += 1;
                    continue;
                }
            }
            '}' if !in_class => {
                // A lone closing brace (its opening one was literal) is literal too.
                let before = &out;
                if !before.ends_with(|c: char| c.is_ascii_digit() || c == ',')
                    || !before.contains('{')
                {
                    out.push_str("\\}");
                    i += 1;
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
        i += len;
    }
    out
}

fn build_casing(options: &Value) -> Result<Function, String> {
    let kind = options
        .get("type")
        .and_then(Value::as_str)
        .ok_or("casing needs type")?;
    let base = match kind {
        "flat" => "[a-z][a-z{D}]*",
        "camel" => "[a-z][a-z{D}]*(?:[A-Z{D}](?:[a-z{D}]+|$))*",
        "pascal" => "[A-Z][a-z{D}]*(?:[A-Z{D}](?:[a-z{D}]+|$))*",
        "kebab" => "[a-z][a-z{D}]*(?:-[a-z{D}]+)*",
        "cobol" => "[A-Z][A-Z{D}]*(?:-[A-Z{D}]+)*",
        "snake" => "[a-z][a-z{D}]*(?:_[a-z{D}]+)*",
        "macro" => "[A-Z][A-Z{D}]*(?:_[A-Z{D}]+)*",
        other => return Err(format!("unknown casing type {other:?}")),
    };
    let digits = options.get("disallowDigits") != Some(&Value::Bool(true));
    let pattern = base.replace("{D}", if digits { "0-9" } else { "" });
    let separator = options
        .get("separator")
        .and_then(|s| s.get("char"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let allow_leading =
        options.get("separator").and_then(|s| s.get("allowLeading")) == Some(&Value::Bool(true));
    let full = match &separator {
        None => format!("^{pattern}$"),
        Some(c) => {
            let sep = format!("[{}]", regex::escape(c));
            let lead = if allow_leading {
                format!("{sep}?")
            } else {
                String::new()
            };
            format!("^{lead}{pattern}(?:{sep}{pattern})*$")
        }
    };
    Ok(Function::Casing {
        kind: kind.to_owned(),
        regex: Regex::new(&full).map_err(|e| e.to_string())?,
        separator,
        allow_leading,
    })
}

fn alphabetical(
    ctx: &Ctx<'_>,
    value: Option<&Value>,
    path: &[Segment],
    keyed_by: Option<&str>,
) -> Vec<Hit> {
    let items: Vec<Value> = match value {
        Some(Value::Array(a)) => a.iter().map(|v| ctx.deref(v).clone()).collect(),
        Some(Value::Object(o)) => o.keys().map(|k| Value::String(k.clone())).collect(),
        _ => return vec![],
    };
    if items.len() < 2 {
        return vec![];
    }
    let keys: Vec<Value> = match keyed_by {
        Some(k) => {
            let mut out = Vec::new();
            for item in &items {
                match item {
                    Value::Object(o) => out.push(o.get(k).cloned().unwrap_or(Value::Null)),
                    _ => return vec![Hit::new("#{{print(\"property\")}}must be an object")],
                }
            }
            out
        }
        None => items,
    };
    if !keys.iter().all(|k| k.is_string() || k.is_number()) {
        return vec![Hit::new(
            "#{{print(\"property\")}}must be one of the allowed types: number, string",
        )];
    }
    for i in 0..keys.len() - 1 {
        let out_of_order = match (&keys[i], &keys[i + 1]) {
            (Value::Number(a), Value::Number(b)) => a.as_f64() > b.as_f64(),
            (Value::String(a), Value::String(b)) => {
                let (la, lb) = (a.to_lowercase(), b.to_lowercase());
                la > lb || (la == lb && a > b)
            }
            _ => false,
        };
        if out_of_order {
            if keyed_by.is_some() {
                return vec![Hit::new("properties must follow the alphabetical order")];
            }
            let mut p = path.to_vec();
            match value {
                Some(Value::Array(_)) => p.push(Segment::Index(i)),
                _ => p.push(Segment::Key(
                    keys[i].as_str().unwrap_or_default().to_owned(),
                )),
            }
            return vec![Hit::at(
                format!(
                    "{} must be placed after {}",
                    print_value(&keys[i]),
                    print_value(&keys[i + 1])
                ),
                p,
            )];
        }
    }
    vec![]
}

fn typed_enum(ctx: &Ctx<'_>, value: Option<&Value>, path: &[Segment]) -> Vec<Hit> {
    let Some(Value::Object(o)) = value else {
        return vec![];
    };
    let (Some(Value::Array(values)), Some(ty)) = (o.get("enum"), o.get("type")) else {
        return vec![];
    };
    let mut types: Vec<&str> = match ty {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) if ts.iter().all(Value::is_string) => {
            ts.iter().filter_map(Value::as_str).collect()
        }
        _ => return vec![],
    };
    let nullable = (o.get("nullable") == Some(&Value::Bool(true)) && ctx.format == Format::Oas3_0)
        || (o.get("x-nullable") == Some(&Value::Bool(true)) && ctx.format == Format::Oas2);
    if nullable {
        types.push("null");
    }
    let shown = if types.len() == 1 {
        types[0].to_owned()
    } else {
        types.join(",")
    };
    let integer = types.contains(&"integer");
    let mut hits = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let t = match v {
            Value::String(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Null => "null",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            Value::Number(n) => {
                let whole =
                    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0);
                if integer && whole {
                    "integer"
                } else {
                    "number"
                }
            }
        };
        if !types.contains(&t) {
            let mut p = path.to_vec();
            p.push(Segment::Key("enum".to_owned()));
            p.push(Segment::Index(i));
            hits.push(Hit::at(
                format!("Enum value {} must be \"{shown}\".", print_value(v)),
                p,
            ));
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn javascript_regexes_translate() {
        assert!(js_regex("{}").unwrap().is_match("/a/{}"));
        assert!(js_regex("/ABC/i").unwrap().is_match("xabcx"));
        assert!(js_regex("^[a-z]{2,3}$").unwrap().is_match("abc"));
        assert!(!js_regex("^[a-z]{2,3}$").unwrap().is_match("abcd"));
        assert!(js_regex(".+\\/$").unwrap().is_match("/pets/"));
        assert!(
            js_regex("^[A-Za-z0-9-._~:/?#\\[\\]@!\\$&'()*+,;=]*$")
                .unwrap()
                .is_match("get:pets")
        );
        assert!(
            js_regex("(?<=a)b").is_err(),
            "lookbehind cannot run in linear time"
        );
    }

    #[test]
    fn casing_follows_spectral() {
        let camel = build_casing(&serde_json::json!({"type": "camel"})).unwrap();
        let Function::Casing { regex, .. } = camel else {
            unreachable!()
        };
        assert!(regex.is_match("listStops"));
        assert!(regex.is_match("getV2Stops"));
        assert!(!regex.is_match("ListStops"));
        assert!(!regex.is_match("list_stops"));
    }
}
