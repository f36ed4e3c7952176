//! `pac import`: identity rules of the APIs.guru layout and of loose files, re-imports, rejections
//! with reasons, the seed catalogue, and the command's output and exit status.

use std::path::Path;
use std::process::Command;

use indicatif::ProgressBar;
use pac::auth::policy::Visible;
use pac::domain::Slug;
use pac::ingest::import::{ImportOptions, import};
use pac::store::{apis, organisations};

use crate::support::*;
use crate::{CUSTODY_V1, CUSTODY_V1_1};

const SWAGGER: &str = "swagger: '2.0'\ninfo: {title: Records, version: '1.0'}\nhost: api.example.org\nbasePath: /v1\npaths:\n  /records:\n    post:\n      operationId: createRecord\n      parameters:\n        - {name: body, in: body, required: true, schema: {$ref: '#/definitions/Record'}}\n      responses:\n        '201': {description: created}\ndefinitions:\n  Record:\n    type: object\n    properties:\n      id: {type: string}\n";

fn write(root: &Path, rel: &str, content: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

fn layout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "acme.com/v1/openapi.yaml", CUSTODY_V1);
    write(dir.path(), "acme.com/v10/openapi.json", CUSTODY_V1_1);
    write(dir.path(), "other.org/records/1.0/swagger.yaml", SWAGGER);
    write(
        dir.path(),
        "broken.net/1/openapi.yaml",
        "openapi: 3.0.3\ninfo: [oops\n",
    );
    write(dir.path(), "acme.com/v1/README.md", "not a description");
    dir
}

on_both_backends! {
    async fn the_apis_guru_layout_imports_one_api_per_provider_and_service(t: TestApp) {
        let store = &t.state.catalogue.store;
        let dir = layout();
        let report = import(&t.state.catalogue, &[dir.path().to_path_buf()], &ImportOptions::default(), &ProgressBar::hidden()).unwrap();
        assert_eq!((report.imported, report.unchanged, report.rejected), (3, 0, 1), "{:?}", report.errors);
        assert!(report.errors[0].file.contains("broken.net"));
        assert_eq!(report.errors[0].code, "spec_syntax");

        let (acme, records, org) = store
            .read(|c| {
                Ok((
                    apis::get_visible(c, &Visible::All, "acme-com")?,
                    apis::get_visible(c, &Visible::All, "other-org-records")?,
                    organisations::get(c, "acme-com")?,
                ))
            })
            .unwrap();
        assert_eq!(acme.api.latest_version.as_deref(), Some("v10"), "v10 sorts after v1");
        assert_eq!(acme.owner, "acme-com");
        assert_eq!(org.kind, "supplier");
        assert_eq!(records.api.latest_spec_format.as_deref(), Some("swagger-2.0"));

        let again = import(&t.state.catalogue, &[dir.path().to_path_buf()], &ImportOptions::default(), &ProgressBar::hidden()).unwrap();
        assert_eq!((again.imported, again.unchanged, again.rejected), (0, 3, 1));
    }
}

