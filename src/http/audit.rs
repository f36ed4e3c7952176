//! `/api/v1/audit`: the audit log, newest first, for admins.

use actix_web::{get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::blocking;
use super::caller::Caller;
use super::types::{AuditResponse, ListQuery, ListResponse};
use crate::AppState;
use crate::error::{Error, Problem};
use crate::store::audit::AuditFilter;
use crate::usecase::audit;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only writes by this subject.
    pub actor: Option<String>,
    /// Only this action, e.g. version.publish, api.create, api.update.
    pub action: Option<String>,
    /// Only writes to this target, e.g. an API slug or `slug@version`.
    pub target: Option<String>,
}

/// Read the audit log (admin).
#[utoipa::path(
    tag = "audit",
    params(ListQuery, AuditQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ListResponse<AuditResponse>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit")]
pub async fn list_audit(
    state: web::Data<AppState>,
    caller: Caller,
    list: web::Query<ListQuery>,
    query: web::Query<AuditQuery>,
) -> Result<web::Json<ListResponse<AuditResponse>>, Error> {
    let page = list.page()?;
    let q = query.into_inner();
    let filter = AuditFilter {
        actor: q.actor,
        action: q.action,
        target: q.target,
    };
    let paged = blocking(move || audit::list(&state.catalogue, &caller.0, &filter, page)).await?;
    Ok(web::Json(ListResponse::new(
        paged.items.into_iter().map(Into::into).collect(),
        paged.total,
        page,
    )))
}
