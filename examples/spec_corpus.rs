//! Load every OpenAPI description under a directory and report what was accepted, what was refused and why,
//! and how long parsing alone and full loading took.
//!
//! Usage: `cargo run --release --example spec_corpus -- <dir> [--all] [--source-root] [--list CODE] [--threads N]`
//! Without `--all` only files named openapi.* / swagger.* are roots (the APIs.guru layout); each is loaded with a
//! `DirSource` rooted at its own folder (`--source-root`: at <dir>, so refs may climb to sibling folders).
//! With `--all` every .json/.yaml/.yml file is a root.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pac_spec::{DirSource, Limits, load, parse};

// The same allocator as the `pac` binary, so that parse times compare with import times.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn collect(dir: &Path, all: bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, all, out);
            continue;
        }
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let ext_ok = name.ends_with(".json") || name.ends_with(".yaml") || name.ends_with(".yml");
        if ext_ok && (all || name.starts_with("openapi.") || name.starts_with("swagger.")) {
            out.push(p);
        }
    }
}

/// (code, "pointer message") of each note of an accepted description.
type Notes = Vec<(String, String)>;

/// Per note code: how many, in which files, a few samples.
#[derive(Default)]
struct NoteTally<'a> {
    count: usize,
    files: BTreeMap<&'a Path, usize>,
    samples: Vec<String>,
}

struct Outcome {
    path: PathBuf,
    bytes: usize,
    parse: Duration,
    load: Duration,
    result: Result<(usize, Notes), (String, String)>,
}

/// `source_root`: the DirSource root (the scanned directory) instead of each file's own folder.
fn run(path: &Path, source_root: Option<&Path>, limits: &Limits) -> Outcome {
    let bytes = std::fs::read(path).unwrap_or_default();
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_owned();
    let t = Instant::now();
    let _ = parse(&name, &bytes, limits);
    let parse_time = t.elapsed();
    let t = Instant::now();
    let (source, root) = match source_root {
        Some(top) => {
            let rel = path
                .strip_prefix(top)
                .unwrap_or(path)
                .to_string_lossy()
                .into_owned();
            (DirSource::new(top), rel)
        }
        None => (
            DirSource::new(path.parent().unwrap_or(Path::new("."))),
            name.clone(),
        ),
    };
    let result = load(&source, &root, limits)
        .map(|d| {
            let notes = d
                .notes
                .into_iter()
                .map(|n| (n.code, format!("{} {}", n.pointer, n.message)))
                .collect();
            (d.operations.len(), notes)
        })
        .map_err(|e| (e.code.as_str().to_owned(), e.message));
    Outcome {
        path: path.to_owned(),
        bytes: bytes.len(),
        parse: parse_time,
        load: t.elapsed(),
        result,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(
        args.first()
            .map_or("/tmp/apis-guru/openapi-directory/APIs", String::as_str),
    );
    let all = args.iter().any(|a| a == "--all");
    let source_root = args
        .iter()
        .any(|a| a == "--source-root")
        .then_some(dir.as_path());
    let list = args
        .iter()
        .position(|a| a == "--list")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let threads: usize = args
        .iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let mut files = Vec::new();
    collect(&dir, all, &mut files);
    let limits = Limits::default();
    let started = Instant::now();
    let chunks: Vec<Vec<PathBuf>> = (0..threads)
        .map(|t| files.iter().skip(t).step_by(threads).cloned().collect())
        .collect();
    let outcomes: Vec<Outcome> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                s.spawn(|| {
                    chunk
                        .iter()
                        .map(|p| run(p, source_root, &limits))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let wall = started.elapsed();
    let total_bytes: usize = outcomes.iter().map(|o| o.bytes).sum();
    let parse: Duration = outcomes.iter().map(|o| o.parse).sum();
    let load: Duration = outcomes.iter().map(|o| o.load).sum();
    let mut by_code: BTreeMap<String, Vec<&Outcome>> = BTreeMap::new();
    let (mut accepted, mut operations, mut notes) = (0, 0, 0);
    let mut notes_by_code: BTreeMap<&str, NoteTally> = BTreeMap::new();
    for o in &outcomes {
        match &o.result {
            Ok((ops, n)) => {
                accepted += 1;
                operations += ops;
                notes += n.len();
                for (code, text) in n {
                    let entry = notes_by_code.entry(code.as_str()).or_default();
                    entry.count += 1;
                    *entry.files.entry(o.path.as_path()).or_default() += 1;
                    if entry.samples.len() < 3 {
                        let rel = o.path.strip_prefix(&dir).unwrap_or(&o.path).display();
                        entry.samples.push(format!(
                            "{rel}: {}",
                            text.chars().take(600).collect::<String>()
                        ));
                    }
                }
            }
            Err((code, _)) => by_code.entry(code.clone()).or_default().push(o),
        }
    }
    let mb = total_bytes as f64 / 1e6;
    println!("files: {}  ({mb:.1} MB)", outcomes.len());
    println!("accepted: {accepted}  (operations {operations}, notes {notes})");
    println!("notes by code (count, files):");
    for (code, tally) in &notes_by_code {
        println!("  {code}: {} in {} files", tally.count, tally.files.len());
        for sample in &tally.samples {
            println!("      {sample}");
        }
    }
    println!("rejected: {}", outcomes.len() - accepted);
    for (code, list_of) in &by_code {
        println!("  {code}: {}", list_of.len());
        let show = if list.as_deref() == Some(code) || list.as_deref() == Some("all") {
            list_of.len()
        } else {
            3
        };
        for o in list_of.iter().take(show) {
            if let Err((_, m)) = &o.result {
                let m: String = m.chars().take(220).collect();
                println!(
                    "      {}: {m}",
                    o.path.strip_prefix(&dir).unwrap_or(&o.path).display()
                );
            }
        }
    }
    println!(
        "parse only: {:.2} s ({:.1} MB/s)   full load: {:.2} s ({:.1} MB/s)   wall ({threads} threads, both passes): {:.2} s",
        parse.as_secs_f64(),
        mb / parse.as_secs_f64(),
        load.as_secs_f64(),
        mb / load.as_secs_f64(),
        wall.as_secs_f64()
    );
    let mut slow: Vec<&Outcome> = outcomes.iter().collect();
    slow.sort_by_key(|o| std::cmp::Reverse(o.load));
    println!("slowest loads:");
    for o in slow.iter().take(5) {
        println!(
            "  {:>7.1} ms load, {:>7.1} ms parse, {:>8} bytes  {}",
            o.load.as_secs_f64() * 1e3,
            o.parse.as_secs_f64() * 1e3,
            o.bytes,
            o.path.strip_prefix(&dir).unwrap_or(&o.path).display()
        );
    }
}
