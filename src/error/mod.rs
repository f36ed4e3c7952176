//! The one error type of the service and its wire shape.
//!
//! Which variant to use where:
//! - the domain and the store return `Error` directly; diesel's `NotFound` becomes `not_found`, a unique
//!   violation `conflict`, anything else unexpected is `Internal` (logged once here, answered as a bare 500);
//! - reading descriptions returns `spec::SpecError`, carried as `Error::Spec` with its own code and location;
//! - bad input at an edge (HTTP query, path, JSON body, CLI flag) is `Error::Invalid` with the field it concerns.
//!
//! Every variant carries or implies one [`Code`] of the table in [`codes`] (or, for `Spec`, one of
//! [`pac_spec::SpecCode`]), which gives its HTTP status; the body is RFC 9457
//! `application/problem+json` with that `code` as an extension member.

pub mod codes;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

pub use codes::Code;
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
    /// Bad input: the code says what kind (its status is 400, or 422 for `no_description`).
    #[error("{message}")]
    Invalid {
        code: Code,
        message: String,
        location: Box<Location>,
    },
    #[error("{message}")]
    Conflict { code: Code, message: String },
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
    pub fn invalid(code: Code, message: impl Into<String>) -> Self {
        Error::Invalid {
            code,
            message: message.into(),
            location: Box::default(),
        }
    }

    pub fn invalid_at(code: Code, message: impl Into<String>, pointer: &str) -> Self {
        Error::Invalid {
            code,
            message: message.into(),
            location: Box::new(Location::pointer(pointer)),
        }
    }

    pub fn conflict(code: Code, message: impl Into<String>) -> Self {
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
            Error::Spec(e) => e.code.as_str(),
            other => other.own_code().as_str(),
        }
    }

    fn own_code(&self) -> Code {
        match self {
            Error::NotFound(_) => Code::NotFound,
            Error::Unauthenticated(_) => Code::Unauthenticated,
            Error::Forbidden(_) => Code::Forbidden,
            Error::Invalid { code, .. } | Error::Conflict { code, .. } => *code,
            Error::MethodNotAllowed(_) => Code::MethodNotAllowed,
            Error::PayloadTooLarge(_) => Code::PayloadTooLarge,
            Error::UnsupportedMediaType(_) => Code::UnsupportedMediaType,
            Error::Unavailable(_) => Code::Unavailable,
            Error::Internal(_) => Code::Internal,
            // Not reached: `code` and `status` answer for it from the spec's own table.
            Error::Spec(_) => Code::Internal,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Error::Spec(e) => codes::spec_status(e.code),
            other => other.own_code().status(),
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
                    Code::Conflict,
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
