//! The index schema: what a search document holds, and how much each text field weighs.
//!
//! One document per API (its latest version), per operation and per schema of that version. Text
//! fields go through [`super::analysis`]; keyword fields are indexed whole and kept as fast columns
//! for filters and facets. `kitemark`, `score` and `contracts` are filled by the standard and the
//! contracts once those exist; the schema has them now so that adding them needs no new layout.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use super::analysis::ANALYZER;

/// Bumped whenever the layout or the analysis changes; an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 6;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Api,
    Operation,
    Schema,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Api => "api",
            Kind::Operation => "operation",
            Kind::Schema => "schema",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "api" => Some(Kind::Api),
            "operation" => Some(Kind::Operation),
            "schema" => Some(Kind::Schema),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Fields {
    pub schema: Schema,
    // Text, analyzed.
    /// API name, operationId, schema name.
    pub name: Field,
    /// Operation summary; an API's version title.
    pub summary: Field,
    pub path: Field,
    pub description: Field,
    /// Parameter names, property names and tags, searched together by default.
    pub keywords: Field,
    /// Weak evidence, searched by default at a low weight: the API and organisation an operation or
    /// schema belongs to, property descriptions and media types.
    pub extra: Field,
    // Searched only when a query names them (`param:`, `property:`, `tag:`, `media:`).
    pub params: Field,
    pub props: Field,
    pub prop_text: Field,
    pub tag_text: Field,
    pub media: Field,
    // Keywords: filters, facets, identity.
    pub kind: Field,
    pub api_id: Field,
    pub api: Field,
    pub version: Field,
    pub method: Field,
    pub org: Field,
    pub org_kind: Field,
    pub lifecycle: Field,
    pub tag: Field,
    pub visibility: Field,
    pub format: Field,
    pub kitemark: Field,
    /// The score as a band (`90-100`, `75-89`, `50-74`, `0-49`), for the `score` facet.
    pub score_band: Field,
    pub score: Field,
    /// The interoperability tier of the API's system: bronze, silver, gold or none.
    pub tier: Field,
    pub contract: Field,
    // Stored only.
    pub title: Field,
    pub owner_name: Field,
}

/// The fields a word is looked for in, and how much a match in each counts relative to a
/// description. Few fields on purpose: each is one more posting list per query term.
pub fn text_fields(f: &Fields) -> [(Field, f32); 6] {
    [
        (f.name, 4.0),
        (f.summary, 2.5),
        (f.path, 2.0),
        (f.keywords, 1.5),
        (f.description, 1.0),
        (f.extra, 0.6),
    ]
}

impl Fields {
    pub fn new() -> Fields {
        let mut b = Schema::builder();
        let analyzed = |stored: bool| {
            let o = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(ANALYZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            );
            if stored { o.set_stored() } else { o }
        };
        let name = b.add_text_field("name", analyzed(true));
        let summary = b.add_text_field("summary", analyzed(true));
        let path = b.add_text_field("path", analyzed(true));
        let description = b.add_text_field("description", analyzed(true));
        let keywords = b.add_text_field("keywords", analyzed(false));
        let extra = b.add_text_field("extra", analyzed(false));
        let params = b.add_text_field("params", analyzed(false));
        let props = b.add_text_field("props", analyzed(false));
        let prop_text = b.add_text_field("prop_text", analyzed(false));
        let tag_text = b.add_text_field("tag_text", analyzed(false));
        let media = b.add_text_field("media", analyzed(false));
        let keyword = STRING | FAST | STORED;
        let kind = b.add_text_field("kind", keyword.clone());
        let api_id = b.add_u64_field("api_id", INDEXED | FAST | STORED);
        let api = b.add_text_field("api", keyword.clone());
        let version = b.add_text_field("version", STORED);
        let method = b.add_text_field("method", STRING | STORED);
        let org = b.add_text_field("org", keyword.clone());
        let org_kind = b.add_text_field("org_kind", keyword.clone());
        let lifecycle = b.add_text_field("lifecycle", keyword.clone());
        let tag = b.add_text_field("tag", keyword.clone());
        let visibility = b.add_text_field("visibility", STRING);
        let format = b.add_text_field("format", keyword.clone());
        let kitemark = b.add_text_field("kitemark", keyword.clone());
        let score_band = b.add_text_field("score_band", keyword.clone());
        let score = b.add_u64_field("score", INDEXED | FAST | STORED);
        let tier = b.add_text_field("tier", keyword.clone());
        let contract = b.add_text_field("contract", keyword);
        let title = b.add_text_field("title", STORED);
        let owner_name = b.add_text_field("owner_name", STORED);
        Fields {
            schema: b.build(),
            name,
            summary,
            path,
            description,
            keywords,
            extra,
            params,
            props,
            prop_text,
            tag_text,
            media,
            kind,
            api_id,
            api,
            version,
            method,
            org,
            org_kind,
            lifecycle,
            tag,
            visibility,
            format,
            kitemark,
            score_band,
            score,
            tier,
            contract,
            title,
            owner_name,
        }
    }

    /// A field a query may name (`path:payments`), with the index fields it searches.
    pub fn by_query_name(&self, name: &str) -> Option<Vec<Field>> {
        Some(match name {
            "name" => vec![self.name],
            "summary" => vec![self.summary],
            "path" => vec![self.path],
            "description" => vec![self.description],
            "param" | "parameter" => vec![self.params],
            "property" => vec![self.props, self.prop_text],
            "tag" => vec![self.tag_text],
            "media" => vec![self.media],
            _ => return None,
        })
    }
}

/// The field names a query may use, for error messages and documentation.
pub const QUERY_FIELDS: &[&str] = &[
    "name",
    "summary",
    "path",
    "description",
    "param",
    "property",
    "tag",
    "media",
];

impl Default for Fields {
    fn default() -> Self {
        Fields::new()
    }
}
