-- 0002: state the extraction engine keeps between runs.

-- Records whose inline association page overflowed (paging.next inside the
-- collection), written in the same transaction as the page that revealed
-- them and deleted once their associations were completed through the v4
-- batch read (or made unnecessary by the other side of the pair), so that a
-- resumed run completes exactly what is left.
CREATE TABLE extract_overflow (
    from_type TEXT NOT NULL,
    to_type   TEXT NOT NULL,
    from_id   TEXT NOT NULL,
    PRIMARY KEY (from_type, to_type, from_id)
) WITHOUT ROWID;

-- Reconciliation counts the records changed since a run started.
CREATE INDEX records_type_archived_at ON records (object_type, archived_at);
