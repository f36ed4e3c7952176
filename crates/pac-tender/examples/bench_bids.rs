//! The cost of a tender (issue 16): N bids (default 50), each one or two real API descriptions,
//! evaluated against a requirement pack; the comparison of the N evaluations; and each of the
//! tender's documents.
//!
//! `cargo run --release -p pac-tender --example bench_bids -- PACK (DIR | FILE...) [--bids N]
//! [--runs R] [--out DIR]`
//!
//! - PACK is loaded as `pac tender check` loads it (`pac_tender::load`, the built-in standard,
//!   contract files beside the pack).
//! - DIR (the APIs.guru corpus's `APIs` folder): every `openapi.{yaml,json}` and
//!   `swagger.{yaml,json}` under it, sorted by path. The first bids are some of the corpus's
//!   largest descriptions (Google Compute alpha, Kubernetes, Azure Web Apps, GitHub Enterprise
//!   Server, and GitHub with Stripe as one bid); the rest take files at a fixed stride through the
//!   sorted list, one file for even bids and two for odd ones, skipping any that do not load.
//!   With FILEs instead, the bids take them in turn (cycling), in the same one-or-two pattern.
//! - Every bid gets evaluators' scores for the pack's manual requirements, fixed per bid, so that
//!   the verdicts and marks are complete.
//! - Timed (median over R runs, default 3): loading each bid's files (reported, not part of the
//!   evaluation), evaluating each bid (`pac_tender::evaluate`): p50, p90, max and the total for
//!   the N bids; `compare` over the N evaluations; each export (at least 5 runs): the pack as
//!   Markdown and DOCX, the compliance matrix as CSV and XLSX, the OCDS release with the N bids'
//!   responses (built and serialised), the comparison as Markdown, CSV and XLSX, and the report of
//!   the evaluation with the most evidence as Markdown and CSV. With `--out DIR`, each export is
//!   written there.
//! - Memory: the process's peak resident set (`VmHWM` of /proc/self/status) after loading the
//!   bids and after the evaluations and exports.
//! - Last, where the slowest bid's time goes: its files linted under the whole standard, then
//!   under each enabled rule alone (the five slowest rules are printed).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use pac_spec::Limits;
use pac_tender::export;
use pac_tender::{Bid, BidFile, Check, Evaluation, ManualScore, ManualScores, Resolved};

/// Some of the corpus's largest descriptions, each a bid of its own (the last two together).
const LARGE: &[&[&str]] = &[
    &["googleapis.com/compute/alpha/openapi.yaml"],
    &["kubernetes.io/unversioned/swagger.yaml"],
    &["azure.com/web-WebApps/2019-08-01/swagger.yaml"],
    &["github.com/ghes-3.1/1.1.4/openapi.yaml"],
    &[
        "github.com/api.github.com/1.1.4/openapi.yaml",
        "stripe.com/2020-08-27/openapi.yaml",
    ],
];

/// Loading a deep description recurses; the lint engine's stack is plenty.
const STACK_BYTES: usize = 64 * 1024 * 1024;

struct Args {
    pack: PathBuf,
    inputs: Vec<PathBuf>,
    bids: usize,
    runs: usize,
    out: Option<PathBuf>,
}

fn usage() -> ! {
    eprintln!(
        "usage: bench_bids PACK (DIR | FILE...) [--bids N] [--runs R] [--out DIR]\n\
         DIR is the APIs.guru corpus's APIs folder; N bids (default 50), R timed runs (default 3)"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut pack = None;
    let mut inputs = Vec::new();
    let mut bids = 50;
    let mut runs = 3;
    let mut out = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--bids" => {
                bids = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--runs" => {
                runs = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--out" => out = Some(it.next().map(PathBuf::from).unwrap_or_else(|| usage())),
            "-h" | "--help" => usage(),
            _ if pack.is_none() => pack = Some(PathBuf::from(a)),
            _ => inputs.push(PathBuf::from(a)),
        }
    }
    let Some(pack) = pack else { usage() };
    if inputs.is_empty() || bids == 0 || runs == 0 {
        usage();
    }
    Args {
        pack,
        inputs,
        bids,
        runs,
        out,
    }
}

