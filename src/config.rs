//! The command line and its configuration: one typed struct per concern, every flag also read from a
//! `PAC_*` environment variable, every default stated in `--help`. Secrets (the JWT secret, the
//! database URL) are never echoed back by `--help` or logged.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use pac_spec::Limits;

/// The Police API Catalogue: publish, find and judge the APIs of policing systems.
///
/// Stores OpenAPI descriptions (every version kept) in an embedded SQLite store under --data-dir, or in
/// PostgreSQL when --database-url is a postgres:// URL, and serves them over HTTP.
#[derive(Debug, Parser)]
#[command(name = "pac", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub store: StoreArgs,

    /// Log filter (tracing's EnvFilter syntax), e.g. info, debug, pac=debug,actix_web=warn.
    #[arg(long, env = "PAC_LOG", default_value = "info", global = true)]
    pub log: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the HTTP service. On the first start of an empty store it loads the seed catalogue.
    // Boxed: its flags (sign-in, OpenID Connect) make it much larger than the other commands.
    Serve(Box<ServeArgs>),
    /// Apply pending database migrations and exit (serve and import apply them too).
    Migrate,
    /// Import OpenAPI descriptions, catalogue directories and UK Government API Catalogue files.
    ///
    /// A directory holding organisations.yaml / systems.yaml / apis/ is a catalogue; any other
    /// directory is walked for openapi.* and swagger.* files in the <provider>/[<service>/]<version>/
    /// layout (APIs.guru); a file named here is one version of the API named by its info.title.
    /// Exit status: 0 when nothing was rejected, 1 when something was, 2 on a usage error.
    Import(ImportArgs),
    /// Mint a bearer token signed with the HS256 secret (for local use and tests).
    Token(TokenArgs),
    /// Search the catalogue from the command line, as GET /api/v1/search does.
    ///
    /// Query syntax: words (documents matching more of them rank higher), "a phrase", +required,
    /// -excluded, field:word with field one of name, summary, path, description, param, property,
    /// tag, media. Shows what an anonymous caller sees unless --all is given.
    /// Exit status: 0 with hits, 1 without, 2 on a bad query.
    Search(SearchArgs),
    /// Rebuild the search index from the store (stop `pac serve` first: the index has one writer).
    Reindex(ReindexArgs),
    /// Compare two versions of a description: what does NEW break for callers of OLD?
    ///
    /// Each file may be JSON or YAML (Swagger 2.0 or OpenAPI 3.x; the two sides may differ), with
    /// relative $refs to files beside it, or a .zip / .tar.gz bundle. Needs no store.
    /// Exit status: 1 when a change reaches --fail-on, 0 otherwise, 2 when a file cannot be read.
    Diff(DiffArgs),
    /// Check descriptions against a ruleset: the police API standard unless --ruleset says otherwise.
    ///
    /// Each file may be JSON or YAML (Swagger 2.0 or OpenAPI 3.x), with relative $refs to files
    /// beside it, or a .zip / .tar.gz bundle. Findings give the rule, severity, message, JSON
    /// pointer and line:column in the original file; with a standard, also the kitemark and the
    /// 0-100 score. Needs no store.
    /// Exit status: 1 when an error-severity finding (a MUST rule of the standard) is present, 0
    /// otherwise, 2 when a file or the ruleset cannot be read.
    Lint(LintArgs),
    /// Check that an implementation provides what an interoperability contract asks for.
    ///
    /// Every operation of the contract must be in the implementation (same method and path
    /// template; path parameter names may differ) with compatible requests and responses: the
    /// implementation must accept every request the contract allows and answer as the contract
    /// promises. What the implementation adds is allowed. FILE may be JSON or YAML (Swagger 2.0 or
    /// OpenAPI 3.x), with relative $refs, or a .zip / .tar.gz bundle. --contract is a file of the
    /// same kinds, or the slug of a contract in the store (SLUG or SLUG@VERSION; default the
    /// latest version), read from --data-dir or --database-url.
    /// Exit status: 0 when FILE conforms, 1 when it does not, 2 when a file or the contract cannot
    /// be read.
    Conform(ConformArgs),
    /// Tender requirement packs: check a bid's API descriptions against a pack, or write the
    /// pack's documents (tender text, compliance matrix, OCDS release). Needs no store.
    ///
    /// A pack (YAML) lists numbered requirements, each MUST (pass/fail) or SHOULD (scored by its
    /// weight), assessed by a contract, by the police API standard, or by an evaluator (manual).
    /// docs/PROCUREMENT.md explains how to write one.
    #[command(subcommand)]
    Tender(TenderCommand),
}

