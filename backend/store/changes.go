package store

import (
	"context"
	"database/sql"
	_ "embed" // changeLogTriggers
	"encoding/json"
	"fmt"
)

// The change sequence (migration 0012): triggers on records, associations,
// owners, pipelines and properties keep one row per thing changed, each with
// a seq that only grows, so that a mirror asks for what changed after the
// last seq it applied. The triggers do the writing, once KeepChangeLog has
// turned the log on (migration 0016): a database no mirror reads keeps none.

// The kinds of change.
const (
	ChangeRecord      = "record"      // Type, ID: one record
	ChangeAssociation = "association" // Type, ID -> ToType, ToID: one pair, in its stored direction
	ChangeOwners      = "owners"      // the owners, as a whole
	ChangePipelines   = "pipelines"   // Type's pipelines and stages, as a whole
	ChangeProperties  = "properties"  // Type's property definitions, as a whole
)

// Change is one thing changed, with what is stored of it now.
type Change struct {
	Seq          int64
	Kind         string
	Type, ID     string
	ToType, ToID string
	// Record is the record now (ChangeRecord); nil when it was deleted.
	Record *Record
	// Linked says whether the pair of a ChangeAssociation is still stored,
	// in either direction; Types are its types from both directions.
	Linked bool
	Types  []AssocType
}

// changeLogTriggers are the change log's triggers: a database keeps its
// log while it has them (changeLogGlob names them all).
//
//go:embed changelog_triggers.sql
var changeLogTriggers string

const changeLogGlob = "changes_*"

// KeepChangeLog turns the change log on for good, for a mirror about to
// read it. The first time, in the one transaction, it creates the log's
// triggers and logs everything stored, each thing once (without its
// triggers the log was left empty): a mirror then finds all of it, and
// every later change after it. Once on, it does nothing.
func (db *DB) KeepChangeLog(ctx context.Context) error {
	return db.TransactionContext(ctx, func(tx *Tx) error {
		names, err := triggerNames(ctx, tx, changeLogGlob)
		if err != nil || len(names) > 0 {
			return err
		}
		if _, err := tx.tx.ExecContext(ctx, changeLogTriggers); err != nil {
			return fmt.Errorf("keep the change log: create its triggers: %w", err)
		}
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO changes (kind, a, b, c, d)
			SELECT kind, a, b, c, d FROM change_log_seed`); err != nil {
			return fmt.Errorf("keep the change log: log what is stored: %w", err)
		}
		return nil
	})
}

// stopUnusedChangeLog is migration 0016's step: a database that has logged
// nothing drops the change log's triggers (0012 made them).
func stopUnusedChangeLog(ctx context.Context, tx *Tx) error {
	var logged bool
	if err := tx.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM changes)`).Scan(&logged); err != nil {
		return fmt.Errorf("has the change log logged anything: %w", err)
	}
	if logged {
		return nil
	}
	return dropTriggers(ctx, tx, changeLogGlob)
}

// ChangeSource is this database's identity (random, made by migration
// 0012): the seqs of one database mean nothing to a mirror of another.
func (db *DB) ChangeSource(ctx context.Context) (string, error) {
	var id string
	if err := db.db.QueryRowContext(ctx, `SELECT id FROM change_source`).Scan(&id); err != nil {
		return "", fmt.Errorf("change source: %w", err)
	}
	return id, nil
}

// CountChanges counts the changes after seq: a sync's work, for progress.
func (db *DB) CountChanges(ctx context.Context, after int64) (int64, error) {
	var n int64
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM changes WHERE seq > ?`, after).Scan(&n); err != nil {
		return 0, fmt.Errorf("count changes: %w", err)
	}
	return n, nil
}

// Changes reads up to limit changes after seq, oldest first, each with what
// is stored of it now, in one snapshot. A thing changed again later has
// moved to a later seq, so what is read here is never older than its seq.
func (db *DB) Changes(ctx context.Context, after int64, limit int) ([]Change, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT c.seq, c.kind, c.a, c.b, c.c, c.d,
			f.types, b.types, r.rowid IS NOT NULL,
			coalesce(r.object_type, ''), coalesce(r.id, ''), coalesce(r.properties, '{}'), r.created_at,
			r.updated_at, coalesce(r.archived, 0), r.archived_at, r.run_id
		FROM changes c
		LEFT JOIN records r ON c.kind = 'record' AND r.object_type = c.a AND r.id = c.b
		LEFT JOIN associations f ON c.kind = 'association'
			AND f.from_type = c.a AND f.from_id = c.b AND f.to_type = c.c AND f.to_id = c.d
		LEFT JOIN associations b ON c.kind = 'association'
			AND b.from_type = c.c AND b.from_id = c.d AND b.to_type = c.a AND b.to_id = c.b
		WHERE c.seq > ? ORDER BY c.seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read changes after %d: %w", after, err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var (
			c              Change
			fwd, back      sql.NullString
			present        bool
			scanned        Record
			scanErr        error
			prefixedRecord = prefixScanner{rows, []any{&c.Seq, &c.Kind, &c.Type, &c.ID, &c.ToType, &c.ToID,
				&fwd, &back, &present}}
		)
		scanned, scanErr = scanRecord(prefixedRecord)
		if scanErr != nil {
			return nil, fmt.Errorf("read changes after %d: %w", after, scanErr)
		}
		if present {
			c.Record = &scanned
		}
		for _, s := range []sql.NullString{fwd, back} {
			if !s.Valid {
				continue
			}
			var ts []AssocType
			if err := json.Unmarshal([]byte(s.String), &ts); err != nil {
				return nil, fmt.Errorf("read changes: %s %s -> %s %s: decode types: %w", c.Type, c.ID, c.ToType, c.ToID, err)
			}
			c.Linked, c.Types = true, mergeTypes(c.Types, ts)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read changes after %d: %w", after, err)
	}
	return out, nil
}

// prefixScanner scans the columns before a record's into pre, so that
// scanRecord reads the rest of a joined row.
type prefixScanner struct {
	rows *sql.Rows
	pre  []any
}

func (p prefixScanner) Scan(dest ...any) error {
	return p.rows.Scan(append(p.pre[:len(p.pre):len(p.pre)], dest...)...)
}
