package hubspot_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
)

// TestTransportErrorsLeaveTheQueryOut: a failure with no answer names the
// method and path, never the URL's query (every property asked for): not in
// the error, its user message, the observer's CallInfo or the log.
func TestTransportErrorsLeaveTheQueryOut(t *testing.T) {
	for _, fault := range []fakehub.Fault{fakehub.FaultDrop, fakehub.FaultCut} {
		t.Run(string(fault), func(t *testing.T) {
			s, h := fakePortal(t, fakehub.Config{Scale: 5, Seed: 2})
			s.FailNext(1, fault, "/crm/objects/2026-09/contacts")
			h.with(nil, hubspot.RetryPolicy{MaxAttempts: 1})
			_, err := h.client.ListObjects(context.Background(), "contacts",
				hubspot.ListParams{Properties: []string{"email", "firstname"}, Associations: []string{"companies"}})
			var te *hubspot.TransportError
			if !errors.As(err, &te) {
				t.Fatalf("error %v (%T), want a *TransportError", err, err)
			}
			texts := []string{err.Error(), hubspot.UserMessage(err), h.logs.String()}
			for _, ci := range h.rec.All() {
				if ci.Err != nil {
					texts = append(texts, ci.Err.Error())
				}
			}
			for _, s := range texts {
				if strings.Contains(s, "firstname") || strings.Contains(s, "associations=") {
					t.Errorf("the query leaked: %s", s)
				}
			}
			if !strings.Contains(err.Error(), "/crm/objects/2026-09/contacts") {
				t.Errorf("error %q does not name the path", err)
			}
		})
	}
}
