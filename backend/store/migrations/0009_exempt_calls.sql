-- The calls of a stream HubSpot does not charge to its ten-second limit
-- (searches, 2026-09 association reads): an estimate prices time from the
-- others only.
ALTER TABLE run_streams ADD COLUMN exempt_calls INTEGER NOT NULL DEFAULT 0;
