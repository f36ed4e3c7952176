//! Where the files of a description come from: memory (uploads, unpacked archives) or a directory (the catalogue,
//! corpora). Paths are relative and `/`-separated; anything that would leave the root is refused with `spec_path`
//! (or `spec_archive` for an archive entry), so a `$ref` or an upload can never read outside what it was given.

use crate::codes::SpecCode;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::PathBuf;

use serde_json::Value;

use super::{Limits, SpecError, parse};

/// A set of files addressed by relative, `/`-separated, normalised paths.
/// `Sync` because loading runs on a dedicated thread with a large stack.
pub trait Source: Sync {
    /// The bytes of `path`, or `None` if there is no such file.
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, SpecError>;
}

/// Normalise a relative path: `/` separators, no `.` segments, `..` folded; refuse absolute or escaping paths.
pub(crate) fn normalise_path(path: &str) -> Result<String, SpecError> {
    let unified = path.replace('\\', "/");
    let escape = || {
        SpecError::new(
            SpecCode::Path,
            format!("{path}: path escapes the source root"),
        )
        .file(path)
    };
    if unified.starts_with('/')
        || unified.contains('\0')
        || unified.as_bytes().get(1) == Some(&b':')
    {
        return Err(escape());
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in unified.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(escape());
                }
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return Err(SpecError::new(SpecCode::Path, format!("{path:?}: empty path")).file(path));
    }
    Ok(parts.join("/"))
}

/// `rel` taken relative to the folder holding `base` (a normalised path).
pub(crate) fn join(base: &str, rel: &str) -> Result<String, SpecError> {
    match base.rsplit_once('/') {
        Some((dir, _)) => normalise_path(&format!("{dir}/{rel}")),
        None => normalise_path(rel),
    }
}

/// Files held in memory.
#[derive(Debug, Clone, Default)]
pub struct MemorySource {
    files: BTreeMap<String, Vec<u8>>,
}

impl From<Vec<(String, Vec<u8>)>> for MemorySource {
    fn from(files: Vec<(String, Vec<u8>)>) -> Self {
        // A path that cannot be normalised can never be asked for, so it is simply unreachable.
        let files = files
            .into_iter()
            .filter_map(|(p, b)| normalise_path(&p).ok().map(|p| (p, b)))
            .collect();
        Self { files }
    }
}

impl Source for MemorySource {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, SpecError> {
        Ok(self.files.get(path).cloned())
    }
}

impl MemorySource {
    /// Files as (relative path, bytes); paths are normalised, unusable ones (absolute, escaping) dropped.
    pub fn new(files: Vec<(String, Vec<u8>)>) -> MemorySource {
        MemorySource::from(files)
    }

    /// The paths held, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Unpack a zip or a .tar.gz (sniffed by magic bytes). Entries with unsafe paths, links, too many files or
    /// too many bytes are refused rather than skipped, since a silently partial bundle would load differently.
    pub fn from_archive(bytes: &[u8], limits: &Limits) -> Result<MemorySource, SpecError> {
        let mut out = Unpacked {
            files: BTreeMap::new(),
            total: 0,
            limits,
        };
        let kind = super::sniff::sniff(bytes);
        if kind == super::sniff::Sniffed::Zip {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
                .map_err(|e| archive_error(format!("bad zip: {e}")))?;
            for i in 0..zip.len() {
                let mut entry = zip
                    .by_index(i)
                    .map_err(|e| archive_error(format!("bad zip entry {i}: {e}")))?;
                let name = entry.name().to_owned();
                if entry.is_dir() {
                    continue;
                }
                if entry.is_symlink() {
                    return Err(archive_error(format!(
                        "{name}: symbolic links are not allowed in an archive"
                    )));
                }
                out.add(&name, &mut entry)?;
            }
        } else if kind == super::sniff::Sniffed::TarGz {
            let gz = flate2::read::GzDecoder::new(bytes);
            let mut tar = tar::Archive::new(gz);
            let entries = tar
                .entries()
                .map_err(|e| archive_error(format!("bad tar.gz: {e}")))?;
            for entry in entries {
                let mut entry =
                    entry.map_err(|e| archive_error(format!("bad tar.gz entry: {e}")))?;
                let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
                let kind = entry.header().entry_type();
                if kind.is_dir()
                    || kind.is_pax_global_extensions()
                    || kind.is_pax_local_extensions()
                {
                    continue;
                }
                if !kind.is_file() {
                    return Err(archive_error(format!(
                        "{name}: only regular files are allowed in an archive"
                    )));
                }
                out.add(&name, &mut entry)?;
            }
        } else {
            return Err(archive_error(
                "not a zip or .tar.gz archive (unrecognised magic bytes)".to_owned(),
            ));
        }
        Ok(MemorySource { files: out.files })
    }

    /// Choose the root document: `openapi.*`/`swagger.*` at the shallowest level, else the one document with a
    /// top-level `openapi`/`swagger` key that no other file references.
    pub fn root(&self) -> Result<String, SpecError> {
        super::on_big_stack(|| self.find_root())
    }

