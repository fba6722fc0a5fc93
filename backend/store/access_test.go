package store

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"
)

// TestUnavailable: a type is unavailable while the latest finished run
// that had it says so; a later run that read it, or a connection test
// after that run that found it readable, makes it available again. A run
// still going does not count.
func TestUnavailable(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	type stream struct{ name, status, scope string }
	type run struct {
		streams []stream
		running bool
	}
	tests := []struct {
		name   string
		runs   []run
		access map[string]bool // saved after the last run
		want   map[string]string
	}{
		{name: "NoRuns", want: map[string]string{}},
		{name: "FoundUnavailable",
			runs: []run{{streams: []stream{{"contacts", StatusSucceeded, ""}, {"tickets", StatusUnavailable, "tickets"}}}},
			want: map[string]string{"tickets": "tickets"}},
		{name: "LaterRunLeftItOut",
			runs: []run{{streams: []stream{{"tickets", StatusUnavailable, "tickets"}}},
				{streams: []stream{{"contacts", StatusSucceeded, ""}}}},
			want: map[string]string{"tickets": "tickets"}},
		{name: "LaterRunReadIt",
			runs: []run{{streams: []stream{{"tickets", StatusUnavailable, "tickets"}}},
				{streams: []stream{{"tickets", StatusSucceeded, ""}}}},
			want: map[string]string{}},
		{name: "RunningRunDoesNotCount",
			runs: []run{{streams: []stream{{"tickets", StatusUnavailable, "tickets"}}},
				{streams: []stream{{"tickets", StatusRunning, ""}}, running: true}},
			want: map[string]string{"tickets": "tickets"}},
		{name: "ConnectionFoundItReadable",
			runs:   []run{{streams: []stream{{"tickets", StatusUnavailable, "tickets"}, {"forms", StatusUnavailable, "forms"}}}},
			access: map[string]bool{"tickets": true, "forms": false},
			want:   map[string]string{"forms": "forms"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTest(t)
			at := t0
			for _, r := range tt.runs {
				id, err := db.CreateRun(ctx, ModeFull, nil, at)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range r.streams {
					if err := db.SaveStreamResult(ctx, id, StreamResult{Stream: s.name, Status: s.status, Scope: s.scope, HubSpotTotal: -1}); err != nil {
						t.Fatal(err)
					}
				}
				at = at.Add(time.Hour)
				if !r.running {
					if err := db.FinishRun(ctx, id, StatusSucceeded, "", nil, 1, 0, at); err != nil {
						t.Fatal(err)
					}
				}
			}
			if tt.access != nil {
				if err := db.SaveTypeAccess(ctx, tt.access, at.Add(time.Minute)); err != nil {
					t.Fatal(err)
				}
			}
			got, err := db.Unavailable(ctx)
			if err != nil {
				t.Fatal(err)
			}
			scopes := map[string]string{}
			for k, u := range got {
				scopes[k] = u.Scope
			}
			if !maps.Equal(scopes, tt.want) {
				t.Errorf("Unavailable = %v, want %v (%v)", scopes, tt.want, slices.Collect(maps.Keys(got)))
			}
		})
	}
}
