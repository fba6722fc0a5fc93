package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// ErrSchemaTooNew matches (errors.Is) every *SchemaTooNewError.
var ErrSchemaTooNew = errors.New("database schema is newer than this app")

// SchemaTooNewError says the database was migrated by a newer version of the
// app. Open refuses it without altering the file.
type SchemaTooNewError struct {
	DBVersion    int // highest migration recorded in the database
	KnownVersion int // highest migration this binary carries
}

func (e *SchemaTooNewError) Error() string {
	return fmt.Sprintf("this database was created by a newer version of HubSpot Extractor (schema %d); "+
		"this version understands up to %d — please update the app", e.DBVersion, e.KnownVersion)
}

// Is makes errors.Is(err, ErrSchemaTooNew) true.
func (e *SchemaTooNewError) Is(target error) bool { return target == ErrSchemaTooNew }

// migrationSteps end a migration with what its SQL cannot say (it has no
// IF), in its transaction, by version.
var migrationSteps = map[int]func(context.Context, *Tx) error{
	16: stopUnusedChangeLog,
	20: reindexHTMLDefinitions,
}

type migration struct {
	version int
	name    string
	sql     string
}

// migrations reads the embedded files NNNN_name.sql, ordered by version.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	seen := map[int]string{}
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive version number and '_'", base)
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %s and %s share version %d", other, base, v)
		}
		seen[v] = base
		body, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// knownVersion is the highest migration embedded in this binary.
func knownVersion(ms []migration) int {
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// precheck looks at an existing file before the pooled connections (whose
// pragmas switch the journal mode) touch it: a file that is not SQLite, a
// SQLite file of some other program, or a schema newer than this binary is
// refused while still unchanged.
func precheck(ctx context.Context, path string) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	probe, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_query_only=1")
	if err != nil {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	defer probe.Close()
	var tables []string
	rows, err := probe.QueryContext(ctx,
		`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	if err != nil {
		return fmt.Errorf("open database %s: not a readable SQLite database: %w", path, err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return fmt.Errorf("open database %s: %w", path, err)
		}
		tables = append(tables, name)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("open database %s: not a readable SQLite database: %w", path, err)
	}
	if len(tables) == 0 {
		return nil // new, empty database
	}
	hasMigrations := false
	for _, t := range tables {
		hasMigrations = hasMigrations || t == "schema_migrations"
	}
	if !hasMigrations {
		return fmt.Errorf("open database %s: this file belongs to another program (it is not a HubSpot Extractor database); choose another file", path)
	}
	dbVersion, err := recordedVersion(ctx, probe)
	if err != nil {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	if known := knownVersion(ms); dbVersion > known {
		return fmt.Errorf("open database %s: %w", path, &SchemaTooNewError{DBVersion: dbVersion, KnownVersion: known})
	}
	return nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func recordedVersion(ctx context.Context, q querier) (int, error) {
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return int(v.Int64), nil
}

// migrate applies, each in its own transaction, every embedded migration the
// database has not recorded yet. Running it again is a no-op.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at INTEGER NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	// Checked again here: another process may have migrated since precheck.
	dbVersion, err := recordedVersion(ctx, db.db)
	if err != nil {
		return err
	}
	if known := knownVersion(ms); dbVersion > known {
		return &SchemaTooNewError{DBVersion: dbVersion, KnownVersion: known}
	}
	for _, m := range ms {
		if m.version <= dbVersion {
			continue
		}
		err := db.TransactionContext(ctx, func(tx *Tx) error {
			// Re-read inside the write lock: a concurrent Open may have won.
			var applied int
			if err := tx.tx.QueryRowContext(ctx,
				`SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&applied); err != nil {
				return err
			}
			if applied > 0 {
				return nil
			}
			if _, err := tx.tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			if step := migrationSteps[m.version]; step != nil {
				if err := step(ctx, tx); err != nil {
					return err
				}
			}
			_, err := tx.tx.ExecContext(ctx,
				`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
				m.version, time.Now().UnixMilli())
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}
