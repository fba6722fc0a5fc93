package mirror

import (
	"context"
	"flag"
	"fmt"
	"hubextract/backend/testkit"
	"path/filepath"
	"testing"
	"time"

	"hubextract/backend/store"
)

// benchRecords is the number of contacts the sync benchmarks mirror:
//
//	go test ./backend/mirror/ -run '^$' -bench Sync -benchtime 1x -mirror.records 1000000
var benchRecords = flag.Int("mirror.records", 20000, "contacts in the sync benchmarks' database")

// benchDB writes n contacts (a dozen properties of every type each, one
// company association each) into a new database.
func benchDB(b *testing.B, n int) *store.DB {
	b.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.TransactionContext(ctx, func(tx *store.Tx) error {
		return tx.ReplaceProperties(ctx, "contacts", fixtureProps)
	}); err != nil {
		b.Fatal(err)
	}
	const page = 5000
	for start := 1; start <= n; start += page {
		recs := make([]store.Record, 0, page)
		var links []store.Association
		for i := start; i < start+page && i <= n; i++ {
			recs = append(recs, benchRecord(i, 0))
			links = append(links, benchLink(i, i%1000))
		}
		if err := db.TransactionContext(ctx, func(tx *store.Tx) error {
			if err := tx.UpsertRecords(ctx, 1, recs); err != nil {
				return err
			}
			return tx.AddAssociations(ctx, links)
		}); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

// benchLink associates contact i with company to.
func benchLink(i, to int) store.Association {
	return store.Association{FromType: "contacts", FromID: fmt.Sprint(i), ToType: "companies", ToID: fmt.Sprint(to),
		Types: []store.AssocType{{Category: "HUBSPOT_DEFINED", TypeID: 1}}}
}

func benchRecord(i, edit int) store.Record {
	return store.Record{Type: "contacts", ID: fmt.Sprint(i), CreatedAt: time.UnixMilli(1700000000000 + int64(i)),
		UpdatedAt: time.UnixMilli(1700000500000 + int64(i+edit)), Properties: map[string]*string{
			"email":     sp(fmt.Sprintf("user%d@example.com", i)),
			"age":       sp(fmt.Sprint(20 + (i+edit)%50)),
			"signed_up": sp(time.UnixMilli(1600000000000 + int64(i)*1000).UTC().Format("2006-01-02T15:04:05.000Z")),
			"birthday":  sp("1990-05-17"),
			"vip":       sp([]string{"true", "false"}[i%2]),
			"tier":      sp("gold"),
			"id":        sp("x"),
			longA:       sp("1.5"),
			"firstname": sp(fmt.Sprintf("First%d", i)),
			"lastname":  sp(fmt.Sprintf("Last%d", i)),
			"city":      sp("Berlin"),
		}}
}

// BenchmarkSyncFull: a first sync of the whole database into an empty
// PostgreSQL database; rows/s counts records and association pairs.
func BenchmarkSyncFull(b *testing.B) {
	db := benchDB(b, *benchRecords)
	srv := testkit.SharedPostgres(b)
	b.ResetTimer()
	var rows int64
	var secs float64
	for b.Loop() {
		_, url := srv.NewDatabase(b)
		sum, err := Sync(context.Background(), db, Options{URL: url})
		if err != nil {
			b.Fatal(err)
		}
		rows, secs = rows+sum.Rows, secs+sum.Seconds
	}
	b.ReportMetric(float64(rows)/secs, "rows/s")
}

// BenchmarkSyncIncremental: after a full sync, 1% of the records change
// (and 1% of their associations), and the next sync sends those.
func BenchmarkSyncIncremental(b *testing.B) {
	ctx := context.Background()
	db := benchDB(b, *benchRecords)
	srv := testkit.SharedPostgres(b)
	_, url := srv.NewDatabase(b)
	if _, err := Sync(ctx, db, Options{URL: url}); err != nil {
		b.Fatal(err)
	}
	var rows int64
	var secs float64
	edit := 0
	for b.Loop() {
		b.StopTimer()
		edit++
		var recs []store.Record
		var links []store.Association
		for i := edit; i <= *benchRecords; i += 100 {
			recs = append(recs, benchRecord(i, edit))
			links = append(links, benchLink(i, (i+edit)%1000))
		}
		if err := db.TransactionContext(ctx, func(tx *store.Tx) error {
			if err := tx.UpsertRecords(ctx, 2, recs); err != nil {
				return err
			}
			return tx.AddAssociations(ctx, links)
		}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		sum, err := Sync(ctx, db, Options{URL: url})
		if err != nil {
			b.Fatal(err)
		}
		rows, secs = rows+sum.Rows, secs+sum.Seconds
	}
	b.ReportMetric(float64(rows)/secs, "rows/s")
}
