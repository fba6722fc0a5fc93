package store

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestForms(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	t0 := time.Date(2024, 4, 5, 6, 7, 8, 0, time.UTC)
	contact := Form{ID: "f-2", Name: "Contact us", FormType: "hubspot", CreatedAt: t0, UpdatedAt: t0,
		Raw: json.RawMessage(`{"id":"f-2","fieldGroups":[]}`)}
	beta := Form{ID: "f-1", Name: "Beta signup", FormType: "hubspot", Archived: true, Raw: json.RawMessage(`{}`)}
	inTx(t, db, func(tx *Tx) error { return tx.UpsertForms(ctx, []Form{contact, {ID: "f-1", Name: "old name"}}) })
	inTx(t, db, func(tx *Tx) error { return tx.UpsertForms(ctx, []Form{beta}) })
	got, err := db.Forms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Form{beta, contact}; !reflect.DeepEqual(got, want) {
		t.Errorf("Forms\n got %+v\nwant %+v", got, want)
	}
	for _, tc := range []struct {
		name string
		form Form
	}{
		{"ErrNoID", Form{Name: "x"}},
		{"ErrBadRaw", Form{ID: "f-3", Raw: json.RawMessage(`{"unterminated`)}},
	} {
		if err := db.TransactionContext(ctx, func(tx *Tx) error { return tx.UpsertForms(ctx, []Form{tc.form}) }); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}

func TestFormSubmissions(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	t0 := time.Date(2024, 4, 5, 6, 7, 8, 0, time.UTC)
	early := FormSubmission{FormID: "f-1", ConversionID: "c-2", SubmittedAt: t0, PageURL: "https://x.example/a",
		Values: map[string]string{"email": "a@x.example", "message": "héllo"}}
	late := FormSubmission{FormID: "f-1", ConversionID: "c-1", SubmittedAt: t0.Add(time.Hour), Values: map[string]string{}}
	other := FormSubmission{FormID: "f-2", ConversionID: "c-1", SubmittedAt: t0, Values: map[string]string{"email": "b@x.example"}}
	inTx(t, db, func(tx *Tx) error {
		return tx.UpsertFormSubmissions(ctx, []FormSubmission{other, late, {FormID: "f-1", ConversionID: "c-2"}})
	})
	inTx(t, db, func(tx *Tx) error { return tx.UpsertFormSubmissions(ctx, []FormSubmission{early}) })
	var got []FormSubmission
	if err := db.EachFormSubmission(ctx, func(s FormSubmission) error { got = append(got, s); return nil }); err != nil {
		t.Fatal(err)
	}
	if want := []FormSubmission{early, late, other}; !reflect.DeepEqual(got, want) {
		t.Errorf("submissions\n got %+v\nwant %+v", got, want)
	}
	if err := db.TransactionContext(ctx, func(tx *Tx) error {
		return tx.UpsertFormSubmissions(ctx, []FormSubmission{{FormID: "f-1"}})
	}); err == nil {
		t.Error("a submission without a conversion id was accepted")
	}
}

func TestEmailEvents(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	t0 := time.Date(2024, 4, 5, 6, 7, 8, 9_000_000, time.UTC)
	sent := EmailEvent{ID: "e-2", Type: "SENT", Created: t0, Recipient: "a@x.example", CampaignID: "123456789012",
		Raw: json.RawMessage(`{"type":"SENT"}`)}
	open := EmailEvent{ID: "e-1", Type: "OPEN", Created: t0.Add(time.Minute), Recipient: "a@x.example",
		CampaignID: "123456789012", Raw: json.RawMessage(`{"type":"OPEN"}`)}
	inTx(t, db, func(tx *Tx) error { return tx.UpsertEmailEvents(ctx, []EmailEvent{open, sent, open}) })
	var got []EmailEvent
	if err := db.EachEmailEvent(ctx, func(e EmailEvent) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if want := []EmailEvent{sent, open}; !reflect.DeepEqual(got, want) {
		t.Errorf("events\n got %+v\nwant %+v", got, want)
	}
	if err := db.TransactionContext(ctx, func(tx *Tx) error {
		return tx.UpsertEmailEvents(ctx, []EmailEvent{{Type: "OPEN"}})
	}); err == nil {
		t.Error("an event without an id was accepted")
	}
}
