package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the statements that every page's transaction runs
// prepared, once per connection, instead of parsed again by each
// transaction: parsing was 6% of an unthrottled run's writing.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// maxCached bounds the statements kept: a multi-row statement's text
// differs with its number of rows, and the pages' sizes are few but not
// fixed.
const maxCached = 32

// execCached runs query in tx through the statement prepared for it (see
// stmtCache), or directly when it cannot be cached.
func (tx *Tx) execCached(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := tx.db.stmts.get(ctx, tx.db.db, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return tx.tx.ExecContext(ctx, query, args...)
	}
	return tx.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
}

func (c *stmtCache) get(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.m[query]; st != nil {
		return st, nil
	}
	if len(c.m) >= maxCached {
		return nil, nil
	}
	// Preparing takes a connection of the pool besides the transaction's
	// (database/sql then prepares the statement again on the latter): with
	// the pool bounded and used up, waiting for one would never end.
	if st := db.Stats(); st.MaxOpenConnections > 0 && st.InUse >= st.MaxOpenConnections {
		return nil, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}
