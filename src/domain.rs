//! The catalogue's words as types: slugs, version labels and the closed vocabularies (visibility,
//! lifecycle, organisation kind, role). Each has a `parse` that rejects bad input with a precise code,
//! so that everything past the edges can trust what it holds.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Code, Error};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        /// A database id that cannot be mistaken for another kind of id; stored as a BIGINT.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::BigInt, DB> for $name
        where
            DB: diesel::backend::Backend,
            i64: diesel::deserialize::FromSql<diesel::sql_types::BigInt, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                i64::from_sql(bytes).map($name)
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::BigInt, DB> for $name
        where
            DB: diesel::backend::Backend,
            i64: diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                self.0.to_sql(out)
            }
        }
    )*};
}
id_type!(
    OrganisationId,
    SystemId,
    ApiId,
    VersionId,
    ContractId,
    ContractVersionId,
    /// A claim that a system implements a contract version.
    ClaimId,
    /// A record that a system consumes an API.
    UseId,
    TenderId,
    BidId,
);

/// A lower-case identifier used in URLs: `a-z`, `0-9` and inner hyphens, 1 to 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub fn parse(field: &str, s: &str) -> Result<Slug, Error> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if ok {
            Ok(Slug(s.to_string()))
        } else {
            Err(Error::invalid_at(
                Code::InvalidSlug,
                format!(
                    "{field} {s:?} is not a slug: use 1 to 64 lower-case letters, digits and inner hyphens"
                ),
                &format!("/{field}"),
            ))
        }
    }

    /// Makes a slug out of any name: lower-cased, runs of other characters become one hyphen, names
    /// too long cut with a hash of the whole. Returns None when nothing usable is left.
    pub fn slugify(s: &str) -> Option<Slug> {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                out.push(c);
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        let mut out = out.trim_end_matches('-').to_string();
        if out.len() > 64 {
            // Long names keep a hash of the whole so that two of them sharing a prefix stay apart.
            use sha2::Digest;
            let digest = hex::encode(sha2::Sha256::digest(s.as_bytes()));
            out.truncate(55);
            out = format!("{}-{}", out.trim_end_matches('-'), &digest[..8]);
        }
        (!out.is_empty()).then_some(Slug(out))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The label of an API version as its owner writes it (`1.0.0`, `v2`, `2022-06-15`): 1 to 64
/// characters from letters, digits and `. _ + -`, starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct VersionLabel(String);

impl VersionLabel {
    pub fn parse(s: &str) -> Result<VersionLabel, Error> {
        let s = s.trim();
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.starts_with(|c: char| c.is_ascii_alphanumeric())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '-'));
        if ok {
            Ok(VersionLabel(s.to_string()))
        } else {
            Err(Error::invalid_at(
                Code::InvalidVersion,
                format!(
                    "version {s:?} is not a version label: use 1 to 64 letters, digits and . _ + -, starting with a letter or digit"
                ),
                "/version",
            ))
        }
    }

    /// A label derived from free text such as `info.version` ("1.0 beta" becomes "1.0-beta").
    pub fn sanitise(s: &str) -> Option<VersionLabel> {
        let cleaned: String = s
            .trim()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '-') {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let cleaned = cleaned.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
        let cleaned: String = cleaned.chars().take(64).collect();
        VersionLabel::parse(&cleaned).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for VersionLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Orders version labels the way people read them: numeric runs compare as numbers, so `v10` comes
/// after `v9` and `1.10.0` after `1.9.2`.
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for ((da, sa), (db, sb)) in ca.iter().zip(cb.iter()) {
        let ord = if *da && *db {
            let (ta, tb) = (sa.trim_start_matches('0'), sb.trim_start_matches('0'));
            ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb))
        } else {
            sa.cmp(sb)
        };
        if ord.is_ne() {
            return ord;
        }
    }
    ca.len().cmp(&cb.len())
}

/// What a version label names, given the latest label of its API or contract and whether a
/// version of exactly that label exists: the label itself, except that `latest` names the latest
/// version when no version is labelled `latest` (APIs.guru has some that are). None when `latest`
/// is asked for and there is no version at all.
pub fn resolve_label<'a>(
    label: &'a str,
    latest: Option<&'a str>,
    exact_exists: bool,
) -> Option<&'a str> {
    if label == "latest" && !exact_exists {
        latest
    } else {
        Some(label)
    }
}

