-- 0007: a type whose scope the key lacks is "unavailable" in a run rather
-- than failed (run_streams.status has no CHECK, so the status needs no
-- rebuild); the scope that would add it is kept beside it, so the next runs
-- can leave the type out of the default selection and say why. A connection
-- test that finds a type readable again records it in type_access: a check
-- newer than the run that found the type unavailable makes it available.
ALTER TABLE run_streams ADD COLUMN missing_scope TEXT NOT NULL DEFAULT '';

CREATE TABLE type_access (
    stream     TEXT PRIMARY KEY,
    readable   INTEGER NOT NULL,
    checked_at INTEGER NOT NULL
);
