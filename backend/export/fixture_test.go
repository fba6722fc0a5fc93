package export

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"hubextract/backend/store"
	"hubextract/backend/testkit"
)

func ptr(s string) *string { return &s }

// t0 is the fixture's creation time; updates come an hour later.
var t0 = time.Date(2024, 1, 17, 19, 55, 4, 281_000_000, time.UTC)

func write(t testing.TB, db *store.DB, fn func(ctx context.Context, tx *store.Tx) error) {
	t.Helper()
	ctx := context.Background()
	if err := db.TransactionContext(ctx, func(tx *store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

// fixtureDB holds a small CRM written through the store's own writes:
// contacts 2, 9 (archived) and 10 (numeric order differs from text order)
// with a sensitive and a highly sensitive property,
// companies 5 and 100, deals in two pipelines that share a stage id, a call,
// and associations stored from either side (one pair from both), plus
// pairs of records that are not stored.
func fixtureDB(t testing.TB) *store.DB {
	t.Helper()
	db := testkit.OpenDB(t)
	write(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.ReplaceProperties(ctx, "contacts", []store.Property{
			{Name: "email", Label: "Email", Type: "string", FieldType: "text"},
			{Name: "firstname", Label: "First Name", Type: "string", FieldType: "text"},
			{Name: "lifecyclestage", Label: "Lifecycle Stage", Type: "enumeration", FieldType: "radio",
				Options: []store.Option{{Label: "Lead", Value: "lead"}, {Label: "Customer", Value: "customer"}}},
			{Name: "hs_interests", Label: "Interests", Type: "enumeration", FieldType: "checkbox",
				Options: []store.Option{{Label: "Alpha", Value: "a"}, {Label: "Beta", Value: "b"}}},
			{Name: "hubspot_owner_id", Label: "Contact owner", Type: "enumeration", FieldType: "select"},
			{Name: "phone", Label: "Phone Number", Type: "string", FieldType: "phonenumber"},
			{Name: "health_note", Label: "Health note", Type: "string", FieldType: "text", Sensitivity: "sensitive"},
			{Name: "hs_ssn", Label: "SSN", Type: "string", FieldType: "text", Sensitivity: "highly_sensitive"},
		}); err != nil {
			return err
		}
		if err := tx.ReplaceProperties(ctx, "deals", []store.Property{
			{Name: "dealname", Label: "Deal Name", Type: "string"},
			{Name: "amount", Label: "Amount", Type: "number"},
			{Name: "pipeline", Label: "Pipeline", Type: "enumeration"},
			{Name: "dealstage", Label: "Deal Stage", Type: "enumeration",
				Options: []store.Option{{Label: "Won (option)", Value: "closedwon"}, {Label: "Lost", Value: "closedlost"}}},
			{Name: "hubspot_owner_id", Label: "Deal owner", Type: "enumeration"},
		}); err != nil {
			return err
		}
		if err := tx.UpsertOwners(ctx, []store.Owner{
			{ID: "7", FirstName: "Ann", LastName: "Lee", Email: "ann@example.com"},
			{ID: "8", Email: "bo@example.com"},
		}); err != nil {
			return err
		}
		if err := tx.ReplacePipelines(ctx, "deals", []store.Pipeline{
			{ID: "default", Label: "Sales Pipeline", DisplayOrder: 0, Stages: []store.Stage{
				{ID: "appointmentscheduled", Label: "Appointment Scheduled", DisplayOrder: 0},
				{ID: "closedwon", Label: "Closed Won", DisplayOrder: 1},
			}},
			{ID: "renewals", Label: "Renewals", DisplayOrder: 1, Stages: []store.Stage{
				{ID: "closedwon", Label: "Renewed"},
			}},
		}); err != nil {
			return err
		}
		recs := []store.Record{
			{Type: "contacts", ID: "10", CreatedAt: t0, UpdatedAt: t0.Add(time.Hour), Properties: map[string]*string{
				"email": ptr("b@example.com"), "firstname": ptr("Bé"), "lifecyclestage": ptr("customer"),
				"hs_interests": ptr("a;b;zz"), "hubspot_owner_id": ptr("8"), "hs_ssn": ptr("078-05-1120")}},
			{Type: "contacts", ID: "2", CreatedAt: t0, UpdatedAt: t0.Add(time.Hour), Properties: map[string]*string{
				"email": ptr("a@example.com"), "firstname": ptr("Ann"), "lifecyclestage": ptr("lead"),
				"hubspot_owner_id": ptr("7"), "legacy_field": ptr("old"), "health_note": ptr("asthma")}},
			{Type: "contacts", ID: "9", CreatedAt: t0, UpdatedAt: t0.Add(time.Hour), Archived: true,
				ArchivedAt: t0.Add(2 * time.Hour), Properties: map[string]*string{
					"email": nil, "firstname": ptr(`=HYPERLINK("http://x","y")`), "lifecyclestage": ptr("gone")}},
			{Type: "companies", ID: "100", CreatedAt: t0, UpdatedAt: t0, Properties: map[string]*string{"name": ptr("Acme")}},
			{Type: "companies", ID: "5", CreatedAt: t0, UpdatedAt: t0, Properties: map[string]*string{"name": ptr("Beta")}},
			{Type: "deals", ID: "42", CreatedAt: t0, UpdatedAt: t0, Properties: map[string]*string{
				"dealname": ptr("Big"), "amount": ptr("-500"), "pipeline": ptr("default"),
				"dealstage": ptr("closedwon"), "hubspot_owner_id": ptr("7")}},
			{Type: "deals", ID: "43", CreatedAt: t0, UpdatedAt: t0, Properties: map[string]*string{
				"dealname": ptr("Renewal"), "pipeline": ptr("renewals"), "dealstage": ptr("closedwon"),
				"hubspot_owner_id": ptr("99")}},
			{Type: "deals", ID: "44", CreatedAt: t0, UpdatedAt: t0, Properties: map[string]*string{
				"dealname": ptr("No pipeline"), "dealstage": ptr("closedwon")}},
			{Type: "deals", ID: "45", CreatedAt: t0, UpdatedAt: t0, Properties: map[string]*string{
				"dealname": ptr("Lost"), "pipeline": ptr("default"), "dealstage": ptr("closedlost")}},
			{Type: "calls", ID: "700", CreatedAt: t0, UpdatedAt: t0, Properties: map[string]*string{"hs_call_title": ptr("Intro")}},
		}
		if err := tx.UpsertRecords(ctx, 1, recs); err != nil {
			return err
		}
		pair := func(ft, fid, tt, tid string) store.Association {
			return store.Association{FromType: ft, FromID: fid, ToType: tt, ToID: tid,
				Types: []store.AssocType{{Category: "HUBSPOT_DEFINED", TypeID: 1}}}
		}
		if err := tx.ReplaceAssociations(ctx, "contacts", []string{"1", "2", "10", "11"}, []string{"companies"}, []store.Association{
			pair("contacts", "1", "companies", "5"), // contact 1 is not stored
			pair("contacts", "2", "companies", "100"),
			pair("contacts", "10", "companies", "100"),
			pair("contacts", "11", "companies", "100"), // nor is 11
		}); err != nil {
			return err
		}
		if err := tx.ReplaceAssociations(ctx, "companies", []string{"5", "100"}, []string{"contacts"}, []store.Association{
			pair("companies", "5", "contacts", "2"),
			pair("companies", "100", "contacts", "10"), // also stored from the contact's side
		}); err != nil {
			return err
		}
		if err := tx.ReplaceAssociations(ctx, "deals", []string{"42"}, []string{"contacts", "companies"}, []store.Association{
			pair("deals", "42", "contacts", "2"),
			pair("deals", "42", "companies", "5"),
		}); err != nil {
			return err
		}
		return tx.ReplaceAssociations(ctx, "calls", []string{"700"}, []string{"contacts", "companies", "deals", "tickets"}, []store.Association{
			pair("calls", "700", "contacts", "9"),
			pair("calls", "700", "contacts", "2"),
			pair("calls", "700", "deals", "42"),
		})
	})
	return db
}

// marketingDB holds two forms (with field labels in their HubSpot JSON; one
// field, phone, never submitted), their submissions, and email events with
// differing extra fields.
func marketingDB(t testing.TB) *store.DB {
	t.Helper()
	db := testkit.OpenDB(t)
	formJSON := func(fields ...[2]string) json.RawMessage {
		type field struct {
			Name  string `json:"name"`
			Label string `json:"label"`
		}
		var fs []field
		for _, f := range fields {
			fs = append(fs, field{f[0], f[1]})
		}
		b, err := json.Marshal(map[string]any{"fieldGroups": []any{map[string]any{"fields": fs}}})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	write(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.UpsertForms(ctx, []store.Form{
			{ID: "f-b", Name: "Zeta signup", FormType: "hubspot", CreatedAt: t0, UpdatedAt: t0.Add(time.Hour),
				Raw: formJSON([2]string{"email", "Email"}, [2]string{"company", "Company name"}, [2]string{"phone", "Phone number"})},
			{ID: "f-a", Name: "Alpha, \"the\" form", FormType: "flow", CreatedAt: t0, Archived: true,
				Raw: formJSON([2]string{"email", "Your email"}, [2]string{"firstname", "First name"})},
		}); err != nil {
			return err
		}
		if err := tx.UpsertFormSubmissions(ctx, []store.FormSubmission{
			{FormID: "f-b", ConversionID: "c3", SubmittedAt: t0, PageURL: "https://x.test/b",
				Values: map[string]string{"email": "z@example.com", "company": "Zed"}},
			{FormID: "f-a", ConversionID: "c2", SubmittedAt: t0.Add(time.Minute), PageURL: "https://x.test/a",
				Values: map[string]string{"email": "a2@example.com", "firstname": "Al"}},
			{FormID: "f-a", ConversionID: "c1", SubmittedAt: t0, PageURL: "https://x.test/a",
				Values: map[string]string{"email": "a1@example.com", "firstname": "+Bob"}},
		}); err != nil {
			return err
		}
		return tx.UpsertEmailEvents(ctx, []store.EmailEvent{
			{ID: "e2", Type: "CLICK", Created: t0.Add(time.Second), Recipient: "a@example.com", CampaignID: "12",
				Raw: json.RawMessage(`{"id":"e2","type":"CLICK","created":1705521305281,"recipient":"a@example.com",
					"emailCampaignId":12,"url":"https://x.test/?a=1,b=2","browser":{"name":"Firefox","version":["1","2"]}}`)},
			{ID: "e1", Type: "OPEN", Created: t0, Recipient: "a@example.com", CampaignID: "12",
				Raw: json.RawMessage(`{"id":"e1","type":"OPEN","created":1705521304281,"recipient":"a@example.com",
					"emailCampaignId":12,"portalId":62515,"filteredEvent":false,"browser":null,"deviceType":"COMPUTER"}`)},
		})
	})
	return db
}
