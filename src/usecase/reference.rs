//! A version's reference for the web catalogue's pages: its normalised document with the indexes
//! the pages need (operations by operationId and by method and path, and which operations use
//! each named schema), kept in a bounded in-memory [`Cache`].
//!
//! Why a cache: [`versions::normalised`](super::versions::normalised) reads the original files
//! and loads them again at every call, which takes seconds for the largest descriptions (a
//! Google Compute or GitHub description); a page must answer in milliseconds. Why it is safe:
//! entries are keyed by the version's content hash (the same bytes always give the same document,
//! whichever API or label they were published under), and [`get`] checks the caller's right to
//! see the version in the store on every request *before* looking in the cache, so a cached
//! document is never a way round visibility. Nothing is ever written to a stored version, so an
//! entry never goes stale; it only goes out when space is needed.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use pac_spec::pointer;
use serde_json::Value;

use super::Catalogue;
use super::versions::api_version;
use crate::auth::Principal;
use crate::error::Error;
use crate::store::apis::ApiRecord;
use crate::store::descriptions;
use crate::store::versions::VersionRow;

/// What the cache may hold by default, in estimated bytes of parsed documents: enough for the
/// largest descriptions of a real catalogue (a few tens of MB each once parsed) and many small ones.
pub const DEFAULT_CACHE_BYTES: usize = 256 * 1024 * 1024;

/// One operation of a version, as the indexes name it.
#[derive(Debug, Clone)]
pub struct OperationRef {
    /// Lower case, as in the document.
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
}

/// A version's normalised document and what pages look up in it.
pub struct Reference {
    pub doc: Value,
    /// Every operation, in document order.
    pub operations: Vec<OperationRef>,
    by_id: HashMap<String, usize>,
    by_method_path: HashMap<(String, String), usize>,
    /// Named schema → operations whose parameters, request body or responses refer to it
    /// directly (not through other schemas).
    used_by: HashMap<String, Vec<usize>>,
    /// Estimated memory, for the cache's budget.
    bytes: usize,
}

impl Reference {
    pub fn new(doc: Value, operations: Vec<OperationRef>) -> Reference {
        let mut by_id = HashMap::new();
        let mut by_method_path = HashMap::new();
        let mut used_by: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, op) in operations.iter().enumerate() {
            if let Some(id) = &op.operation_id {
                by_id.entry(id.clone()).or_insert(i);
            }
            by_method_path
                .entry((op.method.clone(), op.path.clone()))
                .or_insert(i);
            if let Some((_, node)) = operation_in(&doc, &op.method, &op.path) {
                for name in schemas_used(&doc, node) {
                    used_by.entry(name).or_default().push(i);
                }
            }
        }
        let bytes = estimate(&doc) + operations.len() * 160;
        Reference {
            doc,
            operations,
            by_id,
            by_method_path,
            used_by,
            bytes,
        }
    }

    /// The operation an operation page's address names (what follows `/operations/`, as sent):
    /// one segment is an operationId; otherwise the first segment is the method and the others
    /// the path, each percent-decoded (`get/forces/%7Bid%7D` is `GET /forces/{id}`).
    pub fn find_operation(&self, raw: &str) -> Option<&OperationRef> {
        let segments: Vec<&str> = raw.split('/').collect();
        if let [one] = segments.as_slice()
            && let Some(i) = self.by_id.get(pointer::percent_decode(one).as_ref())
        {
            return Some(&self.operations[*i]);
        }
        let (method, rest) = segments.split_first()?;
        if rest.is_empty() {
            return None;
        }
        let method = pointer::percent_decode(method).to_ascii_lowercase();
        let mut path = String::new();
        for s in rest {
            path.push('/');
            path.push_str(&pointer::percent_decode(s));
        }
        self.by_method_path
            .get(&(method, path))
            .map(|i| &self.operations[*i])
    }

    /// The path item and the operation object of `op`.
    pub fn operation_of(&self, op: &OperationRef) -> Option<(&Value, &Value)> {
        operation_in(&self.doc, &op.method, &op.path)
    }

    /// A named component schema.
    pub fn schema(&self, name: &str) -> Option<&Value> {
        self.doc.pointer("/components/schemas")?.get(name)
    }

    /// The operations that refer to the named schema directly.
    pub fn used_by(&self, name: &str) -> impl Iterator<Item = &OperationRef> {
        self.used_by
            .get(name)
            .into_iter()
            .flatten()
            .map(|i| &self.operations[*i])
    }
}

