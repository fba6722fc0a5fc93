package bench

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"

	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// TestTimeExport exports a few stored contacts: the figure is the median of
// exportRuns timed runs, each of every row, the profile comes from one more
// run, and no CSV is left behind.
func TestTimeExport(t *testing.T) {
	db := testkit.OpenDB(t)
	var recs []store.Record
	for i := range 250 {
		v := "Contact " + strconv.Itoa(i)
		recs = append(recs, store.Record{Type: "contacts", ID: strconv.Itoa(1000 + i), Properties: map[string]*string{"firstname": &v},
			CreatedAt: t0, UpdatedAt: t0})
	}
	if err := db.TransactionContext(t.Context(), func(tx *store.Tx) error {
		return tx.UpsertRecords(context.Background(), 1, recs)
	}); err != nil {
		t.Fatal(err)
	}
	h := &harness{dir: t.TempDir()}
	var lr LargeReport
	if err := h.timeExport(t.Context(), db, &lr); err != nil {
		t.Fatal(err)
	}
	if lr.ExportRows != int64(len(recs)) {
		t.Errorf("ExportRows = %d, want %d", lr.ExportRows, len(recs))
	}
	if len(lr.ExportRowsPerSecondRuns) != exportRuns {
		t.Fatalf("runs = %v, want %d", lr.ExportRowsPerSecondRuns, exportRuns)
	}
	if median := slices.Sorted(slices.Values(lr.ExportRowsPerSecondRuns))[exportRuns/2]; lr.ExportRowsPerSecond != median {
		t.Errorf("rows/s = %v, want the median of %v", lr.ExportRowsPerSecond, lr.ExportRowsPerSecondRuns)
	}
	if got := float64(lr.ExportRows) / lr.ExportSeconds; got != lr.ExportRowsPerSecond {
		t.Errorf("rows / seconds = %v, rows/s = %v", got, lr.ExportRowsPerSecond)
	}
	if len(lr.ExportParts) != len(exportParts)+1 {
		t.Errorf("export profile: %d parts, want %d", len(lr.ExportParts), len(exportParts)+1)
	}
	if h.n != exportRuns+1 {
		t.Errorf("%d exports written, want %d timed and 1 profiled", h.n, exportRuns)
	}
	left, err := os.ReadDir(h.dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("files left behind: %v", left)
	}
}
