//! The walk over the document: runs the segments of a path (selectors, slices, descendants,
//! `~`), follows refs when asked, keeps the locations, and deduplicates what it selects.
//! Filters are decided by `filters`, which runs its own sub-queries back through [`collect`]
//! (handed in as a function, so that `filters` need not import this module).

use std::borrow::Cow;

use rustc_hash::FxHashSet;
use serde_json::Value;

use crate::filters::{self, Ctx};
use crate::location::{Key, Node, Segment, norm_index};
use crate::references::{Env, ref_str};
use crate::syntax::{Expr, Seg, Sel};

/// Below this depth the walk stops descending: a document (or a chain of refs) that deep is
/// either hostile or broken, and the stack must survive it.
const MAX_WALK_DEPTH: usize = 512;

/// Every node `segs` select from `start`, deduplicated by location, with their locations.
pub(crate) fn select<'v>(env: &Env<'v>, segs: &[Seg], start: &'v Value) -> Vec<Node<'v>> {
    let mut w = Walker::new(env, segs, 0, None);
    w.start(start);
    w.out
}

/// The values a query inside a filter selects from `start` (locations relative to it, no
/// dedupe: `count()` counts what the query yields), `depth` levels below the top.
pub(crate) fn collect<'v>(
    env: &Env<'v>,
    segs: &[Seg],
    start: &'v Value,
    depth: usize,
) -> Vec<&'v Value> {
    let mut w = Walker::new(env, segs, depth, Some(Vec::new()));
    w.floor = Some(0);
    w.chain.push(addr(start));
    w.run(0, start, None);
    w.vals.unwrap_or_default()
}

/// A node's identity in the document (equal values in two places are two nodes), for the
/// cycle checks, the memo and the dedupe.
fn addr(v: &Value) -> usize {
    v as *const Value as usize
}

/// One run of a path's segments, keeping where it is and what it has done.
struct Walker<'w, 'v> {
    env: &'w Env<'v>,
    segs: &'w [Seg],
    loc: Vec<Key<'v>>,
    /// None: the location is `base` + `loc`; Some(f): it is `loc[f..]` (absolute, after a ref).
    floor: Option<usize>,
    /// The nodes on the way down: a ref leading back into one of them is a cycle, not followed.
    chain: Vec<usize>,
    depth: usize,
    /// (segment, node) pairs a descendant segment has expanded: a ref target reached many ways
    /// is walked once per segment, which keeps dense ref graphs linear.
    memo: FxHashSet<(usize, usize)>,
    /// Nodes already selected (and whether as a `~` name): results are deduplicated.
    seen: FxHashSet<(usize, bool)>,
    out: Vec<Node<'v>>,
    /// Collect mode (queries inside filters): values only, no dedupe.
    vals: Option<Vec<&'v Value>>,
    /// For the node just entered: the floor and `loc` length before any ref was followed.
    entered: Option<(Option<usize>, usize)>,
    /// The values entered on the way to the current node (ref targets, not `$ref` objects).
    values: Vec<&'v Value>,
}

/// The indexes a slice selects in an array of `len` items, in order (RFC 9535 §2.3.4.2).
fn slice_indices(
    len: usize,
    start: Option<i64>,
    end: Option<i64>,
    step: Option<i64>,
) -> Vec<usize> {
    let len = len as i64;
    let step = step.unwrap_or(1);
    let norm = |i: i64| if i >= 0 { i } else { len.saturating_add(i) };
    let mut out = Vec::new();
    if step > 0 {
        let lower = norm(start.unwrap_or(0)).clamp(0, len);
        let upper = norm(end.unwrap_or(len)).clamp(0, len);
        let mut i = lower;
        while i < upper {
            out.push(i as usize);
            match i.checked_add(step) {
                Some(n) => i = n,
                None => break,
            }
        }
    } else if step < 0 {
        let upper = norm(start.unwrap_or(len - 1)).clamp(-1, len - 1);
        let lower = match end {
            Some(e) => norm(e).clamp(-1, len - 1),
            None => -1,
        };
        let mut i = upper;
        while lower < i {
            out.push(i as usize);
            match i.checked_add(step) {
                Some(n) => i = n,
                None => break,
            }
        }
    }
    out
}

