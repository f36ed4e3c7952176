ALTER TABLE consumptions DROP COLUMN recorded_org;
