//! Signing in with an OpenID Connect provider: the authorization code flow with PKCE (S256),
//! state and nonce, through the `openidconnect` crate.
//!
//! Every URL this module fetches comes from operator configuration: the issuer's discovery
//! document (`<issuer>/.well-known/openid-configuration`, read at the first sign-in and again
//! after an hour), and the JWKS and token endpoints that document names. Nothing a visitor sends
//! chooses where a request goes, and redirects are never followed. The ID token's signature,
//! issuer, audience, expiry and nonce are checked by the crate; then its claims are mapped to an
//! organisation slug and roles as configured (whether that organisation exists is the caller's
//! question). Tokens and codes are never logged.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::Role;
use crate::error::{Code, Error};

/// How long a started sign-in may take, in seconds.
pub const FLOW_SECONDS: i64 = 600;

/// How long a discovery document (and the keys it points to) is used before it is read again.
const METADATA_TTL: Duration = Duration::from_secs(3600);

/// What the operator configured (see `pac serve --help`, `--oidc-*`).
#[derive(Clone)]
pub struct OidcSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub redirect_url: String,
    pub scopes: Vec<String>,
    pub provider_name: String,
    /// Claim (dotted path) holding the organisation's slug.
    pub org_claim: String,
    /// Claim (dotted path) holding roles or groups.
    pub roles_claim: String,
    /// Claim value → role; empty: values that are role names are taken as they are.
    pub role_map: Vec<(String, Role)>,
    pub default_role: Role,
}

/// Never prints the client secret.
impl std::fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("redirect_url", &self.redirect_url)
            .field("scopes", &self.scopes)
            .field("org_claim", &self.org_claim)
            .field("roles_claim", &self.roles_claim)
            .finish()
    }
}

/// The secrets of one sign-in in progress, kept sealed in the browser's `pac_oidc` cookie.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flow {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub return_to: String,
    /// Unix time after which the flow is refused.
    pub expires: i64,
}

/// Who the provider says signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub sub: String,
    /// What the header shows: name, else preferred_username, else email, else sub.
    pub name: String,
    /// The organisation claim as given (not yet checked against the catalogue).
    pub org: Option<String>,
    pub roles: Vec<Role>,
}

pub struct Oidc {
    settings: OidcSettings,
    issuer: IssuerUrl,
    redirect: RedirectUrl,
    agent: ureq::Agent,
    metadata: Mutex<Option<(Instant, Arc<CoreProviderMetadata>)>>,
}

impl Oidc {
    pub fn new(settings: OidcSettings) -> Result<Oidc, Error> {
        let bad = |what: &str, e: &dyn std::fmt::Display| {
            Error::invalid(Code::OidcInvalid, format!("{what}: {e}"))
        };
        let issuer = IssuerUrl::new(settings.issuer.clone())
            .map_err(|e| bad("--oidc-issuer is not a URL", &e))?;
        let redirect = RedirectUrl::new(settings.redirect_url.clone())
            .map_err(|e| bad("--oidc-redirect-url is not a URL", &e))?;
        for (flag, url) in [
            ("--oidc-issuer", issuer.url()),
            ("--oidc-redirect-url", redirect.url()),
        ] {
            let local = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
            if url.scheme() != "https" && !(url.scheme() == "http" && local) {
                return Err(Error::invalid(
                    Code::OidcInvalid,
                    format!("{flag} must be an https:// URL (http:// only for localhost)"),
                ));
            }
        }
        if settings.client_id.trim().is_empty() {
            return Err(Error::invalid(
                Code::OidcInvalid,
                "--oidc-client-id is empty",
            ));
        }
        let tls = ureq::tls::TlsConfig::builder()
            .provider(ureq::tls::TlsProvider::Rustls)
            .unversioned_rustls_crypto_provider(Arc::new(
                rustls::crypto::aws_lc_rs::default_provider(),
            ))
            .root_certs(ureq::tls::RootCerts::WebPki)
            .build();
        let agent = ureq::Agent::config_builder()
            .tls_config(tls)
            // The crate reads the provider's error answers itself.
            .http_status_as_error(false)
            // Following a redirect would let an answer choose where the next request goes.
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .new_agent();
        Ok(Oidc {
            settings,
            issuer,
            redirect,
            agent,
            metadata: Mutex::new(None),
        })
    }

