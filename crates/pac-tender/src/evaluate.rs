//! A bid evaluated against a pack: per requirement a status (`met`, `not_met`, `needs_review`),
//! the evidence found in the bid's API descriptions (file, operation, line) and, for SHOULD
//! requirements, the points scored of the weight available; for the bid, a verdict.
//!
//! Contracts are checked by pac-compat's conformance (met when some description of the bid
//! conforms); the standard by pac-lint with the ruleset in force (it must hold for every
//! description); manual clauses wait for an evaluator's score, which the caller passes in
//! ([`ManualScores`]), so that the catalogue can store scores and evaluate again.
//!
//! Automatic SHOULD requirements score all of their weight when met and none otherwise; a manual
//! SHOULD scores `weight × score ÷ top of the scale`. A MUST not met disqualifies the bid.

use std::collections::BTreeMap;

use pac_lint::Ruleset;
use pac_lint::score::Score as StandardScore;
use pac_spec::{Description, Limits};
use serde::{Deserialize, Serialize};

use crate::pack::{Check, Level, Manual, Requirement, StandardCheck, Tier, TierCheck};
use crate::source::{Contract, Resolved};

/// Pieces of evidence kept per description and requirement; the rest are counted.
pub const MAX_EVIDENCE_PER_FILE: usize = 25;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    NotMet,
    NeedsReview,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet => "not_met",
            Status::NeedsReview => "needs_review",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every MUST is met and nothing waits for an evaluator.
    Compliant,
    /// A MUST is not met: the bid is disqualified.
    NonCompliant,
    /// No MUST is failed, but some requirement waits for an evaluator.
    NeedsReview,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Compliant => "compliant",
            Verdict::NonCompliant => "non_compliant",
            Verdict::NeedsReview => "needs_review",
        }
    }
}

/// One API description of a bid, as the bidder named it.
#[derive(Debug, Clone)]
pub struct BidFile {
    pub name: String,
    pub description: Description,
}

/// A bid: who, and the API descriptions of the solution offered.
#[derive(Debug, Clone)]
pub struct Bid {
    pub name: String,
    pub files: Vec<BidFile>,
    /// The catalogue system the bid offers, with its interoperability tier (none before Bronze);
    /// None when the bid names none, or the check runs without the catalogue.
    pub system: Option<BidSystem>,
}

/// A system of the catalogue a bid offers, for `tier` requirements.
#[derive(Debug, Clone)]
pub struct BidSystem {
    pub slug: String,
    pub tier: Option<Tier>,
}

/// An evaluator's score of a manual requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualScore {
    pub score: u8,
    /// The evaluator's reasons, referring to the bid.
    pub note: Option<String>,
}

/// Evaluators' scores by requirement id.
pub type ManualScores = BTreeMap<String, ManualScore>;

/// A score that does not fit the pack.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("the pack has no requirement {0}")]
    UnknownRequirement(String),
    #[error(
        "requirement {0} is assessed automatically by the catalogue, not scored by an evaluator"
    )]
    NotManual(String),
    #[error("requirement {id}: {score} is not on its scale 0-{max}")]
    OffScale { id: String, score: u8, max: u8 },
    #[error("the evaluation stopped unexpectedly")]
    Internal,
}

/// Something found in the bid (or the contract) that bears on a requirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Whether it supports the requirement (true) or stands against it (false).
    pub holds: bool,
    /// The bid's description it concerns (the contract's name when the place is in the contract).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// `GET /forces/{id}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The rule of the standard, or the kind of change against the contract.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    pub message: String,
}

impl Evidence {
    fn note(holds: bool, file: Option<&str>, message: impl Into<String>) -> Evidence {
        Evidence {
            holds,
            file: file.map(str::to_owned),
            operation: None,
            rule: None,
            line: None,
            column: None,
            pointer: None,
            message: message.into(),
        }
    }

    /// `file:line` `operation` `[rule]` message, for text reports.
    pub fn place(&self) -> String {
        let mut out = String::new();
        if let Some(f) = &self.file {
            out.push_str(f);
            if let Some(l) = self.line {
                out.push_str(&format!(":{l}"));
            }
        }
        if let Some(op) = &self.operation {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(op);
        }
        out
    }
}

/// How a bid fares against one requirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub id: String,
    pub level: Level,
    /// contract, standard or manual.
    pub assessment: String,
    pub status: Status,
    /// SHOULD only: the marks available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// SHOULD only: the marks scored, None while it waits for review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
    /// Manual only: the evaluator's score and the top of the scale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluator_score: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale_max: Option<u8>,
    /// Why, in words that refer to the bid.
    pub explanation: String,
    pub evidence: Vec<Evidence>,
}

