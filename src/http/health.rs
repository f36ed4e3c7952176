//! Liveness (`/healthz`: the process answers), readiness (`/readyz`: the store answers) and
//! `/metrics` in the Prometheus text format.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::blocking;
use crate::AppState;
use crate::auth::Principal;
use crate::auth::policy::Visible;
use crate::error::{Error, Problem};
use crate::store::{apis, organisations, versions};

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
}

/// The process is up.
#[utoipa::path(tag = "health", responses((status = 200, body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> web::Json<Health> {
    web::Json(Health { status: "ok" })
}

/// The store answers: ready for traffic.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, body = Health),
        (status = 503, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<web::Json<Health>, Error> {
    blocking(move || state.catalogue.store.ping()).await?;
    Ok(web::Json(Health { status: "ready" }))
}

/// Request counts and latencies, and the size of the catalogue, in Prometheus text format.
#[utoipa::path(tag = "health", responses((status = 200, description = "Prometheus text exposition", content_type = "text/plain")))]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> Result<HttpResponse, Error> {
    // Public entries only: this page needs no token, and counting hidden entries would tell
    // anyone how many there are.
    let st = state.clone();
    let counts = blocking(move || {
        st.catalogue.store.read(|c| {
            let public = Visible::for_principal(&Principal::Anonymous);
            Ok([
                ("organisations", organisations::count(c)?),
                ("public_apis", apis::count_visible(c, &public)?),
                ("public_api_versions", versions::count_visible(c, &public)?),
            ])
        })
    })
    .await?;
    let mut out = state.metrics.render();
    out.push_str("# HELP pac_catalogue_entries Entries anyone may see, by kind.\n");
    out.push_str("# TYPE pac_catalogue_entries gauge\n");
    for (kind, n) in counts {
        out.push_str(&format!("pac_catalogue_entries{{kind=\"{kind}\"}} {n}\n"));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(out))
}
