//! Unit tests of the spec module: small fixtures named after what they show, and the bad-input set.

use std::io::Write;

use openapiv3::{ReferenceOr, SchemaKind, Type};
use serde_json::json;

use super::*;

fn limits() -> Limits {
    Limits::default()
}

fn load_str(name: &str, text: &str) -> Result<Description, SpecError> {
    load_bytes(name, text.as_bytes(), &limits())
}

fn err(name: &str, text: &str) -> SpecError {
    match load_str(name, text) {
        Ok(_) => panic!("{name} was accepted"),
        Err(e) => e,
    }
}

fn assert_code(e: &SpecError, code: &str, place: &str) {
    assert_eq!(e.code, code, "{e}");
    assert!(
        e.message.contains(place),
        "message {:?} does not name {place:?}",
        e.message
    );
}

const PETSTORE_30: &str = r##"
openapi: 3.0.3
info: {title: Petstore, version: "1.0.0", description: Pets for sale}
paths:
  /pets:
    get:
      operationId: listPets
      summary: List pets
      tags: [pets]
      responses:
        "200":
          description: the pets
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
components:
  schemas:
    Pet:
      description: A pet
      type: object
      properties:
        id: {type: integer}
        name: {type: string}
"##;

#[test]
fn yaml_and_json_give_the_same_description() {
    let yaml = load_str("openapi.yaml", PETSTORE_30).unwrap();
    let json_text = serde_json::to_string(&yaml.normalised).unwrap();
    let json = load_str("openapi.json", &json_text).unwrap();
    assert_eq!(yaml.files[0].format, SourceFormat::Yaml);
    assert_eq!(json.files[0].format, SourceFormat::Json);
    assert_eq!(yaml.openapi, json.openapi);
    assert_eq!(yaml.title, "Petstore");
    assert_eq!(yaml.version, "1.0.0");
    assert_eq!(yaml.operations.len(), 1);
    assert_eq!(yaml.operations[0].method, "get");
    assert_eq!(yaml.operations[0].operation_id.as_deref(), Some("listPets"));
    assert_eq!(
        yaml.schemas[0].properties,
        vec!["id".to_owned(), "name".to_owned()]
    );
    assert_eq!(yaml.files[0].sha256, sha256_hex(PETSTORE_30.as_bytes()));
    assert_eq!(yaml.files[0].bytes, PETSTORE_30.as_bytes());
}

#[test]
fn detects_swagger_2_openapi_30_and_31() {
    let v2 = load_str(
        "s.json",
        r##"{"swagger":"2.0","info":{"title":"t","version":"1"},"paths":{}}"##,
    )
    .unwrap();
    assert_eq!(
        (v2.format, v2.declared_version.as_str()),
        (SpecFormat::Swagger2, "2.0")
    );
    let v30 = load_str("a.yaml", PETSTORE_30).unwrap();
    assert_eq!(
        (v30.format, v30.declared_version.as_str()),
        (SpecFormat::OpenApi30, "3.0.3")
    );
    let v31 = load_str("b.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n").unwrap();
    assert_eq!(
        (v31.format, v31.declared_version.as_str()),
        (SpecFormat::OpenApi31, "3.1.0")
    );
    assert_eq!(v31.format.as_str(), "openapi-3.1");
    // 3.1 without paths is fine.
    assert!(v31.openapi.paths.paths.is_empty());
}

const SWAGGER_2: &str = r##"
swagger: "2.0"
info: {title: Pets, version: "2"}
host: api.example.org
basePath: /v2
schemes: [https, http]
consumes: [application/json]
produces: [application/json, application/xml]
securityDefinitions:
  basic: {type: basic}
  key: {type: apiKey, name: X-Key, in: header}
  oauth: {type: oauth2, flow: accessCode, authorizationUrl: "https://a/auth", tokenUrl: "https://a/token", scopes: {read: Read}}
parameters:
  limit: {name: limit, in: query, type: integer, x-nullable: true}
paths:
  /pets:
    get:
      parameters:
        - $ref: "#/parameters/limit"
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: multi}
      responses:
        "200":
          description: ok
          schema: {type: array, items: {$ref: "#/definitions/Pet"}}
    post:
      parameters:
        - {name: pet, in: body, required: true, schema: {$ref: "#/definitions/Pet"}}
      responses:
        "201": {description: created}
  /pets/{id}/photo:
    post:
      consumes: [multipart/form-data]
      parameters:
        - {name: id, in: path, type: string, required: true}
        - {name: file, in: formData, type: file, required: true}
        - {name: caption, in: formData, type: string}
      responses:
        default: {description: done}
definitions:
  Pet:
    type: object
    properties:
      name: {type: string, x-nullable: true}
      owner: {$ref: "#/definitions/Pet"}
"##;

