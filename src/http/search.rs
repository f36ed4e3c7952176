//! `GET /api/v1/search`: full-text search over APIs, operations and schemas, as the caller may see them.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::caller::Caller;
use crate::AppState;
use crate::auth::policy::Visible;
use crate::domain::parse_int;
use crate::error::{Code, Error, Problem};
use crate::search::cache::Key;
use crate::search::request::{SearchParams, parse_kind};
use crate::search::{SearchRequest, SearchResults, Suggestion};

/// Searches everything inside the descriptions the caller may see: APIs (their latest version),
/// operations and schemas. Hidden entries count nowhere: not in hits, totals, facets or snippets.
#[utoipa::path(
    tag = "search",
    params(SearchParams),
    responses(
        (status = 200, body = SearchResults),
        (status = 400, description = "query_syntax: the query is not well formed; invalid_query: a bad filter or page", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/search")]
pub async fn search(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<SearchParams>,
) -> Result<HttpResponse, Error> {
    let key = Key {
        request: SearchRequest::parse(query.into_inner())?,
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
