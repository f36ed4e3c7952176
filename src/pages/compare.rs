//! `/apis/{api}/compare?from=…&to=…`: what changed between two versions, as a changelog a
//! consumer reads top down: breaking changes first, then the possibly breaking, then the rest,
//! each linking to its operation's page. `to` defaults to the latest version and `from` to the
//! described version before it, as the JSON API's diff does.

use std::collections::HashSet;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, web};
use maud::{Markup, html};
use pac_compat::{Change, DiffReport, Level, Side};

use super::layout::{self, Head};
use super::reference::level_tag;
use super::{PageResult, Visitor, html as page_html, links};
use crate::AppState;
use crate::error::{Code, Error};
use crate::store::Page;
use crate::store::apis::ApiRecord;
use crate::store::versions::VersionRow;
use crate::usecase::versions;

/// Versions offered by the compare form.
const FORM_VERSIONS: i64 = 500;
/// Changes listed per level; the JSON API has them all.
const CHANGES_PER_LEVEL: usize = 500;

#[derive(serde::Deserialize)]
struct CompareQuery {
    from: Option<String>,
    to: Option<String>,
}

#[get("/apis/{api}/compare")]
pub async fn get_compare_page(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
    req: HttpRequest,
) -> PageResult {
    let slug = path.into_inner();
    let query: CompareQuery = super::query(&req)?;
    let given = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let (from, to) = (given(query.from), given(query.to));
    let body = super::blocking(move || {
        let cat = &state.catalogue;
        let who = &visitor.principal;
        // The API first: a hidden one is not found, whatever the labels say.
        let (record, listed) = versions::list(
            cat,
            who,
            &slug,
            Page {
                limit: FORM_VERSIONS,
                offset: 0,
            },
        )?;
        let to = described(cat, who, &slug, to.as_deref().unwrap_or("latest"), "to")?;
        let from = match from {
            Some(label) => Some(described(cat, who, &slug, &label, "from")?),
            None => None,
        };
        let report = versions::diff(cat, who, &slug, from.as_deref(), Some(to.as_str()))?;
        // A change links to its operation in `to`, or in `from` when `to` no longer has it.
        let in_to: HashSet<(String, String)> = versions::all_operations(cat, who, &slug, &to)?
            .into_iter()
            .map(|o| (o.method.to_ascii_lowercase(), o.path))
            .collect();
        Ok(render(&visitor, &record, &listed.items, &report, &in_to))
    })
    .await?;
    Ok(page_html(StatusCode::OK, body))
}

/// The label of a version of a visible API that has a description; anything else is the
/// address's fault (400), naming which parameter and why.
fn described(
    cat: &crate::usecase::Catalogue,
    who: &crate::auth::Principal,
    api: &str,
    label: &str,
    param: &str,
) -> Result<String, Error> {
    let bad = |why: String| Error::invalid_at(Code::InvalidQuery, why, &format!("/{param}"));
    match versions::get(cat, who, api, label) {
        Ok(view) if view.version.content_sha256.is_some() => Ok(view.version.version),
        Ok(view) => Err(bad(format!(
            "{param}: version {} of API {api} is a link-only entry, with no description to compare",
            view.version.version
        ))),
        Err(Error::NotFound(_)) => Err(bad(format!(
            "{param}: API {api} has no version {label:?}; choose one from the list of its versions"
        ))),
        Err(e) => Err(e),
    }
}

