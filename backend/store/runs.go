package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Run statuses.
const (
	StatusRunning   = "running"
	StatusSucceeded = "succeeded"
	StatusPartial   = "partial"
	StatusFailed    = "failed"
	StatusCancelled = "cancelled"
	// StatusInterrupted: the process running it died (killed, crashed,
	// the computer switched off) before it could say how it ended; the
	// next extraction closes it so (MarkAbandonedRuns) and resumes it.
	StatusInterrupted = "interrupted"
	// StatusUnavailable is a stream's only: HubSpot refused the type's
	// first call for a scope the key lacks (StreamResult.Scope names it).
	// It does not lower the run's status, and the next runs leave the type
	// out of their default selection (Unavailable).
	StatusUnavailable = "unavailable"
)

// Run modes.
const (
	ModeFull        = "full"
	ModeIncremental = "incremental"
)

// What started a run (Run.Trigger).
const (
	TriggerManual    = "manual"    // a click in the app, a command typed
	TriggerScheduled = "scheduled" // the app's scheduler, or the job installed for when it is closed
)

// Run is one extraction, as shown in the run history.
type Run struct {
	ID         int64     `json:"id"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at,omitzero"` // zero while running
	Status     string    `json:"status"`
	Mode       string    `json:"mode"`
	Objects    []string  `json:"objects"` // the selection
	Error      string    `json:"error"`
	Warnings   []string  `json:"warnings"`
	APICalls   int64     `json:"api_calls"`
	Retries    int64     `json:"retries"`
	Resumable  bool      `json:"resumable"` // the next run of the same selection resumes it; true while running
	// Trigger is what started it: TriggerManual or TriggerScheduled.
	Trigger string         `json:"trigger"`
	Streams []StreamResult `json:"streams"` // sorted by stream
}

// StreamResult is what one run did for one stream (object type).
type StreamResult struct {
	Stream   string `json:"stream"`
	Status   string `json:"status"`
	Records  int64  `json:"records"`
	Failed   int64  `json:"failed"`
	APICalls int64  `json:"api_calls"`
	// ExemptCalls are the calls among APICalls that HubSpot does not
	// charge to its ten-second limit.
	ExemptCalls  int64   `json:"exempt_calls"`
	Pages        int64   `json:"pages"`
	Retries      int64   `json:"retries"`
	Seconds      float64 `json:"seconds"`
	HubSpotTotal int64   `json:"hubspot_total"` // -1: unknown
	Error        string  `json:"error"`
	// Scope is, for an unavailable stream, the scope that would add it.
	Scope string `json:"scope"`
}

// CreateRun records a run starting now, in status running, and returns its id.
func (db *DB) CreateRun(ctx context.Context, mode string, objects []string, started time.Time) (int64, error) {
	var id int64
	err := db.TransactionContext(ctx, func(tx *Tx) error {
		var err error
		id, err = tx.CreateRun(ctx, mode, objects, started)
		return err
	})
	return id, err
}

// CreateRun records a run inside a transaction, so that what the run starts
// from (a resumed run's checkpoints) is written with it or not at all.
func (tx *Tx) CreateRun(ctx context.Context, mode string, objects []string, started time.Time) (int64, error) {
	if started.IsZero() {
		return 0, fmt.Errorf("create run: no start time")
	}
	if mode != ModeFull && mode != ModeIncremental {
		return 0, fmt.Errorf("create run: unknown mode %q (want %s or %s)", mode, ModeFull, ModeIncremental)
	}
	objs, err := marshalList(objects)
	if err != nil {
		return 0, fmt.Errorf("create run: %w", err)
	}
	res, err := tx.tx.ExecContext(ctx, `INSERT INTO runs (started_at, status, mode, objects)
		VALUES (?, 'running', ?, ?)`, started.UnixMilli(), mode, objs)
	if err != nil {
		return 0, classify(fmt.Errorf("create run: %w", err))
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("create run: %w", err)
	}
	return id, nil
}

// FinishRun records how a run ended.
func (db *DB) FinishRun(ctx context.Context, id int64, status, errMsg string, warnings []string, apiCalls, retries int64, finished time.Time) error {
	if err := checkFinalStatus(status); err != nil {
		return fmt.Errorf("finish run %d: %w", id, err)
	}
	if finished.IsZero() {
		return fmt.Errorf("finish run %d: no finish time", id)
	}
	warns, err := marshalList(warnings)
	if err != nil {
		return fmt.Errorf("finish run %d: %w", id, err)
	}
	res, err := db.exec(ctx, `UPDATE runs SET finished_at = ?, status = ?, error = ?,
		warnings = ?, api_calls = ?, retries = ? WHERE id = ?`,
		toMillis(finished), status, errMsg, warns, apiCalls, retries, id)
	if err != nil {
		return classify(fmt.Errorf("finish run %d: %w", id, err))
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("finish run %d: %w", id, ErrNotFound)
	}
	return nil
}

func checkFinalStatus(status string) error {
	switch status {
	case StatusSucceeded, StatusPartial, StatusFailed, StatusCancelled, StatusInterrupted:
		return nil
	}
	return fmt.Errorf("status %q is not a final run status", status)
}

