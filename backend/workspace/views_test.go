package workspace

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hubextract/backend/catalog"
	"hubextract/backend/settings"
	"hubextract/backend/store"
)

var allTypes = catalog.CRM()

func TestOverview(t *testing.T) {
	o, err := overviewOf(t.Context(), fixtureDB, settings.Location{Path: fixtureDB.Path(), Origin: settings.FromDefault}, allTypes)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Counts) != len(catalog.All()) {
		t.Fatalf("counts of %d types, want %d: %+v", len(o.Counts), len(catalog.All()), o.Counts)
	}
	for _, c := range o.Counts[:len(catalog.CRM())] {
		archived := int64(len(fixtureTruth.IDs(c.Type, true)))
		if c.Active != scale || c.Archived != archived {
			t.Errorf("%s: %d active, %d archived; want %d and %d", c.Type, c.Active, c.Archived, scale, archived)
		}
	}
	if want := []int64{scale, scale, scale, scale, scale, scale, scale}; !slices.Equal(o.Engagements.Stored, want) {
		t.Errorf("engagements stored %v, want %v", o.Engagements.Stored, want)
	}
	if got := strings.Join(o.Engagements.Labels, ","); got != "Calls,Emails,Meetings,Notes,Tasks,Communications,Postal mail" {
		t.Errorf("chart labels %s", got)
	}
	if len(o.Engagements.Runs) != 1 {
		t.Fatalf("chart runs %+v, want the one run", o.Engagements.Runs)
	}
	for i, n := range o.Engagements.Runs[0].Records {
		want := int64(scale + len(fixtureTruth.IDs(catalog.Engagements()[i], true)))
		if n != want {
			t.Errorf("run fetched %d %s, want %d (active and archived)", n, catalog.Engagements()[i], want)
		}
	}
	if o.LastSuccess == "" || o.LastRun == nil || o.LastRun.Status != store.StatusSucceeded {
		t.Errorf("last success %q, last run %+v", o.LastSuccess, o.LastRun)
	}
	if !o.Database.Exists || o.Database.Bytes == 0 || o.Database.Path != fixtureDB.Path() {
		t.Errorf("database %+v", o.Database)
	}
}

