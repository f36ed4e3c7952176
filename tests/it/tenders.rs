//! Procurement over HTTP: a buyer's tender and its versioned pack, suppliers' bids evaluated
//! against it, evaluators' scores, the comparison and the documents; and the rule that a bid is
//! seen by its supplier, the buyer and admins only, nowhere else, and by no one once withdrawn.

use actix_web::test::TestRequest;
use serde_json::{Value, json};

use crate::catalogue::create_org;
use crate::support::*;

pub(crate) fn good() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lint/police/good.yaml");
    std::fs::read_to_string(path).unwrap()
}

/// A bid that neither implements the contract nor meets the standard; its title carries a word
/// found nowhere else, to look for it where bids must never appear.
pub(crate) const WEAK: &str = "openapi: 3.0.3\ninfo: {title: Zanzibarquux Records, version: 0.1.0}\npaths:\n  /things:\n    get:\n      responses:\n        '200': {description: ok}\n";

pub(crate) const PACK: &str = r#"id: stop-search-2027
version: 1.0.0
title: "Stop and search system: API requirements"
buyer: Wessex Police
requirements:
  - id: API-1
    level: MUST
    text: The solution implements the stop and search contract 1.2.0.
    contract: {slug: stop-search, version: 1.2.0}
  - id: API-2
    level: SHOULD
    weight: 20
    text: Every API description scores at least 80 under the police API standard.
    standard: {min_score: 80}
  - id: API-3
    level: SHOULD
    weight: 10
    text: The supplier offers a sandbox with test data.
    manual: {scale: 0-4}
"#;

fn get(uri: &str, token: Option<&str>) -> TestRequest {
    let req = TestRequest::get().uri(uri);
    match token {
        Some(t) => req.insert_header(bearer(t)),
        None => req,
    }
}

pub(crate) fn body(req: TestRequest, uri: &str, token: &str, text: &str) -> TestRequest {
    req.uri(uri)
        .insert_header(bearer(token))
        .insert_header(("content-type", "application/yaml"))
        .set_payload(text.to_string())
}

pub(crate) fn json_req(req: TestRequest, uri: &str, token: &str, v: Value) -> TestRequest {
    req.uri(uri).insert_header(bearer(token)).set_json(v)
}

