//! Full-text search over everything inside the descriptions (tantivy), derived from the store and
//! rebuildable from it at any time.
//!
//! **Consistency.** The audit log is the change feed: every write to an API, a version or an
//! organisation records an entry in the same transaction. [`Search::catch_up`] reads the entries
//! after the index's *watermark*, re-indexes the APIs they touch, and commits the index with the new
//! watermark in the commit's payload. Writers call it after their transaction commits, `pac serve`
//! calls it at start and every few seconds (for `pac import` runs and other servers), so a crash
//! between a database commit and the index commit is repaired at the next start. On PostgreSQL the
//! watermark only passes entries older than [`SETTLE`]: ids are taken before commit, so a younger
//! entry with a lower id may still appear (SQLite commits one writer at a time, in id order); entries
//! above the watermark that this process has applied are remembered and skipped, and re-applying one
//! after a restart is harmless.
//!
//! **One writer, one reader.** The index has one `IndexWriter` (behind a mutex; a second process that
//! finds the index locked opens it read-only) and one long-lived `IndexReader`, reloaded after each
//! commit. A rebuild deletes everything and adds every API in one commit; catching up commits once
//! per batch of changes.

pub mod analysis;
pub mod cache;
mod documents;
mod facets;
pub mod fields;
pub mod judged;
pub mod query;
pub mod request;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::{Directory, INDEX_WRITER_LOCK, MmapDirectory};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::auth::policy::Visible;
use crate::domain::SystemId;
use crate::error::{Code, Error, Location};
use crate::store::{Store, audit, indexing};
use crate::tiers::StandardId;
use facets::{FACETS, FacetCounts};
use fields::{Fields, Kind};

/// How long an audit entry must be old before the watermark may pass it.
pub const SETTLE: Duration = Duration::from_secs(60);
/// Changes read per catch-up round.
const CHANGE_BATCH: i64 = 2_000;
/// APIs loaded from the store at a time while indexing.
const API_BATCH: i64 = 100;
/// A catch-up touching more APIs than this rebuilds instead.
const REBUILD_ABOVE: usize = 2_000;

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    schema: u32,
    watermark: i64,
}

/// How the writer may use the machine.
#[derive(Debug, Clone, Copy)]
pub struct WriterBudget {
    pub threads: usize,
    pub memory_bytes: usize,
}

impl WriterBudget {
    /// For a server: small and steady.
    pub const SERVE: WriterBudget = WriterBudget {
        threads: 1,
        memory_bytes: 64 << 20,
    };

    /// For rebuilds and bulk imports: every core.
    pub fn bulk() -> WriterBudget {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(8);
        WriterBudget {
            threads,
            memory_bytes: threads * (192 << 20),
        }
    }
}

struct Writer {
    writer: IndexWriter,
    /// Every change up to here is in the index.
    watermark: i64,
    /// Changes above the watermark applied by this process since.
    applied: BTreeSet<i64>,
}

pub struct Search {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// None while another process holds the index's writer lock; taken when it is released.
    writer: Mutex<Option<Writer>>,
    budget: WriterBudget,
    needs_rebuild: bool,
    /// Overrides [`Search::settle`] (tests).
    settle: Option<Duration>,
    dir: PathBuf,
    /// The standard in force, whose kitemark the interoperability tiers indexed ask for.
    standard: StandardId,
}

/// What a catch-up or rebuild did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Indexed {
    pub changes: usize,
    pub apis: usize,
    pub documents: usize,
    pub watermark: i64,
    pub rebuilt: bool,
}

fn built_in_standard() -> Result<StandardId, Error> {
    pac_lint::Ruleset::built_in("police-api-standard")
        .map(|r| StandardId::of(&r))
        .map_err(|e| Error::internal("the built-in standard", e))
}

fn index_error(context: &str) -> impl Fn(tantivy::TantivyError) -> Error + '_ {
    move |e| Error::internal(context, e)
}

