//! The interoperability map as one caller sees it: the matrix of systems × contracts, the graph
//! of organisations, systems, APIs and contracts, the benefits of integrations, and the systems a
//! deprecation affects.
//!
//! Visibility is decided once, here: every system, API and contract is read through
//! `visible_clause!`, and a relation is kept only when every entry it joins is among them, so a
//! hidden entry is absent from every view and every count built on this.

use std::collections::{BTreeMap, HashMap, HashSet};

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::contracts::{self, ContractRecord, ContractVersionRow};
use super::relations::{self, Claims, ConsumptionRow, ImplementationRow};
use super::schema::{apis, organisations, systems};
use super::systems::SystemRow;
use super::{Conn, visible_clause};
use crate::auth::policy::Visible;
use crate::domain::{
    ApiId, ContractId, ContractVersionId, OrganisationId, Replaces, SystemId, compare_versions,
};
use crate::error::Error;
use crate::interop::{
    Edge, EdgeKind, Graph, Matrix, MatrixCell, MatrixClaim, MatrixContract, MatrixSystem, Node,
    NodeKind, node_id,
};

/// The few columns of an API the map needs.
#[derive(Debug, Clone, Queryable)]
pub struct ApiBrief {
    pub id: ApiId,
    pub slug: String,
    pub name: String,
    pub organisation_id: OrganisationId,
    pub system_id: Option<SystemId>,
}

/// Everything the caller may see that the map is made of, read once.
pub struct View {
    pub organisations: HashMap<OrganisationId, (String, String)>,
    pub systems: Vec<SystemRow>,
    pub apis: Vec<ApiBrief>,
    pub contracts: Vec<ContractRecord>,
    pub contract_versions: HashMap<ContractVersionId, ContractVersionRow>,
    /// Claims whose system, API and contract are all visible.
    pub implementations: Vec<ImplementationRow>,
    /// Uses whose system and API are visible.
    pub consumptions: Vec<ConsumptionRow>,
}

impl View {
    pub fn load(conn: &mut Conn, visible: &Visible) -> Result<View, Error> {
        let organisations = organisations::table
            .select((organisations::id, organisations::slug, organisations::name))
            .load::<(OrganisationId, String, String)>(conn)?
            .into_iter()
            .map(|(id, slug, name)| (id, (slug, name)))
            .collect();
        let mut q = systems::table.into_boxed();
        if let Some(clause) = visible_clause!(systems, visible) {
            q = q.filter(clause);
        }
        let systems: Vec<SystemRow> = q
            .order(systems::slug.asc())
            .select(SystemRow::as_select())
            .load(conn)?;
        let mut q = apis::table.into_boxed();
        if let Some(clause) = visible_clause!(apis, visible) {
            q = q.filter(clause);
        }
        let apis: Vec<ApiBrief> = q
            .order(apis::slug.asc())
            .select((
                apis::id,
                apis::slug,
                apis::name,
                apis::organisation_id,
                apis::system_id,
            ))
            .load(conn)?;
        let contracts = contracts::all_visible(conn, visible)?;
        let system_ids: HashSet<SystemId> = systems.iter().map(|s| s.id).collect();
        let api_ids: HashSet<ApiId> = apis.iter().map(|a| a.id).collect();
        let contract_ids: HashSet<ContractId> = contracts.iter().map(|c| c.contract.id).collect();
        let mut implementations = relations::implementations(conn, Claims::All)?;
        let version_ids: Vec<ContractVersionId> = implementations
            .iter()
            .map(|i| i.contract_version_id)
            .collect();
        let contract_versions: HashMap<ContractVersionId, ContractVersionRow> =
            contracts::versions_by_ids(conn, &version_ids)?
                .into_iter()
                .filter(|v| contract_ids.contains(&v.contract_id))
                .map(|v| (v.id, v))
                .collect();
        implementations.retain(|i| {
            system_ids.contains(&i.system_id)
                && api_ids.contains(&i.api_id)
                && contract_versions.contains_key(&i.contract_version_id)
        });
        let mut consumptions = relations::all_consumptions(conn)?;
        consumptions.retain(|c| system_ids.contains(&c.system_id) && api_ids.contains(&c.api_id));
        Ok(View {
            organisations,
            systems,
            apis,
            contracts,
            contract_versions,
            implementations,
            consumptions,
        })
    }

    fn org_slug(&self, id: OrganisationId) -> &str {
        self.organisations
            .get(&id)
            .map(|(slug, _)| slug.as_str())
            .unwrap_or_default()
    }

