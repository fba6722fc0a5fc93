package store

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// TestHistoryStoredOnce: entries added twice (a record's history read
// again by an incremental run, with one new entry) are stored once each;
// one property's history reads newest first; the counts per property, the
// types with history and the export order (by numeric id, property, oldest
// first) follow.
func TestHistoryStoredOnce(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	t0 := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	e := func(id, prop, value string, min int, src string, user int64) HistoryEntry {
		return HistoryEntry{Type: "contacts", ID: id, Property: prop, Value: value, Timestamp: t0.Add(time.Duration(min) * time.Minute),
			SourceType: src, SourceID: map[bool]string{true: "userId:7"}[user != 0], UpdatedByUserID: user}
	}
	first := []HistoryEntry{
		e("10", "email", "old@b.c", 0, "IMPORT", 0),
		e("10", "email", "new@b.c", 5, "CRM_UI", 7),
		e("10", "phone", "1", 0, "API", 0),
		e("9", "email", "x@y.z", 1, "INTEGRATION", 0),
		{Type: "deals", ID: "1", Property: "amount", Value: "", Timestamp: t0, SourceType: "CALCULATED", SourceLabel: "Rollup"},
	}
	again := append(append([]HistoryEntry(nil), first...), e("10", "email", "newest@b.c", 9, "CRM_UI", 7))
	for _, batch := range [][]HistoryEntry{first, again} {
		if err := db.TransactionContext(ctx, func(tx *Tx) error { return tx.AddHistory(ctx, batch) }); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name      string
		typ, id   string
		property  string
		wantTimes []int // minutes, newest first
	}{
		{name: "ThreeValues", typ: "contacts", id: "10", property: "email", wantTimes: []int{9, 5, 0}},
		{name: "OneValue", typ: "contacts", id: "10", property: "phone", wantTimes: []int{0}},
		{name: "None", typ: "contacts", id: "10", property: "jobtitle", wantTimes: nil},
		{name: "OtherType", typ: "deals", id: "1", property: "amount", wantTimes: []int{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.PropertyHistory(ctx, tt.typ, tt.id, tt.property)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.wantTimes) {
				t.Fatalf("%d entries %+v, want %d", len(got), got, len(tt.wantTimes))
			}
			for i, m := range tt.wantTimes {
				if !got[i].Timestamp.Equal(t0.Add(time.Duration(m) * time.Minute)) {
					t.Errorf("entry %d at %v, want +%d min", i, got[i].Timestamp, m)
				}
			}
		})
	}
	newest, _ := db.PropertyHistory(ctx, "contacts", "10", "email")
	if w := e("10", "email", "newest@b.c", 9, "CRM_UI", 7); !reflect.DeepEqual(newest[0], w) {
		t.Errorf("newest entry %+v, want %+v", newest[0], w)
	}
	if d, _ := db.PropertyHistory(ctx, "deals", "1", "amount"); d[0].SourceLabel != "Rollup" || d[0].UpdatedByUserID != 0 {
		t.Errorf("deal entry %+v", d[0])
	}
	counts, err := db.HistoryCounts(ctx, "contacts", "10")
	if err != nil || !reflect.DeepEqual(counts, map[string]int{"email": 3, "phone": 1}) {
		t.Errorf("counts %v (%v)", counts, err)
	}
	if n, err := db.CountHistory(ctx, "contacts"); n != 5 || err != nil {
		t.Errorf("count %d (%v), want 5", n, err)
	}
	var order []string
	for h, err := range db.EachHistory(ctx, "contacts") {
		if err != nil {
			t.Fatal(err)
		}
		order = append(order, h.ID+" "+h.Property+" "+h.Value)
	}
	want := []string{"9 email x@y.z", "10 email old@b.c", "10 email new@b.c", "10 email newest@b.c", "10 phone 1"}
	if !reflect.DeepEqual(order, want) {
		t.Errorf("export order %q, want %q", order, want)
	}
}
