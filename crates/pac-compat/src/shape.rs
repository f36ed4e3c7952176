//! A schema as the comparison sees it: one side's schema with its `$ref`s followed (3.1's sibling
//! keywords of a `$ref` kept) and its `allOf` parts merged, read into the keywords the walk
//! compares (`schema.rs`). Boolean schemas count: `true` constrains nothing, `false` allows
//! nothing. Merging is bounded twice: every node is merged once per shape (diamonds of `allOf`
//! are not multiplied), and no deeper than [`MAX_DEPTH`] (the shape is then marked truncated).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::Value;

use super::Side;
use super::context::Cx;

/// A schema and its JSON pointer in its side's document.
pub(crate) type Node<'a> = (&'a Value, String);

/// `true`: what an absent keyword (`additionalProperties`, `items`, a `then` not written…) allows.
pub(crate) static ANY: Value = Value::Bool(true);

/// Nesting followed at most (properties of properties of…, `allOf` in `allOf`…); a comparison cut
/// there is reported as `schema-comparison-truncated`.
pub(crate) const MAX_DEPTH: usize = 48;

/// Keywords that never change what a schema accepts: a `$ref` with only these beside it is the
/// schema it names.
const ANNOTATIONS: [&str; 13] = [
    "description",
    "title",
    "summary",
    "example",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
    "externalDocs",
    "xml",
    "discriminator",
];

pub(crate) const LOWER_COUNTS: [&str; 4] =
    ["minLength", "minItems", "minProperties", "minContains"];
pub(crate) const UPPER_COUNTS: [&str; 4] =
    ["maxLength", "maxItems", "maxProperties", "maxContains"];

/// A numeric bound and the keyword that sets it (`minimum`, or `exclusiveMinimum` as a 3.1 number
/// or as a 3.0 flag beside `minimum`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bound {
    pub value: f64,
    pub exclusive: bool,
    pub keyword: &'static str,
}

impl Bound {
    /// True when `self` lets fewer values through than `other` (both lower, or both upper bounds).
    fn stricter_than(&self, other: &Bound, lower: bool) -> bool {
        if self.value == other.value {
            self.exclusive && !other.exclusive
        } else {
            (self.value > other.value) == lower
        }
    }

    pub fn show(bound: Option<Bound>) -> String {
        match bound {
            None => "none".into(),
            Some(b) if b.exclusive => format!("{} (exclusive)", b.value),
            Some(b) => b.value.to_string(),
        }
    }
}

/// `if`/`then`/`else` of one schema object.
#[derive(Clone)]
pub(crate) struct Condition<'a> {
    pub pointer: String,
    pub when: Option<Node<'a>>,
    pub then: Option<Node<'a>>,
    pub otherwise: Option<Node<'a>>,
}

#[derive(Clone, Default)]
pub(crate) struct Shape<'a> {
    /// Where the schema is (its first node, `$ref`s followed): where changes are reported.
    pub pointer: String,
    /// What the schema is made of (the pointers of the nodes that constrain it): the memo key.
    pub key: String,
    /// The nodes it was built from, to build it again with a chosen `oneOf` alternative.
    pub nodes: Vec<Node<'a>>,
    /// A `false` schema is part of it: no value is valid.
    pub never: bool,
    /// `allOf` or `$ref` nesting went beyond [`MAX_DEPTH`].
    pub truncated: bool,
    /// The types allowed, `null` included when null is (a type list, `nullable`, `x-nullable`);
    /// None when any type is.
    pub types: Option<BTreeSet<&'a str>>,
    nullable: bool,
    pub format: Option<&'a str>,
    pub enumeration: Option<Vec<&'a Value>>,
    pub constant: Option<Node<'a>>,
    /// Name → every declaration of it (several when `allOf` parts each declare it).
    pub properties: Vec<(&'a str, Vec<Node<'a>>)>,
    pub required: BTreeSet<&'a str>,
    pub items: Vec<Node<'a>>,
    pub prefix_items: Option<Vec<Node<'a>>>,
    pub contains: Option<Node<'a>>,
    pub additional: Vec<Node<'a>>,
    pub unevaluated_properties: Vec<Node<'a>>,
    pub unevaluated_items: Vec<Node<'a>>,
    pub property_names: Vec<Node<'a>>,
    pub pattern_properties: Vec<(&'a str, Vec<Node<'a>>)>,
    pub dependent_required: BTreeMap<&'a str, BTreeSet<&'a str>>,
    pub dependent_schemas: Vec<(&'a str, Vec<Node<'a>>)>,
    pub conditions: Vec<Condition<'a>>,
    pub content_media_type: Option<&'a str>,
    pub content_encoding: Option<&'a str>,
    pub content_schema: Vec<Node<'a>>,
    /// `oneOf` and `anyOf` alternatives.
    pub variants: Vec<Node<'a>>,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    /// Length, item, property and contains counts: the strictest of each.
    pub counts: BTreeMap<&'static str, f64>,
    pub multiple_of: Option<f64>,
    pub unique_items: bool,
    pub pattern: Option<&'a str>,
    merged: HashSet<String>,
    key_parts: Vec<String>,
    /// Only the key is wanted: no keyword is read.
    key_only: bool,
}

