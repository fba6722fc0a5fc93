package mirror

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Reason is what kind of failure an *Error is, for callers that decide on
// it (the app words the Test button's answer from the message alone).
type Reason string

// The failures a user can act on.
const (
	BadURL         Reason = "bad_url"         // not a PostgreSQL URL
	Unreachable    Reason = "unreachable"     // no server answers there
	Refused        Reason = "refused"         // user name or password refused
	NoDatabase     Reason = "no_database"     // the database does not exist
	NoPrivilege    Reason = "no_privilege"    // the user may not create the schema or its tables
	ConnectionLost Reason = "connection_lost" // the server went away mid-sync
	OtherSource    Reason = "other_source"    // the schema mirrors another SQLite database
)

// Error is a failure of the mirror with a message a user can act on; what
// was committed before it stays (a batch is all or nothing).
type Error struct {
	Reason Reason
	Msg    string
	Err    error
}

func (e *Error) Error() string { return e.Msg }

func (e *Error) Unwrap() error { return e.Err }

// connectTimeout bounds a connection attempt to an address that never
// answers (a firewall dropping packets).
const connectTimeout = 15 * time.Second

// connect opens one connection to url; target names it without the
// password, for messages and summaries.
func connect(ctx context.Context, url string) (*pgx.Conn, string, error) {
	if !strings.HasPrefix(url, "postgres://") && !strings.HasPrefix(url, "postgresql://") {
		return nil, "", &Error{Reason: BadURL,
			Msg: "the team database URL must look like postgres://USER:PASSWORD@HOST:5432/DATABASE"}
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		// pgx's message may quote the URL: the password stays out of ours.
		return nil, "", &Error{Reason: BadURL,
			Msg: "the team database URL cannot be read: write it as postgres://USER:PASSWORD@HOST:5432/DATABASE"}
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = connectTimeout
	}
	target := fmt.Sprintf("%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, target, connectError(ctx, cfg, target, err)
	}
	return conn, target, nil
}

// connectError words a failed connection.
func connectError(ctx context.Context, cfg *pgx.ConnConfig, target string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("connect to %s: %w", target, ctx.Err())
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "28P01", "28000":
			return &Error{Reason: Refused, Err: err,
				Msg: fmt.Sprintf("PostgreSQL at %s:%d refused user %q: check the user name and password", cfg.Host, cfg.Port, cfg.User)}
		case "3D000":
			return &Error{Reason: NoDatabase, Err: err,
				Msg: fmt.Sprintf("there is no database %q on the PostgreSQL server at %s:%d: create it first (createdb %s) or fix the URL",
					cfg.Database, cfg.Host, cfg.Port, cfg.Database)}
		case "42501":
			return &Error{Reason: NoPrivilege, Err: err,
				Msg: fmt.Sprintf("user %q may not connect to database %q: %s", cfg.User, cfg.Database, pgErr.Message)}
		}
		return &Error{Reason: Refused, Err: err,
			Msg: fmt.Sprintf("PostgreSQL at %s:%d refused the connection: %s", cfg.Host, cfg.Port, pgErr.Message)}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return &Error{Reason: Unreachable, Err: err,
			Msg: fmt.Sprintf("the team database's host %q is not known: check the URL", cfg.Host)}
	}
	return &Error{Reason: Unreachable, Err: err,
		Msg: fmt.Sprintf("no PostgreSQL server answers at %s:%d (%s): check the host and port, and that the server runs",
			cfg.Host, cfg.Port, rootCause(err))}
}

// rootCause is the innermost message of err, e.g. "connection refused".
func rootCause(err error) string {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		err = opErr.Err
	}
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

// checkRights makes sure the user may create the schema, or its tables when
// it exists, before a sync writes anything.
func (m *mirror) checkRights(ctx context.Context) error {
	var exists, may bool
	err := m.conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, m.schema).Scan(&exists)
	if err != nil {
		return fmt.Errorf("look for schema %s: %w", m.schema, err)
	}
	if exists {
		err = m.conn.QueryRow(ctx, `SELECT has_schema_privilege($1, 'CREATE')`, m.schema).Scan(&may)
	} else {
		err = m.conn.QueryRow(ctx, `SELECT has_database_privilege(current_database(), 'CREATE')`).Scan(&may)
	}
	if err != nil {
		return fmt.Errorf("check rights on schema %s: %w", m.schema, err)
	}
	if !may {
		return m.noPrivilege(nil, exists)
	}
	return nil
}

func (m *mirror) noPrivilege(err error, schemaExists bool) error {
	var user, database string
	if qerr := m.conn.QueryRow(context.Background(), `SELECT current_user, current_database()`).Scan(&user, &database); qerr != nil {
		user, database = "this user", "this database"
	}
	msg := fmt.Sprintf("user %s may not create tables in schema %q: GRANT CREATE ON SCHEMA %s TO %s, or choose a schema of the user's own",
		user, m.schema, m.quoted(), user)
	if !schemaExists {
		msg = fmt.Sprintf("user %s may not create schema %q in database %s: GRANT CREATE ON DATABASE %s TO %s, or create the schema for that user",
			user, m.schema, database, database, user)
	}
	return &Error{Reason: NoPrivilege, Msg: msg + " (nothing was written)", Err: err}
}

// explain turns a failure during a sync into what the user is told.
func (m *mirror) explain(ctx context.Context, err error) error {
	var mErr *Error
	switch {
	case errors.As(err, &mErr):
		return err
	case ctx.Err() != nil:
		return fmt.Errorf("sync interrupted after %d changes (kept; the next sync goes on from there): %w",
			m.sum.changes(), ctx.Err())
	case errors.Is(err, errOtherSource):
		return &Error{Reason: OtherSource, Err: err, Msg: fmt.Sprintf(
			"schema %q of the team database already mirrors another HubSpot Extractor database: choose another schema (--schema)", m.schema)}
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42501" {
		return m.noPrivilege(err, true)
	}
	if m.conn.IsClosed() || pgconn.SafeToRetry(err) || isNetError(err) {
		return &Error{Reason: ConnectionLost, Err: err, Msg: fmt.Sprintf(
			"lost the connection to the PostgreSQL server mid-sync (%s): the %d changes sent before are kept, the batch in flight was not applied; sync again to finish",
			rootCause(err), m.sum.changes())}
	}
	return err
}

func isNetError(err error) bool {
	var netErr net.Error
	return errors.As(err, &netErr)
}

// changes is the count for messages; 0 before a sync started.
func (s *Summary) changes() int64 {
	if s == nil {
		return 0
	}
	return s.Changes
}
