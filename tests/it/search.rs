//! Search: every spelling of a name finds it, hidden APIs count nowhere, the index follows every
//! write, and a crash between the store's commit and the index's is repaired on the next start.

use std::time::Duration;

use actix_web::test::TestRequest;
use serde_json::{Value, json};

use crate::catalogue::{create_api, create_org};
use crate::support::*;
use crate::{CUSTODY_V1, CUSTODY_V1_1};
use pac::auth::Principal;
use pac::auth::policy::Visible;
use pac::search::{Search, SearchRequest, WriterBudget};

/// Operations, parameters and schema properties spelled in every style.
const CRIME_V1: &str = r#"openapi: 3.0.3
info: {title: Crime Reference Service, version: 1.0.0, description: Look up crimes by reference.}
paths:
  /crime-references/{crimeReferenceId}:
    get:
      operationId: getCrimeReference
      summary: Fetch one crime
      description: Returns the crime recorded under a reference number.
      parameters:
        - {name: crimeReferenceId, in: path, required: true, schema: {type: string}}
        - {name: pnc_id, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/CrimeRecord'}
  /payments:
    post:
      operationId: createPayment
      summary: Take a fine payment
      responses: {'201': {description: created}}
components:
  schemas:
    CrimeRecord:
      type: object
      description: A recorded crime.
      properties:
        offenceCode: {type: string, description: Home Office offence classification}
        occurredAt: {type: string, format: date-time}
"#;

async fn search<S, B>(app: &S, token: Option<&str>, query: &str) -> Reply
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    send(
        app,
        with_token(
            TestRequest::get().uri(&format!("/api/v1/search?{query}")),
            token,
        ),
    )
    .await
}

fn with_token(req: TestRequest, token: Option<&str>) -> TestRequest {
    match token {
        Some(t) => req.insert_header(bearer(t)),
        None => req,
    }
}

fn titles(body: &Value) -> Vec<String> {
    body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect()
}

