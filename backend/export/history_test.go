package export

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"hubextract/backend/store"
)

// withHistory adds property history for two contacts (one of them changed
// by a user, by an import, then to a formula-like value) and one deal.
func withHistory(t *testing.T) *store.DB {
	db := fixtureDB(t)
	at := func(min int) time.Time {
		return time.Date(2024, 1, 17, 19, 55, 4, 281e6, time.UTC).Add(time.Duration(min) * time.Minute)
	}
	write(t, db, func(ctx context.Context, tx *store.Tx) error {
		return tx.AddHistory(ctx, []store.HistoryEntry{
			{Type: "contacts", ID: "10", Property: "lifecyclestage", Value: "lead", Timestamp: at(0), SourceType: "IMPORT", SourceID: "import-1", SourceLabel: "Spring list"},
			{Type: "contacts", ID: "10", Property: "lifecyclestage", Value: "customer", Timestamp: at(60), SourceType: "CRM_UI", SourceID: "userId:42", UpdatedByUserID: 42},
			{Type: "contacts", ID: "9", Property: "firstname", Value: "=1+1", Timestamp: at(1), SourceType: "API"},
			{Type: "deals", ID: "500", Property: "dealstage", Value: "closedwon", Timestamp: at(2), SourceType: "CALCULATED"},
		})
	})
	return db
}

// TestHistoryExport: --history writes one row per value a property had,
// by record (numeric id), property, oldest first, with its source; labels
// turn option values into labels; formulas stay text; a type without
// history stored writes the header alone; a non-CRM type has none.
func TestHistoryExport(t *testing.T) {
	db := withHistory(t)
	header := "type,id,property,value,timestamp,source_type,source_id,source_label,updated_by_user_id"
	tests := []struct {
		name    string
		opts    Options
		want    string
		wantErr bool
	}{
		{name: "Contacts", opts: Options{Type: "contacts", History: true}, want: lines(header,
			"contacts,9,firstname,'=1+1,2024-01-17T19:56:04.281Z,API,,,",
			"contacts,10,lifecyclestage,lead,2024-01-17T19:55:04.281Z,IMPORT,import-1,Spring list,",
			"contacts,10,lifecyclestage,customer,2024-01-17T20:55:04.281Z,CRM_UI,userId:42,,42")},
		{name: "Labels", opts: Options{Type: "contacts", History: true, Labels: true}, want: lines(header,
			"contacts,9,firstname,'=1+1,2024-01-17T19:56:04.281Z,API,,,",
			"contacts,10,lifecyclestage,Lead,2024-01-17T19:55:04.281Z,IMPORT,import-1,Spring list,",
			"contacts,10,lifecyclestage,Customer,2024-01-17T20:55:04.281Z,CRM_UI,userId:42,,42")},
		{name: "NoneStored", opts: Options{Type: "tickets", History: true}, want: lines(header)},
		{name: "NotCRM", opts: Options{Type: "forms", History: true}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			n, err := Write(t.Context(), db, &b, tt.opts)
			if tt.wantErr {
				if err == nil {
					t.Errorf("no error, wrote %q", b.String())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want || n != int64(bytes.Count(b.Bytes(), []byte("\r\n"))-1) {
				t.Errorf("%d rows:\n%s\nwant:\n%s", n, b.String(), tt.want)
			}
		})
	}

	dir := t.TempDir()
	files, err := All(t.Context(), db, dir, false, Options{History: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []File{
		{Type: "contacts", Path: filepath.Join(dir, "contacts_history.csv"), Rows: 3},
		{Type: "deals", Path: filepath.Join(dir, "deals_history.csv"), Rows: 1},
	}
	if !slices.Equal(files, want) {
		t.Errorf("files %v, want %v", files, want)
	}
	assertFiles(t, dir, "contacts_history.csv", "deals_history.csv")
	if got, _ := os.ReadFile(filepath.Join(dir, "deals_history.csv")); string(got) != lines(header, "deals,500,dealstage,closedwon,2024-01-17T19:57:04.281Z,CALCULATED,,,") {
		t.Errorf("deals_history.csv %q", got)
	}
}
