package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"hubextract/backend/catalog"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// lines joins CSV lines with RFC 4180's CRLF, ending the last one too.
func lines(ls ...string) string { return strings.Join(ls, "\r\n") + "\r\n" }

const (
	created = "2024-01-17T19:55:04.281Z"
	updated = "2024-01-17T20:55:04.281Z"
	stamps  = created + "," + updated
	same    = created + "," + created
)

func TestWrite_ExactCSV(t *testing.T) {
	crm := fixtureDB(t)
	mkt := marketingDB(t)
	tests := []struct {
		name string
		db   *store.DB
		opts Options
		want string
	}{
		{
			// Sensitive and highly sensitive columns are left out by default.
			name: "ContactsRaw",
			db:   crm,
			opts: Options{Type: "contacts"},
			want: lines(
				"id,email,firstname,hs_interests,hubspot_owner_id,legacy_field,lifecyclestage,phone,created_at,updated_at,archived,"+
					"associated_companies,associated_deals,associated_tickets,associated_leads,associated_quotes,associated_calls,"+
					"associated_emails,associated_meetings,associated_notes,associated_tasks,associated_communications,associated_postal_mail",
				"2,a@example.com,Ann,,7,old,lead,,"+stamps+",false,5;100,42,,,,700,,,,,,",
				`9,,"'=HYPERLINK(""http://x"",""y"")",,,,gone,,`+stamps+",true,,,,,,700,,,,,,",
				"10,b@example.com,Bé,a;b;zz,8,,customer,,"+stamps+",false,100,,,,,,,,,,,",
			),
		},
		{
			name: "ContactsNoAssociations",
			db:   crm,
			opts: Options{Type: "contacts", NoAssociations: true},
			want: lines(
				"id,email,firstname,hs_interests,hubspot_owner_id,legacy_field,lifecyclestage,phone,created_at,updated_at,archived",
				"2,a@example.com,Ann,,7,old,lead,,"+stamps+",false",
				`9,,"'=HYPERLINK(""http://x"",""y"")",,,,gone,,`+stamps+",true",
				"10,b@example.com,Bé,a;b;zz,8,,customer,,"+stamps+",false",
			),
		},
		{
			name: "ContactsLabels",
			db:   crm,
			opts: Options{Type: "contacts", Labels: true, NoAssociations: true},
			want: lines(
				"id,Email,First Name,Interests,Contact owner,legacy_field,Lifecycle Stage,Phone Number,created_at,updated_at,archived",
				"2,a@example.com,Ann,,Ann Lee,old,Lead,,"+stamps+",false",
				`9,,"'=HYPERLINK(""http://x"",""y"")",,,,gone,,`+stamps+",true",
				"10,b@example.com,Bé,Alpha;Beta;zz,bo@example.com,,Customer,,"+stamps+",false",
			),
		},
		{
			// Asked for, the sensitive and highly sensitive columns take
			// their places among the others (left out above by default).
			name: "ContactsIncludeSensitive",
			db:   crm,
			opts: Options{Type: "contacts", NoAssociations: true, IncludeSensitive: true},
			want: lines(
				"id,email,firstname,health_note,hs_interests,hs_ssn,hubspot_owner_id,legacy_field,lifecyclestage,phone,created_at,updated_at,archived",
				"2,a@example.com,Ann,asthma,,,7,old,lead,,"+stamps+",false",
				`9,,"'=HYPERLINK(""http://x"",""y"")",,,,,,gone,,`+stamps+",true",
				"10,b@example.com,Bé,,a;b;zz,078-05-1120,8,,customer,,"+stamps+",false",
			),
		},
		{
			name: "ContactsLabelsIncludeSensitive",
			db:   crm,
			opts: Options{Type: "contacts", Labels: true, NoAssociations: true, IncludeSensitive: true},
			want: lines(
				"id,Email,First Name,Health note,Interests,SSN,Contact owner,legacy_field,Lifecycle Stage,Phone Number,created_at,updated_at,archived",
				"2,a@example.com,Ann,asthma,,,Ann Lee,old,Lead,,"+stamps+",false",
				`9,,"'=HYPERLINK(""http://x"",""y"")",,,,,,gone,,`+stamps+",true",
				"10,b@example.com,Bé,,Alpha;Beta;zz,078-05-1120,bo@example.com,,Customer,,"+stamps+",false",
			),
		},
		{
			name: "CompaniesBothDirections",
			db:   crm,
			opts: Options{Type: "companies"},
			want: lines(
				"id,name,created_at,updated_at,archived,associated_contacts,associated_deals,associated_tickets,associated_leads,"+
					"associated_quotes,associated_calls,associated_emails,associated_meetings,associated_notes,associated_tasks,"+
					"associated_communications,associated_postal_mail",
				"5,Beta,"+same+",false,1;2,42,,,,,,,,,,",
				"100,Acme,"+same+",false,2;10;11,,,,,,,,,,,",
			),
		},
		{
			name: "DealsRaw",
			db:   crm,
			opts: Options{Type: "deals"},
			want: lines(
				"id,amount,dealname,dealstage,hubspot_owner_id,pipeline,created_at,updated_at,archived,"+
					"associated_contacts,associated_companies,associated_line_items,associated_quotes,associated_calls,associated_emails,"+
					"associated_meetings,associated_notes,associated_tasks,associated_communications,associated_postal_mail",
				"42,'-500,Big,closedwon,7,default,"+same+",false,2,5,,,700,,,,,,",
				"43,,Renewal,closedwon,99,renewals,"+same+",false,,,,,,,,,,,",
				"44,,No pipeline,closedwon,,,"+same+",false,,,,,,,,,,,",
				"45,,Lost,closedlost,,default,"+same+",false,,,,,,,,,,,",
			),
		},
		{
			name: "DealsLabels",
			db:   crm,
			opts: Options{Type: "deals", Labels: true, NoAssociations: true},
			want: lines(
				"id,Amount,Deal Name,Deal Stage,Deal owner,Pipeline,created_at,updated_at,archived",
				"42,'-500,Big,Closed Won,Ann Lee,Sales Pipeline,"+same+",false",
				"43,,Renewal,Renewed,99,Renewals,"+same+",false", // stage of its own pipeline; unknown owner kept
				"44,,No pipeline,Closed Won,,,"+same+",false",    // no pipeline: the first pipeline's stage
				"45,,Lost,Lost,,Sales Pipeline,"+same+",false",   // not a stage: the option label
			),
		},
		{
			name: "Calls",
			db:   crm,
			opts: Options{Type: "calls"},
			want: lines(
				"id,hs_call_title,created_at,updated_at,archived,associated_contacts,associated_companies,associated_deals,associated_tickets",
				"700,Intro,"+same+",false,2;9,,42,",
			),
		},
		{
			name: "EmptyType",
			db:   crm,
			opts: Options{Type: "tickets"},
			want: lines("id,created_at,updated_at,archived,associated_contacts,associated_companies," +
				"associated_calls,associated_emails,associated_meetings,associated_notes,associated_tasks," +
				"associated_communications,associated_postal_mail"),
		},
		{
			name: "BOM",
			db:   crm,
			opts: Options{Type: "calls", NoAssociations: true, BOM: true},
			want: "\uFEFF" + lines("id,hs_call_title,created_at,updated_at,archived", "700,Intro,"+same+",false"),
		},
		{
			name: "Forms",
			db:   mkt,
			opts: Options{Type: "forms"},
			want: lines(
				"id,name,form_type,created_at,updated_at,archived",
				`f-a,"Alpha, ""the"" form",flow,`+created+",,true",
				"f-b,Zeta signup,hubspot,"+stamps+",false",
			),
		},
		{
			name: "FormSubmissions",
			db:   mkt,
			opts: Options{Type: "form_submissions"},
			want: lines(
				"form_id,submitted_at,page_url,conversion_id,company,email,firstname,phone",
				"f-a,"+created+",https://x.test/a,c1,,a1@example.com,'+Bob,",
				"f-a,2024-01-17T19:56:04.281Z,https://x.test/a,c2,,a2@example.com,Al,",
				"f-b,"+created+",https://x.test/b,c3,Zed,z@example.com,,",
			),
		},
		{
			name: "FormSubmissionsOfOneForm",
			db:   mkt,
			opts: Options{Type: "form_submissions", FormID: "f-b"},
			want: lines(
				"form_id,submitted_at,page_url,conversion_id,company,email,phone",
				"f-b,"+created+",https://x.test/b,c3,Zed,z@example.com,",
			),
		},
		{
			name: "FormSubmissionsLabels",
			db:   mkt,
			opts: Options{Type: "form_submissions", Labels: true},
			want: lines(
				"form_id,submitted_at,page_url,conversion_id,Company name,Your email,First name,Phone number",
				"f-a,"+created+",https://x.test/a,c1,,a1@example.com,'+Bob,",
				"f-a,2024-01-17T19:56:04.281Z,https://x.test/a,c2,,a2@example.com,Al,",
				"f-b,"+created+",https://x.test/b,c3,Zed,z@example.com,,",
			),
		},
		{
			name: "FormSubmissionsOfOneFormLabels",
			db:   mkt,
			opts: Options{Type: "form_submissions", FormID: "f-b", Labels: true},
			want: lines(
				"form_id,submitted_at,page_url,conversion_id,Company name,Email,Phone number",
				"f-b,"+created+",https://x.test/b,c3,Zed,z@example.com,",
			),
		},
		{
			name: "FormSubmissionsOfUnknownForm",
			db:   mkt,
			opts: Options{Type: "form_submissions", FormID: "nope"},
			want: lines("form_id,submitted_at,page_url,conversion_id"),
		},
		{
			name: "EmailEvents",
			db:   mkt,
			opts: Options{Type: "email_events"},
			want: lines(
				"id,type,created,recipient,campaign_id,browser,deviceType,filteredEvent,portalId,url",
				"e1,OPEN,"+created+",a@example.com,12,,COMPUTER,false,62515,",
				`e2,CLICK,2024-01-17T19:55:05.281Z,a@example.com,12,"{""name"":""Firefox"",""version"":[""1"",""2""]}",,,,"https://x.test/?a=1,b=2"`,
			),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			n, err := Write(t.Context(), tt.db, &buf, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tt.want {
				t.Errorf("CSV differs\ngot:\n%s\nwant:\n%s", got, tt.want)
			}
			if want := int64(strings.Count(tt.want, "\r\n") - 1); n != want {
				t.Errorf("rows = %d, want %d", n, want)
			}
		})
	}
}

