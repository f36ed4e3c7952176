//! The interoperability map: which systems implement which contracts, which consume which APIs,
//! and who owns what. This module is pure: the store builds a [`Graph`] or a [`Matrix`] of what
//! one caller may see (`store::interop`), and [`export`] writes them as JSON, CSV, Mermaid,
//! Graphviz DOT or the ArchiMate 3.1 Open Exchange Format. Nothing here decides visibility: a
//! hidden entry never reaches these types.

pub mod export;

use serde::Serialize;
use utoipa::ToSchema;

/// What a node of the map stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Organisation,
    System,
    Api,
    Contract,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Organisation => "organisation",
            NodeKind::System => "system",
            NodeKind::Api => "api",
            NodeKind::Contract => "contract",
        }
    }

    /// The prefix of a node id: `org:met`, `system:met-rms`, `api:met-crime`, `contract:ihub`.
    pub fn prefix(self) -> &'static str {
        match self {
            NodeKind::Organisation => "org",
            NodeKind::System => "system",
            NodeKind::Api => "api",
            NodeKind::Contract => "contract",
        }
    }
}

/// One organisation, system, API or contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Node {
    /// `<prefix>:<slug>`, unique in the graph (see [`NodeKind::prefix`]).
    pub id: String,
    pub kind: NodeKind,
    pub slug: String,
    /// The entry's name.
    pub label: String,
}

impl Node {
    pub fn new(kind: NodeKind, slug: &str, label: &str) -> Node {
        Node {
            id: node_id(kind, slug),
            kind,
            slug: slug.to_string(),
            label: label.to_string(),
        }
    }
}

pub fn node_id(kind: NodeKind, slug: &str) -> String {
    format!("{}:{slug}", kind.prefix())
}

/// What an edge says. Directions: an organisation owns a system, API or contract; a system provides
/// an API (the API belongs to it); a system consumes an API; a system implements a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    Owns,
    Provides,
    Consumes,
    Implements,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Owns => "owns",
            EdgeKind::Provides => "provides",
            EdgeKind::Consumes => "consumes",
            EdgeKind::Implements => "implements",
        }
    }
}

/// One relation between two nodes of the graph.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Edge {
    /// Node id of the subject (the owner, provider, consumer or implementer).
    pub source: String,
    /// Node id of the object.
    pub target: String,
    pub kind: EdgeKind,
    /// For `implements`: the contract version claimed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract_version: Option<String>,
    /// For `implements`: conformant, not_conformant or unverified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// For `consumes`: what the system uses the API for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// For `consumes`: what the integration replaces (manual_rekeying, screen_scraping, nothing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
    /// For `consumes`: estimated hours saved a month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours_saved_per_month: Option<f64>,
}

impl Edge {
    pub fn new(source: String, target: String, kind: EdgeKind) -> Edge {
        Edge {
            source,
            target,
            kind,
            contract_version: None,
            status: None,
            purpose: None,
            replaces: None,
            hours_saved_per_month: None,
        }
    }
}

/// Organisations, systems, APIs and contracts with the relations between them. Nodes are sorted by
/// kind then slug, edges by kind, source and target, so that every export is stable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

impl Graph {
    /// Sorts nodes and edges, and drops duplicate nodes, duplicate edges and edges whose ends are
    /// not in the graph.
    pub fn finish(mut self) -> Graph {
        self.nodes
            .sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.slug.cmp(&b.slug)));
        self.nodes.dedup_by(|a, b| a.id == b.id);
        let ids: std::collections::HashSet<&str> =
            self.nodes.iter().map(|n| n.id.as_str()).collect();
        self.edges
            .retain(|e| ids.contains(e.source.as_str()) && ids.contains(e.target.as_str()));
        self.edges.sort_by(|a, b| {
            a.kind
                .cmp(&b.kind)
                .then_with(|| a.source.cmp(&b.source))
                .then_with(|| a.target.cmp(&b.target))
                .then_with(|| a.contract_version.cmp(&b.contract_version))
        });
        // One relation is one edge, however many claims or paths brought it in.
        self.edges.dedup_by(|a, b| {
            (a.kind, &a.source, &a.target, &a.contract_version)
                == (b.kind, &b.source, &b.target, &b.contract_version)
        });
        self
    }
}

/// Systems × contracts: for each system (a row) and contract (a column), the claims the system
/// makes to implement a version of the contract and their status.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Matrix {
    pub contracts: Vec<MatrixContract>,
    pub systems: Vec<MatrixSystem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MatrixContract {
    pub slug: String,
    pub name: String,
    /// The contract's latest version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MatrixSystem {
    pub slug: String,
    pub name: String,
    /// Slug of the owning organisation.
    pub owner: String,
    /// One cell per contract, in the order of `contracts`.
    pub cells: Vec<MatrixCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MatrixCell {
    /// The status of the claim on the highest contract version the system claims (conformant,
    /// not_conformant, unverified), or `none` when it makes no claim.
    pub status: String,
    /// The contract version that status is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Every claim of the system on this contract, highest version first.
    pub claims: Vec<MatrixClaim>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MatrixClaim {
    pub version: String,
    pub status: String,
    /// The implementing API.
    pub api: String,
}
