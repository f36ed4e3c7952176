//! The frame every page shares, in the GOV.UK Design System's patterns without the GOV.UK brand:
//! skip link, a header with the service's name (no crown, no logo), navigation, breadcrumbs, one
//! `main` landmark, and a footer. Plus the small components pages share.

use actix_web::http::StatusCode;
use maud::{DOCTYPE, Markup, html};

use super::Visitor;
use super::assets;
use crate::error::Error;

pub const SERVICE: &str = "Police API Catalogue";

/// What a page says about itself besides its body.
pub struct Head<'a> {
    /// The page's own title; the `<title>` adds the service's name.
    pub title: &'a str,
    /// Links above the title, from the home page down (not including this page).
    pub crumbs: Vec<(String, String)>,
}

impl<'a> Head<'a> {
    pub fn new(title: &'a str) -> Head<'a> {
        Head {
            title,
            crumbs: Vec::new(),
        }
    }

    pub fn crumb(mut self, text: impl Into<String>, href: impl Into<String>) -> Self {
        self.crumbs.push((text.into(), href.into()));
        self
    }
}

/// A whole page.
pub fn page(visitor: &Visitor, head: &Head, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" class="govuk-template" {
            head {
                meta charset="utf-8";
                title { (head.title) " – " (SERVICE) }
                meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover";
                meta name="theme-color" content="#0b0c0c";
                link rel="icon" href=(assets::url("favicon.svg")) type="image/svg+xml";
                link rel="stylesheet" href=(assets::url("catalogue.css"));
                script src=(assets::url("catalogue.js")) defer {}
            }
            body class="govuk-template__body" {
                a href="#main-content" class="govuk-skip-link" { "Skip to main content" }
                (header(visitor))
                div class="govuk-width-container" {
                    div class="govuk-phase-banner" {
                        p class="govuk-phase-banner__content" {
                            strong class="govuk-tag govuk-phase-banner__content__tag" { "Beta" }
                            span class="govuk-phase-banner__text" {
                                "A catalogue of the APIs of policing systems, for forces, their suppliers and national bodies."
                            }
                        }
                    }
                    @if !head.crumbs.is_empty() {
                        nav class="govuk-breadcrumbs" aria-label="Breadcrumb" {
                            ol class="govuk-breadcrumbs__list" {
                                @for (text, href) in &head.crumbs {
                                    li class="govuk-breadcrumbs__list-item" {
                                        a class="govuk-breadcrumbs__link" href=(href) { (text) }
                                    }
                                }
                            }
                        }
                    }
                    main class="govuk-main-wrapper" id="main-content" {
                        (body)
                    }
                }
                (footer())
            }
        }
    }
}

fn header(visitor: &Visitor) -> Markup {
    html! {
        header class="govuk-header" {
            div class="govuk-header__container govuk-width-container" {
                a href="/" class="pac-header__name" { (SERVICE) }
                nav aria-label="Catalogue" {
                    ul class="pac-header__nav" {
                        li { a href="/search" { "Search" } }
                        li { a href="/standard" { "The standard" } }
                        li { a href="/tenders" { "Tenders" } }
                        @match &visitor.session {
                            Some(s) => {
                                li { span { "Signed in as " (s.name) } }
                                // A form, not a link: signing out changes state, so it is a POST
                                // carrying the session's CSRF token.
                                li {
                                    form method="post" action="/sign-out" class="pac-header__sign-out" {
                                        input type="hidden" name="csrf" value=(s.csrf);
                                        button type="submit" class="pac-header__link-button" { "Sign out" }
                                    }
                                }
                            }
                            None => li { a href=(sign_in_href(&visitor.here)) { "Sign in" } },
                        }
                    }
                }
            }
        }
    }
}

/// The sign-in page, coming back here afterwards (not to the sign-in page itself).
fn sign_in_href(here: &str) -> String {
    if here == "/" || here.starts_with("/sign-in") {
        "/sign-in".to_owned()
    } else {
        format!("/sign-in?return_to={}", super::links::query_value(here))
    }
}

