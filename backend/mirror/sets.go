package mirror

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// The small sets (definitions, owners, pipelines, runs) are replaced whole
// whenever any of their rows changed: a few hundred rows, where keeping
// track row by row would cost more than it saves.

// replace deletes what where selects in table and copies rows in.
func (m *mirror) replace(ctx context.Context, tx pgx.Tx, table, where string, args []any, cols []string, rows [][]any) error {
	if _, err := tx.Exec(ctx, fmt.Sprintf(`DELETE FROM %s WHERE %s`, m.ident(table), where), args...); err != nil {
		return fmt.Errorf("replace %s: %w", table, err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{m.schema, table}, cols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("replace %s: %w", table, err)
	}
	m.sum.Rows += int64(len(rows))
	return nil
}

// sendProperties makes a column for each of typ's definitions and replaces
// its definitions and their options (the labels of enumeration values).
func (m *mirror) sendProperties(ctx context.Context, tx pgx.Tx, typ string) error {
	delete(m.defs, typ) // read again: they are what changed
	defs, err := m.definitions(ctx, typ)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(defs))
	for n := range defs {
		names = append(names, n)
	}
	sortStrings(names)
	if err := m.ensureColumns(ctx, tx, typ, names); err != nil {
		return err
	}
	// A property marked sensitive after its column was made: the column
	// stays (never dropped), its values go.
	for _, n := range names {
		if c, ok := m.columns[typ][n]; ok && sensitive(defs[n]) {
			col := pgx.Identifier{c.name}.Sanitize()
			if _, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE %s SET %s = NULL WHERE %s IS NOT NULL`,
				m.ident(safeName(typ)), col, col)); err != nil {
				return fmt.Errorf("clear sensitive %s of %s: %w", n, typ, err)
			}
		}
	}
	var props, options [][]any
	for _, n := range names {
		p := defs[n]
		var col any
		if c, ok := m.columns[typ][n]; ok && !sensitive(p) {
			col = c.name
		}
		props = append(props, []any{typ, n, col, p.Label, p.Type, p.FieldType, p.GroupName, p.Sensitivity, p.Hidden})
		seen := map[string]bool{}
		for _, o := range p.Options {
			if seen[o.Value] {
				continue // HubSpot has listed one value twice; the first label wins
			}
			seen[o.Value] = true
			options = append(options, []any{typ, n, o.Value, o.Label, int32(o.DisplayOrder), o.Hidden})
		}
	}
	where, args := "object_type = $1", []any{typ}
	if err := m.replace(ctx, tx, "properties", where, args, []string{"object_type", "name", "column_name", "label",
		"type", "field_type", "group_name", "sensitivity", "hidden"}, props); err != nil {
		return err
	}
	return m.replace(ctx, tx, "property_options", where, args, []string{"object_type", "property", "value", "label",
		"display_order", "hidden"}, options)
}

func (m *mirror) sendOwners(ctx context.Context, tx pgx.Tx) error {
	owners, err := m.db.Owners(ctx)
	if err != nil {
		return err
	}
	rows := make([][]any, len(owners))
	for i, o := range owners {
		var userID any
		if o.UserID != 0 {
			userID = o.UserID
		}
		rows[i] = []any{o.ID, o.Email, o.FirstName, o.LastName, userID, o.Archived, moment(o.CreatedAt), moment(o.UpdatedAt)}
	}
	return m.replace(ctx, tx, "owners", "true", nil, []string{"id", "email", "first_name", "last_name", "user_id",
		"archived", "created_at", "updated_at"}, rows)
}

func (m *mirror) sendPipelines(ctx context.Context, tx pgx.Tx, typ string) error {
	ps, err := m.db.Pipelines(ctx, typ)
	if err != nil {
		return err
	}
	var pipes, stages [][]any
	for _, p := range ps {
		pipes = append(pipes, []any{typ, p.ID, p.Label, int32(p.DisplayOrder), p.Archived})
		for _, s := range p.Stages {
			meta := s.Metadata
			if meta == nil {
				meta = map[string]string{} // jsonb {}, not null
			}
			stages = append(stages, []any{typ, p.ID, s.ID, s.Label, int32(s.DisplayOrder), s.Archived, meta})
		}
	}
	where, args := "object_type = $1", []any{typ}
	if err := m.replace(ctx, tx, "pipeline_stages", where, args, []string{"object_type", "pipeline_id", "id", "label",
		"display_order", "archived", "metadata"}, stages); err != nil {
		return err
	}
	return m.replace(ctx, tx, "pipelines", where, args, []string{"object_type", "id", "label", "display_order",
		"archived"}, pipes)
}

// sendRuns replaces the run history (no trigger marks it: it is small, and
// sent whole at the end of every sync).
func (m *mirror) sendRuns(ctx context.Context, tx pgx.Tx) error {
	runs, err := m.db.Runs(ctx, 0)
	if err != nil {
		return err
	}
	rows := make([][]any, len(runs))
	for i, r := range runs {
		objects, err := json.Marshal(r.Objects)
		if err != nil {
			return err
		}
		warnings, err := json.Marshal(r.Warnings)
		if err != nil {
			return err
		}
		rows[i] = []any{r.ID, moment(r.StartedAt), moment(r.FinishedAt), r.Status, r.Mode, string(objects), r.Error,
			string(warnings), r.APICalls, r.Retries}
	}
	return m.replace(ctx, tx, "runs", "true", nil, []string{"id", "started_at", "finished_at", "status", "mode",
		"objects", "error", "warnings", "api_calls", "retries"}, rows)
}