#[test]
fn swagger_2_is_converted_to_openapi_30() {
    let d = load_str("swagger.yaml", SWAGGER_2).unwrap();
    let n = &d.normalised;
    assert_eq!(n["openapi"], "3.0.3");
    assert_eq!(
        n["servers"],
        json!([{"url": "https://api.example.org/v2"}, {"url": "http://api.example.org/v2"}])
    );
    // body parameter -> requestBody, refs rewritten
    let body = &n["paths"]["/pets"]["post"]["requestBody"];
    assert_eq!(body["required"], true);
    assert_eq!(
        body["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Pet"
    );
    // formData with a file -> multipart
    let form = &n["paths"]["/pets/{id}/photo"]["post"]["requestBody"]["content"]["multipart/form-data"]
        ["schema"];
    assert_eq!(
        form["properties"]["file"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(form["required"], json!(["file"]));
    // response schema -> content per produces
    let ok = &n["paths"]["/pets"]["get"]["responses"]["200"]["content"];
    assert_eq!(
        ok["application/xml"]["schema"]["items"]["$ref"],
        "#/components/schemas/Pet"
    );
    // parameters: ref rewritten, collectionFormat -> style/explode, x-nullable -> nullable
    let params = &n["paths"]["/pets"]["get"]["parameters"];
    assert_eq!(params[0]["$ref"], "#/components/parameters/limit");
    assert_eq!(params[1]["style"], "form");
    assert_eq!(params[1]["explode"], true);
    assert_eq!(
        n["components"]["parameters"]["limit"]["schema"]["nullable"],
        true
    );
    assert_eq!(
        n["components"]["schemas"]["Pet"]["properties"]["name"]["nullable"],
        true
    );
    // security schemes
    let schemes = &n["components"]["securitySchemes"];
    assert_eq!(schemes["basic"], json!({"type": "http", "scheme": "basic"}));
    assert_eq!(schemes["key"]["in"], "header");
    assert_eq!(
        schemes["oauth"]["flows"]["authorizationCode"]["tokenUrl"],
        "https://a/token"
    );
    assert_eq!(d.operations.len(), 3);
    let r = ReferenceOr::ref_("#/components/schemas/Pet");
    let pet = resolve_schema(&d.openapi, &r).unwrap();
    assert!(matches!(pet.schema_kind, SchemaKind::Type(Type::Object(_))));
}

#[test]
fn swagger_2_drops_what_30_cannot_say_with_a_note() {
    let text = SWAGGER_2.replace(
        "- {name: tags, in: query, type: array, items: {type: string}, collectionFormat: multi}",
        "- {name: tags, in: query, type: array, items: {type: string}, collectionFormat: tsv}",
    );
    let d = load_str("swagger.yaml", &text).unwrap();
    let note = d
        .notes
        .iter()
        .find(|n| n.code == "conversion_dropped")
        .expect("a note");
    assert_eq!(
        note.pointer,
        "/paths/~1pets/get/parameters/1/collectionFormat"
    );
}

#[test]
fn swagger_2_refs_into_paths_survive_the_restructuring() {
    let d = load_str(
        "swagger.yaml",
        r##"
swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        default: {description: e, schema: {type: object, properties: {code: {type: string}}}}
  /b:
    get:
      responses:
        default: {description: e, schema: {$ref: "#/paths/~1a/get/responses/default/schema"}}
"##,
    )
    .unwrap();
    // The schema moved to the components, both operations refer to it: one schema, no copies.
    let schema = |path: &str| {
        d.normalised["paths"][path]["get"]["responses"]["default"]["content"]["application/json"]
            ["schema"]
            .clone()
    };
    let moved = "#/components/schemas/paths_a_get_responses_default_schema";
    assert_eq!(schema("/a")["$ref"], moved);
    assert_eq!(schema("/b")["$ref"], moved);
    assert_eq!(
        d.normalised["components"]["schemas"]["paths_a_get_responses_default_schema"]["properties"]
            ["code"]["type"],
        "string"
    );
    assert!(d.notes.is_empty(), "{:?}", d.notes);
}

#[test]
fn openapi_31_is_kept_as_written_and_the_30_model_reads_it() {
    let text = r##"
openapi: 3.1.0
info: {title: t, version: "1", summary: short}
webhooks:
  newPet:
    post:
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Name'}}}}
      responses: {'200': {description: ok}}
components:
  pathItems:
    Pets: {get: {operationId: listPets, responses: {'200': {description: ok}}}}
  schemas:
    Name: {type: [string, "null"], examples: [Rex]}
    Age: {type: integer, exclusiveMinimum: 0}
    Kind: {const: dog}
    Tuple:
      type: array
      prefixItems: [{type: object, properties: {first: {type: string, description: The first}}}]
      $defs: {Inner: {properties: {inner: {type: string}}}}
paths:
  /pets: {$ref: '#/components/pathItems/Pets'}
"##;
    let d = load_str("openapi.yaml", text).unwrap();
    // Every 3.1 construct stays in the normalised document, exactly as written.
    let original: serde_json::Value = parse("openapi.yaml", text.as_bytes(), &limits()).unwrap().0;
    assert_eq!(d.normalised, original);
    assert!(d.notes.is_empty(), "{:?}", d.notes);
    // The 3.0 model reads it as 3.0 would say it.
    let r = ReferenceOr::ref_("#/components/schemas/Name");
    let name = resolve_schema(&d.openapi, &r).unwrap();
    assert!(name.schema_data.nullable);
    // Operations reached through components.pathItems count; properties are found wherever they
    // sit in a schema.
    assert_eq!(d.operations.len(), 1);
    assert_eq!(d.operations[0].operation_id.as_deref(), Some("listPets"));
    let tuple = d.schemas.iter().find(|s| s.name == "Tuple").unwrap();
    assert_eq!(tuple.properties, ["first", "inner"]);
    assert_eq!(tuple.property_descriptions[0].as_deref(), Some("The first"));
}

#[test]
fn openapi_32_is_read() {
    let d = load_str(
        "openapi.yaml",
        r##"
openapi: 3.2.0
$self: https://example.org/api/openapi.yaml
info: {title: t, version: "1"}
tags: [{name: pets, kind: nav}, {name: cats, parent: pets}]
paths:
  /pets:
    query:
      operationId: searchPets
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses:
        '200':
          description: a stream of pets
          content: {application/jsonl: {itemSchema: {type: object, properties: {name: {type: string}}}}}
    additionalOperations:
      LINK: {operationId: linkPets, responses: {'204': {description: linked}}}
"##,
    )
    .unwrap();
    assert_eq!(d.format.as_str(), "openapi-3.2");
    let ops: Vec<(&str, Option<&str>)> = d
        .operations
        .iter()
        .map(|o| (o.method.as_str(), o.operation_id.as_deref()))
        .collect();
    assert_eq!(
        ops,
        [("query", Some("searchPets")), ("link", Some("linkPets"))]
    );
    assert_eq!(d.operations[0].response_media_types, ["application/jsonl"]);
    assert_eq!(d.normalised["tags"][1]["parent"], "pets");
    assert_eq!(
        d.normalised["$self"],
        "https://example.org/api/openapi.yaml"
    );
}

#[test]
fn internal_refs_resolve_through_chains() {
    let d = load_str(
        "openapi.yaml",
        r##"
openapi: 3.0.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Alias: {$ref: "#/components/schemas/Real"}
    Real: {type: string, description: the real one}
"##,
    )
    .unwrap();
    let r = ReferenceOr::ref_("#/components/schemas/Alias");
    let s = resolve_schema(&d.openapi, &r).unwrap();
    assert_eq!(s.schema_data.description.as_deref(), Some("the real one"));
    let r = ReferenceOr::ref_("#/components/schemas/Nope");
    let missing = resolve_schema(&d.openapi, &r).unwrap_err();
    assert_eq!(missing.code, "spec_ref_unresolved");
}

#[test]
fn a_pure_ref_cycle_is_refused() {
    let e = err(
        "openapi.yaml",
        r##"
openapi: 3.0.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    A: {$ref: "#/components/schemas/B"}
    B: {$ref: "#/components/schemas/A"}
"##,
    );
    assert_code(&e, "spec_ref_cycle", "/components/schemas/");
}

#[test]
fn a_recursive_schema_is_accepted_and_kept_as_a_ref() {
    let d = load_str(
        "openapi.yaml",
        r##"
openapi: 3.0.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Node:
      type: object
      properties:
        children: {type: array, items: {$ref: "#/components/schemas/Node"}}
"##,
    )
    .unwrap();
    assert_eq!(
        d.normalised["components"]["schemas"]["Node"]["properties"]["children"]["items"]["$ref"],
        "#/components/schemas/Node"
    );
}

#[test]
fn remote_and_missing_refs_are_notes_not_errors() {
    let d = load_str(
        "openapi.yaml",
        r##"
openapi: 3.0.0
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        "200": {$ref: "https://example.org/common.yaml#/responses/Ok"}
        "404": {$ref: "./common.yaml#/responses/NotFound"}
        "500": {$ref: "#/components/responses/Nope"}
"##,
    )
    .unwrap();
    let codes: Vec<&str> = d.notes.iter().map(|n| n.code.as_str()).collect();
    assert_eq!(
        codes,
        ["ref_remote", "ref_missing_file", "ref_missing_target"]
    );
    assert_eq!(d.notes[0].pointer, "/paths/~1a/get/responses/200");
    assert_eq!(
        d.normalised["paths"]["/a"]["get"]["responses"]["404"]["$ref"],
        "./common.yaml#/responses/NotFound"
    );
}

#[test]
fn ref_keys_inside_examples_are_data() {
    let d = load_str(
        "openapi.yaml",
        r##"
openapi: 3.0.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Doc: {type: object, example: {$ref: "elsewhere.yaml"}}
"##,
    )
    .unwrap();
    assert!(d.notes.is_empty(), "{:?}", d.notes);
}

fn bundle_source() -> MemorySource {
    MemorySource::from(vec![
        (
            "api/openapi.yaml".to_owned(),
            br##"
openapi: 3.0.0
info: {title: bundle, version: "1"}
paths:
  /pets:
    $ref: paths/pets.yaml
components:
  schemas:
    Error: {type: string, description: "the root's own Error"}
"##
            .to_vec(),
        ),
        (
            "api/paths/pets.yaml".to_owned(),
            br##"
get:
  responses:
    "200":
      description: ok
      content:
        application/json:
          schema: {$ref: "../schemas/pet.yaml"}
    default:
      description: error
      content:
        application/json:
          schema: {$ref: "../common.yaml#/components/schemas/Error"}
"##
            .to_vec(),
        ),
        (
            "api/schemas/pet.yaml".to_owned(),
            br##"
type: object
properties:
  tag: {$ref: "./tag.yaml"}
  parent: {$ref: "pet.yaml"}
  error: {$ref: "../common.yaml#/components/schemas/Error"}
"##
            .to_vec(),
        ),
        (
            "api/schemas/tag.yaml".to_owned(),
            b"type: string\n".to_vec(),
        ),
        (
            "api/common.yaml".to_owned(),
            b"components:\n  schemas:\n    Error: {type: object}\n".to_vec(),
        ),
    ])
}

#[test]
fn relative_refs_are_bundled_into_components() {
    let source = bundle_source();
    assert_eq!(source.root().unwrap(), "api/openapi.yaml");
    let d = load(&source, "api/openapi.yaml", &limits()).unwrap();
    let paths: Vec<&str> = d.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "api/openapi.yaml",
            "api/paths/pets.yaml",
            "api/schemas/pet.yaml",
            "api/common.yaml",
            "api/schemas/tag.yaml"
        ]
    );
    let n = &d.normalised;
    let content = &n["paths"]["/pets"]["get"]["responses"];
    assert_eq!(
        content["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/pet"
    );
    // The root already has an Error; the bundled one gets a distinct name, shared by both users.
    assert_eq!(
        content["default"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Error2"
    );
    let pet = &n["components"]["schemas"]["pet"];
    assert_eq!(pet["properties"]["tag"]["$ref"], "#/components/schemas/tag");
    assert_eq!(
        pet["properties"]["parent"]["$ref"],
        "#/components/schemas/pet"
    );
    assert_eq!(
        pet["properties"]["error"]["$ref"],
        "#/components/schemas/Error2"
    );
    assert_eq!(
        n["components"]["schemas"]["Error"]["description"],
        "the root's own Error"
    );
    assert!(d.notes.is_empty(), "{:?}", d.notes);
}

/// HMRC keeps each operation's schema as `schemas/<operation>/response.json`: bundled, the second
/// and later are named by their folder, not by a number.
#[test]
fn bundled_files_with_the_same_stem_are_named_by_their_folder() {
    let source = MemorySource::from(vec![
        (
            "openapi.yaml".to_owned(),
            br##"
openapi: 3.0.0
info: {title: names, version: "1"}
paths:
  /a:
    get:
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "schemas/listAll/response.json"}}}}
  /b:
    get:
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "schemas/retrieve/response.json"}}}}
  /c:
    get:
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "other/retrieve/response.json"}}}}
"##
            .to_vec(),
        ),
        ("schemas/listAll/response.json".to_owned(), br#"{"type": "array"}"#.to_vec()),
        ("schemas/retrieve/response.json".to_owned(), br#"{"type": "object"}"#.to_vec()),
        ("other/retrieve/response.json".to_owned(), br#"{"type": "string"}"#.to_vec()),
    ]);
    let d = load(&source, "openapi.yaml", &limits()).unwrap();
    let schema = |path: &str| {
        d.normalised["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
            ["schema"]["$ref"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(schema("/a"), "#/components/schemas/response");
    assert_eq!(schema("/b"), "#/components/schemas/retrieve_response");
    assert_eq!(schema("/c"), "#/components/schemas/response2");
    assert_eq!(
        d.normalised["components"]["schemas"]["retrieve_response"]["type"],
        "object"
    );
}

#[test]
fn a_ref_cycle_across_files_is_refused() {
    let source = MemorySource::from(vec![
        (
            "openapi.yaml".to_owned(),
            b"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a: {$ref: a.yaml}\n"
                .to_vec(),
        ),
        ("a.yaml".to_owned(), b"$ref: b.yaml\n".to_vec()),
        ("b.yaml".to_owned(), b"$ref: a.yaml\n".to_vec()),
    ]);
    let e = load(&source, "openapi.yaml", &limits()).unwrap_err();
    assert_code(&e, "spec_ref_cycle", "a.yaml");
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn tar_gz_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    for (name, bytes) in entries {
        let mut h = tar::Header::new_gnu();
        // Written raw so that unsafe names can be tested too (set_path refuses them).
        h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        h.set_cksum();
        b.append(&h, *bytes).unwrap();
    }
    b.into_inner().unwrap().finish().unwrap()
}

#[test]
fn zip_archives_load() {
    let bytes = zip_of(&[
        ("petstore/openapi.yaml", PETSTORE_30.as_bytes()),
        ("petstore/README.md", b"hi"),
    ]);
    let source = MemorySource::from_archive(&bytes, &limits()).unwrap();
    let root = source.root().unwrap();
    assert_eq!(root, "petstore/openapi.yaml");
    assert_eq!(load(&source, &root, &limits()).unwrap().title, "Petstore");
}

#[test]
fn tar_gz_archives_load() {
    let bytes = tar_gz_of(&[
        ("spec/main.yaml", PETSTORE_30.as_bytes()),
        ("spec/other.yaml", b"type: string\n"),
    ]);
    let source = MemorySource::from_archive(&bytes, &limits()).unwrap();
    // No openapi.* name: the one unreferenced document with an `openapi` key is the root.
    assert_eq!(source.root().unwrap(), "spec/main.yaml");
}

#[test]
fn archive_entries_escaping_the_root_are_refused() {
    let e =
        MemorySource::from_archive(&zip_of(&[("../evil.yaml", b"x: 1")]), &limits()).unwrap_err();
    assert_code(&e, "spec_archive", "../evil.yaml");
    let e = MemorySource::from_archive(&tar_gz_of(&[("/etc/evil.yaml", b"x: 1")]), &limits())
        .unwrap_err();
    assert_code(&e, "spec_archive", "/etc/evil.yaml");
    let e = MemorySource::from_archive(b"not an archive", &limits()).unwrap_err();
    assert_eq!(e.code, "spec_archive");
}

#[test]
fn archives_with_too_many_files_are_refused() {
    let small = Limits {
        max_files: 1,
        ..Limits::default()
    };
    let e =
        MemorySource::from_archive(&zip_of(&[("a.yaml", b"a: 1"), ("b.yaml", b"b: 1")]), &small)
            .unwrap_err();
    assert_eq!(e.code, "spec_too_many_files");
}

#[test]
fn two_root_candidates_are_ambiguous() {
    let source = MemorySource::from(vec![
        ("a/openapi.yaml".to_owned(), vec![]),
        ("b/openapi.json".to_owned(), vec![]),
    ]);
    assert_eq!(source.root().unwrap_err().code, "spec_ambiguous_root");
    assert_eq!(
        MemorySource::from(vec![("x.txt".to_owned(), vec![])])
            .root()
            .unwrap_err()
            .code,
        "spec_no_root"
    );
}

#[test]
fn dir_source_refuses_paths_leaving_its_root() {
    let dir = std::env::temp_dir().join(format!("pac-spec-test-{}", std::process::id()));
    let inner = dir.join("inner");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(dir.join("secret.yaml"), "x: 1").unwrap();
    std::fs::write(inner.join("openapi.yaml"), PETSTORE_30).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("secret.yaml"), inner.join("link.yaml")).unwrap();
    let source = DirSource::new(&inner);
    assert_eq!(source.read("../secret.yaml").unwrap_err().code, "spec_path");
    assert_eq!(source.read("/etc/passwd").unwrap_err().code, "spec_path");
    #[cfg(unix)]
    assert_eq!(source.read("link.yaml").unwrap_err().code, "spec_path");
    assert!(source.read("missing.yaml").unwrap().is_none());
    assert_eq!(
        load(&source, "openapi.yaml", &limits()).unwrap().title,
        "Petstore"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- bad input ----

#[test]
fn neither_json_nor_yaml_is_a_syntax_error_with_line_and_column() {
    let e = err(
        "broken.json",
        "{\"openapi\": \"3.0.0\",\n  \"info\": [1, 2\n",
    );
    assert_code(&e, "spec_syntax", "broken.json:");
    assert!(e.line.is_some() && e.column.is_some());
    let e = err(
        "broken.yaml",
        "openapi: 3.0.0\ninfo:\n  title: [unclosed\n  version: 1\n",
    );
    assert_code(&e, "spec_syntax", "broken.yaml:");
    assert!(e.line.is_some());
}

#[test]
fn a_yaml_alias_bomb_is_stopped() {
    let mut text = String::from(
        "openapi: 3.0.0\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
        text.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    let e = err("bomb.yaml", &text);
    assert_code(&e, "spec_alias_limit", "bomb.yaml");
}

#[test]
fn deep_nesting_is_refused() {
    let e = err("deep.json", &"[".repeat(10_000));
    assert_code(&e, "spec_too_deep", "deep.json:1:");
    let yaml: String = (0..300)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    let e = err("deep.yaml", &yaml);
    assert_code(&e, "spec_too_deep", "deep.yaml");
}

#[test]
fn numbers_that_cannot_be_represented_are_refused() {
    let e = err("n.json", r##"{"openapi": "3.0.0", "x": 1e400}"##);
    assert_code(&e, "spec_number", "n.json:1:");
    let e = err("n.yaml", "openapi: 3.0.0\nx: 1e400\n");
    assert_code(&e, "spec_number", "n.yaml:2:");
}

#[test]
fn huge_integers_are_kept_as_floats() {
    // Real descriptions carry them in examples (viator.com); they are read like JSON parsers read them.
    for (name, text) in [
        (
            "big.json",
            r##"{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{},"x-big":99999999999999999999999}"##,
        ),
        (
            "big.yaml",
            "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\nx-big: 99999999999999999999999\n",
        ),
    ] {
        let d = load_str(name, text).unwrap();
        assert_eq!(d.normalised["x-big"].as_f64(), Some(1e23), "{name}");
    }
}

#[test]
fn control_characters_and_bad_utf8_are_encoding_errors() {
    let e = err("ctl.yaml", "openapi: 3.0.0\ninfo:\n  title: a\u{1}b\n");
    assert_code(&e, "spec_encoding", "ctl.yaml:3:");
    let e = err("c1.yaml", "openapi: 3.0.0\ninfo:\n  title: a\u{83}b\n");
    assert_code(&e, "spec_encoding", "c1.yaml:3:");
    let e = load_bytes(
        "latin1.yaml",
        b"openapi: 3.0.0\ntitle: caf\xe9\n",
        &limits(),
    )
    .unwrap_err();
    assert_code(&e, "spec_encoding", "latin1.yaml:2:");
}

#[test]
fn documents_that_are_not_openapi_are_refused() {
    assert_code(
        &err("a.yaml", "name: just some yaml\n"),
        "spec_not_openapi",
        "a.yaml",
    );
    assert_code(&err("b.json", "[1, 2, 3]"), "spec_not_openapi", "b.json");
    assert_code(&err("c.yaml", ""), "spec_not_openapi", "c.yaml");
    assert_code(
        &err("d.yaml", "openapi: 4.0.0\n"),
        "spec_unsupported_version",
        "/openapi",
    );
    assert_code(
        &err("e.json", r##"{"swaggerVersion": "1.2"}"##),
        "spec_unsupported_version",
        "e.json",
    );
}

#[test]
fn wrong_types_are_refused_with_their_pointer() {
    let e = err(
        "t.yaml",
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: 3\n",
    );
    assert_code(&e, "spec_invalid", "t.yaml: /paths:");
    assert_eq!(e.pointer.as_deref(), Some("/paths"));
    let e = err(
        "t.yaml",
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      responses: [1]\n",
    );
    assert_code(&e, "spec_invalid", "/paths/~1pets/get/responses");
}

#[test]
fn small_slips_are_repaired_with_a_note() {
    let d = load_str("r.yaml", "openapi: 3.0.0\ninfo: {title: t}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: 200}\n")
        .unwrap();
    assert_eq!(d.version, "");
    let pointers: Vec<&str> = d.notes.iter().map(|n| n.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        ["/info/version", "/paths/~1a/get/responses/200/description"]
    );
}

#[test]
fn oversize_documents_are_refused_before_parsing() {
    let small = Limits {
        max_document_bytes: 100,
        ..Limits::default()
    };
    let e = load_bytes("big.yaml", PETSTORE_30.as_bytes(), &small).unwrap_err();
    assert_code(&e, "spec_too_large", "big.yaml");
}

#[test]
fn too_many_operations_are_refused() {
    let small = Limits {
        max_operations: 1,
        ..Limits::default()
    };
    let text = PETSTORE_30.replace("    get:\n", "    post:\n      responses: {}\n    get:\n");
    let e = load_bytes("ops.yaml", text.as_bytes(), &small).unwrap_err();
    assert_code(&e, "spec_too_many_operations", "ops.yaml: /paths");
}

/// Random bytes, truncations and byte flips of real-looking documents must give errors, never panics.
#[test]
fn fuzzed_input_never_panics() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let l = limits();
    for _ in 0..300 {
        let len = (next() % 200) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let _ = load_bytes("random", &bytes, &l);
    }
    for doc in [PETSTORE_30, SWAGGER_2] {
        for cut in (0..doc.len()).step_by(7) {
            let _ = load_bytes("cut.yaml", &doc.as_bytes()[..cut], &l);
        }
        for _ in 0..300 {
            let mut bytes = doc.as_bytes().to_vec();
            let at = (next() as usize) % bytes.len();
            bytes[at] = b"{}[]:-\"'&*!|>#\n 0"[(next() % 17) as usize];
            let _ = load_bytes("flip.yaml", &bytes, &l);
        }
    }
    for _ in 0..100 {
        let len = (next() % 300) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let _ = MemorySource::from_archive(&[b"PK\x03\x04".as_slice(), &bytes].concat(), &l);
        let _ = MemorySource::from_archive(&[b"\x1f\x8b".as_slice(), &bytes].concat(), &l);
    }
}

/// The OpenAPI Initiative's examples and valid 3.1 tests (shared corpora, used when present): every valid one
/// loads, and truncated copies of each give errors rather than panics.
#[test]
fn oai_corpus_loads_and_its_truncations_never_panic() {
    let Some(top) = pac_testkit::shared_path(
        "oai_corpus_loads_and_its_truncations_never_panic",
        "corpora/oai",
    ) else {
        return;
    };
    let mut files = Vec::new();
    let mut dirs = vec![top.join("examples"), top.join("schema-tests/pass")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                files.push(p);
            }
        }
    }
    let l = limits();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let is_root =
            text.contains("openapi") || text.contains("swagger\"") || text.contains("swagger:");
        if is_root {
            let source = DirSource::new(path.parent().unwrap().parent().unwrap());
            let parent = path
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy();
            let name = path.file_name().unwrap().to_string_lossy();
            let loaded = load(&source, &format!("{parent}/{name}"), &l);
            assert!(loaded.is_ok(), "{}: {:?}", path.display(), loaded.err());
        }
        for i in 1..16 {
            let _ = load_bytes("cut", &bytes[..bytes.len() * i / 16], &l);
        }
    }
    assert!(files.len() > 50, "only {} files found", files.len());
}

/// Nesting just under the limit goes through every stage (parser, bundler, model, summaries) without
/// overflowing the stack, whatever thread the caller uses.
#[test]
fn nesting_at_the_limit_loads() {
    let mut schema = String::from("{\"type\": \"string\"}");
    // Each level adds two JSON levels (schema object + properties map); the document wrapper adds five.
    for _ in 0..60 {
        schema = format!("{{\"type\": \"object\", \"properties\": {{\"p\": {schema}}}}}");
    }
    let text = format!(
        "{{\"openapi\": \"3.0.0\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \
         \"components\": {{\"schemas\": {{\"Deep\": {schema}}}}}}}"
    );
    let yaml_text =
        serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&text).unwrap()).unwrap();
    assert!(load_str("deep.json", &text).is_ok());
    // The same through the YAML parser (JSON is valid YAML flow syntax; force it down that path).
    assert!(load_str("deep.yaml", &format!("# yaml\n{yaml_text}")).is_ok());
}

fn nodes(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Object(m) => 1 + m.values().map(nodes).sum::<usize>(),
        serde_json::Value::Array(a) => 1 + a.iter().map(nodes).sum::<usize>(),
        _ => 1,
    }
}

