package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// RecordQuery selects one page of the record browser.
type RecordQuery struct {
	Type   string  `json:"type"`   // required
	Search string  `json:"search"` // words typed by the user; empty: every record
	Limit  int     `json:"limit"`  // 1..MaxPageSize; 0 means DefaultPageSize
	After  *Cursor `json:"after"`  // nil: first page
}

// Cursor is the position after the last record of a page (keyset paging).
type Cursor struct {
	UpdatedAt int64  `json:"updated_at"` // unix ms of the last record
	ID        string `json:"id"`
	// Undated is set when the last record had no updated time: such records
	// sort after every dated one.
	Undated bool `json:"undated,omitempty"`
}

// Page sizes of RecordsPage.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// RecordsPage returns one page of records of q.Type, newest update first
// (updated_at DESC, id DESC), and the cursor of the next page (nil on the last
// page). With q.Search, only records whose text has every typed word (as a
// prefix of a word of the text) are returned. Records without an updated time
// come last. Paging is by keyset, so a deep page costs what the first does.
func (db *DB) RecordsPage(ctx context.Context, q RecordQuery) ([]Record, *Cursor, error) {
	if q.Type == "" {
		return nil, nil, fmt.Errorf("records page: no object type")
	}
	limit := q.Limit
	switch {
	case limit <= 0:
		limit = DefaultPageSize
	case limit > MaxPageSize:
		limit = MaxPageSize
	}
	s := search{match: ftsQuery(q.Search)}
	if err := db.readMatches(ctx, &s, true); err != nil {
		return nil, nil, fmt.Errorf("records page %s: search %q: %w", q.Type, q.Search, err)
	}
	// One row more than asked tells whether another page follows.
	recs, err := db.pageRows(ctx, q.Type, s, q.After, limit+1)
	if err != nil {
		return nil, nil, fmt.Errorf("records page %s: %w", q.Type, err)
	}
	if len(recs) <= limit {
		return recs, nil, nil
	}
	recs = recs[:limit]
	last := recs[limit-1]
	next := &Cursor{ID: last.ID, Undated: last.UpdatedAt.IsZero()}
	if !next.Undated {
		next.UpdatedAt = last.UpdatedAt.UnixMilli()
	}
	return recs, next, nil
}

// pageRows reads up to n records after the cursor: first the dated ones,
// then, once those run out, the undated ones.
func (db *DB) pageRows(ctx context.Context, typ string, s search, after *Cursor, n int) ([]Record, error) {
	if s.match != "" && s.rowids == "" && s.all == nil {
		// The plan s names (tests choose one).
		if err := db.readMatches(ctx, &s, false); err != nil {
			return nil, err
		}
	}
	recs := []Record{}
	if after == nil || !after.Undated {
		where, args := `r.object_type = ? AND r.updated_at IS NOT NULL`, []any{typ}
		if after != nil {
			where, args = `r.object_type = ? AND (r.updated_at, r.id) < (?, ?)`, []any{typ, after.UpdatedAt, after.ID}
		}
		got, err := db.queryPage(ctx, where, args, s, n)
		if err != nil {
			return nil, err
		}
		recs = append(recs, got...)
		after = nil
	}
	if len(recs) < n {
		where, args := `r.object_type = ? AND r.updated_at IS NULL`, []any{typ}
		if after != nil {
			where, args = `r.object_type = ? AND r.updated_at IS NULL AND r.id < ?`, []any{typ, after.ID}
		}
		got, err := db.queryPage(ctx, where, args, s, n-len(recs))
		if err != nil {
			return nil, err
		}
		recs = append(recs, got...)
	}
	return recs, nil
}

// search is a RecordsPage text filter and the plan chosen for it.
type search struct {
	match string // FTS5 query; "" for none
	// fromFTS: few matches (at most searchDriveLimit), read and sorted; else
	// the type's index is walked in page order, each row tested against
	// all. The matches are read from records_fts once per page (a query of
	// a long prefix such as user12345@example costs tens of milliseconds at
	// a million records each time it is run, and a page runs up to two
	// queries).
	fromFTS bool
	rowids  string  // fromFTS: the matches' rowids as a JSON array
	all     []int64 // !fromFTS: the matches' rowids, ascending
}

