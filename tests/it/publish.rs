//! Publishing versions: every version kept byte for byte, immutable, with what was derived from it;
//! and bad descriptions rejected with a precise 4xx that changes nothing.

use std::io::Write;

use actix_web::test::TestRequest;
use serde_json::json;

use crate::catalogue::{create_api, create_org};
use crate::support::*;
use crate::{CUSTODY_V1, CUSTODY_V1_1};

on_both_backends! {
    async fn versions_are_kept_byte_for_byte_and_immutable(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "met", "force").await;
        let met = t.token("alice", Some("met"), &["publisher"]);
        assert_eq!(create_api(&app, &met, "custody", "met", "public").await.status, 201);

        let r = send(&app, publish(&met, "custody", "", "application/yaml", CUSTODY_V1)).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["status"], "created");
        assert_eq!(r.body["version"], "1.0.0");
        assert_eq!(r.body["spec_format"], "openapi-3.0");
        assert_eq!(r.body["operation_count"], 1);
        assert_eq!(r.body["schema_count"], 1);
        let sha = r.body["content_sha256"].as_str().unwrap().to_string();
        assert_eq!(sha.len(), 64);

        // Same content again: unchanged, nothing new stored.
        let r = send(&app, publish(&met, "custody", "", "application/yaml", CUSTODY_V1)).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.body["status"], "unchanged");
        // Other content under the same label: conflict, and the stored version is untouched.
        let r = send(&app, publish(&met, "custody", "?version=1.0.0", "application/json", CUSTODY_V1_1)).await;
        assert!(assert_problem(&r, 409, "version_conflict")["detail"].as_str().unwrap().contains("immutable"));
        let r = send(&app, TestRequest::get().uri("/api/v1/apis/custody/versions/1.0.0/original")).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.bytes, CUSTODY_V1.as_bytes(), "original bytes are returned exactly");
        assert!(r.content_type.starts_with("application/yaml"));

        let r = send(&app, publish(&met, "custody", "", "application/json", CUSTODY_V1_1)).await;
        assert_eq!(r.status, 201, "{}", r.body);
        // A fix to an older line is kept, but does not become the latest.
        let r = send(&app, publish(&met, "custody", "?version=1.0.1", "application/yaml", CUSTODY_V1.replace("Custody records", "Custody records (fixed)"))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, TestRequest::get().uri("/api/v1/apis/custody/versions")).await;
        assert_eq!(r.body["total"], 3);
        assert_eq!(r.body["items"][0]["version"], "1.0.1", "most recently published first");
        let r = send(&app, TestRequest::get().uri("/api/v1/apis/custody")).await;
        assert_eq!(r.body["latest_version"], "1.1.0");
        assert_eq!(r.body["link_only"], false);
        let r = send(&app, TestRequest::get().uri("/api/v1/apis/custody/versions/latest")).await;
        assert_eq!(r.body["version"], "1.1.0");
        assert_eq!(r.body["files"][0]["path"], "openapi.json");

        let r = send(&app, TestRequest::get().uri("/api/v1/apis/custody/versions/1.1.0/operations")).await;
        assert_eq!(r.body["total"], 2);
        let ids: Vec<&str> = r.body["items"].as_array().unwrap().iter().map(|o| o["operation_id"].as_str().unwrap()).collect();
        assert!(ids.contains(&"listCustodyRecords"));
        let r = send(&app, TestRequest::get().uri("/api/v1/apis/custody/versions/1.0.0/operations")).await;
        let op = &r.body["items"][0];
        assert_eq!(op["parameters"], json!([{ "name": "recordId", "in": "path", "required": true }]));
        assert_eq!(op["response_media_types"], json!(["application/json"]));
        assert_eq!(op["request_media_types"], json!([]));
        let r = send(&app, TestRequest::get().uri("/api/v1/apis/custody/versions/1.0.0/schemas")).await;
        assert_eq!(r.body["items"][0]["name"], "CustodyRecord");
        assert_eq!(
            r.body["items"][0]["properties"],
            json!([{"name": "id", "description": null}, {"name": "arrestedAt", "description": null}])
        );
        let r = send(&app, TestRequest::get().uri("/api/v1/apis/custody/versions/1.0.0/normalised")).await;
        assert_eq!(r.status, 200);
        assert!(r.body["paths"]["/custody-records/{recordId}"]["get"].is_object());
        assert_problem(&send(&app, TestRequest::get().uri("/api/v1/apis/custody/versions/7.0.0")).await, 404, "not_found");

        // Every write is audited, with the content hash of what was stored.
        let r = send(&app, TestRequest::get().uri("/api/v1/audit?action=version.publish").insert_header(bearer(&admin))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["total"], 3);
        assert_eq!(r.body["items"][2]["content_sha256"], sha.as_str());
        assert_eq!(r.body["items"][2]["actor"], "alice");
        assert_eq!(r.body["items"][2]["target"], "custody@1.0.0");
        let r = send(&app, TestRequest::get().uri("/api/v1/audit?target=custody").insert_header(bearer(&admin))).await;
        let actions: Vec<&str> = r.body["items"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["api.create"]);
        let r = send(&app, TestRequest::get().uri("/api/v1/audit?action=organisation.create").insert_header(bearer(&admin))).await;
        assert_eq!(r.body["items"][0]["target"], "met");
        assert_eq!(r.body["items"][0]["actor"], "root");
        assert_problem(&send(&app, TestRequest::get().uri("/api/v1/audit").insert_header(bearer(&met))).await, 403, "forbidden");
        assert_problem(&send(&app, TestRequest::get().uri("/api/v1/audit")).await, 401, "unauthenticated");
    }
}

