package export

import (
	"context"
	"fmt"
	"strings"

	"hubextract/backend/store"
)

// Labeler turns one object type's internal names and stored values into what
// a person reads in HubSpot: property labels, option labels, owner names,
// pipeline and stage labels ("Closed Won", not closedwon). It is built once
// per type from the stored metadata and is safe for concurrent reads. A
// value it cannot resolve (an owner since deleted, an option since removed)
// passes through unchanged rather than becoming empty.
type Labeler struct {
	props     map[string]propertyLabels
	owners    map[string]string         // owner id → display name
	pipelines map[string]pipelineLabels // pipeline id → labels
	stages    map[string]string         // stage id → label, for a record without a known pipeline
}

type propertyLabels struct {
	label   string
	options map[string]string // option value → label
}

type pipelineLabels struct {
	label  string
	stages map[string]string // stage id → label
}

// NewLabeler reads the property definitions of objectType, the owners and
// objectType's pipelines from db.
func NewLabeler(ctx context.Context, db *store.DB, objectType string) (*Labeler, error) {
	props, err := db.Properties(ctx, objectType)
	if err != nil {
		return nil, fmt.Errorf("labels for %s: %w", objectType, err)
	}
	owners, err := db.Owners(ctx)
	if err != nil {
		return nil, fmt.Errorf("labels for %s: %w", objectType, err)
	}
	pipelines, err := db.Pipelines(ctx, objectType)
	if err != nil {
		return nil, fmt.Errorf("labels for %s: %w", objectType, err)
	}
	return newLabeler(props, owners, pipelines), nil
}

func newLabeler(props []store.Property, owners []store.Owner, pipelines []store.Pipeline) *Labeler {
	l := &Labeler{
		props:     make(map[string]propertyLabels, len(props)),
		owners:    make(map[string]string, len(owners)),
		pipelines: make(map[string]pipelineLabels, len(pipelines)),
		stages:    map[string]string{},
	}
	for _, p := range props {
		pl := propertyLabels{label: p.Label}
		if len(p.Options) > 0 {
			pl.options = make(map[string]string, len(p.Options))
			for _, o := range p.Options {
				if o.Label != "" {
					pl.options[o.Value] = o.Label
				}
			}
		}
		l.props[p.Name] = pl
	}
	for _, o := range owners {
		if name := o.DisplayName(); name != "" {
			l.owners[o.ID] = name
		}
	}
	for _, p := range pipelines {
		pl := pipelineLabels{label: p.Label, stages: make(map[string]string, len(p.Stages))}
		for _, s := range p.Stages {
			pl.stages[s.ID] = s.Label
			if _, seen := l.stages[s.ID]; !seen {
				l.stages[s.ID] = s.Label
			}
		}
		l.pipelines[p.ID] = pl
	}
	return l
}

// isOwnerName reports whether a property holds owner ids: HubSpot names them
// ..._owner_id (hubspot_owner_id, hs_..._owner_id) or ..._owner_ids (several,
// ';'-separated). The stored definitions do not keep referencedObjectType,
// and an owner property's options, when HubSpot sends any, may be stale.
func isOwnerName(name string) bool {
	return strings.HasSuffix(name, "owner_id") || strings.HasSuffix(name, "owner_ids")
}

func isPipelineName(name string) bool { return name == "pipeline" || name == "hs_pipeline" }

func isStageName(name string) bool { return name == "dealstage" || name == "hs_pipeline_stage" }

// Header is the column title of a property: its label, or its internal name
// when it has none (a property no longer defined).
func (l *Labeler) Header(name string) string {
	if p, ok := l.props[name]; ok && p.label != "" {
		return p.label
	}
	return name
}

// Value is the readable form of property name's raw value on rec; a null
// value is empty. rec supplies the pipeline a stage belongs to.
func (l *Labeler) Value(name string, raw *string, rec store.Record) string {
	if raw == nil {
		return ""
	}
	v := *raw
	p := l.props[name]
	switch {
	case v == "":
		return v
	case isPipelineName(name):
		if pl, ok := l.pipelines[v]; ok && pl.label != "" {
			return pl.label
		}
	case isStageName(name):
		if label, ok := l.stage(v, rec); ok {
			return label
		}
	case isOwnerName(name):
		return eachValue(v, l.owners)
	}
	if p.options != nil {
		return eachValue(v, p.options)
	}
	return v
}

// stage resolves a stage id within the record's own pipeline first: stage
// ids are only unique within a pipeline.
func (l *Labeler) stage(id string, rec store.Record) (string, bool) {
	for _, name := range []string{"pipeline", "hs_pipeline"} {
		if p := rec.Properties[name]; p != nil {
			if label, ok := l.pipelines[*p].stages[id]; ok && label != "" {
				return label, true
			}
		}
	}
	label, ok := l.stages[id]
	return label, ok && label != ""
}

// eachValue maps v through labels, or, when v as a whole is not a key, each
// of its ';'-separated parts (HubSpot's multi-select format); parts without a
// label stay as they are.
func eachValue(v string, labels map[string]string) string {
	if label, ok := labels[v]; ok {
		return label
	}
	if !strings.Contains(v, ";") {
		return v
	}
	parts := strings.Split(v, ";")
	for i, part := range parts {
		if label, ok := labels[part]; ok {
			parts[i] = label
		}
	}
	return strings.Join(parts, ";")
}
