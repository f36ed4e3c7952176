//! The tender text as a Word document (docx-rs), the same content as the Markdown: headings,
//! the assessment rules, a summary table and each requirement with its evidence, assessment and
//! scoring descriptors.

use std::io::Cursor;

use docx_rs::{Docx, Paragraph, Run, Style, StyleType, Table, TableCell, TableRow};

use super::{ExportError, assessment, by_section, evidence_asked, importance};
use crate::pack::{Check, Pack};

fn heading(level: usize, text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(text))
        .style(&format!("Heading{level}"))
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

fn labelled(label: &str, text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(format!("{label}: ")).bold())
        .add_run(Run::new().add_text(text))
}

fn table(header: &[&str], rows: Vec<Vec<String>>) -> Table {
    let head = TableRow::new(
        header
            .iter()
            .map(|h| {
                TableCell::new()
                    .add_paragraph(Paragraph::new().add_run(Run::new().add_text(*h).bold()))
            })
            .collect(),
    );
    let body = rows.into_iter().map(|row| {
        TableRow::new(
            row.iter()
                .map(|c| TableCell::new().add_paragraph(para(c)))
                .collect(),
        )
    });
    Table::new(std::iter::once(head).chain(body).collect())
}

fn heading_style(level: usize, size: usize) -> Style {
    Style::new(format!("Heading{level}"), StyleType::Paragraph)
        .name(format!("Heading {level}"))
        .size(size)
        .bold()
        .outline_lvl(level - 1)
}

/// The pack as a Word document.
pub fn pack(pack: &Pack) -> Result<Vec<u8>, ExportError> {
    let mut doc = Docx::new()
        .add_style(heading_style(1, 36))
        .add_style(heading_style(2, 30))
        .add_style(heading_style(3, 26))
        .add_paragraph(heading(1, &pack.title))
        .add_paragraph(para(&format!(
            "Buyer: {}. Requirement pack {}, version {}.",
            pack.buyer, pack.id, pack.version
        )));
    if let Some(d) = &pack.description {
        doc = doc.add_paragraph(para(d));
    }
    doc = doc
        .add_paragraph(heading(2, "How the requirements are assessed"))
        .add_paragraph(para(&format!(
            "Each requirement is MUST or SHOULD. A MUST requirement is a pass/fail gate: a bid that does not meet every \
             MUST requirement is not compliant and is not evaluated further. A SHOULD requirement is scored: its weight \
             is its share of the {} marks available for these requirements. Requirements assessed automatically are \
             checked by the Police API Catalogue against the API descriptions in the bid (a SHOULD requirement met \
             scores its whole weight); the others are scored by an evaluator on the scale stated, and a SHOULD \
             requirement scores its weight times the score divided by the top of the scale.",
            pack.total_weight()
        )))
        .add_paragraph(heading(2, "Summary"))
        .add_table(table(
            &["Id", "Requirement", "Importance", "Assessed"],
            pack.requirements
                .iter()
                .map(|r| {
                    vec![
                        r.id.clone(),
                        r.title.clone().unwrap_or_else(|| r.text.clone()),
                        importance(pack, r),
                        if r.check.is_automatic() { "automatically" } else { "by an evaluator" }.to_owned(),
                    ]
                })
                .collect(),
        ));
    for (section, rs) in by_section(pack) {
        match section {
            Some(s) => {
                doc = doc.add_paragraph(heading(2, &s.title));
                if let Some(t) = &s.text {
                    doc = doc.add_paragraph(para(t));
                }
            }
            None => doc = doc.add_paragraph(heading(2, "Requirements")),
        }
        for r in rs {
            let title = match &r.title {
                Some(t) => format!("{}: {t}", r.id),
                None => r.id.clone(),
            };
            doc = doc
                .add_paragraph(heading(3, &title))
                .add_paragraph(
                    Paragraph::new()
                        .add_run(
                            Run::new()
                                .add_text(format!("{}. ", importance(pack, r)))
                                .bold(),
                        )
                        .add_run(Run::new().add_text(&r.text)),
                )
                .add_paragraph(labelled("Evidence", &evidence_asked(r)))
                .add_paragraph(labelled("Assessment", &assessment(r)));
            if let Check::Manual(m) = &r.check {
                doc = doc.add_table(table(
                    &["Score", "Meaning"],
                    m.descriptors
                        .iter()
                        .map(|(s, w)| vec![s.to_string(), w.clone()])
                        .collect(),
                ));
            }
        }
    }
    let mut out = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| ExportError::new("docx", e))?;
    Ok(out.into_inner())
}
