//! HTML renderings of OpenAPI descriptions for the web catalogue's pages: Markdown made safe, and
//! operations, schemas and curl examples drawn from a normalised document.
//!
//! Pure functions from data to [`maud::Markup`]: no I/O, no store, no HTTP. The pages that frame
//! them (layout, navigation, visibility) live in the service's `src/pages/`.

pub mod curl;
pub mod markdown;
pub mod operation;
pub mod schema;

pub use maud::{Markup, PreEscaped, html};
