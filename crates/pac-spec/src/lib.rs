//! Reading OpenAPI descriptions: JSON or YAML, Swagger 2.0 / OpenAPI 3.0 / 3.1, from one file, a directory or an
//! archive, into ONE internal model (`openapiv3`, i.e. OpenAPI 3.0) plus the same document as JSON.
//!
//! Boundaries: this module never touches the network, the store or the search index. It reads bytes from a
//! [`Source`], enforces [`Limits`], bundles relative `$ref`s into the root document, converts 2.0 and normalises 3.1,
//! and says what it could not carry as [`Note`]s. Every refusal is a [`SpecError`] with a stable `code`.
//!
//! Error codes: [`SpecCode`], each with what it means.
//! Note codes: `ref_remote`, `ref_missing_file`, `ref_missing_target`, `conversion_dropped`, `repaired`.
//!
//! Loading runs on its own thread with a large stack (64 MiB, reserved not committed), so deep input cannot
//! overflow the caller's thread, whichever it is.

pub mod codes;
pub mod detect;
pub mod error;
pub mod input;
pub mod locate;
mod oas31;
pub mod onepass;
pub mod parse;
pub mod pointer;
pub mod refs;
mod repair;
pub mod sniff;
mod source;
mod summary;
pub mod swagger2;

use serde::Serialize;
use serde_json::Value;

pub use codes::SpecCode;
pub use error::{Location, SpecError};
pub use input::{load_body, load_file};
pub use refs::{resolve_parameter, resolve_request_body, resolve_response, resolve_schema};
pub use source::{DirSource, MemorySource, Source};

/// Resource limits applied while loading one description (all files of a bundle together).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted size of one file, in bytes.
    pub max_document_bytes: usize,
    /// Deepest accepted nesting of arrays and objects.
    pub max_depth: usize,
    /// How many events YAML aliases may replay in total (billion-laughs guard).
    pub max_alias_expansions: usize,
    /// Most operations (method + path) in one description.
    pub max_operations: usize,
    /// Most files in a bundle or archive.
    pub max_files: usize,
}

impl Limits {
    /// Each limit raised to at least `other`'s.
    pub fn at_least(&self, other: &Limits) -> Limits {
        Limits {
            max_document_bytes: self.max_document_bytes.max(other.max_document_bytes),
            max_depth: self.max_depth.max(other.max_depth),
            max_alias_expansions: self.max_alias_expansions.max(other.max_alias_expansions),
            max_operations: self.max_operations.max(other.max_operations),
            max_files: self.max_files.max(other.max_files),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_document_bytes: 50 * 1024 * 1024,
            max_depth: 128,
            max_alias_expansions: 100_000,
            max_operations: 5_000,
            max_files: 500,
        }
    }
}

/// The syntax a file was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    Json,
    Yaml,
    /// A Markdown or text file a description's `$ref` names for a piece of text (a `description`
    /// kept in `*.md`, as Redocly allows): its text is the value.
    Text,
}

impl SourceFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Yaml => "yaml",
            Self::Text => "text",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Yaml => "application/yaml",
            Self::Text => "text/markdown",
        }
    }
}

/// The specification version a description declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SpecFormat {
    #[serde(rename = "swagger-2.0")]
    Swagger2,
    #[serde(rename = "openapi-3.0")]
    OpenApi30,
    #[serde(rename = "openapi-3.1")]
    OpenApi31,
    #[serde(rename = "openapi-3.2")]
    OpenApi32,
}

impl SpecFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Swagger2 => "swagger-2.0",
            Self::OpenApi30 => "openapi-3.0",
            Self::OpenApi31 => "openapi-3.1",
            Self::OpenApi32 => "openapi-3.2",
        }
    }

    /// OpenAPI 3.1 and later: JSON Schema 2020-12, webhooks, path items in components.
    pub fn is_31_or_later(self) -> bool {
        matches!(self, Self::OpenApi31 | Self::OpenApi32)
    }
}

/// One file that was read while loading, exactly as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub bytes: Vec<u8>,
    pub format: SourceFormat,
    pub sha256: String,
}

