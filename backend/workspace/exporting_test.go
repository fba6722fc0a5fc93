package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"hubextract/backend/demo"
	"hubextract/backend/export"
)

// The Export screen's request replaces files only once the user confirmed:
// without Replace, files already there come back as Existing with nothing
// written and no error; with Replace they are written; a folder under the
// file's name is refused either way.
func TestExport_ReplaceOnlyWhenConfirmed(t *testing.T) {
	w, _ := open(t, demo.Options{Scale: 5, Seed: 3}, "")
	if _, err := w.Connection.UseSampleData(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Extract.Start(ExtractRequest{}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "deals.csv")
	if err := os.WriteFile(file, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, req := range []ExportRequest{{Type: "deals", Path: file}, {Path: dir}} {
		res, err := w.Export.Start(req)
		if err != nil || !slices.Equal(res.Existing, []string{file}) || len(res.Files) != 0 {
			t.Errorf("%+v without Replace: %+v, %v; want Existing [%s], nothing written", req, res, err, file)
		}
		if got, _ := os.ReadFile(file); string(got) != "mine" {
			t.Errorf("%+v without Replace changed the file to %.20q", req, got)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("%+v without Replace left %d files, want the one there", req, len(entries))
		}
	}
	res, err := w.Export.Start(ExportRequest{Type: "deals", Path: file, Replace: true})
	if err != nil || len(res.Existing) != 0 || len(res.Files) != 1 {
		t.Fatalf("with Replace: %+v, %v", res, err)
	}
	if got, _ := os.ReadFile(file); string(got) == "mine" {
		t.Error("with Replace the file was not replaced")
	}
	folder := filepath.Join(dir, "notes.csv")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Export.Start(ExportRequest{Type: "notes", Path: folder, Replace: true}); !errors.Is(err, export.ErrNotFile) {
		t.Errorf("a folder as the file: %v, want ErrNotFile", err)
	}
}
