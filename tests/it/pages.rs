//! The reference pages of the web catalogue: a version, an operation (by operationId and by
//! method and path), a named schema, and the comparison of two versions; what they link to, what
//! they hide, and what they refuse to render.

use actix_web::test::TestRequest;

use crate::catalogue::{create_api, create_org};
use crate::support::*;

/// Version 1.0.0: a recursive schema, a deprecated operation without an operationId, a bearer
/// scheme, and hostile Markdown in its description.
const V1: &str = r#"openapi: 3.0.3
info:
  title: Custody Records API
  version: 1.0.0
  description: |
    Custody records of a force. <script>alert(1)</script>
    <img src=x onerror=alert(2)> [click me](javascript:alert(3))
servers:
  - url: https://api.example.police.uk/custody/v1
security:
  - bearer: []
paths:
  /custody-records/{recordId}:
    get:
      operationId: getCustodyRecord
      summary: Get a custody record
      tags: [custody]
      parameters:
        - name: recordId
          in: path
          required: true
          description: The record's identifier.
          schema: { type: string, example: CR-1 }
      responses:
        '200':
          description: The record
          content:
            application/json:
              schema: { $ref: '#/components/schemas/CustodyRecord' }
              example: { id: CR-1, arrestedAt: '2024-01-31T12:00:00Z' }
    delete:
      summary: Delete a custody record
      tags: [custody]
      deprecated: true
      x-sunset: '2026-12-31'
      parameters:
        - name: recordId
          in: path
          required: true
          schema: { type: string }
      responses:
        '204': { description: Deleted }
  /custody-records:
    post:
      operationId: createCustodyRecord
      summary: Open a custody record
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/CustodyRecord' }
      responses:
        '201': { description: Created }
components:
  securitySchemes:
    bearer: { type: http, scheme: bearer, bearerFormat: JWT }
  schemas:
    CustodyRecord:
      type: object
      description: A person's time in custody.
      required: [id]
      properties:
        id: { type: string, maxLength: 20 }
        arrestedAt: { type: string, format: date-time }
        officer: { $ref: '#/components/schemas/Officer' }
    Officer:
      type: object
      description: An officer, who reports to another. <script>alert(4)</script>
      properties:
        name: { type: string }
        supervisor: { $ref: '#/components/schemas/Officer' }
"#;

/// Version 2.0.0 removes the delete operation and a response property: both breaking.
fn v2() -> String {
    let without_delete = {
        let start = V1.find("    delete:").unwrap();
        let end = V1.find("  /custody-records:\n").unwrap();
        format!("{}{}", &V1[..start], &V1[end..])
    };
    without_delete
        .replace("version: 1.0.0", "version: 2.0.0")
        .replace(
            "        arrestedAt: { type: string, format: date-time }\n",
            "",
        )
}

fn page(r: &Reply) -> &str {
    assert!(
        r.content_type.starts_with("text/html"),
        "content type {:?}",
        r.content_type
    );
    r.body.as_str().expect("an HTML page")
}

async fn setup<S, B>(t: &TestApp, app: &S, visibility: &str, slug: &str) -> String
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
    let met = t.token("alice", Some("met"), &["publisher"]);
    assert_eq!(
        create_api(app, &met, slug, "met", visibility).await.status,
        201
    );
    let r = publish_version(app, &met, slug, None, V1).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = publish_version(app, &met, slug, None, &v2()).await;
    assert_eq!(r.status, 201, "{}", r.body);
    met
}

async fn get<S, B>(app: &S, uri: &str, token: Option<&str>) -> Reply
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

