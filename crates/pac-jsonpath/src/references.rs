//! Local `$ref`s: finding them, resolving their JSON pointers (through refs to refs) and
//! remembering the answer, inside the [`Env`] one selection runs in. Knows nothing of paths:
//! the walk decides when to follow, this module only says where a ref leads.

use std::cell::RefCell;
use std::rc::Rc;

use rustc_hash::FxHashMap;
use serde_json::Value;

use crate::location::{Key, Segment};

/// A chain of refs to refs longer than this is treated as unresolvable (it is almost surely a
/// loop, and a loop must not stall the walk).
const MAX_REF_HOPS: usize = pac_spec::pointer::MAX_REF_CHAIN;

/// Where a ref leads: the value, and its location from the document's root.
pub(crate) struct Target<'v> {
    pub(crate) value: &'v Value,
    pub(crate) loc: Vec<Key<'v>>,
}

/// The `$ref` string of a local reference object.
pub(crate) fn ref_str(v: &Value) -> Option<&str> {
    match v {
        Value::Object(m) => m.get("$ref")?.as_str().filter(|s| s.starts_with('#')),
        _ => None,
    }
}

/// Resolves a `#/json/pointer` in `doc`.
fn resolve_pointer<'v>(doc: &'v Value, r: &str) -> Option<Target<'v>> {
    let frag = pac_spec::pointer::local_target(r)?;
    let mut cur = doc;
    let mut loc = Vec::new();
    for tok in pac_spec::pointer::segments(&frag)? {
        match cur {
            Value::Object(m) => {
                let (k, v) = m.get_key_value(tok.as_ref())?;
                loc.push(Key::Name(k.as_str()));
                cur = v;
            }
            Value::Array(a) => {
                let i = pac_spec::pointer::index(&tok)?;
                cur = a.get(i)?;
                loc.push(Key::Idx(i));
            }
            _ => return None,
        }
    }
    Some(Target { value: cur, loc })
}

/// What one selection runs in: the document, the node that is `$`, the location of `$`, whether
/// refs are followed, and the resolved refs (a document repeats the same few refs many times).
pub(crate) struct Env<'v> {
    doc: &'v Value,
    pub(crate) start: &'v Value,
    pub(crate) base: Vec<Segment>,
    pub(crate) follow: bool,
    cache: RefCell<FxHashMap<&'v str, Option<Rc<Target<'v>>>>>,
}

impl<'v> Env<'v> {
    pub(crate) fn new(doc: &'v Value, start: &'v Value, base: &[Segment], follow: bool) -> Self {
        Env {
            doc,
            start,
            base: base.to_vec(),
            follow,
            cache: RefCell::default(),
        }
    }

    /// Resolves a local ref, hopping through refs to refs (at most 32 hops).
    pub(crate) fn resolve(&self, r: &'v str) -> Option<Rc<Target<'v>>> {
        if let Some(t) = self.cache.borrow().get(r) {
            return t.clone();
        }
        let mut result = None;
        if let Some(mut t) = resolve_pointer(self.doc, r) {
            for _ in 0..=MAX_REF_HOPS {
                match ref_str(t.value).and_then(|n| resolve_pointer(self.doc, n)) {
                    Some(next) => t = next,
                    None => {
                        result = Some(Rc::new(t));
                        break;
                    }
                }
            }
        }
        self.cache.borrow_mut().insert(r, result.clone());
        result
    }

    /// `v`, or where it leads when it is a ref and refs are followed (filters read members
    /// through refs this way).
    pub(crate) fn deref(&self, v: &'v Value) -> &'v Value {
        if !self.follow {
            return v;
        }
        match ref_str(v).and_then(|r| self.resolve(r)) {
            Some(t) => t.value,
            None => v,
        }
    }
}

#[cfg(test)]
mod tests;
