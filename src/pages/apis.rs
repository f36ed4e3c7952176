//! `/apis/{api}`: an API's page. Who owns it and in which system, its lifecycle (deprecation and
//! retirement shown first), visibility and tags, its kitemark and score, its versions with a way
//! to open or compare them, who consumes it, the contracts it claims, and the index of its latest
//! version's reference.

use actix_web::{HttpResponse, get, web};
use maud::{Markup, html};
use serde_json::Value;

use super::layout::{self, Head, row};
use super::{PageResult, Visitor, html as page_html, links};
use crate::AppState;
use crate::store::Page;
use crate::store::versions::OperationRow;
use crate::usecase::versions::{self, ApiOverview};

/// The newest versions an API's page lists; older ones are on the version switcher's later pages.
const VERSIONS_SHOWN: i64 = 50;

#[derive(serde::Deserialize)]
struct ApiPageQuery {
    /// The version switcher's choice: the page redirects to that version's reference.
    version: Option<String>,
}

#[get("/apis/{api}")]
pub async fn get_api_page(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
    req: actix_web::HttpRequest,
) -> PageResult {
    let slug = path.into_inner();
    let query: ApiPageQuery = super::query(&req)?;
    if let Some(v) = query.version.filter(|v| !v.trim().is_empty()) {
        return Ok(HttpResponse::SeeOther()
            .insert_header(("Location", links::version(&slug, v.trim())))
            .finish());
    }
    let body = super::blocking(move || {
        let cat = &state.catalogue;
        let page = Page {
            limit: VERSIONS_SHOWN,
            offset: 0,
        };
        let overview = versions::overview(cat, &visitor.principal, &slug, page)?;
        let operations = match &overview.latest {
            Some(v) if v.operation_count > 0 => {
                versions::all_operations(cat, &visitor.principal, &slug, &v.version)?
            }
            _ => Vec::new(),
        };
        Ok(render(&visitor, &overview, &operations))
    })
    .await?;
    Ok(page_html(actix_web::http::StatusCode::OK, body))
}

fn render(visitor: &Visitor, o: &ApiOverview, operations: &[OperationRow]) -> Markup {
    let api = &o.api.api;
    let head = Head::new(&api.name)
        .crumb("Home", "/")
        .crumb(o.owner.name.clone(), links::organisation(&o.owner.slug));
    let body = html! {
        span class="govuk-caption-l" { "API of " (o.owner.name) }
        h1 class="govuk-heading-l" { (api.name) }
        (lifecycle_warning(o))
        @if let Some(d) = api.description.as_deref().filter(|d| !d.trim().is_empty()) {
            div class="pac-markdown" { (pac_web::markdown::block(d)) }
        }
        dl class="govuk-summary-list" {
            (row("Owner", html! { a class="govuk-link" href=(links::organisation(&o.owner.slug)) { (o.owner.name) } }))
            (row("System", match &o.api.system {
                Some(s) => html! { a class="govuk-link" href=(links::system(s)) { (s) } },
                None => html! { "Not recorded" },
            }))
            (row("Lifecycle", layout::lifecycle_tag(api.lifecycle.as_str())))
            (row("Visibility", visibility(api.visibility.as_str())))
            @if !o.api.tags.is_empty() {
                (row("Tags", html! {
                    ul class="govuk-list" {
                        @for t in &o.api.tags {
                            li { a class="govuk-link" href=(format!("/search?tag={}", links::query_value(t))) { (t) } }
                        }
                    }
                }))
            }
            @if let Some(url) = &api.documentation_url {
                (row("Documentation", html! { a class="govuk-link" href=(url) rel="noopener noreferrer" { (url) } }))
            }
            (row("Latest version", match &o.latest {
                Some(v) => html! { a class="govuk-link" href=(links::version(&api.slug, &v.version)) { (v.version) } " (" (v.spec_format.as_deref().unwrap_or("link only")) ")" },
                None => html! { "No version published yet" },
            }))
        }
        (standard(o))
        (versions_section(o))
        (consumers(o))
        (claims(o))
        @if let Some(v) = &o.latest {
            h2 class="govuk-heading-m" id="reference" { "Reference of version " (v.version) }
            @if v.content_sha256.is_none() {
                p class="govuk-body" { "This version is a link-only entry: its description is kept elsewhere." }
            } @else {
                p class="govuk-body" {
                    (v.operation_count) " operations and " (v.schema_count) " schemas. "
                    a class="govuk-link" href=(links::version(&api.slug, &v.version)) { "Read the full reference of version " (v.version) }
                    " (servers, security, findings under the standard, changes)."
                }
                (operation_index(&api.slug, &v.version, operations))
            }
        }
    };
    layout::page(visitor, &head, body)
}

