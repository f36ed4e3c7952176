//! The service's own OpenAPI 3.1 document (utoipa), served at `/api/v1/openapi.json` with an
//! interactive page at `/docs/` that works offline (the Swagger UI files are built in).

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    apis, audit, consumptions, contracts, health, implementations, interop, organisations, search,
    standard, systems, tenders, types, versions,
};
use crate::error::{Location, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Police API Catalogue",
        description = "Publish, find and judge the APIs of policing systems. Errors are RFC 9457 problem+json with a stable `code`.",
        license(name = "MIT")
    ),
    paths(
        organisations::list_organisations, organisations::get_organisation,
        organisations::create_organisation, organisations::update_organisation,
        systems::list_systems, systems::get_system, systems::get_system_tier, systems::create_system, systems::update_system,
        tenders::list_tenders, tenders::create_tender, tenders::get_tender, tenders::set_tender_lifecycle,
        tenders::add_tender_pack, tenders::list_tender_packs, tenders::get_tender_pack, tenders::get_tender_pack_original,
        tenders::export_tender, tenders::list_bids, tenders::get_bid, tenders::put_bid_description,
        tenders::get_bid_description, tenders::delete_bid_description, tenders::withdraw_bid, tenders::put_bid_score,
        tenders::get_bid_report, tenders::get_comparison, tenders::award_tender, tenders::put_bid_system,
        apis::list_apis, apis::get_api, apis::create_api, apis::update_api,
        versions::list_versions, versions::publish_version, versions::get_version,
        versions::get_original, versions::get_normalised, versions::list_operations, versions::list_schemas, versions::diff_versions,
        versions::list_evaluations, standard::get_standard, standard::start_evaluation, standard::lint,
        contracts::list_contracts, contracts::create_contract, contracts::get_contract,
        contracts::update_contract, contracts::list_contract_versions, contracts::publish_contract,
        contracts::get_contract_version, contracts::get_contract_original,
        contracts::list_contract_implementations,
        implementations::list_implementations, implementations::create_implementation,
        implementations::get_implementation, implementations::delete_implementation,
        consumptions::list_consumptions, consumptions::put_consumption,
        consumptions::delete_consumption, consumptions::list_consumers,
        interop::get_matrix, interop::get_graph, interop::get_benefits,
        search::search, search::suggest,
        audit::list_audit,
        health::healthz, health::readyz, health::metrics,
    ),
    components(schemas(
        Problem, Location, types::ApiResponse, types::VersionResponse, types::NormalisedDocument,
        pac_compat::DiffReport
    )),
    modifiers(&BearerAuth, &ServedPaths),
    tags(
        (name = "organisations", description = "Forces, suppliers, national bodies and partners"),
        (name = "systems", description = "Products and deployed services"),
        (name = "apis", description = "Catalogue entries"),
        (name = "versions", description = "Immutable versions of an API's description"),
        (name = "contracts", description = "Interoperability contracts: what an implementation must provide"),
        (name = "interop", description = "Which systems implement which contracts and consume which APIs: claims, uses, the map and the benefits"),
        (name = "search", description = "Full-text search inside every description"),
        (name = "standard", description = "The police API standard: rules, evaluations, kitemark and score"),
        (name = "audit", description = "Who changed what"),
        (name = "health", description = "Liveness, readiness and metrics"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The handlers are written relative to the `/api/v1` scope they are mounted in; the document
/// gives every path as it is served, so that "Try it out" and generated clients call addresses
/// that exist. `/healthz`, `/readyz` and `/metrics` sit at the root.
struct ServedPaths;

/// The paths served at the root rather than under `/api/v1`.
pub const ROOT_PATHS: [&str; 3] = ["/healthz", "/readyz", "/metrics"];

impl Modify for ServedPaths {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let paths = std::mem::take(&mut openapi.paths.paths);
        openapi.paths.paths = paths
            .into_iter()
            .map(|(path, item)| {
                if ROOT_PATHS.contains(&path.as_str()) {
                    (path, item)
                } else {
                    (format!("/api/v1{path}"), item)
                }
            })
            .collect();
    }
}