/// The formats a version can be in, as lists and search filter them: `none` is a link-only entry.
pub const SPEC_FORMATS: [&str; 5] = [
    "swagger-2.0",
    "openapi-3.0",
    "openapi-3.1",
    "openapi-3.2",
    "none",
];

/// Lets a PATCH body tell "absent" (leave as is) from `null` (clear).
pub fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Percent-encodes a query-string value, keeping `/` and the unreserved characters readable.
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A whole number given as text, named by `field` when it is not one.
pub fn parse_int(field: &str, value: Option<&str>) -> Result<Option<i64>, Error> {
    value
        .map(|v| {
            v.trim().parse::<i64>().map_err(|_| {
                Error::invalid_at(
                    Code::InvalidQuery,
                    format!("{field} must be a whole number, got {v:?}"),
                    &format!("/{field}"),
                )
            })
        })
        .transpose()
}

/// Longest name of an organisation, system or API, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 20_000;

/// A required, bounded piece of text: a name, a title.
pub fn check_text(field: &str, value: &str, max: usize) -> Result<(), Error> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid_at(
            Code::InvalidField,
            format!("{field} must not be empty"),
            &format!("/{field}"),
        ));
    }
    if value.chars().count() > max {
        return Err(Error::invalid_at(
            Code::InvalidField,
            format!("{field} is longer than {max} characters"),
            &format!("/{field}"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(Error::invalid_at(
            Code::InvalidField,
            format!("{field} contains control characters"),
            &format!("/{field}"),
        ));
    }
    Ok(())
}

/// An absolute http(s) URL of reasonable length. It is stored and shown, never fetched.
pub fn check_url(field: &str, value: &str) -> Result<(), Error> {
    let ok = (value.starts_with("https://") || value.starts_with("http://"))
        && value.len() <= 2048
        && value.len() > "https://".len()
        && !value.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_at(
            Code::InvalidUrl,
            format!(
                "{field} must be an absolute http(s) URL without spaces, at most 2048 characters"
            ),
            &format!("/{field}"),
        ))
    }
}

/// Tags are slugs; at most 32 of them.
pub fn check_tags(tags: &[String]) -> Result<(), Error> {
    if tags.len() > 32 {
        return Err(Error::invalid_at(
            Code::InvalidField,
            "at most 32 tags",
            "/tags",
        ));
    }
    for (i, t) in tags.iter().enumerate() {
        Slug::parse(&format!("tags/{i}"), t)?;
    }
    Ok(())
}

/// Optional free text (a description): bounded, and without control characters other than
/// line breaks and tabs (PostgreSQL refuses NUL in text).
pub fn check_optional_text(field: &str, value: Option<&str>, max: usize) -> Result<(), Error> {
    match value {
        Some(v) if !v.trim().is_empty() => check_text(field, v, max),
        _ => Ok(()),
    }
}

/// Text taken from documents (titles, summaries, descriptions) as it can be stored: NUL, which
/// PostgreSQL refuses in text, becomes U+FFFD. The original bytes are kept untouched elsewhere.
pub fn clean_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('\0') {
        std::borrow::Cow::Owned(s.replace('\0', "\u{FFFD}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $field:literal, $code:expr, { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Result<$name, Error> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(Error::invalid_at(
                        $code,
                        format!(
                            "{} {:?} is not one of: {}",
                            $field,
                            other,
                            [$($text),+].join(", ")
                        ),
                        concat!("/", $field),
                    )),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// Compared with its text, as it is written on the wire.
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        /// Stored as its text; a stored value that is not one of the words is an error, never a
        /// guess.
        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = String::from_sql(bytes)?;
                match text.as_str() {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(
                        "stored {} {:?} is not one of: {}",
                        $field,
                        other,
                        [$($text),+].join(", ")
                    )
                    .into()),
                }
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                self.as_str().to_sql(out)
            }
        }
    };
}

vocabulary!(
    /// What publishing a version with breaking changes does: nothing, warn in the answer, or refuse
    /// it unless its major version is higher than the previous version's.
    CompatPolicy, "compatibility", Code::InvalidCompatibility, {
        Off => "off",
        Warn => "warn",
        Reject => "reject",
    }
);