#[derive(Debug, Subcommand)]
pub enum TenderCommand {
    /// Evaluate a bid's API descriptions against a requirement pack, as the catalogue would.
    ///
    /// Each FILE is one API description of the solution (JSON or YAML, Swagger 2.0 or OpenAPI 3.x,
    /// with relative $refs, or a .zip / .tar.gz bundle). A contract requirement is met when some
    /// FILE conforms to the contract; a standard requirement must hold for every FILE (the built-in
    /// police API standard); a manual requirement needs review unless --score gives its score.
    /// Contracts must be files named in the pack (relative to it): a contract named by slug needs
    /// the catalogue.
    /// Exit status: 0 when no MUST requirement is not met, 1 when one is, 2 when the pack, a
    /// contract, a file or a score cannot be read.
    Check(TenderCheckArgs),
    /// Write a requirement pack's documents: the tender text (markdown, docx), the compliance
    /// matrix bidders fill in (csv, xlsx), or the tender as an OCDS 1.1 release package with the
    /// Requirements and Bid extensions (ocds).
    ///
    /// docx and xlsx are binary: give -o FILE, or redirect standard output away from a terminal.
    /// Exit status: 0 when written, 2 when the pack cannot be read or the file cannot be written.
    Export(TenderExportArgs),
}

#[derive(Debug, Clone, Args)]
pub struct TenderCheckArgs {
    /// The requirement pack (YAML).
    #[arg(long, env = "PAC_TENDER_PACK", value_name = "PACK")]
    pub pack: PathBuf,

    /// The bid's API descriptions.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Who the bid is from, for the report.
    #[arg(long, env = "PAC_TENDER_BID", default_value = "bid")]
    pub bid: String,

    /// An evaluator's score of a manual requirement, ID=SCORE (API-5=3); may be repeated.
    #[arg(long = "score", value_name = "ID=SCORE")]
    pub scores: Vec<String>,

    /// Output: a summary for people, the JSON report, or the Markdown evaluation report.
    #[arg(long, env = "PAC_TENDER_FORMAT", value_enum, default_value_t = TenderCheckFormat::Text)]
    pub format: TenderCheckFormat,

    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TenderCheckFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Args)]
pub struct TenderExportArgs {
    /// The requirement pack (YAML).
    #[arg(long, env = "PAC_TENDER_PACK", value_name = "PACK")]
    pub pack: PathBuf,

    /// What to write: the tender text (markdown, docx), the compliance matrix (csv, xlsx), or the
    /// OCDS release package (ocds).
    #[arg(long, value_enum)]
    pub format: TenderExportFormat,

    /// The file to write; standard output when not given (refused for docx and xlsx on a terminal).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The OCID prefix of the OCDS release (the publisher's, registered with the Open Contracting
    /// Partnership).
    #[arg(long, env = "PAC_OCID_PREFIX", default_value = "ocds-pac")]
    pub ocid_prefix: String,

    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TenderExportFormat {
    Markdown,
    Docx,
    Csv,
    Xlsx,
    Ocds,
}

#[derive(Clone, Args)]
pub struct StoreArgs {
    /// Folder of the embedded SQLite store (created if missing).
    #[arg(long, env = "PAC_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// PostgreSQL URL (postgres://user:password@host/db); when set it is used instead of SQLite.
    #[arg(long, env = "PAC_DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,

