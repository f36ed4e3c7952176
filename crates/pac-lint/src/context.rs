//! What a rule function sees besides its target: the whole document, whether `$ref`s are
//! followed, the document's format, and what one lint computes once for every rule (the
//! referenced components, compiled validators). Also [`Hit`], what a function reports.

use std::cell::{OnceCell, RefCell};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use pac_jsonpath::Segment;
use pac_spec::pointer;
use serde_json::Value;

use crate::format::Format;

/// What a function says about one target: a message and, when not the target itself, where.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub message: String,
    pub path: Option<Vec<Segment>>,
}

impl Hit {
    pub fn new(message: impl Into<String>) -> Hit {
        Hit {
            message: message.into(),
            path: None,
        }
    }

    pub fn at(message: impl Into<String>, path: Vec<Segment>) -> Hit {
        Hit {
            message: message.into(),
            path: Some(path),
        }
    }
}

/// What one lint works out once and every rule shares.
#[derive(Default)]
pub(crate) struct Caches {
    referenced: OnceCell<HashSet<String>>,
    /// Validators compiled for example checks, by dialect and schema text: many examples share
    /// a schema (`{type: string}`), and compiling is the expensive part.
    validators: RefCell<HashMap<String, Result<Arc<jsonschema::Validator>, String>>>,
}

/// What functions can ask about the document around their target.
pub(crate) struct Ctx<'d> {
    pub root: &'d Value,
    /// Whether `$ref`s are followed (the rule is `resolved`).
    pub follow: bool,
    pub format: Format,
    pub caches: &'d Caches,
}

/// How far a chain of `$ref`s to `$ref`s is followed.
const MAX_REF_HOPS: usize = pac_spec::pointer::MAX_REF_CHAIN + 1;

/// The largest schema that is inlined for example validation, in nodes.
const MAX_INLINE_NODES: usize = 20_000;

impl<'d> Ctx<'d> {
    /// The value a `$ref` object points at (when following), else the value itself.
    pub fn deref<'a>(&self, v: &'a Value) -> &'a Value
    where
        'd: 'a,
    {
        if !self.follow {
            return v;
        }
        let mut v = v;
        for _ in 0..MAX_REF_HOPS {
            match target_of(self.root, v) {
                Some(t) if !std::ptr::eq(t, v) => v = t,
                _ => return v,
            }
        }
        v
    }

    /// The value at `path` from the root, `$ref`s followed on the way when following.
    pub fn get(&self, path: &[Segment]) -> Option<&'d Value> {
        let mut v = self.root;
        for s in path {
            v = self.deref(v);
            v = match (s, v) {
                (Segment::Key(k), Value::Object(o)) => o.get(k)?,
                (Segment::Index(i), Value::Array(a)) => a.get(*i)?,
                _ => return None,
            };
        }
        Some(v)
    }

    /// The validator cached under `key`, compiled by `compile` the first time in this lint.
    pub fn validator(
        &self,
        key: String,
        compile: impl FnOnce() -> Result<jsonschema::Validator, String>,
    ) -> Result<Arc<jsonschema::Validator>, String> {
        if let Some(v) = self.caches.validators.borrow().get(&key) {
            return v.clone();
        }
        let compiled = compile().map(Arc::new);
        self.caches
            .validators
            .borrow_mut()
            .insert(key, compiled.clone());
        compiled
    }

    /// Every `$ref` in the document, decoded (`#/components/schemas/Pet`).
    pub fn referenced(&self) -> &HashSet<String> {
        self.caches.referenced.get_or_init(|| {
            let mut out = HashSet::new();
            collect_refs(self.root, &mut out);
            out
        })
    }

    /// A copy of `v` with every internal `$ref` replaced by what it points at; None when that
    /// is impossible (a reference cycle) or too big.
    pub fn inline(&self, v: &Value) -> Option<Value> {
        let mut budget = MAX_INLINE_NODES;
        let mut active: Vec<*const Value> = Vec::new();
        self.inline_inner(v, &mut active, &mut budget)
    }

    fn inline_inner(
        &self,
        v: &Value,
        active: &mut Vec<*const Value>,
        budget: &mut usize,
    ) -> Option<Value> {
        *budget = budget.checked_sub(1)?;
        if let Some(target) = target_of(self.root, v) {
            let key = target as *const Value;
            if active.contains(&key) {
                return None;
            }
            active.push(key);
            let out = self.inline_inner(target, active, budget);
            active.pop();
            return out;
        }
        match v {
            Value::Object(o) => {
                let mut m = serde_json::Map::with_capacity(o.len());
                for (k, x) in o {
                    m.insert(k.clone(), self.inline_inner(x, active, budget)?);
                }
                Some(Value::Object(m))
            }
            Value::Array(a) => a
                .iter()
                .map(|x| self.inline_inner(x, active, budget))
                .collect::<Option<Vec<_>>>()
                .map(Value::Array),
            other => Some(other.clone()),
        }
    }
}

/// The target of `v` when it is an internal `$ref` object that resolves.
fn target_of<'d>(root: &'d Value, v: &Value) -> Option<&'d Value> {
    pointer::resolve(root, pointer::ref_of(v)?)
}

fn collect_refs(v: &Value, out: &mut HashSet<String>) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get("$ref")
                && let Some(target) = pointer::local_target(r)
            {
                // Kept unescaped, as Spectral compares them: `#/paths//pets` for `#/paths/~1pets`.
                let segments: Vec<std::borrow::Cow<'_, str>> =
                    target.split('/').map(pointer::unescape).collect();
                out.insert(format!("#{}", segments.join("/")));
            }
            o.values().for_each(|x| collect_refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}