impl Search {
    /// Opens the index in `dir`, creating it when there is none. An index written by another schema
    /// version, or that cannot be read, is replaced by an empty one that [`Search::needs_rebuild`].
    /// When another process holds the writer lock, the index opens read-only.
    pub fn open(dir: &Path, budget: WriterBudget) -> Result<Search, Error> {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::Unavailable(format!(
                "cannot create the search index folder {}: {e}",
                dir.display()
            ))
        })?;
        let fields = Fields::new();
        let (index, payload) = match Self::open_existing(dir) {
            Ok(Some((index, payload)))
                if payload
                    .as_ref()
                    .is_some_and(|p| p.schema == fields::SCHEMA_VERSION) =>
            {
                (index, payload)
            }
            existing => {
                match existing {
                    Ok(Some(_)) => {
                        tracing::warn!(dir = %dir.display(), "search index has another layout; rebuilding it")
                    }
                    Err(e) => {
                        tracing::warn!(dir = %dir.display(), error = %e, "search index unreadable; rebuilding it")
                    }
                    Ok(None) => tracing::info!(dir = %dir.display(), "creating the search index"),
                }
                // Only while holding the writer lock: another process may be writing this index.
                let directory = MmapDirectory::open(dir)
                    .map_err(|e| Error::internal("opening the search index folder", e))?;
                let _lock = directory.acquire_lock(&INDEX_WRITER_LOCK).map_err(|_| {
                    Error::Unavailable(format!(
                        "the search index in {} needs rebuilding but another process is writing it; stop that process or give this one its own --index-dir",
                        dir.display()
                    ))
                })?;
                Self::clear(dir)?;
                let index = Index::create_in_dir(dir, fields.schema.clone())
                    .map_err(index_error("creating the search index"))?;
                (index, None)
            }
        };
        index
            .tokenizers()
            .register(analysis::ANALYZER, analysis::analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(index_error("opening the search index reader"))?;
        let search = Search {
            index,
            reader,
            fields,
            writer: Mutex::new(None),
            budget,
            needs_rebuild: payload.is_none(),
            settle: None,
            dir: dir.to_path_buf(),
            standard: built_in_standard()?,
        };
        // Take the writer now if it is free; a read-only process retries at each catch-up.
        match search.writer() {
            Ok(_) => {}
            Err(Error::Unavailable(_)) => {
                tracing::info!(dir = %dir.display(), "search index is in use by another process; opened read-only");
            }
            Err(e) => return Err(e),
        }
        Ok(search)
    }

    fn open_existing(
        dir: &Path,
    ) -> Result<Option<(Index, Option<Payload>)>, tantivy::TantivyError> {
        if !dir.join("meta.json").exists() {
            return Ok(None);
        }
        let index = Index::open_in_dir(dir)?;
        let payload = index
            .load_metas()?
            .payload
            .and_then(|p| serde_json::from_str::<Payload>(&p).ok());
        Ok(Some((index, payload)))
    }

    fn clear(dir: &Path) -> Result<(), Error> {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| Error::Unavailable(format!("cannot read {}: {e}", dir.display())))?;
        for entry in entries.flatten() {
            let path = entry.path();
            // The lock files stay: removing one would let another process take the lock we hold.
            if entry.file_name().to_string_lossy().starts_with(".tantivy-") {
                continue;
            }
            let removed = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            removed.map_err(|e| {
                Error::Unavailable(format!("cannot remove {}: {e}", path.display()))
            })?;
        }
        Ok(())
    }

    /// Judges interoperability tiers against `standard` (default: the built-in police API
    /// standard).
    pub fn with_standard(mut self, standard: StandardId) -> Search {
        self.standard = standard;
        self
    }

    /// Lets tests watch the watermark move without waiting a minute.
    pub fn with_settle(mut self, settle: Duration) -> Search {
        self.settle = Some(settle);
        self
    }

    /// How old a change must be before the watermark passes it. SQLite commits writers one at a
    /// time, so its ids commit in order and nothing needs to settle; PostgreSQL takes ids before
    /// commit, so a lower id can appear after a higher one.
    fn settle(&self, store: &Store) -> Duration {
        self.settle.unwrap_or(match store.database() {
            crate::store::Database::Sqlite(_) => Duration::ZERO,
            crate::store::Database::Postgres(_) => SETTLE,
        })
    }

    /// True when the index was created empty or replaced: it holds nothing until rebuilt.
    pub fn needs_rebuild(&self) -> bool {
        self.needs_rebuild
    }

    /// Whether this process holds the index's writer (it tries to take it if not).
    pub fn is_writable(&self) -> bool {
        self.writer().is_ok()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The watermark of the last commit.
    pub fn watermark(&self) -> Result<i64, Error> {
        let payload = self
            .index
            .load_metas()
            .map_err(index_error("reading the search index"))?
            .payload;
        Ok(payload
            .and_then(|p| serde_json::from_str::<Payload>(&p).ok())
            .map_or(0, |p| p.watermark))
    }

    /// Changes with every commit the reader has loaded; cached answers are valid for one generation.
    pub fn generation(&self) -> u64 {
        self.reader.searcher().generation().generation_id()
    }

    /// Documents in the index (every visibility).
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The writer, taken now if this process does not hold it yet. When another process holds it,
    /// the reader is reloaded instead (that process commits; this one only reads) and the answer is
    /// `Unavailable`.
    fn writer(&self) -> Result<std::sync::MutexGuard<'_, Option<Writer>>, Error> {
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            match self
                .index
                .writer_with_num_threads(self.budget.threads, self.budget.memory_bytes)
            {
                Ok(writer) => {
                    // Another process may have committed since this one opened the index.
                    self.reader
                        .reload()
                        .map_err(index_error("reloading the search index"))?;
                    *guard = Some(Writer {
                        writer,
                        watermark: self.watermark()?,
                        applied: BTreeSet::new(),
                    });
                }
                Err(tantivy::TantivyError::LockFailure(..)) => {
                    self.reader
                        .reload()
                        .map_err(index_error("reloading the search index"))?;
                    return Err(Error::Unavailable(format!(
                        "the search index in {} is in use by another process (a running `pac serve`?)",
                        self.dir.display()
                    )));
                }
                Err(e) => return Err(Error::internal("opening the search index writer", e)),
            }
        }
        Ok(guard)
    }

    /// Applies the changes recorded since the watermark (see the module docs).
    pub fn catch_up(&self, store: &Store) -> Result<Indexed, Error> {
        self.catch_up_inner(store, true)
    }

    fn catch_up_inner(&self, store: &Store, may_rebuild: bool) -> Result<Indexed, Error> {
        let mut guard = self.writer()?;
        let Some(w) = guard.as_mut() else {
            return Err(Error::internal("search index", "writer missing"));
        };
        let mut done = Indexed {
            watermark: w.watermark,
            ..Indexed::default()
        };
        let mut after = w.watermark;
        loop {
            let changes = store.read(|c| audit::since(c, after, CHANGE_BATCH))?;
            let Some(last) = changes.last() else {
                break;
            };
            after = last.id;
            let fresh: Vec<&audit::Change> = changes
                .iter()
                .filter(|c| !w.applied.contains(&c.id))
                .collect();
            let cutoff = crate::store::now()
                - chrono::Duration::from_std(self.settle(store)).unwrap_or_default();
            // The watermark may pass an unbroken run of settled changes, no further.
            let settled = changes
                .iter()
                .take_while(|c| c.at < cutoff)
                .map(|c| c.id)
                .last();
            if !fresh.is_empty() {
                let Affected {
                    mut ids,
                    gone,
                    systems,
                } = store.read(|c| affected_apis(c, &fresh))?;
                ids.extend(self.stale_tiers(store, &systems)?);
                ids.sort_unstable();
                ids.dedup();
                if may_rebuild && ids.len() > REBUILD_ABOVE {
                    drop(guard);
                    return self.rebuild(store, &|_, _| {});
                }
                let applied = self
                    .reindex_apis(&mut w.writer, store, &ids)
                    .inspect(|_| {
                        for slug in &gone {
                            w.writer
                                .delete_term(Term::from_field_text(self.fields.api, slug));
                        }
                    })
                    .and_then(|docs| {
                        let watermark = settled.unwrap_or(w.watermark).max(w.watermark);
                        self.commit(&mut w.writer, watermark)
                            .map(|()| (docs, watermark))
                    });
                let (docs, watermark) = match applied {
                    Ok(v) => v,
                    Err(e) => {
                        // Nothing half-done may reach a later commit.
                        let _ = w.writer.rollback();
                        return Err(e);
                    }
                };
                done.documents += docs;
                done.apis += ids.len();
                done.changes += fresh.len();
                w.applied.extend(fresh.iter().map(|c| c.id));
                w.watermark = watermark;
            } else if let Some(watermark) = settled.filter(|s| *s > w.watermark) {
                self.commit(&mut w.writer, watermark)?;
                w.watermark = watermark;
            }
            w.applied = w.applied.split_off(&(w.watermark + 1));
            done.watermark = w.watermark;
            if (changes.len() as i64) < CHANGE_BATCH {
                break;
            }
        }
        Ok(done)
    }

    /// Replaces the whole index with what the store holds now. `progress(done, total)` is called
    /// after each batch of APIs. On failure the index is left as it was.
    pub fn rebuild(
        &self,
        store: &Store,
        progress: &dyn Fn(usize, usize),
    ) -> Result<Indexed, Error> {
        let mut guard = self.writer()?;
        let Some(w) = guard.as_mut() else {
            return Err(Error::internal("search index", "writer missing"));
        };
        let cutoff = crate::store::now()
            - chrono::Duration::from_std(self.settle(store)).unwrap_or_default();
        // Everything up to here is in what is read below; later changes are caught up afterwards
        // (again, for those that were read too: applying a change twice is harmless).
        let watermark = store.read(|c| audit::last_before(c, cutoff))?.unwrap_or(0);
        let built = self
            .build_all(&mut w.writer, store, progress)
            .and_then(|done| {
                self.commit(&mut w.writer, watermark)?;
                Ok(done)
            });
        let mut done = match built {
            Ok(done) => done,
            Err(e) => {
                let _ = w.writer.rollback();
                return Err(e);
            }
        };
        w.watermark = watermark;
        w.applied.clear();
        drop(guard);
        let tail = self.catch_up_inner(store, false)?;
        done.changes = tail.changes;
        done.watermark = tail.watermark;
        Ok(done)
    }

    /// Deletes every document and adds those of every API in the store, uncommitted.
    fn build_all(
        &self,
        writer: &mut IndexWriter,
        store: &Store,
        progress: &dyn Fn(usize, usize),
    ) -> Result<Indexed, Error> {
        let total = store.read(|c| {
            use diesel::prelude::*;
            crate::store::schema::apis::table
                .count()
                .get_result::<i64>(c)
                .map_err(Error::from)
        })? as usize;
        writer
            .delete_all_documents()
            .map_err(index_error("clearing the search index"))?;
        let mut done = Indexed {
            rebuilt: true,
            ..Indexed::default()
        };
        let mut after = 0;
        loop {
            let batch =
                store.read(|c| indexing::load_after(c, after, API_BATCH, &self.standard))?;
            let Some(last) = batch.last() else {
                break;
            };
            after = last.id;
            for api in &batch {
                for doc in documents::for_api(&self.fields, api) {
                    writer.add_document(doc).map_err(index_error("indexing"))?;
                    done.documents += 1;
                }
            }
            done.apis += batch.len();
            progress(done.apis, total.max(done.apis));
        }
        Ok(done)
    }

    fn reindex_apis(
        &self,
        writer: &mut IndexWriter,
        store: &Store,
        ids: &[i64],
    ) -> Result<usize, Error> {
        let mut added = 0;
        for chunk in ids.chunks(API_BATCH as usize) {
            let apis = store.read(|c| indexing::load(c, chunk, &self.standard))?;
            for &id in chunk {
                writer.delete_term(Term::from_field_u64(self.fields.api_id, id as u64));
            }
            for api in &apis {
                for doc in documents::for_api(&self.fields, api) {
                    writer.add_document(doc).map_err(index_error("indexing"))?;
                    added += 1;
                }
            }
        }
        Ok(added)
    }

    /// The APIs of `systems` whose indexed tier is not the one they should carry now: only these
    /// are indexed again when a system's evidence changes (a write to one API of a system with
    /// hundreds would otherwise re-index them all).
    fn stale_tiers(&self, store: &Store, systems: &[SystemId]) -> Result<Vec<i64>, Error> {
        if systems.is_empty() {
            return Ok(Vec::new());
        }
        let expected = store.read(|c| indexing::expected_tiers(c, systems, &self.standard))?;
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let mut stale = Vec::new();
        for (api, want) in expected {
            let q = BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_u64(f.api_id, api as u64),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>,
                ),
                (Occur::Must, query::keyword(f.kind, Kind::Api.as_str())),
            ]);
            let found = searcher
                .search(&q, &TopDocs::with_limit(1).order_by_score())
                .map_err(index_error("reading indexed tiers"))?;
            let indexed = match found.first() {
                Some((_, address)) => {
                    let doc: TantivyDocument = searcher
                        .doc(*address)
                        .map_err(index_error("reading indexed tiers"))?;
                    Some(
                        doc.get_first(f.tier)
                            .and_then(|v| v.as_str())
                            .map(str::to_owned),
                    )
                }
                None => None,
            };
            if indexed != Some(want.map(str::to_owned)) {
                stale.push(api);
            }
        }
        Ok(stale)
    }

    fn commit(&self, writer: &mut IndexWriter, watermark: i64) -> Result<(), Error> {
        let payload = serde_json::to_string(&Payload {
            schema: fields::SCHEMA_VERSION,
            watermark,
        })
        .unwrap_or_default();
        let mut prepared = writer
            .prepare_commit()
            .map_err(index_error("committing the search index"))?;
        prepared.set_payload(&payload);
        prepared
            .commit()
            .map_err(index_error("committing the search index"))?;
        self.reader
            .reload()
            .map_err(index_error("reloading the search index"))?;
        Ok(())
    }

    /// Runs a search as a caller who sees `visible`.
    pub fn search(
        &self,
        request: &SearchRequest,
        visible: &Visible,
    ) -> Result<SearchResults, Error> {
        let f = &self.fields;
        let clauses =
            query::parse(request.q.as_deref().unwrap_or("")).map_err(|e| Error::Invalid {
                code: Code::QuerySyntax,
                message: format!("q: {} (at character {})", e.message, e.column),
                location: Box::new(Location {
                    pointer: Some("/q".into()),
                    column: Some(e.column),
                    ..Location::default()
                }),
            })?;
        let searcher = self.reader.searcher();
        let mut strictness = query::Strictness::Most;
        let (full, matching_everything, top, total, counts, relaxed) = loop {
            let built = query::build(f, &clauses, strictness);
            let relaxable = built.as_ref().is_some_and(|(_, r)| *r);
            let matching_everything = built.is_none();
            let scoring = built.map_or_else(|| Box::new(AllQuery) as Box<dyn Query>, |(q, _)| q);
            let full = self.filtered(scoring, request, visible);
            let top = TopDocs::with_limit(request.limit.max(1))
                .and_offset(request.offset)
                .order_by_score();
            let (top, total, counts) = searcher
                .search(&full, &(top, Count, FacetCounts))
                .map_err(index_error("searching"))?;
            if total == 0 && relaxable {
                strictness = query::Strictness::Any;
                continue;
            }
            let relaxed = strictness == query::Strictness::Any;
            break (full, matching_everything, top, total, counts, relaxed);
        };
        let snippets = if matching_everything {
            None
        } else {
            let mut description = SnippetGenerator::create(&searcher, &full, f.description)
                .map_err(index_error("highlighting"))?;
            description.set_max_num_chars(SNIPPET_CHARS);
            Some(description)
        };
        let mut hits = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = searcher
                .doc(address)
                .map_err(index_error("reading a hit"))?;
            hits.push(self.hit(&doc, snippets.as_ref()));
        }
        let facets = FACETS
            .iter()
            .zip(counts)
            .map(|(name, values)| {
                let mut values: Vec<FacetValue> = values
                    .into_iter()
                    .map(|(value, count)| FacetValue { value, count })
                    .collect();
                values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
                values.truncate(FACET_VALUES);
                // The score is counted by band; the facet is called what it counts.
                let name = if *name == "score_band" { "score" } else { name };
                (name.to_string(), values)
            })
            .collect();
        Ok(SearchResults {
            total: total as u64,
            relaxed,
            hits,
            facets,
        })
    }

    /// Up to `limit` distinct titles of entries the caller may see whose names, summaries or
    /// paths complete `typed` (see [`query::completion`]), best first.
    pub fn suggest(
        &self,
        typed: &str,
        kind: Option<Kind>,
        limit: usize,
        visible: &Visible,
    ) -> Result<Vec<Suggestion>, Error> {
        if typed.chars().count() > query::MAX_QUERY_CHARS {
            return Err(Error::invalid_at(
                Code::QuerySyntax,
                format!(
                    "q: the text is longer than {} characters",
                    query::MAX_QUERY_CHARS
                ),
                "/q",
            ));
        }
        let Some(completion) = query::completion(&self.fields, typed) else {
            return Ok(Vec::new());
        };
        let request = SearchRequest {
            kind,
            ..SearchRequest::default()
        };
        let full = self.filtered(completion, &request, visible);
        let searcher = self.reader.searcher();
        // Several entries share a title (the same operation in many APIs): look further than `limit`.
        let top = searcher
            .search(&full, &TopDocs::with_limit(limit * 4).order_by_score())
            .map_err(index_error("suggesting"))?;
        let mut out: Vec<Suggestion> = Vec::with_capacity(limit);
        for (_, address) in top {
            let doc: TantivyDocument = searcher
                .doc(address)
                .map_err(index_error("reading a suggestion"))?;
            let hit = self.hit(&doc, None);
            if out.iter().any(|s| s.text == hit.title) {
                continue;
            }
            out.push(Suggestion {
                text: hit.title,
                kind: hit.kind,
                api: hit.api,
                link: hit.link,
            });
            if out.len() == limit {
                break;
            }
        }
        Ok(out)
    }

    /// `scoring`, restricted to what the caller may see and to the request's filters.
    fn filtered(
        &self,
        scoring: Box<dyn Query>,
        request: &SearchRequest,
        visible: &Visible,
    ) -> BooleanQuery {
        let f = &self.fields;
        let mut parts: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, scoring)];
        if let Some(v) = visibility_filter(f, visible) {
            parts.push((Occur::Must, query::filter(v)));
        }
        let filters = [
            (f.kind, request.kind.map(|k| k.as_str().to_string())),
            (f.org, request.org.clone()),
            (f.org_kind, request.org_kind.clone()),
            (f.lifecycle, request.lifecycle.clone()),
            (f.tag, request.tag.clone()),
            (f.format, request.format.clone()),
            (f.kitemark, request.kitemark.clone()),
            (f.tier, request.tier.clone()),
        ];
        for (field, value) in filters {
            if let Some(value) = value {
                parts.push((Occur::Must, query::filter(query::keyword(field, &value))));
            }
        }
        if let Some(min) = request.min_score {
            let range = tantivy::query::RangeQuery::new(
                std::ops::Bound::Included(tantivy::Term::from_field_u64(f.score, min)),
                std::ops::Bound::Unbounded,
            );
            parts.push((Occur::Must, query::filter(Box::new(range))));
        }
        BooleanQuery::new(parts)
    }

    fn hit(&self, doc: &TantivyDocument, snippets: Option<&SnippetGenerator>) -> Hit {
        let f = &self.fields;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let kind = text(f.kind)
            .and_then(|k| Kind::parse(&k))
            .unwrap_or(Kind::Api);
        let api = text(f.api).unwrap_or_default();
        let version = text(f.version);
        let method = text(f.method);
        let path = text(f.path);
        let name = text(f.name);
        // Highlighted from the start of the description (long ones cost time and are rarely read
        // past the first paragraphs); its opening words when nothing there matched.
        let description = text(f.description);
        let snippet = description.as_deref().and_then(|d| {
            let s = snippets?.snippet(prefix(d, SNIPPET_SOURCE_CHARS));
            (!s.fragment().is_empty()).then(|| s.to_html())
        });
        let snippet = snippet.or_else(|| {
            description
                .or_else(|| text(f.summary))
                .map(|d| escape_html(prefix(&d, SNIPPET_CHARS)))
        });
        let api_link = format!("/api/v1/apis/{}", encode_path(&api));
        let link = match (kind, &version) {
            (Kind::Api, _) | (_, None) => api_link,
            (Kind::Operation, Some(v)) => format!(
                "{api_link}/versions/{}/operations?method={}&path={}",
                encode_path(v),
                encode_query(method.as_deref().unwrap_or("")),
                encode_query(path.as_deref().unwrap_or(""))
            ),
            (Kind::Schema, Some(v)) => format!(
                "{api_link}/versions/{}/schemas?name={}",
                encode_path(v),
                encode_query(name.as_deref().unwrap_or(""))
            ),
        };
        Hit {
            kind: kind.as_str(),
            title: text(f.title).unwrap_or_default(),
            api,
            version,
            owner: text(f.org).unwrap_or_default(),
            owner_name: text(f.owner_name),
            kitemark: text(f.kitemark),
            score: doc.get_first(f.score).and_then(|v| v.as_u64()),
            tier: text(f.tier),
            operation: (kind == Kind::Operation).then(|| HitOperation {
                method: method.unwrap_or_default(),
                path: path.unwrap_or_default(),
                operation_id: name.clone(),
            }),
            schema: (kind == Kind::Schema).then(|| name.unwrap_or_default()),
            snippet,
            link,
        }
    }
}

