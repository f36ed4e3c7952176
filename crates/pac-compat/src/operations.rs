//! Operations, parameters, bodies, responses and security, matched between the two documents.
//! Both are normalised documents as JSON (`spec::Description::normalised`): OpenAPI 3.0 (Swagger
//! 2.0 converted), or 3.1 and 3.2 as written. An operation's parameters and request body are its
//! input (compared in the request direction: they may only widen), its responses its output (they
//! may only narrow). A media type's `schema` is compared with `schema`, and 3.2's `itemSchema` (the
//! schema of each item of a sequential media type) with `itemSchema`. Webhooks are compared the
//! other way round (`webhooks.rs`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use pac_spec::pointer::escape;

use super::context::{Cx, Op, canonical, operations, webhooks};
use super::rules::*;
use super::schema::{Direction, SchemaWalk};
use super::{Report, Side};

/// Compares two normalised documents: what does `new` break for callers of `old`?
pub fn compare(old: &Value, new: &Value) -> Report {
    let mut cx = Cx::new(old, new);
    let kinds = [
        (operations(old), operations(new), false),
        (webhooks(old), webhooks(new), true),
    ];
    for (old_ops, new_ops, webhook) in &kinds {
        let (removed, added) = if *webhook {
            (WEBHOOK_REMOVED, WEBHOOK_ADDED)
        } else {
            (OPERATION_REMOVED, OPERATION_ADDED)
        };
        for (key, o) in old_ops {
            match new_ops.get(key) {
                Some(n) if *webhook => cx.webhook(o, n),
                Some(n) => cx.operation(o, n),
                None => cx.push(
                    removed,
                    Some(o),
                    Side::Old,
                    o.pointer(),
                    format!("{} was removed", o.label()),
                ),
            }
        }
        for (key, n) in new_ops {
            if !old_ops.contains_key(key) {
                cx.push(
                    added,
                    Some(n),
                    Side::New,
                    n.pointer(),
                    format!("{} was added", n.label()),
                );
            }
        }
    }
    let mut changes = cx.changes;
    changes.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then_with(|| a.operation.cmp(&b.operation))
            .then_with(|| a.pointer.cmp(&b.pointer))
            .then_with(|| a.id.cmp(b.id))
    });
    Report { changes }
}

pub(crate) fn empty() -> &'static Map<String, Value> {
    static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
    &EMPTY
}

/// The names of a path template's parameters, in order.
fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .collect()
}

/// The ids parameter changes carry, and the direction their schemas are compared in: an
/// operation's parameters are input, a webhook's are output (the provider sends them).
pub(crate) struct ParameterRules {
    pub removed: &'static str,
    pub required_added: &'static str,
    pub added: &'static str,
    pub became_required: &'static str,
    pub became_optional: &'static str,
    pub direction: Direction,
}

const OPERATION_PARAMETERS: ParameterRules = ParameterRules {
    removed: REQUEST_PARAMETER_REMOVED,
    required_added: REQUEST_PARAMETER_REQUIRED_ADDED,
    added: REQUEST_PARAMETER_ADDED,
    became_required: REQUEST_PARAMETER_BECAME_REQUIRED,
    became_optional: REQUEST_PARAMETER_BECAME_OPTIONAL,
    direction: Direction::Request,
};

/// One way of satisfying a security requirement: schemes (by identity) and the scopes each needs.
type Alternative = BTreeMap<String, BTreeSet<String>>;

struct Security {
    alternatives: Vec<Alternative>,
    /// Scheme identity → the name the document gives it.
    names: BTreeMap<String, String>,
    pointer: String,
}

impl Security {
    fn name<'s>(&'s self, identity: &'s str) -> &'s str {
        self.names.get(identity).map_or(identity, String::as_str)
    }

    /// Schemes that every alternative needs.
    fn strictly_required(&self) -> BTreeSet<String> {
        let mut alternatives = self.alternatives.iter();
        let Some(first) = alternatives.next() else {
            return BTreeSet::new();
        };
        let mut out: BTreeSet<String> = first.keys().cloned().collect();
        for a in alternatives {
            out.retain(|s| a.contains_key(s));
        }
        out
    }

    /// Scopes asked for per scheme, over all alternatives.
    fn scopes(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for a in &self.alternatives {
            for (scheme, scopes) in a {
                out.entry(scheme.clone())
                    .or_default()
                    .extend(scopes.iter().cloned());
            }
        }
        out
    }
}

/// A parameter as both sides know it.
struct Param<'a> {
    name: &'a str,
    location: &'a str,
    required: bool,
    /// The schema and its pointer: `schema`, or that of the one media type of `content`.
    schema: Option<(&'a Value, String)>,
    pointer: String,
}

