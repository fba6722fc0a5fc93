package bench

import (
	"bytes"
	"math"
	"testing"

	"github.com/google/pprof/profile"
)

// TestShares divides a made-up CPU profile: each sample goes to the first
// part any frame of its stack is in, in the parts' order; what none
// claims is "other"; the shares add up to the whole.
func TestShares(t *testing.T) {
	funcs := map[string]*profile.Function{}
	var locs []*profile.Location
	fn := func(name string) *profile.Location {
		f := funcs[name]
		if f == nil {
			f = &profile.Function{ID: uint64(len(funcs) + 1), Name: name}
			funcs[name] = f
		}
		l := &profile.Location{ID: uint64(len(locs) + 1), Line: []profile.Line{{Function: f}}}
		locs = append(locs, l)
		return l
	}
	// Stacks leaf first, as pprof records them, with their CPU time in ms
	// (100 in all).
	stacks := []struct {
		frames []string
		ms     int64
	}{
		{[]string{"modernc.org/sqlite/lib._fts5FlushOneHash", "modernc.org/sqlite/lib._sqlite3VdbeExec", "hubextract/backend/store.(*Tx).UpsertRecords"}, 40},
		{[]string{"syscall.Syscall6", "modernc.org/sqlite/lib._unixWrite", "hubextract/backend/store.(*Tx).Commit"}, 20},
		{[]string{"encoding/json.(*decodeState).object", "hubextract/backend/hubspot.(*Client).do"}, 15},
		{[]string{"syscall.Syscall6", "internal/poll.(*FD).Read", "net/http.(*persistConn).readLoop"}, 10},
		{[]string{"runtime.scanobject", "runtime.gcBgMarkWorker"}, 10},
		{[]string{"hubextract/backend/extract.(*engine).run"}, 5},
	}
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		Period:     10_000_000, PeriodType: &profile.ValueType{Type: "cpu", Unit: "nanoseconds"},
	}
	for _, s := range stacks {
		var stack []*profile.Location
		for _, f := range s.frames {
			stack = append(stack, fn(f))
		}
		p.Sample = append(p.Sample, &profile.Sample{Location: stack, Value: []int64{s.ms / 10, s.ms * 1e6}})
	}
	for _, f := range funcs {
		p.Function = append(p.Function, f)
	}
	p.Location = locs
	var buf bytes.Buffer
	if err := p.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := shares(buf.Bytes(), ingestParts)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{
		ingestParts[0].name: 0.40, // the search index, though inside SQLite
		ingestParts[1].name: 0.20, // an SQLite file write, though a system call
		ingestParts[2].name: 0.15,
		ingestParts[3].name: 0.10,
		ingestParts[4].name: 0.10,
		otherPart:           0.05,
	}
	if len(got) != len(want) {
		t.Fatalf("%d parts, want %d: %+v", len(got), len(want), got)
	}
	var sum float64
	for _, s := range got {
		if math.Abs(s.Share-want[s.Part]) > 1e-9 || math.Abs(s.Seconds-want[s.Part]*0.1) > 1e-9 {
			t.Errorf("%s: %.3f s, share %.3f; want %.2f", s.Part, s.Seconds, s.Share, want[s.Part])
		}
		sum += s.Share
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("shares add up to %f", sum)
	}
	if _, err := shares([]byte("not a profile"), ingestParts); err == nil {
		t.Error("a file that is no profile was read")
	}
}
