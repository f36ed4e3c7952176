//! The procurement pages: a tender's requirements for anyone who may see the tender; the bids, the
//! comparison and each bid's evaluation for the buyer and admins; a supplier's own bid for that
//! supplier; and for anyone else not a word about bids, not even that there are any.

use actix_web::test::TestRequest;
use serde_json::json;

use crate::catalogue::create_org;
use crate::support::*;
use crate::tenders::{PACK, WEAK, body, good, json_req};

const TENDER: &str = "/tenders/stop-search-2027";

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

/// The page's HTML, after checking it is a page with this status.
#[track_caller]
fn html(r: &Reply, status: u16) -> String {
    assert_eq!(r.status.as_u16(), status, "{}", r.body);
    assert!(
        r.content_type.starts_with("text/html"),
        "{} is not a page: {}",
        r.content_type,
        r.body
    );
    r.body.as_str().expect("a page").to_owned()
}

/// Nothing on the page tells of a bid: no supplier, no word of a description, no bid section.
#[track_caller]
fn tells_nothing_of_bids(who: &str, html: &str) {
    let lower = html.to_ascii_lowercase();
    for word in [
        "acme",
        "bravo",
        "zanzibarquux",
        "/bids/",
        "sandbox with synthetic",
    ] {
        assert!(!lower.contains(word), "{who} sees {word:?}:\n{html}");
    }
    for marker in [
        r#"id="bids""#,
        r#"id="your-bid""#,
        "No bid yet",
        "/comparison",
    ] {
        assert!(!html.contains(marker), "{who} sees {marker:?}:\n{html}");
    }
}

