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

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use regex::Regex;
use serde_json::Value;

const MAX_WALK_DEPTH: usize = 512;
const MAX_REF_HOPS: usize = 32;
const MAX_NEST: usize = 64;
const MAX_EXPR_NODES: usize = 2000;

/// A parse error: what is wrong and where (1-based character column in the expression).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message} (column {column})")]
pub struct PathError {
    pub message: String,
    pub column: usize,
    /// Valid JSONPath(-Plus) that pac does not evaluate (a method, function or identifier of
    /// JavaScript's), rather than a mistake in the path.
    pub unsupported: bool,
}

/// One step of a location: an object member name or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Whether local `$ref`s are followed during the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refs {
    Keep,
    Follow,
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

/// A compiled JSONPath expression; reusable across documents and threads.
#[derive(Debug, Clone)]
pub struct JsonPath {
    src: String,
    segs: Vec<Seg>,
}

impl JsonPath {
    /// Compiles `expr`.
    pub fn parse(expr: &str) -> Result<JsonPath, PathError> {
        let mut p = Parser {
            c: expr.chars().collect(),
            p: 0,
            nest: 0,
            nodes: 0,
        };
        let segs = p.parse_path()?;
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
        let env = Env {
            doc: root,
            start,
            base: base.to_vec(),
            follow: refs == Refs::Follow,
            cache: RefCell::new(HashMap::default()),
        };
        let mut w = Walker::new(&env, &self.segs, 0, None);
        w.start(start);
        w.out
    }
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

// ---------------------------------------------------------------------------
// AST

#[derive(Debug, Clone)]
enum Seg {
    Child(Vec<Sel>),
    Desc(Vec<Sel>),
    Names,
}

#[derive(Debug, Clone)]
enum Sel {
    Name(String),
    Wild,
    Index(i64),
    Slice(Option<i64>, Option<i64>, Option<i64>),
    /// The expression and whether RFC existence semantics apply (`[?e]` vs `[?(e)]`).
    Filter(Box<Expr>, bool),
}

#[derive(Debug, Clone)]
enum Lit {
    Undef,
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
}

#[derive(Debug, Clone)]
enum Member {
    Name(String),
    Index(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Includes,
    Match,
    Test,
    StartsWith,
    EndsWith,
    IndexOf,
    ToLowerCase,
    ToUpperCase,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Func {
    Length,
    Count,
    Match,
    Search,
    Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CmpOp {
    StrictEq,
    StrictNe,
    LooseEq,
    LooseNe,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone)]
enum Expr {
    Lit(Lit),
    Rx(Regex),
    Cur,
    Root,
    Prop,
    ParentProp,
    Parent,
    PathStr,
    Member(Box<Expr>, Member),
    /// A non-singular query: base value, then RFC segments.
    Query(Box<Expr>, Vec<Seg>),
    Call(Box<Expr>, Method, Vec<Expr>),
    Func(Func, Vec<Expr>),
    Not(Box<Expr>),
    Typeof(Box<Expr>),
    Void,
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
}

/// An expression that denotes a JSON node (or nothing): `@`, `$`, `@parent` and member chains on them.
fn is_node_expr(e: &Expr) -> bool {
    match e {
        Expr::Cur | Expr::Root | Expr::Parent => true,
        Expr::Member(b, _) => is_node_expr(b),
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// Parser

struct Parser {
    c: Vec<char>,
    p: usize,
    nest: usize,
    nodes: usize,
}

type PResult<T> = Result<T, PathError>;

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$' || c == '-' || (c as u32) >= 0x80
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

fn err<T>(at: usize, msg: impl Into<String>) -> PResult<T> {
    Err(PathError {
        message: msg.into(),
        column: at + 1,
        unsupported: false,
    })
}

/// Something a JSONPath-Plus engine running JavaScript would accept but pac does not evaluate.
fn unsupported<T>(at: usize, msg: impl Into<String>) -> PResult<T> {
    Err(PathError {
        message: msg.into(),
        column: at + 1,
        unsupported: true,
    })
}

fn compile_regex(pattern: &str, at: usize) -> PResult<Regex> {
    Regex::new(pattern).or_else(|e| {
        let detail = e.to_string();
        let last = detail
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_string();
        err(at, format!("invalid regular expression: {last}"))
    })
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.c.get(self.p).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.c.get(self.p + n).copied()
    }

    fn starts(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, ch)| self.peek_at(i) == Some(ch))
    }

    fn keyword(&self, w: &str) -> bool {
        self.starts(w) && !self.peek_at(w.chars().count()).is_some_and(is_ident_char)
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.p += 1;
        }
    }

    fn bump(&mut self) -> PResult<()> {
        self.nodes += 1;
        if self.nodes > MAX_EXPR_NODES {
            return err(self.p, "expression too complex");
        }
        Ok(())
    }

