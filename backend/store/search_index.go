package store

import (
	"context"
	"encoding/json"
	"fmt"

	"hubextract/backend/catalog"
)

// The record search's index (records_fts) is written in batches (migration
// 0017): a written record joins search_pending, and the transaction indexes
// what is pending just before it commits. One statement over many records
// writes one index segment where a statement per page wrote one per page,
// and FTS5 then merged those small segments again and again.

// DeferSearchIndex lets this transaction commit without indexing the records
// pending for the search unless at least upTo are: a later transaction that
// writes records indexes them all at once, or IndexPendingSearch, or the
// next Open after a crash. A search meanwhile misses them. For a writer
// with more work queued; a positive upTo bounds how far the search may lag.
func (tx *Tx) DeferSearchIndex(upTo int) { tx.searchUpTo = upTo }

// indexSearch ends a transaction that wrote records: it indexes every
// record pending for the search, unless DeferSearchIndex allows fewer than
// are pending. A transaction that wrote none leaves what is pending alone,
// so that one whose indexing cannot succeed (a full disk) does not stop
// every other write.
func (tx *Tx) indexSearch(ctx context.Context) error {
	if !tx.wroteRecords {
		return nil
	}
	if tx.searchUpTo > 0 {
		var n int
		if err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM search_pending LIMIT ?)`,
			tx.searchUpTo).Scan(&n); err != nil {
			return fmt.Errorf("index the search: count pending: %w", err)
		}
		if n < tx.searchUpTo {
			return nil
		}
	}
	return tx.indexPending(ctx)
}

// indexPending indexes every record pending for the search.
func (tx *Tx) indexPending(ctx context.Context) error {
	// In rowid order: FTS5 starts a new segment whenever a rowid is not
	// above the last one it indexed.
	if _, err := tx.execCached(ctx, `INSERT INTO records_fts (rowid, body)
		SELECT rid, body FROM records_search_text
		WHERE rid IN (SELECT rid FROM search_pending) ORDER BY rid`); err != nil {
		return fmt.Errorf("index the search: %w", err)
	}
	forgetSearchTexts()
	if _, err := tx.execCached(ctx, `DELETE FROM search_pending`); err != nil {
		return fmt.Errorf("index the search: clear pending: %w", err)
	}
	return nil
}

// IndexPendingSearch indexes the records that transactions left pending for
// the search (see DeferSearchIndex), if any.
func (db *DB) IndexPendingSearch(ctx context.Context) error {
	return db.TransactionContext(ctx, func(tx *Tx) error { return tx.indexPending(ctx) })
}

// catchUpSearch indexes what a process that stopped before indexing left
// pending, so that a search after the crash finds everything stored.
func (db *DB) catchUpSearch(ctx context.Context) error {
	var pending bool
	if err := db.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM search_pending)`).Scan(&pending); err != nil {
		return fmt.Errorf("index the search: %w", err)
	}
	if !pending {
		return nil
	}
	return db.IndexPendingSearch(ctx)
}

// reindexHTMLDefinitions is migration 0020's step: the records with markup
// or an entity in a property their type defines as HTML, other than
// HubSpot's bodies (0019 took those), leave the index and join
// search_pending, so that the next Open indexes them again with its text
// (catchUpSearch). The properties column is looked at as a whole first,
// as 0019 does, so that only a record that may have markup is decoded.
func reindexHTMLDefinitions(ctx context.Context, tx *Tx) error {
	bodies, err := json.Marshal(catalog.HTMLBodies())
	if err != nil {
		return err
	}
	if _, err := tx.tx.ExecContext(ctx, `CREATE TEMP TABLE reindex_0020 AS
		SELECT DISTINCT r.rowid AS rid
		FROM properties p JOIN records r ON r.object_type = p.object_type, json_each(r.properties) v
		WHERE p.field_type = 'html' AND p.name NOT IN (SELECT value FROM json_each(?))
		  AND (instr(r.properties, '\u003c') OR instr(r.properties, '<')
		       OR instr(r.properties, '\u0026') OR instr(r.properties, '&'))
		  AND v.key = p.name AND (instr(v.value, '<') OR instr(v.value, '&'))`, string(bodies)); err != nil {
		return fmt.Errorf("find the records with HTML properties: %w", err)
	}
	for _, q := range []string{
		`DELETE FROM records_fts WHERE rowid IN (SELECT rid FROM reindex_0020)`,
		`INSERT OR IGNORE INTO search_pending (rid) SELECT rid FROM reindex_0020`,
		`DROP TABLE reindex_0020`,
	} {
		if _, err := tx.tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("index the records with HTML properties again: %w", err)
		}
	}
	return nil
}
