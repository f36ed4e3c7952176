//! CSV: the compliance matrix bidders fill in, a bid's evaluation, a comparison of bids.

use super::{ExportError, assessment, evidence_asked, importance};
use crate::compare::Comparison;
use crate::evaluate::Evaluation;
use crate::pack::Pack;

/// The columns of the compliance matrix; the last three are the bidder's.
pub const MATRIX_HEADER: [&str; 10] = [
    "Requirement",
    "Section",
    "Level",
    "Weight",
    "Requirement text",
    "Evidence requested",
    "How it is assessed",
    "Bidder: complies (Yes/No/Partly)",
    "Bidder: response",
    "Bidder: evidence reference (file, operation, page)",
];

/// The matrix as rows of cells (shared with the XLSX writer).
pub(crate) fn matrix_rows(pack: &Pack) -> Vec<[String; 10]> {
    pack.requirements
        .iter()
        .map(|r| {
            let section = r
                .section
                .as_deref()
                .and_then(|s| pack.sections.iter().find(|x| x.id == s))
                .map(|s| s.title.clone())
                .unwrap_or_default();
            [
                r.id.clone(),
                section,
                r.level.as_str().to_owned(),
                r.weight.map(|w| w.to_string()).unwrap_or_default(),
                r.text.clone(),
                evidence_asked(r),
                format!("{} {}", importance(pack, r), assessment(r)),
                String::new(),
                String::new(),
                String::new(),
            ]
        })
        .collect()
}

fn write<R: AsRef<[u8]>>(rows: impl IntoIterator<Item = Vec<R>>) -> Result<String, ExportError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(row)
            .map_err(|e| ExportError::new("csv", e))?;
    }
    let bytes = w.into_inner().map_err(|e| ExportError::new("csv", e))?;
    String::from_utf8(bytes).map_err(|e| ExportError::new("csv", e))
}

/// The compliance matrix: one row per requirement, with empty columns for the bidder.
pub fn matrix(pack: &Pack) -> Result<String, ExportError> {
    let header = MATRIX_HEADER
        .iter()
        .map(|s| (*s).to_owned())
        .collect::<Vec<_>>();
    write(std::iter::once(header).chain(matrix_rows(pack).into_iter().map(Vec::from)))
}

/// A bid's evaluation: one row per requirement.
pub fn evaluation(e: &Evaluation) -> Result<String, ExportError> {
    let header = [
        "Requirement",
        "Level",
        "Status",
        "Weight",
        "Marks",
        "Explanation",
        "Evidence",
    ]
    .map(str::to_owned)
    .to_vec();
    let rows = e.requirements.iter().map(|o| {
        vec![
            o.id.clone(),
            o.level.as_str().to_owned(),
            o.status.as_str().to_owned(),
            o.weight.map(|w| w.to_string()).unwrap_or_default(),
            o.points.map(|p| p.to_string()).unwrap_or_default(),
            o.explanation.clone(),
            o.evidence
                .iter()
                .map(|ev| {
                    let place = ev.place();
                    if place.is_empty() {
                        ev.message.clone()
                    } else {
                        format!("{place}: {}", ev.message)
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ]
    });
    write(std::iter::once(header).chain(rows))
}

/// Bids side by side: a row per requirement, a column per bid, then the totals.
pub fn comparison(c: &Comparison) -> Result<String, ExportError> {
    let mut header = vec![
        "Requirement".to_owned(),
        "Level".to_owned(),
        "Weight".to_owned(),
    ];
    header.extend(c.bids.iter().map(|b| b.bid.clone()));
    let mut rows = vec![header];
    for r in &c.rows {
        let mut row = vec![
            r.id.clone(),
            r.level.as_str().to_owned(),
            r.weight.map(|w| w.to_string()).unwrap_or_default(),
        ];
        row.extend(r.cells.iter().map(|cl| match cl {
            Some(cl) => match cl.points {
                Some(p) => format!("{} ({p})", cl.status.as_str()),
                None => cl.status.as_str().to_owned(),
            },
            None => String::new(),
        }));
        rows.push(row);
    }
    let mut verdict = vec!["Verdict".to_owned(), String::new(), String::new()];
    verdict.extend(c.bids.iter().map(|b| b.verdict.as_str().to_owned()));
    let mut marks = vec!["Marks".to_owned(), String::new(), String::new()];
    marks.extend(
        c.bids
            .iter()
            .map(|b| format!("{} of {}", b.points, b.available)),
    );
    let mut rank = vec!["Rank".to_owned(), String::new(), String::new()];
    rank.extend(
        c.bids
            .iter()
            .map(|b| b.rank.map(|r| r.to_string()).unwrap_or_default()),
    );
    rows.extend([verdict, marks, rank]);
    write(rows)
}
