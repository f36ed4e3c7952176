//! The tender's documents: the pack as tender text ([`markdown`], [`docx`]), the compliance
//! matrix bidders fill in ([`csv`], [`xlsx`]), evaluation reports and comparisons of bids
//! ([`markdown`], [`csv`], [`xlsx`]), and the OCDS release ([`ocds`]). Each returns bytes or
//! text; none writes a file.

pub mod csv;
pub mod docx;
pub mod markdown;
pub mod ocds;
pub mod xlsx;

use crate::evaluate;
use crate::pack::{Check, Pack, Requirement};

/// A document that could not be built (the writer libraries' errors).
#[derive(Debug, thiserror::Error)]
#[error("cannot build the {format} document: {message}")]
pub struct ExportError {
    pub format: &'static str,
    pub message: String,
}

impl ExportError {
    fn new(format: &'static str, e: impl std::fmt::Display) -> Self {
        ExportError {
            format,
            message: e.to_string(),
        }
    }
}

/// How a requirement is assessed, in the tender's words.
pub fn assessment(r: &Requirement) -> String {
    match &r.check {
        Check::Contract(c) => format!(
            "Automatically, by the catalogue: at least one API description of the solution must conform to the contract {} (every operation it defines, with compatible requests and responses).",
            c.label()
        ),
        Check::Standard(s) => format!(
            "Automatically, by the catalogue: every API description of the solution must have {} in force at the time of evaluation.",
            evaluate::asked(s)
        ),
        Check::Tier(t) => format!(
            "Automatically, by the catalogue: the system the bid offers, registered in the Police API Catalogue, must be at the {} interoperability tier or above (Bronze, Silver, Gold; the tiers are defined in the police API standard) when the bid is evaluated.",
            t.min.label()
        ),
        Check::Manual(m) => format!(
            "By an evaluator, on the scale {}{}.",
            m.scale(),
            if r.level == crate::pack::Level::Must {
                format!("; a score of {} or more meets the requirement", m.pass)
            } else {
                String::new()
            }
        ),
    }
}

/// The evidence asked for: the pack's words, else what the automatic check reads.
pub fn evidence_asked(r: &Requirement) -> String {
    if let Some(e) = &r.evidence {
        return e.clone();
    }
    match &r.check {
        Check::Contract(_) | Check::Standard(_) => {
            "The OpenAPI description (JSON or YAML) of each API of the solution.".to_owned()
        }
        Check::Manual(_) => {
            "A written response, with references to supporting documents.".to_owned()
        }
        Check::Tier(_) => {
            "The slug of the system offered, as registered in the Police API Catalogue.".to_owned()
        }
    }
}

/// `MUST` or `SHOULD (weight 20 of 100)`.
pub fn importance(pack: &Pack, r: &Requirement) -> String {
    match r.weight {
        Some(w) => format!("SHOULD (weight {w} of {})", pack.total_weight()),
        None => "MUST (pass/fail)".to_owned(),
    }
}

/// The requirements grouped by section, in the pack's order (unsectioned first).
pub fn by_section(pack: &Pack) -> Vec<(Option<&crate::pack::Section>, Vec<&Requirement>)> {
    let mut out = Vec::new();
    let loose: Vec<&Requirement> = pack
        .requirements
        .iter()
        .filter(|r| r.section.is_none())
        .collect();
    if !loose.is_empty() {
        out.push((None, loose));
    }
    for s in &pack.sections {
        let rs: Vec<&Requirement> = pack
            .requirements
            .iter()
            .filter(|r| r.section.as_deref() == Some(s.id.as_str()))
            .collect();
        out.push((Some(s), rs));
    }
    out
}
