//! One pass over a YAML text that builds both its JSON value and the positions of its nodes.
//!
//! Linting needs both: the value to check and, for every finding, its line and column. Reading
//! the text once instead of twice (`parse` for the value, then [`Positions::index`]) halves the
//! cost of a lint. The value must be exactly what [`super::parse`] makes of the text, so this
//! reader only takes what it reads the same way: plain scalars of the YAML 1.2 core schema (with
//! `parse`'s options: strict booleans, numbers with leading zeros kept as strings, the last of
//! duplicate keys winning), quoted and block scalars, anchors and aliases. Anything else (tags,
//! merge keys, collections or odd scalars as keys, special floats, integers out of range, hex
//! and octal) makes it give up with None, and the caller reads the text the usual way.

use std::collections::HashMap;

use granit_parser::{Event, ScalarStyle, Span};
use serde_json::{Map, Number, Value};

use super::Limits;
use super::locate::Positions;

enum Frame {
    Sequence {
        items: Vec<Value>,
        anchor: usize,
    },
    Mapping {
        map: Map<String, Value>,
        key: Option<String>,
        anchor: usize,
    },
}

struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Value, usize)>,
    root: Option<Value>,
    max_depth: usize,
    /// Nodes aliases may still copy in, against YAML alias bombs.
    alias_budget: usize,
    done: bool,
}

/// The JSON value and positions of a YAML document (the first of a stream); None when the text
/// uses something this reader leaves to [`super::parse`], or is not valid YAML.
pub fn parse(text: &str, limits: &Limits) -> Option<(Value, Positions)> {
    // `parse` refuses a stream of several documents; the positions stop at the first, so a
    // document marker after the start is left to `parse` to judge.
    let body = text.trim_start();
    let body = body.strip_prefix("---").unwrap_or(body);
    if body.contains("\n---") || body.contains("\n...") {
        return None;
    }
    let mut b = Builder {
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        max_depth: limits.max_depth,
        alias_budget: limits.max_alias_expansions,
        done: false,
    };
    let positions = Positions::index_with(text, |event, span| b.feed(event, span))?;
    b.root.map(|v| (v, positions))
}

fn count_nodes(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(count_nodes).sum::<usize>(),
        Value::Object(o) => 1 + o.values().map(count_nodes).sum::<usize>(),
        _ => 1,
    }
}

impl Builder {
    /// Takes one event; false to give up.
    fn feed(&mut self, event: &Event<'_>, _span: &Span) -> bool {
        if self.done {
            return true;
        }
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                if tag.is_some() {
                    return false;
                }
                let in_key = self.expects_key();
                let value = if in_key {
                    match key_text(text, *style) {
                        Some(k) => Value::String(k),
                        None => return false,
                    }
                } else {
                    match scalar(text, *style) {
                        Some(v) => v,
                        None => return false,
                    }
                };
                if *anchor != 0 {
                    self.anchors.insert(*anchor, (value.clone(), 1));
                }
                self.place(value)
            }
            Event::Alias(id) => {
                let Some((value, nodes)) = self.anchors.get(id) else {
                    return false;
                };
                let Some(left) = self.alias_budget.checked_sub(*nodes) else {
                    return false;
                };
                self.alias_budget = left;
                let value = value.clone();
                if self.expects_key() && !value.is_string() {
                    return false;
                }
                self.place(value)
            }
            Event::SequenceStart(_, anchor, tag) | Event::MappingStart(_, anchor, tag) => {
                if tag.is_some() || self.expects_key() || self.stack.len() >= self.max_depth {
                    return false;
                }
                let frame = if matches!(event, Event::SequenceStart(..)) {
                    Frame::Sequence {
                        items: Vec::new(),
                        anchor: *anchor,
                    }
                } else {
                    Frame::Mapping {
                        map: Map::new(),
                        key: None,
                        anchor: *anchor,
                    }
                };
                self.stack.push(frame);
                true
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor) = match self.stack.pop() {
                    Some(Frame::Sequence { items, anchor }) => (Value::Array(items), anchor),
                    Some(Frame::Mapping {
                        map,
                        key: None,
                        anchor,
                    }) => (Value::Object(map), anchor),
                    _ => return false,
                };
                if anchor != 0 {
                    let nodes = count_nodes(&value);
                    self.anchors.insert(anchor, (value.clone(), nodes));
                }
                self.place(value)
            }
            Event::UnresolvedAlias(_) => false,
            Event::DocumentEnd => {
                self.done = true;
                true
            }
            _ => true,
        }
    }

    /// Whether the next node is a mapping key.
    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Mapping { key: None, .. }))
    }

    /// Puts a finished node where it belongs.
    fn place(&mut self, value: Value) -> bool {
        match self.stack.last_mut() {
            None => {
                if self.root.is_some() {
                    return false;
                }
                self.root = Some(value);
                true
            }
            Some(Frame::Sequence { items, .. }) => {
                items.push(value);
                true
            }
            Some(Frame::Mapping { map, key, .. }) => match key.take() {
                None => match value {
                    // Merge keys change what the mapping holds; `parse` applies them.
                    Value::String(k) if k == "<<" => false,
                    Value::String(k) => {
                        *key = Some(k);
                        true
                    }
                    _ => false,
                },
                Some(k) => {
                    // The last of duplicate keys wins, in the first one's place.
                    map.insert(k, value);
                    true
                }
            },
        }
    }
}