on_both_backends! {
    async fn a_zip_bundle_with_relative_refs_is_one_version(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "met", "force").await;
        let met = t.token("alice", Some("met"), &["publisher"]);
        create_api(&app, &met, "bundle", "met", "public").await;
        let root = "openapi: 3.0.3\ninfo: {title: Bundle, version: 2.0.0}\npaths:\n  /people:\n    get:\n      operationId: listPeople\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'schemas/person.yaml#/Person'}\n";
        let person = "Person:\n  type: object\n  properties:\n    name: {type: string}\n";
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default();
            zip.start_file("openapi.yaml", opts).unwrap();
            zip.write_all(root.as_bytes()).unwrap();
            zip.start_file("schemas/person.yaml", opts).unwrap();
            zip.write_all(person.as_bytes()).unwrap();
            zip.finish().unwrap();
        }
        let r = send(&app, publish(&met, "bundle", "", "application/zip", buf.into_inner())).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, TestRequest::get().uri("/api/v1/apis/bundle/versions/2.0.0")).await;
        let paths: Vec<&str> = r.body["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
        assert_eq!(paths, ["openapi.yaml", "schemas/person.yaml"]);
        let r = send(&app, TestRequest::get().uri("/api/v1/apis/bundle/versions/2.0.0/original?path=schemas/person.yaml")).await;
        assert_eq!(r.bytes, person.as_bytes());
        let r = send(&app, TestRequest::get().uri("/api/v1/apis/bundle/versions/2.0.0/schemas")).await;
        assert!(r.body["items"].as_array().unwrap().iter().any(|s| s["name"] == "Person"), "{}", r.body);
    }
}