impl<'w, 'v> Walker<'w, 'v> {
    fn new(env: &'w Env<'v>, segs: &'w [Seg], depth: usize, vals: Option<Vec<&'v Value>>) -> Self {
        Walker {
            env,
            segs,
            loc: Vec::new(),
            floor: None,
            chain: Vec::new(),
            depth,
            memo: FxHashSet::default(),
            seen: FxHashSet::default(),
            out: Vec::new(),
            vals,
            entered: None,
            values: Vec::new(),
        }
    }

    fn start(&mut self, node: &'v Value) {
        self.chain.push(addr(node));
        let mut n = node;
        if self.env.follow
            && let Some(t) = ref_str(node).and_then(|r| self.env.resolve(r))
            && addr(t.value) != addr(node)
        {
            self.floor = Some(self.loc.len());
            self.loc.extend_from_slice(&t.loc);
            self.chain.push(addr(t.value));
            n = t.value;
        }
        self.run(0, n, None);
    }

    fn location_of(&self, floor: Option<usize>, end: usize) -> Vec<Segment> {
        match floor {
            None => self
                .env
                .base
                .iter()
                .cloned()
                .chain(self.loc[..end].iter().map(|k| k.to_segment()))
                .collect(),
            Some(f) => self.loc[f..end].iter().map(|k| k.to_segment()).collect(),
        }
    }

    fn emit(&mut self, node: &'v Value) {
        if let Some(v) = &mut self.vals {
            v.push(node);
            return;
        }
        if !self.seen.insert((addr(node), false)) {
            return;
        }
        let location = self.location_of(self.floor, self.loc.len());
        self.out.push(Node {
            value: Cow::Borrowed(node),
            location,
        });
    }

    fn emit_name(&mut self, node: &'v Value, key: Key<'v>) {
        if self.vals.is_some() || !self.seen.insert((addr(node), true)) {
            return;
        }
        let location = match self.entered {
            Some((floor, end)) => self.location_of(floor, end),
            None => self.location_of(self.floor, self.loc.len()),
        };
        let value = match key {
            Key::Name(s) => Value::String(s.to_string()),
            Key::Idx(i) => Value::from(i),
        };
        self.out.push(Node {
            value: Cow::Owned(value),
            location,
        });
    }

    fn run(&mut self, i: usize, node: &'v Value, key: Option<Key<'v>>) {
        let segs = self.segs;
        let Some(seg) = segs.get(i) else {
            self.emit(node);
            return;
        };
        match seg {
            Seg::Child(sels) => {
                for sel in sels {
                    self.select(i, sel, node, key);
                }
            }
            Seg::Desc(sels) => {
                if self.memo.insert((i, addr(node))) {
                    self.descend(i, sels, node, key);
                }
            }
            Seg::Names => {
                if let Some(k) = key
                    && i + 1 == segs.len()
                {
                    self.emit_name(node, k);
                }
            }
        }
    }

