//! Contracts, claims to implement them (verified at every publish of either side), uses of APIs,
//! deprecation impact, the benefits report and the interop map, with visibility in every view and
//! export; and `pac conform`.

use std::process::Command;

use actix_web::test::TestRequest;
use serde_json::{Value, json};

use crate::CUSTODY_V1;
use crate::catalogue::{create_api, create_org};
use crate::support::*;

/// The contract: one operation, a custody record with an id and an arrest time.
const CONTRACT_V1: &str = r#"openapi: 3.0.3
info: {title: Custody Exchange, version: 1.0.0}
paths:
  /custody-records/{id}:
    get:
      operationId: getCustodyRecord
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The record
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: string}
                  arrestedAt: {type: string, format: date-time}
"#;

/// Version 2 of the contract also asks for the list of records.
const CONTRACT_V2: &str = r#"openapi: 3.0.3
info: {title: Custody Exchange, version: 2.0.0}
paths:
  /custody-records:
    get:
      responses:
        '200': {description: The records}
  /custody-records/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: The record}
"#;

/// An implementation that dropped the arrest time from its records.
const CUSTODY_NO_ARREST: &str = r#"openapi: 3.0.3
info: {title: Custody Records API, version: 2.0.0}
paths:
  /custody-records/{recordId}:
    get:
      parameters:
        - {name: recordId, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The record
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: string}
"#;