/// Deprecation and retirement come first, in words a consumer acts on.
fn lifecycle_warning(o: &ApiOverview) -> Markup {
    let api = &o.api.api;
    let text = match api.lifecycle.as_str() {
        "deprecated" => "This API is deprecated: do not start using it, and plan to move off it.",
        "retired" => "This API is retired: it is no longer offered.",
        "draft" => "This API is a draft: it may change without notice.",
        _ => return html! {},
    };
    html! {
        div class="govuk-warning-text" {
            span class="govuk-warning-text__icon" aria-hidden="true" { "!" }
            strong class="govuk-warning-text__text" {
                span class="govuk-visually-hidden" { "Warning" }
                (text)
                @if !o.consumers.is_empty() {
                    " " (o.consumers.len()) " system" @if o.consumers.len() != 1 { "s" } " you can see consume it."
                }
            }
        }
    }
}

fn visibility(v: &str) -> Markup {
    let text = match v {
        "public" => "Public: anyone can see it",
        "policing" => "Policing: signed-in people of policing organisations",
        "restricted" => "Restricted: its owner's organisation only",
        other => other,
    };
    html! { (text) }
}

fn standard(o: &ApiOverview) -> Markup {
    let Some(latest) = &o.latest else {
        return html! {};
    };
    html! {
        h2 class="govuk-heading-m" { "The police API standard" }
        @match &o.standard {
            Some(e) => {
                dl class="govuk-summary-list" {
                    (row("Kitemark", layout::kitemark_tag(Some(if e.kitemark { "yes" } else { "no" }))))
                    (row("Score", html! { (e.score) " out of 100" }))
                    (row("Findings", html! {
                        (e.errors) " failing MUST rule" @if e.errors != 1 { "s" } ", "
                        (e.warnings) " SHOULD finding" @if e.warnings != 1 { "s" } " "
                        a class="govuk-link" href=(format!("{}#findings", links::version(&o.api.api.slug, &latest.version))) {
                            "see the findings" span class="govuk-visually-hidden" { " for version " (latest.version) }
                        }
                    }))
                    (row("Evaluated against", html! { (e.ruleset) " " (e.ruleset_version) }))
                }
            }
            None => p class="govuk-body" {
                @if latest.content_sha256.is_none() {
                    "A link-only entry is not evaluated: publish its description to earn the kitemark."
                } @else {
                    "Version " (latest.version) " has not been evaluated yet."
                }
            },
        }
    }
}

