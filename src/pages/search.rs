//! `/` and `/search?q=…`: search over everything inside the descriptions a visitor may see, with
//! the facets of the JSON API as links, highlighted snippets, pages of results, and a page that
//! helps when nothing matches.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use super::layout::{self, Head};
use super::{PageResult, Visitor, html as page_html, links};
use crate::AppState;
use crate::auth::policy::Visible;
use crate::error::{Code, Error};
use crate::search::request::{DEFAULT_LIMIT, MAX_OFFSET, SearchParams};
use crate::search::{Hit, SearchRequest, SearchResults};

/// The filters a search page keeps in its address, in the order links write them.
const FILTERS: &[(&str, &str)] = &[
    ("kind", "Kind"),
    ("org", "Organisation"),
    ("org_kind", "Kind of organisation"),
    ("lifecycle", "Lifecycle"),
    ("tag", "Tag"),
    ("format", "Format"),
    ("kitemark", "Kitemark"),
    ("min_score", "Score"),
    ("tier", "Interoperability tier"),
];

/// What a search page's address may hold: the JSON API's search parameters, with `page` instead
/// of `offset`.
#[derive(Debug, Default, Deserialize)]
pub struct PageParams {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub org: Option<String>,
    pub org_kind: Option<String>,
    pub lifecycle: Option<String>,
    pub tag: Option<String>,
    pub format: Option<String>,
    pub kitemark: Option<String>,
    pub min_score: Option<String>,
    pub tier: Option<String>,
    pub page: Option<String>,
}

impl PageParams {
    fn get(&self, name: &str) -> Option<&str> {
        match name {
            "q" => self.q.as_deref(),
            "kind" => self.kind.as_deref(),
            "org" => self.org.as_deref(),
            "org_kind" => self.org_kind.as_deref(),
            "lifecycle" => self.lifecycle.as_deref(),
            "tag" => self.tag.as_deref(),
            "format" => self.format.as_deref(),
            "kitemark" => self.kitemark.as_deref(),
            "min_score" => self.min_score.as_deref(),
            "tier" => self.tier.as_deref(),
            _ => None,
        }
        .filter(|v| !v.trim().is_empty())
    }

    /// The address of this search with `name` set to `value` (None removes it), back on page 1.
    fn with(&self, name: &str, value: Option<&str>) -> String {
        let mut parts = Vec::new();
        for key in std::iter::once("q").chain(FILTERS.iter().map(|(k, _)| *k)) {
            let v = if key == name { value } else { self.get(key) };
            if let Some(v) = v {
                parts.push(format!("{key}={}", links::query_value(v)));
            }
        }
        if parts.is_empty() {
            "/search".to_owned()
        } else {
            format!("/search?{}", parts.join("&"))
        }
    }

    fn page_href(&self, page: usize) -> String {
        let base = self.with("", None);
        if page <= 1 {
            return base;
        }
        let sep = if base.contains('?') { '&' } else { '?' };
        format!("{base}{sep}page={page}")
    }

    fn page(&self) -> Result<usize, Error> {
        super::paging::parse(self.page.as_deref(), MAX_OFFSET / DEFAULT_LIMIT + 1)
    }

    fn request(&self) -> Result<SearchRequest, Error> {
        let page = self.page()?;
        SearchRequest::parse(SearchParams {
            q: self.q.clone(),
            kind: self.get("kind").map(str::to_owned),
            org: self.get("org").map(str::to_owned),
            org_kind: self.get("org_kind").map(str::to_owned),
            lifecycle: self.get("lifecycle").map(str::to_owned),
            tag: self.get("tag").map(str::to_owned),
            format: self.get("format").map(str::to_owned),
            kitemark: self.get("kitemark").map(str::to_owned),
            min_score: self.get("min_score").map(str::to_owned),
            tier: self.get("tier").map(str::to_owned),
            limit: Some(DEFAULT_LIMIT.to_string()),
            offset: Some(((page - 1) * DEFAULT_LIMIT).to_string()),
        })
    }
}

/// The home page: the search box, and everything the visitor may see.
#[get("/")]
pub async fn home(state: web::Data<AppState>, visitor: Visitor, req: HttpRequest) -> PageResult {
    answer(state, visitor, &req, true).await
}

/// A search.
#[get("/search")]
pub async fn search(state: web::Data<AppState>, visitor: Visitor, req: HttpRequest) -> PageResult {
    answer(state, visitor, &req, false).await
}

/// Searches and renders off the async workers (the index and the store block).
async fn answer(
    state: web::Data<AppState>,
    visitor: Visitor,
    req: &HttpRequest,
    is_home: bool,
) -> PageResult {
    let params: PageParams = super::query(req)?;
    let (status, body) = super::blocking(move || render(&state, &visitor, params, is_home)).await?;
    Ok(page_html(status, body))
}

