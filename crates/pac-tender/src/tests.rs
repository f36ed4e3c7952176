//! Packs read and refused, bids evaluated, and the documents built.

use std::path::{Path, PathBuf};

use pac_spec::Limits;

use super::*;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example() -> PathBuf {
    repository().join("catalogue/tenders/custody-2027.yaml")
}

fn standard() -> pac_lint::Ruleset {
    built_in_standard().unwrap()
}

fn resolved() -> Resolved {
    load(&example(), &standard(), &Limits::default()).unwrap()
}

fn description(path: &Path) -> BidFile {
    BidFile {
        name: path.file_name().unwrap().to_string_lossy().into_owned(),
        description: pac_spec::input::load_file(path, &Limits::default()).unwrap(),
    }
}

fn police_uk() -> BidFile {
    description(&repository().join("catalogue/apis/police-uk/data-police-uk/1.0.1/openapi.yaml"))
}

fn no_forces() -> BidFile {
    description(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/no-forces.yaml"))
}

fn bid(files: Vec<BidFile>) -> Bid {
    Bid {
        name: "Supplier A".into(),
        files,
        system: None,
    }
}

fn scores(given: &[(&str, u8)]) -> ManualScores {
    given
        .iter()
        .map(|(id, s)| {
            (
                (*id).to_owned(),
                ManualScore {
                    score: *s,
                    note: None,
                },
            )
        })
        .collect()
}

fn status(e: &Evaluation, id: &str) -> Status {
    e.requirements.iter().find(|o| o.id == id).unwrap().status
}

fn parse_err(text: &str) -> PackError {
    Pack::parse("pack.yaml", text).unwrap_err()
}

const HEAD: &str = "id: t\ntitle: T\nbuyer: b\nrequirements:\n";

#[test]
fn the_example_pack_reads_with_its_weights_and_scales() {
    let r = resolved();
    let p = &r.pack;
    assert_eq!(p.id, "custody-2027");
    assert_eq!(p.version, "1.0.0");
    assert_eq!(p.requirements.len(), 8);
    assert_eq!(p.total_weight(), 100);
    let Check::Manual(m) = &p.requirement("API-5").unwrap().check else {
        panic!("API-5 is manual")
    };
    assert_eq!((m.max, m.pass), (4, 3));
    let Check::Manual(m) = &p.requirement("API-7").unwrap().check else {
        panic!("API-7 is manual")
    };
    // No descriptors in the pack: the default 0-5 ones, one per score.
    assert_eq!((m.max, m.pass, m.descriptors.len()), (5, 3, 6));
    assert!(r.contracts.contains_key("API-1"));
    assert_eq!(p.requirement("API-2").unwrap().line, Some(36));
}

#[test]
fn a_must_with_a_weight_is_refused_with_its_id_field_and_line() {
    let e = parse_err(&format!(
        "{HEAD}  - id: API-1\n    level: MUST\n    weight: 5\n    text: x\n    standard: {{kitemark: true}}\n"
    ));
    assert_eq!(e.code, Code::TenderPackInvalid);
    assert_eq!(e.requirement.as_deref(), Some("API-1"));
    assert_eq!(e.pointer, "/requirements/0/weight");
    assert_eq!(e.line, Some(7));
    let shown = e.to_string();
    assert!(shown.starts_with("pack.yaml:7:"), "{shown}");
    assert!(shown.contains("requirement API-1: weight:"), "{shown}");
}

#[test]
fn a_should_without_a_weight_is_refused() {
    let e = parse_err(&format!(
        "{HEAD}  - id: API-2\n    level: SHOULD\n    text: x\n    manual: {{scale: 0-4}}\n"
    ));
    assert_eq!(e.requirement.as_deref(), Some("API-2"));
    assert!(e.message.contains("needs a weight"), "{}", e.message);
}

#[test]
fn duplicate_ids_unknown_fields_bad_scales_and_two_checks_are_refused() {
    let dup = parse_err(&format!(
        "{HEAD}  - id: API-1\n    level: MUST\n    text: x\n    standard: {{kitemark: true}}\n  - id: API-1\n    level: MUST\n    text: z\n    standard: {{kitemark: true}}\n"
    ));
    assert_eq!(
        (dup.pointer.as_str(), dup.line),
        ("/requirements/1/id", Some(9))
    );
    let unknown = parse_err(&format!(
        "{HEAD}  - id: API-1\n    level: MUST\n    txet: x\n"
    ));
    assert!(
        unknown.message.contains("unknown field `txet`"),
        "{}",
        unknown.message
    );
    assert_eq!(unknown.requirement.as_deref(), Some("API-1"));
    assert_eq!(unknown.line, Some(7));
    let scale = parse_err(&format!(
        "{HEAD}  - id: API-1\n    level: MUST\n    text: x\n    manual: {{scale: 1-10}}\n"
    ));
    assert_eq!(scale.pointer, "/requirements/0/manual/scale");
    assert!(scale.message.contains("0-4 or 0-5"));
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/two-checks.yaml"),
    )
    .unwrap();
    let two = parse_err(&text);
    assert!(
        two.message
            .contains("exactly one of contract, standard, manual or tier"),
        "{}",
        two.message
    );
    let level = parse_err(&format!(
        "{HEAD}  - id: API-1\n    level: MAY\n    text: x\n    manual: {{scale: 0-4}}\n"
    ));
    assert_eq!(level.pointer, "/requirements/0/level");
}