    pub fn provider_name(&self) -> &str {
        &self.settings.provider_name
    }

    /// The provider's discovery document (and keys), read again after [`METADATA_TTL`].
    fn metadata(&self, fresh: bool) -> Result<Arc<CoreProviderMetadata>, Error> {
        if !fresh
            && let Some((at, m)) = &*self.metadata.lock().unwrap_or_else(|p| p.into_inner())
            && at.elapsed() < METADATA_TTL
        {
            return Ok(m.clone());
        }
        let client = self.http();
        let m = CoreProviderMetadata::discover(&self.issuer, &client).map_err(|e| {
            tracing::warn!(error = %chain(&e), issuer = %self.settings.issuer, "OpenID Connect discovery failed");
            Error::Unavailable(format!(
                "the identity provider ({}) cannot be reached just now; try again shortly",
                self.settings.provider_name
            ))
        })?;
        let m = Arc::new(m);
        *self.metadata.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((Instant::now(), m.clone()));
        Ok(m)
    }

    fn http(
        &self,
    ) -> impl Fn(openidconnect::HttpRequest) -> Result<openidconnect::HttpResponse, ureq::Error> + '_
    {
        move |request: openidconnect::HttpRequest| {
            let response = self.agent.run(request)?;
            let (parts, mut body) = response.into_parts();
            let bytes = body.with_config().limit(1 << 20).read_to_vec()?;
            Ok(openidconnect::http::Response::from_parts(parts, bytes))
        }
    }

    /// Starts a sign-in: the provider's authorization URL to send the browser to, and the
    /// secrets to keep until it comes back.
    pub fn start(&self, return_to: String) -> Result<(String, Flow), Error> {
        let metadata = self.metadata(false)?;
        let client = CoreClient::from_provider_metadata(
            (*metadata).clone(),
            ClientId::new(self.settings.client_id.clone()),
            self.settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(self.redirect.clone());
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in &self.settings.scopes {
            let scope = scope.trim();
            if !scope.is_empty() && scope != "openid" {
                request = request.add_scope(Scope::new(scope.to_string()));
            }
        }
        let (url, state, nonce) = request.url();
        Ok((
            url.to_string(),
            Flow {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
                return_to,
                expires: chrono::Utc::now().timestamp() + FLOW_SECONDS,
            },
        ))
    }

    /// Finishes a sign-in whose state has been checked: exchanges the code (with the PKCE
    /// verifier), checks the ID token and maps its claims. A refusal is `Unauthenticated` with
    /// words for the person; a provider that cannot be reached is `Unavailable`.
    pub fn finish(&self, flow: &Flow, code: &str) -> Result<Identity, Error> {
        let refused = |why: String| Error::Unauthenticated(why);
        let metadata = self.metadata(false)?;
        let client = CoreClient::from_provider_metadata(
            (*metadata).clone(),
            ClientId::new(self.settings.client_id.clone()),
            self.settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(self.redirect.clone());
        let http = self.http();
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| {
                Error::Unavailable(format!(
                    "the identity provider's discovery document names no token endpoint: {e}"
                ))
            })?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.pkce_verifier.clone()))
            .request(&http)
            .map_err(|e| {
                use openidconnect::RequestTokenError as R;
                match e {
                    R::ServerResponse(answer) => refused(format!(
                        "{} refused to complete the sign-in ({}). Start again.",
                        self.settings.provider_name,
                        answer.error()
                    )),
                    other => {
                        tracing::warn!(error = %chain(&other), "OpenID Connect token request failed");
                        Error::Unavailable(format!(
                            "the identity provider ({}) could not complete the sign-in just now; try again shortly",
                            self.settings.provider_name
                        ))
                    }
                }
            })?;
        let id_token = response.id_token().ok_or_else(|| {
            refused(format!(
                "{} sent no ID token, so it cannot say who you are.",
                self.settings.provider_name
            ))
        })?;
        let verifier = client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &Nonce::new(flow.nonce.clone()))
            .map_err(|e| {
                tracing::info!(error = %e, "OpenID Connect ID token refused");
                refused(format!(
                    "The identity token from {} could not be checked: {e}.",
                    self.settings.provider_name
                ))
            })?;
        // The signature is checked above, so the payload can be read for the configured claims.
        let raw = id_token.to_string();
        let payload = raw
            .split('.')
            .nth(1)
            .and_then(|p| B64.decode(p).ok())
            .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
            .ok_or_else(|| refused("The identity token's claims cannot be read.".into()))?;
        let sub = claims.subject().as_str().to_string();
        let name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_string())
            .or_else(|| claims.preferred_username().map(|u| u.as_str().to_string()))
            .or_else(|| claims.email().map(|e| e.as_str().to_string()))
            .unwrap_or_else(|| sub.clone());
        let (org, roles) = map_claims(&self.settings, &payload);
        Ok(Identity {
            sub,
            name,
            org,
            roles,
        })
    }
}

