package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

var benchWords = []string{"Anna", "José", "Björn", "Chloé", "David", "Zürich", "Berlin", "Paris", "Oslo",
	"renewal", "pipeline", "quarterly", "onboarding", "enterprise", "support", "invoice"}

// benchRecord builds a record shaped like a HubSpot contact with nProps
// properties; i makes it unique.
func benchRecord(typ string, i, nProps int, updated time.Time) Record {
	props := make(map[string]*string, nProps)
	props["hs_object_id"] = str(strconv.Itoa(i))
	props["email"] = str(fmt.Sprintf("user%d@example%d.com", i, i%100))
	props["firstname"] = str(benchWords[i%len(benchWords)])
	for p := len(props); p < nProps; p++ {
		switch p % 4 {
		case 0:
			props[fmt.Sprintf("prop_%02d", p)] = nil
		case 1:
			props[fmt.Sprintf("prop_%02d", p)] = str(strconv.Itoa(i * p))
		default:
			props[fmt.Sprintf("prop_%02d", p)] = str(benchWords[(i+p)%len(benchWords)] + " " + benchWords[(i*p)%len(benchWords)])
		}
	}
	return Record{Type: typ, ID: strconv.Itoa(i), Properties: props, CreatedAt: updated, UpdatedAt: updated}
}

// BenchmarkUpsertPage writes pages of 100 contacts of 50 properties, one
// transaction per page, as the extractor does.
func BenchmarkUpsertPage(b *testing.B) {
	ctx := context.Background()
	const pageSize, nProps = 100, 50
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		rewrite bool // write the same page again (a re-extraction)
	}{
		{"new", false},
		{"rewrite", true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			db := openTest(b)
			page := make([]Record, pageSize)
			next := 0
			fill := func() {
				for j := range page {
					page[j] = benchRecord("contacts", next, nProps, t0.Add(time.Duration(next)*time.Second))
					next++
				}
			}
			fill()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if !tc.rewrite && i > 0 {
					b.StopTimer()
					fill()
					b.StartTimer()
				}
				if err := db.TransactionContext(ctx, func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, page) }); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*pageSize)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkRecordsPage reads browser pages over a large table:
// HUBEXTRACT_BENCH_RECORDS records (default 200000; set 1000000 for the 1M
// target), half contacts and half emails.
func BenchmarkRecordsPage(b *testing.B) {
	ctx := context.Background()
	n := benchCount(b, 200_000)
	db := openTest(b)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const batch = 1000
	recs := make([]Record, 0, batch)
	for i := 1; i <= n; i += batch {
		recs = recs[:0]
		for j := i; j < i+batch && j <= n; j++ {
			typ := "contacts"
			if j%2 == 0 {
				typ = "emails"
			}
			r := benchRecord(typ, j, 10, t0.Add(time.Duration(j%(n/4))*time.Second))
			if j%(n/10) == 1 {
				r.Properties["rare"] = str("zebracorn")
			}
			recs = append(recs, r)
		}
		if err := db.TransactionContext(ctx, func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, recs) }); err != nil {
			b.Fatal(err)
		}
	}
	// The cursor half-way down the contacts, found once the slow way.
	var deep Cursor
	if err := db.SQL().QueryRow(`SELECT updated_at, id FROM records WHERE object_type = 'contacts'
		ORDER BY updated_at DESC, id DESC LIMIT 1 OFFSET ?`, n/4).Scan(&deep.UpdatedAt, &deep.ID); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		q    RecordQuery
	}{
		{"first", RecordQuery{Type: "contacts", Limit: 100}},
		{"deep", RecordQuery{Type: "contacts", Limit: 100, After: &deep}},
		{"search_rare", RecordQuery{Type: "contacts", Limit: 100, Search: "zebracorn"}},
		{"search_common", RecordQuery{Type: "contacts", Limit: 100, Search: "zürich", After: &deep}},
		{"search_two_words", RecordQuery{Type: "contacts", Limit: 100, Search: "anna example1"}},
	} {
		b.Run(fmt.Sprintf("%s/n=%d", tc.name, n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				recs, _, err := db.RecordsPage(ctx, tc.q)
				if err != nil {
					b.Fatal(err)
				}
				if len(recs) == 0 {
					b.Fatal("empty page")
				}
			}
		})
	}
}

