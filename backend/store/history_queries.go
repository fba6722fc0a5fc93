package store

import (
	"context"
	"fmt"
	"iter"
)

// Reads of the stored property history: one record's, for the record
// panel, and a whole type's, for exports.

// PropertyHistory is one property's stored history of one record, newest
// first.
func (db *DB) PropertyHistory(ctx context.Context, objectType, id, property string) ([]HistoryEntry, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+historyColumns+` FROM property_history
		WHERE object_type = ? AND object_id = ? AND property = ? ORDER BY timestamp DESC, value`, objectType, id, property)
	if err != nil {
		return nil, fmt.Errorf("history of %s %s %s: %w", objectType, id, property, err)
	}
	defer rows.Close()
	out := []HistoryEntry{}
	for rows.Next() {
		e, err := scanHistory(rows)
		if err != nil {
			return nil, fmt.Errorf("history of %s %s %s: %w", objectType, id, property, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// HistoryCounts is how many history entries each property of one record
// has stored (properties without any are absent).
func (db *DB) HistoryCounts(ctx context.Context, objectType, id string) (map[string]int, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT property, count(*) FROM property_history
		WHERE object_type = ? AND object_id = ? GROUP BY property`, objectType, id)
	if err != nil {
		return nil, fmt.Errorf("history of %s %s: %w", objectType, id, err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var p string
		var n int
		if err := rows.Scan(&p, &n); err != nil {
			return nil, fmt.Errorf("history of %s %s: %w", objectType, id, err)
		}
		out[p] = n
	}
	return out, rows.Err()
}

// EachHistory yields every stored history entry of a type, by record
// (numeric id), property, then oldest first.
func (db *DB) EachHistory(ctx context.Context, objectType string) iter.Seq2[HistoryEntry, error] {
	return func(yield func(HistoryEntry, error) bool) {
		fail := func(err error) { yield(HistoryEntry{}, fmt.Errorf("history of %s: %w", objectType, err)) }
		rows, err := db.db.QueryContext(ctx, `SELECT `+historyColumns+` FROM property_history WHERE object_type = ?
			ORDER BY length(object_id), object_id, property, timestamp, value`, objectType)
		if err != nil {
			fail(err)
			return
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanHistory(rows)
			if err != nil {
				fail(err)
				return
			}
			if !yield(e, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			fail(err)
		}
	}
}
