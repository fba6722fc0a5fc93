package store

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestRunsRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	if _, ok, err := db.LatestRun(ctx); err != nil || ok {
		t.Fatalf("LatestRun on empty db = %v, %v; want none", ok, err)
	}
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	id1, err := db.CreateRun(ctx, ModeFull, []string{"contacts", "deals"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	streams := []StreamResult{
		{Stream: "deals", Status: "succeeded", Records: 20, APICalls: 1, Pages: 1, Seconds: 0.5, HubSpotTotal: 20},
		{Stream: "contacts", Status: "failed", Records: 100, Failed: 2, APICalls: 3, Pages: 2, Retries: 1,
			Seconds: 1.25, HubSpotTotal: -1, Error: "HubSpot refused the token"},
	}
	for _, s := range streams {
		if err := db.SaveStreamResult(ctx, id1, s); err != nil {
			t.Fatal(err)
		}
	}
	// A later save of the same stream replaces it, here from a page transaction.
	streams[0].Records, streams[0].Pages = 40, 2
	inTx(t, db, func(tx *Tx) error { return tx.SaveStreamResult(ctx, id1, streams[0]) })
	if err := db.FinishRun(ctx, id1, StatusPartial, "contacts failed", []string{"w1", "w2"}, 4, 1, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := db.SetRunResumable(ctx, id1, false); err != nil {
		t.Fatal(err)
	}
	if err := db.SetRunTrigger(ctx, id1, TriggerScheduled); err != nil {
		t.Fatal(err)
	}
	id2, err := db.CreateRun(ctx, ModeIncremental, nil, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}

	want1 := Run{ID: id1, StartedAt: t0, FinishedAt: t0.Add(time.Minute), Status: StatusPartial, Mode: ModeFull,
		Objects: []string{"contacts", "deals"}, Error: "contacts failed", Warnings: []string{"w1", "w2"},
		APICalls: 4, Retries: 1, Trigger: TriggerScheduled, Streams: []StreamResult{streams[1], streams[0]}}
	want2 := Run{ID: id2, StartedAt: t0.Add(time.Hour), Status: StatusRunning, Mode: ModeIncremental,
		Objects: []string{}, Warnings: []string{}, Resumable: true, Trigger: TriggerManual, Streams: []StreamResult{}}

	got1, err := db.Run(ctx, id1)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got1, want1) {
		t.Errorf("Run(%d)\n got %+v\nwant %+v", id1, got1, want1)
	}
	for _, tc := range []struct {
		limit int
		want  []Run
	}{
		{10, []Run{want2, want1}},
		{0, []Run{want2, want1}},
		{1, []Run{want2}},
	} {
		runs, err := db.Runs(ctx, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(runs, tc.want) {
			t.Errorf("Runs(%d)\n got %+v\nwant %+v", tc.limit, runs, tc.want)
		}
	}
	latest, ok, err := db.LatestRun(ctx)
	if err != nil || !ok || !reflect.DeepEqual(latest, want2) {
		t.Errorf("LatestRun = %+v, %v, %v; want %+v", latest, ok, err, want2)
	}
	if _, err := db.Run(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Run(999) err = %v, want ErrNotFound", err)
	}
}

func TestRunsRejectBadInput(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	id, err := db.CreateRun(ctx, ModeFull, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"ErrMode", func() error { _, err := db.CreateRun(ctx, "sometimes", nil, time.Now()); return err }()},
		{"ErrStatus", db.FinishRun(ctx, id, "running", "", nil, 0, 0, time.Now())},
		{"ErrNoStart", func() error { _, err := db.CreateRun(ctx, ModeFull, nil, time.Time{}); return err }()},
		{"ErrNoFinish", db.FinishRun(ctx, id, StatusFailed, "", nil, 0, 0, time.Time{})},
		{"ErrUnknownRun", db.FinishRun(ctx, 999, StatusSucceeded, "", nil, 0, 0, time.Now())},
		{"ErrAbandonedStatus", func() error { _, err := db.MarkAbandonedRuns(ctx, "weird", ""); return err }()},
	} {
		if tc.err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}

func TestMarkAbandonedRuns(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	crashed, _ := db.CreateRun(ctx, ModeFull, []string{"contacts"}, t0)
	silent, _ := db.CreateRun(ctx, ModeFull, []string{"contacts"}, t0.Add(time.Hour))
	done, _ := db.CreateRun(ctx, ModeFull, []string{"contacts"}, t0.Add(2*time.Hour))
	if err := db.FinishRun(ctx, done, StatusSucceeded, "", nil, 1, 0, t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	inTx(t, db, func(tx *Tx) error {
		if err := tx.SaveCheckpoint(ctx, Checkpoint{RunID: crashed, Stream: "contacts", Cursor: "x", UpdatedAt: t0.Add(5 * time.Minute)}); err != nil {
			return err
		}
		return tx.SaveStreamResult(ctx, crashed, StreamResult{Stream: "contacts", Status: StatusRunning, HubSpotTotal: -1})
	})
	n, err := db.MarkAbandonedRuns(ctx, StatusInterrupted, "the app stopped during this run")
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("closed %d runs, want 2", n)
	}
	for _, tc := range []struct {
		id       int64
		status   string
		finished time.Time
		errMsg   string
	}{
		{crashed, StatusInterrupted, t0.Add(5 * time.Minute), "the app stopped during this run"},
		{silent, StatusInterrupted, t0.Add(time.Hour), "the app stopped during this run"},
		{done, StatusSucceeded, t0.Add(3 * time.Hour), ""},
	} {
		r, err := db.Run(ctx, tc.id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != tc.status || !r.FinishedAt.Equal(tc.finished) || r.Error != tc.errMsg {
			t.Errorf("run %d = %s at %v %q, want %s at %v %q", tc.id, r.Status, r.FinishedAt, r.Error,
				tc.status, tc.finished, tc.errMsg)
		}
		if tc.status == StatusInterrupted && !r.Resumable {
			t.Errorf("interrupted run %d is not resumable", tc.id)
		}
	}
	r, _ := db.Run(ctx, crashed)
	if r.Streams[0].Status != StatusInterrupted {
		t.Errorf("stream left %q, want %q", r.Streams[0].Status, StatusInterrupted)
	}
	if n, err := db.MarkAbandonedRuns(ctx, StatusInterrupted, "again"); err != nil || n != 0 {
		t.Errorf("second call closed %d (%v), want 0", n, err)
	}
}

// TestMigrate0005KeepsRunHistory upgrades a database of schema 0004 with a
// history in it: 0005 rebuilds runs (and the tables referencing it) to
// accept "interrupted", and every run, stream result and checkpoint stays,
// still tied to its run.
func TestMigrate0005KeepsRunHistory(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw := createAtVersion(t, path, 4)
	for _, q := range []string{
		`INSERT INTO runs (id, started_at, finished_at, status, mode, objects, error, warnings, api_calls, retries, resumable)
			VALUES (1, 1000, 2000, 'succeeded', 'full', '["contacts"]', '', '["w"]', 7, 1, 0),
			       (2, 3000, NULL, 'running', 'incremental', '["contacts"]', '', '[]', 3, 0, 1)`,
		`INSERT INTO run_streams (run_id, stream, status, records, api_calls, pages, hubspot_total)
			VALUES (1, 'contacts', 'succeeded', 10, 7, 1, 10), (2, 'contacts', 'running', 4, 3, 1, NULL)`,
		`INSERT INTO checkpoints (run_id, stream, cursor, done, updated_at) VALUES (2, 'contacts', 'c2', 0, 3500)`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db := upgrade(t, raw, path)
	if n, err := db.MarkAbandonedRuns(ctx, StatusInterrupted, "stopped"); err != nil || n != 1 {
		t.Fatalf("MarkAbandonedRuns closed %d runs (%v), want 1", n, err)
	}
	runs, err := db.Runs(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id                int64
		status, mode      string
		finished          int64
		calls, records    int64
		resumable         bool
		warnings, streams int
	}
	var got []row
	for _, r := range runs {
		var records int64
		for _, s := range r.Streams {
			records += s.Records
		}
		got = append(got, row{r.ID, r.Status, r.Mode, r.FinishedAt.UnixMilli(), r.APICalls, records, r.Resumable,
			len(r.Warnings), len(r.Streams)})
	}
	want := []row{
		{2, StatusInterrupted, ModeIncremental, 3500, 3, 4, true, 0, 1},
		{1, StatusSucceeded, ModeFull, 2000, 7, 10, false, 1, 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("runs after 0005:\n got %+v\nwant %+v", got, want)
	}
	if cps, err := db.Checkpoints(ctx, 2); err != nil || len(cps) != 1 || cps[0].Cursor != "c2" {
		t.Errorf("checkpoints of run 2: %+v (%v), want the one cursor c2", cps, err)
	}
	var violations int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM pragma_foreign_key_check`).Scan(&violations); err != nil || violations != 0 {
		t.Errorf("%d foreign key violations (%v)", violations, err)
	}
	// The references follow the renamed table: deleting a run deletes its rows.
	if _, err := db.SQL().Exec(`DELETE FROM runs WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := db.SQL().QueryRow(`SELECT (SELECT count(*) FROM run_streams WHERE run_id = 2) +
		(SELECT count(*) FROM checkpoints WHERE run_id = 2)`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d rows of the deleted run left (%v), want 0", left, err)
	}
}

func TestCheckpointsAndWatermarks(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	run, _ := db.CreateRun(ctx, ModeFull, nil, time.Now())
	t0 := time.Date(2025, 2, 3, 4, 5, 6, 7_000_000, time.UTC)
	inTx(t, db, func(tx *Tx) error {
		for _, cp := range []Checkpoint{
			{RunID: run, Stream: "deals", Cursor: "100", UpdatedAt: t0},
			{RunID: run, Stream: "contacts", Cursor: "50", UpdatedAt: t0},
			{RunID: run, Stream: "deals", Cursor: "", Done: true, UpdatedAt: t0.Add(time.Second)},
		} {
			if err := tx.SaveCheckpoint(ctx, cp); err != nil {
				return err
			}
		}
		return nil
	})
	got, err := db.Checkpoints(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	want := []Checkpoint{
		{RunID: run, Stream: "contacts", Cursor: "50", UpdatedAt: t0},
		{RunID: run, Stream: "deals", Cursor: "", Done: true, UpdatedAt: t0.Add(time.Second)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Checkpoints\n got %+v\nwant %+v", got, want)
	}
	// Without a time, the database's clock stamps it.
	inTx(t, db, func(tx *Tx) error { return tx.SaveCheckpoint(ctx, Checkpoint{RunID: run, Stream: "tickets"}) })
	got, _ = db.Checkpoints(ctx, run)
	if stamped := got[2].UpdatedAt; stamped.IsZero() || time.Since(stamped) > time.Hour {
		t.Errorf("default checkpoint time %v", stamped)
	}
	if err := db.TransactionContext(ctx, func(tx *Tx) error {
		return tx.SaveCheckpoint(ctx, Checkpoint{RunID: 999, Stream: "x"})
	}); err == nil {
		t.Error("checkpoint of an unknown run accepted (foreign keys off?)")
	}

	if _, ok, err := db.Watermark(ctx, "contacts"); err != nil || ok {
		t.Errorf("Watermark before any = %v, %v", ok, err)
	}
	for _, w := range []time.Time{t0, t0.Add(-time.Hour)} {
		inTx(t, db, func(tx *Tx) error { return tx.SetWatermark(ctx, "contacts", w, run) })
		got, ok, err := db.Watermark(ctx, "contacts")
		if err != nil || !ok || !got.Equal(w) {
			t.Errorf("Watermark = %v, %v, %v; want %v", got, ok, err, w)
		}
	}
	if err := db.TransactionContext(ctx, func(tx *Tx) error {
		return tx.SetWatermark(ctx, "contacts", time.Time{}, run)
	}); err == nil {
		t.Error("zero watermark accepted")
	}
}

// TestCreateRunInTransaction: a run created with its resume checkpoints in
// one transaction is there with all of them, or not at all.
func TestCreateRunInTransaction(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	started := time.UnixMilli(1_700_000_000_000)
	boom := errors.New("crash before commit")
	err := db.TransactionContext(ctx, func(tx *Tx) error {
		id, err := tx.CreateRun(ctx, ModeFull, []string{"contacts"}, started)
		if err != nil {
			return err
		}
		if err := tx.SaveCheckpoint(ctx, Checkpoint{RunID: id, Stream: "contacts", Cursor: "200"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("transaction: %v", err)
	}
	if runs, err := db.Runs(ctx, 0); err != nil || len(runs) != 0 {
		t.Fatalf("after a failed transaction: %d runs (%v), want none", len(runs), err)
	}

	var id int64
	if err := db.TransactionContext(ctx, func(tx *Tx) error {
		if id, err = tx.CreateRun(ctx, ModeFull, []string{"contacts"}, started); err != nil {
			return err
		}
		return tx.SaveCheckpoint(ctx, Checkpoint{RunID: id, Stream: "contacts", Cursor: "200"})
	}); err != nil {
		t.Fatal(err)
	}
	cps, err := db.Checkpoints(ctx, id)
	if err != nil || len(cps) != 1 || cps[0].Cursor != "200" {
		t.Fatalf("checkpoints of run %d: %+v (%v), want the one saved with it", id, cps, err)
	}
}

// TestAbandonedRunKeepsItsFigures: a run killed mid-way keeps the calls and
// retries its last page transaction saved, or, from a database written
// before runs saved them, its streams' sums.
func TestAbandonedRunKeepsItsFigures(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name           string
		figures        []int64 // calls, retries saved with the last page; nil: none
		streams        []StreamResult
		calls, retries int64
	}{
		{name: "saved with each page", figures: []int64{149, 3},
			streams: []StreamResult{{Stream: "contacts", Status: StatusRunning, APICalls: 60, Retries: 1, HubSpotTotal: -1},
				{Stream: "deals", Status: StatusSucceeded, APICalls: 80, Retries: 2, HubSpotTotal: -1}},
			calls: 149, retries: 3},
		{name: "only the streams'", figures: nil,
			streams: []StreamResult{{Stream: "contacts", Status: StatusRunning, APICalls: 60, Retries: 1, HubSpotTotal: -1},
				{Stream: "deals", Status: StatusSucceeded, APICalls: 80, Retries: 2, HubSpotTotal: -1}},
			calls: 140, retries: 3},
		{name: "nothing committed", calls: 0, retries: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := openTest(t)
			id, err := db.CreateRun(ctx, ModeFull, []string{"contacts", "deals"}, t0)
			if err != nil {
				t.Fatal(err)
			}
			if len(tc.streams) > 0 || tc.figures != nil {
				inTx(t, db, func(tx *Tx) error {
					for _, s := range tc.streams {
						if err := tx.SaveStreamResult(ctx, id, s); err != nil {
							return err
						}
					}
					if tc.figures == nil {
						return nil
					}
					return tx.SaveRunFigures(ctx, id, tc.figures[0], tc.figures[1])
				})
			}
			if n, err := db.MarkAbandonedRuns(ctx, StatusInterrupted, "killed"); err != nil || n != 1 {
				t.Fatalf("MarkAbandonedRuns closed %d runs (%v), want 1", n, err)
			}
			r, err := db.Run(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != StatusInterrupted || r.APICalls != tc.calls || r.Retries != tc.retries {
				t.Errorf("abandoned run: %s with %d calls, %d retries; want interrupted with %d, %d",
					r.Status, r.APICalls, r.Retries, tc.calls, tc.retries)
			}
		})
	}
}

func TestSaveRunFiguresNeedsTheRun(t *testing.T) {
	db := openTest(t)
	err := db.TransactionContext(context.Background(), func(tx *Tx) error {
		return tx.SaveRunFigures(context.Background(), 42, 1, 0)
	})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("figures of a run that does not exist: %v, want ErrNotFound", err)
	}
}
