//! What a loaded ruleset is: its rules, each with where it looks (`given`), what it checks
//! there (`then`), how serious a finding is, and, in a standard, its guidance; plus the rules
//! that cannot run, and the error a ruleset that cannot be loaded gives.

use std::collections::BTreeMap;

use pac_jsonpath::JsonPath;
use serde::Serialize;
use serde_json::Value;

use crate::format::Format;
use crate::functions::Function;

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
}

/// What a standard says about one of its rules (`x-pac` on the rule).
#[derive(Debug, Clone, Serialize)]
pub struct Guidance {
    pub level: Level,
    pub category: Category,
    pub rationale: String,
    pub fix: String,
    /// The standards and specifications the rule follows, when the ruleset names them.
    pub source: Option<String>,
}

/// Which document a ruleset's rules run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    /// The description as written, the way Spectral sees it.
    Original,
    /// The catalogue's normalised form (Swagger 2.0 converted to 3.0, bundles joined, 3.0, 3.1
    /// and 3.2 as written); findings are pointed back into the original file.
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

impl RulesetError {
    pub(crate) fn new(
        source_name: &str,
        at: impl Into<String>,
        message: impl Into<String>,
    ) -> RulesetError {
        RulesetError {
            source_name: source_name.to_owned(),
            at: at.into(),
            message: message.into(),
        }
    }
}

impl Ruleset {
    /// The rules that run (severity other than off).
    pub fn enabled(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(|r| r.severity != Severity::Off)
    }

    pub fn rule(&self, name: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.name == name)
    }
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
                if let Some(s) = &g.source {
                    m.insert("source", Value::String(s.clone()));
                }
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