impl<'a> Cx<'a> {
    fn operation(&mut self, o: &Op<'a>, n: &Op<'a>) {
        let deprecated = |op: &Op| op.op.get("deprecated").and_then(Value::as_bool) == Some(true);
        if !deprecated(o) && deprecated(n) {
            self.push(
                OPERATION_DEPRECATED,
                Some(n),
                Side::New,
                n.pointer(),
                format!("{} is now deprecated", n.label()),
            );
        }
        self.parameters(o, n, &OPERATION_PARAMETERS);
        self.request_body(o, n);
        self.responses(o, n);
        self.security(o, n);
    }

    /// Path-level parameters, overridden by the operation's own (same name and location).
    fn parameters_of(&self, side: Side, op: &Op<'a>) -> Vec<Param<'a>> {
        let mut out: Vec<Param<'a>> = Vec::new();
        let lists = [
            (
                op.item.get("parameters"),
                format!("{}/parameters", op.item_pointer),
            ),
            (
                op.op.get("parameters"),
                format!("{}/parameters", op.pointer()),
            ),
        ];
        for (list, base) in lists {
            let Some(list) = list.and_then(Value::as_array) else {
                continue;
            };
            for (i, p) in list.iter().enumerate() {
                let (p, pointer) = self.resolve(side, p, format!("{base}/{i}"));
                let (Some(name), Some(location)) = (
                    p.get("name").and_then(Value::as_str),
                    p.get("in").and_then(Value::as_str),
                ) else {
                    continue;
                };
                let param = Param {
                    name,
                    location,
                    required: p.get("required").and_then(Value::as_bool) == Some(true)
                        || location == "path",
                    schema: match p.get("schema") {
                        Some(schema) => Some((schema, format!("{pointer}/schema"))),
                        None => p
                            .get("content")
                            .and_then(Value::as_object)
                            .and_then(|c| c.iter().next())
                            .and_then(|(media, m)| {
                                let at = format!("{pointer}/content/{}/schema", escape(media));
                                Some((m.get("schema")?, at))
                            }),
                    },
                    pointer,
                };
                out.retain(|q| !(q.name == param.name && q.location == param.location));
                out.push(param);
            }
        }
        out
    }

    pub(crate) fn parameters(&mut self, o: &Op<'a>, n: &Op<'a>, rules: &ParameterRules) {
        let old = self.parameters_of(Side::Old, o);
        let new = self.parameters_of(Side::New, n);
        let (old_names, new_names) = (template_names(o.path), template_names(n.path));
        // Path parameters pair by position in the template; the others by location and name
        // (header names are case-insensitive).
        let same = |a: &Param, b: &Param| {
            if a.location != b.location {
                return false;
            }
            match a.location {
                "path" => {
                    let i = old_names.iter().position(|x| *x == a.name);
                    i.is_some() && i == new_names.iter().position(|x| *x == b.name)
                }
                "header" => a.name.eq_ignore_ascii_case(b.name),
                _ => a.name == b.name,
            }
        };
        for p in &old {
            let Some(q) = new.iter().find(|q| same(p, q)) else {
                self.push(
                    rules.removed,
                    Some(o),
                    Side::Old,
                    p.pointer.clone(),
                    format!("{} parameter '{}' was removed", p.location, p.name),
                );
                continue;
            };
            if !p.required && q.required {
                self.push(
                    rules.became_required,
                    Some(n),
                    Side::New,
                    format!("{}/required", q.pointer),
                    format!("{} parameter '{}' is now required", q.location, q.name),
                );
            } else if p.required && !q.required {
                self.push(
                    rules.became_optional,
                    Some(n),
                    Side::New,
                    format!("{}/required", q.pointer),
                    format!("{} parameter '{}' is now optional", q.location, q.name),
                );
            }
            if let (Some((a, a_ptr)), Some((b, b_ptr))) = (&p.schema, &q.schema) {
                let what = format!("{} parameter '{}'", q.location, q.name);
                SchemaWalk::new(self, n, rules.direction).compare(
                    a,
                    a_ptr.clone(),
                    b,
                    b_ptr.clone(),
                    &what,
                );
            }
        }
        for q in &new {
            if old.iter().any(|p| same(p, q)) {
                continue;
            }
            let (id, how) = if q.required {
                (rules.required_added, "required")
            } else {
                (rules.added, "optional")
            };
            self.push(
                id,
                Some(n),
                Side::New,
                q.pointer.clone(),
                format!("new {how} {} parameter '{}'", q.location, q.name),
            );
        }
    }

    fn request_body(&mut self, o: &Op<'a>, n: &Op<'a>) {
        let body = |cx: &Self, side, op: &Op<'a>| {
            op.op
                .get("requestBody")
                .map(|b| cx.resolve(side, b, format!("{}/requestBody", op.pointer())))
        };
        let old = body(self, Side::Old, o);
        let new = body(self, Side::New, n);
        let required = |b: &Value| b.get("required").and_then(Value::as_bool) == Some(true);
        match (old, new) {
            (None, None) => {}
            (None, Some((b, ptr))) => {
                let (id, msg) = if required(b) {
                    (
                        REQUEST_BODY_BECAME_REQUIRED,
                        "a request body is now required",
                    )
                } else {
                    (
                        REQUEST_BODY_ADDED,
                        "an optional request body is now accepted",
                    )
                };
                self.push(id, Some(n), Side::New, ptr, msg.into());
            }
            (Some((_, ptr)), None) => self.push(
                REQUEST_BODY_REMOVED,
                Some(o),
                Side::Old,
                ptr,
                "the request body is no longer described".into(),
            ),
            (Some((a, a_ptr)), Some((b, b_ptr))) => {
                if !required(a) && required(b) {
                    self.push(
                        REQUEST_BODY_BECAME_REQUIRED,
                        Some(n),
                        Side::New,
                        format!("{b_ptr}/required"),
                        "the request body is now required".into(),
                    );
                }
                self.content(
                    o,
                    n,
                    (a, a_ptr),
                    (b, b_ptr),
                    Direction::Request,
                    "request body",
                    (REQUEST_MEDIA_TYPE_REMOVED, REQUEST_MEDIA_TYPE_ADDED),
                );
            }
        }
    }

