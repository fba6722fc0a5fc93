package extract

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/progress"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// t0 starts every fake clock: the fake's data depends on it.
var t0 = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

// fixture is a fake HubSpot on virtual time and the figures of its data.
type fixture struct {
	t    *testing.T
	cfg  fakehub.Config
	fake *fakehub.Server
	url  string
	clk  *testkit.Clock
}

func newFixture(t *testing.T, cfg fakehub.Config) *fixture {
	t.Helper()
	clk := testkit.NewClock(t0)
	cfg.Clock = clk
	if cfg.Seed == 0 {
		cfg.Seed = 7
	}
	// Fewer forms and events than a demo portal: enough to cover paging.
	if cfg.Forms == 0 {
		cfg.Forms = 3
	}
	if cfg.EmailEvents == 0 {
		cfg.EmailEvents = 1100
	}
	fake := fakehub.New(cfg)
	url := testkit.Serve(t, fake)
	return &fixture{t: t, cfg: cfg, fake: fake, url: url, clk: clk}
}

// run extracts into db with fast retries on the fixture's clock.
func (f *fixture) run(ctx context.Context, db *store.DB, opts Options) Result {
	f.t.Helper()
	if opts.Client == nil {
		opts.Client = hubspot.New("demo-token", hubspot.WithBaseURL(f.url), hubspot.WithClock(f.clk))
	}
	res, err := Run(ctx, db, opts)
	if err != nil {
		f.t.Fatalf("Run: %v", err)
	}
	return res
}

