//! `pac tender check` and `pac tender export`: a requirement pack used offline, with no store.
//! The pack's contracts are files beside it; the standard is the built-in one `pac lint` uses.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use pac_tender::{Bid, BidFile, ManualScore, ManualScores, Resolved, Status};

use super::pretty;
use crate::config::{
    TenderCheckArgs, TenderCheckFormat, TenderCommand, TenderExportArgs, TenderExportFormat,
};
use crate::error::Error;

pub(super) fn run(command: TenderCommand) -> Result<ExitCode, Error> {
    match command {
        TenderCommand::Check(args) => check(args),
        TenderCommand::Export(args) => export(args),
    }
}

/// Bad input is exit 2 whatever its kind: 1 means "a MUST requirement is not met".
fn unreadable(code: &str, message: impl std::fmt::Display) -> Result<ExitCode, Error> {
    eprintln!("error[{code}]: {message}");
    Ok(ExitCode::from(2))
}

fn standard() -> Result<pac_lint::Ruleset, Error> {
    pac_tender::built_in_standard().map_err(|e| Error::internal("the built-in standard", e))
}

fn load_pack(
    path: &Path,
    standard: &pac_lint::Ruleset,
    limits: &pac_spec::Limits,
) -> Result<Resolved, pac_tender::PackError> {
    pac_tender::load(path, standard, limits)
}

/// `API-5=3` → (`API-5`, 3 with no note).
fn parse_score(given: &str) -> Result<(String, ManualScore), String> {
    let (id, score) = given
        .split_once('=')
        .ok_or_else(|| format!("--score {given:?} is not ID=SCORE (API-5=3)"))?;
    let score: u8 = score
        .trim()
        .parse()
        .map_err(|_| format!("--score {given:?}: {score:?} is not a whole number"))?;
    Ok((id.trim().to_owned(), ManualScore { score, note: None }))
}

fn check(args: TenderCheckArgs) -> Result<ExitCode, Error> {
    let standard = standard()?;
    let limits = args.limits.limits();
    let resolved = match load_pack(&args.pack, &standard, &limits) {
        Ok(r) => r,
        Err(e) => return unreadable(e.code(), e),
    };
    let mut scores = ManualScores::new();
    for given in &args.scores {
        match parse_score(given) {
            Ok((id, score)) => {
                scores.insert(id, score);
            }
            Err(message) => return unreadable("tender_score_invalid", message),
        }
    }
    if let Err(e) = pac_tender::evaluate::check_scores(&resolved, &scores) {
        return unreadable("tender_score_invalid", e);
    }
    let root = args.limits.root.as_deref();
    let mut files = Vec::with_capacity(args.files.len());
    for path in &args.files {
        match pac_spec::input::load_file_within(path, root, &limits) {
            Ok(description) => files.push(BidFile {
                name: path.display().to_string(),
                description,
            }),
            Err(e) => return unreadable(e.code.as_str(), e),
        }
    }
    // Offline there is no catalogue: a `tier` requirement waits for it (needs_review).
    let bid = Bid {
        name: args.bid.clone(),
        files,
        system: None,
    };
    let evaluation = pac_tender::evaluate(&resolved, &standard, &bid, &scores, &limits)
        .map_err(|e| Error::internal("the evaluation", e))?;
    let out = match args.format {
        TenderCheckFormat::Json => pretty(&evaluation)?,
        TenderCheckFormat::Markdown => {
            pac_tender::export::markdown::evaluation(&resolved.pack, &evaluation)
        }
        TenderCheckFormat::Text => text(&evaluation),
    };
    print!("{out}");
    Ok(if evaluation.disqualified() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One line for the verdict, one per requirement, and the evidence against each not met.
fn text(e: &pac_tender::Evaluation) -> String {
    use std::fmt::Write as _;
    let mut out = format!(
        "{} {} ({}): {}; SHOULD marks {} of {}{}\n",
        e.pack,
        e.pack_version,
        e.bid,
        e.verdict.as_str().replace('_', " ").to_uppercase(),
        e.points,
        e.available,
        if e.pending > 0 {
            format!(" ({} awaiting an evaluator)", e.pending)
        } else {
            String::new()
        }
    );
    for o in &e.requirements {
        let _ = writeln!(
            out,
            "  {:<12} {:<8} {:<6} {}",
            o.status.as_str().replace('_', " "),
            o.id,
            o.level.as_str(),
            o.explanation
        );
        if o.status == Status::NotMet {
            for ev in o.evidence.iter().filter(|ev| !ev.holds) {
                let place = ev.place();
                let rule = ev
                    .rule
                    .as_deref()
                    .map(|r| format!("[{r}] "))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "      {}{rule}{}",
                    if place.is_empty() {
                        String::new()
                    } else {
                        format!("{place}: ")
                    },
                    ev.message
                );
            }
        }
    }
    out
}

fn export(args: TenderExportArgs) -> Result<ExitCode, Error> {
    let standard = standard()?;
    let limits = args.limits.limits();
    let resolved = match load_pack(&args.pack, &standard, &limits) {
        Ok(r) => r,
        Err(e) => return unreadable(e.code(), e),
    };
    let pack = &resolved.pack;
    let binary = matches!(
        args.format,
        TenderExportFormat::Docx | TenderExportFormat::Xlsx
    );
    if binary && args.output.is_none() && std::io::stdout().is_terminal() {
        return unreadable(
            "tender_export_terminal",
            "docx and xlsx are binary files: give -o FILE, or redirect standard output to a file",
        );
    }
    let built = match args.format {
        TenderExportFormat::Markdown => Ok(pac_tender::export::markdown::pack(pack).into_bytes()),
        TenderExportFormat::Csv => pac_tender::export::csv::matrix(pack).map(String::into_bytes),
        TenderExportFormat::Docx => pac_tender::export::docx::pack(pack),
        TenderExportFormat::Xlsx => pac_tender::export::xlsx::matrix(pack),
        TenderExportFormat::Ocds => {
            let options = pac_tender::export::ocds::Options {
                ocid_prefix: args.ocid_prefix.clone(),
                date: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            };
            let package = pac_tender::export::ocds::release_package(pack, &[], &options);
            Ok(pretty(&package)?.into_bytes())
        }
    };
    let bytes = built.map_err(|e| Error::internal("the export", e))?;
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &bytes) {
                return unreadable(
                    "tender_export_unwritable",
                    format!("cannot write {}: {e}", path.display()),
                );
            }
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout.write_all(&bytes).and_then(|()| stdout.flush()) {
                return unreadable(
                    "tender_export_unwritable",
                    format!("cannot write the export: {e}"),
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
