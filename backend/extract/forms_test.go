package extract

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"testing"

	"hubextract/backend/catalog"
	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
	"hubextract/backend/progress"
	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

// submittedForms lists the forms whose submissions a run reads: every form,
// active and archived, but the blog comment forms (no submissions; HubSpot
// answers 400).
func submittedForms(tr *fakehub.Truth) []string {
	return slices.DeleteFunc(append(tr.Forms(), tr.ArchivedForms()...), func(id string) bool {
		return tr.FormType(id) == hubspot.FormTypeBlogComment
	})
}

// TestFormsOfEveryType: forms of every type (hubspot, captured, flow,
// blog_comment) and archived forms are extracted with their exact ids,
// types and archived flags, and the submissions of every form that has
// them; the blog comment forms are skipped with a note in the run log (no
// call, no warning), in exactly the minimum number of calls.
func TestFormsOfEveryType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		forms   int
		objects []string
	}{
		{"forms and submissions", 20, []string{catalog.Forms, catalog.FormSubmissions}},
		{"submissions only", 20, []string{catalog.FormSubmissions}},
		{"forms only", 20, []string{catalog.Forms}},
		// Over a page of forms: the active list takes two pages.
		{"two pages", 130, []string{catalog.Forms, catalog.FormSubmissions}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, fakehub.Config{Scale: 5, Forms: tt.forms, EmailEvents: 1})
			tr := f.fake.Truth()
			db := testkit.OpenDB(t)
			ev := &testkit.Events{}
			res := f.run(t.Context(), db, Options{Objects: tt.objects, Progress: ev})
			if res.Status != store.StatusSucceeded || len(res.Warnings) > 0 {
				t.Fatalf("status %s (%s), warnings %q", res.Status, res.Error, res.Warnings)
			}
			checkTruth(t, db, tr, tt.objects)

			forms, err := db.Forms(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			types := map[string]int{}
			var archived []string
			for _, fm := range forms {
				if fm.FormType != tr.FormType(fm.ID) {
					t.Errorf("form %s: type %q, HubSpot says %q", fm.ID, fm.FormType, tr.FormType(fm.ID))
				}
				if fm.Archived {
					archived = append(archived, fm.ID)
				}
				types[fm.FormType]++
			}
			sameIDs(t, "archived forms", archived, tr.ArchivedForms())
			for _, typ := range []string{"hubspot", "captured", "flow", "blog_comment"} {
				if types[typ] == 0 {
					t.Errorf("no %s form stored (%v)", typ, types)
				}
			}
			if len(archived) == 0 {
				t.Error("no archived form stored")
			}

			var blog []string
			for _, id := range tr.Forms() {
				if tr.FormType(id) == hubspot.FormTypeBlogComment {
					blog = append(blog, id)
				}
			}
			var notes []string
			for _, e := range ev.All() {
				if e.Kind == progress.KindLog && e.Level == progress.LevelInfo && strings.Contains(e.Message, "blog comment form") {
					notes = append(notes, e.Message)
				}
			}
			wantNotes := 0
			if slices.Contains(tt.objects, catalog.FormSubmissions) {
				wantNotes = len(blog)
			}
			if len(notes) != wantNotes {
				t.Errorf("notes %q, want one per blog comment form (%d)", notes, wantNotes)
			}
			for _, id := range blog {
				if f.fake.Stats().ByType["form submissions"] != 0 && wantNotes > 0 && !slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, id) }) {
					t.Errorf("no note names blog comment form %s", id)
				}
			}

			want := minimumCalls(tr, f.cfg, tt.objects, false)
			if got := f.fake.Stats().Total; got != want || res.APICalls != int64(want) || res.MinimumCalls != int64(want) {
				t.Errorf("fake received %d calls, run counted %d with a minimum of %d, want %d (%v)",
					got, res.APICalls, res.MinimumCalls, want, f.fake.Stats().ByType)
			}
		})
	}
}

