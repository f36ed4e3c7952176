//! Source positions for JSON pointers.
//!
//! Findings are computed on a parsed document and name their place with a JSON pointer
//! (RFC 6901), such as `/paths/~1pets~1{id}/get`. [`Positions`] maps those pointers back to the
//! line and column where the node starts in the text the user wrote, YAML or JSON.
//!
//! The text is read once with the `granit-parser` event parser, keeping an explicit stack of
//! open collections, so depth costs heap, not call stack. Aliases are recorded where they are
//! written and never expanded. Only the first document of a stream is indexed.
//!
//! Every node is kept as its parent, its pointer segment and its position; a table sorted by
//! (parent, segment) answers look-ups one segment at a time. This stores each key once instead
//! of one full pointer per node.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use granit_parser::{Event, Marker, Options, Parser, Span};

/// Where each node of a YAML or JSON document starts.
pub struct Positions {
    /// Every indexed node in document order; the root is first.
    nodes: Vec<Node>,
    /// The pointer segments of all nodes (unescaped), end to end.
    segments: String,
    /// Node ids sorted by (parent, segment); stable, so the first of duplicate keys comes first.
    order: Vec<u32>,
}

/// The id of the root node.
const ROOT: u32 = 0;

/// The parent of the root node, which has none.
const NO_PARENT: u32 = u32::MAX;

/// One indexed node.
#[derive(Clone, Copy)]
struct Node {
    /// The id of the collection holding this node.
    parent: u32,
    /// Where this node's segment starts in `Positions::segments`.
    segment_start: u32,
    /// The length in bytes of this node's segment.
    segment_len: u32,
    /// Where the node starts: its key for a mapping entry.
    at: At,
}

impl Node {
    /// The root node, which has no parent and no segment.
    fn root(at: At) -> Node {
        Node {
            parent: NO_PARENT,
            segment_start: 0,
            segment_len: 0,
            at,
        }
    }
}

/// A 1-based line and column (in characters).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct At {
    line: u32,
    column: u32,
}

impl At {
    /// The first character of a text.
    const START: At = At { line: 1, column: 1 };

    /// Converts a parser marker (1-based line, 0-based column).
    fn from_marker(marker: Marker) -> Result<At, TooLarge> {
        let line = u32::try_from(marker.line()).map_err(|_| TooLarge)?;
        let column = u32::try_from(marker.col()).map_err(|_| TooLarge)?;
        Ok(At {
            line,
            column: column.checked_add(1).ok_or(TooLarge)?,
        })
    }

    /// Where a node starts: at its tag when the tag comes first, else at its content.
    fn of_node(span: &Span) -> Result<At, TooLarge> {
        let content = At::from_marker(span.start)?;
        match span.tag_start.map(At::from_marker).transpose()? {
            Some(tag) => Ok(content.min(tag)),
            None => Ok(content),
        }
    }
}

/// A text too large for 32-bit positions, counts or offsets (over 4 GiB); it is not indexed.
struct TooLarge;

/// Converts a count or offset to 32 bits.
fn to_u32(n: usize) -> Result<u32, TooLarge> {
    u32::try_from(n).map_err(|_| TooLarge)
}

impl Positions {
    /// Indexes `text` (YAML 1.2 or JSON). Returns None when the text does not parse (positions
    /// are a nicety: callers fall back to pointers alone). Never panics, whatever the input.
    ///
    /// Only the first document of a YAML stream is indexed; what follows it is not read.
    #[must_use]
    pub fn index(text: &str) -> Option<Positions> {
        Self::index_with(text, |_, _| true)
    }

