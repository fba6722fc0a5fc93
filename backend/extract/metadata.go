package extract

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"hubextract/backend/catalog"
	"hubextract/backend/hubspot"
	"hubextract/backend/progress"
	"hubextract/backend/store"
)

// metadataPriority puts metadata before every walk of records: labels are
// worth having even from a run cut short, and they cost a handful of calls.
const metadataPriority = 1e12

// metaItem is one metadata read with its own checkpoint.
type metaItem struct {
	key string
	run func(ctx context.Context, key string) error
}

// queueMetadata queues the owners (active and archived, which still own
// old records) and the pipelines of the selected types that have them.
func (e *engine) queueMetadata(ctx context.Context, s *stream) {
	s.hold() // released once every item is queued, so the stream cannot end early
	items := []metaItem{
		{metaKey("owners"), func(ctx context.Context, key string) error { return e.owners(ctx, s, key, false) }},
		{metaKey("owners:archived"), func(ctx context.Context, key string) error { return e.owners(ctx, s, key, true) }},
	}
	for _, t := range catalog.PipelineTypes() {
		if slices.Contains(e.crm, t) {
			items = append(items, metaItem{metaKey("pipelines:" + t),
				func(ctx context.Context, key string) error { return e.pipelines(ctx, s, key, t) }})
		}
	}
	done := true
	for _, it := range items {
		if _, ok := e.plan.checkpoint(it.key); ok {
			continue
		}
		done = false
		s.hold()
		e.sched.add(&task{name: it.key, priority: metadataPriority, run: func(ctx context.Context) {
			defer s.release(ctx)
			tctx, cancel := s.taskContext(ctx)
			defer cancel()
			s.setPhase(progress.PhaseRecords)
			if err := it.run(tctx, it.key); err != nil && !errCancelled(ctx, err) {
				s.mu.Lock()
				s.failed++
				s.mu.Unlock()
				s.fail(ctx, err)
			}
			s.report(false)
		}})
	}
	s.mu.Lock()
	s.listedBefore = done
	s.mu.Unlock()
	s.release(ctx)
}

