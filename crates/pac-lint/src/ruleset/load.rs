//! Loading a ruleset: its text read into shape ([`super::file`]), `extends` followed, aliases
//! expanded, and each rule checked for what pac can run (a known function, a JSONPath pac
//! evaluates, a regex the engine compiles).
//!
//! No file is read here. `extends` reaches the built-in rulesets, and files only through the
//! caller's [`RulesetFiles`] (the command line's); a URL is refused, never fetched.

use std::borrow::Cow;

use pac_jsonpath::JsonPath;
use serde_json::{Map, Value};

use super::file::{
    self, Alias, Aliases, ExtendMode, RuleBody, RuleEntry, RulePac, RulesetPac, ThenDef,
};
use super::model::{
    Field, Given, Guidance, Identity, Level, Rule, Ruleset, RulesetError, Severity, Then,
    Unsupported, View,
};
use crate::functions::Function;

/// The built-in rulesets, by the names `extends` and `--ruleset` accept.
pub const BUILT_IN: [(&str, &str); 2] = [
    (
        "spectral:oas",
        include_str!("../rulesets/spectral-oas.yaml"),
    ),
    (
        "police-api-standard",
        include_str!("../../../../catalogue/standards/police-api-standard.yaml"),
    ),
];

/// Reads, on the engine's behalf, a ruleset that `extends` names and that is not built in: the
/// engine itself never touches the file system.
pub trait RulesetFiles {
    /// The ruleset `name`, as written in `extends` of the ruleset whose source name is
    /// `relative_to`: the name to show for it (in errors; also how a circle of rulesets is
    /// noticed) and its text, or why it cannot be read.
    fn read(&self, relative_to: &str, name: &str) -> Result<(String, String), String>;
}

/// How `extends` of a ruleset may reach other rulesets.
#[derive(Clone, Copy)]
pub enum Resolver<'a> {
    /// Built-in names only (HTTP, the catalogue itself).
    BuiltIn,
    /// Built-in names and whatever `files` reads (the command line).
    Files(&'a dyn RulesetFiles),
}

impl Ruleset {
    /// A built-in ruleset by name, as `extends: [name]` gives it: rules that are not
    /// `recommended` are off.
    pub fn built_in(name: &str) -> Result<Ruleset, RulesetError> {
        let text = BUILT_IN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                err(
                    name,
                    "name",
                    format!(
                        "no built-in ruleset is called {name:?}; there are {}",
                        built_in_names()
                    ),
                )
            })?;
        let mut ruleset = Ruleset::parse(name, text, &Resolver::BuiltIn)?;
        for rule in &mut ruleset.rules {
            if !rule.recommended {
                rule.severity = Severity::Off;
            }
        }
        Ok(ruleset)
    }

    /// Reads ruleset text (YAML or JSON) named `source_name`: the name errors give, and what
    /// the files its `extends` names are read relative to.
    pub fn parse(
        source_name: &str,
        text: &str,
        resolver: &Resolver<'_>,
    ) -> Result<Ruleset, RulesetError> {
        load(
            source_name,
            text,
            *resolver,
            &mut vec![source_name.to_owned()],
        )
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
    RulesetError::new(source_name, at, message)
}

/// Extends may nest, but not forever and not in a circle.
const MAX_EXTENDS_DEPTH: usize = 8;

/// Aliases may refer to aliases, but not forever.
const MAX_ALIAS_DEPTH: usize = 8;

