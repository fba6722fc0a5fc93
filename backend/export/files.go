package export

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"hubextract/backend/catalog"
	"hubextract/backend/store"
)

// File is one CSV written by All.
type File struct {
	Type string `json:"type"`
	Path string `json:"path"`
	Rows int64  `json:"rows"`
}

// ToFile exports opts.Type into the file at path. The CSV is written to a
// temporary file beside it and renamed over path only once complete, so a
// cancel, a crash or a full disk never leaves a partial file under the final
// name; on error the temporary file is removed. New files are 0600: they
// hold the CRM's personal data.
func ToFile(ctx context.Context, db *store.DB, path string, opts Options) (rows int64, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, fmt.Errorf("export %s: %w", opts.Type, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	buf := bufio.NewWriterSize(tmp, 64<<10)
	if rows, err = Write(ctx, db, buf, opts); err != nil {
		return rows, err
	}
	if err = errors.Join(buf.Flush(), tmp.Sync(), tmp.Close()); err != nil {
		return rows, fmt.Errorf("export %s: write %s: %w", opts.Type, path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return rows, fmt.Errorf("export %s: %w", opts.Type, err)
	}
	return rows, nil
}

// All exports every type that has rows into dir (created 0700 when missing),
// one <type>.csv per type, each written as ToFile does. opts.Type is
// ignored; opts.FormID still narrows form_submissions. Progress counts rows
// over all the files. On error or cancel it returns the files completed so
// far with the error; the file in progress is not left behind.
func All(ctx context.Context, db *store.DB, dir string, opts Options) ([]File, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("export folder: %w", err)
	}
	type job struct {
		typ  string
		rows int64
	}
	var jobs []job
	var total int64
	for _, typ := range catalog.All {
		o := opts
		o.Type = typ
		n, err := count(ctx, db, o)
		if err != nil {
			return nil, fmt.Errorf("export %s: %w", typ, err)
		}
		if n > 0 {
			jobs = append(jobs, job{typ, n})
			total += n
		}
	}
	var files []File
	var before int64
	for _, j := range jobs {
		o := opts
		o.Type = j.typ
		if opts.Progress != nil {
			base := before
			o.Progress = func(done, _ int64) { opts.Progress(base+done, total) }
		}
		path := filepath.Join(dir, j.typ+".csv")
		n, err := ToFile(ctx, db, path, o)
		if err != nil {
			return files, err
		}
		files = append(files, File{Type: j.typ, Path: path, Rows: n})
		before += n
	}
	return files, nil
}