on_both_backends! {
    async fn a_loose_file_needs_an_owner(t: TestApp) {
        let store = &t.state.catalogue.store;
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "custody.yaml", CUSTODY_V1);
        let file = dir.path().join("custody.yaml");
        let report = import(&t.state.catalogue, std::slice::from_ref(&file), &ImportOptions::default(), &ProgressBar::hidden()).unwrap();
        assert_eq!(report.rejected, 1);
        assert_eq!(report.errors[0].code, "owner_required");

        import(&t.state.catalogue, &[Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue/organisations.yaml").parent().unwrap().to_path_buf()], &ImportOptions::default(), &ProgressBar::hidden()).unwrap();
        let opts = ImportOptions { owner: Some(Slug::parse("owner", "police-uk").unwrap()), ..ImportOptions::default() };
        let report = import(&t.state.catalogue, &[file], &opts, &ProgressBar::hidden()).unwrap();
        assert_eq!((report.imported, report.rejected), (1, 0), "{:?}", report.errors);
        let api = store.read(|c| apis::get_visible(c, &Visible::All, "custody-records-api")).unwrap();
        assert_eq!(api.owner, "police-uk");
        assert_eq!(api.api.latest_version.as_deref(), Some("1.0.0"));
    }
}

on_both_backends! {
    async fn the_seed_catalogue_loads_without_rejections(t: TestApp) {
        let store = &t.state.catalogue.store;
        let catalogue = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue");
        let report = pac::ingest::import::seed_if_empty(&t.state.catalogue, &catalogue).unwrap().expect("store was empty");
        assert_eq!(report.rejected, 0, "{:?}", report.errors);
        let police = store.read(|c| apis::get_visible(c, &Visible::All, "data-police-uk")).unwrap();
        assert_eq!(police.owner, "police-uk");
        assert_eq!(police.system.as_deref(), Some("police-uk-website"));
        assert_eq!(police.api.latest_spec_format.as_deref(), Some("openapi-3.0"));
        let links = store
            .read(|c| {
                apis::list(
                    c,
                    &Visible::All,
                    &apis::ApiFilter { format: Some("none".into()), ..Default::default() },
                    organisations::Sort::Name,
                    pac::store::Page::new(Some(1), None)?,
                )
            })
            .unwrap();
        assert_eq!(links.total, 231, "every UK Government API Catalogue entry is a link-only API");
        // The example contract and the claim that data.police.uk implements it, which checks out.
        assert_eq!((report.contract_versions, report.relations), (1, 1));
        let verified = pac::usecase::conformance::verify(
            store,
            pac::store::relations::Claims::All,
            pac::usecase::conformance::Recheck::Stale,
            &pac_spec::Limits::default(),
        )
        .unwrap();
        assert_eq!((verified.checked, verified.conformant), (1, 1), "{verified:?}");
        let again = pac::usecase::conformance::verify(
            store,
            pac::store::relations::Claims::All,
            pac::usecase::conformance::Recheck::Stale,
            &pac_spec::Limits::default(),
        )
        .unwrap();
        assert_eq!(again.checked, 0, "a claim checked against the latest version is not checked again");
        assert!(pac::ingest::import::seed_if_empty(&t.state.catalogue, &catalogue).unwrap().is_none(), "seeds only an empty store");
        // A second import of the folder leaves contracts and relations as they are.
        let report = import(&t.state.catalogue, std::slice::from_ref(&catalogue), &ImportOptions::default(), &ProgressBar::hidden()).unwrap();
        assert_eq!((report.contract_versions, report.relations, report.rejected), (0, 0, 0), "{:?}", report.errors);
    }
}

#[test]
fn the_import_command_reports_json_and_exit_status() {
    let data = tempfile::tempdir().unwrap();
    let dir = layout();
    let out = Command::new(env!("CARGO_BIN_EXE_pac"))
        .args(["import", "--format", "json", "--data-dir"])
        .arg(data.path())
        .arg(dir.path())
        .env_remove("PAC_DATABASE_URL")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "a rejection makes exit status 1"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["imported"], 3);
    assert_eq!(report["rejected"], 1);
    assert_eq!(report["errors"][0]["code"], "spec_syntax");

    std::fs::remove_dir_all(dir.path().join("broken.net")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pac"))
        .args(["import", "--data-dir"])
        .arg(data.path())
        .arg(dir.path())
        .env_remove("PAC_DATABASE_URL")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("unchanged 3"));

    let out = Command::new(env!("CARGO_BIN_EXE_pac"))
        .args(["import"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "usage error");
    let out = Command::new(env!("CARGO_BIN_EXE_pac"))
        .args(["import", "--owner", "NOT A SLUG", "--data-dir"])
        .arg(data.path())
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid_slug"));
}

on_both_backends! {
    async fn registry_documents_become_link_only_apis(t: TestApp) {
        let store = &t.state.catalogue.store;
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "registry.json",
            r#"{"api-version": "api.gov.uk/v1alpha", "apis": [
                {"api-version": "api.gov.uk/v1alpha", "data": {"name": "Vehicle Enquiry", "description": "Vehicle details by registration.",
                 "url": "https://example.gov.uk/vehicles", "documentation-url": "https://example.gov.uk/docs", "organisation": "Driver and Vehicle Licensing Agency"}}]}"#,
        );
        let file = dir.path().join("registry.json");
        let report = import(&t.state.catalogue, std::slice::from_ref(&file), &ImportOptions::default(), &ProgressBar::hidden()).unwrap();
        assert_eq!((report.imported, report.rejected), (1, 0), "{:?}", report.errors);
        let api = store.read(|c| apis::get_visible(c, &Visible::All, "vehicle-enquiry")).unwrap();
        assert_eq!(api.owner, "driver-and-vehicle-licensing-agency");
        assert_eq!(api.api.documentation_url.as_deref(), Some("https://example.gov.uk/docs"));
        assert!(api.api.latest_spec_format.is_none(), "link-only");
        let again = import(&t.state.catalogue, &[file], &ImportOptions::default(), &ProgressBar::hidden()).unwrap();
        assert_eq!((again.imported, again.unchanged), (0, 1));
    }
}

