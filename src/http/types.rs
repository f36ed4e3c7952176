//! What goes over the wire: response types (built from store rows, which never reach the wire
//! themselves), request bodies and query strings, with the checks that turn bad input into 400s
//! naming the field.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use crate::domain::{
    ClaimStatus, CompatPolicy, Lifecycle, OrgKind, Replaces, Visibility, check_tags, check_text,
    check_url, encode_query_value, parse_int,
};
use crate::error::Error;
use crate::store::Page;
use crate::store::apis::ApiRecord;
use crate::store::audit::AuditRow;
use crate::store::organisations::OrganisationRow;
use crate::store::versions::{FileRow, OperationRow, SchemaRow, VersionRow};
use crate::tiers::Tier;
use crate::usecase::systems::TieredSystem;

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListResponse<T: ToSchema> {
    pub items: Vec<T>,
    /// Items across all pages.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

impl<T: ToSchema> ListResponse<T> {
    pub fn new(items: Vec<T>, total: i64, page: Page) -> Self {
        ListResponse {
            items,
            total,
            limit: page.limit,
            offset: page.offset,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationResponse {
    pub slug: String,
    pub name: String,
    /// force, supplier, national_body or partner.
    pub kind: OrgKind,
    pub homepage: Option<String>,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<OrganisationRow> for OrganisationResponse {
    fn from(o: OrganisationRow) -> Self {
        OrganisationResponse {
            slug: o.slug,
            name: o.name,
            kind: o.kind,
            homepage: o.homepage,
            description: o.description,
            created_at: utc(o.created_at),
            updated_at: utc(o.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SystemResponse {
    pub slug: String,
    pub name: String,
    /// Slug of the owning organisation.
    pub owner: String,
    pub description: Option<String>,
    pub visibility: Visibility,
    /// The interoperability tier the system has earned from the catalogue's evidence: bronze,
    /// silver or gold, null before Bronze. `GET /api/v1/systems/{system}/tier` shows why.
    pub tier: Option<Tier>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<TieredSystem> for SystemResponse {
    fn from(t: TieredSystem) -> Self {
        let r = t.record;
        let s = r.system;
        SystemResponse {
            tier: t.tier,
            slug: s.slug,
            name: s.name,
            owner: r.owner,
            description: s.description,
            visibility: s.visibility,
            created_at: utc(s.created_at),
            updated_at: utc(s.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiLinks {
    #[serde(rename = "self")]
    pub self_: String,
    pub versions: String,
    /// The latest version, when there is one.
    pub latest: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiResponse {
    pub slug: String,
    pub name: String,
    pub owner: String,
    pub owner_kind: String,
    pub system: Option<String>,
    pub description: Option<String>,
    /// public, policing or restricted.
    pub visibility: Visibility,
    /// draft, active, deprecated or retired.
    pub lifecycle: Lifecycle,
    pub documentation_url: Option<String>,
    /// How the API came in: publish, import or ukgov.
    pub source: String,
    pub tags: Vec<String>,
    pub latest_version: Option<String>,
    /// Format of the latest version's description; null for link-only APIs.
    pub latest_spec_format: Option<String>,
    /// True when the API has no description, only a documentation URL.
    pub link_only: bool,
    /// What publishing a breaking change does: off, warn or reject (unless the major version
    /// goes up).
    pub compatibility: CompatPolicy,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub links: ApiLinks,
    /// After a change that deprecates or retires the API: each system that consumes it (as far
    /// as the caller may see), so that its owners can be told.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl From<ApiRecord> for ApiResponse {
    fn from(r: ApiRecord) -> Self {
        let a = r.api;
        let base = format!("/api/v1/apis/{}", a.slug);
        ApiResponse {
            links: ApiLinks {
                self_: base.clone(),
                versions: format!("{base}/versions"),
                latest: a
                    .latest_version
                    .as_ref()
                    .map(|v| format!("{base}/versions/{v}")),
            },
            link_only: a.latest_spec_format.is_none(),
            slug: a.slug,
            name: a.name,
            owner: r.owner,
            owner_kind: r.owner_kind,
            system: r.system,
            description: a.description,
            visibility: a.visibility,
            lifecycle: a.lifecycle,
            documentation_url: a.documentation_url,
            source: a.source,
            tags: r.tags,
            latest_version: a.latest_version,
            latest_spec_format: a.latest_spec_format,
            compatibility: a.compatibility,
            created_at: utc(a.created_at),
            updated_at: utc(a.updated_at),
            warnings: Vec::new(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FileResponse {
    /// Path of the file inside the description (the root file first).
    pub path: String,
    pub media_type: String,
    pub sha256: String,
    /// Where to download its original bytes.
    pub href: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionLinks {
    #[serde(rename = "self")]
    pub self_: String,
    pub api: String,
    /// The original bytes of the root file; absent for link-only versions.
    pub original: Option<String>,
    pub normalised: Option<String>,
    pub operations: String,
    pub schemas: String,
    /// Every stored evaluation against the standard, findings included.
    pub evaluations: String,
}

/// A version's standing against the police API standard.
#[derive(Debug, Serialize, ToSchema)]
pub struct StandardSummary {
    pub ruleset: String,
    pub ruleset_version: String,
    /// False while these are the results of an earlier version of the standard (re-evaluation
    /// has not reached this version yet).
    pub current: bool,
    /// Meets the minimum standard: no MUST rule fails.
    pub kitemark: bool,
    /// 0-100.
    pub score: i32,
    /// Per category (documentation, security, design, interoperability): score and failing rules.
    #[schema(value_type = Object)]
    pub breakdown: serde_json::Value,
    /// MUST rules with findings.
    pub must_failures: Vec<String>,
    pub errors: i32,
    pub warnings: i32,
    pub evaluated_at: DateTime<Utc>,
    /// Present on the evaluations list; each has rule, severity, message, pointer, line, column.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub findings: Option<serde_json::Value>,
}

impl StandardSummary {
    pub fn new(
        row: crate::store::evaluations::EvaluationRow,
        current_version: &str,
        with_findings: bool,
    ) -> StandardSummary {
        let mut result: serde_json::Value =
            serde_json::from_str(&row.result).unwrap_or(serde_json::Value::Null);
        let score = result.get("score").cloned().unwrap_or_default();
        let must_failures = score
            .get("must_failures")
            .and_then(|m| serde_json::from_value(m.clone()).ok())
            .unwrap_or_default();
        StandardSummary {
            current: row.ruleset_version == current_version,
            ruleset: row.ruleset,
            ruleset_version: row.ruleset_version,
            kitemark: row.kitemark,
            score: row.score,
            breakdown: score.get("breakdown").cloned().unwrap_or_default(),
            must_failures,
            errors: row.errors,
            warnings: row.warnings,
            evaluated_at: utc(row.evaluated_at),
            findings: with_findings.then(|| result["findings"].take()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionResponse {
    pub api: String,
    pub version: String,
    /// Order of publication within the API, from 1.
    pub seq: i32,
    /// swagger-2.0, openapi-3.0, openapi-3.1 or openapi-3.2; null for link-only versions.
    pub spec_format: Option<String>,
    /// The `swagger` / `openapi` value the document declares.
    pub declared_version: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub documentation_url: Option<String>,
    pub link_only: bool,
    /// Identity of the content: SHA-256 of the single file, or of the bundle's file list.
    pub content_sha256: Option<String>,
    pub operation_count: i32,
    pub schema_count: i32,
    /// What reading the description noted: conversions that lost something, unresolved references.
    #[schema(value_type = Vec<Object>)]
    pub notes: serde_json::Value,
    /// Present on a single version, not in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<FileResponse>>,
    /// Changes against the previous version, as computed when it was published; absent when not
    /// computed (first version, link-only, imported). Present on a single version and on a
    /// publish's answer, not in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<pac_compat::DiffReport>)]
    pub changes: Option<serde_json::Value>,
    /// The newest evaluation against the police API standard (kitemark, score, breakdown).
    /// Present on a single version and on a publish's answer once evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standard: Option<StandardSummary>,
    pub published_by: String,
    pub published_at: DateTime<Utc>,
    pub links: VersionLinks,
}

impl VersionResponse {
    pub fn new(api_slug: &str, v: VersionRow, files: Option<Vec<FileRow>>) -> Self {
        let with_details = files.is_some();
        let base = format!("/api/v1/apis/{api_slug}/versions/{}", v.version);
        let link_only = v.spec_format.is_none();
        VersionResponse {
            files: files.map(|fs| {
                fs.into_iter()
                    .map(|f| FileResponse {
                        href: format!("{base}/original?path={}", encode_query_value(&f.path)),
                        path: f.path,
                        media_type: f.media_type,
                        sha256: f.blob_sha256,
                    })
                    .collect()
            }),
            links: VersionLinks {
                self_: base.clone(),
                api: format!("/api/v1/apis/{api_slug}"),
                original: (!link_only).then(|| format!("{base}/original")),
                normalised: (!link_only).then(|| format!("{base}/normalised")),
                operations: format!("{base}/operations"),
                schemas: format!("{base}/schemas"),
                evaluations: format!("{base}/evaluations"),
            },
            api: api_slug.to_string(),
            version: v.version,
            seq: v.seq,
            spec_format: v.spec_format,
            declared_version: v.declared_version,
            title: v.title,
            description: v.description,
            documentation_url: v.documentation_url,
            link_only,
            content_sha256: v.content_sha256,
            operation_count: v.operation_count,
            schema_count: v.schema_count,
            notes: serde_json::from_str(&v.notes).unwrap_or(serde_json::Value::Array(vec![])),
            published_by: v.published_by,
            published_at: utc(v.published_at),
            changes: with_details
                .then(|| {
                    v.changes
                        .as_deref()
                        .and_then(|c| serde_json::from_str(c).ok())
                })
                .flatten(),
            standard: None,
        }
    }
}

/// The answer to a publish: the version, and whether it was stored now or was already there.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublishResponse {
    /// `created`, or `unchanged` when this exact content was already this version.
    pub status: String,
    /// References the description could not follow (a file or place that is not there, a remote
    /// reference never fetched: `code at pointer: what`), and breaking changes against the
    /// previous version when the API's compatibility policy is `warn` (`id (operation: what)`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    #[serde(flatten)]
    pub version: VersionResponse,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OperationResponse {
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
    pub parameters: Vec<ParameterResponse>,
    /// Media types the request body accepts.
    pub request_media_types: Vec<String>,
    /// Media types the responses may have.
    pub response_media_types: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ParameterResponse {
    pub name: String,
    /// path, query, header or cookie.
    #[serde(rename = "in")]
    pub location: String,
    pub required: bool,
}

impl From<OperationRow> for OperationResponse {
    fn from(o: OperationRow) -> Self {
        OperationResponse {
            method: o.method,
            path: o.path,
            operation_id: o.operation_id,
            summary: o.summary,
            description: o.description,
            tags: serde_json::from_str(&o.tags).unwrap_or_default(),
            deprecated: o.deprecated,
            parameters: serde_json::from_str(&o.parameters).unwrap_or_default(),
            request_media_types: serde_json::from_str(&o.request_media_types).unwrap_or_default(),
            response_media_types: serde_json::from_str(&o.response_media_types).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SchemaResponse {
    pub name: String,
    pub description: Option<String>,
    pub properties: Vec<PropertyResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PropertyResponse {
    pub name: String,
    pub description: Option<String>,
}

impl From<SchemaRow> for SchemaResponse {
    fn from(s: SchemaRow) -> Self {
        let names: Vec<String> = serde_json::from_str(&s.properties).unwrap_or_default();
        let mut descriptions: Vec<Option<String>> =
            serde_json::from_str(&s.property_descriptions).unwrap_or_default();
        // Versions stored before descriptions were kept have none.
        descriptions.resize(names.len(), None);
        SchemaResponse {
            name: s.name,
            description: s.description,
            properties: names
                .into_iter()
                .zip(descriptions)
                .map(|(name, description)| PropertyResponse { name, description })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditResponse {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub actor_org: Option<String>,
    pub action: String,
    pub target: String,
    pub content_sha256: Option<String>,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<AuditRow> for AuditResponse {
    fn from(a: AuditRow) -> Self {
        AuditResponse {
            id: a.id,
            at: utc(a.at),
            actor: a.actor,
            actor_org: a.actor_org,
            action: a.action,
            target: a.target,
            content_sha256: a.content_sha256,
            detail: serde_json::from_str(&a.detail).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// A version's description as the catalogue reads it: one OpenAPI 3.0 document (Swagger 2.0
/// converted, 3.1 normalised, a bundle's files joined). Only its top level is described here;
/// the rest is the OpenAPI 3.0 specification's.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "describes a JSON document in the service's OpenAPI description; never built"
)]
pub struct NormalisedDocument {
    /// The OpenAPI version, `3.0.x`.
    #[schema(example = "3.0.3")]
    openapi: String,
    /// Title, version, description, contact and licence.
    #[schema(value_type = Object)]
    info: serde_json::Value,
    #[schema(value_type = Option<Vec<Object>>)]
    servers: Option<Vec<serde_json::Value>>,
    /// Every path and its operations.
    #[schema(value_type = Object)]
    paths: serde_json::Value,
    /// Schemas, parameters, responses, request bodies, security schemes and the rest.
    #[schema(value_type = Option<Object>)]
    components: Option<serde_json::Value>,
    #[schema(value_type = Option<Vec<Object>>)]
    security: Option<Vec<serde_json::Value>>,
    #[schema(value_type = Option<Vec<Object>>)]
    tags: Option<Vec<serde_json::Value>>,
}

/// Paging and ordering, shared by every list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Items per page, 1 to 500 (default 50).
    #[param(value_type = Option<i64>)]
    pub limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<i64>)]
    pub offset: Option<String>,
    /// name, -name, created, -created, updated or -updated (default name).
    pub sort: Option<String>,
    /// Case-insensitive text that the name or slug (or an API's description) contains.
    pub q: Option<String>,
}

impl ListQuery {
    pub fn page(&self) -> Result<Page, Error> {
        Page::new(
            parse_int("limit", self.limit.as_deref())?,
            parse_int("offset", self.offset.as_deref())?,
        )
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContractLinks {
    #[serde(rename = "self")]
    pub self_: String,
    pub versions: String,
    pub implementations: String,
    /// The latest version, when there is one.
    pub latest: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContractResponse {
    pub slug: String,
    pub name: String,
    /// Slug of the organisation that maintains the contract.
    pub owner: String,
    pub description: Option<String>,
    /// public, policing or restricted.
    pub visibility: Visibility,
    pub latest_version: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub links: ContractLinks,
}

impl From<crate::store::contracts::ContractRecord> for ContractResponse {
    fn from(r: crate::store::contracts::ContractRecord) -> Self {
        let c = r.contract;
        let base = format!("/api/v1/contracts/{}", c.slug);
        ContractResponse {
            links: ContractLinks {
                versions: format!("{base}/versions"),
                implementations: format!("{base}/implementations"),
                latest: c
                    .latest_version
                    .as_ref()
                    .map(|v| format!("{base}/versions/{v}")),
                self_: base,
            },
            slug: c.slug,
            name: c.name,
            owner: r.owner,
            description: c.description,
            visibility: c.visibility,
            latest_version: c.latest_version,
            created_at: utc(c.created_at),
            updated_at: utc(c.updated_at),
        }
    }
}

/// One operation a contract requires.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContractOperation {
    /// Lower-case HTTP method.
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
    pub summary: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContractVersionLinks {
    #[serde(rename = "self")]
    pub self_: String,
    pub original: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContractVersionResponse {
    pub contract: String,
    pub version: String,
    /// `info.title` of the description.
    pub title: String,
    pub spec_format: String,
    pub content_sha256: String,
    pub operation_count: i32,
    /// The operations an implementation must provide.
    pub operations: Vec<ContractOperation>,
    pub published_by: String,
    pub published_at: DateTime<Utc>,
    pub links: ContractVersionLinks,
}

impl ContractVersionResponse {
    pub fn new(contract: &str, v: crate::store::contracts::ContractVersionRow) -> Self {
        let base = format!("/api/v1/contracts/{contract}/versions/{}", v.version);
        ContractVersionResponse {
            contract: contract.to_string(),
            operations: serde_json::from_str(&v.operations).unwrap_or_default(),
            version: v.version,
            title: v.title,
            spec_format: v.spec_format,
            content_sha256: v.content_sha256,
            operation_count: v.operation_count,
            published_by: v.published_by,
            published_at: utc(v.published_at),
            links: ContractVersionLinks {
                original: format!("{base}/original"),
                self_: base,
            },
        }
    }
}

/// A system's claim to implement a contract version through one of its APIs.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImplementationResponse {
    pub system: String,
    pub contract: String,
    pub contract_version: String,
    /// The implementing API; its latest version is what is checked.
    pub api: String,
    /// conformant, not_conformant or unverified.
    pub status: ClaimStatus,
    /// The API version of the last check.
    pub checked_api_version: Option<String>,
    pub checked_at: Option<DateTime<Utc>>,
    /// Requirements (contract operations) met and not met at the last check.
    pub met: Option<u64>,
    pub not_met: Option<u64>,
    /// Why the claim is unverified, when it is.
    pub reason: Option<String>,
    /// The conformance report: each requirement, met or not, with the reasons (on single claims).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub report: Option<serde_json::Value>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    #[serde(rename = "self")]
    pub self_: String,
}

impl ImplementationResponse {
    pub fn new(claim: crate::usecase::claims::ClaimView, with_report: bool) -> Self {
        let crate::usecase::claims::ClaimView {
            row,
            system,
            contract,
            contract_version,
            api,
        } = claim;
        let report: serde_json::Value = serde_json::from_str(&row.report).unwrap_or_default();
        let count = |k: &str| report.get(k).and_then(serde_json::Value::as_u64);
        ImplementationResponse {
            self_: format!(
                "/api/v1/systems/{system}/implements/{contract}/{}",
                encode_query_value(&contract_version)
            ),
            system,
            contract,
            contract_version,
            api,
            status: row.status,
            checked_api_version: report
                .get("api_version")
                .and_then(serde_json::Value::as_str)
                .map(str::to_string),
            checked_at: row.checked_at.map(utc),
            met: count("met"),
            not_met: count("not_met"),
            reason: report
                .get("reason")
                .and_then(serde_json::Value::as_str)
                .map(str::to_string),
            report: with_report.then_some(report),
            created_by: row.created_by,
            created_at: utc(row.created_at),
        }
    }
}

/// A system's use of an API.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsumptionResponse {
    pub system: String,
    pub system_name: String,
    /// Slug of the organisation that owns the consuming system.
    pub system_owner: String,
    pub api: String,
    /// The version used, when the system names one.
    pub version: Option<String>,
    pub purpose: String,
    /// What the integration replaces: manual_rekeying, screen_scraping or nothing.
    pub replaces: Replaces,
    /// Estimated hours saved a month.
    pub hours_saved_per_month: Option<f64>,
    /// Whether the consuming system's own organisation stated this use (a use recorded by a
    /// curator or the catalogue as code is confirmed when that organisation records it again).
    /// Confirmed uses are evidence for the provider's Gold interoperability tier.
    pub confirmed: bool,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<crate::usecase::uses::UseView> for ConsumptionResponse {
    fn from(view: crate::usecase::uses::UseView) -> Self {
        let crate::usecase::uses::UseView {
            row,
            system,
            api,
            version,
        } = view;
        let confirmed = row.confirmed_by(&system.owner);
        ConsumptionResponse {
            system: system.system.slug,
            system_name: system.system.name,
            system_owner: system.owner,
            api,
            version,
            purpose: row.purpose,
            replaces: row.replaces,
            hours_saved_per_month: row.hours_saved_per_month,
            confirmed,
            created_by: row.created_by,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}