#[derive(Deserialize)]
struct SuggestParams {
    q: Option<String>,
}

/// Suggestions for the search box while a visitor types (used by `catalogue.js`): titles of APIs,
/// operations and schemas this visitor may see, signed in or not. JSON, as the JSON API's
/// `/api/v1/search/suggest` answers, but reading the visitor's session.
#[get("/search/suggest")]
pub async fn suggest(
    state: web::Data<AppState>,
    visitor: Visitor,
    req: HttpRequest,
) -> Result<HttpResponse, Error> {
    let params = web::Query::<SuggestParams>::from_query(req.query_string())
        .map_err(|e| Error::invalid(Code::InvalidQuery, format!("the query string: {e}")))?;
    let visible = Visible::for_principal(&visitor.principal);
    let typed = params.q.as_deref().unwrap_or("");
    let suggestions = state.search.suggest(typed, None, SUGGESTIONS, &visible)?;
    Ok(HttpResponse::Ok()
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "private, max-age=60",
        ))
        .json(serde_json::json!({ "suggestions": suggestions })))
}

/// Suggestions offered while typing, and titles offered when nothing matched.
const SUGGESTIONS: usize = 8;

/// When nothing matched: titles the visitor may see that begin like the words they typed (the
/// first three letters of each longer word), for a mistyped word the typo tolerance did not
/// reach. Drawn from the same visibility-filtered suggestions as the search box's.
fn similar_titles(state: &AppState, q: &str, visible: &Visible) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in q
        .split_whitespace()
        .filter(|w| w.chars().count() >= 4)
        .take(4)
    {
        let prefix: String = word.chars().take(3).collect();
        if let Ok(found) = state.search.suggest(&prefix, None, SUGGESTIONS, visible) {
            for s in found {
                if out.len() < SUGGESTIONS && !out.contains(&s.text) {
                    out.push(s.text);
                }
            }
        }
    }
    out
}

fn render(
    state: &AppState,
    visitor: &Visitor,
    params: PageParams,
    is_home: bool,
) -> Result<(StatusCode, Markup), Error> {
    let visible = Visible::for_principal(&visitor.principal);
    // A bad query is answered on the search page itself, with the box to correct it.
    let (results, problem) = match params
        .request()
        .and_then(|r| state.search.search(&r, &visible))
    {
        Ok(r) => (Some(r), None),
        Err(e) if e.status() == StatusCode::BAD_REQUEST => (None, Some(e)),
        Err(e) => return Err(e),
    };
    let orgs = org_names(state);
    let similar = match &results {
        Some(r) if r.total == 0 => {
            similar_titles(state, params.q.as_deref().unwrap_or(""), &visible)
        }
        _ => Vec::new(),
    };
    let q = params.q.as_deref().unwrap_or("").trim();
    let title = match (is_home, q.is_empty()) {
        (true, _) => "Find an API".to_owned(),
        (false, true) => "Search the catalogue".to_owned(),
        (false, false) => format!("Search results for “{q}”"),
    };
    let status = if problem.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = params.page().unwrap_or(1);
    let body = html! {
        h1 class="govuk-heading-l" { (if is_home { "Find an API" } else { "Search the catalogue" }) }
        @if is_home {
            p class="govuk-body-l" {
                "Search the APIs of policing systems: their operations, schemas and properties, "
                "as forces, suppliers and national bodies describe them."
            }
        }
        (search_box(&params, problem.as_ref()))
        @if let Some(results) = &results {
            div class="govuk-grid-row" {
                div class="govuk-grid-column-one-third" {
                    (facets(&params, results, &orgs))
                }
                div class="govuk-grid-column-two-thirds" {
                    (hits(&params, results, page, &similar, &orgs))
                }
            }
        }
    };
    Ok((status, layout::page(visitor, &Head::new(&title), body)))
}

