//! What the parser refuses, and where it says the mistake is.

use crate::testing::{OP, oas, store};
use crate::{JsonPath, Refs};

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
fn deep_expressions_are_refused() {
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
fn rfc_forms_are_held_to_the_rfc() {
    let refused = [
        "$[01]",
        "$[-0]",
        "$[1:-01]",
        "$[9007199254740992]",
        "$[\"\\'\"]",
        "$['\u{1}']",
        "$[?true]",
        "$[?@.a && 'x']",
        "$[?length(@.a)]",
        "$[?match(@.a, 'x') == true]",
        "$[?@.a == 01]",
        "$[?@.a == 1.e1]",
        "$[?@.a == 1.-1]",
    ];
    for expr in refused {
        assert!(JsonPath::parse(expr).is_err(), "{expr:?} should not parse");
    }
    // JavaScript filters, and the limits themselves, are still accepted.
    let accepted = [
        "$[9007199254740991]",
        "$[-9007199254740991:]",
        "$['it\\'s']",
        "$[?(true)]",
        "$[?(@.a == \"it\\'s\")]",
        "$[?(length(@.a))]",
        "$[?@.a == -0 || @.a == 0.5e-1]",
    ];
    for expr in accepted {
        if let Err(e) = JsonPath::parse(expr) {
            panic!("{expr:?}: {e}");
        }
    }
}
