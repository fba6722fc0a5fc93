package extract

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"hubextract/backend/catalog"
	"hubextract/backend/hubspot"
	"hubextract/backend/progress"
	"hubextract/backend/store"
)

// Associations beyond the inline page. A record whose inline collection
// overflowed (paging.next inside it) is written with its first page and
// recorded as pending in the same transaction; the rest is read through
// the v4 batch read, 1,000 records per call, following each record's own
// cursor. Both directions of a pair arrive inline when both types are
// selected and list each other (contacts ↔ companies): a pair is then
// missing only if both inline pages lack it, so completing the overflowed
// records of one side is enough, and the side with fewer is chosen once
// both walks finished. An incremental read of a type re-reads through the
// same batch read the associations of every record it found changed: its
// pending list holds them all, and only that type's own side completes it.

// direction is one way of asking for associations: records of from, the
// associated ids of type to.
type direction struct{ from, to string }

// assocGroup is one direction, or both directions of a pair that complete
// each other. Each member stream holds the group as an obligation.
type assocGroup struct {
	dirs []direction

	mu      sync.Mutex
	waiting int             // member walks not yet finished
	ok      map[string]bool // member walks that finished without error
}

func (e *engine) newGroups() []*assocGroup {
	var groups []*assocGroup
	seen := map[direction]bool{}
	for _, a := range e.crm {
		for _, b := range catalog.Inline(a) {
			d := direction{a, b}
			if seen[d] {
				continue
			}
			seen[d] = true
			g := &assocGroup{dirs: []direction{d}, ok: map[string]bool{}}
			// Both sides list each other in full: either completes the pair.
			if slices.Contains(e.crm, b) && slices.Contains(catalog.Inline(b), a) &&
				!e.incremental(a) && !e.incremental(b) {
				back := direction{b, a}
				seen[back] = true
				g.dirs = append(g.dirs, back)
			}
			g.waiting = len(g.dirs)
			for _, d := range g.dirs {
				e.streams[d.from].hold()
			}
			groups = append(groups, g)
		}
	}
	return groups
}

// listsFinished tells the groups of s that its walk ended; a group whose
// walks all ended queues its completion.
func (e *engine) listsFinished(ctx context.Context, s *stream, ok bool) {
	for _, g := range e.groups {
		for _, d := range g.dirs {
			if d.from != s.name {
				continue
			}
			g.mu.Lock()
			g.ok[s.name] = ok
			g.waiting--
			ready := g.waiting == 0
			g.mu.Unlock()
			if ready {
				e.sched.add(&task{name: "associations " + d.from + "→" + d.to, priority: metadataPriority / 2,
					run: func(ctx context.Context) { e.resolve(ctx, g) }})
			}
		}
	}
}

// resolve completes a group: the one direction, or of a pair the side with
// fewer pending records (both walks done), else the side whose walk
// succeeded. Once the chosen side is complete, the other side's pending
// records are forgotten: their pairs are all known.
func (e *engine) resolve(ctx context.Context, g *assocGroup) {
	defer func() {
		for _, d := range g.dirs {
			e.streams[d.from].release(ctx)
		}
	}()
	var ready []direction
	for _, d := range g.dirs {
		if g.ok[d.from] {
			ready = append(ready, d)
		}
	}
	if len(ready) == 0 {
		return
	}
	chosen := ready
	if len(ready) == 2 {
		a, errA := e.db.CountOverflow(ctx, ready[0].from, ready[0].to)
		b, errB := e.db.CountOverflow(ctx, ready[1].from, ready[1].to)
		if errA != nil || errB != nil {
			e.streams[ready[0].from].fail(ctx, fmt.Errorf("count overflowed associations: %w", errOr(errA, errB)))
			return
		}
		chosen = ready[:1]
		if b < a {
			chosen = ready[1:]
		}
	}
	for _, d := range chosen {
		s := e.streams[d.from]
		if err := e.complete(ctx, s, d); err != nil {
			var se *hubspot.ScopeError
			if errors.As(err, &se) && !errCancelled(ctx, err) {
				// The key cannot read d.to (its type is unavailable): the
				// records keep the associations listed inline with them, and
				// the rest stays pending for a key that can.
				e.note(d.from, fmt.Sprintf("associations with %s not completed: the key lacks %s", d.to,
					cmp.Or(strings.Join(se.Scopes, " or "), catalog.ReadScope(d.to))))
				return
			}
			s.fail(ctx, err)
			return
		}
	}
	if len(ready) == 2 && ctx.Err() == nil {
		other := ready[0]
		if chosen[0] == other {
			other = ready[1]
		}
		if err := e.w.write(func(ctx context.Context, tx *store.Tx) error {
			return tx.ClearOverflow(ctx, other.from, other.to)
		}); err != nil {
			e.streams[other.from].fail(ctx, err)
		}
	}
}

func errOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// complete reads the full associations of every pending record of one
// direction, 1,000 records per call, then the further pages of those that
// have more, each with its own cursor. A record's first page replaces what
// it had; later pages add to it; it leaves the pending list with its last
// page, in the same transaction.
func (e *engine) complete(ctx context.Context, s *stream, d direction) error {
	tctx, cancel := s.taskContext(ctx)
	defer cancel()
	s.setPhase(progress.PhaseAssociations)
	s.report(false)
	after := ""
	for {
		ids, err := e.db.OverflowIDs(tctx, d.from, d.to, after, hubspot.MaxAssociationInputs)
		if err != nil || len(ids) == 0 {
			return err
		}
		after = ids[len(ids)-1]
		inputs := make([]hubspot.AssociationInput, len(ids))
		for i, id := range ids {
			inputs[i] = hubspot.AssociationInput{ID: id}
		}
		for first := true; len(inputs) > 0; first = false {
			if inputs, err = e.completeRound(tctx, s, d, inputs, first); err != nil {
				return err
			}
		}
	}
}