// BenchmarkSearchKept measures the record browser's searches over
// HUBEXTRACT_BENCH_RECORDS contacts (default 1,000,000) shaped like the
// workspace benchmark's. Building them takes minutes, so it runs only when
// HUBEXTRACT_BENCH_DIR names a folder where the database is built once and
// kept (-v shows how long building or migrating it took):
// HUBEXTRACT_BENCH_DIR=/tmp go test -run '^$' -bench SearchKept -v ./backend/store/
func BenchmarkSearchKept(b *testing.B) {
	dir := os.Getenv("HUBEXTRACT_BENCH_DIR")
	if dir == "" {
		b.Skip("HUBEXTRACT_BENCH_DIR is not set")
	}
	n := benchCount(b, 1_000_000)
	if n < 10_000 {
		b.Fatalf("HUBEXTRACT_BENCH_RECORDS=%d: want at least 10000 for full pages of each search", n)
	}
	db := keptContacts(b, dir, n)
	defer db.Close()
	user := min(12345, n-1) // one contact's e-mail address
	// The cursor half-way down the table: paging there the usual way would
	// take n/100 pages, so it is found once with SQL.
	var deep Cursor
	if err := db.SQL().QueryRow(`SELECT updated_at, id FROM records WHERE object_type = 'contacts'
		ORDER BY updated_at DESC, id DESC LIMIT 1 OFFSET ?`, n/2).Scan(&deep.UpdatedAt, &deep.ID); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		search string
		after  *Cursor
		want   int // records on the page
	}{
		{"first", "", nil, 50},
		{"deep", "", &deep, 50},
		{"email_prefix", fmt.Sprintf("user%d@exa", user), nil, 1},
		{"email_prefix_long", fmt.Sprintf("user%d@example", user), nil, 1}, // longer than the prefix index's
		{"rare", "zebracorn", nil, 10},
		{"common", "anna", nil, 50},
		{"common_prefix", "zür", nil, 50},
		{"common_long", "zürich", nil, 50},
		{"two_words", "anna example1", nil, 50},
	} {
		b.Run(fmt.Sprintf("%s/n=%d", tc.name, n), func(b *testing.B) {
			ctx := context.Background()
			q := RecordQuery{Type: "contacts", Limit: 50, Search: tc.search, After: tc.after}
			for i := 0; i < b.N; i++ {
				recs, _, err := db.RecordsPage(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				if len(recs) != tc.want {
					b.Fatalf("%d records, want %d", len(recs), tc.want)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
		})
	}
}

// benchCount is HUBEXTRACT_BENCH_RECORDS, or def when unset.
func benchCount(b *testing.B, def int) int {
	v := os.Getenv("HUBEXTRACT_BENCH_RECORDS")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1000 {
		b.Fatalf("HUBEXTRACT_BENCH_RECORDS=%q: want a number >= 1000", v)
	}
	return n
}

// keptContacts opens dir/contacts-<n>-v<schema>.db, building it first when
// missing. The name carries the schema version so that the code of an older
// version never opens (and is never refused) a migrated file: when only a file
// of an older schema exists, a copy of it is migrated, as an upgrade would do,
// and the migration time is logged.
func keptContacts(b *testing.B, dir string, n int) *DB {
	ctx := context.Background()
	ms, err := migrations()
	if err != nil {
		b.Fatal(err)
	}
	name := func(v int) string { return filepath.Join(dir, fmt.Sprintf("contacts-%d-v%d.db", n, v)) }
	path := name(knownVersion(ms))
	if _, err := os.Stat(path); err == nil {
		return openBench(b, path)
	}
	for v := knownVersion(ms) - 1; v > 0; v-- {
		if _, err := os.Stat(name(v)); err != nil {
			continue
		}
		removeDB(b, path+".tmp")
		copyFile(b, name(v), path+".tmp")
		start := time.Now()
		db := openBench(b, path+".tmp")
		b.Logf("migrated %d contacts from schema %d to %d in %v", n, v, knownVersion(ms), time.Since(start).Round(time.Millisecond))
		db.Close()
		if err := os.Rename(path+".tmp", path); err != nil {
			b.Fatal(err)
		}
		return openBench(b, path)
	}
	// Built under another name and renamed once complete, so an interrupted
	// build is never taken for a finished one.
	removeDB(b, path+".tmp")
	db := openBench(b, path+".tmp")
	start := time.Now()
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const batch = 2000
	recs := make([]Record, 0, batch)
	for i := 1; i <= n; i += batch {
		recs = recs[:0]
		for j := i; j < i+batch && j <= n; j++ {
			recs = append(recs, benchContact(j, n, t0.Add(time.Duration(j)*time.Second)))
		}
		if err := db.TransactionContext(ctx, func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, recs) }); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("built %d contacts in %v", n, time.Since(start).Round(time.Second))
	db.Close()
	if err := os.Rename(path+".tmp", path); err != nil {
		b.Fatal(err)
	}
	return openBench(b, path)
}

func openBench(b *testing.B, path string) *DB {
	db, err := Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// removeDB removes what an interrupted run may have left at path: SQLite
// would replay a stale -wal file into a new database of the same name.
func removeDB(b *testing.B, path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			b.Fatal(err)
		}
	}
}

