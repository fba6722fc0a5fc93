package workspace

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"hubextract/backend/settings"
	"hubextract/backend/store"
)

// BenchmarkRecordsTablePage reads pages of the record table through
// Workspace.Records, the method the window's RecordsService.Page calls:
// labels, owners and HTML bodies included. The table holds
// HUBEXTRACT_BENCH_RECORDS contacts (default 1,000,000); building it takes
// a few minutes, so the database is kept in HUBEXTRACT_BENCH_DIR when set
// and reused by the next run.
func BenchmarkRecordsTablePage(b *testing.B) {
	n := 1_000_000
	if v := os.Getenv("HUBEXTRACT_BENCH_RECORDS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1000 {
			b.Fatalf("HUBEXTRACT_BENCH_RECORDS=%q: want a number >= 1000", v)
		}
	}
	dir := os.Getenv("HUBEXTRACT_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	path := filepath.Join(dir, fmt.Sprintf("bench-%d.db", n))
	fillContacts(b, path, n)
	cfg := b.TempDir()
	paths, err := settings.Resolve(func(k string) string {
		return map[string]string{settings.EnvConfigDir: cfg, settings.EnvDatabase: path}[k]
	})
	if err != nil {
		b.Fatal(err)
	}
	w, err := Open(Config{Paths: paths})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	ctx := context.Background()

	// The cursor half-way down the table, reached by paging the usual way
	// would take n/100 pages: find it once with SQL.
	db, release, err := w.acquire(ctx, false)
	if err != nil {
		b.Fatal(err)
	}
	var deep Cursor
	err = db.SQL().QueryRow(`SELECT updated_at, id FROM records WHERE object_type = 'contacts'
		ORDER BY updated_at DESC, id DESC LIMIT 1 OFFSET ?`, n/2).Scan(&deep.UpdatedAt, &deep.ID)
	release()
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		q    PageQuery
	}{
		{"first", PageQuery{Type: "contacts", Limit: 50}},
		{"deep", PageQuery{Type: "contacts", Limit: 50, After: &deep}},
		{"search_rare", PageQuery{Type: "contacts", Limit: 50, Search: "zebracorn"}},
		{"search_common", PageQuery{Type: "contacts", Limit: 50, Search: "anna"}},
		{"search_email_prefix", PageQuery{Type: "contacts", Limit: 50, Search: "user12345@exa"}},
	} {
		b.Run(fmt.Sprintf("%s/n=%d", tc.name, n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				page, err := w.Records.Page(tc.q)
				if err != nil {
					b.Fatal(err)
				}
				if len(page.Rows) == 0 {
					b.Fatal("empty page")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
		})
	}
}

var benchNames = []string{"Anna", "José", "Björn", "Chloé", "David", "Ngozi", "Siobhán", "Wei", "Yusuf", "Zoë"}

// fillContacts creates path with n contacts shaped like HubSpot's (a dozen
// properties, an owner, a lifecycle stage with options, a note-like HTML
// field), unless it already holds them.
func fillContacts(b *testing.B, path string, n int) {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if active, _, err := db.CountRecords(ctx, "contacts"); err != nil || active == int64(n) {
		if err != nil {
			b.Fatal(err)
		}
		return
	}
	start := time.Now()
	props := []store.Property{
		{Name: "firstname", Label: "First Name", Type: "string", FieldType: "text"},
		{Name: "lastname", Label: "Last Name", Type: "string", FieldType: "text"},
		{Name: "email", Label: "Email", Type: "string", FieldType: "text"},
		{Name: "company", Label: "Company Name", Type: "string", FieldType: "text"},
		{Name: "hubspot_owner_id", Label: "Owner", Type: "enumeration", FieldType: "select"},
		{Name: "lifecyclestage", Label: "Lifecycle Stage", Type: "enumeration", FieldType: "radio", Options: []store.Option{
			{Label: "Lead", Value: "lead"}, {Label: "Customer", Value: "customer"}}},
		{Name: "message", Label: "Message", Type: "string", FieldType: "html"},
	}
	owners := make([]store.Owner, 20)
	for i := range owners {
		owners[i] = store.Owner{ID: strconv.Itoa(1000 + i), FirstName: benchNames[i%len(benchNames)], LastName: "Owner"}
	}
	if err := db.TransactionContext(ctx, func(tx *store.Tx) error {
		if err := tx.ReplaceProperties(ctx, "contacts", props); err != nil {
			return err
		}
		return tx.UpsertOwners(ctx, owners)
	}); err != nil {
		b.Fatal(err)
	}
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const batch = 2000
	recs := make([]store.Record, 0, batch)
	for i := 1; i <= n; i += batch {
		recs = recs[:0]
		for j := i; j < i+batch && j <= n; j++ {
			s := func(v string) *string { return &v }
			p := map[string]*string{
				"hs_object_id":     s(strconv.Itoa(j)),
				"firstname":        s(benchNames[j%len(benchNames)]),
				"lastname":         s(fmt.Sprintf("Name%d", j%5000)),
				"email":            s(fmt.Sprintf("user%d@example%d.com", j, j%100)),
				"company":          s(fmt.Sprintf("Company %d", j%20000)),
				"hubspot_owner_id": s(strconv.Itoa(1000 + j%20)),
				"lifecyclestage":   s([]string{"lead", "customer"}[j%2]),
				"message":          s("<p>Called about the renewal</p>"),
				"phone":            s(fmt.Sprintf("+1 555 %07d", j)),
				"city":             s([]string{"Berlin", "Zürich", "Paris", "Oslo"}[j%4]),
			}
			if j%(n/10) == 1 {
				p["jobtitle"] = s("zebracorn wrangler")
			}
			updated := t0.Add(time.Duration(j) * time.Second)
			recs = append(recs, store.Record{Type: "contacts", ID: strconv.Itoa(j), Properties: p, CreatedAt: updated, UpdatedAt: updated})
		}
		if err := db.TransactionContext(ctx, func(tx *store.Tx) error { return tx.UpsertRecords(ctx, 1, recs) }); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("filled %d contacts in %v", n, time.Since(start).Round(time.Second))
}
