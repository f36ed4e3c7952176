//! A version's reference: the version page (`/apis/{api}/versions/{version}`), an operation's
//! page (`…/operations/{operationId}` or `…/operations/{method}/{path…}`) and a named schema's
//! page (`…/schemas/{name}`).
//!
//! The version page lists operations and schema names and never renders a schema, so it stays
//! small for the largest descriptions; operation and schema pages render schemas as trees bounded
//! by one [`Budget`] per page. The normalised document comes from
//! [`usecase::reference`](crate::usecase::reference), which checks visibility first and keeps
//! parsed documents in memory.

use std::borrow::Cow;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, web};
use maud::{Markup, html};
use pac_web::schema::{Budget, Trees};
use serde_json::Value;

use super::layout::{self, Head, row};
use super::{PageResult, Visitor, html as page_html, links};
use crate::AppState;
use crate::error::Error;
use crate::store::Page;
use crate::store::evaluations::EvaluationRow;
use crate::store::versions::{OperationRow, VersionRow};
use crate::usecase::reference::{self, Located, OperationRef};
use crate::usecase::versions::{self, VersionView};

/// Versions offered by the version switcher.
const SWITCHER_VERSIONS: i64 = 200;
/// Occurrences listed per rule of the standard; the rest are counted.
const FINDINGS_PER_RULE: usize = 20;
/// Changes listed from the stored comparison with the previous version.
const CHANGES_SHOWN: usize = 10;
/// Longest finding or change message shown: a rule's message may quote a whole node of the
/// description (753 kB in one APIs.guru description).
pub const MAX_MESSAGE_CHARS: usize = 500;

/// `s`, cut to `max` characters with an ellipsis.
pub fn shorten(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((at, _)) => Cow::Owned(format!("{}…", &s[..at])),
    }
}

/// The part of a page's address after `marker` (`/operations/`, `/schemas/`), as sent: the
/// segments stay percent-encoded so an operationId or a schema name with a `/` in it is still one
/// segment.
fn raw_tail<'r>(req: &'r HttpRequest, marker: &str) -> &'r str {
    let path = req.uri().path();
    // `/apis/{api}/versions/{version}/` has no marker in it (slugs and labels are encoded), so
    // the first occurrence after the version is the one.
    let after_version = path
        .match_indices('/')
        .nth(4)
        .map_or(path, |(i, _)| &path[i..]);
    after_version
        .strip_prefix(marker)
        .unwrap_or(after_version.trim_start_matches('/'))
}

#[get("/apis/{api}/versions/{version}")]
pub async fn get_version_page(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<(String, String)>,
) -> PageResult {
    let (api, label) = path.into_inner();
    let body = super::blocking(move || {
        let cat = &state.catalogue;
        let who = &visitor.principal;
        let view = versions::get(cat, who, &api, &label)?;
        let label = view.version.version.clone();
        let (_, listed) = versions::list(
            cat,
            who,
            &api,
            Page {
                limit: SWITCHER_VERSIONS,
                offset: 0,
            },
        )?;
        let (operations, located) = if view.version.content_sha256.is_some() {
            (
                versions::all_operations(cat, who, &api, &label)?,
                Some(reference::get(cat, who, &api, &label)?),
            )
        } else {
            (Vec::new(), None)
        };
        Ok(render_version(
            cat,
            &visitor,
            &view,
            &listed.items,
            &operations,
            located.as_ref(),
        ))
    })
    .await?;
    Ok(page_html(StatusCode::OK, body))
}

