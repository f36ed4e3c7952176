//! Organisations, systems and APIs: create, read, change, list with filters, pages and order, and
//! the errors of each.

use actix_web::test::TestRequest;
use serde_json::json;

use crate::support::*;

pub async fn create_org<S, B>(app: &S, admin: &str, slug: &str, kind: &str)
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
        TestRequest::post()
            .uri("/api/v1/organisations")
            .insert_header(bearer(admin))
            .set_json(json!({ "slug": slug, "name": format!("Org {slug}"), "kind": kind })),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
}

pub async fn create_api<S, B>(
    app: &S,
    token: &str,
    slug: &str,
    owner: &str,
    visibility: &str,
) -> Reply
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
        TestRequest::post()
            .uri("/api/v1/apis")
            .insert_header(bearer(token))
            .set_json(json!({ "slug": slug, "name": format!("API {slug}"), "owner": owner, "visibility": visibility, "tags": ["custody"] })),
    )
    .await
}

on_both_backends! {
    async fn organisations_are_created_listed_and_changed(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        for (slug, kind) in [("met", "force"), ("gmp", "force"), ("acme", "supplier")] {
            create_org(&app, &admin, slug, kind).await;
        }
        let r = send(&app, TestRequest::get().uri("/api/v1/organisations?kind=force&sort=-name&limit=1")).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.body["total"], 2);
        assert_eq!(r.body["limit"], 1);
        assert_eq!(r.body["items"][0]["slug"], "met");
        let r = send(&app, TestRequest::get().uri("/api/v1/organisations?kind=force&sort=-name&limit=1&offset=1")).await;
        assert_eq!(r.body["items"][0]["slug"], "gmp");

        let r = send(
            &app,
            TestRequest::patch()
                .uri("/api/v1/organisations/met")
                .insert_header(bearer(&admin))
                .set_json(json!({ "name": "Metropolitan Police Service", "homepage": "https://www.met.police.uk/" })),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["name"], "Metropolitan Police Service");
        let r = send(&app, TestRequest::get().uri("/api/v1/organisations/met")).await;
        assert_eq!(r.body["homepage"], "https://www.met.police.uk/");
        let r = send(&app, TestRequest::get().uri("/api/v1/organisations?q=METRO")).await;
        assert_eq!(r.body["total"], 1);
    }
}

on_both_backends! {
    async fn organisation_errors_name_the_problem(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "met", "force").await;
        let post = |body: serde_json::Value, token: Option<String>| {
            let mut req = TestRequest::post().uri("/api/v1/organisations").set_json(body);
            if let Some(t) = token {
                req = req.insert_header(bearer(&t));
            }
            req
        };
        let ok = json!({ "slug": "kent", "name": "Kent Police", "kind": "force" });
        assert_problem(&send(&app, post(ok.clone(), None)).await, 401, "unauthenticated");
        let reader = t.token("r", Some("met"), &["reader"]);
        assert_problem(&send(&app, post(ok, Some(reader))).await, 403, "forbidden");
        let r = send(&app, post(json!({ "slug": "met", "name": "again", "kind": "force" }), Some(admin.clone()))).await;
        assert_problem(&r, 409, "organisation_exists");
        let r = send(&app, post(json!({ "slug": "Not A Slug", "name": "x", "kind": "force" }), Some(admin.clone()))).await;
        let body = assert_problem(&r, 400, "invalid_slug");
        assert_eq!(body["pointer"], "/slug");
        let r = send(&app, post(json!({ "slug": "x", "name": "x", "kind": "army" }), Some(admin.clone()))).await;
        assert!(assert_problem(&r, 400, "invalid_kind")["detail"].as_str().unwrap().contains("national_body"));
        let r = send(&app, post(json!({ "slug": "x", "name": "x", "kind": "force", "description": "a\u{0}b" }), Some(admin.clone()))).await;
        assert_eq!(assert_problem(&r, 400, "invalid_field")["pointer"], "/description");
        let r = send(&app, post(json!({ "slug": "x", "nme": "x", "kind": "force" }), Some(admin.clone()))).await;
        assert!(assert_problem(&r, 400, "invalid_body")["detail"].as_str().unwrap().contains("nme"));
        let r = send(
            &app,
            TestRequest::post()
                .uri("/api/v1/organisations")
                .insert_header(bearer(&admin))
                .insert_header(("content-type", "application/json"))
                .set_payload("{\"slug\": "),
        )
        .await;
        let body = assert_problem(&r, 400, "invalid_json");
        assert_eq!(body["line"], 1);
        let r = send(&app, TestRequest::get().uri("/api/v1/organisations?limit=0")).await;
        assert_problem(&r, 400, "invalid_limit");
        let r = send(&app, TestRequest::get().uri("/api/v1/organisations?limit=ten")).await;
        assert_eq!(assert_problem(&r, 400, "invalid_query")["pointer"], "/limit");
        let r = send(&app, TestRequest::get().uri("/api/v1/organisations?sort=size")).await;
        assert_problem(&r, 400, "invalid_sort");
        assert_problem(&send(&app, TestRequest::get().uri("/api/v1/organisations/nobody")).await, 404, "not_found");
        let r = send(&app, TestRequest::get().uri("/api/v1/organisations").insert_header(("Authorization", "Bearer not-a-token"))).await;
        assert_problem(&r, 401, "unauthenticated");
    }
}