#[test]
fn bad_yaml_a_missing_field_and_sizes_are_refused_without_panicking() {
    assert_eq!(parse_err("id: [unclosed").code, Code::TenderPackUnreadable);
    let missing = parse_err("id: t\ntitle: T\nrequirements: []\n");
    assert_eq!(missing.pointer, "/buyer");
    assert_eq!(parse_err(&format!("{HEAD}  []\n")).pointer, "/requirements");
    let long = "x".repeat(pack::MAX_TEXT_CHARS + 1);
    let e = parse_err(&format!(
        "{HEAD}  - id: API-1\n    level: MUST\n    text: {long}\n    manual: {{scale: 0-4}}\n"
    ));
    assert_eq!(e.pointer, "/requirements/0/text");
    let many: String = (0..=pack::MAX_REQUIREMENTS)
        .map(|i| format!("  - {{id: R{i}, level: MUST, text: x, manual: {{scale: 0-4}}}}\n"))
        .collect();
    assert!(
        parse_err(&format!("{HEAD}{many}"))
            .message
            .contains("at most")
    );
    for text in ["", "[]", "~", "id: 1\n", "requirements: 5\n", "{", "\u{0}"] {
        let _ = Pack::parse("p", text);
    }
}

#[test]
fn an_unknown_rule_is_refused_naming_it() {
    let pack = Pack::parse(
        "p.yaml",
        &format!("{HEAD}  - id: API-9\n    level: MUST\n    text: x\n    standard: {{rules: [pas-operation-429, pas-no-such-rule]}}\n"),
    )
    .unwrap();
    let e = pack.check_rules("p.yaml", &standard()).unwrap_err();
    assert_eq!(e.code, Code::TenderRuleUnknown);
    assert_eq!(e.requirement.as_deref(), Some("API-9"));
    assert!(e.message.contains("pas-no-such-rule"));
    assert_eq!(e.pointer, "/requirements/0/standard/rules/1");
}

#[test]
fn a_stored_contract_is_not_available_offline_and_a_missing_file_is_unreadable() {
    let pack = Pack::parse(
        "p.yaml",
        &format!("{HEAD}  - id: API-1\n    level: MUST\n    text: x\n    contract: {{slug: custody-exchange, version: 1.0.0}}\n  - id: API-2\n    level: MUST\n    text: z\n    contract: {{file: missing.yaml}}\n"),
    )
    .unwrap();
    let files = PackFiles {
        dir: std::env::temp_dir(),
        limits: Limits::default(),
    };
    let e = resolve(pack.clone(), "p.yaml", &files).unwrap_err();
    assert_eq!(e.code, Code::TenderContractNotAvailable);
    assert_eq!(e.requirement.as_deref(), Some("API-1"));
    assert!(e.message.contains("custody-exchange 1.0.0"));
    let mut second = pack;
    second.requirements.remove(0);
    let e = resolve(second, "p.yaml", &files).unwrap_err();
    assert_eq!(
        (e.code, e.requirement.as_deref()),
        (Code::TenderContractUnreadable, Some("API-2"))
    );
}

