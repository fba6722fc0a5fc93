package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestSkippedSlotsAndTrigger(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)
	for i, reason := range []string{"first", "second"} {
		if err := db.RecordSkippedSlot(ctx, t0.Add(time.Duration(i)*time.Hour), TriggerScheduled, reason); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.SkippedSlots(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Reason != "second" || !got[0].At.Equal(t0.Add(time.Hour)) || got[1].Trigger != TriggerScheduled {
		t.Errorf("SkippedSlots = %+v", got)
	}
	// A skipped slot is no run: the engine's last run stays none.
	if _, ok, err := db.LatestRun(ctx); err != nil || ok {
		t.Errorf("LatestRun after skipped slots = %v, %v; want none", ok, err)
	}
	if err := db.SetRunTrigger(ctx, 42, TriggerScheduled); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetRunTrigger of no run = %v, want ErrNotFound", err)
	}
	if err := db.SetRunTrigger(ctx, 1, "cron"); err == nil {
		t.Error("SetRunTrigger accepted an unknown trigger")
	}
}

func TestClaimAccount(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		seed    string // SQL run before the claims
		claims  []int64
		wantErr []bool
		wantID  int64
	}{
		{name: "EmptyFileTakesTheFirst", claims: []int64{101, 101}, wantErr: []bool{false, false}, wantID: 101},
		{name: "AnotherAccountRefused", claims: []int64{101, 202}, wantErr: []bool{false, true}, wantID: 101},
		{name: "CustomObjectNamesTheAccount", seed: `INSERT INTO object_schemas (object_type) VALUES ('p303_projects')`,
			claims: []int64{404, 303}, wantErr: []bool{true, false}, wantID: 303},
		{name: "EmailEventNamesTheAccount", seed: `INSERT INTO email_events (id, raw) VALUES ('e1', '{"portalId": 505}')`,
			claims: []int64{606}, wantErr: []bool{true}, wantID: 505},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db, err := Open(ctx, filepath.Join(t.TempDir(), "a.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if tc.seed != "" {
				if _, err := db.db.ExecContext(ctx, tc.seed); err != nil {
					t.Fatal(err)
				}
			}
			for i, id := range tc.claims {
				err := db.ClaimAccount(ctx, id, now)
				var mismatch *AccountMismatchError
				if got := errors.As(err, &mismatch); got != tc.wantErr[i] || (err != nil && !got) {
					t.Fatalf("claim %d: %v (mismatch wanted: %v)", id, err, tc.wantErr[i])
				}
				if mismatch != nil && (mismatch.Key != id || mismatch.Database != tc.wantID) {
					t.Errorf("mismatch = %+v", mismatch)
				}
			}
			if got, err := db.AccountID(ctx); err != nil || got != tc.wantID {
				t.Errorf("AccountID = %d, %v; want %d", got, err, tc.wantID)
			}
		})
	}
}
