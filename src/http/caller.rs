//! The `Caller` extractor: the principal of a request, from its `Authorization: Bearer` header.
//! No header means anonymous; a header with a bad token is refused (401), never downgraded.
//!
//! A GET or HEAD without the header is also read as the web catalogue's signed-in visitor when it
//! carries a live session cookie: the pages link to the JSON API's downloads (a bid's report, a
//! tender's documents), and those links must work for the person who followed them. Only safe
//! methods: a change through the JSON API always needs a bearer token, so a session cookie never
//! makes a cross-site request change anything.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::Method;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use crate::AppState;
use crate::auth::Principal;
use crate::error::Error;

pub struct Caller(pub Principal);

impl FromRequest for Caller {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let safe = matches!(*req.method(), Method::GET | Method::HEAD);
            if !safe
                || req
                    .headers()
                    .contains_key(actix_web::http::header::AUTHORIZATION)
            {
                return principal(&req).map(Caller);
            }
            session_principal(&req).await.map(Caller)
        })
    }
}

/// The principal of a live web session named by the request's cookie; anonymous otherwise.
async fn session_principal(req: &HttpRequest) -> Result<Principal, Error> {
    let Some(id) = crate::pages::cookies::get(req, crate::pages::cookies::SESSION) else {
        return Ok(Principal::Anonymous);
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| Error::internal("app", "state missing"))?;
    let store = state.catalogue.store.clone();
    let live = super::blocking(move || crate::auth::session::resolve(&store, &id)).await?;
    Ok(live.map_or(Principal::Anonymous, |l| l.principal))
}

pub fn principal(req: &HttpRequest) -> Result<Principal, Error> {
    let Some(header) = req.headers().get(actix_web::http::header::AUTHORIZATION) else {
        return Ok(Principal::Anonymous);
    };
    let value = header
        .to_str()
        .map_err(|_| Error::Unauthenticated("Authorization header is not text".into()))?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .ok_or_else(|| Error::Unauthenticated("Authorization must be \"Bearer <token>\"".into()))?;
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| Error::internal("app", "state missing"))?;
    state.verifier.verify(token.trim())
}