    fn parse_path(&mut self) -> PResult<Vec<Seg>> {
        if self.peek() != Some('$') {
            return err(0, "a path must start with '$'");
        }
        self.p = 1;
        let mut segs = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                '.' => segs.push(self.parse_dot()?),
                '[' => segs.push(Seg::Child(self.parse_bracket()?)),
                '~' => {
                    self.p += 1;
                    segs.push(Seg::Names);
                }
                _ => return err(self.p, format!("unexpected '{c}'")),
            }
        }
        Ok(segs)
    }

    fn parse_name(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek().filter(|c| is_name_char(*c)) {
            s.push(c);
            self.p += 1;
        }
        s
    }

    /// At '.': `.name`, `.*`, `..name`, `..*`, `..[…]`.
    fn parse_dot(&mut self) -> PResult<Seg> {
        if self.peek_at(1) == Some('.') {
            self.p += 2;
            match self.peek() {
                Some('[') => Ok(Seg::Desc(self.parse_bracket()?)),
                Some('*') => {
                    self.p += 1;
                    Ok(Seg::Desc(vec![Sel::Wild]))
                }
                Some(c) if is_name_char(c) => Ok(Seg::Desc(vec![Sel::Name(self.parse_name())])),
                _ => err(self.p, "expected a name, '*' or '[' after '..'"),
            }
        } else {
            self.p += 1;
            match self.peek() {
                Some('*') => {
                    self.p += 1;
                    Ok(Seg::Child(vec![Sel::Wild]))
                }
                Some(c) if is_name_char(c) => Ok(Seg::Child(vec![Sel::Name(self.parse_name())])),
                _ => err(self.p, "expected a name or '*' after '.'"),
            }
        }
    }

    /// At '['.
    fn parse_bracket(&mut self) -> PResult<Vec<Sel>> {
        let open = self.p;
        self.p += 1;
        let mut sels = Vec::new();
        loop {
            self.ws();
            sels.push(self.parse_selector(open)?);
            self.ws();
            match self.peek() {
                Some(',') => self.p += 1,
                Some(']') => {
                    self.p += 1;
                    return Ok(sels);
                }
                None => {
                    return err(
                        self.p,
                        format!("unclosed '[' (opened at column {})", open + 1),
                    );
                }
                Some(c) => return err(self.p, format!("expected ',' or ']' but found '{c}'")),
            }
        }
    }

    fn parse_selector(&mut self, open: usize) -> PResult<Sel> {
        match self.peek() {
            Some(q @ ('\'' | '"')) => Ok(Sel::Name(self.parse_string(q)?)),
            Some('*') => {
                self.p += 1;
                Ok(Sel::Wild)
            }
            Some('?') => {
                self.p += 1;
                self.ws();
                let rfc = self.peek() != Some('(');
                let e = self.parse_expr()?;
                Ok(Sel::Filter(Box::new(e), rfc))
            }
            Some(c) if c.is_ascii_digit() || c == '-' || c == ':' => self.parse_index_or_slice(),
            Some(c) if is_name_char(c) => Ok(Sel::Name(self.parse_name())),
            None => err(
                self.p,
                format!("unclosed '[' (opened at column {})", open + 1),
            ),
            Some(c) => err(self.p, format!("unexpected '{c}' in brackets")),
        }
    }

    fn opt_int(&mut self) -> PResult<Option<i64>> {
        let at = self.p;
        let mut s = String::new();
        if self.peek() == Some('-') {
            s.push('-');
            self.p += 1;
        }
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            s.push(c);
            self.p += 1;
        }
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse::<i64>() {
            Ok(i) => Ok(Some(i)),
            Err(_) => err(at, format!("invalid integer '{s}'")),
        }
    }

    fn parse_index_or_slice(&mut self) -> PResult<Sel> {
        let at = self.p;
        let start = self.opt_int()?;
        self.ws();
        if self.peek() != Some(':') {
            return match start {
                Some(i) => Ok(Sel::Index(i)),
                None => err(at, "expected an index or slice"),
            };
        }
        self.p += 1;
        self.ws();
        let end = self.opt_int()?;
        self.ws();
        let step = if self.peek() == Some(':') {
            self.p += 1;
            self.ws();
            self.opt_int()?
        } else {
            None
        };
        Ok(Sel::Slice(start, end, step))
    }

    fn hex4(&mut self) -> PResult<u32> {
        let at = self.p;
        let mut v = 0u32;
        for _ in 0..4 {
            match self.peek().and_then(|c| c.to_digit(16)) {
                Some(d) => {
                    v = v * 16 + d;
                    self.p += 1;
                }
                None => return err(at, "invalid \\u escape"),
            }
        }
        Ok(v)
    }

    /// At the opening quote `q`.
    fn parse_string(&mut self, q: char) -> PResult<String> {
        let open = self.p;
        self.p += 1;
        let mut s = String::new();
        loop {
            let Some(c) = self.peek() else {
                return err(open, "unterminated string");
            };
            self.p += 1;
            if c == q {
                return Ok(s);
            }
            if c != '\\' {
                s.push(c);
                continue;
            }
            let at = self.p - 1;
            let Some(e) = self.peek() else {
                return err(open, "unterminated string");
            };
            self.p += 1;
            match e {
                'b' => s.push('\u{8}'),
                'f' => s.push('\u{c}'),
                'n' => s.push('\n'),
                'r' => s.push('\r'),
                't' => s.push('\t'),
                '/' | '\\' | '\'' | '"' => s.push(e),
                'u' => {
                    let hi = self.hex4()?;
                    let code = if (0xD800..0xDC00).contains(&hi) {
                        if self.starts("\\u") {
                            self.p += 2;
                            let lo = self.hex4()?;
                            if !(0xDC00..0xE000).contains(&lo) {
                                return err(at, "invalid surrogate pair");
                            }
                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                        } else {
                            return err(at, "unpaired surrogate");
                        }
                    } else {
                        hi
                    };
                    match char::from_u32(code) {
                        Some(ch) => s.push(ch),
                        None => return err(at, "invalid \\u escape"),
                    }
                }
                _ => return err(at, format!("invalid escape '\\{e}'")),
            }
        }
    }

    // --- filter expressions ---

    fn parse_expr(&mut self) -> PResult<Expr> {
        self.nest += 1;
        if self.nest > MAX_NEST {
            return err(self.p, "expression nested too deeply");
        }
        let r = self.parse_or();
        self.nest -= 1;
        r
    }

    fn parse_or(&mut self) -> PResult<Expr> {
        let mut l = self.parse_and()?;
        loop {
            self.ws();
            if !self.starts("||") {
                return Ok(l);
            }
            self.p += 2;
            self.bump()?;
            let r = self.parse_and()?;
            l = Expr::Or(Box::new(l), Box::new(r));
        }
    }

    fn parse_and(&mut self) -> PResult<Expr> {
        let mut l = self.parse_eq()?;
        loop {
            self.ws();
            if !self.starts("&&") {
                return Ok(l);
            }
            self.p += 2;
            self.bump()?;
            let r = self.parse_eq()?;
            l = Expr::And(Box::new(l), Box::new(r));
        }
    }

    fn comparable(e: &Expr, at: usize) -> PResult<()> {
        if matches!(e, Expr::Query(..)) {
            return err(at, "a non-singular query cannot be compared");
        }
        Ok(())
    }

    fn parse_eq(&mut self) -> PResult<Expr> {
        self.ws();
        let lat = self.p;
        let mut l = self.parse_rel()?;
        loop {
            self.ws();
            let at = self.p;
            let (n, op) = if self.starts("===") {
                (3, CmpOp::StrictEq)
            } else if self.starts("!==") {
                (3, CmpOp::StrictNe)
            } else if self.starts("==") {
                (2, CmpOp::LooseEq)
            } else if self.starts("!=") {
                (2, CmpOp::LooseNe)
            } else if self.starts("=>") {
                return err(at, "arrow functions are not supported");
            } else if self.peek() == Some('=') {
                return unsupported(at, "assignment is not supported");
            } else {
                return Ok(l);
            };
            self.p += n;
            self.bump()?;
            Self::comparable(&l, lat)?;
            self.ws();
            let rat = self.p;
            let r = self.parse_rel()?;
            Self::comparable(&r, rat)?;
            l = Expr::Cmp(op, Box::new(l), Box::new(r));
        }
    }

    fn parse_rel(&mut self) -> PResult<Expr> {
        self.ws();
        let lat = self.p;
        let mut l = self.parse_unary()?;
        loop {
            self.ws();
            let (n, op) = if self.starts("<=") {
                (2, CmpOp::Le)
            } else if self.starts(">=") {
                (2, CmpOp::Ge)
            } else if self.starts("<") {
                (1, CmpOp::Lt)
            } else if self.starts(">") {
                (1, CmpOp::Gt)
            } else {
                return Ok(l);
            };
            self.p += n;
            self.bump()?;
            Self::comparable(&l, lat)?;
            self.ws();
            let rat = self.p;
            let r = self.parse_unary()?;
            Self::comparable(&r, rat)?;
            l = Expr::Cmp(op, Box::new(l), Box::new(r));
        }
    }

    fn parse_unary(&mut self) -> PResult<Expr> {
        self.ws();
        self.nest += 1;
        if self.nest > MAX_NEST {
            return err(self.p, "expression nested too deeply");
        }
        let r = if self.peek() == Some('!') && self.peek_at(1) != Some('=') {
            self.p += 1;
            self.parse_unary().map(|e| Expr::Not(Box::new(e)))
        } else if self.keyword("typeof") {
            self.p += 6;
            self.parse_unary().map(|e| Expr::Typeof(Box::new(e)))
        } else if self.keyword("void") {
            self.p += 4;
            self.parse_unary().map(|_| Expr::Void)
        } else {
            self.parse_postfix()
        };
        self.nest -= 1;
        r
    }

    fn parse_args(&mut self) -> PResult<Vec<Expr>> {
        let open = self.p;
        self.p += 1;
        let mut args = Vec::new();
        self.ws();
        if self.peek() == Some(')') {
            self.p += 1;
            return Ok(args);
        }
        loop {
            args.push(self.parse_expr()?);
            self.ws();
            match self.peek() {
                Some(',') => self.p += 1,
                Some(')') => {
                    self.p += 1;
                    return Ok(args);
                }
                None => {
                    return err(
                        self.p,
                        format!("unclosed '(' (opened at column {})", open + 1),
                    );
                }
                Some(c) => return err(self.p, format!("expected ',' or ')' but found '{c}'")),
            }
        }
    }

    fn parse_postfix(&mut self) -> PResult<Expr> {
        let start = self.p;
        let mut e = self.parse_primary()?;
        let mut query: Option<Vec<Seg>> = None;
        loop {
            match self.peek() {
                Some('.') if matches!(self.peek_at(1), Some('.' | '*')) => {
                    let seg = self.parse_dot()?;
                    query.get_or_insert_with(Vec::new).push(seg);
                }
                Some('.') => {
                    let name_at = self.p + 1;
                    self.p += 1;
                    if !self.peek().is_some_and(is_name_char) {
                        return err(self.p, "expected a name after '.'");
                    }
                    let name = self.parse_name();
                    if self.peek() == Some('(') {
                        if query.is_some() {
                            return err(name_at, "cannot call a method on a node list");
                        }
                        e = self.parse_method(e, &name, name_at)?;
                    } else if let Some(q) = &mut query {
                        q.push(Seg::Child(vec![Sel::Name(name)]));
                    } else {
                        e = Expr::Member(Box::new(e), Member::Name(name));
                    }
                }
                Some('[') => {
                    let sels = self.parse_bracket()?;
                    match (&mut query, sels.as_slice()) {
                        (None, [Sel::Name(n)]) => {
                            e = Expr::Member(Box::new(e), Member::Name(n.clone()))
                        }
                        (None, [Sel::Index(i)]) => e = Expr::Member(Box::new(e), Member::Index(*i)),
                        (q, _) => q.get_or_insert_with(Vec::new).push(Seg::Child(sels)),
                    }
                }
                _ => break,
            }
            self.bump()?;
        }
        if let Some(q) = query {
            if !is_node_expr(&e) {
                return err(
                    start,
                    "a query must start at a JSON value ('@', '$', '@parent')",
                );
            }
            e = Expr::Query(Box::new(e), q);
        }
        Ok(e)
    }

    fn parse_method(&mut self, recv: Expr, name: &str, at: usize) -> PResult<Expr> {
        let (m, arity) = match name {
            "includes" => (Method::Includes, 1),
            "match" => (Method::Match, 1),
            "test" => (Method::Test, 1),
            "startsWith" => (Method::StartsWith, 1),
            "endsWith" => (Method::EndsWith, 1),
            "indexOf" => (Method::IndexOf, 1),
            "toLowerCase" => (Method::ToLowerCase, 0),
            "toUpperCase" => (Method::ToUpperCase, 0),
            _ => return unsupported(at, format!("unsupported method '{name}'")),
        };
        let args_at = self.p;
        let mut args = self.parse_args()?;
        if args.len() != arity {
            return err(args_at, format!("{name}() takes {arity} argument(s)"));
        }
        if m == Method::Test && !matches!(recv, Expr::Rx(_)) {
            return err(at, "test() is only supported on a regex literal");
        }
        if args.iter().any(|a| matches!(a, Expr::Query(..))) {
            return err(args_at, "a non-singular query cannot be a method argument");
        }
        if m == Method::Match
            && let Some(Expr::Lit(Lit::Str(s))) = args.first()
        {
            let rx = compile_regex(s, args_at + 1)?;
            args[0] = Expr::Rx(rx);
        }
        Ok(Expr::Call(Box::new(recv), m, args))
    }

    fn parse_func(&mut self, name: &str, at: usize) -> PResult<Expr> {
        let f = match name {
            "length" => Func::Length,
            "count" => Func::Count,
            "match" => Func::Match,
            "search" => Func::Search,
            "value" => Func::Value,
            _ => return unsupported(at, format!("unknown function '{name}'")),
        };
        let args_at = self.p;
        let mut args = self.parse_args()?;
        let arity = if matches!(f, Func::Match | Func::Search) {
            2
        } else {
            1
        };
        if args.len() != arity {
            return err(args_at, format!("{name}() takes {arity} argument(s)"));
        }
        match f {
            Func::Count | Func::Value => {
                if !(is_node_expr(&args[0]) || matches!(args[0], Expr::Query(..))) {
                    return err(args_at + 1, format!("{name}() needs a query argument"));
                }
            }
            _ => {
                if args.iter().any(|a| matches!(a, Expr::Query(..))) {
                    return err(args_at + 1, format!("{name}() needs singular arguments"));
                }
            }
        }
        if matches!(f, Func::Match | Func::Search) {
            let pat = match &args[1] {
                Expr::Lit(Lit::Str(s)) => Some(s.clone()),
                Expr::Rx(r) => Some(r.as_str().to_string()),
                _ => None,
            };
            if let Some(p) = pat {
                let full = if f == Func::Match {
                    format!("^(?:{p})$")
                } else {
                    p
                };
                args[1] = Expr::Rx(compile_regex(&full, args_at + 1)?);
            }
        }
        Ok(Expr::Func(f, args))
    }

    fn parse_number(&mut self) -> PResult<Expr> {
        let at = self.p;
        let mut s = String::new();
        if self.peek() == Some('-') {
            s.push('-');
            self.p += 1;
        }
        let digits = |p: &mut Parser, s: &mut String| {
            while let Some(c) = p.peek().filter(char::is_ascii_digit) {
                s.push(c);
                p.p += 1;
            }
        };
        digits(self, &mut s);
        if self.peek() == Some('.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            s.push('.');
            self.p += 1;
            digits(self, &mut s);
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let save = self.p;
            let mut t = String::from("e");
            self.p += 1;
            if let Some(c @ ('+' | '-')) = self.peek() {
                t.push(c);
                self.p += 1;
            }
            if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                s.push_str(&t);
                digits(self, &mut s);
            } else {
                self.p = save;
            }
        }
        if self.peek().is_some_and(is_ident_char) {
            return err(self.p, "invalid number");
        }
        match s.parse::<f64>() {
            Ok(n) => Ok(Expr::Lit(Lit::Num(n))),
            Err(_) => err(at, "invalid number"),
        }
    }

    fn parse_regex_literal(&mut self) -> PResult<Expr> {
        let open = self.p;
        self.p += 1;
        let mut pat = String::new();
        let mut in_class = false;
        loop {
            match self.peek() {
                None | Some('\n') => return err(open, "unterminated regex literal"),
                Some('\\') => {
                    self.p += 1;
                    match self.peek() {
                        None => return err(open, "unterminated regex literal"),
                        Some('/') => pat.push('/'),
                        Some(c) => {
                            pat.push('\\');
                            pat.push(c);
                        }
                    }
                    self.p += 1;
                }
                Some('/') if !in_class => {
                    self.p += 1;
                    break;
                }
                Some(c) => {
                    if c == '[' {
                        in_class = true;
                    } else if c == ']' {
                        in_class = false;
                    }
                    pat.push(c);
                    self.p += 1;
                }
            }
        }
        let mut flags = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_alphabetic) {
            match c {
                'i' | 'm' | 's' => {
                    if !flags.contains(c) {
                        flags.push(c)
                    }
                }
                'g' | 'u' | 'y' | 'd' => {}
                _ => return err(self.p, format!("unsupported regex flag '{c}'")),
            }
            self.p += 1;
        }
        let full = if flags.is_empty() {
            pat
        } else {
            format!("(?{flags}){pat}")
        };
        Ok(Expr::Rx(compile_regex(&full, open)?))
    }

    fn parse_primary(&mut self) -> PResult<Expr> {
        self.ws();
        let at = self.p;
        match self.peek() {
            None => err(at, "expected an expression"),
            Some('(') => {
                self.p += 1;
                let e = self.parse_expr()?;
                self.ws();
                if self.peek() != Some(')') {
                    return err(
                        self.p,
                        format!("expected ')' to close '(' at column {}", at + 1),
                    );
                }
                self.p += 1;
                Ok(e)
            }
            Some('@') => {
                self.p += 1;
                let mut w = String::new();
                while let Some(c) = self
                    .peek()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                {
                    w.push(c);
                    self.p += 1;
                }
                match w.as_str() {
                    "" => Ok(Expr::Cur),
                    "property" => Ok(Expr::Prop),
                    "parentProperty" => Ok(Expr::ParentProp),
                    "parent" => Ok(Expr::Parent),
                    "root" => Ok(Expr::Root),
                    "path" => Ok(Expr::PathStr),
                    _ => unsupported(at, format!("unsupported '@{w}'")),
                }
            }
            Some('$') => {
                self.p += 1;
                if self.peek().is_some_and(is_ident_char) {
                    return err(at, "unexpected identifier after '$'");
                }
                Ok(Expr::Root)
            }
            Some(q @ ('\'' | '"')) => Ok(Expr::Lit(Lit::Str(self.parse_string(q)?))),
            Some(c)
                if c.is_ascii_digit()
                    || (c == '-' && self.peek_at(1).is_some_and(|d| d.is_ascii_digit())) =>
            {
                self.parse_number()
            }
            Some('/') => self.parse_regex_literal(),
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let mut w = String::new();
                while let Some(c) = self.peek().filter(|c| is_ident_char(*c)) {
                    w.push(c);
                    self.p += 1;
                }
                match w.as_str() {
                    "true" => Ok(Expr::Lit(Lit::Bool(true))),
                    "false" => Ok(Expr::Lit(Lit::Bool(false))),
                    "null" => Ok(Expr::Lit(Lit::Null)),
                    "undefined" => Ok(Expr::Lit(Lit::Undef)),
                    _ if self.peek() == Some('(') => self.parse_func(&w, at),
                    _ => unsupported(at, format!("unsupported identifier '{w}'")),
                }
            }
            Some(c) => err(at, format!("unexpected '{c}'")),
        }
    }
}