#[actix_web::test]
async fn the_version_page_lists_operations_schemas_findings_and_changes() {
    let t = TestApp::new(Backend::Sqlite).unwrap();
    let app = t.service().await;
    setup(&t, &app, "public", "custody").await;
    let r = get(&app, "/apis/custody/versions/1.0.0", None).await;
    assert_eq!(r.status, 200);
    let html = page(&r);
    for expected in [
        "<h1 class=\"govuk-heading-l\">Custody Records API</h1>",
        r#"href="/apis/custody/versions/1.0.0/operations/getCustodyRecord""#,
        r#"href="/apis/custody/versions/1.0.0/operations/delete/custody-records/%7BrecordId%7D""#,
        r#"href="/apis/custody/versions/1.0.0/operations/createCustodyRecord""#,
        r#"href="/apis/custody/versions/1.0.0/schemas/CustodyRecord""#,
        r#"href="/apis/custody/versions/1.0.0/schemas/Officer""#,
        r#"id="findings""#,
        r#"href="/api/v1/apis/custody/versions/1.0.0/original""#,
        "https://api.example.police.uk/custody/v1",
        "HTTP bearer (JWT)",
        "OpenAPI 3.0",
        r#"<select class="govuk-select" id="version" name="version">"#,
        "This is the first version with a description.",
    ] {
        assert!(html.contains(expected), "{expected} missing from\n{html}");
    }
    // The findings name a rule of the standard, with how to fix it.
    let findings = &html[html.find(r#"id="findings""#).unwrap()..];
    assert!(findings.contains("How to fix it"), "{findings}");
    // The second version summarises its changes and links to the comparison.
    let r = get(&app, "/apis/custody/versions/latest", None).await;
    assert_eq!(r.status, 200);
    let html = page(&r);
    assert!(html.contains("Changes since version 1.0.0"), "{html}");
    assert!(
        html.contains(r#"href="/apis/custody/compare?from=1.0.0&amp;to=2.0.0""#),
        "{html}"
    );
    assert!(!html.contains("operations/delete/"), "v2 has no delete");
    // Unknown versions are 404 pages.
    let r = get(&app, "/apis/custody/versions/9.9.9", None).await;
    assert_eq!(r.status, 404);
    assert!(page(&r).contains("Page not found"));
    // The version switcher on the API page redirects.
    let r = get(&app, "/apis/custody?version=1.0.0", None).await;
    assert_eq!(r.status, 303);
}

#[actix_web::test]
async fn description_markdown_is_sanitised_on_pages() {
    let t = TestApp::new(Backend::Sqlite).unwrap();
    let app = t.service().await;
    setup(&t, &app, "public", "custody").await;
    for uri in [
        "/apis/custody/versions/1.0.0",
        "/apis/custody/versions/1.0.0/schemas/Officer",
    ] {
        let r = get(&app, uri, None).await;
        assert_eq!(r.status, 200, "{uri}");
        let html = page(&r).to_ascii_lowercase();
        assert!(html.contains("custody records of a force") || html.contains("an officer"));
        for bad in ["<script>alert", "onerror", "javascript:"] {
            assert!(!html.contains(bad), "{bad} on {uri}");
        }
    }
}

#[actix_web::test]
async fn operation_pages_resolve_by_operation_id_and_by_method_and_path() {
    let t = TestApp::new(Backend::Sqlite).unwrap();
    let app = t.service().await;
    setup(&t, &app, "public", "custody").await;
    let r = get(
        &app,
        "/apis/custody/versions/1.0.0/operations/getCustodyRecord",
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    let html = page(&r);
    for expected in [
        "pac-method--get",
        r#"<span class="pac-path">/custody-records/{recordId}</span>"#,
        "Get a custody record",
        // The parameter's row: name, in, required, type, description, example.
        r#"<span class="pac-prop">recordId</span>"#,
        "s identifier.</p>",
        "<code>CR-1</code>",
        // The response's schema is a link to its page, not expanded.
        r#"Schema: <a class="govuk-link" href="/apis/custody/versions/1.0.0/schemas/CustodyRecord">CustodyRecord</a>"#,
        "data-copy",
        "Status 200",
        "HTTP bearer (JWT)",
        // The curl example: first server, the path parameter as a placeholder, the credentials.
        "https://api.example.police.uk/custody/v1/custody-records/{recordId}",
        "Bearer $TOKEN",
    ] {
        assert!(html.contains(expected), "{expected} missing from\n{html}");
    }
    assert!(!html.contains(r#"<span class="pac-prop">arrestedAt</span>"#));

    // No operationId: named by method and path; deprecated, with its sunset.
    let r = get(
        &app,
        "/apis/custody/versions/1.0.0/operations/delete/custody-records/%7BrecordId%7D",
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    let html = page(&r);
    assert!(html.contains("This operation is deprecated"), "{html}");
    assert!(html.contains("2026-12-31"), "{html}");
    assert!(
        html.contains("curl -X &#39;DELETE&#39;") || html.contains("curl -X 'DELETE'"),
        "{html}"
    );

    // The request body's schema, by method and path too, and under `latest`.
    let r = get(
        &app,
        "/apis/custody/versions/latest/operations/post/custody-records",
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    let html = page(&r);
    assert!(html.contains("Request body"), "{html}");
    assert!(
        html.contains(r#"href="/apis/custody/versions/2.0.0/schemas/CustodyRecord""#),
        "{html}"
    );
    assert!(
        html.contains("&quot;id&quot;: &quot;string&quot;"),
        "a body skeleton: {html}"
    );

    for missing in [
        "/apis/custody/versions/1.0.0/operations/noSuchOperation",
        "/apis/custody/versions/1.0.0/operations/put/custody-records/%7BrecordId%7D",
        "/apis/custody/versions/2.0.0/operations/delete/custody-records/%7BrecordId%7D",
    ] {
        let r = get(&app, missing, None).await;
        assert_eq!(r.status, 404, "{missing}");
        assert!(page(&r).contains("Page not found"));
    }
}

#[actix_web::test]
async fn schema_pages_render_trees_with_references_as_links() {
    let t = TestApp::new(Backend::Sqlite).unwrap();
    let app = t.service().await;
    setup(&t, &app, "public", "custody").await;
    let r = get(
        &app,
        "/apis/custody/versions/1.0.0/schemas/CustodyRecord",
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    let html = page(&r);
    for expected in [
        r#"<ul class="pac-schema">"#,
        r#"<span class="pac-prop">id</span> <span class="pac-required">required</span>"#,
        "at most 20 characters",
        "string (date-time)",
        r#"<span class="pac-prop">officer</span> <span class="pac-type"><a class="govuk-link" href="/apis/custody/versions/1.0.0/schemas/Officer">Officer</a></span>"#,
        // Used by, with links to the operations.
        r#"href="/apis/custody/versions/1.0.0/operations/getCustodyRecord""#,
        r#"href="/apis/custody/versions/1.0.0/operations/createCustodyRecord""#,
    ] {
        assert!(html.contains(expected), "{expected} missing from\n{html}");
    }
    // A recursive schema links to itself and ends.
    let r = get(&app, "/apis/custody/versions/1.0.0/schemas/Officer", None).await;
    assert_eq!(r.status, 200);
    let html = page(&r);
    assert!(
        html.contains(r#"<span class="pac-prop">supervisor</span> <span class="pac-type"><a class="govuk-link" href="/apis/custody/versions/1.0.0/schemas/Officer">Officer</a>"#),
        "{html}"
    );
    assert_eq!(
        html.matches(r#"<span class="pac-prop">supervisor</span>"#)
            .count(),
        1
    );
    assert!(html.contains("No operation refers to this schema directly"));
    let r = get(&app, "/apis/custody/versions/1.0.0/schemas/Nothing", None).await;
    assert_eq!(r.status, 404);
}

#[actix_web::test]
async fn compare_shows_breaking_changes_first_with_links_to_operations() {
    let t = TestApp::new(Backend::Sqlite).unwrap();
    let app = t.service().await;
    setup(&t, &app, "public", "custody").await;
    for uri in [
        "/apis/custody/compare?from=1.0.0&to=2.0.0",
        // Defaults: to the latest, from the described version before it.
        "/apis/custody/compare",
    ] {
        let r = get(&app, uri, None).await;
        assert_eq!(r.status, 200, "{uri}");
        let html = page(&r);
        assert!(
            html.contains("Changes from version 1.0.0 to 2.0.0"),
            "{html}"
        );
        let breaking = html.find(r#"id="breaking""#).expect("breaking section");
        let non_breaking = html
            .find(r#"id="non-breaking""#)
            .expect("non-breaking section");
        assert!(breaking < non_breaking);
        // The removed operation links to its page in the old version.
        let removed = html
            .find(r#"href="/apis/custody/versions/1.0.0/operations/delete/custody-records/%7BrecordId%7D""#)
            .expect("a link to the removed operation");
        assert!(
            breaking < removed && removed < non_breaking,
            "listed as breaking"
        );
        // A changed operation links to its page in the new version.
        assert!(html.contains(r#"href="/apis/custody/versions/2.0.0/operations/get/custody-records/%7BrecordId%7D""#), "{html}");
        let first_change = &html[breaking..];
        let first_change = &first_change[first_change.find("<li>").unwrap()..];
        assert!(
            first_change
                .starts_with(r#"<li><strong class="govuk-tag govuk-tag--red">Breaking</strong>"#),
            "{first_change}"
        );
        // The summary counts and the compare form.
        assert!(html.contains(r#"id="compare-from""#));
        assert!(html.contains(" breaking</a>"));
        // The linked operation pages exist.
        let r = get(
            &app,
            "/apis/custody/versions/1.0.0/operations/delete/custody-records/%7BrecordId%7D",
            None,
        )
        .await;
        assert_eq!(r.status, 200);
    }
    for (uri, words) in [
        (
            "/apis/custody/compare?from=9.9.9&to=2.0.0",
            "has no version \"9.9.9\"",
        ),
        (
            "/apis/custody/compare?from=1.0.0&to=nope",
            "has no version \"nope\"",
        ),
        (
            "/apis/custody/compare?to=1.0.0",
            "no version with a description before it",
        ),
    ] {
        let r = get(&app, uri, None).await;
        assert_eq!(r.status, 400, "{uri}");
        let html = page(&r);
        assert!(
            html.contains("There is a problem with the address"),
            "{html}"
        );
        assert!(
            html.contains(&words.replace('"', "&quot;")),
            "{words} missing from\n{html}"
        );
    }
    let r = get(&app, "/apis/nothing-here/compare", None).await;
    assert_eq!(r.status, 404);
}

#[actix_web::test]
async fn restricted_reference_pages_are_not_found_for_others() {
    let t = TestApp::new(Backend::Sqlite).unwrap();
    let app = t.service().await;
    let met = setup(&t, &app, "restricted", "met-custody").await;
    let admin = t.admin();
    create_org(&app, &admin, "gmp", "force").await;
    let gmp = t.token("bob", Some("gmp"), &["reader"]);
    let met_reader = t.token("dave", Some("met"), &["reader"]);
    let uris = [
        "/apis/met-custody/versions/1.0.0",
        "/apis/met-custody/versions/latest",
        "/apis/met-custody/versions/1.0.0/operations/getCustodyRecord",
        "/apis/met-custody/versions/1.0.0/operations/delete/custody-records/%7BrecordId%7D",
        "/apis/met-custody/versions/1.0.0/schemas/CustodyRecord",
        "/apis/met-custody/compare?from=1.0.0&to=2.0.0",
        "/apis/met-custody/compare?from=9.9.9",
    ];
    for uri in uris {
        for token in [None, Some(gmp.as_str())] {
            let r = get(&app, uri, token).await;
            assert_eq!(r.status, 404, "{uri} for {token:?}");
            let html = page(&r);
            assert!(html.contains("Page not found"));
            assert!(!html.contains("Custody Records API") && !html.contains("9.9.9"));
        }
    }
    for token in [&met, &met_reader, &admin] {
        for uri in &uris[..6] {
            let r = get(&app, uri, Some(token)).await;
            assert_eq!(r.status, 200, "{uri}");
        }
    }
}