    /// Database connections in the pool.
    #[arg(long, env = "PAC_POOL_SIZE", default_value_t = 8, global = true)]
    pub pool_size: u32,

    /// Folder of the search index (derived from the store; rebuilt by `pac reindex`).
    /// Default: <data-dir>/index.
    #[arg(long, env = "PAC_INDEX_DIR", global = true)]
    pub index_dir: Option<PathBuf>,
}

impl StoreArgs {
    pub fn index_dir(&self) -> PathBuf {
        self.index_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("index"))
    }
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "PAC_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,

    /// The police API standard to evaluate versions against: a ruleset file in Spectral's format
    /// with x-pac levels and categories. Default: the built-in police-api-standard. When its
    /// version changes, stored versions are evaluated again in the background (old results kept).
    #[arg(long, env = "PAC_STANDARD")]
    pub standard: Option<PathBuf>,

    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "PAC_WORKERS")]
    pub workers: Option<usize>,

    /// Seed catalogue loaded on the first start of an empty store.
    #[arg(long, env = "PAC_CATALOGUE_DIR", default_value = "catalogue")]
    pub catalogue_dir: PathBuf,

    /// Do not load the seed catalogue, even into an empty store.
    #[arg(long, env = "PAC_NO_SEED")]
    pub no_seed: bool,

    /// Search answers kept in memory (per query, filters and caller's view; emptied by every
    /// index commit). 0 turns the cache off.
    #[arg(long, env = "PAC_SEARCH_CACHE", default_value_t = 4096)]
    pub search_cache: usize,

    /// Memory (MB, estimated) for parsed descriptions kept for the web catalogue's reference
    /// pages, least recently used out first. 0 turns the cache off: every page parses again.
    #[arg(long, env = "PAC_REFERENCE_CACHE_MB", default_value_t = 256)]
    pub reference_cache_mb: usize,

    #[command(flatten)]
    pub auth: AuthArgs,

    #[command(flatten)]
    pub sign_in: SignInArgs,

    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Signing in to the web catalogue: sessions, their cookies, and OpenID Connect.
#[derive(Clone, Args)]
pub struct SignInArgs {
    /// How long a web session lasts after signing in, whatever is done in it: seconds, or a
    /// number with s, m, h or d (at most 30 days).
    #[arg(long, env = "PAC_SESSION_TTL", default_value = "8h")]
    pub session_ttl: String,

    /// The service is reached over HTTPS through a proxy that ends TLS: session and sign-in
    /// cookies are always marked Secure.
    #[arg(long, env = "PAC_BEHIND_TLS")]
    pub behind_tls: bool,

    /// Mark cookies Secure when a request says `X-Forwarded-Proto: https`. Only set it when every
    /// request comes through a proxy that sets that header itself.
    #[arg(long, env = "PAC_TRUST_FORWARDED_PROTO")]
    pub trust_forwarded_proto: bool,

    /// Key (at least 32 bytes) of the short-lived cookies used while signing in (the sign-in
    /// form's anti-forgery value, the OpenID Connect flow's secrets). Give every instance behind
    /// one address the same key. Default: a random key at each start.
    #[arg(long, env = "PAC_COOKIE_KEY", hide_env_values = true)]
    pub cookie_key: Option<String>,

    /// Do not offer signing in with a pasted bearer token at /sign-in (OpenID Connect only).
    /// Bearer tokens still work in the Authorization header.
    #[arg(long, env = "PAC_NO_TOKEN_SIGN_IN")]
    pub no_token_sign_in: bool,

    /// OpenID Connect issuer URL (its /.well-known/openid-configuration is read at the first
    /// sign-in). Setting it turns on "Sign in with …" and needs --oidc-client-id and
    /// --oidc-redirect-url.
    #[arg(long, env = "PAC_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,

