package workspace

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"hubextract/backend/demo"
	"hubextract/backend/settings"
	"hubextract/backend/testkit"
)

// syncEvents passes the team database's sync endings to a channel.
type syncEvents chan TeamDBSync

func (c syncEvents) Emit(event string, data any) {
	if event == EventTeamDBSynced {
		c <- data.(TeamDBSync)
	}
}

// TestTeamDatabase: the panel keeps the URL without its password (which
// goes to the keychain), tests it, and an extraction that ends well syncs
// the team database when asked to; a sync now sends nothing new after it.
func TestTeamDatabase(t *testing.T) {
	srv := testkit.StartPostgres(t)
	_, url := srv.NewDatabase(t)
	w, _ := open(t, demo.Options{Scale: 5, Seed: 3}, "")
	events := make(syncEvents, 4)
	w.SetEmitter(events)
	if _, err := w.Connection.UseSampleData(); err != nil {
		t.Fatal(err)
	}

	msg, err := w.TeamDB.Test(TeamDatabaseRequest{URL: url, Schema: "team"})
	if err != nil || !strings.Contains(msg, `schema "team" can be written`) {
		t.Fatalf("test: %q, %v", msg, err)
	}
	got, err := w.TeamDB.Save(TeamDatabaseRequest{URL: url, Schema: "team", SyncAfterRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got.URL, testkit.PostgresPassword) || strings.Contains(got.URL, "s3cret") || !got.PasswordSaved {
		t.Errorf("saved: %+v; want the URL without its password, the password saved apart", got)
	}
	if s, _ := (settings.File{Dir: w.paths.Dir}).Load(); strings.Contains(s.TeamDBURL, "s3cret") || !s.TeamDBSyncAfterRun {
		t.Errorf("settings.json keeps %+v", s.Team())
	}
	// The saved password serves a test of the bare URL.
	if _, err := w.TeamDB.Test(TeamDatabaseRequest{URL: got.URL, Schema: "team"}); err != nil {
		t.Errorf("test with the saved password: %v", err)
	}

	if _, err := w.Extract.Start(ExtractRequest{}); err != nil {
		t.Fatal(err)
	}
	var after TeamDBSync
	select {
	case after = <-events:
	case <-time.After(2 * time.Minute):
		t.Fatal("no sync after the extraction")
	}
	if after.Error != "" || after.Changes == 0 || after.Schema != "team" {
		t.Fatalf("sync after the extraction: %+v", after)
	}
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var contacts int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM team.contacts`).Scan(&contacts); err != nil || contacts == 0 {
		t.Errorf("contacts in the team database: %d, %v", contacts, err)
	}
	now, err := w.TeamDB.SyncNow()
	if err != nil || now.Changes != 0 {
		t.Errorf("sync now after that: %+v, %v; want nothing new", now, err)
	}
	<-events

	bad := []TeamDatabaseRequest{{URL: "mysql://x@y/z"}, {URL: url, Schema: strings.Repeat("s", 64)}}
	for _, req := range bad {
		if _, err := w.TeamDB.Save(req); err == nil {
			t.Errorf("save %+v: no error", req)
		}
	}
	if cur, _ := w.TeamDB.Get(); cur.Schema != "team" {
		t.Errorf("a refused save changed the settings: %+v", cur)
	}
	if cur, err := w.TeamDB.Save(TeamDatabaseRequest{}); err != nil || cur.URL != "" || cur.PasswordSaved {
		t.Errorf("forget: %+v, %v", cur, err)
	}
}
