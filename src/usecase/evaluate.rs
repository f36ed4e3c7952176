//! The police API standard applied to the catalogue: each version's evaluation (findings, score,
//! kitemark) is computed at publish and stored with it, per ruleset version; when the standard
//! changes, [`Evaluator`] evaluates every stored version again in the background and reports its
//! progress, keeping the old results beside the new.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::json;

use std::sync::Arc;

use utoipa::ToSchema;

use super::Catalogue;
use crate::auth::Principal;
use crate::auth::policy::require_role;
use crate::domain::{Role, VersionId};
use crate::error::{Code, Error};
use crate::store::evaluations::{self, NewEvaluation};
use crate::store::{Conn, Store, audit, versions};
use pac_lint::score::{Score, score};
use pac_lint::{Report, Ruleset};
use pac_spec::SpecFormat;
use pac_spec::{Description, Limits};

/// A version's results against the standard.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub report: Report,
    pub score: Score,
}

/// Lints `desc` with the standard. The standard's rules are data, so a bug in one must not take
/// the publish down: the work runs on a thread with a big stack and a panic becomes an error.
pub fn evaluate(
    standard: &Ruleset,
    desc: &Description,
    limits: &Limits,
) -> Result<Evaluation, Error> {
    let report = lint(standard, desc, limits)?;
    let score = score(standard, &report).ok_or_else(|| {
        Error::internal(
            "evaluation",
            "the standard has no rule with a level and a category",
        )
    })?;
    Ok(Evaluation { report, score })
}

/// Lints on a thread with a big stack; a panic in a rule becomes an error.
fn lint(ruleset: &Ruleset, desc: &Description, limits: &Limits) -> Result<Report, Error> {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("pac-evaluate".to_owned())
            .stack_size(pac_lint::LINT_STACK_BYTES)
            .spawn_scoped(s, || pac_lint::lint_description(ruleset, desc, limits))
            .map_err(|e| Error::internal("evaluation thread", e))?
            .join()
            .map_err(|_| {
                Error::internal("evaluation", "the standard's check stopped unexpectedly")
            })?
            .map_err(Error::from)
    })
}

/// What a check of a description that is not published found.
pub struct Linted {
    pub ruleset: Arc<Ruleset>,
    pub format: SpecFormat,
    pub report: Report,
    /// Kitemark and score, for a ruleset that is a standard.
    pub score: Option<Score>,
}

/// Checks a description sent as bytes against the standard in force (`ruleset` None or
/// `police-api-standard`) or `spectral:oas`, storing nothing.
pub fn lint_body(cat: &Catalogue, ruleset: Option<&str>, body: &[u8]) -> Result<Linted, Error> {
    let ruleset: Arc<Ruleset> = match ruleset {
        None | Some("police-api-standard") => cat.standard.clone(),
        Some("spectral:oas") => {
            Arc::new(Ruleset::built_in("spectral:oas").map_err(|e| Error::internal("ruleset", e))?)
        }
        Some(other) => {
            return Err(Error::invalid(
                Code::UnknownRuleset,
                format!(
                    "ruleset {other:?} is not offered here: use police-api-standard or spectral:oas"
                ),
            ));
        }
    };
    let desc = pac_spec::load_body(body, &cat.limits)?;
    let report = lint(&ruleset, &desc, &cat.limits)?;
    Ok(Linted {
        score: score(&ruleset, &report),
        ruleset,
        format: desc.format,
        report,
    })
}

/// How far the catalogue's versions have been evaluated against the standard in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluationStatus {
    /// Versions with a description that have results under this version of the standard.
    pub evaluated: i64,
    /// Versions with a description.
    pub total: i64,
    /// The background run: running, evaluated, failed, queued, started_at, finished_at, last_error.
    #[schema(value_type = Object)]
    pub run: Progress,
}

/// Counts over the whole catalogue, hidden versions included: for curators and admins only.
pub fn status(cat: &Catalogue, who: &Principal) -> Result<EvaluationStatus, Error> {
    require_role(who, Role::Curator, "seeing how far evaluation has got")?;
    let id = &cat.standard.identity;
    let (evaluated, total) = cat
        .store
        .read(|c| evaluations::progress(c, &id.name, &id.version))?;
    Ok(EvaluationStatus {
        evaluated,
        total,
        run: cat.evaluator.progress(),
    })
}

/// Starts evaluating, in the background, every stored version that has no results under the
/// standard in force (curators and admins, who look after the standard). Old results are kept.
pub fn start(cat: &Catalogue, who: &Principal) -> Result<EvaluationStatus, Error> {
    require_role(
        who,
        Role::Curator,
        "starting an evaluation of the catalogue",
    )?;
    cat.evaluate_in_background();
    status(cat, who)
}

