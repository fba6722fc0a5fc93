package export

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"hubextract/backend/store"
)

// forms writes id, name, form_type (hubspot, captured, flow, blog_comment;
// empty when extracted before the type was), created_at, updated_at,
// archived per form, by id.
func forms(ctx context.Context, db *store.DB, w io.Writer, opts Options) (int64, error) {
	fs, err := db.Forms(ctx)
	if err != nil {
		return 0, fmt.Errorf("export forms: %w", err)
	}
	slices.SortFunc(fs, func(a, b store.Form) int { return strings.Compare(a.ID, b.ID) })
	t, err := newTable(ctx, w, opts, []string{"id", "name", "form_type", "created_at", "updated_at", "archived"}, int64(len(fs)))
	if err != nil {
		return 0, fmt.Errorf("export forms: %w", err)
	}
	for _, f := range fs {
		if err = t.Row([]string{f.ID, f.Name, f.FormType, timestamp(f.CreatedAt), timestamp(f.UpdatedAt), boolCell(f.Archived)}); err != nil {
			break
		}
	}
	n, err := t.Close(err)
	if err != nil {
		return n, fmt.Errorf("export forms: %w", err)
	}
	return n, nil
}

// formSubmissions writes form_id, submitted_at, page_url, conversion_id, then
// one column per field of the exported forms (the union of the fields
// their definitions name and those found on their submissions, sorted by
// name; titled with the field's label from its form with opts.Labels),
// ordered by form, then time.
func formSubmissions(ctx context.Context, db *store.DB, w io.Writer, opts Options) (int64, error) {
	submitted, err := db.FormSubmissionFields(ctx, opts.FormID)
	if err != nil {
		return 0, fmt.Errorf("export form submissions: %w", err)
	}
	total, err := count(ctx, db, opts)
	if err != nil {
		return 0, fmt.Errorf("export form submissions: %w", err)
	}
	fs, err := db.Forms(ctx)
	if err != nil {
		return 0, fmt.Errorf("export form submissions: %w", err)
	}
	if opts.FormID != "" {
		fs = slices.DeleteFunc(fs, func(f store.Form) bool { return f.ID != opts.FormID })
	}
	labels := fieldLabels(fs)
	fields := slices.Concat(submitted, slices.Collect(maps.Keys(labels)))
	slices.Sort(fields)
	fields = slices.Compact(fields)
	titles := slices.Clone(fields)
	if opts.Labels {
		for i, f := range fields {
			if l := labels[f]; l != "" {
				titles[i] = l
			}
		}
	}
	header := append([]string{"form_id", "submitted_at", "page_url", "conversion_id"}, titles...)
	t, err := newTable(ctx, w, opts, header, total)
	if err != nil {
		return 0, fmt.Errorf("export form submissions: %w", err)
	}
	row := make([]string, len(header))
	err = db.EachFormSubmission(ctx, func(s store.FormSubmission) error {
		if opts.FormID != "" && s.FormID != opts.FormID {
			return nil
		}
		row[0], row[1], row[2], row[3] = s.FormID, timestamp(s.SubmittedAt), s.PageURL, s.ConversionID
		for i, f := range fields {
			row[4+i] = s.Values[f]
		}
		return t.Row(row)
	})
	n, err := t.Close(err)
	if err != nil {
		return n, fmt.Errorf("export form submissions: %w", err)
	}
	return n, nil
}

// formDefinition is the part of a stored form (the v3 JSON) that names its
// fields.
type formDefinition struct {
	FieldGroups []struct {
		Fields []struct {
			Name  string `json:"name"`
			Label string `json:"label"`
		} `json:"fields"`
	} `json:"fieldGroups"`
}

// fieldLabels maps every field the forms' definitions name to its label
// ("" when it has none), the first form by id that labels a field winning.
// Forms whose JSON cannot be read just lend nothing.
func fieldLabels(forms []store.Form) map[string]string {
	slices.SortFunc(forms, func(a, b store.Form) int { return strings.Compare(a.ID, b.ID) })
	labels := map[string]string{}
	for _, f := range forms {
		var def formDefinition
		if json.Unmarshal(f.Raw, &def) != nil {
			continue
		}
		for _, g := range def.FieldGroups {
			for _, fd := range g.Fields {
				if labels[fd.Name] == "" {
					labels[fd.Name] = fd.Label
				}
			}
		}
	}
	return labels
}

// emailEventColumns are the fixed columns of email_events and the JSON keys
// they come from; every other key of the stored event follows them.
var emailEventColumns = []string{"id", "type", "created", "recipient", "campaign_id"}

var emailEventKeysShown = []string{"id", "type", "created", "recipient", "emailCampaignId"}

// emailEvents writes id, type, created, recipient, campaign_id, then one
// column per other top-level field of the events' JSON (sorted by name;
// nested values as compact JSON text), ordered by time, then id.
func emailEvents(ctx context.Context, db *store.DB, w io.Writer, opts Options) (int64, error) {
	keys, err := db.EmailEventKeys(ctx)
	if err != nil {
		return 0, fmt.Errorf("export email events: %w", err)
	}
	keys = slices.DeleteFunc(keys, func(k string) bool { return slices.Contains(emailEventKeysShown, k) })
	total, err := count(ctx, db, opts)
	if err != nil {
		return 0, fmt.Errorf("export email events: %w", err)
	}
	header := append(slices.Clone(emailEventColumns), keys...)
	t, err := newTable(ctx, w, opts, header, total)
	if err != nil {
		return 0, fmt.Errorf("export email events: %w", err)
	}
	row := make([]string, len(header))
	var fields map[string]json.RawMessage
	err = db.EachEmailEvent(ctx, func(e store.EmailEvent) error {
		row[0], row[1], row[2], row[3], row[4] = e.ID, e.Type, timestamp(e.Created), e.Recipient, e.CampaignID
		clear(fields)
		if len(e.Raw) > 0 {
			if err := json.Unmarshal(e.Raw, &fields); err != nil {
				return fmt.Errorf("email event %s: %w", e.ID, err)
			}
		}
		for i, k := range keys {
			row[5+i] = jsonCell(fields[k])
		}
		return t.Row(row)
	})
	n, err := t.Close(err)
	if err != nil {
		return n, fmt.Errorf("export email events: %w", err)
	}
	return n, nil
}

// jsonCell is a JSON value as a cell: a string's text, nothing for null or a
// missing key, and any other value (number, bool, object, array) as its
// compact JSON text.
func jsonCell(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	switch {
	case len(v) == 0 || string(v) == "null":
		return ""
	case v[0] == '"':
		var s string
		if json.Unmarshal(v, &s) == nil {
			return s
		}
	case v[0] == '{' || v[0] == '[':
		var b bytes.Buffer
		if json.Compact(&b, v) == nil {
			return b.String()
		}
	}
	return string(v)
}
