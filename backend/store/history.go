package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"
)

// HistoryEntry is one value a property of a record had (HubSpot's
// propertiesWithHistory): since when, and from which source.
type HistoryEntry struct {
	Type            string    `json:"type"`
	ID              string    `json:"id"`
	Property        string    `json:"property"`
	Value           string    `json:"value"`
	Timestamp       time.Time `json:"timestamp"`
	SourceType      string    `json:"sourceType"`
	SourceID        string    `json:"sourceId"`
	SourceLabel     string    `json:"sourceLabel"`
	UpdatedByUserID int64     `json:"updatedByUserId"` // 0: none
}

// historyChunk: 9 parameters per entry.
const historyChunk = 1000

// AddHistory stores history entries; an entry stored before (same record,
// property, time and value) is left as it is, so reading a record's
// history again adds only what is new.
func (tx *Tx) AddHistory(ctx context.Context, entries []HistoryEntry) error {
	for chunk := range slices.Chunk(entries, historyChunk) {
		args := make([]any, 0, len(chunk)*9)
		for _, e := range chunk {
			var user any
			if e.UpdatedByUserID != 0 {
				user = e.UpdatedByUserID
			}
			args = append(args, e.Type, e.ID, e.Property, e.Timestamp.UnixMilli(), e.Value,
				e.SourceType, e.SourceID, e.SourceLabel, user)
		}
		q := `INSERT OR IGNORE INTO property_history (object_type, object_id, property, timestamp, value,
			source_type, source_id, source_label, updated_by_user_id) VALUES ` + valuesRows(len(chunk), 9)
		if _, err := tx.tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("add %d history entries of %s %s: %w", len(chunk), chunk[0].Type, chunk[0].ID, err)
		}
	}
	return nil
}

const historyColumns = `object_type, object_id, property, value, timestamp, source_type, source_id, source_label, updated_by_user_id`

func scanHistory(rows *sql.Rows) (HistoryEntry, error) {
	var e HistoryEntry
	var at int64
	var user sql.NullInt64
	err := rows.Scan(&e.Type, &e.ID, &e.Property, &e.Value, &at, &e.SourceType, &e.SourceID, &e.SourceLabel, &user)
	e.Timestamp, e.UpdatedByUserID = time.UnixMilli(at).UTC(), user.Int64
	return e, err
}

// CountHistory counts the stored history entries of a type.
func (db *DB) CountHistory(ctx context.Context, objectType string) (int64, error) {
	var n int64
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM property_history WHERE object_type = ?`, objectType).Scan(&n); err != nil {
		return 0, fmt.Errorf("count history of %s: %w", objectType, err)
	}
	return n, nil
}