on_both_backends! {
    async fn a_bad_catalogue_entry_is_rejected_alone(t: TestApp) {
        let store = &t.state.catalogue.store;
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "organisations.yaml",
            "- {slug: kent, name: Kent Police, kind: force}\n- {slug: army, name: Army, kind: military}\n",
        );
        write(
            dir.path(),
            "systems.yaml",
            "- {slug: orphan, name: Orphan, owner: nobody}\n- {slug: kent-rms, name: Kent RMS, owner: kent}\n",
        );
        let report = import(&t.state.catalogue, &[dir.path().to_path_buf()], &ImportOptions::default(), &ProgressBar::hidden()).unwrap();
        let mut places: Vec<(String, String)> = report
            .errors
            .iter()
            .map(|e| (e.file.rsplit('/').next().unwrap().to_string(), e.code.clone()))
            .collect();
        places.sort();
        assert_eq!(
            places,
            [("organisations.yaml[1]".to_string(), "invalid_kind".to_string()), ("systems.yaml[0]".to_string(), "not_found".to_string())]
        );
        store.read(|c| organisations::get(c, "kent")).unwrap();
        store.read(|c| pac::store::systems::get_visible(c, &Visible::All, "kent-rms")).unwrap();
    }
}

on_both_backends! {
    async fn a_multi_file_description_in_a_folder_is_one_version(t: TestApp) {
        let store = &t.state.catalogue.store;
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "forcebook/people/2.0/openapi.yaml",
            "openapi: 3.0.3\ninfo: {title: People, version: '2.0'}\npaths:\n  /people/{id}:\n    get:\n      operationId: getPerson\n      parameters: [{$ref: 'common/params.yaml#/PersonId'}]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'common/person.yaml#/Person'}\n",
        );
        write(dir.path(), "forcebook/people/2.0/common/params.yaml", "PersonId: {name: id, in: path, required: true, schema: {type: string}}\n");
        write(dir.path(), "forcebook/people/2.0/common/person.yaml", "Person:\n  type: object\n  properties:\n    name: {type: string}\n    dateOfBirth: {type: string, format: date}\n");
        let report = import(&t.state.catalogue, &[dir.path().to_path_buf()], &ImportOptions::default(), &ProgressBar::hidden()).unwrap();
        assert_eq!((report.imported, report.rejected), (1, 0), "{:?}", report.errors);
        let (files, ops, schemas) = store
            .read(|c| {
                let api = apis::get_visible(c, &Visible::All, "forcebook-people")?;
                let v = pac::store::versions::get(c, api.api.id, "forcebook-people", "2.0")?;
                let page = pac::store::Page::new(None, None)?;
                Ok((
                    pac::store::versions::files(c, v.id)?,
                    pac::store::versions::operations(c, v.id, &Default::default(), page)?,
                    pac::store::versions::schemas(c, v.id, None, page)?,
                ))
            })
            .unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths[0], "forcebook/people/2.0/openapi.yaml", "root first");
        assert_eq!(paths.len(), 3, "{paths:?}");
        assert!(ops.items[0].parameters.contains("\"name\":\"id\""), "{}", ops.items[0].parameters);
        let person = schemas.items.iter().find(|s| s.name == "Person").expect("bundled schema");
        assert!(person.properties.contains("dateOfBirth"));
    }
}

