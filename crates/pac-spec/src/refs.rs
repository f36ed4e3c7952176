//! `$ref` handling: bundling relative file references into the root document, checking internal references
//! (missing targets become notes, pure cycles are refused) and resolving references in the typed model.
//!
//! Only places where OpenAPI allows a Reference Object are followed: example payloads, defaults, enums and
//! extensions are data and may legitimately contain a `$ref` key (GitHub's description does), so they are skipped.

use crate::codes::SpecCode;
use std::collections::{HashMap, HashSet};

use openapiv3::{OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};
use serde_json::{Map, Value};

use super::pointer::{
    MAX_REF_CHAIN, at_fragment, escape, percent_decode, push_index, push_segment, unescape,
};
use super::source::{self, Source};
use super::{Limits, Note, SourceFile, SpecError, parse, sha256_hex};

/// What the children of an object are: keywords of an OpenAPI/JSON Schema object, or names chosen by the author.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Keyword,
    Names,
    /// Children are Callback objects, which are themselves maps of expressions.
    CallbackNames,
}

fn child_ctx(ctx: Ctx, key: &str, child: &Value) -> Option<Ctx> {
    match ctx {
        Ctx::Names => Some(Ctx::Keyword),
        Ctx::CallbackNames => Some(Ctx::Names),
        Ctx::Keyword => match key {
            "example" | "default" | "enum" | "const" | "value" | "externalValue" => None,
            "examples" if child.is_array() => None,
            k if k.starts_with("x-") => None,
            "callbacks" => Some(Ctx::CallbackNames),
            "properties"
            | "paths"
            | "definitions"
            | "responses"
            | "headers"
            | "content"
            | "encoding"
            | "links"
            | "securityDefinitions"
            | "schemas"
            | "requestBodies"
            | "securitySchemes"
            | "pathItems"
            | "patternProperties"
            | "$defs"
            | "dependentSchemas"
            | "variables"
            | "webhooks"
            | "examples" => Some(Ctx::Names),
            "parameters" if child.is_object() => Some(Ctx::Names),
            _ => Some(Ctx::Keyword),
        },
    }
}

/// Calls `f` with every Reference Object's `$ref` string and the JSON pointer of the object holding it.
pub(crate) fn for_each_ref(v: &mut Value, f: &mut dyn FnMut(&mut String, &str)) {
    let mut pointer = String::new();
    walk_refs(v, Ctx::Keyword, &mut pointer, f);
}

