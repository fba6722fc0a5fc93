// Package applog owns hubextract's log file: <app folder>/hubextract.log
// (settings.Paths.LogFile), written by the window app and the command line,
// rotated by size with a few old files kept, readable only by the user (0600
// in the 0700 folder).
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
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"gopkg.in/natefinch/lumberjack.v2"
)

// Rotation: the file is rotated when it reaches MaxSizeMB; MaxBackups old
// files are kept beside it, named hubextract-TIME.log.
const (
	MaxSizeMB  = 5
	MaxBackups = 3
)

// Log is an open log file. Its Writer opens the file on the first write, so
// a command that logs nothing creates nothing.
type Log struct {
	path string
	mu   sync.Mutex
	lj   *lumberjack.Logger
	err  error // why the folder could not be made, once
}

// Open prepares the log at path; nothing is created before the first write.
func Open(path string) *Log {
	return &Log{path: path}
}

// Write appends p to the file, rotating it first when it is full. The
// folder is made 0700 if missing; lumberjack creates the file 0600 and
// keeps that mode across rotations.
func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lj == nil {
		if l.err != nil {
			return 0, l.err
		}
		if err := os.MkdirAll(filepath.Dir(l.path), 0o700); err != nil {
			l.err = err
			return 0, err
		}
		l.lj = &lumberjack.Logger{Filename: l.path, MaxSize: MaxSizeMB, MaxBackups: MaxBackups, LocalTime: false}
	}
	n, err := l.lj.Write(p)
	if err == nil {
		// A file that already existed with a looser mode is tightened.
		_ = os.Chmod(l.path, 0o600)
	}
	return n, err
}

// Close closes the file, if it was opened.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lj == nil {
		return nil
	}
	return l.lj.Close()
}

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
