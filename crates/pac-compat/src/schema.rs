//! Schemas compared in a direction: input may only widen, output may only narrow.
//!
//! In the request direction (what callers send) a change that refuses a value the old schema
//! accepted is breaking and one that accepts more is not; in the response direction (what callers
//! receive) a change that may produce a value the old schema did not is breaking (or possibly
//! breaking) and one that produces less is not. Output that only narrows is reported where a rule
//! names it (a type, enumeration value, variant or requirement gained); a tighter bound on output
//! is not reported at all.
//!
//! What is compared, on [`Shape`]s (`$ref`s followed, `allOf` merged): the type set (3.1 type
//! lists; `null` in one, 3.0's `nullable` and 2.0's `x-nullable` all mean null is allowed), format,
//! `const` and `enum`, numeric bounds (3.0 flags and 3.1 numbers for the exclusive ones), length,
//! item, property and contains counts, `multipleOf`, `uniqueItems`, `pattern`, `contentMediaType`,
//! `contentEncoding` and `contentSchema`, properties and `required` (also names required but declared
//! nowhere), `additionalProperties`, `patternProperties` (by pattern), `propertyNames`,
//! `unevaluatedProperties`, `dependentRequired`, `dependentSchemas`, `if`/`then`/`else`, `items`,
//! `prefixItems` (by position), `contains`, `unevaluatedItems`, and `oneOf`/`anyOf` alternatives
//! (paired by what they are; a schema that becomes, or stops being, a choice of alternatives is
//! compared with the alternative closest to it). An absent keyword is `true`; `false` allows
//! nothing. Requirements under `then`, `else` and `dependentSchemas` are dependent ones. `not` is
//! not compared.
//!
//! Every walk is bounded: a pair of schemas already compared for the operation and direction, or
//! being compared (recursion), is not compared again, and the walk stops [`MAX_DEPTH`] levels down,
//! saying so once per operation and direction (`schema-comparison-truncated`) unless the two sides
//! are written the same below the cut (checked iteratively, within a budget).

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

use super::Side;
use super::context::{Cx, Memo, Op, canonical};
use super::rules::*;
use super::shape::{
    ANY, Bound, Condition, LOWER_COUNTS, MAX_DEPTH, Node, Shape, UPPER_COUNTS, covered, fit,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// What the provider takes in: parameters and request bodies (and answers to its webhooks).
    Request,
    /// What the provider sends: responses (and its webhooks' payloads).
    Response,
}

pub(crate) struct SchemaWalk<'c, 'a, 'o> {
    cx: &'c mut Cx<'a>,
    op: &'o Op<'a>,
    direction: Direction,
    /// The operation's label, computed once (it keys the memo).
    label: String,
    visiting: HashSet<(String, String, bool)>,
    /// Inside `then`, `else` or `dependentSchemas`: a requirement there is a dependent one, and a
    /// property written on one side only is a constraint added or dropped, not a declaration.
    conditional: bool,
}

/// `what: property 'name'`, or `property 'name'` at the top.
fn field(what: &str, name: &str) -> String {
    if what.is_empty() {
        format!("property '{name}'")
    } else {
        format!("{what}: property '{name}'")
    }
}

fn list(types: &BTreeSet<&str>) -> String {
    types.iter().copied().collect::<Vec<_>>().join(" or ")
}

impl<'c, 'a, 'o> SchemaWalk<'c, 'a, 'o> {
    pub fn new(cx: &'c mut Cx<'a>, op: &'o Op<'a>, direction: Direction) -> Self {
        SchemaWalk {
            label: op.label(),
            cx,
            op,
            direction,
            visiting: HashSet::new(),
            conditional: false,
        }
    }

    pub fn compare(
        &mut self,
        a: &'a Value,
        a_ptr: String,
        b: &'a Value,
        b_ptr: String,
        what: &str,
    ) {
        self.walk(vec![(a, a_ptr)], vec![(b, b_ptr)], what, 0);
    }

    fn request(&self) -> bool {
        self.direction == Direction::Request
    }