#[test]
fn the_seeded_api_meets_the_contract_and_manual_clauses_wait_for_review() {
    let r = resolved();
    let e = evaluate(
        &r,
        &standard(),
        &bid(vec![police_uk()]),
        &ManualScores::new(),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(status(&e, "API-1"), Status::Met);
    assert_eq!(status(&e, "API-2"), Status::Met, "{:#?}", e.requirements[1]);
    for id in ["API-5", "API-6", "API-7", "API-8"] {
        assert_eq!(status(&e, id), Status::NeedsReview);
    }
    assert_eq!(e.verdict, Verdict::NeedsReview);
    assert_eq!(e.available, 100);
    assert_eq!(e.pending, 65);
    assert_eq!(e.files.len(), 1);
}

#[test]
fn a_description_without_the_contract_fails_the_must_with_located_evidence() {
    let r = resolved();
    let e = evaluate(
        &r,
        &standard(),
        &bid(vec![no_forces()]),
        &ManualScores::new(),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(e.verdict, Verdict::NonCompliant);
    let api1 = e.requirements.iter().find(|o| o.id == "API-1").unwrap();
    assert_eq!(api1.status, Status::NotMet);
    assert!(
        api1.evidence
            .iter()
            .any(|ev| ev.operation.as_deref() == Some("GET /forces") && !ev.holds),
        "{:#?}",
        api1.evidence
    );
    let api2 = e.requirements.iter().find(|o| o.id == "API-2").unwrap();
    assert_eq!(api2.status, Status::NotMet);
    // The kitemark's failures point into the bid's file.
    assert!(
        api2.evidence
            .iter()
            .any(|ev| ev.file.as_deref() == Some("no-forces.yaml") && ev.line.is_some())
    );
    // API-4 is SHOULD: not met scores nothing.
    let api4 = e.requirements.iter().find(|o| o.id == "API-4").unwrap();
    assert_eq!((api4.status, api4.points), (Status::NotMet, Some(0.0)));
}

#[test]
fn a_contract_is_met_by_some_description_and_the_standard_must_hold_for_each() {
    let r = resolved();
    let e = evaluate(
        &r,
        &standard(),
        &bid(vec![no_forces(), police_uk()]),
        &ManualScores::new(),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(status(&e, "API-1"), Status::Met);
    assert_eq!(status(&e, "API-2"), Status::NotMet);
    assert_eq!(e.files.len(), 2);
}

#[test]
fn evaluator_scores_are_weighted_and_a_must_below_its_pass_mark_fails() {
    let r = resolved();
    let all = scores(&[("API-5", 4), ("API-6", 2), ("API-7", 5), ("API-8", 0)]);
    let e = evaluate(
        &r,
        &standard(),
        &bid(vec![police_uk()]),
        &all,
        &Limits::default(),
    )
    .unwrap();
    let points = |id: &str| e.requirements.iter().find(|o| o.id == id).unwrap().points;
    assert_eq!(points("API-6"), Some(12.5));
    assert_eq!(points("API-7"), Some(25.0));
    assert_eq!(points("API-8"), Some(0.0));
    assert_eq!(e.pending, 0);
    assert_ne!(e.verdict, Verdict::NeedsReview);
    let low = scores(&[("API-5", 2)]);
    let e = evaluate(
        &r,
        &standard(),
        &bid(vec![police_uk()]),
        &low,
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(status(&e, "API-5"), Status::NotMet);
    assert_eq!(e.verdict, Verdict::NonCompliant);
}

#[test]
fn scores_off_the_scale_or_for_automatic_requirements_are_refused() {
    let r = resolved();
    let b = bid(vec![police_uk()]);
    let l = Limits::default();
    let s = standard();
    assert!(matches!(
        evaluate(&r, &s, &b, &scores(&[("API-5", 5)]), &l),
        Err(ScoreError::OffScale { .. })
    ));
    assert!(matches!(
        evaluate(&r, &s, &b, &scores(&[("API-1", 1)]), &l),
        Err(ScoreError::NotManual(_))
    ));
    assert!(matches!(
        evaluate(&r, &s, &b, &scores(&[("API-99", 1)]), &l),
        Err(ScoreError::UnknownRequirement(_))
    ));
}

#[test]
fn a_bid_with_no_descriptions_fails_the_automatic_musts() {
    let r = resolved();
    let e = evaluate(
        &r,
        &standard(),
        &bid(vec![]),
        &ManualScores::new(),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(status(&e, "API-1"), Status::NotMet);
    assert_eq!(e.verdict, Verdict::NonCompliant);
}

#[test]
fn bids_are_compared_and_disqualified_ones_not_ranked() {
    let r = resolved();
    let l = Limits::default();
    let s = standard();
    let good = evaluate(
        &r,
        &s,
        &bid(vec![police_uk()]),
        &scores(&[("API-5", 4), ("API-6", 4)]),
        &l,
    )
    .unwrap();
    let mut bad_bid = bid(vec![no_forces()]);
    bad_bid.name = "Supplier B".into();
    let bad = evaluate(&r, &s, &bad_bid, &ManualScores::new(), &l).unwrap();
    let c = compare(&r.pack, &[bad, good]);
    assert_eq!(c.bids[0].rank, None);
    assert_eq!(c.bids[1].rank, Some(1));
    assert_eq!(c.rows.len(), 8);
    assert_eq!(c.rows[0].cells[0].as_ref().unwrap().status, Status::NotMet);
    let md = export::markdown::comparison(&c);
    assert!(md.contains("Supplier B") && md.contains("non compliant"));
    let csv = export::csv::comparison(&c).unwrap();
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with("Supplier B,Supplier A")
    );
}

#[test]
fn a_tier_requirement_reads_the_system_the_bid_offers() {
    let text = "id: t\nversion: 1\ntitle: T\nbuyer: B\nrequirements:\n  - {id: API-1, level: MUST, text: Silver or above., tier: {min: silver}}\n";
    let pack = Pack::parse("p.yaml", text).unwrap();
    assert_eq!(
        pack.requirement("API-1").unwrap().check,
        Check::Tier(TierCheck { min: Tier::Silver })
    );
    let e = parse_err(&text.replace("silver}", "platinum}"));
    assert_eq!(e.code, Code::TenderPackInvalid);
    assert!(e.to_string().contains("platinum"), "{e}");
    let e = parse_err(&text.replace(
        "tier: {min: silver}",
        "tier: {min: silver}, manual: {scale: 0-4}",
    ));
    assert!(e.to_string().contains("exactly one"), "{e}");

    let resolved = Resolved {
        pack,
        contracts: Default::default(),
    };
    let judge = |system: Option<BidSystem>| {
        let bid = Bid {
            system,
            ..bid(vec![police_uk()])
        };
        evaluate(
            &resolved,
            &standard(),
            &bid,
            &ManualScores::new(),
            &Limits::default(),
        )
        .unwrap()
    };
    let offered = |tier| {
        Some(BidSystem {
            slug: "acme-rms".into(),
            tier,
        })
    };
    // Offline, or a bid naming no system: the catalogue has to look.
    assert_eq!(status(&judge(None), "API-1"), Status::NeedsReview);
    assert_eq!(
        status(&judge(offered(Some(Tier::Gold))), "API-1"),
        Status::Met
    );
    assert_eq!(
        status(&judge(offered(Some(Tier::Silver))), "API-1"),
        Status::Met
    );
    let bronze = judge(offered(Some(Tier::Bronze)));
    assert_eq!(status(&bronze, "API-1"), Status::NotMet);
    assert_eq!(bronze.verdict, Verdict::NonCompliant);
    assert!(
        bronze.requirements[0]
            .explanation
            .contains("acme-rms is at the Bronze tier")
    );
    assert_eq!(status(&judge(offered(None)), "API-1"), Status::NotMet);
    // No SHOULD requirement: no marks, and +0 of them, not -0.
    assert!(
        bronze.points == 0.0 && bronze.points.is_sign_positive(),
        "{}",
        bronze.points
    );
    assert!(export::assessment(resolved.pack.requirement("API-1").unwrap()).contains("Silver"));
}

fn zip_names(bytes: &[u8]) -> Vec<String> {
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    archive.file_names().map(str::to_owned).collect()
}

#[test]
fn the_exports_hold_every_requirement() {
    let r = resolved();
    let md = export::markdown::pack(&r.pack);
    for req in &r.pack.requirements {
        assert!(md.contains(&format!("### {}", req.id)), "{}", req.id);
    }
    assert!(md.contains("SHOULD (weight 20 of 100)"));
    assert!(md.contains("At least 12 months' notice"));
    let csv = export::csv::matrix(&r.pack).unwrap();
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.records().count(), 8);
    let docx = export::docx::pack(&r.pack).unwrap();
    assert!(zip_names(&docx).contains(&"word/document.xml".to_owned()));
    let xlsx = export::xlsx::matrix(&r.pack).unwrap();
    assert!(zip_names(&xlsx).contains(&"xl/worksheets/sheet1.xml".to_owned()));
}
