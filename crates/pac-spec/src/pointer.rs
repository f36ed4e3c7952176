//! JSON pointers (RFC 6901) and the local `$ref`s that carry them (`#/components/schemas/Pet`, a
//! URI fragment, so percent-encoded as RFC 3986 says). The one implementation every engine uses:
//! the loader, the compatibility engine, the lint engine and JSONPath.
//!
//! Decoding is forgiving where authors are sloppy and strict where it matters: a `%` not followed by
//! two hex digits is kept as it is (many real descriptions write `#/definitions/100%`), and so is
//! a `~` not followed by `0` or `1`; array indexes must be canonical (`0`, `12`, never `01` or `+1`).

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::Value;

/// The longest chain of references to references a loaded description may hold (`#/a` naming
/// `#/b` naming … a definition). The loader refuses longer chains (`spec_too_deep`), so every
/// engine that follows this many hops always reaches the definition.
pub const MAX_REF_CHAIN: usize = 64;

/// Escapes one segment: `~` becomes `~0`, `/` becomes `~1`.
pub fn escape(segment: &str) -> Cow<'_, str> {
    if segment.contains(['~', '/']) {
        Cow::Owned(segment.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// Undoes [`escape`]: `~1` is `/`, `~0` is `~` (in that order, so `~01` is `~1`).
pub fn unescape(segment: &str) -> Cow<'_, str> {
    if segment.contains('~') {
        Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// Appends `/segment`, escaped, without an intermediate allocation.
pub fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    if segment.contains(['~', '/']) {
        for c in segment.chars() {
            match c {
                '~' => pointer.push_str("~0"),
                '/' => pointer.push_str("~1"),
                c => pointer.push(c),
            }
        }
    } else {
        pointer.push_str(segment);
    }
}

/// Appends `/index`.
pub fn push_index(pointer: &mut String, index: usize) {
    let _ = write!(pointer, "/{index}");
}

/// A pointer made of `segments`, each escaped.
pub fn join<S: AsRef<str>>(segments: impl IntoIterator<Item = S>) -> String {
    let mut out = String::new();
    for s in segments {
        push_segment(&mut out, s.as_ref());
    }
    out
}

/// The segments of a pointer, unescaped; None when it is neither empty nor starts with `/`.
pub fn segments(pointer: &str) -> Option<impl Iterator<Item = Cow<'_, str>>> {
    let rest = match pointer {
        "" => None,
        p => Some(p.strip_prefix('/')?),
    };
    Some(rest.into_iter().flat_map(|r| r.split('/')).map(unescape))
}

/// Decodes `%XX` escapes of a URI fragment. Malformed escapes are kept as written, and a result that
/// is not UTF-8 leaves the text as it was.
pub fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|c| (*c as char).to_digit(16)),
                b.get(i + 2).and_then(|c| (*c as char).to_digit(16)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).map_or(Cow::Borrowed(s), Cow::Owned)
}

/// The JSON pointer a local `$ref` names (`#/a/b%20c` is `/a/b c`); None for a reference to
/// another file or resource.
pub fn local_target(reference: &str) -> Option<Cow<'_, str>> {
    let fragment = reference.strip_prefix('#')?;
    Some(percent_decode(fragment))
}

/// An array index as RFC 6901 writes it: digits, no leading zero.
pub fn index(segment: &str) -> Option<usize> {
    let canonical = !segment.is_empty()
        && segment.bytes().all(|b| b.is_ascii_digit())
        && (segment.len() == 1 || !segment.starts_with('0'));
    canonical.then(|| segment.parse().ok()).flatten()
}

/// The value at `pointer` (already decoded, not a fragment) in `doc`.
pub fn get<'v>(doc: &'v Value, pointer: &str) -> Option<&'v Value> {
    let mut current = doc;
    for segment in segments(pointer)? {
        current = match current {
            Value::Object(map) => map.get(segment.as_ref())?,
            Value::Array(items) => items.get(index(&segment)?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// The value a URI fragment (the percent-encoded pointer after `#`) names in `doc`.
pub fn at_fragment<'v>(doc: &'v Value, fragment: &str) -> Option<&'v Value> {
    get(doc, &percent_decode(fragment))
}

/// The value a local `$ref` (`#/…`, percent-encoded) names in `doc`.
pub fn resolve<'v>(doc: &'v Value, reference: &str) -> Option<&'v Value> {
    get(doc, &local_target(reference)?)
}

/// The `$ref` string of a Reference Object, if `value` is one.
pub fn ref_of(value: &Value) -> Option<&str> {
    value.as_object()?.get("$ref")?.as_str()
}

/// Follows local `$ref`s from `value` (whose pointer is `at`) to the object they finally name,
/// hopping through references to references at most `hops` times. Returns that object and its
/// pointer; a reference that does not resolve (or is not local) stops the walk where it is.
pub fn follow<'v>(
    doc: &'v Value,
    value: &'v Value,
    at: String,
    hops: usize,
) -> (&'v Value, String) {
    let mut current = (value, at);
    for _ in 0..hops {
        let Some(target) = ref_of(current.0).and_then(local_target) else {
            break;
        };
        match get(doc, &target) {
            Some(v) => current = (v, target.into_owned()),
            None => break,
        }
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escaping_round_trips() {
        for s in ["plain", "a/b", "~", "~1", "a~/b", ""] {
            assert_eq!(unescape(&escape(s)), s);
        }
        assert_eq!(escape("application/json"), "application~1json");
        assert_eq!(unescape("~01"), "~1", "~0 is decoded last");
        let mut p = String::new();
        push_segment(&mut p, "/pets/{id}");
        push_index(&mut p, 3);
        assert_eq!(p, "/~1pets~1{id}/3");
        assert_eq!(join(["paths", "/a"]), "/paths/~1a");
    }

    #[test]
    fn percent_decoding_keeps_what_is_not_an_escape() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%C3%A9"), "é");
        assert_eq!(percent_decode("%FF"), "%FF", "not UTF-8: as written");
    }

    #[test]
    fn resolves_local_references() {
        let doc = json!({"a": {"b c": [1, {"x/y": 2}]}, "": {"empty": true}});
        assert_eq!(resolve(&doc, "#/a/b%20c/1/x~1y"), Some(&json!(2)));
        assert_eq!(resolve(&doc, "#"), Some(&doc));
        assert_eq!(resolve(&doc, "#/"), Some(&json!({"empty": true})));
        assert_eq!(resolve(&doc, "#/a/b%20c/01"), None, "leading zero");
        assert_eq!(resolve(&doc, "#a"), None, "not a pointer");
        assert_eq!(resolve(&doc, "other.yaml#/a"), None, "not local");
    }

    #[test]
    fn follows_chains_and_stops_on_cycles() {
        let doc = json!({"A": {"$ref": "#/B"}, "B": {"$ref": "#/C"}, "C": {"type": "string"},
                         "X": {"$ref": "#/Y"}, "Y": {"$ref": "#/X"}});
        let (v, at) = follow(&doc, &doc["A"], "/A".into(), 32);
        assert_eq!((v, at.as_str()), (&json!({"type": "string"}), "/C"));
        let (v, _) = follow(&doc, &doc["X"], "/X".into(), 5);
        assert!(ref_of(v).is_some(), "a cycle ends after the hops allowed");
    }
}
