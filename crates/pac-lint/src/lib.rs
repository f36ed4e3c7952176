//! Linting: rulesets run over descriptions, each finding located in the original file.
//!
//! A [`Ruleset`] (Spectral's format, see [`ruleset`]) says which nodes to look at (`given`, a
//! JSONPath, see [`pac_jsonpath`]) and what to check there (`then`, a [`functions::Function`]).
//! [`lint()`] runs every enabled rule over a [`Target`] and returns the findings with their JSON
//! pointer and line and column, plus, per rule, how many targets it checked and how many
//! failed: [`score`] turns those counts into the police standard's score and kitemark.
//!
//! Like Spectral, rules see the document with internal `$ref`s followed unless they say
//! `resolved: false`, and a finding inside a referenced object is reported once, where the object
//! is written. Nothing outside the document is ever read, and the engine reads no files: a
//! ruleset arrives as text, and whatever its `extends` names beyond the built-in rulesets is
//! read by the caller ([`ruleset::RulesetFiles`]).
//!
//! The modules, in the order data flows: [`ruleset`] (read and check a ruleset), `lint`
//! (run it, with `context` for what functions may ask), [`functions`] (Spectral's core
//! functions, dispatching to `oas` for `spectral:oas`'s, both using `schema` for JSON Schema),
//! then [`score`] and [`render`].

mod context;
mod format;
pub mod functions;
mod lint;
mod oas;
pub mod render;
pub mod ruleset;
mod schema;
pub mod score;

pub use format::Format;
pub use lint::{
    Finding, LINT_STACK_BYTES, Report, RuleRun, Target, lint, lint_description, lint_original,
};
pub use ruleset::{Ruleset, RulesetError, Severity, View};