// ---------------------------------------------------------------------------
// References

#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.add(u64::from(*b));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type Fx = BuildHasherDefault<FxHasher>;

#[derive(Debug, Clone, Copy)]
enum Key<'v> {
    Name(&'v str),
    Idx(usize),
}

impl Key<'_> {
    fn to_segment(self) -> Segment {
        match self {
            Key::Name(s) => Segment::Key(s.to_string()),
            Key::Idx(i) => Segment::Index(i),
        }
    }
}

struct Target<'v> {
    value: &'v Value,
    loc: Vec<Key<'v>>,
}

fn addr(v: &Value) -> usize {
    v as *const Value as usize
}

/// The `$ref` string of a local reference object.
fn ref_str(v: &Value) -> Option<&str> {
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

struct Env<'v> {
    doc: &'v Value,
    start: &'v Value,
    base: Vec<Segment>,
    follow: bool,
    cache: RefCell<HashMap<&'v str, Option<Rc<Target<'v>>>, Fx>>,
}

impl<'v> Env<'v> {
    /// Resolves a local ref, hopping through refs to refs (at most 32 hops).
    fn resolve(&self, r: &'v str) -> Option<Rc<Target<'v>>> {
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

    fn deref(&self, v: &'v Value) -> &'v Value {
        if !self.follow {
            return v;
        }
        match ref_str(v).and_then(|r| self.resolve(r)) {
            Some(t) => t.value,
            None => v,
        }
    }
}

// ---------------------------------------------------------------------------
// Walk

struct Walker<'w, 'v> {
    env: &'w Env<'v>,
    segs: &'w [Seg],
    loc: Vec<Key<'v>>,
    /// None: the location is `base` + `loc`; Some(f): it is `loc[f..]` (absolute, after a ref).
    floor: Option<usize>,
    chain: Vec<usize>,
    depth: usize,
    memo: HashSet<(usize, usize), Fx>,
    seen: HashSet<(usize, bool), Fx>,
    out: Vec<Node<'v>>,
    /// Collect mode (queries inside filters): values only, no dedupe.
    vals: Option<Vec<&'v Value>>,
    /// For the node just entered: the floor and `loc` length before any ref was followed.
    entered: Option<(Option<usize>, usize)>,
    /// The values entered on the way to the current node (ref targets, not `$ref` objects).
    values: Vec<&'v Value>,
}

fn slice_indices(
    len: usize,
    start: Option<i64>,
    end: Option<i64>,
    step: Option<i64>,
) -> Vec<usize> {
    let len = len as i64;
    let step = step.unwrap_or(1);
    let norm = |i: i64| if i >= 0 { i } else { len.saturating_add(i) };
    let mut out = Vec::new();
    if step > 0 {
        let lower = norm(start.unwrap_or(0)).clamp(0, len);
        let upper = norm(end.unwrap_or(len)).clamp(0, len);
        let mut i = lower;
        while i < upper {
            out.push(i as usize);
            match i.checked_add(step) {
                Some(n) => i = n,
                None => break,
            }
        }
    } else if step < 0 {
        let upper = norm(start.unwrap_or(len - 1)).clamp(-1, len - 1);
        let lower = match end {
            Some(e) => norm(e).clamp(-1, len - 1),
            None => -1,
        };
        let mut i = upper;
        while lower < i {
            out.push(i as usize);
            match i.checked_add(step) {
                Some(n) => i = n,
                None => break,
            }
        }
    }
    out
}

fn norm_index(i: i64, len: usize) -> Option<usize> {
    let len_i = len as i64;
    let n = if i < 0 { len_i.saturating_add(i) } else { i };
    (n >= 0 && n < len_i).then_some(n as usize)
}

impl<'w, 'v> Walker<'w, 'v> {
    fn new(env: &'w Env<'v>, segs: &'w [Seg], depth: usize, vals: Option<Vec<&'v Value>>) -> Self {
        Walker {
            env,
            segs,
            loc: Vec::new(),
            floor: None,
            chain: Vec::new(),
            depth,
            memo: HashSet::default(),
            seen: HashSet::default(),
            out: Vec::new(),
            vals,
            entered: None,
            values: Vec::new(),
        }
    }

    fn start(&mut self, node: &'v Value) {
        self.chain.push(addr(node));
        let mut n = node;
        if self.env.follow
            && let Some(t) = ref_str(node).and_then(|r| self.env.resolve(r))
            && addr(t.value) != addr(node)
        {
            self.floor = Some(self.loc.len());
            self.loc.extend_from_slice(&t.loc);
            self.chain.push(addr(t.value));
            n = t.value;
        }
        self.run(0, n, None);
    }

    fn location_of(&self, floor: Option<usize>, end: usize) -> Vec<Segment> {
        match floor {
            None => self
                .env
                .base
                .iter()
                .cloned()
                .chain(self.loc[..end].iter().map(|k| k.to_segment()))
                .collect(),
            Some(f) => self.loc[f..end].iter().map(|k| k.to_segment()).collect(),
        }
    }

    fn emit(&mut self, node: &'v Value) {
        if let Some(v) = &mut self.vals {
            v.push(node);
            return;
        }
        if !self.seen.insert((addr(node), false)) {
            return;
        }
        let location = self.location_of(self.floor, self.loc.len());
        self.out.push(Node {
            value: Cow::Borrowed(node),
            location,
        });
    }

    fn emit_name(&mut self, node: &'v Value, key: Key<'v>) {
        if self.vals.is_some() || !self.seen.insert((addr(node), true)) {
            return;
        }
        let location = match self.entered {
            Some((floor, end)) => self.location_of(floor, end),
            None => self.location_of(self.floor, self.loc.len()),
        };
        let value = match key {
            Key::Name(s) => Value::String(s.to_string()),
            Key::Idx(i) => Value::from(i),
        };
        self.out.push(Node {
            value: Cow::Owned(value),
            location,
        });
    }

    fn run(&mut self, i: usize, node: &'v Value, key: Option<Key<'v>>) {
        let segs = self.segs;
        let Some(seg) = segs.get(i) else {
            self.emit(node);
            return;
        };
        match seg {
            Seg::Child(sels) => {
                for sel in sels {
                    self.select(i, sel, node, key);
                }
            }
            Seg::Desc(sels) => {
                if self.memo.insert((i, addr(node))) {
                    self.descend(i, sels, node, key);
                }
            }
            Seg::Names => {
                if let Some(k) = key
                    && i + 1 == segs.len()
                {
                    self.emit_name(node, k);
                }
            }
        }
    }

    /// Steps into `child` (following a ref when asked), calls `f` with the value there, and steps back.
    fn enter(
        &mut self,
        child: &'v Value,
        key: Key<'v>,
        desc: Option<usize>,
        f: impl FnOnce(&mut Self, &'v Value),
    ) {
        if self.depth >= MAX_WALK_DEPTH {
            return;
        }
        let chain_len = self.chain.len();
        let saved_floor = self.floor;
        self.loc.push(key);
        let loc_len = self.loc.len();
        self.chain.push(addr(child));
        let mut target = child;
        if self.env.follow
            && let Some(t) = ref_str(child).and_then(|r| self.env.resolve(r))
        {
            let ta = addr(t.value);
            if !self.chain.contains(&ta) {
                if let Some(d) = desc
                    && !self.memo.insert((d, ta))
                {
                    self.loc.truncate(loc_len - 1);
                    self.chain.truncate(chain_len);
                    return;
                }
                self.floor = Some(loc_len);
                self.loc.extend_from_slice(&t.loc);
                self.chain.push(ta);
                target = t.value;
            }
        }
        self.depth += 1;
        self.entered = Some((saved_floor, loc_len));
        self.values.push(target);
        f(self, target);
        self.values.pop();
        self.depth -= 1;
        self.loc.truncate(loc_len - 1);
        self.chain.truncate(chain_len);
        self.floor = saved_floor;
    }

    fn select(&mut self, i: usize, sel: &'w Sel, node: &'v Value, key: Option<Key<'v>>) {
        let next = |w: &mut Self, t: &'v Value, k: Key<'v>| w.run(i + 1, t, Some(k));
        match (sel, node) {
            (Sel::Name(n), Value::Object(m)) => {
                if let Some((k, c)) = m.get_key_value(n.as_str()) {
                    let k = Key::Name(k.as_str());
                    self.enter(c, k, None, |w, t| next(w, t, k));
                }
            }
            (Sel::Name(n), Value::Array(a)) => {
                if let Some(ix) = pac_spec::pointer::index(n)
                    && let Some(c) = a.get(ix)
                {
                    self.enter(c, Key::Idx(ix), None, |w, t| next(w, t, Key::Idx(ix)));
                }
            }
            (Sel::Index(ix), Value::Array(a)) => {
                if let Some(ix) = norm_index(*ix, a.len()) {
                    self.enter(&a[ix], Key::Idx(ix), None, |w, t| next(w, t, Key::Idx(ix)));
                }
            }
            (Sel::Index(ix), Value::Object(m)) => {
                if *ix >= 0
                    && let Some((k, c)) = m.get_key_value(ix.to_string().as_str())
                {
                    let k = Key::Name(k.as_str());
                    self.enter(c, k, None, |w, t| next(w, t, k));
                }
            }
            (Sel::Slice(s, e, st), Value::Array(a)) => {
                for ix in slice_indices(a.len(), *s, *e, *st) {
                    self.enter(&a[ix], Key::Idx(ix), None, |w, t| next(w, t, Key::Idx(ix)));
                }
            }
            (Sel::Wild, Value::Object(m)) => {
                for (k, c) in m {
                    let k = Key::Name(k.as_str());
                    self.enter(c, k, None, |w, t| next(w, t, k));
                }
            }
            (Sel::Wild, Value::Array(a)) => {
                for (ix, c) in a.iter().enumerate() {
                    self.enter(c, Key::Idx(ix), None, |w, t| next(w, t, Key::Idx(ix)));
                }
            }
            (Sel::Filter(e, rfc), Value::Object(m)) => {
                let grand = self.container_parent(node);
                for (k, c) in m {
                    let k = Key::Name(k.as_str());
                    self.enter(c, k, None, |w, t| {
                        if w.test(e, *rfc, t, k, grand, key) {
                            next(w, t, k)
                        }
                    });
                }
            }
            (Sel::Filter(e, rfc), Value::Array(a)) => {
                let grand = self.container_parent(node);
                for (ix, c) in a.iter().enumerate() {
                    let k = Key::Idx(ix);
                    self.enter(c, k, None, |w, t| {
                        if w.test(e, *rfc, t, k, grand, key) {
                            next(w, t, k)
                        }
                    });
                }
            }
            _ => {}
        }
    }

    fn descend(&mut self, i: usize, sels: &'w [Sel], node: &'v Value, key: Option<Key<'v>>) {
        for sel in sels {
            self.select(i, sel, node, key);
        }
        match node {
            Value::Object(m) => {
                for (k, c) in m {
                    if matches!(c, Value::Object(_) | Value::Array(_)) {
                        let k = Key::Name(k.as_str());
                        self.enter(c, k, Some(i), |w, t| w.descend(i, sels, t, Some(k)));
                    }
                }
            }
            Value::Array(a) => {
                for (ix, c) in a.iter().enumerate() {
                    if matches!(c, Value::Object(_) | Value::Array(_)) {
                        let k = Key::Idx(ix);
                        self.enter(c, k, Some(i), |w, t| w.descend(i, sels, t, Some(k)));
                    }
                }
            }
            _ => {}
        }
    }

    /// The parent of `container` on the walk, which is what `@parent` means for the candidates
    /// of a filter on `container` (JSONPath-Plus and nimma, and so Spectral, agree on this).
    fn container_parent(&self, container: &'v Value) -> Option<&'v Value> {
        match self.values.last() {
            Some(top) if std::ptr::eq(*top, container) => {
                let n = self.values.len();
                if n >= 2 {
                    Some(self.values[n - 2])
                } else {
                    Some(self.env.start)
                }
            }
            // The filter runs on the start node itself: it has no parent.
            _ => None,
        }
    }

    fn test(
        &self,
        e: &Expr,
        rfc: bool,
        cur: &'v Value,
        prop: Key<'v>,
        parent: Option<&'v Value>,
        pprop: Option<Key<'v>>,
    ) -> bool {
        let cx = Ctx {
            env: self.env,
            cur,
            prop: Some(prop),
            parent,
            pprop,
            loc: &self.loc,
            floor: self.floor,
            depth: self.depth,
        };
        test(e, &cx, rfc)
    }
}

// ---------------------------------------------------------------------------
// Filter evaluation

struct Ctx<'c, 'v> {
    env: &'c Env<'v>,
    cur: &'v Value,
    prop: Option<Key<'v>>,
    parent: Option<&'v Value>,
    pprop: Option<Key<'v>>,
    loc: &'c [Key<'v>],
    floor: Option<usize>,
    depth: usize,
}

/// A JavaScript-ish runtime value.
#[derive(Debug, Clone)]
enum V<'v> {
    Undef,
    Null,
    Bool(bool),
    Num(f64),
    Str(Cow<'v, str>),
    /// An array or object of the document.
    Json(&'v Value),
    /// A constructor (`x.constructor`), by name.
    Ctor(&'static str),
    /// A regex literal used as a value.
    RxObj,
    Nodes(Vec<&'v Value>),
}

fn from_json(v: &Value) -> V<'_> {
    match v {
        Value::Null => V::Null,
        Value::Bool(b) => V::Bool(*b),
        Value::Number(n) => V::Num(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => V::Str(Cow::Borrowed(s.as_str())),
        _ => V::Json(v),
    }
}

fn key_v(k: Option<Key<'_>>) -> V<'_> {
    match k {
        Some(Key::Name(s)) => V::Str(Cow::Borrowed(s)),
        Some(Key::Idx(i)) => V::Num(i as f64),
        None => V::Undef,
    }
}

fn lit_v(l: &Lit) -> V<'_> {
    match l {
        Lit::Undef => V::Undef,
        Lit::Null => V::Null,
        Lit::Bool(b) => V::Bool(*b),
        Lit::Num(n) => V::Num(*n),
        Lit::Str(s) => V::Str(Cow::Borrowed(s.as_str())),
    }
}

fn truthy(v: &V) -> bool {
    match v {
        V::Undef | V::Null => false,
        V::Bool(b) => *b,
        V::Num(n) => *n != 0.0 && !n.is_nan(),
        V::Str(s) => !s.is_empty(),
        V::Json(_) | V::Ctor(_) | V::RxObj => true,
        V::Nodes(n) => !n.is_empty(),
    }
}

fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            if let (Some(x), Some(y)) = (x.as_i64(), y.as_i64()) {
                x == y
            } else if let (Some(x), Some(y)) = (x.as_u64(), y.as_u64()) {
                x == y
            } else {
                x.as_f64() == y.as_f64()
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn strict_eq(a: &V, b: &V) -> bool {
    match (a, b) {
        (V::Undef, V::Undef) | (V::Null, V::Null) | (V::RxObj, V::RxObj) => true,
        (V::Bool(x), V::Bool(y)) => x == y,
        (V::Num(x), V::Num(y)) => x == y,
        (V::Str(x), V::Str(y)) => x == y,
        (V::Json(x), V::Json(y)) => std::ptr::eq(*x, *y) || json_eq(x, y),
        (V::Ctor(x), V::Ctor(y)) => x == y,
        _ => false,
    }
}

fn less(a: &V, b: &V) -> bool {
    match (a, b) {
        (V::Num(x), V::Num(y)) => x < y,
        (V::Str(x), V::Str(y)) => x < y,
        _ => false,
    }
}

fn compare(op: CmpOp, a: &V, b: &V) -> bool {
    let nullish = |v: &V| matches!(v, V::Undef | V::Null);
    match op {
        CmpOp::StrictEq => strict_eq(a, b),
        CmpOp::StrictNe => !strict_eq(a, b),
        CmpOp::LooseEq => strict_eq(a, b) || (nullish(a) && nullish(b)),
        CmpOp::LooseNe => !(strict_eq(a, b) || (nullish(a) && nullish(b))),
        CmpOp::Lt => less(a, b),
        CmpOp::Gt => less(b, a),
        CmpOp::Le => less(a, b) || strict_eq(a, b),
        CmpOp::Ge => less(b, a) || strict_eq(a, b),
    }
}

/// JavaScript `String(x)`.
fn js_string<'x>(v: &V<'x>) -> Cow<'x, str> {
    match v {
        V::Undef => Cow::Borrowed("undefined"),
        V::Null => Cow::Borrowed("null"),
        V::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        V::Num(n) => Cow::Owned(js_num(*n)),
        V::Str(s) => s.clone(),
        V::Json(Value::Array(_)) => Cow::Borrowed(""),
        V::Json(_) => Cow::Borrowed("[object Object]"),
        V::Ctor(n) => Cow::Owned(format!("function {n}() {{ [native code] }}")),
        V::RxObj => Cow::Borrowed("/regex/"),
        V::Nodes(_) => Cow::Borrowed(""),
    }
}

fn js_num(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        }
    } else if n == n.trunc() && n.abs() < 1e21 {
        format!("{}", n as i128)
    } else {
        format!("{n}")
    }
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

fn type_name(v: &V) -> &'static str {
    match v {
        V::Undef => "undefined",
        V::Bool(_) => "boolean",
        V::Num(_) => "number",
        V::Str(_) => "string",
        V::Ctor(_) => "function",
        V::Null | V::Json(_) | V::RxObj | V::Nodes(_) => "object",
    }
}

/// A filter test (truthiness, or RFC existence for bare queries when `rfc`).
fn test(e: &Expr, cx: &Ctx<'_, '_>, rfc: bool) -> bool {
    match e {
        Expr::Not(x) => !test(x, cx, rfc),
        Expr::And(a, b) => test(a, cx, rfc) && test(b, cx, rfc),
        Expr::Or(a, b) => test(a, cx, rfc) || test(b, cx, rfc),
        _ if rfc && is_node_expr(e) => !matches!(eval(e, cx), V::Undef),
        _ => truthy(&eval(e, cx)),
    }
}

/// The JSON node an `is_node_expr` expression denotes.
fn eval_node<'v>(e: &Expr, cx: &Ctx<'_, 'v>) -> Option<&'v Value> {
    match e {
        Expr::Cur => Some(cx.cur),
        Expr::Root => Some(cx.env.start),
        Expr::Parent => cx.parent,
        Expr::Member(b, m) => {
            let base = eval_node(b, cx)?;
            let v = match (base, m) {
                (Value::Object(o), Member::Name(n)) => o.get(n.as_str()),
                (Value::Object(o), Member::Index(i)) if *i >= 0 => o.get(&i.to_string()),
                (Value::Array(a), Member::Name(n)) => {
                    pac_spec::pointer::index(n).and_then(|i| a.get(i))
                }
                (Value::Array(a), Member::Index(i)) => norm_index(*i, a.len()).map(|i| &a[i]),
                _ => None,
            }?;
            Some(cx.env.deref(v))
        }
        _ => None,
    }
}

fn member<'v>(base: V<'v>, m: &Member, env: &Env<'v>) -> V<'v> {
    match (base, m) {
        (V::Json(Value::Object(o)), Member::Name(n)) => match o.get(n.as_str()) {
            Some(c) => from_json(env.deref(c)),
            None if n == "constructor" => V::Ctor("Object"),
            None => V::Undef,
        },
        (V::Json(Value::Object(o)), Member::Index(i)) if *i >= 0 => match o.get(&i.to_string()) {
            Some(c) => from_json(env.deref(c)),
            None => V::Undef,
        },
        (V::Json(Value::Array(a)), Member::Name(n)) => match n.as_str() {
            "length" => V::Num(a.len() as f64),
            "constructor" => V::Ctor("Array"),
            _ => match pac_spec::pointer::index(n).and_then(|i| a.get(i)) {
                Some(c) => from_json(env.deref(c)),
                None => V::Undef,
            },
        },
        (V::Json(Value::Array(a)), Member::Index(i)) => match norm_index(*i, a.len()) {
            Some(i) => from_json(env.deref(&a[i])),
            None => V::Undef,
        },
        (V::Str(s), Member::Name(n)) => match n.as_str() {
            "length" => V::Num(utf16_len(&s) as f64),
            "constructor" => V::Ctor("String"),
            _ => V::Undef,
        },
        (V::Num(_), Member::Name(n)) if n == "constructor" => V::Ctor("Number"),
        (V::Bool(_), Member::Name(n)) if n == "constructor" => V::Ctor("Boolean"),
        (V::Ctor(c), Member::Name(n)) if n == "name" => V::Str(Cow::Borrowed(c)),
        _ => V::Undef,
    }
}

/// Evaluates `e`, borrowing string literals from the expression.
fn eval_borrow<'x, 'v: 'x>(e: &'x Expr, cx: &Ctx<'_, 'v>) -> V<'x> {
    match e {
        Expr::Lit(l) => lit_v(l),
        _ => eval(e, cx),
    }
}

fn owned(v: V<'_>) -> V<'static> {
    match v {
        V::Undef => V::Undef,
        V::Null => V::Null,
        V::Bool(b) => V::Bool(b),
        V::Num(n) => V::Num(n),
        V::Str(s) => V::Str(Cow::Owned(s.into_owned())),
        V::Ctor(c) => V::Ctor(c),
        // Literals are never arrays, objects or node lists.
        V::Json(_) | V::RxObj | V::Nodes(_) => V::RxObj,
    }
}

fn regex_arg<'r>(e: &'r Expr, cx: &Ctx<'_, '_>, anchored: bool) -> Option<Cow<'r, Regex>> {
    match e {
        Expr::Rx(r) => Some(Cow::Borrowed(r)),
        _ => {
            let v = eval(e, cx);
            let V::Str(s) = v else { return None };
            let p = if anchored {
                format!("^(?:{s})$")
            } else {
                s.into_owned()
            };
            Regex::new(&p).ok().map(Cow::Owned)
        }
    }
}

fn eval<'v>(e: &Expr, cx: &Ctx<'_, 'v>) -> V<'v> {
    match e {
        Expr::Lit(l) => owned(lit_v(l)),
        Expr::Rx(_) => V::RxObj,
        Expr::Cur => from_json(cx.cur),
        Expr::Root => from_json(cx.env.start),
        Expr::Parent => cx.parent.map_or(V::Undef, from_json),
        Expr::Prop => key_v(cx.prop),
        Expr::ParentProp => key_v(cx.pprop),
        Expr::PathStr => V::Str(Cow::Owned(path_string(cx))),
        Expr::Member(b, m) => member(eval(b, cx), m, cx.env),
        Expr::Query(b, segs) => match eval_node(b, cx) {
            Some(start) => {
                let mut w = Walker::new(cx.env, segs, cx.depth, Some(Vec::new()));
                w.floor = Some(0);
                w.chain.push(addr(start));
                w.run(0, start, None);
                V::Nodes(w.vals.unwrap_or_default())
            }
            None => V::Nodes(Vec::new()),
        },
        Expr::Not(x) => V::Bool(!truthy(&eval(x, cx))),
        Expr::Typeof(x) => V::Str(Cow::Borrowed(type_name(&eval(x, cx)))),
        Expr::Void => V::Undef,
        Expr::And(a, b) => {
            let va = eval(a, cx);
            if truthy(&va) { eval(b, cx) } else { va }
        }
        Expr::Or(a, b) => {
            let va = eval(a, cx);
            if truthy(&va) { va } else { eval(b, cx) }
        }
        Expr::Cmp(op, a, b) => {
            let va = eval_borrow(a, cx);
            let vb = eval_borrow(b, cx);
            V::Bool(compare(*op, &va, &vb))
        }
        Expr::Func(f, args) => eval_func(*f, args, cx),
        Expr::Call(recv, m, args) => eval_call(recv, *m, args, cx),
    }
}

fn eval_func<'v>(f: Func, args: &[Expr], cx: &Ctx<'_, 'v>) -> V<'v> {
    match f {
        Func::Length => match eval(&args[0], cx) {
            V::Str(s) => V::Num(s.chars().count() as f64),
            V::Json(Value::Array(a)) => V::Num(a.len() as f64),
            V::Json(Value::Object(o)) => V::Num(o.len() as f64),
            _ => V::Undef,
        },
        Func::Count => match eval(&args[0], cx) {
            V::Nodes(n) => V::Num(n.len() as f64),
            V::Undef => V::Num(0.0),
            _ => V::Num(1.0),
        },
        Func::Value => match eval(&args[0], cx) {
            V::Nodes(n) if n.len() == 1 => from_json(n[0]),
            V::Nodes(_) => V::Undef,
            v => v,
        },
        Func::Match | Func::Search => {
            let s = eval(&args[0], cx);
            let V::Str(s) = s else {
                return V::Bool(false);
            };
            match regex_arg(&args[1], cx, f == Func::Match) {
                Some(r) => V::Bool(r.is_match(&s)),
                None => V::Bool(false),
            }
        }
    }
}

fn eval_call<'v>(recv: &Expr, m: Method, args: &[Expr], cx: &Ctx<'_, 'v>) -> V<'v> {
    if m == Method::Test {
        let Expr::Rx(r) = recv else { return V::Undef };
        let arg = eval_borrow(&args[0], cx);
        return V::Bool(r.is_match(&js_string(&arg)));
    }
    let base = eval(recv, cx);
    match (m, base) {
        (Method::Match, V::Str(s)) => {
            let Some(r) = regex_arg(&args[0], cx, false) else {
                return V::Null;
            };
            let Some(range) = r.find(&s).map(|f| f.range()) else {
                return V::Null;
            };
            match s {
                Cow::Borrowed(b) => V::Str(Cow::Borrowed(&b[range])),
                Cow::Owned(o) => V::Str(Cow::Owned(o[range].to_string())),
            }
        }
        (Method::Includes, V::Json(Value::Array(a))) => {
            let x = eval_borrow(&args[0], cx);
            V::Bool(a.iter().any(|item| strict_eq(&from_json(item), &x)))
        }
        (Method::IndexOf, V::Json(Value::Array(a))) => {
            let x = eval_borrow(&args[0], cx);
            match a.iter().position(|item| strict_eq(&from_json(item), &x)) {
                Some(p) => V::Num(p as f64),
                None => V::Num(-1.0),
            }
        }
        (Method::Includes | Method::StartsWith | Method::EndsWith | Method::IndexOf, V::Str(s)) => {
            let x = eval_borrow(&args[0], cx);
            let needle = js_string(&x);
            match m {
                Method::Includes => V::Bool(s.contains(needle.as_ref())),
                Method::StartsWith => V::Bool(s.starts_with(needle.as_ref())),
                Method::EndsWith => V::Bool(s.ends_with(needle.as_ref())),
                _ => match s.find(needle.as_ref()) {
                    Some(b) => V::Num(utf16_len(&s[..b]) as f64),
                    None => V::Num(-1.0),
                },
            }
        }
        (Method::ToLowerCase, V::Str(s)) => V::Str(Cow::Owned(s.to_lowercase())),
        (Method::ToUpperCase, V::Str(s)) => V::Str(Cow::Owned(s.to_uppercase())),
        _ => V::Undef,
    }
}

fn path_string(cx: &Ctx<'_, '_>) -> String {
    let mut s = String::from("$");
    let push_key = |s: &mut String, k: &str| {
        s.push_str("['");
        for ch in k.chars() {
            match ch {
                '\'' => s.push_str("\\'"),
                '\\' => s.push_str("\\\\"),
                c => s.push(c),
            }
        }
        s.push_str("']");
    };
    let keys: &[Key] = match cx.floor {
        None => {
            for seg in &cx.env.base {
                match seg {
                    Segment::Key(k) => push_key(&mut s, k),
                    Segment::Index(i) => {
                        let _ = write!(s, "[{i}]");
                    }
                }
            }
            cx.loc
        }
        Some(f) => &cx.loc[f.min(cx.loc.len())..],
    };
    for k in keys {
        match k {
            Key::Name(n) => push_key(&mut s, n),
            Key::Idx(i) => {
                let _ = write!(s, "[{i}]");
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sel(path: &str, doc: &Value, refs: Refs) -> Vec<String> {
        JsonPath::parse(path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .select(doc, refs)
            .iter()
            .map(|n| pointer(&n.location))
            .collect()
    }

    fn vals(path: &str, doc: &Value, refs: Refs) -> Vec<Value> {
        JsonPath::parse(path)
            .unwrap()
            .select(doc, refs)
            .into_iter()
            .map(|n| n.value.into_owned())
            .collect()
    }

    fn both(path: &str, doc: &Value) -> Vec<String> {
        let k = sel(path, doc, Refs::Keep);
        assert_eq!(k, sel(path, doc, Refs::Follow), "{path}");
        k
    }

    fn oas() -> Value {
        json!({
            "openapi": "3.0.0",
            "servers": [{"url": "https://x"}],
            "paths": {
                "/pets": {
                    "get": {
                        "responses": {"200": {"$ref": "#/components/responses/Ok"}},
                        "security": [{"a": []}]
                    },
                    "post": {"deprecated": true, "responses": {"201": {"description": "made"}}},
                    "parameters": [{"$ref": "#/components/parameters/Id"}]
                },
                "/pets/{id}": {"$ref": "#/components/pathItems/PetById"}
            },
            "components": {
                "responses": {
                    "Ok": {
                        "description": "ok",
                        "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Pet"},
                            "examples": {"one": {"value": 1}}
                        }}
                    }
                },
                "parameters": {"Id": {"name": "id", "in": "path"}},
                "pathItems": {"PetById": {"get": {"responses": {"404": {"description": "none"}}}}},
                "schemas": {
                    "Pet": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string", "enum": ["a"]},
                            "owner": {"$ref": "#/components/schemas/Person"},
                            "bornAt": {"type": "string"},
                            "tags": {"type": "array", "items": {"type": "string"}}
                        }
                    },
                    "Person": {
                        "type": "object",
                        "properties": {
                            "pet": {"$ref": "#/components/schemas/Pet"},
                            "self": {"$ref": "#/components/schemas/Person"}
                        }
                    },
                    "Missing": {"$ref": "#/components/schemas/Nope"},
                    "Sibling": {"$ref": "#/components/schemas/Pet", "description": "sibling"},
                    "Self": {"$ref": "#/components/schemas/Self"}
                }
            }
        })
    }

