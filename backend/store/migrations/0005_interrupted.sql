-- 0005: a run that a process left open when it died (killed, crashed, the
-- computer switched off) is closed by the next extraction as 'interrupted', a
-- status of its own rather than 'failed'. SQLite cannot change a CHECK
-- constraint in place, so runs is rebuilt. run_streams and checkpoints
-- reference it with ON DELETE CASCADE: they are rebuilt too, first against
-- runs_new, so that dropping the old runs deletes none of their rows (the
-- rename of runs_new to runs then renames their references with it).

CREATE TABLE runs_new (
    id          INTEGER PRIMARY KEY,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    status      TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'cancelled', 'interrupted')),
    mode        TEXT NOT NULL CHECK (mode IN ('full', 'incremental')),
    objects     TEXT NOT NULL DEFAULT '[]',
    error       TEXT NOT NULL DEFAULT '',
    warnings    TEXT NOT NULL DEFAULT '[]',
    api_calls   INTEGER NOT NULL DEFAULT 0,
    retries     INTEGER NOT NULL DEFAULT 0,
    resumable   INTEGER NOT NULL DEFAULT 1
);
INSERT INTO runs_new (id, started_at, finished_at, status, mode, objects, error, warnings, api_calls, retries, resumable)
    SELECT id, started_at, finished_at, status, mode, objects, error, warnings, api_calls, retries, resumable FROM runs;

CREATE TABLE run_streams_new (
    run_id        INTEGER NOT NULL REFERENCES runs_new (id) ON DELETE CASCADE,
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
INSERT INTO run_streams_new SELECT run_id, stream, status, records, failed, api_calls, pages, retries,
    seconds, hubspot_total, error FROM run_streams;

CREATE TABLE checkpoints_new (
    run_id     INTEGER NOT NULL REFERENCES runs_new (id) ON DELETE CASCADE,
    stream     TEXT NOT NULL,
    cursor     TEXT NOT NULL DEFAULT '',
    done       INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER,
    PRIMARY KEY (run_id, stream)
);
INSERT INTO checkpoints_new SELECT run_id, stream, cursor, done, updated_at FROM checkpoints;

DROP TABLE checkpoints;
DROP TABLE run_streams;
DROP TABLE runs;
ALTER TABLE runs_new RENAME TO runs;
ALTER TABLE run_streams_new RENAME TO run_streams;
ALTER TABLE checkpoints_new RENAME TO checkpoints;