/// A description of the bid under the standard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    pub file: String,
    pub kitemark: Option<bool>,
    pub score: Option<u8>,
}

/// A bid's evaluation against a pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub pack: String,
    pub pack_version: String,
    pub bid: String,
    /// The standard in force, `police-api-standard 1.1.0`.
    pub standard: String,
    pub verdict: Verdict,
    /// SHOULD marks scored.
    pub points: f64,
    /// SHOULD marks available (the sum of the weights).
    pub available: u32,
    /// SHOULD marks that wait for an evaluator.
    pub pending: u32,
    pub requirements: Vec<Outcome>,
    /// Each description of the bid under the standard (when a requirement asked about it).
    pub files: Vec<FileSummary>,
}

impl Evaluation {
    /// Whether a MUST is not met.
    pub fn disqualified(&self) -> bool {
        self.verdict == Verdict::NonCompliant
    }

    /// Scored marks as a percentage of those available (100 when none are).
    pub fn percent(&self) -> f64 {
        if self.available == 0 {
            100.0
        } else {
            (1000.0 * self.points / f64::from(self.available)).round() / 10.0
        }
    }
}

/// Checks that every score names a manual requirement of the pack and is on its scale.
pub fn check_scores(resolved: &Resolved, scores: &ManualScores) -> Result<(), ScoreError> {
    for (id, s) in scores {
        let r = resolved
            .pack
            .requirement(id)
            .ok_or_else(|| ScoreError::UnknownRequirement(id.clone()))?;
        let Check::Manual(m) = &r.check else {
            return Err(ScoreError::NotManual(id.clone()));
        };
        if s.score > m.max {
            return Err(ScoreError::OffScale {
                id: id.clone(),
                score: s.score,
                max: m.max,
            });
        }
    }
    Ok(())
}

/// Evaluates `bid` against the pack with `standard` the ruleset in force and the evaluators'
/// `scores` so far. Runs on a thread of its own with the lint engine's stack.
pub fn evaluate(
    resolved: &Resolved,
    standard: &Ruleset,
    bid: &Bid,
    scores: &ManualScores,
    limits: &Limits,
) -> Result<Evaluation, ScoreError> {
    check_scores(resolved, scores)?;
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("pac-tender".to_owned())
            .stack_size(pac_lint::LINT_STACK_BYTES)
            .spawn_scoped(scope, || {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    evaluate_here(resolved, standard, bid, scores, limits)
                }))
            });
        match worker.map(|w| w.join()) {
            Ok(Ok(Ok(evaluation))) => Ok(evaluation),
            _ => Err(ScoreError::Internal),
        }
    })
}

/// One description linted once under the standard, whatever number of requirements ask.
struct Linted {
    report: Option<pac_lint::Report>,
    score: Option<StandardScore>,
    error: Option<String>,
}

