//! The ruleset file as written: the shapes Spectral's format allows, read with serde.
//!
//! Several keys take one value or a list (`given`, `then`, `extends`, alias paths); severities
//! have Spectral's spellings (`warning`, `1`, `true`). A wrong shape is refused with its place,
//! as serde_path_to_error tracks it (`rules.my-rule.then[1].field`). Unknown keys are refused at
//! the top and in rule definitions, but `x-` keys are not, so those mappings collect what they
//! do not know for `load` to judge rather than deny it outright. What values mean (known
//! functions, JSONPaths, regexes, aliases, inherited rules) is checked in `load`.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::model::{Category, Level, RulesetError, Severity, View};
use crate::format::Format;

/// A ruleset file.
#[derive(Deserialize)]
pub(super) struct RulesetFile {
    #[serde(default, deserialize_with = "present")]
    pub extends: Option<Extends>,
    #[serde(default, deserialize_with = "present")]
    pub formats: Option<Formats>,
    #[serde(default, deserialize_with = "present")]
    pub aliases: Option<Aliases>,
    #[serde(default, deserialize_with = "present")]
    pub rules: Option<Rules>,
    #[serde(rename = "x-pac", default, deserialize_with = "present")]
    pub x_pac: Option<Mapping<RulesetPac>>,
    /// Spectral's, with no bearing on what pac runs.
    #[serde(rename = "documentationUrl")]
    _documentation_url: Option<IgnoredAny>,
    #[serde(rename = "description")]
    _description: Option<IgnoredAny>,
    /// Every other key in the order written: `functions`, `functionsDir` and `overrides` (which
    /// pac cannot honour), `x-` extensions, and mistakes.
    #[serde(flatten)]
    pub others: Map<String, Value>,
}

/// pac's identity of the ruleset, and the view its rules run on (`x-pac` at the top). Other
/// keys are left for other tools.
#[derive(Deserialize)]
pub(super) struct RulesetPac {
    pub name: Option<String>,
    pub version: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub view: Option<View>,
}

/// `extends`: a name, a list of names, and `[name, mode]` pairs, in the order given.
pub(super) struct Extends(pub Vec<(String, ExtendMode)>);

/// Which of an extended ruleset's rules are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ExtendMode {
    /// Those marked `recommended` (the default).
    Recommended,
    All,
    Off,
}

/// `formats`: known format names.
pub(super) struct Formats(pub Vec<String>);

/// `aliases`, by name.
pub(super) struct Aliases(pub Vec<(String, Alias)>);

/// What an alias stands for.
pub(super) enum Alias {
    /// `Name: path` or `Name: [paths]`.
    Paths(Vec<String>),
    /// `Name: {targets: [{formats, given}]}`: paths that apply to some formats only.
    Targets(Vec<AliasTarget>),
}

#[derive(Deserialize)]
pub(super) struct AliasTarget {
    #[serde(default, deserialize_with = "present")]
    pub formats: Option<Formats>,
    pub given: Paths,
}

/// `rules`, in the order written: later entries change or replace inherited ones.
pub(super) struct Rules(pub Vec<(String, RuleEntry)>);

pub(super) enum RuleEntry {
    /// `name: off`, `name: warn`, `name: true|false`: a change to an inherited rule's
    /// severity; None (`true`) turns it on.
    Severity(Option<Severity>),
    /// A mapping: a rule's definition, or, with neither `given` nor `then`, a change to an
    /// inherited rule.
    Body(Box<RuleBody>),
}

#[derive(Deserialize)]
pub(super) struct RuleBody {
    pub description: Option<String>,
    pub message: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub severity: Option<Severity>,
    #[serde(default, deserialize_with = "present")]
    pub given: Option<Paths>,
    #[serde(default, deserialize_with = "present")]
    pub then: Option<Thens>,
    #[serde(default, deserialize_with = "present")]
    pub formats: Option<Formats>,
    #[serde(default, deserialize_with = "present")]
    pub recommended: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    pub resolved: Option<bool>,
    #[serde(rename = "x-pac", default, deserialize_with = "present")]
    pub x_pac: Option<Mapping<RulePac>>,
    /// Spectral's, with no bearing on what pac runs.
    #[serde(rename = "documentationUrl")]
    _documentation_url: Option<IgnoredAny>,
    #[serde(rename = "type")]
    _type: Option<IgnoredAny>,
    #[serde(rename = "tags")]
    _tags: Option<IgnoredAny>,
    /// Every other key: `x-` extensions are allowed in a definition, anything else is not.
    #[serde(flatten)]
    pub others: Map<String, Value>,
}