fn render_version(
    cat: &crate::usecase::Catalogue,
    visitor: &Visitor,
    view: &VersionView,
    listed: &[VersionRow],
    operations: &[OperationRow],
    located: Option<&Located>,
) -> Markup {
    let api = &view.api.api;
    let v = &view.version;
    let title = format!("{} – version {}", api.name, v.version);
    let head = Head::new(&title)
        .crumb("Home", "/")
        .crumb(api.name.clone(), links::api(&api.slug));
    let doc = located.map(|l| &l.reference.doc);
    let body = html! {
        span class="govuk-caption-l" { (api.name) ", version " (v.version) }
        h1 class="govuk-heading-l" { (v.title) }
        @if let Some(d) = v.description.as_deref().filter(|d| !d.trim().is_empty()) {
            div class="pac-markdown" { (pac_web::markdown::block(d)) }
        }
        dl class="govuk-summary-list" {
            (row("Version", html! { (v.version) @if api.latest_version.as_deref() == Some(v.version.as_str()) { " " (layout::tag("latest", Some("blue"))) } }))
            (row("Format", html! { (format_words(v.spec_format.as_deref())) }))
            @if let Some(d) = &v.declared_version { (row("Declared version", html! { (d) })) }
            @if let Some(info) = doc.and_then(|d| d.pointer("/info/version")).and_then(Value::as_str) {
                (row("Version in the description", html! { (info) }))
            }
            (row("Published", html! { (v.published_at.format("%-d %B %Y at %H:%M UTC")) " by " (v.published_by) }))
            @if let Some(url) = &v.documentation_url {
                (row("Documentation", html! { a class="govuk-link" href=(url) rel="noopener noreferrer" { (url) } }))
            }
            @if v.content_sha256.is_some() {
                (row("Contents", html! {
                    a class="govuk-link" href="#operations" { (v.operation_count) " operations" } " and "
                    a class="govuk-link" href="#schemas" { (v.schema_count) " named schemas" }
                }))
            }
        }
        (switcher(&api.slug, listed, &v.version))
        @if v.content_sha256.is_none() {
            p class="govuk-body" { "This version is a link-only entry: its description is kept elsewhere." }
        } @else {
            (downloads(&api.slug, &v.version, &view.files))
            (changes(&api.slug, v, listed))
            (findings(cat, &api.slug, v, view.standard.as_ref(), view.files.first().map(|f| f.path.as_str())))
            @if let Some(doc) = doc {
                (servers(doc))
                (security_schemes(doc))
            }
            h2 class="govuk-heading-m" id="operations" { "Operations" }
            @if operations.is_empty() {
                p class="govuk-body" { "This description has no operations." }
            } @else {
                (super::apis::operation_index(&api.slug, &v.version, operations))
            }
            h2 class="govuk-heading-m" id="schemas" { "Named schemas" }
            @match doc.and_then(|d| d.pointer("/components/schemas")).and_then(Value::as_object).filter(|s| !s.is_empty()) {
                Some(schemas) => ul class="govuk-list" {
                    @for name in schemas.keys() {
                        li { a class="govuk-link" href=(links::schema(&api.slug, &v.version, name)) { (name) } }
                    }
                },
                None => p class="govuk-body" { "This description has no named schemas." },
            }
        }
    };
    layout::page(visitor, &head, body)
}

fn format_words(format: Option<&str>) -> String {
    match format {
        Some("swagger-2.0") => "Swagger 2.0 (read as OpenAPI 3.0)".to_owned(),
        Some(f) if f.starts_with("openapi-") => format!("OpenAPI {}", &f["openapi-".len()..]),
        Some(f) => f.to_owned(),
        None => "Link only".to_owned(),
    }
}

/// The API page's version switcher: a GET form to `/apis/{api}`, which redirects.
fn switcher(slug: &str, listed: &[VersionRow], current: &str) -> Markup {
    if listed.len() < 2 {
        return html! {};
    }
    html! {
        form action=(links::api(slug)) method="get" class="govuk-!-margin-bottom-6" {
            div class="govuk-form-group" {
                label class="govuk-label" for="version" { "Open another version" }
                select class="govuk-select" id="version" name="version" {
                    @for v in listed {
                        option value=(v.version) selected[v.version == current] { (v.version) }
                    }
                }
                " "
                button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button" { "Open" }
            }
        }
    }
}

fn downloads(slug: &str, version: &str, files: &[crate::store::versions::FileRow]) -> Markup {
    html! {
        h2 class="govuk-heading-m" id="downloads" { "The description as published" }
        ul class="govuk-list" {
            @for (i, f) in files.iter().enumerate() {
                li {
                    a class="govuk-link" href=(links::original(slug, version, if i == 0 { None } else { Some(&f.path) })) download {
                        "Download " (f.path)
                    }
                    " (" (f.media_type) @if i == 0 && files.len() > 1 { ", the root file" } ")"
                }
            }
        }
    }
}

