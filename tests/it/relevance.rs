//! Relevance kept from regressing: the judged queries (tests/fixtures/search/judged.yaml) run over
//! real descriptions from the APIs.guru 2022 corpus in ../shared/corpora.
//!
//! To stay fast in a debug build it indexes the latest version of every API the judged set names
//! plus every tenth other API (about 330 of 2,339), not the whole corpus; `scripts/bench-search.sh`
//! measures the whole corpus. The floors below sit a little under what this subset scores today
//! (MRR@10 0.757, recall@10 0.726 over 323 APIs), so that a change that loses answers fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use pac::auth::Principal;
use pac::auth::policy::Visible;
use pac::domain::{Slug, compare_versions};
use pac::ingest::import::{ImportOptions, import};
use pac::search::fields::Kind;
use pac::search::{Search, SearchRequest, WriterBudget, judged};
use pac::store::{Database, Store};

const MIN_MRR: f64 = 0.73;
const MIN_RECALL: f64 = 0.71;

fn corpus() -> Option<PathBuf> {
    pac_testkit::shared_path(
        "judged_queries_keep_their_relevance",
        "corpora/apis-guru-2022.tar.zst",
    )
}

/// The latest version folder of each API of the corpus, by the slug `pac import` gives it.
fn latest_versions(apis: &Path) -> BTreeMap<String, (PathBuf, String)> {
    let mut out: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
    let mut stack = vec![apis.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = entry.file_name().to_string_lossy().to_string();
            if !(name.starts_with("openapi.") || name.starts_with("swagger.")) {
                continue;
            }
            let rel = path.parent().unwrap().strip_prefix(apis).unwrap();
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let (api_parts, version) = parts.split_at(parts.len() - 1);
            let Some(slug) = Slug::slugify(&api_parts.join("-")) else {
                continue;
            };
            let version = version[0].clone();
            let newer = out
                .get(slug.as_str())
                .is_none_or(|(_, v)| compare_versions(&version, v).is_gt());
            if newer {
                out.insert(slug.to_string(), (rel.to_path_buf(), version));
            }
        }
    }
    out
}

#[test]
fn judged_queries_keep_their_relevance() {
    let Some(tar) = corpus() else {
        return;
    };
    let judged_file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search/judged.yaml");
    let judged = judged::load(&judged_file).expect("judged set");
    let work = tempfile::tempdir().unwrap();
    let unpacked = work.path().join("corpus");
    std::fs::create_dir_all(&unpacked).unwrap();
    let status = Command::new("sh")
        .arg("-c")
        .arg("zstd -q -d --long=27 -c \"$1\" | tar -x -C \"$2\"")
        .arg("sh")
        .arg(&tar)
        .arg(&unpacked)
        .status()
        .expect("zstd and tar");
    assert!(status.success(), "unpacking {}", tar.display());
    let apis = unpacked.join("openapi-directory/APIs");

    // The judged APIs, and every tenth other one so that answers have competition.
    let wanted: BTreeSet<String> = judged
        .iter()
        .flat_map(|j| j.expect.iter().map(|e| e.api.clone()))
        .collect();
    let latest = latest_versions(&apis);
    let subset = work.path().join("subset");
    let mut others = 0;
    for (i, (slug, (rel, _))) in latest.iter().enumerate() {
        if !wanted.contains(slug) {
            if i % 10 != 0 {
                continue;
            }
            others += 1;
        }
        let to = subset.join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::rename(apis.join(rel), &to).unwrap();
    }
    for slug in &wanted {
        assert!(
            latest.contains_key(slug),
            "judged API {slug} is not in the corpus"
        );
    }

    let store = Store::open(Database::Sqlite(work.path().join("pac.sqlite3")), 4).unwrap();
    let catalogue =
        pac::usecase::Catalogue::with_built_in_standard(store.clone(), Default::default()).unwrap();
    let report = import(
        &catalogue,
        &[subset],
        &ImportOptions::default(),
        &indicatif::ProgressBar::hidden(),
    )
    .unwrap();
    assert_eq!(
        report.imported,
        wanted.len() + others,
        "{:?}",
        report.errors
    );
    let search = Search::open(&work.path().join("index"), WriterBudget::bulk()).unwrap();
    search.rebuild(&store, &|_, _| {}).unwrap();

    let public = Visible::for_principal(&Principal::Anonymous);
    let scores = judged::evaluate(&judged, |j| {
        let request = SearchRequest {
            q: Some(j.query.clone()),
            kind: j.kind.as_deref().and_then(Kind::parse),
            limit: judged::CUTOFF,
            ..SearchRequest::default()
        };
        search.search(&request, &public).map(|r| r.hits)
    })
    .unwrap();
    eprintln!(
        "relevance over {} judged queries, {} APIs: MRR@10 {:.3}, recall@10 {:.3}",
        scores.all.queries,
        wanted.len() + others,
        scores.all.mrr,
        scores.all.recall
    );
    for q in scores.queries.iter().filter(|q| q.first_rank.is_none()) {
        eprintln!("  no expected hit in the top 10: {}", q.query);
    }
    assert!(
        scores.all.mrr >= MIN_MRR,
        "MRR@10 fell to {:.3} (floor {MIN_MRR})",
        scores.all.mrr
    );
    assert!(
        scores.all.recall >= MIN_RECALL,
        "recall@10 fell to {:.3} (floor {MIN_RECALL})",
        scores.all.recall
    );
}
