package store

import (
	"context"
	"fmt"
)

// StopSearchIndex drops the triggers that queue every write of the records
// for records_fts (what the record browser's search reads) and keep it
// clean of rewritten and deleted ones, so that the benchmark can measure
// what the index costs a run. It is for a scratch file only: from then on
// its search misses every later write, and no migration puts the triggers
// back.
func (db *DB) StopSearchIndex(ctx context.Context) error {
	return db.TransactionContext(ctx, func(tx *Tx) error {
		if err := dropTriggers(ctx, tx, "records_fts_*"); err != nil {
			return fmt.Errorf("stop the search index: %w", err)
		}
		return nil
	})
}

// dropTriggers drops the triggers whose names match glob, at least one.
func dropTriggers(ctx context.Context, tx *Tx, glob string) error {
	names, err := triggerNames(ctx, tx, glob)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return fmt.Errorf("none of the triggers %s found", glob)
	}
	for _, n := range names {
		// Names come from sqlite_master and match the GLOB: plain identifiers.
		if _, err := tx.tx.ExecContext(ctx, `DROP TRIGGER "`+n+`"`); err != nil {
			return fmt.Errorf("drop trigger %s: %w", n, err)
		}
	}
	return nil
}

// triggerNames lists the triggers whose names match glob.
func triggerNames(ctx context.Context, tx *Tx, glob string) ([]string, error) {
	names, err := queryStrings(ctx, tx.tx, `SELECT name FROM sqlite_master WHERE type = 'trigger' AND name GLOB ?`, glob)
	if err != nil {
		return nil, fmt.Errorf("list the triggers %s: %w", glob, err)
	}
	return names, nil
}
