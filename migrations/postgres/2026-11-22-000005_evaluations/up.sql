-- Each version's results against a standard (a ruleset with levels and categories), one row per
-- ruleset version: changing the standard adds rows and keeps the old ones.
CREATE TABLE evaluations (
    id BIGSERIAL PRIMARY KEY,
    version_id BIGINT NOT NULL REFERENCES api_versions (id),
    ruleset TEXT NOT NULL,
    ruleset_version TEXT NOT NULL,
    kitemark BOOLEAN NOT NULL,
    score INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    -- JSON: {"score": {...breakdown...}, "findings": [...]}
    result TEXT NOT NULL,
    evaluated_at TIMESTAMP NOT NULL,
    UNIQUE (version_id, ruleset, ruleset_version)
);
CREATE INDEX evaluations_ruleset ON evaluations (ruleset, ruleset_version);