/// The stored comparison with the previous version, summarised, with a link to the full one.
fn changes(slug: &str, v: &VersionRow, listed: &[VersionRow]) -> Markup {
    let stored = v
        .changes
        .as_deref()
        .and_then(|c| serde_json::from_str::<Value>(c).ok());
    let from = stored
        .as_ref()
        .and_then(|s| s.get("from"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| {
            // What a comparison defaults to: the highest described label below this one.
            listed
                .iter()
                .filter(|o| o.content_sha256.is_some())
                .filter(|o| crate::domain::compare_versions(&o.version, &v.version).is_lt())
                .max_by(|a, b| crate::domain::compare_versions(&a.version, &b.version))
                .map(|o| o.version.clone())
        });
    let Some(from) = from else {
        return html! {
            h2 class="govuk-heading-m" id="changes" { "Changes" }
            p class="govuk-body" { "This is the first version with a description." }
        };
    };
    let count = |k: &str| {
        stored
            .as_ref()
            .and_then(|s| s.pointer(&format!("/summary/{k}")))
            .and_then(Value::as_u64)
    };
    let list: Vec<&Value> = stored
        .as_ref()
        .and_then(|s| s.get("changes"))
        .and_then(Value::as_array)
        .map(|c| c.iter().take(CHANGES_SHOWN).collect())
        .unwrap_or_default();
    html! {
        h2 class="govuk-heading-m" id="changes" { "Changes since version " (from) }
        @match (count("breaking"), count("possibly_breaking"), count("non_breaking")) {
            (Some(b), Some(p), Some(n)) => {
                ul class="govuk-list govuk-list--bullet" {
                    li { strong { (b) } " breaking" }
                    li { strong { (p) } " possibly breaking" }
                    li { strong { (n) } " non-breaking" }
                }
                @if !list.is_empty() {
                    ul class="govuk-list" {
                        @for c in &list {
                            li {
                                (level_tag(c.get("level").and_then(Value::as_str).unwrap_or("")))
                                " " (shorten(c.get("message").and_then(Value::as_str).unwrap_or(""), MAX_MESSAGE_CHARS))
                            }
                        }
                    }
                }
            }
            _ => p class="govuk-body" { "The changes were not computed when this version was published." },
        }
        p class="govuk-body" {
            a class="govuk-link" href=(links::compare(slug, &from, &v.version)) {
                "See every change from version " (from) " to " (v.version)
            }
        }
    }
}

/// A compatibility level as a tag whose words carry the meaning, not only its colour.
pub fn level_tag(level: &str) -> Markup {
    match level {
        "breaking" => layout::tag("Breaking", Some("red")),
        "possibly-breaking" => layout::tag("Possibly breaking", Some("yellow")),
        _ => layout::tag("Non-breaking", Some("green")),
    }
}

/// The findings of the version's evaluation under the standard in force, by rule, each with the
/// rule's words and how to fix it.
fn findings(
    cat: &crate::usecase::Catalogue,
    slug: &str,
    v: &VersionRow,
    evaluation: Option<&EvaluationRow>,
    root_file: Option<&str>,
) -> Markup {
    let Some(e) = evaluation else {
        return html! {
            h2 class="govuk-heading-m" id="findings" { "Findings under the police API standard" }
            p class="govuk-body" { "This version has not been evaluated against the standard yet." }
        };
    };
    // Typed and borrowed: the stored result of a large description is megabytes of JSON, and
    // reading it into a `Value` was most of the version page's time.
    let all: Vec<StoredFinding<'_>> = serde_json::from_str::<StoredResult<'_>>(&e.result)
        .map(|r| r.findings)
        .unwrap_or_default();
    let mut by_rule: Vec<(&str, Vec<&StoredFinding<'_>>)> = Vec::new();
    for f in &all {
        match by_rule.iter_mut().find(|(r, _)| *r == f.rule.as_ref()) {
            Some((_, list)) => list.push(f),
            None => by_rule.push((f.rule.as_ref(), vec![f])),
        }
    }
    let severity_rank = |list: &Vec<&StoredFinding<'_>>| match list[0].severity.as_ref() {
        "error" => 0,
        "warn" => 1,
        "info" => 2,
        _ => 3,
    };
    by_rule.sort_by_key(|(_, list)| severity_rank(list));
    let file_href = links::original(slug, &v.version, None);
    html! {
        h2 class="govuk-heading-m" id="findings" { "Findings under the police API standard" }
        dl class="govuk-summary-list" {
            (row("Kitemark", layout::kitemark_tag(Some(if e.kitemark { "yes" } else { "no" }))))
            (row("Score", html! { (e.score) " out of 100" }))
            (row("Findings", html! {
                (e.errors) " failing MUST rule" @if e.errors != 1 { "s" } ", "
                (e.warnings) " SHOULD finding" @if e.warnings != 1 { "s" }
            }))
            (row("Evaluated against", html! { (e.ruleset) " " (e.ruleset_version) " on " (e.evaluated_at.format("%-d %B %Y")) }))
        }
        @if by_rule.is_empty() {
            p class="govuk-body" { "No findings: this version meets every rule of the standard." }
        }
        @for (rule, list) in &by_rule {
            @let known = cat.standard.rule(rule);
            @let guidance = known.and_then(|r| r.guidance.as_ref());
            h3 class="govuk-heading-s" id=(format!("rule-{rule}")) {
                code { (rule) } " "
                (severity_tag(&list[0].severity))
                @if let Some(g) = guidance {
                    " " (layout::tag(if matches!(g.level, pac_lint::ruleset::Level::Must) { "MUST" } else { "SHOULD" }, Some("grey")))
                }
                " " span class="govuk-body-s" { "(" (list.len()) " finding" @if list.len() != 1 { "s" } ")" }
            }
            @if let Some(d) = known.and_then(|r| r.description.as_deref()) {
                div class="pac-markdown" { (pac_web::markdown::block(d)) }
            }
            @if let Some(g) = guidance {
                details class="govuk-details" {
                    summary class="govuk-details__summary" {
                        span class="govuk-details__summary-text" { "How to fix it" span class="govuk-visually-hidden" { " (" (rule) ")" } }
                    }
                    div class="govuk-details__text" {
                        div class="pac-markdown" { (pac_web::markdown::block(&g.fix)) }
                        @if !g.rationale.is_empty() {
                            p class="govuk-body-s" { "Why: " (pac_web::markdown::plain(&g.rationale)) }
                        }
                    }
                }
            }
            ul class="govuk-list govuk-list--bullet" {
                @for f in list.iter().take(FINDINGS_PER_RULE) {
                    li {
                        (shorten(&f.message, MAX_MESSAGE_CHARS))
                        " – at " code { @if f.pointer.is_empty() { "/" } @else { (shorten(&f.pointer, MAX_MESSAGE_CHARS)) } }
                        @if let (Some(file), Some(line)) = (root_file, f.line) {
                            ", " a class="govuk-link" href=(file_href) { (file) } " line " (line)
                            @if let Some(col) = f.column { ", column " (col) }
                        }
                    }
                }
                @if list.len() > FINDINGS_PER_RULE {
                    li { "and " (list.len() - FINDINGS_PER_RULE) " more like these." }
                }
            }
        }
        @if all.len() > FINDINGS_PER_RULE {
            p class="govuk-body" {
                "Every finding, with its place, is in the JSON API: "
                a class="govuk-link" href=(format!("/api/v1/apis/{}/versions/{}/evaluations", links::segment(slug), links::segment(&v.version))) { "the evaluations of version " (v.version) }
                "."
            }
        }
    }
}

/// What the findings page reads of a stored evaluation (`{"score": …, "findings": […]}`).
#[derive(serde::Deserialize)]
struct StoredResult<'a> {
    #[serde(borrow, default)]
    findings: Vec<StoredFinding<'a>>,
}