/// A JSONPath or a list of them (`given`, and an alias's paths).
pub(super) struct Paths(pub Vec<String>);

/// A mapping or a list of mappings (`then`).
pub(super) struct Thens(pub Vec<ThenDef>);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ThenDef {
    pub field: Option<String>,
    pub function: String,
    #[serde(default)]
    pub function_options: Value,
}

/// What the standard says about a rule (`x-pac` on a rule).
#[derive(Deserialize)]
pub(super) struct RulePac {
    pub level: Level,
    pub category: Category,
    pub rationale: Text,
    pub fix: Text,
    /// The standards and specifications the rule follows.
    #[serde(default)]
    pub source: Option<Text>,
}

/// Text for people, trimmed, never blank.
pub(super) struct Text(pub String);

/// A struct that must be written as a mapping: serde's derive also takes a list, by position.
pub(super) struct Mapping<T>(pub T);

/// Rulesets are small; anything bigger is a mistake or an attack.
const MAX_RULESET_BYTES: usize = 2 * 1024 * 1024;

/// Ruleset text (YAML or JSON) named `source_name`, in its shape; or what is wrong, where.
pub(super) fn read(source_name: &str, text: &str) -> Result<RulesetFile, RulesetError> {
    let error = |at: &str, message: String| RulesetError::new(source_name, at, message);
    if text.len() > MAX_RULESET_BYTES {
        return Err(error("file", "a ruleset may be at most 2 MiB".to_owned()));
    }
    let doc: Value = serde_saphyr::from_str(text)
        .map_err(|e| error("file", format!("not YAML or JSON: {e}")))?;
    if !doc.is_object() {
        return Err(error("file", "a ruleset is a mapping".to_owned()));
    }
    serde_path_to_error::deserialize(doc).map_err(|e| {
        let path = e.path().to_string();
        let message = e.inner().to_string();
        // serde names a missing key in its message, at the mapping that lacks it.
        match message
            .strip_prefix("missing field `")
            .and_then(|m| m.strip_suffix('`'))
        {
            Some(key) if path == "." => error(key, "is required".to_owned()),
            Some(key) => error(&format!("{path}.{key}"), "is required".to_owned()),
            None if path == "." => error("file", message),
            None => error(&path, message),
        }
    })
}

/// For optional keys where `null` is as wrong as any other bad value (serde reads a null
/// `Option` as absent).
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

const SEVERITIES: &str = "error, warn, info, hint or off";

fn severity_name(s: &str) -> Option<Severity> {
    match s {
        "error" => Some(Severity::Error),
        "warn" | "warning" => Some(Severity::Warn),
        "info" | "information" => Some(Severity::Info),
        "hint" => Some(Severity::Hint),
        "off" => Some(Severity::Off),
        _ => None,
    }
}

fn severity_number(n: i64) -> Option<Severity> {
    match n {
        0 => Some(Severity::Error),
        1 => Some(Severity::Warn),
        2 => Some(Severity::Info),
        3 => Some(Severity::Hint),
        -1 => Some(Severity::Off),
        _ => None,
    }
}

/// Spectral's spellings: the names (and `warning`, `information`), or 0–3 and -1 for off.
impl<'de> Deserialize<'de> for Severity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) => severity_name(&s),
            Value::Number(n) => n.as_i64().and_then(severity_number),
            _ => None,
        }
        .ok_or_else(|| de::Error::custom(format!("must be {SEVERITIES}")))
    }
}

