//! `GET /api/v1/search`: full-text search over APIs, operations and schemas, as the caller may see them.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::apis::FORMATS;
use super::caller::Caller;
use super::types::parse_int;
use crate::AppState;
use crate::auth::policy::Visible;
use crate::domain::{Lifecycle, OrgKind};
use crate::error::{Code, Error, Problem};
use crate::search::cache::Key;
use crate::search::fields::Kind;
use crate::search::{SearchRequest, SearchResults, Suggestion};

pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;
/// Deeper pages are refused: refine the query instead.
pub const MAX_OFFSET: usize = 10_000;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words, "phrases", +required, -excluded, field:word (fields: name, summary, path,
    /// description, param, property, tag, media). Empty or absent: everything, filtered.
    pub q: Option<String>,
    /// api, operation or schema.
    pub kind: Option<String>,
    /// Owning organisation's slug.
    pub org: Option<String>,
    /// Owning organisation's kind.
    pub org_kind: Option<String>,
    pub lifecycle: Option<String>,
    pub tag: Option<String>,
    /// swagger-2.0, openapi-3.0, openapi-3.1 or none.
    pub format: Option<String>,
    /// yes (meets the police API standard's minimum), no, or unevaluated.
    pub kitemark: Option<String>,
    /// Only entries whose API scores at least this against the standard (0-100).
    #[param(value_type = Option<i64>)]
    pub min_score: Option<String>,
    /// Hits per page, 1 to 100 (default 20).
    #[param(value_type = Option<i64>)]
    pub limit: Option<String>,
    /// Hits to skip, at most 10000 (default 0).
    #[param(value_type = Option<i64>)]
    pub offset: Option<String>,
}

impl SearchQuery {
    pub fn request(self) -> Result<SearchRequest, Error> {
        let limit = parse_int("limit", self.limit.as_deref())?.unwrap_or(DEFAULT_LIMIT as i64);
        if !(1..=MAX_LIMIT as i64).contains(&limit) {
            return Err(Error::invalid_at(
                Code::InvalidQuery,
                format!("limit must be between 1 and {MAX_LIMIT}, got {limit}"),
                "/limit",
            ));
        }
        let offset = parse_int("offset", self.offset.as_deref())?.unwrap_or(0);
        if !(0..=MAX_OFFSET as i64).contains(&offset) {
            return Err(Error::invalid_at(
                Code::InvalidQuery,
                format!(
                    "offset must be between 0 and {MAX_OFFSET}, got {offset}; refine the query instead"
                ),
                "/offset",
            ));
        }
        let kind = parse_kind(self.kind.as_deref())?;
        if let Some(k) = self
            .kitemark
            .as_deref()
            .filter(|k| !["yes", "no", "unevaluated"].contains(k))
        {
            return Err(Error::invalid_at(
                Code::InvalidQuery,
                format!("kitemark {k:?} is not one of: yes, no, unevaluated"),
                "/kitemark",
            ));
        }
        let min_score = parse_int("min_score", self.min_score.as_deref())?;
        if let Some(m) = min_score.filter(|m| !(0..=100).contains(m)) {
            return Err(Error::invalid_at(
                Code::InvalidQuery,
                format!("min_score must be between 0 and 100, got {m}"),
                "/min_score",
            ));
        }
        if let Some(f) = self.format.as_deref().filter(|f| !FORMATS.contains(f)) {
            return Err(Error::invalid_at(
                Code::InvalidFormat,
                format!("format {f:?} is not one of: {}", FORMATS.join(", ")),
                "/format",
            ));
        }
        Ok(SearchRequest {
            q: self.q,
            kind,
            org: self.org,
            org_kind: self
                .org_kind
                .as_deref()
                .map(|k| OrgKind::parse(k).map(|k| k.as_str().to_string()))
                .transpose()?,
            lifecycle: self
                .lifecycle
                .as_deref()
                .map(|l| Lifecycle::parse(l).map(|l| l.as_str().to_string()))
                .transpose()?,
            tag: self.tag,
            format: self.format,
            kitemark: self.kitemark,
            min_score: min_score.map(|m| m as u64),
            limit: limit as usize,
            offset: offset as usize,
        })
    }
}

/// Searches everything inside the descriptions the caller may see: APIs (their latest version),
/// operations and schemas. Hidden entries count nowhere: not in hits, totals, facets or snippets.
#[utoipa::path(
    tag = "search",
    params(SearchQuery),
    responses(
        (status = 200, body = SearchResults),
        (status = 400, description = "query_syntax: the query is not well formed; invalid_query: a bad filter or page", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/search")]
pub async fn search(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, Error> {
    let key = Key {
        request: query.into_inner().request()?,
        visible: Visible::for_principal(&caller.0),
    };
    // Read before searching, so that an answer is never cached as newer than it is.
    let generation = state.search.generation();
    let body = match state.search_cache.get(&key, generation) {
        Some(body) => body,
        None => {
            // CPU-bound and short (milliseconds): answered on the worker, not the blocking pool.
            let results = state.search.search(&key.request, &key.visible)?;
            let body = web::Bytes::from(
                serde_json::to_vec(&results).map_err(|e| Error::internal("search answer", e))?,
            );
            state.search_cache.insert(key, body.clone(), generation);
            body
        }
    };
    Ok(HttpResponse::Ok()
        .content_type(actix_web::http::header::ContentType::json())
        .body(body))
}

pub const DEFAULT_SUGGESTIONS: usize = 8;
pub const MAX_SUGGESTIONS: usize = 20;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestQuery {
    /// What has been typed so far; the last word may be unfinished.
    pub q: Option<String>,
    /// api, operation or schema.
    pub kind: Option<String>,
    /// Suggestions, 1 to 20 (default 8).
    #[param(value_type = Option<i64>)]
    pub limit: Option<String>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Suggestions {
    pub suggestions: Vec<Suggestion>,
}

/// Completes what a caller is typing into a search box with the titles of APIs, operations and
/// schemas they may see, best first.
#[utoipa::path(
    tag = "search",
    params(SuggestQuery),
    responses(
        (status = 200, body = Suggestions),
        (status = 400, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/search/suggest")]
pub async fn suggest(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<SuggestQuery>,
) -> Result<web::Json<Suggestions>, Error> {
    let query = query.into_inner();
    let limit = parse_int("limit", query.limit.as_deref())?.unwrap_or(DEFAULT_SUGGESTIONS as i64);
    if !(1..=MAX_SUGGESTIONS as i64).contains(&limit) {
        return Err(Error::invalid_at(
            Code::InvalidQuery,
            format!("limit must be between 1 and {MAX_SUGGESTIONS}, got {limit}"),
            "/limit",
        ));
    }
    let kind = parse_kind(query.kind.as_deref())?;
    let visible = Visible::for_principal(&caller.0);
    let suggestions = state.search.suggest(
        query.q.as_deref().unwrap_or(""),
        kind,
        limit as usize,
        &visible,
    )?;
    Ok(web::Json(Suggestions { suggestions }))
}

fn parse_kind(kind: Option<&str>) -> Result<Option<Kind>, Error> {
    kind.map(|k| {
        Kind::parse(k).ok_or_else(|| {
            Error::invalid_at(
                Code::InvalidQuery,
                format!("kind {k:?} is not one of: api, operation, schema"),
                "/kind",
            )
        })
    })
    .transpose()
}
