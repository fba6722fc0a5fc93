-- 0016: the change log (0012) is kept only once a team database needs it.
--
-- Until then it cost every write: a row and an index entry per record and
-- per association, about a sixth of an unthrottled run's time and of the
-- file, for a table only a mirror reads. Now a database keeps no log, and
-- has none of its triggers, until KeepChangeLog (the first sync calls it)
-- logs everything stored and creates them; from then on the log is kept for
-- good, since a mirror's position counts on every later change being in it.
CREATE TABLE change_log (
    kept INTEGER NOT NULL
);
-- A database that has logged anything may already feed a mirror: it keeps
-- its log. A new one (0012 found nothing to log) starts without.
INSERT INTO change_log (kept) SELECT EXISTS (SELECT 1 FROM changes);

-- The triggers are dropped here; for a database that keeps its log, this
-- migration's step in Go (keepChangeLogTriggers) creates them again, from
-- changelog_triggers.sql, as KeepChangeLog does.
DROP TRIGGER changes_record_insert;
DROP TRIGGER changes_record_update;
DROP TRIGGER changes_record_delete;
DROP TRIGGER changes_association_insert;
DROP TRIGGER changes_association_update;
DROP TRIGGER changes_association_delete;
DROP TRIGGER changes_owner_insert;
DROP TRIGGER changes_owner_update;
DROP TRIGGER changes_owner_delete;
DROP TRIGGER changes_pipeline_insert;
DROP TRIGGER changes_pipeline_update;
DROP TRIGGER changes_pipeline_delete;
DROP TRIGGER changes_stage_insert;
DROP TRIGGER changes_stage_update;
DROP TRIGGER changes_stage_delete;
DROP TRIGGER changes_property_insert;
DROP TRIGGER changes_property_update;
DROP TRIGGER changes_property_delete;

-- Everything a mirror holds, one change each: what KeepChangeLog logs when
-- it turns the log on (0012 logged the same at its start).
CREATE VIEW change_log_seed (kind, a, b, c, d) AS
    SELECT DISTINCT 'properties', object_type, '', '', '' FROM properties
    UNION ALL SELECT DISTINCT 'pipelines', object_type, '', '', '' FROM pipelines
    UNION ALL SELECT 'owners', '', '', '', '' WHERE EXISTS (SELECT 1 FROM owners)
    UNION ALL SELECT 'record', object_type, id, '', '' FROM records
    UNION ALL SELECT 'association', from_type, from_id, to_type, to_id FROM associations;
