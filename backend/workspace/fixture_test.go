package workspace

import (
	"github.com/zalando/go-keyring"

	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hubextract/backend/extract"
	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// scale is the fixture's records per type.
const scale = 40

// The fixture: a database filled by one real extraction from the fake
// HubSpot, on virtual time, shared (read-only) by the tests.
var (
	fixtureDB    *store.DB
	fixtureTruth *fakehub.Truth
)

func TestMain(m *testing.M) {
	keyring.MockInit() // never the developer's own keychain
	dir, err := os.MkdirTemp("", "views-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := func() int {
		if err := buildFixture(filepath.Join(dir, "hubextract.db")); err != nil {
			fmt.Fprintln(os.Stderr, "build the fixture:", err)
			return 1
		}
		defer fixtureDB.Close()
		return m.Run()
	}()
	os.RemoveAll(dir)
	os.Exit(code)
}

func buildFixture(path string) error {
	ctx := context.Background()
	clk := testkit.NewClock(time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC))
	fake := fakehub.New(fakehub.Config{Seed: 7, Scale: scale, Clock: clk})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	db, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	res, err := extract.Run(ctx, db, extract.Options{
		Client: hubspot.New("demo-token", hubspot.WithBaseURL(srv.URL), hubspot.WithClock(clk)),
	})
	if err != nil {
		db.Close()
		return err
	}
	if res.Status != store.StatusSucceeded {
		db.Close()
		return fmt.Errorf("the extraction %s: %s", res.Status, res.Error)
	}
	fixtureDB, fixtureTruth = db, fake.Truth()
	return nil
}

// record reads one stored record or fails the test.
func record(t *testing.T, typ, id string) store.Record {
	t.Helper()
	r, err := fixtureDB.Record(t.Context(), typ, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