on_both_backends! {
    async fn catalogue_contracts_and_relations_name_what_is_wrong(t: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "organisations.yaml", "- {slug: ho, name: Home Office, kind: national_body}\n- {slug: met, name: Met, kind: force}\n");
        write(dir.path(), "systems.yaml", "- {slug: met-rms, name: Met RMS, owner: met}\n");
        write(dir.path(), "apis/met/custody/api.yaml", "slug: custody\nowner: met\nsystem: met-rms\n");
        write(dir.path(), "apis/met/custody/1.0.0/openapi.yaml", CUSTODY_V1);
        write(dir.path(), "contracts/custody/contract.yaml", "slug: custody-contract\nname: Custody\nowner: ho\n");
        write(dir.path(), "contracts/custody/1.0.0/openapi.yaml", CUSTODY_V1);
        write(dir.path(), "contracts/custody/2.0.0/README.md", "no description here\n");
        write(dir.path(), "contracts/orphan/1.0.0/openapi.yaml", CUSTODY_V1);
        write(
            dir.path(),
            "relations.yaml",
            "implements:\n  - {system: met-rms, contract: custody-contract, api: custody}\n  - {system: nowhere, contract: custody-contract, api: custody}\nconsumes:\n  - {system: met-rms, api: custody, purpose: own use, replaces: fax}\n",
        );
        let report = import(&t.state.catalogue, &[dir.path().to_path_buf()], &ImportOptions::default(), &ProgressBar::hidden()).unwrap();
        assert_eq!((report.imported, report.contract_versions, report.relations), (1, 1, 1), "{:?}", report.errors);
        let mut rejected: Vec<(String, String)> = report.errors.iter().map(|e| (e.code.clone(), e.file.clone())).collect();
        rejected.sort();
        assert_eq!(rejected.len(), 4, "{rejected:?}");
        assert!(rejected.iter().any(|(c, f)| c == "invalid_metadata" && f.ends_with("contracts/custody/2.0.0")), "{rejected:?}");
        assert!(rejected.iter().any(|(c, f)| c == "invalid_metadata" && f.ends_with("contracts/orphan")), "{rejected:?}");
        assert!(rejected.iter().any(|(c, f)| c == "not_found" && f.ends_with("relations.yaml: implements[1]")), "{rejected:?}");
        assert!(rejected.iter().any(|(c, f)| c == "invalid_replaces" && f.ends_with("relations.yaml: consumes[0]")), "{rejected:?}");
    }
}

/// A description kept the way HMRC and NHS England keep theirs: a root file whose paths and
/// schemas are files beside it, a common part above it, and files that are parts, not APIs.
fn multi_file(root: &Path) {
    write(
        root,
        "common/errors.yaml",
        "openapi: 3.0.3\ninfo: {title: Common errors, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Error: {type: object, properties: {code: {type: string}}}\n",
    );
    write(
        root,
        "conf/2.0/list.yaml",
        "get:\n  operationId: listObligations\n  summary: Retrieve income tax obligations\n  description: Found only in this sibling file, quarterly obligations of a business\n  responses:\n    '200':\n      description: ok\n      content: {application/json: {schema: {$ref: './schemas/obligations.json'}}}\n    '400':\n      description: bad\n      content: {application/json: {schema: {$ref: '../../common/errors.yaml#/components/schemas/Error'}}}\n",
    );
    write(
        root,
        "conf/2.0/retrieve.yaml",
        "get:\n  operationId: retrieveObligation\n  summary: Retrieve one obligation\n  responses: {'200': {description: ok}}\n",
    );
    write(
        root,
        "conf/2.0/schemas/obligations.json",
        r#"{"type": "object", "description": "Obligations", "properties": {"periodKey": {"type": "string"}}}"#,
    );
    write(
        root,
        "conf/2.0/application.yaml",
        "openapi: 3.0.3\ninfo: {title: Obligations (MTD), version: '2.0'}\npaths:\n  /obligations: {$ref: './list.yaml'}\n  /obligations/{periodKey}: {$ref: './retrieve.yaml'}\n",
    );
}

on_both_backends! {
    async fn a_file_is_imported_with_the_files_it_refers_to(t: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        multi_file(dir.path());
        let store = &t.state.catalogue.store;
        store.write(|c| pac::usecase::organisations::create_in(c, &pac::auth::Principal::System, &pac::usecase::organisations::CreateOrganisation {
            slug: "hm-revenue-customs".into(), name: "HMRC".into(), kind: "national_body".into(), homepage: None, description: None,
        }, serde_json::json!({}))).unwrap();
        let file = dir.path().join("conf/2.0/application.yaml");
        let opts = ImportOptions { owner: Some(Slug::parse("owner", "hm-revenue-customs").unwrap()), ..ImportOptions::default() };
        let report = import(&t.state.catalogue, std::slice::from_ref(&file), &opts, &ProgressBar::hidden()).unwrap();
        assert_eq!((report.imported, report.rejected), (1, 0), "{:?}", report.errors);
        // The common part lies above the file's folder: warned about, with its place.
        assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
        assert_eq!(report.warnings[0].code, "ref_missing_file");
        assert_eq!(report.warnings[0].pointer, "/paths/~1obligations/get/responses/400/content/application~1json/schema");
        let api = store.read(|c| apis::get_visible(c, &Visible::All, "obligations-mtd")).unwrap();
        let version = store.read(|c| pac::store::versions::find(c, api.api.id, "2.0")).unwrap().unwrap();
        assert_eq!(version.operation_count, 2);
        let files = store.read(|c| pac::store::versions::files(c, version.id)).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, ["application.yaml", "list.yaml", "schemas/obligations.json", "retrieve.yaml"]);
        // A summary living only in a sibling file is found by search.
        t.state.catalogue.after_write();
        let app = t.service().await;
        let r = send(&app, actix_web::test::TestRequest::get().uri("/api/v1/search?q=quarterly+obligations&kind=operation")).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["hits"][0]["operation"]["operation_id"], "listObligations", "{}", r.body);

        // With the folder above as the root, the common part is read too: nothing is missing.
        let opts = ImportOptions { root: Some(dir.path().to_path_buf()), ..opts };
        let again = dir.path().join("conf/2.0/application.yaml");
        std::fs::write(&again, std::fs::read_to_string(&again).unwrap().replace("version: '2.0'", "version: '2.1'")).unwrap();
        let report = import(&t.state.catalogue, &[again], &opts, &ProgressBar::hidden()).unwrap();
        assert_eq!((report.imported, report.rejected, report.warnings.len()), (1, 0, 0), "{:?} {:?}", report.errors, report.warnings);
    }
}

