-- 0014: faster ingest and exports.
--
-- records_fts merges its segments less eagerly. FTS5 writes a segment per
-- transaction (a page of records) and by default merges a level once it
-- holds 4 segments, which rewrote the index data several times over during
-- a run: a third of the writer's time. At 16 each entry is rewritten about
-- half as often; a search looks a term up in a few more segments (still
-- well under a millisecond per term at a million records).
INSERT INTO records_fts (records_fts, rank) VALUES ('automerge', 16);

-- Every property name found on at least one record of a type, kept up to
-- date by UpsertRecords (the only writer of records), so that an export
-- knows its columns without parsing every record's properties first (a
-- second at 100,000 records). It may hold a name no record has any more (a
-- record rewritten without it); RecordPropertyNames checks each name.
CREATE TABLE record_property_names (
    object_type TEXT NOT NULL,
    name        TEXT NOT NULL,
    PRIMARY KEY (object_type, name)
) WITHOUT ROWID;

INSERT OR IGNORE INTO record_property_names (object_type, name)
SELECT DISTINCT r.object_type, p.key FROM records r, json_each(r.properties) p;
