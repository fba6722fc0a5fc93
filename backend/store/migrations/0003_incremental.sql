-- 0003: incremental runs and the resume rule.

-- When each stream was last extracted in full (unix ms): a stream whose last
-- full extraction is older than the periodic interval is extracted in full
-- again, which picks up what a search on the last-modified date cannot see
-- (association changes on records not otherwise modified).
ALTER TABLE watermarks ADD COLUMN full_at INTEGER;

-- Whether the next run of the same selection resumes this one: it was
-- interrupted (cancelled, or left running by a crash) or a stream failed for
-- a reason that may pass (server, network, rate limits). A run whose streams
-- only failed for reasons that persist (a scope never granted) is not resumed:
-- the runs after it start afresh, so the other streams still refresh.
ALTER TABLE runs ADD COLUMN resumable INTEGER NOT NULL DEFAULT 1;

-- extract_overflow (0002) also lists, until their associations are read in
-- full through the v4 batch read, the records an incremental run found
-- changed: search returns no associations. No schema change is needed.
