//! Schemas compared in a direction: input may only widen, output may only narrow. Follows `$ref`s,
//! merges `allOf`, pairs `oneOf`/`anyOf` alternatives by position, and stops on recursion (a pair
//! of schemas already being compared is not compared again).

use std::collections::{BTreeSet, HashSet};

use serde_json::{Map, Value};

use super::Side;
use super::context::{Cx, Op};
use super::rules::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// What callers send: parameters and request bodies.
    Request,
    /// What callers receive.
    Response,
}

/// Nesting followed at most (properties of properties of…); deeper differences are not reported.
const MAX_DEPTH: usize = 48;

pub(crate) struct SchemaWalk<'c, 'a, 'o> {
    cx: &'c mut Cx<'a>,
    op: &'o Op<'a>,
    direction: Direction,
    /// The operation's label, computed once (it keys the memo).
    label: String,
    visiting: HashSet<(String, String)>,
}

/// A schema with `allOf` merged in: what the comparison looks at.
#[derive(Default)]
struct Shape<'a> {
    pointer: String,
    ty: Option<&'a str>,
    format: Option<&'a str>,
    enumeration: Option<Vec<&'a Value>>,
    nullable: bool,
    /// Name → (schema, pointer), in order.
    properties: Vec<(&'a str, &'a Value, String)>,
    required: BTreeSet<&'a str>,
    items: Option<(&'a Value, String)>,
    variants: Vec<(&'a Value, String)>,
    limits: Map<String, Value>,
}

const LOWER_BOUNDS: [&str; 4] = ["minimum", "minLength", "minItems", "minProperties"];
const UPPER_BOUNDS: [&str; 4] = ["maximum", "maxLength", "maxItems", "maxProperties"];

impl<'c, 'a, 'o> SchemaWalk<'c, 'a, 'o> {
    pub fn new(cx: &'c mut Cx<'a>, op: &'o Op<'a>, direction: Direction) -> Self {
        SchemaWalk {
            label: op.label(),
            cx,
            op,
            direction,
            visiting: HashSet::new(),
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
        self.walk(a, a_ptr, b, b_ptr, what, 0);
    }

    fn push(&mut self, id: &'static str, side: Side, pointer: String, message: String) {
        self.cx.push(id, Some(self.op), side, pointer, message);
    }

    fn shape(&self, side: Side, value: &'a Value, pointer: String) -> Shape<'a> {
        let (value, pointer) = self.cx.resolve(side, value, pointer);
        let mut shape = Shape {
            pointer: pointer.clone(),
            ..Shape::default()
        };
        self.merge(side, &mut shape, value, pointer, 0);
        shape
    }

    fn merge(
        &self,
        side: Side,
        shape: &mut Shape<'a>,
        value: &'a Value,
        pointer: String,
        depth: usize,
    ) {
        let Some(s) = value.as_object() else {
            return;
        };
        if depth > MAX_DEPTH {
            return;
        }
        let text = |k: &str| s.get(k).and_then(Value::as_str);
        shape.ty = shape.ty.or(text("type"));
        shape.format = shape.format.or(text("format"));
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            shape.enumeration = Some(values.iter().collect());
        }
        let flag = |k: &str| s.get(k).and_then(Value::as_bool) == Some(true);
        shape.nullable |= flag("nullable");
        for key in LOWER_BOUNDS.iter().chain(&UPPER_BOUNDS).chain(&[
            "pattern",
            "exclusiveMinimum",
            "exclusiveMaximum",
        ]) {
            if let Some(v) = s.get(*key) {
                shape.limits.insert((*key).to_string(), v.clone());
            }
        }
        if let Some(props) = s.get("properties").and_then(Value::as_object) {
            for (name, p) in props {
                if !shape.properties.iter().any(|(n, _, _)| n == name) {
                    let ptr = format!("{pointer}/properties/{}", pac_spec::pointer::escape(name));
                    shape.properties.push((name, p, ptr));
                }
            }
        }
        for r in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(r) = r.as_str() {
                shape.required.insert(r);
            }
        }
        if shape.items.is_none()
            && let Some(items) = s.get("items")
        {
            shape.items = Some((items, format!("{pointer}/items")));
        }
        for key in ["oneOf", "anyOf"] {
            for (i, v) in s
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                shape.variants.push((v, format!("{pointer}/{key}/{i}")));
            }
        }
        for (i, part) in s
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let (part, part_ptr) = self.cx.resolve(side, part, format!("{pointer}/allOf/{i}"));
            self.merge(side, shape, part, part_ptr, depth + 1);
        }
    }

    fn walk(
        &mut self,
        a: &'a Value,
        a_ptr: String,
        b: &'a Value,
        b_ptr: String,
        what: &str,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let old = self.shape(Side::Old, a, a_ptr);
        let new = self.shape(Side::New, b, b_ptr);
        // Recursive schemas: a pair already under comparison is not compared again, nor one
        // already compared for this operation.
        let pair = (old.pointer.clone(), new.pointer.clone());
        let memo = (
            self.label.clone(),
            self.direction == Direction::Request,
            pair.0.clone(),
            pair.1.clone(),
        );
        if self.cx.done.contains(&memo) || !self.visiting.insert(pair.clone()) {
            return;
        }
        let request = self.direction == Direction::Request;
        if !self.types(&old, &new, what) {
            self.enums(&old, &new, what);
            if request {
                self.limits(&old, &new, what);
            }
            self.properties(&old, &new, what, depth);
            if let (Some((x, xp)), Some((y, yp))) = (&old.items, &new.items) {
                self.walk(
                    x,
                    xp.clone(),
                    y,
                    yp.clone(),
                    &format!("{what}[]"),
                    depth + 1,
                );
            }
            self.variants(&old, &new, what, depth);
        }
        self.visiting.remove(&pair);
        self.cx.done.insert(memo);
    }

    /// Reports a change of type or format; true when the types differ (nothing below compares).
    fn types(&mut self, old: &Shape<'a>, new: &Shape<'a>, what: &str) -> bool {
        let request = self.direction == Direction::Request;
        if let (Some(a), Some(b)) = (old.ty, new.ty)
            && a != b
        {
            let widened = request && a == "integer" && b == "number";
            let id = match (widened, request) {
                (true, _) => REQUEST_TYPE_WIDENED,
                (false, true) => REQUEST_TYPE_CHANGED,
                (false, false) => RESPONSE_TYPE_CHANGED,
            };
            self.push(
                id,
                Side::New,
                new.pointer.clone(),
                format!("{what}: type changed from {a} to {b}"),
            );
            return !widened;
        }
        if let (Some(a), Some(b)) = (old.format, new.format)
            && a != b
        {
            let id = if request {
                REQUEST_TYPE_CHANGED
            } else {
                RESPONSE_TYPE_CHANGED
            };
            self.push(
                id,
                Side::New,
                new.pointer.clone(),
                format!("{what}: format changed from {a} to {b}"),
            );
        } else if request && old.format.is_none() && old.ty.is_some() && new.format.is_some() {
            let format = new.format.unwrap_or_default();
            self.push(
                REQUEST_TYPE_CHANGED,
                Side::New,
                new.pointer.clone(),
                format!("{what}: must now be in format {format}"),
            );
        }
        false
    }

    fn enums(&mut self, old: &Shape<'a>, new: &Shape<'a>, what: &str) {
        let request = self.direction == Direction::Request;
        match (&old.enumeration, &new.enumeration) {
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
                if !removed.is_empty() {
                    self.push(
                        on_removed,
                        Side::New,
                        format!("{}/enum", new.pointer),
                        format!("{what}: value(s) {} no longer allowed", removed.join(", ")),
                    );
                }
                if !added.is_empty() {
                    self.push(
                        on_added,
                        Side::New,
                        format!("{}/enum", new.pointer),
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

    /// Bounds, lengths, counts and patterns on input.
    fn limits(&mut self, old: &Shape<'a>, new: &Shape<'a>, what: &str) {
        let number = |s: &Shape, k: &str| s.limits.get(k).and_then(Value::as_f64);
        for (keys, stricter_is_higher) in [(&LOWER_BOUNDS, true), (&UPPER_BOUNDS, false)] {
            for key in keys.iter() {
                let (a, b) = (number(old, key), number(new, key));
                let tightened = match (a, b) {
                    (None, Some(_)) => Some(true),
                    (Some(_), None) => Some(false),
                    (Some(a), Some(b)) if a != b => Some((b > a) == stricter_is_higher),
                    _ => None,
                };
                let show = |v: Option<f64>| v.map_or("none".to_string(), |v| v.to_string());
                match tightened {
                    Some(true) => self.push(
                        REQUEST_CONSTRAINT_TIGHTENED,
                        Side::New,
                        format!("{}/{key}", new.pointer),
                        format!("{what}: {key} tightened from {} to {}", show(a), show(b)),
                    ),
                    Some(false) => self.push(
                        REQUEST_CONSTRAINT_LOOSENED,
                        Side::New,
                        new.pointer.clone(),
                        format!("{what}: {key} loosened from {} to {}", show(a), show(b)),
                    ),
                    None => {}
                }
            }
        }
        // OpenAPI 3.0's exclusiveMinimum / exclusiveMaximum flags: becoming true excludes the bound.
        for key in ["exclusiveMinimum", "exclusiveMaximum"] {
            let flag = |s: &Shape| s.limits.get(key).and_then(Value::as_bool) == Some(true);
            match (flag(old), flag(new)) {
                (false, true) => self.push(
                    REQUEST_CONSTRAINT_TIGHTENED,
                    Side::New,
                    format!("{}/{key}", new.pointer),
                    format!("{what}: the bound is now excluded ({key})"),
                ),
                (true, false) => self.push(
                    REQUEST_CONSTRAINT_LOOSENED,
                    Side::New,
                    new.pointer.clone(),
                    format!("{what}: the bound is now included ({key} dropped)"),
                ),
                _ => {}
            }
        }
        let pattern = |s: &Shape| {
            s.limits
                .get("pattern")
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        match (pattern(old), pattern(new)) {
            (a, Some(b)) if a.as_deref() != Some(b.as_str()) => self.push(
                REQUEST_CONSTRAINT_TIGHTENED,
                Side::New,
                format!("{}/pattern", new.pointer),
                format!("{what}: must now match {b}"),
            ),
            (Some(_), None) => self.push(
                REQUEST_CONSTRAINT_LOOSENED,
                Side::New,
                new.pointer.clone(),
                format!("{what}: no longer has to match a pattern"),
            ),
            _ => {}
        }
        if old.nullable && !new.nullable {
            self.push(
                REQUEST_CONSTRAINT_TIGHTENED,
                Side::New,
                new.pointer.clone(),
                format!("{what}: null is no longer accepted"),
            );
        }
    }

    fn properties(&mut self, old: &Shape<'a>, new: &Shape<'a>, what: &str, depth: usize) {
        let request = self.direction == Direction::Request;
        // Properties that only travel the other way (readOnly ones are never sent, writeOnly ones
        // never received) do not count in this direction.
        let other_way = if request { "readOnly" } else { "writeOnly" };
        let travels = |p: &Value| p.get(other_way).and_then(Value::as_bool) != Some(true);
        let field = |name: &str| {
            if what.is_empty() {
                format!("property '{name}'")
            } else {
                format!("{what}: property '{name}'")
            }
        };
        for (name, a, a_ptr) in &old.properties {
            let a_resolved = self.cx.resolve(Side::Old, a, a_ptr.clone()).0;
            if !travels(a) || !travels(a_resolved) {
                continue;
            }
            let Some((_, b, b_ptr)) = new.properties.iter().find(|(n, _, _)| n == name) else {
                let id = if request {
                    REQUEST_PROPERTY_REMOVED
                } else {
                    RESPONSE_PROPERTY_REMOVED
                };
                self.push(
                    id,
                    Side::Old,
                    a_ptr.clone(),
                    format!("{} was removed", field(name)),
                );
                continue;
            };
            let (was, is) = (old.required.contains(name), new.required.contains(name));
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
                    b_ptr.clone(),
                    format!("{} is now {how}", field(name)),
                );
            }
            let inner = if what.is_empty() {
                name.to_string()
            } else {
                format!("{what}.{name}")
            };
            self.walk(a, a_ptr.clone(), b, b_ptr.clone(), &inner, depth + 1);
        }
        for (name, b, b_ptr) in &new.properties {
            if old.properties.iter().any(|(n, _, _)| n == name) {
                continue;
            }
            let b_resolved = self.cx.resolve(Side::New, b, b_ptr.clone()).0;
            if !travels(b) || !travels(b_resolved) {
                continue;
            }
            let (id, how) = match (request, new.required.contains(name)) {
                (true, true) => (REQUEST_PROPERTY_REQUIRED_ADDED, "required "),
                (true, false) => (REQUEST_PROPERTY_ADDED, "optional "),
                (false, _) => (RESPONSE_PROPERTY_ADDED, ""),
            };
            self.push(
                id,
                Side::New,
                b_ptr.clone(),
                format!("new {how}{}", field(name)),
            );
        }
    }

    /// Alternatives pair by what they are (the component they name, else their title, else their
    /// property names), not by position; the rest were removed or added.
    fn variants(&mut self, old: &Shape<'a>, new: &Shape<'a>, what: &str, depth: usize) {
        let request = self.direction == Direction::Request;
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
            format!(
                "shape:{}:{}",
                v.get("type").and_then(Value::as_str).unwrap_or(""),
                names.join(",")
            )
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
        for (i, (a, a_ptr)) in old.variants.iter().enumerate() {
            let found = (0..new.variants.len()).find(|&j| !used[j] && new_ids[j] == old_ids[i]);
            match found {
                Some(j) => {
                    used[j] = true;
                    let (b, b_ptr) = &new.variants[j];
                    self.walk(
                        a,
                        a_ptr.clone(),
                        b,
                        b_ptr.clone(),
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
                let ((a, a_ptr), (b, b_ptr)) = (&old.variants[i], &new.variants[j]);
                self.walk(
                    a,
                    a_ptr.clone(),
                    b,
                    b_ptr.clone(),
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
