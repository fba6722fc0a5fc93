package extract

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/hubspot"
	"hubextract/backend/progress"
	"hubextract/backend/store"
)

// Forms and their submissions. The forms list (100 per page) is read in
// full every run, of every type (formTypes=all: without it HubSpot lists
// only hubspot forms), the active forms, then the archived ones in a list
// of their own (archived=true); each page is saved together with one
// pending checkpoint per form whose submissions are still to read, and
// each such form becomes its own task, so the scheduler's workers read
// many forms at once under the client's shared limiter. A form's submissions come newest first, 50
// per page, each page saved in its own transaction; an incremental run
// stops at the first page reaching back past its watermark (minus the
// overlap), so a form with nothing new costs one call.
//
// Resume is by form: a form whose last page was saved is done; an
// unfinished one is read again from its newest page, since the
// submissions cursor is an opaque token whose lifetime HubSpot does not
// document (upserts make the second read harmless).
//
// A blog comment form has no submissions (HubSpot answers the request 400):
// it is skipped without a call, with a note in the run log; any other form
// whose first submissions page HubSpot answers 400 is skipped with a
// warning, never failing the stream.

// submissionsPrefix starts the checkpoint key of each form's submissions.
const submissionsPrefix = catalog.FormSubmissions + ":form:"

func submissionsKey(formID string) string { return submissionsPrefix + formID }

// queueForms queues the forms list and, for a resumed run, the forms whose
// submissions the interrupted run left unfinished.
func (e *engine) queueForms(ctx context.Context) {
	fs, ss := e.streams[catalog.Forms], e.streams[catalog.FormSubmissions]
	if fs == nil && ss == nil {
		return
	}
	both := slices.DeleteFunc([]*stream{fs, ss}, func(s *stream) bool { return s == nil })
	for _, s := range both {
		s.hold() // until everything is queued
	}
	queued := map[string]bool{}
	if ss != nil {
		var pending []string
		for key, cp := range e.plan.cps {
			if id, ok := strings.CutPrefix(key, submissionsPrefix); ok && !cp.Done {
				pending = append(pending, id)
			}
		}
		slices.Sort(pending)
		for _, id := range pending {
			queued[id] = true
			e.queueSubmissions(ctx, ss, id)
		}
	}
	after, activeListed := e.plan.checkpoint(listKey(catalog.Forms))
	archivedAfter, archivedListed := e.plan.checkpoint(archivedKey(catalog.Forms))
	listed := activeListed && archivedListed
	for _, s := range both {
		s.mu.Lock()
		s.listedBefore = listed && (s == fs || len(queued) == 0)
		s.mu.Unlock()
	}
	if !listed {
		for _, s := range both {
			s.hold()
		}
		e.sched.add(&task{name: catalog.Forms, priority: metadataPriority / 2, run: func(ctx context.Context) {
			var err error
			if !activeListed {
				err = e.walkForms(ctx, fs, ss, false, after, queued)
			}
			if err == nil && !archivedListed {
				err = e.walkForms(ctx, fs, ss, true, archivedAfter, queued)
			}
			for _, s := range both {
				s.fail(ctx, err)
				s.release(ctx)
			}
		}})
	}
	for _, s := range both {
		s.release(ctx)
	}
}

