//! The `Visitor` extractor: who is looking at a page.
//!
//! A browser has no bearer token: a signed-in person is known by their session cookie. Scripts and
//! tests may still send `Authorization: Bearer`, read exactly as the JSON API reads it. A bad
//! token is refused (401 page), never downgraded to anonymous.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload};

use super::PageError;
use crate::auth::Principal;

pub struct Visitor {
    pub principal: Principal,
    /// The signed-in person's session, when they came with one.
    pub session: Option<Session>,
}

/// What a page needs of a session: a name to show and the token its forms carry.
pub struct Session {
    /// Who is signed in, as the header shows it.
    pub name: String,
    /// The CSRF token every state-changing form of this session carries.
    pub csrf: String,
}

impl Visitor {
    pub fn anonymous() -> Visitor {
        Visitor {
            principal: Principal::Anonymous,
            session: None,
        }
    }
}

impl FromRequest for Visitor {
    type Error = PageError;
    type Future = Ready<Result<Visitor, PageError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(visitor(req))
    }
}

fn visitor(req: &HttpRequest) -> Result<Visitor, PageError> {
    let principal = crate::http::caller::principal(req)?;
    Ok(Visitor {
        principal,
        session: None,
    })
}
