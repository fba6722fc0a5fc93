-- 0001: the first schema. Times are INTEGER unix milliseconds (UTC), NULL when
-- unknown; ids are TEXT because HubSpot ids exceed 2^31.

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    status      TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'cancelled')),
    mode        TEXT NOT NULL CHECK (mode IN ('full', 'incremental')),
    objects     TEXT NOT NULL DEFAULT '[]',
    error       TEXT NOT NULL DEFAULT '',
    warnings    TEXT NOT NULL DEFAULT '[]',
    api_calls   INTEGER NOT NULL DEFAULT 0,
    retries     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE run_streams (
    run_id        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    stream        TEXT NOT NULL,
    status        TEXT NOT NULL,
    records       INTEGER NOT NULL DEFAULT 0,
    failed        INTEGER NOT NULL DEFAULT 0,
    api_calls     INTEGER NOT NULL DEFAULT 0,
    pages         INTEGER NOT NULL DEFAULT 0,
    retries       INTEGER NOT NULL DEFAULT 0,
    seconds       REAL NOT NULL DEFAULT 0,
    hubspot_total INTEGER,
    error         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, stream)
);

CREATE TABLE checkpoints (
    run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    stream     TEXT NOT NULL,
    cursor     TEXT NOT NULL DEFAULT '',
    done       INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER,
    PRIMARY KEY (run_id, stream)
);

CREATE TABLE watermarks (
    stream     TEXT PRIMARY KEY,
    value      INTEGER NOT NULL,
    run_id     INTEGER,
    updated_at INTEGER
);

-- A rowid table (not WITHOUT ROWID): records_fts is keyed by records.rowid,
-- which an upsert (ON CONFLICT DO UPDATE) keeps.
CREATE TABLE records (
    object_type TEXT NOT NULL,
    id          TEXT NOT NULL,
    properties  TEXT NOT NULL DEFAULT '{}',
    created_at  INTEGER,
    updated_at  INTEGER,
    archived    INTEGER NOT NULL DEFAULT 0,
    archived_at INTEGER,
    run_id      INTEGER,
    UNIQUE (object_type, id) -- also the (object_type, id) lookup index
);
-- The browser's keyset order: updated_at DESC, id DESC, within one type.
CREATE INDEX records_type_updated ON records (object_type, updated_at DESC, id DESC);
-- Exports stream a type in numeric id order without sorting.
CREATE INDEX records_type_numeric_id ON records (object_type, length(id), id);

CREATE VIRTUAL TABLE records_fts USING fts5 (
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
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

CREATE TABLE associations (
    from_type TEXT NOT NULL,
    from_id   TEXT NOT NULL,
    to_type   TEXT NOT NULL,
    to_id     TEXT NOT NULL,
    types     TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (from_type, from_id, to_type, to_id)
) WITHOUT ROWID;
CREATE INDEX associations_to ON associations (to_type, to_id);

CREATE TABLE properties (
    object_type   TEXT NOT NULL,
    name          TEXT NOT NULL,
    label         TEXT NOT NULL DEFAULT '',
    type          TEXT NOT NULL DEFAULT '',
    field_type    TEXT NOT NULL DEFAULT '',
    group_name    TEXT NOT NULL DEFAULT '',
    display_order INTEGER NOT NULL DEFAULT 0,
    options       TEXT NOT NULL DEFAULT '[]',
    hidden        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (object_type, name)
);

CREATE TABLE owners (
    id         TEXT PRIMARY KEY,
    email      TEXT NOT NULL DEFAULT '',
    first_name TEXT NOT NULL DEFAULT '',
    last_name  TEXT NOT NULL DEFAULT '',
    user_id    INTEGER,
    archived   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER,
    updated_at INTEGER
);

CREATE TABLE pipelines (
    object_type   TEXT NOT NULL,
    id            TEXT NOT NULL,
    label         TEXT NOT NULL DEFAULT '',
    display_order INTEGER NOT NULL DEFAULT 0,
    archived      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (object_type, id)
);

CREATE TABLE pipeline_stages (
    object_type   TEXT NOT NULL,
    pipeline_id   TEXT NOT NULL,
    id            TEXT NOT NULL,
    label         TEXT NOT NULL DEFAULT '',
    display_order INTEGER NOT NULL DEFAULT 0,
    archived      INTEGER NOT NULL DEFAULT 0,
    metadata      TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (object_type, pipeline_id, id),
    FOREIGN KEY (object_type, pipeline_id) REFERENCES pipelines (object_type, id) ON DELETE CASCADE
);

CREATE TABLE forms (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',
    form_type  TEXT NOT NULL DEFAULT '',
    created_at INTEGER,
    updated_at INTEGER,
    archived   INTEGER NOT NULL DEFAULT 0,
    raw        TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE form_submissions (
    form_id       TEXT NOT NULL,
    conversion_id TEXT NOT NULL,
    submitted_at  INTEGER,
    page_url      TEXT NOT NULL DEFAULT '',
    "values"      TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (form_id, conversion_id)
);
CREATE INDEX form_submissions_form_time ON form_submissions (form_id, submitted_at);

CREATE TABLE email_events (
    id          TEXT PRIMARY KEY,
    type        TEXT NOT NULL DEFAULT '',
    created     INTEGER,
    recipient   TEXT NOT NULL DEFAULT '',
    campaign_id TEXT NOT NULL DEFAULT '',
    raw         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX email_events_created ON email_events (created);
