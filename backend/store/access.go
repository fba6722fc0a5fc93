package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// UnavailableType is a type the latest run that had it in its selection
// found unavailable: HubSpot refused it for a scope the key lacks.
type UnavailableType struct {
	Stream string    `json:"stream"`
	Scope  string    `json:"scope"` // the scope that would add it
	RunID  int64     `json:"runId"`
	At     time.Time `json:"at"` // when that run finished
}

// Unavailable lists, by stream name, the types whose latest result in a
// finished run is unavailable, unless a connection test since then found
// the key can read them (SaveTypeAccess). This is the one answer to "which
// types does the key lack a scope for": the default selection of the
// command line and of the Extract screen leave these out, and an explicit
// selection of one tries it again (its result then replaces this one).
func (db *DB) Unavailable(ctx context.Context) (map[string]UnavailableType, error) {
	rows, err := db.db.QueryContext(ctx, `
		WITH latest AS (
			SELECT rs.stream, rs.status, rs.missing_scope, r.id AS run_id, r.finished_at,
				ROW_NUMBER() OVER (PARTITION BY rs.stream ORDER BY r.id DESC) AS n
			FROM run_streams rs JOIN runs r ON r.id = rs.run_id
			WHERE r.status != ?)
		SELECT l.stream, l.missing_scope, l.run_id, l.finished_at FROM latest l
		WHERE l.n = 1 AND l.status = ? AND NOT EXISTS (
			SELECT 1 FROM type_access a
			WHERE a.stream = l.stream AND a.readable = 1 AND a.checked_at >= COALESCE(l.finished_at, 0))
		ORDER BY l.stream`, StatusRunning, StatusUnavailable)
	if err != nil {
		return nil, fmt.Errorf("list unavailable types: %w", err)
	}
	defer rows.Close()
	out := map[string]UnavailableType{}
	for rows.Next() {
		var u UnavailableType
		var at sql.NullInt64
		if err := rows.Scan(&u.Stream, &u.Scope, &u.RunID, &at); err != nil {
			return nil, fmt.Errorf("list unavailable types: %w", err)
		}
		u.At = fromMillis(at)
		out[u.Stream] = u
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list unavailable types: %w", err)
	}
	return out, nil
}

// SaveTypeAccess records what a connection test found the key can read,
// per type, at. A type found readable is no longer unavailable (see
// Unavailable), so the next default selection includes it again.
func (db *DB) SaveTypeAccess(ctx context.Context, readable map[string]bool, at time.Time) error {
	return db.TransactionContext(ctx, func(tx *Tx) error {
		for stream, ok := range readable {
			if _, err := tx.tx.ExecContext(ctx, `INSERT INTO type_access (stream, readable, checked_at) VALUES (?, ?, ?)
				ON CONFLICT (stream) DO UPDATE SET readable = excluded.readable, checked_at = excluded.checked_at`,
				stream, boolInt(ok), at.UnixMilli()); err != nil {
				return fmt.Errorf("save access to %s: %w", stream, err)
			}
		}
		return nil
	})
}
