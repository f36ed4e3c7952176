//! Markdown: the tender text, a bid's evaluation report, and a comparison of bids.

use std::fmt::Write;

use super::{assessment, by_section, evidence_asked, importance};
use crate::compare::Comparison;
use crate::evaluate::Evaluation;
use crate::pack::{Check, Pack};

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The pack as the API requirements section of an invitation to tender.
pub fn pack(pack: &Pack) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", pack.title);
    let _ = writeln!(
        out,
        "Buyer: {}. Requirement pack {}, version {}.\n",
        pack.buyer, pack.id, pack.version
    );
    if let Some(d) = &pack.description {
        let _ = writeln!(out, "{d}\n");
    }
    let total = pack.total_weight();
    let _ = writeln!(
        out,
        "## How the requirements are assessed\n\n\
         Each requirement is MUST or SHOULD. A MUST requirement is a pass/fail gate: a bid that does not meet \
         every MUST requirement is not compliant and is not evaluated further. A SHOULD requirement is scored: \
         its weight is its share of the {total} marks available for these requirements. Requirements assessed \
         automatically are checked by the Police API Catalogue against the API descriptions in the bid \
         (a SHOULD requirement met scores its whole weight); the others are scored by an evaluator on the \
         scale stated, and a SHOULD requirement scores its weight times the score divided by the top of the scale.\n"
    );
    let _ = writeln!(
        out,
        "## Summary\n\n| id | requirement | importance | assessed |\n|---|---|---|---|"
    );
    for r in &pack.requirements {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&r.id),
            cell(r.title.as_deref().unwrap_or(&r.text)),
            importance(pack, r),
            if r.check.is_automatic() {
                "automatically"
            } else {
                "by an evaluator"
            }
        );
    }
    for (section, rs) in by_section(pack) {
        match section {
            Some(s) => {
                let _ = writeln!(out, "\n## {}\n", s.title);
                if let Some(t) = &s.text {
                    let _ = writeln!(out, "{t}\n");
                }
            }
            None => {
                let _ = writeln!(out, "\n## Requirements\n");
            }
        }
        for r in rs {
            let heading = match &r.title {
                Some(t) => format!("{}: {t}", r.id),
                None => r.id.clone(),
            };
            let _ = writeln!(
                out,
                "### {heading}\n\n**{}**. {}\n",
                importance(pack, r),
                r.text
            );
            let _ = writeln!(out, "- Evidence: {}", evidence_asked(r));
            let _ = writeln!(out, "- Assessment: {}", assessment(r));
            if let Check::Manual(m) = &r.check {
                let _ = writeln!(out, "\n| score | meaning |\n|---|---|");
                for (score, words) in &m.descriptors {
                    let _ = writeln!(out, "| {score} | {} |", cell(words));
                }
            }
            out.push('\n');
        }
    }
    out
}

/// A bid's evaluation: the verdict, and per requirement the status, marks and explanation with
/// the evidence (the assessment summary of each criterion).
pub fn evaluation(pack: &Pack, e: &Evaluation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Evaluation of {} against {} {}\n",
        e.bid, pack.title, e.pack_version
    );
    let _ = writeln!(
        out,
        "**Verdict: {}**. SHOULD requirements: {} of {} marks ({}%){}. Standard in force: {}.\n",
        e.verdict.as_str().replace('_', " "),
        e.points,
        e.available,
        e.percent(),
        if e.pending > 0 {
            format!("; {} marks await an evaluator", e.pending)
        } else {
            String::new()
        },
        e.standard
    );
    if !e.files.is_empty() {
        let _ = writeln!(out, "| API description | kitemark | score |\n|---|---|---|");
        for f in &e.files {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&f.file),
                f.kitemark.map_or("-", |k| if k { "yes" } else { "no" }),
                f.score.map_or("-".to_owned(), |s| s.to_string())
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "| id | level | status | marks |\n|---|---|---|---|");
    for o in &e.requirements {
        let marks = match (o.points, o.weight) {
            (Some(p), Some(w)) => format!("{p} of {w}"),
            (None, Some(w)) => format!("? of {w}"),
            _ => "-".to_owned(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {marks} |",
            cell(&o.id),
            o.level.as_str(),
            o.status.as_str().replace('_', " ")
        );
    }
    for o in &e.requirements {
        let _ = writeln!(
            out,
            "\n## {}: {}\n\n{}\n",
            o.id,
            o.status.as_str().replace('_', " "),
            o.explanation
        );
        for ev in &o.evidence {
            let place = ev.place();
            let rule = ev
                .rule
                .as_deref()
                .map(|r| format!("`{r}` "))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- {}{}{rule}{}",
                if ev.holds { "" } else { "✗ " },
                if place.is_empty() {
                    String::new()
                } else {
                    format!("{place}: ")
                },
                cell(&ev.message)
            );
        }
    }
    out
}

/// Bids side by side.
pub fn comparison(c: &Comparison) -> String {
    let mut out = format!("# Comparison of bids: {} {}\n\n", c.pack, c.pack_version);
    let _ = writeln!(out, "| bid | verdict | marks | rank |\n|---|---|---|---|");
    for b in &c.bids {
        let _ = writeln!(
            out,
            "| {} | {} | {} of {}{} | {} |",
            cell(&b.bid),
            b.verdict.as_str().replace('_', " "),
            b.points,
            b.available,
            if b.pending > 0 {
                format!(" ({} pending)", b.pending)
            } else {
                String::new()
            },
            b.rank.map_or("-".to_owned(), |r| r.to_string())
        );
    }
    let _ = write!(out, "\n| requirement |");
    for b in &c.bids {
        let _ = write!(out, " {} |", cell(&b.bid));
    }
    let _ = write!(out, "\n|---|");
    for _ in &c.bids {
        out.push_str("---|");
    }
    out.push('\n');
    for r in &c.rows {
        let _ = write!(out, "| {} ({}) |", cell(&r.id), r.level.as_str());
        for cl in &r.cells {
            let text = match cl {
                Some(cl) => match cl.points {
                    Some(p) => format!("{} ({p})", cl.status.as_str().replace('_', " ")),
                    None => cl.status.as_str().replace('_', " "),
                },
                None => "-".to_owned(),
            };
            let _ = write!(out, " {text} |");
        }
        out.push('\n');
    }
    out
}