fn facet(body: &Value, name: &str) -> Vec<(String, u64)> {
    body["facets"][name]
        .as_array()
        .unwrap_or(&vec![])
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_string(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

on_both_backends! {
    async fn every_spelling_finds_the_operation(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "met", "force").await;
        let met = t.token("alice", Some("met"), &["publisher"]);
        assert_eq!(create_api(&app, &met, "crime-refs", "met", "public").await.status, 201);
        assert_eq!(publish_version(&app, &met, "crime-refs", None, CRIME_V1).await.status, 201);

        for q in ["crime+reference", "crimeReference", "crime_reference", "%2Fcrime-references%2F%7Bid%7D", "%22crime+reference%22"] {
            let r = search(&app, None, &format!("q={q}&kind=operation")).await;
            assert_eq!(r.status, 200, "{q}: {}", r.body);
            assert_eq!(titles(&r.body)[0], "Fetch one crime", "{q}: {}", r.body);
            let hit = &r.body["hits"][0];
            assert_eq!(hit["operation"]["path"], "/crime-references/{crimeReferenceId}");
            assert_eq!(hit["operation"]["method"], "get");
            assert_eq!(hit["api"], "crime-refs");
            assert_eq!(hit["version"], "1.0.0");
            assert_eq!(hit["owner"], "met");
        }
        // A parameter name, a property name and a property's description.
        let r = search(&app, None, "q=PNC+ID").await;
        assert_eq!(titles(&r.body)[0], "Fetch one crime", "{}", r.body);
        let r = search(&app, None, "q=offence+code&kind=schema").await;
        assert_eq!(titles(&r.body), ["CrimeRecord"]);
        let r = search(&app, None, "q=property:classification").await;
        assert_eq!(titles(&r.body), ["CrimeRecord"]);
        // English stemming in prose, a typo in a longer word, and the API itself.
        let r = search(&app, None, "q=recording+crimes&kind=operation").await;
        assert_eq!(titles(&r.body)[0], "Fetch one crime");
        let r = search(&app, None, "q=paymnet&kind=operation").await;
        assert_eq!(titles(&r.body), ["Take a fine payment"], "{}", r.body);
        let r = search(&app, None, "q=crime+reference+service&kind=api").await;
        assert_eq!(titles(&r.body), ["API crime-refs"]);
        // The hit links to the item's JSON, and that link answers.
        let r = search(&app, None, "q=getCrimeReference").await;
        let link = r.body["hits"][0]["link"].as_str().unwrap().to_string();
        let item = send(&app, TestRequest::get().uri(&link)).await;
        assert_eq!(item.status, 200, "{link}");
        assert_eq!(item.body["items"][0]["operation_id"], "getCrimeReference", "{link}: {}", item.body);
        assert_eq!(item.body["total"], 1, "{link}");
        let r = search(&app, None, "q=CrimeRecord&kind=schema").await;
        let link = r.body["hits"][0]["link"].as_str().unwrap().to_string();
        let item = send(&app, TestRequest::get().uri(&link)).await;
        assert_eq!(item.body["items"][0]["name"], "CrimeRecord", "{link}: {}", item.body);
        assert_eq!(item.body["items"][0]["properties"][0], json!({"name": "offenceCode", "description": "Home Office offence classification"}));
        // Snippets highlight what matched, HTML-escaped.
        let r = search(&app, None, "q=reference+number&kind=operation").await;
        let snippet = r.body["hits"][0]["snippet"].as_str().unwrap();
        assert!(snippet.contains("<b>reference</b>"), "{snippet}");
        // Phrases keep order; + requires and - excludes.
        let r = search(&app, None, "q=%22number+reference%22").await;
        assert_eq!(r.body["total"], 0, "{}", r.body);
        let r = search(&app, None, "q=crime+-payment&kind=operation").await;
        assert_eq!(titles(&r.body), ["Fetch one crime"]);
        let r = search(&app, None, "q=%2Bfine+crime&kind=operation").await;
        assert_eq!(titles(&r.body), ["Take a fine payment"]);
        // Suggestions complete the last word of what is being typed, from names, summaries, paths.
        let r = send(&app, TestRequest::get().uri("/api/v1/search/suggest?q=fetch+on")).await;
        assert_eq!(r.body["suggestions"][0]["text"], "Fetch one crime", "{}", r.body);
        assert_eq!(r.body["suggestions"][0]["kind"], "operation");
        let r = send(&app, TestRequest::get().uri("/api/v1/search/suggest?q=crime+rec&kind=schema")).await;
        assert_eq!(r.body["suggestions"][0]["text"], "CrimeRecord", "{}", r.body);
        let r = send(&app, TestRequest::get().uri("/api/v1/search/suggest?q=")).await;
        assert_eq!(r.body["suggestions"], json!([]));
        for bad in ["q=x&limit=0", "q=x&limit=21", "q=x&kind=thing"] {
            let r = send(&app, TestRequest::get().uri(&format!("/api/v1/search/suggest?{bad}"))).await;
            assert_problem(&r, 400, "invalid_query");
        }
        // Most words must match; when that finds nothing, any may (ranked by how well they match).
        let r = search(&app, None, "q=fine+payment+zebra&kind=operation").await;
        assert_eq!(titles(&r.body), ["Take a fine payment"], "2 of 3 words: {}", r.body);
        let r = search(&app, None, "q=crime+checker&kind=operation").await;
        assert_eq!(titles(&r.body)[0], "Fetch one crime", "1 of 2 words, on a second try: {}", r.body);
        // Facets count the matching entries.
        let r = search(&app, None, "q=crime").await;
        // (The payment operation matches through its API's name, "API crime-refs".)
        let n = |k: &str, n: u64| (k.to_string(), n);
        assert_eq!(sorted_facet(&r.body, "kind"), [n("api", 1), n("operation", 2), n("schema", 1)]);
        assert_eq!(r.body["total"], 4, "{}", r.body);
        assert_eq!(facet(&r.body, "org"), [n("met", 4)]);
        assert_eq!(facet(&r.body, "format"), [n("openapi-3.0", 4)]);
        assert_eq!(facet(&r.body, "org_kind"), [n("force", 4)]);
    }
}

fn sorted_facet(body: &Value, name: &str) -> Vec<(String, u64)> {
    let mut f = facet(body, name);
    f.sort();
    f
}

on_both_backends! {
    async fn hidden_apis_count_nowhere_in_search(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "met", "force").await;
        create_org(&app, &admin, "gmp", "force").await;
        let met = t.token("alice", Some("met"), &["publisher"]);
        for (slug, vis) in [("open-api", "public"), ("police-only", "policing"), ("met-secret", "restricted")] {
            assert_eq!(create_api(&app, &met, slug, "met", vis).await.status, 201);
            assert_eq!(publish_version(&app, &met, slug, None, CUSTODY_V1).await.status, 201);
        }
        // A term that only the restricted API has.
        let secret = CUSTODY_V1.replace("version: 1.0.0", "version: 2.0.0").replace("summary: Get a custody record", "summary: Get a zorblax custody record");
        assert_eq!(publish_version(&app, &met, "met-secret", None, &secret).await.status, 201);
        let gmp = t.token("carol", Some("gmp"), &["reader"]);
        let met_reader = t.token("dave", Some("met"), &["reader"]);
        let cases: [(Option<&str>, &[&str]); 4] = [
            (None, &["open-api"]),
            (Some(&gmp), &["open-api", "police-only"]),
            (Some(&met_reader), &["met-secret", "open-api", "police-only"]),
            (Some(&admin), &["met-secret", "open-api", "police-only"]),
        ];
        for (token, seen) in cases {
            let r = search(&app, token, "q=custody+record").await;
            let mut apis: Vec<&str> = r.body["hits"].as_array().unwrap().iter().map(|h| h["api"].as_str().unwrap()).collect();
            apis.sort();
            apis.dedup();
            assert_eq!(apis, seen, "token {token:?}");
            // api + operation + schema per visible API.
            assert_eq!(r.body["total"], 3 * seen.len(), "token {token:?}: {}", r.body);
            assert_eq!(facet(&r.body, "org"), [("met".to_string(), 3 * seen.len() as u64)]);
            let kinds: u64 = facet(&r.body, "kind").iter().map(|(_, n)| n).sum();
            assert_eq!(kinds, 3 * seen.len() as u64);
            // Neither titles nor snippets of hidden entries come along with visible ones.
            let shows_secret = r.bytes.windows(7).any(|w| w.eq_ignore_ascii_case(b"zorblax"));
            assert_eq!(shows_secret, seen.contains(&"met-secret"), "token {token:?}: {}", r.body);
            // The hidden-only term: nothing at all, not even a facet or a near match.
            for q in ["zorblax", "zorblaks", "%22zorblax+custody%22", "summary:zorblax"] {
                let r = search(&app, token, &format!("q={q}")).await;
                let expected = if seen.contains(&"met-secret") { 1 } else { 0 };
                assert_eq!(r.body["total"], expected, "token {token:?} q {q}: {}", r.body);
                assert_eq!(r.body["hits"].as_array().unwrap().len(), expected as usize);
                if expected == 0 {
                    assert!(r.body["facets"].as_object().unwrap().values().all(|v| v.as_array().unwrap().is_empty()), "{}", r.body);
                }
            }
            // Suggestions complete only what the caller may see.
            let r = send(&app, with_token(TestRequest::get().uri("/api/v1/search/suggest?q=get+a+zorb"), token)).await;
            let texts: Vec<&str> = r.body["suggestions"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap()).collect();
            if seen.contains(&"met-secret") {
                assert_eq!(texts, ["Get a zorblax custody record"], "token {token:?}");
            } else {
                assert!(texts.is_empty(), "token {token:?}: {texts:?}");
            }
            // Filters cannot be used to probe for hidden entries either.
            let r = search(&app, token, "q=&lifecycle=active").await;
            assert_eq!(r.body["total"], 3 * seen.len(), "token {token:?}");
        }
    }
}