/// Loads one ruleset; `chain` names it and the rulesets that extend it, down from the first.
fn load(
    source_name: &str,
    text: &str,
    resolver: Resolver<'_>,
    chain: &mut Vec<String>,
) -> Result<Ruleset, RulesetError> {
    let file = file::read(source_name, text)?;
    let pac = file.x_pac.map(|p| p.0);
    let mut out = Ruleset {
        identity: identity(source_name, pac.as_ref()),
        view: pac.and_then(|p| p.view).unwrap_or(View::Original),
        formats: file.formats.map(|f| f.0),
        rules: Vec::new(),
        unsupported: unhonoured(source_name, &file.others)?,
    };
    // Inherited rules first, in the order the rulesets are listed.
    let extends = file.extends.map(|e| e.0).unwrap_or_default();
    for (i, (name, mode)) in extends.into_iter().enumerate() {
        let parent = load_parent(source_name, i, &name, resolver, chain)?;
        inherit(&mut out, parent, mode);
    }
    let aliases = file.aliases.unwrap_or(Aliases(Vec::new()));
    for (name, entry) in file.rules.map(|r| r.0).unwrap_or_default() {
        match entry {
            RuleEntry::Severity(severity) => {
                let rule = inherited(
                    source_name,
                    &mut out,
                    &name,
                    "no inherited rule has this name",
                )?;
                match severity {
                    Some(s) => rule.severity = s,
                    None if rule.severity == Severity::Off => rule.severity = Severity::Warn,
                    None => {}
                }
            }
            RuleEntry::Body(body) if body.given.is_none() && body.then.is_none() => {
                let rule = inherited(
                    source_name,
                    &mut out,
                    &name,
                    "a rule needs given and then (or must name an inherited rule)",
                )?;
                if let Some(s) = body.severity {
                    rule.severity = s;
                }
                if let Some(m) = body.message {
                    rule.message = Some(m);
                }
                if let Some(d) = body.description {
                    rule.description = Some(d);
                }
            }
            RuleEntry::Body(body) => {
                out.rules.retain(|r| r.name != name);
                out.unsupported.retain(|u| u.rule != name);
                // A MUST rule of a standard that cannot run withholds the kitemark (see `score`).
                let must = body
                    .x_pac
                    .as_ref()
                    .is_some_and(|p| p.0.level == Level::Must);
                match define(source_name, &name, *body, &aliases) {
                    Ok(rule) => out.rules.push(rule),
                    Err(NotRun::Unsupported(reason)) => out.unsupported.push(Unsupported {
                        rule: name,
                        reason,
                        must,
                    }),
                    Err(NotRun::Invalid(e)) => return Err(e),
                }
            }
        }
    }
    Ok(out)
}

fn identity(source_name: &str, pac: Option<&RulesetPac>) -> Identity {
    let get = |f: fn(&RulesetPac) -> &Option<String>| pac.and_then(|p| f(p).clone());
    Identity {
        name: get(|p| &p.name).unwrap_or_else(|| source_name.to_owned()),
        version: get(|p| &p.version).unwrap_or_else(|| "unversioned".to_owned()),
        title: get(|p| &p.title),
        published: get(|p| &p.published),
        summary: get(|p| &p.summary),
    }
}

