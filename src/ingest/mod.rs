//! Ingest: the edge that brings files and folders into the catalogue. `import` walks files and
//! directories, decides identities and publishes through the use cases (`usecase::versions::publish`,
//! the one path every publish takes); `catalogue` reads the catalogue-as-code metadata files;
//! `ukgov` reads the UK Government API Catalogue's formats.

pub mod catalogue;
pub mod import;
pub mod ukgov;
