//! Visibility: public for everyone, policing for any authenticated caller, restricted for the owner
//! and admins. Hidden entries are absent from lists and totals and answer "not found" everywhere.

use actix_web::test::TestRequest;
use serde_json::json;

use crate::CUSTODY_V1;
use crate::catalogue::{create_api, create_org};
use crate::support::*;

on_both_backends! {
    async fn hidden_apis_do_not_leak(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "met", "force").await;
        create_org(&app, &admin, "gmp", "force").await;
        let met = t.token("alice", Some("met"), &["publisher"]);
        for (slug, vis) in [("open-api", "public"), ("police-only", "policing"), ("met-secret", "restricted")] {
            assert_eq!(create_api(&app, &met, slug, "met", vis).await.status, 201);
            let r = send(
                &app,
                TestRequest::post()
                    .uri(&format!("/api/v1/apis/{slug}/versions"))
                    .insert_header(bearer(&met))
                    .insert_header(("content-type", "application/yaml"))
                    .set_payload(CUSTODY_V1),
            )
            .await;
            assert_eq!(r.status, 201, "{}", r.body);
        }
        let gmp_reader = t.token("carol", Some("gmp"), &["reader"]);
        let met_reader = t.token("dave", Some("met"), &["reader"]);
        let cases: [(Option<&str>, &[&str]); 4] = [
            (None, &["open-api"]),
            (Some(&gmp_reader), &["open-api", "police-only"]),
            (Some(&met_reader), &["met-secret", "open-api", "police-only"]),
            (Some(&admin), &["met-secret", "open-api", "police-only"]),
        ];
        for (token, expected) in cases {
            let with = |req: TestRequest| match token {
                Some(tok) => req.insert_header(bearer(tok)),
                None => req,
            };
            let r = send(&app, with(TestRequest::get().uri("/api/v1/apis?sort=name"))).await;
            let slugs: Vec<&str> = r.body["items"].as_array().unwrap().iter().map(|a| a["slug"].as_str().unwrap()).collect();
            let mut sorted = slugs.clone();
            sorted.sort();
            assert_eq!(sorted, expected, "token {token:?}");
            assert_eq!(r.body["total"], expected.len(), "total must not count hidden entries");
            for hidden in ["open-api", "police-only", "met-secret"].iter().filter(|s| !expected.contains(s)) {
                for path in ["", "/versions", "/versions/1.0.0", "/versions/latest/original", "/versions/1.0.0/operations", "/versions/1.0.0/schemas", "/versions/1.0.0/normalised"] {
                    let r = send(&app, with(TestRequest::get().uri(&format!("/api/v1/apis/{hidden}{path}")))).await;
                    let body = assert_problem(&r, 404, "not_found");
                    assert!(!body["detail"].as_str().unwrap().contains("forbidden"));
                }
                let r = send(&app, with(TestRequest::get().uri(&format!("/api/v1/apis?q={hidden}")))).await;
                assert_eq!(r.body["total"], 0);
            }
        }
        // Metrics need no token, so they count public entries only.
        let r = send(&app, TestRequest::get().uri("/metrics")).await;
        assert!(r.body.as_str().unwrap().contains("pac_catalogue_entries{kind=\"public_apis\"} 1"));
        // Writing to an API one cannot see is "not found", not "forbidden".
        let gmp = t.token("bob", Some("gmp"), &["publisher"]);
        let r = send(
            &app,
            TestRequest::post()
                .uri("/api/v1/apis/met-secret/versions?version=9.9.9")
                .insert_header(bearer(&gmp))
                .set_payload(CUSTODY_V1),
        )
        .await;
        assert_problem(&r, 404, "not_found");
        let r = send(
            &app,
            TestRequest::patch().uri("/api/v1/apis/met-secret").insert_header(bearer(&gmp)).set_json(json!({ "name": "x" })),
        )
        .await;
        assert_problem(&r, 404, "not_found");
        // ... and on one that can be seen, forbidden.
        let r = send(
            &app,
            TestRequest::post()
                .uri("/api/v1/apis/police-only/versions?version=9.9.9")
                .insert_header(bearer(&gmp))
                .set_payload(CUSTODY_V1),
        )
        .await;
        assert_problem(&r, 403, "forbidden");
    }
}

on_both_backends! {
    async fn restricted_systems_are_hidden_too(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "met", "force").await;
        let met = t.token("alice", Some("met"), &["publisher"]);
        let r = send(
            &app,
            TestRequest::post().uri("/api/v1/systems").insert_header(bearer(&met)).set_json(json!({
                "slug": "met-intel", "name": "Intelligence system", "owner": "met", "visibility": "restricted"
            })),
        )
        .await;
        assert_eq!(r.status, 201);
        let r = send(&app, TestRequest::get().uri("/api/v1/systems")).await;
        assert_eq!(r.body["total"], 0);
        assert_problem(&send(&app, TestRequest::get().uri("/api/v1/systems/met-intel")).await, 404, "not_found");
        let r = send(&app, TestRequest::get().uri("/api/v1/systems/met-intel").insert_header(bearer(&met))).await;
        assert_eq!(r.status, 200);
        // A public API of a restricted system does not name the system to those who cannot see it.
        assert_eq!(create_api(&app, &met, "intel-feed", "met", "public").await.status, 201);
        let r = send(
            &app,
            TestRequest::patch().uri("/api/v1/apis/intel-feed").insert_header(bearer(&met)).set_json(json!({ "system": "met-intel" })),
        )
        .await;
        assert_eq!(r.body["system"], "met-intel");
        let r = send(&app, TestRequest::get().uri("/api/v1/apis/intel-feed")).await;
        assert_eq!(r.status, 200);
        assert!(r.body["system"].is_null(), "{}", r.body);
        let r = send(&app, TestRequest::get().uri("/api/v1/apis?system=met-intel")).await;
        assert_eq!(r.body["total"], 0);
        let r = send(&app, TestRequest::get().uri("/api/v1/apis?system=met-intel").insert_header(bearer(&met))).await;
        assert_eq!(r.body["total"], 1);
    }
}
