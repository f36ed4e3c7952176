//! Rulesets: the subset of Spectral's ruleset format that pac reads.
//!
//! A ruleset is YAML (or JSON) data: `extends`, `aliases`, `formats`, and `rules` whose entries
//! have `description`, `message`, `severity`, `given`, `then` (`field`, `function`,
//! `functionOptions`), `formats`, `recommended` and `resolved`. An extending ruleset may turn
//! an inherited rule off or change its severity by naming it (`rule-name: off`, `warn`, or
//! `{severity: error}`). pac's own additions live under `x-pac` keys: the ruleset's identity
//! and view, and each rule's level, category, rationale and how to fix it.
//!
//! Nothing is fetched: `extends` names a built-in ruleset (`spectral:oas`,
//! `police-api-standard`) or, from the command line only, a file beside the ruleset. A rule
//! that needs something pac does not have (a JavaScript function, a regex the engine cannot
//! compile) is kept in [`Ruleset::unsupported`] with the reason, and reported, never dropped
//! silently.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Map, Value};

use super::Format;
use super::functions::Function;
use super::jsonpath::JsonPath;

/// How serious a finding is, Spectral's four levels; `Off` disables a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warn,
    Info,
    Hint,
    Off,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warn => "warn",
            Severity::Info => "info",
            Severity::Hint => "hint",
            Severity::Off => "off",
        }
    }

    /// Spectral accepts names, the numbers 0–3 (and -1 for off), and booleans.
    fn parse(v: &Value) -> Option<Severity> {
        match v {
            Value::String(s) => match s.as_str() {
                "error" => Some(Severity::Error),
                "warn" | "warning" => Some(Severity::Warn),
                "info" | "information" => Some(Severity::Info),
                "hint" => Some(Severity::Hint),
                "off" => Some(Severity::Off),
                _ => None,
            },
            Value::Number(n) => match n.as_i64()? {
                0 => Some(Severity::Error),
                1 => Some(Severity::Warn),
                2 => Some(Severity::Info),
                3 => Some(Severity::Hint),
                -1 => Some(Severity::Off),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Whether a rule is part of the minimum bar (the kitemark) or advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Level {
    #[serde(rename = "MUST")]
    Must,
    #[serde(rename = "SHOULD")]
    Should,
}

/// The four parts of the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Documentation,
    Security,
    Design,
    Interoperability,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Documentation,
        Category::Security,
        Category::Design,
        Category::Interoperability,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Documentation => "documentation",
            Category::Security => "security",
            Category::Design => "design",
            Category::Interoperability => "interoperability",
        }
    }

    fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// What a standard says about one of its rules (`x-pac` on the rule).
#[derive(Debug, Clone, Serialize)]
pub struct Guidance {
    pub level: Level,
    pub category: Category,
    pub rationale: String,
    pub fix: String,
}

/// Which document a ruleset's rules run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    /// The description as written, the way Spectral sees it.
    Original,
    /// The catalogue's OpenAPI 3.0 form (Swagger 2.0 converted, 3.1 normalised); findings are
    /// pointed back into the original file.
    Normalised,
}

/// The ruleset's identity (`x-pac` at the top).
#[derive(Debug, Clone, Serialize)]
pub struct Identity {
    pub name: String,
    pub version: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub summary: Option<String>,
}

/// Where a rule's `then` looks on each given node.
#[derive(Debug, Clone)]
pub enum Field {
    /// The given node itself.
    Node,
    /// Each property name of the given object (`@key`).
    Keys,
    /// A member path (`info.contact`).
    Member(Vec<String>),
    /// A JSONPath relative to the given node (`$..description`).
    Path(JsonPath),
}

#[derive(Debug, Clone)]
pub struct Then {
    pub field: Field,
    pub function: Function,
}

/// One `given` path, limited to some formats when it came from a format-specific alias target.
#[derive(Debug, Clone)]
pub struct Given {
    pub path: JsonPath,
    pub formats: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    pub description: Option<String>,
    pub message: Option<String>,
    pub severity: Severity,
    pub given: Vec<Given>,
    pub then: Vec<Then>,
    pub formats: Option<Vec<String>>,
    pub recommended: bool,
    /// Whether `$ref`s are followed (Spectral's default) or the document is read as written.
    pub resolved: bool,
    pub guidance: Option<Guidance>,
}