/// The top-level keys that are not Spectral's core: what pac cannot honour is reported as
/// unsupported, `x-` keys are left alone, anything else is a mistake.
fn unhonoured(
    source_name: &str,
    others: &Map<String, Value>,
) -> Result<Vec<Unsupported>, RulesetError> {
    let mut out = Vec::new();
    for key in others.keys() {
        match key.as_str() {
            "functions" | "functionsDir" => out.push(Unsupported {
                rule: format!("({key})"),
                reason: "custom JavaScript functions cannot run in pac; rules that use them are listed separately".to_owned(),
                must: false,
            }),
            "overrides" => out.push(Unsupported {
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
    Ok(out)
}

/// The ruleset entry `i` of `extends` names, loaded; an error inside it names that ruleset,
/// and the entry that led there.
fn load_parent(
    source_name: &str,
    i: usize,
    name: &str,
    resolver: Resolver<'_>,
    chain: &mut Vec<String>,
) -> Result<Ruleset, RulesetError> {
    let at = format!("extends[{i}]");
    let (parent_name, text, parent_resolver) =
        find_parent(source_name, name, resolver).map_err(|m| err(source_name, &at, m))?;
    if chain.contains(&parent_name) {
        return Err(err(
            source_name,
            &at,
            format!(
                "rulesets extend each other in a circle: {} -> {parent_name}",
                chain.join(" -> ")
            ),
        ));
    }
    if chain.len() > MAX_EXTENDS_DEPTH {
        return Err(err(
            source_name,
            &at,
            format!("rulesets extend each other more than {MAX_EXTENDS_DEPTH} deep"),
        ));
    }
    chain.push(parent_name.clone());
    let parent = load(&parent_name, &text, parent_resolver, chain).map_err(|e| RulesetError {
        at: format!("{at} -> {}", e.at),
        ..e
    })?;
    chain.pop();
    Ok(parent)
}

/// The ruleset `extends` names: its source name, its text, and what its own `extends` may
/// reach; or why it cannot be had.
fn find_parent<'a>(
    source_name: &str,
    name: &str,
    resolver: Resolver<'a>,
) -> Result<(String, Cow<'static, str>, Resolver<'a>), String> {
    if let Some((_, text)) = BUILT_IN.iter().find(|(n, _)| *n == name) {
        return Ok((name.to_owned(), Cow::Borrowed(text), Resolver::BuiltIn));
    }
    if name.contains("://") {
        return Err(format!(
            "{name}: pac never fetches rulesets; download it and name the file"
        ));
    }
    match resolver {
        Resolver::BuiltIn => Err(format!(
            "{name:?} is not a built-in ruleset ({}); files can only be named from the command line",
            built_in_names()
        )),
        Resolver::Files(files) => {
            let (shown, text) = files.read(source_name, name)?;
            Ok((shown, Cow::Owned(text), resolver))
        }
    }
}

/// Adds an extended ruleset's rules (later ones replace earlier ones of the same name), with
/// `mode` applied, and what it cannot run.
fn inherit(out: &mut Ruleset, parent: Ruleset, mode: ExtendMode) {
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

/// The inherited rule an entry of `rules` changes.
fn inherited<'r>(
    source_name: &str,
    out: &'r mut Ruleset,
    name: &str,
    missing: &str,
) -> Result<&'r mut Rule, RulesetError> {
    out.rules
        .iter_mut()
        .find(|r| r.name == name)
        .ok_or_else(|| err(source_name, format!("rules.{name}"), missing))
}

/// Why a rule definition gives no rule.
enum NotRun {
    /// The ruleset is wrong.
    Invalid(RulesetError),
    /// The rule needs what pac does not have; the reason, with its place.
    Unsupported(String),
}

impl From<RulesetError> for NotRun {
    fn from(e: RulesetError) -> NotRun {
        NotRun::Invalid(e)
    }
}

/// A rule definition checked.
fn define(
    source_name: &str,
    name: &str,
    body: RuleBody,
    aliases: &Aliases,
) -> Result<Rule, NotRun> {
    let at = format!("rules.{name}");
    if let Some(key) = body.others.keys().find(|k| !k.starts_with("x-")) {
        return Err(err(source_name, format!("{at}.{key}"), "unknown rule key").into());
    }
    let severity = body.severity.unwrap_or(Severity::Warn);
    let paths = match body.given {
        Some(paths) if !paths.0.is_empty() => paths.0,
        _ => {
            let message = "a JSONPath or a list of them is required";
            return Err(err(source_name, format!("{at}.given"), message).into());
        }
    };
    let thens = match body.then {
        Some(thens) if !thens.0.is_empty() => thens.0,
        _ => {
            let message = "a mapping or a list of mappings is required";
            return Err(err(source_name, format!("{at}.then"), message).into());
        }
    };
    let given = givens(source_name, &at, &paths, aliases)?;
    let then = thens
        .into_iter()
        .enumerate()
        .map(|(i, t)| then(source_name, &format!("{at}.then[{i}]"), t))
        .collect::<Result<_, _>>()?;
    let guidance = match body.x_pac {
        None => None,
        Some(pac) => Some(guidance(source_name, &at, pac.0, severity)?),
    };
    Ok(Rule {
        name: name.to_owned(),
        description: body.description,
        message: body.message,
        severity,
        given,
        then,
        formats: body.formats.map(|f| f.0),
        recommended: body.recommended.unwrap_or(true),
        resolved: body.resolved.unwrap_or(true),
        guidance,
    })
}

/// A rule's `given` paths (`at` is the rule's place), aliases expanded.
fn givens(
    source_name: &str,
    at: &str,
    paths: &[String],
    aliases: &Aliases,
) -> Result<Vec<Given>, NotRun> {
    let mut given = Vec::new();
    for path in paths {
        let expanded = expand_alias(path, aliases, &mut Vec::new())
            .map_err(|message| err(source_name, format!("{at}.given"), message))?;
        for (expanded, formats) in expanded {
            // A path pac cannot evaluate makes this rule unsupported, not the whole ruleset; a
            // path that is wrong is an error in the ruleset.
            let path = match JsonPath::parse(&expanded) {
                Ok(path) => path,
                Err(e) if e.unsupported => {
                    return Err(NotRun::Unsupported(format!("{at}.given {expanded:?}: {e}")));
                }
                Err(e) => {
                    let message = format!("{expanded:?}: {e}");
                    return Err(err(source_name, format!("{at}.given"), message).into());
                }
            };
            given.push(Given { path, formats });
        }
    }
    Ok(given)
}

/// One `then` of a rule (`at` is its place, `rules.name.then[i]`).
fn then(source_name: &str, at: &str, t: ThenDef) -> Result<Then, NotRun> {
    let field = match t.field {
        None => Field::Node,
        Some(f) if f == "@key" => Field::Keys,
        Some(f) if f.starts_with('$') => match JsonPath::parse(&f) {
            Ok(path) => Field::Path(path),
            Err(e) if e.unsupported => {
                return Err(NotRun::Unsupported(format!("{at}.field {f:?}: {e}")));
            }
            Err(e) => return Err(err(source_name, format!("{at}.field"), e.to_string()).into()),
        },
        Some(f) => Field::Member(member_path(&f)),
    };
    match Function::build(&t.function, &t.function_options) {
        Ok(Some(function)) => Ok(Then { field, function }),
        Ok(None) => Err(NotRun::Unsupported(format!(
            "{at}.function: function {:?} is not available in pac",
            t.function
        ))),
        Err(message) => Err(NotRun::Unsupported(format!(
            "{at}.functionOptions: {message}"
        ))),
    }
}

/// A standard's rule says what it is by its level and its severity alike; they must agree.
fn guidance(
    source_name: &str,
    at: &str,
    pac: RulePac,
    severity: Severity,
) -> Result<Guidance, RulesetError> {
    let want = match pac.level {
        Level::Must => Severity::Error,
        Level::Should => Severity::Warn,
    };
    if severity != want {
        return Err(err(
            source_name,
            format!("{at}.x-pac.level"),
            "MUST rules have severity error and SHOULD rules severity warn",
        ));
    }
    Ok(Guidance {
        level: pac.level,
        category: pac.category,
        rationale: pac.rationale.0,
        fix: pac.fix.0,
        source: pac.source.map(|s| s.0),
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

/// Expands a leading `#Alias` (aliases may refer to aliases), keeping each target's formats;
/// `active` holds the aliases being expanded, outermost first. An error is the message for
/// the rule's `given`.
fn expand_alias(
    given: &str,
    aliases: &Aliases,
    active: &mut Vec<String>,
) -> Result<Vec<Expanded>, String> {
    let Some(rest) = given.strip_prefix('#') else {
        return Ok(vec![(given.to_owned(), None)]);
    };
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    let (name, tail) = rest.split_at(end);
    if active.iter().any(|a| a == name) {
        return Err(format!(
            "aliases refer to each other in a circle: #{} -> #{name}",
            active.join(" -> #")
        ));
    }
    if active.len() > MAX_ALIAS_DEPTH {
        return Err("aliases refer to each other too deeply".to_owned());
    }
    let alias = aliases
        .0
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, a)| a)
        .ok_or_else(|| format!("unknown alias #{name}"))?;
    let targets: Vec<(&str, Option<&[String]>)> = match alias {
        Alias::Paths(paths) => paths.iter().map(|g| (g.as_str(), None)).collect(),
        Alias::Targets(targets) => targets
            .iter()
            .flat_map(|t| {
                let formats = t.formats.as_ref().map(|f| f.0.as_slice());
                t.given.0.iter().map(move |g| (g.as_str(), formats))
            })
            .collect(),
    };
    active.push(name.to_owned());
    let mut out = Vec::new();
    for (g, formats) in targets {
        for (expanded, inner) in expand_alias(g, aliases, active)? {
            let merged = match (formats, inner) {
                (Some(a), Some(b)) => Some(a.iter().filter(|f| b.contains(f)).cloned().collect()),
                (Some(a), None) => Some(a.to_vec()),
                (None, b) => b,
            };
            out.push((format!("{expanded}{tail}"), merged));
        }
    }
    active.pop();
    Ok(out)
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