// TestFormSubmissionsRefused: a form whose submissions HubSpot answers 400
// (as it does a blog comment form's) is skipped with a warning; the stream
// succeeds with every other form's submissions.
func TestFormSubmissionsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fakehub.Config{Scale: 5, Forms: 4, FormSubmissionCounts: []int{3, 60, 0, 7}, EmailEvents: 1})
	tr := f.fake.Truth()
	refused := tr.Forms()[1]
	target, err := url.Parse(f.url)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/submissions/forms/"+refused) {
			w.Header().Set("Content-Type", "application/json;charset=utf-8")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"status":"error","message":"This form does not support submissions","correlationId":"1b9f6b2e-9c43-4c1e-8a51-0e8c7e1e3f00","category":"VALIDATION_ERROR"}`))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	db := testkit.OpenDB(t)
	client := hubspot.New("demo-token", hubspot.WithBaseURL(srv.URL), hubspot.WithClock(f.clk))
	res := f.run(t.Context(), db, Options{Objects: []string{catalog.FormSubmissions}, Client: client})
	if res.Status != store.StatusSucceeded {
		t.Fatalf("status %s: %s", res.Status, res.Error)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], refused) || !strings.Contains(res.Warnings[0], "does not support submissions") {
		t.Errorf("warnings %q, want one naming form %s", res.Warnings, refused)
	}
	// The refused form costs one call, not its 60 submissions' two pages.
	if want := minimumCalls(tr, f.cfg, []string{catalog.FormSubmissions}, false) - 1; res.APICalls != int64(want) || res.MinimumCalls != int64(want) {
		t.Errorf("run counted %d calls and a minimum of %d, want %d", res.APICalls, res.MinimumCalls, want)
	}
	s := streamResult(t, res, catalog.FormSubmissions)
	if s.Status != store.StatusSucceeded || s.Records != 3+0+7 {
		t.Errorf("form_submissions: %+v, want succeeded with 10 records", s)
	}
	for _, id := range tr.Forms() {
		want := int64(tr.Submissions(id))
		if id == refused {
			want = 0
		}
		if got, err := db.CountFormSubmissions(t.Context(), id); err != nil || got != want {
			t.Errorf("form %s: %d submissions stored (%v), want %d", id, got, err, want)
		}
	}
}

// TestFormsListsResume: a run cancelled after any of its first pages
// resumes without listing the active or the archived forms again once
// their last page is saved: over both runs each list is read once, and
// every form, active and archived, is stored with its submissions.
func TestFormsListsResume(t *testing.T) {
	t.Parallel()
	objects := []string{catalog.Forms, catalog.FormSubmissions}
	for k := int64(1); k <= 5; k++ {
		t.Run(fmt.Sprint("after page ", k), func(t *testing.T) {
			f := newFixture(t, fakehub.Config{Scale: 5, Forms: 20, EmailEvents: 1})
			db := testkit.OpenDB(t)
			ctx, saved := cancelAfter(t, k)
			first := f.run(ctx, db, Options{Objects: objects, Concurrency: 1, pageSaved: saved})
			second := f.run(t.Context(), db, Options{Objects: objects})
			if first.Status != store.StatusCancelled || second.Status != store.StatusSucceeded || second.ResumedFrom != first.ID {
				t.Fatalf("runs: %s, %s resumed from %d", first.Status, second.Status, second.ResumedFrom)
			}
			checkTruth(t, db, f.fake.Truth(), objects)
			if n := f.fake.Stats().ByType["forms"]; n != 2 {
				t.Errorf("forms lists read %d times over both runs, want the active and the archived once each", n)
			}
		})
	}
}

// TestFormsEstimateFromStored: priced from the stored forms (every type,
// archived too), the forms and their submissions cost what a fresh run of
// them costs: both lists, and no call for a blog comment form.
func TestFormsEstimateFromStored(t *testing.T) {
	t.Parallel()
	objects := []string{catalog.Forms, catalog.FormSubmissions}
	f := newFixture(t, fakehub.Config{Scale: 5, Forms: 130, EmailEvents: 1})
	db := testkit.OpenDB(t)
	if res := f.run(t.Context(), db, Options{Objects: objects}); res.Status != store.StatusSucceeded {
		t.Fatalf("run: %s %s", res.Status, res.Error)
	}
	fresh := f.run(t.Context(), testkit.OpenDB(t), Options{Objects: objects})
	for _, typ := range objects {
		te := TypeEstimate{Type: typ}
		if err := marketingEstimate(t.Context(), db, objects, &te); err != nil {
			t.Fatal(err)
		}
		if s := streamResult(t, fresh, typ); te.Calls != s.APICalls || te.Basis != BasisStored || te.Records != s.Records {
			t.Errorf("%s: estimated %+v, a fresh run made %d calls for %d records", typ, te, s.APICalls, s.Records)
		}
	}
}
