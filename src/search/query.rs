//! The query language and how it becomes a tantivy query.
//!
//! ```text
//! create payment intent        words: documents matching more of them rank higher
//! "crime reference"            a phrase: these terms, in this order
//! +vehicle -insurance          + requires a word or phrase, - excludes it
//! path:payments param:pnc      restrict a word or phrase to one field (see QUERY_FIELDS)
//! ```
//!
//! Every word goes through the same analysis as the documents, so `crimeReference` and
//! `crime_reference` are the phrase "crime reference". Each term is looked for in every text field,
//! weighted by [`text_fields`]; in queries of up to six words, terms of five letters or more also
//! match names and summaries within one edit (two from eight letters), at a lower weight than an
//! exact match, for typos. Most of the optional words must match ([`minimum_should_match`]); when
//! that finds nothing, any one of them may.

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery, Occur,
    PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::analysis::{is_stop_word, terms};
use super::fields::{Fields, QUERY_FIELDS, text_fields};

/// Longer queries are refused rather than run.
pub const MAX_QUERY_CHARS: usize = 500;
pub const MAX_CLAUSES: usize = 24;

/// A query the grammar does not accept, with the character position (1-based) where it went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub column: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    Should,
    Must,
    MustNot,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub modifier: Modifier,
    pub field: Option<String>,
    pub text: String,
    pub quoted: bool,
}

/// Splits a query into clauses. Errors name what is wrong and where.
pub fn parse(q: &str) -> Result<Vec<Clause>, SyntaxError> {
    let chars: Vec<char> = q.chars().collect();
    if chars.len() > MAX_QUERY_CHARS {
        return Err(SyntaxError {
            message: format!(
                "the query is {} characters long; the most is {MAX_QUERY_CHARS}",
                chars.len()
            ),
            column: MAX_QUERY_CHARS + 1,
        });
    }
    let mut clauses = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let modifier = match chars[i] {
            '+' => Modifier::Must,
            '-' => Modifier::MustNot,
            _ => Modifier::Should,
        };
        if modifier != Modifier::Should {
            i += 1;
            if i >= chars.len() || chars[i].is_whitespace() {
                return Err(SyntaxError {
                    message: format!("'{}' must be followed by a word or a phrase", chars[start]),
                    column: start + 1,
                });
            }
        }
        // An optional field prefix: letters then ':'.
        let mut field = None;
        let word_start = i;
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_alphabetic() {
            j += 1;
        }
        if j > i && j < chars.len() && chars[j] == ':' {
            let name: String = chars[i..j].iter().collect::<String>().to_ascii_lowercase();
            if QUERY_FIELDS.contains(&name.as_str()) || name == "parameter" {
                field = Some(name);
                i = j + 1;
                if i >= chars.len() || chars[i].is_whitespace() {
                    return Err(SyntaxError {
                        message: format!(
                            "'{}:' must be followed by a word or a phrase",
                            chars[word_start..j].iter().collect::<String>()
                        ),
                        column: j + 1,
                    });
                }
            } else {
                return Err(SyntaxError {
                    message: format!(
                        "unknown field '{name}'; a query may name {} (put text containing ':' in double quotes)",
                        QUERY_FIELDS.join(", ")
                    ),
                    column: word_start + 1,
                });
            }
        }
        let (text, quoted) = if i < chars.len() && chars[i] == '"' {
            let open = i;
            let Some(len) = chars[i + 1..].iter().position(|&c| c == '"') else {
                return Err(SyntaxError {
                    message: "this quote is never closed".into(),
                    column: open + 1,
                });
            };
            let text: String = chars[i + 1..i + 1 + len].iter().collect();
            i += len + 2;
            if text.trim().is_empty() {
                return Err(SyntaxError {
                    message: "empty phrase".into(),
                    column: open + 1,
                });
            }
            (text, true)
        } else {
            let from = i;
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
                i += 1;
            }
            (chars[from..i].iter().collect(), false)
        };
        clauses.push(Clause {
            modifier,
            field,
            text,
            quoted,
        });
        if clauses.len() > MAX_CLAUSES {
            return Err(SyntaxError {
                message: format!("the query has more than {MAX_CLAUSES} words or phrases"),
                column: start + 1,
            });
        }
    }
    Ok(clauses)
}

/// Weight of a near match (typo) relative to an exact one in the same field.
const FUZZY_WEIGHT: f32 = 0.3;
/// Longer queries describe rather than name what they want; near matches add cost, not answers.
const FUZZY_MAX_WORDS: usize = 6;

