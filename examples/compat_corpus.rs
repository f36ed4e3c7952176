//! The compatibility engine over a real corpus, and its cost.
//!
//! `cargo run --release --example compat_corpus -- DIR` compares every pair of successive versions
//! of the same API under DIR (the APIs.guru layout `<provider>/[<service>/]<version>/openapi.yaml`,
//! versions ordered as `pac import` orders them) and reports how many pairs, how many breaking,
//! the commonest change ids and the slowest pair. A pair that takes longer than 60 s is reported as
//! a hang and the run stops with exit status 3.
//!
//! `cargo run --release --example compat_corpus -- --bench OLD NEW [--runs N]` times merely parsing
//! both files (the floor), loading them (parse and normalise), and loading plus comparing, and
//! prints the medians and the ratios.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use pac::domain::compare_versions;
use pac_compat::Level;
use pac_spec::Limits;
use pac_spec::load_file as load_path;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn descriptions(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            descriptions(&path, out);
        } else {
            let name = entry.file_name().to_string_lossy().to_lowercase();
            if name.starts_with("openapi.") || name.starts_with("swagger.") {
                out.push(path);
            }
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn bench(old: &Path, new: &Path, runs: usize) {
    let limits = Limits::default();
    let (mut floor, mut full, mut compare_only) = (Vec::new(), Vec::new(), Vec::new());
    let mut parse_only = Vec::new();
    let mut changes = 0;
    let bytes = (
        std::fs::read(old).expect("old"),
        std::fs::read(new).expect("new"),
    );
    for _ in 0..runs {
        let started = Instant::now();
        pac_spec::parse("old", &bytes.0, &limits).expect("old parses");
        pac_spec::parse("new", &bytes.1, &limits).expect("new parses");
        parse_only.push(started.elapsed().as_secs_f64());
        let started = Instant::now();
        let a = load_path(old, &limits).expect("old");
        let b = load_path(new, &limits).expect("new");
        let loaded = started.elapsed().as_secs_f64();
        let report = pac_compat::compare(&a.normalised, &b.normalised);
        let total = started.elapsed().as_secs_f64();
        changes = report.changes.len();
        floor.push(loaded);
        full.push(total);
        compare_only.push(total - loaded);
    }
    let (floor, full, compare_only) = (median(floor), median(full), median(compare_only));
    let parse_only = median(parse_only);
    println!(
        "{} -> {}: {changes} changes; median over {runs} runs: parse both {:.3} s, load both (parse and normalise) {:.3} s, load + compare {:.3} s (compare alone {:.3} s); ratio to parsing {:.2}, to loading {:.2}",
        old.display(),
        new.display(),
        parse_only,
        floor,
        full,
        compare_only,
        full / parse_only,
        full / floor
    );
}

fn corpus(dir: &Path) {
    let mut files = Vec::new();
    descriptions(dir, &mut files);
    // API = the folders above the version folder; versions in `pac import` order.
    let mut apis: BTreeMap<PathBuf, Vec<(String, PathBuf)>> = BTreeMap::new();
    for file in files {
        let Some(version_dir) = file.parent() else {
            continue;
        };
        let Some(api_dir) = version_dir.parent() else {
            continue;
        };
        let version = version_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        apis.entry(api_dir.to_path_buf())
            .or_default()
            .push((version, file));
    }
    let limits = Limits::default();
    let (mut pairs, mut unreadable) = (0usize, 0usize);
    let mut verdicts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut ids: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut slowest = (Duration::ZERO, String::new(), 0usize);
    let started = Instant::now();
    for (api, mut versions) in apis {
        if versions.len() < 2 {
            continue;
        }
        versions.sort_by(|a, b| compare_versions(&a.0, &b.0));
        let mut previous: Option<(String, pac_spec::Description)> = None;
        for (label, file) in versions {
            let Ok(current) = load_path(&file, &limits) else {
                unreadable += 1;
                previous = None;
                continue;
            };
            if let Some((before, old)) = previous.take() {
                let name = format!("{} {before} -> {label}", api.display());
                let (tx, rx) = mpsc::channel();
                let (old_doc, new_doc) = (old.normalised.clone(), current.normalised.clone());
                let t = Instant::now();
                std::thread::spawn(move || {
                    let _ = tx.send(pac_compat::compare(&old_doc, &new_doc));
                });
                let Ok(report) = rx.recv_timeout(Duration::from_secs(60)) else {
                    println!("HANG: {name} took over 60 s");
                    std::process::exit(3);
                };
                let took = t.elapsed();
                pairs += 1;
                *verdicts
                    .entry(report.worst().map_or("none", Level::as_str))
                    .or_default() += 1;
                for c in &report.changes {
                    *ids.entry(c.id).or_default() += 1;
                }
                if took > slowest.0 {
                    slowest = (took, name, report.changes.len());
                }
            }
            previous = Some((label, current));
        }
    }
    println!(
        "{pairs} pairs of successive versions compared in {:.1} s ({unreadable} versions unreadable, their pairs skipped)",
        started.elapsed().as_secs_f64()
    );
    for (verdict, n) in &verdicts {
        println!("  {verdict:<17} {n}");
    }
    let mut ids: Vec<_> = ids.into_iter().collect();
    ids.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    println!("commonest changes:");
    for (id, n) in ids.iter().take(12) {
        println!("  {id:<34} {n}");
    }
    println!(
        "slowest pair: {} ({:.1} ms, {} changes)",
        slowest.1,
        slowest.0.as_secs_f64() * 1000.0,
        slowest.2
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--bench") {
        let runs = args
            .iter()
            .position(|a| a == "--runs")
            .and_then(|i| args.get(i + 1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(5);
        bench(Path::new(&args[1]), Path::new(&args[2]), runs);
    } else {
        let dir = args
            .first()
            .cloned()
            .unwrap_or_else(|| "/tmp/apis-guru/openapi-directory/APIs".into());
        corpus(Path::new(&dir));
    }
}
