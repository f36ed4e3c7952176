ALTER TABLE api_versions DROP COLUMN changes;
ALTER TABLE apis DROP COLUMN compatibility;
