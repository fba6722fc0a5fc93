package crash

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"hubextract/backend/catalog"

	_ "modernc.org/sqlite" // the "sqlite" driver, to read databases as a bystander
)

// openRO opens a database read-only, as a bystander that neither recovers
// nor checkpoints it for the next run.
func openRO(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// mustOpenRO is openRO for a test; the caller closes the database before
// the next run starts, so that the run is alone with it again.
func mustOpenRO(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := openRO(path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func queryInt(t *testing.T, db *sql.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// committedPages is how many pages a run committed, by its own history.
func committedPages(path string, runID int64) (int64, error) {
	db, err := openRO(path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int64
	err = db.QueryRow(`SELECT coalesce(sum(pages), 0) FROM run_streams WHERE run_id = ?`, runID).Scan(&n)
	return n, err
}

// walReady reports whether the file is a SQLite database in WAL mode,
// read from its header without taking a lock: before that, a bystander's
// read lock could keep the extraction from switching to WAL.
func walReady(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 20)
	if _, err := f.Read(head); err != nil {
		return false
	}
	return bytes.HasPrefix(head, []byte("SQLite format 3\x00")) && head[18] == 2 && head[19] == 2
}

// waitForPages polls the database while p runs until a run newer than
// after is running and has committed at least pages pages (0: as soon as
// its row exists), and returns that run's id. The process is left running.
func waitForPages(t *testing.T, p *proc, path string, after, pages int64) int64 {
	t.Helper()
	var db *sql.DB
	defer func() {
		if db != nil {
			db.Close()
		}
	}()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(time.Minute)
	for {
		select {
		case <-p.done:
			t.Fatalf("the run ended (exit %d) before it committed %d pages: interrupt it earlier\nstdout:\n%s",
				p.cmd.ProcessState.ExitCode(), pages, p.stdout.String())
		case <-deadline:
			t.Fatalf("no run committed %d pages within a minute", pages)
		case <-tick.C:
		}
		if db == nil {
			if !walReady(path) {
				continue
			}
			var err error
			if db, err = openRO(path); err != nil {
				t.Fatal(err)
			}
		}
		var (
			id        int64
			status    string
			committed int64
		)
		err := db.QueryRow(`SELECT id, status, coalesce((SELECT sum(pages) FROM run_streams WHERE run_id = runs.id), 0)
			FROM runs WHERE id > ? ORDER BY id DESC LIMIT 1`, after).Scan(&id, &status, &committed)
		switch {
		case errors.Is(err, sql.ErrNoRows), err != nil && strings.Contains(err.Error(), "no such table"):
			continue // the run, or the schema, is not there yet
		case err != nil:
			t.Fatal(err)
		case status != "running":
			t.Fatalf("run %d ended (%s) before it committed %d pages: interrupt it earlier", id, status, pages)
		case committed >= pages:
			return id
		}
	}
}

// runStatus reads a run's status and error as stored.
func runStatus(t *testing.T, path string, id int64) (status, msg string) {
	t.Helper()
	db := mustOpenRO(t, path)
	defer db.Close()
	if err := db.QueryRow(`SELECT status, error FROM runs WHERE id = ?`, id).Scan(&status, &msg); err != nil {
		t.Fatalf("run %d: %v", id, err)
	}
	return status, msg
}

// dataTables hold what was extracted: an interrupted and resumed run must
// leave them exactly as an uninterrupted one does. runTables are the run's
// own bookkeeping, which differs by design.
var (
	dataTables = []string{"records", "associations", "properties", "owners", "pipelines", "pipeline_stages",
		"forms", "form_submissions", "email_events", "property_history", "object_schemas", "record_property_names",
		"search_pending"} // empty once a run ends, whether or not it was interrupted
	// type_access is what connection tests found a key may read: no run
	// writes it. changes orders what changed by a sequence the runs' order
	// decides; change_source and account_identity are the file's identity
	// and claim, skipped_slots the scheduler's.
	runTables = []string{"runs", "run_streams", "checkpoints", "watermarks", "extract_overflow", "schema_migrations", "type_access",
		"changes", "change_source", "account_identity", "skipped_slots"}
)

// sameData checks that the database at got holds exactly the rows of want
// in every data table: same records (type, id, properties, timestamps,
// archived), same association pairs with their types, same metadata and
// marketing rows. Only which run last wrote a record may differ.
func sameData(t *testing.T, got, want string) {
	t.Helper()
	db := mustOpenRO(t, got)
	defer db.Close()
	if _, err := db.Exec(`ATTACH DATABASE ? AS want`, "file:"+want+"?mode=ro"); err != nil {
		t.Fatal(err)
	}
	tables := tableNames(t, db)
	for _, name := range tables {
		if !slices.Contains(dataTables, name) && !slices.Contains(runTables, name) && !strings.HasPrefix(name, "records_fts") {
			t.Errorf("table %s is neither compared nor known as the run's own: add it to dataTables or runTables in tests/crash", name)
		}
	}
	for _, name := range dataTables {
		if !slices.Contains(tables, name) {
			t.Errorf("table %s is missing", name)
			continue
		}
		cols := columns(t, db, name)
		n, m := queryInt(t, db, `SELECT count(*) FROM main.`+name), queryInt(t, db, `SELECT count(*) FROM want.`+name)
		extra := sampleExcept(t, db, cols, "main", "want", name)
		missing := sampleExcept(t, db, cols, "want", "main", name)
		if n != m || extra != "" || missing != "" {
			t.Errorf("%s: %d rows, want %d\nnot in the reference:%s\nmissing:%s", name, n, m, extra, missing)
		}
	}
}

func tableNames(t *testing.T, db *sql.DB) []string {
	t.Helper()
	return queryStrings(t, db, `SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
}

// columns lists a table's columns but run_id, which names the run that
// last wrote a row.
func columns(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	cols := queryStrings(t, db, `SELECT '"' || name || '"' FROM pragma_table_info(?) WHERE name != 'run_id'`, table)
	return strings.Join(cols, ", ")
}

func queryStrings(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sampleExcept shows up to three rows of a.table that b.table lacks.
func sampleExcept(t *testing.T, db *sql.DB, cols, a, b, table string) string {
	t.Helper()
	rows, err := db.Query(fmt.Sprintf(`SELECT %[1]s FROM %[2]s.%[4]s EXCEPT SELECT %[1]s FROM %[3]s.%[4]s LIMIT 3`, cols, a, b, table))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := len(strings.Split(cols, ","))
	var out strings.Builder
	for rows.Next() {
		vals := make([]any, n)
		ptrs := make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := []rune(fmt.Sprint(vals))
		fmt.Fprintf(&out, "\n    %s", string(row[:min(len(row), 300)]))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// sound checks what a crash could break beyond the rows themselves: the
// file's integrity, one full-text entry per record (none lost, none
// doubled), and that no run is left open.
func sound(t *testing.T, path string) {
	t.Helper()
	db := mustOpenRO(t, path)
	defer db.Close()
	var check string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check: %q %v", check, err)
	}
	if recs, fts := queryInt(t, db, `SELECT count(*) FROM records`), queryInt(t, db, `SELECT count(*) FROM records_fts`); recs != fts {
		t.Errorf("%d records but %d full-text entries", recs, fts)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM runs WHERE status = 'running' OR finished_at IS NULL`); n != 0 {
		t.Errorf("%d runs left open", n)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM run_streams WHERE status = 'running'`); n != 0 {
		t.Errorf("%d run streams left running", n)
	}
}

// savedAsCounted checks, type by type, that the records in the database are
// the ones the run history counts as written — no stream counts a page that
// did not commit, nothing committed was lost, nothing was written twice —
// and returns how many there are.
func savedAsCounted(t *testing.T, path string) int64 {
	t.Helper()
	db := mustOpenRO(t, path)
	defer db.Close()
	var all int64
	for _, typ := range crmTypes {
		stored := queryInt(t, db, `SELECT count(*) FROM records WHERE object_type = ?`, typ)
		counted := queryInt(t, db, `SELECT coalesce(sum(records), 0) FROM run_streams WHERE stream = ?`, typ)
		if stored != counted {
			t.Errorf("%s: %d records stored, %d counted as written by the runs", typ, stored, counted)
		}
		all += stored
	}
	if n := queryInt(t, db, `SELECT count(*) FROM records`); n != all {
		t.Errorf("%d records stored, %d of them of the known types", n, all)
	}
	return all
}

// crmTypes are the streams whose records land in the records table.
var crmTypes = catalog.CRM()

// marketingTables are the tables of the other streams, which a resumed run
// may write twice at its edge (a form's submissions are read again from
// the newest, the email events of the edge millisecond), so that only one
// run's counts equal them.
var marketingTables = map[string]string{"forms": "forms", "form_submissions": "form_submissions",
	"email_events": "email_events"}

// streamsAsCounted checks that, for one run that resumed nothing, each
// stream's stored rows are the records its line in the history counts.
func streamsAsCounted(t *testing.T, path string, runID int64) {
	t.Helper()
	db := mustOpenRO(t, path)
	defer db.Close()
	counted := func(stream string) int64 {
		return queryInt(t, db, `SELECT coalesce(sum(records), 0) FROM run_streams WHERE run_id = ? AND stream = ?`, runID, stream)
	}
	for _, typ := range crmTypes {
		if stored, n := queryInt(t, db, `SELECT count(*) FROM records WHERE object_type = ?`, typ), counted(typ); stored != n {
			t.Errorf("run %d %s: %d stored, %d counted", runID, typ, stored, n)
		}
	}
	for stream, table := range marketingTables {
		if stored, n := queryInt(t, db, `SELECT count(*) FROM `+table), counted(stream); stored != n {
			t.Errorf("run %d %s: %d stored, %d counted", runID, stream, stored, n)
		}
	}
}

// runJSON is one run of `hubextract runs --json`.
type runJSON struct {
	ID         int64                 `json:"id"`
	StartedAt  time.Time             `json:"started_at"`
	FinishedAt *time.Time            `json:"finished_at"`
	Status     string                `json:"status"`
	Error      string                `json:"error"`
	APICalls   int64                 `json:"api_calls"`
	Retries    int64                 `json:"retries"`
	Streams    map[string]streamJSON `json:"streams"`
}

type streamJSON struct {
	Status   string  `json:"status"`
	Records  int64   `json:"records"`
	Failed   int64   `json:"failed"`
	APICalls int64   `json:"api_calls"`
	Pages    int64   `json:"pages"`
	Retries  int64   `json:"retries"`
	Seconds  float64 `json:"seconds"`
	Error    string  `json:"error"`
}

// runsJSON runs `hubextract runs --json` on the database and checks that
// the history is sane: newest first, every run closed after it started,
// no stream left running, no negative count.
func runsJSON(t *testing.T, path string) []runJSON {
	t.Helper()
	p := start(t, "runs", "--db", path, "--json")
	if code := p.wait(t); code != 0 {
		t.Fatalf("runs --json: exit %d\n%s", code, p.stderr.String())
	}
	var runs []runJSON
	if err := json.Unmarshal(p.stdout.Bytes(), &runs); err != nil {
		t.Fatalf("runs --json: %v\n%s", err, p.stdout.String())
	}
	for i, r := range runs {
		switch {
		case i > 0 && r.ID >= runs[i-1].ID:
			t.Errorf("run %d listed after run %d: want newest first", r.ID, runs[i-1].ID)
		case r.FinishedAt == nil || r.FinishedAt.Before(r.StartedAt):
			t.Errorf("run %d: finished_at %v, started_at %v: want it closed after it started", r.ID, r.FinishedAt, r.StartedAt)
		case !slices.Contains([]string{"succeeded", "partial", "failed", "cancelled", "interrupted"}, r.Status):
			t.Errorf("run %d: status %q", r.ID, r.Status)
		case len(r.Streams) == 0 && r.APICalls > 0:
			t.Errorf("run %d made %d calls but lists no stream", r.ID, r.APICalls)
		}
		for name, s := range r.Streams {
			if s.Status == "running" || s.Records < 0 || s.Failed < 0 || s.APICalls < 0 || s.Pages < 0 || s.Retries < 0 || s.Seconds < 0 {
				t.Errorf("run %d stream %s: %+v", r.ID, name, s)
			}
		}
	}
	return runs
}