    /// Client id of this service at the OpenID provider.
    #[arg(long, env = "PAC_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,

    /// Client secret at the OpenID provider; prefer the environment variable or
    /// --oidc-client-secret-file to a flag, which other users of the machine may see.
    #[arg(long, env = "PAC_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,

    /// File holding the client secret (surrounding white space ignored).
    #[arg(long, env = "PAC_OIDC_CLIENT_SECRET_FILE")]
    pub oidc_client_secret_file: Option<PathBuf>,

    /// This service's callback as registered at the provider:
    /// https://<host>/sign-in/oidc/callback.
    #[arg(long, env = "PAC_OIDC_REDIRECT_URL")]
    pub oidc_redirect_url: Option<String>,

    /// Scopes asked for (openid is always asked for); separate them with commas.
    #[arg(
        long,
        env = "PAC_OIDC_SCOPES",
        value_delimiter = ',',
        default_value = "openid,profile,email"
    )]
    pub oidc_scopes: Vec<String>,

    /// The provider's name on the sign-in button: "Sign in with <name>".
    #[arg(
        long,
        env = "PAC_OIDC_PROVIDER_NAME",
        default_value = "your organisation's account"
    )]
    pub oidc_provider_name: String,

    /// ID token claim holding the organisation's slug (a dotted path reaches into objects). A
    /// person whose organisation is missing or not in the catalogue is refused.
    #[arg(long, env = "PAC_OIDC_ORG_CLAIM", default_value = "org")]
    pub oidc_org_claim: String,

    /// ID token claim holding roles or groups: a list, or one string of values separated by
    /// spaces or commas (a dotted path reaches into objects, e.g. realm_access.roles).
    #[arg(long, env = "PAC_OIDC_ROLES_CLAIM", default_value = "roles")]
    pub oidc_roles_claim: String,

    /// VALUE=ROLE: a value of the roles claim that gives a role (reader, publisher, curator,
    /// admin); repeat, or separate with commas. Without any, values that are role names give
    /// those roles.
    #[arg(long = "oidc-role", env = "PAC_OIDC_ROLES", value_delimiter = ',')]
    pub oidc_roles: Vec<String>,

    /// Role of a person whose claims give none.
    #[arg(long, env = "PAC_OIDC_DEFAULT_ROLE", value_parser = ["reader", "publisher", "curator", "admin"], default_value = "reader")]
    pub oidc_default_role: String,
}

/// Never prints the cookie key or the client secret.
impl std::fmt::Debug for SignInArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redacted = |o: &Option<String>| o.as_ref().map(|_| "<redacted>");
        f.debug_struct("SignInArgs")
            .field("session_ttl", &self.session_ttl)
            .field("behind_tls", &self.behind_tls)
            .field("trust_forwarded_proto", &self.trust_forwarded_proto)
            .field("cookie_key", &redacted(&self.cookie_key))
            .field("no_token_sign_in", &self.no_token_sign_in)
            .field("oidc_issuer", &self.oidc_issuer)
            .field("oidc_client_id", &self.oidc_client_id)
            .field("oidc_client_secret", &redacted(&self.oidc_client_secret))
            .field("oidc_client_secret_file", &self.oidc_client_secret_file)
            .field("oidc_redirect_url", &self.oidc_redirect_url)
            .field("oidc_scopes", &self.oidc_scopes)
            .field("oidc_provider_name", &self.oidc_provider_name)
            .field("oidc_org_claim", &self.oidc_org_claim)
            .field("oidc_roles_claim", &self.oidc_roles_claim)
            .field("oidc_roles", &self.oidc_roles)
            .field("oidc_default_role", &self.oidc_default_role)
            .finish()
    }
}

