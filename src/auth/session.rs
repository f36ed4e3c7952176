//! Sessions of the web catalogue, and the secrets of signing in.
//!
//! A session id is 256 random bits, given to the browser once (in the `pac_session` cookie) and
//! stored only as its SHA-256, with the principal it stands for, its expiry and a CSRF token that
//! every state-changing form of the session carries. Before there is a session, the sign-in
//! form's CSRF token is a signed double-submit value and the OpenID Connect flow's state, nonce
//! and PKCE verifier travel in a sealed (AES-256-GCM) short-lived cookie, both keyed by the
//! [`CookieKey`]. Session ids, tokens and keys are never logged.

use std::time::Duration;

use aws_lc_rs::{aead, hmac, rand};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use sha2::{Digest, Sha256};

use super::{Principal, User};
use crate::domain::{Role, Slug};
use crate::error::{Code, Error};
use crate::store::Store;
use crate::store::sessions::{self, SessionRow};

/// How the web catalogue signs people in and keeps them signed in.
pub struct SignInSettings {
    /// Absolute lifetime of a session.
    pub session_ttl: Duration,
    /// Cookies are `Secure` always (the service is reached over TLS through a proxy).
    pub behind_tls: bool,
    /// Cookies are `Secure` when `X-Forwarded-Proto: https` (set by a proxy we trust).
    pub trust_forwarded_proto: bool,
    /// Whether `/sign-in` offers the form for a pasted bearer token.
    pub token_sign_in: bool,
    pub key: CookieKey,
    /// Sign-in with an OpenID Connect provider, when configured.
    pub oidc: Option<super::oidc::Oidc>,
}

impl Default for SignInSettings {
    /// 8 hours, plain HTTP, the token form, a random key and no OpenID provider (tests, local use).
    fn default() -> Self {
        SignInSettings {
            session_ttl: DEFAULT_SESSION_TTL,
            behind_tls: false,
            trust_forwarded_proto: false,
            token_sign_in: true,
            key: CookieKey::random(),
            oidc: None,
        }
    }
}

pub const DEFAULT_SESSION_TTL: Duration = Duration::from_secs(8 * 3600);

/// 256 random bits, URL-safe base64 (43 characters).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The system's random source failing is not something a request can recover from.
    rand::fill(&mut bytes).expect("system random source");
    B64.encode(bytes)
}

/// What the store keeps of a session id.
pub fn id_hash(id: &str) -> String {
    hex::encode(Sha256::digest(id.as_bytes()))
}

/// Equal, in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A live session as a page sees it.
#[derive(Debug, Clone)]
pub struct Live {
    pub principal: Principal,
    pub name: String,
    pub csrf: String,
}

/// How a session was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Token,
    Oidc,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Token => "token",
            Method::Oidc => "oidc",
        }
    }
}

/// Opens a session for `user`; returns its id, for the cookie only.
pub fn open(
    store: &Store,
    user: &User,
    name: &str,
    method: Method,
    ttl: Duration,
) -> Result<String, Error> {
    let id = random_token();
    let now = crate::store::now();
    let ttl = chrono::Duration::from_std(ttl).map_err(|e| Error::internal("session ttl", e))?;
    let row = SessionRow {
        id_sha256: id_hash(&id),
        subject: user.sub.clone(),
        organisation: user.org.as_ref().map(|o| o.as_str().to_string()),
        roles: user
            .roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(","),
        display_name: name.to_string(),
        csrf_token: random_token(),
        method: method.as_str().to_string(),
        created_at: now,
        expires_at: now + ttl,
    };
    store.write(|conn| sessions::insert(conn, &row, now))?;
    tracing::info!(
        session.method = method.as_str(),
        user.sub = %user.sub,
        user.org = user.org.as_ref().map(|o| o.as_str()).unwrap_or(""),
        "session opened"
    );
    Ok(id)
}

/// The live session of a cookie's id; `None` when unknown or expired (an expired one is deleted).
pub fn resolve(store: &Store, id: &str) -> Result<Option<Live>, Error> {
    // Not one of ours: no need to ask the database.
    if id.len() != 43 {
        return Ok(None);
    }
    let hash = id_hash(id);
    // A read: every page a signed-in person opens comes here, and SQLite has one writer.
    let Some(row) = store.read(|conn| sessions::find(conn, &hash))? else {
        return Ok(None);
    };
    if row.expires_at <= crate::store::now() {
        store.write(|conn| sessions::delete(conn, &hash))?;
        return Ok(None);
    }
    let roles = row
        .roles
        .split(',')
        .filter(|r| !r.is_empty())
        .map(Role::parse)
        .collect::<Result<Vec<_>, _>>()?;
    let org = row
        .organisation
        .as_deref()
        .map(|o| Slug::parse("organisation", o))
        .transpose()?;
    Ok(Some(Live {
        principal: Principal::User(User {
            sub: row.subject,
            org,
            roles,
        }),
        name: row.display_name,
        csrf: row.csrf_token,
    }))
}

