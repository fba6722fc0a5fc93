package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Form is a HubSpot marketing form; Raw keeps HubSpot's whole definition.
type Form struct {
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	FormType  string          `json:"form_type"`
	CreatedAt time.Time       `json:"created_at,omitzero"`
	UpdatedAt time.Time       `json:"updated_at,omitzero"`
	Archived  bool            `json:"archived"`
	Raw       json.RawMessage `json:"raw"`
}

// FormSubmission is one submission of a form.
type FormSubmission struct {
	FormID       string            `json:"form_id"`
	ConversionID string            `json:"conversion_id"`
	SubmittedAt  time.Time         `json:"submitted_at,omitzero"`
	PageURL      string            `json:"page_url"`
	Values       map[string]string `json:"values"` // field name -> submitted value
}

// EmailEvent is one marketing email event (sent, delivered, open, click, ...).
type EmailEvent struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"`
	Created    time.Time       `json:"created,omitzero"`
	Recipient  string          `json:"recipient"`
	CampaignID string          `json:"campaign_id"`
	Raw        json.RawMessage `json:"raw"`
}

// rawJSON stores a raw JSON document, {} when empty; invalid JSON is refused
// so the column never holds something later reads cannot decode.
func rawJSON(raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "{}", nil
	}
	if !json.Valid(raw) {
		return "", fmt.Errorf("raw is not valid JSON")
	}
	return string(raw), nil
}

// UpsertForms writes forms, updating those already stored.
func (tx *Tx) UpsertForms(ctx context.Context, forms []Form) error {
	stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO forms (id, name, form_type, created_at,
		updated_at, archived, raw) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, form_type = excluded.form_type,
			created_at = excluded.created_at, updated_at = excluded.updated_at,
			archived = excluded.archived, raw = excluded.raw`)
	if err != nil {
		return fmt.Errorf("upsert forms: %w", err)
	}
	defer stmt.Close()
	for _, f := range forms {
		if f.ID == "" {
			return fmt.Errorf("upsert forms: form %q has no id", f.Name)
		}
		raw, err := rawJSON(f.Raw)
		if err != nil {
			return fmt.Errorf("upsert form %s: %w", f.ID, err)
		}
		if _, err := stmt.ExecContext(ctx, f.ID, f.Name, f.FormType, toMillis(f.CreatedAt),
			toMillis(f.UpdatedAt), boolInt(f.Archived), raw); err != nil {
			return fmt.Errorf("upsert form %s: %w", f.ID, err)
		}
	}
	return nil
}

// Forms lists every stored form by name.
func (db *DB) Forms(ctx context.Context) ([]Form, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, name, form_type, created_at, updated_at,
		archived, raw FROM forms ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("forms: %w", err)
	}
	defer rows.Close()
	forms := []Form{}
	for rows.Next() {
		var (
			f                Form
			created, updated sql.NullInt64
			archived         int
			raw              string
		)
		if err := rows.Scan(&f.ID, &f.Name, &f.FormType, &created, &updated, &archived, &raw); err != nil {
			return nil, fmt.Errorf("forms: %w", err)
		}
		f.CreatedAt, f.UpdatedAt = fromMillis(created), fromMillis(updated)
		f.Archived, f.Raw = archived != 0, json.RawMessage(raw)
		forms = append(forms, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("forms: %w", err)
	}
	return forms, nil
}

// UpsertFormSubmissions writes submissions, keyed by form and conversion id.
func (tx *Tx) UpsertFormSubmissions(ctx context.Context, subs []FormSubmission) error {
	stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO form_submissions (form_id, conversion_id,
		submitted_at, page_url, "values") VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (form_id, conversion_id) DO UPDATE SET submitted_at = excluded.submitted_at,
			page_url = excluded.page_url, "values" = excluded."values"`)
	if err != nil {
		return fmt.Errorf("upsert form submissions: %w", err)
	}
	defer stmt.Close()
	for _, s := range subs {
		if s.FormID == "" || s.ConversionID == "" {
			return fmt.Errorf("upsert form submissions: submission %q of form %q needs both ids", s.ConversionID, s.FormID)
		}
		values := s.Values
		if values == nil {
			values = map[string]string{}
		}
		body, err := json.Marshal(values)
		if err != nil {
			return fmt.Errorf("upsert form %s submission %s: %w", s.FormID, s.ConversionID, err)
		}
		if _, err := stmt.ExecContext(ctx, s.FormID, s.ConversionID, toMillis(s.SubmittedAt),
			s.PageURL, string(body)); err != nil {
			return fmt.Errorf("upsert form %s submission %s: %w", s.FormID, s.ConversionID, err)
		}
	}
	return nil
}

// EachFormSubmission calls fn for every stored submission, by form then time,
// streaming one row at a time. An error from fn stops the walk and is
// returned as is.
func (db *DB) EachFormSubmission(ctx context.Context, fn func(FormSubmission) error) error {
	rows, err := db.db.QueryContext(ctx, `SELECT form_id, conversion_id, submitted_at, page_url, "values"
		FROM form_submissions ORDER BY form_id, submitted_at, conversion_id`)
	if err != nil {
		return fmt.Errorf("read form submissions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			s         FormSubmission
			submitted sql.NullInt64
			values    string
		)
		if err := rows.Scan(&s.FormID, &s.ConversionID, &submitted, &s.PageURL, &values); err != nil {
			return fmt.Errorf("read form submissions: %w", err)
		}
		s.SubmittedAt = fromMillis(submitted)
		if err := json.Unmarshal([]byte(values), &s.Values); err != nil {
			return fmt.Errorf("read form %s submission %s: %w", s.FormID, s.ConversionID, err)
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read form submissions: %w", err)
	}
	return nil
}

// UpsertEmailEvents writes email events, keyed by event id.
func (tx *Tx) UpsertEmailEvents(ctx context.Context, events []EmailEvent) error {
	stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO email_events (id, type, created, recipient,
		campaign_id, raw) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET type = excluded.type, created = excluded.created,
			recipient = excluded.recipient, campaign_id = excluded.campaign_id, raw = excluded.raw`)
	if err != nil {
		return fmt.Errorf("upsert email events: %w", err)
	}
	defer stmt.Close()
	for _, e := range events {
		if e.ID == "" {
			return fmt.Errorf("upsert email events: a %s event has no id", e.Type)
		}
		raw, err := rawJSON(e.Raw)
		if err != nil {
			return fmt.Errorf("upsert email event %s: %w", e.ID, err)
		}
		if _, err := stmt.ExecContext(ctx, e.ID, e.Type, toMillis(e.Created), e.Recipient,
			e.CampaignID, raw); err != nil {
			return fmt.Errorf("upsert email event %s: %w", e.ID, err)
		}
	}
	return nil
}

// EachEmailEvent calls fn for every stored email event, oldest first,
// streaming one row at a time. An error from fn stops the walk and is
// returned as is.
func (db *DB) EachEmailEvent(ctx context.Context, fn func(EmailEvent) error) error {
	rows, err := db.db.QueryContext(ctx, `SELECT id, type, created, recipient, campaign_id, raw
		FROM email_events ORDER BY created, id`)
	if err != nil {
		return fmt.Errorf("read email events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			e       EmailEvent
			created sql.NullInt64
			raw     string
		)
		if err := rows.Scan(&e.ID, &e.Type, &created, &e.Recipient, &e.CampaignID, &raw); err != nil {
			return fmt.Errorf("read email events: %w", err)
		}
		e.Created, e.Raw = fromMillis(created), json.RawMessage(raw)
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read email events: %w", err)
	}
	return nil
}
