package main

import (
	"hubextract/backend/views"
	"hubextract/backend/workspace"
)

// RecordsService reads records for the Records screen.
type RecordsService struct{ app *App }

// Types lists every type with what is stored of it.
func (s *RecordsService) Types() ([]workspace.TypeInfo, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	return ws.Types(s.app.ctx)
}

// Columns lists the columns the chooser offers for a type.
func (s *RecordsService) Columns(objectType string) ([]views.Column, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	return ws.Columns(s.app.ctx, objectType)
}

// Page reads one page of records (keyset paging, newest change first).
func (s *RecordsService) Page(q views.PageQuery) (views.Page, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return views.Page{}, err
	}
	return ws.Records(s.app.ctx, q)
}

// Detail reads one record with every property and its linked records.
func (s *RecordsService) Detail(objectType, id string) (views.Detail, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return views.Detail{}, err
	}
	return ws.Record(s.app.ctx, objectType, id)
}