impl Rule {
    /// Whether this rule runs on a document of `format` (and `fallback`, the ruleset's formats).
    pub fn applies_to(&self, format: Format, fallback: Option<&[String]>) -> bool {
        match self.formats.as_deref().or(fallback) {
            Some(names) => names.iter().any(|n| format.matches(n)),
            None => true,
        }
    }
}

/// A rule that is in the ruleset but cannot be run, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Unsupported {
    pub rule: String,
    pub reason: String,
    /// A MUST rule of a standard: while it cannot run, the kitemark cannot be awarded.
    pub must: bool,
}

/// A loaded ruleset, `extends` applied.
#[derive(Debug, Clone)]
pub struct Ruleset {
    pub identity: Identity,
    pub view: View,
    pub formats: Option<Vec<String>>,
    /// Enabled and disabled rules alike; disabled ones have severity `Off`.
    pub rules: Vec<Rule>,
    pub unsupported: Vec<Unsupported>,
}

/// A ruleset that cannot be loaded: what is wrong and where.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{source_name}: {at}: {message}")]
pub struct RulesetError {
    pub source_name: String,
    /// The place in the ruleset, such as `rules.my-rule.given`.
    pub at: String,
    pub message: String,
}

/// The built-in rulesets, by the names `extends` and `--ruleset` accept.
pub const BUILT_IN: [(&str, &str); 2] = [
    ("spectral:oas", include_str!("rulesets/spectral-oas.yaml")),
    (
        "police-api-standard",
        include_str!("../../../catalogue/standards/police-api-standard.yaml"),
    ),
];

/// How `extends` of a ruleset may reach other rulesets.
pub enum Resolver {
    /// Built-in names only (HTTP, the catalogue itself).
    BuiltIn,
    /// Built-in names and files relative to this folder (the command line).
    Files(PathBuf),
}

impl Ruleset {
    /// A built-in ruleset by name, as `extends: [name]` gives it: rules that are not
    /// `recommended` are off.
    pub fn built_in(name: &str) -> Result<Ruleset, RulesetError> {
        let text = BUILT_IN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .ok_or_else(|| RulesetError {
                source_name: name.to_owned(),
                at: "name".to_owned(),
                message: format!(
                    "no built-in ruleset is called {name:?}; there are {}",
                    built_in_names()
                ),
            })?;
        let mut ruleset = Ruleset::parse(name, text, &Resolver::BuiltIn)?;
        for rule in &mut ruleset.rules {
            if !rule.recommended {
                rule.severity = Severity::Off;
            }
        }
        Ok(ruleset)
    }

    /// A ruleset file (YAML or JSON); `extends` may name built-ins and files beside it.
    pub fn from_file(path: &Path) -> Result<Ruleset, RulesetError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| RulesetError {
            source_name: name.clone(),
            at: "file".to_owned(),
            message: format!("cannot read it: {e}"),
        })?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ruleset::parse(&name, &text, &Resolver::Files(dir))
    }

    /// Parses ruleset text named `source_name` (used in errors).
    pub fn parse(
        source_name: &str,
        text: &str,
        resolver: &Resolver,
    ) -> Result<Ruleset, RulesetError> {
        let mut seen = HashSet::new();
        load(source_name, text, resolver, &mut seen, 0)
    }

    /// The rules that run (severity other than off).
    pub fn enabled(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(|r| r.severity != Severity::Off)
    }

    pub fn rule(&self, name: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.name == name)
    }
}

