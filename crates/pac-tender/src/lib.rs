//! Tender requirement packs: the API requirements a buyer puts into a procurement, bids evaluated
//! against them, and the tender's documents.
//!
//! The flow: [`Pack::parse`] reads a pack (YAML) and checks its shape, [`Pack::check_rules`] its
//! rule names against the standard in force, [`resolve`] finds its contracts through a
//! [`ContractSource`] (offline: [`PackFiles`], files beside the pack; the catalogue supplies its
//! stored contracts); [`load`] does all three for a file. [`evaluate()`] judges one bid's API
//! descriptions, with evaluators' scores for the manual clauses; [`compare()`] puts bids side by
//! side; [`export`] writes the tender text (Markdown, DOCX), the compliance matrix (CSV, XLSX),
//! reports and the OCDS release.
//!
//! Like every engine here: documents in, reports out. No store, no network, no HTTP; the only
//! files read are the pack and the contract files it names, by [`load`] and [`PackFiles`].

pub mod compare;
pub mod evaluate;
pub mod export;
pub mod pack;
pub mod source;

pub use compare::{Comparison, compare};
pub use evaluate::{
    Bid, BidFile, BidSystem, Evaluation, Evidence, ManualScore, ManualScores, Outcome, ScoreError,
    Status, Verdict, evaluate,
};
pub use pack::{
    Check, Code, ContractRef, Level, Manual, Pack, PackError, Requirement, StandardCheck, Tier,
    TierCheck,
};
pub use source::{Contract, ContractError, ContractSource, PackFiles, Resolved, load, resolve};

/// The standard in force when no other is given: the catalogue's built-in police API standard,
/// as `pac lint` uses it by default.
pub fn built_in_standard() -> Result<pac_lint::Ruleset, pac_lint::RulesetError> {
    pac_lint::Ruleset::built_in("police-api-standard")
}

#[cfg(test)]
mod tests;