/// Reference graphs built to exhaust a careless reader load without being multiplied: the
/// normalised document is about as big as the files read, whatever the shape of the graph. A
/// chain of references to references beyond the limit is refused by name.
#[test]
fn adversarial_reference_graphs_are_never_expanded() {
    for fixture in pac_testkit::adversarial::all() {
        let source = MemorySource::new(
            fixture
                .files
                .iter()
                .map(|(p, t)| (p.clone(), t.clone().into_bytes()))
                .collect(),
        );
        let loaded = load(&source, fixture.root(), &limits());
        if fixture.name == "long-chain" {
            let e = loaded.unwrap_err();
            assert_eq!(e.code, "spec_too_deep", "{}: {e}", fixture.name);
            assert!(e.message.contains("chain of more than 64"), "{e}");
            continue;
        }
        let d = loaded.unwrap_or_else(|e| panic!("{}: {e}", fixture.name));
        let read: usize = d
            .files
            .iter()
            .map(|f| nodes(&parse(&f.path, &f.bytes, &limits()).unwrap().0))
            .sum();
        let normalised = nodes(&d.normalised);
        assert!(
            normalised <= read * 2 + 100,
            "{}: {normalised} nodes normalised from {read} read",
            fixture.name
        );
        assert!(!d.operations.is_empty(), "{}: no operations", fixture.name);
    }
}