    /// Like [`Positions::index`], also handing every event to `also` (which builds something else
    /// from the same pass); stops, returning None, when `also` returns false.
    pub(crate) fn index_with(
        text: &str,
        mut also: impl FnMut(&Event<'_>, &Span) -> bool,
    ) -> Option<Positions> {
        let mut builder = Builder::default();
        for item in Parser::new_from_str_with_options(text, parser_options()) {
            let (event, span) = item.ok()?;
            if !also(&event, &span) {
                return None;
            }
            if builder.feed(&event, &span).ok()? == Step::Done {
                break;
            }
        }
        builder.finish().ok()
    }

    /// Line and column (1-based, column counted in characters) where the node at `pointer`
    /// starts: for a mapping entry, the position of its key; for a sequence item, the position
    /// of the item; "" is the document root. None when the pointer is not in the document.
    ///
    /// A node written with an anchor or a tag starts at the first of them. An alias is a node
    /// of its own, at the alias: pointers through it are not in the document. Of duplicate keys,
    /// the first wins, with everything under it.
    #[must_use]
    pub fn get(&self, pointer: &str) -> Option<(usize, usize)> {
        self.find(pointer).ok().map(|id| self.position(id))
    }

    /// Like [`Positions::get`], but for a pointer that is not in the document, the position of
    /// its longest prefix that is (so a finding about a missing member points at its parent).
    /// Always a position: the root's at least.
    #[must_use]
    pub fn nearest(&self, pointer: &str) -> (usize, usize) {
        let id = self.find(pointer).unwrap_or_else(|deepest| deepest);
        self.position(id)
    }

    /// The number of indexed nodes, the root included.
    #[must_use]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether no node is indexed; never true, since the root always is.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Follows `pointer` from the root: Ok with the node it names, or Err with the deepest node
    /// reached before a segment was missing (or malformed).
    fn find(&self, pointer: &str) -> Result<u32, u32> {
        if pointer.is_empty() {
            return Ok(ROOT);
        }
        let Some(rest) = pointer.strip_prefix('/') else {
            return Err(ROOT);
        };
        let mut current = ROOT;
        for raw in rest.split('/') {
            let child = unescape(raw).and_then(|segment| self.child(current, &segment));
            match child {
                Some(id) => current = id,
                None => return Err(current),
            }
        }
        Ok(current)
    }

    /// The first child of `parent` whose segment is `segment`.
    fn child(&self, parent: u32, segment: &str) -> Option<u32> {
        let wanted = (parent, segment);
        let at = self.order.partition_point(|&id| self.sort_key(id) < wanted);
        let id = *self.order.get(at)?;
        (self.sort_key(id) == wanted).then_some(id)
    }

    /// What the look-up table is sorted by: the parent, then the segment.
    fn sort_key(&self, id: u32) -> (u32, &str) {
        match self.nodes.get(id as usize) {
            Some(node) => (node.parent, segment_of(&self.segments, node)),
            None => (NO_PARENT, ""),
        }
    }

    /// The public form of a node's position.
    fn position(&self, id: u32) -> (usize, usize) {
        let at = self
            .nodes
            .get(id as usize)
            .map_or(At::START, |node| node.at);
        (at.line as usize, at.column as usize)
    }
}

/// A node's segment, read from the shared segment text.
fn segment_of<'a>(segments: &'a str, node: &Node) -> &'a str {
    let start = node.segment_start as usize;
    let end = start + node.segment_len as usize;
    segments.get(start..end).unwrap_or("")
}

/// Decodes one pointer segment: `~1` is `/`, `~0` is `~`; None for any other `~`.
fn unescape(raw: &str) -> Option<Cow<'_, str>> {
    if !raw.contains('~') {
        return Some(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '~' => match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return None,
            },
            _ => out.push(c),
        }
    }
    Some(Cow::Owned(out))
}

/// Parser settings: anchor events on (to start an anchored node at its anchor), comments off,
/// and no nesting limits, since the explicit stack makes depth harmless.
fn parser_options() -> Options {
    granit_parser::options! {
        emit_comments: false,
        emit_anchor_events: true,
        flow_nesting_limit: usize::MAX,
        block_nesting_limit: usize::MAX,
    }
}

/// Whether to keep reading events.
#[derive(PartialEq, Eq)]
enum Step {
    More,
    Done,
}

/// A collection being read.
enum Frame {
    /// A sequence: its node (None when not indexed) and the index of its next item.
    Sequence { node: Option<u32>, next: u64 },
    /// A mapping: its node (None when not indexed) and what comes next.
    Mapping { node: Option<u32>, next: Entry },
}

/// What a node is to the collection around it; each holds the node of that collection (None
/// when it is not indexed).
enum Role {
    /// The document root.
    Root,
    /// A sequence item, with its index.
    Item(Option<u32>, u64),
    /// A mapping key.
    Key(Option<u32>),
    /// A mapping value: here the node is its key's.
    Value(Option<u32>),
}

/// The next node of a mapping.
enum Entry {
    /// A key.
    Key,
    /// The value of the key just read; its node is the key's (None when the key was not indexed).
    Value(Option<u32>),
}

/// Builds [`Positions`] from parser events.
#[derive(Default)]
struct Builder {
    nodes: Vec<Node>,
    segments: String,
    /// The collections open around the current event, innermost last.
    stack: Vec<Frame>,
    /// The text of anchored scalars by anchor id, for aliases used as keys.
    scalar_anchors: HashMap<usize, String>,
    /// The node recorded by the latest event, which an anchor event that follows may move.
    latest: Option<u32>,
}

