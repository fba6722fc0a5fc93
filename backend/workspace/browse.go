package workspace

import (
	"context"
	"errors"

	"hubextract/backend/catalog"
	"hubextract/backend/store"
)

// RunsService reads the run history and the overview.
type RunsService struct{ w *Workspace }

// Overview returns the counts, the engagement chart's figures and the
// database's location and size (zeros before the first extraction).
func (s *RunsService) Overview() (Overview, error) {
	w := s.w
	loc, err := w.location()
	if err != nil {
		return Overview{}, err
	}
	var o Overview
	err = w.read(w.base, func(db *store.DB) error {
		var err error
		if db == nil {
			o, err = emptyOverview(loc, catalog.All())
			return err
		}
		o, err = overviewOf(w.base, db, loc, catalog.All())
		return err
	})
	return o, err
}

// query answers fn over the database, or none (with noneErr) before one
// exists: the shape of every screen read.
func query[T any](w *Workspace, none T, noneErr error, fn func(ctx context.Context, db *store.DB) (T, error)) (T, error) {
	out := none
	err := w.read(w.base, func(db *store.DB) error {
		if db == nil {
			return noneErr
		}
		var err error
		out, err = fn(w.base, db)
		return err
	})
	return out, err
}

// List returns the latest runs, newest first.
func (s *RunsService) List(limit int) ([]Run, error) {
	return query(s.w, []Run{}, nil, func(ctx context.Context, db *store.DB) ([]Run, error) {
		return runsOf(ctx, db, limit)
	})
}

// Get returns one run with its per-stream figures and errors.
func (s *RunsService) Get(id int64) (Run, error) {
	return query(s.w, Run{}, ErrNoData, func(ctx context.Context, db *store.DB) (Run, error) {
		return runByID(ctx, db, id)
	})
}

// RecordsService reads records for the Records screen.
type RecordsService struct{ w *Workspace }

// Columns lists the columns the chooser offers for a type.
func (s *RecordsService) Columns(objectType string) ([]Column, error) {
	return query(s.w, []Column{}, nil, func(ctx context.Context, db *store.DB) ([]Column, error) {
		return columnsOf(ctx, db, objectType)
	})
}

// Page reads one page of records (keyset paging, newest change first).
func (s *RecordsService) Page(q PageQuery) (Page, error) {
	empty := Page{Type: q.Type, Columns: []Column{}, Rows: []Row{}}
	return query(s.w, empty, nil, func(ctx context.Context, db *store.DB) (Page, error) {
		return recordsPage(ctx, db, q)
	})
}

// Detail reads one record with every property and its linked records.
func (s *RecordsService) Detail(objectType, id string) (Detail, error) {
	return query(s.w, Detail{}, ErrNoData, func(ctx context.Context, db *store.DB) (Detail, error) {
		d, err := recordDetail(ctx, db, objectType, id)
		if errors.Is(err, store.ErrNotFound) {
			return d, errors.New("this record is not in the database (it may belong to a type not extracted)")
		}
		return d, err
	})
}