/// The organisation named by an identity provider, when it is a slug the catalogue knows.
pub fn known_organisation(store: &Store, org: &str) -> Result<Option<Slug>, Error> {
    let Ok(slug) = Slug::parse("organisation", org) else {
        return Ok(None);
    };
    let found = store.read(|c| crate::store::organisations::find(c, slug.as_str()))?;
    Ok(found.map(|_| slug))
}

/// Ends the session of a cookie's id, if there is one.
pub fn close(store: &Store, id: &str) -> Result<(), Error> {
    let hash = id_hash(id);
    store.write(|conn| sessions::delete(conn, &hash))?;
    Ok(())
}

/// The key of the cookies used before a session exists: it signs the sign-in form's CSRF value
/// and seals the OpenID Connect flow's secrets. Several instances behind one address need the same
/// key (`--cookie-key`); without one, each start makes its own and sign-ins in flight are lost.
pub struct CookieKey {
    sign: hmac::Key,
    seal: aead::LessSafeKey,
}

/// Shortest configured cookie key accepted.
pub const MIN_KEY_BYTES: usize = 32;

impl CookieKey {
    pub fn from_secret(secret: &[u8]) -> Result<CookieKey, Error> {
        if secret.len() < MIN_KEY_BYTES {
            return Err(Error::invalid(
                Code::CookieKeyTooShort,
                format!(
                    "the cookie key (--cookie-key / PAC_COOKIE_KEY) must be at least {MIN_KEY_BYTES} bytes, got {}",
                    secret.len()
                ),
            ));
        }
        // One key per purpose, derived so that neither use can stand in for the other.
        let root = hmac::Key::new(hmac::HMAC_SHA256, secret);
        let derive = |purpose: &[u8]| hmac::sign(&root, purpose);
        let sign = hmac::Key::new(hmac::HMAC_SHA256, derive(b"pac sign-in form").as_ref());
        let seal_bytes = derive(b"pac openid connect flow");
        let unbound = aead::UnboundKey::new(&aead::AES_256_GCM, seal_bytes.as_ref())
            .map_err(|_| Error::internal("cookie key", "AES-256-GCM key"))?;
        Ok(CookieKey {
            sign,
            seal: aead::LessSafeKey::new(unbound),
        })
    }

    pub fn random() -> CookieKey {
        let mut secret = [0u8; 32];
        rand::fill(&mut secret).expect("system random source");
        CookieKey::from_secret(&secret).expect("32 bytes is long enough")
    }

    /// The tag a form carries for the double-submit `value` of its cookie.
    pub fn sign(&self, value: &str) -> String {
        B64.encode(hmac::sign(&self.sign, value.as_bytes()))
    }

    pub fn verify(&self, value: &str, tag: &str) -> bool {
        match B64.decode(tag) {
            Ok(tag) => hmac::verify(&self.sign, value.as_bytes(), &tag).is_ok(),
            Err(_) => false,
        }
    }

    /// Encrypts and authenticates `plain` for a cookie.
    pub fn seal(&self, plain: &[u8]) -> String {
        let mut nonce = [0u8; aead::NONCE_LEN];
        rand::fill(&mut nonce).expect("system random source");
        let mut data = plain.to_vec();
        self.seal
            .seal_in_place_append_tag(
                aead::Nonce::assume_unique_for_key(nonce),
                aead::Aad::empty(),
                &mut data,
            )
            .expect("AES-GCM sealing of a small cookie");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&data);
        B64.encode(out)
    }

    /// What [`CookieKey::seal`] sealed; `None` when tampered with or sealed by another key.
    pub fn open(&self, sealed: &str) -> Option<Vec<u8>> {
        let bytes = B64.decode(sealed).ok()?;
        if bytes.len() < aead::NONCE_LEN {
            return None;
        }
        let (nonce, data) = bytes.split_at(aead::NONCE_LEN);
        let nonce = aead::Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut data = data.to_vec();
        let plain = self
            .seal
            .open_in_place(nonce, aead::Aad::empty(), &mut data)
            .ok()?;
        Some(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_random_and_stored_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(id_hash(&a).len(), 64);
        assert_ne!(id_hash(&a), a);
    }

    #[test]
    fn signed_values_and_sealed_cookies_need_the_key() {
        let key = CookieKey::random();
        let tag = key.sign("value");
        assert!(key.verify("value", &tag));
        assert!(!key.verify("other", &tag));
        assert!(!CookieKey::random().verify("value", &tag));
        let sealed = key.seal(b"secret");
        assert_eq!(key.open(&sealed).as_deref(), Some(&b"secret"[..]));
        assert!(CookieKey::random().open(&sealed).is_none());
        let mut tampered = sealed.into_bytes();
        let last = tampered.len() - 2;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        assert!(key.open(&String::from_utf8(tampered).unwrap()).is_none());
        assert_eq!(
            CookieKey::from_secret(b"short").err().unwrap().code(),
            "cookie_key_too_short"
        );
    }

    #[test]
    fn comparison_is_exact() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }
}
