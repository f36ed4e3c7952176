//! Facet counts: how many matching documents carry each value of a keyword field, read from the
//! fields' fast columns (term ordinals per document, counted per segment, named once at the end).

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// The keyword fields counted, by their index names; the answer uses the same names.
pub const FACETS: &[&str] = &[
    "kind",
    "org",
    "org_kind",
    "lifecycle",
    "tag",
    "format",
    "kitemark",
    "score_band",
    "tier",
];

pub type Counts = Vec<HashMap<String, u64>>;

pub struct FacetCounts;

pub struct SegmentFacets {
    columns: Vec<Option<(StrColumn, Vec<u64>)>>,
}

impl Collector for FacetCounts {
    type Fruit = Counts;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let fast = reader.fast_fields();
        let mut columns = Vec::with_capacity(FACETS.len());
        for name in FACETS {
            columns.push(fast.str(name)?.map(|c| {
                let terms = c.dictionary().num_terms();
                (c, vec![0; terms])
            }));
        }
        Ok(SegmentFacets { columns })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut total: Counts = vec![HashMap::new(); FACETS.len()];
        for fruit in fruits {
            for (into, from) in total.iter_mut().zip(fruit) {
                for (value, n) in from {
                    *into.entry(value).or_default() += n;
                }
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (column, counts) in self.columns.iter_mut().flatten() {
            for ord in column.term_ords(doc) {
                counts[ord as usize] += 1;
            }
        }
    }

    fn harvest(self) -> Counts {
        self.columns
            .into_iter()
            .map(|c| {
                let mut out = HashMap::new();
                if let Some((column, counts)) = c {
                    for (ord, n) in counts.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                        let mut value = String::new();
                        if column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                            out.insert(value, n);
                        }
                    }
                }
                out
            })
            .collect()
    }
}