fn evaluate_here(
    resolved: &Resolved,
    standard: &Ruleset,
    bid: &Bid,
    scores: &ManualScores,
    limits: &Limits,
) -> Evaluation {
    let pack = &resolved.pack;
    let standard_checks: Vec<&StandardCheck> = pack
        .requirements
        .iter()
        .filter_map(|r| match &r.check {
            Check::Standard(s) => Some(s),
            _ => None,
        })
        .collect();
    let linted: Vec<Linted> = if standard_checks.is_empty() {
        Vec::new()
    } else {
        // Rules a pack names are run even where the standard leaves them off; the score stays
        // the standard's own, since it counts only the standard's enabled rules.
        let mut ruleset = standard.clone();
        for rule in &mut ruleset.rules {
            let named = standard_checks.iter().any(|s| s.rules.contains(&rule.name));
            if named && rule.severity == pac_lint::Severity::Off {
                rule.severity = pac_lint::Severity::Warn;
            }
        }
        bid.files
            .iter()
            .map(
                |f| match pac_lint::lint_description(&ruleset, &f.description, limits) {
                    Ok(report) => Linted {
                        score: pac_lint::score::score(standard, &report),
                        report: Some(report),
                        error: None,
                    },
                    Err(e) => Linted {
                        report: None,
                        score: None,
                        error: Some(e.message),
                    },
                },
            )
            .collect()
    };
    let mut requirements = Vec::with_capacity(pack.requirements.len());
    for r in &pack.requirements {
        let mut outcome = match &r.check {
            Check::Contract(_) => match resolved.contracts.get(&r.id) {
                Some(contract) => contract_outcome(r, contract, bid),
                None => outcome(
                    r,
                    Status::NeedsReview,
                    "the contract was not available to check against".into(),
                    Vec::new(),
                ),
            },
            Check::Standard(s) => standard_outcome(r, s, standard, bid, &linted),
            Check::Manual(m) => manual_outcome(r, m, scores.get(&r.id)),
            Check::Tier(t) => tier_outcome(r, *t, bid.system.as_ref()),
        };
        if r.level == Level::Should && outcome.points.is_none() {
            outcome.points = match (outcome.status, r.check.is_automatic()) {
                (Status::Met, true) => r.weight.map(f64::from),
                (Status::NotMet, true) => Some(0.0),
                _ => None,
            };
        }
        requirements.push(outcome);
    }
    let must_failed = requirements
        .iter()
        .any(|o| o.level == Level::Must && o.status == Status::NotMet);
    let review = requirements.iter().any(|o| o.status == Status::NeedsReview);
    let verdict = if must_failed {
        Verdict::NonCompliant
    } else if review {
        Verdict::NeedsReview
    } else {
        Verdict::Compliant
    };
    // Folded from +0.0: an empty f64 sum is -0.0, which would read "-0" in reports.
    let points = requirements
        .iter()
        .filter_map(|o| o.points)
        .fold(0.0, |total, p| total + p);
    let pending = requirements
        .iter()
        .filter(|o| o.level == Level::Should && o.points.is_none())
        .filter_map(|o| o.weight)
        .sum();
    let files = if linted.is_empty() {
        Vec::new()
    } else {
        bid.files
            .iter()
            .zip(&linted)
            .map(|(f, l)| FileSummary {
                file: f.name.clone(),
                kitemark: l.score.as_ref().map(|s| s.kitemark),
                score: l.score.as_ref().map(|s| s.score),
            })
            .collect()
    };
    Evaluation {
        pack: pack.id.clone(),
        pack_version: pack.version.clone(),
        bid: bid.name.clone(),
        standard: format!("{} {}", standard.identity.name, standard.identity.version),
        verdict,
        points: (points * 100.0).round() / 100.0,
        available: pack.total_weight(),
        pending,
        requirements,
        files,
    }
}

fn outcome(
    r: &Requirement,
    status: Status,
    explanation: String,
    evidence: Vec<Evidence>,
) -> Outcome {
    Outcome {
        id: r.id.clone(),
        level: r.level,
        assessment: r.check.kind().to_owned(),
        status,
        weight: r.weight,
        points: None,
        evaluator_score: None,
        scale_max: None,
        explanation,
        evidence,
    }
}

fn no_files(r: &Requirement) -> Outcome {
    outcome(
        r,
        Status::NotMet,
        "the bid includes no API description to check".into(),
        vec![Evidence::note(
            false,
            None,
            "no API description was submitted",
        )],
    )
}

fn contract_outcome(r: &Requirement, contract: &Contract, bid: &Bid) -> Outcome {
    if bid.files.is_empty() {
        return no_files(r);
    }
    let mut conforming = Vec::new();
    let mut against = Vec::new();
    for f in &bid.files {
        let c =
            pac_compat::conformance::conform_descriptions(&contract.description, &f.description);
        let total = c.requirements.len();
        if c.conformant {
            conforming.push(Evidence::note(
                true,
                Some(&f.name),
                format!(
                    "conforms to the contract {}: all {total} of its operations are provided as it defines them",
                    contract.name
                ),
            ));
            continue;
        }
        against.push(Evidence::note(
            false,
            Some(&f.name),
            format!(
                "does not conform to the contract {}: {} of {total} operations met",
                contract.name, c.met
            ),
        ));
        let reasons: Vec<Evidence> = c
            .requirements
            .iter()
            .filter(|q| !q.met)
            .flat_map(|q| {
                q.reasons.iter().map(|change| {
                    let in_contract = change.side == pac_compat::Side::Old;
                    let location = change.location.as_ref();
                    Evidence {
                        holds: false,
                        file: Some(if in_contract {
                            contract.name.clone()
                        } else {
                            f.name.clone()
                        }),
                        operation: Some(q.operation.clone()),
                        rule: Some(change.id.to_owned()),
                        line: location.and_then(|l| l.line),
                        column: location.and_then(|l| l.column),
                        pointer: Some(change.pointer.clone()),
                        message: change.message.clone(),
                    }
                })
            })
            .collect();
        push_capped(&mut against, reasons, &f.name);
    }
    if conforming.is_empty() {
        let explanation = format!(
            "no API description of the bid conforms to the contract {} (checked: {})",
            contract.name,
            names(bid)
        );
        outcome(r, Status::NotMet, explanation, against)
    } else {
        let explanation = format!(
            "{} conforms to the contract {}",
            conforming
                .iter()
                .filter_map(|e| e.file.as_deref())
                .collect::<Vec<_>>()
                .join(", "),
            contract.name
        );
        outcome(r, Status::Met, explanation, conforming)
    }
}