/// Both operations of contract version 2 and all the properties of version 1.
const CUSTODY_FULL: &str = r#"openapi: 3.0.3
info: {title: Custody Records API, version: 4.0.0}
paths:
  /custody-records:
    get:
      responses:
        '200': {description: The records}
  /custody-records/{recordId}:
    get:
      parameters:
        - {name: recordId, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The record
          content:
            application/json:
              schema:
                type: object
                required: [id]
                properties:
                  id: {type: string}
                  arrestedAt: {type: string, format: date-time}
"#;

fn get(uri: &str, token: Option<&str>) -> TestRequest {
    let req = TestRequest::get().uri(uri);
    match token {
        Some(t) => req.insert_header(bearer(t)),
        None => req,
    }
}

fn post_json(uri: &str, token: &str, body: Value) -> TestRequest {
    TestRequest::post()
        .uri(uri)
        .insert_header(bearer(token))
        .set_json(body)
}

fn put_json(uri: &str, token: &str, body: Value) -> TestRequest {
    TestRequest::put()
        .uri(uri)
        .insert_header(bearer(token))
        .set_json(body)
}

fn publish_contract(token: &str, slug: &str, body: &str) -> TestRequest {
    TestRequest::post()
        .uri(&format!("/api/v1/contracts/{slug}/versions"))
        .insert_header(bearer(token))
        .insert_header(("content-type", "application/yaml"))
        .set_payload(body.to_string())
}

/// Organisations met (force) and home-office (national body); contract `custody-exchange`
/// (v1, public); system `met-rms` with API `met-custody`.
async fn setup<S, B>(t: &TestApp, app: &S) -> (String, String)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let admin = t.admin();
    create_org(app, &admin, "met", "force").await;
    create_org(app, &admin, "home-office", "national_body").await;
    let curator = t.token("cora", Some("home-office"), &["curator"]);
    let met = t.token("alice", Some("met"), &["publisher"]);
    let r = send(
        app,
        post_json(
            "/api/v1/contracts",
            &curator,
            json!({"slug": "custody-exchange", "name": "Custody Exchange", "owner": "home-office"}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = send(
        app,
        publish_contract(&curator, "custody-exchange", CONTRACT_V1),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = send(
        app,
        post_json(
            "/api/v1/systems",
            &met,
            json!({"slug": "met-rms", "name": "Met RMS", "owner": "met"}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        create_api(app, &met, "met-custody", "met", "public")
            .await
            .status,
        201
    );
    let r = send(
        app,
        TestRequest::patch()
            .uri("/api/v1/apis/met-custody")
            .insert_header(bearer(&met))
            .set_json(json!({"system": "met-rms"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    (curator, met)
}

on_both_backends! {
    async fn contracts_are_curated_and_versioned(t: TestApp) {
        let app = t.service().await;
        let (curator, met) = setup(&t, &app).await;
        // Only curators create and version contracts.
        let r = send(&app, post_json("/api/v1/contracts", &met, json!({"slug": "x", "name": "X", "owner": "met"}))).await;
        assert_problem(&r, 403, "forbidden");
        let r = send(&app, publish_contract(&met, "custody-exchange", CONTRACT_V2)).await;
        assert_problem(&r, 403, "forbidden");
        let r = send(&app, post_json("/api/v1/contracts", &curator, json!({"slug": "custody-exchange", "name": "Again", "owner": "home-office"}))).await;
        assert_problem(&r, 409, "contract_exists");
        let r = send(&app, post_json("/api/v1/contracts", &curator, json!({"slug": "Bad Slug", "name": "X", "owner": "home-office"}))).await;
        assert_problem(&r, 400, "invalid_slug");
        // Versions are immutable: the same content is unchanged, other content a conflict.
        let r = send(&app, publish_contract(&curator, "custody-exchange", CONTRACT_V1)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = send(&app, publish_contract(&curator, "custody-exchange", &CONTRACT_V1.replace("The record", "A record"))).await;
        assert_problem(&r, 409, "version_conflict");
        // Bad documents are refused, naming what is wrong; nothing is stored.
        let r = send(&app, publish_contract(&curator, "custody-exchange", "openapi: 3.0.3\ninfo: {title: Empty, version: 9.0.0}\npaths: {}\n")).await;
        assert_problem(&r, 400, "contract_empty");
        let r = send(&app, publish_contract(&curator, "custody-exchange", "openapi: [unclosed\n")).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body["code"].as_str().unwrap().starts_with("spec_"), "{}", r.body);
        let r = send(&app, publish_contract(&curator, "custody-exchange", CONTRACT_V2)).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["operation_count"], 2);
        let r = send(&app, get("/api/v1/contracts/custody-exchange/versions", None)).await;
        let labels: Vec<&str> = r.body.as_array().unwrap().iter().map(|v| v["version"].as_str().unwrap()).collect();
        assert_eq!(labels, ["2.0.0", "1.0.0"]);
        let r = send(&app, get("/api/v1/contracts/custody-exchange", None)).await;
        assert_eq!(r.body["latest_version"], "2.0.0");
        let r = send(&app, get("/api/v1/contracts/custody-exchange/versions/latest", None)).await;
        assert_eq!(r.body["operations"][0]["path"], "/custody-records");
        let r = send(&app, get("/api/v1/contracts/custody-exchange/versions/1.0.0/original", None)).await;
        assert_eq!(r.bytes, CONTRACT_V1.as_bytes());
        // A curator restricts only their own organisation's contracts (others' would vanish from view).
        let r = send(&app, post_json("/api/v1/contracts", &curator, json!({"slug": "met-only", "name": "Met only", "owner": "met", "visibility": "restricted"}))).await;
        assert_problem(&r, 400, "invalid_visibility");
        // A restricted contract is its owner's and admins' only: "not found" for others.
        let r = send(&app, post_json("/api/v1/contracts", &curator, json!({"slug": "secret-exchange", "name": "Secret", "owner": "home-office", "visibility": "restricted"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        for path in ["", "/versions", "/versions/latest", "/implementations"] {
            let r = send(&app, get(&format!("/api/v1/contracts/secret-exchange{path}"), Some(&met))).await;
            assert_problem(&r, 404, "not_found");
        }
        let r = send(&app, get("/api/v1/contracts", Some(&met))).await;
        assert_eq!(r.body["total"], 1);
        let r = send(&app, get("/api/v1/contracts", Some(&t.admin()))).await;
        assert_eq!(r.body["total"], 2);
    }
}

async fn claim_status<S, B>(app: &S, token: &str, version: &str) -> Value
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
        get(
            &format!("/api/v1/systems/met-rms/implements/custody-exchange/{version}"),
            Some(token),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

on_both_backends! {
    async fn claims_are_verified_at_every_publish(t: TestApp) {
        let app = t.service().await;
        let (curator, met) = setup(&t, &app).await;
        let claim = json!({"contract": "custody-exchange", "version": "1.0.0", "api": "met-custody"});
        // Only the system's owner (or a curator) claims for it.
        create_org(&app, &t.admin(), "gmp", "force").await;
        let gmp = t.token("bob", Some("gmp"), &["publisher"]);
        let r = send(&app, post_json("/api/v1/systems/met-rms/implements", &gmp, claim.clone())).await;
        assert_problem(&r, 403, "forbidden");
        // The API has no version yet: the claim stands, unverified, with the reason.
        let r = send(&app, post_json("/api/v1/systems/met-rms/implements", &met, claim.clone())).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["status"], "unverified");
        assert!(r.body["reason"].as_str().unwrap().contains("no version"), "{}", r.body);
        let r = send(&app, post_json("/api/v1/systems/met-rms/implements", &met, claim.clone())).await;
        assert_problem(&r, 409, "implementation_exists");
        // unverified → conformant: path parameter names may differ.
        assert_eq!(publish_version(&app, &met, "met-custody", None, CUSTODY_V1).await.status, 201);
        let c = claim_status(&app, &met, "1.0.0").await;
        assert_eq!(c["status"], "conformant", "{c}");
        assert_eq!((c["met"].as_u64(), c["not_met"].as_u64()), (Some(1), Some(0)));
        assert_eq!(c["checked_api_version"], "1.0.0");
        assert_eq!(c["report"]["requirements"][0]["operation"], "GET /custody-records/{id}");
        // conformant → not conformant: a property the contract promises is gone.
        assert_eq!(publish_version(&app, &met, "met-custody", None, CUSTODY_NO_ARREST).await.status, 201);
        let c = claim_status(&app, &met, "1.0.0").await;
        assert_eq!(c["status"], "not_conformant", "{c}");
        let requirement = &c["report"]["requirements"][0];
        assert_eq!(requirement["met"], false);
        let ids: Vec<&str> = requirement["reasons"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert!(ids.contains(&"response-property-removed"), "{ids:?}");
        assert!(requirement["reasons"][0]["location"]["line"].as_u64().is_some(), "{requirement}");
        // A claim on contract version 2 needs the list operation too.
        let r = send(&app, publish_contract(&curator, "custody-exchange", CONTRACT_V2)).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, post_json("/api/v1/systems/met-rms/implements", &curator, json!({"contract": "custody-exchange", "api": "met-custody"}))).await;
        assert_eq!(r.status, 201, "a curator claims for any organisation: {}", r.body);
        assert_eq!(r.body["contract_version"], "2.0.0", "the latest by default");
        assert_eq!(r.body["status"], "not_conformant");
        let missing = &r.body["report"]["requirements"][0];
        assert_eq!(missing["operation"], "GET /custody-records");
        assert_eq!(missing["reasons"][0]["id"], "operation-removed");
        // not conformant → conformant for both, at the next publish of the API.
        assert_eq!(publish_version(&app, &met, "met-custody", None, CUSTODY_FULL).await.status, 201);
        assert_eq!(claim_status(&app, &met, "1.0.0").await["status"], "conformant");
        assert_eq!(claim_status(&app, &met, "2.0.0").await["status"], "conformant");
        let r = send(&app, get("/api/v1/systems/met-rms/implements", None)).await;
        assert_eq!(r.body.as_array().unwrap().len(), 2);
        assert!(r.body[0].get("report").is_none(), "lists carry no reports");
        let r = send(&app, get("/api/v1/contracts/custody-exchange/implementations", None)).await;
        assert_eq!(r.body.as_array().unwrap().len(), 2);
        // An API of another system cannot carry the claim.
        assert_eq!(create_api(&app, &met, "met-other", "met", "public").await.status, 201);
        let r = send(&app, TestRequest::delete().uri("/api/v1/systems/met-rms/implements/custody-exchange/1.0.0").insert_header(bearer(&gmp))).await;
        assert_problem(&r, 403, "forbidden");
        let r = send(&app, TestRequest::delete().uri("/api/v1/systems/met-rms/implements/custody-exchange/1.0.0").insert_header(bearer(&met))).await;
        assert_eq!(r.status, 204);
        let r = send(&app, post_json("/api/v1/systems/met-rms/implements", &met, json!({"contract": "custody-exchange", "version": "1.0.0", "api": "met-other"}))).await;
        assert_problem(&r, 400, "api_not_of_system");
        let r = send(&app, post_json("/api/v1/systems/met-rms/implements", &met, json!({"contract": "custody-exchange", "version": "9.9.9", "api": "met-custody"}))).await;
        assert_problem(&r, 404, "not_found");
        let r = send(&app, get("/api/v1/systems/met-rms/implements/custody-exchange/1.0.0", None)).await;
        assert_problem(&r, 404, "not_found");
        // Moving the API to no system leaves its claims unverified, with the reason.
        let r = send(&app, TestRequest::patch().uri("/api/v1/apis/met-custody").insert_header(bearer(&met)).set_json(json!({"system": null}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let c = claim_status(&app, &met, "2.0.0").await;
        assert_eq!(c["status"], "unverified", "{c}");
        assert!(c["reason"].as_str().unwrap().contains("no longer belongs"), "{c}");
        let r = send(&app, TestRequest::patch().uri("/api/v1/apis/met-custody").insert_header(bearer(&met)).set_json(json!({"system": "met-rms"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(claim_status(&app, &met, "2.0.0").await["status"], "conformant");
        // Publishing a new contract version checks the claims on the contract again.
        let before = claim_status(&app, &met, "2.0.0").await["checked_at"].clone();
        let r = send(&app, publish_contract(&curator, "custody-exchange", &CONTRACT_V2.replace("2.0.0", "2.1.0"))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let after = claim_status(&app, &met, "2.0.0").await["checked_at"].clone();
        assert_ne!(before, after, "checked again");
    }
}

on_both_backends! {
    async fn uses_deprecation_impact_and_benefits(t: TestApp) {
        let app = t.service().await;
        let (_, met) = setup(&t, &app).await;
        let admin = t.admin();
        assert_eq!(publish_version(&app, &met, "met-custody", None, CUSTODY_V1).await.status, 201);
        for (org, system, vis) in [("gmp", "gmp-rms", "public"), ("wmp", "wmp-rms", "public"), ("kent", "kent-secret", "restricted")] {
            create_org(&app, &admin, org, "force").await;
            let r = send(&app, post_json("/api/v1/systems", &admin, json!({"slug": system, "name": system, "owner": org, "visibility": vis}))).await;
            assert_eq!(r.status, 201, "{}", r.body);
        }
        let gmp = t.token("bob", Some("gmp"), &["publisher"]);
        let uses = "/api/v1/systems/gmp-rms/consumes/met-custody";
        // Bad input names the field; nothing is stored.
        for (body, code) in [
            (json!({"purpose": "x", "replaces": "fax"}), "invalid_replaces"),
            (json!({"purpose": "x", "hours_saved_per_month": -1}), "invalid_hours"),
            (json!({"purpose": "x", "hours_saved_per_month": 10}), "invalid_hours"),
            (json!({"purpose": ""}), "invalid_field"),
        ] {
            let r = send(&app, put_json(uses, &gmp, body)).await;
            assert_problem(&r, 400, code);
        }
        let r = send(&app, put_json(uses, &gmp, json!({"purpose": "x", "version": "9.9.9"}))).await;
        assert_problem(&r, 404, "not_found");
        let r = send(&app, put_json("/api/v1/systems/wmp-rms/consumes/met-custody", &gmp, json!({"purpose": "x"}))).await;
        assert_problem(&r, 403, "forbidden");
        let r = send(&app, get("/api/v1/systems/gmp-rms/consumes", None)).await;
        assert_eq!(r.body, json!([]));
        let r = send(&app, put_json(uses, &gmp, json!({"purpose": "custody transfers", "version": "1.0.0", "replaces": "manual_rekeying", "hours_saved_per_month": 100}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, put_json(uses, &gmp, json!({"purpose": "custody transfers", "version": "1.0.0", "replaces": "manual_rekeying", "hours_saved_per_month": 120}))).await;
        assert_eq!(r.status, 200, "replaced: {}", r.body);
        assert_eq!(r.body["hours_saved_per_month"], 120.0);
        let r = send(&app, put_json("/api/v1/systems/wmp-rms/consumes/met-custody", &admin, json!({"purpose": "lookups", "replaces": "screen_scraping", "hours_saved_per_month": 40}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, put_json("/api/v1/systems/kent-secret/consumes/met-custody", &admin, json!({"purpose": "hidden", "replaces": "manual_rekeying", "hours_saved_per_month": 1000}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        // Impact of the version: the systems that use it, as far as the caller may see.
        let r = send(&app, get("/api/v1/apis/met-custody/versions/1.0.0/consumers", None)).await;
        let systems: Vec<&str> = r.body.as_array().unwrap().iter().map(|u| u["system"].as_str().unwrap()).collect();
        assert_eq!(systems, ["gmp-rms", "wmp-rms"]);
        let r = send(&app, get("/api/v1/apis/met-custody/versions/1.0.0/consumers", Some(&admin))).await;
        assert_eq!(r.body.as_array().unwrap().len(), 3);
        // Deprecating warns with that list.
        let r = send(&app, TestRequest::patch().uri("/api/v1/apis/met-custody").insert_header(bearer(&met)).set_json(json!({"lifecycle": "deprecated"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let warnings = r.body["warnings"].as_array().unwrap();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].as_str().unwrap().contains("gmp-rms"));
        assert!(!r.body.to_string().contains("kent-secret"));
        let r = send(&app, TestRequest::patch().uri("/api/v1/apis/met-custody").insert_header(bearer(&met)).set_json(json!({"name": "Custody"}))).await;
        assert!(r.body.get("warnings").is_none(), "only a change to deprecated warns");
        // Benefits count what the caller may see.
        let r = send(&app, get("/api/v1/reports/benefits", None)).await;
        assert_eq!(r.body["integrations"], 2, "{}", r.body);
        assert_eq!(r.body["hours_saved_per_month"], 160.0);
        assert_eq!(r.body["by_replaces"]["manual_rekeying"]["hours_saved_per_month"], 120.0);
        assert_eq!(r.body["by_replaces"]["screen_scraping"]["integrations"], 1);
        assert_eq!(r.body["by_api"][0]["slug"], "met-custody");
        assert_eq!(r.body["by_organisation"][0]["slug"], "gmp");
        assert!(!r.body.to_string().contains("kent"));
        let r = send(&app, get("/api/v1/reports/benefits", Some(&admin))).await;
        assert_eq!(r.body["hours_saved_per_month"], 1160.0);
        let r = send(&app, get("/api/v1/reports/benefits?org=wmp", None)).await;
        assert_eq!(r.body["hours_saved_per_month"], 40.0);
        let r = send(&app, get("/api/v1/reports/benefits?org=nowhere", None)).await;
        assert_problem(&r, 404, "not_found");
        // Removing a use.
        let r = send(&app, TestRequest::delete().uri(uses).insert_header(bearer(&gmp))).await;
        assert_eq!(r.status, 204);
        let r = send(&app, TestRequest::delete().uri(uses).insert_header(bearer(&gmp))).await;
        assert_problem(&r, 404, "not_found");
    }
}

on_both_backends! {
    async fn the_map_hides_what_the_caller_may_not_see(t: TestApp) {
        let app = t.service().await;
        let (curator, met) = setup(&t, &app).await;
        let admin = t.admin();
        assert_eq!(publish_version(&app, &met, "met-custody", None, CUSTODY_V1).await.status, 201);
        let r = send(&app, post_json("/api/v1/systems/met-rms/implements", &met, json!({"contract": "custody-exchange", "api": "met-custody"}))).await;
        assert_eq!(r.body["status"], "conformant", "{}", r.body);
        let r = send(&app, put_json("/api/v1/systems/met-rms/consumes/met-custody", &met, json!({"purpose": "visible use", "replaces": "screen_scraping", "hours_saved_per_month": 7}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        // Restricted: a system of met with an API, and a contract of the Home Office.
        let r = send(&app, post_json("/api/v1/systems", &met, json!({"slug": "met-hidden-sys", "name": "Hidden system", "owner": "met", "visibility": "restricted"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(create_api(&app, &met, "met-hidden-api", "met", "restricted").await.status, 201);
        let r = send(&app, TestRequest::patch().uri("/api/v1/apis/met-hidden-api").insert_header(bearer(&met)).set_json(json!({"system": "met-hidden-sys"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(publish_version(&app, &met, "met-hidden-api", None, CUSTODY_V1).await.status, 201);
        let r = send(&app, put_json("/api/v1/systems/met-rms/consumes/met-hidden-api", &met, json!({"purpose": "hidden use", "replaces": "manual_rekeying", "hours_saved_per_month": 5}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, post_json("/api/v1/contracts", &curator, json!({"slug": "ho-hidden-contract", "name": "Hidden contract", "owner": "home-office", "visibility": "restricted"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(send(&app, publish_contract(&curator, "ho-hidden-contract", CONTRACT_V1)).await.status, 201);
        let r = send(&app, post_json("/api/v1/systems/met-hidden-sys/implements", &admin, json!({"contract": "ho-hidden-contract", "api": "met-hidden-api"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);

        // Slugs as written, and as Mermaid ids spell them.
        // A visible system and a visible contract, claimed through a restricted API: the claim is
        // as hidden as its API.
        assert_eq!(create_api(&app, &met, "met-rms-private", "met", "restricted").await.status, 201);
        let r = send(&app, TestRequest::patch().uri("/api/v1/apis/met-rms-private").insert_header(bearer(&met)).set_json(json!({"system": "met-rms"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(send(&app, publish_contract(&curator, "custody-exchange", CONTRACT_V2)).await.status, 201);
        let r = send(&app, post_json("/api/v1/systems/met-rms/implements", &met, json!({"contract": "custody-exchange", "version": "2.0.0", "api": "met-rms-private"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        for token in [None, Some(t.token("carol", Some("gmp"), &["reader"]))] {
            let r = send(&app, get("/api/v1/systems/met-rms/implements/custody-exchange/2.0.0", token.as_deref())).await;
            assert_problem(&r, 404, "not_found");
            for uri in ["/api/v1/systems/met-rms/implements", "/api/v1/contracts/custody-exchange/implementations"] {
                let r = send(&app, get(uri, token.as_deref())).await;
                let versions: Vec<&str> = r.body.as_array().unwrap().iter().map(|c| c["contract_version"].as_str().unwrap()).collect();
                assert_eq!(versions, ["1.0.0"], "{uri}");
            }
        }

        let hidden = ["met-hidden-sys", "met-hidden-api", "ho-hidden-contract", "hidden_", "Hidden", "private"];
        let exports = [
            "/api/v1/interop/matrix",
            "/api/v1/interop/matrix?format=csv",
            "/api/v1/interop/graph",
            "/api/v1/interop/graph?format=csv",
            "/api/v1/interop/graph?format=mermaid",
            "/api/v1/interop/graph?format=dot",
            "/api/v1/interop/graph?format=archimate",
            "/api/v1/interop/graph?org=met&format=archimate",
            "/api/v1/interop/matrix?org=met&format=csv",
            "/api/v1/reports/benefits",
            "/api/v1/systems/met-rms/consumes",
            "/api/v1/systems/met-rms/implements",
            "/api/v1/contracts/custody-exchange/implementations",
            "/api/v1/interop/graph?contract=custody-exchange&format=dot",
        ];
        let gmp_reader = t.token("carol", Some("gmp"), &["reader"]);
        for token in [None, Some(gmp_reader.as_str())] {
            for uri in exports {
                let r = send(&app, get(uri, token)).await;
                assert_eq!(r.status, 200, "{uri}: {}", r.body);
                let text = String::from_utf8_lossy(&r.bytes);
                let shown = if uri.contains("benefits") { "met-custody" } else { "met-rms" };
                assert!(text.contains(shown) || text.contains(&shown.replace('-', "_")), "{uri} shows what may be seen: {text}");
                for h in hidden {
                    assert!(!text.contains(h), "{uri} leaks {h} to {token:?}: {text}");
                }
            }
            for uri in ["/api/v1/interop/graph?contract=ho-hidden-contract", "/api/v1/interop/matrix?contract=ho-hidden-contract"] {
                assert_problem(&send(&app, get(uri, token)).await, 404, "not_found");
            }
        }
        // The owner and admins see all of it.
        let met_reader = t.token("dave", Some("met"), &["reader"]);
        let r = send(&app, get("/api/v1/interop/graph?format=dot", Some(&met_reader))).await;
        let text = String::from_utf8_lossy(&r.bytes);
        assert!(text.contains("met-hidden-sys") && text.contains("met-hidden-api"), "{text}");
        assert!(!text.contains("ho-hidden-contract"), "home office's restricted contract stays hidden from met");
        let r = send(&app, get("/api/v1/interop/graph", Some(&admin))).await;
        for h in ["system:met-hidden-sys", "api:met-hidden-api", "contract:ho-hidden-contract"] {
            assert!(r.body["nodes"].as_array().unwrap().iter().any(|n| n["id"] == h), "{h}: {}", r.body);
        }

        // The matrix: met-rms implements custody-exchange, conformant.
        let r = send(&app, get("/api/v1/interop/matrix", None)).await;
        assert_eq!(r.body["contracts"][0]["slug"], "custody-exchange");
        let row = r.body["systems"].as_array().unwrap().iter().find(|s| s["slug"] == "met-rms").unwrap();
        assert_eq!(row["cells"][0]["status"], "conformant");
        assert_eq!(row["cells"][0]["version"], "1.0.0");
        let r = send(&app, get("/api/v1/interop/matrix?format=csv", None)).await;
        assert!(r.content_type.starts_with("text/csv"), "{}", r.content_type);
        let csv = String::from_utf8_lossy(&r.bytes);
        assert!(csv.lines().next().unwrap().contains("custody-exchange"), "{csv}");
        assert!(csv.lines().any(|l| l.starts_with("met-rms,") && l.contains("conformant")), "{csv}");
        // The graph: owns, provides, implements (with status), as the caller sees them.
        let r = send(&app, get("/api/v1/interop/graph", None)).await;
        let edges = r.body["edges"].as_array().unwrap();
        let has = |kind: &str, source: &str, target: &str| edges.iter().any(|e| e["kind"] == kind && e["source"] == source && e["target"] == target);
        assert!(has("owns", "org:met", "system:met-rms"), "{}", r.body);
        assert!(has("provides", "system:met-rms", "api:met-custody"));
        assert!(has("implements", "system:met-rms", "contract:custody-exchange"));
        assert!(has("owns", "org:home-office", "contract:custody-exchange"));
        let implements = edges.iter().find(|e| e["kind"] == "implements").unwrap();
        assert_eq!(implements["status"], "conformant");
        let r = send(&app, get("/api/v1/interop/graph?contract=custody-exchange", None)).await;
        let nodes: Vec<&str> = r.body["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
        assert_eq!(nodes, ["org:home-office", "org:met", "system:met-rms", "api:met-custody", "contract:custody-exchange"]);
        // Bad filters and formats are 4xx, naming them.
        assert_problem(&send(&app, get("/api/v1/interop/graph?format=svg", None)).await, 400, "invalid_format");
        assert_problem(&send(&app, get("/api/v1/interop/matrix?format=dot", None)).await, 400, "invalid_format");
        assert_problem(&send(&app, get("/api/v1/interop/graph?org=nowhere", None)).await, 404, "not_found");
        assert_problem(&send(&app, get("/api/v1/interop/graph?colour=red", None)).await, 400, "invalid_query");
    }
}

#[test]
fn pac_conform_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let contract = write("contract.yaml", CONTRACT_V1);
    let good = write("good.yaml", CUSTODY_V1);
    let bad = write("bad.yaml", CUSTODY_NO_ARREST);
    let pac = |args: &[&std::ffi::OsStr]| {
        Command::new(env!("CARGO_BIN_EXE_pac"))
            .arg("conform")
            .args(args)
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .env("PAC_LOG", "error")
            .output()
            .unwrap()
    };
    let out = pac(&[
        good.as_os_str(),
        "--contract".as_ref(),
        contract.as_os_str(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("conforms to"));
    let out = pac(&[
        bad.as_os_str(),
        "--contract".as_ref(),
        contract.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["conformant"], false);
    assert_eq!(
        report["requirements"][0]["reasons"][0]["id"],
        "response-property-removed"
    );
    let out = pac(&[
        bad.as_os_str(),
        "--contract".as_ref(),
        contract.as_os_str(),
        "--format".as_ref(),
        "markdown".as_ref(),
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("**not met**"));
    // Unreadable input is exit 2, naming what is wrong.
    let missing = dir.path().join("missing.yaml");
    let out = pac(&[
        missing.as_os_str(),
        "--contract".as_ref(),
        contract.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = pac(&[
        good.as_os_str(),
        "--contract".as_ref(),
        "no-such-contract".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("contract_not_found") && stderr.contains("no-such-contract"),
        "{stderr}"
    );
    assert!(
        !dir.path().join("data").exists(),
        "looking a contract up creates no store"
    );
    let empty = write(
        "empty.yaml",
        "openapi: 3.0.3\ninfo: {title: Empty, version: '1'}\npaths: {}\n",
    );
    let out = pac(&[good.as_os_str(), "--contract".as_ref(), empty.as_os_str()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "nothing to conform to is no pass"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("contract_empty"));
}

/// The ArchiMate export is checked against The Open Group's exchange-format schema (with
/// `scripts/check-archimate.sh`, which fetches the XSDs from a pinned package once).
#[actix_web::test]
async fn archimate_export_is_valid_against_the_exchange_format_schema() {
    let t = TestApp::new(Backend::Sqlite).expect("sqlite is always there");
    let app = t.service().await;
    let (_, met) = setup(&t, &app).await;
    assert_eq!(
        publish_version(&app, &met, "met-custody", None, CUSTODY_V1)
            .await
            .status,
        201
    );
    let r = send(
        &app,
        post_json(
            "/api/v1/systems/met-rms/implements",
            &met,
            json!({"contract": "custody-exchange", "api": "met-custody"}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = send(
        &app,
        post_json(
            "/api/v1/systems",
            &met,
            json!({"slug": "met-pnd-bridge", "name": "PND \"bridge\" <&>", "owner": "met"}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = send(&app, put_json("/api/v1/systems/met-pnd-bridge/consumes/met-custody", &met, json!({"purpose": "bookings", "replaces": "screen_scraping", "hours_saved_per_month": 12.5}))).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = send(&app, get("/api/v1/interop/graph?format=archimate", None)).await;
    assert_eq!(r.status, 200);
    assert!(
        r.content_type.starts_with("application/xml"),
        "{}",
        r.content_type
    );
    let xml = String::from_utf8(r.bytes).unwrap();
    for element in [
        "BusinessActor",
        "ApplicationComponent",
        "ApplicationInterface",
        "Requirement",
    ] {
        assert!(
            xml.contains(&format!("xsi:type=\"{element}\"")),
            "{element}: {xml}"
        );
    }
    for relation in ["Association", "Composition", "Serving", "Realization"] {
        assert!(
            xml.contains(&format!("xsi:type=\"{relation}\"")),
            "{relation}: {xml}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("map.xml");
    std::fs::write(&file, &xml).unwrap();
    let out = Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/check-archimate.sh"
        ))
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => {}
        Some(3) => pac_testkit::skip(
            "the ArchiMate schema check",
            &format!("it could not be set up: {stderr}"),
        ),
        _ => panic!("the export is not valid against the exchange-format schema: {stderr}\n{xml}"),
    }
}
