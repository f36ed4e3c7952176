//! The HTTP edge: thin actix-web handlers, one file per resource, each documented with utoipa (the
//! handler names become operationIds). Handlers extract, authorise, call one function of the domain
//! inside `web::block`, and map the result; errors are problem+json through `crate::error`.

pub mod apis;
pub mod audit;
pub mod caller;
pub mod consumptions;
pub mod contracts;
pub mod docs;
pub mod health;
pub mod implementations;
pub mod interop;
pub mod organisations;
pub mod search;
pub mod standard;
pub mod systems;
pub mod tenders;
pub mod types;
pub mod versions;

use actix_web::web;

use crate::error::{Code, Error, Location};

/// Registers every route of `/api/v1`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .service(organisations::list_organisations)
            .service(organisations::create_organisation)
            .service(organisations::get_organisation)
            .service(organisations::update_organisation)
            .service(systems::list_systems)
            .service(systems::create_system)
            .service(systems::get_system)
            .service(systems::get_system_tier)
            .service(tenders::list_tenders)
            .service(tenders::create_tender)
            .service(tenders::get_tender)
            .service(tenders::set_tender_lifecycle)
            .service(tenders::add_tender_pack)
            .service(tenders::list_tender_packs)
            .service(tenders::get_tender_pack)
            .service(tenders::get_tender_pack_original)
            .service(tenders::export_tender)
            .service(tenders::list_bids)
            .service(tenders::get_bid)
            .service(tenders::put_bid_description)
            .service(tenders::get_bid_description)
            .service(tenders::delete_bid_description)
            .service(tenders::withdraw_bid)
            .service(tenders::put_bid_score)
            .service(tenders::get_bid_report)
            .service(tenders::get_comparison)
            .service(tenders::award_tender)
            .service(tenders::put_bid_system)
            .service(systems::update_system)
            .service(implementations::list_implementations)
            .service(implementations::create_implementation)
            .service(implementations::get_implementation)
            .service(implementations::delete_implementation)
            .service(consumptions::list_consumptions)
            .service(consumptions::put_consumption)
            .service(consumptions::delete_consumption)
            .service(contracts::list_contracts)
            .service(contracts::create_contract)
            .service(contracts::get_contract)
            .service(contracts::update_contract)
            .service(contracts::list_contract_versions)
            .service(contracts::publish_contract)
            .service(contracts::get_contract_version)
            .service(contracts::get_contract_original)
            .service(contracts::list_contract_implementations)
            .service(apis::list_apis)
            .service(apis::create_api)
            .service(apis::get_api)
            .service(apis::update_api)
            .service(versions::list_versions)
            .service(versions::publish_version)
            .service(versions::get_version)
            .service(versions::get_original)
            .service(versions::get_normalised)
            .service(versions::list_operations)
            .service(versions::list_schemas)
            .service(versions::diff_versions)
            .service(versions::list_evaluations)
            .service(consumptions::list_consumers)
            .service(interop::get_matrix)
            .service(interop::get_graph)
            .service(interop::get_benefits)
            .service(standard::get_standard)
            .service(standard::start_evaluation)
            .service(standard::lint)
            .service(search::suggest)
            .service(search::search)
            .service(audit::list_audit)
            .configure(|cfg| method_not_allowed(cfg, API_ROUTES)),
    )
    .service(health::healthz)
    .service(health::readyz)
    .service(health::metrics)
    .configure(|cfg| method_not_allowed(cfg, ROOT_ROUTES));
}

/// Every route and the methods it answers. A request with another method gets 405 with `Allow`.
const API_ROUTES: &[(&str, &str)] = &[
    ("/organisations", "GET, POST"),
    ("/organisations/{org}", "GET, PATCH"),
    ("/systems", "GET, POST"),
    ("/systems/{system}", "GET, PATCH"),
    ("/systems/{system}/tier", "GET"),
    ("/tenders", "GET, POST"),
    ("/tenders/{tender}", "GET"),
    ("/tenders/{tender}/lifecycle", "POST"),
    ("/tenders/{tender}/award", "POST"),
    ("/tenders/{tender}/packs", "GET, POST"),
    ("/tenders/{tender}/packs/{version}", "GET"),
    ("/tenders/{tender}/packs/{version}/original", "GET"),
    ("/tenders/{tender}/export", "GET"),
    ("/tenders/{tender}/comparison", "GET"),
    ("/tenders/{tender}/bids", "GET"),
    ("/tenders/{tender}/bids/{supplier}", "GET"),
    (
        "/tenders/{tender}/bids/{supplier}/descriptions/{name}",
        "GET, PUT, DELETE",
    ),
    ("/tenders/{tender}/bids/{supplier}/withdraw", "POST"),
    ("/tenders/{tender}/bids/{supplier}/system", "PUT"),
    (
        "/tenders/{tender}/bids/{supplier}/scores/{requirement}",
        "PUT",
    ),
    ("/tenders/{tender}/bids/{supplier}/report", "GET"),
    ("/systems/{system}/implements", "GET, POST"),
    (
        "/systems/{system}/implements/{contract}/{version}",
        "GET, DELETE",
    ),
    ("/systems/{system}/consumes", "GET"),
    ("/systems/{system}/consumes/{api}", "PUT, DELETE"),
    ("/contracts", "GET, POST"),
    ("/contracts/{contract}", "GET, PATCH"),
    ("/contracts/{contract}/versions", "GET, POST"),
    ("/contracts/{contract}/versions/{version}", "GET"),
    ("/contracts/{contract}/versions/{version}/original", "GET"),
    ("/contracts/{contract}/implementations", "GET"),
    ("/apis", "GET, POST"),
    ("/apis/{api}", "GET, PATCH"),
    ("/apis/{api}/versions", "GET, POST"),
    ("/apis/{api}/versions/{version}", "GET"),
    ("/apis/{api}/versions/{version}/original", "GET"),
    ("/apis/{api}/versions/{version}/normalised", "GET"),
    ("/apis/{api}/versions/{version}/operations", "GET"),
    ("/apis/{api}/versions/{version}/schemas", "GET"),
    ("/apis/{api}/versions/{version}/evaluations", "GET"),
    ("/apis/{api}/versions/{version}/consumers", "GET"),
    ("/interop/matrix", "GET"),
    ("/interop/graph", "GET"),
    ("/reports/benefits", "GET"),
    ("/apis/{api}/diff", "GET"),
    ("/standard", "GET"),
    ("/standard/evaluations", "POST"),
    ("/lint", "POST"),
    ("/search", "GET"),
    ("/search/suggest", "GET"),
    ("/audit", "GET"),
];
const ROOT_ROUTES: &[(&str, &str)] =
    &[("/healthz", "GET"), ("/readyz", "GET"), ("/metrics", "GET")];

