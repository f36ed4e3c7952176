//! `/standard`: the police API standard in force, every rule with its level, category, rationale
//! and how to fix a finding, grouped by category.

use actix_web::http::StatusCode;
use actix_web::{get, web};
use maud::{Markup, html};
use serde_json::Value;

use super::layout::{self, Head};
use super::{PageResult, Visitor, html as page_html};
use crate::AppState;

/// The score's categories, in the order the page shows them.
const CATEGORIES: &[(&str, &str)] = &[
    ("documentation", "Documentation"),
    ("security", "Security"),
    ("design", "Design"),
    ("interoperability", "Interoperability"),
];

#[get("/standard")]
pub async fn standard_page(state: web::Data<AppState>, visitor: Visitor) -> PageResult {
    let described = pac_lint::ruleset::describe(&state.catalogue.standard);
    Ok(page_html(StatusCode::OK, render(&visitor, &described)))
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn render(visitor: &Visitor, standard: &Value) -> Markup {
    let title = text(standard, "title");
    let title = if title.is_empty() {
        "The police API standard"
    } else {
        title
    };
    let rules: &[Value] = standard
        .get("rules")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let count = |level: &str| rules.iter().filter(|r| text(r, "level") == level).count();
    let mut groups: Vec<(&str, &str, Vec<&Value>)> = CATEGORIES
        .iter()
        .map(|(k, t)| (*k, *t, Vec::new()))
        .collect();
    for rule in rules {
        let category = text(rule, "category");
        match groups.iter_mut().find(|(k, _, _)| *k == category) {
            Some((_, _, list)) => list.push(rule),
            None => groups.push((category, category, vec![rule])),
        }
    }
    for (_, _, list) in &mut groups {
        // MUST rules first, then by name.
        list.sort_by_key(|r| (text(r, "level") != "MUST", text(r, "name")));
    }
    let head = Head::new(title).crumb("Home", "/");
    let body = html! {
        span class="govuk-caption-l" { "Version " (text(standard, "version")) @if !text(standard, "published").is_empty() { ", published " (text(standard, "published")) } }
        h1 class="govuk-heading-l" { (title) }
        div class="govuk-grid-row" {
            div class="govuk-grid-column-two-thirds" {
                p class="govuk-body-l" { (text(standard, "summary")) }
                p class="govuk-body" {
                    (rules.len()) " rules: " (count("MUST")) " MUST rules, which a version must all meet to earn the kitemark, and "
                    (count("SHOULD")) " SHOULD rules, which count towards the score out of 100."
                }
            }
        }
        nav aria-labelledby="contents-title" class="govuk-!-margin-bottom-6" {
            h2 class="govuk-heading-s" id="contents-title" { "Contents" }
            ul class="govuk-list" {
                @for (key, name, list) in &groups {
                    @if !list.is_empty() {
                        li { a class="govuk-link" href=(format!("#{key}")) { (name) " (" (list.len()) ")" } }
                    }
                }
                li { a class="govuk-link" href="#tiers" { "Interoperability tiers of systems" } }
            }
        }
        @for (key, name, list) in &groups {
            @if !list.is_empty() {
                h2 class="govuk-heading-m" id=(key) { (name) }
                @for rule in list {
                    (rule_section(rule))
                }
            }
        }
        (tiers_section())
    };
    layout::page(visitor, &head, body)
}

/// The tiers' criteria, from the code that judges them.
fn tiers_section() -> Markup {
    use crate::tiers::{
        RULE_CONFIRMED_CONSUMER, RULE_CONFORMANT_CLAIM, RULE_KITEMARKED, RULE_REGISTERED,
    };
    html! {
        h2 class="govuk-heading-m" id="tiers" { "Interoperability tiers of systems" }
        div class="govuk-grid-row" {
            div class="govuk-grid-column-two-thirds" {
                p class="govuk-body" {
                    "Each system in the catalogue has a tier that the catalogue works out from the evidence it holds: "
                    "nobody types it in, and it changes as soon as the evidence does. Each tier needs the one below it. "
                    "Only evidence that everyone who can see the system can see counts, so the tier means the same to every reader."
                }
                dl class="govuk-summary-list" {
                    (layout::row("Bronze", html! { (RULE_REGISTERED) }))
                    (layout::row("Silver", html! { (RULE_KITEMARKED) }))
                    (layout::row("Gold", html! {
                        p class="govuk-body" { (RULE_CONFORMANT_CLAIM) }
                        p class="govuk-body" { "And: " (RULE_CONFIRMED_CONSUMER) }
                    }))
                }
                p class="govuk-body" {
                    "A system's page shows its tier, the evidence for each criterion and what the next tier still needs; "
                    "search can be narrowed to APIs of systems at a tier."
                }
            }
        }
    }
}

fn rule_section(rule: &Value) -> Markup {
    let name = text(rule, "name");
    let level = text(rule, "level");
    html! {
        section class="pac-rule govuk-!-margin-bottom-6" aria-labelledby=(format!("rule-{name}")) {
            h3 class="govuk-heading-s govuk-!-margin-bottom-2" id=(format!("rule-{name}")) {
                code { (name) } " "
                @if level == "MUST" { (layout::tag("MUST", Some("red"))) } @else { (layout::tag(level, Some("blue"))) }
            }
            div class="pac-markdown" { (pac_web::markdown::block(text(rule, "description"))) }
            @if !text(rule, "rationale").is_empty() {
                h4 class="govuk-heading-s govuk-!-margin-bottom-1" { "Why" }
                div class="pac-markdown" { (pac_web::markdown::block(text(rule, "rationale"))) }
            }
            @if !text(rule, "fix").is_empty() {
                h4 class="govuk-heading-s govuk-!-margin-bottom-1" { "How to fix" }
                div class="pac-markdown" { (pac_web::markdown::block(text(rule, "fix"))) }
            }
            @if !text(rule, "source").is_empty() {
                h4 class="govuk-heading-s govuk-!-margin-bottom-1" { "Follows" }
                div class="pac-markdown" { (pac_web::markdown::block(text(rule, "source"))) }
            }
        }
    }
}