    const OP: &str = "$.paths[*][get,put,post,delete,options,head,patch,trace]";

    #[test]
    fn operations() {
        let d = oas();
        assert_eq!(
            sel(OP, &d, Refs::Keep),
            ["/paths/~1pets/get", "/paths/~1pets/post"]
        );
        assert_eq!(
            sel(OP, &d, Refs::Follow),
            [
                "/paths/~1pets/get",
                "/paths/~1pets/post",
                "/components/pathItems/PetById/get"
            ]
        );
        let r = format!("{OP}.responses[*]");
        assert_eq!(
            sel(&r, &d, Refs::Keep),
            [
                "/paths/~1pets/get/responses/200",
                "/paths/~1pets/post/responses/201"
            ]
        );
        assert_eq!(
            sel(&r, &d, Refs::Follow),
            [
                "/components/responses/Ok",
                "/paths/~1pets/post/responses/201",
                "/components/pathItems/PetById/get/responses/404"
            ]
        );
        assert_eq!(
            vals(&r, &d, Refs::Keep)[0],
            json!({"$ref": "#/components/responses/Ok"})
        );
        assert_eq!(vals(&r, &d, Refs::Follow)[0]["description"], json!("ok"));
        assert_eq!(
            both(&format!("{OP}.security[*]"), &d),
            ["/paths/~1pets/get/security/0"]
        );
        assert_eq!(
            sel("$.paths[*][*]..content[*].examples[*]", &d, Refs::Keep),
            Vec::<String>::new()
        );
    }