/// Appends `node` to the declarations named `name`.
fn declare<'a>(list: &mut Vec<(&'a str, Vec<Node<'a>>)>, name: &'a str, node: Node<'a>) {
    match list.iter_mut().find(|(n, _)| *n == name) {
        Some((_, nodes)) => nodes.push(node),
        None => list.push((name, vec![node])),
    }
}

/// A schema value a keyword may hold: an object or a boolean.
fn schema(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| v.is_object() || v.is_boolean())
}

/// Both type sets at once (`allOf`): what is in both, an integer being a number.
fn meet<'a>(a: &BTreeSet<&'a str>, b: &BTreeSet<&'a str>) -> BTreeSet<&'a str> {
    let mut out: BTreeSet<&'a str> = a.intersection(b).copied().collect();
    if (a.contains("integer") && b.contains("number"))
        || (a.contains("number") && b.contains("integer"))
    {
        out.insert("integer");
    }
    out
}

impl<'a> Shape<'a> {
    pub fn of(cx: &Cx<'a>, side: Side, nodes: &[Node<'a>]) -> Shape<'a> {
        Shape::build(cx, side, nodes, false)
    }

    /// The memo key [`Shape::of`] would give, without reading the keywords: cheap enough to ask
    /// before building a shape that the memo may make useless.
    pub fn key_of(cx: &Cx<'a>, side: Side, nodes: &[Node<'a>]) -> String {
        Shape::build(cx, side, nodes, true).key
    }

    fn build(cx: &Cx<'a>, side: Side, nodes: &[Node<'a>], key_only: bool) -> Shape<'a> {
        let mut shape = Shape {
            key_only,
            ..Shape::default()
        };
        if !key_only {
            shape.nodes = nodes.to_vec();
        }
        if let Some((v, p)) = nodes.first() {
            shape.pointer = cx.resolve(side, v, p.clone()).1;
        }
        for (v, p) in nodes {
            shape.absorb(cx, side, v, p.clone(), 0);
        }
        shape.finish();
        shape
    }

    /// This shape without its own alternatives, and with `variant` (one of them) merged in: what
    /// the schema is when a value takes that alternative.
    pub fn with_variant(&self, cx: &Cx<'a>, side: Side, variant: &Node<'a>) -> Shape<'a> {
        let mut shape = Shape::of(cx, side, &self.nodes);
        shape.variants.clear();
        shape.absorb(cx, side, variant.0, variant.1.clone(), 1);
        shape.finish();
        shape
    }

    fn finish(&mut self) {
        if self.key_only {
            self.key = self.key_parts.join("&");
            return;
        }
        if self.nullable
            && let Some(types) = &mut self.types
        {
            types.insert("null");
        }
        // Empty when it constrains nothing: every such schema compares the same way.
        self.key = self.key_parts.join("&");
    }

    fn absorb(&mut self, cx: &Cx<'a>, side: Side, value: &'a Value, pointer: String, depth: usize) {
        if depth > MAX_DEPTH {
            self.truncated = true;
            return;
        }
        if !self.merged.insert(pointer.clone()) {
            return;
        }
        let s = match value {
            Value::Bool(false) => {
                self.never = true;
                self.key_parts.push(pointer);
                return;
            }
            Value::Object(s) => s,
            _ => return,
        };
        if s.contains_key("$ref") {
            let (target, at) = cx.resolve(side, value, pointer.clone());
            if at == pointer {
                // Not followed (another file, or nothing there): it is known only by where it is.
                self.key_parts.push(pointer);
                return;
            }
            self.absorb(cx, side, target, at, depth + 1);
            let only_annotations = s
                .keys()
                .all(|k| k == "$ref" || k.starts_with("x-") || ANNOTATIONS.contains(&k.as_str()));
            if only_annotations {
                return;
            }
        }
        self.key_parts.push(pointer.clone());
        if !self.key_only {
            self.read(s, &pointer);
        }
        for (i, part) in s
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            self.absorb(cx, side, part, format!("{pointer}/allOf/{i}"), depth + 1);
        }
    }

    /// The keywords of one schema object (not its `$ref` or `allOf`).
    fn read(&mut self, s: &'a serde_json::Map<String, Value>, pointer: &str) {
        let text = |k: &str| s.get(k).and_then(Value::as_str);
        let at = |k: &str| format!("{pointer}/{k}");
        let types: Option<BTreeSet<&'a str>> = match s.get("type") {
            Some(Value::String(t)) => Some([t.as_str()].into()),
            Some(Value::Array(list)) => Some(list.iter().filter_map(Value::as_str).collect()),
            _ => None,
        };
        if let Some(here) = types {
            self.types = Some(match &self.types {
                Some(before) => meet(before, &here),
                None => here,
            });
        }
        let flag = |k: &str| s.get(k).and_then(Value::as_bool) == Some(true);
        self.nullable |= flag("nullable") || flag("x-nullable");
        self.format = self.format.or(text("format"));
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            self.enumeration = Some(values.iter().collect());
        }
        if self.constant.is_none()
            && let Some(c) = s.get("const")
        {
            self.constant = Some((c, at("const")));
        }
        for (name, p) in s
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let ptr = format!("{pointer}/properties/{}", pac_spec::pointer::escape(name));
            declare(&mut self.properties, name, (p, ptr));
        }
        let names = |v: Option<&'a Value>| {
            v.and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
        };
        self.required.extend(names(s.get("required")));
        if let Some(items) = schema(s.get("items")) {
            self.items.push((items, at("items")));
        }
        if self.prefix_items.is_none()
            && let Some(list) = s.get("prefixItems").and_then(Value::as_array)
        {
            let base = at("prefixItems");
            self.prefix_items = Some(
                list.iter()
                    .enumerate()
                    .map(|(i, v)| (v, format!("{base}/{i}")))
                    .collect(),
            );
        }
        if self.contains.is_none()
            && let Some(c) = schema(s.get("contains"))
        {
            self.contains = Some((c, at("contains")));
        }
        for (key, list) in [
            ("additionalProperties", &mut self.additional),
            ("unevaluatedProperties", &mut self.unevaluated_properties),
            ("unevaluatedItems", &mut self.unevaluated_items),
            ("propertyNames", &mut self.property_names),
            ("contentSchema", &mut self.content_schema),
        ] {
            if let Some(v) = schema(s.get(key)) {
                list.push((v, at(key)));
            }
        }
        for (pattern, v) in s
            .get("patternProperties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let ptr = format!(
                "{pointer}/patternProperties/{}",
                pac_spec::pointer::escape(pattern)
            );
            declare(&mut self.pattern_properties, pattern, (v, ptr));
        }
        for (name, list) in s
            .get("dependentRequired")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            self.dependent_required
                .entry(name)
                .or_default()
                .extend(names(Some(list)));
        }
        for (name, v) in s
            .get("dependentSchemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let ptr = format!(
                "{pointer}/dependentSchemas/{}",
                pac_spec::pointer::escape(name)
            );
            declare(&mut self.dependent_schemas, name, (v, ptr));
        }
        let branch = |k: &str| schema(s.get(k)).map(|v| (v, at(k)));
        let condition = Condition {
            pointer: pointer.to_string(),
            when: branch("if"),
            then: branch("then"),
            otherwise: branch("else"),
        };
        if condition.when.is_some() || condition.then.is_some() || condition.otherwise.is_some() {
            self.conditions.push(condition);
        }
        self.content_media_type = self.content_media_type.or(text("contentMediaType"));
        self.content_encoding = self.content_encoding.or(text("contentEncoding"));
        for key in ["oneOf", "anyOf"] {
            for (i, v) in s
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                self.variants.push((v, format!("{pointer}/{key}/{i}")));
            }
        }
        self.read_bounds(s);
        self.pattern = self.pattern.or(text("pattern"));
    }

    fn read_bounds(&mut self, s: &serde_json::Map<String, Value>) {
        let number = |k: &str| s.get(k).and_then(Value::as_f64);
        for (lower, plain, exclusive) in [
            (true, "minimum", "exclusiveMinimum"),
            (false, "maximum", "exclusiveMaximum"),
        ] {
            let mut found = Vec::new();
            // 3.0: a flag that makes `minimum` exclusive; 3.1: a bound of its own.
            let flagged = s.get(exclusive).and_then(Value::as_bool) == Some(true);
            if let Some(v) = number(plain) {
                found.push(Bound {
                    value: v,
                    exclusive: flagged,
                    keyword: if flagged { exclusive } else { plain },
                });
            }
            if let Some(v) = number(exclusive) {
                found.push(Bound {
                    value: v,
                    exclusive: true,
                    keyword: exclusive,
                });
            }
            let slot = if lower {
                &mut self.minimum
            } else {
                &mut self.maximum
            };
            for b in found {
                if slot.is_none_or(|old| b.stricter_than(&old, lower)) {
                    *slot = Some(b);
                }
            }
        }
        for (keys, lower) in [(&LOWER_COUNTS, true), (&UPPER_COUNTS, false)] {
            for key in keys.iter() {
                if let Some(v) = number(key) {
                    let slot = self.counts.entry(key).or_insert(v);
                    *slot = if lower { slot.max(v) } else { slot.min(v) };
                }
            }
        }
        self.multiple_of = self.multiple_of.or(number("multipleOf"));
        self.unique_items |= s.get("uniqueItems").and_then(Value::as_bool) == Some(true);
    }

    /// The declarations of a property, if it has any.
    pub fn property(&self, name: &str) -> Option<&Vec<Node<'a>>> {
        self.properties
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, nodes)| nodes)
    }

    /// The values it may take (`const`, else `enum`), when it is limited to a list.
    pub fn values(&self) -> Option<Vec<&'a Value>> {
        match &self.constant {
            Some((c, _)) => Some(vec![c]),
            None => self.enumeration.clone(),
        }
    }
}

