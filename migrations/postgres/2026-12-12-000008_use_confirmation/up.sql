-- Which organisation stated each use of an API: the organisation of the caller who last recorded
-- it (none for the service itself, e.g. the catalogue as code). A use recorded by the consuming
-- system's own organisation is confirmed by that organisation: the evidence a Gold
-- interoperability tier asks for (docs/STANDARD.md).
ALTER TABLE consumptions ADD COLUMN recorded_org TEXT;

-- Uses recorded before: the organisation of the newest audit entry that stated them.
UPDATE consumptions SET recorded_org = (
    SELECT a.actor_org FROM audit_log a
    WHERE a.action = 'system.consumes'
      AND a.target = (SELECT s.slug FROM systems s WHERE s.id = consumptions.system_id)
          || ':' || (SELECT p.slug FROM apis p WHERE p.id = consumptions.api_id)
    ORDER BY a.id DESC
    LIMIT 1
);
