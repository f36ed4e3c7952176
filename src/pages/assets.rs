//! The static assets pages use, built into the binary (the service needs no files at run time):
//! the stylesheet compiled from govuk-frontend and our Sass (`scripts/build-web-assets.sh`), our
//! small script that only enhances, the icon and the design system's licence.
//!
//! Addresses carry a hash of the content (`/static/catalogue.css?v=…`), so a browser may keep a
//! file for a year and still never uses an old one after an upgrade.

use std::sync::LazyLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, web};
use sha2::{Digest, Sha256};

use super::PageError;
use crate::error::Error;

struct Asset {
    name: &'static str,
    media_type: &'static str,
    bytes: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "catalogue.css",
        media_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../web/static/catalogue.css"),
    },
    Asset {
        name: "catalogue.js",
        media_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../web/static/catalogue.js"),
    },
    Asset {
        name: "favicon.svg",
        media_type: "image/svg+xml",
        bytes: include_bytes!("../../web/static/favicon.svg"),
    },
    Asset {
        name: "LICENSE-govuk-frontend.txt",
        media_type: "text/plain; charset=utf-8",
        bytes: include_bytes!("../../web/static/LICENSE-govuk-frontend.txt"),
    },
];

/// Each asset's content hash (first 16 hex digits of its SHA-256), in `ASSETS` order.
static VERSIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| hex::encode(&Sha256::digest(a.bytes)[..8]))
        .collect()
});

/// The address of an asset, with its content hash.
pub fn url(name: &str) -> String {
    match ASSETS.iter().position(|a| a.name == name) {
        Some(i) => format!("/static/{name}?v={}", VERSIONS[i]),
        None => format!("/static/{name}"),
    }
}

#[derive(serde::Deserialize)]
struct AssetQuery {
    v: Option<String>,
}

#[get("/static/{name}")]
pub async fn asset(req: HttpRequest, name: web::Path<String>) -> Result<HttpResponse, PageError> {
    let name = name.into_inner();
    let i = ASSETS
        .iter()
        .position(|a| a.name == name)
        .ok_or_else(|| Error::NotFound(format!("static file {name}")))?;
    let asset = &ASSETS[i];
    let asked: AssetQuery = super::query(&req)?;
    let cache = if asked.v.as_deref() == Some(VERSIONS[i].as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let etag = format!("\"{}\"", VERSIONS[i]);
    if req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish());
    }
    let mut res = HttpResponse::Ok()
        .content_type(asset.media_type)
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::ETAG, etag))
        .body(asset.bytes);
    res.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(res)
}