/// Something the loader changed, dropped or could not follow; the description was still accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub code: String,
    pub pointer: String,
    pub message: String,
}

impl Note {
    /// Whether the note says a reference was not followed (a file or a place that is not there, or
    /// a remote reference): what it names is missing from the description.
    pub fn is_unresolved(&self) -> bool {
        matches!(
            self.code.as_str(),
            "ref_missing_file" | "ref_missing_target" | "ref_remote"
        )
    }

    pub(crate) fn new(code: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationSummary {
    /// Lower-case HTTP method.
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
    /// Path-level and operation-level parameters, `$ref`s followed (unresolvable ones left out).
    pub parameters: Vec<ParameterSummary>,
    /// Media types the request body accepts.
    pub request_media_types: Vec<String>,
    /// Media types any response may have, in document order, without repeats.
    pub response_media_types: Vec<String>,
}

/// A parameter of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParameterSummary {
    pub name: String,
    /// path, query, header or cookie.
    #[serde(rename = "in")]
    pub location: String,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaSummary {
    pub name: String,
    pub description: Option<String>,
    pub properties: Vec<String>,
    /// Aligned with `properties`.
    pub property_descriptions: Vec<Option<String>>,
}

/// A loaded description: the internal model, its JSON form, and what was read to build it.
#[derive(Debug, Clone)]
pub struct Description {
    pub format: SpecFormat,
    /// The version string as declared: "2.0", "3.0.3", "3.1.0".
    pub declared_version: String,
    pub title: String,
    /// `info.version`.
    pub version: String,
    pub description: Option<String>,
    /// The typed 3.0 model: 3.0 as is, 2.0 converted, 3.1 and 3.2 read as 3.0 (what 3.0 cannot
    /// say is missing here, never from `normalised`).
    pub openapi: openapiv3::OpenAPI,
    /// The document every engine works on, and what is stored as the derived form: 2.0 converted
    /// to 3.0, bundles joined, and 3.0, 3.1 and 3.2 otherwise as written (every JSON Schema
    /// 2020-12 keyword, webhooks, 3.2's methods kept).
    pub normalised: Value,
    pub notes: Vec<Note>,
    pub operations: Vec<OperationSummary>,
    pub schemas: Vec<SchemaSummary>,
    /// Every file actually read, root first, bytes untouched.
    pub files: Vec<SourceFile>,
    /// For a Swagger 2.0 original: places the conversion moved, as (3.0 pointer, 2.0 pointer);
    /// see [`swagger2::original_pointer`].
    pub swagger2_moves: Vec<(String, String)>,
}

/// Hex SHA-256 of `bytes`, the content address used for originals.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Parse one document to JSON without interpreting it (size, encoding, depth, alias and syntax checks only).
pub fn parse(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<(Value, SourceFormat), SpecError> {
    on_big_stack(|| parse::parse(name, bytes, limits).map(|p| (p.value, p.format)))
}

/// Stack for the recursive work (parser, Value building, conversion, typed model): nesting up to `max_depth`
/// must not overflow whatever thread the caller runs on (a 2 MiB worker thread in a debug build cannot take 128
/// levels of YAML). Only touched pages are committed, so the size costs nothing up front.
const STACK_BYTES: usize = 64 * 1024 * 1024;

pub(crate) fn on_big_stack<T: Send>(
    work: impl FnOnce() -> Result<T, SpecError> + Send,
) -> Result<T, SpecError> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("pac-spec".to_owned())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, work)
            .map_err(|e| {
                SpecError::new(
                    SpecCode::Internal,
                    format!("cannot start the reader thread: {e}"),
                )
            })?;
        // A panic here is a bug in this module; the caller still gets an error rather than an unwinding thread.
        handle.join().unwrap_or_else(|_| {
            Err(SpecError::new(
                SpecCode::Internal,
                "internal error while reading the description",
            ))
        })
    })
}

