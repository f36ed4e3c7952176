ALTER TABLE operations DROP COLUMN response_media_types;
ALTER TABLE operations DROP COLUMN request_media_types;
ALTER TABLE operations DROP COLUMN parameters;
