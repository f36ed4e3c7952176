//! Signing in and out of the web catalogue.
//!
//! - `GET /sign-in` offers "Sign in with <provider>" when OpenID Connect is configured, and a form
//!   for a pasted bearer token (for local use; `--no-token-sign-in` removes it). The form's CSRF
//!   value is a signed double-submit: a random value in the `pac_sign_in` cookie and its HMAC in
//!   the form.
//! - `POST /sign-in` checks the token with the app's verifier, opens a session and sends the
//!   browser on to a local `return_to` (a path starting with one `/`, never another site).
//! - `GET /sign-in/oidc` starts the authorization code flow (PKCE S256, state and nonce sealed in
//!   the short-lived `pac_oidc` cookie); `GET /sign-in/oidc/callback` finishes it, maps the ID
//!   token's claims to an organisation of the catalogue and roles, and opens the same kind of
//!   session.
//! - `POST /sign-out` (with the session's CSRF token) ends the session.
//!
//! Tokens, session ids and codes are never logged nor written back into a page.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{self, Head};
use super::visitor::state;
use super::{PageError, PageResult, Visitor, cookies};
use crate::auth::oidc::{Flow, Identity};
use crate::auth::session::{self, Method, same};
use crate::auth::{Principal, User};
use crate::error::{Code, Error};

/// How long the sign-in form may stay open before it must be loaded again.
const FORM_SECONDS: i64 = 3600;

#[derive(Deserialize)]
pub struct ReturnTo {
    return_to: Option<String>,
}

/// Where to go after signing in: a local path only (one leading `/`, no backslash, no control
/// character), else the home page. Never another site.
pub fn safe_return_to(to: Option<&str>) -> String {
    match to {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.chars().any(char::is_control)
                && p.len() <= 2048 =>
        {
            p.to_string()
        }
        _ => "/".to_string(),
    }
}

#[get("/sign-in")]
pub async fn get_sign_in(req: HttpRequest, visitor: Visitor) -> PageResult {
    let q: ReturnTo = super::query(&req)?;
    let state = state(&req)?;
    let return_to = safe_return_to(q.return_to.as_deref());
    let value = session::random_token();
    let tag = state.sign_in.key.sign(&value);
    let mut res = super::html(
        StatusCode::OK,
        sign_in_page(
            &visitor,
            &state.sign_in,
            &FormView {
                return_to: &return_to,
                csrf: &tag,
                error: None,
            },
        ),
    );
    let secure = cookies::secure(&req, &state.sign_in);
    res.headers_mut().append(
        header::SET_COOKIE,
        cookies::set(
            cookies::SIGN_IN,
            &value,
            "/sign-in",
            Some(FORM_SECONDS),
            secure,
        ),
    );
    Ok(res)
}

#[derive(Deserialize)]
pub struct TokenForm {
    token: Option<String>,
    csrf: Option<String>,
    return_to: Option<String>,
}

#[post("/sign-in")]
pub async fn post_sign_in(req: HttpRequest, form: web::Form<TokenForm>) -> PageResult {
    let state = state(&req)?.clone();
    let form = form.into_inner();
    let settings = &state.sign_in;
    let sent = form.csrf.as_deref().unwrap_or("");
    let form_ok = cookies::get(&req, cookies::SIGN_IN)
        .is_some_and(|value| !sent.is_empty() && settings.key.verify(&value, sent));
    if !form_ok {
        return Ok(csrf_refused());
    }
    if !settings.token_sign_in {
        return Err(Error::NotFound("signing in with a token".into()).into());
    }
    let return_to = safe_return_to(form.return_to.as_deref());
    let token = form.token.as_deref().unwrap_or("").trim();
    let token = token
        .strip_prefix("Bearer ")
        .or_else(|| token.strip_prefix("bearer "))
        .unwrap_or(token)
        .trim();
    let refuse = |status: StatusCode, message: String| {
        super::html(
            status,
            sign_in_page(
                &Visitor::anonymous(),
                settings,
                &FormView {
                    return_to: &return_to,
                    csrf: sent,
                    error: Some(&message),
                },
            ),
        )
    };
    if token.is_empty() {
        return Ok(refuse(
            StatusCode::BAD_REQUEST,
            "Enter a token: paste the token that `pac token` or your administrator gave you".into(),
        ));
    }
    let user = match state.verifier.verify(token) {
        Ok(Principal::User(u)) => u,
        Ok(_) => {
            return Ok(refuse(
                StatusCode::UNAUTHORIZED,
                "The token does not name a person".into(),
            ));
        }
        Err(e) => return Ok(refuse(StatusCode::UNAUTHORIZED, token_problem(&e))),
    };
    let name = user.sub.clone();
    let old = cookies::get(&req, cookies::SESSION);
    let store = state.catalogue.store.clone();
    let ttl = settings.session_ttl;
    let id = super::blocking(move || {
        if let Some(old) = old {
            session::close(&store, &old)?;
        }
        session::open(&store, &user, &name, Method::Token, ttl)
    })
    .await?;
    let secure = cookies::secure(&req, settings);
    let mut res = signed_in(&return_to, &id, settings, secure);
    res.headers_mut().append(
        header::SET_COOKIE,
        cookies::clear(cookies::SIGN_IN, "/sign-in", secure),
    );
    Ok(res)
}