fn search_box(params: &PageParams, problem: Option<&Error>) -> Markup {
    let q = params.q.as_deref().unwrap_or("");
    html! {
        @if let Some(e) = problem {
            div class="govuk-error-summary" data-module="govuk-error-summary" {
                div role="alert" {
                    h2 class="govuk-error-summary__title" { "There is a problem" }
                    div class="govuk-error-summary__body" {
                        ul class="govuk-list govuk-error-summary__list" {
                            li { a href="#q" { (e.detail()) } }
                        }
                    }
                }
            }
        }
        form action="/search" method="get" role="search" class="govuk-!-margin-bottom-6" {
            div class="pac-search" {
                div class=(if problem.is_some() { "govuk-form-group govuk-form-group--error" } else { "govuk-form-group" }) {
                    label class="govuk-label govuk-label--s" for="q" { "Search for APIs, operations, schemas and properties" }
                    div id="q-hint" class="govuk-hint" {
                        "For example: custody record, stop and search, " code { "path:/forces" } " or " code { "property:dateOfBirth" }
                    }
                    @if let Some(e) = problem {
                        p id="q-error" class="govuk-error-message" {
                            span class="govuk-visually-hidden" { "Error:" } " " (e.detail())
                        }
                    }
                    input class=(if problem.is_some() { "govuk-input govuk-input--error" } else { "govuk-input" })
                        id="q" name="q" type="search" value=(q) autocomplete="off" spellcheck="false"
                        data-suggest
                        aria-describedby=(if problem.is_some() { "q-hint q-error" } else { "q-hint" });
                }
                button type="submit" class="govuk-button" data-module="govuk-button" { "Search" }
            }
            // The filters chosen stay when the words change.
            @for (name, _) in FILTERS {
                @if let Some(v) = params.get(name) {
                    input type="hidden" name=(name) value=(v);
                }
            }
        }
    }
}

/// Organisations' names by slug, for the organisation facet (organisations are public).
type OrgNames = std::collections::HashMap<String, String>;

fn org_names(state: &AppState) -> OrgNames {
    let all = crate::store::Page {
        limit: crate::store::Page::MAX_LIMIT,
        offset: 0,
    };
    crate::usecase::organisations::list(
        &state.catalogue,
        None,
        None,
        crate::store::organisations::Sort::Name,
        all,
    )
    .map(|p| p.items.into_iter().map(|o| (o.slug, o.name)).collect())
    .unwrap_or_default()
}

fn facet_label(facet: &str, value: &str, orgs: &OrgNames) -> String {
    match (facet, value) {
        ("org", slug) => orgs.get(slug).cloned().unwrap_or_else(|| slug.to_owned()),
        ("kitemark", "yes") => "Kitemarked".into(),
        ("kitemark", "no") => "Not kitemarked".into(),
        ("kitemark", "unevaluated") => "Not evaluated".into(),
        ("kind", "api") => "APIs".into(),
        ("kind", "operation") => "Operations".into(),
        ("kind", "schema") => "Schemas".into(),
        ("org_kind", "national_body") => "National bodies".into(),
        ("org_kind", "force") => "Forces".into(),
        ("org_kind", "supplier") => "Suppliers".into(),
        ("org_kind", "partner") => "Partner agencies".into(),
        ("format", "none") => "No description (link only)".into(),
        ("min_score", v) => format!("Score {v} or more"),
        ("tier", crate::tiers::NO_TIER) => "No tier yet".into(),
        ("tier", v) => crate::tiers::Tier::parse(v)
            .map(|t| t.label().to_owned())
            .unwrap_or_else(|_| v.to_owned()),
        _ => value.to_owned(),
    }
}

