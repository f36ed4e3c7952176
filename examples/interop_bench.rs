//! The cost of conformance and of the interoperability map, on real descriptions.
//!
//! `cargo run --release --example interop_bench -- DIR [--runs N]` with DIR the APIs.guru corpus's
//! `APIs` folder:
//!
//! - conformance: the implementation is GitHub Enterprise Server 2.19 (506 operations); the
//!   contract is 100 operations of GitHub Enterprise Server 2.18 (every fifth operation, with all
//!   its components), the kind of subset a national contract takes of a supplier's API. Times
//!   loading the implementation (the floor) and loading plus checking it against the contract.
//! - the matrix: a fresh SQLite store with 200 systems, each with an API whose latest version is a
//!   small real description, and 20 contracts (also small real descriptions); every system claims 5
//!   contracts (1,000 claims), all verified. Times verifying every claim, then the matrix and the
//!   graph as `GET /api/v1/interop/...` builds them (read what the caller sees, build, export).
//!
//! Prints medians over the runs and the process's peak resident memory.

use std::path::{Path, PathBuf};
use std::time::Instant;

use pac::auth::Principal;
use pac::auth::policy::Visible;
use pac::domain::{CompatPolicy, Lifecycle, OrgKind, Slug, VersionLabel, Visibility};
use pac::interop::export::{self, Format};
use pac::store::interop::{MapFilter, View, graph, matrix};
use pac::store::relations::{self, Claims};
use pac::store::{Database, Store, apis, contracts, organisations, systems};
use pac::usecase::conformance::{Recheck, verify};
use pac::usecase::contracts::publish_contract_version;
use pac::usecase::publish::{Compare, publish_description};
use pac_compat::conformance::conform_descriptions;
use pac_spec::load_file as load_path;
use pac_spec::{Description, Limits};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The first `n` operations of every fifth path-and-method, with everything else of the document.
fn subset(doc: &serde_json::Value, n: usize) -> serde_json::Value {
    let mut out = doc.clone();
    let mut kept = 0;
    let mut seen = 0;
    if let Some(paths) = out.get_mut("paths").and_then(|p| p.as_object_mut()) {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for method in [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ] {
                if item.contains_key(method) {
                    let keep = seen % 5 == 0 && kept < n;
                    seen += 1;
                    if keep {
                        kept += 1;
                    } else {
                        item.remove(method);
                    }
                }
            }
        }
        paths.retain(|_, item| {
            item.as_object().is_some_and(|i| {
                [
                    "get", "put", "post", "delete", "options", "head", "patch", "trace",
                ]
                .iter()
                .any(|m| i.contains_key(*m))
            })
        });
    }
    out
}

fn conformance(dir: &Path, runs: usize) {
    let limits = Limits::default();
    let implementation_path = dir.join("github.com/ghes-2.19/1.1.4/openapi.yaml");
    let base = load_path(
        &dir.join("github.com/ghes-2.18/1.1.4/openapi.yaml"),
        &limits,
    )
    .expect("ghes-2.18 loads");
    let contract_doc = subset(&base.normalised, 100);
    let contract = pac_spec::load_bytes(
        "contract.json",
        &serde_json::to_vec(&contract_doc).expect("json"),
        &limits,
    )
    .expect("the contract loads");
    let (mut load, mut total, mut check) = (Vec::new(), Vec::new(), Vec::new());
    let mut result = None;
    for _ in 0..runs {
        let started = Instant::now();
        let implementation: Description = load_path(&implementation_path, &limits).expect("loads");
        let loaded = started.elapsed().as_secs_f64();
        let report = conform_descriptions(&contract, &implementation);
        let all = started.elapsed().as_secs_f64();
        load.push(loaded);
        total.push(all);
        check.push(all - loaded);
        result = Some((implementation.operations.len(), report));
    }
    let (operations, report) = result.expect("one run");
    println!(
        "conformance: contract {} operations, implementation {operations} operations; {} met, {} not met",
        contract.operations.len(),
        report.met,
        report.not_met
    );
    println!(
        "  load implementation {:.3} s | check {:.3} s | load + check {:.3} s (medians of {runs}); ratio to loading {:.2}x",
        median(load.clone()),
        median(check),
        median(total.clone()),
        median(total) / median(load)
    );
    println!("  peak RSS so far {:.0} MB", peak_rss_mb());
}

/// Small real descriptions (3 to 30 operations, OpenAPI 3) to stand for systems' APIs and contracts.
fn small_descriptions(dir: &Path, want: usize) -> Vec<Description> {
    let limits = Limits::default();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut providers: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    providers.sort();
    for provider in providers {
        let mut stack = vec![provider];
        let mut found = None;
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                let mut entries: Vec<PathBuf> = std::fs::read_dir(&p)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| e.path())
                    .collect();
                entries.sort();
                entries.reverse();
                stack.extend(entries);
            } else if p.file_name().is_some_and(|n| n == "openapi.yaml") {
                found = Some(p);
                break;
            }
        }
        files.extend(found);
    }
    let mut out = Vec::new();
    for f in files {
        if out.len() == want {
            break;
        }
        if let Ok(d) = load_path(&f, &limits)
            && (3..=30).contains(&d.operations.len())
        {
            out.push(d);
        }
    }
    out
}

