package hubspot_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"hubextract/backend/fakehub"
	"hubextract/backend/hubspot"
)

// TestFormsOfEveryType: the forms lists hold every type (the fake, as
// HubSpot, lists only hubspot forms unless formTypes says otherwise), the
// active forms in one list and the archived ones in another; a blog comment
// form's submissions answer 400, a ValidationError.
func TestFormsOfEveryType(t *testing.T) {
	s, h := fakePortal(t, fakehub.Config{Seed: 3, Scale: 10, Forms: 130, EmailEvents: 1})
	c, ctx, truth := h.client, context.Background(), s.Truth()
	tests := []struct {
		name     string
		list     func(context.Context, string) (hubspot.FormPage, error)
		want     []string
		archived bool
	}{
		{"active", c.ListForms, truth.Forms(), false},
		{"archived", c.ListArchivedForms, truth.ArchivedForms(), true},
	}
	types := map[string]int{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pages := readAll(t, "forms", func(after string) (hubspot.FormPage, string, error) {
				p, err := tt.list(ctx, after)
				return p, p.Next, err
			})
			var got []string
			for _, p := range pages {
				for _, f := range p.Results {
					got = append(got, f.ID)
					types[f.FormType]++
					if f.FormType != truth.FormType(f.ID) || f.Archived != tt.archived {
						t.Errorf("form %s: type %q archived %t, want %q archived %t", f.ID, f.FormType, f.Archived, truth.FormType(f.ID), tt.archived)
					}
				}
			}
			if !slices.Equal(got, tt.want) || len(got) == 0 {
				t.Fatalf("listed %d forms, want %d", len(got), len(tt.want))
			}
		})
	}
	for _, typ := range []string{"hubspot", "captured", "flow", hubspot.FormTypeBlogComment} {
		if types[typ] == 0 {
			t.Errorf("no %s form listed (%v)", typ, types)
		}
	}
	for _, id := range truth.Forms() {
		if truth.FormType(id) != hubspot.FormTypeBlogComment {
			continue
		}
		_, err := c.ListFormSubmissions(ctx, id, "")
		if ve := (*hubspot.ValidationError)(nil); !errors.As(err, &ve) || ve.Message == "" {
			t.Errorf("blog comment form %s: submissions answered %v, want a ValidationError", id, err)
		}
	}
}