impl Builder {
    /// Takes one event.
    fn feed(&mut self, event: &Event<'_>, span: &Span) -> Result<Step, TooLarge> {
        if !matches!(event, Event::Anchor(..)) {
            self.latest = None;
        }
        match event {
            Event::Scalar(text, _, anchor, _) => {
                self.enter(At::of_node(span)?, Some(text))?;
                if *anchor != 0 {
                    self.scalar_anchors.insert(*anchor, text.to_string());
                }
            }
            Event::Alias(anchor) => {
                let key = self.scalar_anchors.get(anchor).cloned();
                self.enter(At::from_marker(span.start)?, key.as_deref())?;
            }
            Event::UnresolvedAlias(_) => {
                self.enter(At::from_marker(span.start)?, None)?;
            }
            Event::SequenceStart(..) => {
                let node = self.enter(At::of_node(span)?, None)?;
                self.stack.push(Frame::Sequence { node, next: 0 });
            }
            Event::MappingStart(..) => {
                let node = self.enter(At::of_node(span)?, None)?;
                let next = Entry::Key;
                self.stack.push(Frame::Mapping { node, next });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
            }
            Event::Anchor(..) => self.move_to_anchor(At::from_marker(span.start)?),
            Event::DocumentEnd => return Ok(Step::Done),
            _ => {}
        }
        Ok(Step::More)
    }

    /// Places a node starting at `at` in the open collection, recording it when it is the root,
    /// a sequence item or a key. `key` is its text when it can serve as a mapping key (a scalar).
    /// Returns the node under which its children (if it is a collection) are recorded: None when
    /// they are not indexed, as inside a key that is itself a collection.
    fn enter(&mut self, at: At, key: Option<&str>) -> Result<Option<u32>, TooLarge> {
        match self.advance() {
            Role::Root => Ok(self.enter_root(at)),
            Role::Item(Some(parent), index) => self.add_item(parent, index, at).map(Some),
            Role::Key(Some(parent)) => {
                if let Some(key) = key {
                    let id = self.add(parent, key, at)?;
                    self.expect_value_of(id);
                }
                // A key's own children (a collection key) have no pointer.
                Ok(None)
            }
            Role::Value(node) => Ok(node),
            Role::Item(None, _) | Role::Key(None) => Ok(None),
        }
    }

    /// The role of the next node in the innermost open collection, moving that collection on.
    /// After a key, its value is not indexed unless [`Builder::expect_value_of`] says otherwise.
    fn advance(&mut self) -> Role {
        match self.stack.last_mut() {
            None => Role::Root,
            Some(Frame::Sequence { node, next }) => {
                let index = *next;
                *next += 1;
                Role::Item(*node, index)
            }
            Some(Frame::Mapping { node, next }) => match std::mem::replace(next, Entry::Key) {
                Entry::Key => {
                    *next = Entry::Value(None);
                    Role::Key(*node)
                }
                Entry::Value(id) => Role::Value(id),
            },
        }
    }

    /// Notes that the value coming next belongs to key node `id`.
    fn expect_value_of(&mut self, id: u32) {
        if let Some(Frame::Mapping { next, .. }) = self.stack.last_mut() {
            *next = Entry::Value(Some(id));
        }
    }

    /// Records the root; a second root (not expected within one document) is not indexed.
    fn enter_root(&mut self, at: At) -> Option<u32> {
        if !self.nodes.is_empty() {
            return None;
        }
        self.nodes.push(Node::root(at));
        self.latest = Some(ROOT);
        Some(ROOT)
    }

    /// Records sequence item `index` of `parent`.
    fn add_item(&mut self, parent: u32, index: u64, at: At) -> Result<u32, TooLarge> {
        let start = self.segments.len();
        // Writing to a String cannot fail.
        let _ = write!(self.segments, "{index}");
        self.push(parent, start, at)
    }

    /// Records the entry `key` of mapping `parent`.
    fn add(&mut self, parent: u32, key: &str, at: At) -> Result<u32, TooLarge> {
        let start = self.segments.len();
        self.segments.push_str(key);
        self.push(parent, start, at)
    }

