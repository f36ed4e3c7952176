//! The table of every stable error code the service and `pac` give: each defined once, with its
//! HTTP status and what it means. `docs/API-DESIGN.md` lists exactly these (a test checks it),
//! and the codes of reading a description ([`pac_spec::SpecCode`]) beside them.

use actix_web::http::StatusCode;

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal, $status:literal: $meaning:literal;)+) => {
        /// A stable, snake_case code: part of the API, never renamed.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $($(#[$doc])* $variant),+ }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code),+ }
            }

            /// The HTTP status an answer with this code has.
            pub fn status(self) -> StatusCode {
                let status = match self { $(Code::$variant => $status),+ };
                StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }

            /// One line on what the code means.
            pub fn meaning(self) -> &'static str {
                match self { $(Code::$variant => $meaning),+ }
            }
        }
    };
}

codes! {
    // Anything.
    NotFound = "not_found", 404: "it does not exist, or the caller may not see it (hidden things are never \"forbidden\")";
    Unauthenticated = "unauthenticated", 401: "the bearer token is missing, malformed, expired or not signed by a trusted key, and the action needs one";
    Forbidden = "forbidden", 403: "the caller sees it but their role or organisation may not change it";
    CsrfRejected = "csrf_rejected", 403: "a web form was sent without the anti-forgery token of the page that showed it, or with another one";
    MethodNotAllowed = "method_not_allowed", 405: "the path exists but not with this method (`Allow` lists the methods)";
    PayloadTooLarge = "payload_too_large", 413: "the request body is larger than the limit";
    UnsupportedMediaType = "unsupported_media_type", 415: "the request body is of a kind this endpoint does not take (a form where a description is expected)";
    Conflict = "conflict", 409: "it already exists (another request may have just created it)";
    Unavailable = "unavailable", 503: "the database or the search index cannot be used just now; try again shortly";
    Internal = "internal", 500: "an unexpected error; it is logged with its cause, and the answer says no more";
    BadRequest = "bad_request", 400: "a request refused before it reached the catalogue";
    HttpError = "http_error", 400: "any other HTTP error refused before it reached the catalogue (the status says which)";

    // Requests.
    InvalidJson = "invalid_json", 400: "the request body is not valid JSON (line and column given)";
    InvalidBody = "invalid_body", 400: "the JSON body is well formed but a member is missing, unknown or of the wrong type";
    EmptyBody = "empty_body", 400: "the request body is empty where a description is expected";
    InvalidQuery = "invalid_query", 400: "a query parameter is malformed or out of range (pointer names it)";
    InvalidPath = "invalid_path", 400: "a path segment is malformed";
    InvalidUrl = "invalid_url", 400: "a URL holds a control character, or a URL field is not an absolute http(s) URL";
    InvalidField = "invalid_field", 400: "a text field is empty, too long, or holds control characters";
    InvalidSlug = "invalid_slug", 400: "not a slug: 1 to 64 lower-case letters, digits and inner hyphens";
    InvalidVersion = "invalid_version", 400: "not a version label: 1 to 64 letters, digits and . _ + -";
    InvalidLimit = "invalid_limit", 400: "a list's limit is outside 1 to 500";
    InvalidOffset = "invalid_offset", 400: "a list's offset is negative";
    InvalidSort = "invalid_sort", 400: "a list's sort is not one of the sorts offered";
    InvalidFormat = "invalid_format", 400: "a format asked for is not one of those offered";
    InvalidVisibility = "invalid_visibility", 400: "not one of public, policing, restricted";
    InvalidLifecycle = "invalid_lifecycle", 400: "not one of draft, active, deprecated, retired";
    InvalidKind = "invalid_kind", 400: "not one of the kinds offered (organisations: force, supplier, national_body, partner)";
    InvalidCompatibility = "invalid_compatibility", 400: "not one of off, warn, reject";
    InvalidReplaces = "invalid_replaces", 400: "not one of manual_rekeying, screen_scraping, nothing";
    InvalidStatus = "invalid_status", 400: "not one of conformant, not_conformant, unverified";
    InvalidRole = "invalid_role", 400: "not one of reader, publisher, curator, admin";
    InvalidTier = "invalid_tier", 400: "not one of the interoperability tiers: bronze, silver, gold (or none in search)";
    InvalidHours = "invalid_hours", 400: "hours saved a month need a workaround replaced and lie between 0 and 100,000";
    QuerySyntax = "query_syntax", 400: "a search query is not well formed (column given)";
    UnknownRuleset = "unknown_ruleset", 400: "the ruleset asked for is not offered";

    // The catalogue's rules.
    VersionRequired = "version_required", 400: "no version label given and `info.version` cannot be one";
    ContractEmpty = "contract_empty", 400: "a contract description without operations: nothing to implement";
    ApiNotOfSystem = "api_not_of_system", 400: "a claim names an API that does not belong to the system";
    SystemOfOtherOwner = "system_of_other_owner", 400: "an API's system belongs to another organisation than the API";
    NoDescription = "no_description", 422: "a link-only version has no description to compare or read";
    OrganisationExists = "organisation_exists", 409: "an organisation with that slug exists";
    SystemExists = "system_exists", 409: "a system with that slug exists";
    ApiExists = "api_exists", 409: "an API with that slug exists";
    ContractExists = "contract_exists", 409: "a contract with that slug exists";
    ImplementationExists = "implementation_exists", 409: "the system already claims that contract version (through another API)";
    VersionConflict = "version_conflict", 409: "that version label exists with other content: versions never change";
    BreakingChange = "breaking_change", 409: "the API's policy rejects breaking changes without a higher major version";

    // Procurement.
    TenderExists = "tender_exists", 409: "a tender with that slug exists";
    TenderPackUnreadable = "tender_pack_unreadable", 400: "a requirement pack is too large, not UTF-8 or not YAML";
    TenderPackInvalid = "tender_pack_invalid", 400: "a requirement pack's shape or values are wrong (the field and requirement are named)";
    TenderRuleUnknown = "tender_rule_unknown", 400: "a requirement pack names a rule the standard in force does not have";
    TenderContractUnreadable = "tender_contract_unreadable", 400: "a contract a requirement pack names cannot be read or has no operations";
    TenderContractNotAvailable = "tender_contract_not_available", 400: "a requirement pack names a contract that cannot be had where it is checked (a file in the catalogue, a stored contract offline)";
    TenderNotOpen = "tender_not_open", 409: "the tender's lifecycle does not allow this now (bids need a published tender, packs a tender not closed)";
    InvalidTenderLifecycle = "invalid_tender_lifecycle", 400: "not one of the tender lifecycles offered here: published, closed (awarding is its own action)";
    TenderPackRequired = "tender_pack_required", 409: "the tender has no requirement pack yet";
    BidWithdrawn = "bid_withdrawn", 409: "the bid has been withdrawn: nothing more can be added or scored";
    InvalidScore = "invalid_score", 400: "a score names no manual requirement of the pack, or is off its scale";
    BidNotEvaluated = "bid_not_evaluated", 409: "the bid has no API description yet, so there is no evaluation";
    AwardRefused = "award_refused", 409: "the bid cannot be awarded: withdrawn, not evaluated, a MUST not met, a score still to give, or its records would clash with others' (the message says which)";

    // The command line and configuration.
    ContractNotFound = "contract_not_found", 400: "pac conform: --contract is neither a file nor a contract in the store";
    OwnerRequired = "owner_required", 400: "pac import: a description outside the <provider>/<version>/openapi.yaml layout needs --owner";
    SlugRequired = "slug_required", 400: "pac import: no usable API slug from the folder or `info.title`";
    SlugExhausted = "slug_exhausted", 400: "pac import: no free slug left for an entry of another catalogue";
    ApiOwnedByOther = "api_owned_by_other", 400: "pac import: the API exists and belongs to another organisation";
    InvalidMetadata = "invalid_metadata", 400: "pac import: a catalogue file (organisations.yaml, api.yaml, …) is not what its format says";
    RulesetInvalid = "ruleset_invalid", 400: "pac lint: the ruleset cannot be read or is not a valid ruleset";
    LintInternal = "lint_internal", 500: "pac lint: the check stopped unexpectedly on one file (a bug; the others are checked)";
    StandardInvalid = "standard_invalid", 400: "pac serve --standard: the file is not a ruleset that can score";
    InvalidTtl = "invalid_ttl", 400: "pac token: --ttl is not seconds or a number with s, m, h or d, at most 30 days";
    InvalidDatabaseUrl = "invalid_database_url", 400: "--database-url is not a postgres:// URL";
    DataDirUnusable = "data_dir_unusable", 400: "--data-dir cannot be created or written";
    BindFailed = "bind_failed", 400: "pac serve cannot listen on the address given";
    JwtSecretMissing = "jwt_secret_missing", 400: "pac token needs --jwt-secret";
    JwtSecretTooShort = "jwt_secret_too_short", 400: "the HS256 secret is shorter than 32 bytes";
    JwtKeyUnreadable = "jwt_key_unreadable", 400: "a --jwt-public-key or --jwks-file cannot be read";
    JwtKeyInvalid = "jwt_key_invalid", 400: "a token key is not a usable RS256/ES256 PEM or JWKS";
    CookieKeyTooShort = "cookie_key_too_short", 400: "pac serve: the cookie key is shorter than 32 bytes";
    OidcInvalid = "oidc_invalid", 400: "pac serve: the OpenID Connect settings are incomplete or not usable (the message names which)";
    JudgedUnreadable = "judged_unreadable", 400: "the relevance harness's judged queries cannot be read";
    JudgedInvalid = "judged_invalid", 400: "the relevance harness's judged queries are not in its format";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status a code of reading a description answers with: 413 for a size limit, 500 for a bug of
/// the reader, 422 (well-formed request, unusable description) otherwise.
pub fn spec_status(code: pac_spec::SpecCode) -> StatusCode {
    use pac_spec::SpecCode;
    match code {
        SpecCode::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        SpecCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// Every code with its status and meaning, the service's own first: what the documentation lists.
pub fn table() -> Vec<(&'static str, u16, &'static str)> {
    let own = Code::ALL
        .iter()
        .map(|c| (c.as_str(), c.status().as_u16(), c.meaning()));
    let spec = pac_spec::SpecCode::ALL
        .iter()
        .map(|c| (c.as_str(), spec_status(*c).as_u16(), c.meaning()));
    own.chain(spec).collect()
}

/// The error-code table as `docs/API-DESIGN.md` shows it (one Markdown row a code).
pub fn markdown_table() -> String {
    let mut out = String::from("| code | status | meaning |\n|---|---|---|\n");
    for (code, status, meaning) in table() {
        out.push_str(&format!("| `{code}` | {status} | {meaning} |\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documentation lists exactly the codes of the table, each with its status and meaning.
    /// `PAC_WRITE_DOCS=1 cargo test -p police-api-catalogue error::codes` writes the table into it.
    #[test]
    fn api_design_lists_exactly_these_codes() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/API-DESIGN.md");
        let doc = std::fs::read_to_string(&path).expect("docs/API-DESIGN.md");
        let start = "<!-- error codes: generated from src/error/codes.rs -->\n";
        let end = "<!-- end of error codes -->";
        let (Some(a), Some(b)) = (doc.find(start), doc.find(end)) else {
            panic!("docs/API-DESIGN.md has no error-code table between {start:?} and {end:?}");
        };
        let listed = &doc[a + start.len()..b];
        let wanted = markdown_table();
        if listed != wanted && std::env::var_os("PAC_WRITE_DOCS").is_some() {
            let updated = format!("{}{wanted}{}", &doc[..a + start.len()], &doc[b..]);
            std::fs::write(&path, updated).expect("write docs/API-DESIGN.md");
            return;
        }
        let codes = |text: &str| -> Vec<String> {
            text.lines()
                .filter_map(|l| l.strip_prefix("| `"))
                .filter_map(|l| l.split('`').next().map(str::to_owned))
                .collect()
        };
        let (have, want) = (codes(listed), codes(&wanted));
        let missing: Vec<_> = want.iter().filter(|c| !have.contains(c)).collect();
        let extra: Vec<_> = have.iter().filter(|c| !want.contains(c)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "docs/API-DESIGN.md misses {missing:?} and lists unknown {extra:?}"
        );
        assert_eq!(
            listed, wanted,
            "statuses or meanings differ: run PAC_WRITE_DOCS=1 cargo test api_design_lists"
        );
    }

    #[test]
    fn every_code_is_defined_once() {
        let mut seen = std::collections::HashSet::new();
        for (code, status, meaning) in table() {
            assert!(seen.insert(code), "{code} is defined twice");
            assert!((400..600).contains(&status), "{code}: {status}");
            assert!(meaning.len() > 10, "{code} says too little");
        }
    }
}
