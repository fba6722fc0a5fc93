package store

import (
	"context"
	"encoding/json"
	"fmt"
)

// Pipeline is a deal or ticket pipeline with its stages.
type Pipeline struct {
	ObjectType   string  `json:"object_type"`
	ID           string  `json:"id"`
	Label        string  `json:"label"`
	DisplayOrder int     `json:"display_order"`
	Archived     bool    `json:"archived"`
	Stages       []Stage `json:"stages"`
}

// Stage is one stage of a pipeline.
type Stage struct {
	ID           string            `json:"id"`
	Label        string            `json:"label"`
	DisplayOrder int               `json:"display_order"`
	Archived     bool              `json:"archived"`
	Metadata     map[string]string `json:"metadata"` // e.g. probability, isClosed
}

// ReplacePipelines makes ps the whole set of objectType's pipelines; the
// stages of pipelines no longer listed go with them (ON DELETE CASCADE).
func (tx *Tx) ReplacePipelines(ctx context.Context, objectType string, ps []Pipeline) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM pipelines WHERE object_type = ?`, objectType); err != nil {
		return fmt.Errorf("replace %s pipelines: %w", objectType, err)
	}
	pstmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO pipelines (object_type, id, label, display_order, archived)
		VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("replace %s pipelines: %w", objectType, err)
	}
	defer pstmt.Close()
	sstmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO pipeline_stages (object_type, pipeline_id, id,
		label, display_order, archived, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("replace %s pipelines: %w", objectType, err)
	}
	defer sstmt.Close()
	for _, p := range ps {
		if _, err := pstmt.ExecContext(ctx, objectType, p.ID, p.Label, p.DisplayOrder, boolInt(p.Archived)); err != nil {
			return fmt.Errorf("replace %s pipelines: pipeline %s: %w", objectType, p.ID, err)
		}
		for _, s := range p.Stages {
			meta := s.Metadata
			if meta == nil {
				meta = map[string]string{}
			}
			body, err := json.Marshal(meta)
			if err != nil {
				return fmt.Errorf("replace %s pipelines: stage %s: %w", objectType, s.ID, err)
			}
			if _, err := sstmt.ExecContext(ctx, objectType, p.ID, s.ID, s.Label, s.DisplayOrder,
				boolInt(s.Archived), string(body)); err != nil {
				return fmt.Errorf("replace %s pipelines: pipeline %s stage %s: %w", objectType, p.ID, s.ID, err)
			}
		}
	}
	return nil
}

// Pipelines lists objectType's pipelines and their stages, each in display
// order.
func (db *DB) Pipelines(ctx context.Context, objectType string) ([]Pipeline, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT p.id, p.label, p.display_order, p.archived,
			s.id, s.label, s.display_order, s.archived, s.metadata
		FROM pipelines p LEFT JOIN pipeline_stages s
			ON s.object_type = p.object_type AND s.pipeline_id = p.id
		WHERE p.object_type = ?
		ORDER BY p.display_order, p.id, s.display_order, s.id`, objectType)
	if err != nil {
		return nil, fmt.Errorf("%s pipelines: %w", objectType, err)
	}
	defer rows.Close()
	ps := []Pipeline{}
	for rows.Next() {
		var (
			p                  Pipeline
			pArchived          int
			sID, sLabel, sMeta *string
			sOrder, sArchived  *int
		)
		if err := rows.Scan(&p.ID, &p.Label, &p.DisplayOrder, &pArchived,
			&sID, &sLabel, &sOrder, &sArchived, &sMeta); err != nil {
			return nil, fmt.Errorf("%s pipelines: %w", objectType, err)
		}
		if n := len(ps); n == 0 || ps[n-1].ID != p.ID {
			p.ObjectType, p.Archived, p.Stages = objectType, pArchived != 0, []Stage{}
			ps = append(ps, p)
		}
		if sID == nil { // a pipeline without stages
			continue
		}
		s := Stage{ID: *sID, Label: *sLabel, DisplayOrder: *sOrder, Archived: *sArchived != 0}
		if err := json.Unmarshal([]byte(*sMeta), &s.Metadata); err != nil {
			return nil, fmt.Errorf("%s pipeline %s stage %s: decode metadata: %w", objectType, p.ID, s.ID, err)
		}
		last := &ps[len(ps)-1]
		last.Stages = append(last.Stages, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s pipelines: %w", objectType, err)
	}
	return ps, nil
}
