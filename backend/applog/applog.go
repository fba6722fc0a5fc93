// Package applog owns hubextract's log file: <app folder>/hubextract.log
// (settings.Paths.LogFile), written by the window app and the command line,
// at once if need be, rotated by size with a few old files kept, readable
// only by the user (0600 in the 0700 folder).
//
// Everything reaches the file through a redacting slog handler: a HubSpot
// key (pat-...), a bearer token, a secret-looking key=value pair and the
// query of any URL are removed from the message and from every attribute,
// so the file can be sent to support as it is. The HubSpot client already
// logs only paths and redacts its own key; the handler is the second lock.
//
// The package must not import Wails: WailsLogger is an adapter the window
// hands to Wails by its method set.
package applog

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gofrs/flock"
)

// Rotation: before a write would take the file past MaxSizeMB, it becomes
// hubextract.1.log (the one before that hubextract.2.log, ...), and at
// most MaxBackups old files are kept.
const (
	MaxSizeMB  = 5
	MaxBackups = 3
)

// Log is the log file. The window app and any number of commands may write
// it at once, each from its own process, so every write opens the file to
// append (one write(2) of a whole line: lines of different processes never
// mix), the size is read from the file itself, not counted, and rotating
// takes a lock. (This is why the rotation is ours: lumberjack, the usual
// library, assumes a single writing process, counts the size itself and
// truncates a file it creates.) Nothing is created
// before the first write, so a command that logs nothing leaves no file.
type Log struct {
	path    string
	maxSize int64
	backups int
	mu      sync.Mutex
}

// Open prepares the log at path; nothing is created before the first write.
func Open(path string) *Log {
	return &Log{path: path, maxSize: MaxSizeMB << 20, backups: MaxBackups}
}

// Write appends p, rotating the file first when p would take it past its
// size. The folder is made 0700 if missing, the file 0600 (and made so if it
// was looser).
func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(l.path), 0o700); err != nil {
		return 0, err
	}
	if l.full(len(p)) {
		l.rotateLocked(len(p))
	}
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return 0, err
	}
	if st, err := f.Stat(); err == nil && st.Mode().Perm() != 0o600 {
		_ = f.Chmod(0o600)
	}
	n, err := f.Write(p)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// full reports whether n more bytes would take the file past its size.
func (l *Log) full(n int) bool {
	st, err := os.Stat(l.path)
	return err == nil && st.Size() > 0 && st.Size()+int64(n) > l.maxSize
}

// rotateLocked rotates under an OS file lock beside the log (.lock), so
// two processes never shift the old files at once (a rename replaces its
// target: that would lose a file of lines); whoever comes second finds the
// file small again and leaves it. Appending needs no lock: a line written
// while the file is renamed lands, whole, in the newest old file.
func (l *Log) rotateLocked(n int) {
	lk := flock.New(l.path+".lock", flock.SetPermissions(0o600))
	if err := lk.Lock(); err != nil {
		return // the file grows past its size rather than race
	}
	defer lk.Close()
	if l.full(n) {
		l.rotate()
	}
}

// rotate shifts the old files up by one, dropping the oldest, and makes the
// file the first of them.
func (l *Log) rotate() {
	for i := l.backups - 1; i >= 1; i-- {
		_ = os.Rename(l.backup(i), l.backup(i+1))
	}
	if l.backups > 0 {
		_ = os.Rename(l.path, l.backup(1))
	} else {
		_ = os.Remove(l.path)
	}
}

// backup is the name of the i-th old file: hubextract.log → hubextract.1.log.
func (l *Log) backup(i int) string {
	ext := filepath.Ext(l.path)
	return fmt.Sprintf("%s.%d%s", strings.TrimSuffix(l.path, ext), i, ext)
}

// Close releases the log; every write has already closed its file.
func (l *Log) Close() error { return nil }

// Handler is a redacting text handler writing to the file and, when echo is
// not nil, to echo too (the window app's stderr, which its tests read).
func (l *Log) Handler(level slog.Leveler, echo io.Writer) slog.Handler {
	var w io.Writer = l
	if echo != nil {
		w = io.MultiWriter(l, bestEffort{echo})
	}
	return NewRedacting(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// Install makes the log slog's default and, through it, the standard
// logger's (log.Printf), at level and above.
func (l *Log) Install(level slog.Leveler, echo io.Writer) *slog.Logger {
	lg := slog.New(l.Handler(level, echo))
	slog.SetDefault(lg)
	return lg
}

// bestEffort never fails a write: a closed stderr must not stop the file.
type bestEffort struct{ w io.Writer }

func (b bestEffort) Write(p []byte) (int, error) {
	_, _ = b.w.Write(p)
	return len(p), nil
}
