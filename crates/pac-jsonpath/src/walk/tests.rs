//! Segments and selectors over a document: RFC 9535's examples, and the depth limit.

use serde_json::{Value, json};

use crate::Refs;
use crate::testing::{both, sel, store, vals};

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
}

#[test]
fn blanks_between_segments() {
    let d = json!({"a": {"b": [1, {"c": "xyz"}]}});
    assert_eq!(both("$ .a\n['b'] \t[1]", &d), ["/a/b/1"]);
    assert_eq!(both("$.a.b[?length(@ .c) == 3]", &d), ["/a/b/1"]);
    assert_eq!(both("$.a.b[?@.c == $ .a ['b'][1].c]", &d), ["/a/b/1"]);
    // Not after the last segment.
    assert!(crate::JsonPath::parse("$.a ").is_err());
}
