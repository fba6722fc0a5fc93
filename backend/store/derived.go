package store

import (
	"context"
	"fmt"
)

// Derived is a structure the store keeps up to date, through triggers, on
// every write of the records and associations themselves.
type Derived string

const (
	// SearchIndex is records_fts, what the record browser's search reads.
	SearchIndex Derived = "search index"
	// ChangeLog is the changes table, what a team database syncs from.
	ChangeLog Derived = "change log"
)

// derivedTriggers names each one's triggers (a GLOB), as the migrations
// named them.
var derivedTriggers = map[Derived]string{SearchIndex: "records_fts_*", ChangeLog: "changes_*"}

// StopMaintaining drops the triggers that keep each of ds up to date, so
// that the benchmark can measure what each costs a run. It is for a
// scratch file only: from then on its search and its team database sync
// miss every later write, and no migration puts the triggers back.
func (db *DB) StopMaintaining(ctx context.Context, ds ...Derived) error {
	return db.TransactionContext(ctx, func(tx *Tx) error {
		for _, d := range ds {
			glob, ok := derivedTriggers[d]
			if !ok {
				return fmt.Errorf("stop maintaining %q: no such structure", d)
			}
			names, err := queryStrings(ctx, tx.tx, `SELECT name FROM sqlite_master WHERE type = 'trigger' AND name GLOB ?`, glob)
			if err != nil {
				return fmt.Errorf("stop maintaining the %s: %w", d, err)
			}
			if len(names) == 0 {
				return fmt.Errorf("stop maintaining the %s: none of its triggers (%s) found", d, glob)
			}
			for _, n := range names {
				// Names come from sqlite_master and match the GLOB: plain identifiers.
				if _, err := tx.tx.ExecContext(ctx, `DROP TRIGGER "`+n+`"`); err != nil {
					return fmt.Errorf("stop maintaining the %s: %w", d, err)
				}
			}
		}
		return nil
	})
}