    /// Media types of a request body or a response, and their schemas (`schema` with `schema`,
    /// 3.2's `itemSchema` with `itemSchema`); `ids` name a media type removed and added.
    #[expect(
        clippy::too_many_arguments,
        reason = "two sides of each, and what to call them"
    )]
    pub(crate) fn content(
        &mut self,
        o: &Op<'a>,
        n: &Op<'a>,
        (a, a_ptr): (&'a Value, String),
        (b, b_ptr): (&'a Value, String),
        direction: Direction,
        what: &str,
        (removed, added): (&'static str, &'static str),
    ) {
        let old = a
            .get("content")
            .and_then(Value::as_object)
            .unwrap_or(empty());
        let new = b
            .get("content")
            .and_then(Value::as_object)
            .unwrap_or(empty());
        for (media, m) in old {
            let m_ptr = format!("{a_ptr}/content/{}", escape(media));
            let Some(nm) = new.get(media) else {
                self.push(
                    removed,
                    Some(o),
                    Side::Old,
                    m_ptr,
                    format!("{what} media type {media} was removed"),
                );
                continue;
            };
            let nm_ptr = format!("{b_ptr}/content/{}", escape(media));
            for (key, shown) in [("schema", ""), ("itemSchema", " items")] {
                if let (Some(x), Some(y)) = (m.get(key), nm.get(key)) {
                    SchemaWalk::new(self, n, direction).compare(
                        x,
                        format!("{m_ptr}/{key}"),
                        y,
                        format!("{nm_ptr}/{key}"),
                        &format!("{what} ({media}){shown}"),
                    );
                }
            }
        }
        for media in new.keys() {
            if !old.contains_key(media) {
                self.push(
                    added,
                    Some(n),
                    Side::New,
                    format!("{b_ptr}/content/{}", escape(media)),
                    format!("{what} media type {media} was added"),
                );
            }
        }
    }

    fn responses(&mut self, o: &Op<'a>, n: &Op<'a>) {
        let old =
            o.op.get("responses")
                .and_then(Value::as_object)
                .unwrap_or(empty());
        let new =
            n.op.get("responses")
                .and_then(Value::as_object)
                .unwrap_or(empty());
        let success = |status: &str| status.starts_with('2');
        for (status, r) in old {
            let r_ptr = format!("{}/responses/{}", o.pointer(), escape(status));
            let Some(nr) = new.get(status) else {
                let (id, what) = if success(status) {
                    (SUCCESS_STATUS_REMOVED, "success response")
                } else {
                    (ERROR_STATUS_REMOVED, "response")
                };
                self.push(
                    id,
                    Some(o),
                    Side::Old,
                    r_ptr,
                    format!("{what} {status} was removed"),
                );
                continue;
            };
            let nr_ptr = format!("{}/responses/{}", n.pointer(), escape(status));
            let a = self.resolve(Side::Old, r, r_ptr);
            let b = self.resolve(Side::New, nr, nr_ptr);
            self.content(
                o,
                n,
                a,
                b,
                Direction::Response,
                &format!("response {status}"),
                (RESPONSE_MEDIA_TYPE_REMOVED, RESPONSE_MEDIA_TYPE_ADDED),
            );
        }
        for status in new.keys() {
            if !old.contains_key(status) {
                self.push(
                    RESPONSE_STATUS_ADDED,
                    Some(n),
                    Side::New,
                    format!("{}/responses/{}", n.pointer(), escape(status)),
                    format!("response {status} was added"),
                );
            }
        }
    }

    /// What a scheme is, rather than what it is called: its definition without descriptions, so
    /// that a renamed scheme is the same and a redefined one is not.
    fn scheme_identity(&self, side: Side, name: &str) -> String {
        let definition = self
            .doc(side)
            .pointer(&format!("/components/securitySchemes/{}", escape(name)))
            .map(|d| self.resolve(side, d, String::new()).0);
        match definition.and_then(Value::as_object) {
            Some(d) => {
                let mut d = d.clone();
                d.remove("description");
                canonical(&Value::Object(d))
            }
            None => format!("undefined:{name}"),
        }
    }

    /// The alternatives a caller may satisfy (each: schemes, by identity, with their scopes) and
    /// where they are written. No requirement at all, or an empty alternative, means anyone may call.
    fn security_of(&self, side: Side, op: &Op<'a>) -> Security {
        let (list, pointer) = match op.op.get("security") {
            Some(list) => (list, format!("{}/security", op.pointer())),
            None => match self.doc(side).get("security") {
                Some(list) => (list, "/security".to_string()),
                None => {
                    return Security {
                        alternatives: vec![Alternative::new()],
                        names: BTreeMap::new(),
                        pointer: op.pointer(),
                    };
                }
            },
        };
        let mut names = BTreeMap::new();
        let mut alternatives: Vec<Alternative> = Vec::new();
        for requirement in list
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
        {
            let mut alternative = Alternative::new();
            for (scheme, scopes) in requirement {
                let identity = self.scheme_identity(side, scheme);
                names.insert(identity.clone(), scheme.clone());
                let scopes = scopes
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect();
                alternative.insert(identity, scopes);
            }
            alternatives.push(alternative);
        }
        if alternatives.is_empty() {
            alternatives.push(Alternative::new());
        }
        Security {
            alternatives,
            names,
            pointer,
        }
    }

    /// Every way of calling the old operation must still work: for each old alternative, some new
    /// alternative must ask for no scheme and no scope beyond it.
    fn security(&mut self, o: &Op<'a>, n: &Op<'a>) {
        let old = self.security_of(Side::Old, o);
        let new = self.security_of(Side::New, n);
        let within = |n: &Alternative, o: &Alternative| {
            n.iter()
                .all(|(scheme, scopes)| o.get(scheme).is_some_and(|have| scopes.is_subset(have)))
        };
        for before in &old.alternatives {
            if new.alternatives.iter().any(|now| within(now, before)) {
                continue;
            }
            // Name what the closest new alternative asks for beyond this old one.
            let Some(now) = new.alternatives.iter().min_by_key(|now| {
                now.iter()
                    .filter(|(s, scopes)| !before.get(*s).is_some_and(|h| scopes.is_subset(h)))
                    .count()
            }) else {
                continue;
            };
            for (scheme, scopes) in now {
                let name = new.name(scheme);
                match before.get(scheme) {
                    None => self.push(
                        SECURITY_REQUIREMENT_ADDED,
                        Some(n),
                        Side::New,
                        new.pointer.clone(),
                        format!("security scheme '{name}' is now required"),
                    ),
                    Some(have) => {
                        let more: Vec<&String> = scopes.difference(have).collect();
                        if !more.is_empty() {
                            self.push(
                                SECURITY_SCOPE_ADDED,
                                Some(n),
                                Side::New,
                                new.pointer.clone(),
                                format!("security scheme '{name}' now asks for scopes {more:?}"),
                            );
                        }
                    }
                }
            }
        }
        // Relaxations, for the changelog: a scheme every old alternative needed that some new one
        // does without, and scopes no longer asked for.
        for scheme in old.strictly_required().difference(&new.strictly_required()) {
            self.push(
                SECURITY_REQUIREMENT_REMOVED,
                Some(n),
                Side::New,
                new.pointer.clone(),
                format!(
                    "security scheme '{}' is no longer required",
                    old.name(scheme)
                ),
            );
        }
        for (scheme, before) in old.scopes() {
            let Some(now) = new.scopes().remove(&scheme) else {
                continue;
            };
            let fewer: Vec<&String> = before.difference(&now).collect();
            if !fewer.is_empty() {
                self.push(
                    SECURITY_SCOPE_REMOVED,
                    Some(n),
                    Side::New,
                    new.pointer.clone(),
                    format!(
                        "security scheme '{}' no longer asks for scopes {fewer:?}",
                        new.name(&scheme)
                    ),
                );
            }
        }
    }
}