fn standard_outcome(
    r: &Requirement,
    check: &StandardCheck,
    standard: &Ruleset,
    bid: &Bid,
    linted: &[Linted],
) -> Outcome {
    if bid.files.is_empty() {
        return no_files(r);
    }
    let name = format!(
        "{} {}",
        standard
            .identity
            .title
            .as_deref()
            .unwrap_or(&standard.identity.name),
        standard.identity.version
    );
    let mut evidence = Vec::new();
    let mut failing_files = Vec::new();
    let mut unknown = false;
    for (f, l) in bid.files.iter().zip(linted) {
        let mut holds = true;
        let mut found = Vec::new();
        let (Some(report), None) = (&l.report, &l.error) else {
            unknown = true;
            evidence.push(Evidence::note(
                false,
                Some(&f.name),
                format!(
                    "could not be checked against the standard: {}",
                    l.error.as_deref().unwrap_or("no report")
                ),
            ));
            continue;
        };
        if check.kitemark || check.min_score.is_some() {
            let Some(score) = &l.score else {
                unknown = true;
                evidence.push(Evidence::note(
                    false,
                    Some(&f.name),
                    format!("{name} gives no score or kitemark"),
                ));
                continue;
            };
            if check.kitemark {
                if score.kitemark {
                    evidence.push(Evidence::note(
                        true,
                        Some(&f.name),
                        format!("earns the kitemark of {name}"),
                    ));
                } else {
                    holds = false;
                    evidence.push(Evidence::note(
                        false,
                        Some(&f.name),
                        format!(
                            "does not earn the kitemark of {name}: MUST rules not met: {}",
                            score.must_failures.join(", ")
                        ),
                    ));
                    found.extend(findings(report, &f.name, |rule| {
                        score.must_failures.iter().any(|m| m == rule)
                    }));
                }
            }
            if let Some(min) = check.min_score {
                let ok = score.score >= min;
                holds &= ok;
                evidence.push(Evidence::note(
                    ok,
                    Some(&f.name),
                    format!(
                        "scores {} of 100 under {name}; at least {min} is asked",
                        score.score
                    ),
                ));
            }
        }
        for rule in &check.rules {
            let hits = findings(report, &f.name, |r| r == rule);
            if hits.is_empty() {
                evidence.push(Evidence {
                    rule: Some(rule.clone()),
                    ..Evidence::note(true, Some(&f.name), format!("{rule}: no finding"))
                });
            } else {
                holds = false;
                evidence.push(Evidence {
                    rule: Some(rule.clone()),
                    ..Evidence::note(
                        false,
                        Some(&f.name),
                        format!("{rule}: {} findings", hits.len()),
                    )
                });
                found.extend(hits);
            }
        }
        push_capped(&mut evidence, found, &f.name);
        if !holds {
            failing_files.push(f.name.clone());
        }
    }
    let asked = asked(check);
    if !failing_files.is_empty() {
        let explanation = format!(
            "{asked} is asked of every API description; not so for {}",
            failing_files.join(", ")
        );
        outcome(r, Status::NotMet, explanation, evidence)
    } else if unknown {
        let explanation = format!("{asked} is asked, and some descriptions could not be checked");
        outcome(r, Status::NeedsReview, explanation, evidence)
    } else {
        let explanation = format!(
            "{asked}: so for every API description of the bid ({})",
            names(bid)
        );
        outcome(r, Status::Met, explanation, evidence)
    }
}

/// What a `standard` requirement asks, in words.
pub fn asked(check: &StandardCheck) -> String {
    let mut parts = Vec::new();
    if check.kitemark {
        parts.push("the kitemark of the police API standard".to_owned());
    }
    if let Some(m) = check.min_score {
        parts.push(format!(
            "a score of at least {m} under the police API standard"
        ));
    }
    if !check.rules.is_empty() {
        parts.push(format!(
            "no finding of the rules {}",
            check.rules.join(", ")
        ));
    }
    parts.join(", and ")
}

