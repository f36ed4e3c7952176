//! Ingest: the edge that brings files and folders into the catalogue. `import` walks files and
//! directories, decides identities and publishes through the use cases (`usecase::versions::publish`,
//! the one path every publish takes); `catalogue` reads the catalogue-as-code metadata files;
//! `ukgov` reads the UK Government API Catalogue's formats.

pub mod catalogue;
pub mod import;
pub mod ukgov;

use serde::Serialize;

use crate::error::Error;

/// A file that was not imported, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Rejection {
    pub file: String,
    pub code: String,
    pub message: String,
}

impl Rejection {
    pub(crate) fn from_error(file: &str, e: &Error) -> Rejection {
        let loc = e.location();
        // The operator runs imports: they get the whole message, causes of internal errors included.
        let mut message = e.to_string();
        // Description errors name their place in their message already; others get it here.
        if !matches!(e, Error::Spec(_))
            && let Some(pointer) = loc.pointer.filter(|p| !p.is_empty())
        {
            message = format!("at {pointer}: {message}");
        }
        Rejection {
            file: loc.file.map_or_else(
                || file.to_string(),
                |inner| {
                    if file.ends_with(&inner) {
                        file.to_string()
                    } else {
                        format!("{file} ({inner})")
                    }
                },
            ),
            code: e.code().to_string(),
            message,
        }
    }
}
