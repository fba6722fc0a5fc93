package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// State and edits of incremental runs: when each stream was last extracted
// in full, whether a run may be resumed, association sets replaced from
// both sides, and the stored state of archived records. Only
// backend/extract uses these.

// Watermark is how far a stream's data is known to be complete.
type Watermark struct {
	Stream string    `json:"stream"`
	Value  time.Time `json:"value"`            // everything changed before it is stored
	FullAt time.Time `json:"full_at,omitzero"` // start of its last full extraction; zero: unknown
	RunID  int64     `json:"run_id"`           // the run that set it
}

// Watermarks reads every stream's watermark, by stream.
func (db *DB) Watermarks(ctx context.Context) (map[string]Watermark, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT stream, value, full_at, run_id FROM watermarks`)
	if err != nil {
		return nil, fmt.Errorf("watermarks: %w", err)
	}
	defer rows.Close()
	out := map[string]Watermark{}
	for rows.Next() {
		var (
			w     Watermark
			value int64
			full  sql.NullInt64
			run   sql.NullInt64
		)
		if err := rows.Scan(&w.Stream, &value, &full, &run); err != nil {
			return nil, fmt.Errorf("watermarks: %w", err)
		}
		w.Value, w.FullAt, w.RunID = time.UnixMilli(value).UTC(), fromMillis(full), run.Int64
		out[w.Stream] = w
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("watermarks: %w", err)
	}
	return out, nil
}

// SetFullAt records that stream's last full extraction started at t; the
// stream's watermark must be set (SetWatermark) in the same transaction.
func (tx *Tx) SetFullAt(ctx context.Context, stream string, t time.Time) error {
	if t.IsZero() {
		return fmt.Errorf("set full extraction time of %s: zero time", stream)
	}
	res, err := tx.tx.ExecContext(ctx, `UPDATE watermarks SET full_at = ? WHERE stream = ?`, t.UnixMilli(), stream)
	if err != nil {
		return fmt.Errorf("set full extraction time of %s: %w", stream, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("set full extraction time of %s: no watermark: %w", stream, ErrNotFound)
	}
	return nil
}

// SetRunResumable records whether the next run of the same selection should
// resume run id (see migration 0003).
func (db *DB) SetRunResumable(ctx context.Context, id int64, resumable bool) error {
	res, err := db.exec(ctx, `UPDATE runs SET resumable = ? WHERE id = ?`, boolInt(resumable), id)
	if err != nil {
		return classify(fmt.Errorf("mark run %d resumable: %w", id, err))
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("mark run %d resumable: %w", id, ErrNotFound)
	}
	return nil
}

// DropAssociations deletes every stored association of the records ids of
// objectType, in both directions: archived records have none. While a
// first extraction goes without the index by the other record, those
// stored from the other side wait for BuildReverseIndex.
func (tx *Tx) DropAssociations(ctx context.Context, objectType string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("drop %s associations: %w", objectType, err)
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM associations WHERE from_type = ?1
		AND from_id IN (SELECT value FROM json_each(?2))`, objectType, string(list)); err != nil {
		return fmt.Errorf("drop %s associations: %w", objectType, err)
	}
	if tx.db.ReverseIndexDeferred() {
		// Found only by reading every pair: BuildReverseIndex drops them.
		return nil
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM associations WHERE to_type = ?1
		AND to_id IN (SELECT value FROM json_each(?2))`, objectType, string(list)); err != nil {
		return fmt.Errorf("drop associations to %s: %w", objectType, err)
	}
	return nil
}

// PruneReverseAssociations deletes the pairs stored from toType's side
// towards the records ids of fromType that the (complete) set stored from
// fromType's side no longer holds: once a record's associations were read
// in full, a pair only the other side still lists is stale.
func (tx *Tx) PruneReverseAssociations(ctx context.Context, fromType, toType string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("prune %s→%s associations: %w", toType, fromType, err)
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM associations AS r
		WHERE r.from_type = ?2 AND r.to_type = ?1 AND r.to_id IN (SELECT value FROM json_each(?3))
		AND NOT EXISTS (SELECT 1 FROM associations f WHERE f.from_type = ?1 AND f.from_id = r.to_id
			AND f.to_type = ?2 AND f.to_id = r.from_id)`, fromType, toType, string(list)); err != nil {
		return fmt.Errorf("prune %s→%s associations: %w", toType, fromType, err)
	}
	return nil
}

// ArchivedVersions returns, for those of ids stored as archived records of
// objectType, their last update time: an archived record listed again with
// the same time need not be read or written again.
func (db *DB) ArchivedVersions(ctx context.Context, objectType string, ids []string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	if len(ids) == 0 {
		return out, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("archived %s: %w", objectType, err)
	}
	rows, err := db.db.QueryContext(ctx, `SELECT id, updated_at FROM records WHERE object_type = ?
		AND archived = 1 AND id IN (SELECT value FROM json_each(?))`, objectType, string(list))
	if err != nil {
		return nil, fmt.Errorf("archived %s: %w", objectType, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id      string
			updated sql.NullInt64
		)
		if err := rows.Scan(&id, &updated); err != nil {
			return nil, fmt.Errorf("archived %s: %w", objectType, err)
		}
		out[id] = fromMillis(updated)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("archived %s: %w", objectType, err)
	}
	return out, nil
}