/// Characters in a snippet, and of a description looked at to make one.
const SNIPPET_CHARS: usize = 200;
const SNIPPET_SOURCE_CHARS: usize = 2_000;

/// The first `chars` characters of `s`.
fn prefix(s: &str, chars: usize) -> &str {
    match s.char_indices().nth(chars) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}

/// Top values kept per facet.
const FACET_VALUES: usize = 25;

/// What a batch of changes touches.
struct Affected {
    /// The APIs named, by id.
    ids: Vec<i64>,
    /// The slugs named that no longer resolve: their documents are removed.
    gone: Vec<String>,
    /// The systems whose interoperability tier the changes may move.
    systems: Vec<SystemId>,
}

fn affected_apis(
    conn: &mut crate::store::Conn,
    changes: &[&audit::Change],
) -> Result<Affected, Error> {
    let mut slugs = BTreeSet::new();
    let mut ids = BTreeSet::new();
    // What an interoperability tier is judged on changed: every API of the systems concerned
    // carries the tier (crate::tiers).
    let mut tier_of_apis = BTreeSet::new();
    let mut tier_of_systems = BTreeSet::new();
    let mut consumers = BTreeSet::new();
    let mut contracts = BTreeSet::new();
    for change in changes {
        let target = change.target.as_str();
        match change.action.split_once('.') {
            Some(("api", _)) => {
                slugs.insert(target.to_string());
                tier_of_apis.insert(target.to_string());
            }
            Some(("version", _)) => {
                let slug = target.split('@').next().unwrap_or_default();
                slugs.insert(slug.to_string());
                tier_of_apis.insert(slug.to_string());
            }
            Some(("organisation", "update")) => {
                ids.extend(indexing::ids_of_owner(conn, target)?);
            }
            Some(("organisation" | "contract", "create" | "publish")) => {}
            // Tenders and bids: nothing search shows (bids never are).
            Some(("tender" | "bid", _)) => {}
            // A use of an API by a system, `system:api`: evidence for the API's system.
            Some(("system", "consumes" | "consumes_delete")) => {
                if let Some((_, api)) = target.split_once(':') {
                    tier_of_apis.insert(api.to_string());
                }
            }
            Some(("system", "create")) => {}
            // A system's visibility decides what counts for it and for the systems it uses.
            Some(("system", "update")) => {
                tier_of_systems.insert(target.to_string());
                consumers.insert(target.to_string());
            }
            // Claims and their checks (`system:contract@version`), APIs joining or leaving.
            Some(("system", _)) => {
                let system = target.split(':').next().unwrap_or_default();
                tier_of_systems.insert(system.to_string());
            }
            Some(("contract", "update")) => {
                contracts.insert(target.to_string());
            }
            _ => {
                tracing::warn!(action = %change.action, "search does not know this change; ignored")
            }
        }
    }
    let mut systems = Vec::new();
    if !(tier_of_apis.is_empty() && tier_of_systems.is_empty() && contracts.is_empty()) {
        use crate::store::tiers;
        let vec = |set: BTreeSet<String>| set.into_iter().collect::<Vec<_>>();
        systems = tiers::systems_of_apis(conn, &vec(tier_of_apis))?;
        systems.extend(tiers::systems_by_slug(conn, &vec(tier_of_systems))?);
        let consumers = tiers::systems_by_slug(conn, &vec(consumers))?;
        systems.extend(tiers::providers_to(conn, &consumers)?);
        systems.extend(tiers::claimants_of_contracts(conn, &vec(contracts))?);
        systems.sort();
        systems.dedup();
    }
    let slugs: Vec<String> = slugs.into_iter().collect();
    let found = indexing::slugs_to_ids(conn, &slugs)?;
    let gone = slugs
        .iter()
        .filter(|s| !found.contains_key(*s))
        .cloned()
        .collect();
    ids.extend(found.into_values());
    Ok(Affected {
        ids: ids.into_iter().collect(),
        gone,
        systems,
    })
}