vocabulary!(
    /// Who may see an API or a system.
    Visibility, "visibility", Code::InvalidVisibility, {
        Public => "public",
        Policing => "policing",
        Restricted => "restricted",
    }
);

vocabulary!(
    /// Where an API is in its life.
    Lifecycle, "lifecycle", Code::InvalidLifecycle, {
        Draft => "draft",
        Active => "active",
        Deprecated => "deprecated",
        Retired => "retired",
    }
);

vocabulary!(
    /// What kind of body an organisation is.
    OrgKind, "kind", Code::InvalidKind, {
        Force => "force",
        Supplier => "supplier",
        NationalBody => "national_body",
        Partner => "partner",
    }
);

vocabulary!(
    /// What an integration with an API replaces: the workaround the strategy wants APIs to end.
    Replaces, "replaces", Code::InvalidReplaces, {
        ManualRekeying => "manual_rekeying",
        ScreenScraping => "screen_scraping",
        Nothing => "nothing",
    }
);

vocabulary!(
    /// Where a claim to implement a contract stands after its last check.
    ClaimStatus, "status", Code::InvalidStatus, {
        Conformant => "conformant",
        NotConformant => "not_conformant",
        Unverified => "unverified",
    }
);

vocabulary!(
    /// Where a tender is: drafted by the buyer, published for bids, closed to bids, awarded.
    TenderLifecycle, "lifecycle", Code::InvalidTenderLifecycle, {
        Draft => "draft",
        Published => "published",
        Closed => "closed",
        Awarded => "awarded",
    }
);

vocabulary!(
    /// Whether a bid stands or its supplier has withdrawn it.
    BidStatus, "status", Code::InvalidStatus, {
        Open => "open",
        Withdrawn => "withdrawn",
    }
);

vocabulary!(
    /// What a token allows. Roles do not imply each other except that `admin` may do everything.
    Role, "role", Code::InvalidRole, {
        Reader => "reader",
        Publisher => "publisher",
        Curator => "curator",
        Admin => "admin",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_accepts_lower_case_and_inner_hyphens() {
        assert!(Slug::parse("slug", "data-police-uk").is_ok());
        for bad in [
            "",
            "-a",
            "a-",
            "Upper",
            "with space",
            "a_b",
            &"x".repeat(65),
        ] {
            let err = Slug::parse("slug", bad).unwrap_err();
            assert_eq!(err.code(), "invalid_slug", "{bad:?}");
        }
    }

    #[test]
    fn slugify_collapses_punctuation() {
        assert_eq!(
            Slug::slugify("googleapis.com / Drive_API")
                .unwrap()
                .as_str(),
            "googleapis-com-drive-api"
        );
        assert!(Slug::slugify("***").is_none());
        let a = Slug::slugify(&format!("{}-first", "x".repeat(70))).unwrap();
        let b = Slug::slugify(&format!("{}-second", "x".repeat(70))).unwrap();
        assert_ne!(a, b, "long names that share a prefix stay apart");
        assert!(a.as_str().len() <= 64 && Slug::parse("slug", a.as_str()).is_ok());
    }

    #[test]
    fn version_labels() {
        assert!(VersionLabel::parse("1.0.0").is_ok());
        assert!(VersionLabel::parse("2022-06-15").is_ok());
        assert_eq!(
            VersionLabel::parse("../etc").unwrap_err().code(),
            "invalid_version"
        );
        assert_eq!(
            VersionLabel::sanitise("1.0 beta (preview)")
                .unwrap()
                .as_str(),
            "1.0-beta--preview-"
        );
    }

    #[test]
    fn versions_compare_numerically() {
        use std::cmp::Ordering::*;
        assert_eq!(compare_versions("v9", "v10"), Less);
        assert_eq!(compare_versions("1.10.0", "1.9.2"), Greater);
        assert_eq!(compare_versions("2.0", "2.0"), Equal);
        assert_eq!(compare_versions("2.0", "2.0.1"), Less);
    }

    #[test]
    fn vocabulary_names_the_allowed_values() {
        let err = Visibility::parse("secret").unwrap_err();
        assert_eq!(err.code(), "invalid_visibility");
        assert!(err.to_string().contains("public, policing, restricted"));
        assert_eq!(
            OrgKind::parse("national_body").unwrap(),
            OrgKind::NationalBody
        );
    }
}