/// The path item (references followed) and the operation object of `method` and `path`,
/// including 3.2's `additionalOperations`, whose methods the catalogue writes in lower case.
fn operation_in<'d>(doc: &'d Value, method: &str, path: &str) -> Option<(&'d Value, &'d Value)> {
    let item = doc.get("paths")?.get(path)?;
    let item = pointer::follow(doc, item, String::new(), pointer::MAX_REF_CHAIN).0;
    let op = item.get(method).or_else(|| {
        item.get("additionalOperations")?
            .as_object()?
            .iter()
            .find(|(m, _)| m.eq_ignore_ascii_case(method))
            .map(|(_, op)| op)
    })?;
    Some((item, op))
}

/// Named schemas an operation refers to directly: references in its parameters, request body and
/// responses, through references to shared parameters, bodies, responses and headers, but not
/// into other schemas nor into examples (whose `$ref` keys are data). Bounded, like every walk.
fn schemas_used(doc: &Value, op: &Value) -> Vec<String> {
    const MAX_NODES: usize = 20_000;
    let mut names: Vec<String> = Vec::new();
    let mut followed: HashSet<String> = HashSet::new();
    let mut todo: Vec<&Value> = ["parameters", "requestBody", "responses"]
        .iter()
        .filter_map(|k| op.get(*k))
        .collect();
    let mut seen = 0;
    while let Some(v) = todo.pop() {
        seen += 1;
        if seen > MAX_NODES {
            break;
        }
        match v {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                    if let Some(name) = pac_web::schema::component_name(reference) {
                        if !names.contains(&name) {
                            names.push(name);
                        }
                    } else if let Some(target) = pointer::local_target(reference)
                        && target.starts_with("/components/")
                        && followed.insert(target.to_string())
                        && let Some(next) = pointer::get(doc, &target)
                    {
                        todo.push(next);
                    }
                    continue;
                }
                for (k, child) in map {
                    if k != "example" && k != "examples" {
                        todo.push(child);
                    }
                }
            }
            Value::Array(items) => todo.extend(items.iter()),
            _ => {}
        }
    }
    names
}

/// Roughly what a parsed document takes in memory.
fn estimate(doc: &Value) -> usize {
    let mut bytes = 0;
    let mut todo = vec![doc];
    while let Some(v) = todo.pop() {
        bytes += std::mem::size_of::<Value>();
        match v {
            Value::String(s) => bytes += s.len(),
            Value::Array(items) => todo.extend(items.iter()),
            Value::Object(map) => {
                for (k, child) in map {
                    // The key, and the map's own entry and index overhead.
                    bytes += k.len() + 48;
                    todo.push(child);
                }
            }
            _ => {}
        }
    }
    bytes
}

/// A bounded cache of [`Reference`]s by content hash, least recently used out first. One lock
/// around a map: lookups are rare (one per page) and cheap next to rendering. Two requests that
/// miss together both load the document; the second insert replaces the first. Simple, and a
/// miss costs only time.
pub struct Cache {
    capacity: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    tick: u64,
    bytes: usize,
    entries: HashMap<String, (Arc<Reference>, u64)>,
}

impl Default for Cache {
    fn default() -> Self {
        Cache::new(DEFAULT_CACHE_BYTES)
    }
}

