package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"
)

// Reads for CSV exports: what an export must know before its first row (the
// columns, the row count for progress), and the association pairs of a whole
// type streamed in the order EachRecord streams the records, so an export
// merges the two instead of querying once per record.

// RecordPropertyNames lists, sorted, every property name present on at least
// one stored record of objectType, defined or not.
//
// record_property_names holds every name ever written (migration 0014); each
// is confirmed by finding one record that has it, which for a name HubSpot
// sends on every record is the first record looked at. A plain name is
// found as the text "name": in the properties column: as appendProperties
// writes them, that text can only be the key (a quote inside a value or a
// key is escaped, and none of the name's characters is a quote, a colon, a
// comma or a brace). Any other name is looked for with json_each.
func (db *DB) RecordPropertyNames(ctx context.Context, objectType string) ([]string, error) {
	candidates, err := queryStrings(ctx, db.db, `SELECT name FROM record_property_names
		WHERE object_type = ? ORDER BY name`, objectType)
	if err != nil {
		return nil, fmt.Errorf("property names of %s: %w", objectType, err)
	}
	var names []string
	for _, name := range candidates {
		var found bool
		if plainName(name) {
			err = db.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM records
				WHERE object_type = ? AND instr(properties, ?) > 0)`, objectType, `"`+name+`":`).Scan(&found)
		} else {
			err = db.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM records r, json_each(r.properties) p
				WHERE r.object_type = ? AND p.key = ?)`, objectType, name).Scan(&found)
		}
		if err != nil {
			return nil, fmt.Errorf("property names of %s: %s: %w", objectType, name, err)
		}
		if found {
			names = append(names, name)
		}
	}
	return names, nil
}

