package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Record is one CRM object (contact, company, deal, engagement, ...).
type Record struct {
	Type       string             `json:"type"`
	ID         string             `json:"id"`
	Properties map[string]*string `json:"properties"` // nil value: HubSpot sent null
	CreatedAt  time.Time          `json:"created_at,omitzero"`
	UpdatedAt  time.Time          `json:"updated_at,omitzero"`
	Archived   bool               `json:"archived"`
	ArchivedAt time.Time          `json:"archived_at,omitzero"` // zero: not archived or unknown
	RunID      int64              `json:"run_id"`               // the run that last wrote it
}

// recordColumns is the column list scanRecord expects.
const recordColumns = `object_type, id, properties, created_at, updated_at, archived, archived_at, run_id`

// UpsertRecords writes recs, all stamped with runID. A record already stored
// (same type and id) is updated in place, never duplicated.
func (tx *Tx) UpsertRecords(ctx context.Context, runID int64, recs []Record) error {
	// Their search texts are worked out when indexed, from the stored
	// definitions.
	enc, err := EncodeRecords(runID, recs, nil)
	if err != nil {
		return err
	}
	return tx.UpsertEncoded(ctx, enc)
}

// EncodedRecords are records as UpsertEncoded writes them: EncodeRecords
// does the work that needs no database, so that an extraction does it on
// the goroutine that fetched the records, beside the one writer.
type EncodedRecords struct {
	chunks []rowChunk
	names  [][2]string // type, the JSON array of the property names its records have
	texts  []searchTextEntry
}

// EncodeRecords encodes recs, all stamped with runID, for UpsertEncoded.
// html holds, by type, its HTMLProperties (none where missing): the search
// texts are worked out with them here, else when the records are indexed.
//
// Records go to SQLite as multi-row INSERTs, one statement per up to
// upsertChunk records: each statement costs a parse and, in a transaction,
// a statement journal.
func EncodeRecords(runID int64, recs []Record, html map[string]string) (EncodedRecords, error) {
	var (
		enc   EncodedRecords
		keys  []string
		names = map[string]map[string]bool{} // by type, the property names met
	)
	for chunk := range slices.Chunk(recs, upsertChunk) {
		for _, r := range chunk {
			if r.Type == "" || r.ID == "" {
				return EncodedRecords{}, fmt.Errorf("upsert records: record %q of type %q needs both a type and an id", r.ID, r.Type)
			}
		}
		var (
			texts    []byte
			textEnds = make([]int, len(chunk))
			htmlOf   string   // the type whose HTML properties html is
			htmlList []string // of the chunk's records, nearly always of one type
		)
		bodies := pieces(len(chunk), func(dst []byte, i int) []byte {
			r := chunk[i]
			dst, keys = appendProperties(dst, r.Properties, keys)
			if htmlList == nil || r.Type != htmlOf {
				htmlOf, htmlList = r.Type, htmlNames(html[r.Type])
			}
			texts = appendSearchText(texts, r.Properties, keys, htmlList)
			textEnds[i] = len(texts)
			if names[r.Type] == nil {
				names[r.Type] = map[string]bool{}
			}
			for _, k := range keys {
				names[r.Type][k] = true
			}
			return dst
		})
		for i, text := range split(string(texts), textEnds) {
			enc.texts = append(enc.texts, searchTextEntry{textKey{bodies[i], html[chunk[i].Type]}, text})
		}
		args := make([]any, 0, len(chunk)*8)
		for i, r := range chunk {
			args = append(args, r.Type, r.ID, bodies[i], toMillis(r.CreatedAt), toMillis(r.UpdatedAt),
				boolInt(r.Archived), toMillis(r.ArchivedAt), runID)
		}
		enc.chunks = append(enc.chunks, rowChunk{n: len(chunk), typ: chunk[0].Type, firstID: chunk[0].ID,
			lastID: chunk[len(chunk)-1].ID, args: args})
	}
	var buf []byte
	for typ, set := range names {
		buf = append(buf[:0], '[')
		for k := range set {
			if len(buf) > 1 {
				buf = append(buf, ',')
			}
			buf = appendJSONString(buf, k)
		}
		buf = append(buf, ']')
		enc.names = append(enc.names, [2]string{typ, string(buf)})
	}
	return enc, nil
}