    #[test]
    fn examples_through_refs() {
        let d = oas();
        // Reached only through the $ref of a response.
        assert_eq!(
            sel("$.paths[*][*]..content[*].examples[*]", &d, Refs::Follow),
            ["/components/responses/Ok/content/application~1json/examples/one"]
        );
        assert_eq!(
            sel(
                "$.paths[*][*].responses..content[*].examples[*]",
                &d,
                Refs::Follow
            ),
            ["/components/responses/Ok/content/application~1json/examples/one"]
        );
        assert_eq!(
            sel(
                "$..content..[?(@ && @.schema && (@.example !== void 0 || @.examples))]",
                &d,
                Refs::Keep
            ),
            ["/components/responses/Ok/content/application~1json"]
        );
    }

    #[test]
    fn type_filters() {
        let d = oas();
        let tags = ["/components/schemas/Pet/properties/tags"];
        assert_eq!(both("$..[?(@ && @.type==\"array\")]", &d), tags);
        let d2 = json!({"a": {"type": ["array", "null"]}, "b": {"type": "array"}, "c": {"type": ["string"]}});
        assert_eq!(
            both(
                "$..[?(@ && @.type && @.type.constructor.name === \"Array\" && @.type.includes(\"array\"))]",
                &d2
            ),
            ["/a"]
        );
        assert_eq!(
            both("$..[?(@ && @.enum && @.type)]", &d),
            ["/components/schemas/Pet/properties/name"]
        );
        let d3 = json!({"properties": {"enum": {"enum": [1]}}, "x": {"enum": [1, 2]}, "y": {"enum": "no"}, "z": null});
        assert_eq!(
            both(
                "$..[?(@property !== 'properties' && @ != null && @.enum && @.enum.constructor.name === 'Array')]",
                &d3
            ),
            ["/x", "/properties/enum"]
        );
    }