fn footer() -> Markup {
    html! {
        footer class="govuk-footer" {
            div class="govuk-width-container" {
                div class="govuk-footer__meta" {
                    div class="govuk-footer__meta-item govuk-footer__meta-item--grow" {
                        h2 class="govuk-visually-hidden" { "Support links" }
                        ul class="govuk-footer__inline-list" {
                            li class="govuk-footer__inline-list-item" {
                                a class="govuk-footer__link" href="/docs/" { "JSON API reference" }
                            }
                            li class="govuk-footer__inline-list-item" {
                                a class="govuk-footer__link" href="/standard" { "The police API standard" }
                            }
                            li class="govuk-footer__inline-list-item" {
                                a class="govuk-footer__link" href=(assets::url("LICENSE-govuk-frontend.txt")) { "Design system licence" }
                            }
                        }
                        p class="govuk-body-s" {
                            "Built with the GOV.UK Design System's patterns and components (MIT licence). "
                            "This is not a GOV.UK service."
                        }
                    }
                }
            }
        }
    }
}

/// The page for an error, in the same design.
pub fn error_page(status: StatusCode, error: &Error) -> Markup {
    let (title, advice): (&str, Markup) = match status {
        StatusCode::NOT_FOUND => (
            "Page not found",
            html! {
                p class="govuk-body" { "If you typed the address, check it is correct. If you followed a link, what it pointed to may have been renamed, or you may need to sign in to see it." }
                p class="govuk-body" { a class="govuk-link" href="/search" { "Search the catalogue" } }
            },
        ),
        StatusCode::BAD_REQUEST => (
            "There is a problem with the address",
            html! {
                p class="govuk-body" { (error.detail()) }
                p class="govuk-body" { "Error code: " code { (error.code()) } }
            },
        ),
        StatusCode::UNAUTHORIZED => (
            "You need to sign in again",
            html! {
                p class="govuk-body" { (error.detail()) }
                p class="govuk-body" { a class="govuk-link" href="/sign-in" { "Sign in" } }
            },
        ),
        s if s.is_server_error() => (
            "Sorry, there is a problem with the service",
            html! {
                p class="govuk-body" { "Try again later. The problem has been logged." }
            },
        ),
        _ => (
            status.canonical_reason().unwrap_or("Error"),
            html! {
                p class="govuk-body" { (error.detail()) }
                p class="govuk-body" { "Error code: " code { (error.code()) } }
            },
        ),
    };
    page(
        &Visitor::anonymous(),
        &Head::new(title),
        html! {
            div class="govuk-grid-row" {
                div class="govuk-grid-column-two-thirds" {
                    h1 class="govuk-heading-l" { (title) }
                    (advice)
                }
            }
        },
    )
}

/// A coloured tag (govuk-tag) for a status word.
pub fn tag(text: &str, colour: Option<&str>) -> Markup {
    let class = match colour {
        Some(c) => format!("govuk-tag govuk-tag--{c}"),
        None => "govuk-tag".to_owned(),
    };
    html! { strong class=(class) { (text) } }
}

/// An API's lifecycle as a tag, coloured by what it means for a consumer.
pub fn lifecycle_tag(lifecycle: &str) -> Markup {
    let colour = match lifecycle {
        "active" => Some("green"),
        "draft" => Some("grey"),
        "deprecated" => Some("orange"),
        "retired" => Some("red"),
        _ => None,
    };
    tag(lifecycle, colour)
}

/// The kitemark (yes, no or unevaluated) as a tag with words a reader understands.
pub fn kitemark_tag(kitemark: Option<&str>) -> Markup {
    match kitemark {
        Some("yes") => tag("Kitemarked", Some("green")),
        Some("no") => tag("Not kitemarked", Some("yellow")),
        _ => tag("Not evaluated", Some("grey")),
    }
}

/// A system's interoperability tier as a tag.
pub fn tier_tag(tier: Option<crate::tiers::Tier>) -> Markup {
    use crate::tiers::Tier;
    match tier {
        Some(Tier::Gold) => tag("Gold", Some("yellow")),
        Some(Tier::Silver) => tag("Silver", Some("light-blue")),
        Some(Tier::Bronze) => tag("Bronze", Some("orange")),
        None => tag("No tier yet", Some("grey")),
    }
}

/// The head of a table: one column header for each name.
pub fn table_head(columns: &[&str]) -> Markup {
    html! {
        thead class="govuk-table__head" {
            tr class="govuk-table__row" {
                @for c in columns {
                    th scope="col" class="govuk-table__header" { (c) }
                }
            }
        }
    }
}

/// One row of a summary list.
pub fn row(key: &str, value: Markup) -> Markup {
    html! {
        div class="govuk-summary-list__row" {
            dt class="govuk-summary-list__key" { (key) }
            dd class="govuk-summary-list__value" { (value) }
        }
    }
}
