//! Writes the interoperability map and the conformance matrix as files that people and tools open:
//! JSON (the wire shape), CSV for spreadsheets, Mermaid and Graphviz DOT for diagrams, and the
//! ArchiMate 3.1 Open Exchange Format for enterprise-architecture tools such as Archi.
//!
//! Every function here is pure and deterministic (the same graph gives the same bytes, so exports
//! diff cleanly) and escapes for its format whatever the labels hold. What a caller may see was
//! decided when the graph was built; nothing here filters.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use serde::Serialize;

use super::{Edge, EdgeKind, Graph, Matrix, MatrixCell, Node, NodeKind};
use crate::error::{Code, Error};

/// A file format of the interoperability exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Json,
    Csv,
    Mermaid,
    Dot,
    Archimate,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Json,
        Format::Csv,
        Format::Mermaid,
        Format::Dot,
        Format::Archimate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Mermaid => "mermaid",
            Format::Dot => "dot",
            Format::Archimate => "archimate",
        }
    }

    /// Parses the `format` query parameter or command-line value (lower case, as listed).
    pub fn parse(s: &str) -> Result<Format, Error> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                Error::invalid_at(
                    Code::InvalidFormat,
                    format!("format {s:?} is not one of: json, csv, mermaid, dot, archimate"),
                    "/format",
                )
            })
    }

    /// The `Content-Type` to answer with. Each text format carries its charset: labels are UTF-8.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
            // Not registered with IANA; named after the registered text/vnd.graphviz below.
            Format::Mermaid => "text/vnd.mermaid; charset=utf-8",
            Format::Dot => "text/vnd.graphviz; charset=utf-8",
            // The XML declaration names the encoding.
            Format::Archimate => "application/xml",
        }
    }

    /// The file name extension for a download, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Mermaid => "mmd",
            Format::Dot => "dot",
            Format::Archimate => "xml",
        }
    }
}

/// The interoperability map in `format`.
///
/// Edges whose ends are not nodes of the graph (only possible for a graph that did not go through
/// [`Graph::finish`]) are left out of the diagram formats, which cannot draw them, and kept in JSON
/// and CSV.
pub fn graph(g: &Graph, format: Format) -> String {
    match format {
        Format::Json => json(g),
        Format::Csv => graph_csv(g),
        Format::Mermaid => mermaid(g),
        Format::Dot => dot(g),
        Format::Archimate => archimate(g),
    }
}

/// The systems × contracts matrix in `format`: JSON or CSV, the formats in which a table reads as one.
pub fn matrix(m: &Matrix, format: Format) -> Result<String, Error> {
    match format {
        Format::Json => Ok(json(m)),
        Format::Csv => Ok(matrix_csv(m)),
        Format::Mermaid | Format::Dot | Format::Archimate => Err(Error::invalid_at(
            Code::InvalidFormat,
            format!(
                "format \"{}\" is for the interoperability map: the matrix is exported as json or csv",
                format.as_str()
            ),
            "/format",
        )),
    }
}

fn json<T: Serialize>(value: &T) -> String {
    // serde_json fails only on maps with non-string keys or a failing Serialize impl; the interop
    // types have neither, whatever their contents (a non-finite number is written as null).
    let mut text =
        serde_json::to_string_pretty(value).expect("the interop types always serialise to JSON");
    text.push('\n');
    text
}

/// The nodes by id; the first of duplicate ids wins, as everywhere in this module.
fn nodes_by_id(g: &Graph) -> HashMap<&str, &Node> {
    let mut nodes = HashMap::with_capacity(g.nodes.len());
    for n in &g.nodes {
        nodes.entry(n.id.as_str()).or_insert(n);
    }
    nodes
}

/// The nodes in graph order with duplicate ids dropped.
fn distinct_nodes(g: &Graph) -> impl Iterator<Item = &Node> {
    let mut seen = HashSet::new();
    g.nodes.iter().filter(move |n| seen.insert(n.id.as_str()))
}

/// Hands out names unique within one document: the first claim of a name gets it as it is, later
/// ones get `<name><sep>2`, `<name><sep>3`, … whichever is still free.
struct UniqueNames {
    used: HashSet<String>,
    sep: char,
}

impl UniqueNames {
    fn new(sep: char) -> UniqueNames {
        UniqueNames {
            used: HashSet::new(),
            sep,
        }
    }

    fn claim(&mut self, base: String) -> String {
        let mut name = base.clone();
        let mut n = 1u32;
        while self.used.contains(&name) {
            n += 1;
            name = format!("{base}{}{n}", self.sep);
        }
        self.used.insert(name.clone());
        name
    }
}

/// A number we print ourselves; nothing for NaN and infinities, which no reader parses.
fn number(x: f64) -> String {
    if x.is_finite() {
        x.to_string()
    } else {
        String::new()
    }
}

