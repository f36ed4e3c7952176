//! Bytes to `serde_json::Value`: size, encoding and nesting checks first (cheap), then JSON or YAML.
//!
//! JSON is tried when the first significant byte is `{` or `[`; everything else is YAML (JSON that fails as
//! JSON gets a second chance as YAML, since YAML flow syntax is more forgiving). YAML alias bombs are stopped by
//! serde-saphyr's replay budget, deep nesting by its depth budget or, for JSON, by a byte scan before parsing.

use crate::codes::SpecCode;
use serde_json::Value;

use super::{Limits, SourceFormat, SpecError};

pub struct Parsed {
    pub value: Value,
    pub format: SourceFormat,
}

pub fn parse(file: &str, bytes: &[u8], limits: &Limits) -> Result<Parsed, SpecError> {
    if bytes.len() > limits.max_document_bytes {
        return Err(SpecError::new(
            SpecCode::TooLarge,
            format!(
                "{file}: {} bytes is more than the limit of {} bytes",
                bytes.len(),
                limits.max_document_bytes
            ),
        )
        .file(file));
    }
    let text = decode(file, bytes)?;
    if super::sniff::sniff(text.as_bytes()) == super::sniff::Sniffed::Json {
        check_json_depth(file, text, limits.max_depth)?;
        match serde_json::from_str::<Value>(text) {
            Ok(value) => {
                return Ok(Parsed {
                    value,
                    format: SourceFormat::Json,
                });
            }
            Err(e) => {
                let what = e.to_string();
                let what = what
                    .rsplit_once(" at line ")
                    .map_or(what.as_str(), |(w, _)| w);
                if what.contains("number out of range") {
                    return Err(SpecError::at(
                        SpecCode::Number,
                        file,
                        e.line(),
                        e.column(),
                        format!("a number that cannot be represented ({what})"),
                    ));
                }
                if what.contains("recursion limit") {
                    return Err(SpecError::at(
                        SpecCode::TooDeep,
                        file,
                        e.line(),
                        e.column(),
                        "nesting too deep",
                    ));
                }
                let json_error = SpecError::at(
                    SpecCode::Syntax,
                    file,
                    e.line(),
                    e.column(),
                    format!("invalid JSON: {what}"),
                );
                return match parse_yaml(file, text, limits) {
                    Ok(value) => Ok(Parsed {
                        value,
                        format: SourceFormat::Yaml,
                    }),
                    Err(_) => Err(json_error),
                };
            }
        }
    }
    let value = parse_yaml(file, text, limits)?;
    Ok(Parsed {
        value,
        format: SourceFormat::Yaml,
    })
}

/// UTF-8 only (a BOM is skipped); C0 control characters other than tab, LF and CR are refused because neither
/// JSON nor YAML allows them raw, and they usually mean a binary or mis-encoded upload.
pub fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, SpecError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(SpecError::at(
            SpecCode::Encoding,
            file,
            1,
            1,
            "UTF-16 is not supported; save the file as UTF-8",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_column(bytes, e.valid_up_to());
        SpecError::at(SpecCode::Encoding, file, line, column, "not valid UTF-8")
    })?;
    if let Some(at) = text
        .bytes()
        .position(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
    {
        let (line, column) = line_column(bytes, at);
        return Err(SpecError::at(
            SpecCode::Encoding,
            file,
            line,
            column,
            format!("control character U+{:04X} is not allowed", bytes[at]),
        ));
    }
    Ok(text)
}

/// 1-based line and column (in characters) of byte offset `at`.
pub(crate) fn line_column(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}

/// serde_json recurses per nesting level; refuse deep input before it gets there.
fn check_json_depth(file: &str, text: &str, max_depth: usize) -> Result<(), SpecError> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max_depth {
                    let (line, column) = line_column(bytes, i);
                    return Err(SpecError::at(
                        SpecCode::TooDeep,
                        file,
                        line,
                        column,
                        format!("nesting deeper than the limit of {max_depth}"),
                    ));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn yaml_options(limits: &Limits) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    // Size is already bounded by max_document_bytes; these counters would only reject large honest files.
    budget.max_events = usize::MAX;
    budget.max_nodes = usize::MAX;
    budget.max_total_scalar_bytes = usize::MAX;
    budget.max_depth = limits.max_depth;
    budget.flow_nesting_limit = limits.max_depth;
    // Shared error responses are often aliased many times from one anchor; the replay budget is the real guard.
    budget.enforce_alias_anchor_ratio = false;
    budget.max_recorded_anchor_events = limits.max_alias_expansions;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = limits.max_alias_expansions;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::LastWins;
    // YAML 1.2 core schema: `no`, `on`, `y` stay strings (country codes, enum values).
    options.strict_booleans = true;
    // `0858...` identifiers in examples stay strings instead of becoming lossy numbers.
    options.leading_zero_numbers_as_strings = true;
    options.with_snippet = false;
    options.emit_comments = false;
    options
}

fn parse_yaml(file: &str, text: &str, limits: &Limits) -> Result<Value, SpecError> {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    let err = match serde_saphyr::from_str_with_options::<Value>(text, yaml_options(limits)) {
        Ok(v) => return Ok(v),
        Err(err) => err,
    };
    if let Some((at, c)) = text
        .char_indices()
        .find(|(_, c)| ('\u{80}'..='\u{9f}').contains(c) && *c != '\u{85}')
    {
        // YAML forbids C1 controls; they are nearly always mis-decoded Windows-1252 text.
        let (line, column) = line_column(text.as_bytes(), at);
        return Err(SpecError::at(
            SpecCode::Encoding,
            file,
            line,
            column,
            format!(
                "control character U+{:04X} is not allowed in YAML",
                u32::from(c)
            ),
        ));
    }
    // Alias and snippet wrappers carry the original error inside; classify by that.
    let mut inner = &err;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = inner {
        inner = error;
    }
    let code = match inner {
        E::Budget { breach, .. } => match breach {
            B::Depth { .. } => SpecCode::TooDeep,
            B::Aliases { .. }
            | B::Anchors { .. }
            | B::AliasAnchorRatio { .. }
            | B::RecordedAnchorEvents { .. }
            | B::RecordedAnchorBytes { .. }
            | B::MergeKeys { .. } => SpecCode::AliasLimit,
            _ => SpecCode::TooLarge,
        },
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => SpecCode::AliasLimit,
        E::NonFiniteFloat { .. } => SpecCode::Number,
        E::InvalidUtf8Input => SpecCode::Encoding,
        _ => {
            let m = err.to_string();
            if m.contains("nesting") || m.contains("recursion") {
                SpecCode::TooDeep
            } else {
                SpecCode::Syntax
            }
        }
    };
    let (line, column) = err.location().map_or((0, 0), |l| {
        (
            usize::try_from(l.line()).unwrap_or(0),
            usize::try_from(l.column()).unwrap_or(0),
        )
    });
    // The location goes in front of the message; saphyr's own "at line L, column C" would repeat it.
    let full = err.to_string();
    let suffix = format!(" at line {line}, column {column}");
    let detail = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
    let what = match code {
        SpecCode::Syntax => format!("invalid YAML: {detail}"),
        SpecCode::Number => format!("a number that cannot be represented: {detail}"),
        SpecCode::AliasLimit => format!("YAML aliases expand beyond the limit: {detail}"),
        SpecCode::TooDeep => format!(
            "nesting deeper than the limit of {}: {detail}",
            limits.max_depth
        ),
        _ => detail,
    };
    if line > 0 {
        Err(SpecError::at(code, file, line, column, what))
    } else {
        Err(SpecError::new(code, format!("{file}: {what}")).file(file))
    }
}