/// True when a value of type `t` is of one of `types` (an integer is a number).
pub(crate) fn covered(t: &str, types: &BTreeSet<&str>) -> bool {
    types.contains(t) || (t == "integer" && types.contains("number"))
}

/// How well `to` takes what `from` describes, judged on the surface (types, fixed values,
/// required and known properties), without walking further: (takes it, score: higher is closer).
/// Used to choose the `oneOf`/`anyOf` alternative a schema wrapped in one corresponds to.
pub(crate) fn fit(from: &Shape, to: &Shape) -> (bool, i64) {
    if to.never {
        return (from.never, i64::MIN / 2);
    }
    let types = match (&from.types, &to.types) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => a.iter().all(|t| covered(t, b)),
    };
    let values = match (from.values(), to.values()) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => a.iter().all(|v| b.contains(v)),
    };
    let missing = to.required.difference(&from.required).count() as i64;
    let known = from
        .properties
        .iter()
        .filter(|(n, _)| to.property(n).is_some())
        .count() as i64;
    let unknown = from.properties.len() as i64 - known;
    let score =
        i64::from(types) * 1000 + i64::from(values) * 500 + known * 10 - missing * 20 - unknown * 5;
    (types && values && missing == 0, score)
}

/// Values looked at, at most, by one [`same_below`].
const SAME_BUDGET: usize = 200_000;