// checkTruth compares the stored records (ids, archived flags, every
// property, timestamps) and association pairs of the CRM types among types,
// and the forms, submissions and email events when selected, with the
// fake's ground truth. Pairs with a type in unreadable are left out: the
// key may not read them (a run notes what it could not complete).
func checkTruth(t *testing.T, db *store.DB, tr *fakehub.Truth, types []string, unreadable ...string) {
	t.Helper()
	ctx := context.Background()
	checkMarketing(t, db, tr, types)
	types = slices.DeleteFunc(slices.Clone(types), func(s string) bool { return !catalog.IsCRM(s) })
	for _, typ := range types {
		var active, archived []string
		err := db.EachRecord(ctx, typ, func(r store.Record) error {
			props, created, updated, arch, ok := tr.Record(typ, r.ID)
			switch {
			case !ok:
				return fmt.Errorf("%s %s stored but unknown to HubSpot", typ, r.ID)
			case arch != r.Archived:
				return fmt.Errorf("%s %s archived=%v, HubSpot says %v", typ, r.ID, r.Archived, arch)
			case !created.Equal(r.CreatedAt) || !updated.Equal(r.UpdatedAt):
				return fmt.Errorf("%s %s times %v/%v, HubSpot says %v/%v", typ, r.ID, r.CreatedAt, r.UpdatedAt, created, updated)
			}
			got, _ := json.Marshal(r.Properties)
			want, _ := json.Marshal(props)
			if string(got) != string(want) {
				return fmt.Errorf("%s %s properties differ:\n got %s\nwant %s", typ, r.ID, got, want)
			}
			if r.Archived {
				archived = append(archived, r.ID)
			} else {
				active = append(active, r.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		sameIDs(t, typ+" active", active, tr.IDs(typ, false))
		sameIDs(t, typ+" archived", archived, tr.IDs(typ, true))
	}
	for _, g := range pairsToCheck(types) {
		if slices.Contains(unreadable, g.from) || slices.Contains(unreadable, g.to) {
			continue
		}
		want := map[[2]string]bool{}
		for _, p := range tr.Pairs(g.from, g.to) {
			want[p] = true
		}
		got := storedPairs(t, db, g.from, g.to)
		if len(got) != len(want) {
			t.Errorf("%s↔%s: %d pairs stored, HubSpot has %d", g.from, g.to, len(got), len(want))
		}
		missing, extra := 0, 0
		for p := range want {
			if !got[p] {
				missing++
			}
		}
		for p := range got {
			if !want[p] {
				extra++
			}
		}
		if missing+extra > 0 {
			t.Errorf("%s↔%s: %d pairs missing, %d extra", g.from, g.to, missing, extra)
		}
	}
}

// checkMarketing compares the stored forms, the submissions of every form
// and the email events created before the email_events watermark (the
// window's end) with the truth, each when selected.
func checkMarketing(t *testing.T, db *store.DB, tr *fakehub.Truth, types []string) {
	t.Helper()
	ctx := context.Background()
	if slices.Contains(types, catalog.Forms) || slices.Contains(types, catalog.FormSubmissions) {
		forms, err := db.Forms(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, f := range forms {
			ids = append(ids, f.ID)
		}
		sameIDs(t, "forms", ids, append(tr.Forms(), tr.ArchivedForms()...))
	}
	if slices.Contains(types, catalog.FormSubmissions) {
		for _, id := range append(tr.Forms(), tr.ArchivedForms()...) {
			if got, err := db.CountFormSubmissions(ctx, id); err != nil || got != int64(tr.Submissions(id)) {
				t.Errorf("form %s: %d submissions stored (%v), HubSpot has %d", id, got, err, tr.Submissions(id))
			}
		}
	}
	if slices.Contains(types, catalog.EmailEvents) {
		wms, err := db.Watermarks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wm, ok := wms[catalog.EmailEvents]
		if !ok {
			t.Fatal("no email_events watermark")
		}
		var ids []string
		err = db.EachEmailEvent(ctx, func(e store.EmailEvent) error {
			ids = append(ids, e.ID)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		sameIDs(t, "email events", ids, tr.EmailEventIDs(time.UnixMilli(0), wm.Value.Add(-time.Millisecond)))
	}
}

// pairsToCheck lists each relation read inline by a selected type once.
func pairsToCheck(types []string) []direction {
	var out []direction
	seen := map[direction]bool{}
	for _, a := range types {
		for _, b := range catalog.Inline(a) {
			if !seen[direction{b, a}] {
				seen[direction{a, b}] = true
				out = append(out, direction{a, b})
			}
		}
	}
	return out
}

// storedPairs reads the pairs between two types from both directions of
// the table, oriented from → to.
func storedPairs(t *testing.T, db *store.DB, from, to string) map[[2]string]bool {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT from_id, to_id FROM associations WHERE from_type = ? AND to_type = ?
		UNION SELECT to_id, from_id FROM associations WHERE from_type = ? AND to_type = ?`, from, to, to, from)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[[2]string]bool{}
	for rows.Next() {
		var p [2]string
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			t.Fatal(err)
		}
		out[p] = true
	}
	return out
}

func sameIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	got, want = slices.Clone(got), slices.Clone(want)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s: %d ids stored, HubSpot has %d (first stored %v, first expected %v)",
			what, len(got), len(want), head(got), head(want))
	}
}

func head(s []string) []string { return s[:min(len(s), 3)] }

// minimumCalls is the formula computed from the ground truth: per
// type one properties call (two more, sensitive and highly sensitive, for
// a type that has them), one planning call when its first page is not its
// last (more than 100 active records), and ceil(records/100) list
// pages (at least one) for the active and the archived records (each page
// also a batch read when the properties do not fit a URL); owners pages of
// 500, active and archived; a pipelines call per selected type that has
// them; and the v4 batch reads completing the overflowed side of each
// relation: per 1,000 ids, as many calls as the longest association list
// needs pages. Marketing: the forms list in pages of 100, per form its
// submissions in pages of 50 (at least one), the email events in pages of
// 1,000 (at least one).
func minimumCalls(tr *fakehub.Truth, cfg fakehub.Config, types []string, batchMode bool) int {
	pages := func(n, size int) int { return max(1, (n+size-1)/size) }
	perPage := 1
	if batchMode {
		perPage = 2
	}
	listCalls := func(n int) int {
		if n == 0 {
			return 1
		}
		return pages(n, 100) * perPage
	}
	calls := 1 + pages(len(tr.Owners()), 500) + pages(len(tr.ArchivedOwners()), 500) // the schemas, the owners
	if slices.Contains(types, catalog.Forms) || slices.Contains(types, catalog.FormSubmissions) {
		calls += pages(len(tr.Forms()), 100) + pages(len(tr.ArchivedForms()), 100)
	}
	if slices.Contains(types, catalog.FormSubmissions) {
		for _, id := range submittedForms(tr) {
			calls += pages(tr.Submissions(id), 50)
		}
	}
	if slices.Contains(types, catalog.EmailEvents) {
		// Every generated event precedes the run's start.
		calls += pages(len(tr.EmailEventIDs(time.UnixMilli(0), time.UnixMilli(1<<60))), 1000)
	}
	types = slices.DeleteFunc(slices.Clone(types), func(s string) bool { return !catalog.IsCRM(s) })
	for _, typ := range types {
		active := len(tr.IDs(typ, false))
		calls += 1 + sensitiveLists(typ) + listCalls(active) + listCalls(len(tr.IDs(typ, true)))
		if active > 100 {
			calls++ // the planning call
		}
		if slices.Contains(catalog.PipelineTypes(), typ) {
			calls++
		}
	}
	completion := func(d direction) (ids, calls int) {
		over := tr.OverflowIDs(d.from, d.to)
		return len(over), v4Calls(tr, cfg, d.from, d.to, over)
	}
	seen := map[direction]bool{}
	for _, a := range types {
		for _, b := range catalog.Inline(a) {
			d := direction{a, b}
			if seen[d] {
				continue
			}
			seen[d] = true
			ids, c := completion(d)
			if slices.Contains(types, b) && slices.Contains(catalog.Inline(b), a) {
				seen[direction{b, a}] = true
				if bids, bc := completion(direction{b, a}); bids < ids {
					c = bc
				}
			}
			calls += c
		}
	}
	return calls
}

// v4Calls is what reading the (from → to) associations of ids through the
// v4 batch read costs: per 1,000 ids in numeric order, as many rounds as
// the longest association list among them needs pages, at least one.
func v4Calls(tr *fakehub.Truth, cfg fakehub.Config, from, to string, ids []string) int {
	ids = slices.Clone(ids)
	slices.SortFunc(ids, cmpNumeric)
	v4 := cmp.Or(cfg.AssociationPageSize, 500)
	count := map[string]int{}
	for _, p := range tr.Pairs(from, to) {
		count[p[0]]++
	}
	calls := 0
	for start := 0; start < len(ids); start += 1000 {
		rounds := 1
		for _, id := range ids[start:min(start+1000, len(ids))] {
			rounds = max(rounds, (count[id]+v4-1)/v4)
		}
		calls += rounds
	}
	return calls
}

func cmpNumeric(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// dump renders every record and association row, for comparing databases.
func dump(t *testing.T, db *store.DB) string {
	t.Helper()
	var b strings.Builder
	rows, err := db.SQL().Query(`SELECT object_type, id, properties, coalesce(created_at, 0), coalesce(updated_at, 0),
		archived, coalesce(archived_at, 0) FROM records ORDER BY object_type, length(id), id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var typ, id, props string
		var c, u, a, aa int64
		if err := rows.Scan(&typ, &id, &props, &c, &u, &a, &aa); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "R %s %s %d %d %d %d %s\n", typ, id, c, u, a, aa, props)
	}
	rows.Close()
	rows, err = db.SQL().Query(`SELECT from_type, from_id, to_type, to_id, types FROM associations
		ORDER BY from_type, from_id, to_type, to_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var ft, fid, tt, tid, types string
		if err := rows.Scan(&ft, &fid, &tt, &tid, &types); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "A %s %s %s %s %s\n", ft, fid, tt, tid, types)
	}
	rows.Close()
	for _, q := range []string{`SELECT count(*) FROM properties`, `SELECT count(*) FROM owners`,
		`SELECT count(*) FROM pipeline_stages`, `SELECT count(*) FROM extract_overflow`} {
		var n int
		if err := db.SQL().QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s: %d\n", q, n)
	}
	return b.String()
}

// cancelAfter returns a context that ends once k pages (see
// Options.pageSaved) are saved, with the hook that counts them.
func cancelAfter(t *testing.T, k int64) (context.Context, func()) {
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	var pages atomic.Int64
	return ctx, func() {
		if pages.Add(1) == k {
			cancel()
		}
	}
}

// resumes is the run a run of objects (nil: all) would resume, 0 for none.
func resumes(t *testing.T, db *store.DB, objects []string) int64 {
	t.Helper()
	objs, err := catalog.Normalize(objects)
	if err != nil {
		t.Fatal(err)
	}
	chain, err := resumeChain(t.Context(), db, objs)
	if err != nil {
		t.Fatal(err)
	}
	if len(chain) == 0 {
		return 0
	}
	return chain[0].ID
}

// finalEvents are the last progress events of each stream.
func finalEvents(ev *testkit.Events) map[string]progress.Event {
	out := map[string]progress.Event{}
	for _, e := range ev.All() {
		if e.Kind == progress.KindProgress && e.Final {
			out[e.Stream] = e
		}
	}
	return out
}

func streamResult(t *testing.T, res Result, name string) store.StreamResult {
	t.Helper()
	for _, s := range res.Streams {
		if s.Stream == name {
			return s
		}
	}
	t.Fatalf("run %d has no stream %s: %+v", res.ID, name, res.Streams)
	return store.StreamResult{}
}
