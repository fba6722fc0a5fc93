-- 0004: prefix indexes for the record search.
--
-- Every typed word is searched as a prefix (ftsQuery: "jose@exa" becomes
-- "jose exa"*). For a prefix of a length it holds no prefix index of, FTS5
-- first merges the doclists of every term that starts with it: "exa*" merged
-- the "example0".."example99" of all contacts, 85 ms at a million of them,
-- even though "user12345" narrows the phrase to one record. With prefix =
-- '1 2 3 4 5 6' the index also holds each term's first 1 to 6 characters as
-- terms of their own, so such a prefix is one lookup, read only as far as the
-- query needs. Measured at a million contacts, lengths 1 to 4 cost 200 MB
-- (the index without them is 80 MB), 5 and 6 another 70 MB and make a
-- 5- or 6-letter prefix of a word most records have (a common e-mail domain)
-- as fast; 7 and 8 would add 40 MB more for prefixes that rarely match many
-- terms.
--
-- An FTS5 table's options cannot be altered: the table and its triggers are
-- recreated, unchanged but for the prefix option, and the index is rebuilt
-- from the stored records (it is contentless, so its 'rebuild' command cannot
-- do it). The body is the one records_fts_insert (0001) indexes.

DROP TRIGGER records_fts_insert;
DROP TRIGGER records_fts_update;
DROP TRIGGER records_fts_delete;
DROP TABLE records_fts;

CREATE VIRTUAL TABLE records_fts USING fts5 (
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3 4 5 6'
);

CREATE TRIGGER records_fts_insert AFTER INSERT ON records BEGIN
    INSERT INTO records_fts (rowid, body)
    SELECT new.rowid, coalesce(group_concat(value, ' '), '')
    FROM json_each(new.properties) WHERE value IS NOT NULL;
END;

-- Re-extraction rewrites mostly unchanged records: reindex only real changes.
CREATE TRIGGER records_fts_update AFTER UPDATE OF properties ON records
WHEN old.properties IS NOT new.properties BEGIN
    DELETE FROM records_fts WHERE rowid = old.rowid;
    INSERT INTO records_fts (rowid, body)
    SELECT new.rowid, coalesce(group_concat(value, ' '), '')
    FROM json_each(new.properties) WHERE value IS NOT NULL;
END;

CREATE TRIGGER records_fts_delete AFTER DELETE ON records BEGIN
    DELETE FROM records_fts WHERE rowid = old.rowid;
END;

INSERT INTO records_fts (rowid, body)
SELECT r.rowid, (SELECT coalesce(group_concat(value, ' '), '')
                 FROM json_each(r.properties) WHERE value IS NOT NULL)
FROM records r ORDER BY r.rowid;

-- That one statement writes the index as a dozen segments; merged into one,
-- a prefix longer than the prefix index's is looked up once instead of a
-- dozen times (0.7 ms down to 0.03 ms). It adds 6 s at a million contacts.
INSERT INTO records_fts (records_fts) VALUES ('optimize');
