package testkit

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"modernc.org/sqlite"
)

// pageLimits maps a database path to the most pages SQLite may give it.
var pageLimits sync.Map

// SQLite's max_page_count holds per connection only, so a hook sets it on
// every connection this process opens on a limited path (the store's pool,
// or that of a command run in-process).
func init() {
	sqlite.RegisterConnectionHook(func(conn sqlite.ExecQuerierContext, dsn string) error {
		path, _, _ := strings.Cut(dsn, "?")
		n, ok := pageLimits.Load(path)
		if !ok {
			return nil
		}
		_, err := conn.ExecContext(context.Background(), fmt.Sprintf("PRAGMA max_page_count = %d", n), nil)
		return err
	})
}

// FillDisk makes the database at path full at pages pages, for connections
// opened from now on: writes past it fail with SQLITE_FULL, as on a full
// disk. FreeDisk makes room again.
func FillDisk(path string, pages int64) { pageLimits.Store(path, pages) }

// FreeDisk lifts the limit FillDisk set.
func FreeDisk(path string) { pageLimits.Delete(path) }
