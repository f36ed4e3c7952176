//! Temporary stand-in for the spec module while it is being written (same public API).
#![allow(dead_code)]
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SpecError {
    pub code: &'static str,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub pointer: Option<String>,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat { Json, Yaml }
impl SourceFormat {
    pub fn as_str(self) -> &'static str { match self { SourceFormat::Json => "json", SourceFormat::Yaml => "yaml" } }
    pub fn media_type(self) -> &'static str { match self { SourceFormat::Json => "application/json", SourceFormat::Yaml => "application/yaml" } }
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecFormat { Swagger2, OpenApi30, OpenApi31 }
impl SpecFormat { pub fn as_str(self) -> &'static str { match self { SpecFormat::Swagger2 => "swagger-2.0", SpecFormat::OpenApi30 => "openapi-3.0", SpecFormat::OpenApi31 => "openapi-3.1" } } }
#[derive(Debug, Clone)]
pub struct Limits { pub max_document_bytes: usize, pub max_depth: usize, pub max_alias_expansions: usize, pub max_operations: usize, pub max_files: usize }
impl Default for Limits { fn default() -> Self { Limits { max_document_bytes: 50 << 20, max_depth: 128, max_alias_expansions: 100_000, max_operations: 5000, max_files: 500 } } }
pub trait Source { fn read(&self, path: &str) -> Result<Option<Vec<u8>>, SpecError>; }
pub struct MemorySource { files: Vec<(String, Vec<u8>)> }
impl MemorySource {
    pub fn new(files: Vec<(String, Vec<u8>)>) -> Self { MemorySource { files } }
    pub fn from_archive(_bytes: &[u8], _limits: &Limits) -> Result<MemorySource, SpecError> { Err(SpecError { code: "spec_archive", message: "archives not supported yet".into(), file: None, line: None, column: None, pointer: None }) }
    pub fn root(&self) -> Result<String, SpecError> { Ok(self.files[0].0.clone()) }
}
impl Source for MemorySource { fn read(&self, path: &str) -> Result<Option<Vec<u8>>, SpecError> { Ok(self.files.iter().find(|f| f.0 == path).map(|f| f.1.clone())) } }
pub struct DirSource { root: std::path::PathBuf }
impl DirSource { pub fn new(root: impl Into<std::path::PathBuf>) -> Self { DirSource { root: root.into() } } }
impl Source for DirSource { fn read(&self, path: &str) -> Result<Option<Vec<u8>>, SpecError> { Ok(std::fs::read(self.root.join(path)).ok()) } }
#[derive(Debug, Clone)]
pub struct SourceFile { pub path: String, pub bytes: Vec<u8>, pub format: SourceFormat, pub sha256: String }
#[derive(Debug, Clone, Serialize)]
pub struct Note { pub code: String, pub pointer: String, pub message: String }
#[derive(Debug, Clone)]
pub struct OperationSummary { pub method: String, pub path: String, pub operation_id: Option<String>, pub summary: Option<String>, pub description: Option<String>, pub tags: Vec<String>, pub deprecated: bool }
#[derive(Debug, Clone)]
pub struct SchemaSummary { pub name: String, pub description: Option<String>, pub properties: Vec<String> }
#[derive(Debug, Clone)]
pub struct Description { pub format: SpecFormat, pub declared_version: String, pub title: String, pub version: String, pub description: Option<String>, pub openapi: openapiv3::OpenAPI, pub normalised: serde_json::Value, pub notes: Vec<Note>, pub operations: Vec<OperationSummary>, pub schemas: Vec<SchemaSummary>, pub files: Vec<SourceFile> }
pub fn sha256_hex(bytes: &[u8]) -> String { use sha2::Digest; hex::encode(sha2::Sha256::digest(bytes)) }
pub fn load(source: &dyn Source, root: &str, limits: &Limits) -> Result<Description, SpecError> {
    let bytes = source.read(root)?.ok_or_else(|| SpecError { code: "spec_no_root", message: format!("{root} not found"), file: Some(root.into()), line: None, column: None, pointer: None })?;
    load_bytes(root, &bytes, limits)
}
pub fn load_bytes(name: &str, bytes: &[u8], _limits: &Limits) -> Result<Description, SpecError> {
    let err = |code, m: String| SpecError { code, message: m, file: Some(name.into()), line: None, column: None, pointer: None };
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| err("spec_syntax", e.to_string()))?;
    let api: openapiv3::OpenAPI = serde_json::from_value(v.clone()).map_err(|e| err("spec_invalid", e.to_string()))?;
    let mut operations = Vec::new();
    for (path, method, op) in api.operations() { operations.push(OperationSummary { method: method.into(), path: path.into(), operation_id: op.operation_id.clone(), summary: op.summary.clone(), description: op.description.clone(), tags: op.tags.clone(), deprecated: op.deprecated }); }
    Ok(Description { format: SpecFormat::OpenApi30, declared_version: api.openapi.clone(), title: api.info.title.clone(), version: api.info.version.clone(), description: api.info.description.clone(), normalised: v, notes: vec![], operations, schemas: vec![], files: vec![SourceFile { path: name.into(), bytes: bytes.to_vec(), format: SourceFormat::Json, sha256: sha256_hex(bytes) }], openapi: api })
}
