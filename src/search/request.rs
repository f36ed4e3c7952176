//! A search as asked (every field as text, as a query string, a form or a command line gives it)
//! parsed into a [`SearchRequest`], so that every edge accepts and refuses exactly the same.

use serde::Deserialize;
use utoipa::IntoParams;

use super::SearchRequest;
use super::fields::Kind;
use crate::domain::{Lifecycle, OrgKind, SPEC_FORMATS, parse_int};
use crate::error::{Code, Error};

pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;
/// Deeper pages are refused: refine the query instead.
pub const MAX_OFFSET: usize = 10_000;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
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
    /// swagger-2.0, openapi-3.0, openapi-3.1, openapi-3.2 or none.
    pub format: Option<String>,
    /// yes (meets the police API standard's minimum), no, or unevaluated.
    pub kitemark: Option<String>,
    /// Only entries whose API belongs to a system of this interoperability tier: bronze,
    /// silver, gold, or none (a system that has not reached Bronze).
    pub tier: Option<String>,
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

impl SearchRequest {
    /// Checks every field, naming the one that is wrong.
    pub fn parse(params: SearchParams) -> Result<SearchRequest, Error> {
        let limit = parse_int("limit", params.limit.as_deref())?.unwrap_or(DEFAULT_LIMIT as i64);
        if !(1..=MAX_LIMIT as i64).contains(&limit) {
            return Err(Error::invalid_at(
                Code::InvalidQuery,
                format!("limit must be between 1 and {MAX_LIMIT}, got {limit}"),
                "/limit",
            ));
        }
        let offset = parse_int("offset", params.offset.as_deref())?.unwrap_or(0);
        if !(0..=MAX_OFFSET as i64).contains(&offset) {
            return Err(Error::invalid_at(
                Code::InvalidQuery,
                format!(
                    "offset must be between 0 and {MAX_OFFSET}, got {offset}; refine the query instead"
                ),
                "/offset",
            ));
        }
        let kind = parse_kind(params.kind.as_deref())?;
        if let Some(k) = params
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
        if let Some(t) = params.tier.as_deref()
            && t != crate::tiers::NO_TIER
        {
            crate::tiers::Tier::parse(t)?;
        }
        let min_score = parse_int("min_score", params.min_score.as_deref())?;
        if let Some(m) = min_score.filter(|m| !(0..=100).contains(m)) {
            return Err(Error::invalid_at(
                Code::InvalidQuery,
                format!("min_score must be between 0 and 100, got {m}"),
                "/min_score",
            ));
        }
        if let Some(f) = params
            .format
            .as_deref()
            .filter(|f| !SPEC_FORMATS.contains(f))
        {
            return Err(Error::invalid_at(
                Code::InvalidFormat,
                format!("format {f:?} is not one of: {}", SPEC_FORMATS.join(", ")),
                "/format",
            ));
        }
        Ok(SearchRequest {
            q: params.q,
            kind,
            org: params.org,
            org_kind: params
                .org_kind
                .as_deref()
                .map(|k| OrgKind::parse(k).map(|k| k.as_str().to_string()))
                .transpose()?,
            lifecycle: params
                .lifecycle
                .as_deref()
                .map(|l| Lifecycle::parse(l).map(|l| l.as_str().to_string()))
                .transpose()?,
            tag: params.tag,
            format: params.format,
            kitemark: params.kitemark,
            tier: params.tier,
            min_score: min_score.map(|m| m as u64),
            limit: limit as usize,
            offset: offset as usize,
        })
    }
}

/// `api`, `operation` or `schema`.
pub fn parse_kind(kind: Option<&str>) -> Result<Option<Kind>, Error> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_checked_and_named() {
        let bad = |p: SearchParams| SearchRequest::parse(p).unwrap_err();
        let e = bad(SearchParams {
            limit: Some("ten".into()),
            ..Default::default()
        });
        assert_eq!(
            (e.code(), e.location().pointer.as_deref()),
            ("invalid_query", Some("/limit"))
        );
        let e = bad(SearchParams {
            offset: Some("10001".into()),
            ..Default::default()
        });
        assert_eq!(e.location().pointer.as_deref(), Some("/offset"));
        let e = bad(SearchParams {
            kind: Some("thing".into()),
            ..Default::default()
        });
        assert_eq!(e.location().pointer.as_deref(), Some("/kind"));
        let e = bad(SearchParams {
            format: Some("raml".into()),
            ..Default::default()
        });
        assert_eq!(e.code(), "invalid_format");
        let ok = SearchRequest::parse(SearchParams {
            q: Some("crime".into()),
            min_score: Some("80".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            (ok.limit, ok.offset, ok.min_score),
            (DEFAULT_LIMIT, 0, Some(80))
        );
    }
}
