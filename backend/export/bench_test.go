package export

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"testing"

	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// benchDB writes contacts records with props properties each, one company
// per contact (stored from the contact's side), every company's contacts
// (stored again from the company's side) and a call for every other contact.
func benchDB(b *testing.B, contacts, props int) *store.DB {
	db := testkit.OpenDB(b)
	const perCompany = 10
	const batch = 5000
	var defs []store.Property
	for p := range props {
		defs = append(defs, store.Property{Name: fmt.Sprintf("prop_%02d", p), Label: fmt.Sprintf("Property %d", p),
			Type: "enumeration", Options: []store.Option{{Label: "Value one", Value: "v1"}}})
	}
	write(b, db, func(ctx context.Context, tx *store.Tx) error {
		return tx.ReplaceProperties(ctx, "contacts", defs)
	})
	for start := 0; start < contacts; start += batch {
		write(b, db, func(ctx context.Context, tx *store.Tx) error {
			var recs []store.Record
			var toCompany, toContact []store.Association
			var ids []string
			for i := start; i < min(start+batch, contacts); i++ {
				id := strconv.Itoa(100_000_000 + i)
				company := strconv.Itoa(1 + i/perCompany)
				p := make(map[string]*string, props)
				for k := range props {
					p[defs[k].Name] = ptr(fmt.Sprintf("value %d of %s", k, id))
				}
				p[defs[0].Name] = ptr("v1")
				recs = append(recs, store.Record{Type: "contacts", ID: id, Properties: p, CreatedAt: t0, UpdatedAt: t0})
				ids = append(ids, id)
				toCompany = append(toCompany, store.Association{FromType: "contacts", FromID: id, ToType: "companies", ToID: company})
				toContact = append(toContact, store.Association{FromType: "companies", FromID: company, ToType: "contacts", ToID: id})
				if i%2 == 0 {
					call := strconv.Itoa(5_000_000 + i)
					toContact = append(toContact, store.Association{FromType: "calls", FromID: call, ToType: "contacts", ToID: id})
				}
			}
			if err := tx.UpsertRecords(ctx, 1, recs); err != nil {
				return err
			}
			if err := tx.ReplaceAssociations(ctx, "contacts", ids, []string{"companies"}, toCompany); err != nil {
				return err
			}
			return tx.AddAssociations(ctx, toContact)
		})
	}
	return db
}

// BenchmarkExportRecords exports HUBEXTRACT_BENCH_RECORDS contacts
// (default 100,000) of 30 properties, as many as the fake's contacts have,
// with their association columns (2.5 stored pairs per contact, from both
// sides). The 1,000,000 of the target take about a minute to build:
// HUBEXTRACT_BENCH_RECORDS=1000000 go test -run '^$' -bench ExportRecords/Raw ./backend/export/
func BenchmarkExportRecords(b *testing.B) {
	contacts := 100_000
	if v := os.Getenv("HUBEXTRACT_BENCH_RECORDS"); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 1000 {
			b.Fatalf("HUBEXTRACT_BENCH_RECORDS=%q: want a number of contacts >= 1000", v)
		} else {
			contacts = n
		}
	}
	db := benchDB(b, contacts, 30)
	for _, bc := range []struct {
		name string
		opts Options
	}{
		{"Raw", Options{Type: "contacts"}},
		{"Labels", Options{Type: "contacts", Labels: true}},
		{"NoAssociations", Options{Type: "contacts", NoAssociations: true}},
	} {
		b.Run(bc.name, func(b *testing.B) { benchExport(b, db, bc.opts, int64(contacts)) })
	}
}

// BenchmarkExportKept exports the contacts of the database file named by
// HUBEXTRACT_BENCH_DB, such as one `hubextract extract` filled from
// `hubextract fakehub`, to profile the export on the fake's own data:
// HUBEXTRACT_BENCH_DB=/tmp/c.db go test -run '^$' -bench ExportKept -cpuprofile cpu.out ./backend/export/
func BenchmarkExportKept(b *testing.B) {
	path := os.Getenv("HUBEXTRACT_BENCH_DB")
	if path == "" {
		b.Skip("HUBEXTRACT_BENCH_DB is not set")
	}
	db, err := store.Open(b.Context(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if want, err := db.CountExportRows(b.Context(), "contacts"); err != nil {
		b.Fatal(err)
	} else {
		benchExport(b, db, Options{Type: "contacts"}, want)
	}
}

// benchExport times Records with opts, which must write want rows a run,
// and reports rows per second and the peak live heap.
func benchExport(b *testing.B, db *store.DB, opts Options, want int64) {
	b.ReportAllocs()
	// The live heap, sampled with each progress report, shows that
	// memory stays flat while rows stream.
	var peak uint64
	var ms runtime.MemStats
	opts.Progress = func(int64, int64) {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
	}
	var rows int64
	for b.Loop() {
		n, err := Records(b.Context(), db, io.Discard, opts)
		if err != nil {
			b.Fatal(err)
		}
		rows += n
	}
	if rows/int64(b.N) != want {
		b.Fatalf("exported %d rows per run, want %d", rows/int64(b.N), want)
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}