/// What is wrong with a refused token, in words for the person who pasted it.
fn token_problem(e: &Error) -> String {
    let why = e.to_string();
    let why = why.strip_prefix("invalid bearer token: ").unwrap_or(&why);
    match why {
        "malformed" => "The token is malformed: a token is three parts separated by dots, as `pac token` prints it".into(),
        "expired" => "The token has expired: get a new one".into(),
        "bad signature" => {
            "The token has a bad signature: it was not signed by a key this service trusts".into()
        }
        "this service has no token keys configured" => {
            "This service has no token keys configured, so it accepts no token".into()
        }
        other => format!("The token was refused: {other}"),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: Option<String>,
}

#[post("/sign-out")]
pub async fn post_sign_out(
    req: HttpRequest,
    visitor: Visitor,
    form: web::Form<CsrfForm>,
) -> PageResult {
    let state = state(&req)?.clone();
    let secure = cookies::secure(&req, &state.sign_in);
    let Some(live) = &visitor.session else {
        // Nothing to end: no session, or one that has already expired (its cookie is cleared).
        return Ok(see_other("/"));
    };
    let sent = form.csrf.as_deref().unwrap_or("");
    if !same(sent, &live.csrf) {
        return Ok(csrf_refused());
    }
    if let Some(id) = cookies::get(&req, cookies::SESSION) {
        let store = state.catalogue.store.clone();
        super::blocking(move || session::close(&store, &id)).await?;
    }
    let mut res = see_other("/");
    res.headers_mut().append(
        header::SET_COOKIE,
        cookies::clear(cookies::SESSION, "/", secure),
    );
    Ok(res)
}

#[get("/sign-in/oidc")]
pub async fn get_sign_in_oidc(req: HttpRequest) -> PageResult {
    let q: ReturnTo = super::query(&req)?;
    let state = state(&req)?.clone();
    if state.sign_in.oidc.is_none() {
        return Err(Error::NotFound("signing in with an identity provider".into()).into());
    }
    let return_to = safe_return_to(q.return_to.as_deref());
    let worker = state.clone();
    let (url, flow) = super::blocking(move || {
        let oidc = worker.sign_in.oidc.as_ref().expect("checked above");
        oidc.start(return_to)
    })
    .await?;
    let sealed = state
        .sign_in
        .key
        .seal(&serde_json::to_vec(&flow).map_err(|e| Error::internal("sign-in flow", e))?);
    let secure = cookies::secure(&req, &state.sign_in);
    let mut res = see_other(&url);
    res.headers_mut().append(
        header::SET_COOKIE,
        cookies::set(
            cookies::OIDC,
            &sealed,
            "/sign-in/oidc",
            Some(crate::auth::oidc::FLOW_SECONDS),
            secure,
        ),
    );
    Ok(res)
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

#[get("/sign-in/oidc/callback")]
pub async fn get_sign_in_oidc_callback(req: HttpRequest) -> PageResult {
    let q: Callback = super::query(&req)?;
    let state = state(&req)?.clone();
    let settings = &state.sign_in;
    let Some(oidc) = &settings.oidc else {
        return Err(Error::NotFound("signing in with an identity provider".into()).into());
    };
    let secure = cookies::secure(&req, settings);
    let clear_flow = cookies::clear(cookies::OIDC, "/sign-in/oidc", secure);
    let failed = |status: StatusCode, title: &str, message: &str| {
        let mut res = super::html(status, problem_page(title, message));
        res.headers_mut()
            .append(header::SET_COOKIE, clear_flow.clone());
        res
    };
    let flow: Option<Flow> = cookies::get(&req, cookies::OIDC)
        .and_then(|sealed| settings.key.open(&sealed))
        .and_then(|plain| serde_json::from_slice(&plain).ok())
        .filter(|f: &Flow| f.expires > chrono::Utc::now().timestamp());
    let Some(flow) = flow else {
        return Ok(failed(
            StatusCode::BAD_REQUEST,
            "Sign-in could not be finished",
            "This sign-in was not started in this browser, or it took more than 10 minutes. Start again.",
        ));
    };
    if !q.state.as_deref().is_some_and(|s| same(s, &flow.state)) {
        return Ok(failed(
            StatusCode::BAD_REQUEST,
            "Sign-in could not be finished",
            "The answer from the identity provider does not belong to the sign-in started in this browser (its state does not match). Start again.",
        ));
    }
    if let Some(error) = &q.error {
        let detail = q.error_description.as_deref().unwrap_or("no reason given");
        return Ok(failed(
            StatusCode::UNAUTHORIZED,
            "You were not signed in",
            &format!(
                "{} did not sign you in: {error} ({detail}).",
                oidc.provider_name()
            ),
        ));
    }
    let Some(code) = q.code.filter(|c| !c.is_empty()) else {
        return Ok(failed(
            StatusCode::BAD_REQUEST,
            "Sign-in could not be finished",
            "The identity provider sent no authorization code. Start again.",
        ));
    };
    let worker = state.clone();
    let flow_for_worker = flow.clone();
    let identity = super::blocking(move || {
        let oidc = worker.sign_in.oidc.as_ref().expect("checked above");
        oidc.finish(&flow_for_worker, &code)
    })
    .await;
    let identity: Identity = match identity {
        Ok(i) => i,
        Err(PageError(Error::Unauthenticated(why))) => {
            return Ok(failed(
                StatusCode::UNAUTHORIZED,
                "You were not signed in",
                &why,
            ));
        }
        Err(e) => return Err(e),
    };
    let provider = oidc.provider_name().to_string();
    let Some(org) = identity.org.clone() else {
        return Ok(failed(
            StatusCode::FORBIDDEN,
            "Your account has no organisation",
            &format!(
                "Your account at {provider} does not say which organisation you belong to, so the catalogue cannot tell what you may see. Ask your administrator to add it."
            ),
        ));
    };
    let known = {
        let store = state.catalogue.store.clone();
        let org = org.clone();
        super::blocking(move || session::known_organisation(&store, &org)).await?
    };
    let Some(org) = known else {
        tracing::info!(organisation = %org, "OpenID Connect sign-in refused: unknown organisation");
        return Ok(failed(
            StatusCode::FORBIDDEN,
            "Your organisation is not in the catalogue",
            &format!(
                "Your account at {provider} belongs to the organisation “{org}”, which is not in the catalogue. Ask a catalogue administrator to add it, then sign in again."
            ),
        ));
    };
    let user = User {
        sub: identity.sub,
        org: Some(org),
        roles: identity.roles,
    };
    let old = cookies::get(&req, cookies::SESSION);
    let store = state.catalogue.store.clone();
    let ttl = settings.session_ttl;
    let name = identity.name;
    let id = super::blocking(move || {
        if let Some(old) = old {
            session::close(&store, &old)?;
        }
        session::open(&store, &user, &name, Method::Oidc, ttl)
    })
    .await?;
    let mut res = signed_in(&flow.return_to, &id, settings, secure);
    res.headers_mut().append(header::SET_COOKIE, clear_flow);
    Ok(res)
}

fn see_other(location: &str) -> HttpResponse {
    let mut res = HttpResponse::SeeOther().finish();
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn signed_in(
    return_to: &str,
    id: &str,
    settings: &session::SignInSettings,
    secure: bool,
) -> HttpResponse {
    let mut res = see_other(&safe_return_to(Some(return_to)));
    res.headers_mut().append(
        header::SET_COOKIE,
        cookies::set(
            cookies::SESSION,
            id,
            "/",
            Some(settings.session_ttl.as_secs() as i64),
            secure,
        ),
    );
    res
}

/// A form sent without the token of the page that showed it: 403, and what to do.
fn csrf_refused() -> HttpResponse {
    let e = Error::invalid(
        Code::CsrfRejected,
        "the form did not carry this page's anti-forgery token",
    );
    super::html(
        StatusCode::FORBIDDEN,
        layout::page(
            &Visitor::anonymous(),
            &Head::new("The form could not be accepted"),
            html! {
                div class="govuk-grid-row" {
                    div class="govuk-grid-column-two-thirds" {
                        h1 class="govuk-heading-l" { "The form could not be accepted" }
                        p class="govuk-body" {
                            "The form was sent without the security token of the page that showed it, or with an old one. "
                            "This protects you from other sites sending forms in your name."
                        }
                        p class="govuk-body" {
                            "Go back, reload the page and send the form again. If you were signing in, "
                            a class="govuk-link" href="/sign-in" { "start again from the sign-in page" } "."
                        }
                        p class="govuk-body" { "Error code: " code { (e.code()) } }
                    }
                }
            },
        ),
    )
}

fn problem_page(title: &str, message: &str) -> Markup {
    layout::page(
        &Visitor::anonymous(),
        &Head::new(title),
        html! {
            div class="govuk-grid-row" {
                div class="govuk-grid-column-two-thirds" {
                    h1 class="govuk-heading-l" { (title) }
                    p class="govuk-body" { (message) }
                    p class="govuk-body" { a class="govuk-link" href="/sign-in" { "Sign in again" } }
                }
            }
        },
    )
}

struct FormView<'a> {
    return_to: &'a str,
    csrf: &'a str,
    error: Option<&'a str>,
}

fn sign_in_page(visitor: &Visitor, settings: &session::SignInSettings, view: &FormView) -> Markup {
    let title = if view.error.is_some() {
        "Error: Sign in"
    } else {
        "Sign in"
    };
    let oidc_href = format!(
        "/sign-in/oidc?return_to={}",
        super::links::query_value(view.return_to)
    );
    html! {
        (layout::page(visitor, &Head::new(title), html! {
            div class="govuk-grid-row" {
                div class="govuk-grid-column-two-thirds" {
                    @if let Some(error) = view.error {
                        div class="govuk-error-summary" data-module="govuk-error-summary" {
                            div role="alert" {
                                h2 class="govuk-error-summary__title" { "There is a problem" }
                                div class="govuk-error-summary__body" {
                                    ul class="govuk-list govuk-error-summary__list" {
                                        li { a href="#token" { (error) } }
                                    }
                                }
                            }
                        }
                    }
                    h1 class="govuk-heading-l" { "Sign in" }
                    @if let Some(s) = &visitor.session {
                        div class="govuk-inset-text" { "You are signed in as " (s.name) ". Signing in again replaces that session." }
                    }
                    @if let Some(oidc) = &settings.oidc {
                        p class="govuk-body" { "Sign in with the account your organisation gave you." }
                        a href=(oidc_href) role="button" draggable="false" class="govuk-button" data-module="govuk-button" {
                            "Sign in with " (oidc.provider_name())
                        }
                    }
                    @if settings.token_sign_in {
                        @if settings.oidc.is_some() {
                            h2 class="govuk-heading-m" { "Sign in with a token" }
                        }
                        form method="post" action="/sign-in" novalidate {
                            input type="hidden" name="csrf" value=(view.csrf);
                            input type="hidden" name="return_to" value=(view.return_to);
                            div class=(if view.error.is_some() { "govuk-form-group govuk-form-group--error" } else { "govuk-form-group" }) {
                                label class="govuk-label govuk-label--s" for="token" { "Token" }
                                div id="token-hint" class="govuk-hint" {
                                    "A bearer token for this catalogue, such as one printed by " code { "pac token" } ". It is checked and then forgotten: only a session is kept."
                                }
                                @if let Some(error) = view.error {
                                    p id="token-error" class="govuk-error-message" {
                                        span class="govuk-visually-hidden" { "Error:" } " " (error)
                                    }
                                }
                                textarea
                                    class=(if view.error.is_some() { "govuk-textarea govuk-textarea--error" } else { "govuk-textarea" })
                                    id="token" name="token" rows="5" spellcheck="false" autocomplete="off"
                                    aria-describedby=(if view.error.is_some() { "token-hint token-error" } else { "token-hint" }) {}
                            }
                            button type="submit" class="govuk-button" data-module="govuk-button" { "Sign in" }
                        }
                    }
                    @if settings.oidc.is_none() && !settings.token_sign_in {
                        p class="govuk-body" { "Signing in is not set up on this service." }
                    }
                }
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_return_to(Some("/apis/x?y=1")), "/apis/x?y=1");
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "evil",
            "",
            "/a\nb",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_return_to(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_return_to(None), "/");
    }

    #[test]
    fn token_problems_are_named() {
        let e = |why: &str| Error::Unauthenticated(format!("invalid bearer token: {why}"));
        assert!(token_problem(&e("malformed")).contains("malformed"));
        assert!(token_problem(&e("expired")).contains("expired"));
        assert!(token_problem(&e("bad signature")).contains("bad signature"));
        assert!(token_problem(&e("wrong issuer")).contains("wrong issuer"));
    }
}