/// Registered after the real handlers of each path, so it only answers the methods they do not.
fn method_not_allowed(
    cfg: &mut web::ServiceConfig,
    routes: &'static [(&'static str, &'static str)],
) {
    for &(path, allow) in routes {
        cfg.service(
            web::resource(path).to(move |req: actix_web::HttpRequest| async move {
                let e = Error::MethodNotAllowed(format!(
                    "{} is not allowed here; use {allow}",
                    req.method()
                ));
                let mut res = actix_web::ResponseError::error_response(&e);
                res.headers_mut().insert(
                    actix_web::http::header::ALLOW,
                    actix_web::http::header::HeaderValue::from_static(allow),
                );
                res
            }),
        );
    }
}

/// Extractor configuration: bad JSON bodies, query strings and paths become problem+json 400s.
pub fn extractor_configs(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::JsonConfig::default()
            .limit(1 << 20)
            .error_handler(|err, _req| {
                use actix_web::error::JsonPayloadError as J;
                let e = match &err {
                    J::Deserialize(e) if e.is_data() => Error::Invalid {
                        code: Code::InvalidBody,
                        message: format!("request body: {e}"),
                        location: Box::new(Location {
                            line: Some(e.line()),
                            column: Some(e.column()),
                            ..Location::default()
                        }),
                    },
                    J::Deserialize(e) => Error::Invalid {
                        code: Code::InvalidJson,
                        message: format!("request body is not valid JSON: {e}"),
                        location: Box::new(Location {
                            line: Some(e.line()),
                            column: Some(e.column()),
                            ..Location::default()
                        }),
                    },
                    J::ContentType => Error::UnsupportedMediaType(
                        "request body must be application/json".to_string(),
                    ),
                    J::Overflow { limit } | J::OverflowKnownLength { limit, .. } => {
                        Error::PayloadTooLarge(format!("request body is larger than {limit} bytes"))
                    }
                    other => Error::invalid(Code::InvalidBody, format!("request body: {other}")),
                };
                e.into()
            }),
    )
    .app_data(web::QueryConfig::default().error_handler(|err, _req| {
        Error::invalid(Code::InvalidQuery, format!("query string: {err}")).into()
    }))
    .app_data(web::PathConfig::default().error_handler(|err, _req| {
        Error::invalid(Code::InvalidPath, format!("path: {err}")).into()
    }));
}

/// Refuses URLs carrying control characters (percent-encoded or not) before any handler sees
/// them: no slug, filter or search text may hold them, and PostgreSQL refuses NUL outright.
pub fn check_url(path: &str, query: &str) -> Result<(), Error> {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    for (part, text) in [("path", path), ("query string", query)] {
        let bytes = text.as_bytes();
        for (i, &raw) in bytes.iter().enumerate() {
            let byte = match (raw, bytes.get(i + 1), bytes.get(i + 2)) {
                (b'%', Some(&h), Some(&l)) => hex(h).zip(hex(l)).map(|(h, l)| h * 16 + l),
                _ => Some(raw),
            };
            if let Some(b) = byte
                && (b < 0x20 || b == 0x7f)
            {
                return Err(Error::invalid(
                    Code::InvalidUrl,
                    format!("the {part} holds a control character (byte 0x{b:02x}) at offset {i}"),
                ));
            }
        }
    }
    Ok(())
}

/// Refuses, before anything is looked up or parsed, a request whose body should be a description
/// (an API's, a contract's, one to lint) but is a form or empty. What the body holds is sniffed
/// from its bytes (`pac_spec::input::sniff`), never taken from its content type.
pub(crate) fn check_description_body(
    req: &actix_web::HttpRequest,
    body: &[u8],
) -> Result<(), Error> {
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/")
        || content_type.starts_with("application/x-www-form-urlencoded")
    {
        return Err(Error::UnsupportedMediaType(
            "send the description itself as the request body (JSON, YAML, .zip or .tar.gz), not a form".into(),
        ));
    }
    if body.is_empty() {
        return Err(Error::invalid(
            Code::EmptyBody,
            "the request body is empty: send the description",
        ));
    }
    Ok(())
}

/// Answers every unknown route: a 404 page in the browser catalogue's design for a page's
/// address, problem+json for the JSON API's.
pub async fn not_found(req: actix_web::HttpRequest) -> actix_web::HttpResponse {
    let e = Error::NotFound(format!("route {} {}", req.method(), req.path()));
    if crate::pages::is_page_path(req.path()) {
        actix_web::ResponseError::error_response(&crate::pages::PageError(e))
    } else {
        actix_web::ResponseError::error_response(&e)
    }
}

/// Runs blocking domain work (diesel, parsing) off the async workers.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    web::block(f).await?
}
