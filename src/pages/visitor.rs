//! The `Visitor` extractor: who is looking at a page.
//!
//! A browser has no bearer token: a signed-in person is known by their session cookie
//! (`pac_session`, see [`crate::auth::session`]). Scripts and tests may still send
//! `Authorization: Bearer`, read exactly as the JSON API reads it. A bad token is refused (401
//! page), never downgraded to anonymous; an unknown or expired session cookie makes an anonymous
//! visitor, and [`clear_stale_session`] removes that cookie in the answer.

use std::future::Future;
use std::pin::Pin;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};

use super::{PageError, cookies};
use crate::AppState;
use crate::auth::{Principal, session};
use crate::error::Error;

pub struct Visitor {
    pub principal: Principal,
    /// The signed-in person's session, when they came with one.
    pub session: Option<Session>,
    /// The address of the page being looked at (path and query), where signing in returns to.
    pub here: String,
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
            here: "/".to_owned(),
        }
    }
}

impl FromRequest for Visitor {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Visitor, PageError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { visitor(&req).await })
    }
}

/// Marks a request whose session cookie named no live session.
struct StaleSession;

async fn visitor(req: &HttpRequest) -> Result<Visitor, PageError> {
    if req.headers().contains_key(header::AUTHORIZATION) {
        let principal = crate::http::caller::principal(req)?;
        return Ok(Visitor {
            principal,
            session: None,
            here: here(req),
        });
    }
    let Some(id) = cookies::get(req, cookies::SESSION) else {
        return Ok(Visitor {
            here: here(req),
            ..Visitor::anonymous()
        });
    };
    let store = state(req)?.catalogue.store.clone();
    match super::blocking(move || session::resolve(&store, &id)).await? {
        Some(live) => Ok(Visitor {
            principal: live.principal,
            session: Some(Session {
                name: live.name,
                csrf: live.csrf,
            }),
            here: here(req),
        }),
        None => {
            req.extensions_mut().insert(StaleSession);
            Ok(Visitor {
                here: here(req),
                ..Visitor::anonymous()
            })
        }
    }
}

fn here(req: &HttpRequest) -> String {
    req.uri()
        .path_and_query()
        .map_or_else(|| req.path().to_owned(), |p| p.as_str().to_owned())
}

pub(super) fn state(req: &HttpRequest) -> Result<&web::Data<AppState>, Error> {
    req.app_data::<web::Data<AppState>>()
        .ok_or_else(|| Error::internal("app", "state missing"))
}

/// Removes a session cookie that named no live session (unknown or expired), unless the answer
/// sets a new one itself.
pub async fn clear_stale_session(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    // Not cloned before: routing needs the request unshared.
    let mut res = next.call(req).await?;
    let http = res.request().clone();
    let stale = http.extensions().contains::<StaleSession>();
    let sets_session = res
        .headers()
        .get_all(header::SET_COOKIE)
        .any(|v| v.as_bytes().starts_with(cookies::SESSION.as_bytes()));
    if stale
        && !sets_session
        && let Ok(state) = state(&http)
    {
        let secure = cookies::secure(&http, &state.sign_in);
        res.headers_mut().append(
            header::SET_COOKIE,
            cookies::clear(cookies::SESSION, "/", secure),
        );
    }
    Ok(res)
}
