//! The interoperability map as the caller may see it: systems × contracts, the graph of
//! organisations, systems, APIs and contracts with their relations, each in the export formats;
//! and what integrations save over the workarounds they replace.

use super::Catalogue;
use crate::auth::Principal;
use crate::auth::policy::Visible;
use crate::error::Error;
use crate::interop::export::{self, Format};
use crate::store::interop::{self as map, Benefits, MapFilter, View};

/// Systems × contracts, as `format` writes it.
pub fn matrix(
    cat: &Catalogue,
    who: &Principal,
    filter: &MapFilter,
    format: Format,
) -> Result<String, Error> {
    let view = load(cat, who)?;
    export::matrix(&map::matrix(&view, filter)?, format)
}

/// The graph, as `format` writes it.
pub fn graph(
    cat: &Catalogue,
    who: &Principal,
    filter: &MapFilter,
    format: Format,
) -> Result<String, Error> {
    let view = load(cat, who)?;
    Ok(export::graph(&map::graph(&view, filter)?, format))
}

/// Integrations and the hours they save a month, optionally of one organisation's systems.
pub fn benefits(cat: &Catalogue, who: &Principal, org: Option<&str>) -> Result<Benefits, Error> {
    let view = load(cat, who)?;
    map::benefits(&view, org)
}

fn load(cat: &Catalogue, who: &Principal) -> Result<View, Error> {
    let visible = Visible::for_principal(who);
    cat.store.read(|c| View::load(c, &visible))
}
