//! `/api/v1/apis/{api}/versions`: publish a new version (the description is the request body: JSON,
//! YAML, or a .zip / .tar.gz bundle with relative `$ref`s), list and read versions, download the
//! original bytes, and read what was derived from them (normalised document, operations, schemas).

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::blocking;
use super::caller::Caller;
use super::types::{
    ListQuery, ListResponse, OperationResponse, PublishResponse, SchemaResponse, StandardSummary,
    VersionResponse,
};
use crate::AppState;
use crate::auth::Principal;
use crate::auth::policy::Visible;
use crate::domain::VersionLabel;
use crate::domain::{CompatPolicy, compare_versions};
use crate::error::{Code, Error, Problem};
use crate::ingest::conformance::Recheck;
use crate::ingest::publish::{self, Outcome};
use crate::ingest::{evaluate, stored};
use crate::store::apis::{self, ApiRecord};
use crate::store::relations::Claims;
use crate::store::versions::{self, VersionRow};
use crate::store::{Conn, blobs, evaluations};

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

/// The API (visible to the caller) and one of its versions; `latest` names the newest.
pub(crate) fn api_version(
    c: &mut Conn,
    who: &Principal,
    api: &str,
    label: &str,
) -> Result<(ApiRecord, VersionRow), Error> {
    let record = apis::get_visible(c, &Visible::for_principal(who), api)?;
    let label = match (label, &record.api.latest_version) {
        ("latest", Some(latest)) if versions::find(c, record.api.id, "latest")?.is_none() => {
            latest.clone()
        }
        _ => label.to_string(),
    };
    let version = versions::get(c, record.api.id, api, &label)?;
    Ok((record, version))
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
    let (slug, paged) = blocking(move || {
        state.store.read(|c| {
            let api = apis::get_visible(c, &Visible::for_principal(&caller.0), &slug)?;
            Ok((slug, versions::list(c, api.api.id, page)?))
        })
    })
    .await?;
    Ok(web::Json(ListResponse::new(
        paged
            .items
            .into_iter()
            .map(|v| VersionResponse::new(&slug, v, None))
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
    let label = query
        .version
        .as_deref()
        .map(VersionLabel::parse)
        .transpose()?;
    super::check_description_body(&req, &body)?;
    let slug = path.into_inner();
    let who = caller.0;
    let published = blocking(move || {
        // Check the API and the caller's rights before the (possibly long) parse.
        state.store.read(|c| {
            let api = apis::get_visible(c, &Visible::for_principal(&who), &slug)?;
            crate::auth::policy::require_owner(&who, &api.owner, "publishing a version")
        })?;
        let desc = pac_spec::load_body(&body, &state.limits)?;
        let label = publish::label_for(label.as_ref(), &desc)?;
        // The standard is checked before the write, so the store's writer is not held for it.
        let evaluation = match evaluate::evaluate(&state.standard, &desc, &state.limits) {
            Ok(e) => Some(e),
            Err(e) => {
                tracing::error!(api = %slug, error = %e, "version not evaluated at publish; the background evaluation will retry");
                None
            }
        };
        state
            .store
            .write(|c| {
                let published = publish::publish_description(
                    c,
                    &who,
                    &slug,
                    &label,
                    &desc,
                    publish::Compare::Yes,
                )?;
                if published.outcome == Outcome::Created
                    && let Some(e) = &evaluation
                {
                    let target = format!("{}@{}", published.api.api.slug, label);
                    evaluate::record(c, &who, &state.standard, published.version.id, &target, e)?;
                }
                let standard = evaluations::in_force(evaluations::for_version(c, published.version.id, &state.standard.identity.name)?, &state.standard.identity.version)
                    .map(|row| StandardSummary::new(row, &state.standard.identity.version, false));
                Ok((published, standard))
            })
            .inspect(|(published, _)| {
                state.after_write();
                if published.outcome == Outcome::Created {
                    state.verify_claims(Claims::OfApi(published.api.api.id), Recheck::Always);
                    if evaluation.is_none() {
                        // Evaluates, among others, this version, which has no results yet.
                        state.clone().into_inner().evaluate_in_background();
                    }
                }
            })
    })
    .await?;
    let (published, standard) = published;
    let warn = published.api.api.compatibility() == CompatPolicy::Warn;
    let warnings = published
        .changes
        .as_ref()
        .filter(|_| warn)
        .map(|c| {
            c.report
                .changes
                .iter()
                .filter(|x| x.level == pac_compat::Level::Breaking)
                .map(|x| {
                    format!(
                        "{}: {} ({})",
                        x.id,
                        x.message,
                        x.operation.as_deref().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let changes = published.changes.as_ref().map(|c| c.to_json());
    let mut version = VersionResponse::new(&published.api.api.slug, published.version, None);
    version.changes = changes;
    version.standard = standard;
    let response = PublishResponse {
        status: published.outcome.as_str().to_string(),
        warnings,
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
    let (api, version, files, standard) = blocking(move || {
        state.store.read(|c| {
            let (record, version) = api_version(c, &caller.0, &api, &label)?;
            let files = versions::files(c, version.id)?;
            let standard = evaluations::in_force(
                evaluations::for_version(c, version.id, &state.standard.identity.name)?,
                &state.standard.identity.version,
            )
            .map(|row| StandardSummary::new(row, &state.standard.identity.version, false));
            Ok((record.api.slug, version, files, standard))
        })
    })
    .await?;
    let mut answer = VersionResponse::new(&api, version, Some(files));
    answer.standard = standard;
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
    let (file, bytes) = blocking(move || {
        state.store.read(|c| {
            let (record, version) = api_version(c, &caller.0, &api, &label)?;
            let files = versions::files(c, version.id)?;
            if files.is_empty() {
                return Err(Error::NotFound(format!(
                    "description of version {label} of API {api} (it is a link-only entry: see its documentation_url)"
                )));
            }
            let file = match &wanted {
                Some(p) => files.into_iter().find(|f| &f.path == p).ok_or_else(|| {
                    Error::NotFound(format!("file {p} in version {label} of API {}", record.api.slug))
                })?,
                None => files.into_iter().next().expect("checked non-empty"),
            };
            let bytes = blobs::get(c, &file.blob_sha256)?;
            Ok((file, bytes))
        })
    })
    .await?;
    let filename = file
        .path
        .rsplit('/')
        .next()
        .unwrap_or("openapi")
        .to_string();
    Ok(HttpResponse::Ok()
        .content_type(file.media_type.as_str())
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(filename)],
        })
        .insert_header((header::ETAG, format!("\"{}\"", file.blob_sha256)))
        .body(bytes))
}

/// The description as the catalogue reads it: one OpenAPI 3.0 document (Swagger 2.0 converted,
/// 3.1 normalised, bundles joined), derived again from the original files.
#[utoipa::path(
    tag = "versions",
    params(("api" = String, Path, description = "API slug"), ("version" = String, Path, description = "Version label, or latest")),
    responses(
        (status = 200, description = "OpenAPI 3.0 document", body = Object),
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
    let doc = blocking(move || {
        let desc = state.store.read(|c| {
            let (_, version) = api_version(c, &caller.0, &api, &label)?;
            stored::description(c, &version, &state.limits)
        })?;
        let Some(desc) = desc else {
            return Err(Error::NotFound(format!(
                "description of version {label} of API {api} (it is a link-only entry)"
            )));
        };
        Ok(desc.normalised)
    })
    .await?;
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
    let filter = versions::OperationFilter {
        method: only.method,
        path: only.path,
        operation_id: only.operation_id,
    };
    let paged = blocking(move || {
        state.store.read(|c| {
            let (_, version) = api_version(c, &caller.0, &api, &label)?;
            versions::operations(c, version.id, &filter, page)
        })
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
        state.store.read(|c| {
            let (_, version) = api_version(c, &caller.0, &api, &label)?;
            versions::schemas(c, version.id, name.as_deref(), page)
        })
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
        (status = 200, description = "{api, from, to, summary, changes}, or text/markdown", body = Object),
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
    let (from, to, report) = blocking(move || {
        let (from, to, old, new) = state.store.read(|c| {
            let (record, to) = api_version(c, &caller.0, &api, query.to.as_deref().unwrap_or("latest"))?;
            let from = match &query.from {
                Some(label) => api_version(c, &caller.0, &api, label)?.1,
                None => {
                    let before = versions::labels(c, record.api.id)?
                        .into_iter()
                        .filter(|l| compare_versions(l, &to.version).is_lt())
                        .max_by(|a, b| compare_versions(a, b))
                        .ok_or_else(|| {
                            Error::invalid_at(
                                Code::InvalidQuery,
                                format!("version {} of API {api} is its first: give from=", to.version),
                                "/from",
                            )
                        })?;
                    versions::get(c, record.api.id, &api, &before)?
                }
            };
            let old = stored::description(c, &from, &state.limits)?;
            let new = stored::description(c, &to, &state.limits)?;
            Ok((from.version, to.version, old, new))
        })?;
        let (Some(old), Some(new)) = (old, new) else {
            return Err(Error::Invalid {
                code: Code::NoDescription,
                message: format!("version {from} or {to} is a link-only entry: there is no description to compare"),
                location: Box::default(),
            });
        };
        let mut report = pac_compat::compare(&old.normalised, &new.normalised);
        pac_compat::locate(&mut report, &old, &new);
        Ok((from, to, report))
    })
    .await?;
    if markdown {
        let title = format!("Changes from {from} to {to}");
        return Ok(HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .body(pac_compat::render::markdown(&report, &title)));
    }
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "from": from,
        "to": to,
        "summary": {
            "breaking": report.count(pac_compat::Level::Breaking),
            "possibly_breaking": report.count(pac_compat::Level::PossiblyBreaking),
            "non_breaking": report.count(pac_compat::Level::NonBreaking),
        },
        "changes": report.changes,
    })))
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
    let rows = blocking(move || {
        state.store.read(|c| {
            let (_, version) = api_version(c, &caller.0, &api, &label)?;
            let rows = evaluations::for_version(c, version.id, &state.standard.identity.name)?;
            Ok(rows
                .into_iter()
                .map(|row| StandardSummary::new(row, &state.standard.identity.version, true))
                .collect())
        })
    })
    .await?;
    Ok(web::Json(rows))
}