/// Each bad description, the status and code it must get.
fn bad_descriptions() -> Vec<(&'static str, Vec<u8>, u16, &'static str)> {
    let mut deep = String::from(
        "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"t\",\"version\":\"1\"},\"paths\":{},\"x\":",
    );
    deep.push_str(&"[".repeat(10_000));
    deep.push_str(&"]".repeat(10_000));
    deep.push('}');
    let bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\nopenapi: 3.0.3\n";
    let cycle = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n";
    vec![
        (
            "not YAML or JSON",
            b"openapi: 3.0.3\ninfo: [unclosed\n  title: x: y: z\n".to_vec(),
            422,
            "spec_syntax",
        ),
        (
            "a YAML alias bomb",
            bomb.as_bytes().to_vec(),
            422,
            "spec_alias_limit",
        ),
        ("deep nesting", deep.into_bytes(), 422, "spec_too_deep"),
        (
            "control characters",
            b"openapi: 3.0.3\ninfo:\n  title: \"bad \x01 title\"\n  version: '1'\npaths: {}\n"
                .to_vec(),
            422,
            "spec_encoding",
        ),
        (
            "not UTF-8",
            b"openapi: 3.0.3\ninfo: {title: \xff\xfe, version: '1'}\npaths: {}\n".to_vec(),
            422,
            "spec_encoding",
        ),
        (
            "not an OpenAPI document",
            b"name: my shopping list\nitems: [eggs, milk]\n".to_vec(),
            422,
            "spec_not_openapi",
        ),
        (
            "an unsupported version",
            b"swagger: '1.2'\ninfo: {title: t, version: '1'}\n".to_vec(),
            422,
            "spec_unsupported_version",
        ),
        (
            "wrong types",
            b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: 3\n".to_vec(),
            422,
            "spec_invalid",
        ),
        (
            "a $ref cycle",
            cycle.as_bytes().to_vec(),
            422,
            "spec_ref_cycle",
        ),
    ]
}

on_both_backends! {
    async fn bad_descriptions_are_rejected_and_change_nothing(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "met", "force").await;
        let met = t.token("alice", Some("met"), &["publisher"]);
        create_api(&app, &met, "custody", "met", "public").await;
        assert_eq!(send(&app, publish(&met, "custody", "", "application/yaml", CUSTODY_V1)).await.status, 201);
        for (what, body, status, code) in bad_descriptions() {
            let r = send(&app, publish(&met, "custody", "?version=2.0.0", "application/yaml", body)).await;
            assert_eq!(r.status.as_u16(), status, "{what}: {}", r.body);
            let problem = assert_problem(&r, status, code);
            assert!(!problem["detail"].as_str().unwrap().is_empty(), "{what}");
        }
        // Numbers beyond f64 are either read or refused with a 4xx, never a 500.
        for huge in ["1e400", "99999999999999999999999999999999"] {
            let body = format!("{{\"openapi\":\"3.0.3\",\"info\":{{\"title\":\"t\",\"version\":\"1\"}},\"paths\":{{}},\"x-n\":{huge}}}");
            let r = send(&app, publish(&met, "custody", "?version=3.0.0", "application/json", body)).await;
            assert!(r.status.is_success() || r.status.is_client_error(), "{huge}: {}", r.status);
            if r.status.is_client_error() {
                assert!(r.content_type.starts_with("application/problem+json"));
            } else {
                // It was stored: remove the label from the way of the next iteration.
                assert_eq!(r.status, 201);
                break;
            }
        }
        let r = send(&app, publish(&met, "custody", "?version=../../etc", "application/yaml", CUSTODY_V1)).await;
        assert_problem(&r, 400, "invalid_version");
        // Text from a document that PostgreSQL cannot hold as text (NUL) is stored cleaned; the original stays exact.
        let nul = "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"Nul\\u0000Title\",\"version\":\"1\"},\"paths\":{}}";
        let r = send(&app, publish(&met, "custody", "?version=0.0.1", "application/json", nul)).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["title"], "Nul\u{FFFD}Title");
        let r = send(&app, TestRequest::get().uri("/api/v1/apis/custody/versions/0.0.1/original")).await;
        assert_eq!(r.bytes, nul.as_bytes());
        let r = send(&app, publish(&met, "custody", "?version=4.0.0", "application/yaml", "")).await;
        assert_problem(&r, 400, "empty_body");
        let r = send(&app, publish(&met, "custody", "?version=4.0.0", "multipart/form-data; boundary=x", "--x--")).await;
        assert_problem(&r, 415, "unsupported_media_type");

        let r = send(&app, TestRequest::get().uri("/api/v1/apis/custody/versions")).await;
        let labels: Vec<&str> = r.body["items"].as_array().unwrap().iter().map(|v| v["version"].as_str().unwrap()).collect();
        assert!(labels.contains(&"1.0.0"));
        assert!(!labels.contains(&"2.0.0"), "no rejected description was stored");
        let r = send(&app, TestRequest::get().uri("/api/v1/apis/custody/versions/1.0.0/original")).await;
        assert_eq!(r.bytes, CUSTODY_V1.as_bytes());
    }
}

