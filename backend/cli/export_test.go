package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// exportDB writes a small database file (two contacts, a company, a deal with
// its owner and pipeline, a form and a submission) and returns its path.
func exportDB(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	db := testkit.OpenDB(t)
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	s := func(v string) *string { return &v }
	err := db.TransactionContext(ctx, func(tx *store.Tx) error {
		if err := tx.UpsertRecords(ctx, 1, []store.Record{
			{Type: "contacts", ID: "12", CreatedAt: at, UpdatedAt: at, Properties: map[string]*string{"email": s("b@example.com")}},
			{Type: "contacts", ID: "3", CreatedAt: at, UpdatedAt: at, Properties: map[string]*string{"email": s("=a@example.com")}},
			{Type: "companies", ID: "7", CreatedAt: at, UpdatedAt: at, Properties: map[string]*string{"name": s("Acme")}},
			{Type: "deals", ID: "1", CreatedAt: at, UpdatedAt: at, Properties: map[string]*string{
				"dealstage": s("closedwon"), "pipeline": s("default"), "hubspot_owner_id": s("5"),
				"hs_bank_account": s("DE89 3704")}},
		}); err != nil {
			return err
		}
		if err := tx.ReplaceAssociations(ctx, "contacts", []string{"3", "12"}, []string{"companies"}, []store.Association{
			{FromType: "contacts", FromID: "12", ToType: "companies", ToID: "7"},
			{FromType: "contacts", FromID: "3", ToType: "companies", ToID: "7"},
		}); err != nil {
			return err
		}
		if err := tx.ReplaceProperties(ctx, "deals", []store.Property{
			{Name: "dealstage", Label: "Deal Stage"}, {Name: "pipeline", Label: "Pipeline"}, {Name: "hubspot_owner_id", Label: "Deal owner"},
			{Name: "hs_bank_account", Label: "Bank account", Sensitivity: "highly_sensitive"},
		}); err != nil {
			return err
		}
		if err := tx.UpsertOwners(ctx, []store.Owner{{ID: "5", FirstName: "Ann", LastName: "Lee"}}); err != nil {
			return err
		}
		if err := tx.ReplacePipelines(ctx, "deals", []store.Pipeline{{ID: "default", Label: "Sales Pipeline",
			Stages: []store.Stage{{ID: "closedwon", Label: "Closed Won"}}}}); err != nil {
			return err
		}
		if err := tx.UpsertForms(ctx, []store.Form{{ID: "f1", Name: "Signup"}, {ID: "f2", Name: "Other"}}); err != nil {
			return err
		}
		return tx.UpsertFormSubmissions(ctx, []store.FormSubmission{
			{FormID: "f1", ConversionID: "c1", SubmittedAt: at, Values: map[string]string{"email": "x@example.com"}},
			{FormID: "f2", ConversionID: "c2", SubmittedAt: at, Values: map[string]string{"phone": "1"}},
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return db.Path()
}

const ts = "2024-05-01T12:00:00.000Z"

func TestExport(t *testing.T) {
	db := exportDB(t)
	missing := filepath.Join(t.TempDir(), "nothing-here.db")
	tests := []struct {
		name      string
		args      []string
		code      int
		stdout    string // exact, when stderrHas is not a usage error
		stderrHas string
	}{
		{
			name: "ContactsToStdout",
			args: []string{"export", "--db", db, "--object", "contacts"},
			stdout: "id,email,created_at,updated_at,archived,associated_companies,associated_deals,associated_tickets,associated_leads," +
				"associated_quotes,associated_calls,associated_emails,associated_meetings,associated_notes,associated_tasks," +
				"associated_communications,associated_postal_mail\r\n" +
				"3,'=a@example.com," + ts + "," + ts + ",false,7,,,,,,,,,,,\r\n" +
				"12,b@example.com," + ts + "," + ts + ",false,7,,,,,,,,,,,\r\n",
		},
		{
			name:   "OutDash",
			args:   []string{"export", "--db", db, "--object", "companies", "--out", "-", "--no-associations"},
			stdout: "id,name,created_at,updated_at,archived\r\n7,Acme," + ts + "," + ts + ",false\r\n",
		},
		{
			name: "Labels",
			args: []string{"export", "--db", db, "--object", "deals", "--labels", "--no-associations"},
			stdout: "id,Deal Stage,Deal owner,Pipeline,created_at,updated_at,archived\r\n" +
				"1,Closed Won,Ann Lee,Sales Pipeline," + ts + "," + ts + ",false\r\n",
		},
		{
			// Without --include-sensitive the highly sensitive column
			// (Labels, above) is left out; with it, it is there.
			name: "IncludeSensitive",
			args: []string{"export", "--db", db, "--object", "deals", "--labels", "--no-associations", "--include-sensitive"},
			stdout: "id,Deal Stage,Bank account,Deal owner,Pipeline,created_at,updated_at,archived\r\n" +
				"1,Closed Won,DE89 3704,Ann Lee,Sales Pipeline," + ts + "," + ts + ",false\r\n",
		},
		{
			name:   "FormFilter",
			args:   []string{"export", "--db", db, "--object", "form_submissions", "--form", "f1"},
			stdout: "form_id,submitted_at,page_url,conversion_id,email\r\nf1," + ts + ",,c1,x@example.com\r\n",
		},
		{
			name:   "BOM",
			args:   []string{"export", "--db", db, "--object", "forms", "--bom"},
			stdout: "\uFEFFid,name,form_type,created_at,updated_at,archived\r\nf1,Signup,,,,false\r\nf2,Other,,,,false\r\n",
		},
		{name: "ErrUnknownType", args: []string{"export", "--db", db, "--object", "widgets"}, code: 2,
			stderrHas: `unknown object type "widgets" (valid: contacts, companies, deals, tickets, leads, products, line_items, quotes, calls, emails, meetings, notes, tasks, communications, postal_mail, forms, form_submissions, email_events)`},
		{name: "ErrNoObject", args: []string{"export", "--db", db}, code: 2, stderrHas: "--object TYPE is required"},
		{name: "ErrAllAndObject", args: []string{"export", "--db", db, "--all", "--dir", "x", "--object", "contacts"}, code: 2, stderrHas: "not both"},
		{name: "ErrAllWithoutDir", args: []string{"export", "--db", db, "--all"}, code: 2, stderrHas: "--all needs --dir"},
		{name: "ErrAllWithOut", args: []string{"export", "--db", db, "--all", "--dir", "x", "--out", "y"}, code: 2, stderrHas: "--out does not go with --all"},
		{name: "ErrDirWithoutAll", args: []string{"export", "--db", db, "--object", "contacts", "--dir", "x"}, code: 2, stderrHas: "--dir goes with --all"},
		{name: "ErrFormWithOtherType", args: []string{"export", "--db", db, "--object", "forms", "--form", "f1"}, code: 2, stderrHas: "--form goes with --object form_submissions"},
		{name: "ErrEmptyOut", args: []string{"export", "--db", db, "--object", "forms", "--out", ""}, code: 2, stderrHas: "--out needs a file name"},
		{name: "ErrExtraArgument", args: []string{"export", "--db", db, "--object", "forms", "now"}, code: 2, stderrHas: `unexpected argument "now"`},
		{name: "ErrBadFlag", args: []string{"export", "--nope"}, code: 2, stderrHas: "usage: hubextract export"},
		{name: "ErrMissingDatabase", args: []string{"export", "--db", missing, "--object", "contacts"}, code: 1,
			stderrHas: "no database at " + missing + ": run 'hubextract extract' first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runMain(t.Context(), tt.args...)
			if code != tt.code {
				t.Fatalf("exit code = %d, want %d\nstderr: %s", code, tt.code, stderr)
			}
			if stdout != tt.stdout {
				t.Errorf("stdout = %q\nwant     %q", stdout, tt.stdout)
			}
			if !strings.Contains(stderr, tt.stderrHas) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.stderrHas)
			}
			if tt.code == 1 && strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr = %q, want a one-line reason", stderr)
			}
		})
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("export created %s (stat error %v): it must not create an empty database", missing, err)
	}
}

