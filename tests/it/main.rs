//! Integration tests: the real app (`pac::create_app`) driven in-process, each test on a fresh store
//! of its own, on SQLite and on PostgreSQL. One binary, so the stack is linked once.

mod support;

mod browser;
mod catalogue;
mod changes;
mod compat;
mod import;
mod interop;
mod oidc_provider;
mod pages;
mod platform;
mod publish;
mod relevance;
mod search;
mod signin;
mod site;
mod standard;
mod tender;
mod tender_pages;
mod tenders;
mod tiers;
mod visibility;

/// A small OpenAPI 3.0 description of a custody API, used across tests.
pub const CUSTODY_V1: &str = r#"openapi: 3.0.3
info:
  title: Custody Records API
  version: 1.0.0
  description: Custody records of a force.
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
          schema: { type: string }
      responses:
        '200':
          description: The record
          content:
            application/json:
              schema: { $ref: '#/components/schemas/CustodyRecord' }
components:
  schemas:
    CustodyRecord:
      type: object
      description: A person's time in custody.
      properties:
        id: { type: string }
        arrestedAt: { type: string, format: date-time }
"#;

/// Version 1.1.0 of the same API: one more operation.
pub const CUSTODY_V1_1: &str = r#"{"openapi":"3.0.3","info":{"title":"Custody Records API","version":"1.1.0"},
"paths":{"/custody-records":{"get":{"operationId":"listCustodyRecords","summary":"List custody records","responses":{"200":{"description":"ok"}}}},
"/custody-records/{recordId}":{"get":{"operationId":"getCustodyRecord","responses":{"200":{"description":"ok"}}}}}}"#;
