package testkit

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"hubextract/backend/store"
)

// OpenDB opens a new database file in a temporary folder, closed when the
// test ends: a real file, since each pooled connection of a ":memory:"
// database would see its own empty database.
func OpenDB(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "hubextract.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Serve serves h (a fake HubSpot) on a loopback httptest server closed when
// the test ends, mounted at the root as api.hubapi.com is, and returns its
// base URL.
func Serve(tb testing.TB, h http.Handler) string {
	tb.Helper()
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	return ts.URL
}