impl SignInArgs {
    /// The settings `pac serve` runs with; a bad value is a configuration error naming its flag.
    pub fn settings(&self) -> Result<crate::auth::session::SignInSettings, crate::error::Error> {
        use crate::auth::{oidc, session};
        use crate::error::{Code, Error};
        let session_ttl = crate::cli::parse_ttl(&self.session_ttl).map_err(|_| {
            Error::invalid(
                Code::InvalidTtl,
                format!(
                    "--session-ttl {:?}: use seconds or a number with s, m, h or d, at most 30d",
                    self.session_ttl
                ),
            )
        })?;
        let key = match &self.cookie_key {
            Some(k) => session::CookieKey::from_secret(k.as_bytes())?,
            None => session::CookieKey::random(),
        };
        let oidc = match &self.oidc_issuer {
            None => None,
            Some(issuer) => {
                let missing = |flag: &str| {
                    Error::invalid(
                        Code::OidcInvalid,
                        format!("--oidc-issuer is set, so {flag} is needed too"),
                    )
                };
                let client_secret = match (&self.oidc_client_secret, &self.oidc_client_secret_file)
                {
                    (Some(s), _) => Some(s.clone()),
                    (None, Some(path)) => Some(
                        std::fs::read_to_string(path)
                            .map_err(|e| {
                                Error::invalid(
                                    Code::OidcInvalid,
                                    format!(
                                        "cannot read --oidc-client-secret-file {}: {e}",
                                        path.display()
                                    ),
                                )
                            })?
                            .trim()
                            .to_string(),
                    ),
                    (None, None) => None,
                };
                let role_map = self
                    .oidc_roles
                    .iter()
                    .map(|pair| {
                        let (value, role) = pair.split_once('=').ok_or_else(|| {
                            Error::invalid(
                                Code::OidcInvalid,
                                format!("--oidc-role {pair:?}: write VALUE=ROLE"),
                            )
                        })?;
                        let role = crate::domain::Role::parse(role.trim()).map_err(|e| {
                            Error::invalid(Code::OidcInvalid, format!("--oidc-role {pair:?}: {e}"))
                        })?;
                        Ok((value.trim().to_string(), role))
                    })
                    .collect::<Result<Vec<_>, Error>>()?;
                Some(oidc::Oidc::new(oidc::OidcSettings {
                    issuer: issuer.clone(),
                    client_id: self
                        .oidc_client_id
                        .clone()
                        .ok_or_else(|| missing("--oidc-client-id"))?,
                    client_secret,
                    redirect_url: self
                        .oidc_redirect_url
                        .clone()
                        .ok_or_else(|| missing("--oidc-redirect-url"))?,
                    scopes: self.oidc_scopes.clone(),
                    provider_name: self.oidc_provider_name.clone(),
                    org_claim: self.oidc_org_claim.clone(),
                    roles_claim: self.oidc_roles_claim.clone(),
                    role_map,
                    default_role: crate::domain::Role::parse(&self.oidc_default_role)?,
                })?)
            }
        };
        Ok(session::SignInSettings {
            session_ttl,
            behind_tls: self.behind_tls,
            trust_forwarded_proto: self.trust_forwarded_proto,
            token_sign_in: !self.no_token_sign_in,
            key,
            oidc,
        })
    }
}

#[derive(Clone, Args)]
pub struct AuthArgs {
    /// HS256 shared secret for bearer tokens (at least 32 bytes). For local use; prefer public keys in production.
    #[arg(long, env = "PAC_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// PEM file with the RSA (RS256) or EC P-256 (ES256) public key that signs bearer tokens.
    #[arg(long, env = "PAC_JWT_PUBLIC_KEY")]
    pub jwt_public_key: Option<PathBuf>,

    /// JWKS file with the public keys that sign bearer tokens, chosen by the token's kid.
    #[arg(long, env = "PAC_JWKS_FILE")]
    pub jwks_file: Option<PathBuf>,

    /// Required `iss` claim of bearer tokens.
    #[arg(long, env = "PAC_JWT_ISSUER")]
    pub jwt_issuer: Option<String>,

