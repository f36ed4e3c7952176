-- The description of each schema property (JSON array aligned with `properties`, null where a property
-- has none), shown with the schema and indexed by search.
ALTER TABLE schemas ADD COLUMN property_descriptions TEXT NOT NULL DEFAULT '[]';
