//! Signing in to the web catalogue: sessions in the database and their cookie, the token form, and
//! OpenID Connect against a provider the tests run themselves (tests/it/oidc_provider.rs), with
//! each redirect followed by hand.

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use diesel::prelude::*;
use pac::auth::oidc::{Oidc, OidcSettings};
use pac::auth::session::SignInSettings;
use pac::domain::Role;
use serde_json::json;

use crate::catalogue::{create_api, create_org};
use crate::oidc_provider::{CLIENT_ID, CLIENT_SECRET, Provider};
use crate::support::*;

/// A response's status, headers and body as text.
struct Page {
    status: StatusCode,
    headers: actix_web::http::header::HeaderMap,
    body: String,
}

impl Page {
    fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The whole `Set-Cookie` line for cookie `name`.
    fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }

    /// The value the response gives cookie `name`.
    fn cookie(&self, name: &str) -> Option<String> {
        let line = self.set_cookie(name)?;
        let value = line.split(';').next()?.split_once('=')?.1.to_string();
        Some(value)
    }

    /// The value of the hidden input `name` in the page.
    fn hidden(&self, name: &str) -> Option<String> {
        let marker = format!(r#"name="{name}" value=""#);
        let start = self.body.find(&marker)? + marker.len();
        let end = self.body[start..].find('"')? + start;
        Some(self.body[start..end].to_string())
    }
}

async fn call<S, B>(app: &S, req: TestRequest) -> Page
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let res = test::call_service(app, req.to_request()).await;
    let status = res.status();
    let headers = res.headers().clone();
    let body = String::from_utf8_lossy(&test::read_body(res).await).into_owned();
    Page {
        status,
        headers,
        body,
    }
}

fn oidc_settings(provider: &Provider) -> SignInSettings {
    SignInSettings {
        oidc: Some(
            Oidc::new(OidcSettings {
                issuer: provider.issuer.clone(),
                client_id: CLIENT_ID.into(),
                client_secret: Some(CLIENT_SECRET.into()),
                redirect_url: "http://localhost/sign-in/oidc/callback".into(),
                scopes: vec!["openid".into(), "profile".into()],
                provider_name: "Test ID".into(),
                org_claim: "organisation".into(),
                roles_claim: "groups".into(),
                role_map: vec![
                    ("catalogue-publishers".into(), Role::Publisher),
                    ("catalogue-admins".into(), Role::Admin),
                ],
                default_role: Role::Reader,
            })
            .expect("oidc settings"),
        ),
        ..SignInSettings::default()
    }
}

/// Follows the provider's /authorize by hand; returns the callback path and query it sends back to.
fn authorize(url: &str) -> String {
    let agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .new_agent();
    let res = agent.get(url).call().expect("the provider answers");
    assert_eq!(res.status(), 302, "authorize");
    let location = res.headers()["location"].to_str().unwrap().to_string();
    location
        .strip_prefix("http://localhost")
        .expect("back to the redirect URL")
        .to_string()
}

/// Starts an OpenID Connect sign-in; returns the flow cookie and the callback to call.
async fn start_oidc<S, B>(app: &S, return_to: &str) -> (String, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = call(
        app,
        TestRequest::get().uri(&format!(
            "/sign-in/oidc?return_to={}",
            pac::pages::links::query_value(return_to)
        )),
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let flow = r.cookie("pac_oidc").expect("flow cookie");
    let line = r.set_cookie("pac_oidc").unwrap();
    assert!(
        line.contains("HttpOnly") && line.contains("SameSite=Lax"),
        "{line}"
    );
    assert!(line.contains("Path=/sign-in/oidc"), "{line}");
    // Nothing secret in the address, and PKCE with S256.
    let url = r.location().to_string();
    assert!(url.contains("code_challenge_method=S256"), "{url}");
    assert!(url.contains("nonce=") && url.contains("state="), "{url}");
    assert!(!url.contains(&flow));
    (flow, authorize(&url))
}

async fn finish_oidc<S, B>(app: &S, flow: &str, callback: &str) -> Page
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    call(
        app,
        TestRequest::get()
            .uri(callback)
            .insert_header(("cookie", format!("pac_oidc={flow}"))),
    )
    .await
}

