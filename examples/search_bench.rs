//! Search relevance and server-side latency over a store that holds an imported corpus.
//!
//! Usage: `cargo run --release --example search_bench -- --data-dir DIR [--index-dir DIR]
//!         [--judged FILE] [--sample N] [--passes N] [--urls FILE]`
//!
//! 1. Relevance: runs the judged queries (default `tests/fixtures/search/judged.yaml`) and prints
//!    MRR@10 and recall@10, overall and by query style, and the queries whose answer is not first.
//! 2. Latency: the judged queries plus N operation summaries sampled from the store (fixed seed), run
//!    as an anonymous caller (so with the visibility filter, as over HTTP), after one warm-up pass;
//!    prints p50/p90/p99/max of `Search::search` over `--passes` passes.
//! 3. With `--urls FILE`, writes the same queries as `/api/v1/search?...` paths, one per line, for a
//!    load tool (scripts/bench-search.sh feeds them to wrk).

use std::path::PathBuf;
use std::time::Instant;

use diesel::prelude::*;
use pac::auth::Principal;
use pac::auth::policy::Visible;
use pac::search::fields::Kind;
use pac::search::{Search, SearchRequest, WriterBudget, judged};
use pac::store::schema::{api_versions, apis, operations};
use pac::store::{Database, Store};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Args {
    data_dir: PathBuf,
    index_dir: Option<PathBuf>,
    judged: PathBuf,
    sample: usize,
    passes: usize,
    urls: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        data_dir: PathBuf::from("data"),
        index_dir: None,
        judged: PathBuf::from("tests/fixtures/search/judged.yaml"),
        sample: 3000,
        passes: 3,
        urls: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--data-dir" => a.data_dir = value().into(),
            "--index-dir" => a.index_dir = Some(value().into()),
            "--judged" => a.judged = value().into(),
            "--sample" => a.sample = value().parse().expect("--sample N"),
            "--passes" => a.passes = value().parse().expect("--passes N"),
            "--urls" => a.urls = Some(value().into()),
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

/// Summaries of operations in latest versions, sampled with a fixed seed (xorshift).
fn sampled_summaries(store: &Store, n: usize) -> Vec<String> {
    let all: Vec<String> = store
        .read(|c| {
            operations::table
                .inner_join(api_versions::table.inner_join(apis::table))
                .filter(apis::latest_version.eq(api_versions::version.nullable()))
                .filter(operations::summary.is_not_null())
                .select(operations::summary.assume_not_null())
                .load::<String>(c)
                .map_err(pac::error::Error::from)
        })
        .expect("read summaries");
    // As a person would type them: one line, plain spaces.
    let mut all: Vec<String> = all
        .into_iter()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    all.retain(|s| {
        !s.is_empty()
            && s.chars().count() <= 120
            && !s.chars().any(char::is_control)
            && pac::search::query::parse(s).is_ok()
    });
    all.sort();
    all.dedup();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n.min(all.len()) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let i = (state % all.len() as u64) as usize;
        out.push(all.swap_remove(i));
    }
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    let a = args();
    let store = Store::open(
        Database::from_config(
            std::env::var("PAC_DATABASE_URL").ok().as_deref(),
            &a.data_dir,
        )
        .expect("database"),
        4,
    )
    .expect("open store");
    let index_dir = a
        .index_dir
        .clone()
        .unwrap_or_else(|| a.data_dir.join("index"));
    let search = Search::open(&index_dir, WriterBudget::bulk()).expect("open index");
    if search.is_writable() {
        let started = Instant::now();
        let done = if search.needs_rebuild() {
            search.rebuild(&store, &|_, _| {})
        } else {
            search.catch_up(&store)
        }
        .expect("index current");
        if done.apis > 0 {
            println!(
                "index brought up to date: {} APIs, {} documents in {:.1} s",
                done.apis,
                done.documents,
                started.elapsed().as_secs_f64()
            );
        }
    }
    println!("index: {} documents", search.num_docs());
    let public = Visible::for_principal(&Principal::Anonymous);

    // 1. Relevance.
    let judged = judged::load(&a.judged).expect("judged queries");
    let scores = judged::evaluate(&judged, |j| {
        let request = SearchRequest {
            q: Some(j.query.clone()),
            kind: j.kind.as_deref().and_then(Kind::parse),
            limit: judged::CUTOFF,
            ..SearchRequest::default()
        };
        search.search(&request, &public).map(|r| r.hits)
    })
    .expect("evaluate");
    println!(
        "relevance over {} judged queries: MRR@10 {:.3}, recall@10 {:.3}",
        scores.all.queries, scores.all.mrr, scores.all.recall
    );
    for (style, s) in &scores.by_style {
        println!(
            "  {style:<11} {:>3} queries  MRR {:.3}  recall {:.3}",
            s.queries, s.mrr, s.recall
        );
    }
    for q in scores.queries.iter().filter(|q| q.first_rank != Some(1)) {
        println!(
            "  not first: {:<45} first at {:>4}  found {}/{}",
            q.query,
            q.first_rank.map_or("-".to_string(), |r| r.to_string()),
            q.found,
            q.expected
        );
    }

    // 2. Latency.
    let mut requests: Vec<SearchRequest> = judged
        .iter()
        .map(|j| SearchRequest {
            q: Some(j.query.clone()),
            kind: j.kind.as_deref().and_then(Kind::parse),
            limit: 20,
            ..SearchRequest::default()
        })
        .collect();
    let sampled = sampled_summaries(&store, a.sample);
    requests.extend(sampled.iter().map(|s| SearchRequest {
        q: Some(s.clone()),
        limit: 20,
        ..SearchRequest::default()
    }));
    for r in &requests {
        search.search(r, &public).expect("warm-up");
    }
    let mut times = Vec::with_capacity(requests.len() * a.passes);
    let mut slowest = (0.0, String::new());
    for _ in 0..a.passes {
        for r in &requests {
            let started = Instant::now();
            let results = search.search(r, &public).expect("search");
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box(results);
            if ms > slowest.0 {
                slowest = (ms, r.q.clone().unwrap_or_default());
            }
            times.push(ms);
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "latency over {} queries x {} passes ({} judged + {} sampled summaries), anonymous caller, limit 20, facets on:",
        requests.len(),
        a.passes,
        judged.len(),
        sampled.len()
    );
    println!(
        "  p50 {:.2} ms  p90 {:.2} ms  p99 {:.2} ms  max {:.2} ms  mean {:.2} ms",
        percentile(&times, 0.50),
        percentile(&times, 0.90),
        percentile(&times, 0.99),
        percentile(&times, 1.0),
        times.iter().sum::<f64>() / times.len().max(1) as f64
    );
    println!("  slowest: {:.2} ms for {:?}", slowest.0, slowest.1);

    // 3. URLs for the load tool.
    if let Some(path) = &a.urls {
        let lines: Vec<String> = requests
            .iter()
            .map(|r| {
                let mut url = format!(
                    "/api/v1/search?limit=20&q={}",
                    pac::domain::encode_query_value(r.q.as_deref().unwrap_or(""))
                );
                if let Some(k) = r.kind {
                    url.push_str("&kind=");
                    url.push_str(k.as_str());
                }
                url
            })
            .collect();
        std::fs::write(path, lines.join("\n") + "\n").expect("write urls");
        println!("wrote {} URLs to {}", lines.len(), path.display());
    }
}