    fn find_root(&self) -> Result<String, SpecError> {
        let depth = |p: &str| p.matches('/').count();
        let named: Vec<&str> = self
            .files
            .keys()
            .map(String::as_str)
            .filter(|p| {
                let base = p.rsplit('/').next().unwrap_or(p).to_ascii_lowercase();
                let stem = base.rsplit_once('.');
                matches!(stem, Some(("openapi" | "swagger", "json" | "yaml" | "yml")))
            })
            .collect();
        if let Some(min) = named.iter().map(|p| depth(p)).min() {
            let top: Vec<&str> = named.into_iter().filter(|p| depth(p) == min).collect();
            return match top.as_slice() {
                [one] => Ok((*one).to_owned()),
                many => Err(SpecError::new(
                    SpecCode::AmbiguousRoot,
                    format!("more than one root document candidate: {}", many.join(", ")),
                )),
            };
        }
        let limits = Limits::default();
        let mut candidates = BTreeSet::new();
        let mut referenced = BTreeSet::new();
        for (path, bytes) in &self.files {
            let lower = path.to_ascii_lowercase();
            if !(lower.ends_with(".json") || lower.ends_with(".yaml") || lower.ends_with(".yml")) {
                continue;
            }
            let Ok(parsed) = parse::parse(path, bytes, &limits) else {
                continue;
            };
            if parsed.value.get("openapi").is_some() || parsed.value.get("swagger").is_some() {
                candidates.insert(path.clone());
            }
            collect_file_refs(path, &parsed.value, &mut referenced);
        }
        let roots: Vec<String> = candidates.difference(&referenced).cloned().collect();
        match roots.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(SpecError::new(
                SpecCode::NoRoot,
                "no root document: no openapi.*/swagger.* file and no unreferenced file with an `openapi` or `swagger` key",
            )),
            many => Err(SpecError::new(
                SpecCode::AmbiguousRoot,
                format!("more than one root document candidate: {}", many.join(", ")),
            )),
        }
    }
}

pub(crate) fn collect_file_refs(file: &str, v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                let target = r.split('#').next().unwrap_or("");
                if !target.is_empty()
                    && !target.contains("://")
                    && let Ok(p) = join(file, target)
                {
                    out.insert(p);
                }
            }
            map.values().for_each(|c| collect_file_refs(file, c, out));
        }
        Value::Array(items) => items.iter().for_each(|c| collect_file_refs(file, c, out)),
        _ => {}
    }
}

fn archive_error(message: String) -> SpecError {
    SpecError::new(SpecCode::Archive, format!("archive: {message}"))
}

struct Unpacked<'a> {
    files: BTreeMap<String, Vec<u8>>,
    total: usize,
    limits: &'a Limits,
}

impl Unpacked<'_> {
    fn add(&mut self, name: &str, reader: &mut dyn Read) -> Result<(), SpecError> {
        let path = normalise_path(name).map_err(|_| {
            archive_error(format!(
                "{name}: entry path is absolute or escapes the archive"
            ))
        })?;
        if path.split('/').any(|s| s == "__MACOSX") {
            return Ok(());
        }
        if self.files.len() >= self.limits.max_files {
            return Err(SpecError::new(
                SpecCode::TooManyFiles,
                format!(
                    "archive: more than the limit of {} files",
                    self.limits.max_files
                ),
            ));
        }
        let cap = self.limits.max_document_bytes;
        let mut bytes = Vec::new();
        // Read one byte past the cap so a zip bomb costs at most the cap, whatever its headers claim.
        reader
            .take(cap as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| archive_error(format!("{name}: cannot unpack: {e}")))?;
        if bytes.len() > cap {
            return Err(SpecError::new(
                SpecCode::TooLarge,
                format!("archive: {name}: more than the limit of {cap} bytes"),
            ));
        }
        self.total += bytes.len();
        if self.total > cap.saturating_mul(4) {
            return Err(SpecError::new(
                SpecCode::TooLarge,
                format!(
                    "archive: more than {} bytes unpacked in total",
                    cap.saturating_mul(4)
                ),
            ));
        }
        if self.files.insert(path.clone(), bytes).is_some() {
            return Err(archive_error(format!(
                "{path}: the archive holds this path twice"
            )));
        }
        Ok(())
    }
}

/// Files under a directory on disk. Symbolic links that lead outside the directory are refused.
#[derive(Debug, Clone)]
pub struct DirSource {
    root: PathBuf,
}

impl DirSource {
    /// A source reading under `root`. A root that does not exist simply holds no files.
    pub fn new(root: impl Into<PathBuf>) -> DirSource {
        let root = root.into();
        // Canonical, so that the containment check in `read` compares like with like.
        let root = root.canonicalize().unwrap_or(root);
        DirSource { root }
    }
}

impl Source for DirSource {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, SpecError> {
        let rel = normalise_path(path)?;
        let full = self.root.join(&rel);
        let real = match full.canonicalize() {
            Ok(p) => p,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(
                    SpecError::new(SpecCode::Path, format!("{rel}: cannot read: {e}")).file(&rel),
                );
            }
        };
        if !real.starts_with(&self.root) {
            return Err(SpecError::new(
                SpecCode::Path,
                format!("{rel}: path escapes the source root"),
            )
            .file(&rel));
        }
        if !real.is_file() {
            return Ok(None);
        }
        std::fs::read(&real).map(Some).map_err(|e| {
            SpecError::new(SpecCode::Path, format!("{rel}: cannot read: {e}")).file(&rel)
        })
    }
}
