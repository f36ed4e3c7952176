//! The web catalogue's pages for finding things: home and search, an API's page, organisations,
//! systems and the standard; error pages; the security headers of every page; and the same
//! visibility as the JSON API (a hidden thing is a 404 page and never counted, linked or
//! suggested).

use actix_web::test::TestRequest;
use serde_json::json;

use crate::CUSTODY_V1;
use crate::catalogue::{create_api, create_org};
use crate::support::*;

fn html(r: &Reply) -> &str {
    assert!(
        r.content_type.starts_with("text/html"),
        "{} is not a page: {}",
        r.content_type,
        r.body
    );
    r.body.as_str().expect("a page")
}

async fn page<S, B>(app: &S, uri: &str, token: Option<&str>) -> Reply
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let mut req = TestRequest::get().uri(uri);
    if let Some(t) = token {
        req = req.insert_header(bearer(t));
    }
    send(app, req).await
}

on_both_backends! {
    async fn pages_show_what_the_visitor_may_see_and_nothing_else(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        create_org(&app, &admin, "met", "force").await;
        let met = t.token("alice", Some("met"), &["publisher"]);
        for (slug, vis) in [("custody", "public"), ("met-secret", "restricted")] {
            assert_eq!(create_api(&app, &met, slug, "met", vis).await.status, 201);
            let r = publish_version(&app, &met, slug, None, CUSTODY_V1).await;
            assert_eq!(r.status, 201, "{}", r.body);
        }
        let r = send(&app, TestRequest::post().uri("/api/v1/systems").insert_header(bearer(&met))
            .set_json(json!({"slug": "met-custody", "name": "Met custody system", "owner": "met"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, TestRequest::patch().uri("/api/v1/apis/custody").insert_header(bearer(&met))
            .set_json(json!({"system": "met-custody", "lifecycle": "deprecated",
                             "description": "Custody records. <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);

        // Anonymous: the public API everywhere, the restricted one nowhere.
        let r = page(&app, "/search?q=custody", None).await;
        assert_eq!(r.status, 200);
        let body = html(&r);
        assert!(body.contains("Get a custody record"), "{body}");
        assert!(!body.contains("met-secret"));
        assert!(body.contains(r#"href="/apis/custody/versions/1.0.0/operations/getCustodyRecord""#), "hits link to pages: {body}");
        // Facets are links that keep the query.
        assert!(body.contains(r#"href="/search?q=custody&amp;kind=operation""#), "{body}");
        let r = page(&app, "/apis/met-secret", None).await;
        assert_eq!(r.status, 404);
        assert!(html(&r).contains("Page not found"));
        let r = page(&app, "/search/suggest?q=cust", None).await;
        assert_eq!(r.status, 200);
        let texts: Vec<&str> = r.body["suggestions"].as_array().unwrap().iter().map(|s| s["api"].as_str().unwrap()).collect();
        assert!(texts.contains(&"custody") && !texts.contains(&"met-secret"), "{texts:?}");

        // The API's page: owner, system, lifecycle first, sanitised description, operations.
        let r = page(&app, "/apis/custody", None).await;
        assert_eq!(r.status, 200);
        let body = html(&r);
        assert!(body.contains("This API is deprecated"), "{body}");
        assert!(body.contains(r#"href="/organisations/met""#) && body.contains(r#"href="/systems/met-custody""#));
        assert!(body.contains(r#"href="/apis/custody/versions/1.0.0/operations/getCustodyRecord""#));
        assert!(!body.contains("<script>alert") && !body.contains("javascript:") && !body.contains("onerror"), "{body}");
        assert!(body.contains("Custody records."));

        // The organisation counts only what the visitor may see; its owner sees both.
        let r = page(&app, "/organisations/met", None).await;
        let body = html(&r);
        assert!(body.contains(r#"href="/apis/custody""#) && !body.contains("met-secret"), "{body}");
        let r = page(&app, "/organisations/met", Some(&met)).await;
        assert!(html(&r).contains(r#"href="/apis/met-secret""#));
        let r = page(&app, "/apis/met-secret", Some(&met)).await;
        assert_eq!(r.status, 200);
        let r = page(&app, "/search?q=custody", Some(&met)).await;
        assert!(html(&r).contains("met-secret"));

        // The system's page.
        let r = page(&app, "/systems/met-custody", None).await;
        assert_eq!(r.status, 200);
        assert!(html(&r).contains(r#"href="/apis/custody""#));
        assert_eq!(page(&app, "/systems/no-such-system", None).await.status, 404);
    }
}

#[actix_web::test]
async fn every_page_carries_the_security_headers_and_errors_are_pages() {
    let t = TestApp::new(Backend::Sqlite).unwrap();
    let app = t.service().await;
    for uri in [
        "/",
        "/search?q=x",
        "/standard",
        "/no-such-page",
        "/apis/nothing",
    ] {
        let res =
            actix_web::test::call_service(&app, TestRequest::get().uri(uri).to_request()).await;
        let csp = res
            .headers()
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            csp.contains("default-src 'none'")
                && csp.contains("script-src 'self'")
                && !csp.contains("unsafe"),
            "{uri}: {csp}"
        );
        assert_eq!(
            res.headers().get("x-content-type-options").unwrap(),
            "nosniff"
        );
        assert_eq!(res.headers().get("x-frame-options").unwrap(), "DENY");
    }
    // A bad query is a 400 page naming what is wrong, with the search box to correct it.
    let r = page(&app, "/search?q=custody&page=0", None).await;
    assert_eq!(r.status, 400);
    let body = html(&r);
    assert!(body.contains("page must be between 1 and"), "{body}");
    assert!(body.contains("govuk-error-summary"));
    let r = page(&app, "/organisations/nobody?page=two", None).await;
    assert_eq!(r.status, 400);
    assert!(html(&r).contains("page"));
    // Unknown JSON API routes stay problem+json.
    let r = page(&app, "/api/v1/no-such-thing", None).await;
    assert_problem(&r, 404, "not_found");
    // A bad bearer token is refused, not taken as anonymous.
    let r = page(&app, "/", Some("not-a-token")).await;
    assert_eq!(r.status, 401);
    assert!(html(&r).contains("sign in"));
}

#[actix_web::test]
async fn the_standard_page_lists_every_rule_with_why_and_how_to_fix() {
    let t = TestApp::new(Backend::Sqlite).unwrap();
    let app = t.service().await;
    let r = page(&app, "/standard", None).await;
    assert_eq!(r.status, 200);
    let body = html(&r);
    let rules = pac_lint::ruleset::describe(&t.state.catalogue.standard);
    let rules = rules["rules"].as_array().unwrap();
    assert!(rules.len() > 10);
    for rule in rules {
        let name = rule["name"].as_str().unwrap();
        assert!(
            body.contains(&format!(r#"id="rule-{name}""#)),
            "{name} is missing"
        );
    }
    assert_eq!(
        body.matches("How to fix").count(),
        rules
            .iter()
            .filter(|r| r["fix"].as_str().is_some_and(|f| !f.is_empty()))
            .count()
    );
    assert!(body.contains(">MUST<") && body.contains(">SHOULD<"));
}

#[actix_web::test]
async fn assets_are_served_with_long_caching_and_pages_name_them_by_content() {
    let t = TestApp::new(Backend::Sqlite).unwrap();
    let app = t.service().await;
    let r = page(&app, "/", None).await;
    let body = html(&r).to_owned();
    let css = body
        .split("href=\"")
        .find(|s| s.starts_with("/static/catalogue.css?v="))
        .unwrap();
    let css = &css[..css.find('"').unwrap()];
    let res = actix_web::test::call_service(&app, TestRequest::get().uri(css).to_request()).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()
            .get("cache-control")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(
        res.headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let bytes = actix_web::test::read_body(res).await;
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains(".govuk-header")
            && !text.contains("GDS Transport")
            && !text.contains("@font-face")
    );
    assert_eq!(page(&app, "/static/nothing.js", None).await.status, 404);
}
