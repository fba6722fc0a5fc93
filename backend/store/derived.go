package store

import (
	"context"
	"fmt"
)

// StopSearchIndex drops the triggers that keep records_fts (what the
// record browser's search reads) up to date on every write of the records,
// so that the benchmark can measure what the index costs a run. It is for a
// scratch file only: from then on its search misses every later write, and
// no migration puts the triggers back.
func (db *DB) StopSearchIndex(ctx context.Context) error {
	return db.TransactionContext(ctx, func(tx *Tx) error {
		// The migrations name them so.
		names, err := queryStrings(ctx, tx.tx, `SELECT name FROM sqlite_master WHERE type = 'trigger' AND name GLOB 'records_fts_*'`)
		if err != nil {
			return fmt.Errorf("stop the search index: %w", err)
		}
		if len(names) == 0 {
			return fmt.Errorf("stop the search index: none of its triggers (records_fts_*) found")
		}
		for _, n := range names {
			// Names come from sqlite_master and match the GLOB: plain identifiers.
			if _, err := tx.tx.ExecContext(ctx, `DROP TRIGGER "`+n+`"`); err != nil {
				return fmt.Errorf("stop the search index: %w", err)
			}
		}
		return nil
	})
}