/// How strictly optional words must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// Most of them ([`minimum_should_match`]): precise, the first try.
    Most,
    /// Any one of them: the second try when the first finds nothing.
    Any,
}

/// Builds the scoring query for `clauses`; `None` when nothing in them can match anything
/// (no words, only punctuation), in which case the caller matches everything. The second value
/// tells whether a [`Strictness::Any`] retry could find more.
pub fn build(
    f: &Fields,
    clauses: &[Clause],
    strictness: Strictness,
) -> Option<(Box<dyn Query>, bool)> {
    let has_content_word = clauses
        .iter()
        .any(|c| c.modifier != Modifier::MustNot && (c.quoted || !is_stop_word(&c.text)));
    let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for c in clauses {
        if !c.quoted && c.modifier == Modifier::Should && has_content_word && is_stop_word(&c.text)
        {
            continue;
        }
        let tokens = terms(&c.text);
        if tokens.is_empty() {
            // Punctuation alone is no word; a word too long to be indexed (a hash, a blob) is one
            // that nothing contains.
            if c.text.chars().any(char::is_alphanumeric) && c.modifier != Modifier::MustNot {
                parts.push((occur(c.modifier), Box::new(EmptyQuery)));
            }
            continue;
        }
        let weighted: Vec<(Field, f32)> = match &c.field {
            Some(name) => f
                .by_query_name(name)
                .unwrap_or_default()
                .into_iter()
                .map(|field| (field, 1.0))
                .collect(),
            None => text_fields(f).to_vec(),
        };
        let fuzzy = c.modifier != Modifier::MustNot
            && !c.quoted
            && tokens.len() == 1
            && clauses.len() <= FUZZY_MAX_WORDS;
        parts.push((occur(c.modifier), matches(f, &weighted, &tokens, fuzzy)));
    }
    if parts.is_empty() {
        return None;
    }
    if parts.iter().all(|(o, _)| *o == Occur::MustNot) {
        parts.push((Occur::Must, Box::new(AllQuery)));
    }
    let should = parts.iter().filter(|(o, _)| *o == Occur::Should).count();
    let required = match strictness {
        Strictness::Most => minimum_should_match(should),
        Strictness::Any => should.min(1),
    };
    let relaxable = strictness == Strictness::Most && required > 1;
    Some((
        Box::new(BooleanQuery::with_minimum_required_clauses(parts, required)),
        relaxable,
    ))
}

fn occur(m: Modifier) -> Occur {
    match m {
        Modifier::Should => Occur::Should,
        Modifier::Must => Occur::Must,
        Modifier::MustNot => Occur::MustNot,
    }
}

/// Of n optional words, how many a document must match: all of up to two, all but one of up to
/// five, and two thirds beyond. A query of many words is usually a description of what is wanted,
/// not a list of things that must all be there.
fn minimum_should_match(n: usize) -> usize {
    match n {
        0 => 0,
        1 | 2 => n,
        3..=5 => n - 1,
        _ => (n * 2).div_ceil(3),
    }
}

/// One word or phrase, looked for in each field, scored by the sum over the fields it is in (a
/// union is cheaper than a max over fields, and ranked the judged queries better).
fn matches(f: &Fields, fields: &[(Field, f32)], tokens: &[String], fuzzy: bool) -> Box<dyn Query> {
    let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
    for &(field, weight) in fields {
        let query: Box<dyn Query> = if tokens.len() == 1 {
            Box::new(TermQuery::new(
                Term::from_field_text(field, &tokens[0]),
                IndexRecordOption::WithFreqs,
            ))
        } else {
            Box::new(PhraseQuery::new(
                tokens
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect(),
            ))
        };
        disjuncts.push(Box::new(BoostQuery::new(query, weight)));
    }
    if fuzzy {
        let token = &tokens[0];
        let len = token.chars().count();
        if len >= 5 {
            let distance = if len >= 8 { 2 } else { 1 };
            for &(field, weight) in fields {
                if [f.name, f.summary].contains(&field) {
                    let near =
                        FuzzyTermQuery::new(Term::from_field_text(field, token), distance, true);
                    disjuncts.push(Box::new(BoostQuery::new(
                        Box::new(near),
                        weight * FUZZY_WEIGHT,
                    )));
                }
            }
        }
    }
    Box::new(BooleanQuery::new(
        disjuncts.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// Completions of what has been typed so far: every whole word must be in a name, summary or
/// path, and the last, unfinished one must begin a word there. `None` when nothing was typed.
pub fn completion(f: &Fields, typed: &str) -> Option<Box<dyn Query>> {
    let tokens = terms(typed);
    let (last, words) = tokens.split_last()?;
    let fields = [(f.name, 4.0), (f.summary, 2.5), (f.path, 2.0)];
    let mut parts: Vec<(Occur, Box<dyn Query>)> = words
        .iter()
        .map(|w| {
            let any: Vec<(Occur, Box<dyn Query>)> = fields
                .iter()
                .map(|&(field, weight)| {
                    let q = TermQuery::new(
                        Term::from_field_text(field, w),
                        IndexRecordOption::WithFreqs,
                    );
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(q), weight)) as Box<dyn Query>,
                    )
                })
                .collect();
            (
                Occur::Must,
                Box::new(BooleanQuery::new(any)) as Box<dyn Query>,
            )
        })
        .collect();
    // A stem is a prefix of the words it came from; a prefix of a stem still begins them.
    let begins: Vec<(Occur, Box<dyn Query>)> = fields
        .iter()
        .map(|&(field, weight)| {
            let q = FuzzyTermQuery::new_prefix(Term::from_field_text(field, last), 0, false);
            (
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(q), weight)) as Box<dyn Query>,
            )
        })
        .collect();
    parts.push((Occur::Must, Box::new(BooleanQuery::new(begins))));
    Some(Box::new(BooleanQuery::new(parts)))
}

