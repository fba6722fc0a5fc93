package store

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestUpsertRecordTwiceKeepsOneRow(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	t0 := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	first := Record{Type: "contacts", ID: "9007199254740993", CreatedAt: t0, UpdatedAt: t0,
		Properties: map[string]*string{"email": str("old@example.com"), "phone": str("1")}}
	second := Record{Type: "contacts", ID: "9007199254740993", CreatedAt: t0, UpdatedAt: t0.Add(time.Hour),
		Properties: map[string]*string{"email": str("new@example.com"), "phone": nil}}
	inTx(t, db, func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, []Record{first}) })
	var rowidBefore int64
	if err := db.SQL().QueryRow(`SELECT rowid FROM records`).Scan(&rowidBefore); err != nil {
		t.Fatal(err)
	}
	inTx(t, db, func(tx *Tx) error { return tx.UpsertRecords(ctx, 2, []Record{second}) })

	var n int
	var rowidAfter int64
	if err := db.SQL().QueryRow(`SELECT count(*), max(rowid) FROM records`).Scan(&n, &rowidAfter); err != nil {
		t.Fatal(err)
	}
	if n != 1 || rowidAfter != rowidBefore {
		t.Fatalf("%d rows (rowid %d -> %d), want 1 row with its rowid kept", n, rowidBefore, rowidAfter)
	}
	got, err := db.Record(ctx, "contacts", "9007199254740993")
	if err != nil {
		t.Fatal(err)
	}
	want := second
	want.RunID = 2
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	// The index follows the update: the old text is gone, the new is found.
	for word, wantHits := range map[string]int{"old": 0, "new": 1} {
		recs, _, err := db.RecordsPage(ctx, RecordQuery{Type: "contacts", Search: word})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != wantHits {
			t.Errorf("search %q: %d hits, want %d", word, len(recs), wantHits)
		}
	}
}

func TestFailedTransactionLeavesNothing(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	runID, err := db.CreateRun(ctx, ModeFull, []string{"contacts"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	err = db.TransactionContext(ctx, func(tx *Tx) error {
		if err := tx.UpsertRecords(ctx, runID, []Record{{Type: "contacts", ID: "1"}, {Type: "contacts", ID: "2"}}); err != nil {
			return err
		}
		if err := tx.SaveCheckpoint(ctx, Checkpoint{RunID: runID, Stream: "contacts", Cursor: "after-2"}); err != nil {
			return err
		}
		if err := tx.ReplaceAssociations(ctx, "contacts", []string{"1"}, []string{"companies"},
			[]Association{{FromType: "contacts", FromID: "1", ToType: "companies", ToID: "5"}}); err != nil {
			return err
		}
		// The third record is invalid: the whole page must go.
		return tx.UpsertRecords(ctx, runID, []Record{{Type: "contacts"}})
	})
	if err == nil || !strings.Contains(err.Error(), "needs both a type and an id") {
		t.Fatalf("err = %v, want the invalid record refused", err)
	}
	for _, table := range []string{"records", "records_fts", "checkpoints", "associations"} {
		var n int
		if err := db.SQL().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s has %d rows after the rollback", table, n)
		}
	}
}

// TestArchivedPassTurnsARecordArchived: the archived pass writes a record
// already stored as active with UpsertRecords, archived; it turns archived in
// place, and CountRecords splits each type by archived.
func TestArchivedPassTurnsARecordArchived(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	inTx(t, db, func(tx *Tx) error {
		return tx.UpsertRecords(ctx, 1, []Record{{Type: "deals", ID: "1"}, {Type: "deals", ID: "2"}, {Type: "tickets", ID: "1"}})
	})
	at := time.Date(2025, 1, 2, 3, 4, 5, 6_000_000, time.UTC)
	inTx(t, db, func(tx *Tx) error {
		return tx.UpsertRecords(ctx, 2, []Record{{Type: "deals", ID: "1", Archived: true, ArchivedAt: at}})
	})

	for _, tc := range []struct {
		typ, id  string
		archived bool
		runID    int64
	}{
		{"deals", "1", true, 2},
		{"deals", "2", false, 1},
		{"tickets", "1", false, 1},
	} {
		r, err := db.Record(ctx, tc.typ, tc.id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Archived != tc.archived || r.RunID != tc.runID || (tc.archived && !r.ArchivedAt.Equal(at)) || (!tc.archived && !r.ArchivedAt.IsZero()) {
			t.Errorf("%s %s: archived %v at %v by run %d, want archived %v by run %d", tc.typ, tc.id, r.Archived, r.ArchivedAt, r.RunID, tc.archived, tc.runID)
		}
	}
	for _, tc := range []struct {
		typ              string
		active, archived int64
	}{
		{"deals", 1, 1},
		{"tickets", 1, 0},
		{"contacts", 0, 0},
	} {
		active, archived, err := db.CountRecords(ctx, tc.typ)
		if err != nil {
			t.Fatal(err)
		}
		if active != tc.active || archived != tc.archived {
			t.Errorf("CountRecords(%s) = %d active %d archived, want %d and %d", tc.typ, active, archived, tc.active, tc.archived)
		}
	}
}

func TestEachRecordNumericOrder(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	ids := []string{"10", "9", "100", "2", "18446744073709551615", "1"}
	var recs []Record
	for _, id := range ids {
		recs = append(recs, Record{Type: "companies", ID: id})
	}
	recs = append(recs, Record{Type: "contacts", ID: "3"})
	inTx(t, db, func(tx *Tx) error { return tx.UpsertRecords(ctx, 1, recs) })

	var got []string
	if err := db.EachRecord(ctx, "companies", func(r Record) error {
		got = append(got, r.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"1", "2", "9", "10", "100", "18446744073709551615"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}

	stop := errors.New("stop")
	calls := 0
	err := db.EachRecord(ctx, "companies", func(Record) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("err = %v after %d calls, want stop after 1", err, calls)
	}
}

func TestEachRecordUsesIndex(t *testing.T) {
	db := openTest(t)
	plan := queryPlan(t, db, `SELECT `+recordColumns+` FROM records
		WHERE object_type = 'x' ORDER BY length(id), id`)
	joined := strings.Join(plan, "; ")
	if strings.Contains(joined, "TEMP B-TREE") || !strings.Contains(joined, "records_type_numeric_id") {
		t.Errorf("EachRecord sorts instead of streaming an index: %s", joined)
	}
}

func TestUpsertRecordsRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	t0 := time.UnixMilli(1_700_000_000_123).UTC()
	for i, want := range []Record{
		{Type: "notes", ID: "1", Properties: map[string]*string{}},
		{Type: "notes", ID: "2", Properties: map[string]*string{"hs_note_body": str("<p>héllo</p>"), "x": nil},
			CreatedAt: t0, UpdatedAt: t0, Archived: true, ArchivedAt: t0},
	} {
		inTx(t, db, func(tx *Tx) error { return tx.UpsertRecords(ctx, int64(i+1), []Record{want}) })
		got, err := db.Record(ctx, want.Type, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		want.RunID = int64(i + 1)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v\nwant %+v", got, want)
		}
	}
	if _, err := db.Record(ctx, "notes", strconv.Itoa(99)); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing record: err = %v, want ErrNotFound", err)
	}
}