// readMatches reads the rowids s.match hits and, with choose, the plan
// (else it follows s.fromFTS). They come
// as one string from group_concat: at a million records a common word has
// hundreds of thousands of matches, which SQLite lists in a few
// milliseconds but database/sql would take a quarter of a second to hand
// over row by row (and SQLite as long to make a temporary index of, for an
// IN (subquery)).
func (db *DB) readMatches(ctx context.Context, s *search, choose bool) error {
	if s.match == "" {
		return nil
	}
	var list sql.NullString
	if err := db.db.QueryRowContext(ctx, `SELECT group_concat(rowid) FROM
		(SELECT rowid FROM records_fts WHERE records_fts MATCH ? ORDER BY rowid)`, s.match).Scan(&list); err != nil {
		return err
	}
	n := 0
	if list.String != "" {
		n = strings.Count(list.String, ",") + 1
	}
	if choose {
		s.fromFTS = n <= searchDriveLimit
	}
	if s.fromFTS {
		s.rowids = "[" + list.String + "]"
		return nil
	}
	s.all = make([]int64, 0, n)
	if n == 0 {
		return nil
	}
	for f := range strings.SplitSeq(list.String, ",") {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return fmt.Errorf("read matches: %w", err)
		}
		s.all = append(s.all, id)
	}
	return nil
}

// searchDriveLimit bounds the matches RecordsPage reads and sorts itself.
const searchDriveLimit = 5000

func (db *DB) queryPage(ctx context.Context, where string, args []any, s search, n int) ([]Record, error) {
	if s.match != "" && !s.fromFTS {
		// Many matches: the first n rows in page order that are matches,
		// then read as few.
		picked, err := db.pickMatches(ctx, where, args, s.all, n)
		if err != nil {
			return nil, err
		}
		s.fromFTS, s.rowids = true, picked
	}
	query := `SELECT ` + recordColumnsR + ` FROM records r WHERE ` + where
	if s.match != "" {
		// Looked up one by one by rowid, then sorted; CROSS JOIN keeps the
		// list the outer loop (else SQLite may walk the type's index in
		// page order, testing each row against the list).
		query = `SELECT ` + recordColumnsR + ` FROM json_each(?) m
			CROSS JOIN records r ON r.rowid = m.value WHERE ` + where
		args = append([]any{s.rowids}, args...)
	}
	query += ` ORDER BY r.updated_at DESC, r.id DESC LIMIT ?`
	args = append(args, n)
	rows, err := db.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var recs []Record
	var d propsDecoder
	for rows.Next() {
		r, err := scanRecordWith(rows, &d)
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	return recs, rows.Err()
}

// pickMatches walks the rowids of where's rows in page order (the type's
// index alone) and returns, as a JSON array, the first n found in all.
func (db *DB) pickMatches(ctx context.Context, where string, args []any, all []int64, n int) (string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT r.rowid FROM records r WHERE `+where+`
		ORDER BY r.updated_at DESC, r.id DESC`, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	buf := []byte{'['}
	for found := 0; found < n && rows.Next(); {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return "", err
		}
		if _, ok := slices.BinarySearch(all, id); !ok {
			continue
		}
		if found++; found > 1 {
			buf = append(buf, ',')
		}
		buf = strconv.AppendInt(buf, id, 10)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	return string(append(buf, ']')), nil
}

// recordColumnsR is recordColumns qualified with the alias r, for the joins
// with records_fts.
var recordColumnsR = "r." + strings.ReplaceAll(recordColumns, ", ", ", r.")

// ftsQuery turns what a user typed into a safe FTS5 query: each
// whitespace-separated word becomes a quoted phrase of its letter-and-digit
// runs, its last token a prefix ("jose@exa" -> "jose exa"*), and the phrases
// are ANDed. Quotes, operators, column filters and markup are never passed
// through, so no input is an FTS syntax error. Input with no letters or
// digits gives "": no filter. A last token of 1 to 6 characters is read from
// records_fts's prefix index (migration 0004); a longer one makes FTS5 merge
// the doclists of all the terms it starts, which is slow only when those are
// in most records.
func ftsQuery(input string) string {
	var phrases []string
	for _, word := range strings.Fields(input) {
		tokens := strings.FieldsFunc(word, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Co, r)
		})
		if len(tokens) > 0 {
			phrases = append(phrases, `"`+strings.Join(tokens, " ")+`"*`)
		}
	}
	return strings.Join(phrases, " AND ")
}
