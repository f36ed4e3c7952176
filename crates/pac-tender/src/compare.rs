//! Bids side by side: per requirement each bid's status and points, and per bid its verdict,
//! marks and rank (bids that fail a MUST are not ranked).

use serde::Serialize;

use crate::evaluate::{Evaluation, Status, Verdict};
use crate::pack::{Level, Pack};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BidSummary {
    pub bid: String,
    pub verdict: Verdict,
    pub points: f64,
    pub available: u32,
    pub pending: u32,
    /// 1 for the most marks; None when disqualified. Equal marks share a rank.
    pub rank: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub id: String,
    pub level: Level,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// One per bid, in the order of `Comparison::bids`; None when the bid's evaluation lacks the
    /// requirement (evaluated against another version of the pack).
    pub cells: Vec<Option<Cell>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub pack: String,
    pub pack_version: String,
    pub bids: Vec<BidSummary>,
    pub rows: Vec<Row>,
}

/// Compares the evaluations of several bids against `pack`.
pub fn compare(pack: &Pack, evaluations: &[Evaluation]) -> Comparison {
    let mut bids: Vec<BidSummary> = evaluations
        .iter()
        .map(|e| BidSummary {
            bid: e.bid.clone(),
            verdict: e.verdict,
            points: e.points,
            available: e.available,
            pending: e.pending,
            rank: None,
        })
        .collect();
    let mut qualified: Vec<f64> = bids
        .iter()
        .filter(|b| b.verdict != Verdict::NonCompliant)
        .map(|b| b.points)
        .collect();
    qualified.sort_by(|a, b| b.total_cmp(a));
    for b in &mut bids {
        if b.verdict != Verdict::NonCompliant {
            b.rank = qualified.iter().position(|p| *p == b.points).map(|i| i + 1);
        }
    }
    let rows = pack
        .requirements
        .iter()
        .map(|r| Row {
            id: r.id.clone(),
            level: r.level,
            weight: r.weight,
            cells: evaluations
                .iter()
                .map(|e| {
                    e.requirements.iter().find(|o| o.id == r.id).map(|o| Cell {
                        status: o.status,
                        points: o.points,
                    })
                })
                .collect(),
        })
        .collect();
    Comparison {
        pack: pack.id.clone(),
        pack_version: pack.version.clone(),
        bids,
        rows,
    }
}
