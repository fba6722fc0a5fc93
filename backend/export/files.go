package export

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
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

// ErrExists matches every *ExistsError.
var ErrExists = errors.New("file already exists")

// ExistsError is an export that would replace files already there, which it
// does only when asked to (replace). Nothing was written.
type ExistsError struct {
	Paths []string
}

func (e *ExistsError) Error() string {
	if len(e.Paths) == 1 {
		return fmt.Sprintf("%s already exists: nothing was written (replacing it must be asked for)", e.Paths[0])
	}
	return fmt.Sprintf("%s and %d other files already exist: nothing was written (replacing them must be asked for)",
		e.Paths[0], len(e.Paths)-1)
}

// Is makes errors.Is(err, ErrExists) true.
func (e *ExistsError) Is(target error) bool { return target == ErrExists }

// ErrNotFile matches every refusal of a target that is not a regular file.
var ErrNotFile = errors.New("not a regular file")

// targetError is a target an export never writes to: a folder, a symbolic
// link, a device, a pipe or a socket.
type targetError struct {
	path, what string
}

func (e *targetError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file: choose a file name (nothing was written)", e.path, e.what)
}

func (e *targetError) Is(target error) bool { return target == ErrNotFile }

// CheckTarget says whether an export may write the file at path, before
// anything is written: a new path may be created; an existing regular file
// is replaced only when replace is set (else an *ExistsError); a folder, a
// symbolic link (even to a regular file), a device or any other special
// file is refused (ErrNotFile).
func CheckTarget(path string, replace bool) error {
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("export to %s: %w", path, err)
	case st.Mode().IsRegular():
		if !replace {
			return &ExistsError{Paths: []string{path}}
		}
		return nil
	}
	what := "a special file"
	switch t := st.Mode().Type(); {
	case t&fs.ModeDir != 0:
		what = "a folder"
	case t&fs.ModeSymlink != 0:
		what = "a symbolic link"
	case t&fs.ModeDevice != 0:
		what = "a device"
	case t&fs.ModeNamedPipe != 0:
		what = "a named pipe"
	case t&fs.ModeSocket != 0:
		what = "a socket"
	}
	return &targetError{path: path, what: what}
}

// ToFile exports opts.Type into the file at path, which CheckTarget must
// accept: it is checked before anything is written, and again when the file
// is put in place. The CSV is written to a temporary file beside it and
// renamed over path only once complete, so a cancel, a crash or a full disk
// never leaves a partial file under the final name; on error the temporary
// file is removed. Without replace, a file that appeared meanwhile is not
// replaced either (the complete CSV is linked into place, which fails on an
// existing name). New files are 0600: they hold the CRM's personal data.
func ToFile(ctx context.Context, db *store.DB, path string, replace bool, opts Options) (rows int64, err error) {
	if err := CheckTarget(path, replace); err != nil {
		return 0, err
	}
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
	if err = place(tmp.Name(), path, replace); err != nil {
		return rows, err
	}
	return rows, nil
}

// place puts the complete temporary file at path, as CheckTarget allows.
func place(tmp, path string, replace bool) error {
	if !replace {
		err := os.Link(tmp, path)
		switch {
		case err == nil:
			return os.Remove(tmp)
		case errors.Is(err, fs.ErrExist):
			if cerr := CheckTarget(path, false); cerr != nil {
				return cerr
			}
			return fmt.Errorf("export to %s: %w", path, err) // gone again meanwhile
		}
		// No hard links here (FAT, some network disks): check, then rename.
	}
	if err := CheckTarget(path, replace); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	return nil
}

// fileName is the file All writes a type into: TYPE.csv, or
// TYPE_history.csv for its property history, or TYPE.parquet.
func fileName(typ string, opts Options) string {
	if opts.Format == FormatParquet {
		return typ + ".parquet"
	}
	if opts.History {
		return typ + "_history.csv"
	}
	return typ + ".csv"
}

// All exports every type that has rows into dir (created 0700 when missing),
// one <type>.csv per type (with opts.History, <type>_history.csv per type
// with history stored), each written as ToFile does. Every file is checked
// (CheckTarget) before the first is written: existing ones are replaced only
// with replace (else one *ExistsError lists them all), and a special file
// under one of the names stops the export before it starts. opts.Type is
// ignored; opts.FormID still narrows form_submissions. Progress counts rows
// over all the files. On error or cancel it returns the files completed so
// far with the error; the file in progress is not left behind.
func All(ctx context.Context, db *store.DB, dir string, replace bool, opts Options) ([]File, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("export folder: %w", err)
	}
	type job struct {
		typ  string
		rows int64
	}
	var jobs []job
	var total int64
	var existing []string
	for _, typ := range catalog.All() {
		o := opts
		o.Type = typ
		n, err := count(ctx, db, o)
		if err != nil {
			return nil, fmt.Errorf("export %s: %w", typ, err)
		}
		if n > 0 {
			jobs = append(jobs, job{typ, n})
			total += n
			var exists *ExistsError
			if err := CheckTarget(filepath.Join(dir, fileName(typ, opts)), replace); errors.As(err, &exists) {
				existing = append(existing, exists.Paths...)
			} else if err != nil {
				return nil, err
			}
		}
	}
	if len(existing) > 0 {
		return nil, &ExistsError{Paths: existing}
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
		path := filepath.Join(dir, fileName(j.typ, opts))
		n, err := ToFile(ctx, db, path, replace, o)
		if err != nil {
			return files, err
		}
		files = append(files, File{Type: j.typ, Path: path, Rows: n})
		before += n
	}
	return files, nil
}