impl<'a> Cx<'a> {
    /// True when everything below `a` (old side) and `b` (new side) is written the same way,
    /// `$ref`s followed in each side's document (each pair of targets once), looked at
    /// iteratively within a budget. Where the walk is cut at [`MAX_DEPTH`], only schemas that
    /// differ below the cut (or too big to tell) are worth reporting as not compared. The pairs of
    /// targets a successful look proved the same are remembered, so that the next look stops there.
    pub(crate) fn same_below(&mut self, a: &[Node<'a>], b: &[Node<'a>]) -> bool {
        if a.len() != b.len() {
            return false;
        }
        let mut stack: Vec<(&Value, &Value)> = a.iter().zip(b).map(|(x, y)| (x.0, y.0)).collect();
        let mut followed: HashSet<(String, String)> = HashSet::new();
        let mut budget = SAME_BUDGET;
        while let Some((x, y)) = stack.pop() {
            budget = match budget.checked_sub(1) {
                Some(left) => left,
                None => return false,
            };
            match (x, y) {
                (Value::Object(m), Value::Object(n)) => {
                    if m.len() != n.len() {
                        return false;
                    }
                    if m.contains_key("$ref") || n.contains_key("$ref") {
                        let (tx, px) = self.resolve(Side::Old, x, String::new());
                        let (ty, py) = self.resolve(Side::New, y, String::new());
                        let targets = (px, py);
                        if !self.same.contains(&targets) && followed.insert(targets) {
                            stack.push((tx, ty));
                        }
                    }
                    for (k, v) in m {
                        match n.get(k) {
                            Some(_) if k == "$ref" => {}
                            Some(w) => stack.push((v, w)),
                            None => return false,
                        }
                    }
                }
                (Value::Array(p), Value::Array(q)) => {
                    if p.len() != q.len() {
                        return false;
                    }
                    stack.extend(p.iter().zip(q));
                }
                _ => {
                    if x != y {
                        return false;
                    }
                }
            }
        }
        self.same.extend(followed);
        true
    }
}