fn render(
    visitor: &Visitor,
    record: &ApiRecord,
    listed: &[VersionRow],
    r: &DiffReport,
    in_to: &HashSet<(String, String)>,
) -> Markup {
    let api = &record.api;
    let to = r.to.as_deref().unwrap_or("latest");
    let title = format!("Changes to {} from version {} to {}", api.name, r.from, to);
    let head = Head::new(&title)
        .crumb("Home", "/")
        .crumb(api.name.clone(), links::api(&api.slug));
    let labels: Vec<&str> = listed
        .iter()
        .filter(|v| v.content_sha256.is_some())
        .map(|v| v.version.as_str())
        .collect();
    let groups = [
        (
            Level::Breaking,
            "Breaking changes",
            "breaking",
            "Callers of version may fail after these changes.",
        ),
        (
            Level::PossiblyBreaking,
            "Possibly breaking changes",
            "possibly-breaking",
            "Check whether your use is affected.",
        ),
        (
            Level::NonBreaking,
            "Non-breaking changes",
            "non-breaking",
            "Additions and changes that keep existing callers working.",
        ),
    ];
    let json_href = format!(
        "/api/v1/apis/{}/diff?from={}&to={}",
        links::segment(&api.slug),
        links::query_value(&r.from),
        links::query_value(to)
    );
    let body = html! {
        span class="govuk-caption-l" { (api.name) }
        h1 class="govuk-heading-l" { "Changes from version " (r.from) " to " (to) }
        @if r.summary.breaking > 0 {
            div class="govuk-warning-text" {
                span class="govuk-warning-text__icon" aria-hidden="true" { "!" }
                strong class="govuk-warning-text__text" {
                    span class="govuk-visually-hidden" { "Warning" }
                    "Version " (to) " breaks callers of version " (r.from) ": "
                    (r.summary.breaking) " breaking change" @if r.summary.breaking != 1 { "s" } "."
                }
            }
        }
        ul class="govuk-list govuk-list--bullet" id="summary" {
            li { a class="govuk-link" href="#breaking" { strong { (r.summary.breaking) } " breaking" } }
            li { a class="govuk-link" href="#possibly-breaking" { strong { (r.summary.possibly_breaking) } " possibly breaking" } }
            li { a class="govuk-link" href="#non-breaking" { strong { (r.summary.non_breaking) } " non-breaking" } }
        }
        @if labels.len() >= 2 {
            (super::apis::compare_form(&api.slug, &labels, &r.from, to))
        }
        @if r.changes.is_empty() {
            p class="govuk-body" { "No differences: the two descriptions are the same for callers." }
        }
        @for (level, heading, id, advice) in groups {
            @let changes: Vec<&Change> = r.changes.iter().filter(|c| c.level == level).collect();
            h2 class="govuk-heading-m" id=(id) { (heading) " (" (changes.len()) ")" }
            @if changes.is_empty() {
                p class="govuk-body" { "None." }
            } @else {
                p class="govuk-body" {
                    @if level == Level::Breaking { "Callers of version " (r.from) " may fail after these changes." } @else { (advice) }
                }
                ul class="govuk-list govuk-list--spaced" {
                    @for c in changes.iter().take(CHANGES_PER_LEVEL) {
                        li { (change(&api.slug, &r.from, to, c, in_to)) }
                    }
                }
                @if changes.len() > CHANGES_PER_LEVEL {
                    p class="govuk-body" {
                        (changes.len() - CHANGES_PER_LEVEL) " more are in "
                        a class="govuk-link" href=(json_href) { "the comparison in the JSON API" } "."
                    }
                }
            }
        }
        p class="govuk-body" {
            a class="govuk-link" href=(json_href) { "This comparison as JSON" }
        }
    };
    layout::page(visitor, &head, body)
}

/// One change: its level in words, its message, its operation (in the new version, or in the old
/// one when the new one no longer has it) and where in which version's file.
fn change(
    slug: &str,
    from: &str,
    to: &str,
    c: &Change,
    in_to: &HashSet<(String, String)>,
) -> Markup {
    let operation = c
        .operation
        .as_deref()
        .and_then(|label| label.split_once(' '))
        .filter(|(method, _)| *method != "WEBHOOK");
    let op_version = match operation {
        Some((m, p)) if !in_to.contains(&(m.to_ascii_lowercase(), p.to_owned())) => from,
        _ => to,
    };
    let file_version = match c.side {
        Side::Old => from,
        Side::New => to,
    };
    html! {
        (level_tag(c.level.as_str())) " "
        @if let Some((method, path)) = operation {
            (super::apis::method(method)) " "
            a class="govuk-link" href=(links::operation(slug, op_version, method, path, None)) {
                span class="pac-path" { (path) }
                @if op_version == from { span class="govuk-visually-hidden" { " in version " (from) } }
            }
            " – "
        } @else if let Some(label) = &c.operation {
            span class="pac-path" { (label) } " – "
        }
        (super::reference::shorten(&c.message, super::reference::MAX_MESSAGE_CHARS))
        br;
        span class="govuk-body-s pac-constraint" {
            code { (c.id) }
            " at " code { (c.pointer) }
            @if let Some(line) = c.location.as_ref().and_then(|l| l.line) {
                " (line " (line) " of version " (file_version) ")"
            }
        }
    }
}
