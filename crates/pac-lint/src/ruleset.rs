//! Rulesets: the subset of Spectral's ruleset format that pac reads.
//!
//! A ruleset is YAML (or JSON) data: `extends`, `aliases`, `formats`, and `rules` whose entries
//! have `description`, `message`, `severity`, `given`, `then` (`field`, `function`,
//! `functionOptions`), `formats`, `recommended` and `resolved`. An extending ruleset may turn
//! an inherited rule off or change its severity by naming it (`rule-name: off`, `warn`, or
//! `{severity: error}`). pac's own additions live under `x-pac` keys: the ruleset's identity
//! and view, and each rule's level, category, rationale and how to fix it.
//!
//! Nothing is fetched and no file is read: `extends` names a built-in ruleset (`spectral:oas`,
//! `police-api-standard`) or a file the caller reads ([`RulesetFiles`], from the command line
//! only). A rule that needs something pac does not have (a JavaScript function, a regex the
//! engine cannot compile) is kept in [`Ruleset::unsupported`] with the reason, and reported,
//! never dropped silently.
//!
//! `model` is what a loaded ruleset is; `file` reads the text into the format's shapes, naming
//! the place of anything malformed; `load` follows `extends` and aliases and checks each rule.

mod file;
mod load;
mod model;

pub use load::{BUILT_IN, Resolver, RulesetFiles, built_in_names};
pub use model::{
    Category, Field, Given, Guidance, Identity, Level, Rule, Ruleset, RulesetError, Severity, Then,
    Unsupported, View, describe,
};

#[cfg(test)]
mod tests;
