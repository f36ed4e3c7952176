//! A tiny OpenID provider the sign-in tests run themselves, on 127.0.0.1 with a port of its own:
//! discovery, JWKS (the RSA key of tests/fixtures/keys), `/authorize` that approves at once and
//! sends the browser back with a code and the state, and `/token` that checks the client secret
//! and the PKCE verifier against the challenge before it signs an ID token with the nonce and the
//! claims the test chose.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub const CLIENT_ID: &str = "pac-test";
pub const CLIENT_SECRET: &str = "pac-test-secret";

/// What the provider does, changed by a test between steps.
#[derive(Default)]
struct State {
    /// Claims added to every ID token (besides iss, sub, aud, exp, iat, nonce).
    claims: Value,
    /// code → (PKCE challenge, nonce, redirect_uri)
    grants: HashMap<String, (String, String, String)>,
    /// Remember a wrong challenge, as if the code had been started by someone else.
    wrong_challenge: bool,
    issued: u32,
}

pub struct Provider {
    pub issuer: String,
    state: Arc<Mutex<State>>,
    handle: actix_web::dev::ServerHandle,
}

impl Drop for Provider {
    fn drop(&mut self) {
        // The stop command is sent at once; nothing needs to wait for the server to end.
        drop(self.handle.stop(false));
    }
}

impl Provider {
    pub fn start() -> Provider {
        let state = Arc::new(Mutex::new(State {
            claims: json!({}),
            ..State::default()
        }));
        let (tx, rx) = std::sync::mpsc::channel();
        let shared = state.clone();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let issuer_cell: Arc<Mutex<String>> = Arc::default();
                let cell = issuer_cell.clone();
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(web::Data::new(shared.clone()))
                        .app_data(web::Data::new(cell.clone()))
                        .route(
                            "/.well-known/openid-configuration",
                            web::get().to(discovery),
                        )
                        .route("/jwks", web::get().to(jwks))
                        .route("/authorize", web::get().to(authorize))
                        .route("/token", web::post().to(token))
                })
                .workers(1)
                .bind(("127.0.0.1", 0))
                .expect("bind the test provider");
                let addr = server.addrs()[0];
                *issuer_cell.lock().unwrap() = format!("http://{addr}");
                let server = server.run();
                tx.send((addr, server.handle())).unwrap();
                server.await.unwrap();
            });
        });
        let (addr, handle) = rx.recv().expect("the test provider starts");
        Provider {
            issuer: format!("http://{addr}"),
            state,
            handle,
        }
    }

    /// The claims of the next ID tokens (org, roles, name, …).
    pub fn set_claims(&self, claims: Value) {
        self.state.lock().unwrap().claims = claims;
    }

    /// From now on, codes are given for another PKCE challenge than the one sent.
    pub fn break_pkce(&self) {
        self.state.lock().unwrap().wrong_challenge = true;
    }

    /// How many ID tokens were issued.
    pub fn issued(&self) -> u32 {
        self.state.lock().unwrap().issued
    }
}

type Shared = web::Data<Arc<Mutex<State>>>;
type Issuer = web::Data<Arc<Mutex<String>>>;

async fn discovery(issuer: Issuer) -> HttpResponse {
    let iss = issuer.lock().unwrap().clone();
    HttpResponse::Ok().json(json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/authorize"),
        "token_endpoint": format!("{iss}/token"),
        "jwks_uri": format!("{iss}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
    }))
}

fn keys(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keys")
        .join(name)
}

async fn jwks() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(std::fs::read(keys("jwks.json")).unwrap())
}

#[derive(Deserialize)]
struct Authorize {
    response_type: String,
    client_id: String,
    redirect_uri: String,
    state: String,
    nonce: String,
    code_challenge: String,
    code_challenge_method: String,
}

async fn authorize(state: Shared, q: web::Query<Authorize>) -> HttpResponse {
    let q = q.into_inner();
    if q.response_type != "code" || q.client_id != CLIENT_ID || q.code_challenge_method != "S256" {
        return HttpResponse::BadRequest().body("bad authorization request");
    }
    let code = format!("code-{}", rand_hex());
    let mut s = state.lock().unwrap();
    let challenge = if s.wrong_challenge {
        URL_SAFE_NO_PAD.encode(Sha256::digest(b"someone else's verifier"))
    } else {
        q.code_challenge
    };
    s.grants
        .insert(code.clone(), (challenge, q.nonce, q.redirect_uri.clone()));
    let location = format!(
        "{}?code={}&state={}",
        q.redirect_uri,
        code,
        pac::pages::links::query_value(&q.state)
    );
    HttpResponse::Found()
        .insert_header(("location", location))
        .finish()
}

fn rand_hex() -> String {
    pac::auth::session::random_token()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

#[derive(Deserialize)]
struct TokenRequest {
    grant_type: String,
    code: String,
    redirect_uri: String,
    code_verifier: Option<String>,
}

async fn token(
    req: HttpRequest,
    state: Shared,
    issuer: Issuer,
    form: web::Form<TokenRequest>,
) -> HttpResponse {
    let error = |code: &str| HttpResponse::BadRequest().json(json!({ "error": code }));
    let basic = format!(
        "Basic {}",
        STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    let authorised = req
        .headers()
        .get("authorization")
        .is_some_and(|v| v.as_bytes() == basic.as_bytes());
    if !authorised {
        return HttpResponse::Unauthorized().json(json!({ "error": "invalid_client" }));
    }
    if form.grant_type != "authorization_code" {
        return error("unsupported_grant_type");
    }
    let mut s = state.lock().unwrap();
    // A code is good once.
    let Some((challenge, nonce, redirect_uri)) = s.grants.remove(&form.code) else {
        return error("invalid_grant");
    };
    if redirect_uri != form.redirect_uri {
        return error("invalid_grant");
    }
    let verifier = form.code_verifier.clone().unwrap_or_default();
    if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != challenge {
        return error("invalid_grant");
    }
    s.issued += 1;
    let now = jsonwebtoken::get_current_timestamp();
    let mut claims = json!({
        "iss": issuer.lock().unwrap().clone(),
        "sub": "user-0001",
        "aud": CLIENT_ID,
        "exp": now + 300,
        "iat": now,
        "nonce": nonce,
    });
    for (k, v) in s.claims.as_object().cloned().unwrap_or_default() {
        claims[k] = v;
    }
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some("test-rsa".into());
    let key =
        jsonwebtoken::EncodingKey::from_rsa_pem(&std::fs::read(keys("rs256-private.pem")).unwrap())
            .unwrap();
    let id_token = jsonwebtoken::encode(&header, &claims, &key).unwrap();
    HttpResponse::Ok().json(json!({
        "access_token": format!("at-{}", rand_hex()),
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token,
    }))
}