pub fn built_in_names() -> String {
    BUILT_IN
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

fn err(source_name: &str, at: impl Into<String>, message: impl Into<String>) -> RulesetError {
    RulesetError {
        source_name: source_name.to_owned(),
        at: at.into(),
        message: message.into(),
    }
}

/// Extends may nest, but not forever and not in a circle.
const MAX_EXTENDS_DEPTH: usize = 8;

/// Rulesets are small; anything bigger is a mistake or an attack.
const MAX_RULESET_BYTES: usize = 2 * 1024 * 1024;

fn load(
    source_name: &str,
    text: &str,
    resolver: &Resolver,
    seen: &mut HashSet<String>,
    depth: usize,
) -> Result<Ruleset, RulesetError> {
    if text.len() > MAX_RULESET_BYTES {
        return Err(err(source_name, "file", "a ruleset may be at most 2 MiB"));
    }
    if depth > MAX_EXTENDS_DEPTH || !seen.insert(source_name.to_owned()) {
        return Err(err(
            source_name,
            "extends",
            "rulesets extend each other in a circle (or more than 8 deep)",
        ));
    }
    let doc: Value = serde_saphyr::from_str(text)
        .map_err(|e| err(source_name, "file", format!("not YAML or JSON: {e}")))?;
    let Value::Object(top) = doc else {
        return Err(err(source_name, "file", "a ruleset is a mapping"));
    };

    let mut out = Ruleset {
        identity: identity(source_name, top.get("x-pac"))?,
        view: View::Original,
        formats: None,
        rules: Vec::new(),
        unsupported: Vec::new(),
    };
    if let Some(view) = top.get("x-pac").and_then(|x| x.get("view")) {
        out.view = match view.as_str() {
            Some("original") => View::Original,
            Some("normalised") | Some("normalized") => View::Normalised,
            _ => {
                return Err(err(
                    source_name,
                    "x-pac.view",
                    "must be \"original\" or \"normalised\"",
                ));
            }
        };
    }
    if let Some(formats) = top.get("formats") {
        out.formats = Some(format_list(source_name, "formats", formats)?);
    }

    for key in top.keys() {
        match key.as_str() {
            "extends" | "rules" | "aliases" | "formats" | "documentationUrl" | "description"
            | "x-pac" => {}
            "functions" | "functionsDir" => out.unsupported.push(Unsupported {
                rule: format!("({key})"),
                reason: "custom JavaScript functions cannot run in pac; rules that use them are listed separately".to_owned(),
                must: false,
            }),
            "overrides" => out.unsupported.push(Unsupported {
                rule: "(overrides)".to_owned(),
                reason: "file-pattern overrides are not supported; set severities under rules instead".to_owned(),
                must: false,
            }),
            other if other.starts_with("x-") => {}
            other => {
                return Err(err(
                    source_name,
                    other,
                    "unknown ruleset key (expected extends, rules, aliases, formats, documentationUrl, description)",
                ));
            }
        }
    }

    // Inherited rules first, in the order the rulesets are listed.
    if let Some(extends) = top.get("extends") {
        for (i, (name, mode)) in extends_list(source_name, extends)?.into_iter().enumerate() {
            let parent = load_parent(source_name, &name, resolver, seen, depth).map_err(|e| {
                RulesetError {
                    at: format!("extends[{i}] -> {}", e.at),
                    ..e
                }
            })?;
            for mut rule in parent.rules {
                match mode {
                    ExtendMode::Off => rule.severity = Severity::Off,
                    ExtendMode::Recommended if !rule.recommended => rule.severity = Severity::Off,
                    _ => {}
                }
                out.rules.retain(|r| r.name != rule.name);
                out.rules.push(rule);
            }
            for u in parent.unsupported {
                if !out.unsupported.iter().any(|x| x.rule == u.rule) {
                    out.unsupported.push(u);
                }
            }
            if out.formats.is_none() {
                out.formats = parent.formats;
            }
        }
    }

    let aliases = match top.get("aliases") {
        Some(Value::Object(a)) => a.clone(),
        Some(_) => return Err(err(source_name, "aliases", "must be a mapping")),
        None => Map::new(),
    };

    if let Some(rules) = top.get("rules") {
        let Value::Object(rules) = rules else {
            return Err(err(source_name, "rules", "must be a mapping of rule names"));
        };
        for (name, def) in rules {
            let at = format!("rules.{name}");
            match def {
                // `name: off`, `name: warn`, `name: true|false`: a change to an inherited rule.
                Value::String(_) | Value::Number(_) | Value::Bool(_) => {
                    let severity = match def {
                        Value::Bool(true) => None,
                        Value::Bool(false) => Some(Severity::Off),
                        other => Some(Severity::parse(other).ok_or_else(|| {
                            err(
                                source_name,
                                &at,
                                "severity must be error, warn, info, hint or off",
                            )
                        })?),
                    };
                    let rule = out
                        .rules
                        .iter_mut()
                        .find(|r| &r.name == name)
                        .ok_or_else(|| err(source_name, &at, "no inherited rule has this name"))?;
                    match severity {
                        Some(s) => rule.severity = s,
                        None if rule.severity == Severity::Off => {
                            rule.severity = Severity::Warn;
                        }
                        None => {}
                    }
                }
                Value::Object(obj) if !obj.contains_key("then") && !obj.contains_key("given") => {
                    let rule = out
                        .rules
                        .iter_mut()
                        .find(|r| &r.name == name)
                        .ok_or_else(|| {
                            err(
                                source_name,
                                &at,
                                "a rule needs given and then (or must name an inherited rule)",
                            )
                        })?;
                    if let Some(s) = obj.get("severity") {
                        rule.severity = Severity::parse(s).ok_or_else(|| {
                            err(
                                source_name,
                                format!("{at}.severity"),
                                "must be error, warn, info, hint or off",
                            )
                        })?;
                    }
                    if let Some(Value::String(m)) = obj.get("message") {
                        rule.message = Some(m.clone());
                    }
                    if let Some(Value::String(d)) = obj.get("description") {
                        rule.description = Some(d.clone());
                    }
                }
                Value::Object(obj) => {
                    out.rules.retain(|r| &r.name != name);
                    out.unsupported.retain(|u| &u.rule != name);
                    match rule(source_name, name, obj, &aliases)? {
                        Built::Rule(r) => out.rules.push(*r),
                        Built::Unsupported(u) => out.unsupported.push(u),
                    }
                }
                _ => {
                    return Err(err(
                        source_name,
                        &at,
                        "must be a rule definition or a severity",
                    ));
                }
            }
        }
    }
    seen.remove(source_name);
    Ok(out)
}

fn identity(source_name: &str, x: Option<&Value>) -> Result<Identity, RulesetError> {
    let get = |k: &str| {
        x.and_then(|x| x.get(k))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    if let Some(x) = x
        && !x.is_object()
    {
        return Err(err(source_name, "x-pac", "must be a mapping"));
    }
    Ok(Identity {
        name: get("name").unwrap_or_else(|| source_name.to_owned()),
        version: get("version").unwrap_or_else(|| "unversioned".to_owned()),
        title: get("title"),
        published: get("published"),
        summary: get("summary"),
    })
}

#[derive(Clone, Copy)]
enum ExtendMode {
    Recommended,
    All,
    Off,
}

fn extends_list(source_name: &str, v: &Value) -> Result<Vec<(String, ExtendMode)>, RulesetError> {
    let one = |v: &Value| -> Result<(String, ExtendMode), RulesetError> {
        match v {
            Value::String(s) => Ok((s.clone(), ExtendMode::Recommended)),
            Value::Array(pair) if pair.len() == 2 => {
                let name = pair[0].as_str().ok_or_else(|| {
                    err(
                        source_name,
                        "extends",
                        "each entry is a name or [name, all|recommended|off]",
                    )
                })?;
                let mode = match pair[1].as_str() {
                    Some("all") => ExtendMode::All,
                    Some("recommended") => ExtendMode::Recommended,
                    Some("off") => ExtendMode::Off,
                    _ => {
                        return Err(err(
                            source_name,
                            "extends",
                            "the second item of [name, mode] must be all, recommended or off",
                        ));
                    }
                };
                Ok((name.to_owned(), mode))
            }
            _ => Err(err(
                source_name,
                "extends",
                "each entry is a name or [name, all|recommended|off]",
            )),
        }
    };
    match v {
        Value::String(_) => Ok(vec![one(v)?]),
        // A lone [name, mode] pair is one entry, not two names.
        Value::Array(a)
            if a.len() == 2
                && a[0].is_string()
                && matches!(a[1].as_str(), Some("all" | "recommended" | "off")) =>
        {
            Ok(vec![one(v)?])
        }
        Value::Array(a) => a.iter().map(one).collect(),
        _ => Err(err(source_name, "extends", "must be a name or a list")),
    }
}

fn load_parent(
    source_name: &str,
    name: &str,
    resolver: &Resolver,
    seen: &mut HashSet<String>,
    depth: usize,
) -> Result<Ruleset, RulesetError> {
    if let Some((_, text)) = BUILT_IN.iter().find(|(n, _)| *n == name) {
        return load(name, text, &Resolver::BuiltIn, seen, depth + 1);
    }
    if name.contains("://") {
        return Err(err(
            source_name,
            "extends",
            format!("{name}: pac never fetches rulesets; download it and name the file"),
        ));
    }
    match resolver {
        Resolver::BuiltIn => Err(err(
            source_name,
            "extends",
            format!(
                "{name:?} is not a built-in ruleset ({}); files can only be named from the command line",
                built_in_names()
            ),
        )),
        Resolver::Files(dir) => {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).map_err(|e| {
                err(
                    source_name,
                    "extends",
                    format!("{}: cannot read it: {e}", path.display()),
                )
            })?;
            let parent_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            load(
                &path.display().to_string(),
                &text,
                &Resolver::Files(parent_dir),
                seen,
                depth + 1,
            )
        }
    }
}

fn format_list(source_name: &str, at: &str, v: &Value) -> Result<Vec<String>, RulesetError> {
    let Value::Array(items) = v else {
        return Err(err(source_name, at, "must be a list of format names"));
    };
    items
        .iter()
        .map(|f| {
            let name = f
                .as_str()
                .ok_or_else(|| err(source_name, at, "format names are strings"))?;
            if !Format::known(name) {
                return Err(err(
                    source_name,
                    at,
                    format!("unknown format {name:?} (oas2, oas3, oas3_0, oas3_1)"),
                ));
            }
            Ok(name.to_owned())
        })
        .collect()
}

enum Built {
    Rule(Box<Rule>),
    Unsupported(Unsupported),
}

fn rule(
    source_name: &str,
    name: &str,
    obj: &Map<String, Value>,
    aliases: &Map<String, Value>,
) -> Result<Built, RulesetError> {
    let at = format!("rules.{name}");
    let string = |k: &str| -> Result<Option<String>, RulesetError> {
        match obj.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(err(source_name, format!("{at}.{k}"), "must be a string")),
        }
    };
    for key in obj.keys() {
        if !matches!(
            key.as_str(),
            "description"
                | "message"
                | "severity"
                | "given"
                | "then"
                | "formats"
                | "recommended"
                | "resolved"
                | "documentationUrl"
                | "type"
                | "tags"
        ) && !key.starts_with("x-")
        {
            return Err(err(source_name, format!("{at}.{key}"), "unknown rule key"));
        }
    }
    let severity = match obj.get("severity") {
        None => Severity::Warn,
        Some(s) => Severity::parse(s).ok_or_else(|| {
            err(
                source_name,
                format!("{at}.severity"),
                "must be error, warn, info, hint or off",
            )
        })?,
    };
    let recommended = match obj.get("recommended") {
        None => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(err(
                source_name,
                format!("{at}.recommended"),
                "must be true or false",
            ));
        }
    };
    let resolved = match obj.get("resolved") {
        None => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(err(
                source_name,
                format!("{at}.resolved"),
                "must be true or false",
            ));
        }
    };
    let formats = match obj.get("formats") {
        Some(f) => Some(format_list(source_name, &format!("{at}.formats"), f)?),
        None => None,
    };
    let givens: Vec<&str> = match obj.get("given") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) if !a.is_empty() => a
            .iter()
            .map(|g| {
                g.as_str()
                    .ok_or_else(|| err(source_name, format!("{at}.given"), "paths are strings"))
            })
            .collect::<Result<_, _>>()?,
        _ => {
            return Err(err(
                source_name,
                format!("{at}.given"),
                "a JSONPath or a list of them is required",
            ));
        }
    };
    // A MUST rule of a standard that cannot run withholds the kitemark (see `score`).
    let must = obj
        .get("x-pac")
        .and_then(|x| x.get("level"))
        .and_then(Value::as_str)
        == Some("MUST");
    let unsupported = |reason: String| {
        Ok(Built::Unsupported(Unsupported {
            rule: name.to_owned(),
            reason,
            must,
        }))
    };
    let mut given = Vec::new();
    for g in givens {
        for (expanded, fmts) in expand_alias(source_name, &at, g, aliases, 0)? {
            // A path pac cannot evaluate makes this rule unsupported, not the whole ruleset; a
            // path that is wrong is an error in the ruleset.
            let path = match JsonPath::parse(&expanded) {
                Ok(path) => path,
                Err(e) if e.unsupported => {
                    return unsupported(format!("{at}.given {expanded:?}: {e}"));
                }
                Err(e) => {
                    return Err(err(
                        source_name,
                        format!("{at}.given"),
                        format!("{expanded:?}: {e}"),
                    ));
                }
            };
            given.push(Given {
                path,
                formats: fmts,
            });
        }
    }
    let thens: Vec<&Value> = match obj.get("then") {
        Some(Value::Array(a)) if !a.is_empty() => a.iter().collect(),
        Some(t @ Value::Object(_)) => vec![t],
        _ => {
            return Err(err(
                source_name,
                format!("{at}.then"),
                "a mapping or a list of mappings is required",
            ));
        }
    };
    let mut then = Vec::new();
    for (i, t) in thens.into_iter().enumerate() {
        let tat = format!("{at}.then[{i}]");
        let Value::Object(t) = t else {
            return Err(err(source_name, &tat, "must be a mapping"));
        };
        let field = match t.get("field") {
            None | Some(Value::Null) => Field::Node,
            Some(Value::String(f)) if f == "@key" => Field::Keys,
            Some(Value::String(f)) if f.starts_with('$') => match JsonPath::parse(f) {
                Ok(path) => Field::Path(path),
                Err(e) if e.unsupported => return unsupported(format!("{tat}.field {f:?}: {e}")),
                Err(e) => return Err(err(source_name, format!("{tat}.field"), e.to_string())),
            },
            Some(Value::String(f)) => Field::Member(member_path(f)),
            Some(_) => return Err(err(source_name, format!("{tat}.field"), "must be a string")),
        };
        let function_name = match t.get("function") {
            Some(Value::String(f)) => f.as_str(),
            _ => {
                return Err(err(
                    source_name,
                    format!("{tat}.function"),
                    "a function name is required",
                ));
            }
        };
        let options = t.get("functionOptions").cloned().unwrap_or(Value::Null);
        match Function::build(function_name, &options) {
            Ok(Some(function)) => then.push(Then { field, function }),
            Ok(None) => {
                return unsupported(format!(
                    "function {function_name:?} is not available in pac"
                ));
            }
            Err(message) => {
                return unsupported(format!("{tat}.functionOptions: {message}"));
            }
        }
    }
    let guidance = match obj.get("x-pac") {
        None => None,
        Some(x) => Some(guidance(source_name, &at, x, severity)?),
    };
    Ok(Built::Rule(Box::new(Rule {
        name: name.to_owned(),
        description: string("description")?,
        message: string("message")?,
        severity,
        given,
        then,
        formats,
        recommended,
        resolved,
        guidance,
    })))
}

