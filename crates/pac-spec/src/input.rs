//! The one way descriptions come in, whatever the edge: a file named on a command line, a request
//! body, an archive of either kind. One sniffer ([`sniff`]) says what bytes are, by their content
//! and never by a name or a media type someone typed: a `.yaml` that is really a zip is a zip.
//!
//! Files are read only inside the folder of the file named (its relative `$ref`s may reach files
//! beside it and below it, never above it: see [`DirSource`]).

use crate::codes::SpecCode;
use std::path::Path;

use serde_json::Value;

use super::locate::Positions;
pub use super::sniff::{Sniffed, sniff};
use super::source::{DirSource, MemorySource};
use super::{Description, Limits, SpecError, SpecFormat, detect, on_big_stack, onepass, parse};

/// Reads a whole file; `unreadable` names it when it cannot be read.
pub fn read_file(path: &Path) -> Result<Vec<u8>, SpecError> {
    std::fs::read(path).map_err(|e| {
        SpecError::new(
            SpecCode::Unreadable,
            format!("cannot read {}: {e}", path.display()),
        )
        .file(&path.display().to_string())
    })
}

/// Loads the description a person names: an archive (zip or .tar.gz, by content) with its root
/// found inside, or a JSON or YAML file read with the files its relative `$ref`s reach in its
/// folder.
pub fn load_file(path: &Path, limits: &Limits) -> Result<Description, SpecError> {
    load_file_within(path, None, limits)
}

/// [`load_file`], with the files its `$ref`s reach confined to `root` (a folder holding the file)
/// rather than to the file's own folder: `--root ..` lets `../common/schemas.yaml` be read. The
/// files are stored by their path below `root`.
pub fn load_file_within(
    path: &Path,
    root: Option<&Path>,
    limits: &Limits,
) -> Result<Description, SpecError> {
    let Some(root) = root else {
        return load_in_own_folder(path, limits);
    };
    let shown = path.display().to_string();
    let unreadable = |what: &Path, e: std::io::Error| {
        SpecError::new(
            SpecCode::Unreadable,
            format!("cannot read {}: {e}", what.display()),
        )
        .file(&shown)
    };
    let real_root = root.canonicalize().map_err(|e| unreadable(root, e))?;
    let real_file = path.canonicalize().map_err(|e| unreadable(path, e))?;
    let Ok(rel) = real_file.strip_prefix(&real_root) else {
        return Err(SpecError::new(
            SpecCode::Path,
            format!(
                "{shown} is not inside the root {}: name a root that holds the file",
                root.display()
            ),
        )
        .file(&shown));
    };
    if !real_file.is_file() {
        return Err(
            SpecError::new(SpecCode::Unreadable, format!("{shown} is not a file")).file(&shown),
        );
    }
    if sniff(&read_head(path)?).is_archive() {
        return load_archive(&read_file(path)?, limits);
    }
    let rel: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    super::load(&DirSource::new(&real_root), &rel.join("/"), limits)
}

/// The paths of the other files a document refers to with relative `$ref`s, relative to the folder
/// the document's `name` is in (remote references left out). For choosing, in a folder of files,
/// the descriptions that no other description uses as a part.
pub fn file_refs(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<std::collections::BTreeSet<String>, SpecError> {
    let mut out = std::collections::BTreeSet::new();
    if !super::refs::may_have_external_refs(bytes) {
        return Ok(out);
    }
    let value = super::parse(name, bytes, limits)?.0;
    super::source::collect_file_refs(name, &value, &mut out);
    Ok(out)
}

fn load_in_own_folder(path: &Path, limits: &Limits) -> Result<Description, SpecError> {
    if !path.is_file() {
        return Err(SpecError::new(
            SpecCode::Unreadable,
            format!("{} is not a file", path.display()),
        )
        .file(&path.display().to_string()));
    }
    let head = read_head(path)?;
    if sniff(&head).is_archive() {
        return load_archive(&read_file(path)?, limits);
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    super::load(&DirSource::new(folder), &name, limits)
}

/// Loads a description sent as bytes (an upload): an archive, or one JSON or YAML document, stored
/// as `openapi.json` or `openapi.yaml` after what it holds.
pub fn load_body(bytes: &[u8], limits: &Limits) -> Result<Description, SpecError> {
    match sniff(bytes) {
        Sniffed::Zip | Sniffed::TarGz => load_archive(bytes, limits),
        Sniffed::Json => super::load_bytes("openapi.json", bytes, limits),
        Sniffed::Yaml => super::load_bytes("openapi.yaml", bytes, limits),
    }
}

/// Loads the description inside an archive, from the root document it holds.
pub fn load_archive(bytes: &[u8], limits: &Limits) -> Result<Description, SpecError> {
    let source = MemorySource::from_archive(bytes, limits)?;
    let root = source.root()?;
    super::load(&source, &root, limits)
}

/// A root document as its author wrote it: no conversion, no bundling, no typed model. Rules that
/// look at the original need no more, and it is much cheaper than [`load_file`].
pub struct Original {
    pub format: SpecFormat,
    pub value: Value,
    /// Line and column of each node, when they were read with the value (YAML, in one pass).
    pub positions: Option<Positions>,
    /// The text, for lines and columns of what `positions` does not hold.
    pub text: String,
}

/// Reads one JSON or YAML document (not an archive: see [`sniff`]) as written.
pub fn original(name: &str, bytes: &[u8], limits: &Limits) -> Result<Original, SpecError> {
    on_big_stack(|| {
        // YAML is read once for both the value and the positions when it can be.
        let quick = parse::decode(name, bytes)
            .ok()
            .filter(|_| bytes.len() <= limits.max_document_bytes && sniff(bytes) == Sniffed::Yaml)
            .and_then(|text| onepass::parse(text, limits));
        let (value, positions) = match quick {
            Some((value, positions)) => (value, Some(positions)),
            None => (parse::parse(name, bytes, limits)?.value, None),
        };
        let detected = detect::detect(name, &value)?;
        Ok(Original {
            format: detected.format,
            value,
            positions,
            text: String::from_utf8_lossy(bytes).into_owned(),
        })
    })
}

/// The first bytes of a file, enough to sniff it.
fn read_head(path: &Path) -> Result<Vec<u8>, SpecError> {
    use std::io::Read;
    let mut head = Vec::with_capacity(8);
    std::fs::File::open(path)
        .and_then(|f| f.take(8).read_to_end(&mut head))
        .map_err(|e| {
            SpecError::new(
                SpecCode::Unreadable,
                format!("cannot read {}: {e}", path.display()),
            )
            .file(&path.display().to_string())
        })?;
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_named_after_what_it_holds() {
        let limits = Limits::default();
        let json = br#"{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#;
        assert_eq!(
            load_body(json, &limits).unwrap().files[0].path,
            "openapi.json"
        );
        let yaml = b"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n";
        assert_eq!(
            load_body(yaml, &limits).unwrap().files[0].path,
            "openapi.yaml"
        );
    }

    #[test]
    fn a_missing_file_is_unreadable() {
        let e = load_file(Path::new("/nonexistent/openapi.yaml"), &Limits::default()).unwrap_err();
        assert_eq!(e.code, "unreadable");
        assert!(
            e.message.contains("/nonexistent/openapi.yaml"),
            "{}",
            e.message
        );
    }
}
