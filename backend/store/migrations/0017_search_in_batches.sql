-- 0017: the record search is indexed in batches.
--
-- The triggers indexed each record as it was written: FTS5 wrote an index
-- segment per page (a hundred records) and merged those small segments over
-- and over, a third of an unthrottled run's writing. A written record now
-- only joins search_pending; the transaction that writes it indexes
-- everything pending before it commits (Tx.indexSearch), unless the
-- extraction's writer, with more pages waiting, lets up to a few thousand
-- records gather first and indexes them in one statement. Records stored
-- before stay indexed.
--
-- Invariant: a record is either in records_fts or in search_pending, never
-- both (FTS5 would index it twice). An update of a pending record deletes
-- nothing that is there (FTS5 ignores the delete of a row it lacks).
CREATE TABLE search_pending (
    rid INTEGER PRIMARY KEY -- records.rowid
);

DROP TRIGGER records_fts_insert;
DROP TRIGGER records_fts_update;
DROP TRIGGER records_fts_delete;

CREATE TRIGGER records_fts_insert AFTER INSERT ON records BEGIN
    INSERT INTO search_pending (rid) VALUES (new.rowid);
END;

-- Re-extraction rewrites mostly unchanged records: reindex only real changes.
-- Not INSERT OR IGNORE: the upsert that fires the trigger overrides its OR.
CREATE TRIGGER records_fts_update AFTER UPDATE OF properties ON records
WHEN old.properties IS NOT new.properties BEGIN
    DELETE FROM records_fts WHERE rowid = old.rowid;
    INSERT INTO search_pending (rid) SELECT new.rowid
    WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE rid = new.rowid);
END;

CREATE TRIGGER records_fts_delete AFTER DELETE ON records BEGIN
    DELETE FROM records_fts WHERE rowid = old.rowid;
    DELETE FROM search_pending WHERE rid = old.rowid;
END;