on_both_backends! {
    async fn the_index_follows_every_write(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "met", "force").await;
        let met = t.token("alice", Some("met"), &["publisher"]);
        assert_eq!(create_api(&app, &met, "custody", "met", "public").await.status, 201);
        // The API is searchable before it has a version.
        let r = search(&app, None, "q=custody&kind=api").await;
        assert_eq!(r.body["total"], 1, "{}", r.body);
        assert_eq!(facet(&r.body, "format"), [("none".to_string(), 1)]);
        assert_eq!(publish_version(&app, &met, "custody", None, CUSTODY_V1).await.status, 201);
        let r = search(&app, None, "q=get+custody+record&kind=operation").await;
        assert_eq!(titles(&r.body), ["Get a custody record"]);
        // A new version replaces the old one's operations (1.1.0 drops the summary).
        assert_eq!(publish_version(&app, &met, "custody", None, CUSTODY_V1_1).await.status, 201);
        let r = search(&app, None, "q=custody+records&kind=operation").await;
        let mut got = titles(&r.body);
        got.sort();
        assert_eq!(got, ["List custody records", "getCustodyRecord"], "{}", r.body);
        assert!(r.body["hits"].as_array().unwrap().iter().all(|h| h["version"] == "1.1.0"));
        // Metadata changes show at once: lifecycle, tags, visibility.
        let r = send(&app, TestRequest::patch().uri("/api/v1/apis/custody").insert_header(bearer(&met))
            .set_json(json!({"lifecycle": "deprecated", "tags": ["detention"]}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = search(&app, None, "q=custody&lifecycle=deprecated&tag=detention").await;
        assert_eq!(r.body["total"], 3, "{}", r.body);
        let r = search(&app, None, "q=detention&kind=api").await;
        assert_eq!(r.body["total"], 1, "tags are searchable text too");
        // The same request before and after a write: the cached answer does not outlive the write.
        assert_eq!(search(&app, None, "q=custody").await.body["total"], 3);
        assert_eq!(search(&app, None, "q=custody").await.body["total"], 3);
        let r = send(&app, TestRequest::patch().uri("/api/v1/apis/custody").insert_header(bearer(&met))
            .set_json(json!({"visibility": "restricted"}))).await;
        assert_eq!(r.status, 200);
        assert_eq!(search(&app, None, "q=custody").await.body["total"], 0);
        assert_eq!(search(&app, Some(&met), "q=custody").await.body["total"], 3);
        // The organisation's kind is on every document of its APIs.
        let r = send(&app, TestRequest::patch().uri("/api/v1/organisations/met").insert_header(bearer(&admin))
            .set_json(json!({"kind": "national_body"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = search(&app, Some(&admin), "q=custody&org_kind=national_body").await;
        assert_eq!(r.body["total"], 3, "{}", r.body);
    }
}

on_both_backends! {
    async fn bad_queries_are_400s_that_say_what_is_wrong(t: TestApp) {
        let app = t.service().await;
        let cases = [
            ("q=%22unclosed", "query_syntax", "never closed"),
            ("q=colour:red", "query_syntax", "unknown field 'colour'"),
            ("q=a+-", "query_syntax", "must be followed"),
            ("q=x&kind=endpoint", "invalid_query", "kind"),
            ("q=x&limit=0", "invalid_query", "limit"),
            ("q=x&limit=101", "invalid_query", "limit"),
            ("q=x&limit=ten", "invalid_query", "limit"),
            ("q=x&offset=-1", "invalid_query", "offset"),
            ("q=x&offset=10001", "invalid_query", "offset"),
            ("q=x&format=raml", "invalid_format", "format"),
            ("q=x&lifecycle=zombie", "invalid_lifecycle", "zombie"),
        ];
        for (query, code, words) in cases {
            let r = search(&app, None, query).await;
            let body = assert_problem(&r, 400, code);
            assert!(body["detail"].as_str().unwrap().contains(words), "{query}: {body}");
        }
        let r = search(&app, None, &format!("q={}", "x".repeat(501))).await;
        assert_problem(&r, 400, "query_syntax");
        let r = search(&app, None, "q=%22unclosed").await;
        assert_eq!(r.body["column"], 1, "{}", r.body);
    }
}

on_both_backends! {
    async fn pages_and_an_empty_query(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "met", "force").await;
        let met = t.token("alice", Some("met"), &["publisher"]);
        assert_eq!(create_api(&app, &met, "crime-refs", "met", "public").await.status, 201);
        assert_eq!(publish_version(&app, &met, "crime-refs", None, CRIME_V1).await.status, 201);
        let all = search(&app, None, "limit=100").await;
        assert_eq!(all.body["total"], 4, "an empty query lists everything visible: {}", all.body);
        let mut seen = Vec::new();
        for offset in 0..4 {
            let r = search(&app, None, &format!("q=&limit=1&offset={offset}")).await;
            assert_eq!(r.body["total"], 4);
            seen.push(r.body["hits"][0]["title"].as_str().unwrap().to_string());
        }
        seen.sort();
        assert_eq!(seen, ["API crime-refs", "CrimeRecord", "Fetch one crime", "Take a fine payment"]);
        let r = search(&app, None, "q=crime&offset=50").await;
        assert_eq!(r.body["hits"], json!([]));
        assert_eq!(r.body["total"], 4);
    }
}

on_both_backends! {
    async fn a_crash_before_the_index_commit_is_repaired_at_start(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "met", "force").await;
        let met = t.token("alice", Some("met"), &["publisher"]);
        assert_eq!(create_api(&app, &met, "custody", "met", "public").await.status, 201);
        // An index of its own, current with the store, in a process that is about to die.
        let dir = tempfile::tempdir().unwrap();
        let store = &t.state.catalogue.store;
        let dying = Search::open(dir.path(), WriterBudget::SERVE).unwrap().with_settle(Duration::ZERO);
        assert!(dying.needs_rebuild(), "a new index is empty");
        assert_eq!(dying.rebuild(store, &|_, _| {}).unwrap().apis, 1);
        // A publish whose process dies after the database commit, before the index commit.
        let who = Principal::User(pac::auth::User {
            sub: "alice".into(),
            org: Some(pac::domain::Slug::parse("org", "met").unwrap()),
            roles: vec![pac::domain::Role::Publisher],
        });
        let desc = pac_spec::load_bytes("openapi.yaml", CUSTODY_V1.as_bytes(), &Default::default()).unwrap();
        let label = pac::domain::VersionLabel::parse("1.0.0").unwrap();
        store.write(|c| pac::usecase::publish::publish_description(c, &who, "custody", &label, &desc, pac::usecase::publish::Compare::Yes)).unwrap();
        let request = SearchRequest { q: Some("custody".into()), limit: 10, ..Default::default() };
        let public = Visible::for_principal(&Principal::Anonymous);
        assert_eq!(dying.search(&request, &public).unwrap().total, 1, "only the API so far");
        drop(dying);

        // The next start opens the same index and catches up from its watermark.
        let restarted = Search::open(dir.path(), WriterBudget::SERVE).unwrap().with_settle(Duration::ZERO);
        assert!(!restarted.needs_rebuild());
        assert_eq!(restarted.search(&request, &public).unwrap().total, 1, "nothing changed by opening");
        let done = restarted.catch_up(store).unwrap();
        assert_eq!(done.apis, 1, "{done:?}");
        assert_eq!(restarted.search(&request, &public).unwrap().total, 3);
        // The watermark is persisted with the commit: a later start has nothing to do.
        let watermark = restarted.watermark().unwrap();
        assert!(watermark > 0);
        drop(restarted);
        let again = Search::open(dir.path(), WriterBudget::SERVE).unwrap().with_settle(Duration::ZERO);
        assert_eq!(again.watermark().unwrap(), watermark);
        assert_eq!(again.catch_up(store).unwrap().apis, 0);
        // A rebuild from the store gives the same answer.
        let rebuilt = again.rebuild(store, &|_, _| {}).unwrap();
        assert_eq!(rebuilt.apis, 1);
        assert_eq!(rebuilt.documents, 3);
        assert_eq!(again.search(&request, &public).unwrap().total, 3);
        // A second process on the same index reads it, and sees what the writer commits.
        let reader = Search::open(dir.path(), WriterBudget::SERVE).unwrap();
        assert!(!reader.is_writable());
        assert_eq!(reader.search(&request, &public).unwrap().total, 3);
        let changes = pac::store::apis::ApiChanges { lifecycle: Some(pac::domain::Lifecycle::Deprecated), ..Default::default() };
        store.write(|c| {
            let current = pac::store::apis::get_visible(c, &Visible::All, "custody")?;
            pac::store::apis::update(c, &who, current, changes)
        }).unwrap();
        assert_eq!(again.catch_up(store).unwrap().apis, 1);
        let deprecated = SearchRequest { lifecycle: Some("deprecated".into()), ..request.clone() };
        assert_eq!(reader.search(&deprecated, &public).unwrap().total, 0, "not reloaded yet");
        assert_eq!(reader.catch_up(store).unwrap_err().code(), "unavailable");
        assert_eq!(reader.search(&deprecated, &public).unwrap().total, 3, "reloaded by its catch-up");
        // When the writer goes away, the reader takes over.
        drop(again);
        assert!(reader.is_writable());
        assert_eq!(reader.catch_up(store).unwrap().apis, 0);
        // A word too long to be indexed (a hash) matches nothing, rather than being dropped.
        let hash = SearchRequest { q: Some("a".repeat(64)), ..request.clone() };
        assert_eq!(reader.search(&hash, &public).unwrap().total, 0);
        let hash = SearchRequest { q: Some(format!("custody +{}", "b".repeat(64))), ..request.clone() };
        assert_eq!(reader.search(&hash, &public).unwrap().total, 0);
    }
}

#[test]
fn search_and_reindex_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("apis/crimebook/1.0.0");
    std::fs::create_dir_all(&layout).unwrap();
    std::fs::write(layout.join("openapi.yaml"), CRIME_V1).unwrap();
    let data = dir.path().join("data");
    let pac = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_pac"))
            .arg("--data-dir")
            .arg(&data)
            .args(["--log", "warn"])
            .args(args)
            .output()
            .unwrap()
    };
    let out = pac(&["import", dir.path().join("apis").to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The import indexed what it stored: no server was holding the index.
    let out = pac(&["search", "crimeReference", "--kind", "operation"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("Fetch one crime")
            && stdout.contains("GET /crime-references/{crimeReferenceId}"),
        "{stdout}"
    );
    let out = pac(&["search", "payment", "--format", "json"]);
    let body: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        body["hits"][0]["operation"]["operation_id"], "createPayment",
        "{body}"
    );
    let out = pac(&["search", "zzzqqqxxx"]);
    assert_eq!(out.status.code(), Some(1), "no hits");
    let out = pac(&["search", "\"unclosed"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("query_syntax"));
    let out = pac(&["search", "crime", "--limit", "0"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Deleting the index loses nothing: reindex rebuilds it from the store.
    std::fs::remove_dir_all(data.join("index")).unwrap();
    let out = pac(&["reindex"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("indexed 1 APIs as 4 documents"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = pac(&["search", "crimeReference"]);
    assert_eq!(out.status.code(), Some(0));
    let help = pac(&["serve", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("PAC_SEARCH_CACHE") && help.contains("PAC_INDEX_DIR"),
        "{help}"
    );
}
