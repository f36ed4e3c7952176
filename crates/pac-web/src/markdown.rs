//! Markdown in descriptions (CommonMark, as OpenAPI specifies), rendered and sanitised.
//!
//! Authors' text is untrusted: the HTML it becomes keeps only formatting tags (no script, style,
//! form, iframe or image, no event handler, no `style` attribute), links only to http, https and
//! mailto (never `javascript:`), and every link carries `rel="noopener noreferrer nofollow"`.
//! Images are left out because the catalogue makes no third-party requests; their alt text stays.

use std::collections::HashSet;
use std::sync::LazyLock;

use maud::{Markup, PreEscaped};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Longest text rendered; a longer description is cut (at a character boundary) and says so.
pub const MAX_MARKDOWN_BYTES: usize = 64 * 1024;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> = [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ]
    .into_iter()
    .collect();
    let mut b = ammonia::Builder::default();
    b.tags(tags)
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_relative(ammonia::UrlRelative::Deny)
        .clean_content_tags(["script", "style"].into_iter().collect())
        .generic_attributes(HashSet::new())
        .tag_attributes(
            [
                ("a", ["href", "title"].into_iter().collect()),
                ("abbr", ["title"].into_iter().collect()),
                ("td", ["align"].into_iter().collect()),
                ("th", ["align"].into_iter().collect()),
                ("ol", ["start"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        );
    b
});

/// Block Markdown (paragraphs, lists, tables, code) as sanitised HTML, headings shifted down so an
/// author's `#` never competes with the page's own `h1`.
pub fn block(text: &str) -> Markup {
    let text = cut(text);
    if is_plain(text) {
        // The same HTML the parser and the cleaner would give, without their cost: schema trees
        // show hundreds of one-line descriptions per page.
        return PreEscaped(format!("<p>{}</p>\n", maud::html! { (text) }.0));
    }
    let mut html = String::with_capacity(text.len() * 3 / 2);
    let events = Parser::new_ext(text, options()).map(|e| match e {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: shift(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => Event::Text("".into()),
        other => other,
    });
    pulldown_cmark::html::push_html(&mut html, events);
    PreEscaped(CLEANER.clean(&html).to_string())
}

/// One line of words that Markdown leaves as it is: starts with a letter, has no character that
/// could begin markup or an entity, no line break, no edge spaces.
fn is_plain(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_alphabetic)
        && text == text.trim_end()
        && !text.contains("  ")
        && text.chars().all(|c| {
            c.is_alphanumeric()
                || matches!(
                    c,
                    ' ' | '.'
                        | ','
                        | ';'
                        | ':'
                        | '('
                        | ')'
                        | '/'
                        | '?'
                        | '%'
                        | '\''
                        | '='
                        | '+'
                        | '-'
                        | '@'
                        | '$'
                )
        })
}

/// The text of Markdown with no markup at all: for titles, summaries in lists and `<meta>`.
pub fn plain(text: &str) -> String {
    let mut out = String::new();
    for e in Parser::new_ext(cut(text), options()) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => out.push(' '),
            _ => {}
        }
    }
    let collapsed: Vec<&str> = out.split_whitespace().collect();
    collapsed.join(" ")
}

/// The first sentence-ish of plain text, at most `max` characters, for lists and hits.
pub fn excerpt(text: &str, max: usize) -> String {
    let plain = plain(text);
    if plain.chars().count() <= max {
        return plain;
    }
    // One character more than fits: a space there means the last word fits whole.
    let cut: String = plain.chars().take(max + 1).collect();
    let at = cut
        .rfind(' ')
        .unwrap_or_else(|| cut.char_indices().nth(max).map_or(cut.len(), |(i, _)| i));
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':', '.']))
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

fn shift(level: pulldown_cmark::HeadingLevel) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel::*;
    match level {
        H1 => H3,
        H2 => H4,
        H3 => H5,
        _ => H6,
    }
}

fn cut(text: &str) -> &str {
    if text.len() <= MAX_MARKDOWN_BYTES {
        return text;
    }
    let mut end = MAX_MARKDOWN_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_survives_and_headings_sit_below_the_page_title() {
        let html = block("# Custody\n\nA *record* with `code` and [a link](https://example.org).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n").0;
        assert!(html.contains("<h3>Custody</h3>"), "{html}");
        assert!(html.contains("<em>record</em>"), "{html}");
        assert!(html.contains("<code>code</code>"), "{html}");
        assert!(
            html.contains(
                r#"<a href="https://example.org" rel="noopener noreferrer nofollow">a link</a>"#
            ),
            "{html}"
        );
        assert!(html.contains("<td>1</td>"), "{html}");
    }

    #[test]
    fn nothing_executable_survives() {
        for hostile in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<div onclick=\"alert(1)\">x</div>",
            "<iframe src=\"https://example.org\"></iframe>",
            "<svg><script>alert(1)</script></svg>",
            "<style>body{display:none}</style>",
            "<p style=\"background:url(javascript:alert(1))\">x</p>",
            "<form action=\"https://example.org\"><input name=a></form>",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "![alt](https://tracker.example.org/pixel.png)",
        ] {
            let html = block(hostile).0.to_ascii_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onclick",
                "javascript:",
                "<iframe",
                "<style",
                "style=",
                "<form",
                "<input",
                "data:",
                "<img",
                "<svg",
            ] {
                assert!(!html.contains(bad), "{hostile} gave {html}");
            }
        }
        // The alt text of an image is kept as text.
        assert!(
            block("![the diagram](https://example.org/d.png)")
                .0
                .contains("the diagram")
        );
    }

    #[test]
    fn plain_lines_take_the_fast_path_to_the_same_html() {
        for text in [
            "The force's code, e.g. met (see /forces).",
            "Ünïcödé words: 100% sure? a=b+c - d @ $5",
            "Line one",
        ] {
            assert!(is_plain(text), "{text}");
            let slow = {
                let mut html = String::new();
                pulldown_cmark::html::push_html(&mut html, Parser::new_ext(text, options()));
                CLEANER.clean(&html).to_string()
            };
            assert_eq!(block(text).0, slow, "{text}");
        }
        for text in [
            "1. a list",
            "- a list",
            "a *b*",
            "a\nb",
            "a <b>",
            "a & b",
            " a",
            "a  ",
            "#x",
            "a_b_",
        ] {
            assert!(!is_plain(text), "{text}");
        }
    }

    #[test]
    fn plain_text_and_excerpts() {
        assert_eq!(
            plain("# Title\n\nSome *text*, `code`.\n\n- a\n- b"),
            "Title Some text, code. a b"
        );
        assert_eq!(
            excerpt("Returns the custody records of a force, newest first.", 30),
            "Returns the custody records of…"
        );
        assert_eq!(excerpt("Short.", 30), "Short.");
    }

    #[test]
    fn long_text_is_cut_at_a_character_boundary() {
        let long = "é".repeat(MAX_MARKDOWN_BYTES);
        let html = block(&long).0;
        assert!(html.len() < MAX_MARKDOWN_BYTES + 100);
    }
}