on_both_backends! {
    async fn a_tender_takes_bids_and_judges_them(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "wessex", "force").await;
        create_org(&app, &admin, "home-office", "national_body").await;
        create_org(&app, &admin, "acme", "supplier").await;
        create_org(&app, &admin, "bravo", "supplier").await;
        create_org(&app, &admin, "north", "force").await;
        let buyer = t.token("wendy", Some("wessex"), &["publisher"]);
        let curator = t.token("cora", Some("home-office"), &["curator"]);
        let acme = t.token("ann", Some("acme"), &["publisher"]);
        let bravo = t.token("bob", Some("bravo"), &["publisher"]);
        let north = t.token("nia", Some("north"), &["publisher"]);

        // The contract the pack names, in the catalogue.
        let r = send(&app, json_req(TestRequest::post(), "/api/v1/contracts", &curator, json!({"slug": "stop-search", "name": "Stop and search", "owner": "home-office"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, body(TestRequest::post(), "/api/v1/contracts/stop-search/versions", &curator, &good())).await;
        assert_eq!(r.status, 201, "{}", r.body);

        // Only the buyer's writers create its tenders.
        let tender = json!({"slug": "stop-search-2027", "title": "Stop and search system", "buyer": "wessex"});
        let r = send(&app, json_req(TestRequest::post(), "/api/v1/tenders", &acme, tender.clone())).await;
        assert_problem(&r, 403, "forbidden");
        let r = send(&app, json_req(TestRequest::post(), "/api/v1/tenders", &buyer, tender.clone())).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["lifecycle"], "draft");
        let r = send(&app, json_req(TestRequest::post(), "/api/v1/tenders", &buyer, tender)).await;
        assert_problem(&r, 409, "tender_exists");

        // Bad packs are refused, named; nothing is stored.
        let packs = "/api/v1/tenders/stop-search-2027/packs";
        let r = send(&app, body(TestRequest::post(), packs, &buyer, "id: [unclosed\n")).await;
        assert_problem(&r, 400, "tender_pack_unreadable");
        let r = send(&app, body(TestRequest::post(), packs, &buyer, &PACK.replace("{min_score: 80}", "{rules: [pas-no-such-rule]}"))).await;
        let p = assert_problem(&r, 400, "tender_rule_unknown");
        assert!(p["detail"].as_str().unwrap().contains("pas-no-such-rule"), "{p}");
        let r = send(&app, body(TestRequest::post(), packs, &buyer, &PACK.replace("{slug: stop-search, version: 1.2.0}", "{file: contract.yaml}"))).await;
        assert_problem(&r, 400, "tender_contract_not_available");
        let r = send(&app, body(TestRequest::post(), packs, &buyer, &PACK.replace("version: 1.2.0}", "version: 9.9.9}"))).await;
        assert_problem(&r, 400, "tender_contract_unreadable");
        let r = send(&app, get("/api/v1/tenders/stop-search-2027/packs", Some(&buyer))).await;
        assert_eq!(r.body, json!([]));
        // A tender cannot be published without a pack, nor take bids before it is published.
        let lifecycle = "/api/v1/tenders/stop-search-2027/lifecycle";
        let r = send(&app, json_req(TestRequest::post(), lifecycle, &buyer, json!({"lifecycle": "published"}))).await;
        assert_problem(&r, 409, "tender_pack_required");
        // A draft is the buyer's: to a supplier it does not exist yet.
        let r = send(&app, body(TestRequest::post(), packs, &acme, PACK)).await;
        assert_problem(&r, 404, "not_found");
        let r = send(&app, body(TestRequest::post(), packs, &buyer, PACK)).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["pack"]["requirements"].as_array().unwrap().len(), 3);
        let r = send(&app, body(TestRequest::post(), packs, &buyer, PACK)).await;
        assert_eq!(r.status, 200, "the same pack again changes nothing: {}", r.body);
        let r = send(&app, body(TestRequest::post(), packs, &buyer, &PACK.replace("at least 80", "at least 85"))).await;
        assert_problem(&r, 409, "version_conflict");
        let bid_a = "/api/v1/tenders/stop-search-2027/bids/acme/descriptions/stop-search.yaml";
        let r = send(&app, body(TestRequest::put(), bid_a, &acme, &good())).await;
        assert_problem(&r, 404, "not_found");
        let r = send(&app, json_req(TestRequest::post(), lifecycle, &buyer, json!({"lifecycle": "awarded"}))).await;
        assert_problem(&r, 400, "invalid_tender_lifecycle");
        let r = send(&app, json_req(TestRequest::post(), lifecycle, &buyer, json!({"lifecycle": "published"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);

        // Acme bids what the pack asks; Bravo a weak description. Each is evaluated at once.
        let r = send(&app, body(TestRequest::put(), bid_a, &bravo, &good())).await;
        assert_problem(&r, 403, "forbidden");
        let r = send(&app, body(TestRequest::put(), bid_a, &acme, &good())).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["verdict"], "needs_review", "API-3 waits for an evaluator: {}", r.body);
        let reqs = &r.body["evaluation"]["requirements"];
        assert_eq!(reqs[0]["status"], "met", "{reqs}");
        assert_eq!(reqs[1]["status"], "met", "{reqs}");
        assert_eq!(reqs[2]["status"], "needs_review", "{reqs}");
        let bid_b = "/api/v1/tenders/stop-search-2027/bids/bravo/descriptions/records.yaml";
        let r = send(&app, body(TestRequest::put(), bid_b, &bravo, WEAK)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["verdict"], "non_compliant", "{}", r.body);
        let first = &r.body["evaluation"]["requirements"][0];
        assert_eq!(first["status"], "not_met");
        assert!(!first["evidence"].as_array().unwrap().is_empty(), "evidence located: {first}");
        let r = send(&app, body(TestRequest::put(), "/api/v1/tenders/stop-search-2027/bids/bravo/descriptions/bad.yaml", &bravo, "openapi: [unclosed\n")).await;
        assert_eq!(r.status, 422, "an unreadable description is refused: {}", r.body);

        // Who sees a bid: its supplier, the buyer, admins. Anyone else: not found.
        let acme_bid = "/api/v1/tenders/stop-search-2027/bids/acme";
        for (token, status) in [(Some(acme.as_str()), 200), (Some(buyer.as_str()), 200), (Some(admin.as_str()), 200), (Some(bravo.as_str()), 404), (Some(north.as_str()), 404), (None, 404)] {
            let r = send(&app, get(acme_bid, token)).await;
            assert_eq!(r.status, status, "{token:?}: {}", r.body);
            let r = send(&app, get(&format!("{acme_bid}/descriptions/stop-search.yaml"), token)).await;
            assert_eq!(r.status, status, "{token:?}");
        }
        let suppliers = |r: &Reply| r.body.as_array().unwrap().iter().map(|b| b["supplier"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
        let r = send(&app, get("/api/v1/tenders/stop-search-2027/bids", Some(&buyer))).await;
        assert_eq!(suppliers(&r), ["acme", "bravo"]);
        let r = send(&app, get("/api/v1/tenders/stop-search-2027/bids", Some(&bravo))).await;
        assert_eq!(suppliers(&r), ["bravo"]);
        let r = send(&app, get("/api/v1/tenders/stop-search-2027/bids", None)).await;
        assert_eq!(r.body, json!([]));
        let r = send(&app, get("/api/v1/tenders/stop-search-2027/comparison", Some(&bravo))).await;
        assert_problem(&r, 404, "not_found");
        // Never in search, the map or anyone else's export.
        let r = send(&app, get("/api/v1/search?q=Zanzibarquux", Some(&admin))).await;
        assert_eq!(r.body["total"], 0, "{}", r.body);
        let r = send(&app, get("/api/v1/interop/graph", Some(&admin))).await;
        assert!(!r.body.to_string().contains("Zanzibarquux"));
        let r = send(&app, get("/api/v1/tenders/stop-search-2027/export?format=ocds", Some(&north))).await;
        assert_eq!(r.status, 200);
        let text = String::from_utf8_lossy(&r.bytes).to_string();
        assert!(!text.contains("Bravo") && !text.contains("bravo") && !text.contains("Acme"), "no bid in another's release: {text}");
        let r = send(&app, get("/api/v1/tenders/stop-search-2027/export?format=ocds", Some(&buyer))).await;
        let release: Value = serde_json::from_slice(&r.bytes).unwrap();
        assert_eq!(release["releases"][0]["bids"]["details"].as_array().map(Vec::len), Some(2), "{release}");

        // Evaluators score the manual clause, with a justification; suppliers cannot.
        let score = "/api/v1/tenders/stop-search-2027/bids/acme/scores/API-3";
        let r = send(&app, json_req(TestRequest::put(), score, &acme, json!({"score": 4, "justification": "we are great"}))).await;
        assert_problem(&r, 403, "forbidden");
        let r = send(&app, json_req(TestRequest::put(), score, &buyer, json!({"score": 7, "justification": "x"}))).await;
        assert_problem(&r, 400, "invalid_score");
        let r = send(&app, json_req(TestRequest::put(), "/api/v1/tenders/stop-search-2027/bids/acme/scores/API-2", &buyer, json!({"score": 3, "justification": "x"}))).await;
        assert_problem(&r, 400, "invalid_score");
        let r = send(&app, json_req(TestRequest::put(), score, &buyer, json!({"score": 3, "justification": "Sandbox with synthetic custody data, section 4.2 of the bid."}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["verdict"], "compliant", "{}", r.body);
        assert_eq!(r.body["evaluation"]["requirements"][2]["status"], "met");
        assert_eq!(r.body["scores"][0]["score"], 3);
        let r = send(&app, json_req(TestRequest::put(), score, &buyer, json!({"score": 2, "justification": "On second reading, test data is limited."}))).await;
        assert_eq!(r.status, 200);
        let r = send(&app, get("/api/v1/audit?action=bid.score", Some(&admin))).await;
        assert_eq!(r.body["items"].as_array().map(Vec::len), Some(2), "every score change audited: {}", r.body);

        // The buyer's comparison and reports.
        let r = send(&app, get("/api/v1/tenders/stop-search-2027/comparison", Some(&buyer))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["bids"].as_array().map(Vec::len), Some(2), "{}", r.body);
        for format in ["markdown", "csv", "xlsx"] {
            let r = send(&app, get(&format!("/api/v1/tenders/stop-search-2027/comparison?format={format}"), Some(&buyer))).await;
            assert_eq!(r.status, 200, "{format}");
            assert!(!r.bytes.is_empty());
        }
        let r = send(&app, get(&format!("{acme_bid}/report?format=markdown"), Some(&acme))).await;
        assert_eq!(r.status, 200);
        assert!(String::from_utf8_lossy(&r.bytes).contains("API-3"));
        for format in ["csv", "xlsx"] {
            let r = send(&app, get(&format!("{acme_bid}/report?format={format}"), Some(&acme))).await;
            assert_eq!(r.status, 200, "{format}");
            assert!(!r.bytes.is_empty());
        }
        let r = send(&app, get(&format!("{acme_bid}/report?format=markdown"), Some(&bravo))).await;
        assert_problem(&r, 404, "not_found");
        for (format, kind) in [("markdown", "text/markdown"), ("docx", "wordprocessingml"), ("csv", "text/csv"), ("xlsx", "spreadsheetml")] {
            let r = send(&app, get(&format!("/api/v1/tenders/stop-search-2027/export?format={format}"), None)).await;
            assert_eq!(r.status, 200, "{format}");
            assert!(r.content_type.contains(kind), "{format}: {}", r.content_type);
        }
        let r = send(&app, get("/api/v1/tenders/stop-search-2027/export?format=pdf", None)).await;
        assert_problem(&r, 400, "invalid_format");

        // A new pack version: what changed, and bids judged against it.
        let r = send(&app, body(TestRequest::post(), packs, &buyer, &PACK.replace("version: 1.0.0", "version: 1.1.0").replace("weight: 20", "weight: 30"))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["changes"], json!([{"change": "changed", "requirement": "API-2", "fields": ["weight"]}]));
        let r = send(&app, get(acme_bid, Some(&acme))).await;
        assert_eq!(r.body["evaluation"]["pack_version"], "1.1.0", "{}", r.body);

        // Bravo withdraws: its descriptions are gone for everyone, the buyer included.
        let r = send(&app, TestRequest::post().uri("/api/v1/tenders/stop-search-2027/bids/bravo/withdraw").insert_header(bearer(&buyer))).await;
        assert_problem(&r, 403, "forbidden");
        let r = send(&app, TestRequest::post().uri("/api/v1/tenders/stop-search-2027/bids/bravo/withdraw").insert_header(bearer(&bravo))).await;
        assert_eq!(r.status, 204);
        for token in [&buyer, &admin, &bravo] {
            let r = send(&app, get("/api/v1/tenders/stop-search-2027/bids/bravo/descriptions/records.yaml", Some(token))).await;
            assert_problem(&r, 404, "not_found");
        }
        let r = send(&app, get("/api/v1/tenders/stop-search-2027/bids/bravo", Some(&buyer))).await;
        assert_eq!(r.body["status"], "withdrawn");
        assert_eq!(r.body["evaluation"], Value::Null);
        assert_eq!(r.body["descriptions"], json!([]));
        let r = send(&app, get("/api/v1/tenders/stop-search-2027/comparison", Some(&buyer))).await;
        assert_eq!(r.body["bids"].as_array().map(Vec::len), Some(1));
        let r = send(&app, get("/api/v1/tenders/stop-search-2027/export?format=ocds", Some(&buyer))).await;
        assert!(!String::from_utf8_lossy(&r.bytes).contains("Zanzibarquux"));
        let r = send(&app, body(TestRequest::put(), bid_b, &bravo, WEAK)).await;
        assert_problem(&r, 409, "bid_withdrawn");

        // Closed: no more bids, no more pack versions.
        let r = send(&app, json_req(TestRequest::post(), lifecycle, &buyer, json!({"lifecycle": "closed"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = send(&app, body(TestRequest::put(), bid_a, &acme, &good())).await;
        assert_problem(&r, 409, "tender_not_open");
        let r = send(&app, body(TestRequest::post(), packs, &buyer, &PACK.replace("version: 1.0.0", "version: 2.0.0"))).await;
        assert_problem(&r, 409, "tender_not_open");

        // The award: only the buyer's writers, only a compliant bid.
        let award = "/api/v1/tenders/stop-search-2027/award";
        let system = json!({"slug": "acme-stop-search", "name": "Acme Stop and Search"});
        let r = send(&app, json_req(TestRequest::post(), award, &acme, json!({"supplier": "acme", "system": system}))).await;
        assert_problem(&r, 403, "forbidden");
        let r = send(&app, json_req(TestRequest::post(), award, &buyer, json!({"supplier": "bravo", "system": system}))).await;
        assert_problem(&r, 409, "award_refused");
        let r = send(&app, json_req(TestRequest::post(), award, &buyer, json!({"supplier": "acme", "system": system}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["tender"]["lifecycle"], "awarded");
        assert_eq!(r.body["tender"]["awarded_to"], "acme");
        assert_eq!(r.body["apis"], json!([{"description": "stop-search.yaml", "api": "acme-stop-search-api"}]));
        assert_eq!(r.body["claims"][0]["contract"], "stop-search");
        assert_eq!(r.body["claims"][0]["status"], "conformant", "{}", r.body);
        // The catalogue now holds what was promised, and keeps checking it: for policing, not the
        // public (the award's default).
        let r = send(&app, get("/api/v1/systems/acme-stop-search", None)).await;
        assert_problem(&r, 404, "not_found");
        let r = send(&app, get("/api/v1/systems/acme-stop-search", Some(&north))).await;
        assert_eq!(r.body["owner"], "acme");
        assert_eq!(r.body["tier"], "silver", "a draft API whose description earns the kitemark: {}", r.body);
        let r = send(&app, get("/api/v1/apis/acme-stop-search-api", Some(&buyer))).await;
        assert_eq!(r.body["latest_version"], "1.2.0", "{}", r.body);
        assert_eq!(r.body["lifecycle"], "draft");
        let r = send(&app, json_req(TestRequest::post(), award, &buyer, json!({"supplier": "acme", "system": system}))).await;
        assert_problem(&r, 409, "tender_not_open");
    }
}

on_both_backends! {
    async fn a_restricted_tender_is_its_buyers(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "wessex", "force").await;
        create_org(&app, &admin, "acme", "supplier").await;
        let buyer = t.token("wendy", Some("wessex"), &["publisher"]);
        let acme = t.token("ann", Some("acme"), &["publisher"]);
        let r = send(&app, json_req(TestRequest::post(), "/api/v1/tenders", &buyer, json!({"slug": "secret", "title": "Secret", "buyer": "wessex", "visibility": "restricted"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        for path in ["", "/packs", "/bids", "/export", "/comparison"] {
            let r = send(&app, get(&format!("/api/v1/tenders/secret{path}"), Some(&acme))).await;
            assert_problem(&r, 404, "not_found");
        }
        let r = send(&app, get("/api/v1/tenders", Some(&acme))).await;
        assert_eq!(r.body["total"], 0);
        let r = send(&app, get("/api/v1/tenders", Some(&buyer))).await;
        assert_eq!(r.body["total"], 1);

        // A public tender is its buyer's own while a draft, everyone's once published.
        let r = send(&app, json_req(TestRequest::post(), "/api/v1/tenders", &buyer, json!({"slug": "open", "title": "Open", "buyer": "wessex"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        for token in [Some(acme.as_str()), None] {
            let r = send(&app, get("/api/v1/tenders/open", token)).await;
            assert_problem(&r, 404, "not_found");
            let r = send(&app, get("/api/v1/tenders", token)).await;
            assert_eq!(r.body["total"], 0, "{}", r.body);
        }
        let r = send(&app, get("/tenders/open", None)).await;
        assert_eq!(r.status, 404, "the page too");
        let pack = "id: open\nversion: 1\ntitle: Open\nbuyer: Wessex\nrequirements:\n  - {id: API-1, level: MUST, text: A sandbox., manual: {scale: 0-4}}\n";
        let r = send(&app, body(TestRequest::post(), "/api/v1/tenders/open/packs", &buyer, pack)).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, json_req(TestRequest::post(), "/api/v1/tenders/open/lifecycle", &buyer, json!({"lifecycle": "published"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = send(&app, get("/api/v1/tenders/open", None)).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
}

on_both_backends! {
    async fn a_tier_requirement_is_judged_from_the_system_the_bid_offers(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "wessex", "force").await;
        create_org(&app, &admin, "acme", "supplier").await;
        create_org(&app, &admin, "bravo", "supplier").await;
        let buyer = t.token("wendy", Some("wessex"), &["publisher"]);
        let acme = t.token("ann", Some("acme"), &["publisher"]);
        let bravo = t.token("bob", Some("bravo"), &["publisher"]);
        for (token, system) in [(&acme, json!({"slug": "acme-rms", "name": "Acme RMS", "owner": "acme"})), (&bravo, json!({"slug": "bravo-rms", "name": "Bravo RMS", "owner": "bravo"}))] {
            let r = send(&app, json_req(TestRequest::post(), "/api/v1/systems", token, system)).await;
            assert_eq!(r.status, 201, "{}", r.body);
        }
        let r = send(&app, json_req(TestRequest::post(), "/api/v1/apis", &acme, json!({"slug": "acme-records", "name": "Acme records", "owner": "acme", "system": "acme-rms", "lifecycle": "draft"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, json_req(TestRequest::post(), "/api/v1/tenders", &buyer, json!({"slug": "rms-2027", "title": "RMS", "buyer": "wessex"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let pack = "id: rms-2027\nversion: 1.0.0\ntitle: RMS\nbuyer: Wessex\nrequirements:\n  - {id: API-1, level: MUST, text: The system offered is at the Silver tier or above., tier: {min: silver}}\n";
        let r = send(&app, body(TestRequest::post(), "/api/v1/tenders/rms-2027/packs", &buyer, pack)).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, body(TestRequest::post(), "/api/v1/tenders/rms-2027/packs", &buyer, &pack.replace("1.0.0", "1.0.1").replace("silver}", "platinum}"))).await;
        assert_problem(&r, 400, "tender_pack_invalid");
        let r = send(&app, json_req(TestRequest::post(), "/api/v1/tenders/rms-2027/lifecycle", &buyer, json!({"lifecycle": "published"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);

        // No system named: the catalogue cannot judge it yet.
        let r = send(&app, body(TestRequest::put(), "/api/v1/tenders/rms-2027/bids/acme/descriptions/records.yaml", &acme, &good())).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["evaluation"]["requirements"][0]["status"], "needs_review", "{}", r.body);
        // Only the supplier's own systems may be offered.
        let system = "/api/v1/tenders/rms-2027/bids/acme/system";
        let r = send(&app, json_req(TestRequest::put(), system, &acme, json!({"system": "bravo-rms"}))).await;
        assert_problem(&r, 404, "not_found");
        // Acme RMS is Bronze (a planned API without a description): not met, disqualified.
        let r = send(&app, json_req(TestRequest::put(), system, &acme, json!({"system": "acme-rms"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["system"], "acme-rms");
        assert_eq!(r.body["verdict"], "non_compliant", "{}", r.body);
        assert!(r.body["evaluation"]["requirements"][0]["explanation"].as_str().unwrap().contains("Bronze"), "{}", r.body);
        // Its API's description earns the kitemark: Silver, and the bid, judged again, complies.
        assert_eq!(publish_version(&app, &acme, "acme-records", None, &good()).await.status, 201);
        let r = send(&app, json_req(TestRequest::put(), system, &acme, json!({"system": "acme-rms"}))).await;
        assert_eq!(r.body["verdict"], "compliant", "{}", r.body);
        assert_eq!(r.body["evaluation"]["requirements"][0]["status"], "met");
    }
}