fn map(dir: &Path, runs: usize) {
    let docs = small_descriptions(dir, 40);
    assert!(docs.len() >= 40, "need 40 small OpenAPI 3 descriptions");
    let (apis_docs, contract_docs) = docs.split_at(20);
    let folder = tempfile::tempdir().expect("temp dir");
    let store = Store::open(Database::Sqlite(folder.path().join("pac.sqlite3")), 4).expect("store");
    let who = Principal::System;
    let started = Instant::now();
    store
        .write(|c| {
            let slug = Slug::parse("org", "bench").unwrap();
            let org = organisations::insert(
                c,
                &who,
                &organisations::NewOrganisation {
                    slug: &slug,
                    name: "Bench",
                    kind: OrgKind::NationalBody,
                    homepage: None,
                    description: None,
                },
                serde_json::json!({}),
            )?;
            for (i, doc) in contract_docs.iter().enumerate() {
                let slug = Slug::parse("slug", &format!("contract-{i:02}")).unwrap();
                contracts::insert(
                    c,
                    &who,
                    &contracts::NewContract {
                        slug: &slug,
                        owner: &org,
                        name: &doc.title,
                        description: None,
                        visibility: Visibility::Public,
                    },
                )?;
                publish_contract_version(
                    c,
                    &who,
                    slug.as_str(),
                    &VersionLabel::parse("1.0.0")?,
                    doc,
                )?;
            }
            for i in 0..200 {
                let slug = Slug::parse("slug", &format!("system-{i:03}")).unwrap();
                let system = systems::insert(
                    c,
                    &who,
                    &systems::NewSystem {
                        slug: &slug,
                        owner: &org,
                        name: &format!("System {i}"),
                        description: None,
                        visibility: Visibility::Public,
                    },
                    serde_json::json!({}),
                )?;
                let api_slug = Slug::parse("slug", &format!("api-{i:03}")).unwrap();
                apis::insert(
                    c,
                    &who,
                    &apis::NewApi {
                        slug: &api_slug,
                        owner: &org,
                        system: Some(&system.system),
                        name: &format!("API {i}"),
                        description: None,
                        visibility: Visibility::Public,
                        lifecycle: Lifecycle::Active,
                        documentation_url: None,
                        compatibility: CompatPolicy::Off,
                        source: "publish",
                        tags: &[],
                    },
                    serde_json::json!({}),
                )?;
                // The system's API is one of the 20 "implementation" descriptions, or for a fifth
                // of them a contract's own description, so that some claims conform.
                let doc = if i % 5 == 0 {
                    &contract_docs[i % 20]
                } else {
                    &apis_docs[i % 20]
                };
                publish_description(
                    c,
                    &who,
                    api_slug.as_str(),
                    &VersionLabel::parse("1.0.0")?,
                    doc,
                    Compare::No,
                )?;
                for k in 0..5 {
                    let contract = contracts::find_visible(
                        c,
                        &Visible::All,
                        &format!("contract-{:02}", (i + k * 4) % 20),
                    )?
                    .expect("contract");
                    let version = contracts::get_version(c, &contract.contract, "latest")?;
                    let api = apis::find_any(c, api_slug.as_str())?.expect("api");
                    relations::insert_implementation(
                        c,
                        &who,
                        system.system.id,
                        version.id,
                        api.id,
                        "bench",
                    )?;
                }
            }
            Ok(())
        })
        .expect("setup");
    println!(
        "map: 200 systems x 20 contracts, 1,000 claims; set up in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let verified =
        verify(&store, Claims::All, Recheck::Always, &Limits::default()).expect("verify");
    println!(
        "  verify every claim: {:.2} s ({} conformant, {} not conformant, {} unverified)",
        started.elapsed().as_secs_f64(),
        verified.conformant,
        verified.not_conformant,
        verified.unverified
    );
    let visible = Visible::Levels {
        policing: true,
        own_org: None,
    };
    let filter = MapFilter::default();
    let mut times: Vec<(&str, Vec<f64>, usize)> = vec![
        ("matrix json", Vec::new(), 0),
        ("matrix csv", Vec::new(), 0),
        ("graph json", Vec::new(), 0),
        ("graph archimate", Vec::new(), 0),
    ];
    for _ in 0..runs {
        for (name, samples, bytes) in times.iter_mut() {
            let started = Instant::now();
            let view = store.read(|c| View::load(c, &visible)).expect("view");
            let body = match *name {
                "matrix json" => {
                    export::matrix(&matrix(&view, &filter).unwrap(), Format::Json).unwrap()
                }
                "matrix csv" => {
                    export::matrix(&matrix(&view, &filter).unwrap(), Format::Csv).unwrap()
                }
                "graph json" => export::graph(&graph(&view, &filter).unwrap(), Format::Json),
                _ => export::graph(&graph(&view, &filter).unwrap(), Format::Archimate),
            };
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
            *bytes = body.len();
        }
    }
    for (name, samples, bytes) in times {
        println!(
            "  {name:<16} {:>7.2} ms median of {runs} ({bytes} bytes)",
            median(samples)
        );
    }
    println!("  peak RSS {:.0} MB", peak_rss_mb());
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first().map(PathBuf::from) else {
        eprintln!("usage: interop_bench APIS_DIR [--runs N]");
        std::process::exit(2);
    };
    let runs = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(5);
    conformance(&dir, runs);
    map(&dir, runs);
}