// plainName reports whether name is made only of ASCII letters, digits and
// "_-." (every HubSpot property name is), which JSON writes as they are.
func plainName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// CountExportRows counts the records of objectType, archived included: the
// rows an export of it writes. It reads an index alone, where CountRecords'
// split by archived reads every row (a second of a million-record export).
func (db *DB) CountExportRows(ctx context.Context, objectType string) (int64, error) {
	var n int64
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM records WHERE object_type = ?`,
		objectType).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", objectType, err)
	}
	return n, nil
}

// RecordValues is one record as a CSV export reads it: its property values
// in the order of the names asked for.
type RecordValues struct {
	ID                   string
	Values               []*string // Values[i]: the value of names[i]; nil when null or absent
	CreatedAt, UpdatedAt time.Time // zero: unknown
	Archived             bool
}

// IDRange is a run of a type's records in numeric id order, all with ids of
// Len characters: from the id From (included) to the id To (left out; ""
// for the last of that length). The zero IDRange is every record.
type IDRange struct {
	Len      int
	From, To string
}

// where is the SQL condition for ids in r (after "WHERE type = ?"), on
// the id column col, and its arguments.
func (r IDRange) where(col string) (string, []any) {
	if r.Len == 0 {
		return "", nil
	}
	cond, args := " AND length("+col+") = ? AND "+col+" >= ?", []any{r.Len, r.From}
	if r.To != "" {
		cond, args = cond+" AND "+col+" < ?", append(args, r.To)
	}
	return cond, args
}

// IDRanges splits the records of objectType, in numeric id order, into runs
// of size records (the last of each id length may be shorter), so that an
// export can read them on several connections at once and still write them
// in order. Each run's end is found by hopping size entries along the
// numeric-id index: splitting walks the index once, never the table.
func (db *DB) IDRanges(ctx context.Context, objectType string, size int) ([]IDRange, error) {
	fail := func(err error) ([]IDRange, error) { return nil, fmt.Errorf("split %s: %w", objectType, err) }
	var out []IDRange
	var r IDRange
	err := db.db.QueryRowContext(ctx, `SELECT length(id), id FROM records WHERE object_type = ?
		ORDER BY length(id), id LIMIT 1`, objectType).Scan(&r.Len, &r.From)
	for err == nil {
		err = db.db.QueryRowContext(ctx, `SELECT id FROM records WHERE object_type = ? AND length(id) = ?
			AND id >= ? ORDER BY id LIMIT 1 OFFSET ?`, objectType, r.Len, r.From, size).Scan(&r.To)
		if err == nil {
			out = append(out, r)
			r.From, r.To = r.To, ""
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fail(err)
		}
		out = append(out, r) // the rest of this length
		err = db.db.QueryRowContext(ctx, `SELECT length(id), id FROM records WHERE object_type = ? AND length(id) > ?
			ORDER BY length(id), id LIMIT 1`, objectType, r.Len).Scan(&r.Len, &r.From)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fail(err)
	}
	return out, nil
}

// EachRecordValues calls fn for every record of objectType in r (archived
// included) in EachRecord's order (numeric id), with the values of names.
// It reads only what a CSV row needs and builds no map per record: fn must
// not keep Values, which the next record reuses. An error from fn stops
// the walk and is returned as is.
func (db *DB) EachRecordValues(ctx context.Context, objectType string, r IDRange, names []string,
	fn func(RecordValues) error) error {
	cond, args := r.where("id")
	order := "length(id), id"
	if r.Len != 0 {
		order = "id" // of one length: the index's order (the length too made SQLite sort them)
	}
	rows, err := db.db.QueryContext(ctx, `SELECT id, properties, created_at, updated_at, archived FROM records
		WHERE object_type = ?`+cond+` ORDER BY `+order, append([]any{objectType}, args...)...)
	if err != nil {
		return fmt.Errorf("read %s: %w", objectType, err)
	}
	defer rows.Close()
	index := make(map[string]int, len(names))
	var dups [][2]int // a name asked for twice: {its later place, its first}
	for i, n := range names {
		if j, dup := index[n]; dup {
			dups = append(dups, [2]int{i, j})
			continue
		}
		index[n] = i
	}
	cols := newColumnIndex(index)
	var (
		d                propsDecoder
		props            string
		created, updated sql.NullInt64
		archived         int
		vals             = make([]string, len(names))
		rv               = RecordValues{Values: make([]*string, len(names))}
	)
	for rows.Next() {
		if err := rows.Scan(&rv.ID, &props, &created, &updated, &archived); err != nil {
			return fmt.Errorf("read %s: %w", objectType, err)
		}
		if err := d.columns(props, cols, rv.Values, vals); err != nil {
			return fmt.Errorf("read %s: %s %s: decode properties: %w", objectType, objectType, rv.ID, err)
		}
		for _, d := range dups {
			rv.Values[d[0]] = rv.Values[d[1]]
		}
		rv.CreatedAt, rv.UpdatedAt, rv.Archived = fromMillis(created), fromMillis(updated), archived != 0
		if err := fn(rv); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", objectType, err)
	}
	return nil
}

// AssociationPairs yields every stored association between a record of
// objectType and a record of one of toTypes, from both directions of the
// table and turned so that FromType is objectType (Types left empty). Pairs
// come in EachRecord's order of FromID (numeric), then by ToType and numeric
// ToID; a pair stored from both sides comes twice in a row. Memory stays
// flat: nothing but one record's pairs is held at a time.
//
// Numeric order is by length, then text. For each length of id, each
// direction of the table is read in its own index's order (the primary key
// for pairs stored from objectType's side, associations_to for the others),
// which for ids of one length is numeric order, and the two are merged: no
// sort of the whole set (what made SQLite spill hundreds of megabytes to
// temporary files at a million records).
func (db *DB) AssociationPairs(ctx context.Context, objectType string, toTypes []string) iter.Seq2[Association, error] {
	return func(yield func(Association, error) bool) {
		fail := func(err error) { yield(Association{}, fmt.Errorf("associations of %s: %w", objectType, err)) }
		lengths, err := db.queryInts(ctx, `SELECT DISTINCT length(from_id) FROM associations WHERE from_type = ?1
			UNION SELECT DISTINCT length(to_id) FROM associations WHERE to_type = ?1 ORDER BY 1`, objectType)
		if err != nil {
			fail(err)
			return
		}
		want := make(map[string]bool, len(toTypes))
		for _, t := range toTypes {
			want[t] = true
		}
		for _, n := range lengths {
			if err := db.pairsIn(ctx, objectType, IDRange{Len: int(n)}, want, nil, yield); err != nil {
				if !errors.Is(err, errStopped) {
					fail(err)
				}
				return
			}
		}
	}
}

// errStopped is how pairsOfLength says the consumer stopped.
var errStopped = errors.New("stopped")

// PairScratch holds the buffers AssociationsIn reads into, for a caller
// that reads many ranges one after the other to reuse.
type PairScratch struct {
	from, to, out []Association
}

// AssociationsIn returns AssociationPairs' pairs whose objectType id lies
// in r, which must not be the zero IDRange, in the same order, in
// scratch's buffers (valid until its next use). Each direction of the
// table is read whole before the two are merged, so that it holds one
// connection at a time: workers reading ranges side by side then need no
// more connections than the pool keeps open.
func (db *DB) AssociationsIn(ctx context.Context, objectType string, toTypes []string, r IDRange,
	scratch *PairScratch) ([]Association, error) {
	want := make(map[string]bool, len(toTypes))
	for _, t := range toTypes {
		want[t] = true
	}
	out := scratch.out[:0]
	if err := db.pairsIn(ctx, objectType, r, want, scratch, func(a Association, _ error) bool {
		out = append(out, a)
		return true
	}); err != nil {
		return nil, fmt.Errorf("associations of %s: %w", objectType, err)
	}
	scratch.out = out
	return out, nil
}

// pairsIn yields AssociationPairs' pairs whose objectType id lies in r, a
// range of one id length (From "": from its first). With scratch, each
// direction is read whole into it first (see AssociationsIn); without, the
// two are read side by side.
func (db *DB) pairsIn(ctx context.Context, objectType string, r IDRange, want map[string]bool,
	scratch *PairScratch, yield func(Association, error) bool) error {
	fromCond, args := r.where("from_id")
	toCond, _ := r.where("to_id")
	args = append([]any{objectType}, args...)
	from, err := newPairStream(ctx, db, `SELECT from_id, to_type, to_id FROM associations
		WHERE from_type = ?`+fromCond+` ORDER BY from_id`, args...)
	if err != nil {
		return err
	}
	defer from.close()
	if scratch != nil {
		if scratch.from, err = from.readAll(scratch.from[:0]); err != nil {
			return err
		}
	}
	to, err := newPairStream(ctx, db, `SELECT to_id, from_type, from_id FROM associations
		WHERE to_type = ?`+toCond+` ORDER BY to_id`, args...)
	if err != nil {
		return err
	}
	defer to.close()
	if scratch != nil {
		if scratch.to, err = to.readAll(scratch.to[:0]); err != nil {
			return err
		}
	}
	var group []Association
	for from.ok || to.ok {
		// The next id: the smaller of the two streams' heads.
		id := from.cur.FromID
		if !from.ok || to.ok && to.cur.FromID < id {
			id = to.cur.FromID
		}
		group = group[:0]
		for _, s := range []*pairStream{from, to} {
			for s.ok && s.cur.FromID == id {
				if want[s.cur.ToType] {
					a := s.cur
					a.FromType = objectType
					group = append(group, a)
				}
				if err := s.next(); err != nil {
					return err
				}
			}
		}
		slices.SortStableFunc(group, func(a, b Association) int {
			if c := strings.Compare(a.ToType, b.ToType); c != 0 {
				return c
			}
			if len(a.ToID) != len(b.ToID) {
				return len(a.ToID) - len(b.ToID)
			}
			return strings.Compare(a.ToID, b.ToID)
		})
		for _, a := range group {
			if !yield(a, nil) {
				return errStopped
			}
		}
	}
	return nil
}

// pairStream walks one query of (id, other type, other id) rows, holding
// the current one; after readAll, the list of its rows read.
type pairStream struct {
	rows *sql.Rows // nil: reading list
	list []Association
	cur  Association
	ok   bool
}

func newPairStream(ctx context.Context, db *DB, query string, args ...any) (*pairStream, error) {
	rows, err := db.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	s := &pairStream{rows: rows}
	if err := s.next(); err != nil {
		rows.Close()
		return nil, err
	}
	return s, nil
}

func (s *pairStream) next() error {
	if s.rows == nil {
		if s.ok = len(s.list) > 0; s.ok {
			s.cur, s.list = s.list[0], s.list[1:]
		}
		return nil
	}
	if s.ok = s.rows.Next(); !s.ok {
		return s.rows.Err()
	}
	return s.rows.Scan(&s.cur.FromID, &s.cur.ToType, &s.cur.ToID)
}

// readAll reads the rest of the rows into buf (returned, to reuse) and
// closes them, giving the connection back; the stream then walks buf.
func (s *pairStream) readAll(buf []Association) ([]Association, error) {
	for s.ok {
		buf = append(buf, s.cur)
		if err := s.next(); err != nil {
			return buf, err
		}
	}
	s.close()
	s.rows, s.list = nil, buf
	return buf, s.next()
}

func (s *pairStream) close() {
	if s.rows != nil {
		s.rows.Close()
	}
}

// queryInts runs a query of one integer column and returns its rows.
func (db *DB) queryInts(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := db.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// FormSubmissionFields lists, sorted, the field names found on the stored
// submissions of formID, or of every form when formID is "".
func (db *DB) FormSubmissionFields(ctx context.Context, formID string) ([]string, error) {
	names, err := queryStrings(ctx, db.db, `SELECT DISTINCT v.key FROM form_submissions s, json_each(s."values") v
		WHERE ?1 = '' OR s.form_id = ?1 ORDER BY v.key`, formID)
	if err != nil {
		return nil, fmt.Errorf("form submission fields: %w", err)
	}
	return names, nil
}

// CountFormSubmissions counts the stored submissions of formID, or of every
// form when formID is "".
func (db *DB) CountFormSubmissions(ctx context.Context, formID string) (int64, error) {
	var n int64
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM form_submissions
		WHERE ?1 = '' OR form_id = ?1`, formID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count form submissions: %w", err)
	}
	return n, nil
}

// EmailEventKeys lists, sorted, the top-level keys found in the stored
// events' raw JSON.
func (db *DB) EmailEventKeys(ctx context.Context) ([]string, error) {
	keys, err := queryStrings(ctx, db.db, `SELECT DISTINCT k.key FROM email_events e, json_each(e.raw) k
		ORDER BY k.key`)
	if err != nil {
		return nil, fmt.Errorf("email event fields: %w", err)
	}
	return keys, nil
}

// CountEmailEvents counts the stored email events.
func (db *DB) CountEmailEvents(ctx context.Context) (int64, error) {
	var n int64
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM email_events`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count email events: %w", err)
	}
	return n, nil
}

// rowsQuerier is a connection pool or a transaction.
type rowsQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryStrings runs a query of one text column on q and returns its rows.
func queryStrings(ctx context.Context, q rowsQuerier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
