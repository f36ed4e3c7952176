//! Reads a path into the AST of `syntax`, refusing what is not a path with a precise column.
//! The limits on nesting and size are here, so that no later stage can be made to recurse
//! without bound by the expression itself. Knows nothing of documents.

use regex::Regex;

use crate::syntax::{CmpOp, Expr, Func, Lit, Member, Method, Seg, Sel, iregexp, is_node_expr};

/// Parentheses, `!` and nested filters deeper than this are refused: evaluation recurses once
/// per level, and no real rule needs more.
const MAX_NEST: usize = 64;
/// Operators and postfix steps in one path, so that a long flat chain cannot overflow either.
const MAX_EXPR_NODES: usize = 2000;
/// Indexes and slice bounds must be exact in a double (RFC 9535 §2.1, from I-JSON).
const MAX_EXACT_INT: i64 = (1 << 53) - 1;

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

/// Compiles a whole path, `$` first.
pub(crate) fn parse(expr: &str) -> PResult<Vec<Seg>> {
    let mut p = Parser {
        c: expr.chars().collect(),
        p: 0,
        nest: 0,
        nodes: 0,
    };
    p.parse_path()
}

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

/// RFC 9535's typing of `[?expr]` (§2.4.3): what is tested must be a query, a comparison or a
/// function that gives a logical value, and such a function's result is not compared.
/// `[?(expr)]` is JavaScript and may test any value.
fn check_logical(e: &Expr) -> Result<(), &'static str> {
    let logical_fn = |e: &Expr| matches!(e, Expr::Func(Func::Match | Func::Search, _));
    match e {
        Expr::And(a, b) | Expr::Or(a, b) => check_logical(a).and_then(|()| check_logical(b)),
        Expr::Not(x) => check_logical(x),
        Expr::Lit(_) => Err("a literal must be compared"),
        Expr::Func(Func::Count | Func::Length | Func::Value, _) => {
            Err("the result of count(), length() or value() must be compared")
        }
        Expr::Cmp(_, a, b) if logical_fn(a) || logical_fn(b) => {
            Err("the result of match() or search() cannot be compared")
        }
        _ => Ok(()),
    }
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
        loop {
            self.blanks_before_segment();
            let Some(c) = self.peek() else {
                return Ok(segs);
            };
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
    }

    /// Skips blanks that a segment follows (RFC 9535 allows them between segments, not at the
    /// end), leaving them in place otherwise so that a mistake is reported where they start.
    fn blanks_before_segment(&mut self) {
        let at = self.p;
        self.ws();
        if !matches!(self.peek(), Some('.' | '[')) {
            self.p = at;
        }
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
            Some(q @ ('\'' | '"')) => Ok(Sel::Name(self.parse_string(q, true)?)),
            Some('*') => {
                self.p += 1;
                Ok(Sel::Wild)
            }
            Some('?') => {
                self.p += 1;
                self.ws();
                let at = self.p;
                let rfc = self.peek() != Some('(');
                let e = self.parse_expr()?;
                if rfc && let Err(why) = check_logical(&e) {
                    return err(at, why);
                }
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
        let digits = s.trim_start_matches('-');
        let canonical = s != "-0" && !(digits.len() > 1 && digits.starts_with('0'));
        match s.parse::<i64>() {
            Ok(i) if canonical && i.abs() <= MAX_EXACT_INT => Ok(Some(i)),
            _ => err(at, format!("invalid integer '{s}'")),
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

    /// At the opening quote `q`. A name in brackets (`rfc`) is read as RFC 9535 says: control
    /// characters escaped, and no escaped quote of the other kind; a string in a filter also
    /// takes JavaScript's laxer forms, since a filter may be JavaScript.
    fn parse_string(&mut self, q: char, rfc: bool) -> PResult<String> {
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
            if rfc && c < '\u{20}' {
                return err(self.p - 1, "a control character in a name must be escaped");
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
                '/' | '\\' => s.push(e),
                '\'' | '"' if e == q || !rfc => s.push(e),
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
            self.blanks_before_segment();
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
                args[1] = Expr::Rx(compile_regex(&iregexp(&p, f == Func::Match), args_at + 1)?);
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
        let int_at = s.len();
        digits(self, &mut s);
        // JSON's numbers, as RFC 9535 has them: no leading zeros.
        if s[int_at..].len() > 1 && s[int_at..].starts_with('0') {
            return err(at, "invalid number");
        }
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
        // Nor a member of a number: `1.e1`, `1e2.3` and `1.-1` are mistakes, not lookups.
        if self.peek().is_some_and(|c| is_ident_char(c) || c == '.') {
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
            Some(q @ ('\'' | '"')) => Ok(Expr::Lit(Lit::Str(self.parse_string(q, false)?))),
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

#[cfg(test)]
mod tests;
