package reliability

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // the "sqlite" driver, to read databases as a bystander
)

// bookkeeping are the tables of the runs themselves (history, checkpoints,
// watermarks, what a key may read), which differ between an interrupted
// and an uninterrupted run by design; every other table holds extracted
// data and is compared whole.
var bookkeeping = []string{"runs", "run_streams", "checkpoints", "watermarks", "extract_overflow", "schema_migrations", "type_access",
	"change_source", "skipped_slots", "account_identity"}

// unordered are columns that only order rows (a change's place in the
// change sequence): compared without them, the rows are what changed.
var unordered = map[string]string{"changes": "seq"}

// openRO opens a database read-only, as a bystander.
func openRO(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// snapshot is a database's extracted data: per table, each row rendered
// as text (every column but run_id, which names the run that last wrote
// it, and the unordered ones).
type snapshot map[string]map[string]bool

// snap reads the data tables of the database at path.
func snap(t *testing.T, path string) snapshot {
	t.Helper()
	db := openRO(t, path)
	s := snapshot{}
	// The search index (records_fts, and search_pending: the records it has
	// yet to take in) is derived from records; sound checks it.
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
		AND name NOT LIKE 'records\_fts%' ESCAPE '\' AND name != 'search_pending' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(bookkeeping, name) {
			tables = append(tables, name)
		}
	}
	rows.Close()
	for _, table := range tables {
		s[table] = tableRows(t, db, table)
	}
	return s
}

func tableRows(t *testing.T, db *sql.DB, table string) map[string]bool {
	t.Helper()
	var cols []string
	rows, err := db.Query(`SELECT '"' || name || '"' FROM pragma_table_info(?) WHERE name NOT IN ('run_id', ?) ORDER BY cid`,
		table, unordered[table])
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	rows, err = db.Query(`SELECT ` + strings.Join(cols, ", ") + ` FROM "` + table + `"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, v := range vals {
			if i > 0 {
				b.WriteByte('\x1f')
			}
			if raw, ok := v.([]byte); ok {
				v = string(raw)
			}
			fmt.Fprintf(&b, "%T:%v", v, v)
		}
		out[b.String()] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// rows counts the snapshot's rows.
func (s snapshot) rows() int {
	n := 0
	for _, rows := range s {
		n += len(rows)
	}
	return n
}

// diff measures got against want: the bytes of want's rows that got lacks
// (lost) and of got's rows that want lacks (extra), with a few of each
// for the failure message.
func diff(want, got snapshot) (lost, extra int64, sample string) {
	var b strings.Builder
	one := func(a, c snapshot, sign string) int64 {
		var n int64
		shown := 0
		for table, rows := range a {
			for row := range rows {
				if c[table][row] {
					continue
				}
				n += int64(len(row))
				if shown < 3 {
					shown++
					fmt.Fprintf(&b, "\n  %s %s: %.200s", sign, table, row)
				}
			}
		}
		return n
	}
	lost = one(want, got, "missing")
	extra = one(got, want, "unexpected")
	for table := range want {
		if _, ok := got[table]; !ok {
			fmt.Fprintf(&b, "\n  table %s missing", table)
		}
	}
	return lost, extra, b.String()
}

// sound checks what a crash could break beyond the rows: the file's
// integrity, no record or association stored twice, one full-text entry
// per record, no run left open, and no orphaned checkpoint (one of a run
// that no longer exists, or one not done of the run that finished last).
func sound(t *testing.T, path string) {
	t.Helper()
	db := openRO(t, path)
	var check string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check: %q %v", check, err)
	}
	for what, q := range map[string]string{
		"records stored twice":                       `SELECT count(*) - count(DISTINCT object_type || ':' || id) FROM records`,
		"association pairs stored twice":             `SELECT count(*) - count(DISTINCT from_type || ':' || from_id || '>' || to_type || ':' || to_id) FROM associations`,
		"records without their full-text entry":      `SELECT (SELECT count(*) FROM records) - (SELECT count(*) FROM records_fts)`,
		"records still waiting for the search index": `SELECT count(*) FROM search_pending`,
		"runs left open":                             `SELECT count(*) FROM runs WHERE status = 'running' OR finished_at IS NULL`,
		"run streams left running":                   `SELECT count(*) FROM run_streams WHERE status = 'running'`,
		"checkpoints of runs that do not exist":      `SELECT count(*) FROM checkpoints WHERE run_id NOT IN (SELECT id FROM runs)`,
		"unfinished checkpoints of the last run":     `SELECT count(*) FROM checkpoints WHERE done = 0 AND run_id = (SELECT max(id) FROM runs) AND (SELECT status FROM runs ORDER BY id DESC LIMIT 1) = 'succeeded'`,
		"associations whose records are both gone":   `SELECT count(*) FROM associations a WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.object_type = a.from_type AND r.id = a.from_id) AND NOT EXISTS (SELECT 1 FROM records r WHERE r.object_type = a.to_type AND r.id = a.to_id)`,
	} {
		var n int64
		if err := db.QueryRow(q).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d (%v)", what, n, err)
		}
	}
}

// pairsOnly is s with each association row reduced to its unordered pair
// of records: which side a pair was read from, and so its direction and
// the labels that side lists, depends on the order streams ran in.
func pairsOnly(s snapshot) snapshot {
	out := snapshot{}
	for table, rows := range s {
		if table != "associations" {
			out[table] = rows
			continue
		}
		pairs := map[string]bool{}
		for row := range rows {
			f := strings.Split(row, "\x1f") // from_type, from_id, to_type, to_id, types
			a, b := f[0]+" "+f[1], f[2]+" "+f[3]
			if b < a {
				a, b = b, a
			}
			pairs[a+" ~ "+b] = true
		}
		out[table] = pairs
	}
	return out
}
