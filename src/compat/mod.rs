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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    /// Where that is in the side's original root file (filled by [`locate`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<crate::error::Location>,
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

/// Fills each change's location: the line and column in the original root file of its side. A
/// pointer into a Swagger 2.0 original is translated back to 2.0's shape first (definitions,
/// body parameters, response schemas); a place that is not in the file (a member the conversion
/// made, a file of a bundle other than the root) is given as its nearest enclosing node.
pub fn locate(report: &mut Report, old: &crate::spec::Description, new: &crate::spec::Description) {
    use crate::spec::locate::Positions;
    /// The root file, its positions and, for a Swagger 2.0 original, the places moved.
    type Index<'d> = (String, Positions, Option<&'d [(String, String)]>);
    fn index(d: &crate::spec::Description) -> Option<Index<'_>> {
        let root = d.files.first()?;
        let text = std::str::from_utf8(&root.bytes).ok()?;
        let swagger2 =
            (d.format == crate::spec::SpecFormat::Swagger2).then_some(d.swagger2_moves.as_slice());
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
                Some(moves) => to_swagger2(&change.pointer, moves),
                None => change.pointer.clone(),
            };
            let (line, column) = positions.nearest(&pointer);
            change.location = Some(crate::error::Location {
                file: Some(file.clone()),
                line: Some(line),
                column: Some(column),
                pointer: None,
            });
        }
    }
}

/// A pointer into the OpenAPI 3.0 form of a converted Swagger 2.0 document, as near as 2.0 has it.
/// `moves` are the places the conversion moved (`spec::Description::swagger2_moves`).
pub(crate) fn to_swagger2(pointer: &str, moves: &[(String, String)]) -> String {
    let translated = renamed_to_swagger2(pointer);
    for (from, to) in moves {
        if let Some(rest) = translated.strip_prefix(from.as_str())
            && (rest.is_empty() || rest.starts_with('/'))
        {
            return format!("{to}{rest}");
        }
    }
    translated
}

/// The renamings every conversion makes (definitions, request bodies, response content).
fn renamed_to_swagger2(pointer: &str) -> String {
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    let mut out: Vec<&str> = Vec::with_capacity(segments.len());
    let mut i = 0;
    while i < segments.len() {
        let s = segments[i];
        match (out.as_slice(), s) {
            ([], "components") => {
                let renamed = match segments.get(i + 1).copied() {
                    Some("schemas") => "definitions",
                    Some("securitySchemes") => "securityDefinitions",
                    Some(other) => other,
                    None => break,
                };
                out.push(renamed);
                i += 2;
                continue;
            }
            // A request body is a body parameter: point at the operation's parameters.
            (_, "requestBody") => {
                out.push("parameters");
                break;
            }
            // content/<media>/schema is the response's (or parameter's) schema itself.
            (_, "content") => {
                i += 2;
                continue;
            }
            _ => {}
        }
        // parameters/<i>/schema/x: 2.0 puts a non-body parameter's type on the parameter.
        if s == "schema" && out.len() >= 2 && out[out.len() - 2] == "parameters" {
            i += 1;
            continue;
        }
        out.push(s);
        i += 1;
    }
    if out.is_empty() {
        return String::new();
    }
    format!("/{}", out.join("/"))
}

/// Escapes one JSON pointer segment (RFC 6901).
pub(crate) fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_go_back_to_swagger_2_shapes() {
        let cases = [
            (
                "/components/schemas/Pet/properties/name",
                "/definitions/Pet/properties/name",
            ),
            (
                "/components/securitySchemes/key",
                "/securityDefinitions/key",
            ),
            (
                "/paths/~1pets/post/requestBody/content/application~1json/schema",
                "/paths/~1pets/post/parameters",
            ),
            (
                "/paths/~1pets/get/responses/200/content/application~1json/schema/items",
                "/paths/~1pets/get/responses/200/schema/items",
            ),
            (
                "/paths/~1pets/get/parameters/1/schema/enum",
                "/paths/~1pets/get/parameters/1/enum",
            ),
            ("/paths/~1pets/get", "/paths/~1pets/get"),
            ("", ""),
        ];
        for (v3, v2) in cases {
            assert_eq!(to_swagger2(v3, &[]), v2, "{v3}");
        }
        // A query parameter after a body parameter is one place earlier in 3.0.
        let moves = [
            (
                "/paths/~1pets/get/parameters/0".to_string(),
                "/paths/~1pets/get/parameters/1".to_string(),
            ),
            ("/servers".to_string(), "/schemes".to_string()),
        ];
        assert_eq!(
            to_swagger2("/paths/~1pets/get/parameters/0/schema/type", &moves),
            "/paths/~1pets/get/parameters/1/type"
        );
        assert_eq!(
            to_swagger2("/paths/~1pets/get/parameters/00", &moves),
            "/paths/~1pets/get/parameters/00"
        );
        assert_eq!(to_swagger2("/servers/0/url", &moves), "/schemes/0/url");
    }
}
