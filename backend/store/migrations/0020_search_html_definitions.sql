-- 0020: the record search reads every property defined as HTML as its text.
--
-- 0019 read HubSpot's own bodies (a note's, an email's) as text; a custom
-- property of the rich-text kind (field type "html") was still indexed
-- with its markup, though the record browser shows it as text. The view
-- now hands record_search_text the type's HTML definitions, sorted and
-- joined by commas as store.HTMLProperties lists them, and the partial
-- index finds them per record. (Sorted by a subquery, not by an ORDER BY
-- inside group_concat: SQLite before 3.44, which other tools may carry,
-- would not read the schema at all.) The records whose markup went into the
-- index are taken out and marked pending by the migration's Go step
-- (reindexHTMLDefinitions), which knows HubSpot's bodies: 0019 did those.
CREATE INDEX properties_html ON properties (object_type, name) WHERE field_type = 'html';

DROP VIEW records_search_text;
CREATE VIEW records_search_text (rid, body) AS
SELECT r.rowid, record_search_text(r.properties,
    (SELECT group_concat(name, ',') FROM
       (SELECT p.name FROM properties p
        WHERE p.object_type = r.object_type AND p.field_type = 'html' ORDER BY p.name)))
FROM records r;
