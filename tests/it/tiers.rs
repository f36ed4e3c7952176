//! Interoperability tiers: a system climbs Bronze, Silver and Gold as the catalogue gathers the
//! evidence, and falls back when evidence goes or is hidden from the system's readers; the tier
//! shows in the systems API, its own endpoint with the evidence, search and the system's page.

use actix_web::test::TestRequest;
use serde_json::{Value, json};

use crate::catalogue::{create_api, create_org};
use crate::support::*;

fn kitemarked() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lint/police/good.yaml");
    std::fs::read_to_string(path).unwrap()
}

fn get(uri: &str, token: Option<&str>) -> TestRequest {
    let req = TestRequest::get().uri(uri);
    match token {
        Some(t) => req.insert_header(bearer(t)),
        None => req,
    }
}

fn json_request(req: TestRequest, uri: &str, token: &str, body: Value) -> TestRequest {
    req.uri(uri).insert_header(bearer(token)).set_json(body)
}

async fn tier_of<S, B>(app: &S, system: &str) -> Value
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let r = send(app, get(&format!("/api/v1/systems/{system}/tier"), None)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

/// The APIs search finds at `tier`, for anonymous readers.
async fn apis_at<S, B>(app: &S, tier: &str) -> Vec<String>
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let r = send(
        app,
        get(&format!("/api/v1/search?kind=api&tier={tier}"), None),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut apis: Vec<String> = r.body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["api"].as_str().unwrap().to_string())
        .collect();
    apis.sort();
    apis
}