#[derive(serde::Deserialize)]
struct StoredFinding<'a> {
    #[serde(borrow)]
    rule: Cow<'a, str>,
    #[serde(borrow)]
    severity: Cow<'a, str>,
    #[serde(borrow)]
    message: Cow<'a, str>,
    #[serde(borrow, default)]
    pointer: Cow<'a, str>,
    line: Option<u64>,
    column: Option<u64>,
}

fn severity_tag(severity: &str) -> Markup {
    match severity {
        "error" => layout::tag("Error", Some("red")),
        "warn" => layout::tag("Warning", Some("yellow")),
        "info" => layout::tag("Information", Some("blue")),
        _ => layout::tag("Hint", Some("grey")),
    }
}

fn servers(doc: &Value) -> Markup {
    let list: Vec<&Value> = doc
        .get("servers")
        .and_then(Value::as_array)
        .map(|s| s.iter().collect())
        .unwrap_or_default();
    html! {
        h2 class="govuk-heading-m" id="servers" { "Servers" }
        @if list.is_empty() {
            p class="govuk-body" { "The description names no server." }
        } @else {
            ul class="govuk-list" {
                @for s in list.iter().take(50) {
                    li {
                        code class="pac-path" { (s.get("url").and_then(Value::as_str).unwrap_or("")) }
                        @if let Some(d) = s.get("description").and_then(Value::as_str).filter(|d| !d.is_empty()) {
                            " – " (pac_web::markdown::plain(d))
                        }
                    }
                }
            }
        }
    }
}