fn findings<'a>(
    report: &'a pac_lint::Report,
    file: &'a str,
    wanted: impl Fn(&str) -> bool + 'a,
) -> Vec<Evidence> {
    report
        .findings
        .iter()
        .filter(|f| wanted(&f.rule))
        .map(|f| Evidence {
            holds: false,
            file: Some(file.to_owned()),
            operation: operation_of(&f.pointer),
            rule: Some(f.rule.clone()),
            line: f.line,
            column: f.column,
            pointer: Some(f.pointer.clone()),
            message: f.message.clone(),
        })
        .collect()
}

fn push_capped(into: &mut Vec<Evidence>, found: Vec<Evidence>, file: &str) {
    let more = found.len().saturating_sub(MAX_EVIDENCE_PER_FILE);
    into.extend(found.into_iter().take(MAX_EVIDENCE_PER_FILE));
    if more > 0 {
        into.push(Evidence::note(
            false,
            Some(file),
            format!("and {more} more"),
        ));
    }
}

fn tier_outcome(r: &Requirement, t: TierCheck, system: Option<&BidSystem>) -> Outcome {
    let asked = t.min.label();
    let Some(system) = system else {
        return outcome(
            r,
            Status::NeedsReview,
            format!(
                "the bid names no system of the Police API Catalogue; the catalogue checks that the system offered is at the {asked} interoperability tier or above once the bid names it"
            ),
            vec![Evidence::note(
                false,
                None,
                "no catalogue system named by the bid",
            )],
        );
    };
    let (status, explanation) = match system.tier {
        Some(tier) if tier >= t.min => (
            Status::Met,
            format!(
                "the system {} is at the {} tier in the catalogue; {asked} or above is asked",
                system.slug,
                tier.label()
            ),
        ),
        Some(tier) => (
            Status::NotMet,
            format!(
                "the system {} is at the {} tier in the catalogue; {asked} or above is asked",
                system.slug,
                tier.label()
            ),
        ),
        None => (
            Status::NotMet,
            format!(
                "the system {} has not reached the Bronze tier in the catalogue; {asked} or above is asked",
                system.slug
            ),
        ),
    };
    let holds = status == Status::Met;
    let message = explanation.clone();
    outcome(
        r,
        status,
        explanation,
        vec![Evidence::note(holds, None, message)],
    )
}

fn manual_outcome(r: &Requirement, m: &Manual, score: Option<&ManualScore>) -> Outcome {
    let Some(s) = score else {
        let mut o = outcome(
            r,
            Status::NeedsReview,
            format!(
                "an evaluator scores the bidder's response on the scale {}",
                m.scale()
            ),
            vec![Evidence::note(false, None, "awaiting an evaluator's score")],
        );
        o.scale_max = Some(m.max);
        return o;
    };
    let meaning = m.descriptors.get(&s.score).cloned().unwrap_or_default();
    let status = if s.score >= m.pass {
        Status::Met
    } else {
        Status::NotMet
    };
    let mut explanation = format!("scored {} of {} by an evaluator: {meaning}", s.score, m.max);
    if r.level == Level::Must {
        explanation.push_str(&format!(" (pass mark {})", m.pass));
    }
    let mut evidence = Vec::new();
    if let Some(note) = &s.note {
        evidence.push(Evidence::note(status == Status::Met, None, note.clone()));
    }
    let mut o = outcome(r, status, explanation, evidence);
    o.evaluator_score = Some(s.score);
    o.scale_max = Some(m.max);
    if r.level == Level::Should {
        o.points = r.weight.map(|w| {
            (f64::from(w) * f64::from(s.score) / f64::from(m.max) * 100.0).round() / 100.0
        });
    }
    o
}

fn names(bid: &Bid) -> String {
    bid.files
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `/paths/~1forces~1{id}/get/responses/200` → `GET /forces/{id}`.
pub fn operation_of(pointer: &str) -> Option<String> {
    let mut parts = pointer.split('/').skip(1);
    if parts.next()? != "paths" {
        return None;
    }
    let path = parts.next()?.replace("~1", "/").replace("~0", "~");
    let method = parts.next()?;
    const METHODS: [&str; 9] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
    ];
    METHODS
        .contains(&method)
        .then(|| format!("{} {path}", method.to_ascii_uppercase()))
}
