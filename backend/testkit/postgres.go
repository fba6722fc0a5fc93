package testkit

// A throw-away PostgreSQL server for the tests that talk to one (the team
// database's mirror, the sync command, the app's Team database panel): a
// cluster made under a temporary folder and removed when the tests end.
// initdb and postgres refuse to run as root, so as root (CI) the cluster
// runs as nobody. Without PostgreSQL the tests that need it skip, saying
// why, except under CI=true, where they fail loudly.

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
)

// PostgresBin is where Debian installs the server's programs.
const PostgresBin = "/usr/lib/postgresql/15/bin"

// PostgresPassword is the password of the cluster's superuser, postgres (with
// a space, so that URLs must escape it).
const PostgresPassword = "s3cret pass"

// PGServer is a running PostgreSQL cluster.
type PGServer struct {
	addr  string // host:port on loopback
	count atomic.Int64
	stop  func()
}

var (
	sharedPG    *PGServer // PostgresMain's
	sharedPGErr error
)

// PostgresMain starts the cluster a package's tests share
// (SharedPostgres), runs the tests and stops it: the package's TestMain
// calls it.
func PostgresMain(m *testing.M) {
	sharedPG, sharedPGErr = startPostgres()
	if sharedPGErr != nil && os.Getenv("CI") == "true" {
		fmt.Fprintf(os.Stderr, "these tests need PostgreSQL 15 (apt-get install postgresql): %v\n", sharedPGErr)
		os.Exit(1)
	}
	code := m.Run()
	if sharedPG != nil {
		sharedPG.stop()
	}
	os.Exit(code)
}

// SharedPostgres is the cluster PostgresMain started.
func SharedPostgres(t testing.TB) *PGServer {
	t.Helper()
	if sharedPG == nil {
		noPostgres(t, sharedPGErr)
	}
	return sharedPG
}

// StartPostgres starts a cluster of the test's own, stopped when it ends:
// for a package whose TestMain is not PostgresMain.
func StartPostgres(t testing.TB) *PGServer {
	t.Helper()
	s, err := startPostgres()
	if err != nil {
		noPostgres(t, err)
	}
	t.Cleanup(s.stop)
	return s
}

// noPostgres skips the test, saying why, or fails it under CI=true.
func noPostgres(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("this test needs PostgreSQL 15 (apt-get install postgresql): %v", err)
	}
	t.Skipf("no PostgreSQL server for this test (apt-get install postgresql): %v", err)
}

// startPostgres makes and starts a cluster: password authentication over TCP on a
// free loopback port, the socket in the cluster's folder, no fsync.
func startPostgres() (*PGServer, error) {
	if _, err := os.Stat(filepath.Join(PostgresBin, "postgres")); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "hubextract-pg-*")
	if err != nil {
		return nil, err
	}
	as := func(name string, args ...string) *exec.Cmd {
		return exec.Command(filepath.Join(PostgresBin, name), args...)
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("nobody")
		if err != nil {
			return nil, err
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
		as = func(name string, args ...string) *exec.Cmd {
			return exec.Command("runuser", append([]string{"-u", "nobody", "--", filepath.Join(PostgresBin, name)}, args...)...)
		}
	}
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte(PostgresPassword+"\n"), 0o644); err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if out, err := as("initdb", "-D", data, "-U", "postgres", "--pwfile", pw, "-A", "scram-sha-256",
		"--no-sync", "-E", "UTF8", "--locale", "C").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
		port, dir)
	if out, err := as("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_ctl start: %v: %s %s", err, out, log)
	}
	return &PGServer{addr: fmt.Sprintf("127.0.0.1:%d", port), stop: func() {
		as("pg_ctl", "-D", data, "-m", "immediate", "stop").Run()
		os.RemoveAll(dir)
	}}, nil
}

// Addr is the server's host:port.
func (s *PGServer) Addr() string { return s.addr }

// SuperURL is the URL of database as the superuser.
func (s *PGServer) SuperURL(database string) string {
	return fmt.Sprintf("postgres://postgres:%s@%s/%s?sslmode=disable", "s3cret%20pass", s.addr, database)
}

// Exec runs statements as the superuser on database.
func (s *PGServer) Exec(t testing.TB, database, sql string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), s.SuperURL(database))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// NewDatabase makes an empty database of the test's own and returns its
// name and the superuser's URL of it.
func (s *PGServer) NewDatabase(t testing.TB) (name, url string) {
	t.Helper()
	name = fmt.Sprintf("t%d", s.count.Add(1))
	s.Exec(t, "postgres", "CREATE DATABASE "+name)
	return name, s.SuperURL(name)
}