on_both_backends! {
    async fn a_system_earns_its_tier_from_evidence(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "acme", "supplier").await;
        create_org(&app, &admin, "north", "force").await;
        create_org(&app, &admin, "home-office", "national_body").await;
        let acme = t.token("ann", Some("acme"), &["publisher"]);
        let north = t.token("nia", Some("north"), &["publisher"]);
        let curator = t.token("cora", Some("home-office"), &["curator"]);

        // Registered with no API: no tier yet, and Bronze says what it needs.
        let r = send(&app, json_request(TestRequest::post(), "/api/v1/systems", &acme, json!({"slug": "acme-custody", "name": "Acme Custody", "owner": "acme"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["tier"], Value::Null);
        let a = tier_of(&app, "acme-custody").await;
        assert_eq!(a["tier"], Value::Null);
        assert_eq!(a["next"]["tier"], "bronze");
        assert_eq!(a["standard"], "police-api-standard 1.1.0");

        // A planned API: Bronze; Silver names the API and what it lacks.
        assert_eq!(create_api(&app, &acme, "acme-custody-api", "acme", "public").await.status, 201);
        let r = send(&app, json_request(TestRequest::patch(), "/api/v1/apis/acme-custody-api", &acme, json!({"system": "acme-custody", "lifecycle": "draft"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let a = tier_of(&app, "acme-custody").await;
        assert_eq!(a["tier"], "bronze", "{a}");
        assert_eq!(a["next"]["tier"], "silver");
        let missing = &a["next"]["missing"][0];
        assert_eq!(missing["api"], "acme-custody-api");
        assert!(missing["text"].as_str().unwrap().contains("no version published"), "{missing}");
        assert_eq!(apis_at(&app, "bronze").await, ["acme-custody-api"]);

        // Silver once its description earns the kitemark.
        let r = publish_version(&app, &acme, "acme-custody-api", None, &kitemarked()).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["standard"]["kitemark"], true, "{}", r.body);
        let a = tier_of(&app, "acme-custody").await;
        assert_eq!(a["tier"], "silver", "{a}");
        let kitemarked_criterion = &a["criteria"][1];
        assert_eq!(kitemarked_criterion["id"], "kitemarked");
        assert!(kitemarked_criterion["evidence"][0]["text"].as_str().unwrap().contains("earns the kitemark"));
        let r = send(&app, get("/api/v1/systems/acme-custody", None)).await;
        assert_eq!(r.body["tier"], "silver");
        let r = send(&app, get("/api/v1/systems?org=acme", None)).await;
        assert_eq!(r.body["items"][0]["tier"], "silver", "{}", r.body);
        assert_eq!(apis_at(&app, "silver").await, ["acme-custody-api"]);
        assert!(apis_at(&app, "bronze").await.is_empty());

        // A conformant claim is half of Gold.
        let r = send(&app, json_request(TestRequest::post(), "/api/v1/contracts", &curator, json!({"slug": "custody-exchange", "name": "Custody Exchange", "owner": "home-office"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, TestRequest::post().uri("/api/v1/contracts/custody-exchange/versions").insert_header(bearer(&curator)).insert_header(("content-type", "application/yaml")).set_payload(kitemarked())).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, json_request(TestRequest::post(), "/api/v1/systems/acme-custody/implements", &acme, json!({"contract": "custody-exchange", "api": "acme-custody-api"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["status"], "conformant", "{}", r.body);
        let a = tier_of(&app, "acme-custody").await;
        assert_eq!(a["tier"], "silver");
        assert_eq!(a["criteria"][2]["met"], true, "{a}");
        assert!(a["next"]["missing"][0]["text"].as_str().unwrap().contains("No system of another organisation"), "{a}");

        // A use recorded for north by a curator is not north's word: still Silver, and it says so.
        let r = send(&app, json_request(TestRequest::post(), "/api/v1/systems", &north, json!({"slug": "north-rms", "name": "North RMS", "owner": "north"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let uses = "/api/v1/systems/north-rms/consumes/acme-custody-api";
        let r = send(&app, json_request(TestRequest::put(), uses, &curator, json!({"purpose": "custody lookups", "replaces": "manual_rekeying", "hours_saved_per_month": 30}))).await;
        assert!(r.status.is_success(), "{}", r.body);
        assert_eq!(r.body["confirmed"], false, "{}", r.body);
        let a = tier_of(&app, "acme-custody").await;
        assert_eq!(a["tier"], "silver");
        let missing = &a["next"]["missing"][0];
        assert_eq!(missing["system"], "north-rms", "{a}");
        assert!(missing["text"].as_str().unwrap().contains("north confirms"), "{missing}");

        // North records it itself: Gold, nothing missing, and search follows.
        let r = send(&app, json_request(TestRequest::put(), uses, &north, json!({"purpose": "custody lookups", "replaces": "manual_rekeying", "hours_saved_per_month": 30}))).await;
        assert!(r.status.is_success(), "{}", r.body);
        assert_eq!(r.body["confirmed"], true, "{}", r.body);
        let a = tier_of(&app, "acme-custody").await;
        assert_eq!(a["tier"], "gold", "{a}");
        assert_eq!(a["next"], Value::Null);
        assert!(a["criteria"].as_array().unwrap().iter().all(|c| c["met"] == true));
        assert_eq!(apis_at(&app, "gold").await, ["acme-custody-api"]);
        let r = send(&app, get("/systems/acme-custody", None)).await;
        let html = String::from_utf8_lossy(&r.bytes);
        assert_eq!(r.status, 200);
        assert!(html.contains("is at the <strong>Gold</strong> tier"), "{html}");
        assert!(html.contains("href=\"/systems/north-rms\""), "the consumer is linked");

        // Evidence the system's readers cannot see counts for nothing: north hides its system.
        let r = send(&app, json_request(TestRequest::patch(), "/api/v1/systems/north-rms", &north, json!({"visibility": "restricted"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let a = tier_of(&app, "acme-custody").await;
        assert_eq!(a["tier"], "silver");
        assert!(!a.to_string().contains("north-rms"), "a hidden consumer is never named: {a}");
        assert_eq!(apis_at(&app, "silver").await, ["acme-custody-api"]);
        assert!(apis_at(&app, "gold").await.is_empty());

        // A failing description takes Silver away again.
        let failing = "openapi: 3.0.3\ninfo: {title: Custody, version: 2.0.0}\npaths:\n  /things:\n    get:\n      responses:\n        '200': {description: ok}\n";
        assert_eq!(publish_version(&app, &acme, "acme-custody-api", None, failing).await.status, 201);
        let a = tier_of(&app, "acme-custody").await;
        assert_eq!(a["tier"], "bronze", "{a}");
        assert!(a["next"]["missing"][0]["text"].as_str().unwrap().contains("does not earn the kitemark"), "{a}");
        assert_eq!(apis_at(&app, "bronze").await, ["acme-custody-api"]);

        // Bad input is named; a system the caller cannot see is not found.
        let r = send(&app, get("/api/v1/search?tier=platinum", None)).await;
        assert_problem(&r, 400, "invalid_tier");
        let r = send(&app, get("/api/v1/systems/north-rms/tier", None)).await;
        assert_problem(&r, 404, "not_found");
        let r = send(&app, get("/api/v1/systems/north-rms/tier", Some(&north))).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
}

on_both_backends! {
    async fn an_api_moving_between_systems_moves_their_tiers(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "acme", "supplier").await;
        let acme = t.token("ann", Some("acme"), &["publisher"]);
        for slug in ["first", "second"] {
            let r = send(&app, json_request(TestRequest::post(), "/api/v1/systems", &acme, json!({"slug": slug, "name": slug, "owner": "acme"}))).await;
            assert_eq!(r.status, 201, "{}", r.body);
        }
        for api in ["kept", "moved"] {
            assert_eq!(create_api(&app, &acme, api, "acme", "public").await.status, 201);
            let r = send(&app, json_request(TestRequest::patch(), &format!("/api/v1/apis/{api}"), &acme, json!({"system": "first"}))).await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
        assert_eq!(publish_version(&app, &acme, "kept", None, &kitemarked()).await.status, 201);
        // `moved` has no description: `first` is Bronze, and so is every API of it in search.
        assert_eq!(tier_of(&app, "first").await["tier"], "bronze");
        assert_eq!(apis_at(&app, "bronze").await, ["kept", "moved"]);
        // Moving it makes `first` Silver (its remaining API is kitemarked) and `second` Bronze;
        // search re-judges the API left behind, not only the one that moved.
        let r = send(&app, json_request(TestRequest::patch(), "/api/v1/apis/moved", &acme, json!({"system": "second"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(tier_of(&app, "first").await["tier"], "silver");
        assert_eq!(tier_of(&app, "second").await["tier"], "bronze");
        assert_eq!(apis_at(&app, "silver").await, ["kept"]);
        assert_eq!(apis_at(&app, "bronze").await, ["moved"]);
        // Retired APIs do not count: retiring `moved` leaves `second` with none.
        let r = send(&app, json_request(TestRequest::patch(), "/api/v1/apis/moved", &acme, json!({"lifecycle": "retired"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(tier_of(&app, "second").await["tier"], Value::Null);
        assert_eq!(apis_at(&app, "none").await, ["moved"]);
    }
}