fn vm_kib(field: &str) -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("n/a".to_owned(), |k| {
        format!("{:.0} MiB", k as f64 / 1024.0)
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The value at quantile `q` of sorted `v` (nearest rank).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(s: f64) -> String {
    if s < 0.01 {
        format!("{:.3} ms", s * 1000.0)
    } else {
        format!("{:.1} ms", s * 1000.0)
    }
}

fn size(bytes: usize) -> String {
    if bytes < 10 * 1024 {
        format!("{bytes} B")
    } else if bytes < 10 * 1024 * 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", bytes as f64 / 1048576.0)
    }
}

fn descriptions_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.file_name().and_then(|n| n.to_str()),
                Some("openapi.yaml" | "openapi.json" | "swagger.yaml" | "swagger.json")
            ) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A file loaded (on a thread with a deep stack), timed; None when it does not load.
fn load(path: &Path, root: &Path, limits: &Limits) -> Option<(BidFile, f64, u64)> {
    let start = Instant::now();
    let loaded = std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(s, || pac_spec::input::load_file(path, limits))
            .ok()?
            .join()
            .ok()?
            .ok()
    })?;
    let seconds = start.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let name = path
        .strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string();
    Some((
        BidFile {
            name,
            description: loaded,
        },
        seconds,
        bytes,
    ))
}

/// A bid with its files' sizes and operation counts, and the time spent loading them.
struct Loaded {
    bid: Bid,
    bytes: u64,
    operations: usize,
    load_seconds: f64,
}

fn make_bid(index: usize, files: Vec<(BidFile, f64, u64)>) -> Loaded {
    let bytes = files.iter().map(|f| f.2).sum();
    let load_seconds = files.iter().map(|f| f.1).sum();
    let files: Vec<BidFile> = files.into_iter().map(|f| f.0).collect();
    let operations = files.iter().map(|f| f.description.operations.len()).sum();
    Loaded {
        bid: Bid {
            name: format!("bid-{:02}", index + 1),
            files,
            system: None,
        },
        bytes,
        operations,
        load_seconds,
    }
}

/// The bids from the corpus folder: the large ones first, then a fixed stride through the rest.
fn bids_from_dir(dir: &Path, n: usize, limits: &Limits) -> (Vec<Loaded>, Vec<String>) {
    let all = descriptions_under(dir);
    let mut skipped = Vec::new();
    let mut bids = Vec::new();
    for group in LARGE.iter().take(n) {
        let mut files = Vec::new();
        for rel in group.iter() {
            match load(&dir.join(rel), dir, limits) {
                Some(f) => files.push(f),
                None => skipped.push(rel.to_string()),
            }
        }
        if !files.is_empty() {
            bids.push(make_bid(bids.len(), files));
        }
    }
    let large: Vec<PathBuf> = LARGE
        .iter()
        .flat_map(|g| g.iter())
        .map(|r| dir.join(r))
        .collect();
    let rest: Vec<&PathBuf> = all.iter().filter(|p| !large.contains(p)).collect();
    let left = n.saturating_sub(bids.len());
    // Even bids take one file, odd ones two: 1.5 files a bid on average.
    let wanted = left + left / 2;
    let stride = (rest.len() / wanted.max(1)).max(1);
    let mut at = 0;
    while bids.len() < n && at < rest.len() {
        let want = if bids.len() % 2 == 0 { 1 } else { 2 };
        let mut files = Vec::new();
        while files.len() < want && at < rest.len() {
            match load(rest[at], dir, limits) {
                Some(f) => {
                    files.push(f);
                    at += stride;
                }
                None => {
                    skipped.push(
                        rest[at]
                            .strip_prefix(dir)
                            .unwrap_or(rest[at])
                            .display()
                            .to_string(),
                    );
                    at += 1;
                }
            }
        }
        if files.is_empty() {
            break;
        }
        bids.push(make_bid(bids.len(), files));
    }
    (bids, skipped)
}