func TestEmptyOverview(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.db")
	o, err := emptyOverview(settings.Location{Path: path, Origin: settings.FromSettings}, []string{"contacts", "forms"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Database.Exists || len(o.Counts) != 2 || o.Counts[1].Group != catalog.GroupMarketing || o.LastRun != nil ||
		o.Database.Origin != settings.FromSettings {
		t.Errorf("empty overview %+v", o)
	}
	if len(o.Engagements.Stored) != len(catalog.Engagements()) || o.Engagements.Runs == nil {
		t.Errorf("empty chart %+v", o.Engagements)
	}
}

func TestRuns(t *testing.T) {
	runs, err := runsOf(t.Context(), fixtureDB, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 {
		t.Fatalf("%d runs, want 1", len(runs))
	}
	r := runs[0]
	if r.Status != store.StatusSucceeded || r.FinishedAt == "" || r.APICalls == 0 || r.Seconds < 0 {
		t.Errorf("run %+v", r)
	}
	if r.Streams[0].Stream != "metadata" || r.Streams[0].Label != "Owners and pipelines" || r.Streams[1].Stream != "contacts" {
		t.Errorf("streams not in screen order: %+v", r.Streams)
	}
	stored, err := fixtureDB.Run(t.Context(), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	for _, s := range stored.Streams {
		if s.Stream != "metadata" {
			want += s.Records
		}
	}
	if r.Records != want {
		t.Errorf("run records %d, want %d (object streams only)", r.Records, want)
	}
	one, err := runByID(t.Context(), fixtureDB, r.ID)
	if err != nil || one.ID != r.ID {
		t.Errorf("RunByID = %+v, %v", one, err)
	}
	if _, err := runByID(t.Context(), fixtureDB, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("runByID(999) = %v, want ErrNotFound", err)
	}
}

func TestColumns(t *testing.T) {
	cols, err := columnsOf(t.Context(), fixtureDB, "deals")
	if err != nil {
		t.Fatal(err)
	}
	var defaults []string
	for _, c := range cols {
		if c.Default {
			defaults = append(defaults, c.Label)
		}
	}
	if got := strings.Join(defaults, "|"); got != "Deal Name|Amount|Deal Stage|Close Date|Owner|Last modified" {
		t.Errorf("default columns %s", got)
	}
	if cols[len(cols)-1].Name != UpdatedColumn || len(cols) < 15 {
		t.Errorf("%d columns ending with %+v", len(cols), cols[len(cols)-1])
	}
	if _, err := columnsOf(t.Context(), fixtureDB, "forms"); err == nil {
		t.Error("columns of forms: no error")
	}
}

func TestRecordsPageReadable(t *testing.T) {
	page, err := recordsPage(t.Context(), fixtureDB, PageQuery{Type: "deals", Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	stage := slices.IndexFunc(page.Columns, func(c Column) bool { return c.Name == "dealstage" })
	owner := slices.IndexFunc(page.Columns, func(c Column) bool { return c.Name == "hubspot_owner_id" })
	if stage < 0 || owner < 0 || page.Columns[stage].Label != "Deal Stage" {
		t.Fatalf("columns %+v", page.Columns)
	}
	labelled := 0
	for _, row := range page.Rows {
		rec := record(t, "deals", row.ID)
		raw := rec.Properties["dealstage"]
		if raw != nil && *raw != "" && row.Cells[stage] != *raw {
			labelled++
		}
		if o := rec.Properties["hubspot_owner_id"]; o != nil && *o != "" && row.Cells[owner] == *o {
			t.Errorf("deal %s shows owner id %s, want the owner's name", row.ID, *o)
		}
		if row.Title == "" || row.Cells[len(row.Cells)-1] == "" {
			t.Errorf("deal %s: title %q, last modified %q", row.ID, row.Title, row.Cells[len(row.Cells)-1])
		}
	}
	if labelled == 0 {
		t.Error("no deal stage shown as its label")
	}
}

func TestRecordsPagingWalksEveryRecordOnce(t *testing.T) {
	var got []string
	var after *Cursor
	pages := 0
	for {
		page, err := recordsPage(t.Context(), fixtureDB, PageQuery{Type: "contacts", Limit: 7, After: after,
			Columns: []string{"email", UpdatedColumn}})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, row := range page.Rows {
			got = append(got, row.ID)
			if len(row.Cells) != 2 {
				t.Fatalf("row %+v, want 2 cells", row)
			}
		}
		if page.Next == nil {
			break
		}
		after = page.Next
	}
	want := append(fixtureTruth.IDs("contacts", false), fixtureTruth.IDs("contacts", true)...)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("paging gave %d ids (%d pages), want the %d contacts each once", len(got), pages, len(want))
	}
}

func TestSearchAndDetailShowMarkupAsText(t *testing.T) {
	page, err := recordsPage(t.Context(), fixtureDB, PageQuery{Type: "notes", Search: "pasted from a web"})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Rows) == 0 {
		t.Fatal("no note matches the search")
	}
	row := page.Rows[0]
	if row.Title != "Pasted from a web page" || strings.Contains(strings.Join(row.Cells, " "), "<") {
		t.Errorf("row %+v: want the body's text, no markup", row)
	}
	d, err := recordDetail(t.Context(), fixtureDB, "notes", row.ID)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(d.Properties, func(p Property) bool { return p.Name == "hs_note_body" })
	if i < 0 {
		t.Fatal("no note body in the detail")
	}
	body := d.Properties[i]
	if body.Label != "Note body" || body.Value != "Pasted from a web page" || !body.HTML ||
		body.Raw != "<script>alert(1)</script><p>Pasted from a web page</p>" {
		t.Errorf("note body %+v", body)
	}
	linked, err := fixtureDB.AssociatedIDs(t.Context(), "notes", row.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Associations) != len(linked) {
		t.Errorf("detail links %d types, the store %d", len(d.Associations), len(linked))
	}
	for _, a := range d.Associations {
		if a.Total != len(linked[a.Type]) || len(a.Records) != len(linked[a.Type]) {
			t.Errorf("%s: %d of %d refs, want %d", a.Type, len(a.Records), a.Total, len(linked[a.Type]))
		}
		for _, ref := range a.Records {
			if !ref.Stored || ref.Title == "" {
				t.Errorf("ref %+v", ref)
			}
		}
	}
}

func TestRecordDetailNotFound(t *testing.T) {
	if _, err := recordDetail(t.Context(), fixtureDB, "contacts", "1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("detail of a missing record: %v, want ErrNotFound", err)
	}
}

// TestLinkColumns: a line item's row names its deal by title in a column of
// its own, shown by default; any associated type can be chosen as one.
func TestLinkColumns(t *testing.T) {
	cols, err := columnsOf(t.Context(), fixtureDB, "line_items")
	if err != nil {
		t.Fatal(err)
	}
	at := slices.IndexFunc(cols, func(c Column) bool { return c.Name == linkColumn("deals") })
	if at < 0 || !cols[at].Default || cols[at].Label != "Deals" || cols[len(cols)-1].Name != UpdatedColumn {
		t.Fatalf("columns %+v", cols)
	}
	if i := slices.IndexFunc(cols, func(c Column) bool { return c.Name == linkColumn("quotes") }); i < 0 || cols[i].Default {
		t.Errorf("quotes, associated from their side, are no chosen column: %+v", cols)
	}
	page, err := recordsPage(t.Context(), fixtureDB, PageQuery{Type: "line_items", Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	col := slices.IndexFunc(page.Columns, func(c Column) bool { return c.Name == linkColumn("deals") })
	if col < 0 || page.Columns[col].Label != "Deals" {
		t.Fatalf("page columns %+v", page.Columns)
	}
	dealOf := map[string]string{}
	for _, p := range fixtureTruth.Pairs("line_items", "deals") {
		dealOf[p[0]] = p[1]
	}
	checked := 0
	for _, row := range page.Rows {
		deal, ok := dealOf[row.ID]
		if !ok {
			continue
		}
		want := "Deal " + deal
		if name := record(t, "deals", deal).Properties["dealname"]; name != nil && strings.TrimSpace(*name) != "" {
			want = strings.Join(strings.Fields(*name), " ")
		}
		if row.Cells[col] != want {
			t.Errorf("line item %s: deal cell %q, want %q", row.ID, row.Cells[col], want)
		}
		checked++
	}
	if checked == 0 {
		t.Error("no line item with a deal")
	}
}
