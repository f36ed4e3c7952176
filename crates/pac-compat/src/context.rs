//! What one comparison carries: the two documents, their operations, and the changes found so
//! far (each once per operation). The operation-level comparisons (`operations.rs`, `webhooks.rs`)
//! and the schema walk (`schema.rs`) all work on it.
//!
//! Operations are read from the document itself: the eight methods of OpenAPI 3.0, 3.2's `query`
//! and `additionalOperations` (any method, matched case-insensitively), on path items written in
//! place or referenced (`$ref: '#/components/pathItems/X'`, followed). Webhooks (3.1, 3.2) are
//! operations of their own kind, labelled `WEBHOOK <name> <METHOD>`.

use std::collections::{BTreeMap, HashSet};

use pac_spec::pointer::escape;
use serde_json::{Map, Value};

use super::rules::level;
use super::{Change, Side};

const METHODS: [&str; 9] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// One operation of one document.
pub(crate) struct Op<'a> {
    /// Lower case.
    pub method: String,
    /// The path template, or the webhook's name.
    pub path: &'a str,
    pub webhook: bool,
    pub item: &'a Map<String, Value>,
    /// Where the path item is: under `paths` or `webhooks`, or where its `$ref` leads.
    pub item_pointer: String,
    pub op: &'a Map<String, Value>,
    op_pointer: String,
}

impl Op<'_> {
    pub fn label(&self) -> String {
        if self.webhook {
            format!("WEBHOOK {} {}", self.path, self.method.to_uppercase())
        } else {
            format!("{} {}", self.method.to_uppercase(), self.path)
        }
    }

    pub fn pointer(&self) -> String {
        self.op_pointer.clone()
    }
}

/// `/forces/{id}` and `/forces/{forceId}` are the same path.
pub(crate) fn path_key(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            c if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

/// The operations under `paths`, keyed `method path-key`.
pub(crate) fn operations(doc: &Value) -> BTreeMap<String, Op<'_>> {
    collect(doc, "paths", false)
}

/// The operations under `webhooks`, keyed `name method`.
pub(crate) fn webhooks(doc: &Value) -> BTreeMap<String, Op<'_>> {
    collect(doc, "webhooks", true)
}

fn collect<'a>(doc: &'a Value, member: &str, webhook: bool) -> BTreeMap<String, Op<'a>> {
    let mut out = BTreeMap::new();
    let Some(items) = doc.get(member).and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in items {
        if path.starts_with("x-") {
            continue;
        }
        let at = format!("/{member}/{}", escape(path));
        let (item, item_pointer) =
            pac_spec::pointer::follow(doc, item, at, pac_spec::pointer::MAX_REF_CHAIN + 1);
        let Some(item) = item.as_object() else {
            continue;
        };
        let fixed = METHODS.iter().filter_map(|m| {
            let op = item.get(*m)?;
            Some(((*m).to_string(), op, format!("{item_pointer}/{m}")))
        });
        let additional = item
            .get("additionalOperations")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(m, op)| {
                let at = format!("{item_pointer}/additionalOperations/{}", escape(m));
                (m.to_ascii_lowercase(), op, at)
            });
        for (method, op, op_pointer) in fixed.chain(additional) {
            let Some(op) = op.as_object() else {
                continue;
            };
            let key = if webhook {
                format!("{path} {method}")
            } else {
                format!("{method} {}", path_key(path))
            };
            // A method written twice (`get` and `additionalOperations: {GET: …}`): the first counts.
            out.entry(key).or_insert(Op {
                method,
                path,
                webhook,
                item,
                item_pointer: item_pointer.clone(),
                op,
                op_pointer,
            });
        }
    }
    out
}

/// JSON text with object keys sorted at every level, for comparing definitions written in any order.
pub(crate) fn canonical(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let inner: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical(&m[k])))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

/// The memo of the schema walk: operation label, direction and mode flags, the two schemas' keys.
pub(crate) type Memo = (String, u8, String, String);

pub(crate) struct Cx<'a> {
    pub old: &'a Value,
    pub new: &'a Value,
    pub changes: Vec<Change>,
    /// (id, operation, pointer) already reported, so a change is listed once per operation.
    pub seen: HashSet<(&'static str, String, String)>,
    /// Schema pairs already compared, per operation and direction: shared components are
    /// compared once per operation, however many ways lead to them.
    pub done: HashSet<Memo>,
    /// (operation, request direction) whose schema walk was cut at the depth limit: reported once.
    pub truncated: HashSet<(String, bool)>,
    /// Pairs of `$ref` targets (old, new) found written the same way, with all below them.
    pub same: HashSet<(String, String)>,
}

impl<'a> Cx<'a> {
    pub fn new(old: &'a Value, new: &'a Value) -> Self {
        Cx {
            old,
            new,
            changes: Vec::new(),
            seen: HashSet::new(),
            done: HashSet::new(),
            truncated: HashSet::new(),
            same: HashSet::new(),
        }
    }

    pub fn push(
        &mut self,
        id: &'static str,
        op: Option<&Op>,
        side: Side,
        pointer: String,
        message: String,
    ) {
        let operation = op.map(Op::label);
        let key = (id, operation.clone().unwrap_or_default(), pointer.clone());
        if !self.seen.insert(key) {
            return;
        }
        self.record(id, operation, side, pointer, message);
    }

    /// Adds a change without the once-per-operation-and-pointer check (for a change that keeps
    /// its own count).
    pub fn record(
        &mut self,
        id: &'static str,
        operation: Option<String>,
        side: Side,
        pointer: String,
        message: String,
    ) {
        self.changes.push(Change {
            id,
            level: level(id),
            operation,
            side,
            pointer,
            message,
            location: None,
        });
    }

    pub fn doc(&self, side: Side) -> &'a Value {
        match side {
            Side::Old => self.old,
            Side::New => self.new,
        }
    }

    /// Follows `$ref`s (internal ones; anything else is left as it is) to the object they name,
    /// with its pointer.
    pub fn resolve(&self, side: Side, value: &'a Value, pointer: String) -> (&'a Value, String) {
        pac_spec::pointer::follow(
            self.doc(side),
            value,
            pointer,
            pac_spec::pointer::MAX_REF_CHAIN + 1,
        )
    }
}
