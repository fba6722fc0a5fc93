-- 0019: the record search indexes an HTML body as its readable text.
--
-- HubSpot keeps note, call, meeting, task, email, message and postal mail
-- bodies as HTML. Their markup was indexed word by word: "div", "span",
-- "style" or "href" matched nearly every such record, and an email's
-- styles and link addresses outweighed its words. record_search_text now
-- reads an HTML body as the record browser shows it (tags dropped, script
-- and style left out, entities decoded).
--
-- The records of the types with such bodies whose properties hold markup or
-- an entity ('<' and '&', as the store's JSON escapes them or not) leave the
-- index and join search_pending: the next Open indexes them again with the
-- new text (catchUpSearch), in one statement. FTS5 ignores the delete of a
-- record it lacks (one already pending), and the invariant of 0017 (in the
-- index or pending, never both) holds after.
CREATE TEMP TABLE reindex_0019 AS
SELECT rowid AS rid FROM records
WHERE object_type IN ('calls', 'communications', 'emails', 'meetings', 'notes', 'postal_mail', 'tasks')
  AND (instr(properties, '\u003c') OR instr(properties, '<') OR instr(properties, '\u0026') OR instr(properties, '&'));

DELETE FROM records_fts WHERE rowid IN (SELECT rid FROM reindex_0019);
INSERT OR IGNORE INTO search_pending (rid) SELECT rid FROM reindex_0019;
DROP TABLE reindex_0019;