fn facets(params: &PageParams, results: &SearchResults, orgs: &OrgNames) -> Markup {
    let chosen: Vec<(&str, &str, &str)> = FILTERS
        .iter()
        .filter_map(|(name, label)| params.get(name).map(|v| (*name, *label, v)))
        .collect();
    html! {
        div class="pac-facets" {
            h2 class="govuk-heading-m" { "Filter" }
            @if !chosen.is_empty() {
                h3 class="govuk-heading-s" { "Chosen" }
                ul class="govuk-list" {
                    @for (name, label, value) in &chosen {
                        li {
                            a class="govuk-link" href=(params.with(name, None)) {
                                "Remove " (label.to_lowercase()) ": " (facet_label(name, value, orgs))
                            }
                        }
                    }
                }
            }
            @for (name, label) in FILTERS {
                @let facet = if *name == "min_score" { "score" } else { *name };
                @if let Some(values) = results.facets.get(facet).filter(|v| !v.is_empty()) {
                    h2 { (label) }
                    ul {
                        @for v in values {
                            @let value = if *name == "min_score" { v.value.split('-').next().unwrap_or("0") } else { v.value.as_str() };
                            li {
                                @if params.get(name) == Some(value) {
                                    span aria-current="true" { (facet_label(name, value, orgs)) " (" (v.count) ")" }
                                } @else {
                                    a class="govuk-link" href=(params.with(name, Some(value))) {
                                        (facet_label(name, value, orgs)) " (" (v.count) ")"
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn hits(
    params: &PageParams,
    results: &SearchResults,
    page: usize,
    similar: &[String],
    orgs: &OrgNames,
) -> Markup {
    let q = params.q.as_deref().unwrap_or("").trim();
    let pages = (results.total as usize)
        .div_ceil(DEFAULT_LIMIT)
        .min(MAX_OFFSET / DEFAULT_LIMIT + 1);
    let first = (page - 1) * DEFAULT_LIMIT + 1;
    let last = first + results.hits.len().saturating_sub(1);
    html! {
        @if results.total == 0 {
            h2 class="govuk-heading-m" { "No results" @if !q.is_empty() { " for “" (q) "”" } }
            @if !similar.is_empty() {
                p class="govuk-body" { "Did you mean one of these?" }
                ul class="govuk-list" id="similar" {
                    @for t in similar {
                        li { a class="govuk-link" href=(params.with("q", Some(t))) { (t) } }
                    }
                }
            }
            p class="govuk-body" { "Try:" }
            ul class="govuk-list govuk-list--bullet" {
                li { "checking the spelling" }
                li { "fewer or more general words, such as " i { "custody" } " instead of " i { "custody record retrieval" } }
                li { "the words an API would use, such as its paths (" code { "path:/custody" } ") or property names (" code { "property:arrestDate" } ")" }
                @for (name, label) in FILTERS {
                    @if let Some(v) = params.get(name) {
                        li { a class="govuk-link" href=(params.with(name, None)) { "removing the filter " (label.to_lowercase()) ": " (facet_label(name, v, orgs)) } }
                    }
                }
            }
            p class="govuk-body" { "Some APIs are only shown to people from policing who have signed in." }
        } @else {
            @if results.relaxed {
                div class="govuk-inset-text" {
                    "No entry matched most of your words, so these match any of them."
                }
            }
            p class="govuk-body" role="status" {
                @if results.hits.is_empty() {
                    "No more results: there are " (results.total) "."
                } @else {
                    "Showing " (first) " to " (last) " of " (results.total) " " (if results.total == 1 { "result" } else { "results" })
                }
            }
            ol class="pac-hits" start=(first) {
                @for hit in &results.hits {
                    (hit_item(hit))
                }
            }
            @if pages > 1 {
                (pagination(params, page, pages))
            }
        }
    }
}

fn hit_href(hit: &Hit) -> String {
    match (hit.kind, &hit.version, &hit.operation, &hit.schema) {
        ("operation", Some(v), Some(op), _) => links::operation(
            &hit.api,
            v,
            &op.method,
            &op.path,
            op.operation_id.as_deref(),
        ),
        ("schema", Some(v), _, Some(name)) => links::schema(&hit.api, v, name),
        _ => links::api(&hit.api),
    }
}

fn hit_item(hit: &Hit) -> Markup {
    let kind = match hit.kind {
        "operation" => "Operation",
        "schema" => "Schema",
        _ => "API",
    };
    html! {
        li class="pac-hit" {
            h3 class="pac-hit__title" {
                @if let Some(op) = &hit.operation {
                    // Seen here; heard as part of the link's text.
                    span class={"pac-method pac-method--" (op.method.to_ascii_lowercase())} aria-hidden="true" { (op.method.to_ascii_uppercase()) }
                    " "
                }
                a class="govuk-link" href=(hit_href(hit)) {
                    @if let Some(op) = &hit.operation {
                        span class="govuk-visually-hidden" { (op.method.to_ascii_uppercase()) " " }
                    }
                    (hit.title)
                }
            }
            p class="pac-hit__meta" {
                (kind)
                @if let Some(op) = &hit.operation {
                    " " span class="pac-path" { (op.path) }
                }
                " in " (hit.api)
                @if let Some(v) = &hit.version { " " (v) }
                " from " (hit.owner_name.as_deref().unwrap_or(&hit.owner))
                @match (hit.kitemark.as_deref(), hit.score) {
                    (Some("yes"), Some(s)) => { " · kitemarked, score " (s) }
                    (Some("no"), Some(s)) => { " · not kitemarked, score " (s) }
                    _ => {}
                }
                @if let Some(tier) = hit.tier.as_deref().and_then(|t| crate::tiers::Tier::parse(t).ok()) {
                    " · system at " (tier.label()) " tier"
                }
            }
            @if let Some(snippet) = &hit.snippet {
                // Escaped by the search engine, with matches in <b>. Descriptions are Markdown:
                // the snippet drops its code and emphasis marks rather than show them raw.
                p class="pac-hit__snippet" { (PreEscaped(snippet.replace(['`', '*'], ""))) }
            }
        }
    }
}

fn pagination(params: &PageParams, page: usize, pages: usize) -> Markup {
    super::paging::nav(page, pages, |p| params.page_href(p))
}
