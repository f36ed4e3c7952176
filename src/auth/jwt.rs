//! Bearer token verification. Keys: an HS256 shared secret for local use, RS256/ES256 public keys
//! (a PEM file, or a JWKS file chosen by `kid`) for production. Only HS256, RS256 and ES256 are
//! accepted; `exp` and `sub` are required, `nbf` is checked when present, and `iss`/`aud` when
//! configured. Token contents and secrets are never logged.

use std::path::Path;

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::{Principal, User};
use crate::domain::{Role, Slug};
use crate::error::{Code, Error};

/// The algorithms this service accepts, whatever the keys.
pub const ALLOWED: [Algorithm; 3] = [Algorithm::HS256, Algorithm::RS256, Algorithm::ES256];

/// What a token says about its holder.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    #[serde(default)]
    pub roles: Vec<String>,
    pub exp: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<Audience>,
}

/// `aud` is a string or an array of strings (RFC 7519 4.1.3); the library checks it against the
/// configured audience either way.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

struct Key {
    kid: Option<String>,
    key: DecodingKey,
    algorithm: Algorithm,
}

/// Where keys come from; built from the configuration.
#[derive(Default, Clone)]
pub struct KeySettings {
    pub hs256_secret: Option<String>,
    pub public_key_pem: Option<std::path::PathBuf>,
    pub jwks_file: Option<std::path::PathBuf>,
    pub issuer: Option<String>,
    pub audience: Option<String>,
}

impl std::fmt::Debug for KeySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySettings")
            .field(
                "hs256_secret",
                &self.hs256_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("public_key_pem", &self.public_key_pem)
            .field("jwks_file", &self.jwks_file)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish()
    }
}

/// Verifies bearer tokens. With no keys configured every token is refused and only anonymous
/// (public) access works.
pub struct Verifier {
    keys: Vec<Key>,
    issuer: Option<String>,
    audience: Option<String>,
    hs256_secret: Option<Vec<u8>>,
}

/// Shortest HS256 secret accepted: shorter ones can be brute-forced.
pub const MIN_SECRET_BYTES: usize = 32;

impl Verifier {
    pub fn new(s: &KeySettings) -> Result<Verifier, Error> {
        let mut keys = Vec::new();
        if let Some(secret) = &s.hs256_secret {
            if secret.len() < MIN_SECRET_BYTES {
                return Err(Error::invalid(
                    Code::JwtSecretTooShort,
                    format!(
                        "the HS256 secret (--jwt-secret / PAC_JWT_SECRET) must be at least {MIN_SECRET_BYTES} bytes, got {}",
                        secret.len()
                    ),
                ));
            }
            keys.push(Key {
                kid: None,
                key: DecodingKey::from_secret(secret.as_bytes()),
                algorithm: Algorithm::HS256,
            });
        }
        if let Some(path) = &s.public_key_pem {
            let pem = read_key_file(path)?;
            let key = if let Ok(k) = DecodingKey::from_rsa_pem(&pem) {
                (k, Algorithm::RS256)
            } else if let Ok(k) = DecodingKey::from_ec_pem(&pem) {
                (k, Algorithm::ES256)
            } else {
                return Err(Error::invalid(
                    Code::JwtKeyInvalid,
                    format!(
                        "{}: not an RSA or EC public key in PEM form",
                        path.display()
                    ),
                ));
            };
            keys.push(Key {
                kid: None,
                key: key.0,
                algorithm: key.1,
            });
        }
        if let Some(path) = &s.jwks_file {
            let bytes = read_key_file(path)?;
            let set: JwkSet = serde_json::from_slice(&bytes).map_err(|e| {
                Error::invalid(
                    Code::JwtKeyInvalid,
                    format!("{}: not a JWKS document: {e}", path.display()),
                )
            })?;
            for jwk in &set.keys {
                let Some(alg) = jwk_algorithm(jwk) else {
                    continue;
                };
                let key = DecodingKey::from_jwk(jwk).map_err(|e| {
                    Error::invalid(
                        Code::JwtKeyInvalid,
                        format!("{}: key {:?}: {e}", path.display(), jwk.common.key_id),
                    )
                })?;
                keys.push(Key {
                    kid: jwk.common.key_id.clone(),
                    key,
                    algorithm: alg,
                });
            }
        }
        Ok(Verifier {
            keys,
            issuer: s.issuer.clone(),
            audience: s.audience.clone(),
            hs256_secret: s.hs256_secret.as_ref().map(|s| s.as_bytes().to_vec()),
        })
    }

    pub fn has_keys(&self) -> bool {
        !self.keys.is_empty()
    }

