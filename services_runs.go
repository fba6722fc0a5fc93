package main

import "hubextract/backend/views"

// RunsService reads the run history and the overview.
type RunsService struct{ app *App }

// List returns the latest runs, newest first.
func (s *RunsService) List(limit int) ([]views.Run, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	return ws.Runs(s.app.ctx, limit)
}

// Get returns one run with its per-stream figures and errors.
func (s *RunsService) Get(id int64) (views.Run, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return views.Run{}, err
	}
	return ws.Run(s.app.ctx, id)
}

// Overview returns the counts, the engagement chart's figures and the
// database's location and size.
func (s *RunsService) Overview() (views.Overview, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return views.Overview{}, err
	}
	return ws.Overview(s.app.ctx)
}