impl<'de> Deserialize<'de> for View {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)?.as_str() {
            Some("original") => Ok(View::Original),
            Some("normalised" | "normalized") => Ok(View::Normalised),
            _ => Err(de::Error::custom("must be \"original\" or \"normalised\"")),
        }
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)?.as_str().map(str::trim) {
            Some("MUST") => Ok(Level::Must),
            Some("SHOULD") => Ok(Level::Should),
            _ => Err(de::Error::custom("must be MUST or SHOULD")),
        }
    }
}

impl<'de> Deserialize<'de> for Category {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        let name = v.as_str().map(str::trim);
        Category::ALL
            .into_iter()
            .find(|c| Some(c.as_str()) == name)
            .ok_or_else(|| {
                de::Error::custom("must be documentation, security, design or interoperability")
            })
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match text.trim() {
            "" => Err(de::Error::custom("is required")),
            t => Ok(Text(t.to_owned())),
        }
    }
}

impl<'de> Deserialize<'de> for ExtendMode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        // YAML 1.1 reads an unquoted `off` as false; Spectral (YAML 1.2) reads it as the word.
        if value == Value::Bool(false) {
            return Ok(ExtendMode::Off);
        }
        value.as_str().and_then(extend_mode).ok_or_else(|| {
            de::Error::custom("the second item of [name, mode] must be all, recommended or off")
        })
    }
}

impl<'de> Deserialize<'de> for Extends {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        /// One item of the list: a name, or a `[name, mode]` pair.
        enum Entry {
            Name(String),
            Pair(String, ExtendMode),
        }

        impl<'de> Deserialize<'de> for Entry {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(EntryVisitor)
            }
        }

        struct EntryVisitor;

        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = Entry;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a name or [name, all|recommended|off]")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Entry, E> {
                Ok(Entry::Name(v.to_owned()))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entry, A::Error> {
                let name: String = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let mode: ExtendMode = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                if seq.next_element::<IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(3, &self));
                }
                Ok(Entry::Pair(name, mode))
            }
        }

        struct ExtendsVisitor;

        impl<'de> Visitor<'de> for ExtendsVisitor {
            type Value = Extends;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a name or a list")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Extends, E> {
                Ok(Extends(vec![(v.to_owned(), ExtendMode::Recommended)]))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Extends, A::Error> {
                let entries = Vec::<Entry>::deserialize(SeqAccessDeserializer::new(seq))?;
                // A lone [name, mode] pair is one entry, not two names.
                if let [Entry::Name(name), Entry::Name(mode)] = entries.as_slice()
                    && let Some(mode) = extend_mode(mode)
                {
                    return Ok(Extends(vec![(name.clone(), mode)]));
                }
                Ok(Extends(
                    entries
                        .into_iter()
                        .map(|e| match e {
                            Entry::Name(name) => (name, ExtendMode::Recommended),
                            Entry::Pair(name, mode) => (name, mode),
                        })
                        .collect(),
                ))
            }
        }

        d.deserialize_any(ExtendsVisitor)
    }
}

fn extend_mode(s: &str) -> Option<ExtendMode> {
    match s {
        "recommended" => Some(ExtendMode::Recommended),
        "all" => Some(ExtendMode::All),
        "off" => Some(ExtendMode::Off),
        _ => None,
    }
}

impl<'de> Deserialize<'de> for Formats {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Known(String);

        impl<'de> Deserialize<'de> for Known {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let name = String::deserialize(d)?;
                if !Format::known(&name) {
                    return Err(de::Error::custom(format!(
                        "unknown format {name:?} (oas2, oas3, oas3_0, oas3_1)"
                    )));
                }
                Ok(Known(name))
            }
        }

        struct FormatsVisitor;

        impl<'de> Visitor<'de> for FormatsVisitor {
            type Value = Formats;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of format names")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Formats, A::Error> {
                let names = Vec::<Known>::deserialize(SeqAccessDeserializer::new(seq))?;
                Ok(Formats(names.into_iter().map(|Known(n)| n).collect()))
            }
        }

        d.deserialize_seq(FormatsVisitor)
    }
}

