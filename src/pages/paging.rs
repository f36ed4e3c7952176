//! Pages of a long list: the `page` parameter of an address, and the GOV.UK pagination component.

use maud::{Markup, html};

use crate::error::{Code, Error};

/// Reads `?page=N` (1 when absent), refusing what is not a page between 1 and `max`.
pub fn parse(page: Option<&str>, max: usize) -> Result<usize, Error> {
    let page = crate::domain::parse_int("page", page)?.unwrap_or(1);
    if page < 1 || page as u64 > max as u64 {
        return Err(Error::invalid_at(
            Code::InvalidQuery,
            format!("page must be between 1 and {max}, got {page}"),
            "/page",
        ));
    }
    Ok(page as usize)
}

/// How many pages `total` items make at `per_page` a page (at least one).
pub fn count(total: i64, per_page: i64) -> usize {
    (total.max(1) + per_page - 1).div_euclid(per_page) as usize
}

/// Links to the first, last, previous, next and neighbouring pages; nothing when there is one.
pub fn nav(page: usize, pages: usize, href: impl Fn(usize) -> String) -> Markup {
    if pages <= 1 {
        return html! {};
    }
    let shown: Vec<usize> = {
        let mut v: Vec<usize> = [1, page.saturating_sub(1), page, page + 1, pages]
            .into_iter()
            .filter(|p| (1..=pages).contains(p))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    html! {
        nav class="govuk-pagination" aria-label="Results pages" {
            @if page > 1 {
                div class="govuk-pagination__prev" {
                    a class="govuk-link govuk-pagination__link" href=(href(page - 1)) rel="prev" {
                        span class="govuk-pagination__link-title" { "Previous" span class="govuk-visually-hidden" { " page" } }
                    }
                }
            }
            ul class="govuk-pagination__list" {
                @for (i, p) in shown.iter().enumerate() {
                    @if i > 0 && shown[i - 1] + 1 < *p {
                        li class="govuk-pagination__item govuk-pagination__item--ellipses" { "⋯" }
                    }
                    @if *p == page {
                        li class="govuk-pagination__item govuk-pagination__item--current" {
                            a class="govuk-link govuk-pagination__link" href=(href(*p)) aria-label={"Page " (p)} aria-current="page" { (p) }
                        }
                    } @else {
                        li class="govuk-pagination__item" {
                            a class="govuk-link govuk-pagination__link" href=(href(*p)) aria-label={"Page " (p)} { (p) }
                        }
                    }
                }
            }
            @if page < pages {
                div class="govuk-pagination__next" {
                    a class="govuk-link govuk-pagination__link" href=(href(page + 1)) rel="next" {
                        span class="govuk-pagination__link-title" { "Next" span class="govuk-visually-hidden" { " page" } }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_counted_and_checked() {
        assert_eq!(count(0, 20), 1);
        assert_eq!(count(20, 20), 1);
        assert_eq!(count(21, 20), 2);
        assert_eq!(parse(None, 5).unwrap(), 1);
        assert_eq!(parse(Some("5"), 5).unwrap(), 5);
        assert!(parse(Some("0"), 5).is_err());
        assert!(parse(Some("6"), 5).is_err());
        assert!(parse(Some("two"), 5).is_err());
    }

    #[test]
    fn one_page_needs_no_navigation_and_the_current_page_is_marked() {
        assert!(nav(1, 1, |p| format!("?page={p}")).into_string().is_empty());
        let html = nav(3, 9, |p| format!("?page={p}")).into_string();
        assert!(html.contains(r#"href="?page=3" aria-label="Page 3" aria-current="page""#));
        assert!(html.contains(r#"rel="prev""#) && html.contains(r#"rel="next""#));
        assert!(
            html.contains("⋯"),
            "pages between 4 and 9 are elided: {html}"
        );
    }
}
