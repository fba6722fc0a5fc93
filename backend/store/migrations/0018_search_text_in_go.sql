-- 0018: the text a record is found by is worked out in Go.
--
-- The view (0015) built it with json_each, in the one connection that
-- writes, a tenth of an unthrottled run's writing. The same text (every
-- value but full timestamps, in the order of the property names, one space
-- apart) now comes from record_search_text(properties), a function the app
-- registers (search_text.go): the extraction computes it beside the writer,
-- on the goroutine that fetched the records, and the writer only looks it
-- up. What is indexed does not change, so nothing is indexed again. Another
-- SQLite tool opening the file lacks the function: it can read every table,
-- but not this view.
DROP VIEW records_search_text;
CREATE VIEW records_search_text (rid, body) AS
SELECT r.rowid, record_search_text(r.properties) FROM records r;
