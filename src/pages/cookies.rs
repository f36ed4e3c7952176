//! The cookies of the web catalogue, read and written by hand (our values are URL-safe base64, so
//! no quoting is needed): `pac_session` for a signed-in person, and two short-lived ones while
//! signing in. Every one is HttpOnly and SameSite=Lax, and Secure when the request came over TLS,
//! when the operator says the service is behind TLS, or when a trusted proxy says
//! `X-Forwarded-Proto: https`.

use actix_web::HttpRequest;
use actix_web::http::header::{self, HeaderValue};

use crate::auth::session::SignInSettings;

/// The session of a signed-in person.
pub const SESSION: &str = "pac_session";
/// The sign-in form's double-submit value.
pub const SIGN_IN: &str = "pac_sign_in";
/// The sealed state, nonce and PKCE verifier of an OpenID Connect sign-in in progress.
pub const OIDC: &str = "pac_oidc";

/// The value of cookie `name` in the request, if sent.
pub fn get(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"').to_string())
}

/// Should cookies set in answer to this request be `Secure`?
pub fn secure(req: &HttpRequest, settings: &SignInSettings) -> bool {
    if settings.behind_tls || req.app_config().secure() {
        return true;
    }
    settings.trust_forwarded_proto
        && req
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// A `Set-Cookie` value; `max_age` None makes a browser-session cookie.
pub fn set(name: &str, value: &str, path: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).expect("cookie values are URL-safe base64")
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear(name: &str, path: &str, secure: bool) -> HeaderValue {
    set(name, "", path, Some(0), secure)
}