fn walk_refs(v: &mut Value, ctx: Ctx, pointer: &mut String, f: &mut dyn FnMut(&mut String, &str)) {
    match v {
        Value::Object(map) => {
            if ctx == Ctx::Keyword
                && let Some(Value::String(r)) = map.get_mut("$ref")
            {
                f(r, pointer);
            }
            for (k, child) in map.iter_mut() {
                let Some(c) = child_ctx(ctx, k, child) else {
                    continue;
                };
                if k == "$ref" {
                    continue;
                }
                let len = pointer.len();
                push_segment(pointer, k);
                walk_refs(child, c, pointer, f);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                let len = pointer.len();
                push_index(pointer, i);
                walk_refs(child, Ctx::Keyword, pointer, f);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// Read-only twin of [`for_each_ref`].
pub(crate) fn each_ref<'v>(v: &'v Value, f: &mut dyn FnMut(&'v str, &str)) {
    fn go<'v>(v: &'v Value, ctx: Ctx, pointer: &mut String, f: &mut dyn FnMut(&'v str, &str)) {
        match v {
            Value::Object(map) => {
                if ctx == Ctx::Keyword
                    && let Some(Value::String(r)) = map.get("$ref")
                {
                    f(r, pointer);
                }
                for (k, child) in map {
                    let Some(c) = child_ctx(ctx, k, child) else {
                        continue;
                    };
                    if k == "$ref" {
                        continue;
                    }
                    let len = pointer.len();
                    push_segment(pointer, k);
                    go(child, c, pointer, f);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let len = pointer.len();
                    push_index(pointer, i);
                    go(child, Ctx::Keyword, pointer, f);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
    go(v, Ctx::Keyword, &mut String::new(), f);
}

/// A reference to another resource: `http://`, `https://`, `//host/...`, `urn:` and the like.
fn is_remote(r: &str) -> bool {
    let head = r.split('#').next().unwrap_or("");
    head.starts_with("//")
        || head
            .split_once(':')
            .is_some_and(|(scheme, _)| scheme.len() > 1 && !scheme.contains('/'))
}

/// A file that holds text, not a JSON or YAML document (`description: {$ref: intro.md}`).
fn is_text_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".md", ".markdown", ".txt"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Where a bundled object goes in the root document.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Schema,
    Parameter,
    Response,
    RequestBody,
    Header,
    Example,
    Link,
    Callback,
    SecurityScheme,
    /// Path items and anything unrecognised are copied in place.
    Inline,
}

const SCHEMA_WORDS: &[&str] = &[
    "schema",
    "properties",
    "items",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "additionalProperties",
    "definitions",
    "patternProperties",
    "$defs",
    "additionalItems",
    "prefixItems",
    "contains",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
];

fn kind_at(pointer: &str, swagger2: bool) -> Kind {
    let segs: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| unescape(s).into_owned())
        .collect();
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    match s.as_slice() {
        ["components", section, _] => {
            return match *section {
                "schemas" => Kind::Schema,
                "parameters" => Kind::Parameter,
                "responses" => Kind::Response,
                "requestBodies" => Kind::RequestBody,
                "headers" => Kind::Header,
                "examples" => Kind::Example,
                "links" => Kind::Link,
                "callbacks" => Kind::Callback,
                "securitySchemes" => Kind::SecurityScheme,
                _ => Kind::Inline,
            };
        }
        ["definitions", _] => return Kind::Schema,
        ["parameters", _] if swagger2 => return Kind::Parameter,
        ["responses", _] if swagger2 => return Kind::Response,
        ["paths" | "webhooks", _] => return Kind::Inline,
        _ => {}
    }
    if s.iter().any(|w| SCHEMA_WORDS.contains(w)) {
        return Kind::Schema;
    }
    let n = s.len();
    let prev = if n >= 2 { s[n - 2] } else { "" };
    let last = s.last().copied().unwrap_or("");
    match (prev, last) {
        ("parameters", _) => Kind::Parameter,
        ("responses", _) => Kind::Response,
        (_, "requestBody") => Kind::RequestBody,
        ("headers", _) => Kind::Header,
        ("examples", _) => Kind::Example,
        ("links", _) => Kind::Link,
        ("callbacks", _) => Kind::Callback,
        _ => Kind::Inline,
    }
}

fn section(kind: Kind, swagger2: bool) -> Option<&'static [&'static str]> {
    if swagger2 {
        return match kind {
            Kind::Schema => Some(&["definitions"]),
            Kind::Parameter => Some(&["parameters"]),
            Kind::Response => Some(&["responses"]),
            _ => None,
        };
    }
    Some(match kind {
        Kind::Schema => &["components", "schemas"],
        Kind::Parameter => &["components", "parameters"],
        Kind::Response => &["components", "responses"],
        Kind::RequestBody => &["components", "requestBodies"],
        Kind::Header => &["components", "headers"],
        Kind::Example => &["components", "examples"],
        Kind::Link => &["components", "links"],
        Kind::Callback => &["components", "callbacks"],
        Kind::SecurityScheme => &["components", "securitySchemes"],
        Kind::Inline => return None,
    })
}

struct Pending {
    section: &'static [&'static str],
    name: String,
    value: Value,
    file: String,
}

struct Bundler<'a> {
    source: &'a dyn Source,
    limits: &'a Limits,
    root: String,
    swagger2: bool,
    /// Parsed files by path; `None` for a file the source does not have.
    docs: HashMap<String, Option<Value>>,
    /// `(file, fragment)` already bundled, with the internal ref that now stands for it.
    done: HashMap<(String, String), String>,
    used: HashMap<&'static [&'static str], HashSet<String>>,
    pending: Vec<Pending>,
    inlining: Vec<(String, String)>,
    /// Nodes copied in place so far (path items and other objects that have no section to live
    /// in); bounded by [`MAX_INLINED_NODES`], so references cannot multiply a document.
    inlined_nodes: usize,
    files: &'a mut Vec<SourceFile>,
    notes: &'a mut Vec<Note>,
}

/// How many nodes copying objects in place may add to a description, in all.
const MAX_INLINED_NODES: usize = 2_000_000;

/// The nodes of `v` (objects, arrays and scalars), counted up to `cap`.
fn count_nodes(v: &Value, cap: usize) -> usize {
    let mut count = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        count += 1;
        if count > cap {
            break;
        }
        match v {
            Value::Object(m) => stack.extend(m.values()),
            Value::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
    count
}

/// Whether the raw text may hold a `$ref` to anything but `#...`; false means bundling has nothing to do.
/// Conservative: any `$ref` not followed (after quotes, colon and blanks) by `#` answers true.
pub(crate) fn may_have_external_refs(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while let Some(at) = rest.windows(4).position(|w| w == b"$ref") {
        rest = &rest[at + 4..];
        let next = rest
            .iter()
            .find(|b| !matches!(b, b'"' | b'\'' | b':' | b' ' | b'\t' | b'\r' | b'\n'));
        if next != Some(&b'#') {
            return true;
        }
    }
    false
}

/// Copy every object that `root_doc` references in other files of `source` into `root_doc` and rewrite those
/// refs to internal ones. Remote refs and refs to absent files or targets are left as they are, with a note.
pub(crate) fn bundle(
    source: &dyn Source,
    root: &str,
    root_doc: &mut Value,
    files: &mut Vec<SourceFile>,
    notes: &mut Vec<Note>,
    limits: &Limits,
) -> Result<(), SpecError> {
    let swagger2 = root_doc.get("swagger").is_some();
    let mut b = Bundler {
        source,
        limits,
        root: root.to_owned(),
        swagger2,
        docs: HashMap::new(),
        done: HashMap::new(),
        used: HashMap::new(),
        pending: Vec::new(),
        inlining: Vec::new(),
        inlined_nodes: 0,
        files,
        notes,
    };
    b.seed(root_doc);
    let mut pointer = String::new();
    b.walk(root_doc, Ctx::Keyword, &mut pointer, root)?;
    while let Some(mut p) = b.pending.pop() {
        let mut pointer = String::new();
        for s in p.section {
            pointer.push('/');
            pointer.push_str(s);
        }
        push_segment(&mut pointer, &p.name);
        b.walk(&mut p.value, Ctx::Keyword, &mut pointer, &p.file)?;
        insert_at(root_doc, p.section, p.name, p.value);
    }
    Ok(())
}

/// Insert `value` as `name` under the object at `section`, creating (or replacing non-object) parents.
fn insert_at(doc: &mut Value, section: &[&str], name: String, value: Value) {
    let mut target = doc;
    for s in section {
        if !target.is_object() {
            *target = Value::Object(Map::new());
        }
        let Value::Object(obj) = target else { return };
        target = obj.entry(*s).or_insert_with(|| Value::Object(Map::new()));
    }
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(obj) = target {
        obj.insert(name, value);
    }
}

enum Outcome {
    Keep,
    Rewrite(String),
    Inline(Value, String),
}

impl Bundler<'_> {
    fn walk(
        &mut self,
        v: &mut Value,
        ctx: Ctx,
        pointer: &mut String,
        file: &str,
    ) -> Result<(), SpecError> {
        match v {
            Value::Object(map) => {
                if ctx == Ctx::Keyword
                    && let Some(Value::String(r)) = map.get("$ref")
                {
                    let r = r.clone();
                    match self.resolve(&r, pointer, file)? {
                        Outcome::Keep => {}
                        Outcome::Rewrite(new) => {
                            map.insert("$ref".to_owned(), Value::String(new));
                        }
                        Outcome::Inline(content, content_file) => {
                            *v = content;
                            let result = self.walk(v, Ctx::Keyword, pointer, &content_file);
                            self.inlining.pop();
                            return result;
                        }
                    }
                }
                for (k, child) in map.iter_mut() {
                    let Some(c) = child_ctx(ctx, k, child) else {
                        continue;
                    };
                    if k == "$ref" {
                        continue;
                    }
                    let len = pointer.len();
                    push_segment(pointer, k);
                    self.walk(child, c, pointer, file)?;
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    let len = pointer.len();
                    push_index(pointer, i);
                    self.walk(child, Ctx::Keyword, pointer, file)?;
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn note(&mut self, code: &str, pointer: &str, message: String) {
        self.notes.push(Note::new(code, pointer, message));
    }

    fn load_doc(&mut self, path: &str) -> Result<bool, SpecError> {
        if let Some(d) = self.docs.get(path) {
            return Ok(d.is_some());
        }
        let Some(bytes) = self.source.read(path)? else {
            self.docs.insert(path.to_owned(), None);
            return Ok(false);
        };
        if self.files.len() >= self.limits.max_files {
            return Err(SpecError::new(
                SpecCode::TooManyFiles,
                format!(
                    "{path}: the description reads more than the limit of {} files",
                    self.limits.max_files
                ),
            )
            .file(path));
        }
        let parsed = parse::parse(path, &bytes, self.limits)?;
        self.files.push(SourceFile {
            path: path.to_owned(),
            sha256: sha256_hex(&bytes),
            bytes,
            format: parsed.format,
        });
        self.docs.insert(path.to_owned(), Some(parsed.value));
        Ok(true)
    }

    fn resolve(&mut self, r: &str, pointer: &str, file: &str) -> Result<Outcome, SpecError> {
        if is_remote(r) {
            self.note(
                "ref_remote",
                pointer,
                format!("remote reference {r} was not fetched"),
            );
            return Ok(Outcome::Keep);
        }
        let (file_part, fragment) = r.split_once('#').unwrap_or((r, ""));
        let target_file = if file_part.is_empty() {
            if file == self.root {
                // Internal to the root: checked later against the final document.
                return Ok(Outcome::Keep);
            }
            file.to_owned()
        } else {
            match source::join(file, &percent_decode(file_part)) {
                Ok(p) => p,
                Err(_) => {
                    self.note(
                        "ref_missing_file",
                        pointer,
                        format!("{r}: the path leaves the source root"),
                    );
                    return Ok(Outcome::Keep);
                }
            }
        };
        if target_file == self.root {
            // A file referring back into the root: the same object, addressed internally.
            return Ok(Outcome::Rewrite(format!("#{fragment}")));
        }
        if is_text_file(&target_file) {
            return self.text(&target_file, r, pointer);
        }
        if !self.load_doc(&target_file)? {
            self.note(
                "ref_missing_file",
                pointer,
                format!("{r}: file {target_file} is not in the source"),
            );
            return Ok(Outcome::Keep);
        }
        let key = (target_file.clone(), fragment.to_owned());
        if let Some(done) = self.done.get(&key) {
            return Ok(Outcome::Rewrite(done.clone()));
        }
        let Some(target) = self
            .docs
            .get(&target_file)
            .and_then(Option::as_ref)
            .and_then(|d| at_fragment(d, fragment))
        else {
            self.note(
                "ref_missing_target",
                pointer,
                format!("{r}: no such location in {target_file}"),
            );
            return Ok(Outcome::Keep);
        };
        let target = target.clone();
        let kind = kind_at(pointer, self.swagger2);
        match section(kind, self.swagger2) {
            Some(section) => {
                let name = self.reserve(section, &target_file, fragment);
                let mut internal = String::from("#");
                for s in section {
                    internal.push('/');
                    internal.push_str(s);
                }
                internal.push('/');
                internal.push_str(&escape(&name));
                self.done.insert(key, internal.clone());
                self.pending.push(Pending {
                    section,
                    name,
                    value: target,
                    file: target_file,
                });
                Ok(Outcome::Rewrite(internal))
            }
            None => {
                if self.inlining.contains(&key) {
                    return Err(SpecError::new(
                        SpecCode::RefCycle,
                        format!(
                            "{file}: {pointer}: $ref {r} includes itself (a cycle across files)"
                        ),
                    )
                    .file(file));
                }
                if self.inlining.len() > self.limits.max_depth {
                    return Err(SpecError::new(
                        SpecCode::TooDeep,
                        format!(
                            "{file}: {pointer}: $ref chain across files deeper than {}",
                            self.limits.max_depth
                        ),
                    )
                    .file(file));
                }
                self.inlined_nodes += count_nodes(&target, MAX_INLINED_NODES);
                if self.inlined_nodes > MAX_INLINED_NODES {
                    return Err(SpecError::new(
                        SpecCode::TooLarge,
                        format!(
                            "{file}: {pointer}: $ref {r}: the objects copied in place from other files add more than {MAX_INLINED_NODES} nodes to the description"
                        ),
                    )
                    .file(file));
                }
                self.inlining.push(key);
                Ok(Outcome::Inline(target, target_file))
            }
        }
    }

    /// A Markdown or text file named for a piece of text: its text, in place of the reference.
    fn text(&mut self, path: &str, r: &str, pointer: &str) -> Result<Outcome, SpecError> {
        let Some(bytes) = self.source.read(path)? else {
            self.note(
                "ref_missing_file",
                pointer,
                format!("{r}: file {path} is not in the source; the text is left empty"),
            );
            // Text is text: an object in its place would make the description invalid.
            self.inlining.push((path.to_owned(), String::new()));
            return Ok(Outcome::Inline(
                Value::String(String::new()),
                path.to_owned(),
            ));
        };
        if bytes.len() > self.limits.max_document_bytes {
            return Err(SpecError::new(
                SpecCode::TooLarge,
                format!(
                    "{path}: {} bytes is more than the limit of {} bytes",
                    bytes.len(),
                    self.limits.max_document_bytes
                ),
            )
            .file(path));
        }
        let text = parse::decode(path, &bytes)?.to_owned();
        if !self.files.iter().any(|f| f.path == path) {
            if self.files.len() >= self.limits.max_files {
                return Err(SpecError::new(
                    SpecCode::TooManyFiles,
                    format!(
                        "{path}: the description reads more than the limit of {} files",
                        self.limits.max_files
                    ),
                )
                .file(path));
            }
            self.files.push(SourceFile {
                path: path.to_owned(),
                sha256: sha256_hex(&bytes),
                bytes,
                format: super::SourceFormat::Text,
            });
        }
        // Inlined like any object copied in place; a string holds no reference to walk.
        self.inlining.push((path.to_owned(), String::new()));
        Ok(Outcome::Inline(Value::String(text), path.to_owned()))
    }

    /// A stable name for a bundled object: the fragment's last segment (or the file's stem), made
    /// unique: when it is taken, by the name of the file's folder (`listAll/response.json` beside
    /// `retrieve/response.json` gives `response` and `listAll_response`), then by a number.
    fn reserve(&mut self, section: &'static [&'static str], file: &str, fragment: &str) -> String {
        let from_fragment = percent_decode(fragment)
            .rsplit('/')
            .next()
            .map(|s| unescape(s).into_owned())
            .unwrap_or_default();
        let mut segments = file.rsplit('/');
        let stem = segments
            .next()
            .map(|name| name.split('.').next().unwrap_or(name))
            .unwrap_or_default();
        let folder = segments.next().filter(|f| !matches!(*f, "." | ".." | ""));
        let (base, qualified) = if from_fragment.is_empty() {
            (stem.to_owned(), folder.map(|f| format!("{f}_{stem}")))
        } else {
            (from_fragment, None)
        };
        let clean = |s: &str| -> String {
            s.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || "._-".contains(c) {
                        c
                    } else {
                        '_'
                    }
                })
                .collect()
        };
        let mut base = clean(&base);
        if base.is_empty() {
            base.push_str("bundled");
        }
        let used = self.used.entry(section).or_default();
        let mut name = base.clone();
        if used.contains(&name)
            && let Some(q) = qualified.map(|q| clean(&q))
        {
            name = q;
        }
        let mut n = 2;
        while used.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        used.insert(name.clone());
        name
    }
}

/// Seed the names already taken in the root so bundled objects never overwrite an author's component.
fn existing_names(root_doc: &Value, section: &[&str]) -> HashSet<String> {
    let mut v = root_doc;
    for s in section {
        match v.get(s) {
            Some(c) => v = c,
            None => return HashSet::new(),
        }
    }
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

impl Bundler<'_> {
    fn seed(&mut self, root_doc: &Value) {
        let sections: &[&'static [&'static str]] = if self.swagger2 {
            &[&["definitions"], &["parameters"], &["responses"]]
        } else {
            &[
                &["components", "schemas"],
                &["components", "parameters"],
                &["components", "responses"],
                &["components", "requestBodies"],
                &["components", "headers"],
                &["components", "examples"],
                &["components", "links"],
                &["components", "callbacks"],
                &["components", "securitySchemes"],
            ]
        };
        for s in sections {
            self.used.insert(s, existing_names(root_doc, s));
        }
    }
}

/// Check the internal refs of the final document: a missing target is a note; a chain of refs that only leads
/// back to itself can never be resolved and is refused. Recursion through properties is not a pure chain.
pub(crate) fn check_internal(
    file: &str,
    doc: &Value,
    notes: &mut Vec<Note>,
) -> Result<(), SpecError> {
    let mut cycle: Option<SpecError> = None;
    let mut ok: HashSet<&str> = HashSet::new();
    each_ref(doc, &mut |r, pointer| {
        if cycle.is_some() || !r.starts_with('#') || ok.contains(r) {
            return;
        }
        let mut seen: Vec<&str> = Vec::new();
        let mut current = r;
        loop {
            if seen.len() > MAX_REF_CHAIN {
                cycle = Some(SpecError::at_pointer(
                    SpecCode::TooDeep,
                    file,
                    pointer,
                    format!(
                        "$ref {r} starts a chain of more than {MAX_REF_CHAIN} references to references before a definition"
                    ),
                ));
                return;
            }
            if seen.contains(&current) {
                let chain = seen.join(" -> ");
                cycle = Some(SpecError::at_pointer(
                    SpecCode::RefCycle,
                    file,
                    pointer,
                    format!("$ref cycle that never reaches a definition: {chain} -> {current}"),
                ));
                return;
            }
            seen.push(current);
            match at_fragment(doc, &current[1..]) {
                None => {
                    notes.push(Note::new(
                        "ref_missing_target",
                        pointer,
                        format!("{current}: no such location"),
                    ));
                    break;
                }
                Some(target) => match target.get("$ref").and_then(Value::as_str) {
                    Some(next) if next.starts_with('#') => current = next,
                    _ => break,
                },
            }
        }
        ok.extend(seen);
    });
    match cycle {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn unresolved(r: &str) -> SpecError {
    SpecError::at_pointer(
        SpecCode::RefUnresolved,
        "description",
        r.trim_start_matches('#'),
        format!("$ref {r} does not resolve"),
    )
}

macro_rules! resolver {
    ($(#[$doc:meta])* $name:ident, $ty:ty, $section:literal, $field:ident) => {
        $(#[$doc])*
        pub fn $name<'a>(doc: &'a OpenAPI, r: &'a ReferenceOr<$ty>) -> Result<&'a $ty, SpecError> {
            let mut current = r;
            let mut seen: Vec<&str> = Vec::new();
            loop {
                match current {
                    ReferenceOr::Item(item) => return Ok(item),
                    ReferenceOr::Reference { reference } => {
                        if seen.contains(&reference.as_str()) {
                            return Err(SpecError::at_pointer(
                                SpecCode::RefCycle,
                                "description",
                                reference.trim_start_matches('#'),
                                format!("$ref cycle: {} -> {reference}", seen.join(" -> ")),
                            ));
                        }
                        seen.push(reference);
                        let name = reference
                            .strip_prefix(concat!("#/components/", $section, "/"))
                            .ok_or_else(|| unresolved(reference))?;
                        let name = unescape(&percent_decode(name)).into_owned();
                        current = doc
                            .components
                            .as_ref()
                            .and_then(|c| c.$field.get(&name))
                            .ok_or_else(|| unresolved(reference))?;
                    }
                }
            }
        }
    };
}

resolver!(
    /// Follow `#/components/schemas/...` refs to the schema they name (cycle-safe).
    resolve_schema, Schema, "schemas", schemas
);
resolver!(
    /// Follow `#/components/parameters/...` refs (cycle-safe).
    resolve_parameter, Parameter, "parameters", parameters
);
resolver!(
    /// Follow `#/components/requestBodies/...` refs (cycle-safe).
    resolve_request_body, RequestBody, "requestBodies", request_bodies
);
resolver!(
    /// Follow `#/components/responses/...` refs (cycle-safe).
    resolve_response, Response, "responses", responses
);
