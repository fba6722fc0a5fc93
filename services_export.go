package main

import (
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"hubextract/backend/workspace"
)

// ExportService writes CSV files for the Export screen. The page asks for
// the path first (App.ChooseExportFile or ChooseExportFolder); progress
// arrives as "export:progress" events.
type ExportService struct{ app *App }

// Start exports as req asks and returns the files written.
func (s *ExportService) Start(req workspace.ExportRequest) (workspace.ExportResult, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return workspace.ExportResult{}, err
	}
	return ws.Export(req, func(p workspace.ExportProgress) { runtime.EventsEmit(s.app.ctx, eventExportProgress, p) })
}

// Cancel stops the running export; false when none runs.
func (s *ExportService) Cancel() (bool, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return false, err
	}
	return ws.CancelExport(), nil
}