/// The entries of a mapping in the order written (serde_json's maps keep it).
fn named<'de, D, T>(d: D, expecting: &'static str) -> Result<Vec<(String, T)>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct NamedVisitor<T> {
        expecting: &'static str,
        item: PhantomData<T>,
    }

    impl<'de, T: Deserialize<'de>> Visitor<'de> for NamedVisitor<T> {
        type Value = Vec<(String, T)>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.expecting)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(name) = map.next_key::<String>()? {
                let value = map.next_value::<T>()?;
                out.push((name, value));
            }
            Ok(out)
        }
    }

    d.deserialize_map(NamedVisitor {
        expecting,
        item: PhantomData,
    })
}

impl<'de> Deserialize<'de> for Rules {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        named(d, "a mapping of rule names").map(Rules)
    }
}

impl<'de> Deserialize<'de> for Aliases {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        named(d, "a mapping of alias names").map(Aliases)
    }
}

impl<'de> Deserialize<'de> for Alias {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Targets {
            targets: Vec<Mapping<AliasTarget>>,
        }

        struct AliasVisitor;

        impl<'de> Visitor<'de> for AliasVisitor {
            type Value = Alias;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("paths, or a mapping with targets")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Alias, E> {
                Ok(Alias::Paths(vec![v.to_owned()]))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Alias, A::Error> {
                Vec::<String>::deserialize(SeqAccessDeserializer::new(seq)).map(Alias::Paths)
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Alias, A::Error> {
                let Targets { targets } = Targets::deserialize(MapAccessDeserializer::new(map))?;
                Ok(Alias::Targets(
                    targets.into_iter().map(|Mapping(t)| t).collect(),
                ))
            }
        }

        d.deserialize_any(AliasVisitor)
    }
}

impl<'de> Deserialize<'de> for RuleEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntryVisitor;

        fn severity<E: de::Error>(s: Option<Severity>) -> Result<RuleEntry, E> {
            s.map(|s| RuleEntry::Severity(Some(s)))
                .ok_or_else(|| E::custom(format!("severity must be {SEVERITIES}")))
        }

        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = RuleEntry;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a rule definition or a severity")
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RuleEntry, E> {
                Ok(RuleEntry::Severity((!v).then_some(Severity::Off)))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RuleEntry, E> {
                severity(severity_number(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RuleEntry, E> {
                severity(i64::try_from(v).ok().and_then(severity_number))
            }

            fn visit_f64<E: de::Error>(self, _: f64) -> Result<RuleEntry, E> {
                severity(None)
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RuleEntry, E> {
                severity(severity_name(v))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RuleEntry, A::Error> {
                let body = RuleBody::deserialize(MapAccessDeserializer::new(map))?;
                Ok(RuleEntry::Body(Box::new(body)))
            }
        }

        d.deserialize_any(EntryVisitor)
    }
}

impl<'de> Deserialize<'de> for Paths {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct PathsVisitor;

        impl<'de> Visitor<'de> for PathsVisitor {
            type Value = Paths;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSONPath or a list of them")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Paths, E> {
                Ok(Paths(vec![v.to_owned()]))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Paths, A::Error> {
                Vec::<String>::deserialize(SeqAccessDeserializer::new(seq)).map(Paths)
            }
        }

        d.deserialize_any(PathsVisitor)
    }
}

impl<'de> Deserialize<'de> for Thens {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ThensVisitor;

        impl<'de> Visitor<'de> for ThensVisitor {
            type Value = Thens;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping or a list of mappings")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Thens, A::Error> {
                let then = ThenDef::deserialize(MapAccessDeserializer::new(map))?;
                Ok(Thens(vec![then]))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Thens, A::Error> {
                let thens = Vec::<Mapping<ThenDef>>::deserialize(SeqAccessDeserializer::new(seq))?;
                Ok(Thens(thens.into_iter().map(|Mapping(t)| t).collect()))
            }
        }

        d.deserialize_any(ThensVisitor)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Mapping<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MappingVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for MappingVisitor<T> {
            type Value = Mapping<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Mapping<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(Mapping)
            }
        }

        d.deserialize_map(MappingVisitor(PhantomData))
    }
}