/// Load the description whose root document is `root` in `source`, bundling the files it references.
pub fn load(source: &dyn Source, root: &str, limits: &Limits) -> Result<Description, SpecError> {
    on_big_stack(|| load_on_this_thread(source, root, limits))
}

fn load_on_this_thread(
    source: &dyn Source,
    root: &str,
    limits: &Limits,
) -> Result<Description, SpecError> {
    let root = source::normalise_path(root)?;
    let bytes = source.read(&root)?.ok_or_else(|| {
        SpecError::new(
            SpecCode::NoRoot,
            format!("{root}: no such file in the source"),
        )
        .file(&root)
    })?;
    let mut files = Vec::new();
    let parsed = parse::parse(&root, &bytes, limits)?;
    files.push(SourceFile {
        path: root.clone(),
        sha256: sha256_hex(&bytes),
        bytes,
        format: parsed.format,
    });
    let mut value = parsed.value;
    let detected = detect::detect(&root, &value)?;
    let mut notes = Vec::new();
    if refs::may_have_external_refs(&files[0].bytes) {
        refs::bundle(source, &root, &mut value, &mut files, &mut notes, limits)?;
    }
    finish(&root, value, detected, notes, files, limits)
}

/// Load a single document held in memory; `name` is used in messages and as the file's path.
pub fn load_bytes(name: &str, bytes: &[u8], limits: &Limits) -> Result<Description, SpecError> {
    on_big_stack(|| load_bytes_on_this_thread(name, bytes, limits))
}

fn load_bytes_on_this_thread(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Description, SpecError> {
    let parsed = parse::parse(name, bytes, limits)?;
    let detected = detect::detect(name, &parsed.value)?;
    let files = vec![SourceFile {
        path: name.to_owned(),
        bytes: bytes.to_vec(),
        format: parsed.format,
        sha256: sha256_hex(bytes),
    }];
    let mut value = parsed.value;
    let mut notes = Vec::new();
    // A lone document can still point at other files; with no source they are all missing.
    if refs::may_have_external_refs(bytes) {
        refs::bundle(
            &source::MemorySource::default(),
            name,
            &mut value,
            &mut Vec::new(),
            &mut notes,
            limits,
        )?;
    }
    finish(name, value, detected, notes, files, limits)
}

fn finish(
    file: &str,
    mut value: Value,
    detected: detect::Detected,
    mut notes: Vec<Note>,
    files: Vec<SourceFile>,
    limits: &Limits,
) -> Result<Description, SpecError> {
    let swagger2_moves = match detected.format {
        SpecFormat::Swagger2 => swagger2::convert(&mut value, &mut notes),
        _ => Vec::new(),
    };
    let later = detected.format.is_31_or_later();
    if !later {
        repair::repair(&mut value, &mut notes);
    }
    refs::check_internal(file, &value, &mut notes)?;
    summary::check_operation_count(file, &value, limits)?;
    let openapi = if later {
        // 3.1 and 3.2 stay as they are in the normalised document: JSON Schema 2020-12, webhooks,
        // path items in components. The typed model is 3.0's, so it is built from a 3.0 reading of
        // a copy; what that reading drops concerns the model only, and is not noted.
        let mut copy = value.clone();
        let mut model_notes = Vec::new();
        oas31::normalise(&mut copy, &mut model_notes);
        repair::repair(&mut copy, &mut model_notes);
        let model = repair::to_model(file, &mut copy, &mut model_notes)?;
        notes.extend(model_notes.into_iter().filter(|n| n.code == "repaired"));
        model
    } else {
        repair::to_model(file, &mut value, &mut notes)?
    };
    let operations = summary::operations(&value);
    let schemas = summary::schemas(&value);
    summary::check_operations_read(file, &value, &operations, &notes)?;
    Ok(Description {
        format: detected.format,
        declared_version: detected.declared_version,
        title: openapi.info.title.clone(),
        version: openapi.info.version.clone(),
        description: openapi.info.description.clone(),
        openapi,
        normalised: value,
        notes,
        operations,
        schemas,
        files,
        swagger2_moves,
    })
}

#[cfg(test)]
mod tests;
