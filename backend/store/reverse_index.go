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
// costs a fraction of that, so an extraction that fetches faster than its
// one writer keeps the index up (no limit; never at HubSpot's budgets,
// where the writer idles between pages) defers it. Until then a lookup by
// the other record reads every pair: tens of milliseconds at hundreds of
// thousands, fine for the record browser, not for a deletion per page of
// archived records, which is why DropAssociations leaves that side to
// BuildReverseIndex meanwhile.

// reverseIndex is 0001's definition of associations_to, to create it again.
// A file whose first extraction crashed lacks it until the next extraction:
// a later migration that touches it must say IF EXISTS.
const reverseIndex = `CREATE INDEX associations_to ON associations (to_type, to_id)`

// dropArchivedPairs deletes the pairs towards records stored as archived:
// one pass over the pairs, each looked up among the few archived records.
const dropArchivedPairs = `DELETE FROM associations WHERE (to_type, to_id) IN
	(SELECT object_type, id FROM records WHERE archived = 1)`

// DeferReverseIndex prepares the index for an extraction. With no pair
// stored (a first extraction is about to fill the table) it drops it and
// says so: the extraction calls BuildReverseIndex as it ends. With pairs
// stored it keeps it up as they change, first building it if a first
// extraction stopped before it could (a crash).
func (db *DB) DeferReverseIndex(ctx context.Context) (deferred bool, err error) {
	err = db.TransactionContext(ctx, func(tx *Tx) error {
		var any bool
		if err := tx.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM associations)`).Scan(&any); err != nil {
			return err
		}
		if any {
			return tx.buildReverseIndex(ctx)
		}
		if _, err := tx.tx.ExecContext(ctx, `DROP INDEX IF EXISTS associations_to`); err != nil {
			return err
		}
		deferred = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("prepare the index of associations by their other record: %w", err)
	}
	db.reverseDeferred.Store(deferred)
	return deferred, nil
}

// ReverseIndexDeferred says whether DeferReverseIndex dropped the index on
// this handle and BuildReverseIndex has not made it again yet.
func (db *DB) ReverseIndexDeferred() bool { return db.reverseDeferred.Load() }

// BuildReverseIndex makes the index DeferReverseIndex dropped, if it is
// missing, after deleting the pairs DropAssociations left meanwhile: those
// towards records stored as archived.
func (db *DB) BuildReverseIndex(ctx context.Context) error {
	if err := db.TransactionContext(ctx, func(tx *Tx) error { return tx.buildReverseIndex(ctx) }); err != nil {
		return fmt.Errorf("index the associations by their other record: %w", err)
	}
	db.reverseDeferred.Store(false)
	return nil
}

// buildReverseIndex creates associations_to, after dropping the pairs
// towards archived records, unless the index is there already.
func (tx *Tx) buildReverseIndex(ctx context.Context) error {
	var there bool
	if err := tx.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_master
		WHERE type = 'index' AND name = 'associations_to')`).Scan(&there); err != nil {
		return err
	}
	if there {
		return nil
	}
	if _, err := tx.tx.ExecContext(ctx, dropArchivedPairs); err != nil {
		return fmt.Errorf("drop associations to archived records: %w", err)
	}
	_, err := tx.tx.ExecContext(ctx, reverseIndex)
	return err
}
