package workspace

import (
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
			o, err = emptyOverview(loc, catalog.All)
			return err
		}
		o, err = overviewOf(w.base, db, loc, catalog.All)
		return err
	})
	return o, err
}

// List returns the latest runs, newest first.
func (s *RunsService) List(limit int) ([]Run, error) {
	runs := []Run{}
	err := s.w.read(s.w.base, func(db *store.DB) error {
		if db == nil {
			return nil
		}
		var err error
		runs, err = runsOf(s.w.base, db, limit)
		return err
	})
	return runs, err
}

// Get returns one run with its per-stream figures and errors.
func (s *RunsService) Get(id int64) (Run, error) {
	var run Run
	err := s.w.read(s.w.base, func(db *store.DB) error {
		if db == nil {
			return ErrNoData
		}
		var err error
		run, err = runByID(s.w.base, db, id)
		return err
	})
	return run, err
}

// RecordsService reads records for the Records screen.
type RecordsService struct{ w *Workspace }

// Columns lists the columns the chooser offers for a type.
func (s *RecordsService) Columns(objectType string) ([]Column, error) {
	cols := []Column{}
	err := s.w.read(s.w.base, func(db *store.DB) error {
		if db == nil {
			return nil
		}
		var err error
		cols, err = columnsOf(s.w.base, db, objectType)
		return err
	})
	return cols, err
}

// Page reads one page of records (keyset paging, newest change first).
func (s *RecordsService) Page(q PageQuery) (Page, error) {
	page := Page{Type: q.Type, Columns: []Column{}, Rows: []Row{}}
	err := s.w.read(s.w.base, func(db *store.DB) error {
		if db == nil {
			return nil
		}
		var err error
		page, err = recordsPage(s.w.base, db, q)
		return err
	})
	return page, err
}

// Detail reads one record with every property and its linked records.
func (s *RecordsService) Detail(objectType, id string) (Detail, error) {
	var d Detail
	err := s.w.read(s.w.base, func(db *store.DB) error {
		if db == nil {
			return ErrNoData
		}
		var err error
		d, err = recordDetail(s.w.base, db, objectType, id)
		if errors.Is(err, store.ErrNotFound) {
			return errors.New("this record is not in the database (it may belong to a type not extracted)")
		}
		return err
	})
	return d, err
}
