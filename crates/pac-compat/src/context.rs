//! What one comparison carries: the two documents, their operations, and the changes found so
//! far (each once per operation). The operation-level comparisons (`operations.rs`) and the schema
//! walk (`schema.rs`) both work on it.

use std::collections::{BTreeMap, HashSet};

use pac_spec::pointer::escape;
use serde_json::{Map, Value};

use super::rules::level;
use super::{Change, Side};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of one document.
pub(crate) struct Op<'a> {
    pub method: &'static str,
    pub path: &'a str,
    pub item: &'a Map<String, Value>,
    pub op: &'a Map<String, Value>,
}

impl Op<'_> {
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }

    pub fn pointer(&self) -> String {
        format!("/paths/{}/{}", escape(self.path), self.method)
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

pub(crate) fn operations(doc: &Value) -> BTreeMap<String, Op<'_>> {
    let mut out = BTreeMap::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for method in METHODS {
            if let Some(op) = item.get(method).and_then(Value::as_object) {
                out.insert(
                    format!("{} {}", method, path_key(path)),
                    Op {
                        method,
                        path,
                        item,
                        op,
                    },
                );
            }
        }
    }
    out
}

pub(crate) struct Cx<'a> {
    pub old: &'a Value,
    pub new: &'a Value,
    pub changes: Vec<Change>,
    /// (id, operation, pointer) already reported, so a change is listed once per operation.
    pub seen: HashSet<(&'static str, String, String)>,
    /// Schema pairs already compared, per operation and direction: shared components are
    /// compared once per operation, however many ways lead to them.
    pub done: HashSet<(String, bool, String, String)>,
}

impl<'a> Cx<'a> {
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
