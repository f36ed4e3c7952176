//! The AST a path compiles to: segments and selectors (RFC 9535) and the filter expressions,
//! RFC and JavaScript alike, as one tree. Plain data: the parser builds it, the walk and the
//! filters read it; nothing here looks at a document.

use regex::Regex;

#[derive(Debug, Clone)]
pub(crate) enum Seg {
    Child(Vec<Sel>),
    Desc(Vec<Sel>),
    /// `~` (JSONPath-Plus): the property name of the node reached, not its value.
    Names,
}

#[derive(Debug, Clone)]
pub(crate) enum Sel {
    Name(String),
    Wild,
    Index(i64),
    Slice(Option<i64>, Option<i64>, Option<i64>),
    /// The expression and whether RFC existence semantics apply (`[?e]` vs `[?(e)]`).
    Filter(Box<Expr>, bool),
}

#[derive(Debug, Clone)]
pub(crate) enum Lit {
    Undef,
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
}

#[derive(Debug, Clone)]
pub(crate) enum Member {
    Name(String),
    Index(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
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
pub(crate) enum Func {
    Length,
    Count,
    Match,
    Search,
    Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
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
pub(crate) enum Expr {
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
pub(crate) fn is_node_expr(e: &Expr) -> bool {
    match e {
        Expr::Cur | Expr::Root | Expr::Parent => true,
        Expr::Member(b, _) => is_node_expr(b),
        _ => false,
    }
}

/// The regex crate's pattern for an RFC 9535 regex (an I-Regexp, RFC 9485) that `match()` holds
/// against the whole string or `search()` against any part of it. CRLF mode, because an
/// I-Regexp's `.` matches neither `\n` nor `\r`.
pub(crate) fn iregexp(pattern: &str, whole: bool) -> String {
    if whole {
        format!("(?R)^(?:{pattern})$")
    } else {
        format!("(?R){pattern}")
    }
}