// owners reads every page of owners; each page is saved with its cursor.
func (e *engine) owners(ctx context.Context, s *stream, key string, archived bool) error {
	after, _ := e.plan.checkpoint(key)
	for {
		page, err := e.client.ListOwners(ctx, after, archived)
		if err != nil {
			return err
		}
		e.addMinimum(1)
		owners := make([]store.Owner, len(page.Results))
		for i, o := range page.Results {
			owners[i] = store.Owner{ID: o.ID, Email: o.Email, FirstName: o.FirstName, LastName: o.LastName,
				UserID: o.UserID, Archived: o.Archived || archived, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
		}
		if err := s.save(ctx, key, page.Next, int64(len(owners)), func(ctx context.Context, tx *store.Tx) error {
			return tx.UpsertOwners(ctx, owners)
		}); err != nil {
			return err
		}
		if page.Next == "" {
			return nil
		}
		after = page.Next
	}
}

// pipelines reads the pipelines and stages of one type.
func (e *engine) pipelines(ctx context.Context, s *stream, key, objectType string) error {
	ps, err := e.client.Pipelines(ctx, objectType)
	var se *hubspot.ScopeError
	if errors.As(err, &se) {
		// The type's scope reads its pipelines too: a key without it finds
		// the type itself unavailable, which its own stream says. The
		// metadata does not fail for it; the refused call is still made
		// (the estimate counts it) and counted.
		e.addMinimum(pipelineCalls)
		e.note(metadataStream, fmt.Sprintf("pipelines of %s not read: the key lacks %s", objectType,
			cmp.Or(strings.Join(se.Scopes, " or "), catalog.ReadScope(objectType))))
		return nil
	}
	if err != nil {
		return err
	}
	e.addMinimum(pipelineCalls)
	out := make([]store.Pipeline, len(ps))
	for i, p := range ps {
		sp := store.Pipeline{ObjectType: objectType, ID: p.ID, Label: p.Label, DisplayOrder: p.DisplayOrder,
			Archived: p.Archived, Stages: make([]store.Stage, len(p.Stages))}
		for j, st := range p.Stages {
			sp.Stages[j] = store.Stage{ID: st.ID, Label: st.Label, DisplayOrder: st.DisplayOrder,
				Archived: st.Archived, Metadata: st.Metadata}
		}
		out[i] = sp
	}
	return s.save(ctx, key, "", int64(len(out)), func(ctx context.Context, tx *store.Tx) error {
		return tx.ReplacePipelines(ctx, objectType, out)
	})
}

// properties returns the definition of every property of the stream's
// type: read from HubSpot and saved, or, when an interrupted run already
// did, from the database. HubSpot lists each level of sensitivity apart, so a
// type that can hold sensitive data takes one more list per level; all are
// saved together, each definition marked with its level, and every name is
// requested on the records.
func (e *engine) properties(ctx context.Context, s *stream) ([]store.Property, error) {
	key := propsKey(s.name)
	if _, done := e.plan.checkpoint(key); done {
		stored, err := e.db.Properties(ctx, s.name)
		if err != nil {
			return nil, err
		}
		if len(stored) > 0 {
			return stored, nil
		}
	}
	defs, err := e.client.Properties(ctx, s.name, hubspot.NonSensitive)
	if err != nil {
		return nil, err
	}
	e.addMinimum(1)
	if len(defs) == 0 {
		return nil, fmt.Errorf("properties of %s: HubSpot returned no property definitions", s.name)
	}
	for _, level := range catalog.SensitiveLevels(s.name) {
		more, err := e.sensitiveProperties(ctx, s, level)
		if err != nil {
			return nil, err
		}
		defs = append(defs, more...)
	}
	props := make([]store.Property, 0, len(defs))
	seen := make(map[string]bool, len(defs))
	for _, d := range defs {
		// Each level is its own list, so a name should come once; if
		// HubSpot ever listed one twice, the first (least sensitive) wins
		// rather than the save failing on the duplicate.
		if !seen[d.Name] {
			seen[d.Name] = true
			props = append(props, convertProperty(s.name, d))
		}
	}
	err = s.e.w.write(func(ctx context.Context, tx *store.Tx) error {
		if err := tx.ReplaceProperties(ctx, s.name, props); err != nil {
			return err
		}
		return tx.SaveCheckpoint(ctx, store.Checkpoint{RunID: e.runID, Stream: key, Done: true, UpdatedAt: e.clk.Now()})
	})
	if err != nil {
		return nil, err
	}
	return props, nil
}

// sensitiveProperties lists the definitions of one level beyond
// non-sensitive. A key without the level's scope is normal (HubSpot grants
// these scopes apart, and many accounts never do): the refusal is noted
// once, naming the scope that would add them, and the type goes on with
// what it may read. The refused call counts toward the minimum all the
// same: it is the call that tells, and the estimate prices it.
func (e *engine) sensitiveProperties(ctx context.Context, s *stream, level catalog.SensitiveLevel) ([]hubspot.Property, error) {
	defs, err := e.client.Properties(ctx, s.name, level.Level)
	var se *hubspot.ScopeError
	switch {
	case errors.As(err, &se):
		e.addMinimum(1)
		e.note(s.name, fmt.Sprintf("%s properties not extracted: the key lacks %s; add that scope to the key in HubSpot to include them",
			strings.ReplaceAll(level.Level, "_", " "), level.Scope))
		return nil, nil
	case err != nil:
		return nil, err
	}
	e.addMinimum(1)
	for i := range defs {
		// The list is of this level; a definition that does not say so
		// (decoded as non-sensitive) is still of it.
		if defs[i].DataSensitivity == hubspot.NonSensitive {
			defs[i].DataSensitivity = level.Level
		}
	}
	return defs, nil
}

func convertProperty(objectType string, d hubspot.Property) store.Property {
	p := store.Property{ObjectType: objectType, Name: d.Name, Label: d.Label, Type: d.Type, FieldType: d.FieldType,
		GroupName: d.GroupName, DisplayOrder: d.DisplayOrder, Hidden: d.Hidden, Sensitivity: d.DataSensitivity,
		Options: make([]store.Option, len(d.Options))}
	for i, o := range d.Options {
		p.Options[i] = store.Option{Label: o.Label, Value: o.Value, DisplayOrder: o.DisplayOrder, Hidden: o.Hidden}
	}
	return p
}

func propertyNames(props []store.Property) []string {
	names := make([]string, len(props))
	for i, p := range props {
		names[i] = p.Name
	}
	slices.Sort(names)
	return names
}
