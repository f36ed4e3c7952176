//! The `Caller` extractor: the principal of a request, from its `Authorization: Bearer` header.
//! No header means anonymous; a header with a bad token is refused (401), never downgraded.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use crate::AppState;
use crate::auth::Principal;
use crate::error::Error;

pub struct Caller(pub Principal);

impl FromRequest for Caller {
    type Error = Error;
    type Future = Ready<Result<Caller, Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(principal(req).map(Caller))
    }
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
