package workspace

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"hubextract/backend/catalog"
	"hubextract/backend/export"
	"hubextract/backend/store"
)

// TypeInfo is one type with what is stored of it, for the Records and
// Export screens.
type TypeInfo struct {
	Type  string `json:"type"`
	Label string `json:"label"`
	Group string `json:"group"`
	Rows  int64  `json:"rows"` // active records (or forms, submissions, events) stored
}

// Types lists every type (catalog.All()) with what is stored of it.
func (s *RecordsService) Types() ([]TypeInfo, error) {
	w, ctx := s.w, s.w.base
	out := []TypeInfo{}
	err := w.read(ctx, func(db *store.DB) error {
		for _, t := range catalog.All() {
			et := TypeInfo{Type: t, Label: catalog.Label(t), Group: catalog.GroupOf(t)}
			if db != nil {
				var err error
				if et.Rows, err = countOf(ctx, db, t); err != nil {
					return err
				}
			}
			out = append(out, et)
		}
		return nil
	})
	return out, err
}

// ExportRequest asks for CSV files.
type ExportRequest struct {
	// Type is one of catalog.All(), or "" for every type with rows.
	Type string `json:"type"`
	// Path is the file for one type, the folder for all of them.
	Path         string `json:"path"`
	Labels       bool   `json:"labels"`       // labels instead of internal names and ids
	Associations bool   `json:"associations"` // the associated_<type> columns
	Excel        bool   `json:"excel"`        // a byte-order mark, so Excel reads UTF-8
	// IncludeSensitive writes the properties HubSpot marks sensitive or
	// highly sensitive too; the screen's checkbox, off by default.
	IncludeSensitive bool `json:"includeSensitive"`
	// Replace lets the export replace CSV files already there, which the
	// screen sends only once the user has confirmed it (see
	// ExportResult.Existing). Folders, links and devices are never replaced.
	Replace bool `json:"replace"`
	// Format is "csv" ("" too) or "parquet" (CRM records, typed columns).
	Format string `json:"format,omitempty"`
}

// ExportProgress is the export's bar.
type ExportProgress struct {
	Rows    int64   `json:"rows"`
	Total   int64   `json:"total"`
	Percent float64 `json:"percent"`
}

// ExportResult lists the files written.
type ExportResult struct {
	Files     []ExportFile `json:"files"`
	Folder    string       `json:"folder"` // where they are
	Rows      int64        `json:"rows"`
	Cancelled bool         `json:"cancelled"` // stopped: the files listed are complete, no partial file is left
	// Existing lists the files already there when the request did not ask
	// to replace them: nothing was written; ask, then send Replace.
	Existing []string `json:"existing"`
}

// ExportFile is one CSV written.
type ExportFile struct {
	Type  string `json:"type"`
	Label string `json:"label"`
	Path  string `json:"path"`
	Rows  int64  `json:"rows"`
}

// ExportService writes CSV files for the Export screen. The page asks for
// the path first (the app's file or folder dialog); progress goes out as
// EventExportProgress.
type ExportService struct{ w *Workspace }

// Start writes CSV files as req asks and returns the files written. Cancel
// stops it; files finished stay, the one in progress is removed.
func (s *ExportService) Start(req ExportRequest) (ExportResult, error) {
	w := s.w
	if req.Path == "" || !filepath.IsAbs(req.Path) {
		return ExportResult{}, fmt.Errorf("export: choose where to save (a full path), not %q", req.Path)
	}
	if req.Type != "" && !catalog.Valid(req.Type) {
		return ExportResult{}, &catalog.UnknownTypeError{Name: req.Type}
	}
	w.jobMu.Lock()
	if w.exporting != nil {
		w.jobMu.Unlock()
		return ExportResult{}, errors.New("an export is already running")
	}
	ctx, cancel := context.WithCancel(w.base)
	j := &job{cancel: cancel, done: make(chan struct{})}
	w.exporting = j
	w.jobMu.Unlock()
	defer func() {
		w.jobMu.Lock()
		w.exporting = nil
		w.jobMu.Unlock()
		cancel()
		close(j.done)
	}()

	db, release, err := w.acquire(ctx, false)
	if err != nil {
		return ExportResult{}, err
	}
	release() // the running job keeps the database open
	if db == nil {
		return ExportResult{}, ErrNoData
	}
	opts := export.Options{Type: req.Type, Labels: req.Labels, NoAssociations: !req.Associations, BOM: req.Excel,
		IncludeSensitive: req.IncludeSensitive,
		Format:           req.Format,
		Progress:         throttled(func(p ExportProgress) { w.emit(EventExportProgress, p) })}
	res := ExportResult{Files: []ExportFile{}, Existing: []string{}}
	var files []export.File
	if req.Type == "" {
		res.Folder = req.Path
		files, err = export.All(ctx, db, req.Path, req.Replace, opts)
	} else {
		res.Folder = filepath.Dir(req.Path)
		var n int64
		n, err = export.ToFile(ctx, db, req.Path, req.Replace, opts)
		if err == nil {
			files = []export.File{{Type: req.Type, Path: req.Path, Rows: n}}
		}
	}
	for _, f := range files {
		res.Files = append(res.Files, ExportFile{Type: f.Type, Label: catalog.Label(f.Type), Path: f.Path, Rows: f.Rows})
		res.Rows += f.Rows
	}
	var exists *export.ExistsError
	if errors.As(err, &exists) && !req.Replace && len(files) == 0 {
		res.Existing = exists.Paths
		return res, nil
	}
	if err != nil && ctx.Err() != nil && w.base.Err() == nil {
		res.Cancelled = true
		return res, nil
	}
	return res, err
}

// throttled passes export progress on at most every UpdateInterval, and
// always the last report (done == total).
func throttled(send func(ExportProgress)) func(done, total int64) {
	var mu sync.Mutex
	var last time.Time
	return func(done, total int64) {
		mu.Lock()
		now := time.Now()
		if done < total && now.Sub(last) < UpdateInterval {
			mu.Unlock()
			return
		}
		last = now
		mu.Unlock()
		p := ExportProgress{Rows: done, Total: total, Percent: 100}
		if total > 0 {
			p.Percent = min(100, float64(done)*100/float64(total))
		}
		send(p)
	}
}

// Cancel stops the running export; it reports whether one was running.
func (s *ExportService) Cancel() (bool, error) {
	w := s.w
	w.jobMu.Lock()
	defer w.jobMu.Unlock()
	if w.exporting == nil {
		return false, nil
	}
	w.exporting.cancel()
	return true, nil
}
