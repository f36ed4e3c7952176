-- Interoperability contracts and the relations between systems, contracts and APIs.
--
-- A contract is a curated, versioned OpenAPI document of what an implementation must provide. Its
-- versions are immutable and keep their original files as content-addressed blobs, as API versions do.
CREATE TABLE contracts (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    description TEXT,
    visibility TEXT NOT NULL,
    latest_version TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE contract_versions (
    id INTEGER PRIMARY KEY,
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    version TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    spec_format TEXT NOT NULL,
    title TEXT NOT NULL,
    -- JSON: [{"method": "get", "path": "/x", "operation_id": ..., "summary": ...}]
    operations TEXT NOT NULL,
    operation_count INTEGER NOT NULL,
    published_by TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    UNIQUE (contract_id, version)
);

CREATE TABLE contract_files (
    contract_version_id BIGINT NOT NULL REFERENCES contract_versions (id),
    position INTEGER NOT NULL,
    path TEXT NOT NULL,
    media_type TEXT NOT NULL,
    blob_sha256 TEXT NOT NULL REFERENCES blobs (sha256),
    PRIMARY KEY (contract_version_id, position)
);

-- A system's claim to implement a contract version through one of its APIs, and the result of the
-- last conformance check of the API's latest version against it.
CREATE TABLE implementations (
    id INTEGER PRIMARY KEY,
    system_id BIGINT NOT NULL REFERENCES systems (id),
    contract_version_id BIGINT NOT NULL REFERENCES contract_versions (id),
    api_id BIGINT NOT NULL REFERENCES apis (id),
    -- conformant | not_conformant | unverified
    status TEXT NOT NULL,
    -- JSON conformance report of the last check, or why it could not be checked
    report TEXT NOT NULL,
    checked_version_id BIGINT REFERENCES api_versions (id),
    checked_at TIMESTAMP,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (system_id, contract_version_id)
);
CREATE INDEX implementations_api ON implementations (api_id);
CREATE INDEX implementations_contract_version ON implementations (contract_version_id);

-- A system's use of an API (optionally of one version), what for, and what it replaces.
CREATE TABLE consumptions (
    id INTEGER PRIMARY KEY,
    system_id BIGINT NOT NULL REFERENCES systems (id),
    api_id BIGINT NOT NULL REFERENCES apis (id),
    version_id BIGINT REFERENCES api_versions (id),
    purpose TEXT NOT NULL,
    -- manual_rekeying | screen_scraping | nothing
    replaces TEXT NOT NULL,
    hours_saved_per_month DOUBLE,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (system_id, api_id)
);
CREATE INDEX consumptions_api ON consumptions (api_id);