    fn org_id(&self, slug: &str) -> Result<OrganisationId, Error> {
        self.organisations
            .iter()
            .find(|(_, (s, _))| s == slug)
            .map(|(id, _)| *id)
            .ok_or_else(|| Error::NotFound(format!("organisation {slug}")))
    }

    fn contract_id(&self, slug: &str) -> Result<ContractId, Error> {
        self.contracts
            .iter()
            .find(|c| c.contract.slug == slug)
            .map(|c| c.contract.id)
            .ok_or_else(|| Error::NotFound(format!("contract {slug}")))
    }
}

/// What the matrix and the graph are narrowed to.
#[derive(Debug, Default, Clone)]
pub struct MapFilter {
    /// Organisation slug.
    pub org: Option<String>,
    /// Contract slug.
    pub contract: Option<String>,
}

impl MapFilter {
    /// The organisation's and the contract's ids; 404 for one unknown or hidden from the caller.
    fn ids(&self, view: &View) -> Result<(Option<OrganisationId>, Option<ContractId>), Error> {
        let org = self.org.as_deref().map(|o| view.org_id(o)).transpose()?;
        let contract = self
            .contract
            .as_deref()
            .map(|c| view.contract_id(c))
            .transpose()?;
        Ok((org, contract))
    }
}

/// Systems (rows) × contracts (columns). Rows are every visible system (of `org`, when given);
/// columns every visible contract (or just `contract`).
pub fn matrix(view: &View, filter: &MapFilter) -> Result<Matrix, Error> {
    let (org, only) = filter.ids(view)?;
    let columns: Vec<&ContractRecord> = view
        .contracts
        .iter()
        .filter(|c| only.is_none_or(|id| id == c.contract.id))
        .collect();
    let column_of: HashMap<ContractId, usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.contract.id, i))
        .collect();
    let api_slugs: HashMap<ApiId, &str> =
        view.apis.iter().map(|a| (a.id, a.slug.as_str())).collect();
    // (system, column) → claims
    let mut claims: HashMap<(SystemId, usize), Vec<MatrixClaim>> = HashMap::new();
    for i in &view.implementations {
        let Some(version) = view.contract_versions.get(&i.contract_version_id) else {
            continue;
        };
        let Some(&column) = column_of.get(&version.contract_id) else {
            continue;
        };
        claims
            .entry((i.system_id, column))
            .or_default()
            .push(MatrixClaim {
                version: version.version.clone(),
                status: i.status.as_str().to_string(),
                api: api_slugs
                    .get(&i.api_id)
                    .copied()
                    .unwrap_or_default()
                    .to_string(),
            });
    }
    let systems = view
        .systems
        .iter()
        .filter(|s| org.is_none_or(|o| o == s.organisation_id))
        .map(|s| MatrixSystem {
            slug: s.slug.clone(),
            name: s.name.clone(),
            owner: view.org_slug(s.organisation_id).to_string(),
            cells: (0..columns.len())
                .map(|column| {
                    let mut claims = claims.remove(&(s.id, column)).unwrap_or_default();
                    claims.sort_by(|a, b| compare_versions(&b.version, &a.version));
                    MatrixCell {
                        status: claims
                            .first()
                            .map_or_else(|| "none".to_string(), |c| c.status.clone()),
                        version: claims.first().map(|c| c.version.clone()),
                        claims,
                    }
                })
                .collect(),
        })
        .collect();
    Ok(Matrix {
        contracts: columns
            .iter()
            .map(|c| MatrixContract {
                slug: c.contract.slug.clone(),
                name: c.contract.name.clone(),
                latest_version: c.contract.latest_version.clone(),
            })
            .collect(),
        systems,
    })
}

