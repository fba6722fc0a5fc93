package reliability

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Areas of the report, in its order.
const (
	areaCrash    = "Crash and resume"
	areaFaults   = "Faults"
	areaLocal    = "Bad local conditions"
	areaInput    = "Bad input"
	areaSecurity = "Security"
)

// finding is one case's record: what was tried, what the user was told,
// and its figures. Each is one JSON line in the results file.
type finding struct {
	Area    string `json:"area"`
	Case    string `json:"case"`
	Outcome string `json:"outcome"` // what happened, in a few words or the message shown
	Test    string `json:"test"`    // the test that reproduces it (go test -run)
	Passed  bool   `json:"passed"`
	Runs    int    `json:"runs,omitempty"`    // extractions run
	Kills   int    `json:"kills,omitempty"`   // of them ended by SIGKILL
	Resumed int    `json:"resumed,omitempty"` // killed or stopped runs resumed to the reference data
	Faults  int    `json:"faults,omitempty"`  // faults injected
	Inputs  int    `json:"inputs,omitempty"`  // bad inputs tried
	Files   int    `json:"files,omitempty"`   // files checked
	Lost    int64  `json:"bytes_lost"`        // bytes of saved rows missing afterwards
	Extra   int64  `json:"bytes_extra"`       // bytes of rows that should not be there
	Seed    uint64 `json:"seed,omitempty"`    // the seed of the case's random choices
}

var resultsMu sync.Mutex

// record appends f to the results file when the test ends, passed or not
// as the test ended; the caller fills f as the test goes.
func record(t *testing.T, f *finding) {
	t.Helper()
	f.Test = t.Name()
	t.Cleanup(func() {
		f.Passed = !t.Failed()
		if err := appendResult(*f); err != nil {
			t.Errorf("record the result: %v", err)
		}
	})
}

func appendResult(f finding) error {
	line, err := json.Marshal(f)
	if err != nil {
		return err
	}
	resultsMu.Lock()
	defer resultsMu.Unlock()
	w, err := os.OpenFile(results, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := w.Write(append(line, '\n')); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// secretToken is the only key every fake of the suite accepts. No pattern
// of the log's redaction knows its shape, so a hit in a file means the key
// was written, not merely missed by a filter.
const secretToken = "hxr-7c1d5e09-RELIABILITY-SECRET-4a2b"

// scanForToken reads every regular file under root (the databases with
// their WAL files, the log, exports, lock files: everything the suite's
// commands wrote) but the token files, the key's place where there is no
// keychain, and returns how many it read and the ones holding the key or a
// recognisable half of it.
func scanForToken(root string) (files, tokenFiles int, bytesRead int64, hits []string, err error) {
	needles := [][]byte{[]byte(secretToken), []byte(secretToken[:len(secretToken)/2]), []byte(secretToken[len(secretToken)/2:])}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || path == results {
			return err
		}
		if d.Name() == "token" || strings.HasPrefix(d.Name(), "token-") { // one per account
			tokenFiles++ // the key's own 0600 file, where no keychain is: TestFileModes
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		bytesRead += int64(len(data))
		for _, needle := range needles {
			if i := bytes.Index(data, needle); i >= 0 {
				hits = append(hits, fmt.Sprintf("%s (%q at byte %d)", path, needle, i))
				break
			}
		}
		return nil
	})
	return files, tokenFiles, bytesRead, hits, err
}

// tokenFinding scans everything the suite wrote for the key: the last
// result of the run.
func tokenFinding() finding {
	files, tokenFiles, n, hits, err := scanForToken(tmpRoot)
	f := finding{Area: areaSecurity, Case: "the key in no file the app wrote (databases, WAL, logs, exports, lock files) after the whole suite",
		Test: "TestMain", Files: files, Passed: err == nil && len(hits) == 0 && files > 0}
	switch {
	case err != nil:
		f.Outcome = "the scan failed: " + err.Error()
	case len(hits) > 0:
		f.Outcome = "the key was found in " + strings.Join(hits, ", ")
	default:
		f.Outcome = fmt.Sprintf("not found in %d files (%d bytes) written by every case of the suite; "+
			"%d token files (the key's own place where no keychain is) left out", files, n, tokenFiles)
	}
	return f
}
