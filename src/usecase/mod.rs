//! The use cases: every action a person or a script can take on the catalogue, one function each,
//! whatever the edge. The JSON API (`http`), the command line (`cli`), the catalogue as code
//! (`ingest`) and the web pages all call these and nothing below them, so each rule (who may do
//! what, what input is acceptable, what else must happen after a write) is written once.
//!
//! A use case takes the [`Catalogue`] (the store and what the service holds beside it), the caller
//! and its input, and returns typed output or an [`Error`](crate::error::Error). Input arrives as
//! the edge received it (strings from JSON, a form or a file) and is parsed here. Where the catalogue
//! as code must compose several writes in one transaction, a use case also offers its
//! transaction-level core (`…_in(conn, …)`), which its own entry calls too.
//!
//! Reads that return lists take the caller's [`Visible`](crate::auth::policy::Visible) view;
//! something hidden is "not found", never "forbidden".

pub mod apis;
pub mod audit;
pub mod claims;
pub mod conformance;
pub mod contracts;
pub mod evaluate;
pub mod interop;
pub mod organisations;
pub mod publish;
pub mod reference;
pub mod systems;
pub mod tenders;
pub mod uses;
pub mod versions;

use std::sync::Arc;

use pac_lint::Ruleset;
use pac_spec::Limits;

use crate::domain::{
    MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, Slug, Visibility, check_optional_text, check_text,
};
use crate::error::Error;
use crate::search::Search;
use crate::store::Store;
use crate::store::relations::Claims;
use conformance::Recheck;

/// Checks what every named entry (organisation, system, contract) says about itself: its slug, its
/// name and its description; and its visibility, public unless it says otherwise.
fn check_entry(
    slug: &str,
    name: &str,
    description: Option<&str>,
    visibility: Option<&str>,
) -> Result<(Slug, Visibility), Error> {
    let slug = Slug::parse("slug", slug)?;
    check_text("name", name, MAX_NAME_CHARS)?;
    check_optional_text("description", description, MAX_DESCRIPTION_CHARS)?;
    let visibility = visibility
        .map(Visibility::parse)
        .transpose()?
        .unwrap_or(Visibility::Public);
    Ok((slug, visibility))
}

/// One original file of a published description, exactly as published.
#[derive(Debug)]
pub struct Original {
    pub path: String,
    pub media_type: String,
    /// Its content address, also its ETag.
    pub sha256: String,
    pub bytes: Vec<u8>,
}

/// The catalogue a use case acts on: the store, the limits descriptions are read with, the
/// standard versions are evaluated against, and what keeps derived data current after a write.
/// Cloning it is cheap: everything it holds is shared.
#[derive(Clone)]
pub struct Catalogue {
    pub store: Store,
    pub limits: Limits,
    /// The police API standard in force.
    pub standard: Arc<Ruleset>,
    /// Re-evaluates stored versions when the standard changes.
    pub evaluator: Arc<evaluate::Evaluator>,
    /// The search index kept current after every write; none for `pac import`, which brings the
    /// index up to date once, at its end.
    pub search: Option<Arc<Search>>,
    /// Parsed descriptions for the web catalogue's pages (see [`reference`]).
    pub references: Arc<reference::Cache>,
}

impl Catalogue {
    pub fn new(store: Store, limits: Limits, standard: Arc<Ruleset>) -> Catalogue {
        Catalogue {
            store,
            limits,
            standard,
            evaluator: Arc::default(),
            search: None,
            references: Arc::default(),
        }
    }

    /// A catalogue evaluated against the built-in police API standard.
    pub fn with_built_in_standard(
        store: Store,
        limits: Limits,
    ) -> Result<Catalogue, crate::error::Error> {
        let standard = Ruleset::built_in("police-api-standard")
            .map_err(|e| crate::error::Error::internal("the built-in standard", e))?;
        Ok(Catalogue::new(store, limits, Arc::new(standard)))
    }

    /// The standard in force, as interoperability tiers name it.
    pub fn standard_id(&self) -> crate::tiers::StandardId {
        crate::tiers::StandardId::of(&self.standard)
    }

    pub fn with_search(self, search: Arc<Search>) -> Catalogue {
        Catalogue {
            search: Some(search),
            ..self
        }
    }

    /// Brings search up to date after a write has committed. A failure is logged, not returned:
    /// the write stands, and the next catch-up (at most a few seconds away in `pac serve`)
    /// repairs it.
    pub fn after_write(&self) {
        if let Some(search) = &self.search
            && let Err(e) = search.catch_up(&self.store)
        {
            tracing::error!(error = %e, "search index not updated after a write; it will catch up");
        }
    }

    /// Checks claims to implement contracts after a write to either side. A failure is logged,
    /// not returned: the write stands, and claims left unchecked are checked at the next start.
    pub fn verify_claims(&self, which: Claims, recheck: Recheck) {
        if let Err(e) = conformance::verify(&self.store, which, recheck, &self.limits) {
            tracing::error!(error = %e, "claims to implement contracts not checked");
        }
        // A claim's status is evidence for its system's interoperability tier, which search shows.
        self.after_write();
    }

    /// Starts evaluating, on a thread of its own, every stored version that has no results under
    /// the standard in force. Returns false when a run is already going.
    pub fn evaluate_in_background(&self) -> bool {
        if self.evaluator.progress().running {
            return false;
        }
        let catalogue = self.clone();
        std::thread::Builder::new()
            .name("pac-evaluator".into())
            .spawn(move || {
                let c = &catalogue;
                let result = c
                    .evaluator
                    .run(&c.store, &c.standard, &c.limits, || c.after_write());
                if let Err(e) = result {
                    tracing::error!(error = %e, "evaluation against the standard stopped");
                }
            })
            .is_ok()
    }
}
