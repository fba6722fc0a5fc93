package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// The extraction engine's own state: the records whose inline associations
// overflowed and still need completing, and the counts its reconciliation
// needs. Only backend/extract uses these.

// AddOverflow records that the inline (fromType → toType) associations of ids
// overflowed and must be completed. Recording an id twice is harmless.
func (tx *Tx) AddOverflow(ctx context.Context, fromType, toType string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("add overflow %s→%s: %w", fromType, toType, err)
	}
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO extract_overflow (from_type, to_type, from_id)
		SELECT ?, ?, value FROM json_each(?) WHERE true
		ON CONFLICT DO NOTHING`, fromType, toType, string(list)); err != nil {
		return fmt.Errorf("add overflow %s→%s: %w", fromType, toType, err)
	}
	return nil
}

// ResolveOverflow forgets ids whose (fromType → toType) associations are now
// complete.
func (tx *Tx) ResolveOverflow(ctx context.Context, fromType, toType string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("resolve overflow %s→%s: %w", fromType, toType, err)
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM extract_overflow WHERE from_type = ? AND to_type = ?
		AND from_id IN (SELECT value FROM json_each(?))`, fromType, toType, string(list)); err != nil {
		return fmt.Errorf("resolve overflow %s→%s: %w", fromType, toType, err)
	}
	return nil
}

// ClearOverflow forgets every pending id of one direction, or of every
// direction when fromType is "".
func (tx *Tx) ClearOverflow(ctx context.Context, fromType, toType string) error {
	q, args := `DELETE FROM extract_overflow`, []any{}
	if fromType != "" {
		q, args = q+` WHERE from_type = ? AND to_type = ?`, []any{fromType, toType}
	}
	if _, err := tx.tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("clear overflow %s→%s: %w", fromType, toType, err)
	}
	return nil
}

// CountOverflow counts the pending ids of one direction.
func (db *DB) CountOverflow(ctx context.Context, fromType, toType string) (int64, error) {
	var n int64
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM extract_overflow
		WHERE from_type = ? AND to_type = ?`, fromType, toType).Scan(&n); err != nil {
		return 0, fmt.Errorf("count overflow %s→%s: %w", fromType, toType, err)
	}
	return n, nil
}

// OverflowIDs lists up to limit pending ids of one direction in numeric
// order, starting after the id after ("" for the first).
func (db *DB) OverflowIDs(ctx context.Context, fromType, toType, after string, limit int) ([]string, error) {
	ids, err := queryStrings(ctx, db.db, `SELECT from_id FROM extract_overflow
		WHERE from_type = ?1 AND to_type = ?2
		AND (length(from_id) > length(?3) OR (length(from_id) = length(?3) AND from_id > ?3))
		ORDER BY length(from_id), from_id LIMIT ?4`, fromType, toType, after, limit)
	if err != nil {
		return nil, fmt.Errorf("overflow ids %s→%s: %w", fromType, toType, err)
	}
	return ids, nil
}

// CountChangedSince counts the stored records of objectType updated or
// archived at or after since: the tolerance when a type's stored count is
// compared with HubSpot's total taken during a run.
func (db *DB) CountChangedSince(ctx context.Context, objectType string, since time.Time) (int64, error) {
	var n int64
	ms := since.UnixMilli()
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM records WHERE object_type = ?1
		AND (updated_at >= ?2 OR created_at >= ?2 OR archived_at >= ?2)`, objectType, ms).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s changed since %s: %w", objectType, since.Format(time.RFC3339), err)
	}
	return n, nil
}