/// Stores an evaluation of version `version_id` (`slug@label`) and records it in the audit log,
/// which is also how search learns that the kitemark and score changed.
pub fn record(
    conn: &mut Conn,
    who: &Principal,
    standard: &Ruleset,
    version_id: VersionId,
    target: &str,
    e: &Evaluation,
) -> Result<bool, Error> {
    let result = json!({"score": e.score, "findings": e.report.findings}).to_string();
    let added = evaluations::insert(
        conn,
        &NewEvaluation {
            version_id,
            ruleset: &standard.identity.name,
            ruleset_version: &standard.identity.version,
            kitemark: e.score.kitemark,
            score: i32::from(e.score.score),
            errors: e.score.errors as i32,
            warnings: e.score.warnings as i32,
            result: &result,
        },
    )?;
    if added {
        audit::record(
            conn,
            who,
            "version.evaluate",
            target,
            None,
            json!({
                "ruleset": standard.identity.name,
                "ruleset_version": standard.identity.version,
                "kitemark": e.score.kitemark,
                "score": e.score.score,
            }),
        )?;
    }
    Ok(added)
}

/// Where the background evaluation stands.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Progress {
    pub running: bool,
    /// Versions evaluated by this run.
    pub evaluated: u64,
    /// Versions that could not be evaluated (their description could not be read again).
    pub failed: u64,
    /// Versions this run found to evaluate.
    pub queued: u64,
    pub started_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}

/// Evaluates stored versions that have no results under the current standard, one batch at a
/// time, so publishing goes on meanwhile. One run at a time.
#[derive(Default)]
pub struct Evaluator {
    busy: AtomicBool,
    progress: Mutex<Progress>,
}

/// Versions read per batch.
const BATCH: i64 = 32;

impl Evaluator {
    pub fn progress(&self) -> Progress {
        self.progress
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn update(&self, f: impl FnOnce(&mut Progress)) {
        f(&mut self.progress.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// Evaluates every pending version. Returns false at once when a run is already going.
    /// `after_batch` runs after each batch is stored (the server brings search up to date there).
    pub fn run(
        &self,
        store: &Store,
        standard: &Ruleset,
        limits: &Limits,
        mut after_batch: impl FnMut(),
    ) -> Result<bool, Error> {
        if self.busy.swap(true, Ordering::SeqCst) {
            return Ok(false);
        }
        let result = self.run_inner(store, standard, limits, &mut after_batch);
        let now = crate::store::now();
        self.update(|p| {
            p.running = false;
            p.finished_at = Some(now);
            if let Err(e) = &result {
                p.last_error = Some(e.to_string());
            }
        });
        self.busy.store(false, Ordering::SeqCst);
        result.map(|_| true)
    }

    fn run_inner(
        &self,
        store: &Store,
        standard: &Ruleset,
        limits: &Limits,
        after_batch: &mut dyn FnMut(),
    ) -> Result<(), Error> {
        let (name, version) = (&standard.identity.name, &standard.identity.version);
        let (done, total) = store.read(|c| evaluations::progress(c, name, version))?;
        let started = crate::store::now();
        self.update(|p| {
            *p = Progress {
                running: true,
                queued: (total - done).max(0) as u64,
                started_at: Some(started),
                ..Progress::default()
            }
        });
        if total > done {
            tracing::info!(
                standard = %name,
                version = %version,
                pending = total - done,
                "evaluating stored versions against the standard"
            );
        }
        let mut after = 0;
        loop {
            let batch = store.read(|c| evaluations::pending(c, name, version, after, BATCH))?;
            let Some(last) = batch.last() else { break };
            after = last.version_id.0;
            for p in batch {
                let target = format!("{}@{}", p.api_slug, p.version);
                let outcome = store
                    .read(|c| {
                        let row = versions::by_id(c, p.version_id)?;
                        match row {
                            Some(row) => crate::store::descriptions::of_version(c, &row, limits),
                            None => Ok(None),
                        }
                    })
                    .and_then(|desc| match desc {
                        Some(desc) => evaluate(standard, &desc, limits).map(Some),
                        None => Ok(None),
                    })
                    .and_then(|e| match e {
                        Some(e) => store.write(|c| {
                            record(c, &Principal::System, standard, p.version_id, &target, &e)
                        }),
                        None => Ok(false),
                    });
                match outcome {
                    Ok(_) => self.update(|pr| pr.evaluated += 1),
                    Err(e) => {
                        tracing::warn!(version = %target, error = %e, "version not evaluated");
                        self.update(|pr| {
                            pr.failed += 1;
                            pr.last_error = Some(format!("{target}: {e}"));
                        });
                    }
                }
            }
            after_batch();
            let p = self.progress();
            tracing::info!(
                evaluated = p.evaluated,
                failed = p.failed,
                queued = p.queued,
                "evaluation progress"
            );
        }
        Ok(())
    }
}