func TestWrite_ErrUnknownType(t *testing.T) {
	db := testkit.OpenDB(t)
	for _, typ := range []string{"", "widgets", "Contacts"} {
		_, err := Write(t.Context(), db, &bytes.Buffer{}, Options{Type: typ})
		var ute *catalog.UnknownTypeError
		if !errors.As(err, &ute) || !strings.Contains(err.Error(), "contacts, companies, deals") {
			t.Errorf("Write(%q) error = %v, want a *catalog.UnknownTypeError naming the valid types", typ, err)
		}
	}
	if _, err := Records(t.Context(), db, &bytes.Buffer{}, Options{Type: "forms"}); err == nil {
		t.Error("Records(forms) succeeded, want an error: forms are not CRM records")
	}
}

func TestCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"=1+1", "'=1+1"},
		{"+1", "'+1"},
		{"-1", "'-1"}, // as specified: every leading '-', numbers included
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\nx"}, // neutralised, and the lone CR kept as a line break
		{"a=b", "a=b"},
		{" =x", "' =x"}, // spreadsheets skip the spaces: see TestCell_FormulaForms
		{"'quoted", "'quoted"},
		{"a\r\nb\rc\nd", "a\nb\nc\nd"},
	}
	for _, tt := range tests {
		if got := cell(tt.in); got != tt.want {
			t.Errorf("cell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRecords_RoundTrip writes awkward values (and property labels that look
// like formulas) and reads them back with encoding/csv.
func TestRecords_RoundTrip(t *testing.T) {
	values := map[string]string{
		"comma":    "a,b",
		"quote":    `say "hi"`,
		"newline":  "line1\nline2",
		"crlf":     "line1\r\nline2",
		"unicode":  "Zoë 日本語 😀 \u200b",
		"formula":  "=cmd|' /C calc'!A0",
		"plus":     "+33 1 23",
		"minus":    "-42",
		"at":       "@here",
		"tab":      "\tx",
		"cr":       "\rx",
		"spaces":   "  padded  ",
		"empty":    "",
		"apostrof": "'already",
	}
	want := map[string]string{
		"crlf": "line1\nline2", "formula": "'=cmd|' /C calc'!A0", "plus": "'+33 1 23", "minus": "'-42",
		"at": "'@here", "tab": "'\tx", "cr": "'\nx",
	}
	db := testkit.OpenDB(t)
	write(t, db, func(ctx context.Context, tx *store.Tx) error {
		props := map[string]*string{}
		var defs []store.Property
		for k, v := range values {
			props[k] = ptr(v)
			defs = append(defs, store.Property{Name: k, Label: "=" + k})
		}
		if err := tx.ReplaceProperties(ctx, "notes", defs); err != nil {
			return err
		}
		return tx.UpsertRecords(ctx, 1, []store.Record{{Type: "notes", ID: "1", Properties: props}})
	})
	for _, labels := range []bool{false, true} {
		var buf bytes.Buffer
		if _, err := Records(t.Context(), db, &buf, Options{Type: "notes", Labels: labels, NoAssociations: true}); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatalf("labels=%v: read back: %v", labels, err)
		}
		if len(rows) != 2 {
			t.Fatalf("labels=%v: %d rows, want header and one record", labels, len(rows))
		}
		for i, h := range rows[0] {
			name := h
			if labels && i > 0 && i < len(rows[0])-3 {
				if !strings.HasPrefix(h, "'=") {
					t.Errorf("header %q is not neutralised", h)
				}
				name = strings.TrimPrefix(h, "'=")
			}
			v, ok := values[name]
			if !ok {
				continue // id, created_at, ...
			}
			if w, ok := want[name]; ok {
				v = w
			}
			if got := rows[1][i]; got != v {
				t.Errorf("labels=%v: %s read back as %q, want %q", labels, name, got, v)
			}
		}
	}
}

func TestLabeler_Value(t *testing.T) {
	l := newLabeler(
		[]store.Property{
			{Name: "color", Label: "Colour", Options: []store.Option{{Label: "Red", Value: "r"}, {Label: "Semi;colon", Value: "a;b"}, {Label: "", Value: "blank"}}},
			{Name: "hs_all_owner_ids", Label: "All owners"},
			{Name: "plain", Label: ""},
		},
		[]store.Owner{{ID: "1", FirstName: "Ann"}, {ID: "2", LastName: "Bo"}},
		[]store.Pipeline{{ID: "p", Label: "Main", Stages: []store.Stage{{ID: "s", Label: "Start"}}}},
	)
	rec := store.Record{Properties: map[string]*string{"hs_pipeline": ptr("p")}}
	tests := []struct {
		name string
		raw  *string
		want string
	}{
		{"color", nil, ""},
		{"color", ptr(""), ""},
		{"color", ptr("r"), "Red"},
		{"color", ptr("a;b"), "Semi;colon"}, // an option value holding ';' wins over splitting
		{"color", ptr("r;x"), "Red;x"},
		{"color", ptr("blank"), "blank"}, // no label to show
		{"hs_all_owner_ids", ptr("1;2;3"), "Ann;Bo;3"},
		{"hubspot_owner_id", ptr("2"), "Bo"}, // owner-typed by name even without a definition
		{"hs_pipeline", ptr("p"), "Main"},
		{"hs_pipeline_stage", ptr("s"), "Start"},
		{"hs_pipeline_stage", ptr("zz"), "zz"},
		{"plain", ptr("=x"), "=x"}, // neutralising is the encoder's job
	}
	for _, tt := range tests {
		if got := l.Value(tt.name, tt.raw, rec); got != tt.want {
			t.Errorf("Value(%s, %v) = %q, want %q", tt.name, tt.raw, got, tt.want)
		}
	}
	for name, want := range map[string]string{"color": "Colour", "plain": "plain", "undefined": "undefined"} {
		if got := l.Header(name); got != want {
			t.Errorf("Header(%s) = %q, want %q", name, got, want)
		}
	}
}

func TestRecords_DuplicateLabels(t *testing.T) {
	db := testkit.OpenDB(t)
	write(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.ReplaceProperties(ctx, "tasks", []store.Property{
			{Name: "a_email", Label: "Email"}, {Name: "b_email", Label: "email"}, {Name: "c", Label: "Other"},
		}); err != nil {
			return err
		}
		return tx.UpsertRecords(ctx, 1, []store.Record{{Type: "tasks", ID: "1"}})
	})
	var buf bytes.Buffer
	if _, err := Records(t.Context(), db, &buf, Options{Type: "tasks", Labels: true, NoAssociations: true}); err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(buf.String(), "\r\n")
	if want := "id,Email (a_email),email (b_email),Other,created_at,updated_at,archived"; header != want {
		t.Errorf("header = %q, want %q", header, want)
	}
}

// manyContacts writes n contacts with ids 1..n.
func manyContacts(t testing.TB, db *store.DB, n int) {
	t.Helper()
	write(t, db, func(ctx context.Context, tx *store.Tx) error {
		recs := make([]store.Record, n)
		for i := range recs {
			recs[i] = store.Record{Type: "contacts", ID: strconv.Itoa(i + 1), Properties: map[string]*string{"email": ptr("x@example.com")}}
		}
		return tx.UpsertRecords(ctx, 1, recs)
	})
}

func TestRecords_Progress(t *testing.T) {
	db := testkit.OpenDB(t)
	manyContacts(t, db, 2500)
	var got [][2]int64
	n, err := Records(t.Context(), db, &bytes.Buffer{}, Options{Type: "contacts",
		Progress: func(done, total int64) { got = append(got, [2]int64{done, total}) }})
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]int64{{0, 2500}, {1000, 2500}, {2000, 2500}, {2500, 2500}}
	if n != 2500 || !slices.Equal(got, want) {
		t.Errorf("rows %d, progress %v; want 2500 and %v", n, got, want)
	}
}

