//! Where a node lives: the public [`Segment`], [`Node`] and [`pointer`], and the borrowed
//! [`Key`] the walk records on its way down (turned into segments only for what is selected).
//! A leaf: it knows nothing of paths, filters or references.

use std::borrow::Cow;

use serde_json::Value;

/// One step of a location: an object member name or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A selected node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'v> {
    /// The value (Owned only for `~`: a property name as a string or number value).
    pub value: Cow<'v, Value>,
    /// Where the value really lives in the document: segments from the root (when refs
    /// are followed, the location of the $ref TARGET, not the walked path).
    pub location: Vec<Segment>,
}

/// RFC 6901 JSON pointer for a location: "" for the root, `~0`/`~1` escaping.
pub fn pointer(location: &[Segment]) -> String {
    let mut s = String::new();
    for seg in location {
        match seg {
            Segment::Key(k) => pac_spec::pointer::push_segment(&mut s, k),
            Segment::Index(i) => pac_spec::pointer::push_index(&mut s, *i),
        }
    }
    s
}

/// A [`Segment`] borrowed from the document, so that the walk allocates only for what it emits.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Key<'v> {
    Name(&'v str),
    Idx(usize),
}

impl Key<'_> {
    pub(crate) fn to_segment(self) -> Segment {
        match self {
            Key::Name(s) => Segment::Key(s.to_string()),
            Key::Idx(i) => Segment::Index(i),
        }
    }
}

/// The item an index selects in an array of `len` items: negative indexes count from the end
/// (RFC 9535), in paths and filters alike.
pub(crate) fn norm_index(i: i64, len: usize) -> Option<usize> {
    let len_i = len as i64;
    let n = if i < 0 { len_i.saturating_add(i) } else { i };
    (n >= 0 && n < len_i).then_some(n as usize)
}
