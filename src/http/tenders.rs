//! `/api/v1/tenders`: procurement. A buying organisation's tenders with their versioned requirement
//! packs and lifecycle; suppliers' bids (only the supplier, the buyer and admins see a bid); scores,
//! the comparison of bids and the tender's documents (docs/PROCUREMENT.md).

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::blocking;
use super::caller::Caller;
use super::types::{ListQuery, ListResponse};
use crate::AppState;
use crate::domain::Visibility;
use crate::error::{Code, Error, Problem};
use crate::store::tenders::{PackRow, TenderRecord};
use crate::usecase::tenders::{self, BidView, CreateTender, PutScore, TenderView};

#[derive(Debug, Serialize, ToSchema)]
pub struct TenderResponse {
    pub slug: String,
    pub title: String,
    /// Slug of the buying organisation.
    pub buyer: String,
    pub visibility: Visibility,
    /// draft, published, closed or awarded.
    pub lifecycle: String,
    /// The version of the requirement pack bids are judged against.
    pub pack_version: Option<String>,
    /// The supplier awarded the contract.
    pub awarded_to: Option<String>,
    /// The current requirement pack, parsed (single tender only).
    #[schema(value_type = Option<Object>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pack: Option<Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TenderResponse {
    fn new(record: TenderRecord, pack: Option<Value>) -> TenderResponse {
        let t = record.tender;
        TenderResponse {
            slug: t.slug,
            title: t.title,
            buyer: record.buyer,
            visibility: t.visibility,
            lifecycle: t.lifecycle.as_str().to_owned(),
            pack_version: t.pack_version,
            awarded_to: record.awarded_to,
            pack,
            created_at: t.created_at.and_utc(),
            updated_at: t.updated_at.and_utc(),
        }
    }
}

impl From<TenderView> for TenderResponse {
    fn from(v: TenderView) -> Self {
        let pack = v.pack.map(|(_, p)| tenders::pack_json(&p));
        TenderResponse::new(v.record, pack)
    }
}

/// One version of a tender's requirement pack.
#[derive(Debug, Serialize, ToSchema)]
pub struct PackResponse {
    pub version: String,
    /// 1 for the first version, then 2, 3…
    pub seq: i32,
    /// What changed from the version before: requirements added, removed or changed.
    #[schema(value_type = Object)]
    pub changes: Value,
    pub published_by: String,
    pub published_at: DateTime<Utc>,
    /// The pack, parsed (single version only).
    #[schema(value_type = Option<Object>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pack: Option<Value>,
}