fn security_schemes(doc: &Value) -> Markup {
    let schemes = doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .filter(|s| !s.is_empty());
    html! {
        h2 class="govuk-heading-m" id="security" { "Security schemes" }
        @match schemes {
            None => p class="govuk-body" { "The description defines no security scheme." },
            Some(schemes) => {
                @for (name, s) in schemes {
                    @let s = pac_spec::pointer::follow(doc, s, String::new(), pac_spec::pointer::MAX_REF_CHAIN).0;
                    h3 class="govuk-heading-s" { (name) }
                    dl class="govuk-summary-list" {
                        (row("Type", html! { (pac_web::operation::scheme_kind(s)) }))
                        @if let Some(d) = s.get("description").and_then(Value::as_str).filter(|d| !d.trim().is_empty()) {
                            (row("Description", html! { div class="pac-markdown" { (pac_web::markdown::block(d)) } }))
                        }
                        @if let Some(url) = s.get("openIdConnectUrl").and_then(Value::as_str) {
                            (row("OpenID Connect discovery", html! { code { (url) } }))
                        }
                        @if let Some(flows) = s.get("flows").and_then(Value::as_object) {
                            @for (flow, f) in flows {
                                (row(&format!("Flow: {flow}"), flow_details(f)))
                            }
                        }
                    }
                }
            }
        }
    }
}

fn flow_details(f: &Value) -> Markup {
    let url = |k: &str| f.get(k).and_then(Value::as_str);
    let scopes = f.get("scopes").and_then(Value::as_object);
    html! {
        @if let Some(u) = url("authorizationUrl") { p class="govuk-body-s" { "Authorisation: " code { (u) } } }
        @if let Some(u) = url("tokenUrl") { p class="govuk-body-s" { "Token: " code { (u) } } }
        @if let Some(u) = url("refreshUrl") { p class="govuk-body-s" { "Refresh: " code { (u) } } }
        @if let Some(scopes) = scopes.filter(|s| !s.is_empty()) {
            ul class="govuk-list govuk-body-s" {
                @for (scope, words) in scopes.iter().take(200) {
                    li { code { (scope) } @if let Some(w) = words.as_str().filter(|w| !w.is_empty()) { " – " (w) } }
                }
            }
        }
    }
}

#[get("/apis/{api}/versions/{version}/operations/{op:.*}")]
pub async fn get_operation_page(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<(String, String, String)>,
    req: HttpRequest,
) -> PageResult {
    let (api, label, _) = path.into_inner();
    let raw = raw_tail(&req, "/operations/").to_owned();
    let body = super::blocking(move || {
        let located = reference::get(&state.catalogue, &visitor.principal, &api, &label)?;
        let op = located
            .reference
            .find_operation(&raw)
            .ok_or_else(|| {
                Error::NotFound(format!("operation {raw} in version {label} of API {api}"))
            })?
            .clone();
        render_operation(&visitor, &located, &op)
    })
    .await?;
    Ok(page_html(StatusCode::OK, body))
}

