package extract

import (
	"encoding/json"
	"errors"
	"fmt"
	"hubextract/backend/store"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/gofrs/flock"
)

// Who runs an extraction (Options.Owner): the lock file records it, and an
// extraction refused because another one runs names it.
const (
	OwnerCommandLine = "the command line" // the default
	OwnerApp         = "the app"
	OwnerScheduled   = "a scheduled job"
)

// LockPath is the lock file of the database at dbPath (its real path, past
// symbolic links, so the same database reached through a link has the
// same lock): one extraction at a
// time holds an OS file lock on it, for the whole run. The OS releases the
// lock when the process ends, however it ends (a crash, SIGKILL, a power
// cut), so a lock left by a dead process never stands in the way; the file
// itself stays, and its content (who holds the lock) only means something
// while a process holds it.
func LockPath(dbPath string) string { return realPath(dbPath) + ".lock" }

// realPath is path past symbolic links, or path when that cannot be known.
func realPath(path string) string {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		return real
	}
	return path
}

// Holder is who holds a database's extraction lock, as its lock file says.
type Holder struct {
	Owner string    `json:"owner"` // OwnerApp, OwnerCommandLine, ...
	PID   int       `json:"pid"`
	Since time.Time `json:"since"`
}

// BusyError is returned by Run, before it changes anything or makes any
// call to HubSpot, when another extraction holds the database's lock.
type BusyError struct {
	Path   string // the database
	Holder Holder // zero fields when the lock file did not say
}

func (e *BusyError) Error() string { return e.UserMessage() }

// UserMessage says it plainly: another extraction runs on this database,
// started by whom and when, and nothing was changed.
func (e *BusyError) UserMessage() string {
	var b strings.Builder
	b.WriteString("another extraction is already running on this database")
	h := e.Holder
	if h.Owner != "" {
		fmt.Fprintf(&b, ", started by %s", h.Owner)
	}
	if h.PID > 0 {
		fmt.Fprintf(&b, " (process %d)", h.PID)
	}
	if !h.Since.IsZero() {
		fmt.Fprintf(&b, " at %s", h.Since.Local().Format("15:04:05 MST on 2 Jan 2006"))
	}
	b.WriteString("; nothing was changed: run this again once it has finished")
	return b.String()
}

// dbLock is a held extraction lock.
type dbLock struct {
	f *flock.Flock
}

// lockDatabase takes the extraction lock of the database at dbPath for h,
// without waiting: a *BusyError when another process (or another Run of
// this one) holds it.
func lockDatabase(dbPath string, h Holder) (*dbLock, error) {
	dbPath = realPath(dbPath)
	path := LockPath(dbPath)
	f := flock.New(path, flock.SetPermissions(0o600))
	ok, err := f.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock the database %s: %w", dbPath, err)
	}
	if !ok {
		return nil, &BusyError{Path: dbPath, Holder: readHolder(path)}
	}
	// Who holds it, for the refusal another process shows. Best effort:
	// the lock itself is what keeps a second extraction out.
	if b, err := json.Marshal(h); err == nil {
		_ = os.WriteFile(path, append(b, '\n'), 0o600)
	}
	return &dbLock{f: f}, nil
}

// release empties the lock file (it names no holder any more) and lets the
// lock go.
func (l *dbLock) release() error {
	_ = os.Truncate(l.f.Path(), 0)
	return l.f.Unlock()
}

// readHolder reads who holds the lock at path; zero when the file does not
// say (the holder has not written it yet, or the system refuses reading a
// locked file).
func readHolder(path string) Holder {
	var h Holder
	b, err := os.ReadFile(path)
	if err != nil || len(b) == 0 {
		return Holder{}
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return Holder{}
	}
	return h
}

// Running reports whether an extraction is running on the database at
// dbPath, and who runs it, as its lock file says: the file names a holder
// (a run empties it when it ends) whose process is alive (a killed one's
// is not). It takes no lock, so it never stands in the way of an
// extraction starting meanwhile; a screen asks it, not Run.
func Running(dbPath string) (Holder, bool) {
	h := readHolder(LockPath(dbPath))
	if h.PID <= 0 || !alive(h.PID) {
		return Holder{}, false
	}
	return h, true
}

// alive reports whether the process pid exists.
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false // Windows: no such process
	}
	if runtime.GOOS == "windows" {
		return true
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// Seen is run r of the database at dbPath as the history shows it: a run
// still marked running whose process is gone (the lock names no live
// holder) is interrupted, with the words the next run records when it
// closes it. Nothing is written: the lock's holder alone writes runs.
func Seen(r store.Run, dbPath string) store.Run {
	if r.Status != store.StatusRunning {
		return r
	}
	if _, running := Running(dbPath); running {
		return r
	}
	r.Status, r.Error = store.StatusInterrupted, abandonedMsg
	return r
}
