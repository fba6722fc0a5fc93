-- 0016: the change log (0012) is kept only once a team database needs it.
--
-- Until then it cost every write: a row and an index entry per record and
-- per association, about a sixth of an unthrottled run's time and of the
-- file, for a table only a mirror reads. Now a database keeps its log while
-- it has the log's triggers, and a new one has none until KeepChangeLog (the
-- first sync calls it) logs everything stored and creates them; from then
-- on the log is kept for good, since a mirror's position counts on every
-- later change being in it. This migration's step in Go
-- (stopUnusedChangeLog) drops the triggers of a database that has logged
-- nothing; one that has logged anything may already feed a mirror and keeps
-- them.

-- Everything a mirror holds, one change each: what KeepChangeLog logs when
-- it turns the log on (0012 logged the same at its start).
CREATE VIEW change_log_seed (kind, a, b, c, d) AS
    SELECT DISTINCT 'properties', object_type, '', '', '' FROM properties
    UNION ALL SELECT DISTINCT 'pipelines', object_type, '', '', '' FROM pipelines
    UNION ALL SELECT 'owners', '', '', '', '' WHERE EXISTS (SELECT 1 FROM owners)
    UNION ALL SELECT 'record', object_type, id, '', '' FROM records
    UNION ALL SELECT 'association', from_type, from_id, to_type, to_id FROM associations;
