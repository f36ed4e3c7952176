//! A report as people read it: plain text for terminals, Markdown for changelogs.

use std::fmt::Write;

use super::{Level, Report};

/// "2 breaking, 1 possibly breaking and 3 non-breaking changes", or "no changes".
pub fn summary(report: &Report) -> String {
    if report.changes.is_empty() {
        return "no changes".into();
    }
    let n = |l| report.count(l);
    format!(
        "{} breaking, {} possibly breaking and {} non-breaking change{}",
        n(Level::Breaking),
        n(Level::PossiblyBreaking),
        n(Level::NonBreaking),
        if report.changes.len() == 1 { "" } else { "s" }
    )
}

/// One line per change: level, id, operation, where, what.
pub fn text(report: &Report, old_name: &str, new_name: &str) -> String {
    let mut out = format!("{}: {old_name} -> {new_name}\n", summary(report));
    for c in &report.changes {
        let file = match c.side {
            super::Side::Old => old_name,
            super::Side::New => new_name,
        };
        let place = match &c.location {
            Some(l) => format!("{file}:{}:{}", l.line.unwrap_or(1), l.column.unwrap_or(1)),
            None => file.to_string(),
        };
        let _ = writeln!(
            out,
            "{:<17} {:<34} {}\n{:<17} at {place} ({})",
            c.level.as_str(),
            c.id,
            c.message,
            "",
            c.pointer,
        );
    }
    out
}

/// A changelog: breaking changes first, grouped by level, one bullet per change.
pub fn markdown(report: &Report, title: &str) -> String {
    let mut out = format!("# {title}\n\n{}.\n", capitalise(&summary(report)));
    for (level, heading) in [
        (Level::Breaking, "Breaking changes"),
        (Level::PossiblyBreaking, "Possibly breaking changes"),
        (Level::NonBreaking, "Other changes"),
    ] {
        let changes: Vec<_> = report.changes.iter().filter(|c| c.level == level).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = write!(out, "\n## {heading}\n\n");
        for c in changes {
            let op = c
                .operation
                .as_deref()
                .map(|o| format!("`{o}`: "))
                .unwrap_or_default();
            let _ = writeln!(out, "- {op}{} (`{}`)", escape_markdown(&c.message), c.id);
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Descriptions are not ours: their text must not become Markdown or HTML.
fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