    /// Required `aud` claim of bearer tokens.
    #[arg(long, env = "PAC_JWT_AUDIENCE")]
    pub jwt_audience: Option<String>,
}

/// Never prints the database URL, which may carry a password.
impl std::fmt::Debug for StoreArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreArgs")
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_ref().map(|_| "<redacted>"),
            )
            .field("pool_size", &self.pool_size)
            .finish()
    }
}

/// Never prints the HS256 secret.
impl std::fmt::Debug for AuthArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthArgs")
            .field(
                "jwt_secret",
                &self.jwt_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("jwt_public_key", &self.jwt_public_key)
            .field("jwks_file", &self.jwks_file)
            .field("jwt_issuer", &self.jwt_issuer)
            .field("jwt_audience", &self.jwt_audience)
            .finish()
    }
}

impl AuthArgs {
    pub fn key_settings(&self) -> crate::auth::jwt::KeySettings {
        crate::auth::jwt::KeySettings {
            hs256_secret: self.jwt_secret.clone(),
            public_key_pem: self.jwt_public_key.clone(),
            jwks_file: self.jwks_file.clone(),
            issuer: self.jwt_issuer.clone(),
            audience: self.jwt_audience.clone(),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// The folder a file named on the command line may read other files from through relative
    /// `$ref`s: by default the file's own folder; a folder above it lets `../common/…` be read.
    /// Nothing outside it is ever read, not through `..` nor through a link.
    #[arg(long, env = "PAC_ROOT", value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// Largest description accepted, in bytes (default 50 MiB).
    #[arg(long, env = "PAC_MAX_DOCUMENT_BYTES")]
    pub max_document_bytes: Option<usize>,

    /// Deepest nesting of objects and arrays accepted in a description (default 128).
    #[arg(long, env = "PAC_MAX_DEPTH")]
    pub max_depth: Option<usize>,

    /// Most operations accepted in one description (default 5000).
    #[arg(long, env = "PAC_MAX_OPERATIONS")]
    pub max_operations: Option<usize>,

    /// Most files accepted in one multi-file description (default 500).
    #[arg(long, env = "PAC_MAX_FILES")]
    pub max_files: Option<usize>,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        let d = Limits::default();
        Limits {
            max_document_bytes: self.max_document_bytes.unwrap_or(d.max_document_bytes),
            max_depth: self.max_depth.unwrap_or(d.max_depth),
            max_operations: self.max_operations.unwrap_or(d.max_operations),
            max_files: self.max_files.unwrap_or(d.max_files),
            ..d
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// Files and directories to import.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Owner of every imported API (an existing organisation slug); else derived from the layout.
    #[arg(long, env = "PAC_IMPORT_OWNER")]
    pub owner: Option<String>,

    /// Visibility of APIs the import creates (existing APIs keep theirs).
    #[arg(long, env = "PAC_IMPORT_VISIBILITY", default_value = "public", value_parser = ["public", "policing", "restricted"])]
    pub visibility: String,

    /// Output: a text summary, or one JSON object {"imported","unchanged","rejected","errors","warnings"}.
    #[arg(long, env = "PAC_FORMAT", value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,

    /// Parser threads (default: one per core).
    #[arg(long, env = "PAC_JOBS")]
    pub jobs: Option<usize>,

    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Args)]
pub struct SearchArgs {
    /// The query (quote it in the shell when it has several words).
    #[arg(value_name = "QUERY")]
    pub query: String,

    /// Only api, operation or schema hits.
    #[arg(long, value_parser = ["api", "operation", "schema"])]
    pub kind: Option<String>,

    /// Only APIs of this organisation (slug).
    #[arg(long)]
    pub org: Option<String>,

    /// Only APIs of organisations of this kind.
    #[arg(long)]
    pub org_kind: Option<String>,

    /// Only APIs in this lifecycle state.
    #[arg(long)]
    pub lifecycle: Option<String>,

    /// Only APIs with this tag.
    #[arg(long)]
    pub tag: Option<String>,

    /// Only APIs whose latest version is in this format.
    #[arg(long, value_parser = ["swagger-2.0", "openapi-3.0", "openapi-3.1", "openapi-3.2", "none"])]
    pub spec_format: Option<String>,

    /// Only APIs whose latest version meets the police API standard (yes), fails it (no), or has
    /// not been evaluated (unevaluated).
    #[arg(long, env = "PAC_SEARCH_KITEMARK", value_parser = ["yes", "no", "unevaluated"])]
    pub kitemark: Option<String>,

    /// Only APIs whose latest version scores at least this against the standard (0-100).
    #[arg(long, env = "PAC_SEARCH_MIN_SCORE")]
    pub min_score: Option<String>,

    /// Only APIs of a system at this interoperability tier (docs/STANDARD.md): bronze, silver,
    /// gold, or none for a system that has not reached Bronze.
    #[arg(long, value_parser = ["bronze", "silver", "gold", "none"])]
    pub tier: Option<String>,

    /// Hits to show, 1 to 100. Checked as `GET /api/v1/search` checks it (exit 2 when it is not).
    #[arg(long, default_value = "10")]
    pub limit: String,

    /// Hits to skip, at most 10000.
    #[arg(long, default_value = "0")]
    pub offset: String,

    /// Search everything, hidden entries included (the operator's view).
    #[arg(long)]
    pub all: bool,

    /// Output: one line per hit, or the JSON answer of GET /api/v1/search.
    #[arg(long, env = "PAC_FORMAT", value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The old version.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,

    /// The new version.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,

    /// Output: one line per change, the JSON report, or a Markdown changelog.
    #[arg(long, env = "PAC_DIFF_FORMAT", value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,

    /// The level from which the exit status is 1.
    #[arg(long, env = "PAC_FAIL_ON", value_parser = ["breaking", "possibly-breaking"], default_value = "breaking")]
    pub fail_on: String,

    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Args)]
pub struct LintArgs {
    /// Descriptions to check.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// A built-in ruleset (police-api-standard, spectral:oas) or a ruleset file in Spectral's
    /// format, which may extend the built-ins and files beside it.
    #[arg(long, env = "PAC_RULESET", default_value = "police-api-standard")]
    pub ruleset: String,