    #[test]
    fn descriptions_and_sibling() {
        let d = oas();
        assert_eq!(
            sel("$..[description,title]", &d, Refs::Keep),
            [
                "/paths/~1pets/post/responses/201/description",
                "/components/responses/Ok/description",
                "/components/pathItems/PetById/get/responses/404/description",
                "/components/schemas/Sibling/description"
            ]
        );
        // With refs followed, the $ref siblings are not seen.
        assert_eq!(
            sel("$..[description,title]", &d, Refs::Follow),
            [
                "/components/responses/Ok/description",
                "/paths/~1pets/post/responses/201/description",
                "/components/pathItems/PetById/get/responses/404/description"
            ]
        );
        assert_eq!(
            vals("$..[description,title]", &d, Refs::Keep),
            [json!("made"), json!("ok"), json!("none"), json!("sibling")]
        );
        assert_eq!(
            sel("$.components.schemas.Sibling", &d, Refs::Follow),
            ["/components/schemas/Pet"]
        );
    }

    #[test]
    fn ref_members() {
        let d = oas();
        assert_eq!(
            sel("$..[?(@property === '$ref')]", &d, Refs::Keep),
            [
                "/paths/~1pets/get/responses/200/$ref",
                "/paths/~1pets/parameters/0/$ref",
                "/paths/~1pets~1{id}/$ref",
                "/components/responses/Ok/content/application~1json/schema/$ref",
                "/components/schemas/Pet/properties/owner/$ref",
                "/components/schemas/Person/properties/pet/$ref",
                "/components/schemas/Person/properties/self/$ref",
                "/components/schemas/Missing/$ref",
                "/components/schemas/Sibling/$ref",
                "/components/schemas/Self/$ref"
            ]
        );
        // Followed: only refs on a cycle, unresolvable ones and self-references remain.
        assert_eq!(
            sel("$..[?(@property === '$ref')]", &d, Refs::Follow),
            [
                "/components/schemas/Person/properties/pet/$ref",
                "/components/schemas/Person/properties/self/$ref",
                "/components/schemas/Missing/$ref",
                "/components/schemas/Self/$ref"
            ]
        );
        assert_eq!(
            vals("$..[?(@property === '$ref')]", &d, Refs::Follow)[2],
            json!("#/components/schemas/Nope")
        );
        assert_eq!(
            sel("$..['$ref']", &d, Refs::Keep),
            sel("$..$ref", &d, Refs::Keep)
        );
        assert_eq!(sel("$..$ref", &d, Refs::Keep).len(), 10);
    }

    #[test]
    fn cycles_and_missing() {
        let d = oas();
        let p = "$.components.schemas.Person.properties.self";
        assert_eq!(
            sel(p, &d, Refs::Follow),
            ["/components/schemas/Person/properties/self"]
        );
        assert_eq!(
            vals(p, &d, Refs::Follow),
            [json!({"$ref": "#/components/schemas/Person"})]
        );
        let p = "$.components.schemas.Person.properties.pet.properties.owner";
        assert_eq!(sel(p, &d, Refs::Keep), Vec::<String>::new());
        assert_eq!(
            sel(p, &d, Refs::Follow),
            ["/components/schemas/Pet/properties/owner"]
        );
        let p = "$.components.schemas.Person.properties.pet.properties.owner.properties.self";
        assert_eq!(sel(p, &d, Refs::Follow), Vec::<String>::new());
        assert_eq!(
            both("$.components.schemas.Missing", &d),
            ["/components/schemas/Missing"]
        );
        assert_eq!(
            both("$.components.schemas.Self", &d),
            ["/components/schemas/Self"]
        );
        // A whole-document descendant walk terminates and dedupes.
        let all = sel("$..*", &d, Refs::Follow);
        let set: HashSet<_> = all.iter().collect();
        assert_eq!(set.len(), all.len());
        let keep = sel("$..*", &d, Refs::Keep);
        assert!(keep.len() > all.len());
    }

