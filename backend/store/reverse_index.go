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
	var any bool
	if err := db.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM associations)`).Scan(&any); err != nil {
		return false, fmt.Errorf("prepare the index of associations by their other record: %w", err)
	}
	if any {
		return false, db.BuildReverseIndex(ctx)
	}
	if _, err := db.exec(ctx, `DROP INDEX IF EXISTS associations_to`); err != nil {
		return false, fmt.Errorf("prepare the index of associations by their other record: %w", classify(err))
	}
	db.reverseDeferred.Store(true)
	return true, nil
}

// ReverseIndexDeferred says whether DeferReverseIndex dropped the index on
// this handle and BuildReverseIndex has not made it again yet.
func (db *DB) ReverseIndexDeferred() bool { return db.reverseDeferred.Load() }

// BuildReverseIndex makes the index DeferReverseIndex dropped, if it is
// missing, after deleting the pairs DropAssociations left meanwhile: those
// towards records stored as archived.
func (db *DB) BuildReverseIndex(ctx context.Context) error {
	if err := db.buildReverseIndex(ctx); err != nil {
		return fmt.Errorf("index the associations by their other record: %w", classify(err))
	}
	db.reverseDeferred.Store(false)
	return nil
}

// buildReverseIndex runs two statements, each committed on its own: one
// that stops between them leaves the index missing, so the next call does
// both again.
func (db *DB) buildReverseIndex(ctx context.Context) error {
	done, err := db.write(ctx)
	if err != nil {
		return err
	}
	defer done()
	var there bool
	if err := db.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_master
		WHERE type = 'index' AND name = 'associations_to')`).Scan(&there); err != nil {
		return err
	}
	if there {
		return nil
	}
	if _, err := db.db.ExecContext(ctx, dropArchivedPairs); err != nil {
		return fmt.Errorf("drop associations to archived records: %w", err)
	}
	_, err = db.db.ExecContext(ctx, reverseIndex)
	return err
}
