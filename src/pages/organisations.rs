//! `/organisations/{org}` and `/systems/{system}`: what an organisation owns, and what a system
//! provides, consumes and implements, as the visitor may see it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::apis::claim_status;
use super::layout::{self, Head, row};
use super::{PageResult, Visitor, html as page_html, links, paging};
use crate::AppState;
use crate::store::Page;
use crate::store::apis::ApiRecord;
use crate::tiers::{Assessment, Item};
use crate::usecase::organisations::{self, OrganisationOverview};
use crate::usecase::systems::{self, SystemOverview};

/// Systems and APIs listed per page of an organisation's or a system's page.
const PER_PAGE: i64 = 50;
/// The last page an address may ask for.
const MAX_PAGE: usize = 1_000;

#[derive(Deserialize)]
struct PageQuery {
    page: Option<String>,
}

fn page_of(req: &HttpRequest) -> Result<(usize, Page), super::PageError> {
    let q: PageQuery = super::query(req)?;
    let page = paging::parse(q.page.as_deref(), MAX_PAGE)?;
    Ok((
        page,
        Page {
            limit: PER_PAGE,
            offset: (page as i64 - 1) * PER_PAGE,
        },
    ))
}

#[get("/organisations/{org}")]
pub async fn organisation_page(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
    req: HttpRequest,
) -> PageResult {
    let (number, page) = page_of(&req)?;
    let slug = path.into_inner();
    let body = super::blocking(move || {
        let o = organisations::overview(&state.catalogue, &visitor.principal, &slug, page)?;
        Ok(render_organisation(&visitor, &o, number))
    })
    .await?;
    Ok(page_html(StatusCode::OK, body))
}

fn org_kind(kind: &str) -> &str {
    match kind {
        "force" => "Police force",
        "supplier" => "Supplier",
        "national_body" => "National body",
        "partner" => "Partner agency",
        other => other,
    }
}

fn render_organisation(visitor: &Visitor, o: &OrganisationOverview, number: usize) -> Markup {
    let org = &o.organisation;
    let pages = paging::count(o.systems.total.max(o.apis.total), PER_PAGE);
    let head = Head::new(&org.name).crumb("Home", "/");
    let body = html! {
        span class="govuk-caption-l" { (org_kind(org.kind.as_str())) }
        h1 class="govuk-heading-l" { (org.name) }
        @if let Some(d) = org.description.as_deref().filter(|d| !d.trim().is_empty()) {
            div class="pac-markdown" { (pac_web::markdown::block(d)) }
        }
        dl class="govuk-summary-list" {
            (row("Kind", html! { (org_kind(org.kind.as_str())) }))
            @if let Some(h) = &org.homepage {
                (row("Website", html! { a class="govuk-link" href=(h) rel="noopener noreferrer" { (h) } }))
            }
            (row("Systems", html! { (o.systems.total) }))
            (row("APIs", html! {
                (o.apis.total) " "
                a class="govuk-link" href=(format!("/search?org={}", links::query_value(&org.slug))) {
                    "search inside them" span class="govuk-visually-hidden" { " (" (org.name) ")" }
                }
            }))
        }
        h2 class="govuk-heading-m" id="systems" { "Systems" }
        @if o.systems.items.is_empty() {
            p class="govuk-body" {
                @if number == 1 { "No system you can see." } @else { "No more systems." }
            }
        } @else {
            table class="govuk-table" {
                caption class="govuk-table__caption govuk-table__caption--s govuk-visually-hidden" { "Systems of " (org.name) }
                (layout::table_head(&["System", "About"]))
                tbody class="govuk-table__body" {
                    @for s in &o.systems.items {
                        tr class="govuk-table__row" {
                            td class="govuk-table__cell" { a class="govuk-link" href=(links::system(&s.system.slug)) { (s.system.name) } }
                            td class="govuk-table__cell" { (s.system.description.as_deref().map(|d| pac_web::markdown::excerpt(d, 200)).unwrap_or_default()) }
                        }
                    }
                }
            }
        }
        h2 class="govuk-heading-m" id="apis" { "APIs" }
        (api_table(&o.apis.items, &format!("APIs of {}", org.name), number))
        (paging::nav(number, pages, |p| format!("{}?page={p}", links::organisation(&org.slug))))
    };
    layout::page(visitor, &head, body)
}