on_both_backends! {
    async fn remote_refs_are_noted_never_fetched(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "met", "force").await;
        let met = t.token("alice", Some("met"), &["publisher"]);
        create_api(&app, &met, "remote", "met", "public").await;
        let doc = "openapi: 3.0.3\ninfo: {title: Remote, version: 1.0.0}\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'https://198.51.100.7/schemas.yaml#/Thing'}\n";
        let r = send(&app, publish(&met, "remote", "", "application/yaml", doc)).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let notes = r.body["notes"].as_array().unwrap();
        assert!(notes.iter().any(|n| n["code"] == "ref_remote"), "{notes:?}");
    }
}

#[actix_web::test]
async fn oversize_bodies_get_413() {
    let limits = pac_spec::Limits {
        max_document_bytes: 4096,
        ..Default::default()
    };
    let t = TestApp::with_limits(Backend::Sqlite, limits).unwrap();
    let app = t.service().await;
    let admin = t.admin();
    create_org(&app, &admin, "met", "force").await;
    create_api(&app, &admin, "big", "met", "public").await;
    let mut body = String::from(CUSTODY_V1);
    body.push_str(&format!("x-padding: \"{}\"\n", "a".repeat(8192)));
    let r = send(&app, publish(&admin, "big", "", "application/yaml", body)).await;
    assert_problem(&r, 413, "payload_too_large");
    let r = send(&app, TestRequest::get().uri("/api/v1/apis/big/versions")).await;
    assert_eq!(r.body["total"], 0);
}

on_both_backends! {
    async fn concurrent_publishes_to_one_api_do_not_collide(t: TestApp) {
        // Built from an owned handle (not borrowed from `t`) so that tasks can hold it.
        let app = std::rc::Rc::new(actix_web::test::init_service(pac::create_app(t.state.clone())).await);
        let admin = t.admin();
        create_org(&*app, &admin, "met", "force").await;
        let met = t.token("alice", Some("met"), &["publisher"]);
        create_api(&*app, &met, "busy", "met", "public").await;
        // The same content twice at once: one is stored, the other finds it (never a 409 or a 500).
        let same: Vec<_> = (0..2)
            .map(|_| {
                let (app, met) = (app.clone(), met.clone());
                actix_web::rt::spawn(async move {
                    send(&*app, publish(&met, "busy", "?version=1.0.0", "application/yaml", CUSTODY_V1)).await.status.as_u16()
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for h in same {
            statuses.push(h.await.unwrap());
        }
        statuses.sort();
        assert_eq!(statuses, [200, 201]);
        // Several versions at once: all stored, each with its own place in the order.
        let many: Vec<_> = (2..7)
            .map(|n| {
                let (app, met) = (app.clone(), met.clone());
                actix_web::rt::spawn(async move {
                    let body = CUSTODY_V1.replace("version: 1.0.0", &format!("version: {n}.0.0"));
                    send(&*app, publish(&met, "busy", "", "application/yaml", body)).await.status.as_u16()
                })
            })
            .collect();
        for h in many {
            assert_eq!(h.await.unwrap(), 201);
        }
        let r = send(&*app, TestRequest::get().uri("/api/v1/apis/busy/versions?limit=10")).await;
        let mut seqs: Vec<i64> = r.body["items"].as_array().unwrap().iter().map(|v| v["seq"].as_i64().unwrap()).collect();
        seqs.sort();
        assert_eq!(seqs, [1, 2, 3, 4, 5, 6]);
        let r = send(&*app, TestRequest::get().uri("/api/v1/apis/busy")).await;
        assert_eq!(r.body["latest_version"], "6.0.0");
    }
}
