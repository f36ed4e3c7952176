//! Relevance measured: a judged query set (`tests/fixtures/search/judged.yaml`) and the metrics
//! computed over it, MRR@10 and recall@10. The relevance test and `examples/search_bench.rs` share it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Hit;
use crate::error::{Code, Error};

/// How many hits count: a developer reads the first page.
pub const CUTOFF: usize = 10;

#[derive(Debug, Clone, Deserialize)]
pub struct Judged {
    pub query: String,
    /// The `kind` filter the query runs with, if any.
    pub kind: Option<String>,
    #[serde(default)]
    pub domain: Option<String>,
    /// phrase, identifier, kebab, typo or field: for slicing the metrics.
    #[serde(default)]
    pub style: Option<String>,
    pub expect: Vec<Expected>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Expected {
    pub kind: String,
    pub api: String,
    pub method: Option<String>,
    pub path: Option<String>,
    pub schema: Option<String>,
    /// 2: the answer; 1: also right.
    pub grade: u8,
}

impl Expected {
    pub fn matches(&self, hit: &Hit) -> bool {
        if hit.kind != self.kind || hit.api != self.api {
            return false;
        }
        match self.kind.as_str() {
            "operation" => hit.operation.as_ref().is_some_and(|op| {
                Some(op.method.as_str()) == self.method.as_deref()
                    && Some(op.path.as_str()) == self.path.as_deref()
            }),
            "schema" => hit.schema.as_deref() == self.schema.as_deref(),
            _ => true,
        }
    }
}

pub fn load(path: &Path) -> Result<Vec<Judged>, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::invalid(Code::JudgedUnreadable, format!("{}: {e}", path.display())))?;
    serde_saphyr::from_str(&text)
        .map_err(|e| Error::invalid(Code::JudgedInvalid, format!("{}: {e}", path.display())))
}

/// The scores of one query.
#[derive(Debug, Clone, Serialize)]
pub struct QueryScore {
    pub query: String,
    /// Rank (1-based) of the first expected hit within the cutoff.
    pub first_rank: Option<usize>,
    pub found: usize,
    pub expected: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Slice {
    pub queries: usize,
    pub mrr: f64,
    pub recall: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    pub all: Slice,
    pub by_style: BTreeMap<String, Slice>,
    pub queries: Vec<QueryScore>,
}

/// Runs every judged query through `run` (which returns the first [`CUTOFF`] hits) and scores it.
pub fn evaluate(
    judged: &[Judged],
    mut run: impl FnMut(&Judged) -> Result<Vec<Hit>, Error>,
) -> Result<Scores, Error> {
    let mut queries = Vec::with_capacity(judged.len());
    for j in judged {
        let hits = run(j)?;
        let top = &hits[..hits.len().min(CUTOFF)];
        let first_rank = top
            .iter()
            .position(|h| j.expect.iter().any(|e| e.matches(h)))
            .map(|i| i + 1);
        let found = j
            .expect
            .iter()
            .filter(|e| top.iter().any(|h| e.matches(h)))
            .count();
        queries.push(QueryScore {
            query: j.query.clone(),
            first_rank,
            found,
            expected: j.expect.len(),
        });
    }
    let slice = |scores: &[&QueryScore]| {
        let n = scores.len().max(1) as f64;
        Slice {
            queries: scores.len(),
            mrr: scores
                .iter()
                .map(|s| s.first_rank.map_or(0.0, |r| 1.0 / r as f64))
                .sum::<f64>()
                / n,
            recall: scores
                .iter()
                .map(|s| s.found as f64 / s.expected.max(1) as f64)
                .sum::<f64>()
                / n,
        }
    };
    let all = slice(&queries.iter().collect::<Vec<_>>());
    let mut styles: BTreeMap<String, Vec<&QueryScore>> = BTreeMap::new();
    for (j, s) in judged.iter().zip(&queries) {
        styles
            .entry(j.style.clone().unwrap_or_else(|| "-".into()))
            .or_default()
            .push(s);
    }
    let by_style = styles.into_iter().map(|(k, v)| (k, slice(&v))).collect();
    Ok(Scores {
        all,
        by_style,
        queries,
    })
}