    #[test]
    fn ref_hops_and_root_ref() {
        let d = json!({
            "a": {"$ref": "#/b"},
            "b": {"$ref": "#/c"},
            "c": {"x": 1},
            "loop1": {"$ref": "#/loop2"},
            "loop2": {"$ref": "#/loop1"},
            "enc": {"$ref": "#/d~1e/f%20g"},
            "d/e": {"f g": [10, 20]},
            "idx": {"$ref": "#/d~1e/f%20g/1"}
        });
        assert_eq!(sel("$.a.x", &d, Refs::Follow), ["/c/x"]);
        assert_eq!(sel("$.a.x", &d, Refs::Keep), Vec::<String>::new());
        assert_eq!(sel("$.loop1", &d, Refs::Follow), ["/loop1"]);
        assert_eq!(sel("$.enc[1]", &d, Refs::Follow), ["/d~1e/f g/1"]);
        assert_eq!(vals("$.idx", &d, Refs::Follow), [json!(20)]);
        // `$` itself is a ref.
        let start = &d["a"];
        let p = JsonPath::parse("$.x").unwrap();
        let got = p.select_from(&d, start, &[Segment::Key("a".into())], Refs::Follow);
        assert_eq!(got.len(), 1);
        assert_eq!(pointer(&got[0].location), "/c/x");
        let got = p.select_from(&d, &d["c"], &[Segment::Key("c".into())], Refs::Keep);
        assert_eq!(pointer(&got[0].location), "/c/x");
        assert_eq!(*got[0].value, json!(1));
        let got = JsonPath::parse("$").unwrap().select_from(
            &d,
            start,
            &[Segment::Key("a".into())],
            Refs::Keep,
        );
        assert_eq!(pointer(&got[0].location), "/a");
    }

    #[test]
    fn dense_refs_are_linear() {
        // Each schema references all previous ones: without memoisation a descendant
        // walk with refs followed would be exponential.
        let mut schemas = serde_json::Map::new();
        for i in 0..200 {
            let props: serde_json::Map<String, Value> = (0..i)
                .map(|j| (format!("p{j}"), json!({"$ref": format!("#/s/S{j}")})))
                .collect();
            schemas.insert(
                format!("S{i}"),
                json!({"type": "object", "properties": props}),
            );
        }
        let d = json!({"s": schemas});
        let t = std::time::Instant::now();
        let n = sel("$..[?(@ && @.type)]", &d, Refs::Follow).len();
        assert_eq!(n, 200);
        assert!(t.elapsed().as_secs() < 5);
        assert_eq!(
            sel("$..[?(@property === '$ref')]", &d, Refs::Follow).len(),
            0
        );
        assert_eq!(
            sel("$..[?(@property === '$ref')]", &d, Refs::Keep).len(),
            199 * 100
        );
    }

    #[test]
    fn deep_chains_do_not_overflow() {
        // A chain of 2000 refs, each target holding the next ref one level down.
        let mut m = serde_json::Map::new();
        for i in 0..2000 {
            m.insert(
                format!("n{i}"),
                json!({"next": {"$ref": format!("#/n{}", i + 1)}, "v": i}),
            );
        }
        let d = Value::Object(m);
        let n = sel("$..v", &d, Refs::Follow).len();
        assert_eq!(n, 2000);
        let n = sel("$.n0..[?(@ && @.next)]", &d, Refs::Follow).len();
        assert!(n > 200 && n < 2000, "{n}");
        // Deeply nested expression input is rejected, not overflowed.
        let deep = format!("$[?({}@{})]", "(".repeat(5000), ")".repeat(5000));
        assert!(JsonPath::parse(&deep).is_err());
        let bangs = format!("$[?({}@)]", "!".repeat(5000));
        assert!(JsonPath::parse(&bangs).is_err());
        let chain = format!("$[?(@{})]", ".a".repeat(5000));
        assert!(JsonPath::parse(&chain).is_err());
        let ands = format!("$[?(@{})]", " && @".repeat(5000));
        assert!(JsonPath::parse(&ands).is_err());
    }

    #[test]
    fn names_and_property_filters() {
        let d = oas();
        assert_eq!(
            both("$.paths.*~", &d),
            ["/paths/~1pets", "/paths/~1pets~1{id}"]
        );
        assert_eq!(
            vals("$.paths.*~", &d, Refs::Follow),
            [json!("/pets"), json!("/pets/{id}")]
        );
        assert_eq!(vals("$.servers[*]~", &d, Refs::Keep), [json!(0)]);
        assert_eq!(
            sel("$.paths[?(@property.match(/\\}$/))]", &d, Refs::Keep),
            ["/paths/~1pets~1{id}"]
        );
        assert_eq!(
            sel("$.paths[?(@property.match(/\\}$/))]", &d, Refs::Follow),
            ["/components/pathItems/PetById"]
        );
        assert_eq!(
            both("$.paths[*][?(@.deprecated == true)]", &d),
            ["/paths/~1pets/post"]
        );
        assert_eq!(
            both("$..properties[?(@property.match(/(Date|date|At)$/i))]", &d),
            ["/components/schemas/Pet/properties/bornAt"]
        );
        assert_eq!(both("$.servers[*].url", &d), ["/servers/0/url"]);
        assert_eq!(
            vals("$.servers[*].url", &d, Refs::Keep),
            [json!("https://x")]
        );
        assert_eq!(
            both("$..parameters[?(@ && @.in)]", &d),
            ["/components/parameters/Id"]
        );
        assert_eq!(
            sel("$.paths..parameters[?(@ && @.in)]", &d, Refs::Keep),
            Vec::<String>::new()
        );
        assert_eq!(
            sel("$.paths..parameters[?(@ && @.in)]", &d, Refs::Follow),
            ["/components/parameters/Id"]
        );
        // `@parent` of a filter's candidates is the parent of the filtered object, as in
        // JSONPath-Plus and nimma: here `components`, not `components.parameters`.
        assert_eq!(
            both(
                "$.components[?(@property === 'parameters')][?(@parentProperty === 'parameters' && @parent.parameters.Id.in === 'path')]",
                &d
            ),
            ["/components/parameters/Id"]
        );
        assert_eq!(
            sel("$.paths[?(@parent.openapi)]", &d, Refs::Keep),
            ["/paths/~1pets", "/paths/~1pets~1{id}"]
        );
        assert_eq!(both("$[?(@parent)]", &d), Vec::<String>::new());
        assert_eq!(
            sel(
                "$.paths[?(@path === \"$['paths']['/pets']\")]",
                &d,
                Refs::Keep
            ),
            ["/paths/~1pets"]
        );
        assert_eq!(
            sel(
                "$.servers[?(@property === 0 && typeof @property === 'number')]",
                &d,
                Refs::Keep
            ),
            ["/servers/0"]
        );
        assert_eq!(
            sel("$.paths[?(/^\\/pets$/.test(@property))]", &d, Refs::Keep),
            ["/paths/~1pets"]
        );
        assert_eq!(
            sel(
                "$.components.schemas[?(@root.openapi.startsWith('3.') && @property.endsWith('et'))]",
                &d,
                Refs::Keep
            ),
            ["/components/schemas/Pet"]
        );
    }

    #[test]
    fn spectral_oas2_style() {
        let d = json!({
            "swagger": "2.0",
            "definitions": {
                "A": {"discriminator": "kind", "type": "object", "properties": {
                    "kind": {"type": "string", "example": "x"},
                    "n": {"type": "integer", "x-example": 3},
                    "properties": {"example": 1, "type": "string"},
                    "free": {"example": 2}
                }},
                "B": {"type": "string", "enum": ["x"], "default": "x"}
            },
            "responses": {"R": {"schema": {"type": "string"}, "examples": {"a": 1}}},
            "xmlish": {"xml": {"name": "n"}},
            "anyOf": [1],
            "webhooks": {"w": {"post": {"servers": []}}}
        });
        assert_eq!(
            both("$.definitions[?(@ && @.discriminator)]", &d),
            ["/definitions/A"]
        );
        assert_eq!(
            both(
                "$..definitions..[?(@property !== 'properties' && @ && (@.example !== void 0 || @['x-example'] !== void 0 || @.default !== void 0) && (@.enum || @.type || @.format || @.$ref || @.properties || @.items))]",
                &d
            ),
            [
                "/definitions/B",
                "/definitions/A/properties/kind",
                "/definitions/A/properties/n"
            ]
        );
        assert_eq!(
            both("$..responses..[?(@ && @.schema && @.examples)]", &d),
            ["/responses/R"]
        );
        assert_eq!(both("$..[?(@ && @.xml)].xml", &d), ["/xmlish/xml"]);
        assert_eq!(both("$..anyOf", &d), ["/anyOf"]);
        assert_eq!(
            both("$.webhooks[*][*].servers", &d),
            ["/webhooks/w/post/servers"]
        );
    }

