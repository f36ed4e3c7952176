//! Store rows → search documents: one for the API, one per operation and one per schema of its
//! latest version, each carrying the API's identity, owner, lifecycle, tags, visibility and format.

use serde::Deserialize;
use tantivy::TantivyDocument;

use super::fields::{Fields, Kind};
use crate::store::indexing::ApiSource;
use crate::store::versions::{OperationRow, SchemaRow};

/// Every document of one API.
pub fn for_api(f: &Fields, api: &ApiSource) -> Vec<TantivyDocument> {
    let mut docs = Vec::with_capacity(1 + api.operations.len() + api.schemas.len());
    docs.push(api_document(f, api));
    docs.extend(
        api.operations
            .iter()
            .map(|op| operation_document(f, api, op)),
    );
    docs.extend(api.schemas.iter().map(|s| schema_document(f, api, s)));
    docs
}

fn common(f: &Fields, api: &ApiSource, kind: Kind) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.kind, kind.as_str());
    doc.add_u64(f.api_id, api.id as u64);
    doc.add_text(f.api, &api.slug);
    if let Some(v) = &api.latest {
        doc.add_text(f.version, &v.version);
    }
    // As the API list's `format` filter has it: "none" for link-only entries.
    let format = api.latest.as_ref().and_then(|v| v.spec_format.as_deref());
    doc.add_text(f.format, format.unwrap_or("none"));
    doc.add_text(f.org, &api.owner);
    doc.add_text(f.org_kind, &api.owner_kind);
    doc.add_text(f.owner_name, &api.owner_name);
    doc.add_text(f.lifecycle, &api.lifecycle);
    doc.add_text(f.visibility, &api.visibility);
    for tag in &api.tags {
        doc.add_text(f.tag, tag);
    }
    match api.evaluation {
        Some((kitemark, score)) => {
            doc.add_text(
                f.kitemark,
                if kitemark { KITEMARK_YES } else { KITEMARK_NO },
            );
            doc.add_u64(f.score, score.clamp(0, 100) as u64);
            doc.add_text(f.score_band, score_band(score));
        }
        None => doc.add_text(f.kitemark, KITEMARK_UNEVALUATED),
    }
    if let Some(tier) = api.tier {
        doc.add_text(f.tier, tier);
    }
    doc
}

/// The band a score falls in, for the `score` facet.
pub fn score_band(score: i32) -> &'static str {
    match score {
        90.. => "90-100",
        75..=89 => "75-89",
        50..=74 => "50-74",
        _ => "0-49",
    }
}

/// The values of the `kitemark` field and filter.
pub const KITEMARK_YES: &str = "yes";
pub const KITEMARK_NO: &str = "no";
/// Link-only entries and versions not evaluated yet.
pub const KITEMARK_UNEVALUATED: &str = "unevaluated";

fn api_document(f: &Fields, api: &ApiSource) -> TantivyDocument {
    let mut doc = common(f, api, Kind::Api);
    doc.add_text(f.title, &api.name);
    doc.add_text(f.name, &api.name);
    doc.add_text(f.name, &api.slug);
    let mut description = api.description.clone().unwrap_or_default();
    if let Some(v) = &api.latest {
        if v.title != api.name {
            doc.add_text(f.summary, &v.title);
        }
        if let Some(d) = &v.description
            && Some(d) != api.description.as_ref()
        {
            if !description.is_empty() {
                description.push_str("\n\n");
            }
            description.push_str(d);
        }
    }
    if !description.is_empty() {
        doc.add_text(f.description, &description);
    }
    for tag in &api.tags {
        doc.add_text(f.tag_text, tag);
        doc.add_text(f.keywords, tag);
    }
    doc.add_text(f.extra, &api.owner_name);
    doc
}

#[derive(Deserialize)]
struct Parameter {
    name: String,
}

fn operation_document(f: &Fields, api: &ApiSource, op: &OperationRow) -> TantivyDocument {
    let mut doc = common(f, api, Kind::Operation);
    let title = op
        .summary
        .clone()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| op.operation_id.clone())
        .unwrap_or_else(|| format!("{} {}", op.method.to_uppercase(), op.path));
    doc.add_text(f.title, &title);
    doc.add_text(f.method, &op.method);
    doc.add_text(f.path, &op.path);
    if let Some(id) = &op.operation_id {
        doc.add_text(f.name, id);
    }
    if let Some(s) = &op.summary {
        doc.add_text(f.summary, s);
    }
    if let Some(d) = &op.description {
        doc.add_text(f.description, d);
    }
    for tag in serde_json::from_str::<Vec<String>>(&op.tags).unwrap_or_default() {
        doc.add_text(f.tag_text, &tag);
        doc.add_text(f.keywords, &tag);
    }
    for p in serde_json::from_str::<Vec<Parameter>>(&op.parameters).unwrap_or_default() {
        doc.add_text(f.params, &p.name);
        doc.add_text(f.keywords, &p.name);
    }
    for list in [&op.request_media_types, &op.response_media_types] {
        for media in serde_json::from_str::<Vec<String>>(list).unwrap_or_default() {
            doc.add_text(f.media, &media);
            doc.add_text(f.extra, &media);
        }
    }
    add_context(f, &mut doc, api);
    doc
}

fn schema_document(f: &Fields, api: &ApiSource, s: &SchemaRow) -> TantivyDocument {
    let mut doc = common(f, api, Kind::Schema);
    doc.add_text(f.title, &s.name);
    doc.add_text(f.name, &s.name);
    if let Some(d) = &s.description {
        doc.add_text(f.description, d);
    }
    for p in serde_json::from_str::<Vec<String>>(&s.properties).unwrap_or_default() {
        doc.add_text(f.props, &p);
        doc.add_text(f.keywords, &p);
    }
    for d in serde_json::from_str::<Vec<Option<String>>>(&s.property_descriptions)
        .unwrap_or_default()
        .into_iter()
        .flatten()
    {
        doc.add_text(f.prop_text, &d);
        doc.add_text(f.extra, &d);
    }
    add_context(f, &mut doc, api);
    doc
}

fn add_context(f: &Fields, doc: &mut TantivyDocument, api: &ApiSource) {
    doc.add_text(f.extra, &api.name);
    doc.add_text(f.extra, &api.owner_name);
}