on_both_backends! {
    async fn apis_and_systems_belong_to_their_organisation(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "met", "force").await;
        create_org(&app, &admin, "gmp", "force").await;
        let met = t.token("alice", Some("met"), &["publisher"]);
        let gmp = t.token("bob", Some("gmp"), &["publisher"]);

        let r = send(
            &app,
            TestRequest::post().uri("/api/v1/systems").insert_header(bearer(&met)).set_json(json!({
                "slug": "met-custody", "name": "Custody system", "owner": "met"
            })),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(
            &app,
            TestRequest::post().uri("/api/v1/systems").insert_header(bearer(&gmp)).set_json(json!({
                "slug": "not-mine", "name": "x", "owner": "met"
            })),
        )
        .await;
        assert_problem(&r, 403, "forbidden");

        let r = create_api(&app, &met, "met-custody-api", "met", "public").await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.body["owner"], "met");
        assert_eq!(r.body["link_only"], true);
        assert_problem(&create_api(&app, &gmp, "gmp-api-for-met", "met", "public").await, 403, "forbidden");
        assert_problem(&create_api(&app, &met, "met-custody-api", "met", "public").await, 409, "api_exists");

        let r = send(
            &app,
            TestRequest::patch().uri("/api/v1/apis/met-custody-api").insert_header(bearer(&met)).set_json(json!({
                "system": "met-custody", "lifecycle": "deprecated", "tags": ["custody", "detention"],
                "documentation_url": "https://example.org/docs"
            })),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["system"], "met-custody");
        assert_eq!(r.body["tags"], json!(["custody", "detention"]));
        let r = send(
            &app,
            TestRequest::patch().uri("/api/v1/apis/met-custody-api").insert_header(bearer(&gmp)).set_json(json!({ "name": "hijacked" })),
        )
        .await;
        assert_problem(&r, 403, "forbidden");
        let r = send(
            &app,
            TestRequest::patch().uri("/api/v1/apis/met-custody-api").insert_header(bearer(&met)).set_json(json!({ "documentation_url": "javascript:alert(1)" })),
        )
        .await;
        assert_problem(&r, 400, "invalid_url");

        let r = send(&app, TestRequest::get().uri("/api/v1/apis?system=met-custody&lifecycle=deprecated&tag=detention")).await;
        assert_eq!(r.body["total"], 1, "{}", r.body);
        let r = send(&app, TestRequest::get().uri("/api/v1/apis?org=gmp")).await;
        assert_eq!(r.body["total"], 0);
        let r = send(&app, TestRequest::get().uri("/api/v1/apis?format=none")).await;
        assert_eq!(r.body["total"], 1);
        assert_problem(&send(&app, TestRequest::get().uri("/api/v1/apis?format=raml")).await, 400, "invalid_format");
        assert_problem(&send(&app, TestRequest::get().uri("/api/v1/apis?lifecycle=dead")).await, 400, "invalid_lifecycle");
    }
}