fn visibility_filter(f: &Fields, visible: &Visible) -> Option<Box<dyn Query>> {
    let Visible::Levels { policing, own_org } = visible else {
        return None;
    };
    let mut shown: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Should, query::keyword(f.visibility, "public"))];
    if *policing {
        shown.push((Occur::Should, query::keyword(f.visibility, "policing")));
    }
    if let Some(org) = own_org {
        shown.push((
            Occur::Should,
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, query::keyword(f.visibility, "restricted")),
                (Occur::Must, query::keyword(f.org, org.as_str())),
            ])),
        ));
    }
    Some(Box::new(BooleanQuery::new(shown)))
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn encode_path(s: &str) -> String {
    crate::domain::encode_query_value(s)
}

fn encode_query(s: &str) -> String {
    crate::domain::encode_query_value(s)
}

/// What to search for, filtered how, which page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SearchRequest {
    pub q: Option<String>,
    pub kind: Option<Kind>,
    pub org: Option<String>,
    pub org_kind: Option<String>,
    pub lifecycle: Option<String>,
    pub tag: Option<String>,
    pub format: Option<String>,
    /// yes, no or unevaluated: the API's latest version against the police API standard.
    pub kitemark: Option<String>,
    /// bronze, silver, gold or none: the interoperability tier of the API's system.
    pub tier: Option<String>,
    /// Only APIs whose latest version scores at least this (0-100).
    pub min_score: Option<u64>,
    pub limit: usize,
    pub offset: usize,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    /// Matching entries the caller may see.
    pub total: u64,
    /// True when nothing matched most of the words, so these hits match any of them.
    pub relaxed: bool,
    pub hits: Vec<Hit>,
    /// Per facet (kind, org, org_kind, lifecycle, tag, format, kitemark, score by band:
    /// 90-100, 75-89, 50-74, 0-49, and tier: bronze, silver, gold, none), the commonest values among all
    /// matching entries (up to 25), most frequent first.
    #[schema(value_type = Object)]
    pub facets: HashMap<String, Vec<FacetValue>>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hit {
    /// api, operation or schema.
    pub kind: &'static str,
    pub title: String,
    /// The API's slug.
    pub api: String,
    /// The API version the hit is in (its latest).
    pub version: Option<String>,
    /// The owning organisation's slug.
    pub owner: String,
    pub owner_name: Option<String>,
    /// The API's standing against the police API standard: yes, no or unevaluated.
    pub kitemark: Option<String>,
    /// The API's score against the standard (0-100), once evaluated.
    pub score: Option<u64>,
    /// The interoperability tier of the API's system (bronze, silver, gold or none), when it is
    /// in a system.
    pub tier: Option<String>,
    pub operation: Option<HitOperation>,
    /// The schema's name, for schema hits.
    pub schema: Option<String>,
    /// A fragment of the description or summary, HTML-escaped, with matches in `<b>`.
    pub snippet: Option<String>,
    /// Where the item's JSON is.
    pub link: String,
}

/// A completion of what the caller has typed: the title of an entry they may see.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub text: String,
    /// api, operation or schema.
    pub kind: &'static str,
    pub api: String,
    pub link: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HitOperation {
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
}

/// Time spent, for logs and benchmarks.
pub fn elapsed_ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}