fn render_operation(visitor: &Visitor, l: &Located, op: &OperationRef) -> Result<Markup, Error> {
    let (slug, label) = (&l.api.api.slug, &l.version.version);
    let doc = &l.reference.doc;
    let (path_item, operation) = l
        .reference
        .operation_of(op)
        .ok_or_else(|| Error::NotFound(format!("operation {} {}", op.method, op.path)))?;
    let href = |name: &str| links::schema(slug, label, name);
    let trees = Trees::new(doc, &href, Budget::PAGE);
    let text = |k: &str| {
        operation
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
    };
    let method = op.method.to_ascii_uppercase();
    let title = format!("{method} {}", op.path);
    let head = Head::new(&title)
        .crumb("Home", "/")
        .crumb(l.api.api.name.clone(), links::api(slug))
        .crumb(format!("Version {label}"), links::version(slug, label));
    let deprecated = operation.get("deprecated").and_then(Value::as_bool) == Some(true);
    let sunset = text("x-sunset").map(str::to_owned).or_else(|| {
        operation
            .get("x-sunset")
            .filter(|v| !v.is_null() && !v.is_string())
            .map(Value::to_string)
    });
    let params = pac_web::operation::parameters(doc, path_item, operation);
    let curl = pac_web::curl::command(&pac_web::curl::Operation {
        doc,
        method: &op.method,
        path: &op.path,
        path_item,
        operation,
    });
    let tags: Vec<&str> = operation
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let body = html! {
        span class="govuk-caption-l" { (l.api.api.name) ", version " (label) }
        h1 class="govuk-heading-l" {
            (super::apis::method(&op.method)) " " span class="pac-path" { (op.path) }
        }
        @if deprecated || sunset.is_some() {
            div class="govuk-warning-text" {
                span class="govuk-warning-text__icon" aria-hidden="true" { "!" }
                strong class="govuk-warning-text__text" {
                    span class="govuk-visually-hidden" { "Warning" }
                    @if deprecated { "This operation is deprecated: do not start using it." }
                    @if let Some(s) = &sunset { " It stops working on " (s) "." }
                }
            }
        }
        @if let Some(s) = text("summary") { p class="govuk-body-l" { (s) } }
        @if let Some(d) = text("description") { (trees.description(d)) }
        dl class="govuk-summary-list" {
            @if let Some(id) = &op.operation_id { (row("Operation ID", html! { code { (id) } })) }
            @if !tags.is_empty() { (row("Tags", html! { (tags.join(", ")) })) }
            (row("Version", html! { a class="govuk-link" href=(links::version(slug, label)) { (l.api.api.name) " " (label) } }))
        }
        (pac_web::operation::parameters_table(&trees, &params))
        (pac_web::operation::request_body(&trees, operation))
        (pac_web::operation::responses(&trees, operation))
        (pac_web::operation::security(doc, operation))
        h2 class="govuk-heading-m" id="example" { "Example request" }
        p class="govuk-body" { "Built from the description: replace the placeholders in braces and set the shell variables for credentials." }
        pre class="pac-code" id="curl" data-copy { code { (curl) } }
        @if trees.was_cut() {
            div class="govuk-inset-text" {
                "Parts of this operation's schemas are not shown here, to keep the page small: follow the links to named schemas, or "
                a class="govuk-link" href=(links::original(slug, label, None)) { "download the description" } "."
            }
        }
    };
    Ok(layout::page(visitor, &head, body))
}

#[get("/apis/{api}/versions/{version}/schemas/{name}")]
pub async fn get_schema_page(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<(String, String, String)>,
    req: HttpRequest,
) -> PageResult {
    let (api, label, _) = path.into_inner();
    let name = pac_spec::pointer::percent_decode(raw_tail(&req, "/schemas/")).into_owned();
    let body = super::blocking(move || {
        let located = reference::get(&state.catalogue, &visitor.principal, &api, &label)?;
        render_schema(&visitor, &located, &name)
    })
    .await?;
    Ok(page_html(StatusCode::OK, body))
}

fn render_schema(visitor: &Visitor, l: &Located, name: &str) -> Result<Markup, Error> {
    let (slug, label) = (&l.api.api.slug, &l.version.version);
    let schema = l.reference.schema(name).ok_or_else(|| {
        Error::NotFound(format!("schema {name} in version {label} of API {slug}"))
    })?;
    let href = |n: &str| links::schema(slug, label, n);
    let trees = Trees::new(&l.reference.doc, &href, Budget::PAGE);
    let users: Vec<&OperationRef> = l.reference.used_by(name).collect();
    let head = Head::new(name)
        .crumb("Home", "/")
        .crumb(l.api.api.name.clone(), links::api(slug))
        .crumb(format!("Version {label}"), links::version(slug, label));
    let body = html! {
        span class="govuk-caption-l" { (l.api.api.name) ", version " (label) ", schema" }
        h1 class="govuk-heading-l" { span class="pac-path" { (name) } }
        (trees.tree(schema))
        @if trees.was_cut() {
            div class="govuk-inset-text" {
                "Parts of this schema are not shown here, to keep the page small: "
                a class="govuk-link" href=(links::original(slug, label, None)) { "download the description" } " to read all of it."
            }
        }
        h2 class="govuk-heading-m" id="used-by" { "Used by" }
        @if users.is_empty() {
            p class="govuk-body" { "No operation refers to this schema directly; other schemas may." }
        } @else {
            ul class="govuk-list" {
                @for op in &users {
                    li {
                        (super::apis::method(&op.method)) " "
                        a class="govuk-link" href=(links::operation(slug, label, &op.method, &op.path, op.operation_id.as_deref())) {
                            span class="pac-path" { (op.path) }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(visitor, &head, body))
}
