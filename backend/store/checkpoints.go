package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Checkpoint is how far a run got in one stream: the cursor of the next page
// to fetch, saved in the same transaction as the page before it.
type Checkpoint struct {
	RunID     int64     `json:"run_id"`
	Stream    string    `json:"stream"`
	Cursor    string    `json:"cursor"`
	Done      bool      `json:"done"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// SaveCheckpoint records (or moves) a stream's checkpoint. A zero UpdatedAt
// is stored as the database's current time.
func (tx *Tx) SaveCheckpoint(ctx context.Context, cp Checkpoint) error {
	if _, err := tx.execCached(ctx, `INSERT INTO checkpoints (run_id, stream, cursor, done, updated_at)
		VALUES (?1, ?2, ?3, ?4, coalesce(?5, `+nowMillisSQL+`))
		ON CONFLICT (run_id, stream) DO UPDATE SET cursor = excluded.cursor, done = excluded.done,
			updated_at = excluded.updated_at`,
		cp.RunID, cp.Stream, cp.Cursor, boolInt(cp.Done), toMillis(cp.UpdatedAt)); err != nil {
		return fmt.Errorf("save checkpoint run %d stream %s: %w", cp.RunID, cp.Stream, err)
	}
	return nil
}

// nowMillisSQL is SQLite's current time in unix milliseconds.
const nowMillisSQL = `CAST(unixepoch('subsec') * 1000 AS INTEGER)`

// Checkpoints lists a run's checkpoints by stream.
func (db *DB) Checkpoints(ctx context.Context, runID int64) ([]Checkpoint, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT run_id, stream, cursor, done, updated_at
		FROM checkpoints WHERE run_id = ? ORDER BY stream`, runID)
	if err != nil {
		return nil, fmt.Errorf("checkpoints of run %d: %w", runID, err)
	}
	defer rows.Close()
	cps := []Checkpoint{}
	for rows.Next() {
		var (
			cp      Checkpoint
			done    int
			updated sql.NullInt64
		)
		if err := rows.Scan(&cp.RunID, &cp.Stream, &cp.Cursor, &done, &updated); err != nil {
			return nil, fmt.Errorf("checkpoints of run %d: %w", runID, err)
		}
		cp.Done, cp.UpdatedAt = done != 0, fromMillis(updated)
		cps = append(cps, cp)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("checkpoints of run %d: %w", runID, err)
	}
	return cps, nil
}

// SetWatermark records the high-water mark of a stream (the newest update
// time an incremental run has fully stored), replacing the previous one.
func (tx *Tx) SetWatermark(ctx context.Context, stream string, t time.Time, runID int64) error {
	if t.IsZero() {
		return fmt.Errorf("set watermark %s: zero time", stream)
	}
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO watermarks (stream, value, run_id, updated_at)
		VALUES (?, ?, ?, `+nowMillisSQL+`)
		ON CONFLICT (stream) DO UPDATE SET value = excluded.value, run_id = excluded.run_id,
			updated_at = excluded.updated_at`, stream, t.UnixMilli(), runID); err != nil {
		return fmt.Errorf("set watermark %s: %w", stream, err)
	}
	return nil
}

// Watermark reads a stream's high-water mark; false when none was set.
func (db *DB) Watermark(ctx context.Context, stream string) (time.Time, bool, error) {
	var v int64
	err := db.db.QueryRowContext(ctx, `SELECT value FROM watermarks WHERE stream = ?`, stream).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("watermark %s: %w", stream, err)
	}
	return time.UnixMilli(v).UTC(), true, nil
}
