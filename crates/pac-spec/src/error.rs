//! The one error type of the spec module: a stable machine `code` plus a message that names the place
//! (file, line/column or JSON pointer). The place is also kept in fields so callers can render it their way.

use crate::codes::SpecCode;

/// Where in the input a problem is: a file, a line and column in it, or a JSON pointer.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl Location {
    pub fn pointer(pointer: impl Into<String>) -> Self {
        Location {
            pointer: Some(pointer.into()),
            ..Location::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self == &Location::default()
    }
}

/// A refusal to load a description. `code` is stable and snake_case; [`SpecCode`] lists them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SpecError {
    pub code: SpecCode,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub pointer: Option<String>,
}

impl SpecError {
    /// `message` must already name the place; the builder methods below only record it in fields.
    pub(crate) fn new(code: SpecCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            pointer: None,
        }
    }

    pub(crate) fn file(mut self, file: &str) -> Self {
        self.file = Some(file.to_owned());
        self
    }

    /// An error at a line and column of `file`; the message is prefixed with `file:line:column`.
    pub(crate) fn at(
        code: SpecCode,
        file: &str,
        line: usize,
        column: usize,
        what: impl AsRef<str>,
    ) -> Self {
        let mut e =
            Self::new(code, format!("{file}:{line}:{column}: {}", what.as_ref())).file(file);
        e.line = Some(line);
        e.column = Some(column);
        e
    }

    /// An error at a JSON pointer inside `file`; the message is prefixed with `file: pointer:`.
    pub(crate) fn at_pointer(
        code: SpecCode,
        file: &str,
        pointer: &str,
        what: impl AsRef<str>,
    ) -> Self {
        let shown = if pointer.is_empty() { "/" } else { pointer };
        let mut e = Self::new(code, format!("{file}: {shown}: {}", what.as_ref())).file(file);
        e.pointer = Some(pointer.to_owned());
        e
    }
}
