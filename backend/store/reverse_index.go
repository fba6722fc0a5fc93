package store

import (
	"context"
	"fmt"
)

// The index of associations by their other record (associations_to, made
// by 0001) finds a contact's calls stored from the calls' side. A page's
// pairs land all over it, so keeping it up while a first extraction fills
// an empty table rewrites about as many of its pages as the page has pairs
// (a quarter of an unthrottled run's writing at 10,000 records per type,
// near half at 100,000). Built once from the finished table (one sort), it
// costs a fraction of that. Until then the reverse lookups read every pair:
// tens of milliseconds at hundreds of thousands.

// reverseIndex is 0001's definition of associations_to, to create it again.
const reverseIndex = `CREATE INDEX IF NOT EXISTS associations_to ON associations (to_type, to_id)`

// DeferReverseIndex drops associations_to when no association is stored
// (a first extraction is about to fill the table) and says whether it did;
// BuildReverseIndex makes it again once the extraction ends, and Open
// catches up for a process that stopped before that. With pairs stored it
// changes nothing: their index is kept up as they change.
func (db *DB) DeferReverseIndex(ctx context.Context) (deferred bool, err error) {
	err = db.TransactionContext(ctx, func(tx *Tx) error {
		var any bool
		if err := tx.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM associations)`).Scan(&any); err != nil {
			return err
		}
		if any {
			return nil
		}
		if _, err := tx.tx.ExecContext(ctx, `DROP INDEX IF EXISTS associations_to`); err != nil {
			return err
		}
		deferred = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("defer the index of associations by their other record: %w", err)
	}
	return deferred, nil
}

// BuildReverseIndex creates associations_to if it is missing.
func (db *DB) BuildReverseIndex(ctx context.Context) error {
	if _, err := db.exec(ctx, reverseIndex); err != nil {
		return fmt.Errorf("index the associations by their other record: %w", err)
	}
	return nil
}