fn versions_section(o: &ApiOverview) -> Markup {
    let slug = &o.api.api.slug;
    let described: Vec<_> = o
        .versions
        .items
        .iter()
        .filter(|v| v.content_sha256.is_some())
        .collect();
    html! {
        h2 class="govuk-heading-m" id="versions" { "Versions" }
        @if o.versions.items.is_empty() {
            p class="govuk-body" { "No version has been published." }
        } @else {
            form action=(links::api(slug)) method="get" class="govuk-!-margin-bottom-4" {
                div class="govuk-form-group" {
                    label class="govuk-label" for="version" { "Open version" }
                    select class="govuk-select" id="version" name="version" {
                        @for v in &o.versions.items {
                            option value=(v.version) selected[Some(&v.version) == o.api.api.latest_version.as_ref()] { (v.version) }
                        }
                    }
                    " "
                    button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button" { "Open" }
                }
            }
            table class="govuk-table" {
                caption class="govuk-table__caption govuk-table__caption--s" {
                    @if o.versions.total > o.versions.items.len() as i64 {
                        "The newest " (o.versions.items.len()) " of " (o.versions.total) " versions"
                    } @else {
                        (o.versions.total) " version" @if o.versions.total != 1 { "s" } ", newest first"
                    }
                }
                (layout::table_head(&["Version", "Published", "Operations", "Changes"]))
                tbody class="govuk-table__body" {
                    @for (i, v) in o.versions.items.iter().enumerate() {
                        tr class="govuk-table__row" {
                            td class="govuk-table__cell" { a class="govuk-link" href=(links::version(slug, &v.version)) { (v.version) } }
                            td class="govuk-table__cell" { (v.published_at.format("%-d %B %Y")) }
                            td class="govuk-table__cell" { @if v.content_sha256.is_some() { (v.operation_count) } @else { "link only" } }
                            td class="govuk-table__cell" {
                                (changes_cell(slug, v, o.versions.items.get(i + 1)))
                            }
                        }
                    }
                }
            }
            @if described.len() >= 2 {
                (compare_form(slug, &described.iter().map(|v| v.version.as_str()).collect::<Vec<_>>(), described[1].version.as_str(), described[0].version.as_str()))
            }
        }
    }
}