// SaveRunFigures records, inside a page's transaction, the API calls and
// retries a run has made so far, so that a run killed mid-way (SIGKILL, a
// power cut) still shows in the history what it spent of the account's
// daily allowance, up to its last committed page. The run's records and
// pages need no such row: they are the sums of its streams', which move in
// the same transactions. FinishRun records the final figures.
func (tx *Tx) SaveRunFigures(ctx context.Context, runID, apiCalls, retries int64) error {
	res, err := tx.execCached(ctx, `UPDATE runs SET api_calls = ?, retries = ? WHERE id = ?`, apiCalls, retries, runID)
	if err != nil {
		return fmt.Errorf("save figures of run %d: %w", runID, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("save figures of run %d: %w", runID, ErrNotFound)
	}
	return nil
}

// MarkAbandonedRuns closes the runs still marked running, with status
// (StatusInterrupted for an extraction) and msg. Only the process holding
// the database's extraction lock may call it, once it holds it (extract.Run
// does): a run still marked running is then certainly left over from a
// process that crashed or was killed, never one still going. Their finish
// time is their last sign of life (last checkpoint, else the start);
// their figures are the last ones a page transaction saved, and never less
// than their streams' sums (a database written before run figures were
// saved with each page has only the streams'). It returns how many runs it
// closed.
func (db *DB) MarkAbandonedRuns(ctx context.Context, status string, msg string) (int64, error) {
	if err := checkFinalStatus(status); err != nil {
		return 0, fmt.Errorf("mark abandoned runs: %w", err)
	}
	var n int64
	err := db.TransactionContext(ctx, func(tx *Tx) error {
		if _, err := tx.tx.ExecContext(ctx, `UPDATE run_streams SET status = ?
			WHERE status = 'running' AND run_id IN (SELECT id FROM runs WHERE status = 'running')`, status); err != nil {
			return err
		}
		res, err := tx.tx.ExecContext(ctx, `UPDATE runs SET status = ?,
			error = CASE WHEN error = '' THEN ? ELSE error END,
			finished_at = coalesce((SELECT max(updated_at) FROM checkpoints WHERE run_id = runs.id), started_at),
			api_calls = max(api_calls, (SELECT coalesce(sum(api_calls), 0) FROM run_streams WHERE run_id = runs.id)),
			retries = max(retries, (SELECT coalesce(sum(retries), 0) FROM run_streams WHERE run_id = runs.id))
			WHERE status = 'running'`, status, msg)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("mark abandoned runs: %w", err)
	}
	return n, nil
}

const saveStreamSQL = `INSERT INTO run_streams (run_id, stream, status, records, failed, api_calls,
		pages, retries, seconds, hubspot_total, error, missing_scope, exempt_calls)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (run_id, stream) DO UPDATE SET status = excluded.status, records = excluded.records,
		failed = excluded.failed, api_calls = excluded.api_calls, exempt_calls = excluded.exempt_calls, pages = excluded.pages,
		retries = excluded.retries, seconds = excluded.seconds,
		hubspot_total = excluded.hubspot_total, error = excluded.error, missing_scope = excluded.missing_scope`

func streamArgs(runID int64, r StreamResult) []any {
	var total any
	if r.HubSpotTotal >= 0 {
		total = r.HubSpotTotal
	}
	return []any{runID, r.Stream, r.Status, r.Records, r.Failed, r.APICalls, r.Pages, r.Retries,
		r.Seconds, total, r.Error, r.Scope, r.ExemptCalls}
}

// SaveStreamResult records (or replaces) one stream's result within a run.
func (db *DB) SaveStreamResult(ctx context.Context, runID int64, r StreamResult) error {
	if _, err := db.exec(ctx, saveStreamSQL, streamArgs(runID, r)...); err != nil {
		return classify(fmt.Errorf("save run %d stream %s: %w", runID, r.Stream, err))
	}
	return nil
}

// SaveStreamResult is DB.SaveStreamResult inside a page's transaction, so the
// counts move together with the data they count.
func (tx *Tx) SaveStreamResult(ctx context.Context, runID int64, r StreamResult) error {
	if _, err := tx.execCached(ctx, saveStreamSQL, streamArgs(runID, r)...); err != nil {
		return fmt.Errorf("save run %d stream %s: %w", runID, r.Stream, err)
	}
	return nil
}

// Runs lists the latest limit runs (all when limit <= 0), newest first, with
// their streams.
func (db *DB) Runs(ctx context.Context, limit int) ([]Run, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	runs, err := db.readRuns(ctx, `ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return runs, nil
}

// Run reads one run; ErrNotFound when there is none with that id.
func (db *DB) Run(ctx context.Context, id int64) (Run, error) {
	runs, err := db.readRuns(ctx, `WHERE id = ?`, id)
	if err != nil {
		return Run{}, fmt.Errorf("read run %d: %w", id, err)
	}
	if len(runs) == 0 {
		return Run{}, fmt.Errorf("read run %d: %w", id, ErrNotFound)
	}
	return runs[0], nil
}

// LatestRun reads the newest run; false when no run was ever made.
func (db *DB) LatestRun(ctx context.Context) (Run, bool, error) {
	runs, err := db.Runs(ctx, 1)
	if err != nil || len(runs) == 0 {
		return Run{}, false, err
	}
	return runs[0], true, nil
}

func (db *DB) readRuns(ctx context.Context, tail string, args ...any) ([]Run, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, started_at, finished_at, status, mode, objects,
		error, warnings, api_calls, retries, resumable, trigger FROM runs `+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	runs := []Run{}
	byID := map[int64]int{}
	for rows.Next() {
		var (
			r                 Run
			started, finished sql.NullInt64
			objects, warnings string
		)
		if err := rows.Scan(&r.ID, &started, &finished, &r.Status, &r.Mode, &objects, &r.Error,
			&warnings, &r.APICalls, &r.Retries, &r.Resumable, &r.Trigger); err != nil {
			return nil, err
		}
		r.StartedAt, r.FinishedAt = fromMillis(started), fromMillis(finished)
		if err := errors.Join(json.Unmarshal([]byte(objects), &r.Objects),
			json.Unmarshal([]byte(warnings), &r.Warnings)); err != nil {
			return nil, fmt.Errorf("run %d: %w", r.ID, err)
		}
		r.Streams = []StreamResult{}
		byID[r.ID] = len(runs)
		runs = append(runs, r)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	if len(runs) == 0 {
		return runs, nil
	}
	ids, err := json.Marshal(slices.Collect(maps.Keys(byID)))
	if err != nil {
		return nil, err
	}
	srows, err := db.db.QueryContext(ctx, `SELECT run_id, stream, status, records, failed, api_calls,
		pages, retries, seconds, hubspot_total, error, missing_scope, exempt_calls FROM run_streams
		WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, stream`, string(ids))
	if err != nil {
		return nil, err
	}
	defer srows.Close()
	for srows.Next() {
		var (
			runID int64
			s     StreamResult
			total sql.NullInt64
		)
		if err := srows.Scan(&runID, &s.Stream, &s.Status, &s.Records, &s.Failed, &s.APICalls,
			&s.Pages, &s.Retries, &s.Seconds, &total, &s.Error, &s.Scope, &s.ExemptCalls); err != nil {
			return nil, err
		}
		s.HubSpotTotal = -1
		if total.Valid {
			s.HubSpotTotal = total.Int64
		}
		i := byID[runID]
		runs[i].Streams = append(runs[i].Streams, s)
	}
	return runs, srows.Err()
}

// SetRunTrigger records what started run id (TriggerManual or
// TriggerScheduled). The engine creates runs without knowing; the caller
// that scheduled one says so once the run's id is known.
func (db *DB) SetRunTrigger(ctx context.Context, id int64, trigger string) error {
	if trigger != TriggerManual && trigger != TriggerScheduled {
		return fmt.Errorf("set trigger of run %d: unknown trigger %q", id, trigger)
	}
	res, err := db.exec(ctx, `UPDATE runs SET trigger = ? WHERE id = ?`, trigger, id)
	if err != nil {
		return classify(fmt.Errorf("set trigger of run %d: %w", id, err))
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("set trigger of run %d: %w", id, ErrNotFound)
	}
	return nil
}

// SkippedSlot is a scheduled run that did not happen because another
// extraction held the database's lock.
type SkippedSlot struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	Trigger string    `json:"trigger"`
	Reason  string    `json:"reason"`
}

// RecordSkippedSlot notes a scheduled slot that did not run, and why. It
// writes nothing the running extraction reads.
func (db *DB) RecordSkippedSlot(ctx context.Context, at time.Time, trigger, reason string) error {
	if _, err := db.exec(ctx, `INSERT INTO skipped_slots (at, trigger, reason) VALUES (?, ?, ?)`,
		at.UnixMilli(), trigger, reason); err != nil {
		return classify(fmt.Errorf("record a skipped slot: %w", err))
	}
	return nil
}

// SkippedSlots lists the latest limit skipped slots (all when limit <= 0),
// newest first.
func (db *DB) SkippedSlots(ctx context.Context, limit int) ([]SkippedSlot, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := db.db.QueryContext(ctx, `SELECT id, at, trigger, reason FROM skipped_slots ORDER BY at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list skipped slots: %w", err)
	}
	defer rows.Close()
	out := []SkippedSlot{}
	for rows.Next() {
		var (
			s  SkippedSlot
			at int64
		)
		if err := rows.Scan(&s.ID, &at, &s.Trigger, &s.Reason); err != nil {
			return nil, fmt.Errorf("list skipped slots: %w", err)
		}
		s.At = time.UnixMilli(at).UTC()
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list skipped slots: %w", err)
	}
	return out, nil
}

// marshalList stores a string list as a JSON array, [] for nil.
func marshalList(list []string) (string, error) {
	if list == nil {
		list = []string{}
	}
	b, err := json.Marshal(list)
	return string(b), err
}
