-- The catalogue core: organisations own systems and APIs; an API has immutable versions whose
-- source files are content-addressed blobs; operations and schemas are derived from each version.
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    homepage TEXT,
    description TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE systems (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    description TEXT,
    visibility TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX systems_organisation ON systems (organisation_id);

CREATE TABLE apis (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    system_id BIGINT REFERENCES systems (id),
    name TEXT NOT NULL,
    description TEXT,
    visibility TEXT NOT NULL,
    lifecycle TEXT NOT NULL,
    documentation_url TEXT,
    source TEXT NOT NULL,
    latest_version TEXT,
    latest_spec_format TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX apis_organisation ON apis (organisation_id);
CREATE INDEX apis_updated ON apis (updated_at);

CREATE TABLE api_tags (
    api_id BIGINT NOT NULL REFERENCES apis (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (api_id, tag)
);
CREATE INDEX api_tags_tag ON api_tags (tag);

CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY NOT NULL,
    size BIGINT NOT NULL,
    content BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE api_versions (
    id INTEGER PRIMARY KEY,
    api_id BIGINT NOT NULL REFERENCES apis (id),
    version TEXT NOT NULL,
    seq INTEGER NOT NULL,
    content_sha256 TEXT,
    spec_format TEXT,
    declared_version TEXT,
    title TEXT NOT NULL,
    description TEXT,
    documentation_url TEXT,
    operation_count INTEGER NOT NULL,
    schema_count INTEGER NOT NULL,
    notes TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    UNIQUE (api_id, version),
    UNIQUE (api_id, seq)
);

CREATE TABLE version_files (
    version_id BIGINT NOT NULL REFERENCES api_versions (id),
    position INTEGER NOT NULL,
    path TEXT NOT NULL,
    media_type TEXT NOT NULL,
    blob_sha256 TEXT NOT NULL REFERENCES blobs (sha256),
    PRIMARY KEY (version_id, position),
    UNIQUE (version_id, path)
);

CREATE TABLE operations (
    id INTEGER PRIMARY KEY,
    version_id BIGINT NOT NULL REFERENCES api_versions (id),
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    operation_id TEXT,
    summary TEXT,
    description TEXT,
    tags TEXT NOT NULL,
    deprecated BOOLEAN NOT NULL
);
CREATE INDEX operations_version ON operations (version_id);

CREATE TABLE schemas (
    id INTEGER PRIMARY KEY,
    version_id BIGINT NOT NULL REFERENCES api_versions (id),
    name TEXT NOT NULL,
    description TEXT,
    properties TEXT NOT NULL
);
CREATE INDEX schemas_version ON schemas (version_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    actor_org TEXT,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    content_sha256 TEXT,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