    /// Checks a bearer token and returns who it names.
    pub fn verify(&self, token: &str) -> Result<Principal, Error> {
        let bad = |why: &str| Error::Unauthenticated(format!("invalid bearer token: {why}"));
        if self.keys.is_empty() {
            return Err(bad("this service has no token keys configured"));
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| bad("malformed"))?;
        if !ALLOWED.contains(&header.alg) {
            return Err(bad(&format!("algorithm {:?} is not accepted", header.alg)));
        }
        // With a kid, the keys of that kid (and keys without one); without, every key of the algorithm.
        let candidates: Vec<&Key> = self
            .keys
            .iter()
            .filter(|k| {
                k.algorithm == header.alg
                    && (header.kid.is_none() || k.kid.is_none() || k.kid == header.kid)
            })
            .collect();
        if candidates.is_empty() {
            return Err(bad("no key matches its algorithm or key id"));
        }
        let mut validation = Validation::new(header.alg);
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "sub"]);
        if let Some(iss) = &self.issuer {
            validation.set_issuer(&[iss]);
            validation.required_spec_claims.insert("iss".into());
        }
        match &self.audience {
            Some(aud) => {
                validation.set_audience(&[aud]);
                validation.required_spec_claims.insert("aud".into());
            }
            None => validation.validate_aud = false,
        }
        let mut result = Err(jsonwebtoken::errors::ErrorKind::InvalidSignature.into());
        for key in candidates {
            result = jsonwebtoken::decode::<Claims>(token, &key.key, &validation);
            let wrong_key = matches!(
                result.as_ref().map_err(|e| e.kind()),
                Err(jsonwebtoken::errors::ErrorKind::InvalidSignature)
            );
            if !wrong_key {
                break;
            }
        }
        let data = result.map_err(|e: jsonwebtoken::errors::Error| {
            use jsonwebtoken::errors::ErrorKind as K;
            bad(match e.kind() {
                K::ExpiredSignature => "expired",
                K::ImmatureSignature => "not valid yet (nbf)",
                K::InvalidIssuer => "wrong issuer",
                K::InvalidAudience => "wrong audience",
                K::InvalidSignature => "bad signature",
                K::MissingRequiredClaim(_) => "a required claim (exp, sub, iss or aud) is missing",
                _ => "rejected",
            })
        })?;
        principal_from_claims(data.claims)
    }

    /// Mints a token signed with the HS256 secret (for `pac token`); refused without a secret.
    pub fn mint(&self, claims: &Claims) -> Result<String, Error> {
        let secret = self.hs256_secret.as_ref().ok_or_else(|| {
            Error::invalid(
                Code::JwtSecretMissing,
                "minting a token needs an HS256 secret: set --jwt-secret or PAC_JWT_SECRET",
            )
        })?;
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &EncodingKey::from_secret(secret),
        )
        .map_err(|e| Error::internal("signing a token", e))
    }
}

fn read_key_file(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| {
        Error::invalid(
            Code::JwtKeyUnreadable,
            format!("cannot read key file {}: {e}", path.display()),
        )
    })
}

fn jwk_algorithm(jwk: &jsonwebtoken::jwk::Jwk) -> Option<Algorithm> {
    use jsonwebtoken::jwk::{AlgorithmParameters, KeyAlgorithm};
    match (&jwk.common.key_algorithm, &jwk.algorithm) {
        (Some(KeyAlgorithm::RS256), _) => Some(Algorithm::RS256),
        (Some(KeyAlgorithm::ES256), _) => Some(Algorithm::ES256),
        (Some(_), _) => None,
        (None, AlgorithmParameters::RSA(_)) => Some(Algorithm::RS256),
        (None, AlgorithmParameters::EllipticCurve(_)) => Some(Algorithm::ES256),
        (None, _) => None,
    }
}

