package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"hubextract/backend/testkit"
)

// TestSync: the command sends the database to the URL of --to or of the
// variable --to-env names, says what it did, and a second run sends
// nothing new; wrong input is refused with a plain line.
func TestSync(t *testing.T) {
	ctx := context.Background()
	db := exportDB(t)
	srv := testkit.StartPostgres(t)
	_, url := srv.NewDatabase(t)

	code, stdout, stderr := runMain(ctx, "sync", "--db", db, "--to", url, "--schema", "crm")
	if code != 0 || !strings.Contains(stdout, "synced ") || !strings.Contains(stdout, "schema crm") ||
		!strings.Contains(stderr, "changes") || strings.Contains(stdout+stderr, "s3cret") {
		t.Fatalf("sync: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var contacts, pairs int
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM crm.contacts),
		(SELECT count(*) FROM crm.associations_companies_contacts)`).Scan(&contacts, &pairs); err != nil {
		t.Fatal(err)
	}
	if contacts != 2 || pairs != 2 {
		t.Errorf("mirror: %d contacts, %d pairs; want 2 and 2", contacts, pairs)
	}

	t.Setenv("TEAM_DB_URL", url)
	code, stdout, stderr = runMain(ctx, "sync", "--db", db, "--to-env", "TEAM_DB_URL", "--schema", "crm")
	if code != 0 || !strings.Contains(stdout, "synced 0 changes") {
		t.Errorf("second sync: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}

	bad := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"both targets", []string{"--to", url, "--to-env", "X"}, 2, "not both"},
		{"unset variable", []string{"--to-env", "NO_SUCH_VARIABLE_HERE"}, 2, "NO_SUCH_VARIABLE_HERE is not set"},
		{"no target at all", nil, 1, "no team database"},
		{"not a URL", []string{"--to", "mysql://u:pw@h/db"}, 1, "must look like postgres://"},
		{"nothing listens", []string{"--to", "postgres://u:pw@127.0.0.1:1/db?sslmode=disable"}, 1, "no PostgreSQL server answers"},
		{"stray argument", []string{"--to", url, "extra"}, 2, "unexpected argument"},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			code, _, stderr := runMain(ctx, append([]string{"sync", "--db", db}, b.args...)...)
			if code != b.code || !strings.Contains(stderr, b.says) || strings.Contains(stderr, ":pw@") {
				t.Errorf("exit %d (want %d), stderr %q should say %q", code, b.code, stderr, b.says)
			}
		})
	}
}
