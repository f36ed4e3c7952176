//! The kitemark and the 0–100 score of a standard.
//!
//! Each rule of a standard has a level (MUST or SHOULD) and a category. A rule's compliance is
//! the share of the targets it checked that passed (a rule that checked nothing does not apply
//! and is left out). A category's score is the mean compliance of its rules weighted 3 for MUST
//! and 1 for SHOULD, times 100; the overall score is the mean of the categories that have
//! rules that apply. The kitemark ("meets the minimum standard") is awarded when no MUST rule
//! has a finding and every MUST rule of the standard could be run.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::lint::Report;
use crate::ruleset::{Category, Level, Ruleset, Severity};

pub const MUST_WEIGHT: f64 = 3.0;
pub const SHOULD_WEIGHT: f64 = 1.0;

/// One category's part of the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// 0–100; None when no rule of the category applied.
    pub score: Option<u8>,
    /// Rules of the category with at least one finding.
    pub failing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub kitemark: bool,
    pub score: u8,
    pub breakdown: BTreeMap<String, Part>,
    /// MUST rules with findings, and MUST rules that cannot run (marked so): what stands between
    /// the version and the kitemark.
    pub must_failures: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
}

/// The score of `report` under `ruleset`; None when the ruleset is not a standard (no rule
/// has a level and category).
pub fn score(ruleset: &Ruleset, report: &Report) -> Option<Score> {
    if !ruleset.rules.iter().any(|r| r.guidance.is_some()) {
        return None;
    }
    let runs: HashMap<&str, (usize, usize)> = report
        .runs
        .iter()
        .map(|r| (r.rule.as_str(), (r.checked, r.failed)))
        .collect();
    let mut with_findings: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
    with_findings.sort_unstable();
    with_findings.dedup();

    let mut sums: BTreeMap<Category, (f64, f64)> = BTreeMap::new();
    let mut failing: BTreeMap<Category, Vec<String>> = BTreeMap::new();
    let mut must_failures = Vec::new();
    for rule in ruleset.enabled() {
        let Some(g) = &rule.guidance else { continue };
        let weight = match g.level {
            Level::Must => MUST_WEIGHT,
            Level::Should => SHOULD_WEIGHT,
        };
        let failed = with_findings.binary_search(&rule.name.as_str()).is_ok();
        if failed {
            failing
                .entry(g.category)
                .or_default()
                .push(rule.name.clone());
            if g.level == Level::Must {
                must_failures.push(rule.name.clone());
            }
        }
        let Some(&(checked, failed_targets)) = runs.get(rule.name.as_str()) else {
            continue;
        };
        if checked == 0 {
            continue;
        }
        let compliance = 1.0 - (failed_targets.min(checked) as f64 / checked as f64);
        let e = sums.entry(g.category).or_default();
        e.0 += weight * compliance;
        e.1 += weight;
    }
    // A MUST rule that cannot be run cannot be shown to pass. Rules outside the standard (a
    // ruleset extending it with spectral:oas, say) do not bear on the kitemark.
    let unrunnable: Vec<String> = ruleset
        .unsupported
        .iter()
        .filter(|u| u.must)
        .map(|u| u.rule.clone())
        .collect();
    let mut breakdown = BTreeMap::new();
    let mut total = 0.0;
    let mut parts = 0.0;
    for c in Category::ALL {
        let s = sums
            .get(&c)
            .filter(|(_, w)| *w > 0.0)
            .map(|(sum, w)| 100.0 * sum / w);
        if let Some(s) = s {
            total += s;
            parts += 1.0;
        }
        breakdown.insert(
            c.as_str().to_owned(),
            Part {
                score: s.map(|s| s.round() as u8),
                failing: failing.remove(&c).unwrap_or_default(),
            },
        );
    }
    let score = if parts > 0.0 {
        (total / parts).round() as u8
    } else {
        100
    };
    must_failures.extend(unrunnable.into_iter().map(|r| format!("{r} (cannot run)")));
    Some(Score {
        kitemark: must_failures.is_empty(),
        score,
        breakdown,
        must_failures,
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warn),
    })
}
