package mirror

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"hubextract/backend/testkit"
)

// TestBadTargets: each thing a user can get wrong ends in a plain message
// of its own, without the password, and writes nothing: neither Test nor
// Sync leaves a schema behind.
func TestBadTargets(t *testing.T) {
	name, url := testkit.SharedPostgres(t).NewDatabase(t)
	// A user who may log in but create nothing in this database (PostgreSQL
	// 15 grants no CREATE to PUBLIC), and a schema of someone else's.
	reader := "reader_" + name
	testkit.SharedPostgres(t).Exec(t, name, fmt.Sprintf(`CREATE ROLE %[1]s LOGIN PASSWORD 'reader-pw';
		CREATE SCHEMA theirs; GRANT USAGE ON SCHEMA theirs TO %[1]s`, reader))
	t.Cleanup(func() {
		testkit.SharedPostgres(t).Exec(t, name, "DROP OWNED BY "+reader)
		testkit.SharedPostgres(t).Exec(t, "postgres", "DROP ROLE "+reader)
	})
	readerURL := fmt.Sprintf("postgres://%s:reader-pw@%s/%s?sslmode=disable", reader, testkit.SharedPostgres(t).Addr(), name)
	cases := []struct {
		name, url, schema string
		want              Reason
		says              string
	}{
		{"not postgres", "mysql://u:pw@localhost/db", "", BadURL, "postgres://"},
		{"unreadable", "postgres://u:pw@host:port/db", "", BadURL, "cannot be read"},
		{"nothing listens", "postgres://u:pw@127.0.0.1:1/db?sslmode=disable", "", Unreachable, "no PostgreSQL server answers at 127.0.0.1:1"},
		{"wrong password", strings.Replace(url, "s3cret%20pass", "wrong", 1), "", Refused, `refused user "postgres"`},
		{"no such user", fmt.Sprintf("postgres://nobody_here:x@%s/%s?sslmode=disable", testkit.SharedPostgres(t).Addr(), name), "", Refused, "nobody_here"},
		{"no such database", testkit.SharedPostgres(t).SuperURL("missing_db"), "", NoDatabase, `no database "missing_db"`},
		{"may not create the schema", readerURL, "", NoPrivilege, "GRANT CREATE ON DATABASE"},
		{"may not create in the schema", readerURL, "theirs", NoPrivilege, "GRANT CREATE ON SCHEMA"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := testkit.OpenDB(t)
			writeFixture(t, db, 2)
			_, testErr := Test(context.Background(), c.url, c.schema)
			_, syncErr := Sync(context.Background(), db, Options{URL: c.url, Schema: c.schema})
			for what, err := range map[string]error{"test": testErr, "sync": syncErr} {
				var mErr *Error
				if !errors.As(err, &mErr) || mErr.Reason != c.want {
					t.Errorf("%s: %v, want reason %s", what, err, c.want)
					continue
				}
				if !strings.Contains(err.Error(), c.says) || strings.Contains(err.Error(), "pw@") ||
					strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "reader-pw") {
					t.Errorf("%s: %q should say %q and no password", what, err, c.says)
				}
			}
			conn, err := pgx.Connect(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(context.Background())
			var schemas, tables int
			if err := conn.QueryRow(context.Background(), `SELECT
				(SELECT count(*) FROM pg_namespace WHERE nspname = 'hubspot'),
				(SELECT count(*) FROM pg_tables WHERE schemaname = 'theirs')`).Scan(&schemas, &tables); err != nil {
				t.Fatal(err)
			}
			if schemas != 0 || tables != 0 {
				t.Errorf("a refused sync left %d schema and %d tables", schemas, tables)
			}
		})
	}
}

// TestTestConnection: a target a sync can write to passes, and Test writes
// nothing there.
func TestTestConnection(t *testing.T) {
	_, url := testkit.SharedPostgres(t).NewDatabase(t)
	target, err := Test(context.Background(), url, "")
	if err != nil || !strings.HasPrefix(target, "postgres@127.0.0.1:") || strings.Contains(target, "s3cret") {
		t.Fatalf("test: %q, %v", target, err)
	}
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_namespace WHERE nspname = 'hubspot'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("test made the schema (%d, %v)", n, err)
	}
}

// TestSyncIntoGrantedSchema: a user without the database's CREATE right
// syncs into a schema an administrator made and granted it.
func TestSyncIntoGrantedSchema(t *testing.T) {
	srv := testkit.SharedPostgres(t)
	name, _ := srv.NewDatabase(t)
	user := "writer_" + name
	srv.Exec(t, name, fmt.Sprintf(`CREATE ROLE %[1]s LOGIN PASSWORD 'writer-pw';
		CREATE SCHEMA crm; GRANT USAGE, CREATE ON SCHEMA crm TO %[1]s`, user))
	t.Cleanup(func() {
		srv.Exec(t, name, "DROP OWNED BY "+user)
		srv.Exec(t, "postgres", "DROP ROLE "+user)
	})
	url := fmt.Sprintf("postgres://%s:writer-pw@%s/%s?sslmode=disable", user, srv.Addr(), name)
	db := testkit.OpenDB(t)
	writeFixture(t, db, 3)
	if _, err := Sync(context.Background(), db, Options{URL: url, Schema: "crm"}); err != nil {
		t.Fatalf("sync into a granted schema: %v", err)
	}
	checkMirror(t, db, url, "crm")
}
