//! Deciding a filter (`[?…]`) for one candidate: the RFC's comparisons and functions and the
//! small JavaScript of JSONPath-Plus (truthiness, `typeof`, string and array methods), over a
//! JavaScript-like value. Queries inside a filter are run by the walk, through [`Ctx::query`];
//! this module never walks a document itself.

use std::borrow::Cow;
use std::fmt::Write as _;

use regex::Regex;
use serde_json::Value;

use crate::location::{Key, Segment, norm_index};
use crate::references::Env;
use crate::syntax::{CmpOp, Expr, Func, Lit, Member, Method, Seg, iregexp, is_node_expr};

/// Runs a query inside a filter: the values `segs` select from a start node, `depth` levels
/// below the top of the walk.
pub(crate) type Query<'v> = fn(&Env<'v>, &[Seg], &'v Value, usize) -> Vec<&'v Value>;

/// One candidate of a filter and what surrounds it on the walk.
pub(crate) struct Ctx<'c, 'v> {
    pub(crate) env: &'c Env<'v>,
    pub(crate) cur: &'v Value,
    /// `@property`: the candidate's name in its container.
    pub(crate) prop: Option<Key<'v>>,
    /// `@parent`: the container's parent (see the walk's `container_parent`).
    pub(crate) parent: Option<&'v Value>,
    /// `@parentProperty`: the container's name.
    pub(crate) pprop: Option<Key<'v>>,
    /// The candidate's location as walked, for `@path`; see the walk's `floor`.
    pub(crate) loc: &'c [Key<'v>],
    pub(crate) floor: Option<usize>,
    pub(crate) depth: usize,
    /// The walk's `collect`: the walk imports this module, so it hands itself in.
    pub(crate) query: Query<'v>,
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
pub(crate) fn test(e: &Expr, cx: &Ctx<'_, '_>, rfc: bool) -> bool {
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

/// The regex an argument denotes: compiled by the parser when it was a literal, else compiled
/// now from the string it evaluates to (turned into the regex crate's syntax by `pattern`).
fn regex_arg<'r>(
    e: &'r Expr,
    cx: &Ctx<'_, '_>,
    pattern: impl FnOnce(&str) -> String,
) -> Option<Cow<'r, Regex>> {
    match e {
        Expr::Rx(r) => Some(Cow::Borrowed(r)),
        _ => {
            let V::Str(s) = eval(e, cx) else { return None };
            Regex::new(&pattern(&s)).ok().map(Cow::Owned)
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
            Some(start) => V::Nodes((cx.query)(cx.env, segs, start, cx.depth)),
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
            match regex_arg(&args[1], cx, |p| iregexp(p, f == Func::Match)) {
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
            let Some(r) = regex_arg(&args[0], cx, str::to_string) else {
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
mod tests;