// walkForms lists the active forms, or the archived ones, from the saved
// cursor on. The calls count toward the forms stream, or toward
// form_submissions when only that is selected (see meter).
func (e *engine) walkForms(ctx context.Context, fs, ss *stream, archived bool, after string, queued map[string]bool) error {
	owner := cmp.Or(fs, ss)
	tctx, cancel := owner.taskContext(ctx)
	defer cancel()
	key, list, phase := listKey(catalog.Forms), e.client.ListForms, progress.PhaseRecords
	if archived {
		key, list, phase = archivedKey(catalog.Forms), e.client.ListArchivedForms, progress.PhaseArchived
	}
	owner.setPhase(phase)
	owner.report(false)
	for {
		page, err := list(tctx, after)
		if err != nil {
			return err
		}
		e.addMinimum(1)
		forms := make([]store.Form, len(page.Results))
		var fresh []string
		for i, f := range page.Results {
			forms[i] = store.Form{ID: f.ID, Name: f.Name, FormType: f.FormType, CreatedAt: f.CreatedAt,
				UpdatedAt: f.UpdatedAt, Archived: f.Archived, Raw: f.Raw}
			if _, done := e.plan.checkpoint(submissionsKey(f.ID)); ss != nil && !done && !queued[f.ID] {
				queued[f.ID] = true
				if !hasSubmissions(f.FormType) {
					e.note(ss.name, "form "+f.ID+" ("+f.Name+") is a blog comment form, which has no form submissions: skipped")
					continue
				}
				fresh = append(fresh, f.ID)
			}
		}
		n := int64(len(forms))
		if owner != fs {
			n = 0 // forms are not submissions
		}
		runID, now := e.runID, e.clk.Now()
		if err := owner.save(tctx, key, page.Next, n, func(ctx context.Context, tx *store.Tx) error {
			if err := tx.UpsertForms(ctx, forms); err != nil {
				return err
			}
			for _, id := range fresh {
				if err := tx.SaveCheckpoint(ctx, store.Checkpoint{RunID: runID, Stream: submissionsKey(id), UpdatedAt: now}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
		for _, id := range fresh {
			e.queueSubmissions(tctx, ss, id)
		}
		if page.Next == "" {
			return nil
		}
		after = page.Next
	}
}

// note writes an information line of a stream to the run log.
func (e *engine) note(stream, msg string) {
	e.rep.Report(progress.Event{Kind: progress.KindLog, Time: e.clk.Now(), Stream: stream, Level: progress.LevelInfo,
		Message: stream + ": " + msg})
}

// hasSubmissions tells whether forms of a type have submissions to read:
// all but blog comment forms, whose submissions request HubSpot answers
// 400 (the call is not made).
func hasSubmissions(formType string) bool { return formType != hubspot.FormTypeBlogComment }

// queueSubmissions queues the read of one form's submissions, the forms
// with the most stored submissions first.
func (e *engine) queueSubmissions(ctx context.Context, s *stream, formID string) {
	priority := marketingPriority
	if !e.incremental(s.name) {
		if n, err := e.db.CountFormSubmissions(ctx, formID); err == nil {
			priority += float64(submissionsCalls([]int64{n}))
		}
	}
	s.hold()
	e.sched.add(&task{name: submissionsKey(formID), priority: priority, run: func(ctx context.Context) {
		defer s.release(ctx)
		s.fail(ctx, e.walkSubmissions(ctx, s, formID))
	}})
}

// walkSubmissions reads one form's submissions, newest first, down to the
// end or (incremental) past the watermark.
func (e *engine) walkSubmissions(ctx context.Context, s *stream, formID string) error {
	tctx, cancel := s.taskContext(ctx)
	defer cancel()
	s.setPhase(progress.PhaseRecords)
	var cutoff time.Time
	if e.incremental(s.name) {
		cutoff = e.changesFrom(s.name)
	}
	key, after := submissionsKey(formID), ""
	for {
		page, err := e.client.ListFormSubmissions(tctx, formID, after)
		if nf := (*hubspot.NotFoundError)(nil); errors.As(err, &nf) {
			// Deleted since it was listed: nothing left to read.
			return e.w.write(func(ctx context.Context, tx *store.Tx) error {
				return tx.SaveCheckpoint(ctx, store.Checkpoint{RunID: e.runID, Stream: key, Done: true, UpdatedAt: e.clk.Now()})
			})
		}
		if ve := (*hubspot.ValidationError)(nil); after == "" && errors.As(err, &ve) {
			// HubSpot refuses this form's submissions (as it does a blog
			// comment form's): skipped, never failing the stream. The call
			// could not be saved: it counts toward the minimum as the
			// estimate counts it (one page for a form with none stored).
			e.addMinimum(1)
			e.warn(s.name + ": form " + formID + ": HubSpot refuses its submissions (" + cmp.Or(ve.Message, "400") + "); skipped")
			return e.w.write(func(ctx context.Context, tx *store.Tx) error {
				return tx.SaveCheckpoint(ctx, store.Checkpoint{RunID: e.runID, Stream: key, Done: true, UpdatedAt: e.clk.Now()})
			})
		}
		if err != nil {
			return err
		}
		e.addMinimum(1)
		subs := make([]store.FormSubmission, 0, len(page.Results))
		reachedOld := false
		for _, r := range page.Results {
			if !cutoff.IsZero() && r.SubmittedAt.Before(cutoff) {
				reachedOld = true // stored by an earlier run
				continue
			}
			subs = append(subs, store.FormSubmission{FormID: formID, ConversionID: r.ConversionID,
				SubmittedAt: r.SubmittedAt, PageURL: r.PageURL, Values: fieldValues(r.Values)})
		}
		next := page.Next
		if reachedOld {
			next = "" // older pages were read by earlier runs
		}
		// The cursor is kept for the record only (see above).
		if err := s.save(tctx, key, next, int64(len(subs)), func(ctx context.Context, tx *store.Tx) error {
			return tx.UpsertFormSubmissions(ctx, subs)
		}); err != nil {
			return err
		}
		if next == "" {
			return nil
		}
		after = next
	}
}

// fieldValues turns submitted fields into name → value; a field sent more
// than once (several checkboxes) keeps every value, ';'-separated as
// HubSpot writes multiple choices.
func fieldValues(fields []hubspot.FieldValue) map[string]string {
	out := make(map[string]string, len(fields))
	for _, f := range fields {
		if v, ok := out[f.Name]; ok {
			out[f.Name] = v + ";" + f.Value
			continue
		}
		out[f.Name] = f.Value
	}
	return out
}
