//! `pac token`: mints a token with the HS256 secret, for local use.

use std::process::ExitCode;
use std::time::Duration;

use crate::auth::jwt::{Claims, Verifier};
use crate::config::TokenArgs;
use crate::domain::Slug;
use crate::error::{Code, Error};

pub(super) fn token(args: TokenArgs) -> Result<ExitCode, Error> {
    let verifier = Verifier::new(&args.auth.key_settings())?;
    let ttl = parse_ttl(&args.ttl)?;
    if let Some(org) = &args.org {
        Slug::parse("org", org)?;
    }
    let now = jsonwebtoken::get_current_timestamp();
    let claims = Claims {
        sub: args.sub,
        org: args.org,
        roles: args.roles,
        exp: now + ttl.as_secs(),
        nbf: Some(now),
        iat: Some(now),
        iss: args.auth.jwt_issuer,
        aud: args.auth.jwt_audience.map(crate::auth::jwt::Audience::One),
    };
    println!("{}", verifier.mint(&claims)?);
    Ok(ExitCode::SUCCESS)
}

/// `3600`, `90s`, `30m`, `8h`, `7d`; at most 30 days.
pub fn parse_ttl(s: &str) -> Result<Duration, Error> {
    let bad = || {
        Error::invalid(
            Code::InvalidTtl,
            format!("--ttl {s:?}: use seconds or a number with s, m, h or d, at most 30d"),
        )
    };
    let s = s.trim();
    let (digits, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&s[..i], &s[i..]),
        None => (s, "s"),
    };
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let secs = match unit {
        "s" => n,
        "m" => n.checked_mul(60).ok_or_else(bad)?,
        "h" => n.checked_mul(3600).ok_or_else(bad)?,
        "d" => n.checked_mul(86_400).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    if secs == 0 || secs > 30 * 86_400 {
        return Err(bad());
    }
    Ok(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_units() {
        assert_eq!(parse_ttl("90").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_ttl("30m").unwrap(), Duration::from_secs(1800));
        assert_eq!(parse_ttl("8h").unwrap(), Duration::from_secs(28_800));
        for bad in ["", "0", "31d", "5w", "h", "-1"] {
            assert_eq!(parse_ttl(bad).unwrap_err().code(), "invalid_ttl", "{bad:?}");
        }
    }
}