/// A mapping key's text: strings, and plain scalars whose text is how `parse` names the key.
fn key_text(text: &str, style: ScalarStyle) -> Option<String> {
    if style != ScalarStyle::Plain {
        return Some(text.to_owned());
    }
    match scalar(text, style)? {
        Value::String(s) => Some(s),
        // `200:` is the key "200"; other spellings of numbers and booleans are left to `parse`.
        Value::Number(n) if n.is_u64() && n.to_string() == text => Some(text.to_owned()),
        Value::Bool(b) if (if b { "true" } else { "false" }) == text => Some(text.to_owned()),
        _ => None,
    }
}

/// A scalar's value under the YAML 1.2 core schema with `parse`'s options; None for what this
/// reader leaves to `parse`.
fn scalar(text: &str, style: ScalarStyle) -> Option<Value> {
    if style != ScalarStyle::Plain {
        return Some(Value::String(text.to_owned()));
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let bytes = text.as_bytes();
    let first = bytes[0];
    // Most scalars are words: nothing numeric about them.
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Some(Value::String(text.to_owned()));
    }
    // `14_030` is a number to `parse` (YAML 1.1 digit grouping): left to it.
    if text.contains('_')
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'_' | b'-' | b'+' | b'.'))
    {
        return None;
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if unsigned.is_empty() {
        return Some(Value::String(text.to_owned()));
    }
    let digits = unsigned.bytes().all(|b| b.is_ascii_digit());
    if digits {
        if unsigned.len() > 1 && unsigned.starts_with('0') {
            // Leading zeros: `parse` keeps these as strings.
            return Some(Value::String(text.to_owned()));
        }
        if text.starts_with('+') {
            return None;
        }
        if let Ok(i) = text.parse::<i64>() {
            return Some(Value::Number(i.into()));
        }
        if let Ok(u) = text.parse::<u64>() {
            return Some(Value::Number(u.into()));
        }
        return None;
    }
    if is_float(unsigned) {
        if unsigned.starts_with('0') && unsigned.as_bytes().get(1).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let f: f64 = text.parse().ok()?;
        return Number::from_f64(f).map(Value::Number);
    }
    if unsigned.starts_with('.') && unsigned[1..].eq_ignore_ascii_case("inf")
        || text.eq_ignore_ascii_case(".nan")
        || unsigned.starts_with("0x")
        || unsigned.starts_with("0o")
    {
        return None;
    }
    Some(Value::String(text.to_owned()))
}

/// `1.5`, `.5`, `1.`, `1e5`, `1.5E-3` (after any sign).
fn is_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let int_ok = int.bytes().all(|b| b.is_ascii_digit());
    let frac_ok = frac.is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit()));
    let has_digits = !int.is_empty() || frac.is_some_and(|f| !f.is_empty());
    let exp_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    int_ok && frac_ok && has_digits && exp_ok && (frac.is_some() || exponent.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever this reader accepts, it reads as `parse` does.
    #[test]
    fn reads_what_it_accepts_as_parse_does() {
        let texts = [
            "a: 1\nb: -2\nc: 1.5\nd: 007\ne: true\nf: no\ng: ~\nh: ''\ni: \"x\"\nj: [1, 'two', {k: v}]\n",
            "responses:\n  '200': {description: ok}\n  404:\n    description: missing\n",
            "base: &b {x: 1, y: [a, b]}\nuse: *b\nuse2: *b\n",
            "dup: 1\nother: 2\ndup: 3\n",
            "text: |\n  line one\n  line two\nfolded: >\n  a\n  b\n",
            "version: 1.0\nbig: 18446744073709551615\nexp: 1e3\nneg: -0.5\ndot: .5\n",
            "- 1\n- - nested\n  - list\n- key: value\n",
            "---\nexplicit: start\n",
        ];
        let limits = Limits::default();
        for text in texts {
            let (value, _) = parse(text, &limits).unwrap_or_else(|| panic!("gave up on {text:?}"));
            let (expected, _) = super::super::parse("t.yaml", text.as_bytes(), &limits).unwrap();
            assert_eq!(value, expected, "{text}");
        }
    }

    #[test]
    fn gives_up_on_what_parse_reads_differently() {
        let limits = Limits::default();
        for text in [
            "a: !!str 1\n",
            "base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n",
            "? [a, b]\n: c\n",
            "inf: .inf\n",
            "hex: 0x1F\n",
            "plus: +1\n",
            "grouped: 14_030\n",
            "first: doc\n---\nsecond: doc\n",
            "1.0: float key\n",
            "a: [\n",
        ] {
            assert!(parse(text, &limits).is_none(), "{text}");
        }
    }
}