    /// Records a node whose segment is the segment text from `start` on.
    fn push(&mut self, parent: u32, start: usize, at: At) -> Result<u32, TooLarge> {
        let id = to_u32(self.nodes.len())?;
        let segment_start = to_u32(start)?;
        // The end of the segment text must stay addressable with 32 bits too.
        let segment_len = to_u32(self.segments.len())? - segment_start;
        self.nodes.push(Node {
            parent,
            segment_start,
            segment_len,
            at,
        });
        self.latest = Some(id);
        Ok(id)
    }

    /// Moves the node just recorded to its anchor, when the anchor is written before it.
    fn move_to_anchor(&mut self, anchor: At) {
        let node = self.latest.and_then(|id| self.nodes.get_mut(id as usize));
        if let Some(node) = node {
            node.at = node.at.min(anchor);
        }
    }

    /// Sorts the look-up table; a text without any node gets a root at its start.
    fn finish(self) -> Result<Positions, TooLarge> {
        let Builder {
            mut nodes,
            mut segments,
            ..
        } = self;
        if nodes.is_empty() {
            nodes.push(Node::root(At::START));
        }
        nodes.shrink_to_fit();
        segments.shrink_to_fit();
        let count = to_u32(nodes.len())?;
        let mut positions = Positions {
            nodes,
            segments,
            order: Vec::new(),
        };
        let mut order: Vec<u32> = (0..count).collect();
        order.sort_by(|&a, &b| positions.sort_key(a).cmp(&positions.sort_key(b)));
        positions.order = order;
        Ok(positions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(text: &str) -> Positions {
        match Positions::index(text) {
            Some(positions) => positions,
            None => panic!("did not index: {text:?}"),
        }
    }

    #[test]
    fn block_mappings_and_sequences() {
        let p = index(
            "openapi: 3.1.0\n\
             paths:\n  \
               /pets/{id}:\n    \
                 get:\n      \
                   tags:\n        \
                     - pets\n        \
                     - read\n      \
                   responses:\n        \
                     '200':\n          \
                       description: ok\n",
        );
        assert_eq!(p.get(""), Some((1, 1)));
        assert_eq!(p.get("/openapi"), Some((1, 1)));
        assert_eq!(p.get("/paths"), Some((2, 1)));
        assert_eq!(p.get("/paths/~1pets~1{id}"), Some((3, 3)));
        assert_eq!(p.get("/paths/~1pets~1{id}/get"), Some((4, 5)));
        assert_eq!(p.get("/paths/~1pets~1{id}/get/tags"), Some((5, 7)));
        assert_eq!(p.get("/paths/~1pets~1{id}/get/tags/0"), Some((6, 11)));
        assert_eq!(p.get("/paths/~1pets~1{id}/get/tags/1"), Some((7, 11)));
        assert_eq!(p.get("/paths/~1pets~1{id}/get/responses/200"), Some((9, 9)));
        assert_eq!(
            p.get("/paths/~1pets~1{id}/get/responses/200/description"),
            Some((10, 11))
        );
        assert_eq!(p.len(), 11);
    }

    #[test]
    fn flow_style() {
        let p = index("info: {title: T, tags: [a, {name: b}]}\nlist: [1, [2, 3]]\n");
        assert_eq!(p.get("/info"), Some((1, 1)));
        assert_eq!(p.get("/info/title"), Some((1, 8)));
        assert_eq!(p.get("/info/tags"), Some((1, 18)));
        assert_eq!(p.get("/info/tags/0"), Some((1, 25)));
        assert_eq!(p.get("/info/tags/1"), Some((1, 28)));
        assert_eq!(p.get("/info/tags/1/name"), Some((1, 29)));
        assert_eq!(p.get("/list/1/1"), Some((2, 15)));
    }

    #[test]
    fn json() {
        let p = index(
            "{\n  \"openapi\": \"3.0.0\",\n  \"paths\": {\n    \"/a\": {\"get\": {}},\n    \"/b\": []\n  }\n}\n",
        );
        assert_eq!(p.get(""), Some((1, 1)));
        assert_eq!(p.get("/openapi"), Some((2, 3)));
        assert_eq!(p.get("/paths"), Some((3, 3)));
        assert_eq!(p.get("/paths/~1a"), Some((4, 5)));
        assert_eq!(p.get("/paths/~1a/get"), Some((4, 12)));
        assert_eq!(p.get("/paths/~1b"), Some((5, 5)));
    }

    #[test]
    fn json_with_tab_indentation() {
        let p = index("{\n\t\"a\": {\n\t\t\"b\": [1,\n\t\t\t2]\n\t}\n}");
        assert_eq!(p.get("/a"), Some((2, 2)));
        assert_eq!(p.get("/a/b"), Some((3, 3)));
        assert_eq!(p.get("/a/b/1"), Some((4, 4)));
    }

    #[test]
    fn quoted_keys_and_escaping() {
        let p = index("\"a/b\": 1\n'c~d': 2\n\"e~1f\": 3\n\"\": 4\n\"x\\ty\": 5\n");
        assert_eq!(p.get("/a~1b"), Some((1, 1)));
        assert_eq!(p.get("/c~0d"), Some((2, 1)));
        assert_eq!(p.get("/e~01f"), Some((3, 1)));
        assert_eq!(p.get("/"), Some((4, 1)));
        assert_eq!(p.get("/x\ty"), Some((5, 1)));
        // Unescaped or badly escaped pointers do not match.
        assert_eq!(p.get("/a/b"), None);
        assert_eq!(p.get("/c~d"), None);
        assert_eq!(p.get("/e~1f"), None);
        assert_eq!(p.nearest("/c~2d"), (1, 1));
    }

    #[test]
    fn non_string_keys_use_their_text() {
        let p = index("responses:\n  200: ok\n  default: x\ntrue: 1\n1.50: 2\n~: 3\n");
        assert_eq!(p.get("/responses/200"), Some((2, 3)));
        assert_eq!(p.get("/responses/default"), Some((3, 3)));
        assert_eq!(p.get("/true"), Some((4, 1)));
        assert_eq!(p.get("/1.50"), Some((5, 1)));
        assert_eq!(p.get("/~0"), Some((6, 1)));
    }

    #[test]
    fn sequence_items_of_every_kind() {
        let p = index("- a\n- b: 1\n  c: 2\n- - x\n  - y\n- [z]\n-\n");
        assert_eq!(p.get("/0"), Some((1, 3)));
        assert_eq!(p.get("/1"), Some((2, 3)));
        assert_eq!(p.get("/1/c"), Some((3, 3)));
        assert_eq!(p.get("/2"), Some((4, 3)));
        assert_eq!(p.get("/2/1"), Some((5, 5)));
        assert_eq!(p.get("/3/0"), Some((6, 4)));
        assert_eq!(p.get("/4"), Some((7, 2)));
        assert_eq!(p.get("/5"), None);
        // Indices are written without leading zeros.
        assert_eq!(p.get("/01"), None);
        assert_eq!(p.get("/-"), None);
    }

    #[test]
    fn aliases_are_indexed_where_written_and_not_expanded() {
        let p = index(
            "base: &b\n  x: 1\n  y: [1, 2]\ncopy: *b\nitems:\n  - *b\n  - &s name\nnamed:\n  *s : v\n",
        );
        assert_eq!(p.get("/base/x"), Some((2, 3)));
        assert_eq!(p.get("/copy"), Some((4, 1)));
        assert_eq!(p.get("/copy/x"), None);
        assert_eq!(p.nearest("/copy/x"), (4, 1));
        assert_eq!(p.get("/items/0"), Some((6, 5)));
        assert_eq!(p.get("/items/0/y"), None);
        // An anchored item starts at its anchor.
        assert_eq!(p.get("/items/1"), Some((7, 5)));
        // An alias of a scalar used as a key stands for the scalar's text.
        assert_eq!(p.get("/named/name"), Some((9, 3)));
        assert_eq!(p.len(), 12);
    }

    #[test]
    fn alias_bomb_stays_small() {
        let mut text = String::from("a0: &a0 [x, x]\n");
        for level in 1..30 {
            let prev = level - 1;
            text.push_str(&format!("a{level}: &a{level} [*a{prev}, *a{prev}]\n"));
        }
        let p = index(&text);
        assert_eq!(p.len(), 1 + 30 * 3);
        assert_eq!(p.get("/a29/1"), Some((30, 18)));
    }

    #[test]
    fn tags_and_anchors_start_the_node() {
        let p = index("- !t &a x\n- &b !t {k: v}\n- !!str y\n");
        assert_eq!(p.get("/0"), Some((1, 3)));
        assert_eq!(p.get("/1"), Some((2, 3)));
        assert_eq!(p.get("/1/k"), Some((2, 10)));
        assert_eq!(p.get("/2"), Some((3, 3)));
    }

    #[test]
    fn absent_pointer_falls_back_to_parent() {
        let p = index("info:\n  title: T\npaths:\n  /a:\n    get: {}\n");
        assert_eq!(p.get("/info/version"), None);
        assert_eq!(p.nearest("/info/version"), (1, 1));
        assert_eq!(p.nearest("/paths/~1a/get/responses/200"), (5, 5));
        assert_eq!(p.nearest("/nothing/here"), (1, 1));
        assert_eq!(p.nearest("no-leading-slash"), (1, 1));
        assert_eq!(p.get("no-leading-slash"), None);
        // A scalar has no members.
        assert_eq!(p.get("/info/title/0"), None);
        assert_eq!(p.nearest("/info/title/0"), (2, 3));
    }

    #[test]
    fn root_is_where_the_content_starts() {
        let p = index("# comment\n\n---\n  [1, 2]\n");
        assert_eq!(p.get(""), Some((4, 3)));
        assert_eq!(p.get("/1"), Some((4, 7)));
        let empty = index("");
        assert_eq!(empty.get(""), Some((1, 1)));
        assert_eq!(empty.nearest("/a"), (1, 1));
        assert_eq!(empty.len(), 1);
        let scalar = index("\n  hello\n");
        assert_eq!(scalar.get(""), Some((2, 3)));
    }

    #[test]
    fn duplicate_keys_first_wins() {
        let p = index("a:\n  x: 1\nb: 2\na:\n  y: 3\n");
        assert_eq!(p.get("/a"), Some((1, 1)));
        assert_eq!(p.get("/a/x"), Some((2, 3)));
        assert_eq!(p.get("/a/y"), None);
        assert_eq!(p.nearest("/a/y"), (1, 1));
        let flow = index("{k: 1, k: 2}");
        assert_eq!(flow.get("/k"), Some((1, 2)));
    }

    #[test]
    fn complex_keys_are_skipped() {
        let p = index("? [a, b]\n: {inner: 1}\nafter: 2\n");
        assert_eq!(p.get("/after"), Some((3, 1)));
        assert_eq!(p.get("/inner"), None);
        assert_eq!(p.len(), 2);
    }

    #[test]
    fn only_the_first_document_is_indexed() {
        let p = index("a: 1\n---\nb: 2\n--- [unclosed\n");
        assert_eq!(p.get("/a"), Some((1, 1)));
        assert_eq!(p.get("/b"), None);
    }

    #[test]
    fn invalid_input_is_none() {
        for text in [
            "a: [1, 2",
            "{\"a\": }}",
            "a: b: c",
            "key: 'unterminated",
            "- a\nb: c",
            "*unknown",
            "a:\n\t- tab indented",
            "[",
            "\u{0}",
        ] {
            assert!(Positions::index(text).is_none(), "indexed {text:?}");
        }
    }

    #[test]
    fn deep_flow_nesting_does_not_overflow() {
        let depth = 10_000;
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let p = index(&text);
        assert_eq!(p.len(), depth);
        let deepest = "/0".repeat(depth - 1);
        assert_eq!(p.get(&deepest), Some((1, depth)));
        assert_eq!(p.nearest(&format!("{deepest}/0/0")), (1, depth));
    }

    #[test]
    fn deep_block_nesting_does_not_overflow() {
        let depth = 2_000;
        let mut text = String::new();
        for level in 0..depth {
            text.push_str(&" ".repeat(level));
            text.push_str("k:\n");
        }
        let p = index(&text);
        assert_eq!(p.len(), depth + 1);
        assert_eq!(p.get(&"/k".repeat(depth)), Some((depth, depth)));
    }

    #[test]
    fn columns_count_characters() {
        let p =
            index("título: ñandú\n{ \"€uro\": 1, ключ: [\"日本\", 語] }: x\nz: {é: 1, 名前: 2}\n");
        assert_eq!(p.get("/título"), Some((1, 1)));
        assert_eq!(p.get("/z"), Some((3, 1)));
        assert_eq!(p.get("/z/é"), Some((3, 5)));
        assert_eq!(p.get("/z/名前"), Some((3, 11)));
        let json = index("{\"ключ\": {\"日本語\": 1, \"b\": 2}}");
        assert_eq!(json.get("/ключ/日本語"), Some((1, 11)));
        assert_eq!(json.get("/ключ/b"), Some((1, 21)));
    }

    #[test]
    fn crlf_and_byte_order_mark() {
        let p = index("\u{feff}a: 1\r\nb:\r\n  c: 2\r\n");
        assert_eq!(p.get("/a"), Some((1, 1)));
        assert_eq!(p.get("/b/c"), Some((3, 3)));
    }
}