func TestToFile(t *testing.T) {
	db := fixtureDB(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "calls.csv")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	n, err := ToFile(t.Context(), db, path, true, Options{Type: "calls", NoAssociations: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := lines("id,hs_call_title,created_at,updated_at,archived", "700,Intro,"+same+",false"); n != 1 || string(got) != want {
		t.Errorf("rows %d, file %q; want 1 and %q", n, got, want)
	}
	assertFiles(t, dir, "calls.csv")
}

func TestToFile_ErrCancelKeepsNoFile(t *testing.T) {
	db := testkit.OpenDB(t)
	manyContacts(t, db, 2500)
	tests := []struct {
		name     string
		existing bool
	}{
		{name: "NewFile"},
		{name: "ReplacingAFile", existing: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "contacts.csv")
			if tt.existing {
				if err := os.WriteFile(path, []byte("previous export"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			// Cancel once the first 1,000 rows are out: mid-file.
			_, err := ToFile(ctx, db, path, tt.existing, Options{Type: "contacts", Progress: func(done, _ int64) {
				if done >= 1000 {
					cancel()
				}
			}})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("error = %v, want context.Canceled", err)
			}
			if tt.existing {
				if got, _ := os.ReadFile(path); string(got) != "previous export" {
					t.Errorf("the earlier file became %q, want it untouched", got)
				}
				assertFiles(t, dir, "contacts.csv")
			} else {
				assertFiles(t, dir)
			}
		})
	}
}

func TestAll(t *testing.T) {
	db := fixtureDB(t)
	write(t, db, func(ctx context.Context, tx *store.Tx) error {
		return tx.UpsertForms(ctx, []store.Form{{ID: "f", Name: "Form"}})
	})
	dir := filepath.Join(t.TempDir(), "out")
	var last [2]int64
	files, err := All(t.Context(), db, dir, false, Options{Type: "ignored", NoAssociations: true,
		Progress: func(done, total int64) { last = [2]int64{done, total} }})
	if err != nil {
		t.Fatal(err)
	}
	want := []File{
		{Type: "contacts", Path: filepath.Join(dir, "contacts.csv"), Rows: 3},
		{Type: "companies", Path: filepath.Join(dir, "companies.csv"), Rows: 2},
		{Type: "deals", Path: filepath.Join(dir, "deals.csv"), Rows: 4},
		{Type: "calls", Path: filepath.Join(dir, "calls.csv"), Rows: 1},
		{Type: "forms", Path: filepath.Join(dir, "forms.csv"), Rows: 1},
	}
	if !slices.Equal(files, want) {
		t.Errorf("files = %v\nwant %v", files, want)
	}
	if last != [2]int64{11, 11} {
		t.Errorf("last progress = %v, want [11 11] (rows over every file)", last)
	}
	assertFiles(t, dir, "calls.csv", "companies.csv", "contacts.csv", "deals.csv", "forms.csv")
	got, err := os.ReadFile(filepath.Join(dir, "calls.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if want := lines("id,hs_call_title,created_at,updated_at,archived", "700,Intro,"+same+",false"); string(got) != want {
		t.Errorf("calls.csv = %q, want %q", got, want)
	}
}

// TestAll_Sensitive: a folder export passes IncludeSensitive to every
// file; off (the default), no sensitive column or value is in any of them.
func TestAll_Sensitive(t *testing.T) {
	db := fixtureDB(t)
	for _, tt := range []struct {
		include bool
		header  string
	}{
		{false, "id,email,firstname,hs_interests,hubspot_owner_id,legacy_field,lifecyclestage,phone,created_at,updated_at,archived"},
		{true, "id,email,firstname,health_note,hs_interests,hs_ssn,hubspot_owner_id,legacy_field,lifecyclestage,phone,created_at,updated_at,archived"},
	} {
		t.Run(fmt.Sprint("include=", tt.include), func(t *testing.T) {
			dir := t.TempDir()
			if _, err := All(t.Context(), db, dir, false, Options{NoAssociations: true, IncludeSensitive: tt.include}); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(dir, "contacts.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if header, _, _ := strings.Cut(string(got), "\r\n"); header != tt.header {
				t.Errorf("header = %q, want %q", header, tt.header)
			}
			if has := strings.Contains(string(got), "078-05-1120") && strings.Contains(string(got), "asthma"); has != tt.include {
				t.Errorf("sensitive values written: %v, want %v", has, tt.include)
			}
		})
	}
}

func TestAll_ErrCancelKeepsFinishedFilesOnly(t *testing.T) {
	db := testkit.OpenDB(t)
	manyContacts(t, db, 2500)
	write(t, db, func(ctx context.Context, tx *store.Tx) error {
		return tx.UpsertRecords(ctx, 1, []store.Record{{Type: "calls", ID: "1"}})
	})
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	files, err := All(ctx, db, dir, false, Options{Progress: func(done, total int64) {
		if done > 0 && done < total {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if len(files) != 0 {
		t.Errorf("files = %v, want none: contacts come first and were cancelled", files)
	}
	assertFiles(t, dir)
}

// An export writes only a regular file or a new path: a folder, a symbolic
// link (to a file or to a device) and a device are refused before anything
// is written, and an existing file is replaced only when asked. Each case
// checks what the target and its folder hold afterwards.
func TestToFile_Targets(t *testing.T) {
	db := fixtureDB(t)
	opts := Options{Type: "calls", NoAssociations: true}
	want := lines("id,hs_call_title,created_at,updated_at,archived", "700,Intro,"+same+",false")
	for _, tc := range []struct {
		name    string
		setup   func(t *testing.T, dir, path string) // path is dir/calls.csv unless setup returns another
		replace bool
		wantErr error  // nil: written
		keep    string // the target's content afterwards, when it is a file that must not change
		files   []string
	}{
		{name: "NewPath", files: []string{"calls.csv"}},
		{name: "ExistingFile", setup: writeFile("old"), wantErr: ErrExists, keep: "old", files: []string{"calls.csv"}},
		{name: "ExistingFileReplaced", setup: writeFile("old"), replace: true, files: []string{"calls.csv"}},
		{name: "Folder", setup: func(t *testing.T, _, path string) {
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
		}, replace: true, wantErr: ErrNotFile, files: []string{"calls.csv"}},
		{name: "SymlinkToFile", setup: func(t *testing.T, dir, path string) {
			writeFile("target")(t, dir, filepath.Join(dir, "real.csv"))
			if err := os.Symlink("real.csv", path); err != nil {
				t.Fatal(err)
			}
		}, replace: true, wantErr: ErrNotFile, files: []string{"calls.csv", "real.csv"}},
		{name: "SymlinkToDevice", setup: func(t *testing.T, _, path string) {
			if err := os.Symlink("/dev/null", path); err != nil {
				t.Fatal(err)
			}
		}, replace: true, wantErr: ErrNotFile, files: []string{"calls.csv"}},
		{name: "Device", setup: func(t *testing.T, dir, path string) {
			// A node of the test's own (/dev/null's numbers): a regression
			// would replace it, never the system's device.
			if err := mkdevice(path, 3); err != nil {
				t.Skipf("cannot make a device node (%v): needs root", err)
			}
		}, replace: true, wantErr: ErrNotFile, files: []string{"calls.csv"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "calls.csv")
			if tc.setup != nil {
				tc.setup(t, dir, path)
			}
			before, _ := os.Lstat(path)
			_, err := ToFile(t.Context(), db, path, tc.replace, opts)
			if !errors.Is(err, tc.wantErr) || (err != nil) != (tc.wantErr != nil) {
				t.Fatalf("error = %v, want %v", err, tc.wantErr)
			}
			after, _ := os.Lstat(path)
			switch {
			case tc.wantErr == nil:
				if got, _ := os.ReadFile(path); string(got) != want {
					t.Errorf("file = %q, want %q", got, want)
				}
			case before == nil || after == nil || before.Mode() != after.Mode() || !before.ModTime().Equal(after.ModTime()) ||
				before.Size() != after.Size():
				t.Errorf("the target changed: %v -> %v", before, after)
			case tc.keep != "":
				if got, _ := os.ReadFile(path); string(got) != tc.keep {
					t.Errorf("file = %q, want %q kept", got, tc.keep)
				}
			}
			if tc.name == "SymlinkToFile" {
				if got, _ := os.ReadFile(filepath.Join(dir, "real.csv")); string(got) != "target" {
					t.Errorf("the link's target became %q", got)
				}
			}
			assertFiles(t, dir, tc.files...) // no temporary file left
		})
	}
}

// All checks every TYPE.csv before writing the first: one existing file
// stops it with all of them listed and nothing written; replace writes them
// all; a folder under one of the names is refused even with replace.
func TestAll_Targets(t *testing.T) {
	db := fixtureDB(t)
	opts := Options{NoAssociations: true}
	dir := t.TempDir()
	writeFile("old")(t, dir, filepath.Join(dir, "deals.csv"))
	writeFile("old")(t, dir, filepath.Join(dir, "calls.csv"))
	files, err := All(t.Context(), db, dir, false, opts)
	var exists *ExistsError
	if !errors.As(err, &exists) || len(files) != 0 {
		t.Fatalf("All = %v, %v; want an *ExistsError and no file", files, err)
	}
	if want := []string{filepath.Join(dir, "deals.csv"), filepath.Join(dir, "calls.csv")}; !slices.Equal(exists.Paths, want) {
		t.Errorf("existing = %q, want %q", exists.Paths, want)
	}
	assertFiles(t, dir, "calls.csv", "deals.csv")
	if files, err = All(t.Context(), db, dir, true, opts); err != nil || len(files) != 4 {
		t.Fatalf("All with replace = %v, %v; want 4 files", files, err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "deals.csv")); string(got) == "old" {
		t.Error("deals.csv not replaced")
	}

	dir = t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "deals.csv"), 0o700); err != nil {
		t.Fatal(err)
	}
	if files, err := All(t.Context(), db, dir, true, opts); !errors.Is(err, ErrNotFile) || len(files) != 0 {
		t.Errorf("All over a folder named deals.csv = %v, %v; want ErrNotFile, no file", files, err)
	}
	assertFiles(t, dir, "deals.csv")
}

func writeFile(content string) func(t *testing.T, dir, path string) {
	return func(t *testing.T, _, path string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// assertFiles checks that dir holds exactly names: no temporary file left.
func assertFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, names) {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

// TestRecords_ManyRanges exports more records than several of the ranges
// that workers read at once, with ids of one to four digits (ranges never
// span two lengths) and pairs stored from both sides: the rows come whole,
// in numeric id order, each with its own associated ids.
func TestRecords_ManyRanges(t *testing.T) {
	db := testkit.OpenDB(t)
	n := 3*rangeRows + 17
	manyContacts(t, db, n)
	write(t, db, func(ctx context.Context, tx *store.Tx) error {
		var pairs []store.Association
		for i := 1; i <= n+5; i++ { // the last five contacts are not stored
			id := strconv.Itoa(i)
			pairs = append(pairs, store.Association{FromType: "contacts", FromID: id, ToType: "companies", ToID: strconv.Itoa(i%5 + 1)})
			if i%3 == 0 {
				pairs = append(pairs, store.Association{FromType: "deals", FromID: strconv.Itoa(2 * i), ToType: "contacts", ToID: id},
					store.Association{FromType: "deals", FromID: strconv.Itoa(i), ToType: "contacts", ToID: id})
			}
		}
		return tx.AddAssociations(ctx, pairs)
	})
	// With labels the workers share the Labeler; with no definitions stored,
	// its headers and values are the raw ones.
	for _, opts := range []Options{{Type: "contacts"}, {Type: "contacts", Labels: true}} {
		var buf bytes.Buffer
		rows, err := Records(t.Context(), db, &buf, opts)
		if err != nil {
			t.Fatal(err)
		}
		checkManyRanges(t, buf.String(), rows, n)
	}
}

func checkManyRanges(t *testing.T, csv string, rows int64, n int) {
	t.Helper()
	got := strings.Split(strings.TrimSuffix(csv, "\r\n"), "\r\n")
	header := strings.Split(got[0], ",")
	if rows != int64(n) || len(got) != n+1 {
		t.Fatalf("%d rows, %d lines; want %d", rows, len(got)-1, n)
	}
	for i := 1; i <= n; i++ {
		want := []string{strconv.Itoa(i), "x@example.com", "", "", "false"}
		for _, h := range header[len(want):] {
			switch h {
			case "associated_companies":
				want = append(want, strconv.Itoa(i%5+1))
			case "associated_deals":
				if i%3 == 0 {
					want = append(want, strconv.Itoa(i)+";"+strconv.Itoa(2*i))
					break
				}
				want = append(want, "")
			default:
				want = append(want, "")
			}
		}
		if w := strings.Join(want, ","); got[i] != w {
			t.Fatalf("row %d = %q, want %q", i, got[i], w)
		}
	}
}
