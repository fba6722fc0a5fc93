package bench

import (
	"bytes"
	"fmt"
	"runtime/pprof"
	"strings"

	"github.com/google/pprof/profile"
)

// Share is one part of a CPU profile: where that much of the time went.
type Share struct {
	Part    string  `json:"part"`
	Seconds float64 `json:"cpu_seconds"`
	Share   float64 `json:"share"` // of the profile's samples
}

// part names a share by the functions whose presence in a sample's stack
// puts the sample in it (a substring of the function's full name).
type part struct {
	name   string
	frames []string
}

// otherPart holds the samples no part claims.
const otherPart = "other"

// The parts of an extraction and of an export, in order of precedence: a
// sample goes to the first part any frame of its stack matches (an SQLite
// file write is SQLite's, not the system calls').
var (
	ingestParts = []part{
		{"search index (SQLite FTS5: tokenizing, writing and merging segments)", []string{"fts5", "Fts5"}},
		{"SQLite: records, associations, change log, commits", []string{"modernc.org/sqlite", "modernc.org/libc"}},
		{"decoding HubSpot's JSON answers", []string{"encoding/json"}},
		{"HTTP and sockets", []string{"net/http.", "net.", "internal/poll.", "syscall."}},
		{"garbage collection", []string{"runtime.gcBgMarkWorker", "runtime.bgsweep", "runtime.bgscavenge"}},
	}
	exportParts = []part{
		{"SQLite: reading the rows", []string{"modernc.org/sqlite", "modernc.org/libc"}},
		{"writing the file", []string{"os.(*File).Write", "syscall."}},
		{"CSV: values and encoding (backend/export)", []string{"hubextract/backend/export", "encoding/csv"}},
		{"garbage collection", []string{"runtime.gcBgMarkWorker", "runtime.bgsweep", "runtime.bgscavenge"}},
	}
)

// profiled runs fn under this process's CPU profile and divides its
// samples among parts.
func profiled(parts []part, fn func() error) ([]Share, error) {
	var buf bytes.Buffer
	if err := pprof.StartCPUProfile(&buf); err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	err := fn()
	pprof.StopCPUProfile()
	if err != nil {
		return nil, err
	}
	return shares(buf.Bytes(), parts)
}

// shares divides a CPU profile's time among parts (and otherPart).
func shares(data []byte, parts []part) ([]Share, error) {
	p, err := profile.ParseData(data)
	if err != nil {
		return nil, fmt.Errorf("read cpu profile: %w", err)
	}
	cpu := -1
	for i, st := range p.SampleType {
		if st.Type == "cpu" && st.Unit == "nanoseconds" {
			cpu = i
		}
	}
	if cpu < 0 {
		return nil, fmt.Errorf("read cpu profile: no cpu nanoseconds among its %d sample types", len(p.SampleType))
	}
	ns := make([]int64, len(parts)+1)
	var total int64
	for _, s := range p.Sample {
		v := s.Value[cpu]
		total += v
		ns[partOf(s, parts)] += v
	}
	out := make([]Share, 0, len(ns))
	for i, v := range ns {
		name := otherPart
		if i < len(parts) {
			name = parts[i].name
		}
		sh := Share{Part: name, Seconds: float64(v) / 1e9}
		if total > 0 {
			sh.Share = float64(v) / float64(total)
		}
		out = append(out, sh)
	}
	return out, nil
}

// partOf is the index of the first part a frame of s matches; len(parts)
// for none.
func partOf(s *profile.Sample, parts []part) int {
	for i, pt := range parts {
		for _, loc := range s.Location {
			for _, line := range loc.Line {
				if line.Function == nil {
					continue
				}
				for _, f := range pt.frames {
					if strings.Contains(line.Function.Name, f) {
						return i
					}
				}
			}
		}
	}
	return len(parts)
}
