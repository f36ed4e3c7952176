//! `/api/v1/interop/matrix` and `/api/v1/interop/graph`: the interoperability map (systems ×
//! contracts; organisations, systems, APIs and contracts with their relations) as the caller may
//! see it, in JSON, CSV, Mermaid, Graphviz DOT or the ArchiMate exchange format; and
//! `/api/v1/reports/benefits`: what integrations save over the workarounds they replace.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::blocking;
use super::caller::Caller;
use crate::AppState;
use crate::error::{Error, Problem};
use crate::interop::export::Format;
use crate::interop::{Graph, Matrix};
use crate::store::interop::{Benefits, MapFilter};
use crate::usecase::interop;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MapQuery {
    /// Only this organisation's systems (matrix), or its entries and their relations (graph).
    pub org: Option<String>,
    /// Only this contract.
    pub contract: Option<String>,
    /// json (default), csv; for the graph also mermaid, dot and archimate.
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BenefitsQuery {
    /// Only integrations of this organisation's systems.
    pub org: Option<String>,
}

impl MapQuery {
    fn parts(self) -> Result<(MapFilter, Format), Error> {
        let format = Format::parse(self.format.as_deref().unwrap_or("json"))?;
        Ok((
            MapFilter {
                org: self.org,
                contract: self.contract,
            },
            format,
        ))
    }
}

fn exported(body: String, format: Format, name: &str) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response.content_type(format.media_type());
    if format != Format::Json {
        response.insert_header(ContentDisposition {
            disposition: DispositionType::Inline,
            parameters: vec![DispositionParam::Filename(format!(
                "{name}.{}",
                format.extension()
            ))],
        });
    }
    response.body(body)
}

/// Systems × contracts: for each system the status of its claim on each contract (conformant,
/// not_conformant, unverified, or none), as JSON or CSV.
#[utoipa::path(
    tag = "interop",
    params(MapQuery),
    responses(
        (status = 200, body = Matrix, description = "The matrix (JSON), or CSV with format=csv"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/interop/matrix")]
pub async fn get_matrix(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<MapQuery>,
) -> Result<HttpResponse, Error> {
    let (filter, format) = query.into_inner().parts()?;
    let body =
        blocking(move || interop::matrix(&state.catalogue, &caller.0, &filter, format)).await?;
    Ok(exported(body, format, "interop-matrix"))
}

/// The map as a graph: organisations, systems, APIs and contracts as nodes; owns, provides,
/// consumes and implements as edges.
#[utoipa::path(
    tag = "interop",
    params(MapQuery),
    responses(
        (status = 200, body = Graph, description = "The graph (JSON), or CSV, Mermaid, DOT or ArchiMate 3.1 exchange-format XML with format="),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/interop/graph")]
pub async fn get_graph(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<MapQuery>,
) -> Result<HttpResponse, Error> {
    let (filter, format) = query.into_inner().parts()?;
    let body =
        blocking(move || interop::graph(&state.catalogue, &caller.0, &filter, format)).await?;
    Ok(exported(body, format, "interop-graph"))
}

/// The benefit of APIs over manual re-keying and screen scraping: integrations and estimated
/// hours saved a month, in total, per workaround replaced, per API and per organisation.
#[utoipa::path(
    tag = "interop",
    params(BenefitsQuery),
    responses(
        (status = 200, body = Benefits),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/benefits")]
pub async fn get_benefits(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<BenefitsQuery>,
) -> Result<web::Json<Benefits>, Error> {
    let org = query.into_inner().org;
    let benefits =
        blocking(move || interop::benefits(&state.catalogue, &caller.0, org.as_deref())).await?;
    Ok(web::Json(benefits))
}