/// What an edge says in one short line, for diagram labels.
fn edge_caption(e: &Edge) -> String {
    match (e.kind, &e.contract_version, &e.status) {
        (EdgeKind::Implements, Some(v), Some(s)) => format!("implements {v} ({s})"),
        (EdgeKind::Implements, Some(v), None) => format!("implements {v}"),
        (EdgeKind::Implements, None, Some(s)) => format!("implements ({s})"),
        _ => e.kind.as_str().to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// CSV

const GRAPH_CSV_HEADER: [&str; 12] = [
    "source",
    "source_kind",
    "source_label",
    "kind",
    "target",
    "target_kind",
    "target_label",
    "contract_version",
    "status",
    "purpose",
    "replaces",
    "hours_saved_per_month",
];

/// A CSV document in memory.
struct CsvDocument {
    writer: csv::Writer<Vec<u8>>,
}

impl CsvDocument {
    fn new() -> CsvDocument {
        CsvDocument {
            // Flexible, so that the only error left is the writer's I/O, and a Vec never fails.
            writer: csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(Vec::new()),
        }
    }

    fn row<I, S>(&mut self, fields: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let fields = fields
            .into_iter()
            .map(|f| defuse_formula(f.as_ref()).into_owned());
        self.writer
            .write_record(fields)
            .expect("writing CSV to memory cannot fail");
    }

    fn finish(self) -> String {
        let bytes = self
            .writer
            .into_inner()
            .expect("flushing CSV to memory cannot fail");
        // Only whole `str`s went in, so this never replaces anything.
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
/// formula, so a label such as `=HYPERLINK(…)` written by one publisher would run on another
/// reader's machine (CSV injection). Such a field gets a leading `'`, which spreadsheets show as
/// text. Numbers get the same treatment: a negative one would read as text, the safe side.
fn defuse_formula(field: &str) -> Cow<'_, str> {
    match field.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{field}")),
        _ => Cow::Borrowed(field),
    }
}

/// One row per edge with both ends' kind and label beside their ids, then one row per node that no
/// edge touches, with only the `source` columns filled: one flat table that a spreadsheet filters
/// and pivots, rather than two sections that no CSV reader can tell apart. Text that a spreadsheet
/// would run as a formula is defused (see [`defuse_formula`]).
fn graph_csv(g: &Graph) -> String {
    let nodes = nodes_by_id(g);
    let kind = |id: &str| nodes.get(id).map_or("", |n| n.kind.as_str());
    let label = |id: &str| nodes.get(id).map_or("", |n| n.label.as_str());
    let mut doc = CsvDocument::new();
    doc.row(GRAPH_CSV_HEADER);
    for e in &g.edges {
        doc.row([
            e.source.as_str(),
            kind(&e.source),
            label(&e.source),
            e.kind.as_str(),
            e.target.as_str(),
            kind(&e.target),
            label(&e.target),
            e.contract_version.as_deref().unwrap_or(""),
            e.status.as_deref().unwrap_or(""),
            e.purpose.as_deref().unwrap_or(""),
            e.replaces.as_deref().unwrap_or(""),
            &e.hours_saved_per_month.map(number).unwrap_or_default(),
        ]);
    }
    let connected: HashSet<&str> = g
        .edges
        .iter()
        .flat_map(|e| [e.source.as_str(), e.target.as_str()])
        .collect();
    for n in distinct_nodes(g).filter(|n| !connected.contains(n.id.as_str())) {
        let mut row = [""; GRAPH_CSV_HEADER.len()];
        row[0] = &n.id;
        row[1] = n.kind.as_str();
        row[2] = &n.label;
        doc.row(row);
    }
    doc.finish()
}

/// `system,system_name,owner,<contract slug>…`, one row per system; a cell is the status of the
/// highest version claimed with that version, e.g. `conformant (1.0.0)`, or empty for no claim.
fn matrix_csv(m: &Matrix) -> String {
    let mut doc = CsvDocument::new();
    doc.row(
        ["system", "system_name", "owner"]
            .into_iter()
            .chain(m.contracts.iter().map(|c| c.slug.as_str())),
    );
    for s in &m.systems {
        // One cell per contract column even if `cells` is short or long, so that rows stay aligned
        // with the header.
        let cells = (0..m.contracts.len()).map(|i| matrix_cell(s.cells.get(i)));
        doc.row(
            [s.slug.clone(), s.name.clone(), s.owner.clone()]
                .into_iter()
                .chain(cells),
        );
    }
    doc.finish()
}

fn matrix_cell(cell: Option<&MatrixCell>) -> String {
    match cell {
        None => String::new(),
        Some(c) if c.status.is_empty() || c.status == "none" => String::new(),
        Some(c) => match &c.version {
            Some(v) => format!("{} ({v})", c.status),
            None => c.status.clone(),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Mermaid

/// A Mermaid flowchart. Node ids may only hold ASCII letters, digits and `_`, so `org:met-x`
/// becomes `org_met_x`, and ids that collide once sanitised (`a-b`, `a_b`) get `_2`, `_3`, ….
/// Labels are always quoted, with Mermaid's entity codes for the characters that would end the
/// string or be read as markup.
fn mermaid(g: &Graph) -> String {
    let mut names = UniqueNames::new('_');
    let mut ids: HashMap<&str, String> = HashMap::new();
    let mut out = String::from("flowchart LR\n");
    for n in distinct_nodes(g) {
        let id = names.claim(mermaid_id(&n.id));
        let (open, close) = match n.kind {
            NodeKind::Organisation => ("[[", "]]"),
            NodeKind::System => ("[", "]"),
            NodeKind::Api => ("([", "])"),
            NodeKind::Contract => ("{{", "}}"),
        };
        // Writing to a String cannot fail.
        let _ = writeln!(out, "    {id}{open}\"{}\"{close}", mermaid_text(&n.label));
        ids.insert(&n.id, id);
    }
    for e in &g.edges {
        let (Some(source), Some(target)) = (ids.get(e.source.as_str()), ids.get(e.target.as_str()))
        else {
            continue;
        };
        let arrow = if e.kind == EdgeKind::Implements {
            "-.->"
        } else {
            "-->"
        };
        let caption = mermaid_text(&edge_caption(e));
        let _ = writeln!(out, "    {source} {arrow}|\"{caption}\"| {target}");
    }
    for kind in [
        NodeKind::Organisation,
        NodeKind::System,
        NodeKind::Api,
        NodeKind::Contract,
    ] {
        let _ = writeln!(
            out,
            "    classDef {} {}",
            kind.as_str(),
            mermaid_style(kind)
        );
        let members: Vec<&str> = distinct_nodes(g)
            .filter(|n| n.kind == kind)
            .filter_map(|n| ids.get(n.id.as_str()).map(String::as_str))
            .collect();
        if !members.is_empty() {
            let _ = writeln!(out, "    class {} {}", members.join(","), kind.as_str());
        }
    }
    out
}

fn mermaid_id(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Text inside a quoted Mermaid label. `"` would end the string and `#` starts an entity code, so
/// both are written as codes; `<`, `>`, `&` too, because Mermaid renders labels as HTML; a
/// backtick, because a label wrapped in backticks is read as Markdown. Line breaks and other
/// control characters become spaces: a quoted label is one line.
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#38;"),
            '<' => out.push_str("#60;"),
            '>' => out.push_str("#62;"),
            '`' => out.push_str("#96;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// ArchiMate's layer colours, so that the diagrams and the ArchiMate export look alike.
fn mermaid_style(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Organisation => "fill:#ffffb5,stroke:#555",
        NodeKind::System | NodeKind::Api => "fill:#b5ffff,stroke:#555",
        NodeKind::Contract => "fill:#ccccff,stroke:#555",
    }
}

// ---------------------------------------------------------------------------------------------
// Graphviz DOT

/// A Graphviz digraph. Node ids are the catalogue's ids, quoted.
fn dot(g: &Graph) -> String {
    let mut out = String::from(concat!(
        "digraph interop {\n",
        "    rankdir=LR;\n",
        "    node [style=filled, fontname=\"Helvetica\"];\n",
        "    edge [fontname=\"Helvetica\", fontsize=10];\n",
    ));
    let known: HashSet<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
    for n in distinct_nodes(g) {
        let (shape, fill) = match n.kind {
            NodeKind::Organisation => ("house", "#ffffb5"),
            NodeKind::System => ("component", "#b5ffff"),
            NodeKind::Api => ("ellipse", "#b5ffff"),
            NodeKind::Contract => ("note", "#ccccff"),
        };
        let _ = writeln!(
            out,
            "    {} [label={}, shape={shape}, fillcolor=\"{fill}\"];",
            dot_string(&n.id),
            dot_string(&n.label)
        );
    }
    for e in &g.edges {
        if !known.contains(e.source.as_str()) || !known.contains(e.target.as_str()) {
            continue;
        }
        let style = if e.kind == EdgeKind::Implements {
            ", style=dashed"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "    {} -> {} [label={}{style}];",
            dot_string(&e.source),
            dot_string(&e.target),
            dot_string(&edge_caption(e))
        );
    }
    out.push_str("}\n");
    out
}

/// A DOT double-quoted string. The DOT grammar escapes only `"`, but Graphviz then reads labels as
/// escString, where a backslash starts a sequence (`\N` is the node's name, `\l` a line break), so
/// a backslash is doubled; a line break becomes `\n`, and other control characters spaces.
fn dot_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------------
// ArchiMate 3.1 Open Exchange Format

const ARCHIMATE_NS: &str = "http://www.opengroup.org/xsd/archimate/3.0/";
const ARCHIMATE_SCHEMA: &str = "http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd";

/// Property definitions: identifier, name (the catalogue's own field name), data type. All are
/// always written, so that every `propertyDefinitionRef` resolves whatever the graph holds.
const PROPERTY_DEFINITIONS: [(&str, &str, &str); 7] = [
    ("propid-catalogue-id", "catalogue_id", "string"),
    ("propid-relation", "relation", "string"),
    ("propid-contract-version", "contract_version", "string"),
    ("propid-status", "status", "string"),
    ("propid-purpose", "purpose", "string"),
    ("propid-replaces", "replaces", "string"),
    (
        "propid-hours-saved-per-month",
        "hours_saved_per_month",
        "number",
    ),
];

/// The ArchiMate element type of a node. A contract is a Requirement: a statement of need the
/// architecture must meet, which systems realise; ArchiMate's own Contract element is a business
/// agreement (passive structure) that an application component can only access or be associated
/// with, which would lose what `implements` says.
fn archimate_element(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Organisation => "BusinessActor",
        NodeKind::System => "ApplicationComponent",
        NodeKind::Api => "ApplicationInterface",
        NodeKind::Contract => "Requirement",
    }
}

/// The ArchiMate relationship type for an edge between nodes of these kinds, and whether it runs
/// against the edge. Tools such as Archi refuse a relationship that the ArchiMate 3.1 relationship
/// tables (Appendix B) do not allow, so each type below is allowed for exactly the element types
/// it is used with, and anything else is an Association, which the tables allow between any two
/// elements:
/// - a system provides an API: Composition, application component → application interface (the
///   interface is part of the component that offers it);
/// - a system consumes an API: Serving, application interface → application component, so it runs
///   against the edge (the interface serves the component that uses it);
/// - a system implements a contract: Realization, application component → requirement (a core
///   element realises a requirement);
/// - an organisation owns a system, API or contract: a directed Association, because no stronger
///   relationship is allowed from a business actor to all three (assignment to an application
///   component, for one, is not).
fn archimate_relationship(
    kind: EdgeKind,
    source: NodeKind,
    target: NodeKind,
) -> (&'static str, bool) {
    match (kind, source, target) {
        (EdgeKind::Provides, NodeKind::System, NodeKind::Api) => ("Composition", false),
        (EdgeKind::Consumes, NodeKind::System, NodeKind::Api) => ("Serving", true),
        (EdgeKind::Implements, NodeKind::System, NodeKind::Contract) => ("Realization", false),
        _ => ("Association", false),
    }
}

/// An `xs:ID` (an NCName: no colon, starts with a letter or `_`) made from `parts`: ASCII letters,
/// digits, `-`, `_` and `.` are kept, a `:` becomes `-` and anything else `_`, behind `id-`.
fn archimate_id(parts: &[&str]) -> String {
    let mut id = String::from("id");
    for part in parts {
        id.push('-');
        id.extend(part.chars().map(|c| match c {
            c if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') => c,
            ':' => '-',
            _ => '_',
        }));
    }
    id
}

/// An ArchiMate model: one element per node and one relationship per edge, each carrying the
/// catalogue's fields as properties, and no views (a tool lays out its own). Names from the
/// catalogue carry no `xml:lang`, since their language is not known.
fn archimate(g: &Graph) -> String {
    let mut names = UniqueNames::new('-');
    let mut elements_by_node: HashMap<&str, (String, NodeKind)> = HashMap::new();
    let mut elements = String::new();
    for n in distinct_nodes(g) {
        let id = names.claim(archimate_id(&[&n.id]));
        let _ = writeln!(
            elements,
            "    <element identifier=\"{}\" xsi:type=\"{}\">",
            xml(&id),
            archimate_element(n.kind)
        );
        let _ = writeln!(elements, "      <name>{}</name>", xml(&n.label));
        write_properties(
            &mut elements,
            &[("propid-catalogue-id", Some(n.id.clone()))],
        );
        elements.push_str("    </element>\n");
        elements_by_node.insert(&n.id, (id, n.kind));
    }

    let mut relationships = String::new();
    for e in &g.edges {
        let (Some((source, source_kind)), Some((target, target_kind))) = (
            elements_by_node.get(e.source.as_str()),
            elements_by_node.get(e.target.as_str()),
        ) else {
            continue;
        };
        let (kind, reversed) = archimate_relationship(e.kind, *source_kind, *target_kind);
        let (from, to) = if reversed {
            (target, source)
        } else {
            (source, target)
        };
        let id = names.claim(archimate_id(&[e.kind.as_str(), &e.source, &e.target]));
        let directed = if kind == "Association" {
            " isDirected=\"true\""
        } else {
            ""
        };
        let _ = writeln!(
            relationships,
            "    <relationship identifier=\"{}\" source=\"{}\" target=\"{}\" xsi:type=\"{kind}\"{directed}>",
            xml(&id),
            xml(from),
            xml(to),
        );
        // The name reads along the relationship's arrow, which for Serving is from the API.
        let name = if reversed {
            "serves".to_string()
        } else {
            match (e.kind, &e.contract_version) {
                (EdgeKind::Implements, Some(v)) => format!("implements {v}"),
                _ => e.kind.as_str().to_string(),
            }
        };
        let _ = writeln!(
            relationships,
            "      <name xml:lang=\"en\">{}</name>",
            xml(&name)
        );
        write_properties(
            &mut relationships,
            &[
                ("propid-relation", Some(e.kind.as_str().to_string())),
                ("propid-contract-version", e.contract_version.clone()),
                ("propid-status", e.status.clone()),
                ("propid-purpose", e.purpose.clone()),
                ("propid-replaces", e.replaces.clone()),
                (
                    "propid-hours-saved-per-month",
                    e.hours_saved_per_month
                        .map(number)
                        .filter(|h| !h.is_empty()),
                ),
            ],
        );
        relationships.push_str("    </relationship>\n");
    }

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<model xmlns=\"{ARCHIMATE_NS}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"{ARCHIMATE_NS} {ARCHIMATE_SCHEMA}\" identifier=\"id-police-api-catalogue-interop\">"
    );
    out.push_str("  <name xml:lang=\"en\">Police API Catalogue: interoperability map</name>\n");
    out.push_str(concat!(
        "  <documentation xml:lang=\"en\">Organisations are business actors, systems application ",
        "components, APIs application interfaces and contracts requirements. Each relationship's ",
        "relation property holds the catalogue's own term: owns, provides, consumes or implements.",
        "</documentation>\n",
    ));
    // The schema's order: elements, relationships, (organizations), propertyDefinitions; a container
    // must not be empty.
    if !elements.is_empty() {
        out.push_str("  <elements>\n");
        out.push_str(&elements);
        out.push_str("  </elements>\n");
    }
    if !relationships.is_empty() {
        out.push_str("  <relationships>\n");
        out.push_str(&relationships);
        out.push_str("  </relationships>\n");
    }
    out.push_str("  <propertyDefinitions>\n");
    for (id, name, data_type) in PROPERTY_DEFINITIONS {
        let _ = writeln!(
            out,
            "    <propertyDefinition identifier=\"{id}\" type=\"{data_type}\">\n      <name xml:lang=\"en\">{name}</name>\n    </propertyDefinition>"
        );
    }
    out.push_str("  </propertyDefinitions>\n</model>\n");
    out
}

/// A `<properties>` block with the values that are present, or nothing when none is.
fn write_properties(out: &mut String, values: &[(&str, Option<String>)]) {
    let present: Vec<(&str, &String)> = values
        .iter()
        .filter_map(|(id, v)| v.as_ref().map(|v| (*id, v)))
        .collect();
    if present.is_empty() {
        return;
    }
    out.push_str("      <properties>\n");
    for (id, value) in present {
        let _ = writeln!(
            out,
            "        <property propertyDefinitionRef=\"{id}\">\n          <value>{}</value>\n        </property>",
            xml(value)
        );
    }
    out.push_str("      </properties>\n");
}

/// Text for XML content or a double- or single-quoted attribute. Tabs and line breaks are written
/// as references so that attribute normalisation keeps them; characters XML 1.0 cannot carry at
/// all (other C0 controls, U+FFFE, U+FFFF) become U+FFFD.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::{MatrixClaim, MatrixContract, MatrixSystem};

    /// Quotes, markup, an ampersand, a backslash, a line break, a tab, a NUL, a `#`, a backtick and
    /// non-ASCII text, all in one name.
    const AWKWARD: &str = "Met \"Police\" <HQ> & Co\\ #1\nLondon\t`x` \u{0} café ✓";

    fn edge(source: &str, target: &str, kind: EdgeKind) -> Edge {
        Edge::new(source.to_string(), target.to_string(), kind)
    }

    /// Every node and edge kind; an awkward organisation name; system slugs `a-b`, `a_b` and
    /// `a_b_2` that collide once made into Mermaid ids; `a_b_2` and an API that no edge touches.
    fn awkward_graph() -> Graph {
        let mut consumes = edge("system:a_b", "api:crime", EdgeKind::Consumes);
        consumes.purpose = Some("=HYPERLINK(\"http://x\",\"y\")".to_string());
        consumes.replaces = Some("manual_rekeying".to_string());
        consumes.hours_saved_per_month = Some(12.5);
        let mut implements = edge("system:a-b", "contract:ihub", EdgeKind::Implements);
        implements.contract_version = Some("1.0.0".to_string());
        implements.status = Some("conformant".to_string());
        Graph {
            nodes: vec![
                Node::new(NodeKind::Organisation, "met", AWKWARD),
                Node::new(NodeKind::System, "a-b", "Records <RMS>"),
                Node::new(NodeKind::System, "a_b", "Custody"),
                Node::new(NodeKind::System, "a_b_2", "Intel"),
                Node::new(NodeKind::Api, "crime", "Crime API"),
                Node::new(NodeKind::Api, "lonely", "Unused API"),
                Node::new(NodeKind::Contract, "ihub", "iHub contract"),
            ],
            edges: vec![
                edge("org:met", "system:a-b", EdgeKind::Owns),
                edge("org:met", "contract:ihub", EdgeKind::Owns),
                edge("system:a-b", "api:crime", EdgeKind::Provides),
                consumes,
                implements,
            ],
        }
        .finish()
    }

    #[test]
    fn format_parses_its_names_and_rejects_others_at_format() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.as_str()).ok(), Some(f));
        }
        let e = Format::parse("yaml").expect_err("yaml is not a format");
        assert_eq!(e.code(), "invalid_format");
        assert_eq!(e.location().pointer.as_deref(), Some("/format"));
        assert_eq!(
            e.to_string(),
            "format \"yaml\" is not one of: json, csv, mermaid, dot, archimate"
        );
        assert!(Format::parse("JSON").is_err());
    }

    #[test]
    fn text_formats_name_their_charset() {
        for f in [Format::Csv, Format::Mermaid, Format::Dot] {
            assert!(f.media_type().ends_with("; charset=utf-8"), "{f:?}");
        }
        assert_eq!(Format::Archimate.media_type(), "application/xml");
        let extensions: HashSet<&str> = Format::ALL.iter().map(|f| f.extension()).collect();
        assert_eq!(extensions.len(), Format::ALL.len());
    }

    #[test]
    fn every_format_is_deterministic() {
        let g = awkward_graph();
        for f in Format::ALL {
            let first = graph(&g, f);
            assert!(first.ends_with('\n'), "{f:?}");
            assert_eq!(first, graph(&g.clone(), f), "{f:?}");
        }
    }

    #[test]
    fn json_is_the_graph_itself() {
        let g = awkward_graph();
        let parsed: serde_json::Value =
            serde_json::from_str(&graph(&g, Format::Json)).expect("valid JSON");
        assert_eq!(parsed, serde_json::to_value(&g).expect("serialises"));
        assert_eq!(parsed["nodes"][0]["label"], AWKWARD);
    }

    fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header = reader
            .headers()
            .expect("header")
            .iter()
            .map(str::to_string)
            .collect();
        let rows = reader
            .records()
            .map(|r| r.expect("record").iter().map(str::to_string).collect())
            .collect();
        (header, rows)
    }

    #[test]
    fn csv_has_a_row_per_edge_and_per_isolated_node_and_round_trips_every_field() {
        let g = awkward_graph();
        let (header, rows) = read_csv(&graph(&g, Format::Csv));
        assert_eq!(header, GRAPH_CSV_HEADER);
        assert_eq!(
            rows.len(),
            g.edges.len() + 2,
            "five edges, system a_b_2 and the unused API"
        );

        let owns = rows
            .iter()
            .find(|r| r[3] == "owns" && r[4] == "system:a-b")
            .expect("owns row");
        assert_eq!(
            owns[..7],
            [
                "org:met",
                "organisation",
                AWKWARD,
                "owns",
                "system:a-b",
                "system",
                "Records <RMS>"
            ]
        );

        let consumes = rows
            .iter()
            .find(|r| r[3] == "consumes")
            .expect("consumes row");
        assert_eq!(consumes[0], "system:a_b");
        assert_eq!(
            consumes[9], "'=HYPERLINK(\"http://x\",\"y\")",
            "formula defused"
        );
        assert_eq!(consumes[10], "manual_rekeying");
        assert_eq!(consumes[11], "12.5");

        let implements = rows
            .iter()
            .find(|r| r[3] == "implements")
            .expect("implements row");
        assert_eq!(implements[7..9], ["1.0.0", "conformant"]);

        // In node order (kind, then slug) after the edges.
        let isolated = &rows[g.edges.len()..];
        assert_eq!(isolated[0][..3], ["system:a_b_2", "system", "Intel"]);
        assert_eq!(isolated[1][..3], ["api:lonely", "api", "Unused API"]);
        assert!(isolated.iter().all(|r| r[3..].iter().all(String::is_empty)));
    }

    #[test]
    fn csv_defuses_only_what_a_spreadsheet_would_run() {
        for risky in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(defuse_formula(risky), format!("'{risky}"));
        }
        for safe in ["1.0.0", "a=b", "", "’quoted"] {
            assert_eq!(defuse_formula(safe), safe);
        }
    }

    fn cell(status: &str, version: Option<&str>) -> MatrixCell {
        MatrixCell {
            status: status.to_string(),
            version: version.map(str::to_string),
            claims: version
                .map(|v| MatrixClaim {
                    version: v.to_string(),
                    status: status.to_string(),
                    api: "api:crime".to_string(),
                })
                .into_iter()
                .collect(),
        }
    }

    fn sample_matrix() -> Matrix {
        let contract = |slug: &str| MatrixContract {
            slug: slug.to_string(),
            name: slug.to_uppercase(),
            latest_version: Some("2.0.0".to_string()),
        };
        Matrix {
            contracts: vec![contract("ihub"), contract("pnc")],
            systems: vec![
                MatrixSystem {
                    slug: "a-b".to_string(),
                    name: "Records, \"RMS\"".to_string(),
                    owner: "met".to_string(),
                    cells: vec![cell("conformant", Some("1.0.0")), cell("none", None)],
                },
                MatrixSystem {
                    slug: "c".to_string(),
                    name: "Custody".to_string(),
                    owner: "kent".to_string(),
                    // One cell short: the row still has a column per contract.
                    cells: vec![cell("not_conformant", Some("2.0.0"))],
                },
            ],
        }
    }

    #[test]
    fn matrix_csv_has_a_column_per_contract_and_a_row_per_system() {
        let text = matrix(&sample_matrix(), Format::Csv).expect("csv");
        let (header, rows) = read_csv(&text);
        assert_eq!(header, ["system", "system_name", "owner", "ihub", "pnc"]);
        assert_eq!(
            rows,
            [
                ["a-b", "Records, \"RMS\"", "met", "conformant (1.0.0)", ""],
                ["c", "Custody", "kent", "not_conformant (2.0.0)", ""],
            ]
        );
    }

    #[test]
    fn matrix_json_is_the_matrix_and_diagram_formats_are_refused() {
        let m = sample_matrix();
        let parsed: serde_json::Value =
            serde_json::from_str(&matrix(&m, Format::Json).expect("json")).expect("valid JSON");
        assert_eq!(parsed, serde_json::to_value(&m).expect("serialises"));
        for f in [Format::Mermaid, Format::Dot, Format::Archimate] {
            let e = matrix(&m, f).expect_err("refused");
            assert_eq!(e.code(), "invalid_format");
            assert_eq!(e.location().pointer.as_deref(), Some("/format"));
            assert!(e.to_string().contains("json or csv"), "{e}");
        }
    }

    #[test]
    fn mermaid_ids_are_safe_and_unique_and_labels_stay_inside_their_quotes() {
        let g = awkward_graph();
        let text = graph(&g, Format::Mermaid);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("flowchart LR"));
        let node_lines: Vec<&str> = text
            .lines()
            .skip(1)
            .take(g.nodes.len())
            .map(str::trim_start)
            .collect();
        let ids: Vec<&str> = node_lines
            .iter()
            .map(|l| {
                &l[..l
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(l.len())]
            })
            .collect();
        assert!(ids.iter().all(|id| !id.is_empty()));
        assert_eq!(
            ids.iter().collect::<HashSet<_>>().len(),
            g.nodes.len(),
            "{ids:?}"
        );
        for (slug, id) in [
            ("a-b", "system_a_b"),
            ("a_b", "system_a_b_2"),
            ("a_b_2", "system_a_b_2_2"),
        ] {
            let line = node_lines
                .iter()
                .find(|l| l.starts_with(&format!("{id}[")))
                .unwrap_or_else(|| panic!("no node {id} for {slug}"));
            assert!(line.starts_with(&format!("{id}[\"")));
        }
        assert!(node_lines.contains(
            &"org_met[[\"Met #quot;Police#quot; #60;HQ#62; #38; Co\\ #35;1 London #96;x#96;   café ✓\"]]"
        ));
        // Every quoted string ends where it should: exactly two quotes on each node and edge line.
        for line in text
            .lines()
            .skip(1)
            .filter(|l| !l.trim_start().starts_with("class"))
        {
            assert_eq!(line.matches('"').count(), 2, "{line}");
        }
        assert!(
            text.contains("    system_a_b -.->|\"implements 1.0.0 (conformant)\"| contract_ihub\n")
        );
        assert!(text.contains("    org_met -->|\"owns\"| system_a_b\n"));
        assert!(text.contains("    class api_crime,api_lonely api\n"));
    }

    #[test]
    fn dot_quotes_and_escapes_every_string() {
        let g = awkward_graph();
        let text = graph(&g, Format::Dot);
        assert!(text.starts_with("digraph interop {\n"));
        assert!(text.ends_with("}\n"));
        assert!(text.contains(
            "    \"org:met\" [label=\"Met \\\"Police\\\" <HQ> & Co\\\\ #1\\nLondon `x`   café ✓\", shape=house, fillcolor=\"#ffffb5\"];\n"
        ));
        assert!(text.contains("    \"system:a-b\" -> \"api:crime\" [label=\"provides\"];\n"));
        // With escape pairs removed, every line holds whole quoted strings only.
        for line in text.lines() {
            let unescaped = line.replace("\\\\", "").replace("\\\"", "");
            assert_eq!(unescaped.matches('"').count() % 2, 0, "{line}");
        }
        assert_eq!(dot_string("a\r\nb\rc\\"), "\"a\\nb\\nc\\\\\"");
    }

    fn is_ncname(s: &str) -> bool {
        let mut chars = s.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    }

    /// The values of `attr="…"` in document order.
    fn attribute_values<'a>(xml: &'a str, attr: &str) -> Vec<&'a str> {
        let needle = format!(" {attr}=\"");
        xml.match_indices(&needle)
            .map(|(at, _)| {
                let rest = &xml[at + needle.len()..];
                &rest[..rest.find('"').unwrap_or(rest.len())]
            })
            .collect()
    }

    /// A small well-formedness check: tags balance with one root, attribute values are quoted, and
    /// no `<` or `&` stands unescaped in text or attributes.
    fn assert_well_formed(xml: &str) {
        let body = xml
            .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .expect("XML declaration");
        let entity_ok = |s: &str| {
            s.match_indices('&').all(|(at, _)| {
                let rest = &s[at..];
                [
                    "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#9;", "&#10;", "&#13;",
                ]
                .iter()
                .any(|e| rest.starts_with(e))
            })
        };
        let mut open: Vec<&str> = Vec::new();
        let mut roots = 0;
        let mut rest = body;
        while let Some(lt) = rest.find('<') {
            let text = &rest[..lt];
            assert!(entity_ok(text) && !text.contains('>'), "bad text {text:?}");
            if open.is_empty() {
                assert!(text.trim().is_empty(), "text outside the root: {text:?}");
            }
            let gt = rest[lt..].find('>').expect("tag closes") + lt;
            let tag = &rest[lt + 1..gt];
            assert!(
                !tag.contains('<') && tag.matches('"').count().is_multiple_of(2),
                "bad tag {tag:?}"
            );
            assert!(entity_ok(tag), "bad attribute in {tag:?}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(open.pop(), Some(name), "mismatched </{name}>");
            } else {
                let name = tag.split_whitespace().next().expect("tag name");
                if !tag.ends_with('/') {
                    if open.is_empty() {
                        roots += 1;
                    }
                    open.push(name);
                }
            }
            rest = &rest[gt + 1..];
        }
        assert!(open.is_empty(), "unclosed {open:?}");
        assert!(rest.trim().is_empty());
        assert_eq!(roots, 1);
    }

    #[test]
    fn archimate_is_well_formed_with_escaped_text_and_ncname_ids() {
        let g = awkward_graph();
        let text = graph(&g, Format::Archimate);
        assert_well_formed(&text);
        assert!(text.contains(
            "<name>Met &quot;Police&quot; &lt;HQ&gt; &amp; Co\\ #1&#10;London&#9;`x` \u{fffd} café ✓</name>"
        ));
        assert_eq!(xml("'"), "&apos;");

        let identifiers = attribute_values(&text, "identifier");
        assert!(
            identifiers.iter().all(|id| is_ncname(id)),
            "{identifiers:?}"
        );
        let unique: HashSet<&&str> = identifiers.iter().collect();
        assert_eq!(unique.len(), identifiers.len(), "identifiers are unique");
        // 1 model + 7 elements + 5 relationships + 7 property definitions.
        assert_eq!(identifiers.len(), 1 + 7 + 5 + PROPERTY_DEFINITIONS.len());
        for reference in attribute_values(&text, "source")
            .into_iter()
            .chain(attribute_values(&text, "target"))
            .chain(attribute_values(&text, "propertyDefinitionRef"))
        {
            assert!(unique.contains(&reference), "{reference} is not defined");
        }
    }

    #[test]
    fn archimate_uses_relationships_the_specification_allows() {
        let text = graph(&awkward_graph(), Format::Archimate);
        for element in [
            "<element identifier=\"id-org-met\" xsi:type=\"BusinessActor\">",
            "<element identifier=\"id-system-a-b\" xsi:type=\"ApplicationComponent\">",
            "<element identifier=\"id-api-crime\" xsi:type=\"ApplicationInterface\">",
            "<element identifier=\"id-contract-ihub\" xsi:type=\"Requirement\">",
        ] {
            assert!(text.contains(element), "{element}");
        }
        for relationship in [
            "source=\"id-org-met\" target=\"id-system-a-b\" xsi:type=\"Association\" isDirected=\"true\">",
            "source=\"id-system-a-b\" target=\"id-api-crime\" xsi:type=\"Composition\">",
            // Against the edge: the API serves the system that consumes it.
            "source=\"id-api-crime\" target=\"id-system-a_b\" xsi:type=\"Serving\">",
            "source=\"id-system-a-b\" target=\"id-contract-ihub\" xsi:type=\"Realization\">",
        ] {
            assert!(text.contains(relationship), "{relationship}");
        }
        // An edge between unexpected kinds still gets a relationship valid between any two elements.
        assert_eq!(
            archimate_relationship(EdgeKind::Provides, NodeKind::Organisation, NodeKind::Api),
            ("Association", false)
        );
        // The schema's order of the model's children.
        let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s} missing"));
        assert!(at("<elements>") < at("<relationships>"));
        assert!(at("<relationships>") < at("<propertyDefinitions>"));
        assert!(text.contains("<value>12.5</value>"));
    }

    #[test]
    fn archimate_ids_stay_unique_when_sanitising_collides() {
        let g = Graph {
            nodes: vec![
                Node::new(NodeKind::System, "a:b", "One"),
                Node::new(NodeKind::System, "a-b", "Two"),
                Node::new(NodeKind::System, "ü", "Three"),
            ],
            edges: vec![],
        };
        let text = graph(&g, Format::Archimate);
        let ids = attribute_values(&text, "identifier");
        assert!(ids.contains(&"id-system-a-b"));
        assert!(ids.contains(&"id-system-a-b-2"));
        assert!(ids.contains(&"id-system-_"));
        assert!(ids.iter().all(|id| is_ncname(id)));
    }

    #[test]
    fn an_empty_graph_gives_valid_empty_documents() {
        let g = Graph::default();
        let xml = graph(&g, Format::Archimate);
        assert_well_formed(&xml);
        // Empty containers are invalid in the schema.
        assert!(!xml.contains("<elements>") && !xml.contains("<relationships>"));
        assert_eq!(
            graph(&g, Format::Csv),
            format!("{}\n", GRAPH_CSV_HEADER.join(","))
        );
        assert!(graph(&g, Format::Dot).ends_with("}\n"));
    }
}