/// The graph. Without a filter: every visible system and contract, the APIs that a system
/// provides, consumes or implements a contract with, and their owners. With `org`: that
/// organisation's systems, APIs and contracts and every relation touching them. With `contract`:
/// the contract, the systems that claim to implement it and the APIs they do it with. Each node
/// other than an organisation gets an `owns` edge from its owner.
pub fn graph(view: &View, filter: &MapFilter) -> Result<Graph, Error> {
    let (org, only) = filter.ids(view)?;
    let systems: HashMap<SystemId, &SystemRow> = view.systems.iter().map(|s| (s.id, s)).collect();
    let apis: HashMap<ApiId, &ApiBrief> = view.apis.iter().map(|a| (a.id, a)).collect();
    let contracts: HashMap<ContractId, &ContractRecord> =
        view.contracts.iter().map(|c| (c.contract.id, c)).collect();
    let system_node = |id: SystemId| {
        systems
            .get(&id)
            .map(|s| Node::new(NodeKind::System, &s.slug, &s.name))
    };
    let api_node = |id: ApiId| {
        apis.get(&id)
            .map(|a| Node::new(NodeKind::Api, &a.slug, &a.name))
    };

    // Every relation as (edge, source owner, target owner, its nodes).
    let mut candidates: Vec<(Edge, [OrganisationId; 2], [Node; 2])> = Vec::new();
    if only.is_none() {
        for a in &view.apis {
            let Some(system) = a.system_id.and_then(|id| systems.get(&id)) else {
                continue;
            };
            let (Some(s), Some(n)) = (system_node(system.id), api_node(a.id)) else {
                continue;
            };
            candidates.push((
                Edge::new(s.id.clone(), n.id.clone(), EdgeKind::Provides),
                [system.organisation_id, a.organisation_id],
                [s, n],
            ));
        }
        for c in &view.consumptions {
            let (Some(s), Some(n)) = (system_node(c.system_id), api_node(c.api_id)) else {
                continue;
            };
            let mut edge = Edge::new(s.id.clone(), n.id.clone(), EdgeKind::Consumes);
            edge.purpose = Some(c.purpose.clone());
            edge.replaces = Some(c.replaces.as_str().to_string());
            edge.hours_saved_per_month = c.hours_saved_per_month;
            candidates.push((
                edge,
                [
                    systems[&c.system_id].organisation_id,
                    apis[&c.api_id].organisation_id,
                ],
                [s, n],
            ));
        }
    }
    for i in &view.implementations {
        let Some(version) = view.contract_versions.get(&i.contract_version_id) else {
            continue;
        };
        if only.is_some_and(|id| id != version.contract_id) {
            continue;
        }
        let (Some(s), Some(contract)) = (
            system_node(i.system_id),
            contracts.get(&version.contract_id),
        ) else {
            continue;
        };
        let c = Node::new(
            NodeKind::Contract,
            &contract.contract.slug,
            &contract.contract.name,
        );
        let mut edge = Edge::new(s.id.clone(), c.id.clone(), EdgeKind::Implements);
        edge.contract_version = Some(version.version.clone());
        edge.status = Some(i.status.as_str().to_string());
        candidates.push((
            edge,
            [
                systems[&i.system_id].organisation_id,
                contract.contract.organisation_id,
            ],
            [s, c],
        ));
        // With a contract filter, the API each claim is made with comes along.
        if only.is_some()
            && let (Some(s), Some(n), Some(a)) = (
                system_node(i.system_id),
                api_node(i.api_id),
                apis.get(&i.api_id),
            )
            && a.system_id == Some(i.system_id)
        {
            candidates.push((
                Edge::new(s.id.clone(), n.id.clone(), EdgeKind::Provides),
                [systems[&i.system_id].organisation_id, a.organisation_id],
                [s, n],
            ));
        }
    }

    let mut g = Graph::default();
    let mut owners: Vec<(String, OrganisationId)> = Vec::new();
    for (edge, ends, nodes) in candidates {
        if org.is_some_and(|o| !ends.contains(&o)) {
            continue;
        }
        for (node, owner) in nodes.into_iter().zip(ends) {
            owners.push((node.id.clone(), owner));
            g.nodes.push(node);
        }
        g.edges.push(edge);
    }
    // The entries that belong in the graph even without a relation.
    if only.is_none() {
        for s in view
            .systems
            .iter()
            .filter(|s| org.is_none_or(|o| o == s.organisation_id))
        {
            owners.push((node_id(NodeKind::System, &s.slug), s.organisation_id));
            g.nodes.push(Node::new(NodeKind::System, &s.slug, &s.name));
        }
        for c in view
            .contracts
            .iter()
            .filter(|c| org.is_none_or(|o| o == c.contract.organisation_id))
        {
            owners.push((
                node_id(NodeKind::Contract, &c.contract.slug),
                c.contract.organisation_id,
            ));
            g.nodes.push(Node::new(
                NodeKind::Contract,
                &c.contract.slug,
                &c.contract.name,
            ));
        }
        if let Some(o) = org {
            for a in view.apis.iter().filter(|a| a.organisation_id == o) {
                owners.push((node_id(NodeKind::Api, &a.slug), o));
                g.nodes.push(Node::new(NodeKind::Api, &a.slug, &a.name));
            }
        }
    } else if let Some(contract) = only.and_then(|id| contracts.get(&id))
        && org.is_none_or(|o| o == contract.contract.organisation_id || !g.edges.is_empty())
    {
        let c = &contract.contract;
        owners.push((node_id(NodeKind::Contract, &c.slug), c.organisation_id));
        g.nodes
            .push(Node::new(NodeKind::Contract, &c.slug, &c.name));
    }
    owners.sort();
    owners.dedup();
    for (node, owner) in owners {
        if let Some((slug, name)) = view.organisations.get(&owner) {
            let o = Node::new(NodeKind::Organisation, slug, name);
            g.edges.push(Edge::new(o.id.clone(), node, EdgeKind::Owns));
            g.nodes.push(o);
        }
    }
    Ok(g.finish())
}