func TestExport_ErrMissingDefaultDatabase(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("HOME", config)
	code, _, stderr := runMain(t.Context(), "export", "--object", "contacts")
	if code != 1 || !strings.Contains(stderr, "no database at ") {
		t.Errorf("code %d stderr %q, want 1 and a clear message", code, stderr)
	}
	if entries, _ := os.ReadDir(config); len(entries) != 0 {
		t.Errorf("export created %v under the config folder, want nothing", entries)
	}
}

func TestExport_ToFile(t *testing.T) {
	db := exportDB(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "companies.csv")
	code, stdout, stderr := runMain(t.Context(), "export", "--db", db, "--object", "companies", "--out", out, "--no-associations")
	if code != 0 || stdout != "" || stderr != "exported 1 companies rows to "+out+"\n" {
		t.Fatalf("code %d stdout %q stderr %q", code, stdout, stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := "id,name,created_at,updated_at,archived\r\n7,Acme," + ts + "," + ts + ",false\r\n"; string(got) != want {
		t.Errorf("file = %q, want %q", got, want)
	}
}

func TestExport_All(t *testing.T) {
	db := exportDB(t)
	dir := filepath.Join(t.TempDir(), "csv")
	code, stdout, stderr := runMain(t.Context(), "export", "--db", db, "--all", "--dir", dir)
	if code != 0 {
		t.Fatalf("code %d stderr %q", code, stderr)
	}
	for _, typ := range []string{"contacts", "companies", "deals", "forms", "form_submissions"} {
		path := filepath.Join(dir, typ+".csv")
		if !strings.Contains(stdout, path) {
			t.Errorf("stdout does not list %s:\n%s", path, stdout)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%s: %v", typ, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 5 {
		t.Errorf("%s holds %d files, want 5 (types without data get none)", dir, len(entries))
	}
	if want := "contacts                  2 rows  " + filepath.Join(dir, "contacts.csv") + "\n"; !strings.HasPrefix(stdout, want) {
		t.Errorf("stdout = %q, want it to start with %q", stdout, want)
	}
}

func TestExport_Interrupted(t *testing.T) {
	db := exportDB(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	code, _, stderr := runMain(ctx, "export", "--db", db, "--object", "contacts", "--out", filepath.Join(dir, "c.csv"))
	if code != 130 || !strings.Contains(stderr, "interrupted") {
		t.Errorf("code %d stderr %q, want 130 and a note", code, stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("an interrupted export left %v", entries)
	}
}

// export writes only a regular file or a new path: a device, a folder and a
// symbolic link are refused before anything is written, an existing file is
// replaced only with --force, and the same holds for --all's files.
func TestExport_Targets(t *testing.T) {
	db := exportDB(t)
	const old = "previous export"
	for _, tc := range []struct {
		name   string
		setup  func(t *testing.T, dir string) // in a fresh folder
		args   func(dir string) []string
		code   int
		say    string
		kept   string // a file whose content must stay old, relative to dir
		listed []string
	}{
		{name: "ExistingFile", setup: oldFile("c.csv"), args: out("c.csv"), code: 1, say: "pass --force to replace", kept: "c.csv", listed: []string{"c.csv"}},
		{name: "ExistingFileForced", setup: oldFile("c.csv"), args: out("c.csv", "--force"), code: 0, listed: []string{"c.csv"}},
		{name: "Folder", setup: func(t *testing.T, dir string) { mkdir(t, filepath.Join(dir, "c.csv")) }, args: out("c.csv", "--force"),
			code: 1, say: "is a folder, not a regular file", listed: []string{"c.csv"}},
		{name: "Symlink", setup: func(t *testing.T, dir string) {
			oldFile("real.csv")(t, dir)
			if err := os.Symlink("real.csv", filepath.Join(dir, "c.csv")); err != nil {
				t.Fatal(err)
			}
		}, args: out("c.csv", "--force"), code: 1, say: "is a symbolic link", kept: "real.csv", listed: []string{"c.csv", "real.csv"}},
		{name: "Device", setup: func(t *testing.T, dir string) {
			// A node of the test's own (/dev/full's numbers): a regression
			// would replace it, never the system's device.
			if err := mkdevice(filepath.Join(dir, "c.csv"), 7); err != nil {
				t.Skipf("cannot make a device node (%v): needs root", err)
			}
		}, args: out("c.csv", "--force"), code: 1, say: "c.csv is a device", listed: []string{"c.csv"}},
		{name: "AllExisting", setup: oldFile("deals.csv"), args: func(dir string) []string { return []string{"--all", "--dir", dir} },
			code: 1, say: "pass --force to replace", kept: "deals.csv", listed: []string{"deals.csv"}},
		{name: "AllForced", setup: oldFile("deals.csv"), args: func(dir string) []string { return []string{"--all", "--dir", dir, "--force"} },
			code: 0, listed: []string{"companies.csv", "contacts.csv", "deals.csv", "form_submissions.csv", "forms.csv"}},
		{name: "AllFolderUnderAName", setup: func(t *testing.T, dir string) { mkdir(t, filepath.Join(dir, "deals.csv")) },
			args: func(dir string) []string { return []string{"--all", "--dir", dir, "--force"} }, code: 1, say: "is a folder", listed: []string{"deals.csv"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.setup != nil {
				tc.setup(t, dir)
			}
			code, _, stderr := runMain(t.Context(), append([]string{"export", "--db", db}, tc.args(dir)...)...)
			if code != tc.code || !strings.Contains(stderr, tc.say) {
				t.Errorf("code %d stderr %q; want %d saying %q", code, stderr, tc.code, tc.say)
			}
			if tc.kept != "" {
				if got, _ := os.ReadFile(filepath.Join(dir, tc.kept)); string(got) != old {
					t.Errorf("%s = %q, want it kept", tc.kept, got)
				}
			}
			var names []string
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if strings.Join(names, " ") != strings.Join(tc.listed, " ") {
				t.Errorf("the folder holds %q, want %q (no temporary file)", names, tc.listed)
			}
			if tc.code == 0 && len(tc.listed) > 0 {
				if got, _ := os.ReadFile(filepath.Join(dir, tc.listed[0])); string(got) == old || len(got) == 0 {
					t.Errorf("%s = %q, want the export", tc.listed[0], got)
				}
			}
		})
	}
	if _, stdout, stderr := runMain(t.Context(), "help", "export"); !strings.Contains(stdout+stderr, "--force") ||
		!strings.Contains(stdout+stderr, "only with --force") {
		t.Errorf("help export does not explain --force:\n%s%s", stdout, stderr)
	}
}

func oldFile(name string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte("previous export"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func mkdir(t *testing.T, path string) {
	t.Helper()
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
}

func out(name string, more ...string) func(dir string) []string {
	return func(dir string) []string {
		return append([]string{"--object", "contacts", "--out", filepath.Join(dir, name)}, more...)
	}
}

// The commands that only read open the database read-only: an empty file
// stays empty and is not a database; a file that is not SQLite keeps its
// mode; both are refused with what to do.
func TestReadOnlyCommands_ChangeNothing(t *testing.T) {
	for _, tc := range []struct {
		name    string
		content string
		mode    os.FileMode
		say     string
	}{
		{name: "Empty", mode: 0o644, say: "run 'hubextract extract' or open the app first"},
		{name: "NotSQLite", content: "name,email\nAnn,a@example.com\n", mode: 0o644, say: "not a HubSpot Extractor database"},
	} {
		for _, cmd := range [][]string{{"export", "--object", "contacts"}, {"runs"}} {
			t.Run(tc.name+"/"+cmd[0], func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "x.db")
				if err := os.WriteFile(path, []byte(tc.content), tc.mode); err != nil {
					t.Fatal(err)
				}
				code, stdout, stderr := runMain(t.Context(), append(cmd, "--db", path)...)
				if code != 1 || stdout != "" || !strings.Contains(stderr, tc.say) {
					t.Errorf("code %d stdout %q stderr %q; want 1 saying %q", code, stdout, stderr, tc.say)
				}
				st, err := os.Stat(path)
				if err != nil {
					t.Fatal(err)
				}
				if st.Size() != int64(len(tc.content)) || st.Mode().Perm() != tc.mode {
					t.Errorf("the file is now %d bytes, mode %v; want %d, %v", st.Size(), st.Mode().Perm(), len(tc.content), tc.mode)
				}
				if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
					t.Errorf("the folder holds %d files, want the database alone", len(entries))
				}
			})
		}
	}
}