/// The bids from a list of files, taken in turn (cycling), one file for even bids, two for odd.
fn bids_from_files(paths: &[PathBuf], n: usize, limits: &Limits) -> (Vec<Loaded>, Vec<String>) {
    let mut skipped = Vec::new();
    let mut good = Vec::new();
    for p in paths {
        match load(p, Path::new(""), limits) {
            Some(_) => good.push(p.clone()),
            None => skipped.push(p.display().to_string()),
        }
    }
    let mut bids = Vec::new();
    if good.is_empty() {
        return (bids, skipped);
    }
    let mut at = 0;
    while bids.len() < n {
        let want = if bids.len() % 2 == 0 {
            1
        } else {
            2.min(good.len())
        };
        let files = (0..want)
            .filter_map(|k| load(&good[(at + k) % good.len()], Path::new(""), limits))
            .collect();
        at += want;
        bids.push(make_bid(bids.len(), files));
    }
    (bids, skipped)
}

/// Fixed evaluators' scores for bid `i`: mostly good, some below the MUST pass mark.
fn scores_for(resolved: &Resolved, i: usize) -> ManualScores {
    let mut scores = BTreeMap::new();
    for (j, r) in resolved.pack.requirements.iter().enumerate() {
        if let Check::Manual(m) = &r.check {
            let score = m.max.saturating_sub(((i * 7 + j * 3) % 4) as u8);
            scores.insert(
                r.id.clone(),
                ManualScore {
                    score,
                    note: Some(format!("Benchmark score {score} for {}.", r.id)),
                },
            );
        }
    }
    scores
}

/// Runs `f` at least `runs` times; the median wall time and the last result.
fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let v = f();
        times.push(start.elapsed().as_secs_f64());
        last = Some(v);
    }
    (median(times), last.expect("runs > 0"))
}

