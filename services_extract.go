package main

import (
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"hubextract/backend/workspace"
)

// ExtractService runs extractions for the Extract screen. Progress arrives
// as "extract:progress" events (a workspace.Update, at most ten a second);
// Start returns the summary once the run ends.
type ExtractService struct{ app *App }

// Groups lists the types to choose from, grouped, with their counts.
func (s *ExtractService) Groups() ([]workspace.Group, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	return ws.Groups(s.app.ctx)
}

// Estimate says how many API calls and how long extracting objects takes.
func (s *ExtractService) Estimate(objects []string) (workspace.Estimate, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return workspace.Estimate{}, err
	}
	return ws.Estimate(s.app.ctx, objects)
}

// Start runs an extraction to its end (Cancel stops it) and returns its
// summary.
func (s *ExtractService) Start(req workspace.ExtractRequest) (workspace.Summary, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return workspace.Summary{}, err
	}
	return ws.Extract(req, func(u workspace.Update) { runtime.EventsEmit(s.app.ctx, eventExtractProgress, u) })
}

// Cancel stops the running extraction, keeping what it fetched; false when
// none runs.
func (s *ExtractService) Cancel() (bool, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return false, err
	}
	return ws.Cancel(), nil
}

// Snapshot is the running (or last) extraction's state, for a page that
// opens mid-run.
func (s *ExtractService) Snapshot() (workspace.Snapshot, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return workspace.Snapshot{}, err
	}
	return ws.Snapshot(), nil
}

// ResumeOffer returns the unfinished run the next extraction would resume
// (after a cancel, a failure or a crash), or null.
func (s *ExtractService) ResumeOffer() (*workspace.ResumeOffer, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return nil, err
	}
	return ws.ResumeOffer(s.app.ctx)
}