    /// Steps into `child` (following a ref when asked), calls `f` with the value there, and steps back.
    fn enter(
        &mut self,
        child: &'v Value,
        key: Key<'v>,
        desc: Option<usize>,
        f: impl FnOnce(&mut Self, &'v Value),
    ) {
        if self.depth >= MAX_WALK_DEPTH {
            return;
        }
        let chain_len = self.chain.len();
        let saved_floor = self.floor;
        self.loc.push(key);
        let loc_len = self.loc.len();
        self.chain.push(addr(child));
        let mut target = child;
        if self.env.follow
            && let Some(t) = ref_str(child).and_then(|r| self.env.resolve(r))
        {
            let ta = addr(t.value);
            if !self.chain.contains(&ta) {
                if let Some(d) = desc
                    && !self.memo.insert((d, ta))
                {
                    self.loc.truncate(loc_len - 1);
                    self.chain.truncate(chain_len);
                    return;
                }
                self.floor = Some(loc_len);
                self.loc.extend_from_slice(&t.loc);
                self.chain.push(ta);
                target = t.value;
            }
        }
        self.depth += 1;
        self.entered = Some((saved_floor, loc_len));
        self.values.push(target);
        f(self, target);
        self.values.pop();
        self.depth -= 1;
        self.loc.truncate(loc_len - 1);
        self.chain.truncate(chain_len);
        self.floor = saved_floor;
    }

    fn select(&mut self, i: usize, sel: &'w Sel, node: &'v Value, key: Option<Key<'v>>) {
        let next = |w: &mut Self, t: &'v Value, k: Key<'v>| w.run(i + 1, t, Some(k));
        match (sel, node) {
            (Sel::Name(n), Value::Object(m)) => {
                if let Some((k, c)) = m.get_key_value(n.as_str()) {
                    let k = Key::Name(k.as_str());
                    self.enter(c, k, None, |w, t| next(w, t, k));
                }
            }
            (Sel::Name(n), Value::Array(a)) => {
                if let Some(ix) = pac_spec::pointer::index(n)
                    && let Some(c) = a.get(ix)
                {
                    self.enter(c, Key::Idx(ix), None, |w, t| next(w, t, Key::Idx(ix)));
                }
            }
            (Sel::Index(ix), Value::Array(a)) => {
                if let Some(ix) = norm_index(*ix, a.len()) {
                    self.enter(&a[ix], Key::Idx(ix), None, |w, t| next(w, t, Key::Idx(ix)));
                }
            }
            (Sel::Index(ix), Value::Object(m)) => {
                if *ix >= 0
                    && let Some((k, c)) = m.get_key_value(ix.to_string().as_str())
                {
                    let k = Key::Name(k.as_str());
                    self.enter(c, k, None, |w, t| next(w, t, k));
                }
            }
            (Sel::Slice(s, e, st), Value::Array(a)) => {
                for ix in slice_indices(a.len(), *s, *e, *st) {
                    self.enter(&a[ix], Key::Idx(ix), None, |w, t| next(w, t, Key::Idx(ix)));
                }
            }
            (Sel::Wild, Value::Object(m)) => {
                for (k, c) in m {
                    let k = Key::Name(k.as_str());
                    self.enter(c, k, None, |w, t| next(w, t, k));
                }
            }
            (Sel::Wild, Value::Array(a)) => {
                for (ix, c) in a.iter().enumerate() {
                    self.enter(c, Key::Idx(ix), None, |w, t| next(w, t, Key::Idx(ix)));
                }
            }
            (Sel::Filter(e, rfc), Value::Object(m)) => {
                let grand = self.container_parent(node);
                for (k, c) in m {
                    let k = Key::Name(k.as_str());
                    self.enter(c, k, None, |w, t| {
                        if w.test(e, *rfc, t, k, grand, key) {
                            next(w, t, k)
                        }
                    });
                }
            }
            (Sel::Filter(e, rfc), Value::Array(a)) => {
                let grand = self.container_parent(node);
                for (ix, c) in a.iter().enumerate() {
                    let k = Key::Idx(ix);
                    self.enter(c, k, None, |w, t| {
                        if w.test(e, *rfc, t, k, grand, key) {
                            next(w, t, k)
                        }
                    });
                }
            }
            _ => {}
        }
    }

    fn descend(&mut self, i: usize, sels: &'w [Sel], node: &'v Value, key: Option<Key<'v>>) {
        for sel in sels {
            self.select(i, sel, node, key);
        }
        match node {
            Value::Object(m) => {
                for (k, c) in m {
                    if matches!(c, Value::Object(_) | Value::Array(_)) {
                        let k = Key::Name(k.as_str());
                        self.enter(c, k, Some(i), |w, t| w.descend(i, sels, t, Some(k)));
                    }
                }
            }
            Value::Array(a) => {
                for (ix, c) in a.iter().enumerate() {
                    if matches!(c, Value::Object(_) | Value::Array(_)) {
                        let k = Key::Idx(ix);
                        self.enter(c, k, Some(i), |w, t| w.descend(i, sels, t, Some(k)));
                    }
                }
            }
            _ => {}
        }
    }

    /// The parent of `container` on the walk, which is what `@parent` means for the candidates
    /// of a filter on `container` (JSONPath-Plus and nimma, and so Spectral, agree on this).
    fn container_parent(&self, container: &'v Value) -> Option<&'v Value> {
        match self.values.last() {
            Some(top) if std::ptr::eq(*top, container) => {
                let n = self.values.len();
                if n >= 2 {
                    Some(self.values[n - 2])
                } else {
                    Some(self.env.start)
                }
            }
            // The filter runs on the start node itself: it has no parent.
            _ => None,
        }
    }

    fn test(
        &self,
        e: &Expr,
        rfc: bool,
        cur: &'v Value,
        prop: Key<'v>,
        parent: Option<&'v Value>,
        pprop: Option<Key<'v>>,
    ) -> bool {
        let cx = Ctx {
            env: self.env,
            cur,
            prop: Some(prop),
            parent,
            pprop,
            loc: &self.loc,
            floor: self.floor,
            depth: self.depth,
            query: collect,
        };
        filters::test(e, &cx, rfc)
    }
}

#[cfg(test)]
mod tests;
