//! A requirement pack: what a buyer asks of the APIs of a solution in one tender, as numbered
//! requirements, each a gate (MUST) or scored (SHOULD, with a weight), each assessed by the
//! catalogue (a contract, the police API standard) or by an evaluator (a manual clause).
//!
//! [`Pack::parse`] reads the YAML (or JSON) text: its shape with serde (unknown fields refused),
//! then what the shape cannot say (one check per requirement, MUST without weight, SHOULD with
//! one, unique ids, scales, sizes). Every refusal is a [`PackError`] naming the file, the
//! requirement and field, and the line. Rule names are checked against the standard in force
//! by [`Pack::check_rules`]; contracts are found by a [`crate::ContractSource`].

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The largest pack file read.
pub const MAX_PACK_BYTES: usize = 1024 * 1024;
/// The most requirements in one pack.
pub const MAX_REQUIREMENTS: usize = 500;
/// The longest text of a requirement, a section or a descriptor, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// The longest id, title, buyer or version, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// The most rules one `standard` requirement may name.
pub const MAX_RULES: usize = 100;

/// Why a pack cannot be used; the code is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// The file cannot be read, is too large or is not YAML.
    TenderPackUnreadable,
    /// The pack's shape or values are wrong (unknown field, MUST with weight, duplicate id…).
    TenderPackInvalid,
    /// A `standard` requirement names a rule the standard in force does not have.
    TenderRuleUnknown,
    /// A contract file is missing or is not a description with operations.
    TenderContractUnreadable,
    /// A contract is named by slug where no store can be asked (offline).
    TenderContractNotAvailable,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::TenderPackUnreadable => "tender_pack_unreadable",
            Code::TenderPackInvalid => "tender_pack_invalid",
            Code::TenderRuleUnknown => "tender_rule_unknown",
            Code::TenderContractUnreadable => "tender_contract_unreadable",
            Code::TenderContractNotAvailable => "tender_contract_not_available",
        }
    }
}

/// A pack that cannot be used: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", self.render())]
pub struct PackError {
    pub code: Code,
    /// The pack file as named.
    pub file: String,
    /// 1-based, when the place could be found in the text (32 bits keep the error small).
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// JSON pointer into the pack (`/requirements/2/weight`).
    pub pointer: String,
    /// The id of the requirement concerned, when there is one.
    pub requirement: Option<String>,
    pub message: String,
}

impl PackError {
    fn render(&self) -> String {
        let mut out = self.file.clone();
        if let Some(line) = self.line {
            out.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                out.push_str(&format!(":{column}"));
            }
        }
        out.push_str(": ");
        if let Some(id) = &self.requirement {
            out.push_str(&format!("requirement {id}: "));
        }
        let field = field_of(&self.pointer);
        if !field.is_empty() {
            out.push_str(&format!("{field}: "));
        }
        out.push_str(&self.message);
        out
    }

    /// An error about the pack as a whole or a requirement, located later by [`Located`].
    pub fn new(
        code: Code,
        file: &str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        PackError {
            code,
            file: file.to_owned(),
            line: None,
            column: None,
            pointer: pointer.into(),
            requirement: None,
            message: message.into(),
        }
    }

    pub fn code(&self) -> &'static str {
        self.code.as_str()
    }
}

/// `/requirements/2/standard/rules/0` → `standard.rules[0]`: the field as a person reads it.
fn field_of(pointer: &str) -> String {
    let mut parts = pointer.split('/').skip(1).peekable();
    // Below a requirement the requirement's id says which one.
    if parts.peek() == Some(&"requirements") {
        parts.next();
        parts.next();
    }
    let mut out = String::new();
    for p in parts {
        if p.parse::<usize>().is_ok() {
            out.push_str(&format!("[{p}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&p.replace("~1", "/").replace("~0", "~"));
        }
    }
    out
}

/// MUST is a pass/fail gate; SHOULD is scored by its weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Level {
    #[serde(rename = "MUST")]
    Must,
    #[serde(rename = "SHOULD")]
    Should,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Must => "MUST",
            Level::Should => "SHOULD",
        }
    }
}