fn changes_cell(
    slug: &str,
    v: &crate::store::versions::VersionRow,
    before: Option<&crate::store::versions::VersionRow>,
) -> Markup {
    let summary = v
        .changes
        .as_deref()
        .and_then(|c| serde_json::from_str::<Value>(c).ok());
    let from = summary
        .as_ref()
        .and_then(|s| s.get("from"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| {
            before
                .filter(|b| b.content_sha256.is_some())
                .map(|b| b.version.clone())
        });
    let breaking = summary
        .as_ref()
        .and_then(|s| s.pointer("/summary/breaking"))
        .and_then(Value::as_u64);
    match (from, v.content_sha256.is_some()) {
        (Some(from), true) => html! {
            a class="govuk-link" href=(links::compare(slug, &from, &v.version)) {
                @match breaking {
                    Some(0) => "No breaking changes",
                    Some(1) => "1 breaking change",
                    Some(n) => { (n) " breaking changes" },
                    None => "Compare",
                }
                span class="govuk-visually-hidden" { " from " (from) " to " (v.version) }
            }
        },
        _ => html! { "—" },
    }
}

/// Two selects that open the compare page; works without JavaScript.
pub fn compare_form(slug: &str, labels: &[&str], from: &str, to: &str) -> Markup {
    html! {
        form action=(format!("{}/compare", links::api(slug))) method="get" class="pac-compare-form" {
            fieldset class="govuk-fieldset" {
                legend class="govuk-fieldset__legend govuk-fieldset__legend--s" { "Compare two versions" }
                div class="govuk-form-group govuk-!-display-inline-block govuk-!-margin-right-3" {
                    label class="govuk-label" for="compare-from" { "From" }
                    select class="govuk-select" id="compare-from" name="from" {
                        @for l in labels { option value=(l) selected[*l == from] { (l) } }
                    }
                }
                div class="govuk-form-group govuk-!-display-inline-block govuk-!-margin-right-3" {
                    label class="govuk-label" for="compare-to" { "To" }
                    select class="govuk-select" id="compare-to" name="to" {
                        @for l in labels { option value=(l) selected[*l == to] { (l) } }
                    }
                }
                button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button" { "Compare" }
            }
        }
    }
}

fn consumers(o: &ApiOverview) -> Markup {
    html! {
        h2 class="govuk-heading-m" id="consumers" { "Who consumes it" }
        @if o.consumers.is_empty() {
            p class="govuk-body" { "No system you can see records that it consumes this API." }
        } @else {
            p class="govuk-body" { "These systems break if this API changes incompatibly." }
            table class="govuk-table" {
                (layout::table_head(&["System", "Organisation", "Version", "Purpose"]))
                tbody class="govuk-table__body" {
                    @for u in &o.consumers {
                        tr class="govuk-table__row" {
                            td class="govuk-table__cell" { a class="govuk-link" href=(links::system(&u.system.system.slug)) { (u.system.system.name) } }
                            td class="govuk-table__cell" { a class="govuk-link" href=(links::organisation(&u.system.owner)) { (u.system.owner) } }
                            td class="govuk-table__cell" { (u.version.as_deref().unwrap_or("any")) }
                            td class="govuk-table__cell" { (u.row.purpose) }
                        }
                    }
                }
            }
        }
    }
}

fn claims(o: &ApiOverview) -> Markup {
    html! {
        h2 class="govuk-heading-m" id="contracts" { "Contracts it implements" }
        @if o.claims.is_empty() {
            p class="govuk-body" { "No claim that this API implements an interoperability contract." }
        } @else {
            table class="govuk-table" {
                (layout::table_head(&["Contract", "Version", "Claimed by", "Status"]))
                tbody class="govuk-table__body" {
                    @for c in &o.claims {
                        tr class="govuk-table__row" {
                            td class="govuk-table__cell" { (c.contract) }
                            td class="govuk-table__cell" { (c.contract_version) }
                            td class="govuk-table__cell" { a class="govuk-link" href=(links::system(&c.system)) { (c.system) } }
                            td class="govuk-table__cell" { (claim_status(c.row.status.as_str())) }
                        }
                    }
                }
            }
        }
    }
}

pub fn claim_status(status: &str) -> Markup {
    match status {
        "conformant" => layout::tag("Conformant", Some("green")),
        "not_conformant" => layout::tag("Not conformant", Some("red")),
        _ => layout::tag("Not verified", Some("grey")),
    }
}

/// The operations of a version grouped by their first tag (untagged last), each linking to its
/// page. Shared by the API page and the version's reference.
pub fn operation_index(api: &str, version: &str, operations: &[OperationRow]) -> Markup {
    let mut groups: Vec<(String, Vec<&OperationRow>)> = Vec::new();
    for op in operations {
        let tag = serde_json::from_str::<Vec<String>>(&op.tags)
            .ok()
            .and_then(|t| t.into_iter().next())
            .unwrap_or_default();
        match groups.iter_mut().find(|(t, _)| *t == tag) {
            Some((_, ops)) => ops.push(op),
            None => groups.push((tag, vec![op])),
        }
    }
    groups.sort_by_key(|(t, _)| t.is_empty());
    html! {
        @for (tag, ops) in &groups {
            h3 class="govuk-heading-s" { @if tag.is_empty() { "Other operations" } @else { (tag) } }
            ul class="govuk-list pac-operations" {
                @for op in ops {
                    li {
                        (method(&op.method)) " "
                        a class="govuk-link" href=(links::operation(api, version, &op.method, &op.path, op.operation_id.as_deref())) {
                            span class="pac-path" { (op.path) }
                        }
                        @if let Some(s) = op.summary.as_deref().filter(|s| !s.is_empty()) { " – " (s) }
                        @if op.deprecated { " " (layout::tag("deprecated", Some("orange"))) }
                    }
                }
            }
        }
    }
}

/// An HTTP method as a coloured label.
pub fn method(m: &str) -> Markup {
    let lower = m.to_ascii_lowercase();
    html! { strong class=(format!("pac-method pac-method--{lower}")) { (m.to_ascii_uppercase()) } }
}
