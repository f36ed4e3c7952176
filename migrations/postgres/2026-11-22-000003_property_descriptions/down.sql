ALTER TABLE schemas DROP COLUMN property_descriptions;