/// A folder of its own under the system's temporary folder, removed when dropped.
struct TempFolder(std::path::PathBuf);

impl TempFolder {
    fn new(name: &str) -> TempFolder {
        let dir = std::env::temp_dir().join(format!("pac-spec-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempFolder(dir)
    }

    fn write(&self, rel: &str, text: &str) -> std::path::PathBuf {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The way HMRC and NHS England keep descriptions: a root file whose paths, and the schemas they
/// use, are files beside it (and, with a root above it, in a common folder).
fn multi_file(dir: &TempFolder) -> std::path::PathBuf {
    dir.write(
        "common/errors.yaml",
        "components:\n  schemas:\n    Error: {type: object, properties: {code: {type: string}}}\n",
    );
    dir.write(
        "conf/2.0/list.yaml",
        "get:\n  summary: List obligations\n  description: Only in the sibling file\n  responses:\n    '200':\n      description: ok\n      content: {application/json: {schema: {$ref: './schemas/obligations.json'}}}\n    '400':\n      description: bad\n      content: {application/json: {schema: {$ref: '../../common/errors.yaml#/components/schemas/Error'}}}\n",
    );
    dir.write(
        "conf/2.0/schemas/obligations.json",
        r#"{"type": "object", "properties": {"obligations": {"type": "array", "items": {"type": "string"}}}}"#,
    );
    dir.write(
        "conf/2.0/docs/intro.md",
        "# Obligations\n\nWhat a business owes, **when**.\n",
    );
    dir.write(
        "conf/2.0/application.yaml",
        "openapi: 3.0.3\ninfo: {title: Obligations, version: '2.0', description: {$ref: './docs/intro.md'}}\npaths:\n  /obligations: {$ref: './list.yaml'}\n",
    )
}

#[test]
fn a_file_is_read_with_the_files_its_references_reach_inside_its_root() {
    let dir = TempFolder::new("multi");
    let root_file = multi_file(&dir);
    // Its own folder by default: the sibling files are read; the common folder above is not.
    let d = input::load_file(&root_file, &limits()).unwrap();
    assert_eq!(d.operations.len(), 1);
    assert_eq!(d.operations[0].summary.as_deref(), Some("List obligations"));
    let paths: Vec<&str> = d.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "application.yaml",
            "docs/intro.md",
            "list.yaml",
            "schemas/obligations.json"
        ]
    );
    // A description kept in Markdown beside the file is its text.
    let intro = "# Obligations\n\nWhat a business owes, **when**.\n";
    assert_eq!(d.normalised["info"]["description"], intro);
    assert_eq!(d.description.as_deref(), Some(intro));
    assert_eq!(d.files[1].format, SourceFormat::Text);
    let escaped: Vec<&Note> = d.notes.iter().filter(|n| n.is_unresolved()).collect();
    assert_eq!(escaped.len(), 1, "{:?}", d.notes);
    assert!(
        escaped[0].message.contains("leaves the source root"),
        "{:?}",
        escaped[0]
    );
    // With the folder above as the root, ../../common is reached too; files are named below it.
    let d = input::load_file_within(&root_file, Some(&dir.0), &limits()).unwrap();
    let paths: Vec<&str> = d.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "conf/2.0/application.yaml",
            "conf/2.0/docs/intro.md",
            "conf/2.0/list.yaml",
            "conf/2.0/schemas/obligations.json",
            "common/errors.yaml"
        ]
    );
    assert!(d.notes.iter().all(|n| !n.is_unresolved()), "{:?}", d.notes);
    // A root that does not hold the file is refused, by name.
    let e =
        input::load_file_within(&root_file, Some(&dir.0.join("common")), &limits()).unwrap_err();
    assert_eq!(e.code, "spec_path");
    // The root file alone (as an upload without its siblings) reads no operation: refused, naming
    // the reference that failed, rather than accepted empty.
    let alone = std::fs::read(&root_file).unwrap();
    let e = load_bytes("application.yaml", &alone, &limits()).unwrap_err();
    assert_eq!(e.code, "spec_no_operations");
    assert!(e.message.contains("./list.yaml"), "{e}");
}

#[test]
fn a_folder_of_files_names_its_descriptions_by_content() {
    let dir = TempFolder::new("roots");
    multi_file(&dir);
    let declared = |rel: &str| sniff::declares_openapi(&std::fs::read(dir.0.join(rel)).unwrap());
    assert!(declared("conf/2.0/application.yaml"));
    assert!(!declared("conf/2.0/list.yaml"));
    assert!(!declared("conf/2.0/schemas/obligations.json"));
    let root = std::fs::read(dir.0.join("conf/2.0/application.yaml")).unwrap();
    let refs = input::file_refs("conf/2.0/application.yaml", &root, &limits()).unwrap();
    assert_eq!(
        refs.into_iter().collect::<Vec<_>>(),
        ["conf/2.0/docs/intro.md", "conf/2.0/list.yaml"]
    );
}