on_both_backends! {
    async fn a_folder_imports_the_descriptions_it_holds_by_content(t: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        multi_file(&dir.path().join("hmrc"));
        let folder = [dir.path().to_path_buf()];
        // Found by its content, not its name, application.yaml is not in the layout: it is named
        // by its info.title and needs an owner.
        let report = import(&t.state.catalogue, &folder, &ImportOptions::default(), &ProgressBar::hidden()).unwrap();
        assert_eq!((report.imported, report.rejected), (0, 1), "{:?}", report.errors);
        assert_eq!(report.errors[0].code, "owner_required", "{:?}", report.errors);
        let store = &t.state.catalogue.store;
        store.write(|c| pac::usecase::organisations::create_in(c, &pac::auth::Principal::System, &pac::usecase::organisations::CreateOrganisation {
            slug: "hm-revenue-customs".into(), name: "HMRC".into(), kind: "national_body".into(), homepage: None, description: None,
        }, serde_json::json!({}))).unwrap();
        let opts = ImportOptions { owner: Some(Slug::parse("owner", "hm-revenue-customs").unwrap()), ..ImportOptions::default() };
        let report = import(&t.state.catalogue, &folder, &opts, &ProgressBar::hidden()).unwrap();
        // common/errors.yaml has a header too, but another description uses it as a part, so it
        // is not an API of its own; the path and schema files are parts.
        assert_eq!((report.imported, report.rejected), (1, 0), "{:?}", report.errors);
        let all = store.read(|c| apis::list(c, &Visible::All, &Default::default(), organisations::Sort::parse(None)?, pac::store::Page::new(None, None)?)).unwrap();
        let slugs: Vec<&str> = all.items.iter().map(|a| a.api.slug.as_str()).collect();
        assert_eq!(slugs, ["obligations-mtd"]);
        assert_eq!(all.items[0].api.latest_version.as_deref(), Some("2.0"));
        assert_eq!(all.items[0].owner, "hm-revenue-customs");
    }
}

on_both_backends! {
    async fn an_upload_without_the_files_its_paths_are_in_is_refused(t: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        multi_file(dir.path());
        let app = t.service().await;
        let admin = t.admin();
        send(&app, actix_web::test::TestRequest::post().uri("/api/v1/organisations").insert_header(bearer(&admin)).set_json(serde_json::json!({"slug": "hmrc", "name": "HMRC", "kind": "national_body"}))).await;
        send(&app, actix_web::test::TestRequest::post().uri("/api/v1/apis").insert_header(bearer(&admin)).set_json(serde_json::json!({"slug": "obligations", "name": "Obligations", "owner": "hmrc"}))).await;
        let root = std::fs::read_to_string(dir.path().join("conf/2.0/application.yaml")).unwrap();
        let r = publish_version(&app, &admin, "obligations", None, &root).await;
        let body = assert_problem(&r, 422, "spec_no_operations");
        assert!(body["detail"].as_str().unwrap().contains("./list.yaml"), "{body}");
        // One path readable, one not: accepted, with a warning naming the place.
        let partial = root.replace("{$ref: './retrieve.yaml'}", "{get: {operationId: retrieve, responses: {'200': {description: ok}}}}");
        let r = publish_version(&app, &admin, "obligations", None, &partial).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let warnings = r.body["warnings"].as_array().unwrap();
        assert_eq!(warnings.len(), 1, "{}", r.body);
        assert!(warnings[0].as_str().unwrap().starts_with("ref_missing_file at /paths/~1obligations:"), "{}", r.body);
    }
}