fn main() {
    let args = parse_args();
    let limits = Limits::default();
    let standard = pac_tender::built_in_standard().expect("the built-in standard");
    let start = Instant::now();
    let resolved = pac_tender::load(&args.pack, &standard, &limits).unwrap_or_else(|e| {
        eprintln!("error[{}]: {e}", e.code());
        std::process::exit(2)
    });
    let load_pack = start.elapsed().as_secs_f64();
    let pack = &resolved.pack;
    let contracts = resolved.contracts.len();
    println!(
        "pack: {} {} ({}): {} requirements, {} contracts; loaded in {}",
        pack.id,
        pack.version,
        args.pack.display(),
        pack.requirements.len(),
        contracts,
        ms(load_pack)
    );

    let (loaded, skipped) = if args.inputs.len() == 1 && args.inputs[0].is_dir() {
        bids_from_dir(&args.inputs[0], args.bids, &limits)
    } else {
        bids_from_files(&args.inputs, args.bids, &limits)
    };
    if loaded.is_empty() {
        eprintln!("no bid: none of the descriptions loads");
        std::process::exit(2);
    }
    let n = loaded.len();
    let files: usize = loaded.iter().map(|l| l.bid.files.len()).sum();
    let total_bytes: u64 = loaded.iter().map(|l| l.bytes).sum();
    let total_load: f64 = loaded.iter().map(|l| l.load_seconds).sum();
    let hwm_loaded = vm_kib("VmHWM:");
    println!(
        "bids: {n}, {files} descriptions, {:.1} MB in all; loading them took {:.2} s (not counted below); \
         {} skipped as not loadable; peak RSS after loading {}",
        total_bytes as f64 / 1e6,
        total_load,
        skipped.len(),
        mib(hwm_loaded)
    );
    for s in &skipped {
        println!("  skipped: {s}");
    }
    let scores: Vec<ManualScores> = (0..n).map(|i| scores_for(&resolved, i)).collect();

    // Evaluation: every bid once per run; per bid the median over runs.
    let mut per_bid: Vec<Vec<f64>> = vec![Vec::with_capacity(args.runs); n];
    let mut run_totals = Vec::with_capacity(args.runs);
    let mut evaluations: Vec<Evaluation> = Vec::new();
    for _ in 0..args.runs {
        let mut this_run = Vec::with_capacity(n);
        let run_start = Instant::now();
        for (i, l) in loaded.iter().enumerate() {
            let start = Instant::now();
            let e = pac_tender::evaluate(&resolved, &standard, &l.bid, &scores[i], &limits)
                .unwrap_or_else(|e| panic!("{}: {e}", l.bid.name));
            per_bid[i].push(start.elapsed().as_secs_f64());
            this_run.push(e);
        }
        run_totals.push(run_start.elapsed().as_secs_f64());
        evaluations = this_run;
    }
    let bid_times: Vec<f64> = per_bid.into_iter().map(median).collect();

    println!(
        "\nbids (evaluation time is the median of {} runs):",
        args.runs
    );
    println!(
        "  {:<7} {:>9} {:>5} {:>10} {:>10}  {:<14} {:>6}  files",
        "bid", "size", "ops", "load", "evaluate", "verdict", "marks"
    );
    for (i, l) in loaded.iter().enumerate() {
        let e = &evaluations[i];
        let names: Vec<&str> = l.bid.files.iter().map(|f| f.name.as_str()).collect();
        println!(
            "  {:<7} {:>9} {:>5} {:>10} {:>10}  {:<14} {:>6}  {}",
            l.bid.name,
            size(l.bytes as usize),
            l.operations,
            ms(l.load_seconds),
            ms(bid_times[i]),
            e.verdict.as_str(),
            format!("{}/{}", e.points, e.available),
            names.join(" + ")
        );
    }

    // Which requirements the bids meet, to show that the automatic checks discriminate.
    println!("\nper requirement: bids met / not met / needs review");
    for r in &pack.requirements {
        let (mut met, mut not, mut review) = (0, 0, 0);
        for e in &evaluations {
            match e
                .requirements
                .iter()
                .find(|o| o.id == r.id)
                .map(|o| o.status)
            {
                Some(pac_tender::Status::Met) => met += 1,
                Some(pac_tender::Status::NotMet) => not += 1,
                _ => review += 1,
            }
        }
        println!(
            "  {:<7} {:<6} {:<8} {met:>3} / {not:>3} / {review:>3}",
            r.id,
            r.level.as_str(),
            r.check.kind()
        );
    }

    let mut sorted = bid_times.clone();
    sorted.sort_by(f64::total_cmp);
    let slowest = bid_times
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(i, _)| i)
        .unwrap_or(0);
    println!("\nevaluation, {n} bids:");
    println!("  per bid p50  {}", ms(quantile(&sorted, 0.5)));
    println!("  per bid p90  {}", ms(quantile(&sorted, 0.9)));
    println!(
        "  per bid max  {} ({}, {}, {} operations)",
        ms(sorted[n - 1]),
        loaded[slowest].bid.name,
        size(loaded[slowest].bytes as usize),
        loaded[slowest].operations
    );
    println!(
        "  total        {} (median of {} runs: {})",
        ms(median(run_totals.clone())),
        args.runs,
        run_totals
            .iter()
            .map(|t| format!("{:.2} s", t))
            .collect::<Vec<_>>()
            .join(", ")
    );

    let (compare_s, comparison) =
        timed(args.runs.max(5), || pac_tender::compare(pack, &evaluations));
    println!(
        "\ncomparison of {n} evaluations (compare): {} (median of {} runs); {} ranked, {} disqualified",
        ms(compare_s),
        args.runs.max(5),
        comparison.bids.iter().filter(|b| b.rank.is_some()).count(),
        comparison.bids.iter().filter(|b| b.rank.is_none()).count()
    );

    // The report exported: the evaluation with the most evidence.
    let report = evaluations
        .iter()
        .max_by_key(|e| {
            e.requirements
                .iter()
                .map(|o| o.evidence.len())
                .sum::<usize>()
        })
        .expect("at least one bid");
    let evidence: usize = report.requirements.iter().map(|o| o.evidence.len()).sum();
    let options = export::ocds::Options {
        ocid_prefix: "ocds-bench0".to_owned(),
        date: "2027-06-01T00:00:00Z".to_owned(),
    };
    let export_runs = args.runs.max(5);
    type Export<'a> = (&'a str, Box<dyn Fn() -> Vec<u8> + 'a>);
    let exports: Vec<Export> = vec![
        (
            "pack.md (tender text, Markdown)",
            Box::new(|| export::markdown::pack(pack).into_bytes()),
        ),
        (
            "pack.docx (tender text, Word)",
            Box::new(|| export::docx::pack(pack).expect("docx")),
        ),
        (
            "matrix.csv (compliance matrix)",
            Box::new(|| export::csv::matrix(pack).expect("csv").into_bytes()),
        ),
        (
            "matrix.xlsx (compliance matrix)",
            Box::new(|| export::xlsx::matrix(pack).expect("xlsx")),
        ),
        (
            "ocds.json (release with the bids)",
            Box::new(|| {
                let package = export::ocds::release_package(pack, &evaluations, &options);
                serde_json::to_vec_pretty(&package).expect("json")
            }),
        ),
        (
            "comparison.md",
            Box::new(|| export::markdown::comparison(&comparison).into_bytes()),
        ),
        (
            "comparison.csv",
            Box::new(|| {
                export::csv::comparison(&comparison)
                    .expect("csv")
                    .into_bytes()
            }),
        ),
        (
            "comparison.xlsx",
            Box::new(|| export::xlsx::comparison(&comparison).expect("xlsx")),
        ),
        (
            "evaluation.md (one bid's report)",
            Box::new(|| export::markdown::evaluation(pack, report).into_bytes()),
        ),
        (
            "evaluation.csv (one bid's report)",
            Box::new(|| export::csv::evaluation(report).expect("csv").into_bytes()),
        ),
    ];
    println!(
        "\nexports (median of {export_runs} runs; the report is {}'s, {evidence} pieces of evidence):",
        report.bid
    );
    if let Some(out) = &args.out {
        std::fs::create_dir_all(out).expect("create --out");
    }
    for (name, build) in &exports {
        let (seconds, bytes) = timed(export_runs, build);
        println!(
            "  {:<36} {:>10}  {:>10}",
            name,
            ms(seconds),
            size(bytes.len())
        );
        if let Some(out) = &args.out {
            let file = name.split_whitespace().next().unwrap_or(name);
            std::fs::write(out.join(file), &bytes).expect("write an export");
        }
    }

    let hwm_end = vm_kib("VmHWM:");

    // Where the slowest bid's time goes: the standard linted whole, then each rule alone.
    let slow = &loaded[slowest].bid;
    let lint_with = |ruleset: &pac_lint::Ruleset| -> f64 {
        let start = Instant::now();
        std::thread::scope(|s| {
            std::thread::Builder::new()
                .stack_size(pac_lint::LINT_STACK_BYTES)
                .spawn_scoped(s, || {
                    for f in &slow.files {
                        let _ = pac_lint::lint_description(ruleset, &f.description, &limits);
                    }
                })
                .expect("a lint thread")
                .join()
                .expect("the lint thread");
        });
        start.elapsed().as_secs_f64()
    };
    let whole = lint_with(&standard);
    let mut by_rule: Vec<(f64, String)> = standard
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.severity != pac_lint::Severity::Off)
        .map(|(i, r)| {
            let mut one = standard.clone();
            for (j, other) in one.rules.iter_mut().enumerate() {
                if j != i {
                    other.severity = pac_lint::Severity::Off;
                }
            }
            (lint_with(&one), r.name.clone())
        })
        .collect();
    by_rule.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!(
        "\nslowest bid {}: linting under the whole standard {}; the slowest rules alone:",
        slow.name,
        ms(whole)
    );
    for (t, name) in by_rule.iter().take(5) {
        println!("  {name:<36} {}", ms(*t));
    }

    println!(
        "\npeak RSS (VmHWM): {} after loading the bids, {} after the evaluations and exports",
        mib(hwm_loaded),
        mib(hwm_end)
    );
}