    /// Output: findings for people, the JSON report, or SARIF 2.1.0 for code-scanning tools.
    #[arg(long, env = "PAC_LINT_FORMAT", value_enum, default_value_t = LintFormat::Text)]
    pub format: LintFormat,

    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ConformArgs {
    /// The implementation's description.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The contract: a description file, or SLUG or SLUG@VERSION of a contract in the store.
    #[arg(long, env = "PAC_CONTRACT", value_name = "FILE_OR_SLUG")]
    pub contract: String,

    /// Output: the requirements for people, the JSON report, or a Markdown report.
    #[arg(long, env = "PAC_CONFORM_FORMAT", value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,

    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Args)]
pub struct ReindexArgs {
    /// Output: a text summary, or one JSON object.
    #[arg(long, env = "PAC_FORMAT", value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Args)]
pub struct TokenArgs {
    /// Subject: who the token is for.
    #[arg(long, env = "PAC_TOKEN_SUB")]
    pub sub: String,

    /// Organisation slug the subject belongs to.
    #[arg(long, env = "PAC_TOKEN_ORG")]
    pub org: Option<String>,

    /// Role; repeat for several (in PAC_TOKEN_ROLES, separate them with commas).
    #[arg(long = "role", env = "PAC_TOKEN_ROLES", value_delimiter = ',', value_parser = ["reader", "publisher", "curator", "admin"], required = true)]
    pub roles: Vec<String>,

    /// Lifetime: seconds, or a number with s, m, h or d (at most 30 days).
    #[arg(long, env = "PAC_TOKEN_TTL", default_value = "1h")]
    pub ttl: String,

    #[command(flatten)]
    pub auth: AuthArgs,
}