// completeRound makes one batch call and saves what it brought; it returns
// the inputs of the records that have another page. A record whose set is
// complete also loses the pairs only the other side still listed: they are
// stale.
func (e *engine) completeRound(ctx context.Context, s *stream, d direction, inputs []hubspot.AssociationInput, first bool) ([]hubspot.AssociationInput, error) {
	batch, err := e.client.BatchReadAssociations(ctx, d.from, d.to, inputs)
	if err != nil {
		return nil, err
	}
	e.addMinimum(1)
	failed := map[string]bool{}
	for _, f := range batch.Failed {
		if len(f.IDs) == 0 {
			return nil, fmt.Errorf("associations %s→%s: %s", d.from, d.to, f.String())
		}
		for _, id := range f.IDs {
			failed[id] = true
		}
	}
	var assocs []store.Association
	var next []hubspot.AssociationInput
	more := map[string]bool{}
	for _, r := range batch.Results {
		if failed[r.FromID] {
			continue
		}
		for _, to := range r.To {
			a := store.Association{FromType: d.from, FromID: r.FromID, ToType: d.to, ToID: to.ID}
			for _, t := range to.Types {
				a.Types = append(a.Types, store.AssocType{Category: t.Category, TypeID: t.TypeID, Label: t.Label})
			}
			assocs = append(assocs, a)
		}
		if r.Next != "" {
			next = append(next, hubspot.AssociationInput{ID: r.FromID, After: r.Next})
			more[r.FromID] = true
		}
	}
	var touched, resolved []string // a record absent from the results has none
	for _, in := range inputs {
		if failed[in.ID] {
			continue
		}
		touched = append(touched, in.ID)
		if !more[in.ID] {
			resolved = append(resolved, in.ID)
		}
	}
	if len(failed) > 0 {
		e.warn(fmt.Sprintf("%s: HubSpot could not read the %s associated with %d records (%s); the next run tries again",
			d.from, d.to, len(failed), strings.Join(slices.Sorted(maps.Keys(failed)), ", ")))
	}
	nFailed := int64(len(failed))
	err = <-e.w.submit(func(ctx context.Context, tx *store.Tx) error {
		if first {
			if err := tx.ReplaceAssociations(ctx, d.from, touched, []string{d.to}, assocs); err != nil {
				return err
			}
		} else if err := tx.AddAssociations(ctx, assocs); err != nil {
			return err
		}
		if err := tx.PruneReverseAssociations(ctx, d.from, d.to, resolved); err != nil {
			return err
		}
		if err := tx.ResolveOverflow(ctx, d.from, d.to, resolved); err != nil {
			return err
		}
		// As commitPage: the line as it stands once this round commits.
		line := s.result()
		line.Failed += nFailed
		return tx.SaveStreamResult(ctx, e.runID, line)
	}, func() {
		s.mu.Lock()
		s.failed += nFailed
		s.mu.Unlock()
		if e.pageSaved != nil {
			e.pageSaved()
		}
	})
	if err != nil {
		return nil, err
	}
	s.report(false)
	return next, nil
}

// inlineTypes are the association types the list endpoint names inline
// (v3 gives names, v4 ids): for each relation read inline, the unlabelled
// type and, where the relation has one, the "Primary" type.
var inlineTypes = map[string]store.AssocType{}

func init() {
	add := func(name string, unlabeled, primary int) {
		if primary == 0 {
			inlineTypes[name] = store.AssocType{Category: "HUBSPOT_DEFINED", TypeID: unlabeled}
			return
		}
		inlineTypes[name] = store.AssocType{Category: "HUBSPOT_DEFINED", TypeID: primary, Label: "Primary"}
		inlineTypes[name+"_unlabeled"] = store.AssocType{Category: "HUBSPOT_DEFINED", TypeID: unlabeled}
	}
	add("contact_to_company", 279, 1)
	add("company_to_contact", 280, 2)
	add("deal_to_contact", 3, 0)
	add("deal_to_company", 341, 5)
	add("ticket_to_contact", 16, 0)
	add("ticket_to_company", 339, 26)
	// Engagements → contacts, companies, deals, tickets. HubSpot names
	// meetings "meeting_event" in type names; both spellings are accepted.
	for _, e := range []struct {
		names []string
		ids   [4]int
	}{
		{[]string{"call"}, [4]int{194, 182, 206, 220}},
		{[]string{"email"}, [4]int{198, 186, 210, 224}},
		{[]string{"meeting_event", "meeting"}, [4]int{200, 188, 212, 226}},
		{[]string{"note"}, [4]int{202, 190, 214, 228}},
		{[]string{"task"}, [4]int{204, 192, 216, 230}},
	} {
		for _, n := range e.names {
			for k, to := range []string{"contact", "company", "deal", "ticket"} {
				add(n+"_to_"+to, e.ids[k], 0)
			}
		}
	}
}

// inlineType turns an inline association type name into the stored type;
// a name this table does not know (a label defined in the account) is kept
// as the label.
func inlineType(name string) store.AssocType {
	if t, ok := inlineTypes[name]; ok {
		return t
	}
	return store.AssocType{Category: "USER_DEFINED", Label: name}
}