/// A contract the solution must implement: a description file beside the pack, or a contract
/// version of the catalogue's store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ContractRef {
    File { file: String },
    Stored { slug: String, version: String },
}

impl ContractRef {
    /// How the tender text names it.
    pub fn label(&self) -> String {
        match self {
            ContractRef::File { file } => file.clone(),
            ContractRef::Stored { slug, version } => format!("{slug} {version}"),
        }
    }
}

/// What a `standard` requirement asks of each API description under the police API standard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandardCheck {
    /// The description earns the kitemark (no MUST rule of the standard fails).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub kitemark: bool,
    /// The description's 0–100 score is at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<u8>,
    /// These rules of the standard have no finding.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
}

/// A clause an evaluator scores on a scale, with what each score means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Manual {
    /// The highest score: 4 (scale 0-4) or 5 (scale 0-5).
    pub max: u8,
    /// The lowest score that meets a MUST clause.
    pub pass: u8,
    /// What each score means, from the pack or the default descriptors.
    pub descriptors: BTreeMap<u8, String>,
}

impl Manual {
    pub fn scale(&self) -> String {
        format!("0-{}", self.max)
    }
}

/// The catalogue's interoperability tiers of systems (docs/STANDARD.md), lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Bronze,
    Silver,
    Gold,
}

impl Tier {
    pub fn parse(s: &str) -> Option<Tier> {
        match s {
            "bronze" => Some(Tier::Bronze),
            "silver" => Some(Tier::Silver),
            "gold" => Some(Tier::Gold),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Bronze => "bronze",
            Tier::Silver => "silver",
            Tier::Gold => "gold",
        }
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Tier::Bronze => "Bronze",
            Tier::Silver => "Silver",
            Tier::Gold => "Gold",
        }
    }
}

/// What a `tier` requirement asks: the system the bid offers is at least at this interoperability
/// tier in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TierCheck {
    pub min: Tier,
}

/// How a requirement is assessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    Contract(ContractRef),
    Standard(StandardCheck),
    Manual(Manual),
    Tier(TierCheck),
}

impl Check {
    /// Whether the catalogue assesses it (true) or an evaluator (false).
    pub fn is_automatic(&self) -> bool {
        !matches!(self, Check::Manual(_))
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Check::Contract(_) => "contract",
            Check::Standard(_) => "standard",
            Check::Manual(_) => "manual",
            Check::Tier(_) => "tier",
        }
    }
}

/// A heading the requirements are grouped under in the tender text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// One numbered requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    pub id: String,
    pub level: Level,
    /// SHOULD only: its share of the scored marks.
    pub weight: Option<u32>,
    pub title: Option<String>,
    pub text: String,
    /// The id of the section it is under, if the pack has sections.
    pub section: Option<String>,
    /// What the bidder must supply as evidence.
    pub evidence: Option<String>,
    pub check: Check,
    /// Where it starts in the pack file.
    pub line: Option<usize>,
}

/// A parsed, validated pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pack {
    pub id: String,
    pub version: String,
    pub title: String,
    pub buyer: String,
    pub description: Option<String>,
    /// When the tender is published (RFC 3339 date or date and time), for the OCDS release.
    pub published: Option<String>,
    pub sections: Vec<Section>,
    pub requirements: Vec<Requirement>,
}

// The file's shape. Options everywhere a rule says more than serde can (exactly one check, a
// weight only for SHOULD): validation turns it into `Pack` with precise messages.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    id: String,
    #[serde(default)]
    version: Option<VersionText>,
    title: String,
    buyer: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    sections: Vec<Section>,
    requirements: Vec<RawRequirement>,
}