impl PackResponse {
    fn new(row: PackRow, pack: Option<&pac_tender::Pack>) -> PackResponse {
        PackResponse {
            version: row.version,
            seq: row.seq,
            changes: serde_json::from_str(&row.changes).unwrap_or(Value::Null),
            published_by: row.published_by,
            published_at: row.published_at.and_utc(),
            pack: pack.map(tenders::pack_json),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BidDescription {
    pub name: String,
    pub media_type: String,
    pub sha256: String,
    pub added_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BidScore {
    pub requirement: String,
    pub score: i32,
    pub justification: String,
    pub scored_by: String,
    pub scored_at: DateTime<Utc>,
}

/// A bid, as its supplier, the buyer and admins see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct BidResponse {
    /// Slug of the bidding supplier.
    pub supplier: String,
    pub supplier_name: String,
    /// open or withdrawn.
    pub status: String,
    /// The supplier's catalogue system the bid offers (for `tier` requirements).
    pub system: Option<String>,
    pub descriptions: Vec<BidDescription>,
    /// Evaluators' scores of the manual requirements.
    pub scores: Vec<BidScore>,
    /// compliant, non_compliant or needs_review; null before the bid has a description.
    pub verdict: Option<String>,
    /// The evaluation against the current pack: per requirement met, not_met or needs_review,
    /// with evidence located in the bid's descriptions.
    #[schema(value_type = Option<Object>)]
    pub evaluation: Option<Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<BidView> for BidResponse {
    fn from(v: BidView) -> Self {
        let b = v.record.bid;
        BidResponse {
            supplier: v.record.supplier,
            supplier_name: v.record.supplier_name,
            status: b.status.as_str().to_owned(),
            system: v.system,
            descriptions: v
                .files
                .into_iter()
                .map(|f| BidDescription {
                    name: f.name,
                    media_type: f.media_type,
                    sha256: f.blob_sha256,
                    added_at: f.created_at.and_utc(),
                })
                .collect(),
            scores: v
                .scores
                .into_iter()
                .map(|s| BidScore {
                    requirement: s.requirement,
                    score: s.score,
                    justification: s.justification,
                    scored_by: s.scored_by,
                    scored_at: s.scored_at.and_utc(),
                })
                .collect(),
            verdict: v.evaluation.as_ref().map(|e| e.verdict.as_str().to_owned()),
            evaluation: v
                .evaluation
                .map(|e| serde_json::to_value(e).unwrap_or(Value::Null)),
            created_at: b.created_at.and_utc(),
            updated_at: b.updated_at.and_utc(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TenderQuery {
    /// Only tenders of this buying organisation (slug).
    pub buyer: Option<String>,
}

/// List the tenders the caller may see, newest first.
#[utoipa::path(
    tag = "tenders",
    params(ListQuery, TenderQuery),
    responses(
        (status = 200, body = ListResponse<TenderResponse>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tenders")]
pub async fn list_tenders(
    state: web::Data<AppState>,
    caller: Caller,
    list: web::Query<ListQuery>,
    query: web::Query<TenderQuery>,
) -> Result<web::Json<ListResponse<TenderResponse>>, Error> {
    let page = list.page()?;
    let buyer = query.into_inner().buyer;
    let paged =
        blocking(move || tenders::list(&state.catalogue, &caller.0, buyer.as_deref(), page))
            .await?;
    Ok(web::Json(ListResponse::new(
        paged
            .items
            .into_iter()
            .map(|r| TenderResponse::new(r, None))
            .collect(),
        paged.total,
        page,
    )))
}

/// Create a tender, a draft without a pack (publishers and curators of the buyer, admins).
#[utoipa::path(
    tag = "tenders",
    request_body = CreateTender,
    security(("bearer" = [])),
    responses(
        (status = 201, body = TenderResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tenders")]
pub async fn create_tender(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CreateTender>,
) -> Result<HttpResponse, Error> {
    let view = blocking(move || tenders::create(&state.catalogue, &caller.0, &body)).await?;
    let location = format!("/api/v1/tenders/{}", view.record.tender.slug);
    Ok(HttpResponse::Created()
        .insert_header(("Location", location))
        .json(TenderResponse::from(view)))
}

/// Get a tender with its current requirement pack.
#[utoipa::path(
    tag = "tenders",
    params(("tender" = String, Path, description = "Tender slug")),
    responses(
        (status = 200, body = TenderResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tenders/{tender}")]
pub async fn get_tender(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<TenderResponse>, Error> {
    let slug = path.into_inner();
    let view = blocking(move || tenders::get(&state.catalogue, &caller.0, &slug)).await?;
    Ok(web::Json(view.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LifecycleBody {
    /// published (bids come in) or closed (no more bids).
    pub lifecycle: String,
}

/// Publish a tender (it needs a pack) or close it to bids.
#[utoipa::path(
    tag = "tenders",
    params(("tender" = String, Path, description = "Tender slug")),
    request_body = LifecycleBody,
    security(("bearer" = [])),
    responses(
        (status = 200, body = TenderResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tenders/{tender}/lifecycle")]
pub async fn set_tender_lifecycle(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: web::Json<LifecycleBody>,
) -> Result<web::Json<TenderResponse>, Error> {
    let slug = path.into_inner();
    let view = blocking(move || {
        tenders::set_lifecycle(&state.catalogue, &caller.0, &slug, &body.lifecycle)
    })
    .await?;
    Ok(web::Json(view.into()))
}

/// Add a version of the tender's requirement pack: the pack's YAML as the body. A version never
/// changes: the same text again answers 200, other text under its version 409.
#[utoipa::path(
    tag = "tenders",
    params(("tender" = String, Path, description = "Tender slug")),
    request_body(content = String, content_type = "application/yaml", description = "The pack (docs/PROCUREMENT.md)"),
    security(("bearer" = [])),
    responses(
        (status = 201, body = PackResponse),
        (status = 200, body = PackResponse, description = "That version exists with this text"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tenders/{tender}/packs")]
pub async fn add_tender_pack(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, Error> {
    super::check_description_body(&req, &body)?;
    let slug = path.into_inner();
    let added =
        blocking(move || tenders::put_pack(&state.catalogue, &caller.0, &slug, &body)).await?;
    let response = PackResponse::new(added.row, Some(&added.pack));
    Ok(if added.created {
        HttpResponse::Created().json(response)
    } else {
        HttpResponse::Ok().json(response)
    })
}

/// The versions of a tender's requirement pack, oldest first, each with what changed.
#[utoipa::path(
    tag = "tenders",
    params(("tender" = String, Path, description = "Tender slug")),
    responses(
        (status = 200, body = Vec<PackResponse>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tenders/{tender}/packs")]
pub async fn list_tender_packs(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<Vec<PackResponse>>, Error> {
    let slug = path.into_inner();
    let (_, packs) = blocking(move || tenders::packs(&state.catalogue, &caller.0, &slug)).await?;
    Ok(web::Json(
        packs
            .into_iter()
            .map(|r| PackResponse::new(r, None))
            .collect(),
    ))
}

/// One version of a tender's requirement pack, parsed.
#[utoipa::path(
    tag = "tenders",
    params(("tender" = String, Path, description = "Tender slug"), ("version" = String, Path, description = "Pack version")),
    responses(
        (status = 200, body = PackResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tenders/{tender}/packs/{version}")]
pub async fn get_tender_pack(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<web::Json<PackResponse>, Error> {
    let (slug, version) = path.into_inner();
    let (row, pack, _) =
        blocking(move || tenders::pack_version(&state.catalogue, &caller.0, &slug, &version))
            .await?;
    Ok(web::Json(PackResponse::new(row, Some(&pack))))
}

/// The YAML of one version of a tender's requirement pack, exactly as added.
#[utoipa::path(
    tag = "tenders",
    params(("tender" = String, Path, description = "Tender slug"), ("version" = String, Path, description = "Pack version")),
    responses(
        (status = 200, description = "The pack as added", content_type = "application/yaml"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tenders/{tender}/packs/{version}/original")]
pub async fn get_tender_pack_original(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Error> {
    let (slug, version) = path.into_inner();
    let (_, _, bytes) =
        blocking(move || tenders::pack_version(&state.catalogue, &caller.0, &slug, &version))
            .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/yaml")
        .body(bytes))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// markdown (the tender text), docx (the same, for a word processor), csv or xlsx (the
    /// compliance matrix bidders fill in), or ocds (an OCDS 1.1 release package; bids'
    /// answers only for the buyer and admins).
    pub format: Option<String>,
}

/// What a document endpoint answers, made off the async workers.
enum Answer {
    /// A download: its media type, file name and bytes.
    File(&'static str, String, Vec<u8>),
    Json(Value),
}

impl Answer {
    fn respond(self) -> HttpResponse {
        match self {
            Answer::File(media_type, filename, body) => HttpResponse::Ok()
                .content_type(media_type)
                .insert_header(ContentDisposition {
                    disposition: DispositionType::Attachment,
                    parameters: vec![DispositionParam::Filename(filename)],
                })
                .insert_header(("Cache-Control", "private, no-store"))
                .body(body),
            Answer::Json(v) => HttpResponse::Ok().json(v),
        }
    }
}

fn download(media_type: &'static str, filename: String, body: Vec<u8>) -> Answer {
    Answer::File(media_type, filename, body)
}

fn json_answer(v: &impl Serialize) -> Result<Answer, Error> {
    serde_json::to_value(v)
        .map(Answer::Json)
        .map_err(|e| Error::internal("report", e))
}

fn export_error(e: pac_tender::export::ExportError) -> Error {
    Error::internal("tender export", e)
}

/// The OCID prefix of releases the catalogue writes. OCDS prefixes are registered per publisher;
/// a buyer publishing the release itself replaces it with its own.
const OCID_PREFIX: &str = "ocds-pac000";

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The tender's documents: its requirements as tender text, the compliance matrix, or its OCDS
/// release.
#[utoipa::path(
    tag = "tenders",
    params(("tender" = String, Path, description = "Tender slug"), ExportQuery),
    responses(
        (status = 200, description = "The document"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tenders/{tender}/export")]
pub async fn export_tender(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    let format = query
        .into_inner()
        .format
        .unwrap_or_else(|| "markdown".into());
    if !["markdown", "docx", "csv", "xlsx", "ocds"].contains(&format.as_str()) {
        return Err(Error::invalid_at(
            Code::InvalidFormat,
            format!("format {format:?} is not one of: markdown, docx, csv, xlsx, ocds"),
            "/format",
        ));
    }
    blocking(move || {
        let cat = &state.catalogue;
        let view = tenders::get(cat, &caller.0, &slug)?;
        let Some((_, pack)) = &view.pack else {
            return Err(Error::conflict(
                Code::TenderPackRequired,
                format!("tender {slug} has no requirement pack yet"),
            ));
        };
        let name = format!("{slug}-{}", pack.version);
        Ok(match format.as_str() {
            "markdown" => download(
                "text/markdown; charset=utf-8",
                format!("{name}.md"),
                pac_tender::export::markdown::pack(pack).into_bytes(),
            ),
            "docx" => download(
                DOCX,
                format!("{name}.docx"),
                pac_tender::export::docx::pack(pack).map_err(export_error)?,
            ),
            "csv" => download(
                "text/csv; charset=utf-8",
                format!("{name}-compliance-matrix.csv"),
                pac_tender::export::csv::matrix(pack)
                    .map_err(export_error)?
                    .into_bytes(),
            ),
            "xlsx" => download(
                XLSX,
                format!("{name}-compliance-matrix.xlsx"),
                pac_tender::export::xlsx::matrix(pack).map_err(export_error)?,
            ),
            _ => {
                let bids = tenders::exported_bids(cat, &caller.0, &view)?;
                let options = pac_tender::export::ocds::Options {
                    ocid_prefix: OCID_PREFIX.to_owned(),
                    date: view.record.tender.updated_at.and_utc().to_rfc3339(),
                };
                let package = pac_tender::export::ocds::release_package(pack, &bids, &options);
                download(
                    "application/json",
                    format!("{name}-ocds.json"),
                    serde_json::to_vec_pretty(&package).map_err(|e| Error::internal("OCDS", e))?,
                )
            }
        })
    })
    .await
    .map(Answer::respond)
}

/// The bids of a tender the caller may see: every bid for the buyer and admins, its own for a
/// supplier, none for anyone else.
#[utoipa::path(
    tag = "tenders",
    params(("tender" = String, Path, description = "Tender slug")),
    responses(
        (status = 200, body = Vec<BidResponse>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tenders/{tender}/bids")]
pub async fn list_bids(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<web::Json<Vec<BidResponse>>, Error> {
    let slug = path.into_inner();
    let bids = blocking(move || tenders::bids(&state.catalogue, &caller.0, &slug)).await?;
    Ok(web::Json(bids.into_iter().map(Into::into).collect()))
}

/// One supplier's bid with its evaluation (the supplier, the buyer and admins only).
#[utoipa::path(
    tag = "tenders",
    params(("tender" = String, Path, description = "Tender slug"), ("supplier" = String, Path, description = "Supplier slug")),
    responses(
        (status = 200, body = BidResponse),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tenders/{tender}/bids/{supplier}")]
pub async fn get_bid(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<web::Json<BidResponse>, Error> {
    let (slug, supplier) = path.into_inner();
    let bid = blocking(move || tenders::bid(&state.catalogue, &caller.0, &slug, &supplier)).await?;
    Ok(web::Json(bid.into()))
}

/// Add an API description to the supplier's bid (opening the bid), or replace the one of that
/// name: the description itself as the body (JSON, YAML, .zip or .tar.gz). The bid is evaluated
/// at once. Publishers of the supplier, while the tender is published.
#[utoipa::path(
    tag = "tenders",
    params(
        ("tender" = String, Path, description = "Tender slug"),
        ("supplier" = String, Path, description = "Supplier slug"),
        ("name" = String, Path, description = "The description's name in the bid, e.g. custody-api.yaml"),
    ),
    request_body(content = String, content_type = "application/yaml", description = "An OpenAPI description"),
    security(("bearer" = [])),
    responses(
        (status = 200, body = BidResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/tenders/{tender}/bids/{supplier}/descriptions/{name}")]
pub async fn put_bid_description(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    body: web::Bytes,
) -> Result<web::Json<BidResponse>, Error> {
    super::check_description_body(&req, &body)?;
    let (slug, supplier, name) = path.into_inner();
    let bid = blocking(move || {
        tenders::put_bid_file(&state.catalogue, &caller.0, &slug, &supplier, &name, &body)
    })
    .await?;
    Ok(web::Json(bid.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BidSystemBody {
    /// Slug of one of the supplier's systems in the catalogue, or null for none.
    pub system: Option<String>,
}

/// Name the supplier's catalogue system the bid offers, for the pack's `tier` requirements
/// (publishers of the supplier, while the tender is published). The bid is evaluated again.
#[utoipa::path(
    tag = "tenders",
    params(("tender" = String, Path, description = "Tender slug"), ("supplier" = String, Path, description = "Supplier slug")),
    request_body = BidSystemBody,
    security(("bearer" = [])),
    responses(
        (status = 200, body = BidResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/tenders/{tender}/bids/{supplier}/system")]
pub async fn put_bid_system(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    body: web::Json<BidSystemBody>,
) -> Result<web::Json<BidResponse>, Error> {
    let (slug, supplier) = path.into_inner();
    let bid = blocking(move || {
        tenders::set_bid_system(
            &state.catalogue,
            &caller.0,
            &slug,
            &supplier,
            body.system.as_deref(),
        )
    })
    .await?;
    Ok(web::Json(bid.into()))
}

/// One description of a bid, exactly as the supplier sent it.
#[utoipa::path(
    tag = "tenders",
    params(
        ("tender" = String, Path, description = "Tender slug"),
        ("supplier" = String, Path, description = "Supplier slug"),
        ("name" = String, Path, description = "The description's name in the bid"),
    ),
    responses(
        (status = 200, description = "The description as sent"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tenders/{tender}/bids/{supplier}/descriptions/{name}")]
pub async fn get_bid_description(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, Error> {
    let (slug, supplier, name) = path.into_inner();
    let (file, bytes) =
        blocking(move || tenders::bid_file(&state.catalogue, &caller.0, &slug, &supplier, &name))
            .await?;
    Ok(HttpResponse::Ok()
        .content_type(file.media_type.as_str())
        .insert_header(("Cache-Control", "private, no-store"))
        .body(bytes))
}

/// Remove a description from the supplier's bid; the bid is evaluated again.
#[utoipa::path(
    tag = "tenders",
    params(
        ("tender" = String, Path, description = "Tender slug"),
        ("supplier" = String, Path, description = "Supplier slug"),
        ("name" = String, Path, description = "The description's name in the bid"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/tenders/{tender}/bids/{supplier}/descriptions/{name}")]
pub async fn delete_bid_description(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, Error> {
    let (slug, supplier, name) = path.into_inner();
    blocking(move || {
        tenders::delete_bid_file(&state.catalogue, &caller.0, &slug, &supplier, &name)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Withdraw the supplier's bid: its descriptions, scores and evaluation are deleted for good.
#[utoipa::path(
    tag = "tenders",
    params(("tender" = String, Path, description = "Tender slug"), ("supplier" = String, Path, description = "Supplier slug")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tenders/{tender}/bids/{supplier}/withdraw")]
pub async fn withdraw_bid(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Error> {
    let (slug, supplier) = path.into_inner();
    blocking(move || tenders::withdraw(&state.catalogue, &caller.0, &slug, &supplier)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Score a manual requirement of a bid, with a justification (publishers and curators of the
/// buyer). Every change is audited; the bid is evaluated again.
#[utoipa::path(
    tag = "tenders",
    params(
        ("tender" = String, Path, description = "Tender slug"),
        ("supplier" = String, Path, description = "Supplier slug"),
        ("requirement" = String, Path, description = "Requirement id, e.g. API-5"),
    ),
    request_body = PutScore,
    security(("bearer" = [])),
    responses(
        (status = 200, body = BidResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/tenders/{tender}/bids/{supplier}/scores/{requirement}")]
pub async fn put_bid_score(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String, String)>,
    body: web::Json<PutScore>,
) -> Result<web::Json<BidResponse>, Error> {
    let (slug, supplier, requirement) = path.into_inner();
    let bid = blocking(move || {
        tenders::put_score(
            &state.catalogue,
            &caller.0,
            &slug,
            &supplier,
            &requirement,
            &body,
        )
    })
    .await?;
    Ok(web::Json(bid.into()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// json (default), markdown, csv or xlsx.
    pub format: Option<String>,
}

/// A bid's evaluation report: for each requirement the status, the marks scored and available, and
/// an explanation referring to the bid (the assessment summary).
#[utoipa::path(
    tag = "tenders",
    params(("tender" = String, Path, description = "Tender slug"), ("supplier" = String, Path, description = "Supplier slug"), ReportQuery),
    responses(
        (status = 200, description = "The report"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tenders/{tender}/bids/{supplier}/report")]
pub async fn get_bid_report(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, Error> {
    let (slug, supplier) = path.into_inner();
    let format = query.into_inner().format.unwrap_or_else(|| "json".into());
    if !["json", "markdown", "csv", "xlsx"].contains(&format.as_str()) {
        return Err(Error::invalid_at(
            Code::InvalidFormat,
            format!("format {format:?} is not one of: json, markdown, csv, xlsx"),
            "/format",
        ));
    }
    blocking(move || {
        let cat = &state.catalogue;
        let bid = tenders::bid(cat, &caller.0, &slug, &supplier)?;
        let Some(evaluation) = &bid.evaluation else {
            return Err(Error::conflict(
                Code::BidNotEvaluated,
                format!("the bid of {supplier} has no API description yet"),
            ));
        };
        let view = tenders::get(cat, &caller.0, &slug)?;
        let pack = view
            .pack
            .map(|(_, p)| p)
            .ok_or_else(|| Error::internal("tender", "evaluated bid without a pack"))?;
        let name = format!("{slug}-{supplier}-evaluation");
        Ok(match format.as_str() {
            "markdown" => download(
                "text/markdown; charset=utf-8",
                format!("{name}.md"),
                pac_tender::export::markdown::evaluation(&pack, evaluation).into_bytes(),
            ),
            "csv" => download(
                "text/csv; charset=utf-8",
                format!("{name}.csv"),
                pac_tender::export::csv::evaluation(evaluation)
                    .map_err(export_error)?
                    .into_bytes(),
            ),
            // The workbook of a comparison of this one bid: per requirement its status and marks.
            "xlsx" => download(
                XLSX,
                format!("{name}.xlsx"),
                pac_tender::export::xlsx::comparison(&pac_tender::compare(
                    &pack,
                    std::slice::from_ref(evaluation),
                ))
                .map_err(export_error)?,
            ),
            _ => json_answer(evaluation)?,
        })
    })
    .await
    .map(Answer::respond)
}

/// The buyer's comparison of every open, evaluated bid side by side (the buyer and admins only).
#[utoipa::path(
    tag = "tenders",
    params(("tender" = String, Path, description = "Tender slug"), ReportQuery),
    responses(
        (status = 200, description = "The comparison"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tenders/{tender}/comparison")]
pub async fn get_comparison(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    let format = query.into_inner().format.unwrap_or_else(|| "json".into());
    if !["json", "markdown", "csv", "xlsx"].contains(&format.as_str()) {
        return Err(Error::invalid_at(
            Code::InvalidFormat,
            format!("format {format:?} is not one of: json, markdown, csv, xlsx"),
            "/format",
        ));
    }
    blocking(move || {
        let (_, comparison) = tenders::comparison(&state.catalogue, &caller.0, &slug)?;
        let name = format!("{slug}-comparison");
        Ok(match format.as_str() {
            "markdown" => download(
                "text/markdown; charset=utf-8",
                format!("{name}.md"),
                pac_tender::export::markdown::comparison(&comparison).into_bytes(),
            ),
            "csv" => download(
                "text/csv; charset=utf-8",
                format!("{name}.csv"),
                pac_tender::export::csv::comparison(&comparison)
                    .map_err(export_error)?
                    .into_bytes(),
            ),
            "xlsx" => download(
                XLSX,
                format!("{name}.xlsx"),
                pac_tender::export::xlsx::comparison(&comparison).map_err(export_error)?,
            ),
            _ => json_answer(&comparison)?,
        })
    })
    .await
    .map(Answer::respond)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AwardedApi {
    /// The bid's description it was made from.
    pub description: String,
    /// The API's slug in the catalogue.
    pub api: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AwardedClaim {
    pub contract: String,
    pub version: String,
    pub api: String,
    /// The claim's first check: conformant, not_conformant or unverified.
    pub status: String,
}

/// What an award recorded in the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct AwardResponse {
    pub tender: TenderResponse,
    /// The supplier's system the solution is recorded as.
    pub system: String,
    pub apis: Vec<AwardedApi>,
    pub claims: Vec<AwardedClaim>,
}

/// Award the tender to a compliant bid (publishers and curators of the buyer). The catalogue
/// records the solution as a system of the supplier with an API per description of the bid and
/// claims to implement the pack's contracts, which it keeps checking after go-live.
#[utoipa::path(
    tag = "tenders",
    params(("tender" = String, Path, description = "Tender slug")),
    request_body = tenders::Award,
    security(("bearer" = [])),
    responses(
        (status = 200, body = AwardResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tenders/{tender}/award")]
pub async fn award_tender(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: web::Json<tenders::Award>,
) -> Result<web::Json<AwardResponse>, Error> {
    let slug = path.into_inner();
    let awarded =
        blocking(move || tenders::award(&state.catalogue, &caller.0, &slug, &body)).await?;
    Ok(web::Json(AwardResponse {
        tender: awarded.tender.into(),
        system: awarded.system,
        apis: awarded
            .apis
            .into_iter()
            .map(|(description, api)| AwardedApi { description, api })
            .collect(),
        claims: awarded
            .claims
            .into_iter()
            .map(|(contract, version, api, status)| AwardedClaim {
                contract,
                version,
                api,
                status,
            })
            .collect(),
    }))
}
