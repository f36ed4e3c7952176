-- An API's compatibility policy (off, warn or reject breaking changes within a major version), and
-- each version's changes against the version before it (JSON; null when not computed).
ALTER TABLE apis ADD COLUMN compatibility TEXT NOT NULL DEFAULT 'off';
ALTER TABLE api_versions ADD COLUMN changes TEXT;
