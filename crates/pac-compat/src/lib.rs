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

pub mod conformance;
mod context;
mod operations;
pub mod render;
pub mod rules;
mod schema;
mod shape;
mod webhooks;

use serde::Serialize;
use utoipa::ToSchema;

pub use operations::compare;

/// How much a change can hurt a caller of the old side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ToSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Old,
    New,
}

/// One difference and what it means for callers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Change {
    /// Stable identifier of the kind of change (see [`rules::RULES`]).
    #[schema(value_type = String, example = "response-property-removed")]
    pub id: &'static str,
    pub level: Level,
    /// `GET /forces/{id}`, as the side the pointer is in writes it; None for document-wide changes.
    pub operation: Option<String>,
    pub side: Side,
    /// JSON pointer into that side's normalised document.
    pub pointer: String,
    pub message: String,
    /// Where that is in the side's original root file (filled by [`locate`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<pac_spec::Location>,
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

    /// The breaking changes, one line each: `id (operation: message)`.
    pub fn breaking_lines(&self) -> Vec<String> {
        self.changes
            .iter()
            .filter(|c| c.level == Level::Breaking)
            .map(Change::line)
            .collect()
    }
}

impl Change {
    /// `id (operation: message)`, or `id (message)` for a document-wide change.
    pub fn line(&self) -> String {
        match &self.operation {
            Some(op) => format!("{} ({op}: {})", self.id, self.message),
            None => format!("{} ({})", self.id, self.message),
        }
    }
}

/// How many changes there are at each level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Summary {
    pub breaking: usize,
    pub possibly_breaking: usize,
    pub non_breaking: usize,
}

/// A comparison as every edge shows it: `pac diff --format json`, the changes stored with a
/// published version, and `GET /apis/{api}/diff`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DiffReport {
    /// The old side: a version label, or the file given.
    pub from: String,
    /// The new side; absent in a version's own changes, where it is that version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    pub summary: Summary,
    /// Most severe first.
    pub changes: Vec<Change>,
}

impl DiffReport {
    pub fn new(from: impl Into<String>, to: Option<String>, report: Report) -> DiffReport {
        DiffReport {
            from: from.into(),
            to,
            summary: Summary {
                breaking: report.count(Level::Breaking),
                possibly_breaking: report.count(Level::PossiblyBreaking),
                non_breaking: report.count(Level::NonBreaking),
            },
            changes: report.changes,
        }
    }

    /// The comparison it summarises.
    pub fn report(&self) -> Report {
        Report {
            changes: self.changes.clone(),
        }
    }
}

/// Fills each change's location: the line and column in the original root file of its side. A
/// pointer into a Swagger 2.0 original is translated back to 2.0's shape first (definitions,
/// body parameters, response schemas); a place that is not in the file (a member the conversion
/// made, a file of a bundle other than the root) is given as its nearest enclosing node.
pub fn locate(report: &mut Report, old: &pac_spec::Description, new: &pac_spec::Description) {
    use pac_spec::locate::Positions;
    /// The root file, its positions and, for a Swagger 2.0 original, the places moved.
    type Index<'d> = (String, Positions, Option<&'d [(String, String)]>);
    fn index(d: &pac_spec::Description) -> Option<Index<'_>> {
        let root = d.files.first()?;
        let text = std::str::from_utf8(&root.bytes).ok()?;
        let swagger2 =
            (d.format == pac_spec::SpecFormat::Swagger2).then_some(d.swagger2_moves.as_slice());
        Some((root.path.clone(), Positions::index(text)?, swagger2))
    }
    let (old_index, new_index) = (index(old), index(new));
    for change in &mut report.changes {
        let side = match change.side {
            Side::Old => &old_index,
            Side::New => &new_index,
        };
        if let Some((file, positions, swagger2)) = side {
            let pointer = match swagger2 {
                Some(moves) => pac_spec::swagger2::original_pointer(&change.pointer, moves),
                None => change.pointer.clone(),
            };
            let (line, column) = positions.nearest(&pointer);
            change.location = Some(pac_spec::Location {
                file: Some(file.clone()),
                line: Some(line),
                column: Some(column),
                pointer: None,
            });
        }
    }
}
