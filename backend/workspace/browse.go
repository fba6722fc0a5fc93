package workspace

import (
	"context"
	"errors"

	"hubextract/backend/catalog"
	"hubextract/backend/store"
	"hubextract/backend/views"
)

// Overview reads the overview screen's figures (zeros before the first
// extraction).
func (w *Workspace) Overview(ctx context.Context) (views.Overview, error) {
	var o views.Overview
	err := w.read(ctx, func(db *store.DB) error {
		var err error
		if db == nil {
			path, perr := w.Settings().Database()
			if perr != nil {
				return perr
			}
			o, err = views.EmptyOverview(path, catalog.All)
			return err
		}
		o, err = views.OverviewOf(ctx, db, catalog.All)
		return err
	})
	return o, err
}

// Runs lists the latest runs, newest first.
func (w *Workspace) Runs(ctx context.Context, limit int) ([]views.Run, error) {
	runs := []views.Run{}
	err := w.read(ctx, func(db *store.DB) error {
		if db == nil {
			return nil
		}
		var err error
		runs, err = views.Runs(ctx, db, limit)
		return err
	})
	return runs, err
}

// ErrNoData: the database does not exist yet.
var ErrNoData = errors.New("nothing extracted yet: run an extraction first")

// Run reads one run.
func (w *Workspace) Run(ctx context.Context, id int64) (views.Run, error) {
	var run views.Run
	err := w.read(ctx, func(db *store.DB) error {
		if db == nil {
			return ErrNoData
		}
		var err error
		run, err = views.RunByID(ctx, db, id)
		return err
	})
	return run, err
}

// Columns lists the record table's columns for a type.
func (w *Workspace) Columns(ctx context.Context, objectType string) ([]views.Column, error) {
	cols := []views.Column{}
	err := w.read(ctx, func(db *store.DB) error {
		if db == nil {
			return nil
		}
		var err error
		cols, err = views.Columns(ctx, db, objectType)
		return err
	})
	return cols, err
}

// Records reads one page of the record table.
func (w *Workspace) Records(ctx context.Context, q views.PageQuery) (views.Page, error) {
	page := views.Page{Type: q.Type, Columns: []views.Column{}, Rows: []views.Row{}}
	err := w.read(ctx, func(db *store.DB) error {
		if db == nil {
			return nil
		}
		var err error
		page, err = views.RecordsPage(ctx, db, q)
		return err
	})
	return page, err
}

// Record reads one record with its properties and links.
func (w *Workspace) Record(ctx context.Context, objectType, id string) (views.Detail, error) {
	var d views.Detail
	err := w.read(ctx, func(db *store.DB) error {
		if db == nil {
			return ErrNoData
		}
		var err error
		d, err = views.RecordDetail(ctx, db, objectType, id)
		if errors.Is(err, store.ErrNotFound) {
			return errors.New("this record is not in the database (it may belong to a type not extracted)")
		}
		return err
	})
	return d, err
}
