//! Ingest: everything that brings descriptions into the store. `publish` stores one new version of
//! one API (the single path every entry point takes: HTTP, `pac import`, the seed catalogue);
//! `import` walks files and directories and decides identities; `catalogue` reads the catalogue-as-code
//! metadata files; `ukgov` reads the UK Government API Catalogue's formats.

pub mod catalogue;
pub mod conformance;
pub mod contracts;
pub mod evaluate;
pub mod import;
pub mod publish;
pub mod relations;
pub mod stored;
pub mod ukgov;

pub use publish::{Outcome, Published, publish_description, publish_link};