/// A filter that takes part in matching but not in scoring.
pub fn filter(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

/// Matches documents whose keyword `field` is exactly `value`.
pub fn keyword(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(modifier: Modifier, field: Option<&str>, text: &str, quoted: bool) -> Clause {
        Clause {
            modifier,
            field: field.map(str::to_string),
            text: text.into(),
            quoted,
        }
    }

    #[test]
    fn parses_words_phrases_modifiers_and_fields() {
        let got = parse(
            r#"create "payment intent" +stripe -refund path:v1 param:"pnc id" "urn:ietf:x" 10:30"#,
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                clause(Modifier::Should, None, "create", false),
                clause(Modifier::Should, None, "payment intent", true),
                clause(Modifier::Must, None, "stripe", false),
                clause(Modifier::MustNot, None, "refund", false),
                clause(Modifier::Should, Some("path"), "v1", false),
                clause(Modifier::Should, Some("param"), "pnc id", true),
                clause(Modifier::Should, None, "urn:ietf:x", true),
                clause(Modifier::Should, None, "10:30", false),
            ]
        );
        assert_eq!(parse("   ").unwrap(), vec![]);
        assert_eq!(
            parse("/crime-references/{id}").unwrap(),
            vec![clause(
                Modifier::Should,
                None,
                "/crime-references/{id}",
                false
            )]
        );
    }

    #[test]
    fn errors_name_the_problem_and_the_column() {
        let cases = [
            (r#"payment "intent"#, "never closed", 9),
            ("payment + intent", "must be followed", 9),
            ("vehicle -", "must be followed", 9),
            ("colour:red", "unknown field 'colour'", 1),
            ("path: x", "'path:' must be followed", 5),
            (r#"a """#, "empty phrase", 3),
        ];
        for (q, message, column) in cases {
            let e = parse(q).unwrap_err();
            assert!(e.message.contains(message), "{q}: {}", e.message);
            assert_eq!(e.column, column, "{q}");
        }
        let long = "x".repeat(MAX_QUERY_CHARS + 1);
        assert!(
            parse(&long)
                .unwrap_err()
                .message
                .contains("characters long")
        );
        let many = "w ".repeat(MAX_CLAUSES + 1);
        assert!(parse(&many).unwrap_err().message.contains("more than"));
    }

    #[test]
    fn how_many_optional_words_must_match() {
        let got: Vec<usize> = (0..=9).map(minimum_should_match).collect();
        assert_eq!(got, [0, 1, 2, 2, 3, 4, 4, 5, 6, 6]);
    }

    #[test]
    fn stop_words_and_punctuation_alone_build_nothing() {
        let f = Fields::new();
        assert!(build(&f, &parse("-- //").unwrap(), Strictness::Most).is_none());
        assert!(
            build(&f, &parse("the").unwrap(), Strictness::Most).is_some(),
            "a lone stop word is still searched"
        );
    }

    #[test]
    fn only_a_query_that_needs_several_words_can_be_relaxed() {
        let f = Fields::new();
        let relaxable = |q: &str, s| build(&f, &parse(q).unwrap(), s).unwrap().1;
        assert!(relaxable("symptom checker", Strictness::Most));
        assert!(!relaxable("symptom checker", Strictness::Any));
        assert!(!relaxable("symptom", Strictness::Most));
        assert!(
            !relaxable("+symptom +checker", Strictness::Most),
            "required words stay required"
        );
    }
}