/// A table of APIs: name, lifecycle, latest version and format.
fn api_table(apis: &[ApiRecord], caption: &str, number: usize) -> Markup {
    html! {
        @if apis.is_empty() {
            p class="govuk-body" {
                @if number == 1 { "No API you can see." } @else { "No more APIs." }
            }
        } @else {
            table class="govuk-table" {
                caption class="govuk-table__caption govuk-table__caption--s govuk-visually-hidden" { (caption) }
                (layout::table_head(&["API", "Lifecycle", "Latest version"]))
                tbody class="govuk-table__body" {
                    @for a in apis {
                        tr class="govuk-table__row" {
                            td class="govuk-table__cell" { a class="govuk-link" href=(links::api(&a.api.slug)) { (a.api.name) } }
                            td class="govuk-table__cell" { (layout::lifecycle_tag(a.api.lifecycle.as_str())) }
                            td class="govuk-table__cell" {
                                @match &a.api.latest_version {
                                    Some(v) => { (v) " (" (a.api.latest_spec_format.as_deref().unwrap_or("link only")) ")" },
                                    None => "none yet",
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The tier, what earned it and what the next tier needs: every item is something the system's
/// readers may see (`crate::tiers`).
fn tier_section(name: &str, a: &Assessment) -> Markup {
    html! {
        h2 class="govuk-heading-m" id="tier" { "Interoperability tier" }
        p class="govuk-body" {
            @match a.tier {
                Some(t) => { (name) " is at the " strong { (t.label()) } " tier." }
                None => { (name) " has not reached the Bronze tier yet." }
            }
            " The catalogue works the tier out from what it holds, under " (a.standard) "; nobody types it in. "
            a class="govuk-link" href="/standard#tiers" { "How tiers are earned" }
        }
        @if let Some(next) = &a.next {
            div class="govuk-inset-text" {
                h3 class="govuk-heading-s" { "What the " (next.tier.label()) " tier still needs" }
                ul class="govuk-list govuk-list--bullet" {
                    @for item in &next.missing { li { (tier_item(item)) } }
                }
            }
        }
        table class="govuk-table" {
            caption class="govuk-table__caption govuk-table__caption--s" { "Criteria of each tier, and the evidence" }
            (layout::table_head(&["Tier", "Criterion", "Met", "Evidence"]))
            tbody class="govuk-table__body" {
                @for c in &a.criteria {
                    tr class="govuk-table__row" {
                        td class="govuk-table__cell" { (c.tier.label()) }
                        td class="govuk-table__cell" { (c.rule) }
                        td class="govuk-table__cell" {
                            @if c.met { (layout::tag("Met", Some("green"))) } @else { (layout::tag("Not met", Some("grey"))) }
                        }
                        td class="govuk-table__cell" {
                            @if c.evidence.is_empty() {
                                "None"
                            } @else {
                                ul class="govuk-list" {
                                    @for item in &c.evidence { li { (tier_item(item)) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// An item of evidence or a gap, with the system or API it names linked where the text names it.
fn tier_item(item: &Item) -> Markup {
    let target = match (&item.system, &item.api) {
        (Some(system), _) => Some((format!("System {system}"), links::system(system))),
        (None, Some(api)) => Some((format!("API {api}"), links::api(api))),
        (None, None) => None,
    };
    match target {
        Some((words, href)) => match item.text.split_once(words.as_str()) {
            Some((before, after)) => html! {
                (before) a class="govuk-link" href=(href) { (words) } (after)
            },
            None => html! { (item.text) " " a class="govuk-link" href=(href) { (words) } },
        },
        None => html! { (item.text) },
    }
}

#[get("/systems/{system}")]
pub async fn system_page(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
    req: HttpRequest,
) -> PageResult {
    let (number, page) = page_of(&req)?;
    let slug = path.into_inner();
    let body = super::blocking(move || {
        let o = systems::overview(&state.catalogue, &visitor.principal, &slug, page)?;
        Ok(render_system(&visitor, &o, number))
    })
    .await?;
    Ok(page_html(StatusCode::OK, body))
}

fn render_system(visitor: &Visitor, o: &SystemOverview, number: usize) -> Markup {
    let s = &o.system.system;
    let head = Head::new(&s.name)
        .crumb("Home", "/")
        .crumb(o.owner.name.clone(), links::organisation(&o.owner.slug));
    let body = html! {
        span class="govuk-caption-l" { "System of " (o.owner.name) }
        h1 class="govuk-heading-l" { (s.name) }
        @if let Some(d) = s.description.as_deref().filter(|d| !d.trim().is_empty()) {
            div class="pac-markdown" { (pac_web::markdown::block(d)) }
        }
        dl class="govuk-summary-list" {
            (row("Owner", html! { a class="govuk-link" href=(links::organisation(&o.owner.slug)) { (o.owner.name) } }))
            (row("Visibility", html! { (s.visibility.as_str()) }))
            (row("Interoperability tier", html! {
                (layout::tier_tag(o.tier.tier)) " "
                a class="govuk-link" href="#tier" { "How it was judged" }
            }))
        }
        h2 class="govuk-heading-m" id="provides" { "APIs it provides" }
        (api_table(&o.provides.items, &format!("APIs of {}", s.name), number))
        (paging::nav(number, paging::count(o.provides.total, PER_PAGE), |p| format!("{}?page={p}", links::system(&s.slug))))
        h2 class="govuk-heading-m" id="consumes" { "APIs it consumes" }
        @if o.consumes.is_empty() {
            p class="govuk-body" { "No use of an API you can see is recorded." }
        } @else {
            table class="govuk-table" {
                caption class="govuk-table__caption govuk-table__caption--s govuk-visually-hidden" { "APIs " (s.name) " consumes" }
                (layout::table_head(&["API", "Version", "Purpose", "Replaces"]))
                tbody class="govuk-table__body" {
                    @for u in &o.consumes {
                        tr class="govuk-table__row" {
                            td class="govuk-table__cell" { a class="govuk-link" href=(links::api(&u.api)) { (u.api) } }
                            td class="govuk-table__cell" { (u.version.as_deref().unwrap_or("any")) }
                            td class="govuk-table__cell" { (u.row.purpose) }
                            td class="govuk-table__cell" {
                                (u.row.replaces.as_str().replace('_', " "))
                                @if let Some(h) = u.row.hours_saved_per_month { ", " (h) " hours saved a month" }
                            }
                        }
                    }
                }
            }
        }
        (tier_section(&s.name, &o.tier))
        h2 class="govuk-heading-m" id="implements" { "Contracts it implements" }
        @if o.implements.is_empty() {
            p class="govuk-body" { "No claim to implement an interoperability contract." }
        } @else {
            table class="govuk-table" {
                caption class="govuk-table__caption govuk-table__caption--s govuk-visually-hidden" { "Contracts " (s.name) " implements" }
                (layout::table_head(&["Contract", "Version", "Through API", "Status"]))
                tbody class="govuk-table__body" {
                    @for c in &o.implements {
                        tr class="govuk-table__row" {
                            td class="govuk-table__cell" { (c.contract) }
                            td class="govuk-table__cell" { (c.contract_version) }
                            td class="govuk-table__cell" { a class="govuk-link" href=(links::api(&c.api)) { (c.api) } }
                            td class="govuk-table__cell" { (claim_status(c.row.status.as_str())) }
                        }
                    }
                }
            }
        }
    };
    layout::page(visitor, &head, body)
}
