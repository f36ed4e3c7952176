//! The compatibility engine: is `new` a compatible replacement for `old`?
//!
//! One question, two uses. Between two versions of an API it says what the new one breaks for the
//! callers of the old one; between a contract and an implementation (conformance) it says whether
//! the implementation can stand in for the contract. Both sides are normalised `openapiv3`
//! documents (Swagger 2.0 is converted on loading), so a 2.0 description compares with a 3.x one by
//! what they describe.
//!
//! The rule of thumb behind every level: a request the old side accepted must still be accepted
//! (input may only widen), and a response the old side's callers understood must still be
//! understood (output may only narrow). Each [`Change`] has a stable id from [`rules`], a level,
//! the operation, and a JSON pointer into the document it concerns ([`Side`]).

mod operations;
pub mod render;
pub mod rules;
mod schema;

use serde::Serialize;

pub use operations::compare;

/// How much a change can hurt a caller of the old side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    NonBreaking,
    PossiblyBreaking,
    Breaking,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Breaking => "breaking",
            Level::PossiblyBreaking => "possibly-breaking",
            Level::NonBreaking => "non-breaking",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "breaking" => Some(Level::Breaking),
            "possibly-breaking" => Some(Level::PossiblyBreaking),
            "non-breaking" => Some(Level::NonBreaking),
            _ => None,
        }
    }
}

/// Which document a change's pointer is in: what was removed is found in the old one, what was
/// added or changed in the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Old,
    New,
}

/// One difference and what it means for callers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Change {
    /// Stable identifier of the kind of change (see [`rules::RULES`]).
    pub id: &'static str,
    pub level: Level,
    /// `GET /forces/{id}`, as the side the pointer is in writes it; None for document-wide changes.
    pub operation: Option<String>,
    pub side: Side,
    /// JSON pointer into that side's normalised document.
    pub pointer: String,
    pub message: String,
}

/// Everything that differs, most severe first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub changes: Vec<Change>,
}

impl Report {
    pub fn count(&self, level: Level) -> usize {
        self.changes.iter().filter(|c| c.level == level).count()
    }

    /// The most severe level present.
    pub fn worst(&self) -> Option<Level> {
        self.changes.iter().map(|c| c.level).max()
    }

    /// True when some change is at `threshold` or worse.
    pub fn reaches(&self, threshold: Level) -> bool {
        self.worst().is_some_and(|w| w >= threshold)
    }
}

/// Escapes one JSON pointer segment (RFC 6901).
pub(crate) fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
