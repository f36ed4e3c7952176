//! JSONPath for Spectral-compatible rule `given`s: RFC 9535 plus the JSONPath-Plus
//! extensions Spectral rulesets rely on (unquoted bracket names, `~`, `@property`,
//! `@parent`, `@parentProperty`, `@root`, `@path` and small JavaScript filter
//! expressions), evaluated over `serde_json::Value`, optionally following local `$ref`s.
//!
//! Semantic choices a caller must know:
//! * `[?expr]` (not starting with `(`) uses RFC existence tests: a bare query such as
//!   `@.a` is true when the member exists (even if it is `false`, `null`, `0`).
//!   `[?(expr)]` (the JSONPath-Plus form) uses JavaScript truthiness instead.
//!   A non-singular query (`@.*`, `@..x`, `@[0:2]`, `@[?…]`) is true when it selects anything.
//! * `==`/`!=` are strict except that `null == undefined`; `===`/`!==` are strict.
//!   Objects and arrays compare by deep equality (not by identity); numbers by value.
//!   `<`, `<=`, `>`, `>=` compare numbers with numbers and strings with strings (by code
//!   point); any other pairing is false (no JavaScript coercion), except that `<=`/`>=` are
//!   also true for strictly equal operands (RFC 9535).
//! * `&&`/`||` return the deciding operand (JavaScript semantics).
//! * Member access on undefined, null or anything without that member yields undefined.
//!   Negative indexes (`@[-1]`) count from the end (RFC); a non-negative index on an
//!   object reads the member with that decimal name, and a canonical decimal name on an
//!   array (`.0`, `['0']`) reads that item (JavaScript), in paths and filters alike.
//! * With `Refs::Follow`, member access inside filters also sees through `$ref`s.
//! * `~` yields the walked property name (string, or number for array items); its
//!   location is the location of the parent + that name (with refs followed, of the
//!   parent as walked, i.e. where the referencing member lives). Segments after `~`
//!   select nothing.
//! * Results are deduplicated by location; with `Refs::Follow` a ref target reached
//!   several ways is reported once, with the filter context (`@property`, `@parent`, …)
//!   of the first way it was reached; a descendant walk expands each ref target at most
//!   once per segment.
//! * `@path` is the JSONPath-Plus normalized path (`$['a'][0]`) of the node's location;
//!   inside nested filter queries it is relative to the query's start.
//! * The walk stops descending below depth 512.
//! * Otherwise paths are read as RFC 9535 has them (blanks between segments, canonical
//!   integers within ±(2^53 − 1), escaped control characters in names), and `[?expr]` is
//!   held to its typing rules: a bare literal or `length()` alone is refused, a `match()`
//!   result is not compared. `[?(expr)]` is JavaScript and may test any value.
//! * The regexes of `match()` and `search()` are I-Regexps: `.` matches neither `\n` nor
//!   `\r`. The regexes of the `.match()` and `.test()` methods keep the regex crate's meaning.
//!
//! How the crate is laid out, in the order a path is used: `parser` reads the expression into the
//! AST of `syntax`; `walk` runs the segments over the document, asking `references` to see
//! through `$ref`s and `filters` to decide `[?…]` selectors; `location` holds what a selection
//! yields. Nothing below this file depends on it, so the modules form a plain stack.

mod filters;
mod location;
mod parser;
mod references;
mod syntax;
mod walk;

#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;

pub use location::{Node, Segment, pointer};
pub use parser::PathError;

use serde_json::Value;

use references::Env;
use syntax::Seg;

/// Whether local `$ref`s are followed during the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refs {
    Keep,
    Follow,
}

/// A compiled JSONPath expression; reusable across documents and threads.
#[derive(Debug, Clone)]
pub struct JsonPath {
    src: String,
    segs: Vec<Seg>,
}

impl JsonPath {
    /// Compiles `expr`.
    pub fn parse(expr: &str) -> Result<JsonPath, PathError> {
        let segs = parser::parse(expr)?;
        Ok(JsonPath {
            src: expr.to_string(),
            segs,
        })
    }

    /// The expression as given.
    pub fn as_str(&self) -> &str {
        &self.src
    }

    /// Every node selected in `root`, deduplicated by location (first occurrence wins),
    /// in walk order.
    pub fn select<'v>(&self, root: &'v Value, refs: Refs) -> Vec<Node<'v>> {
        self.select_from(root, root, &[], refs)
    }

    /// Same, evaluated with `start` as `$`; locations are prefixed with `base` (unless a
    /// `$ref` was followed, after which they are absolute in `root`).
    pub fn select_from<'v>(
        &self,
        root: &'v Value,
        start: &'v Value,
        base: &[Segment],
        refs: Refs,
    ) -> Vec<Node<'v>> {
        let env = Env::new(root, start, base, refs == Refs::Follow);
        walk::select(&env, &self.segs, start)
    }
}
