//! The one error type of the service and its wire shape.
//!
//! Which variant to use where:
//! - the domain and the store return `Error` directly; diesel's `NotFound` becomes `not_found`, a unique
//!   violation `conflict`, anything else unexpected is `Internal` (logged once here, answered as a bare 500);
//! - reading descriptions returns `spec::SpecError`, carried as `Error::Spec` with its own code and location;
//! - bad input at an edge (HTTP query, path, JSON body, CLI flag) is `Error::Invalid` with the field it concerns.
//!
//! Every variant maps in [`Error::code`] and [`Error::status`] to one stable snake_case code and one HTTP
//! status; the body is RFC 9457 `application/problem+json` with that `code` as an extension member.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

pub use pac_spec::Location;
use pac_spec::SpecError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Something the caller asked for does not exist, or exists but is hidden from them.
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Unauthenticated(String),
    /// Only for things the caller can see but may not change.
    #[error("{0}")]
    Forbidden(String),
    #[error("{message}")]
    Invalid {
        code: &'static str,
        message: String,
        location: Box<Location>,
    },
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Boxed, like `location` above, to keep `Result<T, Error>` small on the happy path.
    #[error(transparent)]
    Spec(Box<SpecError>),
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid {
            code,
            message: message.into(),
            location: Box::default(),
        }
    }

    pub fn invalid_at(code: &'static str, message: impl Into<String>, pointer: &str) -> Self {
        Error::Invalid {
            code,
            message: message.into(),
            location: Box::new(Location::pointer(pointer)),
        }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Error::Conflict {
            code,
            message: message.into(),
        }
    }

    pub fn internal(context: &str, cause: impl std::fmt::Display) -> Self {
        Error::Internal(format!("{context}: {cause}"))
    }

    /// The stable machine code: part of the API, never renamed.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound(_) => "not_found",
            Error::Unauthenticated(_) => "unauthenticated",
            Error::Forbidden(_) => "forbidden",
            Error::Invalid { code, .. } | Error::Conflict { code, .. } => code,
            Error::MethodNotAllowed(_) => "method_not_allowed",
            Error::PayloadTooLarge(_) => "payload_too_large",
            Error::UnsupportedMediaType(_) => "unsupported_media_type",
            Error::Spec(e) => e.code,
            Error::Unavailable(_) => "unavailable",
            Error::Internal(_) => "internal",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::Invalid { .. } => StatusCode::BAD_REQUEST,
            Error::Conflict { .. } => StatusCode::CONFLICT,
            Error::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Error::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::Spec(e) if e.code == "spec_too_large" => StatusCode::PAYLOAD_TOO_LARGE,
            // A bug in the reader, never the caller's input.
            Error::Spec(e) if e.code == "spec_internal" => StatusCode::INTERNAL_SERVER_ERROR,
            Error::Spec(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn location(&self) -> Location {
        match self {
            Error::Invalid { location, .. } => (**location).clone(),
            Error::Spec(e) => Location {
                file: e.file.clone(),
                line: e.line,
                column: e.column,
                pointer: e.pointer.clone(),
            },
            _ => Location::default(),
        }
    }

    /// The text shown to the caller: internal causes stay in the log.
    pub fn detail(&self) -> String {
        if self.status().is_server_error() && !matches!(self, Error::Unavailable(_)) {
            return "an unexpected error occurred; it has been logged".to_string();
        }
        self.to_string()
    }

    pub fn problem(&self) -> Problem {
        let status = self.status();
        Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: self.detail(),
            code: self.code().to_string(),
            location: self.location(),
        }
    }
}

impl From<SpecError> for Error {
    fn from(e: SpecError) -> Self {
        Error::Spec(Box::new(e))
    }
}

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error as D};
        match e {
            D::NotFound => Error::NotFound("record".to_string()),
            D::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                // The constraint's name stays in the log: it says nothing useful to the caller.
                tracing::debug!(constraint = ?info.constraint_name(), "unique violation");
                Error::conflict(
                    "conflict",
                    "it already exists (another request may have just created it)",
                )
            }
            other => Error::internal("database", other),
        }
    }
}

impl From<r2d2::Error> for Error {
    fn from(e: r2d2::Error) -> Self {
        // The cause may name hosts and users: it goes to the log, not to the caller.
        tracing::error!(error.cause = %e, "no database connection");
        Error::Unavailable("the database is unavailable; try again shortly".to_string())
    }
}

impl From<actix_web::error::BlockingError> for Error {
    fn from(e: actix_web::error::BlockingError) -> Self {
        Error::internal("worker pool", e)
    }
}

/// RFC 9457 problem details, plus the stable `code` and where the problem is.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the `code` member identifies the problem.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code, e.g. `not_found`, `spec_syntax`, `version_conflict`.
    pub code: String,
    #[serde(flatten)]
    pub location: Location,
}

impl ResponseError for Error {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        if self.status() == StatusCode::INTERNAL_SERVER_ERROR {
            // Logged once, here, where it is answered.
            tracing::error!(error.cause = %self, error.code = self.code(), "internal error");
        }
        HttpResponse::build(self.status())
            .content_type("application/problem+json")
            .json(self.problem())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
