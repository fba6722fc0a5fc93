-- 0013: several HubSpot accounts side by side, and scheduled refresh.
--
-- runs.trigger says what started a run: 'manual' (a click, a command typed)
-- or 'scheduled' (the app's scheduler, or the job installed for when the app
-- is closed). Runs from before have none recorded, so they read as manual.
ALTER TABLE runs ADD COLUMN trigger TEXT NOT NULL DEFAULT 'manual';

-- A scheduled slot that did not run because another extraction held the
-- database's lock. Kept apart from runs: a skipped slot fetched nothing,
-- and the engine's notion of "the last run" (resume, watermarks, estimates)
-- must never see one.
CREATE TABLE skipped_slots (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    trigger TEXT NOT NULL,
    reason  TEXT NOT NULL DEFAULT ''
);

-- The HubSpot account whose data the file holds (one row at most): a key of
-- another account is refused before it writes anything here.
CREATE TABLE account_identity (
    portal_id  INTEGER NOT NULL CHECK (portal_id > 0),
    claimed_at INTEGER NOT NULL
);