on_both_backends! {
    async fn tender_pages_show_bids_only_to_those_who_may_see_them(t: TestApp) {
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

        let r = send(&app, json_req(TestRequest::post(), "/api/v1/contracts", &curator, json!({"slug": "stop-search", "name": "Stop and search", "owner": "home-office"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, body(TestRequest::post(), "/api/v1/contracts/stop-search/versions", &curator, &good())).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, json_req(TestRequest::post(), "/api/v1/tenders", &buyer, json!({"slug": "stop-search-2027", "title": "Stop and search system", "buyer": "wessex"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, body(TestRequest::post(), "/api/v1/tenders/stop-search-2027/packs", &buyer, PACK)).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, body(TestRequest::post(), "/api/v1/tenders/stop-search-2027/packs", &buyer, &PACK.replace("version: 1.0.0", "version: 1.1.0").replace("weight: 20", "weight: 30"))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, json_req(TestRequest::post(), "/api/v1/tenders/stop-search-2027/lifecycle", &buyer, json!({"lifecycle": "published"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = send(&app, body(TestRequest::put(), "/api/v1/tenders/stop-search-2027/bids/acme/descriptions/stop-search.yaml", &acme, &good())).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = send(&app, body(TestRequest::put(), "/api/v1/tenders/stop-search-2027/bids/bravo/descriptions/zanzibarquux-records.yaml", &bravo, WEAK)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = send(&app, json_req(TestRequest::put(), "/api/v1/tenders/stop-search-2027/bids/acme/scores/API-3", &buyer, json!({"score": 3, "justification": "Sandbox with synthetic custody data, section 4.2 of the bid."}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        // A restricted tender of the buyer's, to be hidden from everyone else.
        let r = send(&app, json_req(TestRequest::post(), "/api/v1/tenders", &buyer, json!({"slug": "secret", "title": "Secret procurement", "buyer": "wessex", "visibility": "restricted"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);

        // The list: the tender by title and buyer's name; the restricted one for its buyer only.
        let list = html(&page(&app, "/tenders", None).await, 200);
        for expected in [r#"href="/tenders/stop-search-2027""#, "Stop and search system", "Org wessex", "Version 1.1.0", "Published"] {
            assert!(list.contains(expected), "{expected} missing from\n{list}");
        }
        assert!(!list.contains("Secret procurement"), "{list}");
        assert!(html(&page(&app, "/tenders", Some(&buyer)).await, 200).contains("Secret procurement"));
        let r = page(&app, "/tenders/secret", Some(&north)).await;
        assert!(html(&r, 404).contains("Page not found"));
        let r = page(&app, "/tenders?page=0", None).await;
        html(&r, 400);

        // Anyone may read the requirements, grouped, with how each is assessed and the documents.
        let anonymous = html(&page(&app, TENDER, None).await, 200);
        for expected in [
            "<h1 class=\"govuk-heading-l\">Stop and search system</h1>",
            r#"id="requirement-API-1""#,
            r#"id="requirement-API-2""#,
            r#"id="requirement-API-3""#,
            "The solution implements the stop and search contract 1.2.0.",
            "<strong>stop-search 1.2.0</strong>",
            "a score of at least 80",
            "weight 30 of 40 marks (75%)",
            "weight 10 of 40 marks (25%)",
            "By an evaluator, on the scale 0-4",
            "What each score of API-3 means",
            "Versions of the requirement pack",
            "API-2 changed: weight",
            "The first version.",
            r#"href="/api/v1/tenders/stop-search-2027/packs/1.0.0/original""#,
            r#"href="/api/v1/tenders/stop-search-2027/export?format=markdown""#,
            r#"href="/api/v1/tenders/stop-search-2027/export?format=docx""#,
            r#"href="/api/v1/tenders/stop-search-2027/export?format=csv""#,
            r#"href="/api/v1/tenders/stop-search-2027/export?format=xlsx""#,
            r#"href="/api/v1/tenders/stop-search-2027/export?format=ocds""#,
            r#"href="/organisations/wessex""#,
        ] {
            assert!(anonymous.contains(expected), "{expected} missing from\n{anonymous}");
        }
        tells_nothing_of_bids("an anonymous visitor", &anonymous);
        tells_nothing_of_bids("another force", &html(&page(&app, TENDER, Some(&north)).await, 200));
        tells_nothing_of_bids("the list", &list);

        // The buyer sees every bid, its verdict and marks, and the way to the comparison.
        let mine = html(&page(&app, TENDER, Some(&buyer)).await, 200);
        for expected in [
            r#"id="bids""#,
            r#"href="/tenders/stop-search-2027/bids/acme">Org acme</a>"#,
            r#"href="/tenders/stop-search-2027/bids/bravo">Org bravo</a>"#,
            "Non-compliant",
            "Compliant",
            r#"href="/tenders/stop-search-2027/comparison""#,
        ] {
            assert!(mine.contains(expected), "{expected} missing from the buyer's page\n{mine}");
        }
        for token in [&buyer, &admin] {
            let comparison = html(&page(&app, &format!("{TENDER}/comparison"), Some(token)).await, 200);
            for expected in [
                "Comparison of bids",
                r#"href="/tenders/stop-search-2027/bids/acme">Org acme</a>"#,
                "Org bravo",
                "Disqualified",
                "Each requirement, bid by bid",
                r#"<th scope="row" class="govuk-table__header">Total marks</th>"#,
                r#"href="/api/v1/tenders/stop-search-2027/comparison?format=xlsx""#,
            ] {
                assert!(comparison.contains(expected), "{expected} missing from the comparison\n{comparison}");
            }
        }
        let acme_bid = html(&page(&app, &format!("{TENDER}/bids/acme"), Some(&buyer)).await, 200);
        for expected in [
            "Bid of Org acme",
            r#"href="/api/v1/tenders/stop-search-2027/bids/acme/descriptions/stop-search.yaml""#,
            "Sandbox with synthetic custody data, section 4.2 of the bid.",
            "3 on the scale 0-4",
            r#"href="/api/v1/tenders/stop-search-2027/bids/acme/report?format=markdown""#,
            "Evidence for API-1",
        ] {
            assert!(acme_bid.contains(expected), "{expected} missing from the bid's page\n{acme_bid}");
        }

        // A supplier sees its own bid and nothing of another's.
        let theirs = html(&page(&app, TENDER, Some(&bravo)).await, 200);
        assert!(theirs.contains(r#"id="your-bid""#), "{theirs}");
        assert!(theirs.contains(r#"href="/tenders/stop-search-2027/bids/bravo""#), "{theirs}");
        for absent in ["acme", "/comparison", r#"id="bids""#] {
            assert!(!theirs.to_ascii_lowercase().contains(absent), "bravo sees {absent}:\n{theirs}");
        }
        let own = html(&page(&app, &format!("{TENDER}/bids/bravo"), Some(&bravo)).await, 200);
        assert!(own.contains("zanzibarquux-records.yaml") && own.contains("Non-compliant"), "{own}");
        assert!(own.contains("Evidence for API-1") && own.contains("Against"), "where it fails: {own}");
        assert!(!own.to_ascii_lowercase().contains("acme"), "{own}");
        for (who, token) in [("bravo", Some(bravo.as_str())), ("north", Some(north.as_str())), ("anonymous", None)] {
            for path in [format!("{TENDER}/bids/acme"), format!("{TENDER}/comparison")] {
                let r = page(&app, &path, token).await;
                let body = html(&r, 404);
                assert!(body.contains("Page not found"), "{who} {path}: {body}");
                assert!(!body.contains("Org acme"), "{who} {path}: {body}");
            }
        }
        let r = page(&app, &format!("{TENDER}/bids/bravo"), Some(&north)).await;
        html(&r, 404);

        // A withdrawn bid shows only that it was withdrawn, to the buyer and its supplier.
        let r = send(&app, TestRequest::post().uri("/api/v1/tenders/stop-search-2027/bids/bravo/withdraw").insert_header(bearer(&bravo))).await;
        assert_eq!(r.status, 204, "{}", r.body);
        for token in [&buyer, &bravo] {
            let withdrawn = html(&page(&app, &format!("{TENDER}/bids/bravo"), Some(token)).await, 200);
            assert!(withdrawn.contains("This bid was withdrawn"), "{withdrawn}");
            for absent in ["zanzibarquux", "/descriptions/", "Evidence for", "Non-compliant"] {
                assert!(!withdrawn.to_ascii_lowercase().contains(&absent.to_ascii_lowercase()), "{absent} on a withdrawn bid:\n{withdrawn}");
            }
        }
        let comparison = html(&page(&app, &format!("{TENDER}/comparison"), Some(&buyer)).await, 200);
        assert!(!comparison.contains("Org bravo"), "a withdrawn bid is not compared: {comparison}");
        tells_nothing_of_bids("an anonymous visitor after the withdrawal", &html(&page(&app, TENDER, None).await, 200));
    }
}