// UpsertEncoded writes records EncodeRecords encoded (see UpsertRecords).
func (tx *Tx) UpsertEncoded(ctx context.Context, enc EncodedRecords) error {
	tx.wroteRecords = true
	rememberSearchTexts(enc.texts)
	for _, c := range enc.chunks {
		if _, err := tx.execCached(ctx, upsertRecordsSQL(c.n), c.args...); err != nil {
			return fmt.Errorf("upsert %d %s (ids %s..%s): %w", c.n, c.typ, c.firstID, c.lastID, err)
		}
	}
	for _, tn := range enc.names {
		if _, err := tx.execCached(ctx, `INSERT OR IGNORE INTO record_property_names (object_type, name)
			SELECT ?, value FROM json_each(?)`, tn[0], tn[1]); err != nil {
			return fmt.Errorf("upsert %s: property names: %w", tn[0], err)
		}
	}
	return nil
}

// upsertChunk: 8 parameters per record.
const upsertChunk = 500

// upsertRecordsSQL is the upsert of n records.
func upsertRecordsSQL(n int) string {
	return `INSERT INTO records (` + recordColumns + `) VALUES ` + valuesRows(n, 8) + ` ON CONFLICT (object_type, id) DO UPDATE SET
		properties = excluded.properties,
		created_at = excluded.created_at,
		updated_at = excluded.updated_at,
		archived = excluded.archived,
		archived_at = excluded.archived_at,
		run_id = excluded.run_id`
}

type rowScanner interface {
	Scan(dest ...any) error
}

func scanRecord(s rowScanner) (Record, error) {
	return scanRecordWith(s, &propsDecoder{})
}

// scanRecordWith is scanRecord for a walk over many rows, which shares d
// (and so the property names it has met) between them.
func scanRecordWith(s rowScanner, d *propsDecoder) (Record, error) {
	var (
		r                            Record
		props                        string
		created, updated, archivedAt sql.NullInt64
		runID                        sql.NullInt64
		archived                     int
	)
	if err := s.Scan(&r.Type, &r.ID, &props, &created, &updated, &archived, &archivedAt, &runID); err != nil {
		return Record{}, err
	}
	var err error
	if r.Properties, err = d.decode(props); err != nil {
		return Record{}, fmt.Errorf("%s %s: decode properties: %w", r.Type, r.ID, err)
	}
	r.CreatedAt, r.UpdatedAt, r.ArchivedAt = fromMillis(created), fromMillis(updated), fromMillis(archivedAt)
	r.Archived = archived != 0
	r.RunID = runID.Int64
	return r, nil
}

// Record reads one record; ErrNotFound when it is not stored.
func (db *DB) Record(ctx context.Context, objectType, id string) (Record, error) {
	row := db.db.QueryRowContext(ctx, `SELECT `+recordColumns+` FROM records
		WHERE object_type = ? AND id = ?`, objectType, id)
	r, err := scanRecord(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, fmt.Errorf("record %s %s: %w", objectType, id, ErrNotFound)
	}
	if err != nil {
		return Record{}, fmt.Errorf("record %s %s: %w", objectType, id, err)
	}
	return r, nil
}

// CountRecords counts the stored records of one type, split by archived.
func (db *DB) CountRecords(ctx context.Context, objectType string) (active, archived int64, err error) {
	err = db.db.QueryRowContext(ctx, `SELECT
			coalesce(sum(archived = 0), 0), coalesce(sum(archived != 0), 0)
		FROM records WHERE object_type = ?`, objectType).Scan(&active, &archived)
	if err != nil {
		return 0, 0, fmt.Errorf("count %s: %w", objectType, err)
	}
	return active, archived, nil
}

// EachRecord calls fn for every record of objectType (archived included) in
// numeric id order, streaming one row at a time. An error from fn stops the
// walk and is returned as is.
func (db *DB) EachRecord(ctx context.Context, objectType string, fn func(Record) error) error {
	rows, err := db.db.QueryContext(ctx, `SELECT `+recordColumns+` FROM records
		WHERE object_type = ? ORDER BY length(id), id`, objectType)
	if err != nil {
		return fmt.Errorf("read %s: %w", objectType, err)
	}
	defer rows.Close()
	var d propsDecoder
	for rows.Next() {
		r, err := scanRecordWith(rows, &d)
		if err != nil {
			return fmt.Errorf("read %s: %w", objectType, err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", objectType, err)
	}
	return nil
}
