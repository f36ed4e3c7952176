//! `/api/v1/apis/{api}/versions`: publish a new version (the description is the request body: JSON,
//! YAML, or a .zip / .tar.gz bundle with relative `$ref`s), list and read versions, download the
//! original bytes, and read what was derived from them (normalised document, operations, schemas).

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::blocking;
use super::caller::Caller;
use super::types::NormalisedDocument;
use super::types::{
    ListQuery, ListResponse, OperationResponse, PublishResponse, SchemaResponse, StandardSummary,
    VersionResponse,
};
use crate::AppState;
use crate::error::{Code, Error, Problem};
use crate::store::versions::OperationFilter;
use crate::usecase::versions::{self, Outcome};
use pac_compat::DiffReport;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublishQuery {
    /// Version label; defaults to the description's `info.version`.
    pub version: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OperationQuery {
    /// Only operations with this method (get, post…).
    pub method: Option<String>,
    /// Only the operation(s) at exactly this path template.
    pub path: Option<String>,
    /// Only the operation with this operationId.
    pub operation_id: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SchemaQuery {
    /// Only the schema of exactly this name.
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OriginalQuery {
    /// Path of a file of a multi-file description; defaults to the root file.
    pub path: Option<String>,
}

/// List the versions of an API, newest first.
#[utoipa::path(
    tag = "versions",
    params(("api" = String, Path, description = "API slug"), ListQuery),
    responses(
        (status = 200, body = ListResponse<VersionResponse>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apis/{api}/versions")]
pub async fn list_versions(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    list: web::Query<ListQuery>,
) -> Result<web::Json<ListResponse<VersionResponse>>, Error> {
    let page = list.page()?;
    let slug = path.into_inner();
    let (api, paged) =
        blocking(move || versions::list(&state.catalogue, &caller.0, &slug, page)).await?;
    Ok(web::Json(ListResponse::new(
        paged
            .items
            .into_iter()
            .map(|v| VersionResponse::new(&api.api.slug, v, None))
            .collect(),
        paged.total,
        page,
    )))
}

/// Publish a new version of an API (publisher of its owner, or admin).
///
/// The request body is the description: OpenAPI 3.x or Swagger 2.0, JSON or YAML, or a .zip / .tar.gz
/// bundle whose files refer to each other with relative `$ref`s. Publishing the same content again under
/// the same label answers 200 `unchanged`; other content under an existing label is a 409.
#[utoipa::path(
    tag = "versions",
    params(("api" = String, Path, description = "API slug"), PublishQuery),
    request_body(description = "The description (JSON, YAML, .zip or .tar.gz)", content(
        (String = "application/yaml"), (String = "application/json"),
        (Vec<u8> = "application/zip"), (Vec<u8> = "application/gzip"))),
    security(("bearer" = [])),
    responses(
        (status = 201, body = PublishResponse, description = "Stored as a new version"),
        (status = 200, body = PublishResponse, description = "This content already is that version"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Not a readable OpenAPI description"),
    )
)]
#[post("/apis/{api}/versions")]
pub async fn publish_version(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<PublishQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, Error> {
    super::check_description_body(&req, &body)?;
    let (slug, label) = (path.into_inner(), query.into_inner().version);
    let standard_version = state.catalogue.standard.identity.version.clone();
    let published = blocking(move || {
        versions::publish_body(&state.catalogue, &caller.0, &slug, label.as_deref(), &body)
    })
    .await?;
    let mut version = VersionResponse::new(&published.api.api.slug, published.version, None);
    version.changes = published
        .changes
        .as_ref()
        .map(|c| serde_json::to_value(c).unwrap_or_default());
    version.standard = published
        .standard
        .map(|row| StandardSummary::new(row, &standard_version, false));
    let response = PublishResponse {
        status: published.outcome.as_str().to_string(),
        warnings: published.warnings,
        version,
    };
    let mut builder = match published.outcome {
        Outcome::Created => HttpResponse::Created(),
        Outcome::Unchanged => HttpResponse::Ok(),
    };
    Ok(builder
        .insert_header((header::LOCATION, response.version.links.self_.clone()))
        .json(response))
}

/// Get one version (`latest` for the newest), with its files.
#[utoipa::path(
    tag = "versions",
    params(("api" = String, Path, description = "API slug"), ("version" = String, Path, description = "Version label, or latest")),
    responses(
        (status = 200, body = VersionResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apis/{api}/versions/{version}")]
pub async fn get_version(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<web::Json<VersionResponse>, Error> {
    let (api, label) = path.into_inner();
    let standard_version = state.catalogue.standard.identity.version.clone();
    let view = blocking(move || versions::get(&state.catalogue, &caller.0, &api, &label)).await?;
    let mut answer = VersionResponse::new(&view.api.api.slug, view.version, Some(view.files));
    answer.standard = view
        .standard
        .map(|row| StandardSummary::new(row, &standard_version, false));
    Ok(web::Json(answer))
}

/// Download the original bytes of a version's description, exactly as published.
#[utoipa::path(
    tag = "versions",
    params(("api" = String, Path, description = "API slug"), ("version" = String, Path, description = "Version label, or latest"), OriginalQuery),
    responses(
        (status = 200, description = "The original file", content((String = "application/yaml"), (String = "application/json"))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apis/{api}/versions/{version}/original")]
pub async fn get_original(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    query: web::Query<OriginalQuery>,
) -> Result<HttpResponse, Error> {
    let (api, label) = path.into_inner();
    let wanted = query.into_inner().path;
    let file = blocking(move || {
        versions::original(&state.catalogue, &caller.0, &api, &label, wanted.as_deref())
    })
    .await?;
    Ok(download(file))
}

/// The description as the catalogue reads it: one OpenAPI 3.0 document (Swagger 2.0 converted,
/// 3.1 normalised, bundles joined), derived again from the original files.
#[utoipa::path(
    tag = "versions",
    params(("api" = String, Path, description = "API slug"), ("version" = String, Path, description = "Version label, or latest")),
    responses(
        (status = 200, description = "The description as one OpenAPI 3.0 document", body = NormalisedDocument),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apis/{api}/versions/{version}/normalised")]
pub async fn get_normalised(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Error> {
    let (api, label) = path.into_inner();
    let doc =
        blocking(move || versions::normalised(&state.catalogue, &caller.0, &api, &label)).await?;
    Ok(HttpResponse::Ok().json(doc))
}

/// The operations of a version, in document order.
#[utoipa::path(
    tag = "versions",
    params(("api" = String, Path, description = "API slug"), ("version" = String, Path, description = "Version label, or latest"), ListQuery, OperationQuery),
    responses(
        (status = 200, body = ListResponse<OperationResponse>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apis/{api}/versions/{version}/operations")]
pub async fn list_operations(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    list: web::Query<ListQuery>,
    only: web::Query<OperationQuery>,
) -> Result<web::Json<ListResponse<OperationResponse>>, Error> {
    let page = list.page()?;
    let (api, label) = path.into_inner();
    let only = only.into_inner();
    let filter = OperationFilter {
        method: only.method,
        path: only.path,
        operation_id: only.operation_id,
    };
    let paged = blocking(move || {
        versions::operations(&state.catalogue, &caller.0, &api, &label, &filter, page)
    })
    .await?;
    Ok(web::Json(ListResponse::new(
        paged.items.into_iter().map(Into::into).collect(),
        paged.total,
        page,
    )))
}

/// The named schemas of a version (components/schemas), with their property names.
#[utoipa::path(
    tag = "versions",
    params(("api" = String, Path, description = "API slug"), ("version" = String, Path, description = "Version label, or latest"), ListQuery, SchemaQuery),
    responses(
        (status = 200, body = ListResponse<SchemaResponse>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apis/{api}/versions/{version}/schemas")]
pub async fn list_schemas(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    list: web::Query<ListQuery>,
    only: web::Query<SchemaQuery>,
) -> Result<web::Json<ListResponse<SchemaResponse>>, Error> {
    let page = list.page()?;
    let (api, label) = path.into_inner();
    let name = only.into_inner().name;
    let paged = blocking(move || {
        versions::schemas(
            &state.catalogue,
            &caller.0,
            &api,
            &label,
            name.as_deref(),
            page,
        )
    })
    .await?;
    Ok(web::Json(ListResponse::new(
        paged.items.into_iter().map(Into::into).collect(),
        paged.total,
        page,
    )))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The old version's label (default: the version before `to`).
    pub from: Option<String>,
    /// The new version's label, or latest (default: latest).
    pub to: Option<String>,
    /// json (default) or markdown (a changelog).
    pub format: Option<String>,
}

/// What changed between two versions of an API and what it breaks for callers of the older one:
/// every change with its stable id, level (breaking, possibly-breaking, non-breaking), operation
/// and JSON pointer; or, with `format=markdown`, a changelog.
#[utoipa::path(
    tag = "versions",
    params(("api" = String, Path, description = "API slug"), DiffQuery),
    responses(
        (status = 200, description = "The changes, most severe first; with format=markdown, a changelog", content(
            (DiffReport = "application/json"), (String = "text/markdown"))),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "no_description: a link-only version has nothing to compare", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apis/{api}/diff")]
pub async fn diff_versions(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<DiffQuery>,
) -> Result<HttpResponse, Error> {
    let api = path.into_inner();
    let query = query.into_inner();
    let markdown = match query.format.as_deref() {
        None | Some("json") => false,
        Some("markdown") => true,
        Some(other) => {
            return Err(Error::invalid_at(
                Code::InvalidQuery,
                format!("format {other:?} is not one of: json, markdown"),
                "/format",
            ));
        }
    };
    let diff = blocking(move || {
        versions::diff(
            &state.catalogue,
            &caller.0,
            &api,
            query.from.as_deref(),
            query.to.as_deref(),
        )
    })
    .await?;
    if markdown {
        let title = format!(
            "Changes from {} to {}",
            diff.from,
            diff.to.as_deref().unwrap_or("")
        );
        return Ok(HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .body(pac_compat::render::markdown(&diff.report(), &title)));
    }
    Ok(HttpResponse::Ok().json(diff))
}

/// Every evaluation of a version against the police API standard, newest first, with findings:
/// results of earlier versions of the standard are kept.
#[utoipa::path(
    tag = "standard",
    params(("api" = String, Path, description = "API slug"), ("version" = String, Path, description = "Version label, or latest")),
    responses(
        (status = 200, body = Vec<StandardSummary>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/apis/{api}/versions/{version}/evaluations")]
pub async fn list_evaluations(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<web::Json<Vec<StandardSummary>>, Error> {
    let (api, label) = path.into_inner();
    let standard_version = state.catalogue.standard.identity.version.clone();
    let rows =
        blocking(move || versions::evaluations(&state.catalogue, &caller.0, &api, &label)).await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|row| StandardSummary::new(row, &standard_version, true))
            .collect(),
    ))
}

/// An original file as a download: its media type, its name, and its SHA-256 as the ETag.
pub(crate) fn download(file: crate::usecase::Original) -> HttpResponse {
    let filename = file
        .path
        .rsplit('/')
        .next()
        .unwrap_or("openapi")
        .to_string();
    HttpResponse::Ok()
        .content_type(file.media_type.as_str())
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(filename)],
        })
        .insert_header((header::ETAG, format!("\"{}\"", file.sha256)))
        .body(file.bytes)
}
