package workspace

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hubextract/backend/demo"
)

// TestSensitivityShown: the record detail, the column chooser and the
// table's columns carry each property's level ("" for a non-sensitive
// one), so the screens can mark sensitive values. The fixture's fake gives
// contacts and tickets sensitive and highly sensitive properties.
func TestSensitivityShown(t *testing.T) {
	tests := []struct {
		typ  string
		want map[string]string // property → its level as the screens get it
	}{
		{"contacts", map[string]string{"email": "", "firstname": "",
			"health_notes": "sensitive", "date_of_birth_private": "sensitive", "national_id_number": "highly_sensitive"}},
		{"tickets", map[string]string{"subject": "",
			"medical_case_notes": "sensitive", "patient_record_number": "highly_sensitive"}},
		{"notes", map[string]string{"hs_note_body": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			id := fixtureTruth.IDs(tt.typ, false)[0]
			d, err := recordDetail(t.Context(), fixtureDB, tt.typ, id)
			if err != nil {
				t.Fatal(err)
			}
			cols, err := columnsOf(t.Context(), fixtureDB, tt.typ)
			if err != nil {
				t.Fatal(err)
			}
			names := slices.Sorted(maps.Keys(tt.want))
			page, err := recordsPage(t.Context(), fixtureDB, PageQuery{Type: tt.typ, Columns: names, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			for i, name := range names {
				want := tt.want[name]
				if k := slices.IndexFunc(d.Properties, func(p Property) bool { return p.Name == name }); k < 0 || d.Properties[k].Sensitivity != want {
					t.Errorf("detail of %s %s: %s missing or not %q: %+v", tt.typ, id, name, want, d.Properties)
				}
				if k := slices.IndexFunc(cols, func(c Column) bool { return c.Name == name }); k < 0 || cols[k].Sensitivity != want {
					t.Errorf("column chooser: %s missing or not %q", name, want)
				}
				if c := page.Columns[i]; c.Name != name || c.Sensitivity != want {
					t.Errorf("table column %d = %+v, want %s at %q", i, c, name, want)
				}
			}
		})
	}
}

// TestExport_IncludeSensitive: the Export screen's request passes its
// checkbox on: off (the default), the files hold no sensitive column.
func TestExport_IncludeSensitive(t *testing.T) {
	w, _ := open(t, demo.Options{Scale: 5, Seed: 3}, "")
	if _, err := w.Connection.UseSampleData(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Extract.Start(ExtractRequest{}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		req  ExportRequest
		want bool // sensitive columns written
	}{
		{"Default", ExportRequest{Type: "contacts"}, false},
		{"Asked", ExportRequest{Type: "contacts", IncludeSensitive: true}, true},
		{"AllDefault", ExportRequest{}, false},
		{"AllAsked", ExportRequest{IncludeSensitive: true}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.req.Path = dir
			file := filepath.Join(dir, "contacts.csv")
			if tt.req.Type != "" {
				tt.req.Path = file
			}
			if _, err := w.Export.Start(tt.req); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			header, _, _ := strings.Cut(string(got), "\r\n")
			cols := strings.Split(header, ",")
			for _, name := range []string{"health_notes", "national_id_number"} {
				if slices.Contains(cols, name) != tt.want {
					t.Errorf("%s in the header: %v, want %v (%s)", name, !tt.want, tt.want, header)
				}
			}
			if !slices.Contains(cols, "email") {
				t.Errorf("the header lost email: %s", header)
			}
		})
	}
}
