package workspace

import (
	"path/filepath"
	"testing"

	"hubextract/backend/demo"
)

// TestStatus_NamesTheLogFile: Status names the log in the app's folder,
// whichever database is shown, so the run details can point the user there.
func TestStatus_NamesTheLogFile(t *testing.T) {
	w, _ := open(t, demo.Options{Scale: 5, Seed: 1}, "")
	want := filepath.Join(w.paths.Dir, "hubextract.log")
	st, err := w.Status()
	if err != nil || st.LogFile != want {
		t.Fatalf("Status().LogFile = %q, %v; want %q", st.LogFile, err, want)
	}
	if st, err = w.Connection.UseSampleData(); err != nil || st.LogFile != want {
		t.Errorf("with the sample data: LogFile = %q, %v; want %q", st.LogFile, err, want)
	}
}