impl Cache {
    /// Holds at most `capacity` estimated bytes; a document bigger than that is never kept.
    pub fn new(capacity: usize) -> Cache {
        Cache {
            capacity,
            inner: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn get(&self, key: &str) -> Option<Arc<Reference>> {
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        let entry = inner.entries.get_mut(key)?;
        entry.1 = tick;
        Some(entry.0.clone())
    }

    pub fn insert(&self, key: String, value: Arc<Reference>) {
        if value.bytes > self.capacity {
            return;
        }
        let mut inner = self.lock();
        if let Some((old, _)) = inner.entries.remove(&key) {
            inner.bytes -= old.bytes;
        }
        while inner.bytes + value.bytes > self.capacity {
            let Some(oldest) = inner
                .entries
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some((gone, _)) = inner.entries.remove(&oldest) {
                inner.bytes -= gone.bytes;
            }
        }
        inner.tick += 1;
        let tick = inner.tick;
        inner.bytes += value.bytes;
        inner.entries.insert(key, (value, tick));
    }

    /// Estimated bytes held, and entries.
    pub fn usage(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.bytes, inner.entries.len())
    }
}

/// A version the caller may see, with its reference.
pub struct Located {
    pub api: ApiRecord,
    pub version: VersionRow,
    pub reference: Arc<Reference>,
}

/// The reference of version `label` of `api`. Visibility is checked in the store first, on every
/// call; only then is the cache consulted, and on a miss the description is loaded from its
/// original files and kept.
pub fn get(cat: &Catalogue, who: &Principal, api: &str, label: &str) -> Result<Located, Error> {
    let (record, version) = cat.store.read(|c| api_version(c, who, api, label))?;
    let Some(hash) = version.content_sha256.clone() else {
        return Err(Error::NotFound(format!(
            "description of version {label} of API {api} (it is a link-only entry)"
        )));
    };
    let reference = match cat.references.get(&hash) {
        Some(r) => r,
        None => {
            let desc = cat
                .store
                .read(|c| descriptions::of_version(c, &version, &cat.limits))?
                .ok_or_else(|| {
                    Error::NotFound(format!("description of version {label} of API {api}"))
                })?;
            let operations = desc
                .operations
                .into_iter()
                .map(|o| OperationRef {
                    method: o.method,
                    path: o.path,
                    operation_id: o.operation_id,
                })
                .collect();
            let reference = Arc::new(Reference::new(desc.normalised, operations));
            cat.references.insert(hash, reference.clone());
            reference
        }
    };
    Ok(Located {
        api: record,
        version,
        reference,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reference() -> Reference {
        let doc = json!({
            "paths": {
                "/forces/{id}": {
                    "get": {"operationId": "getForce", "responses": {"200": {"$ref": "#/components/responses/Force"}}},
                    "additionalOperations": {"COPY": {"responses": {}}}
                },
                "/": {"get": {"operationId": "a/b", "parameters": [{"name": "q", "in": "query", "schema": {"$ref": "#/components/schemas/Query"}}],
                    "responses": {"200": {"description": "x", "content": {"application/json": {"example": {"$ref": "#/components/schemas/NotUsed"}}}}}}}
            },
            "components": {
                "responses": {"Force": {"description": "f", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Force"}}}}},
                "schemas": {"Force": {"type": "object", "properties": {"area": {"$ref": "#/components/schemas/Area"}}}}
            }
        });
        let ops = [
            ("get", "/forces/{id}", Some("getForce")),
            ("copy", "/forces/{id}", None),
            ("get", "/", Some("a/b")),
        ]
        .into_iter()
        .map(|(m, p, id)| OperationRef {
            method: m.into(),
            path: p.into(),
            operation_id: id.map(Into::into),
        })
        .collect();
        Reference::new(doc, ops)
    }

    #[test]
    fn operations_are_found_by_id_or_by_method_and_path() {
        let r = reference();
        assert_eq!(r.find_operation("getForce").unwrap().path, "/forces/{id}");
        assert_eq!(
            r.find_operation("get/forces/%7Bid%7D")
                .unwrap()
                .operation_id
                .as_deref(),
            Some("getForce")
        );
        assert_eq!(r.find_operation("GET/forces/{id}").unwrap().method, "get");
        assert_eq!(r.find_operation("a%2Fb").unwrap().path, "/");
        assert_eq!(r.find_operation("get/").unwrap().path, "/");
        let copy = r.find_operation("copy/forces/%7Bid%7D").unwrap();
        assert!(
            r.operation_of(copy).is_some(),
            "3.2's additional operations resolve"
        );
        assert!(r.find_operation("nothing").is_none());
        assert!(r.find_operation("post/forces/%7Bid%7D").is_none());
        assert!(r.find_operation("get/forces").is_none());
    }

    #[test]
    fn used_by_follows_shared_responses_but_not_schemas_or_examples() {
        let r = reference();
        let users = |n: &str| r.used_by(n).map(|o| o.path.clone()).collect::<Vec<_>>();
        assert_eq!(users("Force"), ["/forces/{id}"]);
        assert_eq!(users("Query"), ["/"]);
        assert!(users("Area").is_empty());
        assert!(users("NotUsed").is_empty());
    }

    #[test]
    fn the_cache_keeps_to_its_budget_least_recently_used_out_first() {
        let one = Arc::new(reference());
        let size = one.bytes;
        let cache = Cache::new(size * 2 + size / 2);
        cache.insert("a".into(), one.clone());
        cache.insert("b".into(), Arc::new(reference()));
        assert!(cache.get("a").is_some());
        cache.insert("c".into(), Arc::new(reference()));
        assert!(cache.get("b").is_none(), "b was the least recently used");
        assert!(cache.get("a").is_some() && cache.get("c").is_some());
        assert_eq!(cache.usage(), (size * 2, 2));
        let tiny = Cache::new(size - 1);
        tiny.insert("a".into(), one);
        assert_eq!(tiny.usage(), (0, 0), "too big to keep");
    }
}
