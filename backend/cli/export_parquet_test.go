package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExport_Parquet: --format parquet writes TYPE.parquet files of the CRM
// types only, and refuses what goes with CSV alone.
func TestExport_Parquet(t *testing.T) {
	ctx := context.Background()
	db := exportDB(t)
	dir := t.TempDir()
	code, stdout, stderr := runMain(ctx, "export", "--db", db, "--all", "--dir", dir, "--format", "parquet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, typ := range []string{"contacts", "companies", "deals"} {
		b, err := os.ReadFile(filepath.Join(dir, typ+".parquet"))
		if err != nil || len(b) < 8 || string(b[:4]) != "PAR1" || string(b[len(b)-4:]) != "PAR1" {
			t.Errorf("%s.parquet: not a Parquet file (%v)", typ, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "forms.parquet")); err == nil || strings.Contains(stdout, "forms") {
		t.Errorf("forms written as Parquet:\n%s", stdout)
	}
	bad := [][]string{
		{"--object", "contacts", "--format", "xlsx"},
		{"--object", "contacts", "--format", "parquet", "--labels"},
		{"--object", "forms", "--format", "parquet"},
	}
	for _, args := range bad {
		code, _, stderr := runMain(ctx, append([]string{"export", "--db", db}, args...)...)
		if code != 2 || !strings.Contains(stderr, "--format") {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
}