fn guidance(
    source_name: &str,
    at: &str,
    x: &Value,
    severity: Severity,
) -> Result<Guidance, RulesetError> {
    let at = format!("{at}.x-pac");
    let text = |k: &str| -> Result<String, RulesetError> {
        x.get(k)
            .and_then(Value::as_str)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| err(source_name, format!("{at}.{k}"), "is required"))
    };
    let level = match text("level")?.as_str() {
        "MUST" => Level::Must,
        "SHOULD" => Level::Should,
        _ => {
            return Err(err(
                source_name,
                format!("{at}.level"),
                "must be MUST or SHOULD",
            ));
        }
    };
    let want = if level == Level::Must {
        Severity::Error
    } else {
        Severity::Warn
    };
    if severity != want {
        return Err(err(
            source_name,
            format!("{at}.level"),
            "MUST rules have severity error and SHOULD rules severity warn",
        ));
    }
    let category = Category::parse(&text("category")?).ok_or_else(|| {
        err(
            source_name,
            format!("{at}.category"),
            "must be documentation, security, design or interoperability",
        )
    })?;
    Ok(Guidance {
        level,
        category,
        rationale: text("rationale")?,
        fix: text("fix")?,
    })
}

/// `info.contact` → [info, contact]; `paths['/a.b']` keeps the bracketed name whole.
fn member_path(field: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = field.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            '[' => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                let quote = chars.peek().copied().filter(|q| *q == '\'' || *q == '"');
                if quote.is_some() {
                    chars.next();
                }
                for c in chars.by_ref() {
                    if Some(c) == quote || (quote.is_none() && c == ']') {
                        break;
                    }
                    current.push(c);
                }
                if quote.is_some() {
                    // Skip the closing bracket.
                    chars.next();
                }
                out.push(std::mem::take(&mut current));
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A `given` path with the formats its alias target is limited to.
type Expanded = (String, Option<Vec<String>>);

/// Expands a leading `#Alias` (aliases may refer to aliases), keeping each target's formats.
fn expand_alias(
    source_name: &str,
    at: &str,
    given: &str,
    aliases: &Map<String, Value>,
    depth: usize,
) -> Result<Vec<Expanded>, RulesetError> {
    let Some(rest) = given.strip_prefix('#') else {
        return Ok(vec![(given.to_owned(), None)]);
    };
    if depth > 8 {
        return Err(err(
            source_name,
            at,
            "aliases refer to each other too deeply",
        ));
    }
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    let (name, tail) = rest.split_at(end);
    let def = aliases.get(name).ok_or_else(|| {
        err(
            source_name,
            format!("{at}.given"),
            format!("unknown alias #{name}"),
        )
    })?;
    let mut targets: Vec<(String, Option<Vec<String>>)> = Vec::new();
    let strings = |v: &Value| -> Result<Vec<String>, RulesetError> {
        match v {
            Value::String(s) => Ok(vec![s.clone()]),
            Value::Array(a) => a
                .iter()
                .map(|s| {
                    s.as_str().map(str::to_owned).ok_or_else(|| {
                        err(source_name, format!("aliases.{name}"), "paths are strings")
                    })
                })
                .collect(),
            _ => Err(err(
                source_name,
                format!("aliases.{name}"),
                "must be paths or {targets}",
            )),
        }
    };
    match def {
        Value::Object(o) => {
            let Some(Value::Array(ts)) = o.get("targets") else {
                return Err(err(
                    source_name,
                    format!("aliases.{name}"),
                    "must be paths or {targets}",
                ));
            };
            for t in ts {
                let formats = match t.get("formats") {
                    Some(f) => Some(format_list(source_name, &format!("aliases.{name}"), f)?),
                    None => None,
                };
                for g in strings(t.get("given").unwrap_or(&Value::Null))? {
                    targets.push((g, formats.clone()));
                }
            }
        }
        other => {
            for g in strings(other)? {
                targets.push((g, None));
            }
        }
    }
    let mut out = Vec::new();
    for (g, formats) in targets {
        for (expanded, inner) in expand_alias(source_name, at, &g, aliases, depth + 1)? {
            let merged = match (&formats, inner) {
                (Some(a), Some(b)) => Some(a.iter().filter(|f| b.contains(f)).cloned().collect()),
                (Some(a), None) => Some(a.clone()),
                (None, b) => b,
            };
            out.push((format!("{expanded}{tail}"), merged));
        }
    }
    Ok(out)
}

/// Rules of a ruleset as a document for people: names, severities, guidance.
pub fn describe(ruleset: &Ruleset) -> Value {
    let rules: Vec<Value> = ruleset
        .rules
        .iter()
        .map(|r| {
            let mut m = BTreeMap::new();
            m.insert("name", Value::String(r.name.clone()));
            m.insert("severity", Value::String(r.severity.as_str().to_owned()));
            if let Some(d) = &r.description {
                m.insert("description", Value::String(d.clone()));
            }
            if let Some(g) = &r.guidance {
                m.insert(
                    "level",
                    serde_json::to_value(g.level).unwrap_or(Value::Null),
                );
                m.insert("category", Value::String(g.category.as_str().to_owned()));
                m.insert("rationale", Value::String(g.rationale.clone()));
                m.insert("fix", Value::String(g.fix.clone()));
            }
            serde_json::to_value(m).unwrap_or(Value::Null)
        })
        .collect();
    serde_json::json!({
        "name": ruleset.identity.name,
        "version": ruleset.identity.version,
        "title": ruleset.identity.title,
        "published": ruleset.identity.published,
        "summary": ruleset.identity.summary,
        "view": ruleset.view,
        "rules": rules,
        "unsupported": ruleset.unsupported,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_paths_split_on_dots_and_keep_brackets_whole() {
        assert_eq!(member_path("info.contact"), vec!["info", "contact"]);
        assert_eq!(member_path("responses.429"), vec!["responses", "429"]);
        assert_eq!(
            member_path("paths['/a.b'].get"),
            vec!["paths", "/a.b", "get"]
        );
        assert_eq!(member_path("a[0]"), vec!["a", "0"]);
    }
}