fn principal_from_claims(c: Claims) -> Result<Principal, Error> {
    let bad = |why: String| Error::Unauthenticated(format!("invalid bearer token: {why}"));
    if c.sub.trim().is_empty() {
        return Err(bad("empty sub".into()));
    }
    let roles = c
        .roles
        .iter()
        .map(|r| Role::parse(r).map_err(|_| bad(format!("unknown role {r:?}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let org = c
        .org
        .as_deref()
        .map(|o| Slug::parse("org", o).map_err(|_| bad(format!("org {o:?} is not a slug"))))
        .transpose()?;
    Ok(Principal::User(User {
        sub: c.sub,
        org,
        roles,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "a-test-secret-that-is-long-enough-0123456789";

    fn verifier() -> Verifier {
        Verifier::new(&KeySettings {
            hs256_secret: Some(SECRET.into()),
            issuer: Some("pac-test".into()),
            ..Default::default()
        })
        .unwrap()
    }

    fn claims(exp_offset: i64) -> Claims {
        let now = jsonwebtoken::get_current_timestamp() as i64;
        Claims {
            sub: "alice".into(),
            org: Some("met".into()),
            roles: vec!["publisher".into()],
            exp: (now + exp_offset) as u64,
            nbf: None,
            iat: None,
            iss: Some("pac-test".into()),
            aud: None,
        }
    }

    #[test]
    fn a_minted_token_verifies() {
        let v = verifier();
        let token = v.mint(&claims(600)).unwrap();
        let Principal::User(u) = v.verify(&token).unwrap() else {
            panic!("expected a user")
        };
        assert_eq!(u.sub, "alice");
        assert_eq!(u.roles, vec![Role::Publisher]);
    }

    #[test]
    fn expired_wrong_issuer_and_unknown_roles_are_refused() {
        let v = verifier();
        let expired = v.mint(&claims(-3600)).unwrap();
        assert!(
            v.verify(&expired)
                .unwrap_err()
                .to_string()
                .contains("expired")
        );
        let mut c = claims(600);
        c.iss = Some("someone-else".into());
        assert!(
            v.verify(&v.mint(&c).unwrap())
                .unwrap_err()
                .to_string()
                .contains("issuer")
        );
        let mut c = claims(600);
        c.roles = vec!["superuser".into()];
        assert!(
            v.verify(&v.mint(&c).unwrap())
                .unwrap_err()
                .to_string()
                .contains("superuser")
        );
    }

    #[test]
    fn unsigned_and_foreign_tokens_are_refused() {
        let v = verifier();
        // alg "none"
        let none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwiZXhwIjo5OTk5OTk5OTk5fQ.";
        assert_eq!(v.verify(none).unwrap_err().code(), "unauthenticated");
        let other = Verifier::new(&KeySettings {
            hs256_secret: Some("another-secret-that-is-long-enough-987654".into()),
            ..Default::default()
        })
        .unwrap();
        let token = other.mint(&claims(600)).unwrap();
        assert!(
            v.verify(&token)
                .unwrap_err()
                .to_string()
                .contains("signature")
        );
    }

    fn keys(name: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/keys")
            .join(name)
    }

    fn sign(alg: Algorithm, kid: Option<&str>, key: &EncodingKey, claims: &Claims) -> String {
        let mut header = Header::new(alg);
        header.kid = kid.map(Into::into);
        jsonwebtoken::encode(&header, claims, key).unwrap()
    }

    #[test]
    fn es256_public_keys_verify_and_refuse_algorithm_confusion() {
        let v = Verifier::new(&KeySettings {
            public_key_pem: Some(keys("es256-public.pem")),
            issuer: Some("pac-test".into()),
            ..Default::default()
        })
        .unwrap();
        let private = std::fs::read(keys("es256-private.pk8.pem")).unwrap();
        let token = sign(
            Algorithm::ES256,
            None,
            &EncodingKey::from_ec_pem(&private).unwrap(),
            &claims(600),
        );
        assert!(matches!(v.verify(&token).unwrap(), Principal::User(_)));
        // An HS256 token "signed" with the public key as a shared secret must not pass.
        let public = std::fs::read(keys("es256-public.pem")).unwrap();
        let forged = sign(
            Algorithm::HS256,
            None,
            &EncodingKey::from_secret(&public),
            &claims(600),
        );
        assert_eq!(v.verify(&forged).unwrap_err().code(), "unauthenticated");
        // Algorithms outside the allow-list are refused before any key is tried.
        let rsa = std::fs::read(keys("rs256-private.pem")).unwrap();
        let ps = sign(
            Algorithm::PS256,
            None,
            &EncodingKey::from_rsa_pem(&rsa).unwrap(),
            &claims(600),
        );
        assert!(
            v.verify(&ps)
                .unwrap_err()
                .to_string()
                .contains("not accepted")
        );
    }

    #[test]
    fn jwks_keys_are_chosen_by_kid() {
        let v = Verifier::new(&KeySettings {
            jwks_file: Some(keys("jwks.json")),
            audience: Some("pac".into()),
            ..Default::default()
        })
        .unwrap();
        let rsa =
            EncodingKey::from_rsa_pem(&std::fs::read(keys("rs256-private.pem")).unwrap()).unwrap();
        let mut c = claims(600);
        c.aud = Some(Audience::Many(vec!["other".into(), "pac".into()]));
        assert!(
            v.verify(&sign(Algorithm::RS256, Some("test-rsa"), &rsa, &c))
                .is_ok()
        );
        let unknown_kid = sign(Algorithm::RS256, Some("other"), &rsa, &c);
        assert!(
            v.verify(&unknown_kid)
                .unwrap_err()
                .to_string()
                .contains("key id")
        );
        c.aud = Some(Audience::One("someone-else".into()));
        assert!(
            v.verify(&sign(Algorithm::RS256, Some("test-rsa"), &rsa, &c))
                .unwrap_err()
                .to_string()
                .contains("audience")
        );
        let mut no_aud = claims(600);
        no_aud.aud = None;
        assert!(
            v.verify(&sign(Algorithm::RS256, Some("test-rsa"), &rsa, &no_aud))
                .is_err()
        );
    }

    #[test]
    fn not_yet_valid_tokens_are_refused() {
        let v = verifier();
        let mut c = claims(7200);
        c.nbf = Some(jsonwebtoken::get_current_timestamp() + 3600);
        assert!(
            v.verify(&v.mint(&c).unwrap())
                .unwrap_err()
                .to_string()
                .contains("nbf")
        );
    }

    #[test]
    fn short_secrets_are_rejected_and_never_printed() {
        let err = Verifier::new(&KeySettings {
            hs256_secret: Some("short".into()),
            ..Default::default()
        })
        .err()
        .unwrap();
        assert_eq!(err.code(), "jwt_secret_too_short");
        let debug = format!(
            "{:?}",
            KeySettings {
                hs256_secret: Some(SECRET.into()),
                ..Default::default()
            }
        );
        assert!(!debug.contains(SECRET));
    }
}