// copyFile copies a closed database (no -wal file left) to a new path.
func copyFile(b *testing.B, from, to string) {
	src, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
}

var benchNames = []string{"Anna", "José", "Björn", "Chloé", "David", "Ngozi", "Siobhán", "Wei", "Yusuf", "Zoë"}

// benchContact is contact j of n with the properties of the workspace
// benchmark's contacts; one in n/10 has the rare word "zebracorn".
func benchContact(j, n int, updated time.Time) Record {
	p := map[string]*string{
		"hs_object_id":     str(strconv.Itoa(j)),
		"firstname":        str(benchNames[j%len(benchNames)]),
		"lastname":         str(fmt.Sprintf("Name%d", j%5000)),
		"email":            str(fmt.Sprintf("user%d@example%d.com", j, j%100)),
		"company":          str(fmt.Sprintf("Company %d", j%20000)),
		"hubspot_owner_id": str(strconv.Itoa(1000 + j%20)),
		"lifecyclestage":   str([]string{"lead", "customer"}[j%2]),
		"message":          str("<p>Called about the renewal</p>"),
		"phone":            str(fmt.Sprintf("+1 555 %07d", j)),
		"city":             str([]string{"Berlin", "Zürich", "Paris", "Oslo"}[j%4]),
	}
	if j%(n/10) == 1 {
		p["jobtitle"] = str("zebracorn wrangler")
	}
	return Record{Type: "contacts", ID: strconv.Itoa(j), Properties: p, CreatedAt: updated, UpdatedAt: updated}
}

// BenchmarkIngestPages is the extractor's writer alone: 50,000 contacts of
// 20 properties written as it writes them, a page of 100 with its company
// associations and checkpoint at a time, on one goroutine. Its records/s
// is the most a run can reach with the writer as its bottleneck
// (BenchmarkIngestUnthrottled in backend/extract measures a whole run).
// PagesPerTx8 commits eight pages per transaction instead of one, to show
// what grouping pages would gain (the search index writes a segment, and
// merges segments, per transaction).
//
//	go test -run '^$' -bench IngestPages -benchtime 2x ./backend/store
func BenchmarkIngestPages(b *testing.B) {
	for _, perTx := range []int{1, 8} {
		b.Run(fmt.Sprintf("PagesPerTx%d", perTx), func(b *testing.B) { benchIngestPages(b, perTx) })
	}
}

func benchIngestPages(b *testing.B, perTx int) {
	ctx := context.Background()
	const total, pageSize, nProps = 50_000, 100, 20
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	pages := make([][]Record, 0, total/pageSize)
	for p := range total / pageSize {
		page := make([]Record, pageSize)
		for j := range page {
			i := p*pageSize + j + 1
			page[j] = benchRecord("contacts", i, nProps, t0.Add(time.Duration(i)*time.Second))
		}
		pages = append(pages, page)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		db := openTest(b)
		runID, err := db.CreateRun(ctx, "full", []string{"contacts"}, t0)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for first := 0; first < len(pages); first += perTx {
			err := db.TransactionContext(ctx, func(tx *Tx) error {
				for p := first; p < min(first+perTx, len(pages)); p++ {
					page := pages[p]
					ids := make([]string, len(page))
					assocs := make([]Association, len(page))
					for j, r := range page {
						ids[j] = r.ID
						assocs[j] = Association{FromType: "contacts", FromID: r.ID, ToType: "companies",
							ToID: strconv.Itoa(1 + p), Types: []AssocType{{Category: "HUBSPOT_DEFINED", TypeID: 1}}}
					}
					if err := tx.UpsertRecords(ctx, runID, page); err != nil {
						return err
					}
					if err := tx.ReplaceAssociations(ctx, "contacts", ids, []string{"companies"}, assocs); err != nil {
						return err
					}
					if err := tx.SaveCheckpoint(ctx, Checkpoint{RunID: runID, Stream: "contacts", Cursor: strconv.Itoa(p)}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(total*b.N)/b.Elapsed().Seconds(), "records/s")
}
