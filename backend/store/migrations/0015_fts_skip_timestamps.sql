-- 0015: the record search leaves out full timestamps.
--
-- Every record carries a few ISO timestamps (createdate, lastmodifieddate,
-- hs_timestamp, ...) that FTS5 cut into six terms each ("2024", "07",
-- "15t07", "22", "19", "085z"), every term indexed seven times over with its
-- prefixes (0004): about a third of what a run wrote to records_fts, and a
-- tenth of a whole unthrottled run's time, for terms nobody types (and that
-- made "2024" match every record created that year). Dates without a time
-- ("1973-02-21") and every other value stay searchable.
--
-- The text a record is found by is defined once, in this view; the triggers
-- and the rebuild below read it.
CREATE VIEW records_search_text (rid, body) AS
SELECT r.rowid, (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(r.properties)
                 WHERE value IS NOT NULL
                   AND value NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]*')
FROM records r;

DROP TRIGGER records_fts_insert;
DROP TRIGGER records_fts_update;

CREATE TRIGGER records_fts_insert AFTER INSERT ON records BEGIN
    INSERT INTO records_fts (rowid, body) SELECT rid, body FROM records_search_text WHERE rid = new.rowid;
END;

-- Re-extraction rewrites mostly unchanged records: reindex only real changes.
CREATE TRIGGER records_fts_update AFTER UPDATE OF properties ON records
WHEN old.properties IS NOT new.properties BEGIN
    DELETE FROM records_fts WHERE rowid = old.rowid;
    INSERT INTO records_fts (rowid, body) SELECT rid, body FROM records_search_text WHERE rid = new.rowid;
END;

-- Records stored before are indexed again as the triggers now would (the
-- table is contentless: its 'rebuild' command cannot), then merged into one
-- segment as 0004 does.
INSERT INTO records_fts (records_fts) VALUES ('delete-all');
INSERT INTO records_fts (rowid, body) SELECT rid, body FROM records_search_text ORDER BY rid;
INSERT INTO records_fts (records_fts) VALUES ('optimize');
