package store

import (
	"context"
	"fmt"
	"os"
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
	n := 200_000
	if v := os.Getenv("HUBEXTRACT_BENCH_RECORDS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1000 {
			b.Fatalf("HUBEXTRACT_BENCH_RECORDS=%q: want a number >= 1000", v)
		}
	}
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
