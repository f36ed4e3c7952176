//! Lint results as text (for people), JSON (for scripts) and SARIF 2.1.0 (for code scanning).

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::lint::Report;
use crate::ruleset::{Rule, Ruleset, Severity};
use crate::score::Score;

/// The result for one file given to `pac lint`.
pub struct FileResult {
    pub file: String,
    /// `openapi-3.0` and so on, when the file could be read.
    pub format: Option<String>,
    pub report: Option<Report>,
    pub score: Option<Score>,
    /// Why the file could not be linted: (code, message).
    pub error: Option<(String, String)>,
}

pub fn text(ruleset: &Ruleset, results: &[FileResult]) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings, mut infos, mut hints) = (0, 0, 0, 0);
    for r in results {
        let _ = writeln!(out, "{}", r.file);
        if let Some((code, message)) = &r.error {
            let _ = writeln!(out, "  cannot be linted [{code}]: {message}");
            continue;
        }
        let Some(report) = &r.report else { continue };
        for f in &report.findings {
            match f.severity {
                Severity::Error => errors += 1,
                Severity::Warn => warnings += 1,
                Severity::Info => infos += 1,
                _ => hints += 1,
            }
            let at = match (f.line, f.column) {
                (Some(l), Some(c)) => format!("{l}:{c}"),
                _ => "-".to_owned(),
            };
            let _ = writeln!(
                out,
                "  {at:>8}  {:<5}  {}  {}  {}",
                f.severity.as_str(),
                f.rule,
                f.message,
                if f.pointer.is_empty() {
                    "/"
                } else {
                    &f.pointer
                }
            );
        }
        if report.findings.is_empty() {
            let _ = writeln!(out, "  no findings");
        }
        if let Some(s) = &r.score {
            let parts: Vec<String> = s
                .breakdown
                .iter()
                .map(|(k, p)| match p.score {
                    Some(v) => format!("{k} {v}"),
                    None => format!("{k} n/a"),
                })
                .collect();
            let _ = writeln!(
                out,
                "  {}: {}; score {}/100 ({})",
                ruleset
                    .identity
                    .title
                    .as_deref()
                    .unwrap_or(&ruleset.identity.name),
                if s.kitemark {
                    "meets the minimum standard (kitemark)".to_owned()
                } else {
                    format!(
                        "does not meet the minimum standard: {}",
                        s.must_failures.join(", ")
                    )
                },
                s.score,
                parts.join(", ")
            );
        }
    }
    for u in &ruleset.unsupported {
        let _ = writeln!(out, "not run: {}: {}", u.rule, u.reason);
    }
    let total = errors + warnings + infos + hints;
    let _ = writeln!(
        out,
        "{total} problem{} ({errors} error{}, {warnings} warning{}, {infos} info, {hints} hint{}) in {} file{}",
        if total == 1 { "" } else { "s" },
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
        if hints == 1 { "" } else { "s" },
        results.len(),
        if results.len() == 1 { "" } else { "s" },
    );
    out
}

pub fn json(ruleset: &Ruleset, results: &[FileResult]) -> Value {
    let rules: Vec<&str> = ruleset.enabled().map(|r| r.name.as_str()).collect();
    let files: Vec<Value> = results
        .iter()
        .map(|r| {
            json!({
                "file": r.file,
                "format": r.format,
                "findings": r.report.as_ref().map(|x| &x.findings),
                "score": r.score,
                "error": r.error.as_ref().map(|(code, message)| json!({"code": code, "message": message})),
            })
        })
        .collect();
    json!({
        "ruleset": {"name": ruleset.identity.name, "version": ruleset.identity.version},
        "rules": rules,
        "unsupported": ruleset.unsupported,
        "files": files,
    })
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warn => "warning",
        _ => "note",
    }
}

/// SARIF 2.1.0: one run, the ruleset's enabled rules as the driver's rules.
pub fn sarif(ruleset: &Ruleset, results: &[FileResult]) -> Value {
    let enabled: Vec<&Rule> = ruleset.enabled().collect();
    let rules: Vec<Value> = enabled
        .iter()
        .map(|r| {
            let mut rule = json!({
                "id": r.name,
                "shortDescription": {"text": r.description.clone().unwrap_or_else(|| r.name.clone())},
                "defaultConfiguration": {"level": sarif_level(r.severity)},
            });
            if let Some(g) = &r.guidance {
                rule["fullDescription"] = json!({"text": g.rationale});
                rule["help"] = json!({"text": g.fix});
                rule["properties"] = json!({"level": g.level, "category": g.category});
            }
            rule
        })
        .collect();
    let mut sarif_results = Vec::new();
    let mut notifications = Vec::new();
    for r in results {
        if let Some((code, message)) = &r.error {
            notifications.push(json!({
                "level": "error",
                "message": {"text": format!("{}: {message} [{code}]", r.file)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&r.file)}}}],
            }));
        }
        let Some(report) = &r.report else { continue };
        for f in &report.findings {
            let mut region = json!({});
            if let (Some(l), Some(c)) = (f.line, f.column) {
                region = json!({"startLine": l, "startColumn": c});
            }
            sarif_results.push(json!({
                "ruleId": f.rule,
                "ruleIndex": enabled.iter().position(|x| x.name == f.rule),
                "level": sarif_level(f.severity),
                "message": {"text": f.message},
                "locations": [{
                    "physicalLocation": {"artifactLocation": {"uri": uri(&r.file)}, "region": region},
                    "logicalLocations": [{"fullyQualifiedName": f.pointer, "kind": "member"}],
                }],
            }));
        }
    }
    json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "pac",
                "fullName": "Police API Catalogue lint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
                "properties": {"ruleset": ruleset.identity.name, "rulesetVersion": ruleset.identity.version},
            }},
            "invocations": [{"executionSuccessful": true, "toolExecutionNotifications": notifications}],
            "results": sarif_results,
        }],
    })
}

/// A relative file reference as SARIF wants it: forward slashes, spaces escaped.
fn uri(path: &str) -> String {
    path.replace('\\', "/").replace(' ', "%20")
}
