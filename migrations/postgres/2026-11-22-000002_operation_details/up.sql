-- What an operation takes and gives: its parameters ([{name, in, required}]) and the media types of its
-- request body and responses (JSON arrays), for operation pages and for search.
ALTER TABLE operations ADD COLUMN parameters TEXT NOT NULL DEFAULT '[]';
ALTER TABLE operations ADD COLUMN request_media_types TEXT NOT NULL DEFAULT '[]';
ALTER TABLE operations ADD COLUMN response_media_types TEXT NOT NULL DEFAULT '[]';