    fn store() -> Value {
        json!({
            "store": {
                "book": [
                    {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
                    {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
                    {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
                    {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
                ],
                "bicycle": {"color": "red", "price": 399}
            },
            "expensive": 10
        })
    }

    #[test]
    fn rfc_examples() {
        let d = store();
        assert_eq!(
            vals("$.store.book[?@.price < 10].title", &d, Refs::Keep),
            [json!("Sayings of the Century"), json!("Moby Dick")]
        );
        assert_eq!(
            both("$..book[?length(@.isbn) > 0]", &d),
            ["/store/book/2", "/store/book/3"]
        );
        let n = json!([{"name": "abc"}, {"name": "bab"}, {"name": "a"}, {"name": 1}]);
        assert_eq!(both("$[?match(@.name, 'a.*')]", &n), ["/0", "/2"]);
        assert_eq!(both("$[?search(@.name, 'b')]", &n), ["/0", "/1"]);
        assert_eq!(both("$.store.book[*].author", &d).len(), 4);
        assert_eq!(both("$..author", &d).len(), 4);
        assert_eq!(both("$.store.*", &d), ["/store/book", "/store/bicycle"]);
        assert_eq!(both("$.store..price", &d).len(), 5);
        assert_eq!(both("$..book[2]", &d), ["/store/book/2"]);
        assert_eq!(both("$..book[-1]", &d), ["/store/book/3"]);
        assert_eq!(both("$..book[0,1]", &d), ["/store/book/0", "/store/book/1"]);
        assert_eq!(both("$..book[:2]", &d), ["/store/book/0", "/store/book/1"]);
        assert_eq!(both("$..book[1:3]", &d), ["/store/book/1", "/store/book/2"]);
        assert_eq!(both("$..book[::2]", &d), ["/store/book/0", "/store/book/2"]);
        assert_eq!(
            both("$..book[::-1]", &d),
            [
                "/store/book/3",
                "/store/book/2",
                "/store/book/1",
                "/store/book/0"
            ]
        );
        assert_eq!(both("$..book[-2:]", &d), ["/store/book/2", "/store/book/3"]);
        assert_eq!(
            both("$..book[?@.isbn]", &d),
            ["/store/book/2", "/store/book/3"]
        );
        assert_eq!(
            both("$..book[?(@.isbn)]", &d),
            ["/store/book/2", "/store/book/3"]
        );
        assert_eq!(
            both("$..book[?@.price<10]", &d),
            ["/store/book/0", "/store/book/2"]
        );
        assert_eq!(
            both("$..book[?@.price > $.expensive]", &d),
            ["/store/book/1", "/store/book/3"]
        );
        assert_eq!(both("$..*", &d).len(), 28);
        assert_eq!(
            both("$.store['book','bicycle']", &d),
            ["/store/book", "/store/bicycle"]
        );
        assert_eq!(
            both("$[\"store\"][\"bicycle\"][\"color\"]", &d),
            ["/store/bicycle/color"]
        );
        assert_eq!(
            both("$[ 'store' ][ 'bicycle' , 'x' ]", &d),
            ["/store/bicycle"]
        );
        assert_eq!(both("$.store[?count(@.*) > 2]", &d), ["/store/book"]);
        assert_eq!(both("$.store[?count(@.*) == 2]", &d), ["/store/bicycle"]);
        assert_eq!(
            both("$.store.book[?value(@..isbn) == '0-553-21311-3']", &d),
            ["/store/book/2"]
        );
        assert_eq!(both("$.store.book[?@.*]", &d).len(), 4);
        assert_eq!(
            both("$.store.book[?!@.isbn]", &d),
            ["/store/book/0", "/store/book/1"]
        );
        assert_eq!(
            both(
                "$.store.book[?@.category == 'fiction' && (@.price < 10 || @.price > 20)]",
                &d
            ),
            ["/store/book/2", "/store/book/3"]
        );
        assert_eq!(
            both("$.store.book[?@ == $.store.book[0]]", &d),
            ["/store/book/0"]
        );
        assert_eq!(both("$[?@.book[1].price >= 12.99]", &d), ["/store"]);
        assert_eq!(both("$", &d), [""]);
        assert_eq!(both("$.nope", &d), Vec::<String>::new());
        assert_eq!(both("$.store.book[9]", &d), Vec::<String>::new());
        assert_eq!(both("$.store.book.0", &d), ["/store/book/0"]);
    }

    #[test]
    fn existence_vs_truthiness() {
        let d = json!([{"a": false}, {"a": 0}, {"a": null}, {"a": ""}, {"a": 1}, {}]);
        assert_eq!(both("$[?@.a]", &d), ["/0", "/1", "/2", "/3", "/4"]);
        assert_eq!(both("$[?(@.a)]", &d), ["/4"]);
        assert_eq!(both("$[?(@.a == null)]", &d), ["/2", "/5"]);
        assert_eq!(both("$[?(@.a === null)]", &d), ["/2"]);
        assert_eq!(both("$[?(@.a === undefined)]", &d), ["/5"]);
        assert_eq!(
            both("$[?(@.a !== void 0 && !@.a)]", &d),
            ["/0", "/1", "/2", "/3"]
        );
        assert_eq!(both("$[?(typeof @.a === 'boolean')]", &d), ["/0"]);
        assert_eq!(
            both("$[?((@.a || 'x') === 'x')]", &d),
            ["/0", "/1", "/2", "/3", "/5"]
        );
        let e = json!({"s": "hello", "arr": [1, "x"], "o": {"length": 3}});
        assert_eq!(both("$[?(@.length === 5)]", &e), ["/s"]);
        assert_eq!(both("$[?(@.length === 2)]", &e), ["/arr"]);
        assert_eq!(both("$[?(@.length === 3)]", &e), ["/o"]);
        assert_eq!(both("$[?(@.indexOf('x') === 1)]", &e), ["/arr"]);
        assert_eq!(both("$[?(@.indexOf('l') === 2)]", &e), ["/s"]);
        assert_eq!(both("$[?(@.match('l+') === 'll')]", &e), ["/s"]);
        assert_eq!(both("$[?(@.constructor.name === 'String')]", &e), ["/s"]);
        assert_eq!(both("$[?(@.constructor.name === 'Object')]", &e), ["/o"]);
        assert_eq!(both("$[?(@[0] === 1 && @[-1] === 'x')]", &e), ["/arr"]);
        assert_eq!(both("$[?(@.toUpperCase() === 'HELLO')]", &e), ["/s"]);
        assert_eq!(both("$[?(@.nope.deeper.still === undefined)]", &e).len(), 3);
    }

    #[test]
    fn errors() {
        let cases: &[(&str, usize)] = &[
            ("", 1),
            ("paths", 1),
            ("$.paths[", 9),
            ("$.a b", 4),
            ("$[?(@.a = 1)]", 9),
            ("$[?(new Foo())]", 5),
            ("$[?(@.a => 1)]", 9),
            ("$[?(foo(@))]", 5),
            ("$[?(@.a.bar())]", 9),
            ("$[?(@.a.match(/(/))]", 15),
            ("$['abc", 3),
            ("$[?(@.a]", 8),
            ("$..", 4),
            ("$.", 3),
            ("$[?@.* == 1]", 4),
            ("$..[?(@string())]", 7),
            ("$^", 2),
            ("$[?(@.a == 'x')] x", 17),
            ("$[1 2]", 5),
            ("$[?(@.a.match('('))]", 15),
            ("$[?(@.a.test(@))]", 9),
            ("$[?(length(@.*) > 1)]", 12),
            ("$[?(@.a &&)]", 11),
            ("$[99999999999999999999]", 3),
            ("$[?(/x/q.test(@))]", 8),
            ("$['\\q']", 4),
            ("$[?(this)]", 5),
        ];
        for (expr, col) in cases {
            match JsonPath::parse(expr) {
                Ok(_) => panic!("{expr:?} should not parse"),
                Err(e) => assert_eq!(e.column, *col, "{expr:?}: {e}"),
            }
        }
        let e = JsonPath::parse("$.paths[").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unclosed '[' (opened at column 8) (column 9)"
        );
    }

    #[test]
    fn fuzz_truncations_and_mutations() {
        let exprs = [
            OP,
            "$..[?(@ && @.type && @.type.constructor.name === \"Array\" && @.type.includes(\"array\"))]",
            "$..definitions..[?(@property !== 'properties' && @ && (@.example !== void 0 || @['x-example'] !== void 0 || @.default !== void 0) && (@.enum || @.type || @.format || @.$ref || @.properties || @.items))]",
            "$.paths[?(@property.match(/\\}$/))]",
            "$..properties[?(@property.match(/(Date|date|At)$/i))]",
            "$.store.book[?@.price < 10].title",
            "$..book[?length(@.isbn) > 0]",
            "$[?match(@.name, 'a.*')]",
            "$.paths.*~",
            "$..book[::-1]",
            "$['a\\u00e9\\'',\"b\"][1:2:3]",
            "$[?(@path === \"$['x']\" || @parent.x.y[0] >= -1.5e3)]",
        ];
        let doc = oas();
        let store = store();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut rnd = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let alphabet: Vec<char> = "$@.[]()?*,:'\"!=<>&|~-/\\ 0123abcxyz".chars().collect();
        for e in exprs {
            let chars: Vec<char> = e.chars().collect();
            let mut variants = Vec::new();
            for i in 0..=chars.len() {
                variants.push(chars[..i].iter().collect::<String>());
                variants.push(chars[i..].iter().collect::<String>());
            }
            for _ in 0..300 {
                let mut c = chars.clone();
                for _ in 0..1 + rnd(3) {
                    let pos = rnd(c.len() + 1);
                    match rnd(3) {
                        0 if pos < c.len() => {
                            c.remove(pos);
                        }
                        1 if pos < c.len() => c[pos] = alphabet[rnd(alphabet.len())],
                        _ => c.insert(pos, alphabet[rnd(alphabet.len())]),
                    }
                }
                variants.push(c.into_iter().collect());
            }
            for v in variants {
                if let Ok(p) = JsonPath::parse(&v) {
                    for refs in [Refs::Keep, Refs::Follow] {
                        let _ = p.select(&doc, refs);
                        let _ = p.select(&store, refs);
                    }
                } else if let Err(err) = JsonPath::parse(&v) {
                    assert!(
                        err.column >= 1 && err.column <= v.chars().count() + 1,
                        "{v:?}: {err}"
                    );
                }
            }
        }
    }

    #[test]
    fn api_basics() {
        fn assert_traits<T: Send + Sync + Clone + std::fmt::Debug>() {}
        assert_traits::<JsonPath>();
        let p = JsonPath::parse("$.a").unwrap();
        assert_eq!(p.as_str(), "$.a");
        assert_eq!(pointer(&[]), "");
        assert_eq!(
            pointer(&[Segment::Key("a/b~c".into()), Segment::Index(3)]),
            "/a~1b~0c/3"
        );
        let p2 = p.clone();
        let h = std::thread::spawn(move || p2.select(&json!({"a": 1}), Refs::Keep).len());
        assert_eq!(h.join().unwrap(), 1);
    }
    #[test]
    fn select_from_base_and_path() {
        let d = oas();
        let start = &d["components"]["schemas"];
        let base = [
            Segment::Key("components".into()),
            Segment::Key("schemas".into()),
        ];
        let p =
            JsonPath::parse("$[?(@path === \"$['components']['schemas']['Pet']\")].type").unwrap();
        let got = p.select_from(&d, start, &base, Refs::Keep);
        assert_eq!(got.len(), 1);
        assert_eq!(pointer(&got[0].location), "/components/schemas/Pet/type");
        let p = JsonPath::parse("$.Sibling.properties.name").unwrap();
        let got = p.select_from(&d, start, &base, Refs::Follow);
        assert_eq!(
            pointer(&got[0].location),
            "/components/schemas/Pet/properties/name"
        );
        assert!(p.select_from(&d, start, &base, Refs::Keep).is_empty());
        // Unions and overlapping selectors are deduplicated by location.
        assert_eq!(
            both("$.openapi['openapi','openapi']", &d),
            Vec::<String>::new()
        );
        assert_eq!(both("$['openapi','openapi']", &d), ["/openapi"]);
        assert_eq!(both("$.servers[0,0,-1]", &d), ["/servers/0"]);
        // Names of followed path items are located at the referencing member.
        assert_eq!(
            sel("$.paths[?(@.get)]~", &d, Refs::Follow),
            ["/paths/~1pets", "/paths/~1pets~1{id}"]
        );
        assert_eq!(sel("$.paths[?(@.get)]~", &d, Refs::Keep), ["/paths/~1pets"]);
        assert_eq!(sel("$~", &d, Refs::Keep), Vec::<String>::new());
    }
}