/// `version: 1` and `version: "1.0.0"` alike.
#[derive(Deserialize)]
#[serde(untagged)]
enum VersionText {
    Text(String),
    Number(serde_json::Number),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequirement {
    id: String,
    level: Level,
    #[serde(default)]
    weight: Option<u32>,
    #[serde(default)]
    title: Option<String>,
    text: String,
    #[serde(default)]
    section: Option<String>,
    #[serde(default)]
    evidence: Option<String>,
    #[serde(default)]
    contract: Option<RawContract>,
    #[serde(default)]
    standard: Option<StandardCheck>,
    #[serde(default)]
    manual: Option<RawManual>,
    #[serde(default)]
    tier: Option<RawTier>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTier {
    min: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContract {
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    version: Option<VersionText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManual {
    scale: String,
    #[serde(default)]
    pass: Option<u8>,
    #[serde(default)]
    descriptors: BTreeMap<u8, String>,
}

impl VersionText {
    fn text(self) -> String {
        match self {
            VersionText::Text(s) => s,
            VersionText::Number(n) => n.to_string(),
        }
    }
}

/// The descriptors used when a pack gives none, after the common 0–4 and 0–5 quality scales.
fn default_descriptors(max: u8) -> BTreeMap<u8, String> {
    let words: &[&str] = if max == 4 {
        &[
            "Unacceptable: no response, or the response does not meet the requirement.",
            "Poor: the response meets the requirement in part, with significant gaps or risks.",
            "Acceptable: the response meets the requirement, with minor gaps.",
            "Good: the response meets the requirement in full, with evidence.",
            "Excellent: the response meets the requirement in full, with strong evidence and added value.",
        ]
    } else {
        &[
            "Unacceptable: no response, or the response does not meet the requirement.",
            "Very poor: the response meets little of the requirement.",
            "Poor: the response meets the requirement in part, with significant gaps or risks.",
            "Acceptable: the response meets the requirement, with minor gaps.",
            "Good: the response meets the requirement in full, with evidence.",
            "Excellent: the response meets the requirement in full, with strong evidence and added value.",
        ]
    };
    words
        .iter()
        .enumerate()
        .map(|(i, w)| (i as u8, (*w).to_owned()))
        .collect()
}

/// Places in the pack text, for errors.
struct Located<'a> {
    file: &'a str,
    positions: Option<pac_spec::locate::Positions>,
    doc: &'a Value,
}

impl Located<'_> {
    /// `e` with its line and column and the id of the requirement its pointer is under.
    fn locate(&self, mut e: PackError) -> PackError {
        e.file = self.file.to_owned();
        if let Some(p) = &self.positions {
            let (line, column) = p.nearest(&e.pointer);
            e.line = u32::try_from(line).ok();
            e.column = u32::try_from(column).ok();
        }
        if e.requirement.is_none() {
            let mut parts = e.pointer.split('/').skip(1);
            if parts.next() == Some("requirements")
                && let Some(i) = parts.next().and_then(|i| i.parse::<usize>().ok())
            {
                e.requirement = self
                    .doc
                    .pointer(&format!("/requirements/{i}/id"))
                    .and_then(Value::as_str)
                    .map(str::to_owned);
            }
        }
        e
    }

    fn line_of(&self, pointer: &str) -> Option<usize> {
        self.positions
            .as_ref()
            .and_then(|p| p.get(pointer))
            .map(|(l, _)| l)
    }
}

impl Pack {
    /// Reads pack text (YAML or JSON); `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Pack, PackError> {
        let invalid = |pointer: &str, message: String| {
            PackError::new(Code::TenderPackInvalid, file, pointer, message)
        };
        if text.len() > MAX_PACK_BYTES {
            return Err(PackError::new(
                Code::TenderPackUnreadable,
                file,
                "",
                format!(
                    "a pack may be at most {MAX_PACK_BYTES} bytes; this one is {}",
                    text.len()
                ),
            ));
        }
        let doc: Value = serde_saphyr::from_str(text).map_err(|e| {
            PackError::new(
                Code::TenderPackUnreadable,
                file,
                "",
                format!("not YAML or JSON: {e}"),
            )
        })?;
        let located = Located {
            file,
            positions: pac_spec::locate::Positions::index(text),
            doc: &doc,
        };
        if !doc.is_object() {
            return Err(invalid(
                "",
                "a pack is a mapping with id, title, buyer and requirements".into(),
            ));
        }
        if let Some(n) = doc
            .get("requirements")
            .and_then(Value::as_array)
            .map(Vec::len)
            && n > MAX_REQUIREMENTS
        {
            return Err(located.locate(invalid(
                "/requirements",
                format!(
                    "a pack may have at most {MAX_REQUIREMENTS} requirements; this one has {n}"
                ),
            )));
        }
        let raw: RawPack = serde_path_to_error::deserialize(&doc).map_err(|e| {
            let mut pointer = String::new();
            for segment in e.path().iter() {
                use serde_path_to_error::Segment;
                match segment {
                    Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
                    Segment::Map { key } => {
                        pointer.push('/');
                        pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    }
                    Segment::Enum { .. } | Segment::Unknown => {}
                }
            }
            let message = e.inner().to_string();
            // serde names a missing key in its message, at the mapping that lacks it.
            let message = match message
                .strip_prefix("missing field `")
                .and_then(|m| m.split_once('`'))
            {
                Some((key, _)) => {
                    pointer.push('/');
                    pointer.push_str(key);
                    "is required".to_owned()
                }
                None => message,
            };
            located.locate(invalid(&pointer, message))
        })?;
        validate(raw, &located)
    }

    /// Checks that every rule a `standard` requirement names is a rule of `standard` (the ruleset
    /// in force); `file` names the pack in errors.
    pub fn check_rules(&self, file: &str, standard: &pac_lint::Ruleset) -> Result<(), PackError> {
        for (i, r) in self.requirements.iter().enumerate() {
            let Check::Standard(s) = &r.check else {
                continue;
            };
            for (j, name) in s.rules.iter().enumerate() {
                if !standard.rules.iter().any(|rule| rule.name == *name) {
                    let mut e = PackError::new(
                        Code::TenderRuleUnknown,
                        file,
                        format!("/requirements/{i}/standard/rules/{j}"),
                        format!(
                            "{} {} has no rule {name:?}",
                            standard.identity.name, standard.identity.version
                        ),
                    );
                    e.requirement = Some(r.id.clone());
                    e.line = r.line.and_then(|l| u32::try_from(l).ok());
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// The sum of the SHOULD requirements' weights: the marks available.
    pub fn total_weight(&self) -> u32 {
        self.requirements.iter().filter_map(|r| r.weight).sum()
    }

    pub fn requirement(&self, id: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.id == id)
    }
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
}

fn validate(raw: RawPack, at: &Located<'_>) -> Result<Pack, PackError> {
    let invalid = |pointer: String, message: String| {
        at.locate(PackError::new(
            Code::TenderPackInvalid,
            at.file,
            pointer,
            message,
        ))
    };
    let name = |pointer: &str, value: &str| -> Result<(), PackError> {
        if value.trim().is_empty() {
            return Err(invalid(pointer.to_owned(), "must not be empty".into()));
        }
        if value.chars().count() > MAX_NAME_CHARS {
            return Err(invalid(
                pointer.to_owned(),
                format!("may be at most {MAX_NAME_CHARS} characters"),
            ));
        }
        Ok(())
    };
    let text = |pointer: &str, value: &str| -> Result<(), PackError> {
        if value.trim().is_empty() {
            return Err(invalid(pointer.to_owned(), "must not be empty".into()));
        }
        if value.chars().count() > MAX_TEXT_CHARS {
            return Err(invalid(
                pointer.to_owned(),
                format!("may be at most {MAX_TEXT_CHARS} characters"),
            ));
        }
        Ok(())
    };
    if !is_identifier(&raw.id) {
        return Err(invalid(
            "/id".into(),
            "an id is 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit"
                .into(),
        ));
    }
    name("/title", &raw.title)?;
    name("/buyer", &raw.buyer)?;
    let version = raw
        .version
        .map(VersionText::text)
        .unwrap_or_else(|| "1".to_owned());
    name("/version", &version)?;
    if let Some(d) = &raw.description {
        text("/description", d)?;
    }
    if let Some(p) = &raw.published
        && !looks_like_date(p)
    {
        return Err(invalid(
            "/published".into(),
            format!("{p:?} is not a date (2027-03-01) or a date and time (2027-03-01T09:00:00Z)"),
        ));
    }
    let mut section_ids = HashSet::new();
    for (i, s) in raw.sections.iter().enumerate() {
        if !is_identifier(&s.id) {
            return Err(invalid(
                format!("/sections/{i}/id"),
                "is not an identifier".into(),
            ));
        }
        if !section_ids.insert(s.id.as_str()) {
            return Err(invalid(
                format!("/sections/{i}/id"),
                format!("{:?} is used twice", s.id),
            ));
        }
        name(&format!("/sections/{i}/title"), &s.title)?;
        if let Some(t) = &s.text {
            text(&format!("/sections/{i}/text"), t)?;
        }
    }
    if raw.requirements.is_empty() {
        return Err(invalid(
            "/requirements".into(),
            "a pack has at least one requirement".into(),
        ));
    }
    let mut ids = HashSet::new();
    let mut requirements = Vec::with_capacity(raw.requirements.len());
    for (i, r) in raw.requirements.into_iter().enumerate() {
        let here = |field: &str| format!("/requirements/{i}/{field}");
        if !is_identifier(&r.id) {
            return Err(invalid(
                here("id"),
                format!(
                    "{:?} is not an id: 1 to 64 letters, digits, '-', '_' or '.' (API-1)",
                    r.id
                ),
            ));
        }
        if !ids.insert(r.id.clone()) {
            return Err(invalid(
                here("id"),
                format!(
                    "{:?} is the id of an earlier requirement: ids must be unique",
                    r.id
                ),
            ));
        }
        match (r.level, r.weight) {
            (Level::Must, Some(_)) => {
                return Err(invalid(
                    here("weight"),
                    "a MUST requirement is a pass/fail gate and has no weight: remove it, or make the requirement SHOULD".into(),
                ));
            }
            (Level::Should, None) => {
                return Err(invalid(
                    here("level"),
                    "a SHOULD requirement is scored and needs a weight (its share of the marks, 1 to 1000)".into(),
                ));
            }
            (Level::Should, Some(w)) if !(1..=1000).contains(&w) => {
                return Err(invalid(
                    here("weight"),
                    format!("{w} is not a weight from 1 to 1000"),
                ));
            }
            _ => {}
        }
        if let Some(t) = &r.title {
            name(&here("title"), t)?;
        }
        text(&here("text"), &r.text)?;
        if let Some(e) = &r.evidence {
            text(&here("evidence"), e)?;
        }
        if let Some(s) = &r.section
            && !section_ids.contains(s.as_str())
        {
            return Err(invalid(
                here("section"),
                format!("there is no section {s:?} in the pack's sections"),
            ));
        }
        let given = usize::from(r.contract.is_some())
            + usize::from(r.standard.is_some())
            + usize::from(r.manual.is_some())
            + usize::from(r.tier.is_some());
        if given != 1 {
            return Err(invalid(
                format!("/requirements/{i}"),
                format!(
                    "says how it is assessed with exactly one of contract, standard, manual or tier; it has {given}"
                ),
            ));
        }
        let check = match (r.contract, r.standard, r.manual, r.tier) {
            (_, _, _, Some(t)) => match Tier::parse(&t.min) {
                Some(min) => Check::Tier(TierCheck { min }),
                None => {
                    return Err(invalid(
                        here("tier/min"),
                        format!("{:?} is not one of the tiers: bronze, silver, gold", t.min),
                    ));
                }
            },
            (Some(c), None, None, None) => {
                Check::Contract(contract(c, &here("contract"), &invalid)?)
            }
            (None, Some(s), None, None) => {
                if !s.kitemark && s.min_score.is_none() && s.rules.is_empty() {
                    return Err(invalid(
                        here("standard"),
                        "asks nothing: give kitemark: true, min_score or rules".into(),
                    ));
                }
                if let Some(m) = s.min_score
                    && m > 100
                {
                    return Err(invalid(
                        here("standard/min_score"),
                        format!("{m} is not a score from 0 to 100"),
                    ));
                }
                if s.rules.len() > MAX_RULES {
                    return Err(invalid(
                        here("standard/rules"),
                        format!("at most {MAX_RULES} rules"),
                    ));
                }
                Check::Standard(s)
            }
            (None, None, Some(m), None) => Check::Manual(manual(m, &here("manual"), &invalid)?),
            _ => {
                return Err(invalid(
                    format!("/requirements/{i}"),
                    "says how it is assessed with exactly one of contract, standard, manual or tier".into(),
                ));
            }
        };
        requirements.push(Requirement {
            line: at.line_of(&format!("/requirements/{i}")),
            id: r.id,
            level: r.level,
            weight: r.weight,
            title: r.title,
            text: r.text,
            section: r.section,
            evidence: r.evidence,
            check,
        });
    }
    Ok(Pack {
        id: raw.id,
        version,
        title: raw.title,
        buyer: raw.buyer,
        description: raw.description,
        published: raw.published,
        sections: raw.sections,
        requirements,
    })
}

fn contract(
    c: RawContract,
    at: &str,
    invalid: &impl Fn(String, String) -> PackError,
) -> Result<ContractRef, PackError> {
    match (c.file, c.slug, c.version) {
        (Some(file), None, None) => {
            let path = std::path::Path::new(&file);
            if file.trim().is_empty() || path.is_absolute() || file.contains("://") {
                return Err(invalid(
                    format!("{at}/file"),
                    format!("{file:?} is not a path relative to the pack"),
                ));
            }
            Ok(ContractRef::File { file })
        }
        (None, Some(slug), Some(version)) => Ok(ContractRef::Stored {
            slug,
            version: version.text(),
        }),
        (None, Some(_), None) => Err(invalid(
            format!("{at}/version"),
            "a contract in the catalogue is named with its slug and the version the solution must implement".into(),
        )),
        _ => Err(invalid(
            at.to_owned(),
            "is {file: PATH} (a description beside the pack) or {slug: SLUG, version: VERSION} (a contract of the catalogue)".into(),
        )),
    }
}

fn manual(
    m: RawManual,
    at: &str,
    invalid: &impl Fn(String, String) -> PackError,
) -> Result<Manual, PackError> {
    let max = match m.scale.trim() {
        "0-4" => 4,
        "0-5" => 5,
        other => {
            return Err(invalid(
                format!("{at}/scale"),
                format!("{other:?} is not a scale: use 0-4 or 0-5"),
            ));
        }
    };
    for (score, words) in &m.descriptors {
        if *score > max {
            return Err(invalid(
                format!("{at}/descriptors/{score}"),
                format!("{score} is not on the scale 0-{max}"),
            ));
        }
        if words.trim().is_empty() || words.chars().count() > MAX_TEXT_CHARS {
            return Err(invalid(
                format!("{at}/descriptors/{score}"),
                format!("a descriptor is 1 to {MAX_TEXT_CHARS} characters"),
            ));
        }
    }
    if !m.descriptors.is_empty() && m.descriptors.len() != usize::from(max) + 1 {
        let missing: Vec<String> = (0..=max)
            .filter(|s| !m.descriptors.contains_key(s))
            .map(|s| s.to_string())
            .collect();
        return Err(invalid(
            format!("{at}/descriptors"),
            format!("say what every score means: {} missing", missing.join(", ")),
        ));
    }
    let pass = m.pass.unwrap_or(max.div_ceil(2));
    if pass == 0 || pass > max {
        return Err(invalid(
            format!("{at}/pass"),
            format!("{pass} is not a pass mark on the scale 0-{max} (1 to {max})"),
        ));
    }
    let descriptors = if m.descriptors.is_empty() {
        default_descriptors(max)
    } else {
        m.descriptors
    };
    Ok(Manual {
        max,
        pass,
        descriptors,
    })
}

/// `2027-03-01` or `2027-03-01T09:00:00Z` (offset or `Z`), checked by shape.
fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    let date = b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    date && (b.len() == 10 || (b.len() >= 20 && b[10] == b'T'))
}

/// The OCDS `date-time` for a pack's `published`: a date alone is midnight UTC.
pub(crate) fn date_time(published: &str) -> String {
    if published.len() == 10 {
        format!("{published}T00:00:00Z")
    } else {
        published.to_owned()
    }
}
