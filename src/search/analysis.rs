//! How text becomes terms. One analyzer serves every text field and every query, so that
//! `crimeReference`, `crime_reference`, `/crime-references/{id}` and "crime reference" all meet on the
//! same terms: split on anything that is not a letter or digit and at case changes inside words,
//! lower-case, drop overlong tokens, then stem (English).

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// The name the analyzer is registered under in the index's tokenizer manager.
pub const ANALYZER: &str = "pac";

/// Longer tokens (base64 blobs, hashes) are not words anyone searches for.
const MAX_TOKEN_BYTES: usize = 40;

pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(CodeTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The terms `text` becomes, in order.
pub fn terms(text: &str) -> Vec<String> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Words too common to rank by when a query has others ("an endpoint that takes a PNC ID").
/// Applied to query words only; the index keeps them so that quoted phrases still match.
pub fn is_stop_word(word: &str) -> bool {
    const STOP: &[&str] = &[
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "how", "i",
        "in", "is", "it", "its", "me", "my", "of", "on", "or", "that", "the", "this", "to", "was",
        "what", "when", "which", "who", "will", "with",
    ];
    STOP.contains(&word.to_ascii_lowercase().as_str())
}

/// Splits on every character that is not alphanumeric, and inside a run of alphanumerics where
/// the case changes: `crimeReference` → crime, Reference; `HTTPServer` → HTTP, Server;
/// `getV2Items` → get, V2, Items. Digits stay with the letters before them (`v2`, `base64`).
#[derive(Clone, Default)]
pub struct CodeTokenizer {
    spans: Vec<(usize, usize)>,
    token: Token,
}

pub struct CodeTokenStream<'a> {
    text: &'a str,
    spans: std::slice::Iter<'a, (usize, usize)>,
    token: &'a mut Token,
}

impl Tokenizer for CodeTokenizer {
    type TokenStream<'a> = CodeTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CodeTokenStream<'a> {
        self.spans.clear();
        split(text, &mut self.spans);
        self.token.reset();
        CodeTokenStream {
            text,
            spans: self.spans.iter(),
            token: &mut self.token,
        }
    }
}

impl TokenStream for CodeTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(&(from, to)) = self.spans.next() else {
            return false;
        };
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Upper,
    Lower,
    Digit,
    Other,
}

fn class(c: char) -> Class {
    if c.is_uppercase() {
        Class::Upper
    } else if c.is_lowercase() {
        Class::Lower
    } else if c.is_alphanumeric() {
        // Digits, and letters without case (CJK, Arabic…).
        Class::Digit
    } else {
        Class::Other
    }
}

/// Pushes the byte spans of the tokens of `text`.
fn split(text: &str, spans: &mut Vec<(usize, usize)>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut start: Option<usize> = None;
    for (i, &(offset, c)) in chars.iter().enumerate() {
        let here = class(c);
        if here == Class::Other {
            if let Some(s) = start.take() {
                spans.push((s, offset));
            }
            continue;
        }
        let Some(s) = start else {
            start = Some(offset);
            continue;
        };
        let before = class(chars[i - 1].1);
        let next = chars.get(i + 1).map(|&(_, c)| class(c));
        let boundary = match (before, here) {
            // crimeReference, v2Items
            (Class::Lower | Class::Digit, Class::Upper) => true,
            // HTTPServer: the last capital of a run starts the next word.
            (Class::Upper, Class::Upper) => next == Some(Class::Lower),
            _ => false,
        };
        if boundary {
            spans.push((s, offset));
            start = Some(offset);
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Vec<&str> {
        let mut spans = Vec::new();
        split(text, &mut spans);
        spans.iter().map(|&(a, b)| &text[a..b]).collect()
    }

    #[test]
    fn splits_identifiers_the_way_developers_write_them() {
        assert_eq!(raw("crimeReference"), ["crime", "Reference"]);
        assert_eq!(raw("crime_reference"), ["crime", "reference"]);
        assert_eq!(raw("/crime-references/{id}"), ["crime", "references", "id"]);
        assert_eq!(raw("HTTPServer"), ["HTTP", "Server"]);
        assert_eq!(raw("getV2Items"), ["get", "V2", "Items"]);
        assert_eq!(raw("PNC ID"), ["PNC", "ID"]);
        assert_eq!(raw("base64Encode"), ["base64", "Encode"]);
        assert_eq!(
            raw("application/vnd.api+json"),
            ["application", "vnd", "api", "json"]
        );
        assert_eq!(
            raw("/v1/payment_intents?expand=x#frag"),
            ["v1", "payment", "intents", "expand", "x", "frag"]
        );
        assert_eq!(raw("Zürich Straße"), ["Zürich", "Straße"]);
        assert_eq!(raw(""), Vec::<&str>::new());
        assert_eq!(raw("--//"), Vec::<&str>::new());
    }

    #[test]
    fn every_spelling_of_a_name_meets_on_the_same_terms() {
        let want = terms("crime reference");
        assert_eq!(want, ["crime", "refer"]);
        for spelling in [
            "crimeReference",
            "crime_reference",
            "/crime-references/{id}",
            "CrimeReferences",
        ] {
            assert_eq!(terms(spelling)[..2], want[..], "{spelling}");
        }
        assert_eq!(terms("PaymentIntents"), terms("payment intent"));
    }

    #[test]
    fn positions_count_tokens_for_phrase_queries() {
        let mut analyzer = analyzer();
        let mut stream = analyzer.token_stream("getCrimeReference now");
        let mut seen = Vec::new();
        while stream.advance() {
            let t = stream.token();
            seen.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        assert_eq!(
            seen,
            [
                ("get".to_string(), 0, 0, 3),
                ("crime".to_string(), 1, 3, 8),
                ("refer".to_string(), 2, 8, 17),
                ("now".to_string(), 3, 18, 21),
            ]
        );
    }

    #[test]
    fn overlong_tokens_are_dropped() {
        let blob = "A".repeat(41);
        assert_eq!(terms(&format!("x {blob} y")), ["x", "y"]);
    }
}