/// The organisation and roles the claims give, as configured.
pub fn map_claims(settings: &OidcSettings, claims: &Value) -> (Option<String>, Vec<Role>) {
    let org = claim(claims, &settings.org_claim).and_then(|v| match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    });
    let values: Vec<String> = match claim(claims, &settings.roles_claim) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) => s
            .split([' ', ','])
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    let mut roles = Vec::new();
    for value in &values {
        let role = if settings.role_map.is_empty() {
            Role::parse(value).ok()
        } else {
            settings
                .role_map
                .iter()
                .find(|(v, _)| v == value)
                .map(|(_, r)| *r)
        };
        if let Some(r) = role
            && !roles.contains(&r)
        {
            roles.push(r);
        }
    }
    if roles.is_empty() {
        roles.push(settings.default_role);
    }
    (org, roles)
}

/// A claim by dotted path (`realm_access.roles`); a claim whose own name has dots is found first.
fn claim<'a>(claims: &'a Value, path: &str) -> Option<&'a Value> {
    if let Some(v) = claims.get(path) {
        return Some(v);
    }
    path.split('.').try_fold(claims, |v, part| v.get(part))
}

/// An error and its causes, for the log.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings(role_map: Vec<(String, Role)>) -> OidcSettings {
        OidcSettings {
            issuer: "https://id.example".into(),
            client_id: "pac".into(),
            client_secret: None,
            redirect_url: "https://pac.example/sign-in/oidc/callback".into(),
            scopes: vec![],
            provider_name: "Example".into(),
            org_claim: "org".into(),
            roles_claim: "realm_access.roles".into(),
            role_map,
            default_role: Role::Reader,
        }
    }

    #[test]
    fn claims_give_organisation_and_roles() {
        let claims =
            json!({"org": "met", "realm_access": {"roles": ["publisher", "other", "admin"]}});
        assert_eq!(
            map_claims(&settings(vec![]), &claims),
            (Some("met".into()), vec![Role::Publisher, Role::Admin])
        );
        let mapped = settings(vec![("pac-curators".into(), Role::Curator)]);
        let claims = json!({"org": "met", "realm_access": {"roles": "pac-curators admin"}});
        assert_eq!(map_claims(&mapped, &claims).1, vec![Role::Curator]);
        // No roles: the default role; no organisation: none.
        assert_eq!(map_claims(&mapped, &json!({})), (None, vec![Role::Reader]));
    }

    #[test]
    fn only_https_issuers_except_on_localhost() {
        let mut s = settings(vec![]);
        s.issuer = "http://id.example".into();
        assert_eq!(Oidc::new(s).err().unwrap().code(), "oidc_invalid");
        let mut s = settings(vec![]);
        s.issuer = "http://127.0.0.1:8080".into();
        s.redirect_url = "http://127.0.0.1:9000/sign-in/oidc/callback".into();
        assert!(Oidc::new(s).is_ok());
    }
}
