-- 0008: property history (propertiesWithHistory), opt-in per type. One row
-- per value a property had: the key makes an entry stored once, so an
-- incremental run that reads a record's history again adds only the new
-- entries (INSERT OR IGNORE). Times are unix ms like everywhere else;
-- updated_by_user_id is NULL when HubSpot names no user.
CREATE TABLE property_history (
    object_type        TEXT NOT NULL,
    object_id          TEXT NOT NULL,
    property           TEXT NOT NULL,
    timestamp          INTEGER NOT NULL,
    value              TEXT NOT NULL,
    source_type        TEXT NOT NULL DEFAULT '',
    source_id          TEXT NOT NULL DEFAULT '',
    source_label       TEXT NOT NULL DEFAULT '',
    updated_by_user_id INTEGER,
    PRIMARY KEY (object_type, object_id, property, timestamp, value)
) WITHOUT ROWID;
