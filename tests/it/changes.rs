//! Changing what exists: `PATCH` of systems and contracts (who may, what is checked, what a
//! curator may restrict), and what a stored value that is no word of its vocabulary does.

use actix_web::test::TestRequest;
use serde_json::{Value, json};

use crate::support::*;

fn patch(uri: &str, token: &str, body: Value) -> TestRequest {
    TestRequest::patch()
        .uri(uri)
        .insert_header(bearer(token))
        .set_json(body)
}

fn post(uri: &str, token: &str, body: Value) -> TestRequest {
    TestRequest::post()
        .uri(uri)
        .insert_header(bearer(token))
        .set_json(body)
}

fn get(uri: &str, token: Option<&str>) -> TestRequest {
    let req = TestRequest::get().uri(uri);
    match token {
        Some(t) => req.insert_header(bearer(t)),
        None => req,
    }
}

on_both_backends! {
    async fn systems_are_changed_by_their_owner_only(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        for (slug, kind) in [("met", "force"), ("kent", "force")] {
            let r = send(&app, post("/api/v1/organisations", &admin, json!({"slug": slug, "name": slug, "kind": kind}))).await;
            assert_eq!(r.status, 201, "{}", r.body);
        }
        let met = t.token("mia", Some("met"), &["publisher"]);
        let kent = t.token("kai", Some("kent"), &["publisher"]);
        let r = send(&app, post("/api/v1/systems", &met, json!({"slug": "met-rms", "name": "Met RMS", "owner": "met"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);

        // The owner renames it and clears its description; what is not named stays.
        let r = send(&app, patch("/api/v1/systems/met-rms", &met, json!({"name": "  Met Records  ", "description": "Records"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["name"], "Met Records", "names are trimmed");
        assert_eq!(r.body["description"], "Records");
        let r = send(&app, patch("/api/v1/systems/met-rms", &met, json!({"description": null}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body["description"].is_null(), "null clears: {}", r.body);
        assert_eq!(r.body["name"], "Met Records");

        // Another force's publisher sees it but may not change it; nobody without a token may.
        let r = send(&app, patch("/api/v1/systems/met-rms", &kent, json!({"name": "Mine"}))).await;
        assert_problem(&r, 403, "forbidden");
        let r = send(&app, TestRequest::patch().uri("/api/v1/systems/met-rms").set_json(json!({"name": "Mine"}))).await;
        assert_problem(&r, 401, "unauthenticated");

        // Bad input names the field; nothing changes.
        let r = send(&app, patch("/api/v1/systems/met-rms", &met, json!({"visibility": "secret"}))).await;
        let body = assert_problem(&r, 400, "invalid_visibility");
        assert_eq!(body["pointer"], "/visibility");
        let r = send(&app, patch("/api/v1/systems/met-rms", &met, json!({"name": ""}))).await;
        assert_problem(&r, 400, "invalid_field");
        let r = send(&app, patch("/api/v1/systems/met-rms", &met, json!({"slug": "renamed"}))).await;
        assert_problem(&r, 400, "invalid_body");
        let r = send(&app, get("/api/v1/systems/met-rms", None)).await;
        assert_eq!(r.body["name"], "Met Records");

        // Restricting it hides it from everyone outside its owner and admins: 404, never 403.
        let r = send(&app, patch("/api/v1/systems/met-rms", &met, json!({"visibility": "restricted"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_problem(&send(&app, get("/api/v1/systems/met-rms", Some(&kent))).await, 404, "not_found");
        let r = send(&app, patch("/api/v1/systems/met-rms", &kent, json!({"name": "Mine"}))).await;
        assert_problem(&r, 404, "not_found");
        assert_eq!(send(&app, get("/api/v1/systems/met-rms", Some(&met))).await.status, 200);
        let r = send(&app, patch("/api/v1/systems/no-such-system", &admin, json!({"name": "X"}))).await;
        assert_problem(&r, 404, "not_found");
    }
}

on_both_backends! {
    async fn contracts_are_changed_by_curators_who_restrict_only_their_own(t: TestApp) {
        let app = t.service().await;
        let admin = t.admin();
        for (slug, kind) in [("home-office", "national_body"), ("npcc", "national_body"), ("met", "force")] {
            let r = send(&app, post("/api/v1/organisations", &admin, json!({"slug": slug, "name": slug, "kind": kind}))).await;
            assert_eq!(r.status, 201, "{}", r.body);
        }
        let curator = t.token("cora", Some("home-office"), &["curator"]);
        let other_curator = t.token("nia", Some("npcc"), &["curator"]);
        let publisher = t.token("mia", Some("met"), &["publisher"]);
        let r = send(&app, post("/api/v1/contracts", &curator, json!({"slug": "custody-exchange", "name": "Custody", "owner": "home-office"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);

        // Curators change contracts; publishers may not.
        let r = send(&app, patch("/api/v1/contracts/custody-exchange", &other_curator, json!({"name": "Custody Exchange", "description": "Custody records between forces"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["name"], "Custody Exchange");
        assert_eq!(r.body["description"], "Custody records between forces");
        let r = send(&app, patch("/api/v1/contracts/custody-exchange", &publisher, json!({"name": "Mine"}))).await;
        assert_problem(&r, 403, "forbidden");
        let r = send(&app, patch("/api/v1/contracts/custody-exchange", &curator, json!({"visibility": "hidden"}))).await;
        assert_problem(&r, 400, "invalid_visibility");

        // A curator of another organisation may not make it restricted: it would vanish from
        // their own view. Nothing changes.
        let r = send(&app, patch("/api/v1/contracts/custody-exchange", &other_curator, json!({"visibility": "restricted"}))).await;
        let body = assert_problem(&r, 400, "invalid_visibility");
        assert_eq!(body["pointer"], "/visibility");
        assert!(body["detail"].as_str().unwrap().contains("home-office"), "{body}");
        assert_eq!(send(&app, get("/api/v1/contracts/custody-exchange", None)).await.body["visibility"], "public");
        // Policing-only is fine for any curator.
        let r = send(&app, patch("/api/v1/contracts/custody-exchange", &other_curator, json!({"visibility": "policing"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_problem(&send(&app, get("/api/v1/contracts/custody-exchange", None)).await, 404, "not_found");

        // Its owner's curator restricts it; then only that organisation and admins see it.
        let r = send(&app, patch("/api/v1/contracts/custody-exchange", &curator, json!({"visibility": "restricted"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["visibility"], "restricted");
        let r = send(&app, patch("/api/v1/contracts/custody-exchange", &other_curator, json!({"name": "X"}))).await;
        assert_problem(&r, 404, "not_found");
        assert_eq!(send(&app, get("/api/v1/contracts/custody-exchange", Some(&admin))).await.status, 200);
        // An admin may restrict any contract, and make it public again.
        let r = send(&app, patch("/api/v1/contracts/custody-exchange", &admin, json!({"visibility": "public"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = send(&app, patch("/api/v1/contracts/custody-exchange", &admin, json!({"visibility": "restricted"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
}

on_both_backends! {
    async fn a_stored_word_outside_its_vocabulary_is_an_error_not_a_guess(t: TestApp) {
        use diesel::prelude::*;
        use pac::store::schema::apis;
        let app = t.service().await;
        let admin = t.admin();
        let r = send(&app, post("/api/v1/organisations", &admin, json!({"slug": "met", "name": "Met", "kind": "force"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = send(&app, post("/api/v1/apis", &admin, json!({"slug": "custody", "name": "Custody", "owner": "met"}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        // Someone edits the database by hand; the catalogue must not read "secret" as some level.
        t.state
            .catalogue
            .store
            .write(|c| {
                diesel::update(apis::table.filter(apis::slug.eq("custody")))
                    .set(apis::visibility.eq("secret"))
                    .execute(c)?;
                Ok(())
            })
            .unwrap();
        let r = send(&app, get("/api/v1/apis/custody", Some(&admin))).await;
        let body = assert_problem(&r, 500, "internal");
        assert!(!body["detail"].as_str().unwrap().contains("secret"), "the cause stays in the log: {body}");
    }
}