fn with_session(req: TestRequest, session: &str) -> TestRequest {
    req.insert_header(("cookie", format!("pac_session={session}")))
}

#[actix_web::test]
async fn oidc_sign_in_maps_claims_and_shows_restricted_apis_sqlite() {
    oidc_sign_in_maps_claims_and_shows_restricted_apis(Backend::Sqlite).await
}

#[actix_web::test]
async fn oidc_sign_in_maps_claims_and_shows_restricted_apis_postgres() {
    oidc_sign_in_maps_claims_and_shows_restricted_apis(Backend::Postgres).await
}

async fn oidc_sign_in_maps_claims_and_shows_restricted_apis(backend: Backend) {
    let provider = Provider::start();
    let Some(t) = TestApp::with_sign_in(backend, oidc_settings(&provider)) else {
        return;
    };
    let app = t.service().await;
    let admin = t.admin();
    create_org(&app, &admin, "met", "force").await;
    let met = t.token("alice", Some("met"), &["publisher"]);
    assert_eq!(
        create_api(&app, &met, "met-secret", "met", "restricted")
            .await
            .status,
        201
    );

    // Before: the restricted API is not there, and the sign-in page offers the provider.
    let r = call(&app, TestRequest::get().uri("/apis/met-secret")).await;
    assert_eq!(r.status, 404);
    let r = call(
        &app,
        TestRequest::get().uri("/sign-in?return_to=/apis/met-secret"),
    )
    .await;
    assert!(r.body.contains("Sign in with Test ID"), "{}", r.body);
    assert!(r.body.contains("/sign-in/oidc?return_to=/apis/met-secret"));

    provider.set_claims(json!({
        "organisation": "met",
        "groups": ["catalogue-publishers", "staff"],
        "name": "Alice Example",
    }));
    let (flow, callback) = start_oidc(&app, "/apis/met-secret").await;
    let r = finish_oidc(&app, &flow, &callback).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/apis/met-secret");
    let session = r.cookie("pac_session").expect("session cookie");
    assert_eq!(session.len(), 43);
    assert_eq!(
        r.cookie("pac_oidc").as_deref(),
        Some(""),
        "the flow cookie is cleared"
    );

    // The session stands for the mapped principal: organisation met, publisher.
    let hash = pac::auth::session::id_hash(&session);
    let row: pac::store::sessions::SessionRow = t
        .state
        .catalogue
        .store
        .read(|c| {
            Ok(pac::store::schema::sessions::table
                .find(&hash)
                .select(pac::store::sessions::SessionRow::as_select())
                .first(c)?)
        })
        .unwrap();
    assert_eq!(row.organisation.as_deref(), Some("met"));
    assert_eq!(row.roles, "publisher");
    assert_eq!(row.subject, "user-0001");
    assert_eq!(row.method, "oidc");
    assert_ne!(row.id_sha256, session, "only the hash is stored");

    let r = call(
        &app,
        with_session(TestRequest::get().uri("/apis/met-secret"), &session),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Signed in as Alice Example"));
    assert!(r.body.contains(r#"action="/sign-out""#));
    // The pages link to the JSON API's downloads: a GET there reads the session too; a change
    // through the JSON API still needs a bearer token, whatever cookie it carries.
    let r = call(
        &app,
        with_session(TestRequest::get().uri("/api/v1/apis/met-secret"), &session),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = call(&app, TestRequest::get().uri("/api/v1/apis/met-secret")).await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = call(
        &app,
        with_session(
            TestRequest::patch().uri("/api/v1/apis/met-secret"),
            &session,
        )
        .insert_header(("content-type", "application/json"))
        .set_payload(r#"{"name": "Renamed"}"#),
    )
    .await;
    assert_eq!(
        r.status, 404,
        "a cookie does not authenticate a change: {}",
        r.body
    );
    // A code is good once: replaying the callback signs nobody in.
    let again = finish_oidc(&app, &flow, &callback).await;
    assert_eq!(again.status, 401, "{}", again.body);
    assert!(again.cookie("pac_session").is_none());
    assert_eq!(provider.issued(), 1);
}

#[actix_web::test]
async fn no_roles_claim_gives_the_default_role_and_admin_groups_map() {
    let provider = Provider::start();
    let t = TestApp::with_sign_in(Backend::Sqlite, oidc_settings(&provider)).unwrap();
    let app = t.service().await;
    create_org(&app, &t.admin(), "gmp", "force").await;
    for (groups, roles) in [
        (json!(null), "reader"),
        (json!("catalogue-admins"), "admin"),
    ] {
        provider.set_claims(json!({ "organisation": "gmp", "groups": groups }));
        let (flow, callback) = start_oidc(&app, "/").await;
        let r = finish_oidc(&app, &flow, &callback).await;
        assert_eq!(r.status, 303, "{}", r.body);
        let hash = pac::auth::session::id_hash(&r.cookie("pac_session").unwrap());
        let stored: String = t
            .state
            .catalogue
            .store
            .read(|c| {
                Ok(pac::store::schema::sessions::table
                    .find(&hash)
                    .select(pac::store::schema::sessions::roles)
                    .first(c)?)
            })
            .unwrap();
        assert_eq!(stored, roles);
    }
}

#[actix_web::test]
async fn pkce_state_and_unknown_organisations_are_refused() {
    let provider = Provider::start();
    let t = TestApp::with_sign_in(Backend::Sqlite, oidc_settings(&provider)).unwrap();
    let app = t.service().await;
    create_org(&app, &t.admin(), "met", "force").await;

    // Unknown organisation: a clear page, and no session.
    provider.set_claims(json!({ "organisation": "atlantis-police" }));
    let (flow, callback) = start_oidc(&app, "/").await;
    let r = finish_oidc(&app, &flow, &callback).await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("Your organisation is not in the catalogue"));
    assert!(r.body.contains("atlantis-police"));
    assert!(r.cookie("pac_session").is_none());

    // No organisation at all.
    provider.set_claims(json!({ "groups": ["catalogue-admins"] }));
    let (flow, callback) = start_oidc(&app, "/").await;
    let r = finish_oidc(&app, &flow, &callback).await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("Your account has no organisation"));

    // State mismatch: refused before the code is even exchanged.
    provider.set_claims(json!({ "organisation": "met" }));
    let issued = provider.issued();
    let (flow, callback) = start_oidc(&app, "/").await;
    let forged = callback.replace("state=", "state=x");
    let r = finish_oidc(&app, &flow, &forged).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("state does not match"), "{}", r.body);
    assert!(r.cookie("pac_session").is_none());
    // A callback without the flow cookie (another browser) is refused too.
    let r = call(&app, TestRequest::get().uri(&callback)).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("not started in this browser"));
    // A flow cookie sealed by another key (or tampered with) is no flow at all.
    let r = finish_oidc(&app, &format!("{flow}x"), &callback).await;
    assert_eq!(r.status, 400);
    assert_eq!(provider.issued(), issued);

    // PKCE mismatch: the provider refuses the code, and so does the catalogue.
    provider.break_pkce();
    let (flow, callback) = start_oidc(&app, "/").await;
    let r = finish_oidc(&app, &flow, &callback).await;
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(r.body.contains("invalid_grant"), "{}", r.body);
    assert!(r.cookie("pac_session").is_none());
    assert_eq!(provider.issued(), issued);

    // The provider's own refusal is shown as such.
    let (flow, callback) = start_oidc(&app, "/").await;
    let state = callback.split("state=").nth(1).unwrap().to_string();
    let r = finish_oidc(
        &app,
        &flow,
        &format!("/sign-in/oidc/callback?error=access_denied&state={state}"),
    )
    .await;
    assert_eq!(r.status, 401);
    assert!(r.body.contains("access_denied"));
}

#[actix_web::test]
async fn return_to_never_leaves_the_site() {
    let provider = Provider::start();
    let t = TestApp::with_sign_in(Backend::Sqlite, oidc_settings(&provider)).unwrap();
    let app = t.service().await;
    create_org(&app, &t.admin(), "met", "force").await;
    provider.set_claims(json!({ "organisation": "met" }));
    for evil in [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
    ] {
        let (flow, callback) = start_oidc(&app, evil).await;
        let r = finish_oidc(&app, &flow, &callback).await;
        assert_eq!(r.status, 303);
        assert_eq!(r.location(), "/", "{evil}");
    }
    // The token form too.
    let (cookie, csrf) = sign_in_form(&app, "").await;
    let token = t.token("alice", Some("met"), &["reader"]);
    let r = post_token(&app, &cookie, &csrf, &token, "https://evil.example/").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/");
}

/// Loads the sign-in form; returns its cookie value and the CSRF field.
async fn sign_in_form<S, B>(app: &S, query: &str) -> (String, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let r = call(app, TestRequest::get().uri(&format!("/sign-in{query}"))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    (
        r.cookie("pac_sign_in").expect("form cookie"),
        r.hidden("csrf").expect("csrf field"),
    )
}

async fn post_token<S, B>(app: &S, cookie: &str, csrf: &str, token: &str, return_to: &str) -> Page
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    call(
        app,
        TestRequest::post()
            .uri("/sign-in")
            .insert_header(("cookie", format!("pac_sign_in={cookie}")))
            .set_form([("token", token), ("csrf", csrf), ("return_to", return_to)]),
    )
    .await
}

on_both_backends! {
    async fn token_sign_in_and_sign_out(t: TestApp) {
        let app = t.service().await;
        let r = call(&app, TestRequest::get().uri("/sign-in")).await;
        assert!(r.body.contains(r#"<textarea class="govuk-textarea""#), "{}", r.body);
        assert!(!r.body.contains("Sign in with"), "no provider configured");
        let (cookie, csrf) = sign_in_form(&app, "?return_to=/search").await;

        // Errors name what is wrong, in an error summary, and keep nothing.
        let expired = {
            let now = jsonwebtoken::get_current_timestamp();
            t.state.verifier.mint(&pac::auth::jwt::Claims {
                sub: "alice".into(), org: Some("met".into()), roles: vec!["reader".into()],
                exp: now - 3600, nbf: None, iat: None, iss: None, aud: None,
            }).unwrap()
        };
        let good = t.token("alice", Some("met"), &["reader"]);
        // Signed by a key this service does not trust.
        let forged = pac::auth::jwt::Verifier::new(&pac::auth::jwt::KeySettings {
            hs256_secret: Some("another-secret-that-is-long-enough-987654".into()),
            ..Default::default()
        })
        .unwrap()
        .mint(&pac::auth::jwt::Claims {
            sub: "mallory".into(), org: Some("met".into()), roles: vec!["admin".into()],
            exp: jsonwebtoken::get_current_timestamp() + 600, nbf: None, iat: None, iss: None, aud: None,
        })
        .unwrap();
        for (token, status, words) in [
            ("", 400, "Enter a token"),
            ("not-a-token", 401, "malformed"),
            (expired.as_str(), 401, "expired"),
            (forged.as_str(), 401, "bad signature"),
        ] {
            let r = post_token(&app, &cookie, &csrf, token, "/search").await;
            assert_eq!(r.status.as_u16(), status, "{token:?}");
            assert!(r.body.contains("govuk-error-summary"), "{}", r.body);
            assert!(r.body.contains(words), "{words}: {}", r.body);
            assert!(r.body.contains("<title>Error: Sign in"));
            assert!(r.cookie("pac_session").is_none());
            if !token.is_empty() {
                assert!(!r.body.contains(token), "the token is never written back");
            }
        }

        // Without the form's CSRF value, or with another cookie: 403.
        let r = post_token(&app, &cookie, "", &good, "/search").await;
        assert_eq!(r.status, 403);
        assert!(r.body.contains("The form could not be accepted"));
        assert!(r.body.contains("csrf_rejected"));
        let (other_cookie, _) = sign_in_form(&app, "").await;
        let r = post_token(&app, &other_cookie, &csrf, &good, "/search").await;
        assert_eq!(r.status, 403);

        // A good token: a session, and on to return_to.
        let r = post_token(&app, &cookie, &csrf, &format!("Bearer {good}\n"), "/search").await;
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(r.location(), "/search");
        let line = r.set_cookie("pac_session").unwrap();
        assert!(line.contains("HttpOnly"), "{line}");
        assert!(line.contains("SameSite=Lax"), "{line}");
        assert!(line.contains("Path=/;") || line.ends_with("Path=/"), "{line}");
        assert!(line.contains("Max-Age=28800"), "{line}");
        assert!(!line.contains("Secure"), "plain HTTP, no TLS configured: {line}");
        let session = r.cookie("pac_session").unwrap();

        let r = call(&app, with_session(TestRequest::get().uri("/"), &session)).await;
        assert!(r.body.contains("Signed in as alice"), "{}", r.body);
        let session_csrf = r.hidden("csrf").expect("sign-out form");

        // Signing out needs the session's CSRF token.
        for sent in ["", "wrong", csrf.as_str()] {
            let r = call(&app, with_session(TestRequest::post().uri("/sign-out"), &session).set_form([("csrf", sent)])).await;
            assert_eq!(r.status, 403, "{sent:?}");
            assert!(r.body.contains("csrf_rejected"));
        }
        let r = call(&app, with_session(TestRequest::get().uri("/"), &session)).await;
        assert!(r.body.contains("Signed in as alice"), "still signed in");
        let r = call(&app, with_session(TestRequest::post().uri("/sign-out"), &session).set_form([("csrf", session_csrf.as_str())])).await;
        assert_eq!(r.status, 303);
        assert_eq!(r.location(), "/");
        assert_eq!(r.cookie("pac_session").as_deref(), Some(""));
        assert!(r.set_cookie("pac_session").unwrap().contains("Max-Age=0"));
        // The old cookie is nobody now, and is cleared.
        let r = call(&app, with_session(TestRequest::get().uri("/"), &session)).await;
        assert_eq!(r.status, 200);
        assert!(!r.body.contains("Signed in as"));
        assert!(r.body.contains(r#"href="/sign-in""#));
        assert_eq!(r.cookie("pac_session").as_deref(), Some(""));

        // A bearer token still works for scripts; a bad one is still a 401 page.
        let r = call(&app, TestRequest::get().uri("/").insert_header(bearer(&good))).await;
        assert_eq!(r.status, 200);
        let r = call(&app, TestRequest::get().uri("/").insert_header(bearer("nonsense"))).await;
        assert_eq!(r.status, 401);
        assert!(r.headers.get("content-type").unwrap().to_str().unwrap().starts_with("text/html"));
    }
}

on_both_backends! {
    async fn expired_sessions_are_anonymous_and_purged(t: TestApp) {
        let app = t.service().await;
        let (cookie, csrf) = sign_in_form(&app, "").await;
        let token = t.token("alice", Some("met"), &["reader"]);
        let session = post_token(&app, &cookie, &csrf, &token, "/").await.cookie("pac_session").unwrap();
        let hash = pac::auth::session::id_hash(&session);
        let past = pac::store::now() - chrono::Duration::seconds(1);
        t.state.catalogue.store.write(|c| {
            use pac::store::schema::sessions::dsl::*;
            diesel::update(sessions.find(&hash)).set(expires_at.eq(past)).execute(c)?;
            Ok(())
        }).unwrap();
        let r = call(&app, with_session(TestRequest::get().uri("/"), &session)).await;
        assert_eq!(r.status, 200);
        assert!(!r.body.contains("Signed in as"));
        assert_eq!(r.cookie("pac_session").as_deref(), Some(""), "the stale cookie is cleared");
        let left: i64 = t.state.catalogue.store.read(|c| {
            Ok(pac::store::schema::sessions::table.count().get_result(c)?)
        }).unwrap();
        assert_eq!(left, 0, "the expired session is purged");
        // An unknown cookie is anonymous too.
        let r = call(&app, with_session(TestRequest::get().uri("/search"), "made-up")).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.cookie("pac_session").as_deref(), Some(""));
    }
}

#[actix_web::test]
async fn cookies_are_secure_behind_tls() {
    // Behind a TLS-terminating proxy, by configuration.
    let t = TestApp::with_sign_in(
        Backend::Sqlite,
        SignInSettings {
            behind_tls: true,
            ..SignInSettings::default()
        },
    )
    .unwrap();
    let app = t.service().await;
    let r = call(&app, TestRequest::get().uri("/sign-in")).await;
    assert!(r.set_cookie("pac_sign_in").unwrap().contains("; Secure"));
    let (cookie, csrf) = sign_in_form(&app, "").await;
    let token = t.token("alice", Some("met"), &["reader"]);
    let r = post_token(&app, &cookie, &csrf, &token, "/").await;
    let line = r.set_cookie("pac_session").unwrap();
    assert!(
        line.contains("; Secure") && line.contains("HttpOnly") && line.contains("SameSite=Lax"),
        "{line}"
    );

    // X-Forwarded-Proto counts only when the operator says a proxy sets it.
    let t = TestApp::with_sign_in(Backend::Sqlite, SignInSettings::default()).unwrap();
    let app = t.service().await;
    let r = call(
        &app,
        TestRequest::get()
            .uri("/sign-in")
            .insert_header(("x-forwarded-proto", "https")),
    )
    .await;
    assert!(!r.set_cookie("pac_sign_in").unwrap().contains("Secure"));
    let t = TestApp::with_sign_in(
        Backend::Sqlite,
        SignInSettings {
            trust_forwarded_proto: true,
            ..SignInSettings::default()
        },
    )
    .unwrap();
    let app = t.service().await;
    let r = call(
        &app,
        TestRequest::get()
            .uri("/sign-in")
            .insert_header(("x-forwarded-proto", "https")),
    )
    .await;
    assert!(r.set_cookie("pac_sign_in").unwrap().contains("; Secure"));
    let r = call(&app, TestRequest::get().uri("/sign-in")).await;
    assert!(!r.set_cookie("pac_sign_in").unwrap().contains("Secure"));
}

#[actix_web::test]
async fn the_token_form_can_be_turned_off() {
    let t = TestApp::with_sign_in(
        Backend::Sqlite,
        SignInSettings {
            token_sign_in: false,
            ..SignInSettings::default()
        },
    )
    .unwrap();
    let app = t.service().await;
    let r = call(&app, TestRequest::get().uri("/sign-in")).await;
    assert!(!r.body.contains("<textarea"));
    assert!(r.body.contains("Signing in is not set up"));
    let cookie = r.cookie("pac_sign_in").unwrap();
    let token = t.token("alice", Some("met"), &["reader"]);
    let tag = t.state.sign_in.key.sign(&cookie);
    let r = post_token(&app, &cookie, &tag, &token, "/").await;
    assert_eq!(r.status, 404);
    assert!(r.cookie("pac_session").is_none());
    // And without a provider, /sign-in/oidc is not there either.
    let r = call(&app, TestRequest::get().uri("/sign-in/oidc")).await;
    assert_eq!(r.status, 404);
}