    /// The request id or the response one, by direction.
    fn pick(&self, request: &'static str, response: &'static str) -> &'static str {
        if self.request() { request } else { response }
    }

    fn push(&mut self, id: &'static str, side: Side, pointer: String, message: String) {
        self.cx.push(id, Some(self.op), side, pointer, message);
    }

    fn truncated(&mut self, pointer: &str, what: &str) {
        if self
            .cx
            .truncated
            .insert((self.label.clone(), self.request()))
        {
            let what = if what.is_empty() { "schema" } else { what };
            // Both directions may be cut at the same schema: each is said.
            self.cx.record(
                SCHEMA_COMPARISON_TRUNCATED,
                Some(self.label.clone()),
                Side::New,
                pointer.to_string(),
                format!(
                    "{what}: schemas nest more than {MAX_DEPTH} levels deep; below this point they were not compared"
                ),
            );
        }
    }

    fn memo(&self, old_key: &str, new_key: &str) -> ((String, String, bool), Memo) {
        let pair = (old_key.to_string(), new_key.to_string(), self.conditional);
        let flags = u8::from(self.request()) | (u8::from(self.conditional) << 1);
        let memo = (self.label.clone(), flags, pair.0.clone(), pair.1.clone());
        (pair, memo)
    }

    fn walk(&mut self, a: Vec<Node<'a>>, b: Vec<Node<'a>>, what: &str, depth: usize) {
        // Asked first, from the keys alone: in a densely linked graph most pairs are known.
        let (pair, memo) = self.memo(
            &Shape::key_of(self.cx, Side::Old, &a),
            &Shape::key_of(self.cx, Side::New, &b),
        );
        if self.cx.done.contains(&memo) || self.visiting.contains(&pair) {
            return;
        }
        let old = Shape::of(self.cx, Side::Old, &a);
        let new = Shape::of(self.cx, Side::New, &b);
        self.pair(old, new, what, depth);
    }

    /// Compares an absent keyword as `true`: `a` or `b` may be empty (not both).
    fn optional(
        &mut self,
        (a, old): (&[Node<'a>], &Shape<'a>),
        (b, new): (&[Node<'a>], &Shape<'a>),
        keyword: &str,
        what: &str,
        depth: usize,
    ) {
        if a.is_empty() && b.is_empty() {
            return;
        }
        let or_any = |nodes: &[Node<'a>], shape: &Shape| {
            if nodes.is_empty() {
                vec![(&ANY, format!("{}/{keyword}", shape.pointer))]
            } else {
                nodes.to_vec()
            }
        };
        self.walk(or_any(a, old), or_any(b, new), what, depth + 1);
    }

    /// A sub-schema whose requirements are dependent ones (`then`, `else`, `dependentSchemas`).
    fn conditional_walk(&mut self, a: Vec<Node<'a>>, b: Vec<Node<'a>>, what: &str, depth: usize) {
        let before = self.conditional;
        self.conditional = true;
        self.walk(a, b, what, depth + 1);
        self.conditional = before;
    }

    fn pair(&mut self, old: Shape<'a>, new: Shape<'a>, what: &str, depth: usize) {
        // Recursive schemas: a pair already under comparison is not compared again, nor one
        // already compared for this operation.
        let (pair, memo) = self.memo(&old.key, &new.key);
        if self.cx.done.contains(&memo) || self.visiting.contains(&pair) {
            return;
        }
        if depth > MAX_DEPTH || old.truncated || new.truncated {
            // Cut here (or the merge was): said once per operation and direction, unless nothing
            // below differs, and then the pair is as good as compared. A pair that differs is not
            // memoised: reached again higher up, it is compared.
            let said = (self.label.clone(), self.request());
            if !self.cx.truncated.contains(&said) {
                if self.cx.same_below(&old.nodes, &new.nodes) {
                    self.cx.done.insert(memo);
                    return;
                }
                self.truncated(&new.pointer, what);
            }
            if depth > MAX_DEPTH {
                return;
            }
        }
        self.visiting.insert(pair.clone());
        self.shapes(old, new, what, depth);
        self.visiting.remove(&pair);
        self.cx.done.insert(memo);
    }

    fn shapes(&mut self, old: Shape<'a>, new: Shape<'a>, what: &str, depth: usize) {
        match (old.never, new.never) {
            (true, true) => return,
            (false, true) => {
                if self.request() {
                    self.push(
                        REQUEST_CONSTRAINT_TIGHTENED,
                        Side::New,
                        new.pointer.clone(),
                        format!("{what}: no value is accepted any more (false schema)"),
                    );
                }
                return;
            }
            (true, false) => {
                self.push(
                    self.pick(REQUEST_CONSTRAINT_LOOSENED, RESPONSE_CONSTRAINT_LOOSENED),
                    Side::New,
                    new.pointer.clone(),
                    format!("{what}: a value may now be given where none could (false schema)"),
                );
                return;
            }
            (false, false) => {}
        }
        if old.variants.is_empty() != new.variants.is_empty() {
            self.wrapped(old, new, what, depth);
            return;
        }
        if self.types(&old, &new, what) {
            return;
        }
        self.values(&old, &new, what);
        self.bounds(&old, &new, what);
        self.strings(&old, &new, what, depth);
        self.properties(&old, &new, what, depth);
        self.objects(&old, &new, what, depth);
        self.dependencies(&old, &new, what, depth);
        self.arrays(&old, &new, what, depth);
        self.conditions(&old, &new, what, depth);
        self.variants(&old, &new, what, depth);
    }

    /// One side is a choice of `oneOf`/`anyOf` alternatives and the other is not (a body wrapped
    /// in `oneOf`, or unwrapped from it): the plain schema is compared with the alternative
    /// closest to it (the other alternatives were added or removed), so that a request the old
    /// side accepted must be accepted by at least one new alternative.
    fn wrapped(&mut self, old: Shape<'a>, new: Shape<'a>, what: &str, depth: usize) {
        let wrapped = old.variants.is_empty();
        let (plain, choice, side) = if wrapped {
            (&old, &new, Side::New)
        } else {
            (&new, &old, Side::Old)
        };
        let scored: Vec<(bool, i64)> = choice
            .variants
            .iter()
            .map(|v| {
                let alternative = Shape::of(self.cx, side, std::slice::from_ref(v));
                if wrapped {
                    fit(plain, &alternative)
                } else {
                    fit(&alternative, plain)
                }
            })
            .collect();
        let Some(best) = (0..scored.len()).max_by_key(|&i| (scored[i].1, usize::MAX - i)) else {
            return;
        };
        for (i, (_, ptr)) in choice.variants.iter().enumerate() {
            if i == best {
                continue;
            }
            if wrapped {
                self.push(
                    self.pick(REQUEST_VARIANT_ADDED, RESPONSE_VARIANT_ADDED),
                    Side::New,
                    ptr.clone(),
                    format!("{what}: an alternative was added"),
                );
            } else if !self.request() {
                self.push(
                    RESPONSE_VARIANT_REMOVED,
                    Side::Old,
                    ptr.clone(),
                    format!("{what}: an alternative was removed"),
                );
            } else if !scored[i].0 {
                self.push(
                    REQUEST_VARIANT_REMOVED,
                    Side::Old,
                    ptr.clone(),
                    format!("{what}: an alternative is no longer accepted"),
                );
            }
        }
        let chosen = &choice.variants[best];
        let what = format!("{what} (alternative {})", best + 1);
        if wrapped {
            let new = new.with_variant(self.cx, Side::New, chosen);
            self.pair(old, new, &what, depth + 1);
        } else {
            let old = old.with_variant(self.cx, Side::Old, chosen);
            self.pair(old, new, &what, depth + 1);
        }
    }

    /// Reports a change of type or format; true when the types have nothing in common (nothing
    /// below compares).
    fn types(&mut self, old: &Shape<'a>, new: &Shape<'a>, what: &str) -> bool {
        let request = self.request();
        let at = new.pointer.clone();
        match (&old.types, &new.types) {
            (None, None) => {}
            (None, Some(b)) => {
                let (id, message) = if request {
                    (
                        REQUEST_TYPE_CHANGED,
                        format!("must now be of type {}", list(b)),
                    )
                } else {
                    (
                        RESPONSE_TYPE_NARROWED,
                        format!("is now always of type {}", list(b)),
                    )
                };
                self.push(id, Side::New, at.clone(), format!("{what}: {message}"));
            }
            (Some(a), None) => {
                let (id, message) = if request {
                    (
                        REQUEST_TYPE_WIDENED,
                        format!("now accepts any type, not only {}", list(a)),
                    )
                } else {
                    (
                        RESPONSE_TYPE_CHANGED,
                        format!("is no longer limited to type {}", list(a)),
                    )
                };
                self.push(id, Side::New, at.clone(), format!("{what}: {message}"));
            }
            (Some(a), Some(b)) => {
                let solid = |s: &BTreeSet<&'a str>| -> BTreeSet<&'a str> {
                    s.iter().copied().filter(|t| *t != "null").collect()
                };
                let (a_solid, b_solid) = (solid(a), solid(b));
                let overlap = a_solid.iter().any(|t| covered(t, &b_solid))
                    || b_solid.iter().any(|t| covered(t, &a_solid));
                if !overlap && !a_solid.is_empty() && !b_solid.is_empty() {
                    self.push(
                        self.pick(REQUEST_TYPE_CHANGED, RESPONSE_TYPE_CHANGED),
                        Side::New,
                        at,
                        format!(
                            "{what}: type changed from {} to {}",
                            list(&a_solid),
                            list(&b_solid)
                        ),
                    );
                    return true;
                }
                let removed: BTreeSet<&str> = a_solid
                    .iter()
                    .copied()
                    .filter(|t| !covered(t, &b_solid))
                    .collect();
                let added: BTreeSet<&str> = b_solid
                    .iter()
                    .copied()
                    .filter(|t| !covered(t, &a_solid))
                    .collect();
                if !removed.is_empty() {
                    let (id, message) = if request {
                        (REQUEST_TYPE_CHANGED, "no longer accepts type")
                    } else {
                        (RESPONSE_TYPE_NARROWED, "is no longer of type")
                    };
                    self.push(
                        id,
                        Side::New,
                        at.clone(),
                        format!("{what}: {message} {}", list(&removed)),
                    );
                }
                if !added.is_empty() {
                    let (id, message) = if request {
                        (REQUEST_TYPE_WIDENED, "now also accepts type")
                    } else {
                        (RESPONSE_TYPE_CHANGED, "may now also be of type")
                    };
                    self.push(
                        id,
                        Side::New,
                        at.clone(),
                        format!("{what}: {message} {}", list(&added)),
                    );
                }
                match (a.contains("null"), b.contains("null")) {
                    (true, false) => {
                        let (id, message) = if request {
                            (REQUEST_CONSTRAINT_TIGHTENED, "null is no longer accepted")
                        } else {
                            (RESPONSE_TYPE_NARROWED, "is no longer null")
                        };
                        self.push(id, Side::New, at.clone(), format!("{what}: {message}"));
                    }
                    (false, true) => {
                        let (id, message) = if request {
                            (REQUEST_CONSTRAINT_LOOSENED, "null is now accepted")
                        } else {
                            (RESPONSE_BECAME_NULLABLE, "may now be null")
                        };
                        self.push(id, Side::New, at.clone(), format!("{what}: {message}"));
                    }
                    _ => {}
                }
            }
        }
        self.format(old, new, what);
        false
    }

    fn format(&mut self, old: &Shape<'a>, new: &Shape<'a>, what: &str) {
        let request = self.request();
        if let (Some(a), Some(b)) = (old.format, new.format)
            && a != b
        {
            self.push(
                self.pick(REQUEST_TYPE_CHANGED, RESPONSE_TYPE_CHANGED),
                Side::New,
                new.pointer.clone(),
                format!("{what}: format changed from {a} to {b}"),
            );
        } else if request && old.format.is_none() && old.types.is_some() && new.format.is_some() {
            let format = new.format.unwrap_or_default();
            self.push(
                REQUEST_TYPE_CHANGED,
                Side::New,
                new.pointer.clone(),
                format!("{what}: must now be in format {format}"),
            );
        }
    }

    /// `const` and `enum`: a `const` facing an `enum` is a one-value enumeration.
    fn values(&mut self, old: &Shape<'a>, new: &Shape<'a>, what: &str) {
        let request = self.request();
        match (&old.constant, &new.constant) {
            (Some((a, _)), Some((b, b_ptr))) => {
                if a != b {
                    self.push(
                        self.pick(REQUEST_CONST_CHANGED, RESPONSE_CONST_CHANGED),
                        Side::New,
                        b_ptr.clone(),
                        format!("{what}: the one value allowed changed from {a} to {b}"),
                    );
                }
                return;
            }
            (Some((a, _)), None) if new.enumeration.is_none() => {
                self.push(
                    self.pick(REQUEST_CONST_REMOVED, RESPONSE_CONST_REMOVED),
                    Side::New,
                    new.pointer.clone(),
                    format!("{what}: no longer fixed to {a}"),
                );
                return;
            }
            (None, Some((b, b_ptr))) if old.enumeration.is_none() => {
                self.push(
                    self.pick(REQUEST_CONST_ADDED, RESPONSE_CONST_ADDED),
                    Side::New,
                    b_ptr.clone(),
                    format!("{what}: now fixed to {b}"),
                );
                return;
            }
            _ => {}
        }
        match (old.values(), new.values()) {
            (Some(a), Some(b)) => {
                let removed: Vec<String> = a
                    .iter()
                    .filter(|v| !b.contains(v))
                    .map(|v| v.to_string())
                    .collect();
                let added: Vec<String> = b
                    .iter()
                    .filter(|v| !a.contains(v))
                    .map(|v| v.to_string())
                    .collect();
                let (on_removed, on_added) = if request {
                    (REQUEST_ENUM_VALUE_REMOVED, REQUEST_ENUM_VALUE_ADDED)
                } else {
                    (RESPONSE_ENUM_VALUE_REMOVED, RESPONSE_ENUM_VALUE_ADDED)
                };
                let at = match &new.constant {
                    Some((_, p)) => p.clone(),
                    None => format!("{}/enum", new.pointer),
                };
                if !removed.is_empty() {
                    self.push(
                        on_removed,
                        Side::New,
                        at.clone(),
                        format!("{what}: value(s) {} no longer allowed", removed.join(", ")),
                    );
                }
                if !added.is_empty() {
                    self.push(
                        on_added,
                        Side::New,
                        at,
                        format!("{what}: new value(s) {}", added.join(", ")),
                    );
                }
            }
            (None, Some(b)) if request => self.push(
                REQUEST_CONSTRAINT_TIGHTENED,
                Side::New,
                format!("{}/enum", new.pointer),
                format!("{what}: now limited to {} value(s)", b.len()),
            ),
            (Some(_), None) if request => self.push(
                REQUEST_CONSTRAINT_LOOSENED,
                Side::New,
                new.pointer.clone(),
                format!("{what}: no longer limited to a list of values"),
            ),
            (Some(_), None) => self.push(
                RESPONSE_ENUM_VALUE_ADDED,
                Side::New,
                new.pointer.clone(),
                format!("{what}: no longer limited to a list of values; any value may come"),
            ),
            _ => {}
        }
    }

    /// A bound changed: tighter is reported on input only, looser in both directions.
    fn bound(&mut self, tighter: bool, pointer: String, message: String) {
        match (tighter, self.request()) {
            (true, true) => self.push(REQUEST_CONSTRAINT_TIGHTENED, Side::New, pointer, message),
            (true, false) => {}
            (false, request) => {
                let id = if request {
                    REQUEST_CONSTRAINT_LOOSENED
                } else {
                    RESPONSE_CONSTRAINT_LOOSENED
                };
                self.push(id, Side::New, pointer, message);
            }
        }
    }

    /// Bounds, lengths, counts, multiples, uniqueness and patterns.
    fn bounds(&mut self, old: &Shape<'a>, new: &Shape<'a>, what: &str) {
        let at = |k: &str| format!("{}/{k}", new.pointer);
        for (a, b, lower) in [
            (old.minimum, new.minimum, true),
            (old.maximum, new.maximum, false),
        ] {
            let name = if lower { "minimum" } else { "maximum" };
            let tighter = match (a, b) {
                (None, None) => continue,
                (Some(x), Some(y)) if x.value == y.value && x.exclusive == y.exclusive => continue,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(x), Some(y)) => {
                    if x.value == y.value {
                        y.exclusive
                    } else {
                        (y.value > x.value) == lower
                    }
                }
            };
            let how = if tighter { "tightened" } else { "loosened" };
            let pointer = match (tighter, b) {
                (true, Some(b)) => at(b.keyword),
                _ => new.pointer.clone(),
            };
            self.bound(
                tighter,
                pointer,
                format!(
                    "{what}: {name} {how} from {} to {}",
                    Bound::show(a),
                    Bound::show(b)
                ),
            );
        }
        for (keys, lower) in [(&LOWER_COUNTS, true), (&UPPER_COUNTS, false)] {
            for key in keys.iter() {
                let (a, b) = (old.counts.get(key).copied(), new.counts.get(key).copied());
                let tighter = match (a, b) {
                    (None, Some(_)) => true,
                    (Some(_), None) => false,
                    (Some(a), Some(b)) if a != b => (b > a) == lower,
                    _ => continue,
                };
                let show = |v: Option<f64>| v.map_or("none".to_string(), |v| v.to_string());
                let how = if tighter { "tightened" } else { "loosened" };
                let pointer = if tighter {
                    at(key)
                } else {
                    new.pointer.clone()
                };
                self.bound(
                    tighter,
                    pointer,
                    format!("{what}: {key} {how} from {} to {}", show(a), show(b)),
                );
            }
        }
        let multiple = |x: f64, y: f64| x != 0.0 && ((y / x) - (y / x).round()).abs() < 1e-9;
        match (old.multiple_of, new.multiple_of) {
            (a, b) if a == b => {}
            (None, Some(b)) => self.bound(
                true,
                at("multipleOf"),
                format!("{what}: must now be a multiple of {b}"),
            ),
            (Some(a), None) => self.bound(
                false,
                new.pointer.clone(),
                format!("{what}: no longer has to be a multiple of {a}"),
            ),
            (Some(a), Some(b)) => {
                // Some old values refused unless every multiple of a is one of b, and some new
                // values unseen unless every multiple of b is one of a.
                let refuses_old = !multiple(b, a);
                let allows_new = !multiple(a, b);
                let message = format!("{what}: multipleOf changed from {a} to {b}");
                if refuses_old && self.request() {
                    self.bound(true, at("multipleOf"), message);
                } else if allows_new {
                    self.bound(false, at("multipleOf"), message);
                }
            }
            _ => {}
        }
        match (old.unique_items, new.unique_items) {
            (false, true) => self.bound(
                true,
                at("uniqueItems"),
                format!("{what}: items must now be unique"),
            ),
            (true, false) => self.bound(
                false,
                new.pointer.clone(),
                format!("{what}: items no longer have to be unique"),
            ),
            _ => {}
        }
        match (old.pattern, new.pattern) {
            (a, b) if a == b => {}
            (a, Some(b)) if self.request() || a.is_some() => {
                let tighter = self.request();
                let message = if tighter {
                    format!("{what}: must now match {b}")
                } else {
                    format!("{what}: may no longer match {}", a.unwrap_or_default())
                };
                self.bound(tighter, at("pattern"), message);
            }
            (Some(_), None) => self.bound(
                false,
                new.pointer.clone(),
                format!("{what}: no longer has to match a pattern"),
            ),
            _ => {}
        }
    }

    /// How a string is read (`contentMediaType`, `contentEncoding`) and what it holds
    /// (`contentSchema`).
    fn strings(&mut self, old: &Shape<'a>, new: &Shape<'a>, what: &str, depth: usize) {
        for (key, a, b) in [
            (
                "contentMediaType",
                old.content_media_type,
                new.content_media_type,
            ),
            (
                "contentEncoding",
                old.content_encoding,
                new.content_encoding,
            ),
        ] {
            if a != b {
                let show = |v: Option<&str>| v.unwrap_or("none").to_string();
                self.push(
                    self.pick(
                        REQUEST_STRING_ENCODING_CHANGED,
                        RESPONSE_STRING_ENCODING_CHANGED,
                    ),
                    Side::New,
                    format!("{}/{key}", new.pointer),
                    format!("{what}: {key} changed from {} to {}", show(a), show(b)),
                );
            }
        }
        self.optional(
            (&old.content_schema, old),
            (&new.content_schema, new),
            "contentSchema",
            &format!("{what} (content)"),
            depth,
        );
    }

    fn properties(&mut self, old: &Shape<'a>, new: &Shape<'a>, what: &str, depth: usize) {
        let request = self.request();
        // Properties that only travel the other way (readOnly ones are never sent, writeOnly ones
        // never received) do not count in this direction.
        let other_way = if request { "readOnly" } else { "writeOnly" };
        let travels = |cx: &Cx<'a>, side: Side, nodes: &[Node<'a>]| {
            nodes.iter().all(|(v, p)| {
                let resolved = cx.resolve(side, v, p.clone()).0;
                v.get(other_way).and_then(Value::as_bool) != Some(true)
                    && resolved.get(other_way).and_then(Value::as_bool) != Some(true)
            })
        };
        // Every name either side declares or requires (a name may be required without being
        // declared: its value is then whatever additionalProperties allows).
        let mut names: Vec<&'a str> = Vec::new();
        for name in old
            .properties
            .iter()
            .map(|(n, _)| *n)
            .chain(new.properties.iter().map(|(n, _)| *n))
            .chain(old.required.iter().copied())
            .chain(new.required.iter().copied())
        {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        let any_at = |shape: &Shape<'a>, name: &str| {
            vec![(
                &ANY,
                format!(
                    "{}/properties/{}",
                    shape.pointer,
                    pac_spec::pointer::escape(name)
                ),
            )]
        };
        // The schema of a required but undeclared property: that of the other properties.
        let extras = |shape: &Shape<'a>, name: &str| {
            if shape.additional.is_empty() {
                any_at(shape, name)
            } else {
                shape.additional.clone()
            }
        };
        for name in names {
            let (a, b) = (old.property(name), new.property(name));
            let skip = match (a, b) {
                (Some(a), _) => !travels(self.cx, Side::Old, a),
                (None, Some(b)) => !travels(self.cx, Side::New, b),
                (None, None) => false,
            };
            if skip {
                continue;
            }
            let (was, is) = (old.required.contains(name), new.required.contains(name));
            let inner = if what.is_empty() {
                name.to_string()
            } else {
                format!("{what}.{name}")
            };
            let b_ptr = b.map_or_else(|| format!("{}/required", new.pointer), |b| b[0].1.clone());
            if self.conditional {
                let dependent = match (was, is) {
                    (false, true) => Some((
                        self.pick(
                            REQUEST_DEPENDENT_REQUIRED_ADDED,
                            RESPONSE_DEPENDENT_REQUIRED_ADDED,
                        ),
                        "is now required",
                    )),
                    (true, false) => Some((
                        self.pick(
                            REQUEST_DEPENDENT_REQUIRED_REMOVED,
                            RESPONSE_DEPENDENT_REQUIRED_REMOVED,
                        ),
                        "is no longer required",
                    )),
                    _ => None,
                };
                if let Some((id, how)) = dependent {
                    self.push(
                        id,
                        Side::New,
                        format!("{}/required", new.pointer),
                        format!("{} {how} in this case", field(what, name)),
                    );
                }
                if a.is_some() || b.is_some() {
                    let a = a.cloned().unwrap_or_else(|| any_at(old, name));
                    let b = b.cloned().unwrap_or_else(|| any_at(new, name));
                    self.walk(a, b, &inner, depth + 1);
                }
                continue;
            }
            let (known_old, known_new) = (a.is_some() || was, b.is_some() || is);
            if !known_new {
                let a_ptr =
                    a.map_or_else(|| format!("{}/required", old.pointer), |a| a[0].1.clone());
                self.push(
                    self.pick(REQUEST_PROPERTY_REMOVED, RESPONSE_PROPERTY_REMOVED),
                    Side::Old,
                    a_ptr,
                    format!("{} was removed", field(what, name)),
                );
                continue;
            }
            if !known_old {
                let (id, how) = match (request, is) {
                    (true, true) => (REQUEST_PROPERTY_REQUIRED_ADDED, "required "),
                    (true, false) => (REQUEST_PROPERTY_ADDED, "optional "),
                    (false, _) => (RESPONSE_PROPERTY_ADDED, ""),
                };
                self.push(
                    id,
                    Side::New,
                    b_ptr,
                    format!("new {how}{}", field(what, name)),
                );
                continue;
            }
            let id = match (request, was, is) {
                (true, false, true) => Some(REQUEST_PROPERTY_BECAME_REQUIRED),
                (true, true, false) => Some(REQUEST_PROPERTY_BECAME_OPTIONAL),
                (false, true, false) => Some(RESPONSE_PROPERTY_BECAME_OPTIONAL),
                (false, false, true) => Some(RESPONSE_PROPERTY_BECAME_REQUIRED),
                _ => None,
            };
            if let Some(id) = id {
                let how = if is { "required" } else { "optional" };
                self.push(
                    id,
                    Side::New,
                    b_ptr,
                    format!("{} is now {how}", field(what, name)),
                );
            }
            if a.is_some() || b.is_some() {
                let a = a.cloned().unwrap_or_else(|| extras(old, name));
                let b = b.cloned().unwrap_or_else(|| extras(new, name));
                self.walk(a, b, &inner, depth + 1);
            }
        }
    }

    /// `additionalProperties`, `unevaluatedProperties`, `propertyNames` and `patternProperties`.
    fn objects(&mut self, old: &Shape<'a>, new: &Shape<'a>, what: &str, depth: usize) {
        for (a, b, keyword, shown) in [
            (
                &old.additional,
                &new.additional,
                "additionalProperties",
                "other properties",
            ),
            (
                &old.unevaluated_properties,
                &new.unevaluated_properties,
                "unevaluatedProperties",
                "unevaluated properties",
            ),
            (
                &old.property_names,
                &new.property_names,
                "propertyNames",
                "property names",
            ),
        ] {
            self.optional(
                (a, old),
                (b, new),
                keyword,
                &format!("{what}: {shown}"),
                depth,
            );
        }
        let mut patterns: Vec<&str> = old.pattern_properties.iter().map(|(p, _)| *p).collect();
        for (p, _) in &new.pattern_properties {
            if !patterns.contains(p) {
                patterns.push(p);
            }
        }
        let side_of = |shape: &Shape<'a>, pattern: &str| -> Vec<Node<'a>> {
            match shape.pattern_properties.iter().find(|(p, _)| *p == pattern) {
                Some((_, nodes)) => nodes.clone(),
                // Properties matching a pattern one side does not have are other properties there.
                None => shape.additional.clone(),
            }
        };
        for pattern in patterns {
            let a = side_of(old, pattern);
            let b = side_of(new, pattern);
            self.optional(
                (&a, old),
                (&b, new),
                "additionalProperties",
                &format!("{what}: properties matching {pattern}"),
                depth,
            );
        }
    }

    /// `dependentRequired` and `dependentSchemas`.
    fn dependencies(&mut self, old: &Shape<'a>, new: &Shape<'a>, what: &str, depth: usize) {
        let mut keys: Vec<&str> = old.dependent_required.keys().copied().collect();
        keys.extend(
            new.dependent_required
                .keys()
                .filter(|k| !old.dependent_required.contains_key(*k)),
        );
        let none = BTreeSet::new();
        for key in keys {
            let a = old.dependent_required.get(key).unwrap_or(&none);
            let b = new.dependent_required.get(key).unwrap_or(&none);
            let escaped = pac_spec::pointer::escape(key);
            let added: Vec<&str> = b.difference(a).copied().collect();
            let removed: Vec<&str> = a.difference(b).copied().collect();
            if !added.is_empty() {
                self.push(
                    self.pick(
                        REQUEST_DEPENDENT_REQUIRED_ADDED,
                        RESPONSE_DEPENDENT_REQUIRED_ADDED,
                    ),
                    Side::New,
                    format!("{}/dependentRequired/{escaped}", new.pointer),
                    format!(
                        "{}: now requires {} with it",
                        field(what, key),
                        added.join(", ")
                    ),
                );
            }
            if !removed.is_empty() {
                let at = if b.is_empty() {
                    (
                        Side::Old,
                        format!("{}/dependentRequired/{escaped}", old.pointer),
                    )
                } else {
                    (
                        Side::New,
                        format!("{}/dependentRequired/{escaped}", new.pointer),
                    )
                };
                self.push(
                    self.pick(
                        REQUEST_DEPENDENT_REQUIRED_REMOVED,
                        RESPONSE_DEPENDENT_REQUIRED_REMOVED,
                    ),
                    at.0,
                    at.1,
                    format!(
                        "{}: no longer requires {} with it",
                        field(what, key),
                        removed.join(", ")
                    ),
                );
            }
        }
        let mut names: Vec<&str> = old.dependent_schemas.iter().map(|(n, _)| *n).collect();
        for (n, _) in &new.dependent_schemas {
            if !names.contains(n) {
                names.push(n);
            }
        }
        let side_of = |shape: &Shape<'a>, name: &str| -> Vec<Node<'a>> {
            match shape.dependent_schemas.iter().find(|(n, _)| *n == name) {
                Some((_, nodes)) => nodes.clone(),
                None => vec![(
                    &ANY,
                    format!(
                        "{}/dependentSchemas/{}",
                        shape.pointer,
                        pac_spec::pointer::escape(name)
                    ),
                )],
            }
        };
        for name in names {
            let (a, b) = (side_of(old, name), side_of(new, name));
            self.conditional_walk(a, b, &format!("{what} (when '{name}' is present)"), depth);
        }
    }

    /// `items`, `prefixItems` (by position), `contains` and `unevaluatedItems`.
    fn arrays(&mut self, old: &Shape<'a>, new: &Shape<'a>, what: &str, depth: usize) {
        self.optional(
            (&old.items, old),
            (&new.items, new),
            "items",
            &format!("{what}[]"),
            depth,
        );
        let none = Vec::new();
        let a = old.prefix_items.as_ref().unwrap_or(&none);
        let b = new.prefix_items.as_ref().unwrap_or(&none);
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            self.walk(
                vec![x.clone()],
                vec![y.clone()],
                &format!("{what}[{i}]"),
                depth + 1,
            );
        }
        for (i, (_, ptr)) in b.iter().enumerate().skip(a.len()) {
            self.push(
                self.pick(REQUEST_PREFIX_ITEM_ADDED, RESPONSE_PREFIX_ITEM_ADDED),
                Side::New,
                ptr.clone(),
                format!("{what}: new item at position {i}"),
            );
        }
        for (i, (_, ptr)) in a.iter().enumerate().skip(b.len()) {
            self.push(
                self.pick(REQUEST_PREFIX_ITEM_REMOVED, RESPONSE_PREFIX_ITEM_REMOVED),
                Side::Old,
                ptr.clone(),
                format!("{what}: the item at position {i} is no longer described"),
            );
        }
        match (&old.contains, &new.contains) {
            (Some(x), Some(y)) => self.walk(
                vec![x.clone()],
                vec![y.clone()],
                &format!("{what} (contains)"),
                depth + 1,
            ),
            (None, Some((_, ptr))) => self.bound(
                true,
                ptr.clone(),
                format!("{what}: must now contain a matching item"),
            ),
            (Some(_), None) => self.bound(
                false,
                new.pointer.clone(),
                format!("{what}: no longer has to contain a matching item"),
            ),
            (None, None) => {}
        }
        self.optional(
            (&old.unevaluated_items, old),
            (&new.unevaluated_items, new),
            "unevaluatedItems",
            &format!("{what}: unevaluated items"),
            depth,
        );
    }

    /// `if`/`then`/`else`, paired in order: the branches are compared as dependent requirements,
    /// and a changed condition is reported as such.
    fn conditions(&mut self, old: &Shape<'a>, new: &Shape<'a>, what: &str, depth: usize) {
        let count = old.conditions.len().max(new.conditions.len());
        for i in 0..count {
            let (a, b) = (old.conditions.get(i), new.conditions.get(i));
            if let (Some(a), Some(b)) = (a, b) {
                let text = |cx: &Cx<'a>, side, c: &Condition<'a>| {
                    c.when
                        .as_ref()
                        .map(|(v, p)| canonical(cx.resolve(side, v, p.clone()).0))
                };
                if text(self.cx, Side::Old, a) != text(self.cx, Side::New, b) {
                    self.push(
                        self.pick(REQUEST_CONDITION_CHANGED, RESPONSE_CONDITION_CHANGED),
                        Side::New,
                        format!("{}/if", b.pointer),
                        format!("{what}: the if condition changed"),
                    );
                }
            }
            for (branch, shown) in [("then", "then"), ("else", "else")] {
                let get = |c: Option<&Condition<'a>>| {
                    c.and_then(|c| {
                        if branch == "then" {
                            c.then.clone()
                        } else {
                            c.otherwise.clone()
                        }
                    })
                };
                let (x, y) = (get(a), get(b));
                if x.is_none() && y.is_none() {
                    continue;
                }
                let any = |c: Option<&Condition<'a>>, shape: &Shape<'a>| {
                    let base = c.map_or(shape.pointer.as_str(), |c| c.pointer.as_str());
                    (&ANY, format!("{base}/{branch}"))
                };
                let x = x.unwrap_or_else(|| any(a, old));
                let y = y.unwrap_or_else(|| any(b, new));
                self.conditional_walk(vec![x], vec![y], &format!("{what} ({shown})"), depth);
            }
        }
    }

    /// Alternatives pair by what they are (the component they name, else their title, else their
    /// property names), not by position; the rest were removed or added.
    fn variants(&mut self, old: &Shape<'a>, new: &Shape<'a>, what: &str, depth: usize) {
        let request = self.request();
        let identity = |walk: &Self, side, v: &'a Value, ptr: &str| -> String {
            if let Some(r) = v.get("$ref").and_then(Value::as_str) {
                return format!("ref:{r}");
            }
            let (v, _) = walk.cx.resolve(side, v, ptr.to_string());
            if let Some(t) = v.get("title").and_then(Value::as_str) {
                return format!("title:{t}");
            }
            let mut names: Vec<&str> = v
                .get("properties")
                .and_then(Value::as_object)
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            names.sort_unstable();
            let ty = match v.get("type") {
                Some(Value::Array(types)) => types
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("|"),
                Some(t) => t.as_str().unwrap_or("").to_string(),
                None => String::new(),
            };
            format!("shape:{ty}:{}", names.join(","))
        };
        let old_ids: Vec<String> = old
            .variants
            .iter()
            .map(|(v, p)| identity(self, Side::Old, v, p))
            .collect();
        let new_ids: Vec<String> = new
            .variants
            .iter()
            .map(|(v, p)| identity(self, Side::New, v, p))
            .collect();
        let mut used = vec![false; new.variants.len()];
        let mut unmatched_old = Vec::new();
        for (i, a) in old.variants.iter().enumerate() {
            let found = (0..new.variants.len()).find(|&j| !used[j] && new_ids[j] == old_ids[i]);
            match found {
                Some(j) => {
                    used[j] = true;
                    let b = new.variants[j].clone();
                    self.walk(
                        vec![a.clone()],
                        vec![b],
                        &format!("{what} (alternative {})", j + 1),
                        depth + 1,
                    );
                }
                None => unmatched_old.push(i),
            }
        }
        // What is left pairs by position when the counts agree (an alternative changed in place).
        let unmatched_new: Vec<usize> = (0..new.variants.len()).filter(|&j| !used[j]).collect();
        if unmatched_old.len() == unmatched_new.len() {
            for (&i, &j) in unmatched_old.iter().zip(&unmatched_new) {
                self.walk(
                    vec![old.variants[i].clone()],
                    vec![new.variants[j].clone()],
                    &format!("{what} (alternative {})", j + 1),
                    depth + 1,
                );
            }
            return;
        }
        for &i in &unmatched_old {
            let id = if request {
                REQUEST_VARIANT_REMOVED
            } else {
                RESPONSE_VARIANT_REMOVED
            };
            self.push(
                id,
                Side::Old,
                old.variants[i].1.clone(),
                format!("{what}: an alternative was removed"),
            );
        }
        for &j in &unmatched_new {
            let id = if request {
                REQUEST_VARIANT_ADDED
            } else {
                RESPONSE_VARIANT_ADDED
            };
            self.push(
                id,
                Side::New,
                new.variants[j].1.clone(),
                format!("{what}: an alternative was added"),
            );
        }
    }
}