/// The benefit of APIs over the workarounds they replace, from what consuming systems say.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct Benefits {
    /// Integrations counted (uses of an API by a system).
    pub integrations: usize,
    /// Hours saved a month, summed over the integrations that give an estimate.
    pub hours_saved_per_month: f64,
    /// Per kind of workaround replaced: manual_rekeying, screen_scraping, nothing.
    pub by_replaces: BTreeMap<String, BenefitTotal>,
    /// Per API consumed, most hours first.
    pub by_api: Vec<BenefitRow>,
    /// Per organisation of the consuming systems, most hours first.
    pub by_organisation: Vec<BenefitRow>,
}

#[derive(Debug, Default, Clone, Serialize, ToSchema)]
pub struct BenefitTotal {
    pub integrations: usize,
    pub hours_saved_per_month: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BenefitRow {
    pub slug: String,
    pub name: String,
    pub integrations: usize,
    pub hours_saved_per_month: f64,
    /// Of those, integrations that replace manual re-keying or screen scraping.
    pub replacing_workarounds: usize,
}

/// Sums the visible uses of APIs, optionally only those of systems of organisation `org`.
pub fn benefits(view: &View, org: Option<&str>) -> Result<Benefits, Error> {
    let org = org.map(|o| view.org_id(o)).transpose()?;
    let systems: HashMap<SystemId, &SystemRow> = view.systems.iter().map(|s| (s.id, s)).collect();
    let apis: HashMap<ApiId, &ApiBrief> = view.apis.iter().map(|a| (a.id, a)).collect();
    let mut out = Benefits::default();
    for kind in crate::domain::Replaces::ALL {
        out.by_replaces
            .insert(kind.as_str().to_string(), BenefitTotal::default());
    }
    // By slug: unique among APIs, and among organisations.
    let mut by_api: BTreeMap<String, BenefitRow> = BTreeMap::new();
    let mut by_org: BTreeMap<String, BenefitRow> = BTreeMap::new();
    for c in &view.consumptions {
        let (Some(system), Some(api)) = (systems.get(&c.system_id), apis.get(&c.api_id)) else {
            continue;
        };
        if org.is_some_and(|o| o != system.organisation_id) {
            continue;
        }
        let hours = c.hours_saved_per_month.unwrap_or(0.0);
        let workaround = c.replaces != Replaces::Nothing;
        out.integrations += 1;
        out.hours_saved_per_month += hours;
        let total = out
            .by_replaces
            .entry(c.replaces.as_str().to_string())
            .or_default();
        total.integrations += 1;
        total.hours_saved_per_month += hours;
        let rows = [
            (&mut by_api, api.slug.clone(), api.name.clone()),
            (
                &mut by_org,
                view.org_slug(system.organisation_id).to_string(),
                view.organisations
                    .get(&system.organisation_id)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
            ),
        ];
        for (map, slug, name) in rows {
            let row = map.entry(slug.clone()).or_insert_with(|| BenefitRow {
                slug,
                name,
                integrations: 0,
                hours_saved_per_month: 0.0,
                replacing_workarounds: 0,
            });
            row.integrations += 1;
            row.hours_saved_per_month += hours;
            row.replacing_workarounds += usize::from(workaround);
        }
    }
    let ranked = |map: BTreeMap<String, BenefitRow>| {
        let mut rows: Vec<BenefitRow> = map.into_values().collect();
        rows.sort_by(|a, b| {
            b.hours_saved_per_month
                .total_cmp(&a.hours_saved_per_month)
                .then_with(|| a.slug.cmp(&b.slug))
        });
        rows
    };
    out.by_api = ranked(by_api);
    out.by_organisation = ranked(by_org);
    Ok(out)
}
